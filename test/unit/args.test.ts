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
    expect(outcome(['my-svc', '--bogus'])).toEqual({ error: expect.stringMatching(/^Unknown option '--bogus'; run create-secure-service --help for the options$/) });
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
});
