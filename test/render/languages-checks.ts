/**
 * Structural checks shared by the per-language Dockerfile tests (languages-<lang>.test.ts): the
 * rendered Dockerfile goes through dockerfile-ast and dockerfile-utils (the parser and validator of
 * the Docker language server), then the D-rules that can be read off its structure are asserted.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DockerfileParser, type Instruction } from 'dockerfile-ast';
import { validate, ValidationSeverity } from 'dockerfile-utils';
import { afterAll, expect } from 'vitest';
import { identityOf, type BaseFamily, type LanguageId } from '../../src/languages.js';
import { languagePins } from '../../src/pins.js';
import type { FileTree } from '../../src/render/index.js';

export interface Stage {
  name: string | null;
  image: string;
  instructions: Instruction[];
}

export interface ParsedDockerfile {
  args: Map<string, string>;
  stages: Stage[];
  final: Stage;
  lines: string[];
}

/** Parse, validate (no errors) and split into stages, resolving FROM images through the top ARGs. */
export function parseDockerfile(text: string): ParsedDockerfile {
  const errors = validate(text).filter((d) => d.severity === ValidationSeverity.ERROR);
  expect(errors.map((d) => `line ${d.range.start.line + 1}: ${d.message}`)).toEqual([]);
  const dockerfile = DockerfileParser.parse(text);
  const args = new Map<string, string>();
  for (const arg of dockerfile.getInitialARGs()) {
    const property = arg.getProperty();
    if (property) args.set(property.getName(), property.getValue() ?? '');
  }
  const stages: Stage[] = [];
  for (const instruction of dockerfile.getInstructions()) {
    const keyword = instruction.getKeyword();
    if (keyword === 'FROM') {
      const from = dockerfile.getFROMs().find((f) => f.getRange().start.line === instruction.getRange().start.line);
      const raw = from?.getImage() ?? '';
      const image = raw.replace(/^\$\{(\w+)\}$|^\$(\w+)$/, (_, a?: string, b?: string) => args.get((a ?? b)!) ?? raw);
      stages.push({ name: from?.getBuildStage() ?? null, image, instructions: [] });
    } else if (stages.length > 0) {
      stages[stages.length - 1]!.instructions.push(instruction);
    }
  }
  const final = stages[stages.length - 1];
  if (!final) throw new Error('no FROM in Dockerfile');
  return { args, stages, final, lines: text.split('\n') };
}

function args(instruction: Instruction): string {
  return instruction.getArgumentsContent() ?? '';
}

function of(stage: Stage, keyword: string): Instruction[] {
  return stage.instructions.filter((i) => i.getKeyword() === keyword);
}

/** The comment block directly above an instruction (its "why"), joined. */
function commentAbove(parsed: ParsedDockerfile, instruction: Instruction): string {
  const block: string[] = [];
  for (let line = instruction.getRange().start.line - 1; line >= 0; line--) {
    const text = parsed.lines[line]!.trim();
    if (!text.startsWith('#')) break;
    block.unshift(text);
  }
  return block.join(' ');
}

export interface Expectations {
  language: LanguageId;
  languageVersion: string;
  base: BaseFamily;
  port: number;
  /** The exec-form health check command expected in the final stage. */
  healthcheck: string[];
  entrypoint: string[];
}

