/**
 * `update` without the terminal: read the project's state, work out the answers, re-render with
 * the given templates, reconcile every file, validate, and (unless checking or dry-running) write
 * it all in one rolled-back-on-failure step, then mark conflicts in git's index. The CLI passes
 * the installed templates and version; tests pass a modified template set to simulate upgrades.
 */
import { posix } from 'node:path';
import { isSupportFile, selectParts } from '../add/selection.js';
import type { Disk } from '../disk.js';
import { getLanguage, packageManagerOf, yarnOf, type PackageManager } from '../languages.js';
import { UserError } from '../errors.js';
import { recordedFacts } from '../facts.js';
import { BASE_DIR, isToolState, MANIFEST_PATH, refuseNewerManifest, sha256, withManifest, type Manifest, type RepairedRecord } from '../manifest.js';
import { parts as allParts } from '../parts/index.js';
import type { OutputFile, Part, PartId } from '../parts/part.js';
import { checkContained, linkOnPath, type Plan, type PlannedFile } from '../plan.js';
import type { Answers } from '../questions.js';
import { serviceSecretFile } from '../render/context.js';
import { renderProject, type Facts, type FileTree, type RenderedFile } from '../render/index.js';
import type { TemplateSet } from '../render/templates.js';
import { updateAnswers, type AnswerChanges, type UpdatedAnswers } from './answers.js';
import { hasConflictMarkers } from './merge.js';
import { findMovedCopies } from '../moved.js';
import { reconcile, type FileOutcome } from './reconcile.js';
import { readProjectFile, readProjectState } from './state.js';
import { syntaxError } from './syntax.js';
import { printable } from '../ui.js';

export interface UpdateInput {
  root: string;
  disk: Disk;
  templates: TemplateSet;
  generatorVersion: string;
  /** The parts to render (all by default); tests add or change outputs here. */
  parts?: readonly Part[];
  changes?: AnswerChanges;
  /** Facts to render with: the recorded ones, unless answers they depend on changed (or none were recorded). */
  facts(answers: Answers, recorded: Facts | undefined): Promise<Facts>;
  /** apply writes; dry-run and check only report. */
  mode: 'apply' | 'dry-run' | 'check';
  /** Record conflicted files as unmerged in git's index (when the project is in a repository). */
  git?: boolean;
  /** The project's folder inside its repository (RenderContext.folder); '' by default. */
  folder?: string;
}

export interface UpdateReport {
  root: string;
  from: string;
  to: string;
  answers: UpdatedAnswers;
  /** Every output's outcome, tool state (manifest, base copies) excluded. */
  outcomes: FileOutcome[];
  /** The project differs from what the installed templates and these answers give. */
  behind: boolean;
  /**
   * Running update would bring some of that difference in. False when all that is behind is a
   * file update cannot write (a file of the user's in the way, a merge that would not parse):
   * that takes the user's hand first, so --check says what to do instead of "run update".
   */
  pending: boolean;
  /** Managed files that still hold conflict markers from an earlier update after this one (left as they are, or merged with the markers carried along). */
  leftoverMarkers: string[];
  /** Something would be or was written (files, moves, removals or the manifest). */
  changes: boolean;
  written: boolean;
  /** One line about git's index, when conflicts were written. */
  gitNote?: string;
  /** What the Dockerfile relies on that the project no longer has (another manager's lockfile, a removed build script). */
  dockerfileNotes: string[];
  /** The parts whose outputs the project has after the update (deleted ones left out). */
  parts: PartId[];
  /** Password files (secrets/<service>_password) of backing services these answers drop, still there: reported, never deleted. */
  droppedSecrets: string[];
  /** The app's env file (secrets/<name>.env, the user's) when it lacks a secret these answers add: its path and those names. */
  missingSecrets?: { path: string; names: string[] };
  /** Files not saved as UTF-8 that update would write into, each with its first such byte: the writer refuses them. */
  notUtf8: string[];
  /**
   * Files the manifest recorded twice, under an earlier ID of the health probe beside its newest
   * (as add wrote it before it took over earlier records): read as the newest record alone, and
   * written so. Said, since the manifest changes though no file does.
   */
  repaired: RepairedRecord[];
}

