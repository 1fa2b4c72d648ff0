/**
 * `create-secure-service update`: regenerate a project after a template upgrade, keeping every
 * edit its owner made (three-way merge against the base copies in .secure-service/base/).
 *   1. state    the manifest, base copies and answers recorded by the last run
 *   2. answers  recorded ones, changed by flags or --answers; new questions by --yes or prompt
 *   3. render   with the installed templates
 *   4. merge    per file: update / merge / conflict / create / move / remove / keep (src/update/)
 *   5. write    everything at once, rolled back on failure; conflicts also go into git's index
 * --dry-run prints the outcomes and diffs; --check exits 1 when the project is behind.
 */
import { join, relative, resolve } from 'node:path';
import type { CliArgs } from '../cli/args.js';
import { realDisk } from '../disk.js';
import { ExitCode } from '../errors.js';
import { factsToRender, readFacts, signersAt } from '../facts.js';
import { readJsonObject } from '../json-file.js';
import { MANIFEST_PATH, repairLine } from '../manifest.js';
import { packageVersion } from '../paths.js';
import { installedTemplates } from '../render/installed-templates.js';
import { printable, shellWord, type Ui } from '../ui.js';
import type { Disk } from '../disk.js';
import { folderInRepository, locateRepository, repositoryProblem, seedServiceSecrets, signingConfig, signingOff } from '../post-steps.js';
import { buildContext, noFacts } from '../render/context.js';
import type { AnswerChanges } from '../update/answers.js';
import type { Action, FileOutcome } from '../update/reconcile.js';
import { runUpdate, type UpdateReport } from '../update/run.js';
import type { Terminal } from './index.js';

export async function run(args: CliArgs, ui: Ui, terminal: Terminal): Promise<number> {
  const root = resolve(typeof args.options.dir === 'string' ? args.options.dir : '.');
  const mode = args.options.check === true ? 'check' : args.options['dry-run'] === true ? 'dry-run' : 'apply';
  const answersFile = args.options.answers as string | undefined;
  const changes: AnswerChanges = {
    flags: { ...args.answers },
    yes: args.options.yes === true,
    ...(answersFile ? { file: { label: answersFile, values: await readJsonObject(answersFile, 'answers file') } } : {}),
    ...(terminal.interactive ? { asker: async () => (await import('../prompt.js')).createInquirerAsker() } : {}),
  };
  const [templates, disk] = await Promise.all([installedTemplates(), realDisk()]);
  // Writing conflicts into git's index and a signing change into its config: not into a half-made
  // .git (an interrupted git init), which git passes over for a repository above it, or for none.
  if (mode === 'apply') await locateRepository(root, disk);
  // --dry-run and --check write nothing there, so they go on, and say what a real update stops on.
  const gitProblem = mode === 'apply' ? undefined : await repositoryProblem(root, disk, `; update stops on it before writing anything`);
  // In a folder of a repository, SECURITY.md's commands for CI, which runs at its top, name the folder.
  const folder = await locateRepository(root, disk).then((where) => folderInRepository(root, where, disk), () => '');
  const report = await runUpdate({
    root,
    folder,
    disk,
    templates,
    generatorVersion: packageVersion(),
    changes,
    // Rendering again with the facts recorded at creation keeps .allowed_signers stable whoever runs the update.
    facts: (answers, recorded) => factsToRender(answers, recorded, () => readFacts(answers, root), () => signersAt(root, disk)),
    mode,
  });
  if (mode === 'check') return printCheck(report, ui, gitProblem);
  const code = printUpdate(report, ui, mode === 'dry-run', gitProblem);
  if (mode === 'apply') await generateNewServicePasswords(root, report, disk, ui);
  if (mode === 'apply' && report.written) await applySigningChange(root, report, disk, ui);
  return code;
}

/**
 * A changed signing answer changes the repository's git config too, as create sets it (S01):
 * configured for ssh or gpg (when the key exists), turned off for none.
 */
async function applySigningChange(root: string, report: UpdateReport, disk: Disk, ui: Ui): Promise<void> {
  const { answers } = report;
  if (!answers.changed.some((k) => k === 'signing' || k === 'signingKey')) return;
  const a = answers.answers;
  const step = a.signing === 'none' ? signingOff : signingConfig;
  // What the manifest manages after the update (a file the user deleted or moved away it does not point to).
  const present = new Set(report.outcomes.filter((o) => o.record !== null && 'managed' in o.record && !absent.has(o.action)).map((o) => o.id));
  const from = relative(process.cwd(), root);
  const dir = from && ` --dir ${shellWord(from)}`;
  const outcome = await step({ root, answers: a, services: [], git: true, disk, ui, parts: ['signing'], projectHas: (id) => present.has(id), again: `run create-secure-service add signing${dir}` });
  if (outcome?.ok) ui.info(`  ${outcome.note}`);
  else if (outcome) ui.warn(outcome.note);
}

