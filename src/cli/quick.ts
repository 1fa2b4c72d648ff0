/**
 * `--version` and `--help` answered before the bundle loads. The bin asks this small module
 * first: these two must cost no more than bare `node` (issue #6), and parsing dist/index.cjs
 * alone would cost more than that. The texts are computed at build time from the
 * same `helpText` the CLI uses, so they cannot drift; anything else falls through to `main`.
 */
import { writeSync } from 'node:fs';

export interface QuickTexts {
  version: string;
  /** Help text by command name. */
  help: Readonly<Record<string, string>>;
}

/** The output for argv when it is exactly a version or help request, else undefined. */
export function quickAnswer(argv: readonly string[], texts: QuickTexts): string | undefined {
  const isHelp = (word: string | undefined) => word === '--help' || word === '-h';
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) return `${texts.version}\n`;
  if (argv.length === 1 && isHelp(argv[0])) return `${texts.help.create}\n`;
  if (argv.length === 2 && isHelp(argv[1]) && Object.hasOwn(texts.help, argv[0]!)) return `${texts.help[argv[0]!]}\n`;
  return undefined;
}

/** Filled in by scripts/build.mjs. */
declare const __CSS_QUICK_TEXTS__: QuickTexts;

export function answer(argv: readonly string[]): string | undefined {
  return quickAnswer(argv, __CSS_QUICK_TEXTS__);
}

type WriteSync = (fd: number, bytes: Uint8Array, offset: number, length: number) => number;

/**
 * Print the answer on stdout without creating `process.stdout`: building that stream loads
 * Node's net and stream modules, ~7 ms, most of what --help cost over bare node (issue #6).
 * A full non-blocking pipe (EAGAIN) hands the rest to the stream, which queues it; a reader that
 * has gone (EPIPE, as in `| head -1`) ends the output quietly, as other CLIs do.
 */
export function print(text: string, write: WriteSync = writeSync, stream: () => { write(bytes: Uint8Array): unknown } = () => process.stdout): void {
  const bytes = Buffer.from(text);
  let offset = 0;
  try {
    while (offset < bytes.length) offset += write(1, bytes, offset, bytes.length - offset);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EPIPE') return;
    if (code !== 'EAGAIN') throw error;
    stream().write(bytes.subarray(offset));
  }
}
