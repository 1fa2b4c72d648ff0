/**
 * Step 4 of the pipeline: compare the rendered tree with the disk and give every file a status.
 * Reads only; refuses paths that would escape the target folder or pass through a symlink.
 */
import { posix } from 'node:path';
import { kindInWords, type Disk } from './disk.js';
import { UserError } from './errors.js';
import { asRecorded, baseCopyPath, earlierRecords, isToolState, recordOf, sha256, type Manifest, type ManifestFile } from './manifest.js';
import { findMovedCopies } from './moved.js';
import type { FileTree, RenderedFile } from './render/index.js';

/**
 * - create: not on disk yet;  identical: already has these bytes;
 * - update: on disk as we last wrote it (or ours outright, or empty), safe to replace;
 * - keep: a seed file the user already has (seeds are theirs once written);
 * - conflict: a file the user owns with other content; never overwritten silently;
 * - moved: a file generated earlier, not at its path but looking moved elsewhere in the project;
 *   not created again (a second copy, which compose or a script would read instead of the user's).
 * - deleted: a file generated earlier, gone from its path and nowhere else: the user deleted it, as
 *   `update` judges it; not created again, and recorded as deleted (the user's decision is theirs).
 */
export type Status = 'create' | 'identical' | 'update' | 'keep' | 'conflict' | 'moved' | 'deleted';

export interface PlannedFile {
  file: RenderedFile;
  status: Status;
  /** What is on disk now, for diffs and rollback. */
  current?: string;
  /** For `moved`: where it looks moved to (sorted), and its record as the manifest keeps it. */
  moved?: { to: string[]; record: RenderedFile };
  /** For `keep`: the symbolic link the file is behind (itself or a folder above it); it is neither read nor written. */
  link?: string;
}

export interface Plan {
  root: string;
  files: PlannedFile[];
}

export const willWrite = (f: PlannedFile): boolean => f.status === 'create' || f.status === 'update';

export async function planWrites(tree: FileTree, root: string, disk: Disk, previous?: Manifest): Promise<Plan> {
  await checkRoot(root, disk);
  const recorded = new Map(previous?.files.map((f) => [f.path, f.sha256]) ?? []);
  const files: PlannedFile[] = [];
  // Another output is never taken for a moved one (compose overrides look much alike).
  const outputs = new Set([...tree.keys(), ...(previous?.files.map((f) => f.path) ?? [])]);
  const records = earlierRecords(tree.values(), previous).files;
  for (const file of tree.values()) {
    // A generated file the user made a link (or put in a linked folder) that this run would leave
    // as it is, as `update` leaves it: kept without reading through the link; any other refused.
    const link = previous && !isToolState(file.path) ? await linkOnPath(root, file.path, disk) : null;
    if (link !== null && unchangedSinceRecorded(file, records)) {
      files.push({ file, status: 'keep', link });
      continue;
    }
    await checkContained(root, file.path, disk);
    const abs = posix.join(root, file.path);
    const entry = await disk.lstat(abs);
    if (entry === null) {
      // Generated here before and gone: moved elsewhere, or else deleted by the user, as `update` tells them apart.
      const record = !isToolState(file.path) ? recordAt(records, file) : undefined;
      const moved = record ? await movedAway(file, record, root, disk, outputs) : undefined;
      files.push(moved ? { file, status: 'moved', moved } : record ? { file, status: 'deleted' } : { file, status: 'create' });
      continue;
    }
    if (entry.kind !== 'file') {
      throw new UserError(`${file.path} exists and is ${kindInWords(entry.kind)}, not a file; move it away or choose another directory`);
    }
    const current = (await disk.readFile(abs)).toString('utf8');
    let status: Status;
    if (current === file.content) status = 'identical';
    else if (isToolState(file.path) || recorded.get(file.path) === sha256(current)) status = 'update';
    else if (file.strategy === 'seed') status = 'keep';
    // An empty file (a placeholder made with touch) holds nothing of the user's to keep.
    else if (current.trim() === '') status = 'update';
    else status = 'conflict';
    files.push({ file, status, current });
  }
  return { root, files };
}

/**
 * Of `tree`'s files, those recorded at their path that are gone from it and not moved: deleted by
 * the user, as `update` finds them. For outputs a run does not write (the parts `add` was not asked
 * for), whose absence still changes how the others render; one in a state the run does not look
 * into (behind a link, under a file) is not called deleted.
 */
export async function deletedOutside(tree: FileTree, root: string, disk: Disk, previous: Manifest): Promise<RenderedFile[]> {
  const outputs = new Set([...tree.keys(), ...previous.files.map((f) => f.path)]);
  const records = earlierRecords(tree.values(), previous).files;
  const deleted: RenderedFile[] = [];
  for (const file of tree.values()) {
    const entry = recordAt(records, file);
    if (!entry || isToolState(file.path) || (await firstObstacle(root, file.path, disk)) !== null) continue;
    if ((await disk.lstat(posix.join(root, file.path))) !== null) continue;
    if (!(await movedAway(file, entry, root, disk, outputs))) deleted.push(file);
  }
  return deleted;
}

