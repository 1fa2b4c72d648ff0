/**
 * One `.dockerignore` pattern as Docker reads it today (moby/patternmatcher, used by BuildKit):
 *
 * - `*` is any run of characters but `/`, `?` one character but `/`, `[...]` a character class,
 *   `**` any number of folders (`**` at the end: anything), `\` escapes the next character;
 * - every other character is itself. Docker escapes `.+()|{}$` before handing the pattern to Go's
 *   regexp package, and passes the rest through, so `^` outside a class is a start-of-text anchor;
 * - a pattern that is only literal text, or literal text after a leading `**` or before a trailing
 *   `**`, is compared as a string (equal, suffix, prefix). The suffix form makes `**.env` match
 *   `x.env`, which the expression alone would not;
 * - a pattern Go's `filepath.Match` calls malformed (an unclosed `[`, a trailing `\`) fails the build.
 *
 * @balena/dockerignore, whose rule parsing `DockerIgnore` keeps, compiles patterns to JavaScript
 * expressions by an older moby's rules: `(` or `[` alone crashed `check` with a RegExp syntax error,
 * `a+b` meant "one or more a", and several `*` in one name backtracked exponentially on a name
 * crafted for them. Here a pattern becomes tokens, matched by a JavaScript expression when it
 * cannot backtrack more than polynomially, and otherwise by a set-of-states automaton, linear in the
 * path. Test: test/check/docker-pattern.test.ts, against Go's own regexp and filepath.Match.
 */

/** Why a pattern is refused: one clause, the fix included. */
export class PatternError extends Error {}

export interface PathPattern {
  test(path: string): boolean;
  /** Matches need at least this many `/`: a parent folder with fewer parts cannot match. */
  minSlashes: number;
  /** Matches may have more `/` than that (`**`, or a class that takes `/`). */
  variableDepth: boolean;
}

type Token =
  | { kind: 'char'; code: number }
  | { kind: 'one' } // ?  : one character but '/'
  | { kind: 'class'; negated: boolean; ranges: [number, number][] }
  | { kind: 'star' } // *  : any run without '/'
  | { kind: 'folders' } // ** before more: any folders, or none  (Go: (.*/)?)
  | { kind: 'rest' } // ** at the end: anything but a newline     (Go: .*)
  | { kind: 'start' }; // ^ outside a class: Go's start-of-text assertion

const SLASH = 0x2f;
const NEWLINE = 0x0a;

export function compilePattern(pattern: string): PathPattern {
  const { tokens, kind } = tokenize(pattern);
  const minSlashes = tokens.filter((t) => t.kind === 'char' && t.code === SLASH).length;
  const variableDepth = kind === 'prefix' || kind === 'suffix' || tokens.some((t) => t.kind === 'folders' || t.kind === 'rest' || (t.kind === 'class' && inClass(t, SLASH)));
  return { test: tester(pattern, tokens, kind), minSlashes, variableDepth };
}

type MatchKind = 'exact' | 'prefix' | 'suffix' | 'regexp';

function tester(pattern: string, tokens: Token[], kind: MatchKind): (path: string) => boolean {
  if (kind === 'exact') return (path) => path === pattern;
  if (kind === 'prefix') {
    const prefix = pattern.slice(0, -2);
    return (path) => path.startsWith(prefix);
  }
  if (kind === 'suffix') {
    const suffix = pattern.slice(2);
    return (path) => path.endsWith(suffix) || (suffix.startsWith('/') && path === suffix.slice(1));
  }
  if (backtracksLittle(tokens)) {
    const expression = new RegExp(`^${tokens.map(source).join('')}$`, 'u');
    return (path) => expression.test(path);
  }
  return (path) => automatonMatches(tokens, path);
}

/**
 * The scan Docker does, as tokens, with its match kind: literal text keeps the string comparison
 * (`**` before or after it makes that a suffix or prefix one); `*`, `?`, `[`, `]` or an escape make
 * it an expression, as they do in Docker's scan.
 */
