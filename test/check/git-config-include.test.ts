/**
 * S01/S02 read the repository config as git does, with the files it includes: `[include] path`
 * and `[includeIf "gitdir:…"]`, `"onbranch:…"` and `"hasconfig:remote.*.url:…"` `path`
 * (git-config(1), Includes), each path relative to the file that includes it, `~/` in the home
 * folder. Compared with what real git reads in the same repository (the global config aside).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkSigning } from '../../src/check/signing.js';
import { diskSource } from '../../src/check/source.js';
import { scratchHome } from '../helpers/scratch-home.js';

const signing = '[commit]\n\tgpgsign = true\n[tag]\n\tgpgSign = true\n[user]\n\tsigningkey = ~/.ssh/id_ed25519.pub\n[gpg]\n\tformat = ssh\n[gpg "ssh"]\n\tallowedSignersFile = .allowed_signers\n';
const signer = 'dev@example.com namespaces="git" ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDO0VQD9TIdICZLWFWwtf7s8/aENve8twGTEmNV0myh5 key\n';

const scratch = scratchHome('css-gitinclude-');

let count = 0;
/** A real repository whose .git/config ends with `extra`, with a committed signer list and CI check. */
function repo(extra: string): string {
  const root = join(scratch.tmp, `repo${count++}`);
  mkdirSync(join(root, 'scripts'), { recursive: true });
  const env = { ...process.env, HOME: scratch.home, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' };
  execFileSync('git', ['init', '-q', root], { env });
  execFileSync('sh', ['-c', `cat >> .git/config`], { cwd: root, input: extra });
  writeFileSync(join(root, '.allowed_signers'), signer);
  writeFileSync(join(root, 'scripts/verify.sh'), "git log --format='%G?'\n");
  return root;
}

const gitGet = (root: string, key: string) => {
  try {
    return execFileSync('git', ['config', '--get', key], { cwd: root, encoding: 'utf8', env: { ...process.env, HOME: scratch.home, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' }, stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
};
const rules = (root: string) => checkSigning(diskSource(root), root).map((f) => `${f.rule} ${f.file}:${f.line} ${f.message}`);

describe('S01/S02 follow git config includes', () => {
  it('reads signing config from an [include] path relative to .git/config, as git does', () => {
    const root = repo('[include]\n\tpath = signing.inc\n');
    writeFileSync(join(root, '.git/signing.inc'), signing);
    expect(gitGet(root, 'commit.gpgsign')).toBe('true');
    expect(rules(root)).toEqual([]);
  });

  it('reads a ~/ include, and an includeIf gitdir: that matches this repository, not one that does not', () => {
    writeFileSync(join(scratch.home, 'signing.inc'), signing);
    const plain = repo('[include]\n\tpath = ~/signing.inc\n');
    expect(gitGet(plain, 'tag.gpgsign')).toBe('true');
    expect(rules(plain)).toEqual([]);
    for (const condition of [`gitdir:${scratch.tmp}/`, 'gitdir:repo*/.git', `gitdir/i:${scratch.tmp.toUpperCase()}/`]) {
      const matching = repo(`[includeIf "${condition}"]\n\tpath = ~/signing.inc\n`);
      expect(gitGet(matching, 'commit.gpgsign'), condition).toBe('true');
      expect(rules(matching), condition).toEqual([]);
    }
    const other = repo('[includeIf "gitdir:/nowhere/"]\n\tpath = ~/signing.inc\n');
    expect(gitGet(other, 'commit.gpgsign')).toBeUndefined();
    expect(rules(other)).toContain('S01 .git/config:1 commit.gpgsign = true is not set: commits and tags are not signed');
  });

  it('without HOME, as git: a ~/ include makes git refuse the config, and includeIf gitdir:~/ matches nothing', () => {
    writeFileSync(join(scratch.home, 'signing.inc'), signing);
    const withoutHome = (root: string, key: string) => {
      const env: NodeJS.ProcessEnv = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' };
      delete env.HOME;
      try {
        return { value: execFileSync('git', ['config', '--get', key], { cwd: root, encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'pipe'] }).trim() };
      } catch (error) {
        return { value: undefined, stderr: String((error as { stderr?: string }).stderr) };
      }
    };
    const included = repo('[include]\n\tpath = ~/signing.inc\n');
    const condition = repo(`[includeIf "gitdir:~/"]\n\tpath = ${scratch.home}/signing.inc\n`);
    delete process.env.HOME;
    try {
      expect(withoutHome(included, 'core.bare').stderr).toMatch(/could not expand include path '~\/signing\.inc'/);
      // git names the same line: "bad config line 7 in file .git/config".
      const line = /bad config line (\d+)/.exec(withoutHome(included, 'core.bare').stderr ?? '')![1];
      expect(rules(included)).toContain(`S01 .git/config:${line} git cannot expand ~/ in an include path without HOME, so it refuses this config: set HOME, or give the path in full`);
      expect(withoutHome(condition, 'commit.gpgsign').value).toBeUndefined();
      expect(withoutHome(condition, 'core.bare').value).toBe('false');
      expect(rules(condition)).toContain('S01 .git/config:1 commit.gpgsign = true is not set: commits and tags are not signed');
    } finally {
      process.env.HOME = scratch.home;
    }
  });

  it('lets a later value override an included one, and reports an included value at its include line', () => {
    writeFileSync(join(scratch.home, 'off.inc'), '[commit]\n\tgpgsign = false\n');
    const root = repo('[include]\n\tpath = ~/signing.inc\n[include]\n\tpath = ~/off.inc\n');
    expect(gitGet(root, 'commit.gpgsign')).toBe('false');
    const found = rules(root);
    expect(found.filter((f) => f.includes('commit.gpgsign'))).toHaveLength(1);
    expect(found.find((f) => f.includes('commit.gpgsign'))).toMatch(/^S01 \.git\/config:\d+ commit\.gpgsign = true is not set/);
  });

  it('survives include loops, missing and unreadable files: no crash, no hang, and the loop is named', () => {
    const root = repo(`[include]\n\tpath = missing.inc\n\tpath = /dev/zero\n\tpath = ../..\n${'\tpath = config\n'.repeat(8)}`);
    // git itself refuses such a config.
    expect(gitGet(root, 'core.bare')).toBeUndefined();
    const found = rules(root);
    expect(found.some((f) => /^S01 \.git\/config:\d+ includes nest deeper than git's limit of 10 \(an include loop\?\), so git refuses this config: remove the loop$/.test(f))).toBe(true);
    expect(found).toContain('S01 .git/config:1 commit.gpgsign = true is not set: commits and tags are not signed');
  });
  it('follows includeIf "onbranch:" for the branch checked out here, as git does, and says when signing holds only on some branches', () => {
    writeFileSync(join(scratch.home, 'signing.inc'), signing);
    const onlyOnMain = 'S01 .git/config:7 commit.gpgsign = true is set only on branches matching "ma*" ([includeIf "onbranch:ma*"]), so commits made on other branches are not signed';
    const cases: [string, string, boolean][] = [
      ['ma*', 'main', true],
      ['ma*', 'feature/x', false],
      ['feature/', 'feature/x', true],
      ['feature/*', 'feature/x/y', false],
      ['feature/**', 'feature/x/y', true],
      ['ma*', '', false], // a detached HEAD matches no branch
    ];
    for (const [pattern, head, matches] of cases) {
      const root = repo(`[includeIf "onbranch:${pattern}"]\n\tpath = ~/signing.inc\n`);
      if (head) execFileSync('git', ['symbolic-ref', 'HEAD', `refs/heads/${head}`], { cwd: root });
      else writeFileSync(join(root, '.git/HEAD'), `${'0'.repeat(40)}\n`);
      const label = `onbranch:${pattern} on ${head || 'a detached HEAD'}`;
      expect(gitGet(root, 'commit.gpgsign'), label).toBe(matches ? 'true' : undefined);
      const found = rules(root);
      expect(found.some((f) => f.includes('commit.gpgsign = true is not set')), label).toBe(!matches);
      expect(found.filter((f) => f.includes('is set only on branches matching')), label).toHaveLength(matches ? 2 : 0);
      if (pattern === 'ma*' && matches) expect(found).toContain(onlyOnMain);
    }
    // Turned off on this branch by such an include: off, as git has it.
    writeFileSync(join(scratch.home, 'off.inc'), '[commit]\n\tgpgsign = false\n');
    const off = repo(`${signing}[includeIf "onbranch:main"]\n\tpath = ~/off.inc\n`);
    execFileSync('git', ['symbolic-ref', 'HEAD', 'refs/heads/main'], { cwd: off });
    expect(gitGet(off, 'commit.gpgsign')).toBe('false');
    expect(rules(off)).toEqual([expect.stringMatching(/^S01 \.git\/config:\d+ commit\.gpgsign = true is not set/)]);
  });

  it('follows includeIf "hasconfig:remote.*.url:" when a remote URL in the repository config matches, as git does', () => {
    writeFileSync(join(scratch.home, 'signing.inc'), signing);
    writeFileSync(join(scratch.home, 'remote.inc'), '[remote "upstream"]\n\turl = https://example.com/org/app.git\n');
    const cases: [string, string, boolean][] = [
      ['https://example.com/**', '[remote "origin"]\n\turl = https://example.com/org/app.git\n', true],
      // * stops at /, as in git's wildmatch with WM_PATHNAME
      ['https://example.com/*', '[remote "origin"]\n\turl = https://example.com/org/app.git\n', false],
      ['git@example.com:org/*', '[remote "origin"]\n\turl = git@example.com:org/app.git\n', true],
      // the URL as written: no rewriting between ssh and https
      ['https://example.com/**', '[remote "origin"]\n\turl = git@example.com:org/app.git\n', false],
      ['https://example.com/**', '', false],
    ];
    for (const [pattern, remote, matches] of cases) {
      // The remote before the include and after it: git scans every file for remote URLs first.
      for (const root of [repo(`${remote}[includeIf "hasconfig:remote.*.url:${pattern}"]\n\tpath = ~/signing.inc\n`), repo(`[includeIf "hasconfig:remote.*.url:${pattern}"]\n\tpath = ~/signing.inc\n${remote}`)]) {
        expect(gitGet(root, 'commit.gpgsign'), `${pattern} ${remote}`).toBe(matches ? 'true' : undefined);
        expect(rules(root), `${pattern} ${remote}`).toEqual(matches ? [] : expect.arrayContaining(['S01 .git/config:1 commit.gpgsign = true is not set: commits and tags are not signed']));
      }
    }
    // A remote in a file the config includes counts too.
    const included = repo('[include]\n\tpath = ~/remote.inc\n[includeIf "hasconfig:remote.*.url:https://example.com/**"]\n\tpath = ~/signing.inc\n');
    expect(gitGet(included, 'commit.gpgsign')).toBe('true');
    expect(rules(included)).toEqual([]);
  });

  it("does not count the global config, which git reads too: S01 judges the repository's own, the same for every clone and in CI", () => {
    const root = repo('');
    const global = join(scratch.home, 'global.gitconfig');
    writeFileSync(global, signing.replace('.allowed_signers', join(root, '.allowed_signers')));
    const withGlobal = execFileSync('git', ['config', '--get', 'commit.gpgsign'], { cwd: root, encoding: 'utf8', env: { ...process.env, HOME: scratch.home, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: global } }).trim();
    expect(withGlobal).toBe('true');
    const saved = process.env.GIT_CONFIG_GLOBAL;
    process.env.GIT_CONFIG_GLOBAL = global;
    try {
      expect(rules(root)).toContain('S01 .git/config:1 commit.gpgsign = true is not set: commits and tags are not signed');
    } finally {
      if (saved === undefined) delete process.env.GIT_CONFIG_GLOBAL;
      else process.env.GIT_CONFIG_GLOBAL = saved;
    }
  });
});
