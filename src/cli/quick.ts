/**
 * `--version` and `--help` answered before the bundle loads. The bin asks this small module
 * first: these two must cost no more than bare `node` (issue #6), and parsing dist/index.cjs
 * alone would cost more than that. The texts are computed at build time from the
 * same `helpText` the CLI uses, so they cannot drift; anything else falls through to `main`.
 */
import { writeSync } from 'node:fs';
import { fdWriter, type Sink, type WriteSync } from './output.js';

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

/**
 * Print the answer on stdout without creating `process.stdout`: building that stream loads
 * Node's net and stream modules, ~7 ms, most of what --help cost over bare node (issue #6).
 * (fdWriter says what happens with a full pipe and a reader that has gone.)
 */
export function print(text: string, write: WriteSync = writeSync, stream: () => Sink = () => process.stdout): void {
  fdWriter(1, stream, write)(text);
}
