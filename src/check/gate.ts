/**
 * create's gate: the rule engine run on the rendered files, in memory, before anything is planned
 * or written. A finding there is a bug in a template, never the user's doing: nothing is written
 * and the run stops with exit 1.
 */
import { ExitCode, UserError } from '../errors.js';
import type { FileTree } from '../render/index.js';
import { runCheck } from './engine.js';
import type { Finding } from './findings.js';
import { memorySource } from './source.js';

export async function renderedFindings(tree: FileTree): Promise<Finding[]> {
  const files = new Map([...tree.values()].map((f) => [f.path, f.content]));
  return (await runCheck(memorySource(files), { scanAllForConflicts: true })).findings;
}

export async function assertRenderedClean(tree: FileTree): Promise<void> {
  const findings = await renderedFindings(tree);
  const first = findings[0];
  if (!first) return;
  const more = findings.length > 1 ? ` (and ${findings.length - 1} more)` : '';
  throw new UserError(
    `internal error: the generator rendered a file that breaks ${first.rule} (${first.file}:${first.line}: ${first.message})${more}; nothing was written; please report it`,
    ExitCode.findings,
  );
}
