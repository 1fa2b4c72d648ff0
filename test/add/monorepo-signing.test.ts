/**
 * Signed commits for a service below a repository's top folder, set up by hand as the run tells
 * the user to: SECURITY.md's commands (Signed commits), run where the user is sent to run them,
 * must make commits that `git verify-commit` and scripts/verify-signatures.sh accept. `add --dir`
 * keeps the signing files at the repository's top folder; `create` in a subfolder keeps its own,
 * and `add` in that service goes on using them.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/index.js';
import { captureOutput } from '../helpers/output.js';
import { copyFixture, runAdd } from './helpers.js';
import { caseFolders } from '../helpers/case-folders.js';

let work: string;
const fresh = caseFolders(() => work);
const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
const sh = (cwd: string, script: string) => execFileSync('sh', ['-ec', script], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'css-mono-signing-'));
  // A HOME with a real key (signing needs the private half) and a git identity the key is listed for.
  const home = join(work, 'home');
  mkdirSync(join(home, '.ssh'), { recursive: true });
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'dev', '-f', join(home, '.ssh', 'id_ed25519')]);
  writeFileSync(join(home, '.gitconfig'), '[user]\n\tname = Dev\n\temail = dev@example.com\n[init]\n\tdefaultBranch = main\n');
  process.env.HOME = home;
  process.env.GIT_CONFIG_GLOBAL = join(home, '.gitconfig');
  process.env.GIT_CONFIG_NOSYSTEM = '1';
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/**
 * `run` with the current folder at `dir`, as a user runs the CLI there: create reads the signer's
 * email from git where it runs, and a repository-local user.email around the test's own folder
 * would otherwise be the one .allowed_signers lists.
 */
async function inFolder<T>(dir: string, run: () => Promise<T>): Promise<T> {
  const previous = process.cwd();
  process.chdir(dir);
  try {
    return await run();
  } finally {
    process.chdir(previous);
  }
}

