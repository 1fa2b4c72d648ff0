/**
 * The manifest records what was generated, so later runs (update, add, check) know which files
 * are ours and what we last wrote: generator version, answers (never secret values), and for each
 * file a stable ID, path, mode and hash. `.secure-service/base/<id>` holds the exact bytes.
 */
import { createHash } from 'node:crypto';
import { UserError } from './errors.js';
import { parseJsonObject } from './json-file.js';
import type { PartId } from './parts/part.js';
import type { Answers } from './questions.js';
import { languages } from './languages.js';
import type { Facts, FileTree, RenderedFile } from './render/index.js';

export const STATE_DIR = '.secure-service';
export const MANIFEST_PATH = `${STATE_DIR}/manifest.json`;
export const BASE_DIR = `${STATE_DIR}/base`;

export interface ManifestFile {
  id: string;
  path: string;
  part: string;
  mode: string;
  strategy: string;
  sha256: string;
}

/** The manifest's own format version; manifests written before it existed have none (= 1). */
export const MANIFEST_SCHEMA = 1;

/** An output the manifest remembers without managing it (see `deleted` and `unmanaged`). */
export interface ManifestEntry {
  id: string;
  path: string;
}

export interface Manifest {
  generator: 'create-secure-service';
  schema?: number;
  version: string;
  answers: Answers;
  /** What rendering read from the machine (public: signer e-mail, SSH public key), so `update` renders the same. */
  facts?: Facts;
  files: ManifestFile[];
  /** Outputs the user deleted: `update` leaves them deleted. */
  deleted?: ManifestEntry[];
  /** Files whose output a newer version dropped but the user had edited: kept, no longer ours. */
  unmanaged?: ManifestEntry[];
}

/** What a run knows besides the tree: recorded facts, and outputs remembered but not managed. */
export interface ManifestExtras {
  facts?: Facts;
  deleted?: ManifestEntry[];
  unmanaged?: ManifestEntry[];
}

