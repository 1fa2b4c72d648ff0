import { fdWriter, mayBeTerminal } from './cli/output.js';
import { nextTurn, progress } from './progress.js';

/**
 * Terminal output. Colour only when stdout is a TTY and not disabled; spinners (ora) only on a
 * TTY, plain lines otherwise, so logs in CI stay readable.
 */
export interface Ui {
  info(line: string): void;
  warn(line: string): void;
  error(line: string): void;
  /**
   * Run a step with a spinner on a TTY; silently otherwise (the caller prints a summary). The
   * spinner ends as `verdict` reads the result: a tick, a skip, a cross, or nothing at all.
   */
  step<T>(label: string, run: () => Promise<T>, verdict?: (result: T) => StepVerdict): Promise<T>;
  color: Colors;
}

/** How a step ended: done, skipped (its program missing, --no-git), failed, or nothing to do. */
export type StepVerdict = 'done' | 'skipped' | 'failed' | 'nothing';

export interface Colors {
  bold(s: string): string;
  dim(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  red(s: string): string;
  cyan(s: string): string;
}

/**
 * Text from the files a command reads (a repository's names, values, paths) made safe to print:
 * control characters, line and paragraph separators and bidirectional overrides become `\uXXXX`,
 * so a checked repository cannot move the cursor, clear the screen, fake a line of output, or
 * start a CI log command (GitHub's `::…::` lines) through what it contains.
 */
export function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Names as a sentence lists them: "a", "a and b", "a, b and c". */
export function listInWords(names: readonly string[]): string {
  return names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/** A path as one shell word: quoted when it holds anything but plain path characters. */
export function shellWord(path: string): string {
  return /^[\w./@%+=:,-]+$/.test(path) ? path : `'${path.replace(/'/g, `'\\''`)}'`;
}

const sgr = (open: number, close: number) => (s: string) => `\u001b[${open}m${s}\u001b[${close}m`;
const plain: Colors = { bold: (s) => s, dim: (s) => s, green: (s) => s, yellow: (s) => s, red: (s) => s, cyan: (s) => s };
const ansi: Colors = { bold: sgr(1, 22), dim: sgr(2, 22), green: sgr(32, 39), yellow: sgr(33, 39), red: sgr(31, 39), cyan: sgr(36, 39) };

/** The Ui of a run, which can also say whether its output was lost (see channel). */
export interface RunUi extends Ui {
  /** The error code of a failed write to stdout (ENOSPC, EIO), if one failed; a gone reader (EPIPE) is none. */
  lostOutput(): string | undefined;
}

export function createUi(options: { color: boolean; stdout?: NodeJS.WriteStream; stderr?: NodeJS.WriteStream }): RunUi {
  const stdout = channel(1, options.stdout, () => process.stdout);
  // stderr is set up on first use: most runs never write to it (issue #6).
  let stderr: Channel | undefined;
  const toStderr = (text: string) => (stderr ??= channel(2, options.stderr, () => process.stderr)).write(text);
  const tty = stdout.stream?.isTTY === true;
  // Colour as the prompts decide it (Node's hasColors: FORCE_COLOR=0, NO_COLOR, TERM=dumb turn it off).
  const color = options.color && tty && stdout.stream!.hasColors?.() !== false ? ansi : plain;
  return {
    color,
    lostOutput: () => stdout.lost,
    info: (line) => stdout.write(`${line}\n`),
    warn: (line) => toStderr(`${color.yellow('warning:')} ${line}\n`),
    error: (line) => toStderr(`${color.red('error:')} ${line}\n`),
    async step(label, run, verdict) {
      if (!tty) return run();
      const { default: ora } = await import('ora');
      // A terminal that reports no width (a pty made by `script` without a terminal of its own, or
      // `docker run -t` before its size is set) cannot be redrawn: ora divides by the width and
      // then clears lines forever. Nor can a dumb one (TERM=dumb: Emacs' shell), which shows the
      // cursor codes as text. There each step prints only the line it ends with.
      const animate = (stdout.stream?.columns ?? 0) > 0 && process.env.TERM !== 'dumb';
      const spinner = ora({ text: label, stream: stdout.stream, color: options.color ? 'cyan' : false, isEnabled: animate });
      if (animate) {
        spinner.start();
        progress.stopSpinner = () => spinner.stop();
      }
      try {
        const result = await run();
        // While the spinner turns, the terminal is in raw mode and Ctrl-C reaches this process as a
        // byte, which ora turns into SIGINT when the loop reads it: read it before the terminal
        // goes back to cooked mode and the byte waits for the next spinner (src/post-steps.ts).
        if (animate) await nextTurn();
        const how = verdict?.(result) ?? 'done';
        // A skipped check must not look passed, and a step with nothing to do leaves no line.
        if (how === 'done') spinner.succeed();
        else if (how === 'skipped') spinner.info(`${label}: skipped`);
        else if (how === 'failed') spinner.fail();
        else spinner.stop();
        return result;
      } catch (error) {
        spinner.fail();
        throw error;
      } finally {
        progress.stopSpinner = undefined;
      }
    },
  };
}

interface Channel {
  write(text: string): void;
  /** Present when output goes through a stream: always for a terminal (src/cli/output.ts). */
  stream?: NodeJS.WriteStream;
  /** Set when a write failed (a full disk behind `>`, /dev/full, a terminal gone): later output is dropped. */
  lost?: string;
}

/**
 * A failed write of output must not end the run where it stands: a stream's error event would
 * kill the process in the middle of writing the project (temp files and the lock left behind),
 * and a thrown one would abort it. The run goes on without its output, and main reports the loss.
 */
function channel(fd: 1 | 2, given: NodeJS.WriteStream | undefined, make: () => NodeJS.WriteStream): Channel {
  const stream = given ?? (mayBeTerminal(fd) ? make() : undefined);
  const c: Channel = { stream, write: () => undefined };
  const fail = (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') c.lost ??= error.code ?? 'error';
    c.write = () => undefined;
  };
  const listened = (s: NodeJS.WriteStream) => s.on('error', fail);
  // (A pipe that fills up hands the rest to the stream: fdWriter makes it then, listened to as well.)
  const write = stream ? (text: string) => void stream.write(text) : fdWriter(fd, () => listened(make()));
  if (stream) listened(stream);
  c.write = (text) => {
    try {
      write(text);
    } catch (error) {
      fail(error as NodeJS.ErrnoException);
    }
  };
  return c;
}
