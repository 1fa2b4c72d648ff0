/**
 * Each command's implementation, loaded only when that command runs (start-up stays small).
 * A new command: its syntax in `src/cli/args.ts` (`commands`) and its loader here.
 */
import type { CliArgs } from '../cli/args.js';
import type { Ui } from '../ui.js';

export interface Terminal {
  /** stdin and stdout are both TTYs: prompts are possible. */
  interactive: boolean;
}

export interface Command {
  run(args: CliArgs, ui: Ui, terminal: Terminal): Promise<number>;
}

export const loaders: Record<string, () => Promise<Command>> = {
  create: () => import('./create.js'),
  add: () => import('./add.js'),
  check: () => import('./check.js'),
  update: () => import('./update.js'),
};
