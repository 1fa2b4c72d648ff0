/**
 * A finding: one broken rule at one place. Every checker returns these; the engine filters,
 * suppresses and sorts them, and the reporters print them.
 */
import { getRule } from './rules.js';
import { compareText } from '../compare.js';

export interface Finding {
  /** Our rule ID (RULES.md), e.g. D04. */
  rule: string;
  /** Path relative to the checked directory, with forward slashes. */
  file: string;
  /** 1-based line the parser placed the problem on (1 for a whole-file problem). */
  line: number;
  message: string;
  fix: string;
}

export function finding(rule: string, file: string, line: number, message: string, fix?: string): Finding {
  return { rule, file, line: Math.max(1, line), message, fix: fix ?? getRule(rule).fix };
}

/**
 * `items` appended to `list`, one by one: a hostile file can give a checker a hundred thousand
 * findings, more than `list.push(...items)` can pass as arguments (it throws a RangeError).
 */
export function appendAll<T>(list: T[], items: Iterable<T>): void {
  for (const item of items) list.push(item);
}

/** Stable order: by file, line, rule, message. */
export function sortFindings(findings: Finding[]): Finding[] {
  return [...findings].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || compareText(a.rule, b.rule) || compareText(a.message, b.message)));
}

/** Drops exact repeats (the same problem seen through two merged compose models, say). */
export function uniqueFindings(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.file}\0${f.line}\0${f.rule}\0${f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
