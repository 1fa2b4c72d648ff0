import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { createFsFromVolume, Volume } from 'memfs';
import { beforeEach, describe, expect, it } from 'vitest';
import { createDisk, type Disk, type FsLike } from '../../src/disk.js';
import { UserError } from '../../src/errors.js';
import { BASE_DIR, baseFileName, sha256, type Manifest } from '../../src/manifest.js';
import { deletedOutside, planWrites } from '../../src/plan.js';
import type { FileTree, RenderedFile } from '../../src/render/index.js';
import { createFileAtomically, LOCK_FILE, writePlan } from '../../src/write.js';

const ROOT = '/work/svc';

function file(path: string, content: string, extra: Partial<RenderedFile> = {}): RenderedFile {
  return { id: path, part: 'docker', path, content, mode: 0o644, strategy: 'merge', ...extra };
}

function tree(...files: RenderedFile[]): FileTree {
  return new Map(files.map((f) => [f.path, f]));
}

let vol: InstanceType<typeof Volume>;
let disk: Disk;
let fs: ReturnType<typeof createFsFromVolume>;

beforeEach(() => {
  vol = new Volume();
  fs = createFsFromVolume(vol);
  disk = createDisk(fs as unknown as FsLike);
  vol.mkdirSync('/work', { recursive: true });
});

const snapshot = () => JSON.stringify(vol.toJSON());

