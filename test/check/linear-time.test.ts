/**
 * Inputs that took quadratic time: a mapping's duplicate-key check searched every earlier key, and
 * a Dockerfile word's line was found by scanning a continuation from its first line. These sizes
 * take seconds when the work is linear and minutes when it is quadratic (40 000 keys took 7 s,
 * a 20 000-line RUN 1.8 s), so the generous timeout fails only the quadratic code; the
 * assertions check the structure read.
 */
import { describe, expect, it } from 'vitest';
import { parseInstructions } from '../../src/check/dockerfile-parse.js';
import { readYamlSubset } from '../../src/check/yaml-subset.js';

const n = 200_000;

describe('linear time on large inputs', () => {
  it(`reads a mapping of ${n} keys, block and flow, and still finds a duplicate`, () => {
    const block = readYamlSubset(`services:\n${Array.from({ length: n }, (_, i) => `  s${i}: 1\n`).join('')}  s7: 2\n`, { tags: [] });
    expect(block?.duplicateKeys).toEqual([n + 2]);
    const flow = readYamlSubset(`x: {${Array.from({ length: n }, (_, i) => `k${i}: 1`).join(', ')}, k7: 2}\n`, { tags: [] });
    expect(flow?.duplicateKeys).toEqual([1]);
    const value = block?.contents;
    expect(value?.kind === 'map' && value.pairs[0]?.value.kind === 'map' ? value.pairs[0].value.pairs.length : 0).toBe(n + 1);
  }, 120_000);

  // Words × lines: 500 000 lines of two words each (the old scan: 200 000 lines of one took 30 s).
  const lines = 500_000;
  it(`gives each word of a ${lines}-line RUN continuation its own line`, () => {
    const text = `FROM alpine:3.20\nRUN echo \\\n${Array.from({ length: lines }, (_, i) => `  a${i} b \\\n`).join('')}  end\n`;
    const run = parseInstructions(text)[1]!;
    expect(run.words).toHaveLength(2 * lines + 2);
    expect(run.words[1]).toEqual({ value: 'a0', line: 3 });
    expect(run.words[2]).toEqual({ value: 'b', line: 3 });
    expect(run.words.at(-1)).toEqual({ value: 'end', line: lines + 3 });
  }, 120_000);
});
