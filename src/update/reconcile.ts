/**
 * The heart of `update`: for every output, compare what we last generated (the base), what is on
 * disk (ours) and the new render (theirs), and decide what happens to the file and what the
 * manifest records afterwards. Reads only; the caller writes.
 *
 *   untouched by the user          -> update (replaced by the new render)
 *   edited, template unchanged     -> kept
 *   both changed, apart            -> merge (clean three-way merge)
 *   both changed the same lines    -> conflict (written with markers)
 *   deleted by the user            -> deleted (stays deleted, recorded)
 *   new output                     -> create (or blocked when a file of the user's is in the way)
 *   output with a new path         -> the user's file is moved, then merged
 *   output gone upstream           -> remove when unmodified, else unmanage (kept, reported)
 *   merge result does not parse    -> invalid (not written; the old base is kept, so it is retried)
 *   file behind a symbolic link    -> kept when the templates leave it as it was, else blocked (with
 *                                     `link` set: a real update refuses); never read or written
 */
import { UserError } from '../errors.js';
import { lineSimilarity, lookMoved } from '../moved.js';
import { asRecorded, earlierRecords, MANIFEST_PATH, recordOf, sha256, type Manifest, type ManifestEntry, type ManifestFile } from '../manifest.js';
import type { FileTree, RenderedFile } from '../render/index.js';
import { contextNeeds } from '../add/layout.js';
import { LET_IN_HEADER, LINE_SET_HEADER, missingLines, REPEAT_HEADER } from '../add/line-sets.js';
import { readBlock, withBlock, withoutBlock } from '../add/markers.js';
import { endsLine, lineEndingOf, mergeText, splitBom, toLf, withFinalNewline, withLineEnding, type MergeLabels } from './merge.js';
import type { DiskFile } from './state.js';

export type Action = 'same' | 'kept' | 'update' | 'merge' | 'conflict' | 'create' | 'remove' | 'unmanage' | 'deleted' | 'moved-away' | 'blocked' | 'invalid';

export interface FileOutcome {
  id: string;
  /** Where the file is after the update (or would have been). */
  path: string;
  /** The file moves here from this path first. */
  from?: string;
  action: Action;
  /** Why, when the action alone does not say it. */
  note?: string;
  /** The file on disk before the update; undefined when there is none. */
  before?: string;
  /** What to write at `path`; undefined when the file is left as it is (or removed). */
  after?: string;
  mode?: number;
  /** The installed templates differ from what this file was last generated from (for --check). */
  templateChanged: boolean;
  /** For conflicts: the three versions, for the git index (stages 1, 2 and 3). */
  stages?: { base?: string; ours: string; theirs: string };
  /** The symbolic link (the file itself or a folder above it) that this file is behind: it is neither read nor written. */
  link?: string;
  /** Said as a warning by --check, which lists no files: the file wants the user's hand, though nothing is behind. */
  warning?: true;
  /**
   * What update changes in the manifest alone for this file, nothing on disk: a deletion found now,
   * recorded under "deleted"; a file recorded as deleted, back as the templates render it, managed
   * again; an output no longer generated whose file is already gone, its entry forgotten. Said by
   * --check too (which is about the templates), so it names what update would record.
   */
  records?: 'deleted' | 'managed' | 'forgotten';
  /** What the manifest records for this output afterwards. */
  record: { managed: RenderedFile } | { deleted: ManifestEntry } | { unmanaged: ManifestEntry } | null;
}

export interface ReconcileInput {
  manifest: Manifest;
  bases: ReadonlyMap<string, string>;
  render: FileTree;
  /** A project file, or null when there is none. */
  read(path: string): Promise<DiskFile | null>;
  /** The symbolic link on the way to a project file (itself or a folder above it), or null. */
  link(path: string): Promise<string | null>;
  /** One line when `content` would not parse as the kind of file at `path`. */
  check(path: string, content: string): Promise<string | null>;
  /** Project files that look like `path` moved there (`generated`: what it last was), sorted. */
  movedCopies(path: string, generated: string): Promise<string[]>;
  /** Where the recorded answers put each output (by ID) with these templates and parts: paths the templates produce. */
  recordedPaths: ReadonlyMap<string, string>;
  labels: MergeLabels;
}

export interface Reconciled {
  outcomes: FileOutcome[];
  /** Managed files with the content to keep as their base, in render order. */
  managed: RenderedFile[];
  deleted: ManifestEntry[];
  unmanaged: ManifestEntry[];
}

