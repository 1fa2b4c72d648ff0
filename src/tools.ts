/**
 * External programs (git, ssh-keygen, optional validators), run through execa. Loaded on first
 * use; a missing program is reported as null, never as a crash.
 */
export interface RunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Run a program; null when it is not installed. */
export async function run(file: string, args: string[], cwd: string, timeoutMs = 60_000): Promise<RunResult | null> {
  const { execa } = await import('execa');
  const result = await execa(file, args, { cwd, reject: false, timeout: timeoutMs, stdin: 'ignore', env: { GIT_TERMINAL_PROMPT: '0' } });
  if ((result as { code?: string }).code === 'ENOENT' || (result.failed && result.exitCode === undefined && /ENOENT/.test(String(result.message)))) return null;
  return { exitCode: result.exitCode ?? 1, stdout: String(result.stdout), stderr: String(result.stderr) };
}

/** git's stdout when it succeeds; null when git is missing or the command fails. */
export async function git(args: string[], cwd: string): Promise<string | null> {
  const result = await run('git', args, cwd);
  return result && result.exitCode === 0 ? result.stdout : null;
}

export async function has(program: string, cwd: string, versionArgs = ['--version']): Promise<boolean> {
  const result = await run(program, versionArgs, cwd, 10_000);
  return result !== null && result.exitCode === 0;
}
