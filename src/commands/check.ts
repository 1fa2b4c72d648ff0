/**
 * `create-secure-service check [directory]`: audit a repository against the hardening rules.
 *   1. where   the folder (default: the current one), which must exist
 *   2. how     --format text|json|sarif, --rule/--ignore IDs, all validated before reading
 *   3. check   the rule engine on the folder (src/check/engine.ts)
 *   4. report  exit 0 when clean, 1 on findings, 2 on bad usage
 */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CliArgs } from '../cli/args.js';
import { runCheck } from '../check/engine.js';
import { jsonReport } from '../check/report-json.js';
import { sarifReport } from '../check/report-sarif.js';
import { textReport } from '../check/report-text.js';
import { isRuleId, rules } from '../check/rules.js';
import { diskSource } from '../check/source.js';
import { ExitCode, UserError } from '../errors.js';
import { packageVersion } from '../paths.js';
import { printable, type Ui } from '../ui.js';

const formats = ['text', 'json', 'sarif'] as const;

export async function run(args: CliArgs, ui: Ui): Promise<number> {
  // 1. where
  const root = resolve(args.positionals[0] ?? '.');
  let kind: 'dir' | 'other' | 'missing';
  try {
    kind = statSync(root).isDirectory() ? 'dir' : 'other';
  } catch (error) {
    // Only a path that is not there is missing: links in a loop, or a folder the user may not
    // enter, are reported as what they are (index.ts), with their own fix.
    if (!['ENOENT', 'ENOTDIR'].includes((error as NodeJS.ErrnoException).code ?? '')) throw error;
    kind = 'missing';
  }
  if (kind === 'missing') throw new UserError(`${root} does not exist; give the folder to check, e.g. create-secure-service check .`);
  if (kind === 'other') throw new UserError(`${root} is not a folder; give the folder to check, e.g. create-secure-service check .`);

  // 2. how
  const format = (args.options.format as string | undefined) ?? 'text';
  if (!(formats as readonly string[]).includes(format)) throw new UserError(`unknown format "${format}"; use --format text, json or sarif`);
  const only = ruleIds(args.options.rule, '--rule');
  const ignore = ruleIds(args.options.ignore, '--ignore');

  // 3. check
  const source = diskSource(root);
  const report = await runCheck(source, { ...(only ? { only } : {}), ...(ignore ? { ignore } : {}), rootDir: root });

  // 4. report. A folder with none of the files the rules read passes, but say so: run in the
  // wrong folder, "no findings" alone would read as a clean audit.
  const misnamed = source.misnamed?.() ?? [];
  if (misnamed.length > 0) ui.warn(`${misnamed.length} path(s) have names that are not UTF-8 text, so check could not read them or anything in them: ${misnamed.map((p) => printable(p)).join(', ')}; rename them to UTF-8 names to have them checked`);
  if (report.files.length === 0) ui.warn(`nothing to check in ${printable(root)}: no Dockerfile, .dockerignore, compose file, Nomad job, Vault policy or git config found; give the project's folder (create-secure-service check <folder>)`);
  if (format === 'json') ui.info(jsonReport(report, packageVersion()).trimEnd());
  else if (format === 'sarif') ui.info(sarifReport(report, packageVersion()).trimEnd());
  else for (const line of textReport(report, ui.color)) ui.info(line);
  return report.findings.length > 0 ? ExitCode.findings : ExitCode.ok;
}

/** `--rule D01 --rule C03,C04`: known IDs, upper-cased; undefined when the flag is absent. */
function ruleIds(value: string | boolean | string[] | undefined, flag: string): string[] | undefined {
  if (value === undefined || typeof value === 'boolean') return undefined;
  const ids = (Array.isArray(value) ? value : [value]).flatMap((v) => v.split(',')).map((v) => v.trim().toUpperCase()).filter((v) => v !== '');
  // `--rule "$RULES"` with RULES unset would otherwise check no rule at all, and pass.
  if (ids.length === 0 && flag === '--rule') throw new UserError('--rule names no rule ID; give one, e.g. --rule D04, or leave --rule out to check every rule');
  const unknown = ids.filter((id) => !isRuleId(id));
  if (unknown.length > 0) throw new UserError(`unknown rule ID ${unknown.map(withMeant).join(', ')} for ${flag}; the IDs are ${rules.map((r) => r.id).join(' ')} (see README.md)`);
  return ids;
}

/** `D4` for D04: the rule's number without its leading zero. */
function withMeant(id: string): string {
  const padded = /^([A-Z])0*(\d)$/.exec(id);
  const meant = padded ? `${padded[1]}0${padded[2]}` : undefined;
  return meant !== undefined && isRuleId(meant) ? `${id} (did you mean ${meant}?)` : id;
}
