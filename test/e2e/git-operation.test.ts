/**
 * update's refusal while a git operation (a merge, a rebase, a cherry-pick) is in progress names
 * git's record of it as the user can find it from where they ran update: relative to the current
 * folder when under it, else in full, whichever folder --dir names and wherever the repository's
 * git folder is. Run with the built CLI.
 */
import { execa } from 'execa';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/render.js';

const bin = join(repoRoot, 'bin', 'create-secure-service.cjs');
let work: string;
let home: string;

const env = () => ({ PATH: process.env.PATH ?? '', HOME: home, GIT_CONFIG_GLOBAL: join(home, '.gitconfig'), GIT_CONFIG_NOSYSTEM: '1', NO_COLOR: '1', LANG: 'C.UTF-8' });
const cli = (args: string[], cwd: string) => execa(process.execPath, [bin, ...args], { cwd, env: env(), extendEnv: false, reject: false, stdin: 'ignore' });
const gitIn = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, env: env(), encoding: 'utf8', stdio: 'pipe' });

/** A merge stopped on a conflict in the Dockerfile of the project at `svc`, in the repository at `repo`. */
function mergeInProgress(repo: string, svc: string): void {
  gitIn(repo, 'add', '-A');
  gitIn(repo, 'commit', '-qm', 'generated');
  gitIn(repo, 'checkout', '-qb', 'side');
  const dockerfile = join(svc, 'Dockerfile');
  writeFileSync(dockerfile, readFileSync(dockerfile, 'utf8').replace('EXPOSE 3000\n', 'EXPOSE 3001\n'));
  gitIn(repo, 'commit', '-qam', 'side');
  gitIn(repo, 'checkout', '-q', 'main');
  writeFileSync(dockerfile, readFileSync(dockerfile, 'utf8').replace('EXPOSE 3000\n', 'EXPOSE 3002\n'));
  gitIn(repo, 'commit', '-qam', 'main');
  expect(() => gitIn(repo, 'merge', 'side')).toThrow();
}

beforeAll(() => {
  work = realpathSync(mkdtempSync(join(tmpdir(), 'css-git-operation-')));
  home = join(work, 'home');
  mkdirSync(home);
  writeFileSync(join(home, '.gitconfig'), '[user]\n\tname = T\n\temail = t@example.com\n[init]\n\tdefaultBranch = main\n');
});

describe("update's refusal during a git operation", () => {
  it('names MERGE_HEAD from the current folder, not from the project folder --dir names', async () => {
    const cwd = join(work, 'alone');
    mkdirSync(cwd);
    expect((await cli(['svc', '--yes', '--signing', 'none'], cwd)).exitCode).toBe(0);
    mergeInProgress(join(cwd, 'svc'), join(cwd, 'svc'));
    const result = await cli(['update', '--dir', 'svc', '--service', 'postgres', '--yes'], cwd);
    expect(result.exitCode, result.stdout).toBe(2);
    // Before: (.git/MERGE_HEAD), which is no file from here.
    expect(result.stderr).toMatch(/^error: a git merge is in progress in this repository \(svc\/\.git\/MERGE_HEAD\); resolve it and git commit, or git merge --abort, then run update again; nothing was written/);
  });

  it('names it from the current folder when the repository is above the project, and in full when it is not under the current folder', async () => {
    const repo = join(work, 'mono');
    mkdirSync(join(repo, 'services'), { recursive: true });
    gitIn(repo, 'init', '-q');
    expect((await cli(['api', '--yes', '--signing', 'none'], join(repo, 'services'))).exitCode).toBe(0);
    const svc = join(repo, 'services', 'api');
    mergeInProgress(repo, svc);
    const fromRoot = await cli(['update', '--dir', 'services/api', '--service', 'postgres', '--yes'], repo);
    expect(fromRoot.exitCode, fromRoot.stdout).toBe(2);
    // Before: in full, as it was not under the project folder.
    expect(fromRoot.stderr).toContain('a git merge is in progress in this repository (.git/MERGE_HEAD);');
    const fromProject = await cli(['update', '--service', 'postgres', '--yes'], svc);
    expect(fromProject.stderr).toContain(`a git merge is in progress in this repository (${join(repo, '.git', 'MERGE_HEAD')});`);
    // Where the environment has git itself find the repository, git's answer is named the same way.
    const asked = await execa(process.execPath, [bin, 'update', '--dir', 'services/api', '--service', 'postgres', '--yes'], { cwd: repo, env: { ...env(), GIT_DIR: join(repo, '.git') }, extendEnv: false, reject: false, stdin: 'ignore' });
    expect(asked.stderr).toContain('a git merge is in progress in this repository (.git/MERGE_HEAD);');
  });
});
