/**
 * N03: the secrets a generated Nomad job exports reach the app byte for byte. The job is parsed by
 * the real HCL parser (heredoc rules included), its template data is run by Go's text/template
 * with consul-template's functions (go/nomad-template.go), and the file it renders is read as
 * Nomad reads an `env = true` template: with go-envparse's rules, written out below from its
 * README and documented behaviour (KEY=value lines, # comments outside quotes, single quotes
 * literal, double quotes with only \\ \" \n \t as escapes, any control character refused).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { getPart } from '../../src/parts/index.js';
import { renderProject } from '../../src/render/index.js';
import { goBinary, goEnv } from '../helpers/go.js';
import { block, literal, nomadJob, parseHcl } from '../helpers/hcl.js';
import { answersFor, templates, testFacts } from '../helpers/render.js';

const env = goEnv();

/** An env file as Nomad's client reads it; throws where it refuses the file (the task fails). */
function readNomadEnvFile(text: string): Map<string, string> {
  const out = new Map<string, string>();
  text.split('\n').forEach((rawLine, i) => {
    const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine; // as bufio.ScanLines
    if (line.length === 0) return;
    const eq = line.indexOf('=');
    if (eq < 0) throw new Error(`line ${i + 1}: missing "="`);
    const key = line.slice(0, eq).trim().replace(/^export /, '');
    if (!/^[A-Za-z_]/.test(key)) throw new Error(`line ${i + 1}: bad key ${JSON.stringify(key)}`);
    out.set(key, readValue(line.slice(eq + 1).trim(), i + 1));
  });
  return out;
}

function readValue(value: string, line: number): string {
  let out = '';
  let significant = 0; // unquoted whitespace before a comment is dropped
  let mode: 'plain' | 'double' | 'single' | 'escape' = 'plain';
  for (const ch of value) {
    if (ch.charCodeAt(0) < 32) throw new Error(`line ${line}: control character 0x${ch.charCodeAt(0).toString(16)}`);
    if (mode === 'plain') {
      if (ch === '"') mode = 'double';
      else if (ch === "'") mode = 'single';
      else if (ch === '#') return out.slice(0, significant);
      else {
        out += ch;
        if (ch !== ' ' && ch !== '\t') significant = out.length;
      }
    } else if (mode === 'double') {
      if (ch === '"') mode = 'plain';
      else if (ch === '\\') mode = 'escape';
      else significant = (out += ch).length;
    } else if (mode === 'single') {
      if (ch === "'") mode = 'plain';
      else significant = (out += ch).length;
    } else {
      const escapes: Record<string, string> = { '"': '"', '\\': '\\', n: '\n', t: '\t' };
      if (!(ch in escapes)) throw new Error(`line ${line}: invalid escape sequence \\${ch}`);
      significant = (out += escapes[ch]).length;
      mode = 'double';
    }
  }
  if (mode !== 'plain') throw new Error(`line ${line}: unterminated ${mode === 'escape' ? 'escape' : 'quote'}`);
  return out;
}

/** The template data of the job rendered for these secrets, as the HCL parser reads it. */
async function templateData(secrets: string[], vaultKv: 1 | 2): Promise<string> {
  const a = await answersFor({ secrets, vaultKv });
  const tree = renderProject(a, await templates(), { facts: testFacts, generatorVersion: '0.0.0-test', parts: [getPart('nomad')] });
  const job = nomadJob(await parseHcl(tree.get(`deploy/nomad/${a.name}.nomad.hcl`)!.content, 'job.nomad.hcl'));
  return literal(block(job.task, 'template').data);
}

function runTemplate(template: string, secrets: Record<string, unknown>): { ok: true; text: string } | { ok: false; error: string } {
  const run = spawnSync(goBinary(), ['run', join(import.meta.dirname, 'go', 'nomad-template.go')], { input: JSON.stringify({ template, secrets }), env, encoding: 'utf8', timeout: 120_000 });
  if (run.error) throw run.error;
  return run.status === 0 ? { ok: true, text: run.stdout } : { ok: false, error: run.stderr.trim() };
}

// Passwords as generators and people make them, and what broke before: Go's JSON writes < > &
// as \u003c \u003e \u0026, which go-envparse refuses.
const values: Record<string, unknown> = {
  HTML: 'p<a>ss&word',
  QUOTES: `"double" and 'single'`,
  HASH: 'abc #not-a-comment',
  BACKSLASH: String.raw`C:\path\u003c\n`,
  LINES: '-----BEGIN KEY-----\nMIIB\n-----END KEY-----\n',
  TAB: 'a\tb',
  SPACES: '  padded  ',
  DOLLAR: '$HOME ${X} %{y} {{ .Data }}',
  UNICODE: 'é✓ 密码 \u2028 \u2029',
  EMPTY: '',
  NUMBER: 1234567890123,
};

describe('secrets exported by the Nomad job (N03)', () => {
  for (const kv of [2, 1] as const) {
    it(`reach the app unchanged, whatever characters they hold (KV v${kv})`, async () => {
      const names = Object.keys(values);
      const data = await templateData(names, kv);
      const secrets = Object.fromEntries(names.map((name) => {
        const path = kv === 2 ? `secret/data/my-svc/${name}` : `secret/my-svc/${name}`;
        return [path, kv === 2 ? { data: { value: values[name] }, metadata: { version: 1 } } : { value: values[name] }];
      }));
      const rendered = runTemplate(data, secrets);
      expect(rendered).toMatchObject({ ok: true });
      const read = readNomadEnvFile((rendered as { text: string }).text);
      expect(Object.fromEntries(read)).toEqual(Object.fromEntries(names.map((n) => [n, String(values[n])])));
    });
  }

  it('stop the task, rather than reach it altered, when a secret holds a carriage return', async () => {
    const data = await templateData(['CRLF'], 2);
    const rendered = runTemplate(data, { 'secret/data/my-svc/CRLF': { data: { value: 'line1\r\nline2' } } });
    expect(rendered).toMatchObject({ ok: true });
    expect(() => readNomadEnvFile((rendered as { text: string }).text)).toThrow(/control character 0xd/);
  });

  it('fail the render when Vault has no "value" key (error_on_missing_key)', async () => {
    const data = await templateData(['API_KEY'], 2);
    expect(runTemplate(data, { 'secret/data/my-svc/API_KEY': { data: { other: 'x' } } })).toMatchObject({ ok: false, error: expect.stringMatching(/map has no entry for key "value"/) });
  });

  it('are read as Nomad reads env files', () => {
    // The reader itself, on go-envparse's documented examples and refusals.
    expect(Object.fromEntries(readNomadEnvFile('KEY = This is ok! # comment\nKEY2= Also ok.    \nexport FOO=bar\n\nQ="a\\"b\\\\c\\nd\\te"\nS=\'it\'"\'"\'s\'\n'))).toEqual({ KEY: 'This is ok!', KEY2: 'Also ok.', FOO: 'bar', Q: 'a"b\\c\nd\te', S: "it's" });
    expect(() => readNomadEnvFile('A="\\u003c"')).toThrow(/invalid escape sequence \\u/);
    expect(() => readNomadEnvFile('A="open')).toThrow(/unterminated/);
  });
});
