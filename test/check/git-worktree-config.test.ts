/**
 * S01/S02 in a linked worktree (`git worktree add`) and a submodule, whose `.git` is a file naming
 * the repository's folder: git reads the config of the repository that folder belongs to (its
 * commondir), and, when that config sets extensions.worktreeConfig, the worktree's own
 * config.worktree (git-worktree(1), CONFIGURATION FILE). Real repositories made with git, and
 * compared with what `git config` reads in them.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCheck } from '../../src/check/engine.js';
import { checkSigning } from '../../src/check/signing.js';
import { diskSource } from '../../src/check/source.js';
import { scratchHome } from '../helpers/scratch-home.js';

const signer = 'dev@example.com namespaces="git" ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDO0VQD9TIdICZLWFWwtf7s8/aENve8twGTEmNV0myh5 key\n';
const keys = ['commit.gpgsign', 'tag.gpgsign', 'gpg.format', 'user.signingkey', 'gpg.ssh.allowedsignersfile'];

const scratch = scratchHome('css-gitworktree-');
let count = 0;

const env = () => ({ ...process.env, HOME: scratch.home, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' });
const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, env: env(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

/** What git reads for each signing key in `cwd`, with the file it read it from (git config --show-origin). */
function gitReads(cwd: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of keys) {
    try {
      out[key] = git(cwd, 'config', '--show-origin', '--get', key).trim();
    } catch {
      // unset
    }
  }
  return out;
}

/** A repository `main` with one commit of a signer list and a CI check, with `config` appended to its .git/config. */
function repository(config = ''): string {
  const main = join(scratch.tmp, `case${count++}`, 'main');
  mkdirSync(join(main, 'scripts'), { recursive: true });
  git(main, 'init', '-q', '-b', 'main');
  writeFileSync(join(main, '.allowed_signers'), signer);
  writeFileSync(join(main, 'scripts/verify.sh'), "git log --format='%G?'\n");
  git(main, 'add', '-A');
  git(main, 'commit', '-q', '--no-gpg-sign', '-m', 'init');
  if (config) execFileSync('sh', ['-c', 'cat >> .git/config'], { cwd: main, input: config });
  return main;
}

/** A linked worktree of `main`, beside it. */
function worktree(main: string, name = 'linked'): string {
  const linked = join(main, '..', name);
  git(main, 'worktree', 'add', '-q', '-b', name, linked);
  return linked;
}

const findings = (root: string) => checkSigning(diskSource(root), root).map((f) => `${f.rule} ${f.file}:${f.line} ${f.message}`);
/** The findings without their place, which differs: .git/config in a repository, .git (the file) in a worktree. */
const messages = (root: string) => findings(root).map((f) => f.replace(/ \S+:\d+ /, ' '));

const signing = '[commit]\n\tgpgsign = true\n[tag]\n\tgpgSign = true\n[user]\n\tsigningkey = ~/.ssh/id_ed25519.pub\n[gpg]\n\tformat = ssh\n[gpg "ssh"]\n\tallowedSignersFile = .allowed_signers\n';
const unsigned = [
  'S01 commit.gpgsign = true is not set: commits and tags are not signed',
  'S01 tag.gpgSign = true is not set: commits and tags are not signed',
  'S01 user.signingkey is not set in the repository config',
];

