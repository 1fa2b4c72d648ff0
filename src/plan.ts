/**
 * Step 4 of the pipeline: compare the rendered tree with the disk and give every file a status.
 * Reads only; refuses paths that would escape the target folder or pass through a symlink.
 */
import { posix } from 'node:path';
import type { Disk } from './disk.js';
import { UserError } from './errors.js';
import { isToolState, sha256, type Manifest } from './manifest.js';
import type { FileTree, RenderedFile } from './render/index.js';

/**
 * - create: not on disk yet;  identical: already has these bytes;
 * - update: on disk as we last wrote it (or ours outright, or empty), safe to replace;
 * - keep: a seed file the user already has (seeds are theirs once written);
 * - conflict: a file the user owns with other content; never overwritten silently.
 */
export type Status = 'create' | 'identical' | 'update' | 'keep' | 'conflict';

export interface PlannedFile {
  file: RenderedFile;
  status: Status;
  /** What is on disk now, for diffs and rollback. */
  current?: string;
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
  for (const file of tree.values()) {
    await checkContained(root, file.path, disk);
    const abs = posix.join(root, file.path);
    const entry = await disk.lstat(abs);
    if (entry === null) {
      files.push({ file, status: 'create' });
      continue;
    }
    if (entry.kind !== 'file') {
      throw new UserError(`${file.path} exists and is a ${entry.kind === 'dir' ? 'directory' : entry.kind}, not a file; move it away or choose another directory`);
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