export function sha256(content: string | Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

/**
 * A base copy's text when it is what the manifest recorded (`hash`), read as it is or, checked out
 * by git with CRLF, as the same text with LF; undefined when it is neither (edited by hand, a bad
 * merge of the folder), so the wrong changes are never merged in.
 */
export function asRecorded(content: string, hash: string): string | undefined {
  if (sha256(content) === hash) return content;
  const lf = content.replace(/\r\n/g, '\n');
  return sha256(lf) === hash ? lf : undefined;
}

/** A file name for an output ID that is safe on every file system and unique per ID. */
export function baseFileName(id: string): string {
  return id.replace(/[^A-Za-z0-9._-]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** Where an output's base copy (what was last generated, for three-way merges) is kept in the project. */
export function baseCopyPath(id: string): string {
  return `${BASE_DIR}/${baseFileName(id)}`;
}

export function buildManifest(tree: FileTree, answers: Answers, version: string, extras: ManifestExtras = {}): Manifest {
  const files = [...tree.values()].map((f) => ({
    id: f.id,
    path: f.path,
    part: f.part,
    mode: f.mode.toString(8).padStart(4, '0'),
    strategy: f.strategy,
    sha256: sha256(f.content),
  }));
  return {
    generator: 'create-secure-service',
    schema: MANIFEST_SCHEMA,
    version,
    answers,
    ...(extras.facts ? { facts: extras.facts } : {}),
    files,
    ...(extras.deleted?.length ? { deleted: extras.deleted } : {}),
    ...(extras.unmanaged?.length ? { unmanaged: extras.unmanaged } : {}),
  };
}

/**
 * What the manifest recorded for each of these outputs, by ID: its entry under "files", or that the
 * user deleted it. An output whose ID changed (renamedFrom: the health probe, a seed file of the app
 * part in earlier versions) has the record at an earlier path of an ID no output has now. One
 * function for update, create and add, so a file deleted (or moved) under its old ID stays so
 * whichever command runs next.
 */
export function earlierRecords(outputs: Iterable<RenderedFile>, manifest: Manifest | undefined): { files: Map<string, ManifestFile>; deleted: Set<string> } {
  const rendered = [...outputs];
  const files = new Map<string, ManifestFile>();
  const deleted = new Set<string>();
  if (!manifest) return { files, deleted };
  const ids = new Set(rendered.map((f) => f.id));
  const recorded = new Map(manifest.files.map((e) => [e.id, e]));
  const deletedBefore = new Set((manifest.deleted ?? []).map((e) => e.id));
  const earlier = (f: RenderedFile) => (e: ManifestEntry) => f.renamedFrom!.includes(e.path) && !ids.has(e.id);
  for (const f of rendered) {
    if (recorded.has(f.id)) files.set(f.id, recorded.get(f.id)!);
    else if (deletedBefore.has(f.id)) deleted.add(f.id);
    else if (f.renamedFrom?.length) {
      const old = manifest.files.find(earlier(f));
      if (old) files.set(f.id, old);
      else if ((manifest.deleted ?? []).some(earlier(f))) deleted.add(f.id);
    }
  }
  return { files, deleted };
}

/**
 * What an earlier manifest decided that a new run over the same project keeps, as `update` does:
 * outputs the user deleted stay deleted (left out of the tree, still recorded), and files a newer
 * version stopped generating stay recorded as the user's unless an output takes their path again.
 */
export function keepDecisions(tree: FileTree, previous: Manifest | undefined): { tree: FileTree; extras: Pick<ManifestExtras, 'deleted' | 'unmanaged'> } {
  const deletedIds = earlierRecords(tree.values(), previous).deleted;
  const kept: FileTree = new Map([...tree].filter(([, f]) => !deletedIds.has(f.id)));
  const paths = new Set([...kept.values()].map((f) => f.path));
  return {
    tree: kept,
    extras: {
      deleted: [...tree.values()].filter((f) => deletedIds.has(f.id)).map((f) => ({ id: f.id, path: f.path })),
      unmanaged: (previous?.unmanaged ?? []).filter((e) => !paths.has(e.path)),
    },
  };
}

/**
 * The base copies of the entries `previous` had under "files" that the manifest in `state` (what a
 * run writes) no longer has: deleted by the user, or taken over by an output's new ID. They go with
 * their record, as update removes every base copy no entry needs.
 */
export function droppedBaseCopies(previous: Manifest | undefined, state: FileTree): string[] {
  const written = state.get(MANIFEST_PATH);
  if (!previous || !written) return [];
  const kept = new Set((JSON.parse(written.content) as Manifest).files.map((f) => f.id));
  return previous.files.filter((e) => !kept.has(e.id)).map((e) => baseCopyPath(e.id));
}

/** A manifest entry as a file record, for an output whose record stays as it was (`base`: what was last generated). */
export function recordOf(entry: ManifestFile, base: string, path = entry.path): RenderedFile {
  return { id: entry.id, part: entry.part as PartId, path, content: base, mode: parseInt(entry.mode, 8), strategy: entry.strategy as RenderedFile['strategy'] };
}

/** The rendered tree plus the manifest and one base copy per file: what a run writes. */
export function withManifest(tree: FileTree, answers: Answers, version: string, extras: ManifestExtras = {}): FileTree {
  const out: FileTree = new Map(tree);
  const manifest = buildManifest(tree, answers, version, extras);
  const tool = (id: string, path: string, content: string): RenderedFile => ({ id, part: 'project', path, content, mode: 0o644, strategy: 'owned' });
  for (const f of tree.values()) {
    const path = baseCopyPath(f.id);
    out.set(path, tool(`base:${f.id}`, path, f.content));
  }
  out.set(MANIFEST_PATH, tool('manifest', MANIFEST_PATH, `${JSON.stringify(manifest, null, 2)}\n`));
  return out;
}

/** Paths the tool owns outright: rewriting them never needs the user's consent. */
export function isToolState(path: string): boolean {
  return path === MANIFEST_PATH || path.startsWith(`${BASE_DIR}/`);
}

/**
 * Read a manifest the tool wrote earlier, checking its shape: later runs trust its paths and hashes.
 * Answers are only checked to be an object here; callers validate them against the questions.
 */
export function parseManifest(text: string, label: string): Manifest {
  return checkManifest(parseJsonObject(text, label, 'manifest'), label);
}

/** The shape checks of parseManifest, for a manifest already read as a JSON object (json-file.ts jsonObjectOf, as every command reads one). */
export function checkManifest(value: Record<string, unknown>, label: string): Manifest {
  const bad = (what: string): never => {
    throw new UserError(`${label}: ${what}; restore it from version control (git checkout -- ${MANIFEST_PATH})`);
  };
  if (value.generator !== 'create-secure-service') bad('not a create-secure-service manifest ("generator" is missing or different)');
  const schema = value.schema ?? 1;
  if (!Number.isInteger(schema) || (schema as number) < 1) bad('"schema" must be a positive integer');
  if ((schema as number) > MANIFEST_SCHEMA) {
    throw new UserError(`${label}: written by a newer create-secure-service (manifest schema ${String(schema)}, this one reads ${MANIFEST_SCHEMA}); upgrade it (npx create-secure-service@latest)`);
  }
  const isString = (v: unknown): v is string => typeof v === 'string';
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isString(value.version)) bad('"version" is missing');
  if (!isObject(value.answers)) bad('"answers" must be an object');
  const entries = (key: string, fields: readonly string[]): void => {
    const list = value[key];
    if (list === undefined && key !== 'files') return;
    if (!Array.isArray(list) || !list.every((e) => isObject(e) && fields.every((f) => isString(e[f])))) {
      bad(`"${key}" must be a list of {${fields.join(', ')}}`);
    }
  };
  entries('files', ['id', 'path', 'part', 'mode', 'strategy', 'sha256']);
  entries('deleted', ['id', 'path']);
  entries('unmanaged', ['id', 'path']);
  // Later runs read, move and delete these paths: each must stay inside the project.
  for (const key of ['files', 'deleted', 'unmanaged']) {
    for (const e of (value[key] ?? []) as ManifestEntry[]) {
      if (!isPlainRelativePath(e.path) || isToolState(e.path)) bad(`"${key}" lists ${JSON.stringify(e.path)}, which is not a plain relative path inside the project`);
      if (inGitFolder(e.path)) bad(`"${key}" lists ${JSON.stringify(e.path)}, a path in git's own folder, where the tool never writes`);
    }
  }
  for (const f of value.files as ManifestFile[]) {
    if (!/^0[0-7]{3}$/.test(f.mode) || !/^[0-9a-f]{64}$/.test(f.sha256)) bad(`the entry for ${f.path} has a malformed mode or sha256`);
  }
  const repaired = withoutEarlierProbeRecords(value);
  const twice = duplicateEntry(repaired);
  if (twice) throw new UserError(`${label}: ${twice}; ${DUPLICATE_FIX} (git checkout -- ${MANIFEST_PATH})`);
  if (repaired.facts !== undefined && !isFacts(repaired.facts)) bad(FACTS_SHAPE);
  return repaired as unknown as Manifest;
}

/**
 * The health probe's path recorded under its earlier IDs beside its current one, as `add` wrote
 * it before it took over an earlier record (bb8da80): the probe was a seed file of the app part
 * (`app:<path>`), then the docker part's `probe`, now `probe:<language>` (renamedFrom). Each
 * record names one file, at one path, that only this tool wrote, and every command already reads
 * the newest as that file's record and drops the others (earlierRecords, add's recordState), so
 * the others are left out rather than refused. Any other pair at one path is still a duplicate.
 */
export function withoutEarlierProbeRecords(value: Record<string, unknown>): Record<string, unknown> {
  const earlier = new Set<unknown>(earlierProbeRecords(value));
  if (earlier.size === 0) return value;
  const keys = ['files', 'deleted'].filter((k) => Array.isArray(value[k]));
  return { ...value, ...Object.fromEntries(keys.map((k) => [k, (value[k] as unknown[]).filter((e) => !earlier.has(e))])) };
}

/** The records withoutEarlierProbeRecords leaves out (the entries themselves, in manifest order), so a command can say what it repaired. */
export function earlierProbeRecords(value: Record<string, unknown>): ManifestEntry[] {
  const keys = ['files', 'deleted'].filter((k) => Array.isArray(value[k]));
  const entries = keys.flatMap((k) => value[k] as (ManifestEntry & { part?: string })[]);
  const generation = (e: ManifestEntry & { part?: string }): number | undefined => {
    const part = (p: string) => e.part === undefined || e.part === p;
    if (e.id === `app:${e.path}` && part('app')) return 0;
    if (e.id === 'probe' && part('docker')) return 1;
    const language = /^probe:(.+)$/.exec(e.id)?.[1];
    return language !== undefined && languages.some((l) => l.id === language && l.probeScript === e.path) && part('docker') ? 2 : undefined;
  };
  const earlier = new Set<ManifestEntry>();
  for (const path of new Set(languages.flatMap((l) => (l.probeScript ? [l.probeScript] : [])))) {
    const at = entries.filter((e) => e.path === path);
    const generations = at.map(generation);
    // Only when each record is one of the probe's, each of another generation.
    if (at.length < 2 || generations.some((g) => g === undefined) || new Set(generations).size !== at.length) continue;
    const newest = Math.max(...(generations as number[]));
    at.forEach((e, i) => generations[i] !== newest && earlier.add(e));
  }
  return entries.filter((e) => earlier.has(e));
}

/** A file recorded twice that a command repairs (withoutEarlierProbeRecords): its path, the earlier IDs left out, and the ID kept. */
export interface RepairedRecord {
  path: string;
  earlier: string[];
  kept: string;
}

/** The repairs of a manifest as read (`value`, before withoutEarlierProbeRecords) into `manifest` (after). */
export function repairsOf(value: Record<string, unknown>, manifest: Manifest): RepairedRecord[] {
  const left = earlierProbeRecords(value);
  const kept = new Map([...manifest.files, ...(manifest.deleted ?? [])].map((e) => [e.path, e.id]));
  return [...new Set(left.map((e) => e.path))].map((path) => ({ path, earlier: left.filter((e) => e.path === path).map((e) => e.id), kept: kept.get(path)! }));
}

/** One line for a repair of the manifest at `label`: made (apply), to be made (dry-run), or what update will make (check). */
export function repairLine({ path, earlier, kept }: RepairedRecord, label: string, mode: 'apply' | 'dry-run' | 'check'): string {
  const twice = `${path} also under the health probe's earlier ID ${earlier.map((id) => JSON.stringify(id)).join(' and ')} (as add wrote it before it took over such records)`;
  const record = `its record as ${JSON.stringify(kept)}`;
  return {
    apply: `repaired ${label}: it recorded ${twice}; only ${record} is kept`,
    'dry-run': `would repair ${label}: it records ${twice}; only ${record} would be kept`,
    check: `${label} records ${twice}: update repairs it, keeping only ${record}`,
  }[mode];
}

/**
 * One output or one file recorded twice (a bad merge of the manifest, an edit): every command
 * would act on one of the records and silently drop or undo the other (a file left unmanaged, its
 * base copy deleted, a file on disk said to be deleted), so none guesses. Undefined when each ID
 * and each path is recorded once, under "files" or "deleted".
 *
 * Names that differ only in letter case (or Unicode form) count as one: on a case-insensitive
 * file system (macOS, Windows) `Dockerfile` and `dockerfile` are one file, so the second record
 * could remove or move the file the first manages (and two such IDs share one base copy). The tool
 * never writes two such names, and a manifest is committed and read on every system, so they are
 * refused on all of them alike, as inGitFolder refuses `.GIT`.
 */
export function duplicateEntry(value: Record<string, unknown>): string | undefined {
  const seen = new Map<string, { key: string; entry: ManifestEntry }>();
  const oneFile = (name: string) => name.normalize('NFC').toLowerCase();
  for (const key of ['files', 'deleted']) {
    const list = value[key];
    if (!Array.isArray(list)) continue;
    for (const entry of list as ManifestEntry[]) {
      if (typeof entry !== 'object' || entry === null || typeof entry.id !== 'string' || typeof entry.path !== 'string') continue;
      for (const kind of ['id', 'path'] as const) {
        const earlier = seen.get(`${kind}:${oneFile(entry[kind])}`);
        if (!earlier) {
          seen.set(`${kind}:${oneFile(entry[kind])}`, { key, entry });
          continue;
        }
        const other = kind === 'id' ? 'path' : 'id';
        const [a, b] = [earlier.entry[other], entry[other]].map((s) => JSON.stringify(s));
        if (earlier.entry[kind] !== entry[kind]) {
          const list = earlier.key === key ? `"${key}" lists` : `"${earlier.key}" and "${key}" list`;
          const names = `${JSON.stringify(earlier.entry[kind])} and ${JSON.stringify(entry[kind])}`;
          return kind === 'path'
            ? `${list} ${names}, one file on a case-insensitive file system (as the outputs ${a} and ${b})`
            : `${list} the outputs ${names}, whose base copies are one file on a case-insensitive file system (at ${a} and at ${b})`;
        }
        const both = earlier.key === key ? [`"${key}" lists`, ' twice'] : [`"${earlier.key}" and "${key}" both list`, ''];
        const where = kind === 'id' ? (a === b ? ` at ${a}${both[1]}` : `${both[1]} (at ${a} and at ${b})`) : a === b ? ` as the output ${a}${both[1]}` : `${both[1]} (as the outputs ${a} and ${b})`;
        return `${both[0]} ${kind === 'id' ? 'the output ' : ''}${JSON.stringify(entry[kind])}${where}`;
      }
    }
  }
  return undefined;
}

/** What to do about a duplicateEntry, for the manifest at `label`. */
export const DUPLICATE_FIX = 'remove one of the two entries, or restore the manifest from version control';

export const FACTS_SHAPE = '"facts" must be {signerEmail, signerPublicKey, otherLanguages?}';

/** Recorded facts of the shape rendering reads: edited into another, they would render a broken .allowed_signers. */
export function isFacts(facts: unknown): facts is Facts {
  const isString = (v: unknown): v is string => typeof v === 'string';
  if (typeof facts !== 'object' || facts === null || Array.isArray(facts)) return false;
  const f = facts as Record<string, unknown>;
  return isString(f.signerEmail) && (f.signerPublicKey === null || isString(f.signerPublicKey)) && (f.otherLanguages === undefined || (Array.isArray(f.otherLanguages) && f.otherLanguages.every((l) => isString(l) && languages.some((k) => k.id === l))));
}

/**
 * No output is ever in a .git folder: a manifest naming one (edited, or from someone else's
 * commit) would have update delete git's own files (HEAD, whose content anyone can guess) as
 * outputs no longer generated. In any letter case, as git refuses .GIT on case-insensitive disks.
 */
export function inGitFolder(path: string): boolean {
  return path.split('/').some((s) => s.toLowerCase() === '.git');
}

/** A relative POSIX path with no `.`, `..` or empty segments (what every output path is). */
export function isPlainRelativePath(path: string): boolean {
  return path !== '' && !path.startsWith('/') && !path.includes('\\') && !path.includes('\0') && path.split('/').every((s) => s !== '' && s !== '.' && s !== '..');
}

/**
 * Templates older than the ones that last wrote a project would undo its upgrades, and record the
 * older version as if it had made them: every command that reads a manifest to write refuses one
 * from a newer version of this tool.
 */
export function refuseNewerManifest(recorded: unknown, installed: string, label: string, command: string): void {
  if (typeof recorded === 'string' && compareVersions(installed, recorded) < 0) {
    throw new UserError(`${label} was written by create-secure-service ${recorded}, newer than this ${installed}; run the newer one (npx create-secure-service@latest${command ? ` ${command}` : ''})`);
  }
}

/** Semantic-version order (a pre-release sorts before its release); unparsable versions compare equal. */
export function compareVersions(a: string, b: string): number {
  const parse = (v: string) => /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?/.exec(v);
  const [x, y] = [parse(a), parse(b)];
  if (!x || !y) return 0;
  for (let i = 1; i <= 3; i++) if (Number(x[i]) !== Number(y[i])) return Number(x[i]) - Number(y[i]);
  if (x[4] === y[4]) return 0;
  if (x[4] === undefined) return 1;
  if (y[4] === undefined) return -1;
  const [p, q] = [x[4].split('.'), y[4].split('.')];
  for (let i = 0; i < Math.max(p.length, q.length); i++) {
    if (p[i] === undefined) return -1;
    if (q[i] === undefined) return 1;
    const [m, n] = [Number(p[i]), Number(q[i])];
    // Other identifiers in ASCII order, as semver asks (never localeCompare: see compare.ts).
    const c = Number.isInteger(m) && Number.isInteger(n) ? m - n : p[i]! < q[i]! ? -1 : p[i]! > q[i]! ? 1 : 0;
    if (c !== 0) return c;
  }
  return 0;
}