/**
 * A backing service added by this update (e.g. --service postgres) needs its password file, as with
 * create; only where the project has the compose files that mount it (`add docker` alone has none).
 */
async function generateNewServicePasswords(root: string, report: UpdateReport, disk: Disk, ui: Ui): Promise<void> {
  const answers = report.answers.answers;
  if (answers.services.length === 0) return;
  const services = buildContext(answers, noFacts, packageVersion()).services;
  const outcome = await seedServiceSecrets({ root, answers, services, git: false, disk, ui, parts: report.parts });
  if (outcome) ui.info(`  ${outcome.note}`);
}

const labels: Record<Action, string> = {
  same: 'same',
  kept: 'kept (yours)',
  update: 'update',
  merge: 'merged',
  conflict: 'CONFLICT',
  create: 'create',
  remove: 'remove',
  unmanage: 'keep, unmanaged',
  deleted: 'deleted (yours)',
  'moved-away': 'moved away?',
  blocked: 'BLOCKED',
  invalid: 'NOT MERGED',
};

const problems: ReadonlySet<Action> = new Set(['conflict', 'blocked', 'invalid']);
/** Said, but nothing is written for them: a file the user deleted, or moved away. */
const absent: ReadonlySet<Action> = new Set(['deleted', 'moved-away']);

/**
 * Said, but not counted as changed files: only the manifest changes for a deletion found now, a
 * deleted file back as rendered or a dropped output whose file is already gone, and a file no
 * longer managed is left as it is.
 */
const unwritten = (o: FileOutcome): boolean => absent.has(o.action) || o.records !== undefined || o.action === 'unmanage';

/** Outcomes worth a line: anything but files left exactly as they were (in the manifest too). */
const shown = (o: FileOutcome): boolean => (o.action !== 'same' && o.action !== 'kept') || o.from !== undefined || o.records !== undefined;
/** Lines printed: those, and a file left as it is because it is behind a symbolic link (said, not counted as a change). */
const listed = (o: FileOutcome): boolean => shown(o) || o.link !== undefined;

export function formatOutcomes(outcomes: FileOutcome[], ui: Ui): string[] {
  const paint: Partial<Record<Action, (s: string) => string>> = { update: ui.color.cyan, merge: ui.color.cyan, create: ui.color.green, conflict: ui.color.red, blocked: ui.color.red, invalid: ui.color.red, remove: ui.color.yellow, unmanage: ui.color.yellow };
  return outcomes.filter(listed).map((o) => {
    // A file that only moves with its output (no change of content or mode) is said to move, not to stay the same.
    const said = o.from && o.action === 'same' ? 'moved' : o.records === 'managed' ? 'managed again' : o.records === 'forgotten' ? 'forgotten' : labels[o.action];
    const label = (o.records === 'forgotten' ? ui.color.dim : (paint[o.action] ?? ui.color.dim))(said.padEnd(16));
    // Paths may come from the project's manifest (a file of the repository): printed safely.
    const where = printable(o.from ? `${o.from} -> ${o.path}` : o.path);
    return `  ${label} ${where}${o.note ? ui.color.dim(`  (${printable(o.note)})`) : ''}`;
  });
}

function header(report: UpdateReport, ui: Ui, verb: string): void {
  const { answers } = report;
  // The root is the user's path and the recorded version and keys come from a manifest that may
  // have been edited by hand: quoted escaped, as every error is.
  ui.info(`${verb} ${ui.color.bold(answers.answers.name)} in ${printable(report.root)}: create-secure-service ${printable(report.from)} -> ${report.to}`);
  if (answers.changed.length) ui.info(`  answers changed: ${answers.changed.join(', ')}`);
  if (answers.added.length) ui.info(`  new questions: ${answers.added.map((k) => `${k} = ${JSON.stringify(answers.answers[k])}`).join(', ')}`);
  if (answers.dropped.length) ui.info(`  answers no longer asked (dropped): ${printable(answers.dropped.join(', '))}`);
}

