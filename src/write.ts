/**
 * Step 5 of the pipeline, and the only module that changes files. Every file is first written to a
 * temp file in its own folder; all of them are fsynced together; then each is renamed over its
 * target, so a crash leaves either the old file or the new one, never half of one. If anything
 * fails, the temp files, and the files and folders this run made, are removed and the files it
 * replaced are put back, so the tree is as it was.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { posix } from 'node:path';
import type { Disk } from './disk.js';
import { Interrupted, signalExitCode, UserError } from './errors.js';
import { firstNonUtf8Byte } from './json-file.js';
import { AFTER_WRITING, progress } from './progress.js';
import { willWrite, type Plan } from './plan.js';
import { printable } from './ui.js';

export const LOCK_FILE = '.secure-service.lock';

interface Undo {
  temps: Set<string>;
  createdDirs: string[];
  createdFiles: string[];
  replaced: { path: string; bytes: Buffer; mode: number }[];
  moved: { from: string; to: string }[];
  removed: { path: string; bytes: Buffer; mode: number }[];
}

export interface WriteResult {
  written: string[];
}

/**
 * For `update`, besides the plan's files (project-relative paths): files to delete, and files to
 * rename (a user's file following its output to a new path, then rewritten there by the plan).
 * Both are undone with the rest when anything fails.
 */
export interface MovesAndRemovals {
  moves?: { from: string; to: string }[];
  removals?: string[];
}

export async function writePlan(plan: Plan, disk: Disk, extra: MovesAndRemovals = {}): Promise<WriteResult> {
  const signals = holdSignals();
  try {
    const result = await writeHeld(plan, disk, extra, signals);
    progress.filesWritten = true;
    const signal = signals.caught();
    if (signal) throw new Interrupted(AFTER_WRITING, signalExitCode(signal));
    return result;
  } finally {
    signals.release();
  }
}

/**
 * Ctrl-C (SIGINT), SIGTERM or a hang-up (SIGHUP: the terminal or ssh session closed) while files
 * are being written would stop the process between two renames and leave a half-written project
 * with its lock. Held instead: before the first rename the run rolls back and stops, after it the
 * renames finish (they take milliseconds) and the run stops before its post-steps. (kill -9
 * cannot be held: the lock then tells the next run.)
 */
function holdSignals(): { caught(): NodeJS.Signals | undefined; release(): void } {
  // The first one decides the exit code (130, 143 or 129), as it would have had it not been held.
  let caught: NodeJS.Signals | undefined;
  const hold = (signal: NodeJS.Signals) => {
    caught ??= signal;
  };
  // (Node starts with SIGHUP at its default, even under nohup, so this undoes no one's choice.)
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const signal of signals) process.on(signal, hold);
  progress.holdingSignals = true;
  return {
    caught: () => caught,
    release() {
      progress.holdingSignals = false;
      for (const signal of signals) process.off(signal, hold);
    },
  };
}

