/**
 * The manifest as `add` reads and extends it. Reading checks what `add` relies on (answers, and
 * each file's id, path and hash); writing keeps every entry of earlier runs, replaces the entries
 * of the files this run records (by stable ID, in place) and appends new ones, and carries over
 * any other field a newer version may have written.
 */
import { posix } from 'node:path';
import type { Disk } from '../disk.js';
import { UserError } from '../errors.js';
import { jsonObjectOf, refuseOversized } from '../json-file.js';
import { baseCopyPath, buildManifest, DUPLICATE_FIX, duplicateEntry, FACTS_SHAPE, inGitFolder, isFacts, isPlainRelativePath, isToolState, MANIFEST_PATH, refuseNewerManifest, repairsOf, withoutEarlierProbeRecords, type Manifest, type RepairedRecord, type ManifestEntry, type ManifestFile } from '../manifest.js';
import type { Answers } from '../questions.js';
import type { Facts, FileTree, RenderedFile } from '../render/index.js';

/** A folder's manifest as add reads it (undefined when there is none), with what reading it repaired (see withoutEarlierProbeRecords). */
export async function readManifestAt(root: string, disk: Disk, shown: string, installed: string): Promise<{ manifest: Manifest; repaired: RepairedRecord[] } | undefined> {
  const path = posix.join(root, MANIFEST_PATH);
  const entry = await disk.lstat(path);
  if (entry === null) return undefined;
  const label = posix.join(shown, MANIFEST_PATH);
  const fix = `restore it from version control (git checkout -- ${label})`;
  if (entry.kind !== 'file') throw new UserError(`${label} is not a regular file; ${fix}`);
  refuseOversized(label, 'manifest', entry.size);
  const value = jsonObjectOf(await disk.readFile(path), label, 'manifest');
  const files = value.files;
  const okFile = (f: unknown) => {
    const r = f as Record<string, unknown>;
    return typeof f === 'object' && f !== null && ['id', 'path', 'part', 'strategy', 'sha256'].every((k) => typeof r[k] === 'string') && isPlainPath(String(r.path));
  };
  if (value.generator !== 'create-secure-service' || typeof value.answers !== 'object' || value.answers === null || !Array.isArray(files) || !files.every(okFile)) {
    throw new UserError(`${label} is not a create-secure-service manifest this version can read; ${fix}`);
  }
  refuseNewerManifest(value.version, installed, label, 'add');
  // What update refuses in "deleted" and "unmanaged", add refuses too: it reads their IDs and paths,
  // and writes them back for update to read.
  for (const key of ['deleted', 'unmanaged']) {
    const list = value[key];
    if (list === undefined) continue;
    const entry = (e: unknown): e is ManifestEntry => typeof e === 'object' && e !== null && typeof (e as ManifestEntry).id === 'string' && typeof (e as ManifestEntry).path === 'string';
    if (!Array.isArray(list) || !list.every(entry)) throw new UserError(`${label}: "${key}" must be a list of {id, path}; ${fix}`);
    for (const e of list as ManifestEntry[]) {
      if (!isPlainRelativePath(e.path) || isToolState(e.path) || inGitFolder(e.path)) throw new UserError(`${label}: "${key}" lists ${JSON.stringify(e.path)}, which is not a plain relative path inside the project outside git's own folder; ${fix}`);
    }
  }
  if (value.facts !== undefined && !isFacts(value.facts)) throw new UserError(`${label}: ${FACTS_SHAPE}; ${fix}`);
  const repaired = withoutEarlierProbeRecords(value);
  const twice = duplicateEntry(repaired);
  if (twice) throw new UserError(`${label}: ${twice}; ${DUPLICATE_FIX} (git checkout -- ${label})`);
  const manifest = repaired as unknown as Manifest;
  return { manifest, repaired: repairsOf(value, manifest) };
}

function isPlainPath(path: string): boolean {
  return path !== '' && !path.startsWith('/') && !inGitFolder(path) && path.split('/').every((s) => s !== '' && s !== '.' && s !== '..');
}

/** A file to record: our render (its base) and, for files the user already had, how it was merged. */
export interface Recorded {
  file: RenderedFile;
  /** `lines`/`block` when our content went into a block of the user's file. */
  strategy?: string;
}

/**
 * The manifest and base copies for one folder after this run. The recorded hash is always that
 * of the base (our render), as `create` records it: a file that differs from its base holds the
 * user's changes, which `update` merges instead of replacing.
 */
export function recordState(previous: Manifest | undefined, recorded: readonly Recorded[], answers: Answers, version: string, facts: Facts, deleted: readonly ManifestEntry[] = []): FileTree {
  const tree: FileTree = new Map(recorded.map((r) => [r.file.path, r.file]));
  const built = buildManifest(tree, answers, version);
  const strategies = new Map(recorded.filter((r) => r.strategy).map((r) => [r.file.id, r.strategy!]));
  const fresh = built.files.map((f) => (strategies.has(f.id) ? { ...f, strategy: strategies.get(f.id)! } : f));
  const byId = new Map(fresh.map((f) => [f.id, f]));
  const files: ManifestFile[] = [];
  // A file the user deleted since the last run leaves `files` for `deleted`, as update records it.
  const gone = new Set(deleted.map((e) => e.id));
  // An output recorded at a path an entry of another ID holds (the health probe, a seed file of
  // the app part before it was the docker part's) takes over that path's record, as update's
  // renamedFrom does: two entries for one file would be a manifest no command reads. So too for
  // one this run finds deleted (its old entry would stay under "files" beside it under "deleted").
  const taken = new Set([...fresh, ...deleted].map((f) => f.path));
  const ids = new Set([...fresh, ...deleted].map((f) => f.id));
  const takenOver = (e: ManifestEntry) => taken.has(e.path) && !ids.has(e.id);
  for (const old of previous?.files ?? []) {
    if (gone.has(old.id) || takenOver(old)) continue;
    const replacement = byId.get(old.id);
    files.push(replacement ?? old);
    byId.delete(old.id);
  }
  files.push(...byId.values());
  // The facts rendering read from this machine (public: signer e-mail and key), so `update` renders the same.
  const manifest = { ...(previous ?? {}), ...built, facts, files, ...(deleted.length > 0 || previous?.deleted?.some(takenOver) ? { deleted: [...(previous?.deleted ?? []).filter((e) => !gone.has(e.id) && !takenOver(e)), ...deleted] } : {}) };
  const out: FileTree = new Map();
  const tool = (id: string, path: string, content: string): RenderedFile => ({ id, part: 'project', path, content, mode: 0o644, strategy: 'owned' });
  for (const r of recorded) {
    const path = baseCopyPath(r.file.id);
    out.set(path, tool(`base:${r.file.id}`, path, r.file.content));
  }
  out.set(MANIFEST_PATH, tool('manifest', MANIFEST_PATH, `${JSON.stringify(manifest, null, 2)}\n`));
  return out;
}
