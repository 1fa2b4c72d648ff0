/**
 * Three-way merge of one text file, line by line, as git and copier do: base = what we last
 * generated, ours = the file on disk, theirs = the new render. node-diff3 finds the regions; this
 * module decides each one and writes git-style conflict markers (diff3 style, with the base) where
 * both sides changed the same lines.
 *
 * node-diff3 is always given arrays of lines: given strings it splits on whitespace, which would
 * merge words, not lines. Lines keep their terminators, so a missing final newline survives.
 * Line endings are normalised to LF for the comparison and the file's own ending is restored.
 */
import { diff3MergeRegions } from 'node-diff3';

export type LineEnding = '\n' | '\r\n';

/** The labels written after the conflict markers. */
export interface MergeLabels {
  ours: string;
  base: string;
  theirs: string;
}

export interface MergeResult {
  text: string;
  /** Regions with conflict markers; 0 for a clean merge. */
  conflicts: number;
}

/** CRLF when most line breaks in the text are CRLF (a Windows checkout, core.autocrlf). */
export function lineEndingOf(text: string): LineEnding {
  const crlf = text.match(/\r\n/g)?.length ?? 0;
  const all = text.match(/\n/g)?.length ?? 0;
  return crlf > 0 && crlf >= all - crlf ? '\r\n' : '\n';
}

/** A UTF-8 byte order mark, as Windows editors save one: an encoding mark, not a line's text. */
export const BOM = '\uFEFF';

/** The text without its byte order mark, and the mark ('' when there is none) to put back first. */
export function splitBom(text: string): { bom: string; text: string } {
  return text.startsWith(BOM) ? { bom: BOM, text: text.slice(1) } : { bom: '', text };
}

/** Whether the text's last line ends (as POSIX text does), or there is none. */
export function endsLine(text: string): boolean {
  return text === '' || text.endsWith('\n');
}

/** The text with its last line ended, or not, as `ended` says (a file saved without its final newline stays so). */
export function withFinalNewline(text: string, ended: boolean): string {
  if (ended) return endsLine(text) ? text : `${text}\n`;
  return text.replace(/\r?\n$/, '');
}

export function toLf(text: string): string {
  return text.replace(/\r\n/g, '\n');
}

/** Text (with LF endings) in the given line ending. */
export function withLineEnding(text: string, ending: LineEnding): string {
  return ending === '\n' ? text : toLf(text).replace(/\n/g, '\r\n');
}

/** Lines with their terminators: 'a\nb' -> ['a\n', 'b']. */
export function splitLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

const same = (x: readonly string[], y: readonly string[]): boolean => x.length === y.length && x.every((line, i) => line === y[i]);

/** Inside a conflict block every line must end, or the closing marker would join it. */
const terminated = (lines: readonly string[]): string[] => lines.map((l) => (l.endsWith('\n') ? l : `${l}\n`));

export const CONFLICT_START = '<<<<<<<';

/**
 * Merge the three versions. The result has the line ending of `ours` (the file as the user keeps
 * it); where both sides changed the same lines, a conflict block holds all three versions.
 */
export function mergeText(base: string, ours: string, theirs: string, labels: MergeLabels): MergeResult {
  const ending = lineEndingOf(ours);
  // The user's mark would otherwise make their first line differ from both others (a conflict),
  // and land inside a conflict block; it stays first, where it means something.
  const user = splitBom(ours);
  // So is a final newline the user's editor left out (or added): otherwise the last line differs
  // on their side whatever they did, and any change the template makes to it conflicts.
  const ended = endsLine(user.text);
  const [o, a, b] = [base, ours, theirs].map((t) => splitLines(withFinalNewline(toLf(splitBom(t).text), true)));
  const out: string[] = [];
  let conflicts = 0;
  for (const region of diff3MergeRegions(a!, o!, b!)) {
    if (region.stable) {
      out.push(...region.bufferContent);
      continue;
    }
    const { aContent: mine, oContent: old, bContent: next } = region;
    // A region can hold hunks of one side only (adjacent edits), or the same edit on both sides.
    if (same(mine, next) || same(next, old)) out.push(...mine);
    else if (same(mine, old)) out.push(...next);
    else {
      conflicts++;
      out.push(
        `${CONFLICT_START} ${labels.ours}\n`,
        ...terminated(mine),
        `||||||| ${labels.base}\n`,
        ...terminated(old),
        '=======\n',
        ...terminated(next),
        `>>>>>>> ${labels.theirs}\n`,
      );
    }
  }
  const text = out.join('');
  // A conflict block at the very end keeps its closing marker's line whole.
  const last = ended || text.endsWith(`>>>>>>> ${labels.theirs}\n`) ? text : withFinalNewline(text, false);
  return { text: user.bom + withLineEnding(last, ending), conflicts };
}

/** Lines that look like a leftover conflict block (a start marker and an end marker). */
export function hasConflictMarkers(text: string): boolean {
  return /^<<<<<<< /m.test(text) && /^>>>>>>> /m.test(text) && /^=======\r?$/m.test(text);
}
