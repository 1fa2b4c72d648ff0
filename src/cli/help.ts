import { parts } from '../parts/index.js';
import { questions } from '../questions.js';

export function helpText(version: string): string {
  const flags = questions.map((q) => {
    const left = `  --${q.flag} ${q.placeholder}`;
    const repeat = q.kind === 'list' || q.kind === 'checkbox' ? ' (repeatable)' : '';
    return `${left.padEnd(44)}${q.message}${repeat}`;
  });
  return [
    `create-secure-service ${version}`,
    'Scaffold a hardened service: Dockerfile, compose files, Nomad job, Vault policy and signed commits.',
    '',
    'Usage:',
    '  create-secure-service [directory] [options]',
    '  npm create secure-service@latest [directory] -- [options]',
    '',
    'Options:',
    '  -y, --yes                                   accept every default, ask nothing',
    '  --answers <file>                            take answers from a JSON file (unknown keys are an error)',
    '  --dry-run                                   print the plan and diffs, write nothing',
    '  --no-git                                    do not run git init / git config',
    '  --no-color                                  plain output (also NO_COLOR=1)',
    '  --debug                                     show stack traces for unexpected errors',
    '  -h, --help                                  show this help',
    '  -v, --version                               show the version',
    '',
    'Answers (each also a key of the answers file; flags win over the file, the file over prompts):',
    ...flags,
    '',
    'What it writes:',
    ...parts.map((p) => `  ${p.id.padEnd(10)}${p.summary}`),
    '',
    'Exit codes: 0 success, 1 conflicts, 2 bad usage or input, 130 interrupted.',
    '',
  ].join('\n');
}
