import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { firstErrorOffset, parseJsonObject } from '../../src/json-file.js';

describe('JSON errors name a line and column', () => {
  it('finds nothing wrong in any valid JSON', () => {
    fc.assert(
      fc.property(fc.json(), (text) => {
        expect(firstErrorOffset(text)).toBeNull();
      }),
    );
  });

  it('points at the first offending character', () => {
    expect(firstErrorOffset('{"a": [}')).toBe(7);
    expect(firstErrorOffset('{"a": 1,}')).toBe(8);
    expect(firstErrorOffset('{"a": tru}')).toBe(9);
    expect(firstErrorOffset('{"a": "x\ny"}')).toBe(8);
    expect(firstErrorOffset('{} x')).toBe(3);
  });

  it('reports file:line:column and a one-line reason', () => {
    expect(() => parseJsonObject('{\n  "name": "x",\n}', 'a.json', 'answers file')).toThrow(/^a\.json:3:1: answers file is not valid JSON \([^\n]*\); fix the syntax$/);
  });
});
