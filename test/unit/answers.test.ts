import { describe, expect, it } from 'vitest';
import { resolveAnswers, validateAnswers, type Asker } from '../../src/answers.js';
import { UserError } from '../../src/errors.js';
import { questions, type AnswerKey, type Answers, type Question } from '../../src/questions.js';

describe('resolveAnswers', () => {
  it('gives a complete, valid default set with --yes', async () => {
    const a = await resolveAnswers({});
    expect(a).toMatchObject({ name: 'my-svc', language: 'node', languageVersion: '24', base: 'alpine', port: 3000, healthPath: '/healthz', signing: 'ssh', vaultKv: 2 });
    expect(Object.keys(a).sort()).toEqual(questions.map((q) => q.key).sort());
  });

  it('derives later defaults from earlier answers', async () => {
    const go = await resolveAnswers({ flags: { language: 'go' } });
    expect(go).toMatchObject({ languageVersion: '1.25', base: 'scratch', port: 8080 });
    const php = await resolveAnswers({ flags: { language: 'php', port: '9000' } });
    expect(php.start).toBe('php -S 0.0.0.0:9000 -t public public/index.php');
    const named = await resolveAnswers({ flags: { name: 'billing' } });
    expect(named.vaultRole).toBe('billing');
  });

  it('flags win over the file, the file over defaults', async () => {
    const a = await resolveAnswers({ flags: { port: '4000' }, file: { label: 'a.json', values: { port: 5000, name: 'from-file' } } });
    expect(a.port).toBe(4000);
    expect(a.name).toBe('from-file');
  });

  it('names the source of a bad value', async () => {
    await expect(resolveAnswers({ flags: { port: '80' } })).rejects.toThrow(/^--port: port 80 is a privileged port/);
    await expect(validateAnswers({ port: 'x' }, 'answers.json')).rejects.toThrow(/^answers.json: "port": port "x" is not a whole number/);
  });

  it('rejects unknown keys in a file, naming the key meant when one is close', async () => {
    await expect(validateAnswers({ colour: 'x' }, 'answers.json')).rejects.toThrow(/^answers.json: unknown key "colour"; remove it \(known keys: name, language, languageVersion, /);
    await expect(validateAnswers({ nmae: 'x' }, 'answers.json')).rejects.toThrow(/^answers.json: unknown key "nmae" \(did you mean "name"\?\); rename it, or remove it$/);
    await expect(validateAnswers({ vault_kv: 2 }, 'answers.json')).rejects.toThrow(/^answers.json: unknown key "vault_kv" \(did you mean "vaultKv"\?\); rename it, or remove it$/);
    // The flag's spelling, or another letter case, is the key itself.
    await expect(validateAnswers({ 'language-version': '22' }, 'answers.json')).rejects.toThrow(/^answers.json: unknown key "language-version"; write it as "languageVersion", as answers files spell --language-version$/);
    await expect(validateAnswers({ Port: 8080 }, 'answers.json')).rejects.toThrow(/^answers.json: unknown key "Port"; write it as "port", as answers files spell --port$/);
    // The closest of two near keys; none when two are as close.
    await expect(validateAnswers({ signingKe: 'x' }, 'answers.json')).rejects.toThrow(/^answers.json: unknown key "signingKe" \(did you mean "signingKey"\?\)/);
    // A key far longer than any is not compared edit by edit (a 2-million-cell table otherwise).
    const started = process.memoryUsage().heapUsed;
    await expect(validateAnswers({ ['n'.repeat(200_000)]: 'x' }, 'answers.json')).rejects.toThrow(/unknown key "n+\.\.\."; remove it \(known keys/);
    expect(process.memoryUsage().heapUsed - started).toBeLessThan(20 * 1024 * 1024);
    await expect(validateAnswers({ bame: 'x' }, 'answers.json')).rejects.toThrow(/^answers.json: unknown key "bame"; remove it \(known keys/);
  });

  it('rejects a base the language does not offer', async () => {
    await expect(resolveAnswers({ flags: { language: 'node', base: 'scratch' } })).rejects.toThrow(/--base: base "scratch" is not available for Node.js 24; choose one of: alpine, distroless, debian-slim/);
    await expect(resolveAnswers({ flags: { language: 'python', languageVersion: '3.13', base: 'distroless' } })).rejects.toThrow(/not available for Python 3.13/);
  });

  it('rejects a secret that collides with a backing service secret', async () => {
    await expect(resolveAnswers({ flags: { services: ['postgres'], secrets: ['POSTGRES_PASSWORD'] } })).rejects.toThrow(UserError);
  });

  it('rejects a service name that a backing service already uses', async () => {
    await expect(resolveAnswers({ flags: { name: 'redis', services: ['redis'] } })).rejects.toThrow(/--service: redis is both the service's name and a backing service's/);
  });

  it('asks only what flags did not answer, in registry order, and skips questions that do not apply', async () => {
    const asked: AnswerKey[] = [];
    const asker: Asker = {
      async ask<K extends AnswerKey>(q: Question<K>, known: Partial<Answers>) {
        asked.push(q.key);
        return q.parse(q.defaultValue(known), known);
      },
    };
    await resolveAnswers({ flags: { name: 'x', signing: 'none' }, asker });
    expect(asked).not.toContain('name');
    expect(asked).not.toContain('signing');
    expect(asked).not.toContain('signingKey');
    expect(asked[0]).toBe('language');
  });
});

describe('the backing services question, as a prompt checks it', () => {
  it('refuses a choice that clashes with an earlier answer at once, not after every question', () => {
    const services = questions.find((q) => q.key === 'services')! as unknown as Question;
    // At the prompt the name and the secrets are answered already: leaving the service out is the fix at hand.
    expect(() => services.parse(['redis'], { name: 'redis' })).toThrow(/redis is both the service's name and a backing service's; .* or leave out the redis backing service$/);
    expect(() => services.parse(['postgres'], { name: 'api', secrets: ['POSTGRES_PORT'] })).toThrow(/POSTGRES_PORT is a variable the postgres service sets for the app .*, or leave out the postgres backing service$/);
    expect(services.parse(['postgres', 'redis'], { name: 'api', secrets: ['API_KEY'] })).toEqual(['postgres', 'redis']);
  });
});
