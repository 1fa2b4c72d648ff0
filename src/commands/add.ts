/**
 * `create-secure-service add <part>... [--dir <path>]`: bring hardened files into an existing
 * project without clobbering anything, one numbered step at a time.
 *   1. locate  the service folder, and the repository root (a monorepo's signing files go there)
 *   2. detect  language, version, port, start command, name, secrets: suggestions with their source
 *   3. ask     flags > answers file > the manifest's answers > detected > defaults (prompts on a TTY)
 *   4. render  only the requested parts (never the app seed), in memory
 *   5. plan    per file: create / same / update / add block / keep yours / conflict
 *   6. decide  conflicts: asked on a terminal; otherwise nothing is written (exit 1) unless --overwrite
 *   7. write   every file and the manifest at once, atomically, rolled back on failure
 *   8. post    signing config at the repository root, passwords, optional validators (no git init)
 */
import { posix, relative } from 'node:path';
import { resolveAnswers, withoutRefusedEmpty, type Asker, type AnswerSources } from '../answers.js';
import { detectProject, noteHolds, seedStartNote, type Detection } from '../add/detect/index.js';
import { layoutNotes } from '../add/layout.js';
import { locate, type Location } from '../add/locate.js';
import { areaPath, changesFile, decide, reconcile, recordedStrategy, recordsFile, shownPath, SIDE_SUFFIX, type AddFile, type Area } from '../add/reconcile.js';
import { formatDetected, formatFiles } from '../add/report.js';
import { repositoryParts, selectParts, type Selection } from '../add/selection.js';
import { readManifestAt, recordState } from '../add/state.js';
import type { CliArgs } from '../cli/args.js';
import { realDisk, type Disk } from '../disk.js';
import { ExitCode, UserError } from '../errors.js';
import { languagesByMarker } from '../check/context.js';
import { factsOfManifest, factsToRender, readFacts, signersAt } from '../facts.js';
import { readJsonObject } from '../json-file.js';
import { getLanguage } from '../languages.js';
import { droppedBaseCopies, keepDecisions, MANIFEST_PATH, repairLine, type Manifest } from '../manifest.js';
import { packageVersion } from '../paths.js';
import { notWrittenAgain } from '../moved.js';
import { getPart, parts as allParts, type Part } from '../parts/index.js';
import { deletedOutside, planWrites, willWrite, type PlannedFile } from '../plan.js';
import { runPostSteps, signingConfig, type PostStepContext } from '../post-steps.js';
import { findQuestion, questions, type Answers } from '../questions.js';
import { buildContext, type Facts } from '../render/context.js';
import { renderProject, type FileTree } from '../render/index.js';
import { installedTemplates } from '../render/installed-templates.js';
import type { TemplateSet } from '../render/templates.js';
import { deletedNotes, formatDiffs } from '../report.js';
import { printable, shellWord, type Ui } from '../ui.js';
import { copyPattern, splitCommand } from '../validate.js';
import type { Terminal } from './index.js';

