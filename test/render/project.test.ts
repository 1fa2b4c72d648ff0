/**
 * The project part: SECURITY.md (P02) names every rule the other files apply and its commands
 * parse; .gitignore is checked by real git (nothing generated is ignored except the secret values,
 * every secret is); the env files are parsed by Node's own dotenv parser (util.parseEnv).
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseEnv } from 'node:util';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { languages } from '../../src/languages.js';
import type { Answers } from '../../src/questions.js';
import type { FileTree } from '../../src/render/index.js';
import { answersFor, fileOf, render } from '../helpers/render.js';

type Flags = Partial<Record<keyof Answers, unknown>>;

const range = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${String(i + 1).padStart(2, '0')}`);
/** Every rule ID of RULES.md except the signing ones, which depend on the answers. */
const alwaysApplies = [...range('D', 16), ...range('I', 3), ...range('C', 11), ...range('N', 6), ...range('V', 3), 'P01', 'P02'];
const signingRules = range('S', 3);
const allRules = new Set([...alwaysApplies, ...signingRules]);

const answerSets: Record<string, Flags> = {
  defaults: {},
  'python-postgres-kv2': { name: 'orders', language: 'python', secrets: ['API_TOKEN', 'STRIPE_KEY'], services: ['postgres'] },
  'go-scratch-redis-kv1-gpg': { name: 'edge', language: 'go', services: ['redis'], vaultKv: '1', vaultMount: 'kv', signing: 'gpg', signingKey: 'ABCDEF0123456789' },
  'java-distroless-none': { name: 'ledger', language: 'java', base: 'distroless', secrets: ['DB_URL'], signing: 'none' },
  'node-all-services': { name: 'shop', services: ['postgres', 'redis', 'mongo'], secrets: ['SESSION_KEY'] },
};

/** The rule IDs in the first column of SECURITY.md's tables: `| D01 | ... |`. */
function tableRules(markdown: string): Map<string, string> {
  const rows = new Map<string, string>();
  for (const m of markdown.matchAll(/^\| ([A-Z]\d{2}) \| (.+) \|$/gm)) rows.set(m[1]!, m[2]!);
  return rows;
}

/** Fenced code blocks by info string. */
function fences(markdown: string): { lang: string; body: string }[] {
  return [...markdown.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map((m) => ({ lang: m[1]!, body: m[2]! }));
}

/** Cells of a Markdown table row, ignoring pipes inside inline code. */
function cells(row: string): number {
  let count = 0;
  let inCode = false;
  for (const ch of row) {
    if (ch === '`') inCode = !inCode;
    else if (ch === '|' && !inCode) count += 1;
  }
  return count - 1;
}

function expectWellFormedMarkdown(markdown: string, what: string): void {
  const fenceLines = markdown.split('\n').filter((l) => l.startsWith('```'));
  expect(fenceLines.length % 2, `${what}: unbalanced code fences`).toBe(0);
  // Every table row has as many cells as its header.
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!/^\|.*\|$/.test(lines[i]!) || !/^\|(-+\|)+$/.test(lines[i + 1] ?? '')) continue;
    const width = cells(lines[i]!);
    for (let j = i + 2; j < lines.length && lines[j]!.startsWith('|'); j++) {
      expect(cells(lines[j]!), `${what}: ${lines[j]}`).toBe(width);
    }
  }
}

