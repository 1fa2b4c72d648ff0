/**
 * A `.git` that git init left half-made (stopped by Ctrl-C, SIGTERM, a crash or a full disk), which
 * git itself passes over (it needs HEAD, objects/ and refs/): create, add and update stop before
 * writing anything, with one line saying what is wrong and what to do, and never remove it; check
 * reports it rather than reading its config as the repository's. One above the project git passes
 * over, and so do they. A `.git` file naming a repository that is missing or broken stops git, and
 * them, in the same way. Run with the built CLI.
 */
import { execa } from 'execa';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/render.js';
import { caseFolders } from '../helpers/case-folders.js';

const bin = join(repoRoot, 'bin', 'create-secure-service.cjs');
let work: string;
let home: string;
const fresh = caseFolders(() => work);

const env = () => ({ PATH: process.env.PATH ?? '', HOME: home, GIT_CONFIG_GLOBAL: join(home, '.gitconfig'), GIT_CONFIG_NOSYSTEM: '1', NO_COLOR: '1', LANG: 'C.UTF-8' });
const cli = (args: string[], cwd: string) => execa(process.execPath, [bin, ...args], { cwd, env: env(), extendEnv: false, reject: false, stdin: 'ignore' });
const gitIn = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, env: env(), encoding: 'utf8' });
const signing = () => ['--signing', 'ssh', '--signing-key', join(home, '.ssh', 'id_ed25519.pub')];

/** Every file under dir with its text, to show that nothing was written (or removed). */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name);
    out[relative(dir, path)] = entry.isFile() ? readFileSync(path, 'utf8') : entry.isDirectory() ? '<dir>' : '<other>';
  }
  return out;
}

/** What git init leaves when stopped before its last step (it makes refs/, HEAD and config, then objects/). */
function halfInit(dir: string): void {
  gitIn(dir, 'init', '-q');
  rmSync(join(dir, '.git', 'objects'), { recursive: true });
}

const oneLine = (stderr: string) => stderr.trimEnd().split('\n');

beforeAll(() => {
  work = realpathSync(mkdtempSync(join(tmpdir(), 'css-broken-git-')));
  home = join(work, 'home');
  mkdirSync(join(home, '.ssh'), { recursive: true, mode: 0o700 });
  writeFileSync(join(home, '.gitconfig'), '[user]\n\tname = T\n\temail = t@example.com\n[init]\n\tdefaultBranch = main\n');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 't@example.com', '-f', join(home, '.ssh', 'id_ed25519')]);
});

