/**
 * Entry point. Kept small on purpose: `--help` and `--version` load nothing else, and every
 * command's heavy modules are separate chunks imported on demand (see BENCHMARKS.md).
 */
import { parseCli } from './cli/args.js';
import { ExitCode, Interrupted, UserError } from './errors.js';
import { createUi } from './ui.js';

export async function main(argv: string[]): Promise<number> {
  const debug = argv.includes('--debug');
  const ui = createUi({ color: !argv.includes('--no-color') && !('NO_COLOR' in process.env) });
  try {
    const args = parseCli(argv);
    if (args.help) {
      const [{ helpText }, { packageVersion }] = await Promise.all([import('./cli/help.js'), import('./paths.js')]);
      ui.info(helpText(packageVersion()));
      return ExitCode.ok;
    }
    if (args.version) {
      const { packageVersion } = await import('./paths.js');
      ui.info(packageVersion());
      return ExitCode.ok;
    }
    const { create } = await import('./commands/create.js');
    return await create(args, ui, { interactive: process.stdin.isTTY === true && process.stdout.isTTY === true });
  } catch (error) {
    if (error instanceof Interrupted) {
      ui.error('interrupted; nothing was written');
      return ExitCode.interrupted;
    }
    if (error instanceof UserError) {
      ui.error(error.message);
      return error.exitCode;
    }
    ui.error(`unexpected error: ${(error as Error).message ?? String(error)}${debug ? '' : ' (run with --debug for details, and please report it)'}`);
    if (debug) ui.error((error as Error).stack ?? '');
    return ExitCode.findings + 2;
  }
}
