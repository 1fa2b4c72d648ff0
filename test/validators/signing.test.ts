/**
 * Signed commits end to end with the real tools: ssh-keygen makes the keys, the real facts reader
 * and renderer write .allowed_signers and scripts/verify-signatures.sh, the real post-step
 * configures repo-local signing, and real git signs and verifies. HOME and the global git config
 * point into a temp folder, so the user's own keys and settings never take part.
 */
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { realDisk } from '../../src/disk.js';
import { readFacts } from '../../src/facts.js';
import { projectPart } from '../../src/parts/project.js';
import { signingPart } from '../../src/parts/signing.js';
import { postSteps, type PostStepContext } from '../../src/post-steps.js';
import type { Answers } from '../../src/questions.js';
import { renderProject } from '../../src/render/index.js';
import { main } from '../../src/index.js';
import { captureOutput, silentUi } from '../helpers/output.js';
import { answersFor, templates } from '../helpers/render.js';

interface Result {
  exitCode: number;
  stdout: string;
  stderr: string;
}

async function run(file: string, args: string[], cwd: string, env: Record<string, string> = {}): Promise<Result> {
  const r = await execa(file, args, { cwd, reject: false, stdin: 'ignore', env });
  return { exitCode: r.exitCode ?? 1, stdout: String(r.stdout), stderr: String(r.stderr) };
}

async function ok(file: string, args: string[], cwd: string, env: Record<string, string> = {}): Promise<string> {
  const r = await run(file, args, cwd, env);
  if (r.exitCode !== 0) throw new Error(`${file} ${args.join(' ')} failed (${r.exitCode}): ${r.stderr || r.stdout}`);
  return r.stdout.trim();
}


/** Render the signing part with the facts the CLI would read in `root`, and write it there. */
async function generate(a: Answers, root: string): Promise<void> {
  const facts = await readFacts(a, root);
  const tree = renderProject(a, await templates(), { facts, generatorVersion: '0.0.0-test', parts: [signingPart] });
  for (const file of tree.values()) {
    const path = join(root, file.path);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, file.content);
    await chmod(path, file.mode);
  }
}

/** The real "Configuring commit signing" post-step (S01/S02), as the CLI runs it. */
async function configureSigning(a: Answers, root: string) {
  const entry = postSteps.find((s) => /signing/i.test(s.label));
  if (!entry) throw new Error('no signing post-step registered');
  const context: PostStepContext = { root, answers: a, services: [], git: true, disk: await realDisk(), ui: silentUi };
  return entry.step(context);
}

async function newRepo(root: string): Promise<void> {
  await mkdir(root, { recursive: true });
  await ok('git', ['init', '-q', '-b', 'main'], root);
  await ok('git', ['config', 'user.email', 'dev@example.com'], root);
  await ok('git', ['config', 'user.name', 'Dev'], root);
}

/** A new repository with the SSH signing part generated and configured, its files committed (signed) as `message`. */
async function sshSignedRepo(name: string, message = 'base, signed'): Promise<string> {
  const root = join(tmp, name);
  await newRepo(root);
  const a = await answersFor({ name: 'sig-svc', signing: 'ssh', signingKey: '~/.ssh/id_ed25519.pub' });
  await generate(a, root);
  await configureSigning(a, root);
  await ok('git', ['add', '-A'], root);
  await ok('git', ['commit', '-q', '-m', message], root);
  return root;
}

const verify = (root: string, ...args: string[]) => run(join(root, 'scripts/verify-signatures.sh'), args, root);

