/**
 * Node's option parser words its refusals for programmers ("Option '--cpu' argument is
 * ambiguous", with advice about `--` over three lines). These say, in one line, what went wrong
 * with the user's own words and how to write it instead.
 */
import { closestName } from '../edit-distance.js';
import { listInWords, printable, shellWord } from '../ui.js';

export interface OptionContext {
  /** The argv the parser refused (the command's own words, after its name). */
  args: readonly string[];
  /** The long names this command takes. */
  names: readonly string[];
  /** Its one-letter names (y, h, v). */
  shorts: readonly string[];
  /** What an option's value is, as the help shows it (<path>, <cores>). */
  placeholder: (name: string) => string;
  /** For a long name this command does not take: the commands that do. */
  takenBy: (name: string) => string[];
  /** The command's name as the user types it before --help ('' for the default command). */
  helpPrefix: string;
  command: string;
}

export function explainOptionError(message: string, ctx: OptionContext): string {
  const help = `run create-secure-service ${ctx.helpPrefix}--help for the options`;
  const unknown = /^Unknown option '([^']+)'/.exec(message);
  if (unknown) return `${unknownOption(unknown[1]!, ctx)}; ${help}`;
  const option = /^Option '(-[^' ]+)/.exec(message)?.[1];
  if (option === undefined) return `${firstSentence(message)}; ${help}`;
  if (/does not take an argument/.test(message)) return `${option} takes no value; write ${option} alone`;
  if (/argument missing/.test(message)) return missingValue(option, '', ctx);
  if (/argument is ambiguous/.test(message)) return ambiguousValue(option, ctx);
  return `${firstSentence(message)}; ${help}`;
}

function unknownOption(raw: string, ctx: OptionContext): string {
  const said = printable(raw);
  if (!raw.startsWith('--')) return `unknown option ${said}`;
  const name = raw.slice(2);
  const owners = ctx.takenBy(name);
  if (owners.length > 0) return `${said} is an option of ${listInWords(owners)}, not of ${ctx.command}`;
  const meant = closestName(name, ctx.names);
  return meant === undefined ? `unknown option ${said}` : `unknown option ${said} (did you mean --${meant}?)`;
}

/** A value-taking option followed by a word that starts with "-": a forgotten value, or a value like -1. */
function ambiguousValue(option: string, ctx: OptionContext): string {
  const next = ctx.args[ctx.args.indexOf(option) + 1];
  if (next === undefined || looksLikeOption(next, ctx)) {
    const why = next === undefined ? '' : next === '--' ? ' (the next word, --, ends the options)' : ` (the next word, ${printable(next)}, is an option)`;
    return missingValue(option, why, ctx);
  }
  return `the value of ${option}, ${printable(JSON.stringify(next))}, starts with "-" and reads as an option; write it as ${option}=${printable(shellWord(next))}`;
}

function missingValue(option: string, why: string, ctx: OptionContext): string {
  return `${option} is missing its value${why}; write ${option} ${ctx.placeholder(option.slice(2))}, or leave ${option} out`;
}

function looksLikeOption(word: string, ctx: OptionContext): boolean {
  if (word === '--') return true;
  if (!word.startsWith('--')) return [...word.slice(1)].every((letter) => ctx.shorts.includes(letter));
  const name = word.slice(2).split('=')[0]!;
  return ctx.names.includes(name) || ctx.takenBy(name).length > 0;
}

function firstSentence(text: string): string {
  return text.split('\n')[0]!.replace(/\. To specify a positional argument.*$/, '').replace(/\.$/, '');
}
