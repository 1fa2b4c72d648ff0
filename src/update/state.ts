/**
 * What `update` reads before deciding anything: the manifest, the base copies it points to, and
 * the project's files, always through the same containment checks as the writer (no path outside
 * the project, nothing read through a symbolic link).
 */
import { posix } from 'node:path';
import { kindInWords, type Disk } from '../disk.js';
import { UserError } from '../errors.js';
import { firstNonUtf8Byte, jsonObjectOf, refuseOversized } from '../json-file.js';
import { asRecorded, baseCopyPath, checkManifest, MANIFEST_PATH, repairsOf, type Manifest, type RepairedRecord } from '../manifest.js';
import { checkContained, checkRoot } from '../plan.js';

export interface DiskFile {
  content: string;
  mode: number;
  /** The first byte (from 1) that is not UTF-8, which `content` has as U+FFFD; undefined when all are. */
  notUtf8?: number;
}

export interface ProjectState {
  manifest: Manifest;
  /** Base copies by output ID, each as the manifest recorded it; an ID without one has lost its base (missing, or not what was recorded). */
  bases: Map<string, string>;
  /** The health probe's records under an earlier ID beside its newest, left out when reading (manifest.ts withoutEarlierProbeRecords). */
  repaired: RepairedRecord[];
}

/**
 * A project file, or null when nothing is there. A directory or special file where a file belongs
 * is an error; so is one `refuse` (given its size) throws for, before it is read.
 */
export async function readProjectFile(root: string, path: string, disk: Disk, refuse?: (size: number) => void): Promise<DiskFile | null> {
  const file = await readProjectBytes(root, path, disk, refuse);
  if (file === null) return null;
  const notUtf8 = firstNonUtf8Byte(file.bytes);
  return { content: file.bytes.toString('utf8'), mode: file.mode, ...(notUtf8 !== undefined ? { notUtf8 } : {}) };
}

/** readProjectFile's bytes, for a file whose decoding is checked (the manifest). */
async function readProjectBytes(root: string, path: string, disk: Disk, refuse?: (size: number) => void): Promise<{ bytes: Buffer; mode: number } | null> {
  await checkContained(root, path, disk);
  const abs = posix.join(root, path);
  const entry = await disk.lstat(abs);
  if (entry === null) return null;
  if (entry.kind !== 'file') throw new UserError(`${path} is ${kindInWords(entry.kind)}, where the project has a file; move it away and run again`);
  refuse?.(entry.size);
  return { bytes: await disk.readFile(abs), mode: entry.mode };
}

export async function readProjectState(root: string, disk: Disk): Promise<ProjectState> {
  const entry = await disk.lstat(root);
  if (entry === null) throw new UserError(`${root} does not exist; run update in a service folder, or pass --dir <path>`);
  if (entry.kind === 'file' || entry.kind === 'other') throw new UserError(`${root} is a file, not a folder; run update in a service folder, or pass --dir <path>`);
  await checkRoot(root, disk);
  const label = posix.join(root, MANIFEST_PATH);
  const file = await readProjectBytes(root, MANIFEST_PATH, disk, (size) => refuseOversized(label, 'manifest', size));
  if (file === null) {
    throw new UserError(`${root} has no ${MANIFEST_PATH}, so it was not made by create-secure-service (or the folder is wrong); run update in the service folder, or pass --dir <path>`);
  }
  const value = jsonObjectOf(file.bytes, label, 'manifest');
  const manifest = checkManifest(value, label);
  const repaired = repairsOf(value, manifest);
  const bases = new Map<string, string>();
  for (const entry of manifest.files) {
    const base = await readBase(root, entry, disk);
    if (base !== undefined) bases.set(entry.id, base);
  }
  return { manifest, bases, repaired };
}

/** An output's base copy, when it is what the manifest recorded for it. */
export async function readBase(root: string, { id, sha256: hash }: { id: string; sha256: string }, disk: Disk): Promise<string | undefined> {
  const base = await readProjectFile(root, baseCopyPath(id), disk);
  return base === null ? undefined : asRecorded(base.content, hash);
}