/** The same text, whatever its line endings, byte order mark or final newline (how an editor saved it, not an edit). */
const sameText = (x: string, y: string): boolean => {
  const plain = (text: string) => withFinalNewline(toLf(splitBom(text).text), true);
  return plain(x) === plain(y);
};

export async function reconcile(input: ReconcileInput): Promise<Reconciled> {
  const { manifest, bases, read } = input;
  const rendered = [...input.render.values()];
  const renderedIds = new Set(rendered.map((f) => f.id));
  // An output with a new ID that names an earlier path (renamedFrom) takes over that path's record.
  const { files: previous, deleted: stillDeleted } = earlierRecords(rendered, manifest);
  const takenOver = new Set([...previous.values()].map((e) => e.id));
  // A dropped output's entry naming a path another recorded output still manages (two entries for
  // one file: a hand-edited manifest) is forgotten; the file is that output's, never removed.
  const managedPaths = new Set(rendered.flatMap((f) => (previous.has(f.id) ? [f.path, previous.get(f.id)!.path] : [])));
  const orphans = manifest.files.filter((e) => !renderedIds.has(e.id) && !takenOver.has(e.id) && !managedPaths.has(e.path));

  const orphanOutcomes: FileOutcome[] = [];
  for (const e of orphans) orphanOutcomes.push(await orphan(e, bases.get(e.id), input));

  // Paths this update frees (a file moving away, an unmodified file removed): another output may
  // move or be created there. Checked again below, once every outcome is known.
  const vacated = new Map<string, string>();
  for (const o of orphanOutcomes) if (o.action === 'remove' && o.before !== undefined) vacated.set(o.path, o.id);
  for (const f of rendered) {
    const old = previous.get(f.id);
    if (old && old.path !== f.path) vacated.set(old.path, f.id);
  }
  const occupied = async (path: string): Promise<DiskFile | null> => (vacated.has(path) ? null : read(path));

  const outcomes: FileOutcome[] = [];
  for (const f of rendered) {
    const old = previous.get(f.id);
    if (stillDeleted.has(f.id)) outcomes.push(await deletedEarlier(f, input));
    else if (old) outcomes.push(await matched(f, old, bases.get(old.id), input, occupied));
    else outcomes.push(await added(f, input, occupied));
  }
  outcomes.push(...orphanOutcomes);

  // A path counted as freed must really be freed: its file moved away or was removed.
  const freedBy = new Map(outcomes.filter((o) => (o.from && o.action !== 'blocked' && o.action !== 'invalid') || (o.action === 'remove' && o.before !== undefined)).map((o) => [o.from ?? o.path, o.id]));
  for (const o of outcomes) {
    const target = o.from || o.action === 'create' ? o.path : undefined;
    if (target && vacated.has(target) && !freedBy.has(target) && ((await input.link(target)) !== null || (await read(target)) !== null)) {
      throw new UserError(`cannot update ${target}: another file of the project stays there; move it away and run update again`);
    }
  }
  return assemble(outcomes, manifest);
}

/** Why a file behind a symbolic link is not written, and what to do; `why` says what the update would do to it. */
function linkNote(link: string, why: string): string {
  return `${link} is a symbolic link and ${why}, but update never writes through a link; replace the link with the file it points to (or move the file back), then run update again`;
}

/**
 * A managed file behind a symbolic link: update never reads through the link (it may point
 * anywhere) nor writes through it. Whether the file needs writing is known without reading it:
 * templates that render it as last recorded (same bytes, mode and path), or an app file that
 * stays where it is, leave it as it is, whatever the user did to it, so it is kept and nothing
 * stops the update. Anything else would write it: blocked, and `link` makes a real update refuse.
 */
function throughLink(f: RenderedFile, old: ManifestFile, base: string | undefined, at: string, link: string): FileOutcome {
  const moving = at !== f.path;
  const common = { id: f.id, path: f.path, ...(moving ? { from: at } : {}), link };
  const unchanged = f.strategy === 'seed' || (sha256(f.content) === old.sha256 && f.mode === parseInt(old.mode, 8));
  if (unchanged && !moving) {
    // As the file's own branch would record it (a block or line set in a file of the user's stays one).
    const kept = f.strategy === 'seed' ? { ...f, content: base ?? f.content } : old.strategy === 'lines' || old.strategy === 'block' ? { ...f, strategy: old.strategy as RenderedFile['strategy'] } : f;
    return { ...common, action: 'kept', note: `${link} is a symbolic link, left as it is: update never reads or writes through one, and the new templates do not change this file`, templateChanged: false, record: { managed: kept } };
  }
  const why = moving ? `this file moves to ${f.path}` : 'the new templates change this file';
  return { ...common, action: 'blocked', note: linkNote(link, why), templateChanged: true, record: base === undefined ? null : { managed: recordOf(old, base, at) } };
}