/**
 * The outputs this project takes. One `create` made (it has the seed app) takes every part, new
 * ones included. One `add` set up takes what was added: the parts it has, and of the project part
 * only the files those parts bring along (add/selection.ts), unless the project part was added
 * whole (a project file no other part brings, such as SECURITY.md, is recorded). So `update`
 * never brings a seed app into an existing application, nor a part nobody asked for.
 */
function outputsInUse(render: FileTree, manifest: Manifest): FileTree {
  const deleted = new Set((manifest.deleted ?? []).map((e) => e.id));
  const recorded = [...manifest.files, ...[...render.values()].filter((f) => deleted.has(f.id))];
  const parts = new Set(recorded.map((f) => f.part));
  if (parts.has('app')) return render;
  const wholeProject = recorded.some((f) => f.part === 'project' && !isSupportFile(f.id));
  const words = [...parts].filter((p) => p !== 'project').concat(wholeProject ? ['project'] : []);
  const ids = new Set(recorded.map((f) => f.id));
  const selection = words.length > 0 ? selectParts(words) : { includes: (f: RenderedFile) => ids.has(f.id) };
  return new Map([...render].filter(([, f]) => selection.includes(f)));
}

/**
 * What the answers make the Dockerfile rely on that the project has since changed, with the flag
 * that fixes it: a move to another package manager (or an `add` older than the packageManager
 * answer, which then defaults to the seed's), and a build script package.json no longer has.
 */
async function dockerfileNotes(root: string, a: Answers, disk: Disk): Promise<string[]> {
  const notes: string[] = [];
  const language = getLanguage(a.language);
  const managers = language.packageManagers ?? [];
  const chosen = packageManagerOf(language, a.packageManager);
  const here = async (file: string) => (await disk.lstat(posix.join(root, file)))?.kind === 'file';
  let pkg: { scripts?: unknown; packageManager?: unknown } | undefined;
  if (a.language === 'node' && (await here('package.json'))) {
    try {
      pkg = JSON.parse((await disk.readFile(posix.join(root, 'package.json'))).toString('utf8')) as typeof pkg;
    } catch {
      pkg = undefined; // a broken package.json is the build's to report
    }
  }
  // yarn.lock is Yarn 1's or Yarn 2+'s: it stands for the Yarn that reads it.
  const yarn = managers.some((m) => m.lockfile === 'yarn.lock') && (await here('yarn.lock')) ? yarnOf((await disk.readFile(posix.join(root, 'yarn.lock'))).toString('utf8'), pkg?.packageManager) : undefined;
  const has = async (m: PackageManager) => (await here(m.lockfile)) && (m.lockfile !== 'yarn.lock' || m.id === yarn);
  if (chosen && !(await has(chosen))) {
    const present: PackageManager[] = [];
    for (const m of managers) if (m !== chosen && (await has(m))) present.push(m);
    const other = present[0];
    if (present.length === 1 && other!.lockfile === chosen.lockfile) notes.push(`the Dockerfile installs with ${chosen.id} (${chosen.label}), but this project's ${chosen.lockfile} is ${other!.label}'s: pass --package-manager ${other!.id} to install with it`);
    else if (present.length === 1) notes.push(`the Dockerfile installs with ${chosen.id}, but this project has ${other!.lockfile}, not ${chosen.lockfile}: pass --package-manager ${other!.id} to install with it`);
  }
  if (a.buildScript && pkg) {
    const scripts = pkg.scripts;
    if (scripts && typeof scripts === 'object' && !(a.buildScript in scripts)) {
      notes.push(`the Dockerfile's build stage runs the package.json script "${a.buildScript}", which package.json no longer has: pass --build-script with the one that builds ${a.start.split(/\s+/).at(-1)}, or --build-script "" with a start command that needs no build`);
    }
  }
  return notes;
}