/** The earlier run's record of this output at this path (under its ID, or an earlier one: see earlierRecords), if it wrote it there. */
function recordAt(records: ReadonlyMap<string, ManifestFile>, file: RenderedFile): ManifestFile | undefined {
  const entry = records.get(file.id);
  return entry?.path === file.path ? entry : undefined;
}

/** Recorded at this path by an earlier run, and rendered as it was then (an app file is the user's whatever it holds). */
function unchangedSinceRecorded(file: RenderedFile, records: ReadonlyMap<string, ManifestFile>): boolean {
  const entry = recordAt(records, file);
  return entry !== undefined && (file.strategy === 'seed' || (entry.sha256 === sha256(file.content) && parseInt(entry.mode, 8) === file.mode));
}

/**
 * A file this project's manifest records as generated at this path, missing there, that looks
 * moved elsewhere (judged against what was last generated, as `update` judges it). Its record is
 * kept as it was, as `update` keeps it, so moving the file back is all it takes.
 */
async function movedAway(file: RenderedFile, entry: ManifestFile, root: string, disk: Disk, outputs: ReadonlySet<string>): Promise<PlannedFile['moved']> {
  const base = (await readBaseCopy(root, entry, disk)) ?? (sha256(file.content) === entry.sha256 ? file.content : undefined);
  if (base === undefined) return undefined;
  const to = await findMovedCopies(root, file.path, base, disk, { exclude: outputs });
  return to.length > 0 ? { to, record: recordOf(entry, base) } : undefined;
}

/** An output's base copy as the manifest recorded it (one git checked out with CRLF is the same text); undefined when it is missing or not that. */
async function readBaseCopy(root: string, entry: ManifestFile, disk: Disk): Promise<string | undefined> {
  const path = baseCopyPath(entry.id);
  await checkContained(root, path, disk);
  const abs = posix.join(root, path);
  if ((await disk.lstat(abs))?.kind !== 'file') return undefined;
  return asRecorded((await disk.readFile(abs)).toString('utf8'), entry.sha256);
}

export async function checkRoot(root: string, disk: Disk): Promise<void> {
  const entry = await disk.lstat(root);
  if (entry === null) return;
  if (entry.kind === 'symlink') throw new UserError(`${root} is a symbolic link; give the real directory instead`);
  if (entry.kind !== 'dir') throw new UserError(`${root} exists and is not a directory; choose another directory name`);
}

/**
 * The first thing on the way to a project file that is not a real folder: a symbolic link (the
 * file itself or a folder above it), or a file where a folder is needed. Null when there is none,
 * or when the walk reaches a path that does not exist yet.
 */
async function firstObstacle(root: string, relative: string, disk: Disk): Promise<{ kind: 'symlink' | 'file'; at: string } | null> {
  const segments = relative.split('/');
  let current = root;
  for (const [i, segment] of segments.entries()) {
    current = posix.join(current, segment);
    const entry = await disk.lstat(current);
    if (entry === null) return null;
    const at = segments.slice(0, i + 1).join('/');
    if (entry.kind === 'symlink') return { kind: 'symlink', at };
    if (i < segments.length - 1 && entry.kind !== 'dir') return { kind: 'file', at };
  }
  return null;
}

/**
 * The first symbolic link on the way to a project file (the file itself or a folder above it), as a
 * project-relative path, or null when there is none. For `update`, which reports such a file
 * instead of refusing the whole run; it still never reads or writes through the link.
 */
export async function linkOnPath(root: string, relative: string, disk: Disk): Promise<string | null> {
  const obstacle = await firstObstacle(root, relative, disk);
  return obstacle?.kind === 'symlink' ? obstacle.at : null;
}

/**
 * Every component between the root and the file must be a real directory (or not exist yet):
 * a symlink could point anywhere, so writing through one could touch files outside the project.
 */
export async function checkContained(root: string, relative: string, disk: Disk): Promise<void> {
  if (posix.isAbsolute(relative) || relative.split('/').some((s) => s === '..' || s === '' || s === '.')) {
    throw new Error(`output path ${relative} is not a plain relative path`);
  }
  const obstacle = await firstObstacle(root, relative, disk);
  if (obstacle?.kind === 'symlink') throw new UserError(`${obstacle.at} is a symbolic link; refusing to write through it (remove the link or replace it with a real file)`);
  if (obstacle?.kind === 'file') throw new UserError(`${obstacle.at} is a file where a directory is needed for ${relative}; move it away`);
}

/**
 * The files an earlier run recorded, still on disk, that `kept` (what this run records) no longer
 * holds: a run would leave them behind, unrecorded, so the user's from then on.
 */
export async function leftBehind(previous: Manifest | undefined, kept: FileTree, root: string, disk: Disk): Promise<string[]> {
  const left: string[] = [];
  for (const f of previous?.files ?? []) {
    if (!isToolState(f.path) && !kept.has(f.path) && (await disk.lstat(posix.join(root, f.path))) !== null) left.push(f.path);
  }
  return left;
}
