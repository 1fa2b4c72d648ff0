import { describe, expect, it } from 'vitest';
import { commands } from '../../src/cli/args.js';
import { helpText } from '../../src/cli/help.js';
import { quickAnswer } from '../../src/cli/quick.js';

const texts = { version: '9.8.7', help: Object.fromEntries(commands.map((c) => [c.name, helpText('9.8.7', c.name)])) };

describe('quickAnswer (the CommonJS fast path of the bin)', () => {
  it('answers exactly --version/-v and --help/-h, alone or after a command name', () => {
    expect(quickAnswer(['--version'], texts)).toBe('9.8.7\n');
    expect(quickAnswer(['-v'], texts)).toBe('9.8.7\n');
    expect(quickAnswer(['--help'], texts)).toBe(`${helpText('9.8.7', 'create')}\n`);
    expect(quickAnswer(['-h'], texts)).toBe(`${helpText('9.8.7', 'create')}\n`);
    for (const c of commands) expect(quickAnswer([c.name, '--help'], texts)).toBe(`${helpText('9.8.7', c.name)}\n`);
  });

  it('leaves everything else to the full parser, which validates it', () => {
    for (const argv of [[], ['create'], ['my-svc'], ['--help', 'extra'], ['--version', '--debug'], ['bogus', '--help'], ['toString', '--help'], ['__proto__', '-h'], ['check', 'x', '--help']]) {
      expect(quickAnswer(argv, texts)).toBeUndefined();
    }
  });
});