export async function runUpdate(input: UpdateInput): Promise<UpdateReport> {
  const { root, disk } = input;
  const { manifest, bases, repaired } = await readProjectState(root, disk);
  refuseNewerManifest(manifest.version, input.generatorVersion, MANIFEST_PATH, 'update');

  const answers = await updateAnswers(manifest.answers as unknown as Record<string, unknown>, input.changes ?? {});
  const signer = await input.facts(answers.answers, recordedFacts(manifest.facts, bases.get('allowed-signers'), (key) => answers.changed.includes(key)));
  // The other languages add found are the project's, not the signer's: whoever signs, the
  // .dockerignore keeps their build output out (I02), as add rendered it.
  const other = manifest.facts?.otherLanguages;
  const facts = other ? { ...signer, otherLanguages: other } : signer;
  const recorded = await recordedOutputs(manifest, input.templates, input.parts);
  const renderWith = (present?: ReadonlySet<string>) =>
    withRecordedRenames(renderProject(answers.answers, input.templates, { facts, generatorVersion: input.generatorVersion, folder: input.folder ?? '', ...(input.parts ? { parts: input.parts } : {}), ...(present ? { present } : {}) }), recorded);
  if (manifest.version === input.generatorVersion) await restoreLostBases(manifest, bases, input.templates, facts, input.folder ?? '');
  const full = renderWith();
  let render = outputsInUse(full, manifest);
  // Templates name another generated file only when the project has it (`add nomad` alone has no
  // SECURITY.md): rendered again for a project with only some of the outputs, as add rendered it.
  const deletedIds = new Set((manifest.deleted ?? []).map((e) => e.id));
  const present = new Set([...render.values()].map((f) => f.id).filter((id) => !deletedIds.has(id)));
  if ([...full.values()].some((f) => !present.has(f.id))) render = outputsInUse(renderWith(present), manifest);
  // A file behind a symbolic link is reconciled on its own (never read or written through it).
  for (const path of render.keys()) if ((await linkOnPath(root, path, disk)) === null) await checkContained(root, path, disk);

  // Another output is never taken for a moved one (compose overrides look much alike).
  const outputPaths = new Set([...render.keys(), ...manifest.files.map((e) => e.path)]);
  const notUtf8Bytes = new Map<string, number>();
  const read = async (path: string) => {
    const file = await readProjectFile(root, path, disk);
    if (file?.notUtf8 !== undefined) notUtf8Bytes.set(path, file.notUtf8);
    return file;
  };
  const recordedPaths = new Map(recorded.map((o) => [o.id, o.path]));
  const reconcileWith = (render: FileTree) =>
    reconcile({
      manifest,
      bases,
      render,
      read,
      link: (path) => linkOnPath(root, path, disk),
      check: syntaxError,
      movedCopies: (path, generated) => findMovedCopies(root, path, generated, disk, { exclude: outputPaths }),
      recordedPaths,
      labels: { ours: 'yours', base: `generated by create-secure-service ${manifest.version}`, theirs: `create-secure-service ${input.generatorVersion}` },
    });
  let reconciled = await reconcileWith(render);
  // A file deleted since the last update is found so only now: the others are rendered again as
  // for a project without it (the Dockerfile names SECURITY.md only when there is one), as the
  // next update would render them; otherwise this update leaves the project behind itself.
  const newlyDeleted = new Set(reconciled.outcomes.filter((o) => o.action === 'deleted' && !deletedIds.has(o.id)).map((o) => o.id));
  if (newlyDeleted.size > 0) {
    render = outputsInUse(renderWith(new Set([...present].filter((id) => !newlyDeleted.has(id)))), manifest);
    reconciled = await reconcileWith(render);
  }
  const { outcomes, managed, deleted, unmanaged } = reconciled;

  // The tool's own state: the new manifest and base copies, and base copies no longer needed.
  const tree: FileTree = new Map(managed.map((f) => [f.path, f]));
  const state = [...withManifest(tree, answers.answers, input.generatorVersion, { facts, deleted, unmanaged }).values()].filter((f) => isToolState(f.path));
  const stateWrites: PlannedFile[] = [];
  for (const file of state) {
    const current = await readProjectFile(root, file.path, disk);
    if (current?.content !== file.content) stateWrites.push({ file, status: current ? 'update' : 'create', ...(current ? { current: current.content } : {}) });
  }
  const keptBases = new Set(state.map((f) => f.path));
  const staleBases = (await baseCopies(root, disk)).filter((path) => !keptBases.has(path));

  const writes = outcomes.filter((o) => o.after !== undefined);
  const moves = orderMoves(outcomes.filter((o) => o.from !== undefined && o.action !== 'blocked' && o.action !== 'invalid').map((o) => ({ from: o.from!, to: o.path })));
  const removals = outcomes.filter((o) => o.action === 'remove' && o.before !== undefined).map((o) => o.path);
  const changes = writes.length + moves.length + removals.length + stateWrites.length + staleBases.length > 0;
  // A file still holding an earlier update's markers: left as it is, or merged again with the
  // markers carried along (a merge writes them back as they were: still unresolved).
  const leftoverMarkers = outcomes
    .filter((o) => o.record && 'managed' in o.record && o.record.managed.strategy !== 'seed' && o.before !== undefined && hasConflictMarkers(o.before))
    .filter((o) => o.after === undefined || (o.action !== 'conflict' && hasConflictMarkers(o.after)))
    .map((o) => o.path);
  const stuck = (o: FileOutcome) => o.action === 'blocked' || o.action === 'invalid';
  const pending = manifest.version !== input.generatorVersion || answers.changed.length > 0 || answers.added.length > 0 || outcomes.some((o) => o.templateChanged && !stuck(o));
  const behind = pending || outcomes.some((o) => o.templateChanged);
  const notes = render.has('Dockerfile') ? await dockerfileNotes(root, answers.answers, disk) : [];
  const parts = [...new Set(managed.map((f) => f.part))];
  const droppedSecrets = await droppedServiceSecrets(root, manifest.answers, answers.answers, disk);
  const missingSecrets = secretsNotInEnvFile(manifest.answers, answers.answers, outcomes);
  // What the writer refuses (write.ts: each byte it cannot read would become U+FFFD), known here
  // too, so --dry-run and --check say it as the update would.
  const notUtf8 = outcomes.filter((o) => o.after?.includes('\uFFFD') && notUtf8Bytes.has(o.from ?? o.path)).map((o) => `${o.from ?? o.path} (byte ${notUtf8Bytes.get(o.from ?? o.path)})`);
  const report: UpdateReport = { root, from: manifest.version, to: input.generatorVersion, answers, outcomes, behind, pending, leftoverMarkers, changes, written: false, dockerfileNotes: notes, parts, droppedSecrets, ...(missingSecrets ? { missingSecrets } : {}), notUtf8, repaired };
  // Nothing is ever written through a symbolic link: an update that would write a file behind one
  // refuses whole, before writing anything (--check and --dry-run name each such file and go on).
  const throughLinks = outcomes.filter((o) => o.action === 'blocked' && o.link !== undefined);
  if (input.mode === 'apply' && throughLinks.length > 0) {
    const files = throughLinks.map((o) => (o.link === o.path || o.link === o.from ? o.link : `${o.path} (behind ${o.link})`)).join(', ');
    throw new UserError(`update would write through a symbolic link, which it never does: ${printable(files)}; nothing was written. Replace each link with the file it points to (or move the file back), then run update again`);
  }
  if (input.mode !== 'apply' || !changes) return report;
  if (input.git !== false) {
    const { gitOperationInProgress } = await import('./git-index.js');
    const operation = await gitOperationInProgress(root, disk);
    if (operation) throw new UserError(`${operation}, then run update again; nothing was written (update would merge into files that operation is still resolving)`);
  }

  const plan: Plan = {
    root,
    files: [
      // A moved file is at its new path by the time it is rewritten.
      ...writes.map((o): PlannedFile => ({ file: asFile(o), status: o.before === undefined ? 'create' : 'update', ...(o.before !== undefined ? { current: o.before } : {}) })),
      ...stateWrites,
    ],
  };
  const { writePlan } = await import('../write.js');
  await writePlan(plan, disk, { moves, removals: [...removals, ...staleBases] });
  report.written = true;

  const conflicts = outcomes.filter((o) => o.action === 'conflict');
  if (conflicts.length > 0 && input.git !== false) {
    const { markUnmerged } = await import('./git-index.js');
    report.gitNote = await markUnmerged(root, conflicts.map((o) => ({ path: o.path, mode: o.mode ?? 0o644, ...o.stages! })));
  }
  return report;
}