/** SECURITY.md's set-up commands, and the verify lines that need no tag or remote branch. */
function signingCommands(securityMd: string): { setup: string; verify: string } {
  const section = securityMd.slice(securityMd.indexOf('## Signed commits'), securityMd.indexOf('## Build and release'));
  const blocks = [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);
  expect(blocks.length, section).toBeGreaterThanOrEqual(2);
  const verify = blocks[1]!.split('\n').filter((line) => /^(cd |git verify-commit HEAD|scripts\/verify-signatures\.sh\s+#)/.test(line));
  expect(verify.some((line) => line.startsWith('scripts/verify-signatures.sh')), blocks[1]).toBe(true);
  return { setup: blocks[0]!, verify: verify.join('\n') };
}

describe('signing set up by hand for a service below the repository top', () => {
  it("add --dir: in a new clone, SECURITY.md's commands run in the service's folder point git at the root's .allowed_signers and its verify script", async () => {
    const repo = realpathSync(fresh());
    git(repo, 'init', '-q');
    mkdirSync(join(repo, 'services'));
    const api = copyFixture('node-express', join(repo, 'services'));
    const run = await runAdd(['all', '--yes', '--dir', api]);
    expect(run.code, run.err).toBe(0);
    expect(run.out).toContain('signing: commits and tags are signed with ssh');
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'service');
    // Git config is not cloned: a teammate's clone is where SECURITY.md's commands are needed.
    const clone = join(fresh(), 'clone');
    git(repo, 'clone', '-q', repo, clone);
    const service = join(clone, 'services', 'node-express');
    const { setup, verify } = signingCommands(readFileSync(join(service, 'SECURITY.md'), 'utf8'));
    sh(service, setup);
    expect(git(clone, 'config', '--local', 'gpg.ssh.allowedSignersFile')).toBe(join(clone, '.allowed_signers'));
    git(service, 'commit', '-q', '--allow-empty', '-m', 'signed in the clone');
    expect(sh(service, verify)).toMatch(/^ok: all 1 commits in origin\/HEAD\.\.HEAD have good signatures from trusted keys$/m);
  });

  it("create in a subfolder: the note names the folder to run SECURITY.md's commands in, and run there they sign and verify", async () => {
    const repo = realpathSync(fresh());
    git(repo, 'init', '-q');
    const captured = captureOutput();
    expect(await inFolder(repo, () => main([join(repo, 'services', 'api'), '--yes', '--name', 'api', '--language', 'node', '--no-color'], captured.output)), captured.stderr()).toBe(0);
    const note = /signing: not configured, because git config is the whole repository's and this folder is inside the one at .*; enable it for the whole repository by running SECURITY\.md's commands \(Signed commits\) in (\S+)$/m.exec(captured.stdout());
    expect(note, captured.stdout()).not.toBeNull();
    const folder = note![1]!;
    expect(folder).toBe(join(repo, 'services', 'api'));
    const { setup, verify } = signingCommands(readFileSync(join(repo, 'services', 'api', 'SECURITY.md'), 'utf8'));
    sh(folder, setup);
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'service');
    expect(sh(folder, verify)).toMatch(/^ok: all 1 commits in HEAD have good signatures from trusted keys$/m);
  });

  it("two services created in one repository: the second keeps the trust file the first set up, names it and the lines to add, and local git then trusts both services' signers", async () => {
    const repo = realpathSync(fresh());
    git(repo, 'init', '-q');
    // The second service's signer has another key.
    const home = process.env.HOME!;
    if (!existsSync(join(home, '.ssh', 'second'))) execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'second', '-f', join(home, '.ssh', 'second')]);
    const create = async (name: string, ...flags: string[]) => {
      const captured = captureOutput();
      const code = await inFolder(repo, () => main([join(repo, 'services', name), '--yes', '--name', name, '--language', 'node', '--no-color', ...flags], captured.output));
      expect(code, captured.stderr()).toBe(0);
      return captured.stdout() + captured.stderr();
    };
    const [a, b] = [join(repo, 'services', 'a'), join(repo, 'services', 'b')];
    const trustFile = () => git(repo, 'config', '--local', 'gpg.ssh.allowedSignersFile');

    // The first service: nothing set yet, so its commands set its own list.
    expect(await create('a')).not.toContain('already names');
    sh(a, signingCommands(readFileSync(join(a, 'SECURITY.md'), 'utf8')).setup);
    expect(trustFile()).toBe(join(a, '.allowed_signers'));
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'service a');

    // The second: the repository's setting is kept and named, with the line its list would add.
    const out = await create('b', '--signing-key', '~/.ssh/second.pub');
    const note = new RegExp(`^ {2}signing: not configured, .*; the repository's gpg\\.ssh\\.allowedSignersFile already names ${join(a, '.allowed_signers').replace(/[.]/g, '\\.')}: git reads that one file for the whole repository, so it is kept .*:\n((?: {4}printf .*\n)+)`, 'm').exec(out);
    expect(note, out).not.toBeNull();
    const adds = note![1]!.split('\n').filter(Boolean);
    expect(adds).toHaveLength(1);
    // Its SECURITY.md's commands, run as written, keep the setting (and print it).
    expect(sh(b, signingCommands(readFileSync(join(b, 'SECURITY.md'), 'utf8')).setup)).toContain(join(a, '.allowed_signers'));
    expect(trustFile()).toBe(join(a, '.allowed_signers'));
    // So does the command its .allowed_signers gives.
    const fromFile = /^# {3}(git config --local .*allowedSignersFile.*)$/m.exec(readFileSync(join(b, '.allowed_signers'), 'utf8'));
    expect(fromFile).not.toBeNull();
    expect(sh(b, fromFile![1]!)).toContain(join(a, '.allowed_signers'));
    expect(trustFile()).toBe(join(a, '.allowed_signers'));
    sh(b, adds.join('\n'));
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'service b');
    // Local git trusts both signers' commits; each service's CI check reads its own list.
    expect(git(repo, 'verify-commit', 'HEAD')).toBe('');
    expect(git(repo, 'verify-commit', 'HEAD~1')).toBe('');
    expect(sh(b, 'scripts/verify-signatures.sh HEAD~1..HEAD')).toMatch(/^ok: /m);

    // Once it lists this service's signer, the note says so and asks for nothing.
    expect(await create('b', '--signing-key', '~/.ssh/second.pub')).toContain(`already names ${join(a, '.allowed_signers')}, which lists this service's signers too: git reads that one file for the whole repository, so it is kept`);

    // Without SECURITY.md, the commands the note gives leave the setting out.
    rmSync(join(b, 'SECURITY.md'));
    const bare = await create('b', '--signing-key', '~/.ssh/second.pub');
    expect(bare).toMatch(/enable it for the whole repository by running:\n {4}cd /);
    expect(bare).not.toContain('git config --local gpg.ssh.allowedSignersFile');

    // A setting naming a file that is gone: said, with the command to point it at this service's.
    git(repo, 'config', '--local', 'gpg.ssh.allowedSignersFile', join(repo, 'gone', '.allowed_signers'));
    expect(await create('b', '--signing-key', '~/.ssh/second.pub')).toContain(`already names ${join(repo, 'gone', '.allowed_signers')}, which does not exist, so git verify-commit trusts no key; to point it at this folder's .allowed_signers instead:\n    git config --local gpg.ssh.allowedSignersFile ${join(b, '.allowed_signers')}`);
    expect(trustFile()).toBe(join(repo, 'gone', '.allowed_signers'));
  });

  it('add project in a service of a repository with no signing files at its top says so, naming the run that adds them; after it, SECURITY.md\'s commands sign and verify', async () => {
    const repo = realpathSync(fresh());
    git(repo, 'init', '-q');
    mkdirSync(join(repo, 'services'));
    const api = copyFixture('node-express', join(repo, 'services'));
    const project = await runAdd(['project', '--yes', '--dir', api]);
    expect(project.code, project.err).toBe(0);
    const note = /^warning: SECURITY\.md \(Signed commits\) points to \.allowed_signers and scripts\/verify-signatures\.sh at the repository's top folder \(.+\), which are not there yet: run create-secure-service (add signing --dir \S+) to add them there and turn signing on, or pass --signing none if the repository does not sign its commits$/m.exec(project.err);
    expect(note, project.err).not.toBeNull();
    // The run it names, from where add ran (the --dir given is relative to it, or absolute).
    const signing = await runAdd([...note![1]!.split(' ').slice(1), '--yes']);
    expect(signing.code, signing.err).toBe(0);
    expect(signing.out).toContain('signing: commits and tags are signed with ssh');
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'service');
    const { verify } = signingCommands(readFileSync(join(api, 'SECURITY.md'), 'utf8'));
    expect(sh(api, verify)).toMatch(/^ok: all 1 commits in HEAD have good signatures from trusted keys$/m);
    // With them there, nothing more to say.
    rmSync(join(api, 'SECURITY.md'));
    const again = await runAdd(['project', '--yes', '--dir', api]);
    expect(again.err).not.toContain('SECURITY.md (Signed commits) points to');
    // A repository that does not sign: none.
    const unsigned = realpathSync(fresh());
    git(unsigned, 'init', '-q');
    mkdirSync(join(unsigned, 'services'));
    const other = copyFixture('node-express', join(unsigned, 'services'));
    const none = await runAdd(['project', '--yes', '--dir', other, '--signing', 'none']);
    expect(none.code, none.err).toBe(0);
    expect(none.err).not.toContain('SECURITY.md (Signed commits) points to');

    // A service create made inside a repository has signing files of its own: its SECURITY.md
    // goes on describing those, and nothing is said of the top folder's.
    const made = realpathSync(fresh());
    git(made, 'init', '-q');
    const service = join(made, 'services', 'api');
    const created = captureOutput();
    expect(await inFolder(made, () => main([service, '--yes', '--name', 'api', '--language', 'node', '--no-color'], created.output)), created.stderr()).toBe(0);
    const written = readFileSync(join(service, 'SECURITY.md'), 'utf8');
    const own = await runAdd(['project', '--yes', '--dir', service]);
    expect(own.code, own.err).toBe(0);
    expect(own.out).toMatch(/^ {2}same +SECURITY\.md$/m);
    expect(readFileSync(join(service, 'SECURITY.md'), 'utf8')).toBe(written);
    expect(own.err).not.toContain('SECURITY.md (Signed commits) points to');
  });

  it("add signing and add all in a service create made inside a repository keep to the service's own signing files: no second set at the top", async () => {
    const repo = realpathSync(fresh());
    git(repo, 'init', '-q');
    const service = join(repo, 'services', 'api');
    const created = captureOutput();
    expect(await inFolder(repo, () => main([service, '--yes', '--name', 'api', '--language', 'node', '--no-color'], created.output)), created.stderr()).toBe(0);
    const securityMd = readFileSync(join(service, 'SECURITY.md'), 'utf8');
    const manifest = readFileSync(join(service, '.secure-service', 'manifest.json'), 'utf8');
    for (const part of ['signing', 'all']) {
      const run = await runAdd([part, '--yes', '--dir', service]);
      expect(run.code, run.err).toBe(0);
      for (const path of ['.allowed_signers', 'scripts', '.secure-service']) expect(existsSync(join(repo, path)), path).toBe(false);
      expect(readFileSync(join(service, 'SECURITY.md'), 'utf8')).toBe(securityMd);
      expect(readFileSync(join(service, '.secure-service', 'manifest.json'), 'utf8')).toBe(manifest);
      expect(run.out).toContain(`  signing: uses ${join(service, '.allowed_signers')} and ${join(service, 'scripts', 'verify-signatures.sh')}, this service's own (its manifest records them), not a second set at the repository's top folder`);
      expect(run.out).toMatch(/^Nothing to do: every requested file is already in place/m);
    }
  });

  it("add signing in such a service, created before the signer had a key, reads the service's .allowed_signers for the line the signer added by hand", async () => {
    const repo = realpathSync(fresh());
    git(repo, 'init', '-q');
    const service = join(repo, 'services', 'api');
    // Created by a signer with no key yet (the same git identity, another HOME).
    const home = process.env.HOME!;
    process.env.HOME = fresh();
    try {
      const created = captureOutput();
      expect(await inFolder(repo, () => main([service, '--yes', '--name', 'api', '--language', 'node', '--no-color'], created.output)), created.stderr()).toBe(0);
    } finally {
      process.env.HOME = home;
    }
    const manifest = readFileSync(join(service, '.secure-service', 'manifest.json'), 'utf8');
    expect(JSON.parse(manifest).facts.signerPublicKey).toBeNull();
    // The key made since, trusted by hand as the file says to.
    const key = readFileSync(join(home, '.ssh', 'id_ed25519.pub'), 'utf8').split(' ').slice(0, 2).join(' ');
    writeFileSync(join(service, '.allowed_signers'), `${readFileSync(join(service, '.allowed_signers'), 'utf8')}dev@example.com namespaces="git" ${key}\n`);
    const run = await runAdd(['signing', '--yes', '--dir', service]);
    expect(run.code, run.err).toBe(0);
    // Its line is there already: nothing recorded anew, as in a project that is its repository's top.
    expect(readFileSync(join(service, '.secure-service', 'manifest.json'), 'utf8')).toBe(manifest);
    expect(run.out).toMatch(/^Nothing to do: every requested file is already in place/m);
  });

  it("create in a subfolder: SECURITY.md's CI step, tag check and linked-worktree setting, used from the repository's top as CI and git use them, find the folder's files", async () => {
    const repo = realpathSync(fresh());
    git(repo, 'init', '-q');
    // What the pull request is measured against: origin's copy of the base branch, before the service.
    git(repo, 'commit', '-q', '--allow-empty', '-m', 'base');
    git(repo, 'update-ref', 'refs/remotes/origin/main', 'HEAD');
    const folder = join(repo, 'services', 'api');
    const captured = captureOutput();
    expect(await inFolder(repo, () => main([folder, '--yes', '--name', 'api', '--language', 'node', '--no-color'], captured.output)), captured.stderr()).toBe(0);
    // update renders it for the same folder: nothing to change.
    const check = captureOutput();
    expect(await inFolder(repo, () => main(['update', '--check', '--dir', folder, '--no-color'], check.output)), check.stdout() + check.stderr()).toBe(0);
    const securityMd = readFileSync(join(folder, 'SECURITY.md'), 'utf8');
    sh(folder, signingCommands(securityMd).setup);
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'service');
    git(repo, 'tag', '-m', 'v1', 'v1');
    const section = securityMd.slice(securityMd.indexOf('## Signed commits'), securityMd.indexOf('## Build and release'));

    // The GitHub Actions step, run as the runner runs it: from the top, in its working-directory.
    const step = /```yaml\n[\s\S]*?\n- run: (.+)\n(?: {2}working-directory: (.+)\n)?/.exec(section);
    expect(step, section).not.toBeNull();
    const stepDir = step![2] === undefined ? repo : join(repo, JSON.parse(step![2]) as string);
    const ci = execFileSync('sh', ['-ec', step![1]!], { cwd: stepDir, encoding: 'utf8', env: { ...process.env, BASE: 'main' } });
    expect(ci).toMatch(/^ok: all 1 commits in origin\/main\.\.HEAD have good signatures from trusted keys$/m);

    // The release tag's check, run from the top as a CI job on a tag push runs it.
    const tagCheck = /`([^`]*--tag "\$GITHUB_REF_NAME")`/.exec(section);
    expect(tagCheck, section).not.toBeNull();
    expect(execFileSync('sh', ['-ec', tagCheck![1]!], { cwd: repo, encoding: 'utf8', env: { ...process.env, GITHUB_REF_NAME: 'v1' } })).toMatch(/^ok: /m);

    // A linked worktree with the relative path SECURITY.md gives: git reads it from the worktree's top.
    const relative = /set `gpg\.ssh\.allowedSignersFile` to the relative `([^`]+)`/.exec(section);
    expect(relative, section).not.toBeNull();
    const worktree = join(fresh(), 'wt');
    git(repo, 'worktree', 'add', '-q', '--detach', worktree, 'HEAD');
    git(worktree, 'config', '--local', 'gpg.ssh.allowedSignersFile', relative![1]!);
    expect(git(join(worktree, 'services', 'api'), 'verify-commit', 'HEAD')).toBe('');
    expect(git(worktree, 'verify-commit', 'HEAD')).toBe('');
  });
});