describe('planWrites', () => {
  it('marks new, identical, conflicting, seed and previously generated files', async () => {
    vol.fromJSON({ [`${ROOT}/same`]: 'x\n', [`${ROOT}/mine`]: 'user\n', [`${ROOT}/seed.js`]: 'user app\n', [`${ROOT}/ours`]: 'old\n' });
    const previous = { files: [{ path: 'ours', sha256: sha256('old\n') }] } as unknown as Manifest;
    const plan = await planWrites(
      tree(file('new', 'n\n'), file('same', 'x\n'), file('mine', 'gen\n'), file('seed.js', 'app\n', { strategy: 'seed' }), file('ours', 'new\n')),
      ROOT,
      disk,
      previous,
    );
    expect(Object.fromEntries(plan.files.map((f) => [f.file.path, f.status]))).toEqual({ new: 'create', same: 'identical', mine: 'conflict', 'seed.js': 'keep', ours: 'update' });
    expect(plan.files.find((f) => f.file.path === 'mine')?.current).toBe('user\n');
  });

  it('fills an empty or blank file (a placeholder holds nothing to keep), but keeps an empty seed', async () => {
    vol.fromJSON({ [`${ROOT}/Dockerfile`]: '', [`${ROOT}/compose.yaml`]: '\n  \n', [`${ROOT}/server.js`]: '', [`${ROOT}/notes`]: ' x\n' });
    const plan = await planWrites(tree(file('Dockerfile', 'FROM x\n'), file('compose.yaml', 'services: {}\n'), file('server.js', 'app\n', { strategy: 'seed' }), file('notes', 'n\n')), ROOT, disk);
    expect(Object.fromEntries(plan.files.map((f) => [f.file.path, f.status]))).toEqual({ Dockerfile: 'update', 'compose.yaml': 'update', 'server.js': 'keep', notes: 'conflict' });
    await writePlan(plan, disk);
    expect(vol.readFileSync(`${ROOT}/Dockerfile`, 'utf8')).toBe('FROM x\n');
  });

  describe('a generated file the user moved', () => {
    const job = 'job "svc" {\n  datacenters = ["dc1"]\n  type = "service"\n  group "svc" {\n    count = 1\n  }\n}\n';
    const path = 'deploy/nomad/svc.nomad.hcl';
    const nomad = (content: string) => file(path, content, { id: 'nomad-job', part: 'nomad', mode: 0o644 });
    const recorded = (generated: string, mode = '0600') => ({ files: [{ id: 'nomad-job', path, part: 'nomad', mode, strategy: 'merge', sha256: sha256(generated) }] }) as unknown as Manifest;
    const statuses = (plan: Awaited<ReturnType<typeof planWrites>>) => Object.fromEntries(plan.files.map((f) => [f.file.path, f.status]));

    it('is not created again where it was: its record stays as last generated, and where it went is named', async () => {
      const edited = job.replace('count = 1', 'count = 3');
      vol.fromJSON({ [`${ROOT}/ops/nomad/svc.nomad.hcl`]: edited, [`${ROOT}/${BASE_DIR}/${baseFileName('nomad-job')}`]: job });
      const plan = await planWrites(tree(nomad(job.replace('dc1', 'eu-west'))), ROOT, disk, recorded(job));
      expect(statuses(plan)).toEqual({ [path]: 'moved' });
      // The base copy, not the new render: what update judges by, and what it merges from once moved back.
      expect(plan.files[0]!.moved).toEqual({ to: ['ops/nomad/svc.nomad.hcl'], record: { id: 'nomad-job', part: 'nomad', path, content: job, mode: 0o600, strategy: 'merge' } });
      const before = snapshot();
      await writePlan(plan, disk);
      expect(snapshot()).toBe(before);
    });

    it('without its base copy, is judged by the render when that is what was recorded; a base copy edited by hand is no base', async () => {
      vol.fromJSON({ [`${ROOT}/ops/svc.nomad.hcl`]: job });
      expect(statuses(await planWrites(tree(nomad(job)), ROOT, disk, recorded(job)))).toEqual({ [path]: 'moved' });
      vol.fromJSON({ [`${ROOT}/${BASE_DIR}/${baseFileName('nomad-job')}`]: 'job "edited" {}\n' });
      expect(statuses(await planWrites(tree(nomad(`${job}# new\n`)), ROOT, disk, recorded(job)))).toEqual({ [path]: 'deleted' });
    });

    it('a base copy checked out with CRLF line endings is the same text', async () => {
      vol.fromJSON({ [`${ROOT}/ops/svc.nomad.hcl`]: job, [`${ROOT}/${BASE_DIR}/${baseFileName('nomad-job')}`]: job.replace(/\n/g, '\r\n') });
      const plan = await planWrites(tree(nomad(`${job}# new\n`)), ROOT, disk, recorded(job));
      expect(plan.files[0]!.moved?.record.content).toBe(job);
    });

    it('is deleted, as update judges it, when nothing like it is elsewhere or what is elsewhere is another output; created when the manifest has no record of it', async () => {
      vol.fromJSON({ [`${ROOT}/ops/svc.nomad.hcl`]: 'job "other" {\n}\n', [`${ROOT}/${BASE_DIR}/${baseFileName('nomad-job')}`]: job });
      expect(statuses(await planWrites(tree(nomad(job)), ROOT, disk, recorded(job)))).toEqual({ [path]: 'deleted' });
      vol.fromJSON({ [`${ROOT}/ops/svc.nomad.hcl`]: job });
      expect(statuses(await planWrites(tree(nomad(job)), ROOT, disk))).toEqual({ [path]: 'create' });
      expect(statuses(await planWrites(tree(nomad(job)), ROOT, disk, { files: [] } as unknown as Manifest))).toEqual({ [path]: 'create' });
      const other = file('ops/svc.nomad.hcl', job, { id: 'other-job' });
      expect(statuses(await planWrites(tree(nomad(job), other), ROOT, disk, recorded(job)))).toEqual({ [path]: 'deleted', 'ops/svc.nomad.hcl': 'identical' });
    });
  });

  it('does not create again a generated file the user deleted (recorded, gone, nowhere else), as update judges it; tool state is written again', async () => {
    const manifestPath = '.secure-service/manifest.json';
    const base = `${BASE_DIR}/${baseFileName('compose-test')}`;
    vol.fromJSON({ [`${ROOT}/compose.yaml`]: 'services: {}\n', [`${ROOT}/${base}`]: 'services: {}\n' });
    const previous = {
      files: [
        { id: 'compose', path: 'compose.yaml', mode: '0644', sha256: sha256('services: {}\n') },
        { id: 'compose-test', path: 'compose.test.yaml', mode: '0644', sha256: sha256('services: {}\n') },
      ],
    } as unknown as Manifest;
    const plan = await planWrites(
      tree(file('compose.yaml', 'services: {}\n', { id: 'compose' }), file('compose.test.yaml', 'services: {}\n', { id: 'compose-test' }), file(manifestPath, '{}\n', { id: 'manifest' })),
      ROOT,
      disk,
      previous,
    );
    expect(plan.files.map((f) => [f.file.path, f.status])).toEqual([
      ['compose.yaml', 'identical'],
      ['compose.test.yaml', 'deleted'],
      [manifestPath, 'create'],
    ]);
    await writePlan(plan, disk);
    expect(vol.existsSync(`${ROOT}/compose.test.yaml`)).toBe(false);
    expect(vol.existsSync(`${ROOT}/${manifestPath}`)).toBe(true);
  });

  it('finds the outputs a run leaves out that the user deleted: recorded, gone, not moved; never one behind a link or one still there', async () => {
    vol.fromJSON({ [`${ROOT}/kept.md`]: 'k\n', '/elsewhere/linked.md': 'l\n', [`${ROOT}/moved/SECURITY.md`]: 'line one\nline two\n' });
    vol.symlinkSync('/elsewhere/linked.md', `${ROOT}/linked.md`);
    const record = (path: string, content: string) => ({ id: path, path, part: 'project', mode: '0644', strategy: 'merge', sha256: sha256(content) });
    const previous = { files: [record('gone.md', 'g\n'), record('kept.md', 'k\n'), record('linked.md', 'l\n'), record('SECURITY.md', 'line one\nline two\n')] } as unknown as Manifest;
    const outside = await deletedOutside(tree(file('gone.md', 'g\n'), file('kept.md', 'k\n'), file('linked.md', 'l\n'), file('SECURITY.md', 'line one\nline two\n'), file('new.md', 'n\n')), ROOT, disk, previous);
    expect(outside.map((f) => f.path)).toEqual(['gone.md']);
  });

  it('refuses to write through a symlink, even one pointing inside', async () => {
    vol.fromJSON({ '/elsewhere/Dockerfile': 'FROM evil\n', [`${ROOT}/.keep`]: '' });
    vol.symlinkSync('/elsewhere/Dockerfile', `${ROOT}/Dockerfile`);
    await expect(planWrites(tree(file('Dockerfile', 'FROM x\n')), ROOT, disk)).rejects.toThrow(/Dockerfile is a symbolic link; refusing to write through it/);
  });

  it('keeps a generated file the user made a link (or put in a linked folder) when this run would not change it, without reading through the link; refuses when it would', async () => {
    vol.fromJSON({ '/elsewhere/Dockerfile': 'FROM mine\n', '/shared/nomad/x.hcl': 'job\n', [`${ROOT}/.keep`]: '' });
    vol.symlinkSync('/elsewhere/Dockerfile', `${ROOT}/Dockerfile`);
    vol.symlinkSync('/shared', `${ROOT}/deploy`);
    const previous = {
      files: [
        { id: 'Dockerfile', path: 'Dockerfile', mode: '0644', sha256: sha256('FROM x\n') },
        { id: 'deploy/nomad/x.hcl', path: 'deploy/nomad/x.hcl', mode: '0644', sha256: sha256('job v1\n') },
      ],
    } as unknown as Manifest;
    const plan = await planWrites(tree(file('Dockerfile', 'FROM x\n'), file('deploy/nomad/x.hcl', 'job v1\n')), ROOT, disk, previous);
    expect(plan.files.map((f) => [f.file.path, f.status, f.link, f.current])).toEqual([
      ['Dockerfile', 'keep', 'Dockerfile', undefined],
      ['deploy/nomad/x.hcl', 'keep', 'deploy', undefined],
    ]);
    const before = snapshot();
    await writePlan(plan, disk);
    expect(snapshot()).toBe(before);
    await expect(planWrites(tree(file('Dockerfile', 'FROM y\n')), ROOT, disk, previous)).rejects.toThrow(/Dockerfile is a symbolic link; refusing to write through it/);
    await expect(planWrites(tree(file('Dockerfile', 'FROM x\n', { mode: 0o755 })), ROOT, disk, previous)).rejects.toThrow(/Dockerfile is a symbolic link/);
    await expect(planWrites(tree(file('deploy/nomad/x.hcl', 'job v2\n')), ROOT, disk, previous)).rejects.toThrow(/deploy is a symbolic link/);
    await expect(planWrites(tree(file('deploy/nomad/y.hcl', 'job v1\n')), ROOT, disk, previous)).rejects.toThrow(/deploy is a symbolic link/);
  });

  it('refuses a symlinked directory on the way to a file', async () => {
    vol.fromJSON({ '/outside/.keep': '', [`${ROOT}/.keep`]: '' });
    vol.symlinkSync('/outside', `${ROOT}/deploy`);
    await expect(planWrites(tree(file('deploy/nomad/x.hcl', 'job\n')), ROOT, disk)).rejects.toThrow(/deploy is a symbolic link/);
  });

  it('refuses a directory where a file goes, and a file where a directory goes', async () => {
    vol.fromJSON({ [`${ROOT}/Dockerfile/x`]: '', [`${ROOT}/deploy`]: 'file' });
    await expect(planWrites(tree(file('Dockerfile', 'x')), ROOT, disk)).rejects.toThrow(/Dockerfile exists and is a directory/);
    await expect(planWrites(tree(file('deploy/x.hcl', 'x')), ROOT, disk)).rejects.toThrow(/deploy is a file where a directory is needed/);
  });

  it('refuses a root that is a file or a symlink', async () => {
    vol.fromJSON({ '/work/file': 'x', '/work/real/.keep': '' });
    vol.symlinkSync('/work/real', '/work/link');
    await expect(planWrites(tree(file('a', 'a')), '/work/file', disk)).rejects.toThrow(/not a directory/);
    await expect(planWrites(tree(file('a', 'a')), '/work/link', disk)).rejects.toThrow(/symbolic link/);
  });
});

