/**
 * Entry point, loaded by the bin for everything but a plain `--help` or `--version` (the bin
 * answers those itself). Each command's modules are imported on demand, so a module's top-level
 * code runs only for the commands that need it; in the bundle each such import() is a require()
 * of a chunk (scripts/build.mjs says why).
 */
import { commandOf, parseCli } from './cli/args.js';
import { releaseHungUpTerminalAtExit } from './cli/output.js';
import { loaders, type Terminal } from './commands/index.js';
import { ExitCode, Interrupted, signalExitCode, UserError } from './errors.js';
import { afterWriting, DURING_CHECKS, progress } from './progress.js';
import { packageVersion } from './paths.js';
import { readFileSync, statSync } from 'node:fs';
import { createUi, printable, type RunUi } from './ui.js';

// A getter, asked only by a command about to prompt: process.stdin is created on first access, and
// for a file or /dev/null that loads Node's file streams and fs/promises (~6 ms of `check`, issue #6).
const terminal: Terminal = {
  get interactive() {
    return process.stdout.isTTY === true && process.stdin.isTTY === true;
  },
};

/** Where output goes; tests pass their own streams (the CLI writes to file descriptors 1 and 2). */
export interface Output {
  stdout?: NodeJS.WriteStream;
  stderr?: NodeJS.WriteStream;
}

export async function main(argv: string[], output: Output = {}): Promise<number> {
  const debug = argv.includes('--debug');
  // --no-color reaches the prompt and spinner libraries as NO_COLOR, the convention they follow.
  if (argv.includes('--no-color') && !('NO_COLOR' in process.env)) process.env.NO_COLOR = '1';
  const ui = createUi({ color: !('NO_COLOR' in process.env), ...output });
  progress.filesWritten = false;
  progress.checking = false;
  progress.stepsDone = [];
  progress.stepsLeft = [];
  progress.gitInitIn = undefined;
  // A signal ends the run with a line saying what was written (the default ends it silently, the
  // terminal left as a prompt or spinner set it, and the programs it started running).
  const onSignal = (signal: NodeJS.Signals) => {
    if (signal === 'SIGHUP') releaseHungUpTerminalAtExit();
    if (progress.holdingSignals) return; // the writer finishes or rolls back, then reports
    if (progress.cancelPrompt) return progress.cancelPrompt(signal); // the prompt ends, then main reports
    progress.stopSpinner?.();
    // While a spinner turns the terminal is in raw mode, so Ctrl-C reaches no program but this one:
    // a git init left running would finish after the message said it had not run. A hang-up is
    // passed on as SIGTERM: a program that ignores hang-ups (started under nohup) would go on.
    for (const child of progress.running) child.kill(signal === 'SIGHUP' ? 'SIGTERM' : signal);
    ui.error(progress.checking ? DURING_CHECKS : progress.filesWritten ? afterWriting() : 'interrupted; nothing was written');
    process.exit(signalExitCode(signal));
  };
  // SIGHUP: the terminal or ssh session closed. Its message may find no terminal to go to: a
  // failed write is dropped (ui.ts's channel), never an exception.
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const signal of signals) process.on(signal, onSignal);
  try {
    if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
      ui.info(packageVersion());
      return await finished(ExitCode.ok, ui);
    }
    const { questions } = commandOf(argv).answers ? await import('./questions.js') : { questions: [] };
    const args = parseCli(argv, questions);
    if (args.help || args.version) {
      const { helpText } = await import('./cli/help.js');
      ui.info(args.version ? packageVersion() : helpText(packageVersion(), args.command));
      return await finished(ExitCode.ok, ui);
    }
    assertCurrentFolder();
    assertUtf8Arguments(argv);
    const command = await loaders[args.command]!();
    return await finished(await command.run(args, ui, terminal), ui);
  } catch (error) {
    // Messages quote what the user gave (a part, a rule ID, a path): escaped once here, so no
    // message can move the cursor or recolour the terminal, whichever forgot to escape its input.
    if (error instanceof Interrupted) {
      ui.error(printable(error.message));
      return error.exitCode;
    }
    if (error instanceof UserError) {
      ui.error(printable(error.message));
      return error.exitCode;
    }
    const refusal = fileSystemRefusal(error);
    if (refusal) {
      ui.error(printable(refusal));
      return ExitCode.usage;
    }
    ui.error(`unexpected error: ${printable((error as Error).message ?? String(error))}${debug ? '' : ' (run with --debug for details, and please report it)'}`);
    if (debug) ui.error((error as Error).stack ?? '');
    return 70; // EX_SOFTWARE: a bug in this tool, distinct from the documented exit codes
  } finally {
    for (const signal of signals) process.off(signal, onSignal);
  }
}

