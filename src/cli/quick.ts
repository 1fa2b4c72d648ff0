/**
 * `--version` and `--help` answered before any ES module loads. The bin (CommonJS) asks this
 * module first: Node starts a CommonJS file measurably faster than an ES module, and these two
 * must cost no more than bare `node` (issue #6). The texts are computed at build time from the
 * same `helpText` the CLI uses, so they cannot drift; anything else falls through to `main`.
 */

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
