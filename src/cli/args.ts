/**
 * Command-line syntax for every command. Answer flags are derived from the question registry, so
 * a new question is a new flag with no change here; a new command is one entry in `commands`.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UserError } from '../errors.js';
import { explainOptionError, type OptionContext } from './option-errors.js';
import { printable } from '../ui.js';
import type { AnswerKey, Question } from '../questions.js';

type Options = NonNullable<ParseArgsConfig['options']>;

export interface CommandSpec {
  name: string;
  usage: string;
  summary: string;
  /** Options besides the global ones; `answers: true` adds one flag per question. */
  options: Options;
  answers: boolean;
  /** How many positionals it takes at most (directory, parts...). */
  maxPositionals: number;
}

const globalOptions = {
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
  'no-color': { type: 'boolean' },
  debug: { type: 'boolean' },
} as const satisfies Options;

/** What a value-taking option's value is, as help and errors show it (answer flags: Question.placeholder). */
export const optionPlaceholders: Record<string, string> = { answers: '<file>', dir: '<path>', format: '<text|json|sarif>', rule: '<ID>', ignore: '<ID>' };

export const commands: CommandSpec[] = [
  {
    name: 'create',
    usage: 'create-secure-service [directory] [options]',
    summary: 'scaffold a new hardened service (the default command)',
    answers: true,
    maxPositionals: 1,
    options: {
      yes: { type: 'boolean', short: 'y' },
      answers: { type: 'string' },
      'dry-run': { type: 'boolean' },
      'no-git': { type: 'boolean' },
    },
  },
  {
    name: 'check',
    usage: 'create-secure-service check [directory] [--format text|json|sarif] [--rule <ID>]... [--ignore <ID>]...',
    summary: 'audit a repository against the hardening rules (exit 1 on findings)',
    answers: false,
    maxPositionals: 1,
    options: {
      format: { type: 'string' },
      rule: { type: 'string', multiple: true },
      ignore: { type: 'string', multiple: true },
    },
  },
  {
    name: 'update',
    usage: 'create-secure-service update [--dir <path>] [--dry-run] [--check] [--answers <file>] [answer flags] [--yes]',
    summary: 'regenerate after a template upgrade, keeping your edits (three-way merge)',
    answers: true,
    maxPositionals: 0,
    options: {
      dir: { type: 'string' },
      yes: { type: 'boolean', short: 'y' },
      answers: { type: 'string' },
      'dry-run': { type: 'boolean' },
      check: { type: 'boolean' },
    },
  },
  {
    name: 'add',
    usage: 'create-secure-service add <docker|compose|nomad|vault|signing|project|all>... [--dir <path>] [options]',
    summary: 'add hardened files to an existing project, never clobbering yours',
    answers: true,
    maxPositionals: 7,
    options: {
      dir: { type: 'string' },
      yes: { type: 'boolean', short: 'y' },
      answers: { type: 'string' },
      'dry-run': { type: 'boolean' },
      overwrite: { type: 'boolean' },
      'no-git': { type: 'boolean' },
    },
  },
];

export interface CliArgs {
  command: string;
  positionals: string[];
  /** Option values by long name (answer flags excluded). */
  options: Record<string, string | boolean | string[] | undefined>;
  /** Answer values from flags, by answer key. */
  answers: Partial<Record<AnswerKey, unknown>>;
  help: boolean;
  version: boolean;
  color: boolean;
  debug: boolean;
}

const listKinds = new Set(['list', 'checkbox']);

/** The part of the question registry that makes the answer flags. */
export type AnswerFlag = Pick<Question, 'flag' | 'key' | 'kind' | 'placeholder'>;

function answerOptions(questions: readonly AnswerFlag[]): Options {
  const options: Options = {};
  for (const q of questions) options[q.flag] = { type: 'string', multiple: listKinds.has(q.kind) };
  return options;
}

export function findCommand(name: string): CommandSpec | undefined {
  return commands.find((c) => c.name === name);
}

/** The command an argv runs: its first word when that names one, otherwise create. */
export function commandOf(argv: readonly string[]): CommandSpec {
  return (argv[0] !== undefined && !argv[0].startsWith('-') ? findCommand(argv[0]) : undefined) ?? commands[0]!;
}

/**
 * `questions` is the question registry, which only a command that takes answers needs: the caller
 * loads it for those alone, so `check` never compiles the questions and their parsers (issue #6).
 */
