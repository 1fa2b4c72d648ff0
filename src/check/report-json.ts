/**
 * The JSON report (`--format json`). Stable: fields only ever get added, findings are sorted by
 * file, line and rule, and nothing depends on the machine or the time. Documented in README.md.
 */
import type { CheckReport } from './engine.js';
import { getRule } from './rules.js';

export const JSON_REPORT_VERSION = 1;

export function jsonReport(report: CheckReport, toolVersion: string): string {
  const byRule: Record<string, number> = {};
  for (const f of report.findings) byRule[f.rule] = (byRule[f.rule] ?? 0) + 1;
  const out = {
    version: JSON_REPORT_VERSION,
    tool: { name: 'create-secure-service', version: toolVersion },
    files: report.files,
    findings: report.findings.map((f) => {
      const rule = getRule(f.rule);
      return { rule: f.rule, upstream: rule.upstream, severity: rule.severity, file: f.file, line: f.line, message: f.message, fix: f.fix };
    }),
    summary: { findings: report.findings.length, suppressed: report.suppressed, byRule: Object.fromEntries(Object.entries(byRule).sort()) },
  };
  return `${JSON.stringify(out, null, 2)}\n`;
}