async function writeHeld(plan: Plan, disk: Disk, extra: MovesAndRemovals, signals: { caught(): NodeJS.Signals | undefined }): Promise<WriteResult> {
  const undo: Undo = { temps: new Set(), createdDirs: [], createdFiles: [], replaced: [], moved: [], removed: [] };
  let lock: string;
  try {
    await ensureDir(plan.root, disk, undo);
    lock = await acquireLock(plan.root, disk);
  } catch (error) {
    await rollback(undo, disk);
    throw asUserError(error);
  }
  const written: string[] = [];
  let failure: unknown;
  try {
    // Removals, then moves, then writes: a path one step frees may be the next step's target.
    for (const path of extra.removals ?? []) {
      const target = posix.join(plan.root, path);
      const entry = await disk.lstat(target);
      if (entry?.kind !== 'file') continue;
      undo.removed.push({ path: target, bytes: await disk.readFile(target), mode: entry.mode });
      await disk.unlink(target);
    }
    for (const { from, to } of extra.moves ?? []) {
      const [source, target] = [posix.join(plan.root, from), posix.join(plan.root, to)];
      await ensureDir(posix.dirname(target), disk, undo);
      // rename() would silently replace a file that appeared since planning.
      if (await disk.lstat(target)) throw new UserError(`cannot move ${from} to ${to}: ${to} exists; move it away and run again`);
      await disk.rename(source, target);
      undo.moved.push({ from: source, to: target });
    }
    const staged: { temp: string; target: string; mode: number; isNew: boolean; path: string }[] = [];
    for (const { file, status, current } of plan.files.filter(willWrite)) {
      const target = posix.join(plan.root, file.path);
      await ensureDir(posix.dirname(target), disk, undo);
      const existing = await disk.lstat(target);
      const bytes = existing?.kind === 'file' ? await disk.readFile(target) : undefined;
      // The plan was made before the lock, and perhaps while a question waited for its answer: a
      // file that appeared, changed or went since then is someone else's edit, never overwritten.
      if (status === 'create' ? existing !== null : bytes?.toString('utf8') !== current) {
        throw new UserError(`${file.path} changed on disk while this run was preparing it (another program or run wrote it); nothing was written. Run again to work from what is there now`);
      }
      const lossy = bytes && lossyWrite(file.path, bytes, file.content);
      if (lossy) throw lossy;
      if (bytes) undo.replaced.push({ path: target, bytes, mode: existing!.mode });
      staged.push({ temp: await stage(target, file.content, disk, undo), target, mode: file.mode, isNew: !existing, path: file.path });
    }
    // Durable before any is visible; one flush for all is much faster than one fsync per file.
    await disk.flush(staged.map((s) => s.temp));
    // The last moment to stop with nothing changed (moves and removals are undone too).
    const signal = signals.caught();
    if (signal) throw new Interrupted(undefined, signalExitCode(signal));
    for (const s of staged) {
      await commit(s.temp, s.target, s.mode, disk, undo);
      if (s.isNew) undo.createdFiles.push(s.target);
      written.push(s.path);
    }
    // Folders emptied by moves and removals go too (best effort: an empty folder is harmless).
    for (const path of [...(extra.moves ?? []).map((m) => m.from), ...(extra.removals ?? [])]) {
      await removeEmptyParents(plan.root, posix.dirname(posix.join(plan.root, path)), disk);
    }
    // Only once all is written, so that a run that stops changes nothing (best effort: junk).
    await removeLeftoverTemps(staged.map((s) => s.target), disk);
  } catch (error) {
    failure = error;
  }
  // The lock goes first, so that rolling back can also remove a root folder this run created.
  await disk.unlink(lock).catch(() => undefined);
  if (failure !== undefined) {
    await rollback(undo, disk);
    throw asUserError(failure);
  }
  return { written };
}

/**
 * Read as UTF-8, each byte of a file that is not became U+FFFD: content made from that text (a
 * merge, a block put in the file) would replace the user's bytes with it, unsaid. The error that
 * refuses it; undefined when the write loses nothing (the file is UTF-8, or replaced whole).
 */
function lossyWrite(path: string, bytes: Buffer, content: string): UserError | undefined {
  const bad = content.includes('\uFFFD') ? firstNonUtf8Byte(bytes) : undefined;
  if (bad === undefined) return undefined;
  return new UserError(`${path} is not UTF-8 text (byte ${bad}), and writing into it would replace each byte it cannot read with U+FFFD; nothing was written. Save it as UTF-8 (iconv -f latin1 -t utf-8, for Latin-1), then run again`);
}

/** What writePlan would refuse as a lossyWrite, for a dry run that says what the real run does. */
export async function refuseLossyWrites(plan: Plan, disk: Disk): Promise<void> {
  for (const { file } of plan.files.filter((f) => f.status === 'update')) {
    const target = posix.join(plan.root, file.path);
    if ((await disk.lstat(target))?.kind !== 'file') continue;
    const lossy = lossyWrite(file.path, await disk.readFile(target), file.content);
    if (lossy) throw lossy;
  }
}

/**
 * Create one file outside a plan (a generated password) with the same guarantees, only if it does
 * not exist: false, with nothing written, when it appeared since the caller looked (another run,
 * the user). A hard link is the rename that never replaces; where the file system has none, a
 * last look before the rename has to do.
 */