export function parseCli(argv: string[], questions: readonly AnswerFlag[]): CliArgs {
  const spec = commandOf(argv);
  const named = spec.name === argv[0];
  const rest = named ? argv.slice(1) : argv;
  // With no option at all (`create-secure-service my-svc`, the usual way to start the questions)
  // the option parser has nothing to do, and its first call costs ~0.7 ms of the time to the
  // first question (issue #6).
  let parsed: { values: Record<string, unknown>; positionals: string[] } = { values: {}, positionals: rest };
  if (rest.some((arg) => arg.startsWith('-'))) {
    const options = { ...globalOptions, ...spec.options, ...(spec.answers ? answerOptions(questions) : {}) };
    let tokens: ReturnType<typeof parseArgs>['tokens'];
    try {
      ({ tokens, ...parsed } = parseArgs({ args: rest, options, allowPositionals: true, strict: true, tokens: true }));
    } catch (error) {
      throw new UserError(explainOptionError((error as Error).message, optionContext(rest, spec, named, options, questions)));
    }
    refuseRepeatedValues(tokens ?? [], options);
  }
  const values = parsed.values as Record<string, string | boolean | string[] | undefined>;
  if (parsed.positionals.length > spec.maxPositionals) {
    throw new UserError(`too many arguments for ${spec.name}: ${parsed.positionals.join(' ')}; usage: ${spec.usage} (quote a path that contains spaces)`);
  }
  // An empty path ("$DIR" with DIR unset) would mean the current folder, and write into it.
  if (parsed.positionals.some((p) => p.trim() === '')) throw new UserError(`the ${spec.name === 'add' ? 'part' : 'directory'} argument is empty; give a name (quote it if it is in a variable that may be unset)`);
  for (const name of ['dir', 'answers'] as const) {
    if (typeof values[name] === 'string' && (values[name] as string).trim() === '') throw new UserError(`--${name} is empty; give a path (leave --${name} out to use ${name === 'dir' ? 'the current folder' : 'flags and prompts'})`);
  }
  const answers: Partial<Record<AnswerKey, unknown>> = {};
  const options: CliArgs['options'] = {};
  const answerFlags = new Map(spec.answers ? questions.map((q) => [q.flag, q.key] as const) : []);
  for (const [name, value] of Object.entries(values)) {
    const key = answerFlags.get(name);
    if (key) answers[key] = Array.isArray(value) ? listItems(value) : value;
    else options[name] = value;
  }
  return {
    command: spec.name,
    positionals: parsed.positionals,
    options,
    answers,
    help: values.help === true,
    version: values.version === true,
    color: values['no-color'] !== true && !('NO_COLOR' in process.env),
    debug: values.debug === true,
  };
}

/**
 * A flag that takes one value, given twice with different values (`--port 8080 ... --port 9090`,
 * a script's default and an override): the parser would keep the last one without a word.
 */
function refuseRepeatedValues(tokens: NonNullable<ReturnType<typeof parseArgs>['tokens']>, options: Options): void {
  const seen = new Map<string, string>();
  for (const token of tokens) {
    if (token.kind !== 'option' || token.value === undefined || options[token.name]?.multiple) continue;
    const earlier = seen.get(token.name);
    if (earlier !== undefined && earlier !== token.value) {
      throw new UserError(`--${token.name} is given twice, as ${printable(JSON.stringify(earlier))} and ${printable(JSON.stringify(token.value))}; give it once`);
    }
    seen.set(token.name, token.value);
  }
}

/**
 * A list flag's values as the prompt reads its text: each one comma-separated, so `--secret A,B`,
 * `--secret A --secret B` and the prompt's "A, B" mean the same, and `--secret ""` means none (as
 * the help says). No list item can hold a comma: each list's parser refuses one.
 */
function listItems(values: string[]): string[] {
  return values.flatMap((v) => v.split(',')).map((s) => s.trim()).filter((s) => s !== '');
}

function optionContext(args: string[], spec: CommandSpec, named: boolean, options: Options, questions: readonly AnswerFlag[]): OptionContext {
  const takes = (c: CommandSpec, name: string) => name in c.options || (c.answers && questions.some((q) => q.flag === name));
  return {
    args,
    names: Object.keys(options),
    shorts: Object.values(options).flatMap((o) => (o.short ? [o.short] : [])),
    placeholder: (name) => optionPlaceholders[name] ?? questions.find((q) => q.flag === name)?.placeholder ?? '<value>',
    takenBy: (name) => (name in options ? [] : commands.filter((c) => c !== spec && takes(c, name)).map((c) => c.name)),
    helpPrefix: named ? `${spec.name} ` : '',
    command: spec.name,
  };
}
