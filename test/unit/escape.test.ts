import { execFileSync } from 'node:child_process';
import { parse as parseHcl } from '@cdktf/hcl2json';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { gotmpl, hcl, json, mdCode, sh, yaml } from '../../src/render/escape.js';

// Arbitrary strings including the sequences each format treats specially.
const hostile = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: fc.constantFrom('$', '{', '}', '%', '"', "'", '\\', '\n', '\t', '`', ':', '#', '-', ' ', 'a', '\u2028'), maxLength: 30 }),
);

describe('escapers round-trip through real parsers', () => {
  it('yaml(): any string is one scalar that parses back to itself', () => {
    fc.assert(
      fc.property(hostile, (s) => {
        const doc = parseYaml(`key: ${yaml(s)}\nother: 1\n`) as Record<string, unknown>;
        expect(doc).toEqual({ key: s, other: 1 });
      }),
      { numRuns: 300 },
    );
  });

  it('json(): exec-form arrays parse back to the same words', () => {
    fc.assert(
      fc.property(fc.array(hostile, { maxLength: 4 }), (words) => {
        expect(JSON.parse(json(words))).toEqual(words);
      }),
    );
  });

  it('hcl(): any string stays one literal attribute value, with ${ and %{ kept literal', async () => {
    await fc.assert(
      fc.asyncProperty(hostile, async (s) => {
        const parsed = (await parseHcl('t.hcl', `a = ${hcl(s)}\nb = 1\n`)) as Record<string, unknown>;
        // hcl2json re-emits template escapes as written; HCL normalises strings to Unicode NFC.
        expect(parsed.b).toBe(1);
        expect(parsed.a).toBe(s.normalize('NFC').replace(/\$\{/g, () => '$${').replace(/%\{/g, '%%{'));
      }),
      { numRuns: 150 },
    );
  });

  it('sh(): any string is one word to a real POSIX shell', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 30 }).filter((s) => !s.includes('\u0000')), (s) => {
        const out = execFileSync('/bin/sh', ['-c', `printf '%s' ${sh(s)}`], { encoding: 'utf8' });
        expect(out).toBe(s);
      }),
      { numRuns: 60 },
    );
  });

  it('gotmpl(): literal text cannot open a Go template action', () => {
    expect(gotmpl('a {{ .Secret }} b')).toBe('a {{ "{" }}{{ "{" }} .Secret {{ "}" }}{{ "}" }} b');
    // A lone brace beside a pair (a counterexample fast-check found for the pair-only escaper).
    expect(gotmpl('{}}')).toBe('{{ "{" }}{{ "}" }}{{ "}" }}');
    fc.assert(
      fc.property(fc.oneof(hostile, fc.stringMatching(/^[{}a ]{0,12}$/)), (s) => {
        // After escaping, every brace belongs to one of our own string-literal actions, and
        // reading the actions back gives the text.
        const out = gotmpl(s);
        expect(out.replace(/\{\{ "[{}]" \}\}/g, '')).not.toMatch(/[{}]/);
        expect(out.replace(/\{\{ "([{}])" \}\}/g, '$1')).toBe(s);
      }),
    );
  });

  it('mdCode(): backticks in the value cannot close the code span', () => {
    expect(mdCode('a`b')).toBe('``a`b``');
    expect(mdCode('`x`')).toBe('`` `x` ``');
    expect(mdCode('plain')).toBe('`plain`');
  });
});
