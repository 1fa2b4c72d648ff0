/**
 * Template upgrades simulated in a test: a project generated with template set A (the real
 * templates) into a temp folder, edited as a user would, then updated with set B, a copy of A
 * changed in memory (and, for new or moved outputs, changed parts).
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll } from 'vitest';
import { realDisk } from '../../src/disk.js';
import { withManifest } from '../../src/manifest.js';
import { parts as realParts, type Part } from '../../src/parts/index.js';
import type { OutputFile } from '../../src/parts/part.js';
import { planWrites } from '../../src/plan.js';
import type { Answers } from '../../src/questions.js';
import type { Facts } from '../../src/render/index.js';
import { renderProject } from '../../src/render/index.js';
import { compileTemplates } from '../../src/render/compile-templates.js';
import type { TemplateSet } from '../../src/render/templates.js';
import type { AnswerChanges } from '../../src/update/answers.js';
import { runUpdate, type UpdateReport } from '../../src/update/run.js';
import { writePlan } from '../../src/write.js';
import { answersFor, templateSources, templates, testFacts } from '../helpers/render.js';

export const V1 = '1.0.0';
export const V2 = '1.1.0';

const work = mkdtempSync(join(tmpdir(), 'css-update-'));
let counter = 0;
afterAll(() => rmSync(work, { recursive: true, force: true }));

export function tempDir(): string {
  return join(work, `p${++counter}`);
}

/** A project as `create --yes` would write it with these answers, from the given templates. */
export async function generate(flags: Partial<Record<keyof Answers, unknown>> = {}, options: { templates?: TemplateSet; parts?: readonly Part[]; root?: string; facts?: Facts } = {}): Promise<string> {
  const root = options.root ?? tempDir();
  const a = await answersFor({ name: 'svc', ...flags });
  const tree = withManifest(renderProject(a, options.templates ?? (await templates()), { facts: options.facts ?? testFacts, generatorVersion: V1, ...(options.parts ? { parts: options.parts } : {}) }), a, V1, { facts: options.facts ?? testFacts });
  const disk = await realDisk();
  await writePlan(await planWrites(tree, root, disk), disk);
  return root;
}

/** Template set B: a copy of the real set with each named template changed by its function. */
export async function upgraded(edits: Record<string, (source: string) => string>): Promise<TemplateSet> {
  const set = new Map(await templateSources());
  for (const [name, edit] of Object.entries(edits)) {
    const source = set.get(name);
    if (source === undefined) throw new Error(`no template ${name}`);
    const next = edit(source);
    if (next === source) throw new Error(`the edit of ${name} changed nothing`);
    set.set(name, next);
  }
  return compileTemplates(set);
}

/** Replace exactly one occurrence (the test fails loudly when a template no longer has the text). */
export function replaceOnce(from: string, to: string): (source: string) => string {
  return (source) => {
    const count = source.split(from).length - 1;
    if (count !== 1) throw new Error(`expected one ${JSON.stringify(from)}, found ${count}`);
    return source.replace(from, () => to);
  };
}

/** The real parts, with one part's outputs changed (added, moved or dropped). */
export function withOutputs(partId: Part['id'], change: (outputs: OutputFile[], a: Answers) => OutputFile[]): Part[] {
  return realParts.map((p) => (p.id === partId ? { ...p, outputs: (a, t) => change(p.outputs(a, t), a) } : p));
}

export interface UpdateOptions {
  templates?: TemplateSet;
  parts?: readonly Part[];
  version?: string;
  mode?: 'apply' | 'dry-run' | 'check';
  changes?: AnswerChanges;
  /** The machine's facts, used when none are recorded (or answers they depend on change); testFacts by default. */
  machineFacts?: Facts;
}

export async function update(root: string, options: UpdateOptions = {}): Promise<UpdateReport> {
  return runUpdate({
    root,
    disk: await realDisk(),
    templates: options.templates ?? (await templates()),
    generatorVersion: options.version ?? V2,
    ...(options.parts ? { parts: options.parts } : {}),
    changes: options.changes ?? { yes: true },
    facts: async (_answers, recorded) => recorded ?? options.machineFacts ?? testFacts,
    mode: options.mode ?? 'apply',
  });
}

export const read = (root: string, path: string): string => readFileSync(join(root, path), 'utf8');
export const write = (root: string, path: string, content: string): void => writeFileSync(join(root, path), content);
export const exists = (root: string, path: string): boolean => existsSync(join(root, path));
export const modeOf = (root: string, path: string): number => lstatSync(join(root, path)).mode & 0o7777;
export { chmodSync };

/** Edit a project file as a user would: replace exactly one occurrence. */
export function edit(root: string, path: string, from: string, to: string): void {
  write(root, path, replaceOnce(from, to)(read(root, path)));
}

/** Every file under dir with its mode and bytes, for before/after comparisons. */
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) {
        if (e.name !== '.git') walk(p);
      } else out[relative(dir, p)] = `${(lstatSync(p).mode & 0o7777).toString(8)} ${readFileSync(p, 'base64')}`;
    }
  };
  walk(dir);
  return out;
}

export const actions = (report: UpdateReport): Record<string, string> =>
  Object.fromEntries(report.outcomes.filter((o) => (o.action !== 'same' && o.action !== 'kept') || o.from !== undefined).map((o) => [o.from ? `${o.from} -> ${o.path}` : o.path, o.action]));

export function git(root: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd: root, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' } });
}
