/**
 * Our own output passes our own audit: every language x version x base, with and without
 * secrets, backing services and signing, renders (in memory) a tree `check` finds nothing in; so
 * do generated answer sets with hostile-but-valid strings. And create's gate refuses a tree that
 * breaks a rule, with the documented message and exit code.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveAnswers } from '../../src/answers.js';
import { assertRenderedClean, renderedFindings } from '../../src/check/gate.js';
import { UserError } from '../../src/errors.js';
import { renderProject, type FileTree } from '../../src/render/index.js';
import { combinations, render, templates, testFacts } from '../helpers/render.js';

type Flags = Record<string, unknown>;

const variants: { label: string; flags: Flags }[] = [
  { label: 'no secrets, no services, no signing', flags: { secrets: [], services: [], signing: 'none' } },
  { label: 'secrets only, ssh signing', flags: { secrets: ['API_KEY', 'SESSION_SECRET'], services: [], signing: 'ssh' } },
  { label: 'services only, gpg signing', flags: { secrets: [], services: ['postgres', 'redis', 'mongo'], signing: 'gpg', signingKey: '0xABCDEF0123456789' } },
  { label: 'secrets and services, KV v1, no signing', flags: { secrets: ['STRIPE_TOKEN'], services: ['postgres'], signing: 'none', vaultKv: 1 } },
  { label: "an existing project's own sources", flags: { sources: ['lib', 'index.js', 'web/static', '*.go', 'cmd/*.go', 'appsettings*.json'] } },
];

const brief = async (tree: FileTree) => (await renderedFindings(tree)).map((f) => `${f.file}:${f.line} ${f.rule} ${f.message}`);

describe('every generated project passes check (rendered in memory)', () => {
  for (const combo of combinations()) {
    it(`${combo.language} ${combo.languageVersion} on ${combo.base}`, async () => {
      for (const v of variants) {
        const tree = await render({ ...combo, ...v.flags });
        expect(await brief(tree), v.label).toEqual([]);
      }
    });
  }
});

/** Strings the validators accept but a careless template would break on. */
const hostileWord = fc.stringMatching(/^[A-Za-z0-9_.\/:=@%${}\\;&|<>!#*?~^+,[\]-]{1,14}$/);
const quotedWord = fc.stringMatching(/^[A-Za-z0-9 _.\/:=@%${}\\;&|<>!#*?~^+,[\]-]{1,14}$/).map((w) => `"${w}"`);
const answerSets = fc.record({
  combo: fc.constantFrom(...combinations()),
  name: fc.oneof(fc.stringMatching(/^[a-z]([a-z0-9-]{0,20}[a-z0-9])?$/), fc.constantFrom('null', 'yes', 'no', 'on', 'true', 'nan', 'inf', 'y')),
  port: fc.integer({ min: 1024, max: 65535 }),
  healthPath: fc.array(fc.stringMatching(/^[A-Za-z0-9_~-][A-Za-z0-9._~-]{0,12}$/), { maxLength: 4 }).map((s) => `/${s.join('/')}`),
  start: fc.array(fc.oneof(hostileWord, quotedWord), { minLength: 1, maxLength: 5 }).map((w) => w.join(' ')),
  sources: fc.uniqueArray(fc.oneof(fc.stringMatching(/^[A-Za-z0-9_@+][A-Za-z0-9._@+-]{0,10}(\/[A-Za-z0-9._@+-]{1,8}){0,2}$/), fc.stringMatching(/^([a-z]{1,6}\/)?[a-z*?]{0,3}\*[a-z.?]{0,5}$/)), { minLength: 1, maxLength: 4 }),
  secrets: fc.uniqueArray(fc.stringMatching(/^[A-Z][A-Z0-9_]{0,20}$/), { maxLength: 6 }),
  services: fc.subarray(['postgres', 'redis', 'mongo']),
  networks: fc.uniqueArray(fc.oneof(fc.stringMatching(/^[a-z][a-z0-9-]{0,12}$/), fc.constantFrom('yes', 'no', 'on', 'off', 'null', 'true')), { minLength: 1, maxLength: 3 }),
  cpu: fc.integer({ min: 10, max: 6400 }).map((n) => n / 100),
  memory: fc.integer({ min: 32, max: 65536 }),
  datacenter: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_-]{0,20}$/),
  vaultKv: fc.constantFrom(1, 2),
  vaultMount: fc.stringMatching(/^[a-z0-9][a-z0-9_-]{0,20}$/),
  vaultRole: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_-]{0,20}$/),
  signing: fc.constantFrom('ssh', 'gpg', 'none'),
  sourceUrl: fc.oneof(fc.constant(''), fc.stringMatching(/^[A-Za-z0-9._~:\/@%+-]{1,30}$/).map((p) => `https://example.com/${p}`)),
});

describe('property: any valid answers, hostile strings included, render files that parse and pass check', () => {
  it('holds for generated answer sets', async () => {
    const set = await templates();
    let rendered = 0;
    await fc.assert(
      fc.asyncProperty(answerSets, async ({ combo, ...rest }) => {
        let answers;
        try {
          answers = await resolveAnswers({ flags: { ...combo, ...rest } });
        } catch (error) {
          // A generated set the validators refuse (a secret named LD_x, a name equal to a
          // service's) is not a valid answer set: skip it. resolveAnswers reports those as
          // UserError, never as the InvalidAnswer this once waited for, so one failed the run.
          if (error instanceof UserError) return fc.pre(false);
          throw error;
        }
        const tree = renderProject(answers, set, { facts: testFacts, generatorVersion: '0.0.0-test' });
        rendered++;
        expect(await brief(tree)).toEqual([]);
      }),
      { numRuns: 80 },
    );
    expect(rendered).toBeGreaterThan(40);
  });
});

describe("create's gate", () => {
  const tamper = async (path: string, edit: (text: string) => string): Promise<FileTree> => {
    const tree = await render({ secrets: ['API_KEY'], services: ['postgres'] });
    const file = tree.get(path)!;
    const content = edit(file.content);
    expect(content).not.toBe(file.content);
    tree.set(path, { ...file, content });
    return tree;
  };

  it('passes a rendered project', async () => {
    const tree = await render({});
    await expect(assertRenderedClean(tree)).resolves.toBeUndefined();
  });

  it('refuses a Dockerfile that runs as root: exit 1, nothing written, please report', async () => {
    const tree = await tamper('Dockerfile', (t) => t.replace(/^USER .*$/m, 'USER root'));
    let error: unknown;
    try {
      await assertRenderedClean(tree);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).exitCode).toBe(1);
    expect((error as UserError).message).toMatch(/^internal error: the generator rendered a file that breaks D04 \(Dockerfile:\d+: .*\); nothing was written; please report it$/);
  });

  it('refuses a compose file that publishes on every interface, and conflict markers anywhere', async () => {
    const ports = await tamper('compose.yaml', (t) => t.replace('"127.0.0.1:3000:3000"', '"3000:3000"'));
    await expect(assertRenderedClean(ports)).rejects.toThrow(/breaks C04 \(compose\.yaml:\d+/);
    const markers = await tamper('src/server.js', (t) => `<<<<<<< ours\n${t}=======\n${t}>>>>>>> theirs\n`);
    await expect(assertRenderedClean(markers)).rejects.toThrow(/breaks F02 \(src\/server\.js:1:/);
  });
});