/**
 * The base copies in .secure-service/base/, whatever the manifest says: one whose entry is gone
 * (removed by hand, or an output that went) is found by its folder, not by the entries. Only
 * plain files named as base copies are (never a hidden or temporary file, a folder or a link),
 * and nothing else in .secure-service/.
 */
async function baseCopies(root: string, disk: Disk): Promise<string[]> {
  await checkContained(root, BASE_DIR, disk);
  if ((await disk.lstat(posix.join(root, BASE_DIR)))?.kind !== 'dir') return [];
  const paths: string[] = [];
  for (const name of (await disk.readdir(posix.join(root, BASE_DIR))).sort()) {
    if (!/^[A-Za-z0-9_%-][A-Za-z0-9._%-]*$/.test(name)) continue;
    if ((await disk.lstat(posix.join(root, BASE_DIR, name)))?.kind === 'file') paths.push(`${BASE_DIR}/${name}`);
  }
  return paths;
}

/**
 * The password file of each backing service the recorded answers have and these do not (e.g.
 * --service postgres where redis was), when it is still there. Reported with the command that
 * deletes it, never deleted here: a secret is the user's, and deleting one silently is worse than
 * leaving it. Nor can the file be proved to be the tool's own, untouched: it is a random password
 * the manifest keeps no record of (no hash), the user may have set their own, and a data volume
 * initialised with it may still need it to be read.
 */