/** The D-rules that hold for every language and base, asserted on one rendered Dockerfile. */
export function assertHardened(text: string, want: Expectations): ParsedDockerfile {
  const parsed = parseDockerfile(text);
  const { stages, final } = parsed;
  const pins = languagePins[want.language][want.languageVersion]!;

  // D01: every FROM resolves to the pinned image of this combination, with an explicit tag.
  expect(parsed.args.get('BUILD_IMAGE')).toBe(pins.build[want.base]);
  expect(parsed.args.get('RUNTIME_IMAGE')).toBe(pins.runtime[want.base]);
  for (const stage of stages) {
    if (stage.image === 'scratch') continue;
    expect(stage.image, 'FROM with an explicit version tag').toMatch(/^[a-z0-9./-]+:[A-Za-z0-9._-]+(@sha256:[0-9a-f]{64})?$/);
    expect(stage.image).not.toMatch(/:latest(@|$)/);
  }
  expect(final.image).toBe(pins.runtime[want.base]);

  // D02, D16: a builder stage and a final stage, unique names, COPY --from only to earlier stages.
  expect(stages.length).toBeGreaterThanOrEqual(2);
  const names = stages.map((s) => s.name);
  expect(new Set(names).size).toBe(names.length);
  stages.forEach((stage, index) => {
    for (const copy of of(stage, 'COPY')) {
      const from = /--from=(\S+)/.exec(args(copy))?.[1];
      if (from) expect(names.slice(0, index)).toContain(from);
    }
  });

  // D05: COPY only, in every stage.
  for (const stage of stages) expect(of(stage, 'ADD')).toEqual([]);

  // D06: named paths only in the final stage.
  for (const copy of of(final, 'COPY')) expect(args(copy)).not.toMatch(/(^|\s)\.\/?\s+\.\/?$/);

  // D15: every WORKDIR absolute; no cd in RUN.
  for (const stage of stages) {
    for (const workdir of of(stage, 'WORKDIR')) expect(args(workdir)).toMatch(/^\//);
    for (const run of of(stage, 'RUN')) expect(args(run)).not.toMatch(/(^|&&|;)\s*cd\s/);
  }

  // D04: the last USER of the final stage is the numeric identity, never root.
  const identity = identityOf(want.language, want.base);
  const users = of(final, 'USER');
  expect(users.length).toBeGreaterThan(0);
  const lastUser = args(users[users.length - 1]!);
  expect(lastUser).toMatch(/^\d+:\d+$/);
  expect(lastUser).toBe(`${identity.uid}:${identity.gid}`);
  expect(identity.uid).toBeGreaterThan(0);

  // Images without a shell cannot RUN anything; images with one strip setuid bits (D13) and
  // create the user with a fixed UID (D04).
  const runs = of(final, 'RUN').map(args);
  if (want.base === 'distroless' || want.base === 'scratch') {
    expect(runs).toEqual([]);
  } else {
    expect(runs.some((r) => r.includes('-perm /6000') && r.includes('chmod a-s'))).toBe(true);
    expect(runs.some((r) => r.includes(`-u ${identity.uid}`) || r.includes(`--uid ${identity.uid}`))).toBe(true);
  }

  // D11: the service port, unprivileged.
  expect(of(final, 'EXPOSE').map(args)).toEqual([String(want.port)]);
  expect(want.port).toBeGreaterThanOrEqual(1024);
  // PORT agrees with EXPOSE for apps that read their port from the environment; ASP.NET Core
  // reads ASPNETCORE_HTTP_PORTS instead, which its own test checks.
  const portEnv = of(final, 'ENV').map(args).filter((e) => /^PORT=/.test(e));
  expect(portEnv).toEqual(want.language === 'dotnet' ? [] : [`PORT=${want.port}`]);

  // D12: exactly one HEALTHCHECK, in the final stage only, exec form, no curl or wget.
  for (const stage of stages.slice(0, -1)) expect(of(stage, 'HEALTHCHECK')).toEqual([]);
  const healthchecks = of(final, 'HEALTHCHECK');
  expect(healthchecks).toHaveLength(1);
  const probe = /\bCMD\s+(\[.*\])\s*$/.exec(args(healthchecks[0]!))?.[1];
  expect(probe, 'HEALTHCHECK CMD in exec form').toBeDefined();
  const probeArgv = JSON.parse(probe!) as unknown;
  expect(probeArgv).toEqual(want.healthcheck);
  expect(want.healthcheck.join(' ')).not.toMatch(/curl|wget/);

  // D10: one ENTRYPOINT, exec form, no CMD shell form.
  const entrypoints = of(final, 'ENTRYPOINT');
  expect(entrypoints).toHaveLength(1);
  expect(JSON.parse(args(entrypoints[0]!)) as unknown).toEqual(want.entrypoint);
  for (const cmd of of(final, 'CMD')) expect(args(cmd)).toMatch(/^\[/);

  // D07: no ENV or ARG that looks like a secret.
  for (const stage of stages) {
    for (const instruction of [...of(stage, 'ENV'), ...of(stage, 'ARG')]) {
      expect(args(instruction)).not.toMatch(/PASSWORD|SECRET|TOKEN|PRIVATE|_KEY\b/i);
    }
  }
  // D14: no MAINTAINER; the OCI labels are present.
  expect(stages.flatMap((s) => of(s, 'MAINTAINER'))).toEqual([]);
  for (const label of ['created', 'revision', 'source', 'version', 'title']) expect(text).toContain(`org.opencontainers.image.${label}=`);

  // House rule: every hardening instruction says which rule it serves in the comment above it.
  // A run of the same instruction (e.g. several COPY lines) may share one comment.
  for (const stage of stages) {
    stage.instructions.forEach((instruction, index) => {
      if (!['RUN', 'COPY', 'WORKDIR', 'USER', 'EXPOSE', 'HEALTHCHECK', 'ENTRYPOINT'].includes(instruction.getKeyword())) return;
      let first = index;
      while (first > 0 && stage.instructions[first - 1]!.getKeyword() === instruction.getKeyword() && commentAbove(parsed, stage.instructions[first]!) === '') first--;
      expect(commentAbove(parsed, stage.instructions[first]!), `rule ID above: ${instruction.getTextContent()}`).toMatch(/\b[DICNVSP]\d\d\b/);
    });
  }
  return parsed;
}

/** A port that is free right now, found by letting the OS pick one. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '0.0.0.0', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function sleep(ms: number): Promise<void> {
  await new Promise((r) => setTimeout(r, ms));
}

/** Wait until the process exits (its exit code, or the signal name), at most `ms`. */
function exited(child: ChildProcess, ms: number): Promise<number | string> {
  return new Promise((resolve, reject) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve(child.exitCode ?? child.signalCode!);
      return;
    }
    const timer = setTimeout(() => reject(new Error(`process still running after ${ms} ms`)), ms);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(code ?? signal!);
    });
  });
}