describe('writePlan', () => {
  it('creates folders and files with their modes, secrets private, and leaves no temp files or lock', async () => {
    const plan = await planWrites(
      tree(file('Dockerfile', 'FROM x\n'), file('scripts/run.sh', '#!/bin/sh\n', { mode: 0o755 }), file('secrets/svc.env', 'A=\n', { mode: 0o600 })),
      ROOT,
      disk,
    );
    const { written } = await writePlan(plan, disk);
    expect(written).toEqual(['Dockerfile', 'scripts/run.sh', 'secrets/svc.env']);
    expect(vol.readFileSync(`${ROOT}/Dockerfile`, 'utf8')).toBe('FROM x\n');
    expect(vol.statSync(`${ROOT}/scripts/run.sh`).mode & 0o777).toBe(0o755);
    expect(vol.statSync(`${ROOT}/secrets/svc.env`).mode & 0o777).toBe(0o600);
    expect(vol.statSync(`${ROOT}/secrets`).mode & 0o777).toBe(0o700);
    expect(Object.keys(vol.toJSON()).filter((p) => p.endsWith('.tmp') || p.endsWith(LOCK_FILE))).toEqual([]);
  });

  it('writes nothing for identical files', async () => {
    vol.fromJSON({ [`${ROOT}/a`]: 'a\n' });
    const before = snapshot();
    const { written } = await writePlan(await planWrites(tree(file('a', 'a\n')), ROOT, disk), disk);
    expect(written).toEqual([]);
    expect(snapshot()).toBe(before);
  });

  it('rolls back every change when a write fails half-way', async () => {
    vol.fromJSON({ [`${ROOT}/ours`]: 'old\n', [`${ROOT}/keep.txt`]: 'untouched\n' });
    const previous = { files: [{ path: 'ours', sha256: sha256('old\n') }] } as unknown as Manifest;
    const plan = await planWrites(tree(file('ours', 'new\n'), file('a/b/c', 'c\n'), file('later', 'l\n')), ROOT, disk, previous);
    const before = snapshot();
    let writes = 0;
    const failing: Disk = {
      ...disk,
      async writeNew(path, data, mode) {
        // The lock is the first write, then ours, a/b/c: fail on "later" with a full disk.
        if (!path.endsWith(LOCK_FILE) && ++writes === 3) throw Object.assign(new Error('no space'), { code: 'ENOSPC', path });
        return disk.writeNew(path, data, mode);
      },
    };
    // Named by the file it stands for, not the temporary file that failed.
    await expect(writePlan(plan, failing)).rejects.toThrow(new RegExp(`^could not write at ${ROOT}/later \\(ENOSPC\\); free some disk space and run again. Nothing was changed$`));
    expect(snapshot()).toBe(before);
  });

  it('makes every file durable before any is renamed into place, in one flush', async () => {
    vol.fromJSON({ [`${ROOT}/ours`]: 'old\n' });
    const previous = { files: [{ path: 'ours', sha256: sha256('old\n') }] } as unknown as Manifest;
    const plan = await planWrites(tree(file('ours', 'new\n'), file('a/b/c', 'c\n'), file('later', 'l\n')), ROOT, disk, previous);
    const calls: string[] = [];
    const recording: Disk = {
      ...disk,
      writeNew: async (path, data, mode) => (calls.push(`write ${path.endsWith(LOCK_FILE) ? 'lock' : 'temp'}`), disk.writeNew(path, data, mode)),
      flush: async (paths) => (calls.push(`flush ${paths.length}`), disk.flush(paths)),
      rename: async (from, to) => (calls.push(`rename to ${to.slice(ROOT.length + 1)}`), disk.rename(from, to)),
    };
    await writePlan(plan, recording);
    expect(calls).toEqual(['write lock', 'write temp', 'write temp', 'write temp', 'flush 3', 'rename to ours', 'rename to a/b/c', 'rename to later']);
    expect(vol.readFileSync(`${ROOT}/ours`, 'utf8')).toBe('new\n');
  });

  it('Ctrl-C (SIGINT) or SIGTERM while writing: before the first rename, rolls back and stops; after it, finishes the renames and stops', async () => {
    vol.fromJSON({ [`${ROOT}/ours`]: 'old\n' });
    const previous = { files: [{ path: 'ours', sha256: sha256('old\n') }] } as unknown as Manifest;
    const plan = await planWrites(tree(file('ours', 'new\n'), file('a/b/c', 'c\n'), file('later', 'l\n')), ROOT, disk, previous);
    const before = snapshot();
    // process.emit runs the listeners the writer holds, as a real signal would, without one.
    const during = (step: 'flush' | 'rename', signal: NodeJS.Signals): Disk => ({
      ...disk,
      [step]: async (...args: [string, string] & string[]) => {
        process.emit(signal, signal);
        return (disk[step] as (...a: unknown[]) => Promise<void>)(...args);
      },
    });
    // The exit code is the signal's own (128 + its number), as the shell reports it.
    const flushed = writePlan(plan, during('flush', 'SIGINT'));
    await expect(flushed).rejects.toThrow(/^interrupted; nothing was written$/);
    await expect(flushed).rejects.toMatchObject({ exitCode: 130 });
    expect(snapshot()).toBe(before);
    const renamed = writePlan(plan, during('rename', 'SIGTERM'));
    await expect(renamed).rejects.toThrow(/^interrupted after every file was written, before the steps that follow .*: run the same command again to finish them$/);
    await expect(renamed).rejects.toMatchObject({ exitCode: 143 });
    expect(['ours', 'a/b/c', 'later'].map((p) => vol.readFileSync(`${ROOT}/${p}`, 'utf8'))).toEqual(['new\n', 'c\n', 'l\n']);
    expect(Object.keys(vol.toJSON()).filter((p) => p.endsWith('.tmp') || p.endsWith(LOCK_FILE))).toEqual([]);
    // Released afterwards: the writer leaves no listener behind.
    expect(process.listenerCount('SIGINT')).toBe(0);
    expect(process.listenerCount('SIGTERM')).toBe(0);
  });

  it('a hang-up (SIGHUP: the terminal closed) while writing is held as Ctrl-C is: rolled back, no lock or temp file left', async () => {
    vol.fromJSON({ [`${ROOT}/ours`]: 'old\n' });
    const previous = { files: [{ path: 'ours', sha256: sha256('old\n') }] } as unknown as Manifest;
    const plan = await planWrites(tree(file('ours', 'new\n'), file('a/b/c', 'c\n')), ROOT, disk, previous);
    const before = snapshot();
    const hangup: Disk = { ...disk, flush: async (paths) => (process.emit('SIGHUP', 'SIGHUP'), disk.flush(paths)) };
    const hungUp = writePlan(plan, hangup);
    await expect(hungUp).rejects.toThrow(/^interrupted; nothing was written$/);
    await expect(hungUp).rejects.toMatchObject({ exitCode: 129 });
    expect(snapshot()).toBe(before);
    expect(process.listenerCount('SIGHUP')).toBe(0);
  });

  it('of two signals while writing, the first decides the exit code', async () => {
    const plan = await planWrites(tree(file('a', 'a\n')), ROOT, disk);
    const both: Disk = { ...disk, flush: async (paths) => (process.emit('SIGTERM', 'SIGTERM'), process.emit('SIGINT', 'SIGINT'), disk.flush(paths)) };
    await expect(writePlan(plan, both)).rejects.toMatchObject({ message: 'interrupted; nothing was written', exitCode: 143 });
  });

  it('rolls back, temp files included, when the flush fails', async () => {
    vol.fromJSON({ [`${ROOT}/ours`]: 'old\n', [`${ROOT}/keep.txt`]: 'untouched\n' });
    const previous = { files: [{ path: 'ours', sha256: sha256('old\n') }] } as unknown as Manifest;
    const plan = await planWrites(tree(file('ours', 'new\n'), file('a/b/c', 'c\n')), ROOT, disk, previous);
    const before = snapshot();
    const failing: Disk = { ...disk, flush: async () => Promise.reject(Object.assign(new Error('io'), { code: 'EIO' })) };
    await expect(writePlan(plan, failing)).rejects.toThrow(/io/);
    expect(snapshot()).toBe(before);
  });

  it('removes a target folder it created when the first write fails', async () => {
    const plan = await planWrites(tree(file('x/y', 'y\n')), `${ROOT}/new`, disk);
    const before = snapshot();
    const failing: Disk = { ...disk, rename: async () => Promise.reject(Object.assign(new Error('denied'), { code: 'EACCES' })) };
    await expect(writePlan(plan, failing)).rejects.toThrow(UserError);
    expect(snapshot()).toBe(before);
  });

  it('refuses to run while another run holds the lock, writing nothing', async () => {
    vol.fromJSON({ [`${ROOT}/${LOCK_FILE}`]: '4242\n' });
    const before = snapshot();
    const plan = await planWrites(tree(file('a', 'a\n')), ROOT, disk);
    await expect(writePlan(plan, disk)).rejects.toThrow(/another create-secure-service run \(pid 4242\) is writing to \/work\/svc; wait for it, or delete/);
    expect(snapshot()).toBe(before);
  });

  // Planning runs before the lock, and `add` may wait on a question between the two: whatever
  // another program or run did to a planned file meanwhile is kept, and nothing is written.
  it('writes nothing when a planned file appeared, changed or went since it was planned', async () => {
    vol.fromJSON({ [`${ROOT}/ours`]: 'old\n' });
    const previous = { files: [{ path: 'ours', sha256: sha256('old\n') }] } as unknown as Manifest;
    const cases: [string, () => void][] = [
      ['new', () => vol.writeFileSync(`${ROOT}/new`, 'theirs\n')],
      ['ours', () => vol.writeFileSync(`${ROOT}/ours`, 'edited meanwhile\n')],
      ['ours', () => vol.unlinkSync(`${ROOT}/ours`)],
      ['ours', () => (vol.unlinkSync(`${ROOT}/ours`), vol.mkdirSync(`${ROOT}/ours`))],
    ];
    for (const [path, meanwhile] of cases) {
      vol.reset();
      vol.fromJSON({ [`${ROOT}/ours`]: 'old\n' });
      const plan = await planWrites(tree(file('a/first', '1\n'), file('new', 'n\n'), file('ours', 'new\n')), ROOT, disk, previous);
      expect(plan.files.map((f) => f.status)).toEqual(['create', 'create', 'update']);
      meanwhile();
      const before = snapshot();
      await expect(writePlan(plan, disk)).rejects.toThrow(new RegExp(`^${path} changed on disk while this run was preparing it \\(another program or run wrote it\\); nothing was written`));
      expect(snapshot()).toBe(before);
    }
  });

  it('uses a folder another run made between the look and the mkdir, and leaves it on rollback', async () => {
    const plan = await planWrites(tree(file('x/y', 'y\n')), ROOT, disk);
    // The other run makes the folders just before this one's mkdir, after its lstat saw none.
    const racing: Disk = {
      ...disk,
      mkdir: async (path, mode) => {
        vol.mkdirSync(path, { recursive: true });
        return disk.mkdir(path, mode);
      },
    };
    await writePlan(plan, racing);
    expect(vol.readFileSync(`${ROOT}/x/y`, 'utf8')).toBe('y\n');
    vol.reset();
    vol.mkdirSync('/work', { recursive: true });
    const failing: Disk = { ...racing, rename: async () => Promise.reject(Object.assign(new Error('denied'), { code: 'EACCES' })) };
    await expect(writePlan(await planWrites(tree(file('x/y', 'y\n')), ROOT, disk), failing)).rejects.toThrow(UserError);
    // Both folders are the other run's: rolling back leaves them.
    expect(vol.existsSync(`${ROOT}/x`)).toBe(true);
    expect(vol.existsSync(`${ROOT}/x/y`)).toBe(false);
  });

  it('tells a lock whose run is gone (killed) from one whose run is writing, and removes neither', async () => {
    const gone = spawnSync(process.execPath, ['-e', '0']).pid;
    const cases: [string, RegExp][] = [
      [`${gone} ${hostname()}\n`, new RegExp(`^an earlier create-secure-service run \\(pid ${gone}\\) was interrupted while writing to /work/svc and left /work/svc/${LOCK_FILE.replace('.', '\\.')}; no run is active, so delete it and run again`)],
      [`${process.pid} ${hostname()}\n`, new RegExp(`^another create-secure-service run \\(pid ${process.pid}\\) is writing to /work/svc; wait for it`)],
      [`${gone} build-agent-7\n`, new RegExp(`^another create-secure-service run \\(pid ${gone} on build-agent-7\\) is writing to /work/svc; wait for it`)],
      ['', /^an earlier create-secure-service run was interrupted as it started writing to \/work\/svc and left an empty \/work\/svc\/\.secure-service\.lock; no run is active, so delete it/],
    ];
    for (const [holder, message] of cases) {
      vol.reset();
      vol.fromJSON({ [`${ROOT}/${LOCK_FILE}`]: holder });
      const before = snapshot();
      const plan = await planWrites(tree(file('a', 'a\n')), ROOT, disk);
      await expect(writePlan(plan, disk)).rejects.toThrow(message);
      expect(snapshot()).toBe(before);
    }
  });

  it("removes the temporary files an interrupted run left beside this run's targets, once all is written", async () => {
    const leftovers = { [`${ROOT}/.Dockerfile.4242.0a1b2c3d.tmp`]: 'half', [`${ROOT}/deploy/.job.hcl.77.deadbeef.tmp`]: 'half' };
    const kept = { [`${ROOT}/.notes.txt.4242.0a1b2c3d.tmp`]: 'not a target of this run', [`${ROOT}/.Dockerfile.backup.tmp`]: 'a user file', [`${ROOT}/deploy/.job.hcl.77.tmp`]: 'not our pattern' };
    vol.fromJSON({ ...leftovers, ...kept });
    const plan = await planWrites(tree(file('Dockerfile', 'FROM x\n'), file('deploy/job.hcl', 'job {}\n')), ROOT, disk);
    // A run that stops changes nothing, leftovers included.
    const before = snapshot();
    const failing: Disk = { ...disk, rename: async () => Promise.reject(Object.assign(new Error('denied'), { code: 'EACCES' })) };
    await expect(writePlan(plan, failing)).rejects.toThrow(UserError);
    expect(snapshot()).toBe(before);
    await writePlan(plan, disk);
    const after = vol.toJSON();
    for (const path of Object.keys(leftovers)) expect(after[path], path).toBeUndefined();
    for (const [path, content] of Object.entries(kept)) expect(after[path], path).toBe(content);
    expect(after[`${ROOT}/Dockerfile`]).toBe('FROM x\n');
  });
});

