import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { firstDuplicateKey, firstErrorOffset, parseJsonObject, readJsonObject } from '../../src/json-file.js';

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

describe('a JSON file of the project read as UTF-8 (package.json, composer.json)', () => {
  it('says it is UTF-16, with or without a byte order mark, little- or big-endian', () => {
    const json = '{"name": "api"}';
    for (const bytes of [Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(json, 'utf16le')]), Buffer.from(json, 'utf16le'), Buffer.from(json, 'utf16le').swap16(), Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(json, 'utf16le').swap16()])]) {
      expect(() => parseJsonObject(bytes.toString('utf8'), 'package.json', 'package.json')).toThrow(/^package\.json: package\.json is UTF-16 text; save it as UTF-8$/);
    }
  });

  it('still names the line and column of a NUL that is a syntax error in UTF-8 text', () => {
    expect(() => parseJsonObject('{"name": "api",\n  \0}', 'package.json', 'package.json')).toThrow(/^package\.json:2:3: package\.json is not valid JSON/);
  });
});

describe('an answers file a person wrote', () => {
  const dir = mkdtempSync(join(tmpdir(), 'css-json-'));
  let n = 0;
  const file = (content: string | Buffer) => {
    const path = join(dir, `answers-${n++}.json`);
    writeFileSync(path, content);
    return path;
  };

  it('finds no repeated key in JSON that has none, at any depth', () => {
    fc.assert(
      fc.property(fc.json(), (text) => {
        expect(firstDuplicateKey(text)).toBeNull();
      }),
    );
  });

  it('finds a key repeated in one object, as JSON.parse decodes keys, and nothing across objects', () => {
    expect(firstDuplicateKey('{"name": "a", "port": 1, "name": "b"}')).toEqual({ key: 'name', offset: 25 });
    expect(firstDuplicateKey('{"sub": {"a": 1, "\\u0061": 2}}')).toEqual({ key: 'a', offset: 17 });
    expect(firstDuplicateKey('{"a": {"x": 1}, "b": {"x": 2}, "c": [{"x": 1}, {"x": 2}]}')).toBeNull();
  });

  it('refuses a repeated key, naming it and where (JSON.parse would keep the last silently)', async () => {
    await expect(readJsonObject(file('{\n  "name": "a",\n  "name": "b"\n}'), 'answers file')).rejects.toThrow(/^\S+answers-\d+\.json:3:3: answers file sets "name" twice in one object; keep one$/);
  });

  it('refuses a file that is not UTF-8, naming the encoding or the line and byte', async () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('{"name":"x"}', 'utf16le')]);
    await expect(readJsonObject(file(utf16), 'answers file')).rejects.toThrow(/: answers file is UTF-16 text; save it as UTF-8$/);
    const latin1 = Buffer.from('{"name": "x",\n "start": "caf\xe9"}', 'latin1');
    await expect(readJsonObject(file(latin1), 'answers file')).rejects.toThrow(/:2: answers file is not UTF-8 text \(byte 29\); save it as UTF-8$/);
    // A byte-order mark is fine (Windows editors write one).
    await expect(readJsonObject(file('\uFEFF{"name": "x"}'), 'answers file')).resolves.toEqual({ name: 'x' });
  });

  it('reads or refuses nesting far past any answers file without overflowing the stack', async () => {
    const deep = `{"name": "x", "a": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    await expect(readJsonObject(file(deep), 'answers file')).resolves.toMatchObject({ name: 'x' });
    const broken = `{"name": "x", "a": ${'['.repeat(100_000)}}`;
    await expect(readJsonObject(file(broken), 'answers file')).rejects.toThrow(/: answers file is not valid JSON \([^\n]*\); fix the syntax$/);
  });

  it("escapes the file's own characters quoted in the reason", () => {
    expect(() => parseJsonObject('{"name": \u001b[2J}', 'a.json', 'answers file')).toThrow(/\(Unexpected token '\\u001b'\)/);
  });
});