export async function run(args: CliArgs, ui: Ui, terminal: Terminal): Promise<number> {
  const dryRun = args.options['dry-run'] === true;
  const overwrite = args.options.overwrite === true;
  const selection = selectParts(args.positionals);
  const version = packageVersion();
  const disk = await realDisk();

  // 1. locate
  const where = await locate(args.options.dir as string | undefined, disk);
  const read = await readManifestAt(where.service, disk, shown(where.service), version);
  const previous = read?.manifest;
  // A service create made inside a repository keeps signing files of its own (its manifest records
  // them): add signing goes on with those, as create and update render it, never a second set at
  // the repository's top that its SECURITY.md would not describe.
  const ownSigning = previous?.files.some((f) => f.id === 'verify-signatures') === true;
  // Otherwise, below the repository's top, the signing files are the top's (see rootRecord).
  const signingAtTop = where.prefix !== '' && !ownSigning;
  const split = signingAtTop && selection.requested.some((p) => repositoryParts.includes(p));
  // In a monorepo the signing files are the repository's, set up once at its root: their answers
  // are every service's (its SECURITY.md describes them), whichever service adds next.
  const rootRead = signingAtTop ? await readManifestAt(where.repository, disk, shown(where.repository), version) : undefined;
  const rootRecord = rootRead?.manifest;

  // 2. detect
  const detection = await detectProject(where.service, undefined, where.repository);

  // 3. ask
  const { answers, valueNotes, dockerNotes } = await gatherAnswers(args, detection, previous, terminal, ui, rootRecord && { root: shown(where.repository), manifest: rootRecord });

  // 4. render
  // The signer's e-mail from the project's own git config (a repo-local user.email wins).
  // Another language's manifest here (a Laravel app's package.json) brings its build output,
  // which check's I02 asks .dockerignore to keep out as it does the chosen language's.
  const otherLanguages = languagesByMarker(detection.files.filter((f) => !f.includes('/'))).filter((l) => l !== answers.language);
  const facts = { ...(await signerFacts(answers, previous, where.service, disk, signingAtTop ? where.repository : where.service)), ...(otherLanguages.length > 0 ? { otherLanguages } : {}) };
  // A monorepo's root keeps the signer it recorded, as update there renders it (its answers cannot change here).
  const rootFacts = rootRecord && (await factsOfManifest(rootRecord, where.repository, disk, undefined));
  const templates = await installedTemplates();
  const presentWithout = (gone: ReadonlySet<string>) => new Set([...presentAfter(selection, answers, templates, previous)].filter((id) => !gone.has(id)));
  // A monorepo service has no signing files of its own (they are the root's), so its SECURITY.md
  // sends the user to the root to run their commands, as update in its folder renders it too.
  const rootOwned = !signingAtTop ? new Set<string>() : new Set(repositoryParts.flatMap((id) => getPart(id).outputs(answers, templates).map((o) => o.id)));
  // The signing part's files for these answers (none for --signing none), wherever they are.
  const signingPaths = getPart('signing').outputs(answers, templates).map((o) => o.path);
  const renderWithout = (gone: ReadonlySet<string>, parts: readonly Part[] = selection.render) => renderProject(answers, templates, { facts, generatorVersion: version, parts, folder: where.prefix, present: new Set([...presentWithout(gone)].filter((id) => !rootOwned.has(id))) });
  // The gate create applies: the whole set for these answers must pass every rule `check` knows
  // (a finding is a template bug, never the user's doing), so even a partial add is from a clean set.
  await (await import('../check/gate.js')).assertRenderedClean(renderProject(answers, templates, { facts, generatorVersion: version }));
  const areasWithout = (gone: ReadonlySet<string>) => areasOf(renderWithout(gone), selection, where, split, previous, rootRecord, () => repositoryRender(rootRecord, answers, rootFacts ?? facts, templates, version));
  let { areas, deleted } = areasWithout(new Set());

  // 5. plan
  let files = (await Promise.all(areas.map((area) => reconcile(area, disk, overwrite)))).flat();
  // A generated file gone since the last run (and not moved) is deleted, as `update` finds it: the
  // others render as for a project without it, as update renders them (the Dockerfile names
  // SECURITY.md only when there is one). Naming its part does not bring it back: what add does
  // must not hang on whether update ran in between, and the warning below says how to.
  // So too for an output of a part not named here (SECURITY.md, for add compose): said and
  // recorded as well, as update would, so the two agree on the project.
  const serviceArea = () => areas.find((a) => a.root === where.service && a.previous !== undefined);
  const named = new Set(areas.flatMap((a) => [...a.tree.values()].map((f) => f.id)));
  const outside = serviceArea() ? await deletedOutside(new Map([...renderWithout(new Set(), allParts)].filter(([, f]) => !named.has(f.id))), where.service, disk, previous!) : [];
  const found = new Set([...files.filter((f) => f.status === 'deleted').map((f) => f.file.id), ...outside.map((f) => f.id)]);
  if (found.size > 0) {
    ({ areas, deleted } = areasWithout(found));
    files = (await Promise.all(areas.map((area) => reconcile(area, disk, overwrite)))).flat();
    const area = serviceArea();
    if (area) files.push(...outside.map((file): AddFile => ({ area, file, status: 'deleted', content: file.content })));
  }
  ui.info(`${dryRun ? 'Would add' : 'Adding'} ${selection.requested.join(', ')} for ${ui.color.bold(answers.name)} (${answers.language} ${answers.languageVersion} on ${answers.base}) in ${shown(where.service)}`);
  for (const line of formatFiles(files, ui.color)) ui.info(line);
  if (ownSigning && where.prefix !== '' && signingPaths.length > 0 && selection.requested.includes('signing')) {
    const own = signingPaths.map((path) => posix.join(shown(where.service), path));
    ui.info(printable(`  signing: uses ${own.join(' and ')}, this service's own (its manifest records them), not a second set at the repository's top folder`));
  }
  for (const note of deletedNotes(deleted, files.filter((f) => f.status === 'deleted').map(shownPath), 'add', dryRun)) ui.warn(note);
  // A file the user moved is theirs where it is now: never a second copy at the old path.
  for (const f of files) if (f.movedTo) ui.warn(printable(notWrittenAgain(shownPath(f), f.movedTo.map((to) => areaPath(f.area, to)), 'add')));

  // 6. decide
  const conflicts = files.filter((f) => f.status === 'conflict');
  if (conflicts.length > 0 && (dryRun || args.options.yes === true || args.options.answers !== undefined || !terminal.interactive)) {
    if (dryRun) for (const diff of await formatDiffs(conflicts.map(asPlanned))) ui.info(diff);
    const list = conflicts.map(shownPath).join(', ');
    const what = dryRun ? 'a real run asks about each on a terminal, and without one stops unless --overwrite is given' : 'nothing was written. Run without --yes on a terminal to choose for each file (keep yours, take ours, or write ours next to it), or pass --overwrite to replace them';
    ui.error(`${conflicts.length} file(s) already exist with other content: ${list}; ${what}`);
    return ExitCode.findings;
  }
  if (conflicts.length > 0) {
    const { askConflict } = await import('../prompt.js');
    const decided: AddFile[] = [];
    for (const f of files) {
      if (f.status !== 'conflict') {
        decided.push(f);
        continue;
      }
      const choice = await askConflict(shownPath(f), async () => {
        for (const diff of await formatDiffs([asPlanned(f)])) ui.info(diff);
      });
      decided.push(decide(f, choice));
    }
    files = decided;
    for (const line of formatFiles(files.filter((f) => conflicts.some((c) => c.file === f.file)), ui.color)) ui.info(line);
  }
  const notes = [...followUpNotes(files, detection, dockerNotes, selection, answers, where), ...valueNotes];
  const rootGap = signingAtTop ? await rootSigningGap(files, selection, signingPaths, where, disk) : undefined;
  if (rootGap) notes.push(rootGap);

  // 7. write
  const { writes, staleBases } = await writesOf(files, areas, answers, version, facts, disk);
  const visible = writes.filter((w) => !isState(w));
  const writeRoot = split ? where.repository : where.service;
  // A manifest that recorded the health probe twice is written with one record: said, as update says it.
  const repairs = [
    ...(read?.repaired ?? []).map((r) => ({ r, path: split ? posix.join(where.prefix, MANIFEST_PATH) : MANIFEST_PATH, label: posix.join(shown(where.service), MANIFEST_PATH) })),
    ...(split ? (rootRead?.repaired ?? []) : []).map((r) => ({ r, path: MANIFEST_PATH, label: posix.join(shown(where.repository), MANIFEST_PATH) })),
  ].filter(({ path }) => writes.some((w) => w.file.path === path));
  const repaired = (mode: 'apply' | 'dry-run') => repairs.map(({ r, label }) => `  ${printable(repairLine(r, label, mode))}`);
  if (dryRun) {
    // What the writer refuses before writing anything, the dry run refuses too.
    await (await import('../write.js')).refuseLossyWrites({ root: writeRoot, files: writes }, disk);
    for (const diff of await formatDiffs(visible)) ui.info(diff);
    for (const line of repaired('dry-run')) ui.info(line);
    for (const note of notes) ui.warn(note);
    // A run that writes only the manifest (recording a file the user deleted) still writes: said so.
    const only = writes.length === 0 ? 'Dry run: nothing to do.' : `Dry run: only the manifest in .secure-service/ would be written${files.some((f) => f.status === 'deleted') ? ', recording what you deleted' : ''}. Nothing was written.`;
    ui.info(visible.length === 0 ? only : `Dry run: ${visible.length} file(s) would be written. Nothing was written.`);
    return ExitCode.ok;
  }
  // What the files say the project has, its notes say too; a file moved away is not pointed to.
  const postContext = (): PostStepContext => {
    const present = presentWithout(new Set([...found, ...files.filter((f) => f.status === 'moved').map((f) => f.file.id)]));
    return {
      projectHas: (id) => present.has(id),
      root: where.service,
      repositoryRoot: split ? where.repository : where.service,
      answers,
      services: buildContext(answers, facts, version).services,
      git: args.options['no-git'] !== true,
      disk,
      ui,
      parts: selection.requested,
      initRepository: false,
    };
  };
  if (writes.length === 0) {
    // A file the user moved away (or deleted) is not in place, and not created again: said, not counted as in place.
    const away = (status: string) => files.filter((f) => f.status === status).length;
    const [moved, gone] = [away('moved'), away('deleted')];
    const inPlace = moved + gone === 0 ? 'every requested file is already in place' : `${files.length - moved - gone} of the ${files.length} requested file(s) already in place${moved ? `, ${moved} moved away (not created again)` : ''}${gone ? `, ${gone} deleted by you (not created again)` : ''}`;
    const checked = `${inPlace}${moved + gone === 0 ? ` (${files.length} checked)` : ''}`;
    // Run again once the key (or the repository) exists, as create's run again does: the signing
    // config the first run could not set is set now, though no file changes.
    const signing = selection.requested.includes('signing') ? await signingConfig({ ...postContext(), unlessConfigured: true }) : null;
    if (!signing) {
      ui.info(`Nothing to do: ${checked}.`);
      return ExitCode.ok;
    }
    ui.info(`No file to write: ${checked}.`);
    if (signing.ok) ui.info(`  ${signing.note}`);
    else ui.warn(signing.note);
    return ExitCode.ok;
  }
  await (await import('../write.js')).writePlan({ root: writeRoot, files: writes }, disk, { removals: staleBases });

  // 8. post-steps
  const outcomes = await runPostSteps(postContext());
  ui.info('');
  ui.info(`${ui.color.green('Done.')} ${visible.length} file(s) written${visible.length < writes.length ? ' (and the manifest in .secure-service/)' : ''}.`);
  for (const line of repaired('apply')) ui.info(line);
  for (const o of outcomes) if (o.ok) ui.info(`  ${o.note}`); else ui.warn(o.note);
  for (const note of notes) ui.warn(note);
  return ExitCode.ok;
}