function userDeleted(f: RenderedFile, note: string): FileOutcome {
  return { id: f.id, path: f.path, action: 'deleted', note, templateChanged: false, record: { deleted: { id: f.id, path: f.path } } };
}

/**
 * An output the manifest records as deleted by the user. A file back at its path (restored from
 * git, a teammate's branch) is not deleted: said, and left as it is, since without a base copy
 * every difference would be a conflict; back exactly as the templates render it, it is theirs again.
 */
async function deletedEarlier(f: RenderedFile, input: ReconcileInput): Promise<FileOutcome> {
  const stays = userDeleted(f, 'you deleted it earlier; it stays deleted');
  if ((await input.link(f.path)) !== null) return stays;
  const there = await input.read(f.path);
  if (there === null) return stays;
  if (sameText(there.content, f.content)) return { id: f.id, path: f.path, action: 'same', note: 'recorded as deleted, but back as the templates render it, so generated (managed) again', before: there.content, templateChanged: false, records: 'managed', record: { managed: f } };
  return {
    ...stays,
    warning: true,
    note: `recorded as deleted, but a file is there again: left as it is, without the new templates' changes; to have update manage it, move it away, remove its entry from "deleted" in ${MANIFEST_PATH}, run update, then copy your edits back`,
  };
}

async function matched(
  f: RenderedFile,
  old: ManifestFile,
  copy: string | undefined,
  input: ReconcileInput,
  occupied: (path: string) => Promise<DiskFile | null>,
): Promise<FileOutcome> {
  // A lost base copy is known when the new render hashes to what was recorded: the templates did
  // not change this file, so what they render now is what they rendered then.
  const base = copy ?? (sha256(f.content) === old.sha256 ? f.content : undefined);
  let from = old.path;
  let link = await input.link(from);
  if (link) return throughLink(f, old, base, from, link);
  let ours = await input.read(from);
  // The user may have moved the file to its new path already.
  if (!ours && from !== f.path) {
    link = await input.link(f.path);
    if (link) return throughLink(f, old, base, f.path, link);
    ours = await input.read(f.path);
    from = f.path;
    // Unless the file there is another of theirs (their own job for the new name): never merged into.
    if (ours && f.strategy !== 'seed' && !isGenerated(ours, old, base)) {
      const note = `${old.path} is gone, and ${f.path}, where it moves, holds a file create-secure-service did not write (under half its lines in common with what it generated), so update leaves it; move that file away and run update again`;
      return { id: f.id, path: f.path, action: 'blocked', note, before: ours.content, templateChanged: true, record: base === undefined ? null : { managed: recordOf(old, base) } };
    }
  }
  if (!ours) return missing(f, old, base, input);
  const moving = from !== f.path;
  // Without a base copy, a file still as recorded is its own base; otherwise nothing is common.
  const b = base ?? (sha256(ours.content) === old.sha256 ? ours.content : '');
  const keepOld = { managed: recordOf(old, b, from) };
  const common = { id: f.id, path: f.path, ...(moving ? { from } : {}), before: ours.content };
  if (moving && !isOutputAt(f, old, base, ours, input)) throw new UserError(notTheOutput(f, old));
  link = moving ? await input.link(f.path) : null;
  if (link) return { ...common, action: 'blocked', link, note: linkNote(link, 'it moves there'), templateChanged: true, record: keepOld };
  if (moving && (await occupied(f.path))) {
    return { ...common, action: 'blocked', note: `it moves from ${from}, but a file is already at ${f.path}; move that away and run update again`, templateChanged: true, record: keepOld };
  }
  const templateChanged = moving || sha256(f.content) !== old.sha256 || f.mode !== parseInt(old.mode, 8);
  // A mode the user changed stays theirs; otherwise the template's mode applies.
  const mode = ours.mode === parseInt(old.mode, 8) ? f.mode : ours.mode;
  const ending = lineEndingOf(ours.content);
  // Saved as the user's file is: line endings, byte order mark, final newline.
  const mine = splitBom(ours.content);
  const theirs = mine.bom + withFinalNewline(withLineEnding(f.content, ending), endsLine(mine.text));
  const next = { managed: f };
  const done = (action: Action, after: string | undefined, extra: Partial<FileOutcome> = {}): FileOutcome => {
    const content = after ?? (mode !== ours.mode ? ours.content : undefined);
    const shown = action === 'same' && content !== undefined ? 'update' : action;
    return { ...common, action: shown, ...(content !== undefined ? { after: content, mode } : {}), templateChanged, record: next, ...extra };
  };

  if (f.strategy === 'seed') {
    // Application files are the user's once written: never rewritten, only moved with their output.
    return { ...common, action: 'kept', ...(moving ? {} : { note: 'an app file: yours, never rewritten' }), templateChanged: moving, record: { managed: { ...f, content: base ?? f.content } } };
  }
  if (f.strategy === 'owned') {
    if (sameText(ours.content, f.content)) return done('same', undefined);
    return checked(done('update', theirs, sameText(ours.content, b) ? {} : { note: 'your edits were replaced: this file is regenerated on every update' }), ours, input);
  }
  if (old.strategy === 'lines' || old.strategy === 'block') return inBlock(old.strategy, f, base, ours, { ...common, mode, templateChanged }, input);
  if (sameText(ours.content, f.content)) return done('same', undefined);
  if (sameText(ours.content, b)) return checked(done('update', theirs), ours, input);
  if (sameText(f.content, b)) return done('kept', undefined);
  const merged = mergeText(b, ours.content, f.content, input.labels);
  const note = base === undefined && b === '' ? { note: 'its base copy was missing (or not what the manifest recorded), so every difference is a conflict' } : {};
  if (merged.conflicts > 0) {
    const stages = { ...(b !== '' ? { base: mine.bom + withLineEnding(splitBom(b).text, ending) } : {}), ours: ours.content, theirs };
    return done('conflict', merged.text, { stages, note: `${merged.conflicts} conflicting region(s)`, ...note });
  }
  // The user already made the template's change by hand: nothing to write, nothing merged.
  if (merged.text === ours.content) return done('kept', undefined, note);
  return checked(done('merge', merged.text, note), ours, input, keepOld);
}