export async function createFileAtomically(path: string, content: string | Buffer, mode: number, disk: Disk): Promise<boolean> {
  const undo = { temps: new Set<string>() };
  try {
    const temp = await stage(path, content, disk, undo);
    await disk.flush([temp]);
    // Set exactly (the mode given to open() is filtered by the umask).
    await disk.chmod(temp, mode);
    try {
      await disk.link(temp, path);
      return true;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') return false;
      if (!['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS'].includes(code ?? '')) throw error;
      if (await disk.lstat(path)) return false;
      await disk.rename(temp, path); // already flushed and chmod-ed above
      undo.temps.delete(temp);
      return true;
    }
  } catch (error) {
    throw asUserError(error);
  } finally {
    // The temp file's name, whether or not the link made a second one.
    for (const temp of undo.temps) await disk.unlink(temp).catch(() => undefined);
  }
}

async function replaceAtomically(target: string, content: string | Buffer, mode: number, disk: Disk): Promise<void> {
  const undo = { temps: new Set<string>() };
  try {
    const temp = await stage(target, content, disk, undo);
    await disk.flush([temp]);
    await commit(temp, target, mode, disk, undo);
  } catch (error) {
    for (const temp of undo.temps) await disk.unlink(temp).catch(() => undefined);
    throw error;
  }
}

/** The names stage() gives temp files: `.<target's name>.<pid>.<8 hex digits>.tmp`. */
const STAGED_NAME = /^\.(.+)\.\d+\.[0-9a-f]{8}\.tmp$/;