const shown = (path: string): string => {
  const rel = relative(process.cwd(), path);
  return rel === '' ? '.' : rel.startsWith('..') ? path : rel;
};

/**
 * The answers, and detection's notes on answers' values and on the project that still hold for them: a note stays
 * while the run ends with the values it is about, none given by flag, answers file or manifest
 * (Detection.valueNotes). Shown with the follow-up notes, after the run, so a refused input still
 * ends with a single error line.
 */
async function gatherAnswers(args: CliArgs, detection: Detection, previous: Manifest | undefined, terminal: Terminal, ui: Ui, repository?: { root: string; manifest: Manifest }): Promise<{ answers: Answers; valueNotes: string[]; dockerNotes: string[] }> {
  const flags = { ...args.answers };
  const answersFile = args.options.answers as string | undefined;
  const values: Record<string, unknown> = {};
  const labels: string[] = [];
  if (previous) {
    // Answers recorded by an earlier run are not asked again (keys a newer version dropped are skipped).
    const recorded = withoutRefusedEmpty(previous.answers as unknown as Record<string, unknown>);
    for (const q of questions) if (q.key in recorded) values[q.key] = recorded[q.key];
    labels.push(MANIFEST_PATH);
    ui.info(`Using the answers recorded in ${MANIFEST_PATH} (flags change them).`);
  }
  const signing = repositorySigning(repository?.manifest);
  if (signing) {
    Object.assign(values, signing);
    labels.push(`${repository!.root}/${MANIFEST_PATH}`);
  }
  let fileValues: Record<string, unknown> = {};
  if (answersFile) {
    fileValues = await readJsonObject(answersFile, 'answers file');
    Object.assign(values, fileValues);
    labels.unshift(answersFile);
  }
  if (signing) refuseOtherSigning(signing, flags, answersFile ? { label: answersFile, values: fileValues } : undefined, repository!.root);
  const given = new Set([...Object.keys(flags).filter((k) => flags[k as keyof typeof flags] !== undefined), ...Object.keys(values)]);
  const language = (flags.language ?? values.language) as string | undefined;
  const suggested: Partial<Answers> = { ...detection.suggested };
  // A version or start command found for another language would be wrong for the one chosen.
  if (language !== undefined && language !== detection.suggested.language) {
    for (const key of detection.languageBound) delete suggested[key];
  }
  const shownFound = detection.found.filter((f) => !given.has(f.key) && !(language !== undefined && language !== detection.suggested.language && detection.languageBound.includes(f.key)));
  if (shownFound.length > 0) {
    ui.info(`Detected (${detection.scanned} files scanned):`);
    for (const line of formatDetected(shownFound, ui.color)) ui.info(line);
  }
  for (const note of detection.notes) ui.warn(printable(note));

  const sources: AnswerSources = { flags, suggested, existingProject: true };
  if (labels.length > 0) sources.file = { label: labels.join(' over '), values };
  const interactive = args.options.yes !== true && !answersFile;
  if (interactive) {
    if (!terminal.interactive) {
      throw new UserError('no terminal to ask questions on; pass --yes to accept the detected and default answers, or --answers <file> (flags fill in the rest)');
    }
    const inquirer = await (await import('../prompt.js')).createInquirerAsker();
    const asker: Asker = {
      ask(question, known) {
        // Once the user picks another language, the detected version and start no longer apply.
        const stale = detection.languageBound.includes(question.key) && known.language !== detection.suggested.language;
        return inquirer.ask(stale ? (findQuestion(question.key) as typeof question) : question, known);
      },
    };
    sources.asker = asker;
  }
  // A start command detection wrote the port into follows a port given by flag or answers file.
  const givenPort = flags.port ?? values.port;
  if (detection.startFor && givenPort !== undefined && !given.has('start') && suggested.start !== undefined) {
    try {
      suggested.start = detection.startFor(findQuestion('port')!.parse(givenPort, {}) as number);
    } catch {
      // an invalid port is refused with its own message when the answers are resolved
    }
  }
  // A build script given here (the one a note told to pass) builds from the sources with the
  // build's config files (tsconfig.json) among them, unless the sources are given too.
  const givenBuild = flags.buildScript ?? values.buildScript;
  if (detection.builtSources && typeof givenBuild === 'string' && givenBuild.trim() !== '' && !given.has('sources') && suggested.sources !== undefined) suggested.sources = detection.builtSources;
  const answers = await resolveAnswers(sources);
  const holds = (when: Partial<Answers>) => Object.entries(when).every(([key, value]) => !given.has(key) && (answers as unknown as Record<string, unknown>)[key] === value);
  // What the repository says is quoted in them (its start command, paths): printed safely.
  const valueNotes = detection.valueNotes.filter((n) => holds(n.when)).map((n) => printable(n.note));
  // Never the seed's start file silently, where the project has none: say what to fix.
  if (!given.has('start') && answers.start === getLanguage(answers.language).defaultStart(answers.port)) {
    const why = answers.language === detection.suggested.language ? detection.startNote : undefined;
    const note = seedStartNote(answers.language, answers.start, detection.files, why);
    if (note) valueNotes.push(printable(note));
  }
  // The notes on the project's layout that still hold: those about another language, another
  // package manager, or an answer since given (the flag they say to pass) are left out.
  const dockerNotes = detection.dockerNotes.filter((n) => noteHolds(detection.noteConditions.get(n), answers, given));
  // The build stage copies the sources alone: config files the build reads must be among them.
  const unread = answers.buildScript !== '' && answers.language === detection.suggested.language ? detection.buildConfig.filter((f) => !answers.sources.some((s) => s === f || (/[*?[]/.test(s) && copyPattern(s).test(f)))) : [];
  if (unread.length > 0) {
    const them = unread.length > 1 ? 'them' : 'it';
    dockerNotes.push(printable(`the build stage copies the sources alone, and ${unread.join(', ')}, which the build script reads, ${unread.length > 1 ? 'are' : 'is'} not among them, so the build would run without ${them}: add ${them} to the sources (--source ${[...answers.sources, ...unread].join(',')})`));
  }
  return { answers, valueNotes, dockerNotes };
}

type SigningAnswers = Pick<Answers, 'signing' | 'signingKey'>;

/** The signing answers a monorepo's root recorded, if it has set signing up. */
function repositorySigning(manifest: Manifest | undefined): SigningAnswers | undefined {
  const recorded = manifest?.answers;
  if (!recorded || recorded.signing === undefined || !manifest.files.some((f) => f.part === 'signing')) return undefined;
  return { signing: recorded.signing, ...(recorded.signing !== 'none' ? { signingKey: recorded.signingKey } : {}) } as SigningAnswers;
}

/**
 * A signing answer other than the repository's cannot be kept: the root's signing files serve every
 * service, and `add` keeps them as recorded. Refused, so the run does not end with a service whose
 * SECURITY.md describes signing the repository does not do.
 */
function refuseOtherSigning(recorded: SigningAnswers, flags: Record<string, unknown>, file: { label: string; values: Record<string, unknown> } | undefined, root: string): void {
  for (const key of ['signing', 'signingKey'] as const) {
    const fromFlag = flags[key] !== undefined;
    const value = fromFlag ? flags[key] : file?.values[key];
    if (value === undefined || recorded[key] === undefined) continue;
    const question = findQuestion(key)!;
    let parsed: unknown;
    try {
      parsed = question.parse(value, { ...recorded, ...file?.values, ...flags } as Partial<Answers>);
    } catch {
      continue; // refused with its own message when the answers are resolved
    }
    if (parsed === recorded[key]) continue;
    const source = fromFlag ? `--${question.flag}` : `${file!.label}: "${key}"`;
    throw new UserError(`${source} ${printable(String(value))}: this repository's signing files, which every service shares, were set up with ${printable(String(recorded[key]))} (${root}/${MANIFEST_PATH}); leave it out, or change it for the whole repository with "create-secure-service update --${question.flag} <value>" in ${root}, then in each service's folder`);
  }
}

/** The outputs the service has once this run is done: those it had, and those this run writes (none the user deleted). */
function presentAfter(selection: Selection, answers: Answers, templates: TemplateSet, previous: Manifest | undefined): Set<string> {
  const added = selection.render.flatMap((part) => part.outputs(answers, templates).filter((o) => selection.includes({ id: o.id, part: part.id })).map((o) => o.id));
  return withoutDeleted([...(previous?.files ?? []).map((f) => f.id), ...added], previous);
}

/** Output IDs less those the manifest records as deleted by the user, which stay deleted (as `create` and `update` keep them). */
function withoutDeleted(ids: readonly string[], manifest: Manifest | undefined): Set<string> {
  const deleted = new Set((manifest?.deleted ?? []).map((e) => e.id));
  return new Set(ids.filter((id) => !deleted.has(id)));
}

/**
 * The service folder, and in a monorepo the repository root for the repository-wide parts; and
 * the outputs of the requested parts that the user deleted after an earlier run (as shown), left out.
 */
function areasOf(rendered: FileTree, selection: Selection, where: Location, split: boolean, previous: Manifest | undefined, recorded: Manifest | undefined, renderRepository: () => RepositoryRender): { areas: Area[]; deleted: string[] } {
  const service: Area = { root: where.service, prefix: split ? where.prefix : '', tree: new Map(), ...(previous ? { previous } : {}) };
  const areas = [service];
  let repository: Area | undefined;
  let repositoryFiles: FileTree | undefined;
  if (split) {
    repository = { root: where.repository, prefix: '', tree: new Map(), ...(recorded ? { previous: recorded } : {}) };
    const own = renderRepository();
    repositoryFiles = own.files;
    repository.recordedWith = { answers: own.answers, facts: own.facts };
    areas.unshift(repository);
  }
  for (const file of rendered.values()) {
    if (!selection.includes(file)) continue;
    if (repository && repositoryParts.includes(file.part)) repository.tree.set(file.path, repositoryFiles!.get(file.path) ?? file);
    else service.tree.set(file.path, file);
  }
  const deleted: string[] = [];
  for (const area of areas) {
    const kept = keepDecisions(area.tree, area.previous);
    area.tree = kept.tree;
    const recordedIds = new Set((area.previous?.deleted ?? []).map((e) => e.id));
    area.deletedUnderOldId = (kept.extras.deleted ?? []).filter((e) => !recordedIds.has(e.id));
    deleted.push(...(kept.extras.deleted ?? []).map((e) => areaPath(area, e.path)));
  }
  return { areas: areas.filter((a) => a.tree.size > 0), deleted };
}

/**
 * The repository-wide files of a monorepo (signing), as `update` at its root renders them: with
 * the answers and facts its root manifest recorded (the service that set them up first, so each
 * service's `add` does not rename them after itself) and only the files the root has (no
 * SECURITY.md there). A root set up by no earlier run takes this run's answers.
 */
interface RepositoryRender {
  files: FileTree;
  answers: Answers;
  facts: Facts;
}

function repositoryRender(recorded: Manifest | undefined, answers: Answers, facts: Facts, templates: TemplateSet, version: string): RepositoryRender {
  const own = repositoryParts.map(getPart);
  const rootAnswers = recorded ? { ...answers, ...recorded.answers } : answers;
  const present = withoutDeleted([...(recorded?.files ?? []).map((f) => f.id), ...own.flatMap((part) => part.outputs(rootAnswers, templates).map((o) => o.id))], recorded);
  return { files: renderProject(rootAnswers, templates, { facts, generatorVersion: version, parts: own, present }), answers: rootAnswers, facts };
}

/**
 * Who signs, as the project recorded it, so that whoever runs add next (a teammate) does not
 * silently become the one .allowed_signers trusts: read from this machine for a project without a
 * manifest, or when a signing answer or the name is not the recorded one (update decides alike).
 * Only the signer: the other languages are the project's, found again by detection.
 */
async function signerFacts(answers: Answers, previous: Manifest | undefined, root: string, disk: Disk, signersFolder: string): Promise<Facts> {
  return factsToRender(answers, previous && (await factsOfManifest(previous, root, disk, answers)), () => readFacts(answers, root), () => signersAt(signersFolder, disk));
}

/**
 * What the writer writes (changed files, side copies, and each folder's manifest and base copies),
 * and the base copies it removes with their records (see droppedBaseCopies).
 */
async function writesOf(files: AddFile[], areas: Area[], answers: Answers, version: string, facts: Facts, disk: Disk): Promise<{ writes: PlannedFile[]; staleBases: string[] }> {
  const writes: PlannedFile[] = [];
  const staleBases: string[] = [];
  const prefixed = (area: Area, planned: PlannedFile): PlannedFile => ({ ...planned, file: { ...planned.file, path: area.prefix ? `${area.prefix}/${planned.file.path}` : planned.file.path } });
  for (const f of files.filter(changesFile)) {
    const mode = f.status === 'merge' || f.status === 'overwrite' ? await ownersMode(f, disk) : f.file.mode;
    writes.push(prefixed(f.area, { file: { ...f.file, content: f.content, mode }, status: f.current === undefined ? 'create' : 'update', ...(f.current !== undefined ? { current: f.current } : {}) }));
  }
  for (const area of areas) {
    const sides: FileTree = new Map();
    for (const f of files.filter((x) => x.area === area && x.status === 'side')) {
      const path = `${f.file.path}${SIDE_SUFFIX}`;
      sides.set(path, { ...f.file, id: `side:${f.file.id}`, path });
    }
    // The side copy is ours, written because the user asked for it: replaced if an older one is there.
    for (const p of (await planWrites(sides, area.root, disk)).files) {
      if (p.status !== 'identical') writes.push(prefixed(area, { ...p, status: p.current === undefined ? 'create' : 'update' }));
    }
    const recorded = files.filter((f) => f.area === area && recordsFile(f)).map((f) => ({ file: f.file, strategy: recordedStrategy(f) }));
    const deleted = [...files.filter((f) => f.area === area && f.status === 'deleted').map((f) => ({ id: f.file.id, path: f.file.path })), ...(area.deletedUnderOldId ?? [])];
    const state = recordState(area.previous, recorded, area.recordedWith?.answers ?? answers, version, area.recordedWith?.facts ?? facts, deleted);
    for (const p of (await planWrites(state, area.root, disk)).files) if (willWrite(p)) writes.push(prefixed(area, p));
    staleBases.push(...droppedBaseCopies(area.previous, state).map((path) => areaPath(area, path)));
  }
  return { writes, staleBases };
}

/**
 * A file of the user's that takes our content (merged in, or replaced at their choice) keeps its
 * owner's mode (a .gitignore kept 0600 stays 0600), without setuid/setgid, and becomes executable
 * where it is readable when ours is a script.
 */
async function ownersMode(f: AddFile, disk: Disk): Promise<number> {
  const current = (await disk.lstat(posix.join(f.area.root, f.file.path)))?.mode;
  if (current === undefined) return f.file.mode;
  const exec = f.file.mode & 0o111 ? (current & 0o444) >> 2 : 0;
  return (current & 0o1777) | exec;
}

const isState = (p: PlannedFile): boolean => /(^|\/)\.secure-service\//.test(p.file.path);

function asPlanned(f: AddFile): PlannedFile {
  return { file: { ...f.file, path: shownPath(f) }, status: 'conflict', ...(f.current !== undefined ? { current: f.current } : {}) };
}

/**
 * A monorepo service's SECURITY.md sends its user to the repository's top folder for the signing
 * files every service shares (add signing puts them there): when this run writes it and that
 * folder has none, its commands there would point git at a file that is not there, and CI at a
 * script that is not either. Said with the run that adds them.
 */
async function rootSigningGap(files: AddFile[], selection: Selection, signingPaths: string[], where: Location, disk: Disk): Promise<string | undefined> {
  if (signingPaths.length === 0 || selection.requested.includes('signing')) return undefined;
  if (!files.some((f) => f.file.id === 'security-md' && !['conflict', 'deleted', 'moved', 'keep', 'adopt'].includes(f.status))) return undefined;
  const missing: string[] = [];
  for (const path of signingPaths) if ((await disk.lstat(posix.join(where.repository, path))) === null) missing.push(path);
  if (missing.length === 0) return undefined;
  const dir = shown(where.service);
  return printable(`SECURITY.md (Signed commits) points to ${missing.join(' and ')} at the repository's top folder (${shown(where.repository)}), which ${missing.length > 1 ? 'are' : 'is'} not there yet: run create-secure-service add signing${dir === '.' ? '' : ` --dir ${shellWord(dir)}`} to add ${missing.length > 1 ? 'them' : 'it'} there and turn signing on, or pass --signing none if the repository does not sign its commits`);
}

/** What the user should look at after this run: the Dockerfile against their layout, compose precedence. */
function followUpNotes(files: AddFile[], detection: Detection, dockerNotes: string[], selection: Selection, answers: Answers, where: Location): string[] {
  const notes: string[] = [];
  const ours = (id: string) => files.find((f) => f.file.id === id && ['create', 'update', 'overwrite', 'identical', 'side'].includes(f.status) && f.kind === undefined);
  const dockerfile = ours('dockerfile');
  if (dockerfile && dockerfile.current !== dockerfile.file.content && selection.requested.includes('docker')) {
    const language = getLanguage(answers.language);
    const label = dockerfile.status === 'side' ? `${shownPath(dockerfile)}${SIDE_SUFFIX}` : shownPath(dockerfile);
    const written = new Set(files.filter((f) => ['create', 'update', 'overwrite', 'identical'].includes(f.status)).map((f) => f.file.path));
    // The .dockerignore as it will be after this run (ours, theirs with our block, or theirs kept).
    const dockerignore = files.find((f) => f.file.id === 'dockerignore' && f.status !== 'conflict')?.content;
    for (const note of [...dockerNotes, ...layoutNotes(dockerfile.file.content, where.service, detection.files, language, language.probe(answers.base, splitCommand(answers.start)), written, dockerignore)]) {
      notes.push(`${label}: ${note}`);
    }
  }
  const compose = ours('compose');
  const others = detection.composeFiles.filter((f) => f !== 'compose.yaml');
  if (compose && others.length > 0) {
    // An override the user deleted (or moved away) is not one to move things into.
    const override = files.some((f) => f.file.id === 'compose-override' && f.status !== 'deleted' && f.status !== 'moved') ? 'compose.override.yaml' : 'compose.yaml';
    notes.push(`compose.yaml is now the file "docker compose" reads (it comes first; ${others.join(', ')} ${others.length > 1 ? 'are' : 'is'} no longer read): move what you still need into ${override}, then delete ${others.join(', ')}`);
  }
  // The notes quote the repository (its scripts, paths, lockfiles): printed safely.
  return notes.map(printable);
}
