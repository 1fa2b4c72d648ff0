/** What `add` prints: what it detected and where from, and one line per file with its outcome. */
import { lookMoved } from '../moved.js';
import { linkKept } from '../report.js';
import { printable, type Colors } from '../ui.js';
import type { DetectedValue } from './detect/index.js';
import { areaPath, shownPath, SIDE_SUFFIX, type AddFile, type AddStatus } from './reconcile.js';

const labels: Record<AddStatus, string> = {
  create: 'create',
  identical: 'same',
  update: 'update',
  merge: 'add block',
  keep: 'keep (yours)',
  conflict: 'CONFLICT',
  overwrite: 'overwrite',
  adopt: 'keep mine',
  side: 'side copy',
  moved: 'moved away?',
  deleted: 'deleted (yours)',
};

const keyLabels: Partial<Record<string, string>> = { languageVersion: 'version', healthPath: 'health path', buildTarget: 'build', packageManager: 'package manager', buildScript: 'build script' };

export function formatDetected(found: readonly DetectedValue[], color: Colors): string[] {
  const label = (f: DetectedValue) => keyLabels[f.key] ?? f.key;
  const labelWidth = Math.max(0, ...found.map((f) => label(f).length));
  const width = Math.max(0, ...found.map((f) => printable(f.shown).length));
  // Values and their sources are read from the repository: printed safely.
  return found.map((f) => `  ${label(f).padEnd(labelWidth)}  ${color.bold(printable(f.shown).padEnd(width))}  ${color.dim(`from ${printable(f.source)}`)}`);
}

export function formatFiles(files: readonly AddFile[], color: Colors): string[] {
  const paint: Record<AddStatus, (s: string) => string> = {
    create: color.green, identical: color.dim, update: color.cyan, merge: color.cyan, keep: color.dim,
    conflict: color.red, overwrite: color.yellow, adopt: color.dim, side: color.green, moved: color.yellow, deleted: color.yellow,
  };
  return files.map((f) => {
    const extra = f.status === 'side' ? `  (ours: ${shownPath(f)}${SIDE_SUFFIX})` : f.status === 'merge' ? `  (${f.kind === 'lines' ? 'missing entries' : 'our text'} in a marked block)` : f.movedTo ? `  (${printable(lookMoved(f.movedTo.map((p) => areaPath(f.area, p))))})` : f.link ? `  (${printable(linkKept(areaPath(f.area, f.link)))})` : '';
    return `  ${paint[f.status](labels[f.status].padEnd(13))} ${shownPath(f)}${extra}`;
  });
}
