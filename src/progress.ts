/**
 * How far a run has got, for the message a Ctrl-C (SIGINT) or SIGTERM ends it with: while the
 * writer holds the signals it finishes or rolls back and reports itself; otherwise the run stops
 * at once and says whether its files were written. (A module of its own: the entry reads it, and
 * the writer, which sets it, loads only when a run writes.)
 */
export const progress: {
  holdingSignals: boolean;
  filesWritten: boolean;
  /** The files are written and set up (passwords, git, signing): only the checks of them are left. */
  checking: boolean;
  /** Set while a question is on screen: a signal cancels it, and it ends the run as Ctrl-C does. */
  cancelPrompt?: (signal: NodeJS.Signals) => void;
  /** Set while a spinner turns: clears it, so a signal's message gets a line of its own. */
  stopSpinner?: () => void;
} = { holdingSignals: false, filesWritten: false, checking: false };

export const AFTER_WRITING = 'interrupted after every file was written, before the steps that follow (git init, signing, passwords): run the same command again to finish them';

export const DURING_CHECKS = 'interrupted while checking the written project, after its files, passwords, git and signing steps: run the same command again to check it';
