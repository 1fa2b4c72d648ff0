import { rules } from '../check/rules.js';
import { parts } from '../parts/index.js';
import { questions } from '../questions.js';
import { commands, findCommand, optionPlaceholders, type CommandSpec } from './args.js';

/** A left column of `width`, or the text and two spaces when it is wider (a long placeholder). */
const column = (text: string, width: number): string => (text.length <= width - 2 ? text.padEnd(width) : `${text}  `);

function optionLines(spec: CommandSpec): string[] {
  return Object.entries(spec.options).map(([name, o]) => {
    const short = 'short' in o && o.short ? `-${o.short}, ` : '';
    const value = o.type === 'string' ? ` ${optionPlaceholders[name] ?? '<value>'}` : '';
    const repeat = 'multiple' in o && o.multiple ? ' (repeatable)' : '';
    return `  ${column(`${short}--${name}${value}`, 44)}${optionHelp[name] ?? ''}${repeat}`;
  });
}

/** One line per option name, shared by every command that has it. */
export const optionHelp: Record<string, string> = {
  yes: 'accept every default, ask nothing',
  answers: 'take answers from a JSON file (unknown keys are an error)',
  'dry-run': 'print the plan and diffs, write nothing',
  'no-git': 'do not run git init / git config',
  dir: 'the service folder (default: the current folder)',
  overwrite: 'replace files that exist with other content (ignore files are still merged)',
  check: 'exit 1 when the project is behind the installed templates (for CI), 0 when current',
  format: 'report as text (the default), json, or sarif (GitHub code scanning)',
  rule: 'check only this rule ID, e.g. D04 (or several: D04,C03)',
  ignore: 'skip this rule ID (or several: D08,N05)',
};

/** What each command's help ends with: what it acts on, and what its exit codes mean. */
function closingLines(name: string): string[] {
  // add never writes the app seed: the project has its own application.
  const partLines = (addable: boolean) => parts.filter((p) => !addable || p.id !== 'app').map((p) => `  ${p.id.padEnd(10)}${p.summary}`);
  switch (name) {
    case 'check':
      return ['', 'Rules (RULES.md has each one\'s source; the report gives the fix):', ...ruleColumns(), '', 'Exit codes: 0 no findings, 1 findings, 2 bad usage or input, 74 output not written.'];
    case 'update':
      return ['', 'Exit codes: 0 success, 1 conflicts left to resolve, 2 bad usage or input, 74 output not written,', '  130 interrupted (Ctrl-C), 143 ended by SIGTERM, 129 by a hang-up (SIGHUP).', 'With --check: 0 up to date, 1 behind the templates or conflict markers left.'];
    case 'add':
      return ['', 'Parts (name one or more, or all):', ...partLines(true), '', 'Exit codes: 0 success, 1 conflicts, 2 bad usage or input, 74 output not written,', '  130 interrupted (Ctrl-C), 143 ended by SIGTERM, 129 by a hang-up (SIGHUP).'];
    default:
      return ['', 'What it writes:', ...partLines(false), '', 'Exit codes: 0 success, 1 conflicts, 2 bad usage or input, 74 output not written,', '  130 interrupted (Ctrl-C), 143 ended by SIGTERM, 129 by a hang-up (SIGHUP).'];
  }
}

/** The rule IDs and names, two to a line (80 columns): what --rule and --ignore take. */
function ruleColumns(): string[] {
  const cells = rules.map((r) => `${r.id} ${r.name}`);
  const width = Math.max(...cells.map((c) => c.length)) + 2;
  const lines: string[] = [];
  for (let i = 0; i < cells.length; i += 2) lines.push(`  ${cells.slice(i, i + 2).map((c) => c.padEnd(width)).join('').trimEnd()}`);
  return lines;
}

export function helpText(version: string, commandName = 'create'): string {
  const spec = findCommand(commandName) ?? commands[0]!;
  const answerLines = spec.answers
    ? [
        '',
        'Answers (each also a key of the answers file; flags win over the file, the file over prompts):',
        ...questions.map((q) => {
          const repeat = q.kind === 'list' || q.kind === 'checkbox' ? ' (repeatable)' : '';
          return `${column(`  --${q.flag} ${q.placeholder}`, 46)}${q.message}${repeat}`;
        }),
      ]
    : [];
  // The top-level help lists the commands; a command's own help says what that command does.
  const commandLines = spec.name === 'create' ? ['Commands:', ...commands.map((c) => `  ${c.name.padEnd(10)}${c.summary}`)] : [`${spec.summary[0]!.toUpperCase()}${spec.summary.slice(1)}.`];
  return [
    `create-secure-service ${version}`,
    'Scaffold a hardened service: Dockerfile, compose files, Nomad job, Vault policy and signed commits.',
    '',
    'Usage:',
    `  ${spec.usage}`,
    ...(spec.name === 'create' ? ['  npm create secure-service@latest [directory] -- [options]'] : []),
    '',
    ...commandLines,
    '',
    'Options:',
    ...optionLines(spec),
    `${'  --no-color'.padEnd(46)}plain output (also NO_COLOR=1)`,
    `${'  --debug'.padEnd(46)}show stack traces for unexpected errors`,
    `${'  -h, --help'.padEnd(46)}show this help (create-secure-service <command> --help for a command)`,
    `${'  -v, --version'.padEnd(46)}show the version`,
    ...answerLines,
    ...closingLines(spec.name),
    '',
  ].join('\n');
}
