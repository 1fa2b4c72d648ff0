import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { realDisk } from '../../src/disk.js';
import { locateRepository } from '../../src/post-steps.js';
import { findOnPath, git, runQuick } from '../../src/tools.js';

const work = realpathSync(mkdtempSync(join(tmpdir(), 'css-tools-')));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('findOnPath', () => {
  const a = join(work, 'path-a');
  const b = join(work, 'path-b');
  mkdirSync(a);
  mkdirSync(b);
  writeFileSync(join(a, 'tool'), 'not executable');
  writeFileSync(join(b, 'tool'), '#!/bin/sh\n');
  chmodSync(join(b, 'tool'), 0o755);
  mkdirSync(join(a, 'dirtool'));

  it('finds the first executable file, as the shell does', async () => {
    expect(await findOnPath('tool', [a, b].join(delimiter))).toBe(join(b, 'tool'));
  });

  it('ignores folders, missing programs, empty and relative PATH entries', async () => {
    expect(await findOnPath('dirtool', a)).toBeNull();
    expect(await findOnPath('no-such-tool', [a, b].join(delimiter))).toBeNull();
    expect(await findOnPath('tool', ['', 'path-b', a].join(delimiter))).toBeNull();
  });
});

describe('runQuick', () => {
  it('returns exit code, stdout and stderr', async () => {
    const r = await runQuick(process.execPath, ['-e', 'process.stdout.write("out"); process.stderr.write("err"); process.exit(3)'], work);
    expect(r).toEqual({ exitCode: 3, stdout: 'out', stderr: 'err' });
  });

  it('is null for a program that is not installed', async () => {
    expect(await runQuick('css-no-such-program', [], work)).toBeNull();
  });

  it('leaves nothing behind that keeps the process alive when the program is missing', () => {
    // Node's own spawn timeout kept a process waiting out its 60 s after ENOENT; this one must
    // exit as soon as its work is done, well within the 20 s allowed here.
    const tools = JSON.stringify(pathToFileURL(join(import.meta.dirname, '../../src/tools.ts')).href);
    const script = `import(${tools}).then(async (t) => process.stdout.write(String(await t.runQuick('css-no-such-program', [], ${JSON.stringify(work)}, 60000))))`;
    // (run from this repository, where --import finds tsx)
    const child = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { cwd: join(import.meta.dirname, '../..'), encoding: 'utf8', timeout: 20_000 });
    expect(child.signal, 'still running after 20 s').toBeNull();
    expect(child.stdout).toBe('null');
  });

  it("stops a program that does not answer in time, even when a child of its holds the pipes, and runs it no more in this run", async () => {
    const hung = join(work, 'hung-tool');
    writeFileSync(hung, '#!/bin/sh\nsleep 30 &\nwait\n');
    chmodSync(hung, 0o755);
    const started = Date.now();
    const first = await runQuick(hung, [], work, 300);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(first).toMatchObject({ exitCode: 1, stderr: `${hung} did not answer within 0.3 s; stopped` });
    const again = Date.now();
    expect(await runQuick(hung, ['x'], work, 300)).toMatchObject({ exitCode: 1, stderr: `${hung} did not answer within 0.3 s earlier in this run; not run again` });
    expect(Date.now() - again).toBeLessThan(100);
  });

  it('gives the child no input, so a program reading stdin cannot hang', async () => {
    const r = await runQuick(process.execPath, ['-e', 'process.stdin.resume(); process.stdin.on("end", () => process.stdout.write("eof"))'], work);
    expect(r?.stdout).toBe('eof');
  });

});