/**
 * Whether the file at the recorded path is this output's, before update moves it (the manifest is
 * input: an entry edited to name README.md or the user's src/app.js would otherwise have it moved
 * to the output's path and merged there). Any one of: it is what the tool recorded writing there;
 * it shares at least half its lines with what it last generated (as moved.ts judges a moved copy,
 * so the user's edits do not stop it); the recorded answers put this output at that path (an env
 * file full of the user's values moves with --name); or the output's new ID names that path as
 * its earlier one (renamedFrom, the templates' own word).
 */
function isOutputAt(f: RenderedFile, old: ManifestFile, base: string | undefined, ours: DiskFile, input: ReconcileInput): boolean {
  if (isGenerated(ours, old, base)) return true;
  if (input.recordedPaths.get(old.id) === old.path) return true;
  return old.id !== f.id && (f.renamedFrom ?? []).includes(old.path);
}

/** The file is what the tool recorded writing, or shares at least half its lines with what it last generated (edited, not replaced). */
function isGenerated(ours: DiskFile, old: ManifestFile, base: string | undefined): boolean {
  return asRecorded(ours.content, old.sha256) !== undefined || (base !== undefined && lineSimilarity(ours.content, base) >= 0.5);
}

/** The one-line refusal when the recorded path holds a file that is not the output's (isOutputAt). */
function notTheOutput(f: RenderedFile, old: ManifestFile): string {
  const entry = `the entry ${JSON.stringify(old.id)} in ${MANIFEST_PATH}`;
  return `${entry} records the output at ${old.path}, which update would move to ${f.path}, but ${old.path} is not a file create-secure-service wrote there (it shares under half its lines with what was generated, and the recorded answers never put that output there); nothing was written. Correct that entry's "path" (or restore the manifest: git checkout -- ${MANIFEST_PATH}), or, if ${old.path} really is that output, move it to ${f.path} yourself and run update again`;
}

/**
 * A managed file not at its path: deleted, or moved by the user. update does not follow a moved
 * file, but says where it looks moved to, and keeps the record as it was (not deleted), so moving
 * it back is all it takes to have it managed again.
 */
