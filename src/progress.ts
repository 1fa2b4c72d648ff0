/**
 * How far a run has got, for the message a Ctrl-C (SIGINT), SIGTERM or hang-up (SIGHUP) ends it
 * with: while the writer holds the signals it finishes or rolls back and reports itself; otherwise
 * the run stops at once and says whether its files were written. (A module of its own: the entry reads it, and
 * the writer, which sets it, loads only when a run writes.)
 */
export const progress: {
  holdingSignals: boolean;
  filesWritten: boolean;
  /** The files are written and set up (passwords, git, signing): only the checks of them are left. */
  checking: boolean;
  /** The post-steps that have run, and those still to run (passwords, git init, signing), for the message of a signal after writing. */
  stepsDone: string[];
  stepsLeft: string[];
  /** The folder git init is running in: stopped there, it may leave a .git that git passes over (src/git-dir.ts). */
  gitInitIn?: string;
  /** Programs running for a post-step: a signal that ends the run ends them too (see src/index.ts). */
  running: Set<{ kill(signal?: NodeJS.Signals): boolean }>;
  /** Set while a question is on screen: a signal cancels it, and it ends the run as Ctrl-C does. */
  cancelPrompt?: (signal: NodeJS.Signals) => void;
  /** Set while a spinner turns: clears it, so a signal's message gets a line of its own. */
  stopSpinner?: () => void;
} = { holdingSignals: false, filesWritten: false, checking: false, stepsDone: [], stepsLeft: [], running: new Set() };

export const AFTER_WRITING = 'interrupted after every file was written, before the steps that follow (git init, signing, passwords): run the same command again to finish them';

/** What a signal after the files were written left undone: the post-steps that have not run. */
export function afterWriting(): string {
  const { stepsDone: done, stepsLeft: left } = progress;
  const after = `after every file was written${done.length > 0 ? ` and the ${done.join(' and ')} step${done.length > 1 ? 's' : ''}` : ''}`;
  if (progress.gitInitIn !== undefined) {
    // A run again would stop at that .git, and say so: said now, with the rest of what to do.
    const dir = progress.gitInitIn;
    const rest = left.filter((s) => s !== 'git init');
    return `interrupted during git init, ${after}: git init may have left ${dir}/.git half-made; run git init in ${dir} to complete it, then the same command again${rest.length > 0 ? ` to finish ${rest.join(' and ')}` : ''}`;
  }
  if (done.length === 0 || left.length === 0) return AFTER_WRITING;
  return `interrupted after every file was written and the ${done.join(' and ')} step${done.length > 1 ? 's' : ''}, before ${left.join(' and ')}: run the same command again to finish ${left.length > 1 ? 'them' : 'it'}`;
}

export const DURING_CHECKS = 'interrupted while checking the written project, after its files, passwords, git and signing steps: run the same command again to check it';

/**
 * One turn of the event loop, where Node runs the listeners of a signal that came meanwhile (and
 * ora turns a Ctrl-C byte read in raw mode into SIGINT). Work that never waits on the loop (a step
 * with nothing to do, a program that is not installed) would otherwise keep a signal unhandled.
 */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