async function printUpdate(report: UpdateReport, ui: Ui, dryRun: boolean, gitProblem?: string): Promise<number> {
  header(report, ui, dryRun ? 'Would update' : 'Updating');
  for (const line of repairedLines(report, dryRun ? 'dry-run' : 'apply')) ui.info(`  ${line}`);
  for (const line of formatOutcomes(report.outcomes, ui)) ui.info(line);
  const unchanged = report.outcomes.length - report.outcomes.filter(shown).length;
  if (dryRun) {
    const { createTwoFilesPatch } = await import('diff');
    for (const o of report.outcomes) {
      const after = o.after ?? (o.action === 'remove' && o.before !== undefined ? '' : undefined);
      if (after === undefined || after === o.before) continue;
      ui.info(createTwoFilesPatch(`a/${o.from ?? o.path}`, o.action === 'remove' ? '/dev/null' : `b/${o.path}`, o.before ?? '', after, 'now', 'after update'));
    }
  }
  const failed = report.outcomes.filter((o) => problems.has(o.action));
  for (const action of ['conflict', 'blocked', 'link', 'invalid'] as const) {
    const files = failed.filter((o) => (action === 'link' ? o.action === 'blocked' && o.link !== undefined : o.action === action && (action !== 'blocked' || o.link === undefined))).map((o) => o.path);
    if (files.length === 0) continue;
    const what = {
      conflict: dryRun ? 'would get conflict markers' : 'have conflicts: resolve the <<<<<<< markers (keep what you want from both sides), then run update --check',
      blocked: 'were not written: a file of yours is in the way (see each note)',
      // Only a dry run gets here: a real update refuses before writing anything.
      link: 'would be written through a symbolic link, which update never does, so it would refuse: replace each link with the file it points to (see each note)',
      invalid: 'were not merged: the merge would not parse (see each note); they stay as they are',
    }[action];
    ui.error(`${files.length} file(s) ${what}: ${files.join(', ')}`);
  }
  if (report.gitNote) ui.info(`  ${report.gitNote}`);
  if (report.droppedSecrets.length) {
    // Said, never done: see droppedServiceSecrets (src/update/run.ts).
    const files = report.droppedSecrets.join(', ');
    const rm = report.droppedSecrets.map((p) => shellWord(relative(process.cwd(), join(report.root, p)))).join(' ');
    ui.info(`  the password file of each backing service this update ${dryRun ? 'would drop' : 'dropped'} stays (a secret is never deleted for you; a data volume may still need it): ${printable(files)}; once nothing needs it, delete it: rm -- ${printable(rm)}`);
  }
  for (const note of report.dockerfileNotes) ui.warn(note);
  if (report.missingSecrets) {
    const { path, names } = report.missingSecrets;
    ui.warn(`${printable(path)} has no line for the secret(s) this update ${dryRun ? 'would add' : 'adds'}, ${names.join(', ')}: add ${names.map((n) => `${n}=''`).join(', ')} to it and write each value between the quotes (update never rewrites the file: its values are yours)`);
  }
  if (report.leftoverMarkers.length) ui.error(`conflict markers from an earlier update are still in: ${report.leftoverMarkers.join(', ')}; resolve them`);
  // As a file behind a symbolic link: the update this dry run shows would refuse.
  if (gitProblem) ui.error(gitProblem);
  if (report.notUtf8.length) ui.error(notUtf8Line(report.notUtf8));
  const bad = failed.length > 0 || report.leftoverMarkers.length > 0 || gitProblem !== undefined || report.notUtf8.length > 0;
  if (dryRun) {
    // A file update would not write (one of yours in the way, a merge that would not parse) is no change.
    const changing = report.outcomes.filter((o) => shown(o) && !unwritten(o) && o.action !== 'blocked' && o.action !== 'invalid').length;
    ui.info(`Dry run: ${changing} file(s) would change${unmanaged(report, true)}, ${unchanged} unchanged. Nothing was written.`);
  } else if (!report.written) {
    // Not up to date while a problem above stands (a file in the way, unresolved markers).
    if (bad) ui.info(`${ui.color.yellow('Nothing was written.')} The files above stay as they are: do what each line says, then run update again.`);
    else ui.info(`${ui.color.green('Up to date.')} Nothing to change for create-secure-service ${report.to}.`);
  } else {
    // A file given conflict markers was written too: changed, and said to hold markers.
    const marked = report.outcomes.filter((o) => o.action === 'conflict').length;
    const done = report.outcomes.filter((o) => shown(o) && (!problems.has(o.action) || o.action === 'conflict') && !unwritten(o)).length;
    ui.info(`${bad ? ui.color.yellow('Updated, with problems above.') : ui.color.green('Done.')} ${done} file(s) changed${marked ? ` (${marked} with conflict markers)` : ''}${unmanaged(report, false)}, ${unchanged} unchanged; the manifest records create-secure-service ${report.to}.`);
  }
  return bad ? ExitCode.findings : ExitCode.ok;
}