async function missing(f: RenderedFile, old: ManifestFile, base: string | undefined, input: ReconcileInput): Promise<FileOutcome> {
  const deleted: FileOutcome = { ...userDeleted(f, 'you deleted it; it stays deleted (recorded in the manifest)'), records: 'deleted' };
  if (base === undefined) return deleted;
  const copies = await input.movedCopies(old.path, base);
  if (copies.length === 0) return deleted;
  return {
    id: f.id,
    path: old.path,
    action: 'moved-away',
    note: `not here, but ${lookMoved(copies)}: update does not follow a moved file, so the new templates' changes are not applied to it; to have them, move it back to ${old.path} and run update again`,
    templateChanged: false,
    warning: true,
    record: { managed: recordOf(old, base) },
  };
}

/**
 * A file of the user's that `add` put our content in, in one marked block (strategy `lines`: the
 * entries of a .gitignore, .dockerignore or .allowed_signers it lacked; `block`: our whole text, in
 * a SECURITY.md of theirs). The three-way merge is of the block alone: what add would write there
 * from the last templates, the block as it is now, and what it writes from the new ones (for a
 * line set, both worked out against the user's lines as they are now, so an entry moved out of
 * the block is no edit). Everything outside the block stays byte for byte; the record keeps the
 * strategy, so the next update does the same.
 */
async function inBlock(
  kind: 'lines' | 'block',
  f: RenderedFile,
  base: string | undefined,
  ours: DiskFile,
  common: Pick<FileOutcome, 'id' | 'path' | 'from' | 'before' | 'mode' | 'templateChanged'>,
  input: ReconcileInput,
): Promise<FileOutcome> {
  const file = f.path;
  const body = (template: string): string[] => {
    if (kind === 'block') return toLf(template).replace(/\n$/, '').split('\n');
    const missing = missingLines(ours.content, template, f.part, file, contextNeeds(f, input.render));
    return missing.length > 0 ? [LINE_SET_HEADER, ...missing] : [];
  };
  // An entry of the block that the user's own lines now have too is no edit: add drops it as well.
  const outside = kind === 'lines' ? new Set(withoutBlock(ours.content, f.part, file).split(/\r?\n/).map((l) => l.trim())) : new Set<string>();
  const current = (readBlock(ours.content, f.part, file) ?? []).filter((l) => l.trim() === '' || l.trimStart().startsWith('#') || !outside.has(l.trim()));
  // Without its base copy the block is taken as add wrote it: the tool's to rewrite, as add does.
  const [was, next] = [base === undefined ? current : kind === 'lines' ? withoutSectionsBefore(body(base), current) : body(base), body(f.content)];
  const text = (lines: string[]) => lines.map((l) => `${l}\n`).join('');
  const merged = mergeText(text(was), text(current), text(next), input.labels);
  const put = (lines: string) => withBlock(ours.content, f.part, file, lines === '' ? null : lines.replace(/\n$/, '').split('\n'));
  const after = put(merged.text);
  const record = { managed: { ...f, strategy: (kind as string) as RenderedFile['strategy'] } };
  const { mode, ...rest } = common;
  const writing = { ...rest, after, mode: mode ?? ours.mode, record };
  if (merged.conflicts > 0) {
    const stages = { base: put(text(was)), ours: ours.content, theirs: put(text(next)) };
    return { ...writing, action: 'conflict', stages, note: `${merged.conflicts} conflicting region(s) in the create-secure-service:${f.part} block` };
  }
  if (after === ours.content) return mode === ours.mode ? { ...rest, action: 'same', record } : { ...writing, action: 'update' };
  return checked({ ...writing, action: current.join('\n') === was.join('\n') ? 'update' : 'merge' }, ours, input);
}

/**
 * The block as the version that wrote it would have: the sections add works out from the user's
 * lines and the Dockerfile (the `!` lines a catch-all `.dockerignore` needs, and the lines it
 * repeats after them) came with later versions, so a block without a section's header never had
 * it. Counted in the base, the section would look deleted by the user, and a block written before
 * it would never get the `!` lines the Dockerfile's COPY needs.
 */
function withoutSectionsBefore(lines: string[], current: readonly string[]): string[] {
  const absent = [LET_IN_HEADER, REPEAT_HEADER].filter((h) => !current.includes(h));
  if (absent.length === 0) return lines;
  const out: string[] = [];
  let skipping = false;
  for (const line of lines) {
    if (line === LET_IN_HEADER || line === REPEAT_HEADER) skipping = absent.includes(line);
    else if (line === '' || (line.startsWith('#') && line !== LINE_SET_HEADER)) skipping = false;
    if (!skipping) out.push(line);
  }
  // The blank line that followed a dropped first section, or the header left alone, is not what add writes.
  if (out[0] === LINE_SET_HEADER && out[1] === '') out.splice(1, 1);
  return out.length === 1 && out[0] === LINE_SET_HEADER ? [] : out;
}