export interface SeedRun {
  /** The health path's status while the server runs. */
  healthStatus: number;
  healthBody: string;
  /** The health answer's headers, names in lower case. */
  healthHeaders: Record<string, string>;
  /** The exit code of the image's health command while the server runs, and after it stopped. */
  probeWhileUp: number;
  probeAfterStop: number;
  /** How the server ended after SIGTERM: exit code or signal name. */
  stopResult: number | string;
  output: string;
}

/**
 * Start a seed server on 127.0.0.1 (it binds all interfaces; only loopback is used), wait for its
 * health path, run the image's health command, stop it with SIGTERM. Every wait is bounded.
 */
export async function exerciseSeed(cwd: string, start: string[], probe: string[], port: number, healthPath: string, extraEnv: Record<string, string> = {}): Promise<SeedRun> {
  const env = { ...process.env, ...extraEnv };
  const child = spawn(start[0]!, start.slice(1), { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  try {
    let response: Response | undefined;
    for (let attempt = 0; attempt < 100 && !response; attempt++) {
      if (child.exitCode !== null) throw new Error(`server exited early (${child.exitCode}): ${output}`);
      response = await fetch(`http://127.0.0.1:${port}${healthPath}`, { signal: AbortSignal.timeout(1000) }).catch(() => undefined);
      if (!response) await sleep(100);
    }
    if (!response) throw new Error(`server never answered on ${port}: ${output}`);
    const healthBody = await response.text();
    const probeWhileUp = runProbe(cwd, probe, env);
    child.kill('SIGTERM');
    const stopResult = await exited(child, 8000);
    const probeAfterStop = runProbe(cwd, probe, env);
    return { healthStatus: response.status, healthBody, healthHeaders: Object.fromEntries(response.headers), probeWhileUp, probeAfterStop, stopResult, output };
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}

/**
 * What a seed must do: answer its health path, pass its probe, say it started, stop on SIGTERM
 * (exit 0 unless the runtime's convention differs), and fail the probe once stopped.
 */
export function expectHealthySeed(run: SeedRun, port: number, runtime: { stopResult?: number | string; started?: string } = {}): void {
  expect(run.healthStatus).toBe(200);
  expect(run.healthBody).toBe('ok\n');
  expect(run.probeWhileUp).toBe(0);
  expect(run.stopResult).toBe(runtime.stopResult ?? 0);
  expect(run.probeAfterStop).toBe(1);
  expect(run.output).toContain(runtime.started ?? `listening on ${port}`);
}

/**
 * A compiled probe against a server that is not the seed: `probeFor(port, healthPath)` builds the
 * probe for that path and returns the command that runs it. 0 only for a 200; 1 for a 503, a
 * redirect (the first answer decides) and a path the server does not know.
 */
export async function expectProbeVerdicts(probeFor: (port: number, healthPath: string) => Promise<string[]>): Promise<void> {
  const { createServer: createHttpServer } = await import('node:http');
  const server = createHttpServer((req, res) => {
    if (req.url === '/moved') res.writeHead(302, { location: '/healthz' });
    else res.writeHead(req.url === '/healthz' ? 200 : req.url === '/busy' ? 503 : 404, { 'content-type': 'text/plain' });
    res.end('x');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  try {
    for (const [healthPath, expected] of [['/healthz', 0], ['/busy', 1], ['/moved', 1], ['/nope', 1]] as const) {
      const [command, ...args] = await probeFor(port, healthPath);
      // The probe runs while this process serves, so it must not block the event loop: spawn, not spawnSync.
      const code = await new Promise<number | null>((resolve) => spawn(command!, args, { stdio: 'ignore' }).on('exit', resolve));
      expect(code, healthPath).toBe(expected);
    }
  } finally {
    server.close();
  }
}

function runProbe(cwd: string, probe: string[], env: NodeJS.ProcessEnv): number {
  const result = spawnSync(probe[0]!, probe.slice(1), { cwd, env, timeout: 10_000 });
  return result.status ?? -1;
}

/** Write rendered files into a fresh temporary directory (removed by the caller). */
export async function writeTree(tree: FileTree, only?: (path: string) => boolean): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'css-seed-'));
  for (const [path, file] of tree) {
    if (only && !only(path)) continue;
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), file.content, { mode: file.mode });
  }
  return dir;
}

/** Folders a describe block makes, removed once its tests are done (call it inside the describe). */
export function removedAfterAll(): string[] {
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });
  return dirs;
}
