/**
 * Command-line syntax. Answer flags are derived from the question registry, so a new question is
 * a new flag with no change here.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UserError } from '../errors.js';
import { questions, type AnswerKey } from '../questions.js';

export interface CliArgs {
  command: 'create';
  directory?: string;
  yes: boolean;
  answersFile?: string;
  dryRun: boolean;
  git: boolean;
  color: boolean;
  debug: boolean;
  help: boolean;
  version: boolean;
  answers: Partial<Record<AnswerKey, unknown>>;
}

const listKinds = new Set(['list', 'checkbox']);

const generalOptions = {
  yes: { type: 'boolean', short: 'y' },
  answers: { type: 'string' },
  'dry-run': { type: 'boolean' },
  'no-git': { type: 'boolean' },
  'no-color': { type: 'boolean' },
  debug: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const satisfies ParseArgsConfig['options'];

function answerOptions(): NonNullable<ParseArgsConfig['options']> {
  const options: NonNullable<ParseArgsConfig['options']> = {};
  for (const q of questions) options[q.flag] = { type: 'string', multiple: listKinds.has(q.kind) };
  return options;
}

export function parseCli(argv: string[]): CliArgs {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: { ...generalOptions, ...answerOptions() }, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UserError(`${oneLine((error as Error).message)}; run create-secure-service --help for the options`);
  }
  const { values, positionals } = parsed;
  if (positionals.length > 1) {
    throw new UserError(`expected one directory, got ${positionals.length} (${positionals.join(' ')}); quote a path that contains spaces`);
  }
  const answers: Partial<Record<AnswerKey, unknown>> = {};
  for (const q of questions) {
    const value = (values as Record<string, unknown>)[q.flag];
    if (value !== undefined) answers[q.key] = value;
  }
  return {
    command: 'create',
    directory: positionals[0],
    yes: values.yes === true,
    answersFile: typeof values.answers === 'string' ? values.answers : undefined,
    dryRun: values['dry-run'] === true,
    git: values['no-git'] !== true,
    color: values['no-color'] !== true && !('NO_COLOR' in process.env),
    debug: values.debug === true,
    help: values.help === true,
    version: values.version === true,
    answers,
  };
}

function oneLine(text: string): string {
  return text.split('\n')[0]!.replace(/\.$/, '');
}