describe('a half-made .git', () => {
  it('create stops before writing, in one line, when the folder has an empty .git, and leaves it (and the repository above) as they were', async () => {
    const mono = fresh();
    gitIn(mono, 'init', '-q');
    mkdirSync(join(mono, 'svc', '.git'), { recursive: true });
    const before = snapshot(mono);
    const result = await cli(['svc', '--yes', ...signing()], mono);
    expect(result.exitCode, result.stdout).toBe(2);
    expect(oneLine(result.stderr)).toEqual([
      'error: svc/.git is not a complete git repository (no HEAD; an interrupted git init leaves one like it), so git passes over it: run git init in svc to complete it (that keeps what is there), or remove svc/.git if nothing of yours is in it, then run again',
    ]);
    expect(result.stdout).toBe('');
    // Before the fix: every file written, "git: already a repository", and the signing config
    // (gpgsign, this service's .allowed_signers) set in the repository above.
    expect(snapshot(mono)).toEqual(before);
  });

  it('create --dry-run stops as a real run would; once git init completes it, create sets up signing in it', async () => {
    const cwd = fresh();
    mkdirSync(join(cwd, 'svc'));
    halfInit(join(cwd, 'svc'));
    const before = snapshot(cwd);
    for (const dryRun of [['--dry-run'], []]) {
      const result = await cli(['svc', '--yes', ...signing(), ...dryRun], cwd);
      expect(result.exitCode, result.stdout).toBe(2);
      expect(oneLine(result.stderr)).toHaveLength(1);
      expect(result.stderr).toMatch(/^error: svc\/\.git is not a complete git repository \(no objects folder; /);
      expect(snapshot(cwd)).toEqual(before);
    }
    // What the message says to do works.
    gitIn(join(cwd, 'svc'), 'init', '-q');
    const result = await cli(['svc', '--yes', ...signing()], cwd);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/git: already a repository\n/);
    expect(gitIn(join(cwd, 'svc'), 'config', '--local', 'commit.gpgsign').trim()).toBe('true');
  });

  it("add stops before writing when the service's .git is half-made, not taking the repository above for its own", async () => {
    const mono = fresh();
    gitIn(mono, 'init', '-q');
    const api = join(mono, 'api');
    mkdirSync(api);
    writeFileSync(join(api, 'package.json'), JSON.stringify({ name: 'api', scripts: { start: 'node index.js' } }));
    writeFileSync(join(api, 'index.js'), 'require("http").createServer().listen(3000);\n');
    halfInit(api);
    const before = snapshot(mono);
    const result = await cli(['add', 'signing', 'docker', '--yes', ...signing()], api);
    expect(result.exitCode, result.stdout).toBe(2);
    expect(oneLine(result.stderr)).toEqual([
      'error: .git is not a complete git repository (no objects folder; an interrupted git init leaves one like it), so git passes over it: run git init in . to complete it (that keeps what is there), or remove .git if nothing of yours is in it, then run again',
    ]);
    // Before the fix: .allowed_signers and the verify script at the repository above's root, and its config signing.
    expect(snapshot(mono)).toEqual(before);
  });

  it('update stops before writing (a signing change goes into the git config); --check still answers', async () => {
    const cwd = fresh();
    expect((await cli(['svc', '--yes', ...signing()], cwd)).exitCode).toBe(0);
    const svc = join(cwd, 'svc');
    rmSync(join(svc, '.git', 'objects'), { recursive: true });
    const before = snapshot(svc);
    const result = await cli(['update', '--dir', 'svc', '--signing', 'none'], cwd);
    expect(result.exitCode, result.stdout).toBe(2);
    expect(oneLine(result.stderr)).toHaveLength(1);
    expect(result.stderr).toMatch(/^error: svc\/\.git is not a complete git repository \(no objects folder; .*run git init in svc to complete it/);
    expect(snapshot(svc)).toEqual(before);
    expect((await cli(['update', '--dir', 'svc', '--check'], cwd)).exitCode).toBe(0);
  });

  it('one above the project is passed over, as git passes over it: create makes the service its own repository, update and add run', async () => {
    const cwd = fresh();
    halfInit(cwd);
    const parentGit = snapshot(join(cwd, '.git'));
    const created = await cli(['svc', '--yes', ...signing()], cwd);
    expect(created.exitCode, created.stderr).toBe(0);
    expect(created.stdout).toMatch(/git: initialised a repository\n/);
    const svc = join(cwd, 'svc');
    expect(gitIn(svc, 'rev-parse', '--show-toplevel').trim()).toBe(svc);
    expect(gitIn(svc, 'config', '--local', 'commit.gpgsign').trim()).toBe('true');
    const updated = await cli(['update', '--dir', 'svc', '--signing', 'none'], cwd);
    expect(updated.exitCode, updated.stderr).toBe(0);
    expect(existsSync(join(svc, '.allowed_signers'))).toBe(false);
    // Not repaired, not removed: it is the user's.
    expect(snapshot(join(cwd, '.git'))).toEqual(parentGit);

    // Between the project and a repository above: git's repository is the one above, and so is the tool's.
    const mono = fresh();
    gitIn(mono, 'init', '-q');
    const mid = join(mono, 'mid');
    mkdirSync(mid);
    halfInit(mid);
    const inMono = await cli(['svc', '--yes', '--signing', 'none'], mid);
    expect(inMono.exitCode, inMono.stderr).toBe(0);
    expect(gitIn(join(mid, 'svc'), 'rev-parse', '--show-toplevel').trim()).toBe(mono);
    expect(inMono.stdout).toContain(`git: inside the repository at ${mono}; no new repository created`);
    const api = join(mid, 'api');
    mkdirSync(api);
    writeFileSync(join(api, 'package.json'), JSON.stringify({ name: 'api', scripts: { start: 'node index.js' } }));
    writeFileSync(join(api, 'index.js'), 'require("http").createServer().listen(3000);\n');
    const added = await cli(['add', 'docker', '--yes'], api);
    expect(added.exitCode, added.stderr).toBe(0);
    expect(existsSync(join(api, 'Dockerfile'))).toBe(true);
  });

  it('update --dry-run and --check write nothing into git, so they go on, and say what a real update stops on', async () => {
    const cwd = fresh();
    expect((await cli(['svc', '--yes', '--signing', 'none'], cwd)).exitCode).toBe(0);
    const svc = join(cwd, 'svc');
    rmSync(join(svc, '.git', 'objects'), { recursive: true });
    const before = snapshot(svc);
    const line = 'svc/.git is not a complete git repository (no objects folder; an interrupted git init leaves one like it), so git passes over it: run git init in svc to complete it (that keeps what is there), or remove svc/.git if nothing of yours is in it; update stops on it before writing anything';
    // The update it shows would refuse: 1, as for a file behind a symbolic link.
    const dry = await cli(['update', '--dir', 'svc', '--dry-run', '--service', 'redis'], cwd);
    expect(dry.exitCode, dry.stderr).toBe(1);
    expect(dry.stdout).toMatch(/update +compose\.yaml/);
    expect(dry.stdout).toContain('Nothing was written.');
    expect(oneLine(dry.stderr)).toEqual([`error: ${line}`]);
    // Up to date, and said so; the warning does not change that.
    const check = await cli(['update', '--dir', 'svc', '--check'], cwd);
    expect(check.exitCode, check.stderr).toBe(0);
    expect(check.stdout).toMatch(/^Up to date:/);
    expect(oneLine(check.stderr)).toEqual([`warning: ${line}`]);
    expect(snapshot(svc)).toEqual(before);
    // A .git file naming no repository, the same.
    rmSync(join(svc, '.git'), { recursive: true });
    writeFileSync(join(svc, '.git'), 'gitdir: ../gone\n');
    const file = await cli(['update', '--dir', 'svc', '--dry-run'], cwd);
    expect(file.exitCode, file.stderr).toBe(1);
    expect(oneLine(file.stderr)).toEqual([`error: svc/.git is a file naming the repository ${join(cwd, 'gone')} (as a linked worktree's or a submodule's does), which does not exist, so every git command in svc fails: if that repository moved, run git worktree repair ${svc} in it, or remove svc/.git if svc is no longer a worktree or submodule; update stops on it before writing anything`]);
  });

  it('create --no-git writes the files, leaves the .git as it is, and warns that git trips on it', async () => {
    const cwd = fresh();
    mkdirSync(join(cwd, 'svc'));
    halfInit(join(cwd, 'svc'));
    const dotGit = snapshot(join(cwd, 'svc', '.git'));
    const line = 'warning: svc/.git is not a complete git repository (no objects folder; an interrupted git init leaves one like it), so git passes over it: run git init in svc to complete it (that keeps what is there), or remove svc/.git if nothing of yours is in it';
    const dry = await cli(['svc', '--yes', '--signing', 'none', '--no-git', '--dry-run'], cwd);
    expect(dry.exitCode, dry.stderr).toBe(0);
    expect(oneLine(dry.stderr)).toEqual([line]);
    const result = await cli(['svc', '--yes', '--signing', 'none', '--no-git'], cwd);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(oneLine(result.stderr)).toEqual([line]);
    expect(result.stdout).toContain('git: skipped (--no-git)');
    expect(existsSync(join(cwd, 'svc', 'Dockerfile'))).toBe(true);
    expect(snapshot(join(cwd, 'svc', '.git'))).toEqual(dotGit);
    // One above the project git passes over: nothing to say.
    const above = await cli(['other', '--yes', '--signing', 'none', '--no-git'], join(cwd, 'svc'));
    expect(above.exitCode, above.stderr).toBe(0);
    expect(above.stderr).toBe('');
  });

  it("check reports it under S01 instead of reading its config as the repository's", async () => {
    const cwd = fresh();
    expect((await cli(['svc', '--yes', ...signing()], cwd)).exitCode).toBe(0);
    const svc = join(cwd, 'svc');
    expect((await cli(['check', 'svc'], cwd)).exitCode).toBe(0);
    // Only the config left: signing looks set up, and git would not even record a commit here.
    for (const entry of readdirSync(join(svc, '.git'))) if (entry !== 'config') rmSync(join(svc, '.git', entry), { recursive: true });
    const result = await cli(['check', 'svc'], cwd);
    expect(result.exitCode, result.stdout).toBe(1);
    expect(result.stdout).toMatch(/^\.git\n +1 +S01 +\.git is not a complete git repository \(no HEAD; .*no signing setting in it is in effect\n +fix: run git init in this folder to complete it/m);
    expect(existsSync(join(svc, '.git', 'config'))).toBe(true);
  });
});

describe('a .git file (a linked worktree, a submodule) naming a repository git cannot use', () => {
  /** A linked worktree of a new repository `main` in dir, with one commit. */
  function worktree(dir: string): { main: string; linked: string } {
    const main = join(dir, 'main');
    const linked = join(dir, 'linked');
    mkdirSync(main);
    gitIn(main, 'init', '-q');
    gitIn(main, 'commit', '-q', '--allow-empty', '-m', 'first');
    gitIn(main, 'worktree', 'add', '-q', linked);
    return { main, linked };
  }
  const gitFails = (cwd: string) => expect(() => execFileSync('git', ['status'], { cwd, env: env(), stdio: 'pipe' })).toThrow(/fatal: (not a git repository|invalid gitfile format)/);

  it('create stops before writing, in one line, as git itself stops there', async () => {
    const cwd = fresh();
    mkdirSync(join(cwd, 'svc'));
    writeFileSync(join(cwd, 'svc', '.git'), 'gitdir: ../gone\n');
    gitFails(join(cwd, 'svc'));
    const before = snapshot(cwd);
    const result = await cli(['svc', '--yes', '--signing', 'none'], cwd);
    expect(result.exitCode, result.stdout).toBe(2);
    expect(oneLine(result.stderr)).toEqual([
      `error: svc/.git is a file naming the repository ${join(cwd, 'gone')} (as a linked worktree's or a submodule's does), which does not exist, so every git command in svc fails: if that repository moved, run git worktree repair ${join(cwd, 'svc')} in it, or remove svc/.git if svc is no longer a worktree or submodule, then run again`,
    ]);
    // Before the fix: every file written, and "git: already a repository".
    expect(snapshot(cwd)).toEqual(before);
    // One above the project stops git as well (it never looks further): create stops too.
    writeFileSync(join(cwd, '.git'), 'not a gitdir line\n');
    rmSync(join(cwd, 'svc'), { recursive: true });
    gitFails(cwd);
    const above = await cli(['svc', '--yes', '--signing', 'none'], cwd);
    expect(above.exitCode, above.stdout).toBe(2);
    expect(oneLine(above.stderr)).toEqual([
      'error: .git is a file that names no repository (it holds no "gitdir: <path>" line), so every git command in this folder fails: write the repository\'s path into it as gitdir: <path>, or remove .git if this folder is no longer a worktree or submodule, then run again',
    ]);
    expect(existsSync(join(cwd, 'svc'))).toBe(false);
  });

  it("add stops in a linked worktree whose repository moved, and runs once git worktree repair (the line's fix) has found it", async () => {
    const { main, linked } = worktree(fresh());
    writeFileSync(join(linked, 'package.json'), JSON.stringify({ name: 'api', scripts: { start: 'node index.js' } }));
    writeFileSync(join(linked, 'index.js'), 'require("http").createServer().listen(3000);\n');
    const moved = `${main}-moved`;
    execFileSync('mv', [main, moved]);
    gitFails(linked);
    const before = snapshot(linked);
    const result = await cli(['add', 'docker', '--yes'], linked);
    expect(result.exitCode, result.stdout).toBe(2);
    expect(oneLine(result.stderr)).toHaveLength(1);
    expect(result.stderr).toContain(`error: .git is a file naming the repository ${join(main, '.git', 'worktrees', 'linked')} (as a linked worktree's or a submodule's does), which does not exist, so every git command in this folder fails: if that repository moved, run git worktree repair ${linked} in it,`);
    expect(snapshot(linked)).toEqual(before);
    gitIn(moved, 'worktree', 'repair', linked);
    const repaired = await cli(['add', 'docker', '--yes'], linked);
    expect(repaired.exitCode, repaired.stderr).toBe(0);
    expect(existsSync(join(linked, 'Dockerfile'))).toBe(true);
  });

  it('update stops before writing when the folder it names is no repository; check reports it under S01', async () => {
    const cwd = fresh();
    expect((await cli(['svc', '--yes', ...signing()], cwd)).exitCode).toBe(0);
    const svc = join(cwd, 'svc');
    rmSync(join(svc, '.git'), { recursive: true });
    mkdirSync(join(cwd, 'elsewhere'));
    writeFileSync(join(svc, '.git'), 'gitdir: ../elsewhere\n');
    gitFails(svc);
    const before = snapshot(svc);
    const result = await cli(['update', '--dir', 'svc', '--signing', 'none'], cwd);
    expect(result.exitCode, result.stdout).toBe(2);
    expect(oneLine(result.stderr)).toHaveLength(1);
    expect(result.stderr).toMatch(/^error: svc\/\.git is a file naming the repository \/.*\/elsewhere \(.*\), which is not a complete git repository \(no HEAD\), so every git command in svc fails: /);
    expect(snapshot(svc)).toEqual(before);
    const checked = await cli(['check', 'svc'], cwd);
    expect(checked.exitCode, checked.stdout).toBe(1);
    expect(checked.stdout).toMatch(/^\.git\n +1 +S01 +\.git is a file naming the repository \/.*\/elsewhere \(.*\), which is not a complete git repository \(no HEAD\), so every git command in this folder fails and no signing setting is in effect\n +fix: if that repository moved, run git worktree repair \/.*\/svc in it, or remove \.git if this folder is no longer a worktree or submodule/m);
  });

  it("check reports a linked worktree whose repository lost its objects, and not a sound one (objects and refs are the main repository's)", async () => {
    const { main, linked } = worktree(fresh());
    expect((await cli(['check', linked], linked)).stdout).not.toMatch(/S01 +\.git is a file/);
    rmSync(join(main, '.git', 'objects'), { recursive: true });
    gitFails(linked);
    const result = await cli(['check', '.'], linked);
    expect(result.exitCode, result.stdout).toBe(1);
    expect(result.stdout).toContain(`S01  .git is a file naming the repository ${join(main, '.git', 'worktrees', 'linked')} (as a linked worktree's or a submodule's does), which is not a complete git repository (no objects folder)`);
  });
});