async function droppedServiceSecrets(root: string, recorded: Answers, next: Answers, disk: Disk): Promise<string[]> {
  const before: unknown = (recorded as { services?: unknown }).services;
  const paths: string[] = [];
  for (const service of Array.isArray(before) ? before : []) {
    const file = typeof service === 'string' && !next.services.includes(service as never) ? serviceSecretFile(service) : undefined;
    if (file && (await disk.lstat(posix.join(root, 'secrets', file))) !== null) paths.push(`secrets/${file}`);
  }
  return paths;
}

/**
 * Secrets these answers add that the app's env file does not define. Compose passes that file to
 * the app (env_file), and the file is the user's, with their values: update never rewrites it, so
 * a new secret would reach compose, Nomad and Vault but never the app run locally, unsaid.
 */
function secretsNotInEnvFile(recorded: Answers, next: Answers, outcomes: FileOutcome[]): { path: string; names: string[] } | undefined {
  const env = outcomes.find((o) => o.id === 'secrets-env' && o.before !== undefined);
  if (!env) return undefined;
  const before: unknown = (recorded as { secrets?: unknown }).secrets;
  const had = new Set(Array.isArray(before) ? before : []);
  // A name is an upper-case word (validated: A-Z, 0-9, _), so it is safe in a pattern.
  const defines = (name: string) => new RegExp(`^[ \\t]*(?:export[ \\t]+)?${name}[ \\t]*=`, 'm').test(env.before!);
  const names = next.secrets.filter((name) => !had.has(name) && !defines(name));
  return names.length > 0 ? { path: env.path, names } : undefined;
}