describe('createFileAtomically (a generated password file)', () => {
  const target = `${ROOT}/secrets/postgres_password`;
  const temps = () => Object.keys(vol.toJSON()).filter((p) => p.endsWith('.tmp'));
  beforeEach(() => vol.mkdirSync(`${ROOT}/secrets`, { recursive: true }));

  it('creates the file with its mode, durable, and leaves no temp file', async () => {
    expect(await createFileAtomically(target, 'pw', 0o644, disk)).toBe(true);
    expect(vol.readFileSync(target, 'utf8')).toBe('pw');
    expect(vol.statSync(target).mode & 0o777).toBe(0o644);
    expect(temps()).toEqual([]);
  });

  it('never replaces a file that appeared since the caller looked, and says so', async () => {
    vol.writeFileSync(target, 'the one the database uses');
    expect(await createFileAtomically(target, 'pw', 0o644, disk)).toBe(false);
    expect(vol.readFileSync(target, 'utf8')).toBe('the one the database uses');
    expect(temps()).toEqual([]);
  });

  it('where the file system has no hard links, looks once more and renames', async () => {
    const noLinks: Disk = { ...disk, link: async () => Promise.reject(Object.assign(new Error('not permitted'), { code: 'EPERM' })) };
    expect(await createFileAtomically(target, 'pw', 0o644, noLinks)).toBe(true);
    expect(vol.readFileSync(target, 'utf8')).toBe('pw');
    expect(await createFileAtomically(target, 'other', 0o644, noLinks)).toBe(false);
    expect(vol.readFileSync(target, 'utf8')).toBe('pw');
    expect(temps()).toEqual([]);
  });
});

