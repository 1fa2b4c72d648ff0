/**
 * What happens to each file `add` renders, given what is on disk. Built on the planner's statuses
 * (which also refuse symlinks and paths leaving the folder), with the rules for existing projects:
 *
 *   create     not there yet                       identical  already these bytes
 *   update     ours, unchanged since we wrote it   merge      our entries/block go into the user's file
 *   keep       the user's: a seed they have, or a file we wrote that they have since edited
 *   conflict   the user's own file, with other content: they decide (or --overwrite)
 *   overwrite  replaced with ours (chosen, or --overwrite)
 *   adopt      kept as it is, with our render recorded as its base (chosen: "keep mine")
 *   side       kept, and ours written next to it as <file>.secure-service (then adopted)
 *   moved      generated earlier, and looks moved elsewhere by the user: not created again, its
 *              record kept as it was (as `update` keeps it)
 *   deleted    generated earlier, and gone since (nowhere else): deleted by the user, as `update`
 *              judges it; not created again, even for a part named on the command line (the
 *              outcome must not hang on whether update ran in between), and recorded as deleted
 */
import type { Disk } from '../disk.js';
import type { Manifest, ManifestEntry } from '../manifest.js';
import type { Answers } from '../questions.js';
import type { Facts } from '../render/context.js';
import { planWrites } from '../plan.js';
import type { FileTree, RenderedFile } from '../render/index.js';
import { contextNeeds } from './layout.js';
import { mergeLineSet } from './line-sets.js';
import { withBlock } from './markers.js';
import { existingFileKinds } from './selection.js';

export type AddStatus = 'create' | 'identical' | 'update' | 'merge' | 'keep' | 'conflict' | 'overwrite' | 'adopt' | 'side' | 'moved' | 'deleted';

/** One folder `add` writes to: the service folder, or (in a monorepo) the repository root. */
export interface Area {
  /** Absolute real path. */
  root: string;
  /** Its path relative to the folder the whole run writes under ('' for that folder). */
  prefix: string;
  tree: FileTree;
  previous?: Manifest;
  /** Outputs its manifest records as deleted under an earlier ID (see earlierRecords): recorded again under their own, as update records them. */
  deletedUnderOldId?: ManifestEntry[];
  /** The answers and facts its manifest records, when not the run's (a monorepo's root keeps its own). */
  recordedWith?: { answers: Answers; facts: Facts };
}

export interface AddFile {
  area: Area;
  /** Our render (recorded as the base). */
  file: RenderedFile;
  status: AddStatus;
  /** What is on disk now. */
  current?: string;
  /** What the file will hold after this run. */
  content: string;
  /** Set when our content went (or would go) into a block of the user's own file. */
  kind?: 'lines' | 'block';
  /** For `moved`: where it looks moved to. */
  movedTo?: string[];
  /** For `keep`: the symbolic link it is behind, left as it is (never read or written through). */
  link?: string;
}

export const SIDE_SUFFIX = '.secure-service';

/** A path of the area as the run shows it (from the folder it writes under). */
export const areaPath = (area: Area, path: string): string => (area.prefix ? `${area.prefix}/${path}` : path);
export const shownPath = (f: { area: Area; file: RenderedFile }): string => areaPath(f.area, f.file.path);

export async function reconcile(area: Area, disk: Disk, overwrite: boolean): Promise<AddFile[]> {
  const plan = await planWrites(area.tree, area.root, disk, area.previous);
  const recorded = new Map(area.previous?.files.map((f) => [f.path, f.strategy]));
  return plan.files.map(({ file, status, current, moved, link }) => {
    const base = { area, file, current, content: file.content };
    if (moved) return { ...base, status, movedTo: moved.to };
    if (link) return { ...base, status, link };
    if (status !== 'conflict') return { ...base, status };
    const kind = existingFileKinds[file.id];
    const strategy = recorded.get(file.path);
    // A file we wrote whole and the user has since edited is theirs; `update` merges into it. (Merged
    // again as one of their own files, a .gitignore would get back the lines they removed, and a
    // SECURITY.md a second copy in a block.)
    if (strategy !== undefined && strategy !== 'lines' && strategy !== 'block' && !overwrite) return { ...base, status: 'keep', content: current! };
    if (kind) {
      const merged = mergeIntoExisting(kind, current!, file, contextNeeds(file, area.tree));
      return { ...base, kind, content: merged, status: merged === current ? 'identical' : 'merge' };
    }
    if (overwrite) return { ...base, status: 'overwrite' };
    return { ...base, status: 'conflict', content: current! };
  });
}

/**
 * Our content in a file the user owns: the missing entries of a line set, or our whole text, in
 * the part's marked block. (Recorded with strategy `lines`/`block`; `update` can redo it with this.)
 */
export function mergeIntoExisting(kind: 'lines' | 'block', current: string, file: RenderedFile, needed: readonly string[] = []): string {
  if (kind === 'lines') return mergeLineSet(current, file.content, file.part, file.path, needed);
  return withBlock(current, file.part, file.path, file.content.replace(/\r?\n$/, '').split(/\r?\n/));
}

/** Apply the user's choice for a conflicting file. */
export function decide(f: AddFile, choice: 'keep' | 'take' | 'side'): AddFile {
  if (choice === 'take') return { ...f, status: 'overwrite', content: f.file.content };
  return { ...f, status: choice === 'keep' ? 'adopt' : 'side', content: f.current! };
}

/** Whether this run changes the file itself (the side copy is a separate file). */
export const changesFile = (f: AddFile): boolean => f.status === 'create' || f.status === 'update' || f.status === 'merge' || f.status === 'overwrite';

/** Whether the file gets a (new) manifest entry and base: everything except a tracked file the user edited or moved (its record stays as it was), or deleted (recorded as such). */
export const recordsFile = (f: AddFile): boolean => f.status !== 'moved' && f.status !== 'deleted' && !(f.status === 'keep' && f.area.previous?.files.some((p) => p.path === f.file.path));

/** The strategy to record: `lines`/`block` when our content lives in a block of the user's file. */
export const recordedStrategy = (f: AddFile): string | undefined => (f.kind && f.current !== undefined && f.current !== f.file.content ? f.kind : undefined);
