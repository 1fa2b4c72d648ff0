/**
 * The text report, read like a linter's: findings grouped by file, one line each
 * (`line  ID  message  (upstream IDs)`) and the fix below it; colour only on a TTY (the Ui's colours).
 */
import { printable, type Colors } from '../ui.js';
import type { Finding } from './findings.js';
import type { CheckReport } from './engine.js';
import { getRule } from './rules.js';

export function textReport(report: CheckReport, color: Colors): string[] {
  const lines: string[] = [];
  const byFile = new Map<string, Finding[]>();
  // Appended in place and measured in one pass: a hostile file can have a hundred thousand
  // findings, too many to copy per finding or to spread into Math.max's arguments.
  let width = 1;
  for (const f of report.findings) {
    const list = byFile.get(f.file);
    if (list) list.push(f);
    else byFile.set(f.file, [f]);
    width = Math.max(width, String(f.line).length);
  }
  for (const [file, findings] of byFile) {
    // The file names and messages come from the checked repository (paths, values): printed safely.
    lines.push(color.bold(printable(file)));
    for (const f of findings) {
      const rule = getRule(f.rule);
      const id = rule.severity === 'high' ? color.red(f.rule) : rule.severity === 'medium' ? color.yellow(f.rule) : color.cyan(f.rule);
      const upstream = rule.upstream.length > 0 ? color.dim(`  (${rule.upstream.join(', ')})`) : '';
      lines.push(`  ${String(f.line).padStart(width)}  ${id}  ${printable(f.message)}${upstream}`);
      lines.push(`  ${' '.repeat(width)}       ${color.dim(`fix: ${f.fix}`)}`);
    }
    lines.push('');
  }
  const n = report.findings.length;
  const files = byFile.size;
  const suppressed = report.suppressed > 0 ? `; ${report.suppressed} accepted by secure-service-ignore comments` : '';
  if (n === 0) lines.push(`${color.green('No findings')} in ${report.files.length} file(s) checked${suppressed}.`);
  else lines.push(`${color.red(`${n} finding(s)`)} in ${files} file(s) (${report.files.length} checked)${suppressed}.`);
  return lines;
}