/** One line per file the manifest recorded twice (see UpdateReport.repaired): what update keeps of it, or would. */
function repairedLines(report: UpdateReport, mode: 'apply' | 'dry-run' | 'check'): string[] {
  return report.repaired.map((r) => printable(repairLine(r, MANIFEST_PATH, mode)));
}

/** Files no longer generated that stay as they are (edited, or behind a link): not changed, only no longer managed. */
function unmanaged(report: UpdateReport, dryRun: boolean): string {
  const n = report.outcomes.filter((o) => o.action === 'unmanage').length;
  return n ? `, ${n} ${dryRun ? 'would no longer be' : 'no longer'} managed (left as is)` : '';
}

/** Only --dry-run and --check get here: a real update refuses before writing anything (write.ts). */
function notUtf8Line(files: string[]): string {
  return `${files.length} file(s) not saved as UTF-8 would be written into, which update never does (each byte it cannot read would become U+FFFD), so it would refuse: ${printable(files.join(', '))}; save each as UTF-8, then run update again`;
}

function printCheck(report: UpdateReport, ui: Ui, gitProblem?: string): number {
  // Drift the answers do not record (another lockfile, a removed build script), and a .git the
  // next update stops on, are said here too, where CI looks, without changing whether the
  // project is up to date.
  if (gitProblem) ui.warn(gitProblem);
  for (const note of report.dockerfileNotes) ui.warn(note);
  for (const o of report.outcomes.filter((o) => o.warning)) ui.warn(`${printable(o.path)}: ${o.note}`);
  // What update would record in the manifest alone: nothing behind the templates, but --check
  // is where CI looks, and the next update changes the manifest for it.
  for (const o of report.outcomes.filter((o) => o.records === 'deleted')) {
    ui.warn(`${printable(o.path)}: deleted, and not yet recorded as deleted: update records it under "deleted" in ${MANIFEST_PATH} and leaves it deleted; to have it generated instead, put it back before running update`);
  }
  for (const o of report.outcomes.filter((o) => o.records === 'managed')) {
    ui.warn(`${printable(o.path)}: recorded as deleted, but back as the templates render it: update records it in ${MANIFEST_PATH} as generated (managed) again`);
  }
  for (const line of repairedLines(report, 'check')) ui.warn(line);
  for (const o of report.outcomes.filter((o) => o.records === 'forgotten')) {
    ui.warn(`${printable(o.path)}: no longer generated, and already gone: update removes its entry from ${MANIFEST_PATH}`);
  }
  if (!report.behind && report.leftoverMarkers.length === 0) {
    ui.info(`${ui.color.green('Up to date:')} ${report.root} matches create-secure-service ${report.to}.`);
    return ExitCode.ok;
  }
  if (report.behind) {
    header(report, ui, 'Behind:');
    for (const line of formatOutcomes(report.outcomes.filter((o) => o.templateChanged), ui)) ui.info(line);
    // Files update cannot write whatever it is run again: each needs the user's hand first, said per file.
    for (const o of report.outcomes.filter((o) => o.templateChanged && (o.action === 'blocked' || o.action === 'invalid'))) {
      const fix =
        o.link !== undefined
          ? `${o.link === o.path ? '' : `${o.link} `}is a symbolic link, which update never writes through; replace the link with the file it points to (or move the file back), then run create-secure-service update`
          : o.action === 'blocked'
          ? 'a file of yours is in the way of the new templates, and update never overwrites it; move that file away (or delete it), then run create-secure-service update'
          : "merging your edits with the new templates would not parse, so update leaves it; make the template's change by hand (update --dry-run shows it), then run create-secure-service update";
      ui.error(`${printable(o.path)}${o.link === o.path ? '' : ':'} ${fix}`);
    }
    // With the installed version recorded, what is behind is answers given to --check itself.
    const newer = report.from !== report.to || report.answers.added.length > 0;
    if (report.pending && newer) ui.error(`the project is behind create-secure-service ${report.to} (recorded ${report.from}); run create-secure-service update`);
    else if (report.pending && report.answers.changed.length > 0) ui.error(`the project differs from what these answers give (changed: ${report.answers.changed.join(', ')}); run create-secure-service update with them`);
    // The same version and answers: a fact read from this machine changed (a signer's key made since).
    else if (report.pending) ui.error(`create-secure-service ${report.to} renders ${report.outcomes.filter((o) => o.templateChanged).map((o) => printable(o.path)).join(', ')} differently for the same version and answers; run create-secure-service update`);
  }
  if (report.leftoverMarkers.length) ui.error(`conflict markers from an earlier update are still in: ${report.leftoverMarkers.join(', ')}; resolve them`);
  if (report.notUtf8.length) ui.error(notUtf8Line(report.notUtf8));
  return ExitCode.findings;
}
