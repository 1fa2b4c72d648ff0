/**
 * `create-secure-service [directory]`: the whole pipeline, one numbered step at a time.
 *   1. ask     answers from flags, an answers file and prompts, validated by one schema
 *   2. facts   what rendering needs from this machine (signer e-mail, SSH public key)
 *   3. render  every file, in memory; the `check` rules must pass on it
 *   4. plan    what an earlier manifest decided (deleted outputs stay deleted), the new manifest,
 *              and each file compared with the disk: create / identical / update / keep / conflict
 *   5. write   atomically, rolled back on failure; nothing at all when there is a conflict
 *   6. post    git init, signing config, secrets, optional real validators, summary
 */
import { existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { resolveAnswers, type AnswerSources } from '../answers.js';
import { commands, type CliArgs } from '../cli/args.js';
import { editDistance } from '../edit-distance.js';
import { ExitCode, UserError } from '../errors.js';
import { getLanguage } from '../languages.js';
import type { Manifest } from '../manifest.js';
import { packageVersion } from '../paths.js';
import { createInquirerAsker } from '../prompt.js';
import type { Answers } from '../questions.js';
import type { FileTree } from '../render/index.js';
import { printable, shellWord, type Ui } from '../ui.js';
import type { Terminal } from './index.js';
import { targetFolder } from '../target.js';
import { toDnsLabel } from '../validate.js';

export async function run(args: CliArgs, ui: Ui, terminal: Terminal): Promise<number> {
  const directory = args.positionals[0];
  const dryRun = args.options['dry-run'] === true;
  const version = packageVersion();

  // 1. ask (a folder given on the command line is checked first, so a bad one costs no answers)
  // A line break or escape in the name is a slip (a variable holding two lines, a pasted escape):
  // the folder would be hard to name in a shell, and printing it would drive the terminal.
  if (directory !== undefined && printable(directory) !== directory) {
    throw new UserError(`the directory "${printable(directory)}" contains a control character or line break; give a name of printable characters`);
  }
  // A quoted '~' reaches us unexpanded, and would make a folder named ~ in the current one.
  if (directory !== undefined && /^~([/\\]|$)/.test(directory)) {
    throw new UserError(`the directory "${printable(directory)}" starts with ~, which only an unquoted shell word expands to your home folder; write the path out (e.g. "$HOME${printable(directory.slice(1))}"), or ./~ for a folder named ~`);
  }
  const meant = directory === undefined ? undefined : mistypedCommand(directory);
  if (meant) {
    throw new UserError(`"${printable(directory!)}" is not a command, and there is no folder of that name; did you mean "create-secure-service ${meant}"? To create a service in a new folder of that name, give it as ./${printable(directory!)}`);
  }
  const given = directory === undefined ? undefined : targetFolder(resolve(directory));
  const answers = await gatherAnswers(args, directory, terminal);
  assertSeedCanBuild(answers);
  const root = given ?? targetFolder(resolve(answers.name));
  // Steps 2-6 load only now, so nothing of theirs delays the first question (create-steps.ts).
  const { buildContext, droppedBaseCopies, nearestFolder, counts, deletedNotes, formatDiffs, formatPlan, isToolState, keepDecisions, leftBehind, locateRepository, folderInRepository, notWrittenAgain, planWrites, readFacts, factsOfManifest, factsToRender, realDisk, signersAt, repositoryProblem, runPostSteps, willWrite, withManifest } = await import('./create-steps.js');

  // 2. facts, read (by git, in other processes) while the template engine loads; and where the
  // folder stands in git, which only the post-steps need, found while rendering (issue #6).
  const disk = await realDisk();
  // Asked where the project will be (its nearest existing folder), as git will commit there: a
  // repository the run starts in names its own committer, who is not the new project's.
  const factsRead = nearestFolder(root, disk).then((folder) => readFacts(answers, folder));
  factsRead.catch(() => undefined); // awaited (and its error reported) when rendering
  // Run again in a project it made, the signer it recorded stays (whoever runs it, as update and add keep it).
  const previousRead = readPreviousManifest(root, version);
  previousRead.catch(() => undefined); // awaited (and its error reported) before rendering
  // (A dry run looks too: a half-made .git, which stops a real run, stops it as well.)
  const noGit = args.options['no-git'] === true;
  const repositoryFound = noGit ? undefined : locateRepository(root, disk);
  repositoryFound?.catch(() => undefined); // awaited (and its error reported) before the plan is shown
  // --no-git runs no git here, so it goes on, and says what git will trip on in the folder.
  const gitProblem = noGit ? repositoryProblem(root, disk, '') : undefined;
  gitProblem?.catch(() => undefined); // awaited with repositoryFound
  // In a folder of a repository (a monorepo), SECURITY.md's commands for CI, which runs at its top, name the folder.
  const folderFound = (repositoryFound ?? locateRepository(root, disk)).then((where) => folderInRepository(root, where, disk), () => '');

  // 3. render (the renderer and the compiled templates load only now, after any prompts)
  const [{ renderProject }, { installedTemplates }] = await Promise.all([import('../render/index.js'), import('../render/installed-templates.js')]);
  const templates = await installedTemplates();
  const previous = await previousRead;
  const kept = previous && (await factsOfManifest(previous, root, disk, answers));
  const facts = await factsToRender(answers, kept, () => factsRead, () => signersAt(root, disk));
  const folder = await folderFound;
  const rendered = renderProject(answers, templates, { facts, generatorVersion: version, folder });

  // 3b. gate: the rendered files must pass every rule `check` knows, or nothing is written
  // (a finding here is a bug in a template, never the user's doing). Loaded here, not at the
  // top: the parsers it needs would otherwise delay the first prompt.
  await (await import('../check/gate.js')).assertRenderedClean(rendered);

  // 4. plan. In a project generated before, what its manifest records still holds (outputs the
  // user deleted stay deleted, as `update` keeps them), and files are compared with what was last
  // written.
  let decided = keepDecisions(rendered, previous);
  let outputs = await planWrites(decided.tree, root, disk, previous);
  // A generated file gone since the last run (and not moved) is deleted, as `update` finds it: the
  // others render as for a project without it, and without those deleted earlier (the Dockerfile
  // names SECURITY.md only when there is one), as update renders them, so the two agree.
  const deletedIds = (files: typeof outputs.files) => new Set([...(decided.extras.deleted ?? []).map((e) => e.id), ...files.filter((f) => f.status === 'deleted').map((f) => f.file.id)]);
  const gone = deletedIds(outputs.files);
  if (gone.size > 0) {
    const present = new Set([...rendered.values()].map((f) => f.id).filter((id) => !gone.has(id)));
    decided = keepDecisions(renderProject(answers, templates, { facts, generatorVersion: version, present, folder }), previous);
    outputs = await planWrites(decided.tree, root, disk, previous);
  }
  const deleted = [...rendered.values()].filter((f) => deletedIds(outputs.files).has(f.id)).map((f) => ({ id: f.id, path: f.path }));
  // A file the user moved keeps its record as it was (as `update` keeps it): moving it back is all it takes.
  const recorded: FileTree = new Map(outputs.files.filter((f) => f.status !== 'deleted').map((f) => [f.file.path, f.moved?.record ?? f.file]));
  const state: FileTree = new Map([...withManifest(recorded, answers, version, { facts, ...decided.extras, deleted })].filter(([path]) => isToolState(path)));
  refuseLeftBehind(await leftBehind(previous, recorded, root, disk), previous, root, answers.name);
  const plan = { root, files: [...outputs.files, ...(await planWrites(state, root, disk, previous)).files] };
  // A base copy goes with its record (a deleted file's, one an output's new ID took over), as update removes it.
  const staleBases = droppedBaseCopies(previous, state);
  const n = counts(plan);
  // What the summaries count are the project's files; the tool's own state (the manifest, base copies) is said apart.
  const shown = counts({ root, files: plan.files.filter((f) => !isToolState(f.file.path)) });
  const stateChanges = plan.files.some((f) => isToolState(f.file.path) && willWrite(f));
  // Before anything is shown or written: a .git that git passes over (an interrupted git init)
  // would have this run report a repository that is not one, or set up signing in another.
  await repositoryFound;
  const gitWarning = await gitProblem;
  ui.info(`${dryRun ? 'Would write' : 'Writing'} ${ui.color.bold(answers.name)} (${answers.language} ${answers.languageVersion} on ${answers.base}) into ${root}`);
  for (const line of formatPlan(plan, ui.color)) ui.info(line);
  const found = plan.files.filter((f) => f.status === 'deleted').map((f) => f.file.path);
  for (const note of deletedNotes((decided.extras.deleted ?? []).map((e) => e.path), found, 'create', dryRun)) ui.warn(note);
  // A file the user moved is theirs where it is now: never a second copy at the old path.
  for (const f of plan.files) if (f.moved) ui.warn(printable(notWrittenAgain(f.file.path, f.moved.to, 'create')));
  if (n.conflict > 0) {
    const conflicts = plan.files.filter((f) => f.status === 'conflict');
    if (dryRun) for (const diff of await formatDiffs(conflicts)) ui.info(diff);
    // In a project generated before, a conflict is a generated file its owner has edited since:
    // `update` is the command that merges new answers into it.
    const recorded = new Set(previous?.files.map((f) => f.path));
    const edited = conflicts.filter((f) => recorded.has(f.file.path));
    if (edited.length > 0) {
      ui.error(`${edited.length} generated file(s) were edited since they were written: ${edited.map((f) => f.file.path).join(', ')}; create does not merge, so nothing was written. To apply changed answers and keep your edits, run "create-secure-service update --dir ${shellWord(root)}" with the same answer flags`);
      return ExitCode.findings;
    }
    ui.error(`${n.conflict} file(s) already exist with other content and were not generated by this tool: ${conflicts.map((f) => f.file.path).join(', ')}; nothing was written. Move them away or use another directory; to bring the hardened files into this existing project instead, keeping yours, run "create-secure-service add all" in it`);
    return ExitCode.findings;
  }
  if (dryRun) {
    for (const diff of await formatDiffs(plan.files)) ui.info(diff);
    if (gitWarning) ui.warn(gitWarning);
    ui.info(`Dry run: ${shown.create} to create, ${shown.update} to update, ${shown.identical} unchanged${shown.moved ? `, ${shown.moved} moved away (not created again)` : ''}${shown.deleted ? `, ${shown.deleted} deleted by you (not created again)` : ''}${shown.keep ? `, ${shown.keep} kept (yours)` : ''}${stateChanges ? '; the manifest in .secure-service/ would be written too' : ''}. Nothing was written.`);
    return ExitCode.ok;
  }

  // 5. write
  const { written } = await (await import('../write.js')).writePlan(plan, disk, { removals: staleBases });

  // 6. post-steps
  // A file the user deleted or moved away is not pointed to (a rerun leaves it as they left it).
  const present = plan.files.filter((f) => f.status !== 'deleted' && f.status !== 'moved').map((f) => f.file);
  const presentIds = new Set(present.map((f) => f.id));
  const repositories = repositoryFound && new Map([[root, await repositoryFound]]);
  const outcomes = await runPostSteps({ root, answers, services: buildContext(answers, facts, version).services, git: args.options['no-git'] !== true, disk, ui, repositories, projectHas: (id) => presentIds.has(id) });
  ui.info('');
  const files = written.filter((path) => !isToolState(path)).length;
  ui.info(`${ui.color.green('Done.')} ${files} file(s) written, ${shown.identical} unchanged${shown.keep ? `, ${shown.keep} kept (yours)` : ''}${written.length > files ? ' (and the manifest in .secure-service/)' : ''}.`);
  for (const o of outcomes) if (o.ok) ui.info(`  ${o.note}`); else ui.warn(o.note);
  if (gitWarning) ui.warn(gitWarning);
  ui.info(nextSteps(answers, root, new Set(present.map((f) => f.path))));
  return ExitCode.ok;
}

async function gatherAnswers(args: CliArgs, directory: string | undefined, terminal: Terminal): Promise<Answers> {
  const sources: AnswerSources = { flags: { ...args.answers } };
  const answersFile = args.options.answers as string | undefined;
  if (answersFile) {
    // Loaded only for an answers file: its strict reader stays off the path to the first question.
    const { readJsonObject } = await import('../json-file.js');
    sources.file = { label: answersFile, values: await readJsonObject(answersFile, 'answers file') };
  }
  // The directory's name, made into a DNS label, suggests the service name, as create-vite does.
  if (directory && sources.flags!.name === undefined && sources.file?.values.name === undefined) {
    const suggested = suggestName(directory);
    if (suggested) sources.suggested = { name: suggested };
  }
  const interactive = args.options.yes !== true && !answersFile;
  if (interactive) {
    if (!terminal.interactive) {
      throw new UserError('no terminal to ask questions on; pass --yes to accept the defaults, or --answers <file> (flags fill in the rest)');
    }
    sources.asker = await createInquirerAsker();
  }
  return resolveAnswers(sources);
}

/**
 * The seed app is built by the language's first package manager (npm, pip, Maven), from its own
 * files, into its own target, with no build script: a Dockerfile for another manager would copy a
 * lockfile nothing wrote, other sources or targets would name files the seed does not have, and a
 * build stage would run a script the seed's package.json lacks.
 */
function assertSeedCanBuild(a: Answers): void {
  const language = getLanguage(a.language);
  const seed = language.packageManagers?.[0];
  if (seed && a.packageManager !== seed.id) {
    throw new UserError(`package manager ${a.packageManager}: create writes a new ${seed.id} project (${seed.lockfile}); in a project that has its own lockfile, run create-secure-service add instead, or leave out --package-manager (packageManager in an answers file)`);
  }
  const seedSources = language.seedSources;
  if (a.sources.length !== seedSources.length || a.sources.some((source) => !seedSources.includes(source))) {
    throw new UserError(`source ${a.sources.join(',')}: create writes its own app, whose files are ${seedSources.join(', ')}; to build a project of your own, run create-secure-service add in it, or leave out --source (sources in an answers file)`);
  }
  const seedTarget = seed?.buildTarget ?? language.buildTarget?.seed;
  if (language.buildTarget && a.buildTarget !== seedTarget) {
    throw new UserError(`build target ${a.buildTarget}: the app create writes builds ${seedTarget || 'the one project file at its top'}; to build a project of your own, run create-secure-service add in it, or leave out --build-target (buildTarget in an answers file)`);
  }
  if (a.buildScript) {
    throw new UserError(`build script ${a.buildScript}: the app create writes has no build step; in a project whose start command runs what its build writes, run create-secure-service add instead, or leave out --build-script (buildScript in an answers file)`);
  }
}

/**
 * A mistyped command (`udpate`, `chek`, `Update`) reaches create as the name of a folder to make,
 * and a whole new project would be written there, inside the user's own. While no such folder
 * exists it is taken for the command; ./udpate makes the folder on purpose. A name that extends a
 * command (updater, checker) is a plausible service, and passes. One edit at most (a swap of two
 * neighbours counts as one): two would take date, deck, clock and chunk for commands, and any one
 * edit of a three-letter command (ads, aid) is a service name as often as a typo, so add matches
 * only in other letter case.
 */
function mistypedCommand(directory: string): string | undefined {
  if (/[/\\]/.test(directory) || existsSync(directory)) return undefined;
  const word = directory.toLowerCase();
  return commands
    .map((c) => c.name)
    .find((name) => (word === name ? directory !== name : !word.startsWith(name) && editDistance(word, name) <= (name.length > 3 ? 1 : 0)));
}

function suggestName(directory: string): string | undefined {
  // As `add` does for a folder or package name: "My Service" suggests my-service.
  return toDnsLabel(basename(resolve(directory))) ?? undefined;
}

/**
 * A rerun with answers that no longer generate a file it generated before (another --name moves
 * the Nomad job, the Vault policy and the secrets file) would leave that file behind, unrecorded
 * and so the user's from then on. Renaming and removing what was generated is update's work,
 * which merges the user's edits; create refuses.
 */
function refuseLeftBehind(left: string[], previous: Manifest | undefined, root: string, name: string): void {
  if (left.length === 0) return;
  const was = previous!.answers.name !== name ? ` (the service ${printable(String(previous!.answers.name))}, now named ${name})` : '';
  throw new UserError(`${printable(root)} holds a service generated with other answers${was}: ${printable(left.join(', '))} would no longer be generated and would be left behind, unmanaged; create does not rename or remove what it generated: run "create-secure-service update --dir ${shellWord(root)}" with the changed answer flags (it moves or removes them and keeps your edits), or create the service in another directory`);
}

async function readPreviousManifest(root: string, version: string): Promise<Manifest | undefined> {
  const [{ checkManifest, MANIFEST_PATH, refuseNewerManifest }, { readJsonObject }] = await Promise.all([import('./create-steps.js'), import('../json-file.js')]);
  const path = resolve(root, MANIFEST_PATH);
  try {
    const value = await readJsonObject(path, 'manifest');
    refuseNewerManifest(value.version, version, path, '');
    // What it records decides what is written and kept: a manifest of another shape is not guessed at.
    return checkManifest(value, path);
  } catch (error) {
    // No manifest, or no folder yet (or a file in its place, which planning reports): nothing to compare.
    if (error instanceof UserError && /cannot read manifest \((ENOENT|ENOTDIR)\)/.test(error.message)) return undefined;
    throw error;
  }
}


function nextSteps(a: Answers, root: string, present: ReadonlySet<string>): string {
  const dir = root === process.cwd() ? '.' : root;
  // Each step, with the file it needs.
  const steps: [string, string][] = [
    [`secrets/${a.name}.env`, `  fill in secrets/${a.name}.env (names only are there${present.has('secrets/README.md') ? '; see secrets/README.md' : ''})`],
    ['compose.yaml', `  docker compose up --build          # ${present.has('compose.override.yaml') ? 'development, with compose.override.yaml' : 'compose.yaml alone'}`],
    ['compose.prod.yaml', `  IMAGE='<registry>/${a.name}@sha256:<digest>' docker compose -f compose.yaml -f compose.prod.yaml config   # the production model`],
    ['scripts/build-image.sh', `  scripts/build-image.sh <registry>/${a.name}   # prints the digest to deploy`],
    [`deploy/nomad/${a.name}.nomad.hcl`, `  nomad job run -var 'image=<registry>/${a.name}@sha256:<digest>' deploy/nomad/${a.name}.nomad.hcl`],
    [`deploy/vault/${a.name}.policy.hcl`, `  vault policy write ${a.name}-read deploy/vault/${a.name}.policy.hcl`],
    ['SECURITY.md', '  SECURITY.md lists every control and how to verify it.'],
  ];
  return ['', 'Next steps:', `  cd ${shellWord(dir)}`, ...steps.filter(([path]) => present.has(path)).map(([, line]) => line), ''].join('\n');
}
