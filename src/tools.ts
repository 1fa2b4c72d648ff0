/**
 * External programs: git on every run, and the optional validators (hadolint, shellcheck, docker,
 * nomad) when they are installed. A missing program is reported as null, never as a crash.
 *
 * git goes through node:child_process: loading execa costs more (~40 ms) than the git calls
 * themselves, and `create` makes them on every run (issue #6). execa runs the validators, where
 * its timeout handling (SIGTERM, then SIGKILL) matters and it is loaded only when one is installed.
 */
import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import { progress } from './progress.js';

export interface RunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

// Never let git stop to ask for credentials on a terminal the user cannot see.
const quiet = () => ({ ...process.env, GIT_TERMINAL_PROMPT: '0' });

/** Programs that did not answer in time during this run: each later call fails at once. */
const unresponsive = new Map<string, number>();

/**
 * Run a short program with no input; null when it is not installed. One that does not answer
 * within `timeoutMs` (a git wrapper waiting on a network file system, a hung credential helper) is
 * killed, and this run asks it nothing more: `create` calls git several times, a minute each.
 */
export function runQuick(file: string, args: string[], cwd: string, timeoutMs = 60_000): Promise<RunResult | null> {
  const waited = unresponsive.get(file);
  if (waited !== undefined) return Promise.resolve({ exitCode: 1, stdout: '', stderr: `${file} did not answer within ${waited / 1000} s earlier in this run; not run again` });
  return new Promise((resolvePromise) => {
    const child = spawn(file, args, { cwd, env: quiet(), stdio: ['ignore', 'pipe', 'pipe'] });
    progress.running.add(child);
    let timedOut = false;
    // Our own timer rather than spawn's `timeout` option: Node leaves that one running when the
    // program is missing (ENOENT), which kept `create` alive for a minute on a machine without git.
    // The pipes are closed too: a child the program started (a wrapper script's) would hold them
    // open, and keep this waiting, after the program itself was killed.
    const timer = setTimeout(() => {
      timedOut = true;
      unresponsive.set(file, timeoutMs);
      child.kill('SIGKILL');
      child.stdout.destroy();
      child.stderr.destroy();
    }, timeoutMs);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    let spawnError: NodeJS.ErrnoException | undefined;
    child.on('error', (error: NodeJS.ErrnoException) => (spawnError = error));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      progress.running.delete(child);
      if (spawnError?.code === 'ENOENT') return resolvePromise(null);
      const stderr = timedOut ? `${file} did not answer within ${timeoutMs / 1000} s; stopped` : Buffer.concat(err).toString('utf8') || (spawnError ? spawnError.message : signal ? `killed by ${signal}` : '');
      resolvePromise({ exitCode: code ?? 1, stdout: Buffer.concat(out).toString('utf8'), stderr });
    });
  });
}

/** Run a validator that may take a while (execa: timeout with a forced kill); null when missing. */
export async function run(file: string, args: string[], cwd: string, env: Record<string, string> = {}, timeoutMs = 60_000): Promise<RunResult | null> {
  const { execa } = await import('execa');
  const subprocess = execa(file, args, { cwd, reject: false, timeout: timeoutMs, stdin: 'ignore', env: { ...env, GIT_TERMINAL_PROMPT: '0' } });
  progress.running.add(subprocess);
  const result = await subprocess.finally(() => progress.running.delete(subprocess));
  if ((result as { code?: string }).code === 'ENOENT' || (result.failed && result.exitCode === undefined && /ENOENT/.test(String(result.message)))) return null;
  return { exitCode: result.exitCode ?? 1, stdout: String(result.stdout), stderr: String(result.stderr) };
}

/** git's stdout when it succeeds; null when git is missing or the command fails. */
export async function git(args: string[], cwd: string): Promise<string | null> {
  const result = await runQuick('git', args, cwd);
  return result && result.exitCode === 0 ? result.stdout : null;
}

/**
 * Where `program` is on PATH, or null: a directory lookup, as the shell does, instead of spawning
 * `program --version` for each optional tool that is usually not installed. (Synchronous: a stat
 * per folder is quicker than loading node:fs/promises, which `create` would otherwise load for
 * this alone, issue #6.)
 */
export async function findOnPath(program: string, path = process.env.PATH ?? ''): Promise<string | null> {
  const extensions = process.platform === 'win32' ? ['', ...(process.env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';')] : [''];
  for (const dir of path.split(delimiter)) {
    if (!dir || !isAbsolute(dir)) continue; // a relative entry would depend on the current folder
    for (const ext of extensions) {
      const candidate = join(dir, program + ext);
      try {
        const s = statSync(candidate);
        if (s.isFile() && (process.platform === 'win32' || (s.mode & 0o111) !== 0)) return candidate;
      } catch {
        // not in this folder
      }
    }
  }
  return null;
}

/** Installed and working: on PATH, and the probe (e.g. `docker compose version`) succeeds. */
export async function has(program: string, cwd: string, probe?: string[]): Promise<boolean> {
  if ((await findOnPath(program)) === null) return false;
  if (!probe) return true;
  const result = await runQuick(program, probe, cwd, 10_000);
  return result !== null && result.exitCode === 0;
}