function tokenize(pattern: string): { tokens: Token[]; kind: MatchKind } {
  const chars = [...pattern];
  const tokens: Token[] = [];
  let kind: MatchKind = 'exact';
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    const atStart = i === 0;
    if (ch === '*' && chars[i + 1] === '*') {
      i++;
      if (chars[i + 1] === '/') i++;
      if (i + 1 >= chars.length) {
        if (kind === 'exact') kind = 'prefix';
        else {
          tokens.push({ kind: 'rest' });
          kind = 'regexp';
        }
      } else {
        tokens.push({ kind: 'folders' });
        kind = 'regexp';
      }
      if (atStart) kind = 'suffix';
    } else if (ch === '*') {
      tokens.push({ kind: 'star' });
      kind = 'regexp';
    } else if (ch === '?') {
      tokens.push({ kind: 'one' });
      kind = 'regexp';
    } else if (ch === '\\') {
      if (i + 1 >= chars.length) throw new PatternError('ends in a lone \\, which Docker refuses; remove it, or write \\\\ for a backslash');
      tokens.push({ kind: 'char', code: escaped(chars[++i]!) });
      kind = 'regexp';
    } else if (ch === '[') {
      i = readClass(chars, i, tokens);
      kind = 'regexp';
    } else if (ch === '^') {
      tokens.push({ kind: 'start' });
    } else if (ch === ']') {
      tokens.push({ kind: 'char', code: 0x5d });
      kind = 'regexp'; // as Docker's scan has it: `**]` is an expression, not a suffix
    } else {
      tokens.push({ kind: 'char', code: ch.codePointAt(0)! });
    }
  }
  return { tokens, kind };
}

/** The character after a backslash: Go's regexp reads `\d`, `\w`, `\x41`... as escapes, not letters. */
function escaped(ch: string): number {
  const code = ch.codePointAt(0)!;
  if (code >= 0x80 || /[0-9A-Za-z]/.test(ch)) {
    throw new PatternError(`has \\${ch}, which Docker's matcher reads as a regular-expression escape, not the character ${ch}; write ${ch} without the backslash`);
  }
  return code;
}

/**
 * A `[...]` class from chars[open]; returns the index of its `]`. The syntax is filepath.Match's
 * (which Docker checks first): an optional `^`, then at least one character or range, `\` escaping
 * one; the meaning is Go regexp's, which agrees on every class this accepts.
 */
function readClass(chars: string[], open: number, tokens: Token[]): number {
  const unclosed = () => new PatternError('has a [ with no closing ], which Docker refuses; close the class, or write \\[ for a bracket');
  let i = open + 1;
  const negated = chars[i] === '^';
  if (negated) i++;
  const ranges: [number, number][] = [];
  const member = (): number => {
    const ch = chars[i];
    if (ch === undefined) throw unclosed();
    if (ch === '-' || ch === ']') throw new PatternError(`has a class with ${ch} where a character belongs, which Docker refuses; escape it as \\${ch}`);
    if (ch === '*' || ch === '?') throw new PatternError(`has ${ch} inside [...], which Docker's matcher turns into a wildcard there; escape it as \\${ch}`);
    if (ch === '[' && chars[i + 1] === ':') throw new PatternError('has [: inside [...], which Docker reads as a POSIX class; list the characters instead (e.g. [a-zA-Z])');
    i++;
    if (ch !== '\\') return ch.codePointAt(0)!;
    if (chars[i] === undefined) throw unclosed();
    return escaped(chars[i++]!);
  };
  for (;;) {
    if (chars[i] === ']' && ranges.length > 0) break;
    const lo = member();
    let hi = lo;
    if (chars[i] === '-') {
      i++;
      hi = member();
      if (hi < lo) throw new PatternError(`has the range ${String.fromCodePoint(lo)}-${String.fromCodePoint(hi)}, which ends before it starts and Docker refuses; write ${String.fromCodePoint(hi)}-${String.fromCodePoint(lo)}`);
    }
    if (chars[i] === undefined) throw unclosed();
    ranges.push([lo, hi]);
  }
  tokens.push({ kind: 'class', negated, ranges });
  return i;
}

