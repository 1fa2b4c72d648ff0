/**
 * Helpers for the `add` tests: fixture repositories copied to temporary folders, the command run
 * in-process with a recording Ui, before/after snapshots, and the real-parser checks of a
 * hardened set written into a project.
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parseCli } from '../../src/cli/args.js';
import { ExitCode, UserError } from '../../src/errors.js';
import { identityOf } from '../../src/languages.js';
import type { Manifest } from '../../src/manifest.js';
import { questions, type Answers } from '../../src/questions.js';
import { buildContext } from '../../src/render/context.js';
import type { Ui } from '../../src/ui.js';
import { composeViolations, mergeCompose, parseCompose, schemaErrors, untag } from '../helpers/compose.js';
import { dockerfileViolations } from '../helpers/dockerfile.js';
import { nomadJob, parseHcl, policyRules } from '../helpers/hcl.js';
import { repoRoot, testFacts } from '../helpers/render.js';

export const fixtures = join(repoRoot, 'test/fixtures/repos');

/**
 * A temporary HOME with a git identity and an SSH public key, so runs never read the real user's
 * config; set once per test file (vitest runs each file in its own process).
 */
export function isolateHome(): string {
  const home = mkdtempSync(join(tmpdir(), 'css-add-home-'));
  mkdirSync(join(home, '.ssh'));
  writeFileSync(join(home, '.ssh', 'id_ed25519.pub'), `${testFacts.signerPublicKey} dev@example.com\n`);
  writeFileSync(join(home, '.gitconfig'), '[user]\n\tname = Dev\n\temail = dev@example.com\n[init]\n\tdefaultBranch = main\n');
  process.env.HOME = home;
  process.env.GIT_CONFIG_GLOBAL = join(home, '.gitconfig');
  process.env.GIT_CONFIG_NOSYSTEM = '1';
  return home;
}

/** A copy of a fixture repository at `<dir>/<name>` (the folder name is part of what is detected). */
export function copyFixture(name: string, into: string): string {
  const target = join(into, name);
  cpSync(join(fixtures, name), target, { recursive: true });
  return target;
}

export interface Run {
  code: number;
  out: string;
  err: string;
}

/** `create-secure-service add ...` in this process, without a terminal. */
export async function runAdd(argv: string[]): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const plain = { bold: (s: string) => s, dim: (s: string) => s, green: (s: string) => s, yellow: (s: string) => s, red: (s: string) => s, cyan: (s: string) => s };
  const ui: Ui = {
    info: (l) => out.push(l),
    warn: (l) => err.push(`warning: ${l}`),
    error: (l) => err.push(`error: ${l}`),
    step: (_label, run) => run(),
    color: plain,
  };
  let code: number;
  try {
    const { run } = await import('../../src/commands/add.js');
    code = await run(parseCli(['add', ...argv], questions), ui, { interactive: false });
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    err.push(`error: ${error.message}`);
    code = error.exitCode;
  }
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** Every file under dir (except .git) with its bytes. */
export function snapshot(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.name === '.git') continue;
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else files[relative(dir, p)] = readFileSync(p, 'base64');
    }
  };
  walk(dir);
  return files;
}

export function readManifest(root: string): Manifest {
  return JSON.parse(readFileSync(join(root, '.secure-service/manifest.json'), 'utf8')) as Manifest;
}

/**
 * The hardened set in `root`, checked with the real parsers and rule checkers: the Dockerfile
 * (D01-D16), every compose file against the compose-spec schema and the merged models against
 * C01-C11, the Nomad job and the Vault policy with the HCL2 parser.
 */
export async function hardenedSetProblems(root: string, a: Answers, dockerfile = 'Dockerfile'): Promise<string[]> {
  const read = (p: string) => readFileSync(join(root, p), 'utf8');
  const { uid, gid } = identityOf(a.language, a.base);
  const problems = dockerfileViolations(read(dockerfile), { port: a.port, uid, gid }).map((v) => `${dockerfile}: ${v}`);
  const ctx = buildContext(a, testFacts, '0.0.0-test');
  const parsed = Object.fromEntries(['compose.yaml', 'compose.override.yaml', 'compose.test.yaml', 'compose.prod.yaml'].map((f) => [f, parseCompose(read(f), f)]));
  for (const [f, doc] of Object.entries(parsed)) {
    if (f === 'compose.yaml') problems.push(...schemaErrors(untag(doc)).map((e) => `${f}: schema: ${e}`));
  }
  const base = parsed['compose.yaml']!;
  problems.push(...schemaErrors(mergeCompose(base)).map((e) => `compose.yaml: schema: ${e}`));
  for (const [over, allowBindMounts] of [['compose.override.yaml', true], ['compose.test.yaml', false], ['compose.prod.yaml', false]] as const) {
    const model = mergeCompose(base, parsed[over]!);
    problems.push(...schemaErrors(model).map((e) => `compose.yaml + ${over}: schema: ${e}`));
    problems.push(...composeViolations(model, ctx, { allowBindMounts }).map((v) => `compose.yaml + ${over}: ${v}`));
  }
  problems.push(...composeViolations(mergeCompose(base), ctx, { allowBindMounts: false }).map((v) => `compose.yaml: ${v}`));
  const job = nomadJob(await parseHcl(read(`deploy/nomad/${a.name}.nomad.hcl`), `${a.name}.nomad.hcl`));
  if (job.name !== a.name) problems.push(`nomad: job is named ${job.name}`);
  const rules = policyRules(await parseHcl(read(`deploy/vault/${a.name}.policy.hcl`), `${a.name}.policy.hcl`));
  for (const [path, caps] of rules) if (caps.some((c) => c !== 'read' && c !== 'list')) problems.push(`vault: ${path} grants ${caps.join(', ')}`);
  return problems;
}

export { ExitCode };