let tmp: string;
const gpgHomes: string[] = [];
let home: string;
const savedEnv: Record<string, string | undefined> = {};

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'css-signing-'));
  home = join(tmp, 'home');
  await mkdir(join(home, '.ssh'), { recursive: true, mode: 0o700 });
  await writeFile(join(home, '.gitconfig'), '');
  const env: Record<string, string | undefined> = {
    HOME: home,
    GIT_CONFIG_GLOBAL: join(home, '.gitconfig'),
    GIT_CONFIG_NOSYSTEM: '1',
    SSH_AUTH_SOCK: undefined,
    GNUPGHOME: join(home, '.gnupg'),
  };
  for (const [key, value] of Object.entries(env)) {
    savedEnv[key] = process.env[key];
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  await Promise.all([
    ok('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'trusted', '-f', join(home, '.ssh/id_ed25519')], tmp),
    ok('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'stranger', '-f', join(home, '.ssh/stranger')], tmp),
  ]);
});

afterAll(async () => {
  // gpg starts an agent per GNUPGHOME; stop the ones this file started.
  for (const gnupg of gpgHomes) await run('gpgconf', ['--kill', 'gpg-agent'], tmp, { GNUPGHOME: gnupg });
  for (const [key, value] of Object.entries(savedEnv)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

/** The CLI run in-process from `cwd` (as a user runs it there), with what it printed. */
async function cli(argv: string[], cwd: string): Promise<{ code: number; out: string }> {
  const captured = captureOutput();
  const previous = process.cwd();
  process.chdir(cwd);
  try {
    const code = await main(argv, captured.output);
    return { code, out: captured.stdout() + captured.stderr() };
  } finally {
    process.chdir(previous);
  }
}

describe('ssh commit signing, round trip with git and ssh-keygen', () => {
  it('accepts commits signed by the key in .allowed_signers and names every other commit', async () => {
    const root = join(tmp, 'repo');
    await newRepo(root);
    const a = await answersFor({ name: 'sig-svc', signing: 'ssh', signingKey: '~/.ssh/id_ed25519.pub' });
    await generate(a, root);

    // S02: one line for the key, restricted to the git namespace.
    const allowed = await readFile(join(root, '.allowed_signers'), 'utf8');
    const publicKey = (await readFile(join(home, '.ssh/id_ed25519.pub'), 'utf8')).split(' ').slice(0, 2).join(' ');
    expect(allowed).toContain(`dev@example.com namespaces="git" ${publicKey} `);

    // S01: the real post-step writes repo-local config only.
    const outcome = await configureSigning(a, root);
    expect(outcome).toMatchObject({ ok: true });
    expect(await ok('git', ['config', '--local', 'commit.gpgsign'], root)).toBe('true');
    expect(await ok('git', ['config', '--local', 'tag.gpgSign'], root)).toBe('true');
    expect(await ok('git', ['config', '--local', 'gpg.format'], root)).toBe('ssh');
    expect(await readFile(join(home, '.gitconfig'), 'utf8')).toBe('');

    await ok('git', ['add', '-A'], root);
    await ok('git', ['commit', '-q', '-m', 'first, signed'], root);
    const good = await run('git', ['verify-commit', 'HEAD'], root);
    expect(good.exitCode, good.stderr).toBe(0);
    expect(good.stderr).toContain('Good "git" signature for dev@example.com');

    const allGood = await verify(root);
    expect(allGood.exitCode, allGood.stderr).toBe(0);
    expect(allGood.stdout).toContain('all 1 commits in HEAD');

    // An unsigned commit fails the check and is named.
    await ok('git', ['-c', 'commit.gpgsign=false', 'commit', '-q', '--allow-empty', '-m', 'second, unsigned'], root);
    const unsigned = await ok('git', ['rev-parse', '--short', 'HEAD'], root);
    // A commit signed by a key that is not in .allowed_signers fails too.
    await ok('git', ['-c', `user.signingkey=${join(home, '.ssh/stranger.pub')}`, 'commit', '-q', '--allow-empty', '-m', 'third, stranger'], root);
    const stranger = await ok('git', ['rev-parse', '--short', 'HEAD'], root);
    expect((await run('git', ['verify-commit', 'HEAD'], root)).exitCode).not.toBe(0);

    const bad = await verify(root);
    expect(bad.exitCode).toBe(1);
    expect(bad.stderr).toContain(`FAIL ${unsigned} unsigned: second, unsigned`);
    expect(bad.stderr).toContain(`FAIL ${stranger} signed by a key that is not in .allowed_signers: third, stranger`);
    expect(bad.stderr).toContain('2 of 3 commits');
    expect(bad.stderr).not.toMatch(/FAIL \S+ .*first, signed/);

    // A range limits the check; usage errors exit 2.
    expect((await verify(root, 'HEAD~2')).exitCode).toBe(0);
    expect((await verify(root, 'HEAD~1..HEAD')).exitCode).toBe(1);
    expect((await verify(root, 'HEAD', 'extra')).exitCode).toBe(2);
    expect((await verify(root, 'no-such-ref..HEAD')).exitCode).toBe(2);
    expect((await verify(root, '--output=x')).exitCode).toBe(2);

    // S02: a fresh clone has no signing config, yet the script still trusts exactly the committed keys.
    await ok('git', ['reset', '-q', '--hard', 'HEAD~2'], root);
    const clone = join(tmp, 'clone');
    await ok('git', ['clone', '-q', root, clone], tmp);
    expect((await run('git', ['config', '--get', 'gpg.ssh.allowedSignersFile'], clone)).exitCode).toBe(1);
    const fresh = await verify(clone, 'HEAD');
    expect(fresh.exitCode, fresh.stderr).toBe(0);
    // git verify-commit needs the repo-local setting, which a clone does not copy: the committed
    // file says how to set it, and then it gives the script's answer.
    expect((await run('git', ['verify-commit', 'HEAD'], clone)).exitCode).not.toBe(0);
    const setting = (await readFile(join(clone, '.allowed_signers'), 'utf8')).split('\n').find((l) => l.startsWith('#   git config --local gpg.ssh.allowedSignersFile '));
    expect(setting).toBeDefined();
    await ok('sh', ['-c', setting!.slice('#   '.length)], clone);
    const cloneVerify = await run('git', ['verify-commit', 'HEAD'], clone);
    expect(cloneVerify.exitCode, cloneVerify.stderr).toBe(0);
    // Without a range, the clone checks only what is not on origin yet: nothing.
    const nothing = await verify(clone);
    expect(nothing.exitCode).toBe(0);
    expect(nothing.stdout).toContain('no commits in origin/HEAD..HEAD');
  });

  // SECURITY.md's CI example checks out the pull request's head (actions/checkout `ref:`): a pull
  // request job otherwise gets the merge commit the forge makes, which none of the signers signed.
  it("in a pull request job, passes the request's own head and fails the forge's merge commit", async () => {
    const root = await sshSignedRepo('pr-origin');
    await ok('git', ['checkout', '-q', '-b', 'feature'], root);
    await ok('git', ['commit', '-q', '--allow-empty', '-m', 'feature, signed'], root);
    await ok('git', ['checkout', '-q', 'main'], root);
    await ok('git', ['commit', '-q', '--allow-empty', '-m', 'main moved on, signed'], root);
    const ci = join(tmp, 'pr-ci');
    await ok('git', ['clone', '-q', root, ci], tmp);
    const head = await ok('git', ['rev-parse', 'origin/feature'], ci);
    // What a pull request job checks out by default: a merge of the head into the base, by the forge.
    await ok('git', ['-c', 'user.name=GitHub', '-c', 'user.email=noreply@github.com', '-c', 'commit.gpgsign=false', 'merge', '-q', '--no-ff', '-m', 'Merge feature into main', 'origin/feature'], ci);
    const merged = await verify(ci, 'origin/main..HEAD');
    expect(merged.exitCode).toBe(1);
    expect(merged.stderr).toMatch(/FAIL \S+ unsigned: Merge feature into main/);
    await ok('git', ['checkout', '-q', head], ci);
    const own = await verify(ci, 'origin/main..HEAD');
    expect(own.exitCode, own.stderr).toBe(0);
    expect(own.stdout).toContain('all 1 commits in origin/main..HEAD');
  });

  it("on a push that creates a branch (an all-zero <before>), checks what the branch adds to the default branch", async () => {
    const root = join(tmp, 'new-branch-origin');
    await newRepo(root);
    const a = await answersFor({ name: 'sig-svc', signing: 'ssh', signingKey: '~/.ssh/id_ed25519.pub' });
    await generate(a, root);
    await configureSigning(a, root);
    await ok('git', ['add', '-A'], root);
    await ok('git', ['-c', 'commit.gpgsign=false', 'commit', '-q', '-m', 'old unsigned history on main'], root);
    await ok('git', ['checkout', '-q', '-b', 'feature'], root);
    await ok('git', ['commit', '-q', '--allow-empty', '-m', 'feature, signed'], root);
    await ok('git', ['checkout', '-q', 'main'], root);
    const ci = join(tmp, 'new-branch-ci');
    await ok('git', ['clone', '-q', '--branch', 'feature', root, ci], tmp);
    const after = await ok('git', ['rev-parse', 'HEAD'], ci);
    const nothing = '0'.repeat(40);
    const created = await verify(ci, `${nothing}..${after}`);
    expect(created.exitCode, created.stderr).toBe(0);
    expect(created.stdout).toContain(`all 1 commits in origin/HEAD..${after}`);
    // An unsigned commit on the new branch fails it.
    await ok('git', ['-c', 'user.name=Dev', '-c', 'user.email=dev@example.com', '-c', 'commit.gpgsign=false', 'commit', '-q', '--allow-empty', '-m', 'feature, unsigned'], ci);
    const unsigned = await verify(ci, `${nothing}..HEAD`);
    expect(unsigned.exitCode).toBe(1);
    expect(unsigned.stderr).toMatch(/FAIL \S+ unsigned: feature, unsigned/);
    // The push that created the default branch itself: all of it is new, so all of it is checked.
    const first = await verify(ci, `${nothing}..origin/main`);
    expect(first.exitCode, first.stdout).toBe(1);
    expect(first.stderr).toMatch(/FAIL \S+ unsigned: old unsigned history on main/);
  });

  // git reports U for a listed key outside its validity window, as for an unlisted one, and B for a
  // key listed without the git namespace, as for a forged signature: the script says which it is.
  it('says when a listed key is outside its valid-after/valid-before window or not for git, and still fails', async () => {
    const root = await sshSignedRepo('key-options');
    const head = await ok('git', ['rev-parse', '--short', 'HEAD'], root);
    const listed = await readFile(join(root, '.allowed_signers'), 'utf8');
    // The key's own line, not the comments that show the format.
    const withOptions = async (options: string) => writeFile(join(root, '.allowed_signers'), listed.replace(/^dev@example\.com namespaces="git" /m, `dev@example.com ${options} `));
    const expectFail = async (why: string) => {
      const r = await verify(root, 'HEAD');
      expect(r.exitCode, r.stdout).toBe(1);
      expect(r.stderr).toContain(`FAIL ${head} ${why}: base, signed`);
    };
    await withOptions('namespaces="git",valid-before="20000101"');
    await expectFail("signed by a key that .allowed_signers lists, but not at this commit's date (outside the line's valid-after/valid-before window)");
    await withOptions('namespaces="git",valid-after="20990101"');
    await expectFail("signed by a key that .allowed_signers lists, but not at this commit's date (outside the line's valid-after/valid-before window)");
    await withOptions('namespaces="file"');
    await expectFail('signed by a key that .allowed_signers lists, but not for git signatures (its namespaces= option lacks git)');
    // Not listed at all, and a signature that does not match its commit, keep their own messages.
    await writeFile(join(root, '.allowed_signers'), '# nobody\n');
    await expectFail('signed by a key that is not in .allowed_signers');
    await withOptions('namespaces="file"');
    const object = (await execa('git', ['cat-file', 'commit', 'HEAD'], { cwd: root, stripFinalNewline: false })).stdout;
    const forged = (await execa('git', ['hash-object', '-t', 'commit', '-w', '--stdin'], { cwd: root, input: object.replace('base, signed', 'base, forged') })).stdout.trim();
    const scratch = join(tmp, 'key-options-tmp');
    await mkdir(scratch);
    const bad = await run(join(root, 'scripts/verify-signatures.sh'), [forged], root, { TMPDIR: scratch });
    expect(await readdir(scratch)).toEqual([]);
    expect(bad.exitCode, bad.stdout).toBe(1);
    expect(bad.stderr).toMatch(/FAIL \S+ bad signature \(the commit does not match it\): base, forged/);
    // ssh-keygen reads option names case-insensitively and namespaces as patterns, as S02 does:
    // both lines verify, and S02 flags only the pattern (test/check/allowed-signers.test.ts).
    for (const options of ['NAMESPACES="git"', 'namespaces="*"']) {
      await withOptions(options);
      expect((await verify(root, 'HEAD')).exitCode, options).toBe(0);
    }
    // The restored line passes.
    await writeFile(join(root, '.allowed_signers'), listed);
    expect((await verify(root, 'HEAD')).exitCode).toBe(0);
  });

  // S01 signs tags too (tag.gpgSign), and a release is built from a tag: --tag checks one.
  it('--tag passes a tag signed by a trusted key and fails lightweight, unsigned and untrusted tags', async () => {
    const root = await sshSignedRepo('tags');
    await ok('git', ['tag', '-a', '-m', 'release 1', 'v1'], root);
    // tag.gpgSign (S01) turns even `git tag <name>` into a signed annotated tag: turn it off here.
    await ok('git', ['-c', 'tag.gpgSign=false', 'tag', 'light'], root);
    await ok('git', ['-c', 'tag.gpgSign=false', 'tag', '-a', '-m', 'not signed', 'unsigned'], root);
    await ok('git', ['-c', `user.signingkey=${join(home, '.ssh/stranger.pub')}`, 'tag', '-s', '-m', 'by a stranger', 'stranger'], root);
    const good = await verify(root, '--tag', 'v1');
    expect(good.exitCode, good.stderr).toBe(0);
    expect(good.stdout).toContain('ok: tag v1 has a good signature from a trusted key');
    const fails: [string, string][] = [
      ['light', 'a lightweight tag, which carries no signature: replace it with a signed one (git tag -s)'],
      ['unsigned', 'unsigned: replace it with a signed tag (git tag -s)'],
      ['stranger', 'bad signature, or not from a key in .allowed_signers (git -c gpg.ssh.allowedSignersFile=.allowed_signers verify-tag stranger says which)'],
    ];
    for (const [tag, why] of fails) {
      const r = await verify(root, '--tag', tag);
      expect(r.exitCode, `${tag}: ${r.stdout}`).toBe(1);
      expect(r.stderr).toContain(`FAIL tag ${tag}: ${why}`);
    }
    // A signed tag whose message is then altered: its signature no longer matches.
    const object = (await execa('git', ['cat-file', 'tag', 'v1'], { cwd: root, stripFinalNewline: false })).stdout;
    const forged = (await execa('git', ['hash-object', '-t', 'tag', '-w', '--stdin'], { cwd: root, input: object.replace('release 1', 'release 2') })).stdout.trim();
    await ok('git', ['update-ref', 'refs/tags/forged', forged], root);
    expect((await verify(root, '--tag', 'forged')).exitCode).toBe(1);
    const missing = await verify(root, '--tag', 'nope');
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toContain('error: there is no tag nope here; fetch tags (git fetch --tags) or check the name');
    for (const args of [['--tag'], ['--tag', ''], ['--tag', 'v1', 'extra'], ['v1', '--tag']]) expect((await verify(root, ...args)).exitCode, args.join(' ')).toBe(2);
  });

  // git's G says that a trusted key signed, and names the key's first principal, but never compares
  // it with the committer: without this check any trusted signer could commit in another's name.
  it("fails a commit or tag whose committer's email is not a principal of the key that signed it", async () => {
    const root = await sshSignedRepo('principals', 'own name, signed');
    // The trusted key (listed for dev@example.com) signs a commit and a tag made as someone else.
    const other = ['-c', 'user.name=Other', '-c', 'user.email=other@example.com'];
    await ok('git', [...other, 'commit', '-q', '--allow-empty', '-m', "another's name, signed"], root);
    const impersonated = await ok('git', ['rev-parse', '--short', 'HEAD'], root);
    await ok('git', [...other, 'tag', '-s', '-m', 'release as other', 'v-other'], root);
    await ok('git', ['tag', '-s', '-m', 'release as dev', 'v-dev'], root);
    expect(await ok('git', ['-c', `gpg.ssh.allowedSignersFile=${join(root, '.allowed_signers')}`, 'log', '-1', '--format=%G? %GS'], root)).toBe('G dev@example.com');

    const r = await verify(root, 'HEAD');
    expect(r.exitCode, r.stdout).toBe(1);
    expect(r.stderr).toContain(`FAIL ${impersonated} committed as other@example.com, which .allowed_signers does not list for the key that signed it (add the email to that key's principals, comma-separated, or commit as one of them): another's name, signed`);
    expect(r.stderr).toContain('error: 1 of 2 commits in HEAD lack a good signature from a trusted key of their committer');
    const tagged = await verify(root, '--tag', 'v-other');
    expect(tagged.exitCode).toBe(1);
    expect(tagged.stderr).toContain("FAIL tag v-other: tagged as other@example.com, which .allowed_signers does not list for the key that signed it (add the email to that key's principals, comma-separated, or tag as one of them)");
    expect((await verify(root, '--tag', 'v-dev')).exitCode).toBe(0);

    // Listing the email for the key (ssh-keygen's principals are a comma-separated pattern list)
    // makes both pass, and a negated pattern takes it away again.
    const listed = await readFile(join(root, '.allowed_signers'), 'utf8');
    for (const [principals, code] of [['dev@example.com,other@example.com', 0], ['*@example.com', 0], ['*@example.com,!other@example.com', 1]] as const) {
      await writeFile(join(root, '.allowed_signers'), listed.replace(/^dev@example\.com namespaces=/m, `${principals} namespaces=`));
      expect((await verify(root, 'HEAD')).exitCode, principals).toBe(code);
      expect((await verify(root, '--tag', 'v-other')).exitCode, principals).toBe(code);
    }
  });

  // actions/checkout fetches one commit by default: a range that reaches the clone's cut-off must
  // not pass on the few commits it has while the unsigned ones before them were never fetched.
  it('in a shallow clone, refuses a range that reaches the cut-off instead of passing on what it has', async () => {
    const root = await sshSignedRepo('shallow-origin');
    await ok('git', ['-c', 'commit.gpgsign=false', 'commit', '-q', '--allow-empty', '-m', 'unsigned'], root);
    await ok('git', ['commit', '-q', '--allow-empty', '-m', 'tip, signed'], root);
    const ci = join(tmp, 'shallow-ci');
    await ok('git', ['clone', '-q', '--depth', '1', `file://${root}`, ci], tmp);
    const tip = await ok('git', ['rev-parse', '--short', 'HEAD'], ci);
    for (const range of ['HEAD', `${tip}~0`]) {
      const cut = await verify(ci, range);
      expect(cut.exitCode, cut.stdout).toBe(2);
      expect(cut.stderr).toContain(`error: this clone is shallow and ${range} reaches its cut-off at ${tip}, so its earlier commits cannot be checked; fetch the whole history (actions/checkout with fetch-depth: 0, or git fetch --unshallow)`);
    }
    const missing = await verify(ci, 'HEAD~1..HEAD');
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toContain('is not a valid revision range in this shallow clone; fetch the whole history');
    // Deep enough for the range: checked as in a full clone.
    await ok('git', ['fetch', '-q', '--depth', '2', 'origin'], ci);
    const within = await verify(ci, 'HEAD~1..HEAD');
    expect(within.exitCode, within.stderr).toBe(0);
    const reaches = await verify(ci, 'HEAD~2..HEAD');
    expect(reaches.exitCode).toBe(2);
    await ok('git', ['fetch', '-q', '--unshallow', 'origin'], ci);
    const full = await verify(ci, 'HEAD');
    expect(full.exitCode).toBe(1);
    expect(full.stderr).toMatch(/FAIL \S+ unsigned: unsigned/);
  });

  it('update with another --signing sets the repository up as create would, or turns signing off', async () => {
    const parent = join(tmp, 'update-signing');
    await mkdir(parent, { recursive: true });
    expect((await cli(['svc', '--yes', '--signing', 'none'], parent)).code).toBe(0);
    const root = join(parent, 'svc');
    const local = async (key: string) => (await run('git', ['config', '--local', '--get', key], root)).stdout.trim();
    expect(await local('commit.gpgsign')).toBe('');

    const on = await cli(['update', '--yes', '--signing', 'ssh', '--signing-key', '~/.ssh/id_ed25519.pub'], root);
    expect(on.code, on.out).toBe(0);
    expect(on.out).toContain('signing: commits and tags are signed with ssh (repo-local git config)');
    expect(await local('commit.gpgsign')).toBe('true');
    await ok('git', ['add', '-A'], root);
    await ok('git', ['-c', 'user.name=Dev', '-c', 'user.email=dev@example.com', 'commit', '-q', '-m', 'signed after update'], root);
    expect(await ok('git', ['log', '-1', '--format=%G?'], root)).toBe('G');

    const off = await cli(['update', '--yes', '--signing', 'none'], root);
    expect(off.code, off.out).toBe(0);
    expect(off.out).toContain('signing: turned off in this repository\'s git config (--signing none): unset commit.gpgsign, tag.gpgSign, gpg.ssh.allowedSignersFile');
    for (const key of ['commit.gpgsign', 'tag.gpgSign', 'gpg.ssh.allowedSignersFile']) expect(await local(key)).toBe('');
    await ok('git', ['add', '-A'], root);
    await ok('git', ['-c', 'user.name=Dev', '-c', 'user.email=dev@example.com', 'commit', '-q', '-m', 'unsigned after update'], root);
    expect(await ok('git', ['log', '-1', '--format=%G?'], root)).toBe('N');
  });

  it("create run again and update keep a trust file of the repository's own that gpg.ssh.allowedSignersFile names, and say so; one that is gone, or a checkout's generated one, is replaced", async () => {
    const parent = join(tmp, 'own-trust');
    await mkdir(parent, { recursive: true });
    expect((await cli(['svc', '--yes'], parent)).code).toBe(0);
    const root = join(parent, 'svc');
    const trustFile = async () => (await run('git', ['config', '--local', '--get', 'gpg.ssh.allowedSignersFile'], root)).stdout.trim();
    const setTrustFile = (path: string) => ok('git', ['config', '--local', 'gpg.ssh.allowedSignersFile', path], root);
    expect(await trustFile()).toBe(join(root, '.allowed_signers'));
    const team = join(root, 'team_signers');
    await writeFile(team, await readFile(join(root, '.allowed_signers'), 'utf8'));
    await setTrustFile(team);
    const kept = `keeping this repository's own gpg.ssh.allowedSignersFile = ${team} (ours: ${join(root, '.allowed_signers')})`;
    const again = await cli(['svc', '--yes'], parent);
    expect(again.code, again.out).toBe(0);
    expect(again.out).toContain(kept);
    expect(await trustFile()).toBe(team);
    const updated = await cli(['update', '--yes', '--signing-key', '~/.ssh/stranger.pub'], root);
    expect(updated.code, updated.out).toBe(0);
    expect(updated.out).toContain(kept);
    expect(await trustFile()).toBe(team);
    // The key answered is still the one that signs.
    expect((await run('git', ['config', '--local', '--get', 'user.signingkey'], root)).stdout.trim()).toBe(join(home, '.ssh/stranger.pub'));

    // Naming a file that is gone: replaced, and said.
    await setTrustFile(join(root, 'gone'));
    const back = await cli(['update', '--yes', '--signing-key', '~/.ssh/id_ed25519.pub'], root);
    expect(back.code, back.out).toBe(0);
    expect(back.out).toContain(`signing: commits and tags are signed with ssh (repo-local git config); it replaced gpg.ssh.allowedSignersFile ${join(root, 'gone')}, which does not exist`);
    expect(await trustFile()).toBe(join(root, '.allowed_signers'));

    // Another checkout's generated .allowed_signers (a config copied from a clone there) is ours: replaced.
    const clone = join(parent, 'clone');
    await newRepo(clone);
    await writeFile(join(clone, '.allowed_signers'), await readFile(join(root, '.allowed_signers'), 'utf8'));
    await setTrustFile(join(clone, '.allowed_signers'));
    const copied = await cli(['svc', '--yes'], parent);
    expect(copied.out).toContain('signing: commits and tags are signed with ssh (repo-local git config)\n');
    expect(await trustFile()).toBe(join(root, '.allowed_signers'));
  });

  it("in a linked worktree, points the config all worktrees share at each one's own .allowed_signers, so the others verify, also once it is removed", async () => {
    const repo = join(tmp, 'worktree-signing', 'main');
    await newRepo(repo);
    await writeFile(join(repo, 'package.json'), '{"name":"app","version":"1.0.0","scripts":{"start":"node server.js"}}\n');
    await writeFile(join(repo, 'server.js'), "require('node:http').createServer((q, s) => s.end('ok')).listen(3000);\n");
    await ok('git', ['add', '-A'], repo);
    await ok('git', ['commit', '-q', '-m', 'app'], repo);
    const linked = join(tmp, 'worktree-signing', 'linked');
    await ok('git', ['worktree', 'add', '-q', '-b', 'signing', linked], repo);

    const added = await cli(['add', 'signing', '--yes', '--signing-key', '~/.ssh/id_ed25519.pub'], linked);
    expect(added.code, added.out).toBe(0);
    expect(added.out).toContain("signing: commits and tags are signed with ssh (repo-local git config, which this linked worktree shares with the repository's other worktrees, each verifying with its own .allowed_signers)");
    // git config --local in a linked worktree writes the repository's config, which every worktree reads.
    expect(await ok('git', ['config', '--show-origin', '--get', 'gpg.ssh.allowedSignersFile'], linked)).toBe(`file:${join(repo, '.git/config')}\t.allowed_signers`);
    await ok('git', ['add', '-A'], linked);
    await ok('git', ['commit', '-q', '-m', 'signing'], linked);
    expect(await ok('git', ['log', '-1', '--format=%G?'], linked)).toBe('G');

    await ok('git', ['merge', '-q', '--ff-only', 'signing'], repo);
    await ok('git', ['worktree', 'remove', linked], repo);
    expect(await ok('git', ['log', '-1', '--format=%G?'], repo)).toBe('G');
    expect((await verify(repo, 'HEAD~1..HEAD')).exitCode).toBe(0);
    const checked = await cli(['check', '--rule', 'S02'], repo);
    expect(checked.code, checked.out).toBe(0);

    // Turned off from another worktree: the shared setting is the one update --signing none unsets.
    const other = join(tmp, 'worktree-signing', 'other');
    await ok('git', ['worktree', 'add', '-q', '-b', 'other', other], repo);
    const off = await cli(['update', '--yes', '--signing', 'none'], other);
    expect(off.code, off.out).toBe(0);
    expect(off.out).toContain("signing: turned off in this repository's git config (--signing none): unset commit.gpgsign, tag.gpgSign, gpg.ssh.allowedSignersFile");
    expect((await run('git', ['config', '--get', 'gpg.ssh.allowedSignersFile'], repo)).stdout).toBe('');
  });

  it('without a known key, .allowed_signers is comments only and its instructions add a working line', async () => {
    const root = join(tmp, 'no-key');
    await newRepo(root);
    const a = await answersFor({ name: 'sig-svc', signing: 'ssh', signingKey: '~/.ssh/missing.pub' });
    await generate(a, root);
    const allowed = await readFile(join(root, '.allowed_signers'), 'utf8');
    expect(allowed.split('\n').filter((l) => l !== '' && !l.startsWith('#'))).toEqual([]);
    // The post-step refuses to enable signing without the key file.
    expect(await configureSigning(a, root)).toMatchObject({ ok: false });

    await ok('git', ['add', '-A'], root);
    const signWithRealKey = ['-c', 'gpg.format=ssh', '-c', `user.signingkey=${join(home, '.ssh/id_ed25519.pub')}`];
    await ok('git', [...signWithRealKey, 'commit', '-q', '-S', '-m', 'signed, key not listed yet'], root);
    const untrusted = await verify(root);
    expect(untrusted.exitCode).toBe(1);
    expect(untrusted.stderr).toContain('not in .allowed_signers');
    expect(untrusted.stderr).not.toContain('invalid'); // ssh-keygen parsed the file without complaint

    // Follow the file's own instructions, pointing them at the key this user actually has.
    const command = allowed.split('\n').find((l) => l.startsWith('#   printf '));
    expect(command).toBeDefined();
    const line = command!.slice('#   '.length).replace('.ssh/missing.pub', '.ssh/id_ed25519.pub');
    await ok('sh', ['-c', line], root);
    const trusted = await verify(root);
    expect(trusted.exitCode, trusted.stderr).toBe(0);
  });

  it('does not turn signing on with a key file that is no SSH key, so commits keep working; a private key signs', async () => {
    await writeFile(join(home, '.ssh/notakey.pub'), 'this is not a key\n');
    await mkdir(join(home, '.ssh/adir.pub'), { recursive: true });
    for (const [i, keyFile] of ['~/.ssh/notakey.pub', '~/.ssh/adir.pub'].entries()) {
      const a = await answersFor({ name: 'sig-svc', signing: 'ssh', signingKey: keyFile });
      const root = join(tmp, `ssh-notakey-${i}`);
      await newRepo(root);
      await generate(a, root);
      const outcome = await configureSigning(a, root);
      expect(outcome).toMatchObject({ ok: false });
      expect(outcome?.note).toMatch(new RegExp(`^signing: ${keyFile.replace(/[.]/g, '\\.')} is not an SSH key \\(neither a public key line nor a private key\\), so commit signing was NOT enabled; `));
      expect((await run('git', ['config', '--local', 'commit.gpgsign'], root)).exitCode).toBe(1);
      await ok('git', ['add', '-A'], root);
      expect((await run('git', ['commit', '-q', '-m', 'works'], root)).exitCode).toBe(0);
    }
    // git's user.signingKey may name the private key too: that one is signed with.
    const a = await answersFor({ name: 'sig-svc', signing: 'ssh', signingKey: '~/.ssh/id_ed25519' });
    const root = join(tmp, 'ssh-private-key');
    await newRepo(root);
    await generate(a, root);
    expect(await configureSigning(a, root)).toMatchObject({ ok: true });
    await ok('git', ['add', '-A'], root);
    await ok('git', ['commit', '-q', '-m', 'signed'], root);
    expect(await ok('git', ['log', '-1', '--format=%G?'], root)).toMatch(/^[GU]$/);
  });

  it('the note on a missing key names the file to make and a run that finishes the setup, and following it signs and verifies', async () => {
    // add signing alone in a repository of its own: no SECURITY.md is written, so none is pointed to.
    const root = join(tmp, 'note-without-security');
    await newRepo(root);
    await writeFile(join(root, 'package.json'), '{"name":"app","version":"1.0.0","scripts":{"start":"node server.js"}}\n');
    await writeFile(join(root, 'server.js'), "require('node:http').createServer((q, s) => s.end('ok')).listen(3000);\n");
    const added = await cli(['add', 'signing', '--yes', '--signing-key', '~/.ssh/later.pub'], root);
    expect(added.code, added.out).toBe(0);
    const key = join(home, '.ssh/later');
    // Short lines, the command on one of its own: ssh-keygen's default file is not the key answered.
    expect(added.out).toContain(`signing: ~/.ssh/later.pub not found, so commit signing was NOT enabled; make the key, then run this command again to list it in .allowed_signers and turn signing on:\n    ssh-keygen -t ed25519 -f ${key}\n`);
    expect(added.out).not.toMatch(/SECURITY\.md/);

    // Done as it says (without a passphrase prompt): the run lists the key and turns signing on.
    await ok('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'later', '-f', key], root);
    const again = await cli(['add', 'signing', '--yes', '--signing-key', '~/.ssh/later.pub'], root);
    expect(again.out).toContain('signing: commits and tags are signed with ssh (repo-local git config)');
    await ok('git', ['add', '-A'], root);
    await ok('git', ['commit', '-q', '-m', 'signed as the note says'], root);
    expect(await ok('git', ['log', '-1', '--format=%G?'], root)).toBe('G');
    expect((await run('git', ['verify-commit', 'HEAD'], root)).exitCode).toBe(0);
    expect((await verify(root, 'HEAD')).exitCode).toBe(0);

    // With SECURITY.md, the same: a run again does what its steps by hand would.
    const other = join(tmp, 'note-with-security');
    await newRepo(other);
    await writeFile(join(other, 'package.json'), '{"name":"app","version":"1.0.0","scripts":{"start":"node server.js"}}\n');
    await writeFile(join(other, 'server.js'), "require('node:http').createServer((q, s) => s.end('ok')).listen(3000);\n");
    const whole = await cli(['add', 'signing', 'project', '--yes', '--signing-key', '~/.ssh/missing.pub'], other);
    expect(whole.code, whole.out).toBe(0);
    expect(whole.out).toContain(`signing: ~/.ssh/missing.pub not found, so commit signing was NOT enabled; make the key, then run this command again to list it in .allowed_signers and turn signing on:\n    ssh-keygen -t ed25519 -f ${join(home, '.ssh/missing')}\n`);

    // update turning signing on sets the config only when the answer changes, so a second update
    // would not: it names add signing, which does, and following it signs and verifies.
    const parent = join(tmp, 'note-update');
    await mkdir(parent, { recursive: true });
    expect((await cli(['svc', '--yes', '--signing', 'none'], parent)).code).toBe(0);
    const svc = join(parent, 'svc');
    const on = await cli(['update', '--yes', '--dir', 'svc', '--signing', 'ssh', '--signing-key', '~/.ssh/upd.pub'], parent);
    expect(on.code, on.out).toBe(0);
    expect(on.out).toContain(`signing: ~/.ssh/upd.pub not found, so commit signing was NOT enabled; make the key, then run create-secure-service add signing --dir svc to list it in .allowed_signers and turn signing on:\n    ssh-keygen -t ed25519 -f ${join(home, '.ssh/upd')}\n`);
    await ok('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'upd', '-f', join(home, '.ssh/upd')], parent);
    const finished = await cli(['add', 'signing', '--dir', 'svc', '--yes'], parent);
    expect(finished.out).toContain('signing: commits and tags are signed with ssh (repo-local git config)');
    // No user.email here when it was made: .allowed_signers names the placeholder principal.
    await ok('git', ['config', 'user.email', 'svc-maintainer@example.com'], svc);
    await ok('git', ['config', 'user.name', 'Dev'], svc);
    await ok('git', ['add', '-A'], svc);
    await ok('git', ['commit', '-q', '-m', 'signed after update'], svc);
    expect((await verify(svc, 'HEAD')).exitCode).toBe(0);
  });

  it('without SECURITY.md, a note gives its commands one a line, and run as given they sign and verify', async () => {
    /** The note starting with `start`: its first line, then its commands (the lines indented under it). */
    const noteOf = (out: string, start: string) => {
      const lines = out.split('\n');
      const at = lines.findIndex((l) => l.trimStart().startsWith(start));
      expect(at, out).toBeGreaterThanOrEqual(0);
      const commands: string[] = [];
      for (let i = at + 1; lines[i]?.startsWith('    '); i++) commands.push(lines[i]!.slice(4));
      return { first: lines[at]!.trim(), commands };
    };
    const app = async (root: string) => {
      await writeFile(join(root, 'package.json'), '{"name":"app","version":"1.0.0","scripts":{"start":"node server.js"}}\n');
      await writeFile(join(root, 'server.js'), "require('node:http').createServer((q, s) => s.end('ok')).listen(3000);\n");
    };
    const key = join(home, '.ssh/id_ed25519.pub');

    // --no-git: the commands alone, to run in the repository.
    const root = join(tmp, 'lines-no-git');
    await newRepo(root);
    await app(root);
    const skipped = noteOf((await cli(['add', 'signing', '--yes', '--no-git'], root)).out, 'signing: skipped (--no-git)');
    expect(skipped).toEqual({
      first: 'signing: skipped (--no-git); to enable it, run in the repository:',
      commands: ['git config --local gpg.format ssh', `git config --local user.signingkey ${key}`, `git config --local gpg.ssh.allowedSignersFile ${join(root, '.allowed_signers')}`, 'git config --local commit.gpgsign true', 'git config --local tag.gpgSign true'],
    });
    await ok('sh', ['-c', skipped.commands.join('\n')], root);
    await ok('git', ['add', '-A'], root);
    await ok('git', ['commit', '-q', '-m', 'signed as the note says'], root);
    expect((await verify(root, 'HEAD')).exitCode).toBe(0);

    // No repository: git init first, then the same commands.
    const bare = join(tmp, 'lines-no-repository');
    await mkdir(bare, { recursive: true });
    await app(bare);
    const none = noteOf((await cli(['add', 'signing', '--yes'], bare)).out, 'signing: no git repository');
    expect(none.first).toBe('signing: no git repository; skipped; to enable it, run git init, then:');
    expect(none.commands).toEqual(skipped.commands.map((c) => c.replace(join(root, '.allowed_signers'), join(bare, '.allowed_signers'))));

    // Created in a folder of another repository, its SECURITY.md deleted since: the commands begin
    // with the cd to that repository, and run from anywhere they sign and verify.
    const parent = join(tmp, 'lines-parent');
    await newRepo(parent);
    await mkdir(join(parent, 'services'));
    expect((await cli(['api', '--yes'], join(parent, 'services'))).code).toBe(0);
    await rm(join(parent, 'services/api/SECURITY.md'));
    const inside = noteOf((await cli(['api', '--yes'], join(parent, 'services'))).out, 'signing: not configured');
    expect(inside.first).toBe(`signing: not configured, because git config is the whole repository's and this folder is inside the one at ${parent}; enable it for the whole repository by running:`);
    expect(inside.commands[0]).toBe(`cd ${parent}`);
    expect(inside.commands).toHaveLength(6);
    await ok('sh', ['-c', inside.commands.join('\n')], tmp);
    await ok('git', ['add', '-A'], parent);
    await ok('git', ['commit', '-q', '-m', 'signed as the note says'], parent);
    expect((await verify(join(parent, 'services/api'), 'HEAD')).exitCode).toBe(0);
  });
});

/** A passphrase-less ed25519 OpenPGP key in the keyring `gnupg`; returns its fingerprint. */
async function gpgKey(gnupg: string, uid: string): Promise<string> {
  await mkdir(gnupg, { recursive: true, mode: 0o700 });
  gpgHomes.push(gnupg);
  const env = { GNUPGHOME: gnupg };
  await ok('gpg', ['--batch', '--pinentry-mode', 'loopback', '--passphrase', '', '--quick-gen-key', uid, 'ed25519', 'sign', 'never'], tmp, env);
  // This key's own listing: the keyring may hold keys made by earlier tests.
  const listing = await ok('gpg', ['--batch', '--with-colons', '--list-secret-keys', `=${uid}`], tmp, env);
  const fpr = /^fpr:(?:[^:]*:){8}([0-9A-F]{40}):/m.exec(listing)?.[1];
  if (!fpr) throw new Error(`no fingerprint in ${listing}`);
  return fpr;
}

describe('gpg commit signing, round trip with git and gpg', () => {
  it('accepts commits signed by a key in the keyring and names every other commit', async () => {
    const root = join(tmp, 'gpg-repo');
    await newRepo(root);
    const fingerprint = await gpgKey(process.env.GNUPGHOME!, 'Dev <dev@example.com>');
    const strangerHome = join(tmp, 'gnupg-stranger');
    const strangerKey = await gpgKey(strangerHome, 'Stranger <stranger@example.com>');
    const a = await answersFor({ name: 'sig-svc', signing: 'gpg', signingKey: fingerprint });
    await generate(a, root);
    expect((await readFile(join(root, 'scripts/verify-signatures.sh'), 'utf8'))).not.toContain('allowed_signers');

    expect(await configureSigning(a, root)).toMatchObject({ ok: true });
    expect(await ok('git', ['config', '--local', 'user.signingkey'], root)).toBe(fingerprint);
    await ok('git', ['add', '-A'], root);
    await ok('git', ['commit', '-q', '-m', 'first, signed'], root);
    expect((await run('git', ['verify-commit', 'HEAD'], root)).exitCode).toBe(0);
    const good = await verify(root);
    expect(good.exitCode, good.stderr).toBe(0);

    await ok('git', ['-c', 'commit.gpgsign=false', 'commit', '-q', '--allow-empty', '-m', 'second, unsigned'], root);
    const unsigned = await ok('git', ['rev-parse', '--short', 'HEAD'], root);
    // Signed in another keyring: this keyring cannot check it, so it is not trusted.
    await ok('git', ['-c', `user.signingkey=${strangerKey}`, 'commit', '-q', '--allow-empty', '-m', 'third, stranger'], root, { GNUPGHOME: strangerHome });
    const stranger = await ok('git', ['rev-parse', '--short', 'HEAD'], root);
    const bad = await verify(root);
    expect(bad.exitCode).toBe(1);
    expect(bad.stderr).toContain(`FAIL ${unsigned} unsigned: second, unsigned`);
    expect(bad.stderr).toContain(`FAIL ${stranger} signature cannot be checked (the key is not in the keyring, or gpg is missing): third, stranger`);
    expect(bad.stderr).toContain('2 of 3 commits');

    // --tag: a tag signed with the keyring's key passes; one from another keyring, or unsigned, fails.
    await ok('git', ['tag', '-s', '-m', 'release 1', 'v1'], root);
    await ok('git', ['-c', `user.signingkey=${strangerKey}`, 'tag', '-s', '-m', 'by a stranger', 'stranger'], root, { GNUPGHOME: strangerHome });
    await ok('git', ['-c', 'tag.gpgSign=false', 'tag', '-a', '-m', 'not signed', 'unsigned'], root);
    const tagged = await verify(root, '--tag', 'v1');
    expect(tagged.exitCode, tagged.stderr).toBe(0);
    const strangerTag = await verify(root, '--tag', 'stranger');
    expect(strangerTag.exitCode).toBe(1);
    expect(strangerTag.stderr).toContain('FAIL tag stranger: bad signature, or not from a key trusted in the keyring (git verify-tag stranger says which)');
    expect((await verify(root, '--tag', 'unsigned')).stderr).toContain('FAIL tag unsigned: unsigned: replace it with a signed tag (git tag -s)');
  });

  // As with SSH principals: a key in the keyring cannot vouch for a commit made in another's name.
  it("fails a commit or tag whose committer's email is not a user ID of the key that signed it", async () => {
    const root = join(tmp, 'gpg-uids');
    await newRepo(root);
    const fingerprint = await gpgKey(process.env.GNUPGHOME!, 'Uid Test <uid-test@example.com>');
    const a = await answersFor({ name: 'sig-svc', signing: 'gpg', signingKey: fingerprint });
    await generate(a, root);
    await configureSigning(a, root);
    await ok('git', ['add', '-A'], root);
    const as = (email: string) => ['-c', 'user.name=Someone', '-c', `user.email=${email}`];
    await ok('git', [...as('uid-test@example.com'), 'commit', '-q', '-m', 'own name'], root);
    await ok('git', [...as('UID-Test@Example.com'), 'commit', '-q', '--allow-empty', '-m', 'own name, other case'], root);
    const own = await verify(root, 'HEAD');
    expect(own.exitCode, own.stderr).toBe(0);
    await ok('git', [...as('dev@example.com'), 'commit', '-q', '--allow-empty', '-m', "another's name"], root);
    const impersonated = await ok('git', ['rev-parse', '--short', 'HEAD'], root);
    await ok('git', [...as('dev@example.com'), 'tag', '-s', '-m', 'release as dev', 'v-dev'], root);
    await ok('git', [...as('uid-test@example.com'), 'tag', '-s', '-m', 'release as owner', 'v-own'], root);
    const r = await verify(root, 'HEAD');
    expect(r.exitCode, r.stdout).toBe(1);
    expect(r.stderr).toContain(`FAIL ${impersonated} committed as dev@example.com, which is not a user ID of the key that signed it (add it to the key with gpg --quick-add-uid, or commit as one of the key's emails): another's name`);
    expect(r.stderr).toContain('1 of 3 commits');
    const tagged = await verify(root, '--tag', 'v-dev');
    expect(tagged.exitCode).toBe(1);
    expect(tagged.stderr).toContain("FAIL tag v-dev: tagged as dev@example.com, which is not a user ID of the key that signed it (add it to the key with gpg --quick-add-uid, or tag as one of the key's emails)");
    expect((await verify(root, '--tag', 'v-own')).exitCode).toBe(0);
    // The user ID added, the commit and the tag pass; revoked, they fail again.
    const opts = ['--batch', '--pinentry-mode', 'loopback', '--passphrase', ''];
    await ok('gpg', [...opts, '--quick-add-uid', fingerprint, 'Dev <dev@example.com>'], tmp);
    expect((await verify(root, 'HEAD')).exitCode).toBe(0);
    expect((await verify(root, '--tag', 'v-dev')).exitCode).toBe(0);
    await ok('gpg', [...opts, '--quick-revoke-uid', fingerprint, 'Dev <dev@example.com>'], tmp);
    expect((await verify(root, 'HEAD')).exitCode).toBe(1);
  });

  // A CI job's keyring starts empty: SECURITY.md's commands, run as written, make it trust the signer.
  it("SECURITY.md's CI keyring commands make a fresh keyring trust the signer", async () => {
    const signer = join(tmp, 'gnupg-signer');
    const fingerprint = await gpgKey(signer, 'Dev <dev@example.com>');
    const root = join(tmp, 'gpg-ci-keyring');
    await newRepo(root);
    const a = await answersFor({ name: 'sig-svc', signing: 'gpg', signingKey: fingerprint });
    await generate(a, root);
    await ok('git', ['add', '-A'], root);
    await ok('git', ['-c', `user.signingkey=${fingerprint}`, 'commit', '-q', '-S', '-m', 'signed'], root, { GNUPGHOME: signer });
    await mkdir(join(root, 'keys'));
    await writeFile(join(root, 'keys/dev.asc'), await ok('gpg', ['--batch', '--armor', '--export', fingerprint], tmp, { GNUPGHOME: signer }));

    const ci = join(tmp, 'gnupg-ci');
    await mkdir(ci, { recursive: true, mode: 0o700 });
    gpgHomes.push(ci);
    const security = renderProject(a, await templates(), { facts: await readFacts(a, root), generatorVersion: '0.0.0-test', parts: [signingPart, projectPart] }).get('SECURITY.md')?.content ?? '';
    const block = /Before it, import the signers' public keys(?:(?!\n\n)[\s\S])*\n\n```sh\n([\s\S]*?)```/.exec(security)?.[1];
    expect(block, 'SECURITY.md has no commands for the CI keyring').toBeDefined();
    const imported = await run('sh', ['-c', block!.split('\n')[0]!], root, { GNUPGHOME: ci });
    expect(imported.exitCode, imported.stderr).toBe(0);
    expect((await run(join(root, 'scripts/verify-signatures.sh'), [], root, { GNUPGHOME: ci })).stderr).toContain('signed by a key that is not trusted in the keyring');
    await ok('sh', ['-c', block!], root, { GNUPGHOME: ci });
    const trusted = await run(join(root, 'scripts/verify-signatures.sh'), [], root, { GNUPGHOME: ci });
    expect(trusted.exitCode, trusted.stderr).toBe(0);
  });

  // git checks an OpenPGP signature with gpg and an SSH one with ssh-keygen, whatever gpg.format
  // says: a key this machine's keyring (or its own allowed-signers file) trusts is not one the
  // repository chose to trust.
  it('refuses a good signature of the other kind, trusted only by this machine', async () => {
    const gnupg = join(tmp, 'gnupg-cross');
    const pgpKey = await gpgKey(gnupg, 'Dev <dev@example.com>');
    const env = { GNUPGHOME: gnupg };
    const sshRoot = join(tmp, 'cross-ssh');
    await newRepo(sshRoot);
    const sshAnswers = await answersFor({ name: 'sig-svc', signing: 'ssh', signingKey: '~/.ssh/id_ed25519.pub' });
    await generate(sshAnswers, sshRoot);
    await configureSigning(sshAnswers, sshRoot);
    await ok('git', ['add', '-A'], sshRoot);
    await ok('git', ['commit', '-q', '-m', 'ssh, signed'], sshRoot);
    await ok('git', ['-c', 'gpg.format=openpgp', '-c', `user.signingkey=${pgpKey}`, 'commit', '-q', '--allow-empty', '-m', 'openpgp, signed'], sshRoot, env);
    const pgpCommit = await ok('git', ['rev-parse', '--short', 'HEAD'], sshRoot);
    expect(await ok('git', ['log', '-1', '--format=%G?'], sshRoot, env)).toBe('G');
    const inSshRepo = await run(join(sshRoot, 'scripts/verify-signatures.sh'), [], sshRoot, env);
    expect(inSshRepo.exitCode).toBe(1);
    expect(inSshRepo.stderr).toContain(`FAIL ${pgpCommit} signed with an OpenPGP or X.509 key, which .allowed_signers cannot vouch for (this machine's keyring did): openpgp, signed`);
    expect(inSshRepo.stderr).toContain('1 of 2 commits');

    const gpgRoot = join(tmp, 'cross-gpg');
    await newRepo(gpgRoot);
    const gpgAnswers = await answersFor({ name: 'sig-svc', signing: 'gpg', signingKey: pgpKey });
    await generate(gpgAnswers, gpgRoot);
    await ok('git', ['add', '-A'], gpgRoot);
    await ok('git', ['-c', 'gpg.format=openpgp', '-c', `user.signingkey=${pgpKey}`, 'commit', '-q', '-S', '-m', 'openpgp, signed'], gpgRoot, env);
    // This machine trusts its SSH key through its own allowed-signers file.
    await ok('git', ['config', '--local', 'gpg.ssh.allowedSignersFile', join(sshRoot, '.allowed_signers')], gpgRoot);
    await ok('git', ['-c', 'gpg.format=ssh', '-c', `user.signingkey=${join(home, '.ssh/id_ed25519.pub')}`, 'commit', '-q', '-S', '--allow-empty', '-m', 'ssh, signed'], gpgRoot);
    const sshCommit = await ok('git', ['rev-parse', '--short', 'HEAD'], gpgRoot);
    expect(await ok('git', ['log', '-1', '--format=%G?'], gpgRoot)).toBe('G');
    const inGpgRepo = await run(join(gpgRoot, 'scripts/verify-signatures.sh'), [], gpgRoot, env);
    expect(inGpgRepo.exitCode).toBe(1);
    expect(inGpgRepo.stderr).toContain(`FAIL ${sshCommit} signed with an SSH key, not an OpenPGP key from the keyring: ssh, signed`);
    expect(inGpgRepo.stderr).toContain('1 of 2 commits');
  });

  // As with a missing SSH key: commit.gpgsign with nothing to sign with makes every commit fail.
  it('does not turn signing on without a secret key to sign with, so commits keep working', async () => {
    const emptyHome = join(tmp, 'gnupg-empty');
    await mkdir(emptyHome, { recursive: true, mode: 0o700 });
    gpgHomes.push(emptyHome);
    const otherHome = join(tmp, 'gnupg-other');
    const otherKey = await gpgKey(otherHome, 'Other <other@example.com>');
    const cases: [string, Answers, RegExp][] = [
      [emptyHome, await answersFor({ name: 'sig-svc', signing: 'gpg', signingKey: '' }), /^signing: your GPG keyring has no secret key, so commit signing was NOT enabled; create or import one/],
      [process.env.GNUPGHOME!, await answersFor({ name: 'sig-svc', signing: 'gpg', signingKey: otherKey }), new RegExp(`^signing: your GPG keyring has no secret key ${otherKey}, so commit signing was NOT enabled`)],
    ];
    const saved = process.env.GNUPGHOME;
    for (const [i, [gnupg, a, message]] of cases.entries()) {
      process.env.GNUPGHOME = gnupg;
      try {
        const root = join(tmp, `gpg-nokey-${i}`);
        await newRepo(root);
        await generate(a, root);
        const outcome = await configureSigning(a, root);
        expect(outcome).toMatchObject({ ok: false });
        expect(outcome?.note).toMatch(message);
        expect((await run('git', ['config', '--local', 'commit.gpgsign'], root)).exitCode).toBe(1);
        await ok('git', ['add', '-A'], root);
        expect((await run('git', ['commit', '-q', '-m', 'works'], root)).exitCode).toBe(0);
      } finally {
        process.env.GNUPGHOME = saved;
      }
    }
  });
});
