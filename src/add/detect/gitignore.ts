/**
 * A `.gitignore` matcher for the detection scan: enough of git's rules to prune what git would not
 * track (build output, vendored code, generated files), so detection neither reads nor counts them.
 * Supported: comments, `!` negation, trailing `/` (directories only), a leading or inner `/`
 * (anchored to the file's folder), `*`, `?`, `[...]` and `**` in all three positions, `\` escapes.
 * Like git, the last matching pattern wins, and nothing inside an ignored directory is looked at.
 */

export interface IgnoreRule {
  negate: boolean;
  dirOnly: boolean;
  regex: RegExp;
}

export function parseGitignore(text: string): IgnoreRule[] {
  const rules: IgnoreRule[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const rule = parseLine(raw);
    if (rule) rules.push(rule);
  }
  return rules;
}

/** Longer than any path (Linux's PATH_MAX): such a line can match nothing, so it is not read. */
const MAX_LINE = 4096;

function parseLine(raw: string): IgnoreRule | null {
  if (raw.length > MAX_LINE) return null;
  // Trailing blanks are ignored unless escaped with a backslash (found by a loop from the end: a
  // `\s+$` pattern is quadratic on a long run of blanks that does not reach the end).
  let end = raw.length;
  while (end > 0 && /\s/.test(raw[end - 1]!)) end--;
  if (end < raw.length && raw[end - 1] === '\\') end++;
  let line = raw.slice(0, end);
  if (line === '' || line.startsWith('#')) return null;
  let negate = false;
  if (line.startsWith('!')) {
    negate = true;
    line = line.slice(1);
  } else if (line.startsWith('\\!') || line.startsWith('\\#')) {
    line = line.slice(1);
  }
  let dirOnly = false;
  if (line.endsWith('/')) {
    dirOnly = true;
    while (line.endsWith('/')) line = line.slice(0, -1);
  }
  if (line === '') return null;
  // A slash at the start or in the middle anchors the pattern to the .gitignore's folder;
  // without one it matches a name at any depth.
  const anchored = line.includes('/');
  if (line.startsWith('/')) line = line.slice(1);
  const body = translate(line);
  if (body === null) return null;
  const prefix = anchored ? '' : '(?:.*/)?';
  return { negate, dirOnly, regex: new RegExp(`^${prefix}${body}$`) };
}

/** The pattern as a regular-expression body, or null when it cannot be read (an unclosed `[`). */
function translate(pattern: string): string | null {
  let out = '';
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i]!;
    if (c === '*' && pattern[i + 1] === '*') {
      const atStart = i === 0 || pattern[i - 1] === '/';
      const atEnd = i + 2 === pattern.length || pattern[i + 2] === '/';
      if (atStart && atEnd) {
        if (i + 2 === pattern.length) {
          out += '.*'; // "dir/**": everything inside
          i += 2;
        } else {
          out += '(?:.*/)?'; // "**/x" and "a/**/b": zero or more folders
          i += 3;
        }
        continue;
      }
      out += '[^/]*'; // "a**b" is two plain stars
      i += 2;
      continue;
    }
    if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '\\') {
      i += 1;
      if (i < pattern.length) out += escape(pattern[i]!);
    } else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end === -1) return null;
      let set = pattern.slice(i + 1, end);
      if (set.startsWith('!')) set = `^${set.slice(1)}`;
      out += `[${set.replace(/\\/g, '\\\\')}]`;
      i = end;
    } else out += escape(c);
    i += 1;
  }
  return out;
}

function escape(c: string): string {
  return /[.+^${}()|[\]\\/]/.test(c) ? `\\${c}` : c;
}

/**
 * Whether a path (relative to the .gitignore's folder, `/`-separated) is ignored by these rules:
 * true or false from the last matching rule, undefined when none matches (a parent decides).
 */
export function matchIgnore(rules: readonly IgnoreRule[], path: string, isDir: boolean): boolean | undefined {
  let result: boolean | undefined;
  for (const rule of rules) {
    if (rule.dirOnly && !isDir) continue;
    if (rule.regex.test(path)) result = !rule.negate;
  }
  return result;
}
