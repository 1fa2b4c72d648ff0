/**
 * SARIF 2.1.0 (`--format sarif`), as GitHub code scanning reads it: every rule in
 * tool.driver.rules (id, name, descriptions, help text, upstream IDs as tags, a
 * security-severity), and each finding as a result with ruleId, level, message and a location
 * relative to the checked folder (uriBaseId %SRCROOT%) with its start line.
 * A test validates the output against the OASIS SARIF 2.1.0 schema (schemas/).
 */
import type { CheckReport } from './engine.js';
import { rules, type Severity } from './rules.js';

const level: Record<Severity, 'error' | 'warning' | 'note'> = { high: 'error', medium: 'warning', low: 'note' };
/** GitHub maps security-severity to critical (9+), high (7+), medium (4+) and low. */
const securitySeverity: Record<Severity, string> = { high: '8.0', medium: '5.5', low: '3.0' };

const informationUri = 'https://www.npmjs.com/package/create-secure-service';

/** A relative path as a URI reference: each segment percent-encoded. */
const uriOf = (path: string) => path.split('/').map(encodeURIComponent).join('/');

export function sarifReport(report: CheckReport, toolVersion: string): string {
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'create-secure-service',
            version: toolVersion,
            semanticVersion: toolVersion,
            informationUri,
            rules: rules.map((r) => ({
              id: r.id,
              name: r.name,
              shortDescription: { text: r.summary },
              fullDescription: { text: r.summary },
              help: { text: `${r.summary}.\nFix: ${r.fix}${r.upstream.length > 0 ? `\nUpstream: ${r.upstream.join(', ')}` : ''}`, markdown: `${r.summary}.\n\n**Fix:** ${r.fix}${r.upstream.length > 0 ? `\n\n**Upstream:** ${r.upstream.join(', ')}` : ''}` },
              defaultConfiguration: { level: level[r.severity] },
              properties: { tags: ['security', ...r.upstream], 'security-severity': securitySeverity[r.severity] },
            })),
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { description: { text: 'The folder create-secure-service check was run on.' } } },
        results: report.findings.map((f) => ({
          ruleId: f.rule,
          ruleIndex: index.get(f.rule)!,
          level: level[rules[index.get(f.rule)!]!.severity],
          message: { text: `${f.message}. Fix: ${f.fix}` },
          locations: [{ physicalLocation: { artifactLocation: { uri: uriOf(f.file), uriBaseId: '%SRCROOT%' }, region: { startLine: f.line } } }],
        })),
        columnKind: 'utf16CodeUnits',
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
