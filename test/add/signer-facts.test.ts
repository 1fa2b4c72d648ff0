/**
 * `add` run by a teammate keeps the signer the project recorded (as `update` does): their git
 * email and SSH key never silently replace the owner's in .allowed_signers. Each "person" is a HOME
 * of their own with a git identity and a real ed25519 key; switching HOME switches who runs add.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/index.js';
import { captureOutput } from '../helpers/output.js';
import { copyFixture, readManifest, runAdd, snapshot } from './helpers.js';
import { caseFolders } from '../helpers/case-folders.js';

let work: string;
const fresh = caseFolders(() => work);
const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();

interface Person {
  home: string;
  email: string;
  /** "ssh-ed25519 AAAA..." of ~/.ssh/id_ed25519.pub. */
  key: string;
}

function person(name: string): Person {
  const home = join(work, `home-${name}`);
  mkdirSync(join(home, '.ssh'), { recursive: true });
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', name, '-f', join(home, '.ssh', 'id_ed25519')]);
  const email = `${name}@example.com`;
  writeFileSync(join(home, '.gitconfig'), `[user]\n\tname = ${name}\n\temail = ${email}\n[init]\n\tdefaultBranch = main\n`);
  const key = readFileSync(join(home, '.ssh', 'id_ed25519.pub'), 'utf8').split(' ').slice(0, 2).join(' ');
  return { home, email, key };
}

const as = (who: Person) => {
  process.env.HOME = who.home;
  process.env.GIT_CONFIG_GLOBAL = join(who.home, '.gitconfig');
};

const signers = (dir: string) => readFileSync(join(dir, '.allowed_signers'), 'utf8');
const trusted = (dir: string) => signers(dir).split('\n').filter((l) => l !== '' && !l.startsWith('#'));

/** The manifest without its recorded facts, as a version from before they were recorded wrote it. */
function dropFacts(dir: string): void {
  const path = join(dir, '.secure-service', 'manifest.json');
  const manifest = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  delete manifest.facts;
  writeFileSync(path, `${JSON.stringify(manifest, null, 2)}\n`);
}

/** The CLI run in-process, which must succeed. */
async function cliOk(argv: string[]): Promise<void> {
  const captured = captureOutput();
  expect(await main(argv, captured.output), captured.stderr()).toBe(0);
}

/** `create` of the Node service "svc" at `app`, as one person runs it (HOME says who). */
const createSvc = (app: string, ...flags: string[]) => cliOk([app, '--yes', '--no-git', '--name', 'svc', '--language', 'node', ...flags]);