/**
 * A file about to be written must still parse. A merge that breaks the format is not written and
 * keeps its old record, so the next update tries again; if the user's file did not parse before
 * either, the merge made nothing worse and is written with a note.
 */
async function checked(outcome: FileOutcome, ours: DiskFile | null, input: ReconcileInput, keepOld?: FileOutcome['record']): Promise<FileOutcome> {
  if (outcome.after === undefined) return outcome;
  const problem = await input.check(outcome.path, outcome.after);
  if (problem === null) return outcome;
  if (outcome.action === 'merge') {
    const before = ours && (await input.check(outcome.path, ours.content));
    if (before) return { ...outcome, note: `the merge is ${problem}, as your file already was (${before})` };
    const { after: _after, from: _from, mode: _mode, ...rest } = outcome;
    return { ...rest, path: outcome.from ?? outcome.path, action: 'invalid', note: `merging your edits with the new template gives a file that is ${problem}; not written. Make the template's change by hand (update --dry-run shows it), then run update again`, record: keepOld ?? null };
  }
  throw new Error(`the new template output for ${outcome.path} is ${problem}`);
}

async function added(f: RenderedFile, input: ReconcileInput, occupied: (path: string) => Promise<DiskFile | null>): Promise<FileOutcome> {
  const common = { id: f.id, path: f.path, templateChanged: true };
  const link = await input.link(f.path);
  if (link) return { ...common, action: 'blocked', link, note: linkNote(link, 'the new templates add this file'), record: null };
  const existing = await occupied(f.path);
  if (!existing) return checked({ ...common, action: 'create', after: f.content, mode: f.mode, record: { managed: f } }, null, input);
  if (sameText(existing.content, f.content)) return { ...common, action: 'same', note: 'new output, already there', before: existing.content, record: { managed: f } };
  if (f.strategy === 'seed') return { ...common, action: 'kept', note: 'a file of yours is already there (app files are yours)', before: existing.content, record: { managed: f } };
  return { ...common, action: 'blocked', note: 'a new output, but a file the tool did not write is there; move it away and run update again to get it', before: existing.content, record: null };
}

async function orphan(e: ManifestFile, base: string | undefined, input: ReconcileInput): Promise<FileOutcome> {
  const common = { id: e.id, path: e.path, templateChanged: true };
  const link = await input.link(e.path);
  // Whether it is still as generated would take reading through the link: kept, as an edited one is.
  if (link) return { ...common, action: 'unmanage', link, note: `no longer generated; ${link} is a symbolic link, so it is kept (never read or deleted through a link) and no longer managed`, record: { unmanaged: { id: e.id, path: e.path } } };
  const ours = await input.read(e.path);
  // Nothing on disk to remove: only the manifest changes, as for a deletion found now.
  if (!ours) return { ...common, action: 'remove', note: 'no longer generated, and already gone: only its entry leaves the manifest', templateChanged: false, records: 'forgotten', record: null };
  const unmanaged = { unmanaged: { id: e.id, path: e.path } };
  if (e.strategy === 'seed') return { ...common, action: 'unmanage', note: 'no longer generated; an app file, so it is yours and kept', before: ours.content, record: unmanaged };
  const untouched = base !== undefined ? sameText(ours.content, base) : sha256(ours.content) === e.sha256;
  if (untouched) return { ...common, action: 'remove', note: 'no longer generated', before: ours.content, record: null };
  return { ...common, action: 'unmanage', note: 'no longer generated; you edited it, so it is kept and no longer managed', before: ours.content, record: unmanaged };
}

function assemble(outcomes: FileOutcome[], manifest: Manifest): Reconciled {
  const managed: RenderedFile[] = [];
  const deleted: ManifestEntry[] = [];
  const fresh: ManifestEntry[] = [];
  for (const o of outcomes) {
    if (!o.record) continue;
    if ('managed' in o.record) managed.push(o.record.managed);
    else if ('deleted' in o.record) deleted.push(o.record.deleted);
    else fresh.push(o.record.unmanaged);
  }
  const claimed = new Set([...managed.map((f) => f.path), ...fresh.map((e) => e.path)]);
  const unmanaged = [...(manifest.unmanaged ?? []).filter((e) => !claimed.has(e.path)), ...fresh];
  return { outcomes, managed, deleted, unmanaged };
}
