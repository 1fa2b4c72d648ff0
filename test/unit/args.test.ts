import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCli } from '../../src/cli/args.js';
import { questions } from '../../src/questions.js';

/** parseCli's outcome: its result, or the message it refused with. */
function outcome(argv: string[]) {
  try {
    return parseCli(argv, questions);
  } catch (error) {
    return { error: (error as Error).message };
  }
}

describe('parseCli', () => {
  it('reads an argv without options exactly as the option parser would (which it skips for them)', () => {
    // Words that are not options: command names, service names, paths, odd characters.
    const word = fc.oneof(fc.constantFrom('create', 'check', 'add', 'update', 'docker', 'all', 'my-svc', '.', '../x', 'a b'), fc.string({ minLength: 1 }).filter((s) => !s.startsWith('-')));
    fc.assert(
      fc.property(fc.array(word, { maxLength: 4 }), (argv) => {
        // --debug forces the option parser and changes nothing else.
        const parsed = outcome([...argv, '--debug']);
        const expected = 'error' in parsed ? parsed : { ...parsed, debug: false, options: Object.fromEntries(Object.entries(parsed.options).filter(([k]) => k !== 'debug')) };
        expect(outcome(argv)).toEqual(expected);
      }),
    );
  });

  it('refuses a one-value flag given twice with different values, and takes the same value twice or a list flag repeated', () => {
    expect(outcome(['svc', '--port', '8080', '--yes', '--port=9090'])).toEqual({ error: '--port is given twice, as "8080" and "9090"; give it once' });
    expect(outcome(['update', '--dir', 'a', '--dir', 'b'])).toEqual({ error: '--dir is given twice, as "a" and "b"; give it once' });
    expect(outcome(['svc', '--name', 'a\u001b[2J', '--name', 'b'])).toEqual({ error: '--name is given twice, as "a\\u001b[2J" and "b"; give it once' });
    expect(outcome(['svc', '--port', '8080', '--port', '8080'])).toMatchObject({ answers: { port: '8080' } });
    expect(outcome(['svc', '--secret', 'A', '--secret', 'B', '--yes', '--yes'])).toMatchObject({ answers: { secrets: ['A', 'B'] } });
    expect(outcome(['check', '--rule', 'D01', '--rule', 'D02'])).toMatchObject({ options: { rule: ['D01', 'D02'] } });
  });

  it('still validates whatever has an option in it', () => {
    expect(outcome(['my-svc', '--bogus'])).toEqual({ error: 'unknown option --bogus; run create-secure-service --help for the options' });
    expect(outcome(['check', 'a', 'b'])).toEqual({ error: expect.stringMatching(/^too many arguments for check: a b;/) });
    expect(outcome(['my-svc', '--name', 'x'])).toMatchObject({ command: 'create', positionals: ['my-svc'], answers: { name: 'x' } });
  });

  it('reads a list flag as its prompt reads text: comma-separated, repeatable, empty for none', () => {
    expect(outcome(['svc', '--secret', 'API_KEY, STRIPE_TOKEN', '--secret', 'X_Y'])).toMatchObject({ answers: { secrets: ['API_KEY', 'STRIPE_TOKEN', 'X_Y'] } });
    expect(outcome(['svc', '--network', 'a,b', '--service', 'postgres,redis', '--source', 'src,app.py'])).toMatchObject({ answers: { networks: ['a', 'b'], services: ['postgres', 'redis'], sources: ['src', 'app.py'] } });
    expect(outcome(['svc', '--secret', ''])).toMatchObject({ answers: { secrets: [] } });
    // Not a list: a comma stays in the value, for its own parser to judge.
    expect(outcome(['svc', '--start', 'node a.js --x=1,2'])).toMatchObject({ answers: { start: 'node a.js --x=1,2' } });
  });

  it("words the option parser's refusals in the user's own words, with the fix", () => {
    const error = (argv: string[]) => (outcome(argv) as { error?: string }).error;
    // A typo of this command's option is named; a guess between two names is not offered.
    expect(error(['svc', '--yess'])).toBe('unknown option --yess (did you mean --yes?); run create-secure-service --help for the options');
    expect(error(['update', '--dirr', 'x'])).toBe('unknown option --dirr (did you mean --dir?); run create-secure-service update --help for the options');
    expect(error(['svc', '--no-colour'])).toBe('unknown option --no-colour (did you mean --no-color?); run create-secure-service --help for the options');
    expect(error(['svc', '--colour'])).toBe('unknown option --colour; run create-secure-service --help for the options');
    expect(error(['svc', '-yx'])).toBe('unknown option -x; run create-secure-service --help for the options');
    expect(error(['svc', '--\u001b[2Jx'])).toBe('unknown option --\\u001b[2Jx; run create-secure-service --help for the options');
    // Another command's option.
    expect(error(['check', '--yes'])).toBe('--yes is an option of create, update and add, not of check; run create-secure-service check --help for the options');
    expect(error(['--rule', 'D01'])).toBe('--rule is an option of check, not of create; run create-secure-service --help for the options');
    // A value that starts with a dash, and a value forgotten.
    expect(error(['svc', '--cpu', '-1'])).toBe('the value of --cpu, "-1", starts with "-" and reads as an option; write it as --cpu=-1');
    expect(error(['svc', '--start', '-x y'])).toBe(`the value of --start, "-x y", starts with "-" and reads as an option; write it as --start='-x y'`);
    expect(error(['svc', '--cpu', '--yes'])).toBe('--cpu is missing its value (the next word, --yes, is an option); write --cpu <cores>, or leave --cpu out');
    expect(error(['svc', '--cpu', '-y'])).toBe('--cpu is missing its value (the next word, -y, is an option); write --cpu <cores>, or leave --cpu out');
    expect(error(['svc', '--cpu', '--', 'x'])).toBe('--cpu is missing its value (the next word, --, ends the options); write --cpu <cores>, or leave --cpu out');
    expect(error(['check', '--rule'])).toBe('--rule is missing its value; write --rule <ID>, or leave --rule out');
    expect(error(['svc', '--no-git=1'])).toBe('--no-git takes no value; write --no-git alone');
    expect(error(['update', '--dir'])).toBe('--dir is missing its value; write --dir <path>, or leave --dir out');
    expect(error(['svc', '--answers', '--yes'])).toBe('--answers is missing its value (the next word, --yes, is an option); write --answers <file>, or leave --answers out');
    // What it then means is taken as written.
    expect(outcome(['svc', '--cpu=-1'])).toMatchObject({ answers: { cpu: '-1' } });
  });
});