/**
 * A path the file system refuses to read (a project made with sudo or by another user, a name too
 * long, links in a loop) is the user's to fix, not a bug in this tool. (The writer reports its
 * own failures: write.ts.)
 */
function fileSystemRefusal(error: unknown): string | undefined {
  const e = error as NodeJS.ErrnoException | undefined;
  if (typeof e?.path !== 'string') return undefined;
  const path = printable(e.path);
  switch (e.code) {
    case 'EACCES':
    case 'EPERM':
      return `permission denied (${e.code}) to ${e.syscall ?? 'open'} ${path}; check the owner and permissions of it and of the folders above it (files made with sudo need chown), then run again`;
    case 'ENAMETOOLONG':
      return `${path} is too long a path for the file system (ENAMETOOLONG); choose a shorter name`;
    case 'ELOOP':
      return `${path} leads through symbolic links that loop (ELOOP); fix or remove the link`;
    default:
      return undefined;
  }
}

/**
 * A run that finished without its output (a full disk behind `>`, /dev/full) says so and fails: a
 * script must not take the incomplete report or plan for a whole one. A reader that has gone
 * (`| head -1`) took what it wanted, and is no failure.
 */
async function finished(code: number, ui: RunUi): Promise<number> {
  // A stream (a terminal, /dev/full) reports a failed write on a later tick.
  await new Promise((resolve) => setImmediate(resolve));
  const lost = ui.lostOutput();
  if (lost === undefined) return code;
  ui.error(`could not write the output to stdout (${lost}), so it is incomplete, though the command itself completed; free space where it goes, or send it elsewhere`);
  return code === ExitCode.ok ? ExitCode.outputLost : code;
}

/**
 * Every command resolves its paths against the current folder, and a shell can stay in one that
 * was deleted or moved away under it; then there is no current folder to resolve against.
 */
function assertCurrentFolder(): void {
  let cwd: string;
  try {
    cwd = process.cwd();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    throw new UserError('the current folder no longer exists (it was deleted or moved away); cd into a folder that exists and run again');
  }
  // Node decodes a path as UTF-8, each invalid byte becoming U+FFFD: the path it gives names
  // another folder (which create would make and write into) or none. A real U+FFFD exists.
  if (cwd.includes('\uFFFD') && !sameFile(cwd, '.')) {
    throw new UserError(`the current folder's path is not UTF-8 text (Node reads it as "${printable(cwd)}", a different path); rename the folder to a UTF-8 name, or run from a folder whose path is UTF-8`);
  }
}

/**
 * An argument that is not UTF-8 (a folder name in Latin-1) reaches Node with U+FFFD in place of
 * its bad bytes, and as a path names another folder than the one meant. Linux shows the bytes
 * themselves in /proc/self/cmdline; elsewhere, file names are UTF-8 already.
 */
function assertUtf8Arguments(argv: string[]): void {
  if (!argv.some((arg) => arg.includes('\uFFFD'))) return;
  let raw: Buffer;
  try {
    raw = readFileSync('/proc/self/cmdline');
  } catch {
    return;
  }
  const args = raw.subarray(0, raw.at(-1) === 0 ? -1 : undefined).toString('latin1').split('\0').slice(-argv.length).map((arg) => Buffer.from(arg, 'latin1'));
  // Only this process's own arguments (main may be called with others).
  if (args.length !== argv.length || args.some((bytes, i) => bytes.toString('utf8') !== argv[i])) return;
  for (const [i, bytes] of args.entries()) {
    if (!Buffer.from(argv[i]!).equals(bytes)) {
      throw new UserError(`argument "${printable(argv[i]!)}" is not UTF-8 text, so it would name another path than the one meant; rename the folder or file to a UTF-8 name, or give the value in UTF-8`);
    }
  }
}

function sameFile(a: string, b: string): boolean {
  const [x, y] = [statSync(a, { throwIfNoEntry: false }), statSync(b)];
  return x !== undefined && x.ino === y.ino && x.dev === y.dev;
}
