/**
 * Files that are sets of lines (`.gitignore`, `.dockerignore`, `.allowed_signers`): when the user
 * already has one, only the entries it lacks are added, in one marked block at the end (see
 * markers.ts), under the comments that explain them in our template. Entries the user already
 * has, anywhere outside the block, are not repeated; so a second run changes nothing, and an
 * entry the user moves out of the block drops out of it.
 */
import { DockerIgnore } from '../check/dockerignore.js';
import { readBlock, withBlock, withoutBlock } from './markers.js';

/** A .dockerignore line that leaves out everything (a whitelist's first line). */
const catchAll = /^\s*\/?(\*|\*\*|\*\*\/\*)\s*$/;

const isEntry = (line: string) => line.trim() !== '' && !line.trimStart().startsWith('#');

/** Our template as sections: the comment lines that introduce some entries, and those entries. */
function sections(template: string): { comments: string[]; entries: string[] }[] {
  const out: { comments: string[]; entries: string[] }[] = [];
  let current = { comments: [] as string[], entries: [] as string[] };
  const flush = () => {
    if (current.entries.length > 0) out.push(current);
    current = { comments: [], entries: [] };
  };
  for (const raw of template.split(/\r?\n/)) {
    const line = raw.trimEnd();
    if (line.trim() === '') flush();
    else if (isEntry(line)) current.entries.push(line.trim());
    else {
      if (current.entries.length > 0) flush();
      current.comments.push(line);
    }
  }
  flush();
  return out;
}

/**
 * The entries of `template` missing from `current` (outside our block), as block lines.
 * `needed`: for a .dockerignore, the paths the generated Dockerfile copies from the build context.
 * Those the user's lines leave out (a whitelist: `*`, then `!src`) get a `!` line first in the
 * block, after the user's lines and before our exclusions, so the last match keeps secrets out.
 */
export function missingLines(current: string, template: string, part: string, file: string, needed: readonly string[] = []): string[] {
  const theirs = withoutBlock(current, part, file);
  const have = new Set(theirs.split(/\r?\n/).filter(isEntry).map((l) => l.trim()));
  const body: string[] = [];
  // Only what a catch-all (`*`) leaves out: a line naming the path itself is the user's choice,
  // which the Dockerfile notes then name.
  const [ignore, named] = needed.length > 0 ? [new DockerIgnore(theirs), new DockerIgnore(theirs.split(/\r?\n/).filter((l) => !catchAll.test(l)).join('\n'))] : [null, null];
  const excluded = ignore ? [...new Set(needed)].filter((p) => !/[*?[\\]/.test(p) && ignore.ignores(p) && !named!.ignores(p)) : [];
  if (excluded.length > 0) {
    body.push(LET_IN_HEADER, ...excluded.map((p) => `!${p}`));
    for (const p of excluded) have.add(`!${p}`);
    const again = linesToRepeat(theirs, excluded);
    if (again.length > 0) body.push(REPEAT_HEADER, ...again);
  }
  for (const section of sections(template)) {
    const missing = section.entries.filter((e) => !have.has(e));
    if (missing.length === 0) continue;
    for (const e of missing) have.add(e);
    if (body.length > 0) body.push('');
    body.push(...section.comments, ...missing);
  }
  return body;
}

/**
 * Docker lets the last matching line decide, so `!app` would let back in what the user's own lines
 * keep out of app/ (`app/local_settings.py`, or `*.sqlite` files anywhere). Repeating every line
 * after the last catch-all, in order, after the `!` lines restores each of those decisions
 * exactly, inside the folders let in and everywhere else alike; where none of them matches, the
 * `!` line lets the path in. Needed only when one of them excludes and could match below a path
 * let in: a pattern whose first segment is a literal other name cannot.
 */
function linesToRepeat(theirs: string, letIn: readonly string[]): string[] {
  const lines = theirs.split(/\r?\n/).filter(isEntry).map((l) => l.trim());
  let last = -1;
  lines.forEach((l, i) => {
    if (catchAll.test(l)) last = i;
  });
  const tail = lines.slice(last + 1);
  const firstSegments = new Set(letIn.map((p) => p.split('/')[0]));
  const reachesIn = (line: string) => {
    const first = line.replace(/^\/+/, '').split('/')[0]!;
    return /[*?[\\]/.test(first) || firstSegments.has(first);
  };
  return tail.some((l) => !l.startsWith('!') && reachesIn(l)) ? tail : [];
}

/** The first line of a line set's block: why it is there, and that the tool rewrites it. */
/** The sections of a .dockerignore block worked out from the user's lines and the Dockerfile, not from a template. */
export const LET_IN_HEADER = '# The generated Dockerfile copies these, which the lines above leave out of the build context.';
export const REPEAT_HEADER = '# Your lines after the catch-all again, in order, so what they leave out of those folders stays out.';

export const LINE_SET_HEADER = '# Added by create-secure-service: the entries this file lacked. Re-running `add` rewrites this block.';

/**
 * `current` with the block holding exactly the missing entries (no block when nothing is missing).
 * The header line says why the block is there and that the tool rewrites it.
 */
export function mergeLineSet(current: string, template: string, part: string, file: string, needed: readonly string[] = []): string {
  const missing = missingLines(current, template, part, file, needed);
  const body = missing.length > 0 ? [LINE_SET_HEADER, ...missing] : null;
  const existing = readBlock(current, part, file);
  if (existing !== null && body !== null && existing.join('\n') === body.join('\n')) return current;
  return withBlock(current, part, file, body);
}