function asFile(o: FileOutcome): RenderedFile {
  const record = o.record && 'managed' in o.record ? o.record.managed : undefined;
  return { id: o.id, part: record?.part ?? 'project', path: o.path, content: o.after!, mode: o.mode ?? record?.mode ?? 0o644, strategy: record?.strategy ?? 'merge' };
}

/**
 * A base copy that is gone (deleted, or never committed by a teammate) made every difference in its
 * file a conflict. With the templates that wrote the project, it is the render of the recorded
 * answers: rendered again, each output whose bytes hash to what the manifest recorded for it is
 * its base exactly (those that do not, e.g. rendered for another set of outputs, stay missing).
 */
async function restoreLostBases(manifest: Manifest, bases: Map<string, string>, templates: TemplateSet, facts: Facts, folder: string): Promise<void> {
  const lost = manifest.files.filter((f) => !bases.has(f.id));
  if (lost.length === 0) return;
  let recorded: Answers;
  try {
    recorded = (await updateAnswers(manifest.answers as unknown as Record<string, unknown>, {})).answers;
  } catch {
    return; // answers this version no longer reads: nothing to render them with
  }
  const options = { facts: manifest.facts ?? facts, generatorVersion: manifest.version, folder };
  const contentById = (tree: FileTree) => new Map([...tree.values()].map((f) => [f.id, f.content]));
  // As create rendered it, else as add rendered it (naming only the outputs the project has);
  // the second render only when the first leaves a base unmatched.
  for (const render of [() => renderProject(recorded, templates, options), () => renderProject(recorded, templates, { ...options, present: new Set(manifest.files.map((f) => f.id)) })]) {
    const unmatched = lost.filter((f) => !bases.has(f.id));
    if (unmatched.length === 0) return;
    const rendered = contentById(render());
    for (const { id, sha256: hash } of unmatched) {
      const content = rendered.get(id);
      if (content !== undefined && sha256(content) === hash) bases.set(id, content);
    }
  }
}

/**
 * The outputs the recorded answers give with these templates and parts: where each output is for
 * this project (so a file at one is that output's, whatever the user made of it), and the earlier
 * paths it names. None when the recorded answers are no longer readable (no path is vouched for).
 */
async function recordedOutputs(manifest: Manifest, templates: TemplateSet, parts: readonly Part[] = allParts): Promise<OutputFile[]> {
  let recorded: Answers;
  try {
    recorded = (await updateAnswers(manifest.answers as unknown as Record<string, unknown>, { yes: true })).answers;
  } catch {
    return [];
  }
  return parts.flatMap((p) => p.outputs(recorded, templates));
}

/**
 * An output's earlier paths (renamedFrom) as the recorded answers give them, besides as the new
 * ones do: an output renamed in this version whose earlier path has the service's name takes over
 * its record in an update that also changes --name, instead of leaving the user's edited file
 * unmanaged beside a fresh one without their edits.
 */
function withRecordedRenames(tree: FileTree, recorded: readonly OutputFile[]): FileTree {
  const earlier = new Map(recorded.map((o) => [o.id, o.renamedFrom ?? []]));
  return new Map(
    [...tree].map(([path, f]) => {
      const names = [...new Set([...(f.renamedFrom ?? []), ...(earlier.get(f.id) ?? [])])];
      return [path, names.length > (f.renamedFrom ?? []).length ? { ...f, renamedFrom: names } : f];
    }),
  );
}

/** A move into a path another move frees goes after it; a cycle (two outputs swapping paths) cannot be done with renames alone. */
function orderMoves(moves: { from: string; to: string }[]): { from: string; to: string }[] {
  const ordered: { from: string; to: string }[] = [];
  const pending = [...moves];
  while (pending.length > 0) {
    const i = pending.findIndex((m) => !pending.some((other) => other !== m && other.from === m.to));
    if (i < 0) throw new UserError(`outputs swap paths (${pending.map((m) => `${m.from} -> ${m.to}`).join(', ')}); rename one of them by hand, then run update again`);
    ordered.push(...pending.splice(i, 1));
  }
  return ordered;
}

export type { Manifest };
