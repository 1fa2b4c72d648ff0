/** Exit codes are part of the command-line contract (see README). */
export const ExitCode = {
  ok: 0,
  findings: 1,
  usage: 2,
  interrupted: 130,
  /** Ended by SIGHUP (128 + 1: the terminal or ssh session closed), as the shell reports it. */
  hungUp: 129,
  /** Ended by SIGTERM (128 + 15), as the shell reports a process the signal killed. */
  terminated: 143,
  /** The run finished but stdout could not be written (EX_IOERR). */
  outputLost: 74,
} as const;

/**
 * The exit code of a run a signal ended: 128 + its number, what a shell reports had the signal
 * killed it. (Ctrl-C typed at a prompt in raw mode is no signal: undefined, and 130 as for SIGINT.)
 */
export function signalExitCode(signal: NodeJS.Signals | undefined): number {
  return signal === 'SIGTERM' ? ExitCode.terminated : signal === 'SIGHUP' ? ExitCode.hungUp : ExitCode.interrupted;
}

/**
 * An error the user can fix. Its message is one line: what is wrong, where, and how to fix it.
 * Anything else that escapes is a bug and is reported with a stack trace only under --debug.
 */
export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = ExitCode.usage,
  ) {
    super(message);
    this.name = 'UserError';
  }
}

/** Raised when the user interrupts (Ctrl-C); the message says what was written. */
export class Interrupted extends Error {
  constructor(
    message = 'interrupted; nothing was written',
    readonly exitCode: number = ExitCode.interrupted,
  ) {
    super(message);
    this.name = 'Interrupted';
  }
}
