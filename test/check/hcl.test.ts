/**
 * The HCL2 parser of `check` against HashiCorp's own (hcl2json: hashicorp/hcl compiled to WASM,
 * used only here): every generated Nomad job and Vault policy, hand-written files exercising each
 * construct, generated hostile strings, and invalid files both must reject at the same line.
 */
import { parse } from '@cdktf/hcl2json';
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { attribute, blocksOf, HclSyntaxError, literalString, parseHcl, toHcl2Json } from '../../src/check/hcl.js';
import { getPart } from '../../src/parts/index.js';
import type { Answers } from '../../src/questions.js';
import { hcl as hclString } from '../../src/render/escape.js';
import { renderProject } from '../../src/render/index.js';
import { answersFor, combinations, templates, testFacts } from '../helpers/render.js';
import { fixturesRoot } from './fixtures.js';

async function hashicorp(text: string): Promise<unknown> {
  return parse('file.hcl', text);
}

async function expectSameAsHashicorp(text: string, label: string): Promise<void> {
  expect(toHcl2Json(parseHcl(text)), label).toEqual(await hashicorp(text));
}

async function deployFiles(a: Answers): Promise<[string, string][]> {
  const tree = renderProject(a, await templates(), { facts: testFacts, generatorVersion: '0.0.0-test', parts: [getPart('nomad'), getPart('vault')] });
  return [...tree.values()].map((f) => [f.path, f.content]);
}

describe('parses every generated Nomad job and Vault policy exactly as HashiCorp\'s parser does', () => {
  const extras: Partial<Answers>[] = [{}, { secrets: ['API_KEY'], services: ['postgres', 'redis', 'mongo'] }, { secrets: ['TOKEN'], vaultKv: 1, vaultMount: 'kv-apps', vaultRole: 'Role_1', datacenter: 'eu-west_1' }];
  for (const combo of combinations()) {
    it(`${combo.language} ${combo.languageVersion} on ${combo.base}`, async () => {
      for (const extra of extras) {
        for (const [path, text] of await deployFiles(await answersFor({ ...combo, ...extra }))) await expectSameAsHashicorp(text, path);
      }
    });
  }

  it('with hostile values that bypass validation (quotes, backslashes, ${, %{ and {{)', async () => {
    const base = await answersFor({ secrets: ['API_KEY'], services: ['redis'] });
    const a: Answers = { ...base, name: 'svc"${q}%{r}{{x}}\\', datacenter: 'dc"${x}\\n', vaultRole: 'role"%{y}', healthPath: '/h"${z}\\', vaultMount: 'kv"${m}' };
    for (const [path, text] of await deployFiles(a)) await expectSameAsHashicorp(text, path);
  });
});

describe('hand-written files', () => {
  const dir = join(fixturesRoot, 'hcl');
  const valid = readdirSync(join(dir, 'valid')).sort();
  const invalid = readdirSync(join(dir, 'invalid')).sort();

  it.each(valid)('valid/%s: same result as HashiCorp\'s parser', async (name) => {
    await expectSameAsHashicorp(readFileSync(join(dir, 'valid', name), 'utf8'), name);
  });

  it.each(invalid)('invalid/%s: rejected by both, at the same line', async (name) => {
    const text = readFileSync(join(dir, 'invalid', name), 'utf8');
    const theirs = await hashicorp(text).then(
      () => null,
      (e: unknown) => String(e),
    );
    expect(theirs, 'HashiCorp accepts it').not.toBeNull();
    let mine: unknown;
    try {
      parseHcl(text);
    } catch (e) {
      mine = e;
    }
    expect(mine).toBeInstanceOf(HclSyntaxError);
    const theirLine = Number(/file\.hcl:(\d+),/.exec(theirs!)?.[1]);
    // An unterminated heredoc is reported where it opens (HashiCorp: at the end of the file).
    if (name !== 'unterminated-heredoc.hcl') expect((mine as HclSyntaxError).line, theirs!).toBe(theirLine);
  });

  it('reads 400 levels of nesting as HashiCorp does, and refuses more in a syntax error rather than overflowing the stack', async () => {
    const deep = (n: number) => `job "x" {\n  meta = ${'['.repeat(n)}${']'.repeat(n)}\n  ${'a {\n'.repeat(n - 2)}${'}\n'.repeat(n - 2)}  x = ${'-'.repeat(n - 1)}1\n}\n`;
    await expectSameAsHashicorp(deep(400), 'deep.hcl');
    for (const text of [`job "x" {\n  meta = ${'['.repeat(100_000)}${']'.repeat(100_000)}\n}\n`, `path "x" {\n${'a {\n'.repeat(50_000)}${'}\n'.repeat(50_000)}}\n`, `x = ${'!'.repeat(100_000)}true\n`]) {
      expect(() => parseHcl(text)).toThrow(/^Nested more than 500 levels deep, more than this tool reads; flatten the blocks or the expression$/);
    }
  });

  it('keeps positions: each attribute and block on its line', () => {
    const body = parseHcl(readFileSync(join(dir, 'valid', 'blocks.hcl'), 'utf8'));
    const [job] = blocksOf(body, 'job');
    expect(job!.line).toBe(1);
    const [group] = blocksOf(job!.body, 'group');
    expect(group!.line).toBe(2);
    const [, network] = group!.body.items;
    expect(network!.line).toBe(5);
    const paths = blocksOf(body, 'path');
    expect(paths.map((p) => [p.labels[0], p.line])).toEqual([
      ['secret/data/a/b', 15],
      ['secret/data/a/c', 19],
    ]);
    expect(attribute(paths[1]!.body, 'capabilities')!.line).toBe(19);
  });

  it('decodes literal strings and keeps templates apart', () => {
    const body = parseHcl('a = "x\\"y $${z}"\nb = "${var.x}"\n');
    expect(literalString(attribute(body, 'a')!.value)).toBe('x"y ${z}');
    expect(literalString(attribute(body, 'b')!.value)).toBeUndefined();
  });
});

describe('property: any string the generator escapes parses back to itself, as HashiCorp reads it', () => {
  it('holds for strings of quotes, backslashes, template openers and unicode', async () => {
    const pieces = fc.constantFrom('"', '\\', '${', '%{', '$${', '%%{', '}', '{', '$', '%', '\n', '\t', 'é', '😀', 'a', ' ', '~', '{{', '}}');
    await fc.assert(
      fc.asyncProperty(fc.array(pieces, { maxLength: 20 }).map((p) => p.join('')), async (value) => {
        const text = `value = ${hclString(value)}\n`;
        const mine = toHcl2Json(parseHcl(text));
        expect(mine).toEqual(await hashicorp(text));
        expect(literalString(attribute(parseHcl(text), 'value')!.value)).toBe(value);
      }),
      { numRuns: 150 },
    );
  });
});
