/**
 * A path the file system refuses (a project this user may not read, made with sudo or by another
 * user; a name too long; links in a loop) is the user's to fix: one line naming the path and what
 * to do, exit 2, and nothing written; not an "unexpected error" to report as a bug.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/render.js';
import { runMain, snapshot, tempDir } from './helpers.js';

const work = tempDir('css-fs-refusals-');
chmodSync(work, 0o755);
afterAll(() => rmSync(work, { recursive: true, force: true }));
const bin = join(repoRoot, 'bin/create-secure-service.cjs');

// Root reads everything: as root, run the CLI as nobody (setpriv), where there is setpriv.
const asRoot = process.getuid?.() === 0;
const setpriv = ['/usr/bin/setpriv', '/bin/setpriv'].find((p) => existsSync(p));
const canDeny = process.platform !== 'win32' && (!asRoot || setpriv !== undefined);

function cli(args: string[], cwd: string) {
  const [program, ...rest] = asRoot ? [setpriv!, '--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, bin, ...args] : [process.execPath, bin, ...args];
  return spawnSync(program!, rest, { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', HOME: work } });
}

describe.skipIf(!canDeny)('a project this user may not read', () => {
  it('update and add name the path and the fix in one line, exit 2, and write nothing', async () => {
    const project = join(work, 'svc');
    expect((await runMain([project, '--yes', '--no-git'], work)).code).toBe(0);
    // As another user would find it: writable by all (so only the denied read can stop a run), the Dockerfile unreadable.
    const open = (dir: string) => {
      for (const path of Object.keys(snapshot(dir))) chmodSync(join(dir, path), 0o777);
      chmodSync(dir, 0o777);
    };
    open(project);
    chmodSync(join(project, 'Dockerfile'), 0o000);
    const before = snapshot(project);
    for (const args of [['update'], ['update', '--dry-run'], ['add', 'docker', '--yes']]) {
      const r = cli(args, project);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toEqual([expect.stringMatching(/^error: permission denied \(EACCES\) to open .*Dockerfile; check the owner and permissions/)]);
      expect(r.status, args.join(' ')).toBe(2);
      expect(snapshot(project)).toEqual(before);
    }
  });
});

describe.skipIf(!canDeny)('a folder this user may not enter', () => {
  it('check names the permission and the fix, instead of saying the folder does not exist', () => {
    const locked = join(work, 'locked');
    mkdirSync(join(locked, 'svc'), { recursive: true });
    chmodSync(locked, 0o700);
    const r = cli(['check', join(locked, 'svc')], work);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^error: permission denied \(EACCES\) to stat .*locked\/svc; check the owner and permissions/)]);
    expect(r.status).toBe(2);
  });
});

describe('paths the file system cannot resolve', () => {
  const one = (r: { stderr: string }) => r.stderr.trim().split('\n');

  it('a name too long for the file system: create, add and update say so in one line', async () => {
    const long = join(work, 'a'.repeat(300));
    const before = readdirSync(work);
    for (const args of [[long, '--yes'], ['add', 'docker', '--yes', '--dir', long], ['update', '--dir', join(long, 'x')]]) {
      const r = await runMain(args, work);
      expect(one(r), args.join(' ')).toEqual([expect.stringMatching(/^error: .*a{300}.* is too long a path for the file system \(ENAMETOOLONG\); choose a shorter name$/)]);
      expect(r.code).toBe(2);
    }
    expect(readdirSync(work)).toEqual(before);
  });

  it('a path through symbolic links that loop says so in one line', async () => {
    const loop = join(work, 'loop');
    symlinkSync('loop', loop);
    for (const args of [[join(loop, 'svc'), '--yes'], ['add', 'docker', '--yes', '--dir', join(loop, 'svc')]]) {
      const r = await runMain(args, work);
      expect(one(r), args.join(' ')).toEqual([expect.stringMatching(/^error: .*loop\/svc leads through symbolic links that loop \(ELOOP\); fix or remove the link$/)]);
      expect(r.code).toBe(2);
    }
  });
});
