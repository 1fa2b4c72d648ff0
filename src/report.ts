import type { Plan, PlannedFile, Status } from './plan.js';
import { MANIFEST_PATH } from './manifest.js';
import { lookMoved } from './moved.js';
import { printable, type Colors } from './ui.js';

const labels: Record<Status, string> = {
  create: 'create',
  update: 'update',
  identical: 'same',
  keep: 'keep (yours)',
  conflict: 'CONFLICT',
  moved: 'moved away?',
  deleted: 'deleted (yours)',
};

export function formatPlan(plan: Plan, color: Colors, options: { showState?: boolean } = {}): string[] {
  const paint: Record<Status, (s: string) => string> = { create: color.green, update: color.cyan, identical: color.dim, keep: color.dim, conflict: color.red, moved: color.yellow, deleted: color.yellow };
  return plan.files
    .filter((f) => options.showState || !f.file.path.startsWith('.secure-service/'))
    .map((f) => `  ${paint[f.status](labels[f.status].padEnd(13))} ${f.file.path}${f.moved ? color.dim(`  (${printable(lookMoved(f.moved.to))})`) : f.link ? color.dim(`  (${printable(linkKept(f.link))})`) : ''}`);
}

/** Why a file behind a symbolic link is left as it is. */
export const linkKept = (link: string): string => `${link} is a symbolic link, left as it is: never read or written through, and this run would not change the file`;

export function counts(plan: Plan): Record<Status, number> {
  const c: Record<Status, number> = { create: 0, update: 0, identical: 0, keep: 0, conflict: 0, moved: 0, deleted: 0 };
  for (const f of plan.files) c[f.status]++;
  return c;
}

/** Unified diffs of what would change in files that exist (loaded only for --dry-run and conflicts). */
export async function formatDiffs(files: PlannedFile[]): Promise<string[]> {
  const { createTwoFilesPatch } = await import('diff');
  return files
    .filter((f) => f.current !== undefined && f.current !== f.file.content)
    .map((f) => createTwoFilesPatch(`a/${f.file.path}`, `b/${f.file.path}`, f.current!, f.file.content, 'on disk', 'generated'));
}

/**
 * What `create` and `add` say of generated files the user deleted, which they do not create again,
 * as `update` leaves them: `recorded`, those the manifest lists under "deleted" already; `found`,
 * those gone since the last run, which this run records there. Either way the fix is the entry.
 */
export function deletedNotes(recorded: readonly string[], found: readonly string[], command: string, dryRun: boolean): string[] {
  const them = (paths: readonly string[]) => (paths.length > 1 ? 'them' : 'it');
  const fix = `to have one back, remove its entry there and run ${command} again`;
  const notes: string[] = [];
  if (recorded.length > 0) notes.push(`not created again, as you deleted ${them(recorded)} after an earlier run (recorded under "deleted" in ${MANIFEST_PATH}): ${recorded.join(', ')}; ${fix}`);
  if (found.length > 0) {
    const record = `${dryRun ? `a real run records ${them(found)}` : 'now recorded'} under "deleted" in ${MANIFEST_PATH}, as update does`;
    notes.push(`not created again, as you deleted ${them(found)} (missing, and nothing in the project looks like ${them(found)} moved): ${found.join(', ')}; ${record}; ${fix}`);
  }
  return notes.map(printable);
}