function inClass(token: Extract<Token, { kind: 'class' }>, code: number): boolean {
  const within = token.ranges.some(([lo, hi]) => lo <= code && code <= hi);
  return within !== token.negated;
}

/**
 * Whether JavaScript's backtracking engine stays polynomial on this pattern: at most one `**`
 * before more (each tries every `/` of the path), and at most one `*` in each stretch between
 * literal `/`s (two stars over the same characters try every split, and every further star
 * multiplies that). Everything else goes to the automaton.
 */
function backtracksLittle(tokens: Token[]): boolean {
  let folders = 0;
  let stars = 0;
  for (const t of tokens) {
    if (t.kind === 'folders') {
      folders++;
      stars = 0;
    } else if (t.kind === 'char' && t.code === SLASH) stars = 0;
    else if (t.kind === 'star' && ++stars > 1) return false;
  }
  return folders <= 1;
}

function source(t: Token): string {
  const char = (code: number) => `\\u{${code.toString(16)}}`;
  switch (t.kind) {
    case 'char':
      return char(t.code);
    case 'one':
      return '[^/]';
    case 'class':
      return `[${t.negated ? '^' : ''}${t.ranges.map(([lo, hi]) => (lo === hi ? char(lo) : `${char(lo)}-${char(hi)}`)).join('')}]`;
    case 'star':
      return '[^/]*';
    case 'folders':
      return '(?:[^\\n]*/)?'; // Go's `.` stops only at a newline; JavaScript's also at \r, \u2028, \u2029
    case 'rest':
      return '[^\\n]*';
    case 'start':
      return '^';
  }
}

/**
 * The tokens run as a set of states over the path, one step per character: `at[i]` means the
 * tokens before i have matched, `inFolders[i]` that token i (a `**`) is part-way through its folders.
 */
function automatonMatches(tokens: Token[], path: string): boolean {
  const n = tokens.length;
  let at = new Uint8Array(n + 1);
  let inFolders = new Uint8Array(n);
  let nextAt = new Uint8Array(n + 1);
  let nextIn = new Uint8Array(n);
  let position = 0;
  // Follow the moves that take no character: past a `*`, a `**`, or `^` at the path's start.
  const close = (states: Uint8Array) => {
    for (let i = 0; i < n; i++) {
      if (!states[i]) continue;
      const t = tokens[i]!;
      if (t.kind === 'star' || t.kind === 'folders' || t.kind === 'rest' || (t.kind === 'start' && position === 0)) states[i + 1] = 1;
    }
  };
  at[0] = 1;
  close(at);
  for (const ch of path) {
    const code = ch.codePointAt(0)!;
    nextAt.fill(0);
    nextIn.fill(0);
    for (let i = 0; i < n; i++) {
      const t = tokens[i]!;
      if (inFolders[i] && code !== NEWLINE) {
        nextIn[i] = 1;
        if (code === SLASH) nextAt[i + 1] = 1;
      }
      if (!at[i]) continue;
      switch (t.kind) {
        case 'char':
          if (code === t.code) nextAt[i + 1] = 1;
          break;
        case 'one':
          if (code !== SLASH) nextAt[i + 1] = 1;
          break;
        case 'class':
          if (inClass(t, code)) nextAt[i + 1] = 1;
          break;
        case 'star':
          if (code !== SLASH) nextAt[i] = 1;
          break;
        case 'rest':
          if (code !== NEWLINE) nextAt[i] = 1;
          break;
        case 'folders':
          if (code !== NEWLINE) nextIn[i] = 1;
          if (code === SLASH) nextAt[i + 1] = 1;
          break;
        case 'start':
          break;
      }
    }
    position++;
    [at, nextAt] = [nextAt, at];
    [inFolders, nextIn] = [nextIn, inFolders];
    close(at);
    if (!at.includes(1) && !inFolders.includes(1)) return false;
  }
  return at[n] === 1;
}