let alice: Person;
let bob: Person;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'css-add-signer-'));
  process.env.GIT_CONFIG_NOSYSTEM = '1';
  alice = person('alice');
  bob = person('bob');
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('add keeps the signer the project recorded', () => {
  it("a teammate's add leaves .allowed_signers and the recorded facts as the owner's; a changed signing key reads the machine again", async () => {
    const app = copyFixture('node-express', fresh());
    as(alice);
    expect((await runAdd(['signing', '--yes', '--no-git', '--dir', app])).code).toBe(0);
    const owner = signers(app);
    expect(trusted(app)).toEqual([`${alice.email} namespaces="git" ${alice.key} orders-api-signing-key`]);

    as(bob);
    for (const parts of [['docker'], ['signing'], ['all']]) {
      const result = await runAdd([...parts, '--yes', '--no-git', '--dir', app]);
      expect(result.code, result.err).toBe(0);
      expect(signers(app), parts.join(' ')).toBe(owner);
      expect(readManifest(app).facts, parts.join(' ')).toMatchObject({ signerEmail: alice.email, signerPublicKey: alice.key });
    }

    // An answer the facts are read for, changed on purpose: the machine's signer, as update does.
    writeFileSync(join(bob.home, '.ssh', 'work.pub'), readFileSync(join(bob.home, '.ssh', 'id_ed25519.pub')));
    const changed = await runAdd(['signing', '--yes', '--no-git', '--dir', app, '--signing-key', '~/.ssh/work.pub']);
    expect(changed.code, changed.err).toBe(0);
    expect(trusted(app)).toEqual([`${bob.email} namespaces="git" ${bob.key} orders-api-signing-key`]);
    expect(readManifest(app).facts).toMatchObject({ signerEmail: bob.email, signerPublicKey: bob.key });
  });

  it('reads the signer of a manifest from before facts were recorded back from its .allowed_signers base copy', async () => {
    const app = copyFixture('node-express', fresh());
    as(alice);
    expect((await runAdd(['signing', '--yes', '--no-git', '--dir', app])).code).toBe(0);
    const owner = signers(app);
    dropFacts(app);

    as(bob);
    const result = await runAdd(['signing', '--yes', '--no-git', '--dir', app]);
    expect(result.code, result.err).toBe(0);
    expect(signers(app)).toBe(owner);
    expect(readManifest(app).facts).toMatchObject({ signerEmail: alice.email, signerPublicKey: alice.key });
  });

  it("keeps a monorepo root's signer, read back from its base copy when its manifest records none, when a teammate adds another service", async () => {
    const repo = fresh();
    git(repo, 'init', '-q');
    mkdirSync(join(repo, 'services'));
    const api = copyFixture('node-express', join(repo, 'services'));
    const web = copyFixture('node-pnpm', join(repo, 'services'));
    as(alice);
    expect((await runAdd(['signing', '--yes', '--no-git', '--dir', api])).code).toBe(0);
    const owner = signers(repo);
    expect(trusted(repo)[0]).toMatch(/^alice@example\.com /);
    dropFacts(repo);

    as(bob);
    const result = await runAdd(['signing', '--yes', '--no-git', '--dir', web]);
    expect(result.code, result.err).toBe(0);
    expect(signers(repo)).toBe(owner);
    expect(readManifest(repo).facts).toMatchObject({ signerEmail: alice.email, signerPublicKey: alice.key });
  });

  it("create reads the signer's email where the new project will be, not in the folder it is run from", async () => {
    // Run from inside a repository whose own config names another committer.
    const other = fresh();
    git(other, 'init', '-q');
    git(other, 'config', 'user.email', 'other-repo@example.com');
    const outside = join(fresh(), 'svc');
    const inside = join(other, 'services', 'svc');
    as(alice);
    const cwd = process.cwd();
    process.chdir(other);
    try {
      await createSvc(outside);
      await createSvc(inside);
    } finally {
      process.chdir(cwd);
    }
    // A project of its own commits as its owner's global identity; one inside that repository as the repository does.
    expect(trusted(outside)).toEqual([`${alice.email} namespaces="git" ${alice.key} svc-signing-key`]);
    expect(trusted(inside)[0]).toMatch(/^other-repo@example\.com namespaces="git" /);
  });

  it('create run again by a teammate in the project it made keeps the recorded signer; another --signing-key reads the machine again', async () => {
    const app = join(fresh(), 'svc');
    const create = (...flags: string[]) => createSvc(app, ...flags);
    as(alice);
    await create();
    const owner = signers(app);
    expect(trusted(app)).toEqual([`${alice.email} namespaces="git" ${alice.key} svc-signing-key`]);

    as(bob);
    await create();
    expect(signers(app)).toBe(owner);
    expect(readManifest(app).facts).toMatchObject({ signerEmail: alice.email, signerPublicKey: alice.key });

    writeFileSync(join(bob.home, '.ssh', 'work.pub'), readFileSync(join(bob.home, '.ssh', 'id_ed25519.pub')));
    await create('--signing-key', '~/.ssh/work.pub');
    expect(trusted(app)).toEqual([`${bob.email} namespaces="git" ${bob.key} svc-signing-key`]);
  });

  it('a signer recorded without a key gets it once its owner makes one (add, update, create again), never a teammate\'s key', async () => {
    const carol = person('carol');
    const keyFiles = ['id_ed25519', 'id_ed25519.pub'].map((f) => join(carol.home, '.ssh', f));
    for (const f of keyFiles) renameSync(f, `${f}.later`);
    const facts = (dir: string) => readManifest(dir).facts;
    const create = (app: string) => createSvc(app);
    const update = (app: string) => cliOk(['update', '--yes', '--dir', app, '--no-color']);

    const added = copyFixture('node-express', fresh());
    const created = join(fresh(), 'svc');
    as(carol);
    expect((await runAdd(['signing', '--yes', '--no-git', '--dir', added])).code).toBe(0);
    await create(created);
    for (const app of [added, created]) {
      expect(trusted(app)).toEqual([]);
      expect(facts(app)).toMatchObject({ signerEmail: carol.email, signerPublicKey: null });
    }

    // A teammate with a key of their own: the owner's email is not put on it.
    as(bob);
    expect((await runAdd(['docker', '--yes', '--no-git', '--dir', added])).code).toBe(0);
    await update(added);
    await create(created);
    for (const app of [added, created]) {
      expect(trusted(app)).toEqual([]);
      expect(facts(app)).toMatchObject({ signerEmail: carol.email, signerPublicKey: null });
    }

    // The owner makes their key: the next run trusts it (update --check names the file, not a version).
    for (const f of keyFiles) renameSync(`${f}.later`, f);
    as(carol);
    const check = captureOutput();
    expect(await main(['update', '--check', '--dir', added, '--no-color'], check.output)).toBe(1);
    expect(check.stderr().trim()).toMatch(/^error: create-secure-service \S+ renders \.allowed_signers differently for the same version and answers; run create-secure-service update$/);
    await update(added);
    await create(created);
    const third = copyFixture('node-express', fresh());
    as(carol);
    for (const f of keyFiles) renameSync(f, `${f}.later`);
    expect((await runAdd(['signing', '--yes', '--no-git', '--dir', third])).code).toBe(0);
    for (const f of keyFiles) renameSync(`${f}.later`, f);
    expect((await runAdd(['signing', '--yes', '--no-git', '--dir', third])).code).toBe(0);
    for (const app of [added, created, third]) {
      expect(trusted(app)[0], app).toMatch(new RegExp(`^${carol.email.replace('.', '\\.')} namespaces="git" ${carol.key.replace(/[+/]/g, '\\$&')} `));
      expect(facts(app), app).toMatchObject({ signerEmail: carol.email, signerPublicKey: carol.key });
    }
  });

  it("a key its owner listed by hand, as .allowed_signers says to, is not rendered again: update and add leave their file as it is, with no conflict", async () => {
    const dana = person('dana');
    const keyFiles = ['id_ed25519', 'id_ed25519.pub'].map((f) => join(dana.home, '.ssh', f));
    for (const f of keyFiles) renameSync(f, `${f}.later`);
    as(dana);
    const app = join(fresh(), 'svc');
    await createSvc(app);
    expect(trusted(app)).toEqual([]);
    for (const f of keyFiles) renameSync(`${f}.later`, f);
    // The file's own command, run as written.
    const command = signers(app).split('\n').find((l) => l.startsWith('#   printf '))!.slice('#   '.length);
    execFileSync('sh', ['-c', command], { cwd: app, env: { ...process.env, HOME: dana.home } });
    const listed = signers(app);
    expect(trusted(app)).toEqual([`${dana.email} namespaces="git" ${dana.key}`]);

    await cliOk(['update', '--yes', '--dir', app, '--no-color']);
    expect((await runAdd(['signing', '--yes', '--no-git', '--dir', app])).code).toBe(0);
    expect(signers(app)).toBe(listed);
    expect(readManifest(app).facts).toMatchObject({ signerEmail: dana.email, signerPublicKey: null });
  });

  it('refuses recorded facts edited into another shape with one line, writing nothing (not an internal error of a broken .allowed_signers)', async () => {
    const app = copyFixture('node-express', fresh());
    as(alice);
    expect((await runAdd(['signing', '--yes', '--no-git', '--dir', app])).code).toBe(0);
    const path = join(app, '.secure-service', 'manifest.json');
    const manifest = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    writeFileSync(path, JSON.stringify({ ...manifest, facts: { signerEmail: 'alice@example.com', signerPublicKey: 3 } }));
    const before = snapshot(app);
    const refused = await runAdd(['signing', '--yes', '--no-git', '--dir', app]);
    expect(refused.code, refused.err).toBe(2);
    expect(refused.err.trim().split('\n'), refused.err).toHaveLength(1);
    expect(refused.err).toMatch(/^error: .*manifest\.json: "facts" must be \{signerEmail, signerPublicKey, otherLanguages\?\}; restore it from version control/);
    expect(snapshot(app)).toEqual(before);
  });
});
