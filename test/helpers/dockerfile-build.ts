/**
 * Runs the build stages of a generated Dockerfile on this machine, without Docker, to prove that
 * each step works with only the files copied by the time it runs. Every stage gets a folder that
 * stands for its root file system: COPY takes paths from the build context (through its
 * .dockerignore) or from an earlier stage's folder, RUN runs in /bin/sh with its --mount flags
 * dropped (cache mounts only keep caches between builds) and the absolute paths of the stage
 * (WORKDIR, /out, /build, /src) moved into its folder, with the stage's ENV (`env` overriding it);
 * a stage FROM an earlier one starts as a copy of it. The final stage is not run: it only copies
 * what the build stages made, and its base image's tools are not here.
 */
import dockerignore from '@balena/dockerignore';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { parseDockerfile } from '../../src/check/dockerfile.js';

const ignore = (dockerignore as unknown as { default: typeof dockerignore.default }).default;

export interface StepResult {
  stage: string;
  line: number;
  instruction: string;
  status: number;
  output: string;
}

/** Absolute paths the generated build stages use, moved under the stage's folder in RUN commands. */
const stagePaths = /(^|[\s=])\/(out|build|src)(?=\/|\s|$)/g;

/**
 * Runs every stage but the last, in order; stops at the first step that fails (its result is the
 * last one returned). `root` is an empty scratch folder; `env` is added to the RUN environment.
 */
export function runBuildStages(text: string, context: string, root: string, env: NodeJS.ProcessEnv = {}): StepResult[] {
  const { stages } = parseDockerfile(text);
  const ignoreFile = join(context, '.dockerignore');
  const ignored = ignore({ ignorecase: false }).add(existsSync(ignoreFile) ? readFileSync(ignoreFile, 'utf8') : '');
  const folders = new Map<string, string>();
  const states = new Map<string, { workdir: string; env: NodeJS.ProcessEnv }>();
  const results: StepResult[] = [];
  for (const stage of stages.slice(0, -1)) {
    const name = stage.name ?? String(stage.index);
    const fs = join(root, `stage-${stage.index}-${name}`);
    mkdirSync(fs, { recursive: true });
    folders.set(name, fs);
    // A stage FROM an earlier one starts from its files, working directory and ENV.
    const parent = folders.get(stage.image);
    if (parent !== undefined) cpSync(parent, fs, { recursive: true, verbatimSymlinks: true });
    let workdir = states.get(stage.image)?.workdir ?? '/';
    const stageEnv: NodeJS.ProcessEnv = { ...states.get(stage.image)?.env };
    states.set(name, { get workdir() { return workdir; }, env: stageEnv });
    const inStage = (path: string) => join(fs, path.startsWith('/') ? path : join(workdir, path));
    for (const instruction of stage.instructions) {
      const step = (status: number, output = '') => {
        results.push({ stage: name, line: instruction.line, instruction: `${instruction.keyword} ${instruction.args}`, status, output });
        return status === 0;
      };
      if (instruction.keyword === 'WORKDIR') {
        workdir = instruction.args;
        mkdirSync(inStage('.'), { recursive: true });
      } else if (instruction.keyword === 'COPY') {
        const from = instruction.flags.find((f) => f.name === 'from')?.value ?? undefined;
        const words = instruction.args.split(/\s+/);
        const dest = words.pop()!;
        const base = from === undefined ? context : folders.get(from);
        if (base === undefined) return (step(1, `no stage ${from}`), results);
        const sources = words.flatMap((w) => expand(base, w.replace(/^\//, '')));
        if (sources.length === 0 && !words.every((w) => w.includes('*'))) return (step(1, `nothing to copy for ${words.join(' ')}`), results);
        const into = dest.endsWith('/') || sources.length > 1 || words.length > 1;
        for (const source of sources) {
          const target = into && !statSync(source).isDirectory() ? join(inStage(dest), basename(source)) : inStage(dest);
          const filter = (path: string) => from !== undefined || !ignored.ignores(relative(context, path) || '.');
          if (!filter(source)) continue;
          cpSync(source, target, { recursive: true, filter });
        }
        step(0);
      } else if (instruction.keyword === 'ENV') {
        for (const [, key, value] of instruction.args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=(\S*)/g)) stageEnv[key!] = value!.replace(stagePaths, (_, before: string, top: string) => `${before}${fs}/${top}`);
        step(0);
      } else if (instruction.keyword === 'RUN') {
        const command = instruction.args.replace(stagePaths, (_, before: string, top: string) => `${before}${fs}/${top}`);
        const run = spawnSync('/bin/sh', ['-c', command], { cwd: inStage('.'), encoding: 'utf8', env: { ...process.env, ...stageEnv, ...env }, timeout: 300_000 });
        if (!step(run.status ?? 1, `${run.stdout}${run.stderr}`)) return results;
      }
    }
  }
  return results;
}

/** A COPY source: a path, or a pattern with `*` in its last segment (BuildKit accepts one that matches nothing). */
function expand(base: string, path: string): string[] {
  if (!path.includes('*')) return existsSync(join(base, path)) ? [join(base, path)] : [];
  const dir = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
  const pattern = new RegExp(`^${basename(path).replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')}$`);
  const folder = join(base, dir);
  return existsSync(folder) ? readdirSync(folder).filter((f) => pattern.test(f)).sort().map((f) => join(folder, f)) : [];
}