/** Write content to a new temp file beside target (recorded in undo.temps); returns its path. */
async function stage(target: string, content: string | Buffer, disk: Disk, undo: Pick<Undo, 'temps'>): Promise<string> {
  const temp = posix.join(posix.dirname(target), `.${posix.basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await disk.writeNew(temp, content, 0o600);
  } catch (error) {
    // A write that failed part-way may have created the file; one that met an existing file did not.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') undo.temps.add(temp);
    throw error;
  }
  undo.temps.add(temp);
  return temp;
}

/** Give a flushed temp file its mode and move it over target. */
async function commit(temp: string, target: string, mode: number, disk: Disk, undo: Pick<Undo, 'temps'>): Promise<void> {
  // Set exactly (the mode given to open() is filtered by the umask): secrets must be 0600.
  await disk.chmod(temp, mode);
  await disk.rename(temp, target);
  undo.temps.delete(temp);
}

async function ensureDir(dir: string, disk: Disk, undo: Undo): Promise<void> {
  const entry = await disk.lstat(dir);
  if (entry?.kind === 'dir') return;
  if (entry) throw new UserError(`${dir} exists and is not a directory; move it away`);
  await ensureDir(posix.dirname(dir), disk, undo);
  try {
    // secrets/ holds credentials: only the owner may list or read it.
    await disk.mkdir(dir, posix.basename(dir) === 'secrets' ? 0o700 : 0o755);
  } catch (error) {
    // Another run or program made it since the look above: there is a folder, and it is not ours
    // to remove on rollback (nor to chmod).
    if ((error as NodeJS.ErrnoException).code === 'EEXIST' && (await disk.lstat(dir))?.kind === 'dir') return;
    throw error;
  }
  if (posix.basename(dir) === 'secrets') await disk.chmod(dir, 0o700);
  undo.createdDirs.push(dir);
}

async function removeEmptyParents(root: string, dir: string, disk: Disk): Promise<void> {
  for (let current = dir; current.startsWith(`${root}/`); current = posix.dirname(current)) {
    if ((await disk.readdir(current).catch(() => ['?'])).length > 0) return;
    await disk.rmdir(current).catch(() => undefined);
  }
}

/**
 * The lock names its run (pid and host), so that a lock whose run is gone (killed, or the machine
 * went down) is told apart from one whose run is still writing. Neither is removed here: a second
 * run cannot know for sure that the first will not resume (another container, a paused process).
 */
async function acquireLock(root: string, disk: Disk): Promise<string> {
  const lock = posix.join(root, LOCK_FILE);
  try {
    await disk.writeNew(lock, `${process.pid} ${hostname()}\n`, 0o644);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      const holder = (await disk.readFile(lock).catch(() => Buffer.from('?'))).toString().trim();
      const [pid = '?', host] = holder.split(/\s+/);
      // Empty: its run stopped between creating the lock and writing its name in it.
      const interrupted =
        holder === '' ? 'was interrupted as it started writing' : host === hostname() && !isRunning(Number(pid)) ? `(pid ${printable(pid)}) was interrupted while writing` : null;
      if (interrupted) {
        throw new UserError(`an earlier create-secure-service run ${interrupted} to ${root} and left ${holder === '' ? 'an empty ' : ''}${lock}; no run is active, so delete it and run again (that run also removes the temporary files the interrupted one left)`);
      }
      throw new UserError(`another create-secure-service run (pid ${printable(pid)}${host && host !== hostname() ? ` on ${printable(host)}` : ''}) is writing to ${root}; wait for it, or delete ${lock} if no run is active`);
    }
    throw error;
  }
  return lock;
}

function isRunning(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return true; // not a pid this host can check: assume a live run
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // alive, but another user's
  }
}

/**
 * Temporary files an interrupted run left beside the targets it was writing. A plan's files are
 * staged only under the lock (post-steps write files no plan has), so under the lock any staged
 * name beside a planned target is a leftover, whoever made it.
 */
async function removeLeftoverTemps(targets: readonly string[], disk: Disk): Promise<void> {
  const byFolder = new Map<string, Set<string>>();
  for (const target of targets) {
    const names = byFolder.get(posix.dirname(target)) ?? new Set<string>();
    byFolder.set(posix.dirname(target), names.add(posix.basename(target)));
  }
  for (const [folder, names] of byFolder) {
    for (const entry of await disk.readdir(folder).catch(() => [] as string[])) {
      const temp = STAGED_NAME.exec(entry);
      if (temp && names.has(temp[1]!)) await disk.unlink(posix.join(folder, entry)).catch(() => undefined);
    }
  }
}

async function rollback(undo: Undo, disk: Disk): Promise<void> {
  for (const temp of undo.temps) await disk.unlink(temp).catch(() => undefined);
  for (const file of undo.createdFiles.reverse()) await disk.unlink(file).catch(() => undefined);
  for (const { path, bytes, mode } of undo.replaced.reverse()) {
    await replaceAtomically(path, bytes, mode, disk).catch(() => undefined);
  }
  for (const { from, to } of undo.moved.reverse()) await disk.rename(to, from).catch(() => undefined);
  for (const { path, bytes, mode } of undo.removed.reverse()) {
    await replaceAtomically(path, bytes, mode, disk).catch(() => undefined);
  }
  for (const dir of undo.createdDirs.reverse()) await disk.rmdir(dir).catch(() => undefined);
}

function asUserError(error: unknown): Error {
  if (error instanceof UserError) return error;
  const e = error as NodeJS.ErrnoException;
  // A failure while staging names the temporary file; the user knows the file it stands for.
  const staged = e.path ? STAGED_NAME.exec(posix.basename(e.path)) : null;
  const where = e.path ? ` at ${staged ? posix.join(posix.dirname(e.path), staged[1]!) : e.path}` : '';
  const fix: Record<string, string> = {
    ENOSPC: 'free some disk space and run again',
    EACCES: 'check the folder permissions, or choose another directory',
    EPERM: 'check the folder permissions, or choose another directory',
    EROFS: 'the file system is read-only; choose another directory',
    EDQUOT: 'the disk quota is exhausted; free some space and run again',
    ENOENT: 'a folder could not be made there; choose another directory',
    ENOTDIR: 'a folder on the way is a file; choose another directory',
    ENAMETOOLONG: 'the path is too long; choose a shorter directory name',
  };
  if (e.code && fix[e.code]) return new UserError(`could not write${where} (${e.code}); ${fix[e.code]}. Nothing was changed`);
  return error instanceof Error ? error : new Error(String(error));
}