async function sh(args: string[], cwd: string, input?: string) {
  const r = await execa(args[0]!, args.slice(1), { cwd, reject: false, input, stdin: input === undefined ? 'ignore' : undefined });
  return { exitCode: r.exitCode ?? 1, stdout: String(r.stdout), stderr: String(r.stderr) };
}

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'css-project-'));
});
afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('SECURITY.md', () => {
  for (const [set, flags] of Object.entries(answerSets)) {
    it(`lists every applicable rule with an explanation, and its commands parse (${set})`, async () => {
      const a = await answersFor(flags);
      const tree = await render(flags);
      const md = fileOf(tree, 'SECURITY.md');
      const rows = tableRules(md);

      for (const id of alwaysApplies) expect(rows.get(id), `${id} missing from SECURITY.md`).toMatch(/\w.{20,}/);
      for (const id of signingRules) {
        if (a.signing === 'none') expect(rows.get(id)).toMatch(/^Not applied/);
        else expect(rows.get(id), `${id} missing`).toMatch(/\w.{20,}/);
      }
      expect([...rows.keys()].filter((id) => !allRules.has(id))).toEqual([]);

      // Every rule ID a generated file cites in its comments is explained here.
      const cited = new Set<string>();
      for (const file of tree.values()) {
        if (file.path === 'SECURITY.md' || file.path.endsWith('.json')) continue;
        for (const m of file.content.matchAll(/\b([DICNVSP]\d{2})\b/g)) if (allRules.has(m[1]!)) cited.add(m[1]!);
      }
      expect(cited.size).toBeGreaterThan(30);
      expect([...cited].filter((id) => !rows.has(id))).toEqual([]);

      // The commands to run and verify each file.
      expect(md).toContain(`docker compose -f compose.yaml -f compose.prod.yaml config`);
      expect(md).toContain(`nomad job run -var 'image=`);
      expect(md).toContain(` deploy/nomad/${a.name}.nomad.hcl`);
      expect(md).toContain(`vault policy write ${a.name}-read deploy/vault/${a.name}.policy.hcl`);
      expect(md).toContain(`vault write auth/jwt-nomad/role/${a.vaultRole} -`);
      expect(md).toMatch(/rebuild, don't patch/i);
      if (a.signing === 'none') {
        expect(md).not.toContain('git verify-commit');
      } else {
        expect(md).toContain('git verify-commit HEAD');
        expect(md).toContain('scripts/verify-signatures.sh');
        expect(md).toContain('Require signed commits');
      }
      expect(md.includes('.allowed_signers')).toBe(a.signing === 'ssh');
      expect(md).toContain(a.vaultKv === 2 ? `${a.vaultMount}/data/${a.name}/` : `\`${a.vaultMount}/${a.name}/<NAME>\``);
      for (const s of a.services) expect(md).toContain(`secrets/${s}_password`);

      expectWellFormedMarkdown(md, 'SECURITY.md');
      const blocks = fences(md);
      for (const block of blocks.filter((b) => b.lang === 'sh')) {
        const parsed = await sh(['sh', '-n'], tmp, block.body);
        expect(parsed.exitCode, `sh -n failed: ${parsed.stderr}\n${block.body}`).toBe(0);
        // The Vault role definition is real JSON naming the policy and the job.
        const role = /<<'EOF'\n([\s\S]*?)\nEOF/.exec(block.body)?.[1];
        if (role) {
          const json = JSON.parse(role) as Record<string, unknown>;
          expect(json).toMatchObject({ role_type: 'jwt', token_policies: [`${a.name}-read`], bound_claims: { nomad_job_id: a.name }, token_explicit_max_ttl: 0 });
        }
      }
      expect(blocks.some((b) => /<<'EOF'/.test(b.body))).toBe(true);
      for (const block of blocks.filter((b) => b.lang === 'yaml')) expect(() => parseYaml(block.body)).not.toThrow();
    });
  }
});

describe('.gitignore, with real git', () => {
  /** What `git add -A` would stage in a repository holding these files. */
  async function staged(tree: FileTree, extra: string[], name: string): Promise<Set<string>> {
    const root = join(tmp, name);
    await mkdir(root, { recursive: true });
    await sh(['git', 'init', '-q'], root);
    for (const path of [...tree.keys(), ...extra]) {
      await mkdir(dirname(join(root, path)), { recursive: true });
      await writeFile(join(root, path), tree.get(path)?.content ?? 'secret-looking content\n');
    }
    const dry = await sh(['git', '-c', 'core.excludesFile=/dev/null', 'add', '-A', '--dry-run'], root);
    expect(dry.exitCode, dry.stderr).toBe(0);
    return new Set([...dry.stdout.matchAll(/^add '(.+)'$/gm)].map((m) => m[1]!));
  }

  const secretsAndClutter = (a: Answers) => [
    'secrets/x',
    `secrets/${a.name}.env`,
    'secrets/postgres_password',
    'secrets/nested/deep.txt',
    '.env',
    '.env.local',
    'config/prod.env',
    'server.key',
    'tls/cert.pem',
    'id_ed25519',
    '.vault-token',
    '.aws/credentials',
    '.DS_Store',
    '.secure-service.lock',
    ...languages.find((l) => l.id === a.language)!.buildOutput.map((entry) => `${entry.replace('*', 'x')}${entry.includes('*') ? '' : '/x'}`),
  ];

  for (const language of languages) {
    it(`keeps every generated file and no secret (${language.id})`, async () => {
      const flags: Flags = { name: `svc-${language.id}`, language: language.id, secrets: ['API_KEY'], services: ['postgres'] };
      const a = await answersFor(flags);
      const tree = await render(flags);
      const kept = await staged(tree, ['.secure-service/manifest.json', 'README.md', 'config/app.env.example', ...secretsAndClutter(a)], language.id);
      const expected = [...tree.keys()].filter((p) => p !== `secrets/${a.name}.env`);
      expect(expected.filter((p) => !kept.has(p)), 'generated files git would not commit').toEqual([]);
      expect(kept.has('.secure-service/manifest.json')).toBe(true);
      expect(kept.has('config/app.env.example')).toBe(true);
      expect(secretsAndClutter(a).filter((p) => kept.has(p)), 'secrets or clutter git would commit').toEqual([]);
    });
  }

  it('answers git check-ignore as the convention says', async () => {
    const tree = await render({}, ['project']);
    const root = join(tmp, 'check-ignore');
    await mkdir(root, { recursive: true });
    await sh(['git', 'init', '-q'], root);
    await writeFile(join(root, '.gitignore'), fileOf(tree, '.gitignore'));
    const ignored = async (path: string) => (await sh(['git', '-c', 'core.excludesFile=/dev/null', 'check-ignore', '-q', '--no-index', path], root)).exitCode === 0;
    expect(await ignored('secrets/x')).toBe(true);
    expect(await ignored('secrets/my-svc.env')).toBe(true);
    expect(await ignored('secrets/README.md')).toBe(false);
    expect(await ignored('.secure-service/manifest.json')).toBe(false);
    expect(await ignored('.allowed_signers')).toBe(false);
    expect(await ignored('my-svc.env.example')).toBe(false);
    expect(await ignored('my-svc.env')).toBe(true);
    expect(await ignored('node_modules/express/index.js')).toBe(true);
  });
});

describe('env files', () => {
  it('the example lists every secret name with a comment and no value; the placeholder only the app\'s own', async () => {
    const flags: Flags = { name: 'orders', secrets: ['API_TOKEN', 'STRIPE_KEY'], services: ['postgres', 'redis'] };
    const tree = await render(flags, ['project']);
    const example = fileOf(tree, 'orders.env.example');
    expect(parseEnv(example)).toEqual({ API_TOKEN: '', STRIPE_KEY: '', POSTGRES_PASSWORD: '', REDIS_PASSWORD: '' });
    const lines = example.split('\n');
    for (const [i, line] of lines.entries()) {
      if (line === '' || line.startsWith('#')) continue;
      expect(line).toMatch(/^[A-Z][A-Z0-9_]*=$/);
      expect(lines[i - 1], `no comment above ${line}`).toMatch(/^# /);
    }
    expect(tree.get('orders.env.example')!.mode).toBe(0o644);

    const placeholder = tree.get('secrets/orders.env')!;
    expect(placeholder.mode).toBe(0o600);
    expect(placeholder.strategy).toBe('seed');
    // Single quotes: compose reads a value there as it is ("$" and " #" included, docker/compose#11058).
    expect(placeholder.content).toMatch(/^# .*between the single quotes, NAME='value'/);
    expect(placeholder.content.split('\n').filter((l) => l && !l.startsWith('#'))).toEqual(["API_TOKEN=''", "STRIPE_KEY=''"]);
    // Backing-service passwords live in their own files (compose secrets), not here.
    expect(parseEnv(placeholder.content)).toEqual({ API_TOKEN: '', STRIPE_KEY: '' });
    expect(placeholder.content).toContain('secrets/postgres_password');
  });

  it('with no secrets, both files are comments only', async () => {
    const tree = await render({}, ['project']);
    expect(parseEnv(fileOf(tree, 'my-svc.env.example'))).toEqual({});
    expect(parseEnv(fileOf(tree, 'secrets/my-svc.env'))).toEqual({});
    expect(fileOf(tree, 'my-svc.env.example').split('\n').filter((l) => l && !l.startsWith('#'))).toEqual([]);
  });
});

describe('secrets/README.md', () => {
  for (const flags of [{}, { secrets: ['API_KEY'], services: ['postgres', 'mongo'] }, { secrets: ['API_KEY'], vaultKv: '1', vaultMount: 'kv' }] as Flags[]) {
    it(`explains the convention and how Vault provides the same names (${JSON.stringify(flags)})`, async () => {
      const a = await answersFor(flags);
      const readme = fileOf(await render(flags, ['project']), 'secrets/README.md');
      expectWellFormedMarkdown(readme, 'secrets/README.md');
      expect(readme).toContain('0700');
      expect(readme).toContain('0600');
      expect(readme).toContain(`\`${a.name}.env\``);
      for (const s of a.services) expect(readme).toContain(`\`${s}_password\``);
      const names = [...a.secrets, ...a.services.map((s) => `${s.toUpperCase()}_PASSWORD`)];
      for (const env of names) {
        const path = a.vaultKv === 2 ? `${a.vaultMount}/data/${a.name}/${env}` : `${a.vaultMount}/${a.name}/${env}`;
        expect(readme).toContain(`| \`${env}\` | \`${path}\` |`);
      }
      const commands = fences(readme).filter((b) => b.lang === 'sh');
      expect(commands.length).toBe(names.length > 0 ? 1 : 0);
      for (const block of commands) {
        expect((await sh(['sh', '-n'], tmp, block.body)).exitCode).toBe(0);
        expect(block.body.trim().split('\n')).toHaveLength(names.length);
      }
    });
  }
});
