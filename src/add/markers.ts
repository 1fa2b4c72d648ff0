/**
 * One managed block per part inside a file the user owns:
 *
 *   # >>> create-secure-service:<part> >>>
 *   ...lines this tool manages...
 *   # <<< create-secure-service:<part> <<<
 *
 * (`<!-- ... -->` around the same words in Markdown.) Everything outside the markers is the
 * user's and is kept byte for byte; a re-run replaces the block where it stands, so moving it is
 * safe. A missing end marker or a repeated block is an error naming the line, never a guess.
 */
import { UserError } from '../errors.js';

export type CommentStyle = 'hash' | 'html';

export function markerLines(part: string, style: CommentStyle): { start: string; end: string } {
  const start = `>>> create-secure-service:${part} >>>`;
  const end = `<<< create-secure-service:${part} <<<`;
  return style === 'html' ? { start: `<!-- ${start} -->`, end: `<!-- ${end} -->` } : { start: `# ${start}`, end: `# ${end}` };
}

/** The comment style a file's block is written in. */
export function styleFor(path: string): CommentStyle {
  return /\.(md|markdown|html?)$/i.test(path) ? 'html' : 'hash';
}

/** Line indexes of the block (start and end marker lines, inclusive), or null when there is none. */
export function findBlock(lines: readonly string[], part: string, style: CommentStyle, file: string): { start: number; end: number } | null {
  const { start, end } = markerLines(part, style);
  const starts = lines.flatMap((l, i) => (l.trim() === start ? [i] : []));
  const ends = lines.flatMap((l, i) => (l.trim() === end ? [i] : []));
  if (starts.length === 0 && ends.length === 0) return null;
  const fix = 'restore the marker, or delete the whole block and run again';
  if (starts.length > 1 || ends.length > 1) throw new UserError(`${file}: the create-secure-service:${part} block appears more than once (lines ${[...starts, ...ends].map((i) => i + 1).join(', ')}); keep one block and delete the others`);
  if (starts.length === 0) throw new UserError(`${file}:${ends[0]! + 1}: end marker of the create-secure-service:${part} block without its start marker; ${fix}`);
  if (ends.length === 0) throw new UserError(`${file}:${starts[0]! + 1}: start marker of the create-secure-service:${part} block without its end marker; ${fix}`);
  if (ends[0]! < starts[0]!) throw new UserError(`${file}:${ends[0]! + 1}: the create-secure-service:${part} end marker comes before its start marker; ${fix}`);
  return { start: starts[0]!, end: ends[0]! };
}

/** The text with the block's body lines, or null for "no block". */
export function readBlock(text: string, part: string, file: string): string[] | null {
  const lines = splitLines(text).lines;
  const block = findBlock(lines, part, styleFor(file), file);
  return block ? lines.slice(block.start + 1, block.end) : null;
}

/** The text without the block (and without the blank line that separates an appended block). */
export function withoutBlock(text: string, part: string, file: string): string {
  return withBlock(text, part, file, null);
}

/**
 * Put `body` (lines, without markers) in the part's block: replaced in place when the block
 * exists, appended after a blank line when it does not; `null` removes the block. The file's line
 * ending (LF or CRLF) is kept.
 */
export function withBlock(text: string, part: string, file: string, body: readonly string[] | null): string {
  const style = styleFor(file);
  const { lines, eol, finalNewline } = splitLines(text);
  const { start, end } = markerLines(part, style);
  const block = body === null ? [] : [start, ...body, end];
  const found = findBlock(lines, part, style, file);
  let out: string[];
  if (found) {
    const before = lines.slice(0, found.start);
    const after = lines.slice(found.end + 1);
    // Removing an appended block also removes the blank line that was added in front of it.
    if (body === null && after.length === 0 && before.at(-1) === '') before.pop();
    out = [...before, ...block, ...after];
  } else {
    if (body === null) return text;
    out = lines.length === 0 ? block : [...lines, ...(lines.at(-1) === '' ? [] : ['']), ...block];
  }
  if (out.length === 0) return '';
  // A file that did not end with a newline keeps that, unless the block is now its last line.
  const blockLast = found ? found.end === lines.length - 1 : true;
  return out.join(eol) + (finalNewline || blockLast ? eol : '');
}

/** Lines without their terminators; a final newline does not make an extra empty line. */
function splitLines(text: string): { lines: string[]; eol: string; finalNewline: boolean } {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  if (text === '') return { lines: [], eol, finalNewline: true };
  const finalNewline = text.endsWith('\n');
  const lines = (finalNewline ? text.slice(0, text.endsWith('\r\n') ? -2 : -1) : text).split(/\r?\n/);
  return { lines, eol, finalNewline };
}