describe('S01/S02 in a linked worktree read the config of the repository it belongs to', () => {
  it('reports a worktree of a repository that does not sign as the repository itself is reported, at the .git file', () => {
    const main = repository();
    const linked = worktree(main);
    expect(gitReads(linked)).toEqual({});
    expect(messages(main)).toEqual(unsigned);
    expect(messages(linked)).toEqual(unsigned);
    expect(findings(linked).every((f) => / \.git:1 /.test(f))).toBe(true);
  });

  it('passes a worktree of a repository that signs, and reports a value set wrong in the shared config', () => {
    const main = repository(signing);
    const linked = worktree(main);
    const read = gitReads(linked);
    expect(Object.keys(read)).toEqual(keys);
    for (const value of Object.values(read)) expect(value).toMatch(new RegExp(`^file:${main}/\\.git/config\\t`));
    expect(findings(main)).toEqual([]);
    expect(findings(linked)).toEqual([]);

    git(linked, 'config', 'gpg.format', 'pgp');
    expect(gitReads(main)['gpg.format']).toBe('file:.git/config\tpgp');
    expect(messages(main)).toEqual(['S01 gpg.format "pgp" is not ssh or openpgp']);
    expect(findings(linked)).toEqual(['S01 .git:1 gpg.format "pgp" is not ssh or openpgp']);
  });

  it("reads the worktree's config.worktree, after the shared config, only when the shared config itself turns on extensions.worktreeConfig", () => {
    const main = repository(signing);
    const linked = worktree(main);
    const other = worktree(main, 'other');
    git(main, 'config', 'extensions.worktreeConfig', 'true');
    git(linked, 'config', '--worktree', 'commit.gpgsign', 'false');
    git(main, 'config', '--worktree', 'tag.gpgsign', 'off');
    expect(gitReads(linked)['commit.gpgsign']).toBe(`file:${main}/.git/worktrees/linked/config.worktree\tfalse`);
    expect(gitReads(other)['commit.gpgsign']).toBe(`file:${main}/.git/config\ttrue`);
    expect(gitReads(main)['tag.gpgsign']).toBe('file:.git/config.worktree\toff');
    expect(findings(linked)).toEqual(['S01 .git:1 commit.gpgsign = true is not set: commits and tags are not signed']);
    expect(findings(other)).toEqual([]);
    // The main worktree's own config.worktree is in its .git folder: reported at its line.
    expect(findings(main)).toEqual(['S01 .git/config.worktree:2 tag.gpgSign = true is not set: commits and tags are not signed']);

    // Turned on only in a file the config includes, or in the user's config, git does not take it.
    git(main, 'config', '--unset', 'extensions.worktreeConfig');
    writeFileSync(join(main, '.git/extensions.inc'), '[extensions]\n\tworktreeConfig = true\n');
    git(main, 'config', 'include.path', 'extensions.inc');
    expect(git(main, 'config', '--get', 'extensions.worktreeConfig').trim()).toBe('true');
    expect(gitReads(linked)['commit.gpgsign']).toBe(`file:${main}/.git/config\ttrue`);
    expect(gitReads(main)['tag.gpgsign']).toBe(`file:.git/config\ttrue`);
    expect(findings(linked)).toEqual([]);
    expect(findings(main)).toEqual([]);
  });

  it('follows an includeIf gitdir: that matches the worktree\'s own git folder, as git does, and not the main one\'s', () => {
    writeFileSync(join(scratch.home, 'signing.inc'), signing);
    const main = repository('[includeIf "gitdir:**/worktrees/linked"]\n\tpath = ~/signing.inc\n');
    const linked = worktree(main);
    const other = worktree(main, 'other');
    expect(gitReads(linked)['commit.gpgsign']).toBe(`file:${scratch.home}/signing.inc\ttrue`);
    expect(gitReads(main)).toEqual({});
    expect(gitReads(other)).toEqual({});
    expect(findings(linked)).toEqual([]);
    expect(messages(main)).toEqual(unsigned);
    expect(messages(other)).toEqual(unsigned);
  });

  it('takes an allowedSignersFile in the main worktree (as create writes it) as the committed file, and one elsewhere as not', () => {
    const main = repository(signing.replace('allowedSignersFile = .allowed_signers', `allowedSignersFile = ${join(scratch.tmp, 'nowhere')}/.allowed_signers`));
    const linked = worktree(main);
    const elsewhere = `S02 gpg.ssh.allowedSignersFile points at ${join(scratch.tmp, 'nowhere')}/.allowed_signers, not a file committed in this repository`;
    expect(messages(main)).toEqual([elsewhere]);
    expect(messages(linked)).toEqual([elsewhere]);
    git(main, 'config', 'gpg.ssh.allowedSignersFile', join(main, '.allowed_signers'));
    expect(findings(main)).toEqual([]);
    expect(findings(linked)).toEqual([]);
  });

  it('counts the .git file and the config it leads to as checked', async () => {
    const linked = worktree(repository(signing));
    const report = await runCheck(diskSource(linked), { rootDir: linked });
    expect(report.files).toEqual(['.git', '.allowed_signers']);
    expect(report.findings).toEqual([]);
  });
});

describe('S01/S02 in a submodule read the config in the superproject\'s .git/modules', () => {
  it('reports a submodule that does not sign, and passes it once its own config signs', () => {
    const library = repository();
    const superproject = join(scratch.tmp, `case${count++}`, 'super');
    mkdirSync(superproject, { recursive: true });
    git(superproject, 'init', '-q', '-b', 'main');
    git(superproject, '-c', 'protocol.file.allow=always', 'submodule', 'add', '-q', library, 'lib');
    const sub = join(superproject, 'lib');
    expect(git(sub, 'rev-parse', '--git-dir').trim()).toBe(join(superproject, '.git/modules/lib'));
    expect(gitReads(sub)).toEqual({});
    expect(messages(sub)).toEqual(unsigned);

    execFileSync('sh', ['-c', 'cat >> .git/modules/lib/config'], { cwd: superproject, input: signing });
    expect(gitReads(sub)['commit.gpgsign']).toBe(`file:${superproject}/.git/modules/lib/config\ttrue`);
    expect(findings(sub)).toEqual([]);
    // The superproject's own config is not the submodule's.
    expect(messages(superproject)).toEqual(unsigned);
  });
});

describe('S01/S02 where .git is a symbolic link to the git folder, which git follows', () => {
  it('reads the config where the link leads, as git does, and reports a link to no repository as git passes over it', async () => {
    const dir = join(scratch.tmp, `case${count++}`);
    const root = join(dir, 'root');
    git(scratch.tmp, 'init', '-q', '--separate-git-dir', join(dir, 'real.git'), root);
    rmSync(join(root, '.git'));
    symlinkSync(join(dir, 'real.git'), join(root, '.git'));
    expect(git(root, 'rev-parse', '--git-dir').trim()).toBe('.git');
    expect(gitReads(root)).toEqual({});
    expect(messages(root)).toEqual(unsigned);
    expect(findings(root).every((f) => / \.git:1 /.test(f))).toBe(true);
    expect((await runCheck(diskSource(root), { rootDir: root })).files).toEqual(['.git']);

    execFileSync('sh', ['-c', 'cat >> config'], { cwd: join(dir, 'real.git'), input: signing });
    writeFileSync(join(root, '.allowed_signers'), signer);
    mkdirSync(join(root, 'scripts'));
    writeFileSync(join(root, 'scripts/verify.sh'), "git log --format='%G?'\n");
    expect(gitReads(root)['commit.gpgsign']).toBe('file:.git/config\ttrue');
    expect(findings(root)).toEqual([]);

    const empty = join(dir, 'empty');
    mkdirSync(empty);
    rmSync(join(root, '.git'));
    symlinkSync(empty, join(root, '.git'));
    expect(() => execFileSync('git', ['rev-parse', '--git-dir'], { cwd: root, env: { ...env(), GIT_CEILING_DIRECTORIES: dir }, stdio: 'pipe' })).toThrow(/not a git repository/);
    expect(findings(root)).toEqual(['S01 .git:1 .git is not a complete git repository (no HEAD; an interrupted git init leaves one like it), so git passes over it and no signing setting in it is in effect']);
  });
});