describe('locateRepository', () => {
  const env = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' };
  const repo = join(work, 'repo');
  mkdirSync(join(repo, 'sub'), { recursive: true });

  it('is null outside any repository, for an existing and a missing folder', async () => {
    const disk = await realDisk();
    expect(await git(['rev-parse', '--show-toplevel'], work)).toBeNull(); // premise: the temp dir is in no repository
    expect(await locateRepository(join(work, 'path-a'), disk)).toBeNull();
    expect(await locateRepository(join(work, 'not', 'yet'), disk)).toBeNull();
  });

  it("is 'top' at a repository's top and the top's path anywhere below it, even before the folder exists", async () => {
    execFileSync('git', ['init', '-q'], { cwd: repo, env });
    const disk = await realDisk();
    expect(await locateRepository(repo, disk)).toBe('top');
    expect(await locateRepository(join(repo, 'sub'), disk)).toBe(repo);
    expect(await locateRepository(join(repo, 'new', 'service'), disk)).toBe(repo);
  });

  it('agrees with git rev-parse, including a worktree whose .git is a file', async () => {
    const disk = await realDisk();
    const linked = join(work, 'linked');
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '--allow-empty', '-m', 'x'], { cwd: repo, env });
    execFileSync('git', ['worktree', 'add', '-q', linked], { cwd: repo, env });
    mkdirSync(join(linked, 'deep'));
    for (const dir of [repo, join(repo, 'sub'), linked, join(linked, 'deep'), join(work, 'path-b')]) {
      const top = (await git(['rev-parse', '--show-toplevel'], dir))?.trim() ?? null;
      expect(await locateRepository(dir, disk)).toBe(top === dir ? 'top' : top);
    }
  });

  it("passes over a half-made .git above the folder as git's discovery does, and stops only at the folder's own", async () => {
    const disk = await realDisk();
    // outer/.git is a repository; outer/mid/.git and alone/.git are what an interrupted git init leaves.
    const outer = join(work, 'outer');
    const mid = join(outer, 'mid');
    mkdirSync(join(mid, 'svc'), { recursive: true });
    execFileSync('git', ['init', '-q'], { cwd: outer, env });
    execFileSync('git', ['init', '-q'], { cwd: mid, env });
    rmSync(join(mid, '.git', 'objects'), { recursive: true });
    const alone = join(work, 'alone');
    mkdirSync(join(alone, '.git'), { recursive: true });
    mkdirSync(join(alone, 'svc'));
    // A folder not made yet is where git, asked in the nearest one that is, would put it.
    for (const [dir, asked] of [[join(mid, 'svc'), join(mid, 'svc')], [join(mid, 'new'), mid], [join(alone, 'svc'), join(alone, 'svc')], [join(alone, 'new', 'svc'), alone]] as const) {
      const top = (await git(['rev-parse', '--show-toplevel'], asked))?.trim() ?? null;
      expect(top === null || top === outer, dir).toBe(true); // premise: git went on past the half-made one
      expect(await locateRepository(dir, disk), dir).toBe(top);
    }
    await expect(locateRepository(mid, disk)).rejects.toThrow(/^mid\/\.git is not a complete git repository \(no objects folder;|^\/.*\/mid\/\.git is not a complete git repository \(no objects folder;/);
    await expect(locateRepository(alone, disk)).rejects.toThrow(/\.git is not a complete git repository \(no HEAD;/);
  });

  it('reads a .git file as git does: stops where git stops, goes on where git goes on', async () => {
    const disk = await realDisk();
    const bare = join(work, 'bare.git');
    execFileSync('git', ['init', '-q', '--bare', bare], { env });
    const cases = ['gitdir: ../bare.git\n', 'gitdir: ../bare.git\r\n', 'gitdir: ../bare.git', `gitdir: ${bare}\n`, 'gitdir: ../bare.git  \n', 'gitdir:../bare.git\n', ' gitdir: ../bare.git\n', 'gitdir: \n', '', 'gitdir: ../missing\n'];
    for (const [i, text] of cases.entries()) {
      const dir = join(work, `gitfile-${i}`);
      mkdirSync(dir);
      writeFileSync(join(dir, '.git'), text);
      const gitTakes = spawnSync('git', ['rev-parse', '--git-dir'], { cwd: dir, env }).status === 0;
      const tool = await locateRepository(dir, disk).then(() => 'found', (error: Error) => error.message);
      expect(tool === 'found', `${JSON.stringify(text)}: ${tool}`).toBe(gitTakes);
    }
  });

  it('follows a .git that is a symbolic link, as git does: to a repository it is one, to nothing it is passed over', async () => {
    const disk = await realDisk();
    const real = join(work, 'link-target');
    mkdirSync(real);
    execFileSync('git', ['init', '-q'], { cwd: real, env });
    const outer = join(work, 'link-outer');
    mkdirSync(outer);
    execFileSync('git', ['init', '-q'], { cwd: outer, env });
    const linked = join(outer, 'linked');
    const dangling = join(outer, 'dangling');
    mkdirSync(linked);
    mkdirSync(dangling);
    symlinkSync(join(real, '.git'), join(linked, '.git'));
    symlinkSync(join(work, 'nothing-here'), join(dangling, '.git'));
    for (const dir of [linked, dangling]) {
      const top = (await git(['rev-parse', '--show-toplevel'], dir))?.trim() ?? null;
      expect(await locateRepository(dir, disk), dir).toBe(top === dir ? 'top' : top);
    }
    // The premise: git took the link to a repository for the folder's own, and looked above the one to nothing.
    expect(await locateRepository(linked, disk)).toBe('top');
    expect(await locateRepository(dangling, disk)).toBe(outer);
  });

  it('asks git itself when the environment changes its discovery (GIT_DIR)', async () => {
    const disk = await realDisk();
    const saved = process.env.GIT_DIR;
    process.env.GIT_DIR = join(repo, '.git');
    try {
      // git now sees path-b, outside any .git, as the top of the repository GIT_DIR names.
      expect(await locateRepository(join(work, 'path-b'), disk)).toBe('top');
    } finally {
      if (saved === undefined) delete process.env.GIT_DIR;
      else process.env.GIT_DIR = saved;
    }
  });
});
