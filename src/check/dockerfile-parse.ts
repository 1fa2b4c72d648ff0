/**
 * A Dockerfile parser for the rule engine: the instructions, their lines, arguments, flags and
 * ARG/ENV/LABEL properties, read the way BuildKit's own parser (moby/buildkit,
 * frontend/dockerfile/parser) reads them. It replaces the Docker language server's parser at run
 * time (that one, with its LSP types, took ~10 ms to load and parse); the tests keep it as the
 * reference this one is cross-checked against.
 *
 * The syntax, per https://docs.docker.com/reference/dockerfile/ and BuildKit:
 * - Parser directives (`# syntax=`, `# escape=`, `# check=`) are comment lines at the very top;
 *   the first line that is not one (a comment, a blank line, an instruction) ends them. Only
 *   `escape` changes the parse: `\` (default) or a backtick.
 * - An instruction continues on the next line when its line ends with the escape character (an
 *   escaped escape character does not count). Comment lines and empty lines inside a
 *   continuation are skipped; the joined lines keep their own whitespace.
 * - Keywords are case-insensitive; CRLF line ends and a UTF-8 BOM are accepted.
 * - `--name=value` flags lead the arguments of FROM, RUN, COPY, ADD and HEALTHCHECK, the
 *   instructions Docker gives flags (any other instruction rejects them, so they stay arguments).
 * - RUN, COPY and ADD in shell form (and the same under ONBUILD) may open heredocs (`<<EOF`,
 *   `<<-EOF` strips leading tabs before the terminator, quoted names allowed): their bodies are
 *   the following lines up to each terminator, in order, and belong to the instruction.
 *
 * Lenient where Docker would refuse the file (an unterminated heredoc runs to the end, an
 * invalid escape directive is ignored): `check` reports rule findings, and a build error is
 * Docker's to give.
 */

export interface Flag {
  name: string;
  /** null for a flag without `=` (`--link`). */
  value: string | null;
}

export interface Property {
  name: string;
  /** null for a name without a value (`ARG VERSION`); quotes and escapes resolved, variables not expanded. */
  value: string | null;
}

export interface Word {
  value: string;
  /** 1-based line the word starts on. */
  line: number;
}

export interface Instruction {
  /** Upper case: `run` and `RUN` are the same instruction. */
  keyword: string;
  /** 1-based line of the keyword. */
  line: number;
  /** 1-based last line: continuation lines, the comment lines inside them, heredoc bodies and terminators. */
  endLine: number;
  /**
   * The arguments after the keyword and its flags, as written, with continued lines joined the
   * way Docker joins them (the escape character and line break dropped) and outer whitespace
   * trimmed. A heredoc body follows on its own lines as in the file (CRLF line ends become LF),
   * terminator included.
   */
  args: string;
  /** `args` before any heredoc body, split at whitespace, escapes resolved (`\$` kept), quotes kept. */
  words: Word[];
  /** Leading `--name=value` flags (FROM, RUN, COPY, ADD, HEALTHCHECK only). */
  flags: Flag[];
  /** ARG, ENV and LABEL: the names they set, in order. Empty for other instructions. */
  properties: Property[];
}

/** Every instruction Docker knows. */
export const knownKeywords: ReadonlySet<string> = new Set(['ADD', 'ARG', 'CMD', 'COPY', 'ENTRYPOINT', 'ENV', 'EXPOSE', 'FROM', 'HEALTHCHECK', 'LABEL', 'MAINTAINER', 'ONBUILD', 'RUN', 'SHELL', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR']);

const directives = new Set(['syntax', 'escape', 'check']);
const flagged = new Set(['FROM', 'RUN', 'COPY', 'ADD', 'HEALTHCHECK']);
const heredocHolders = new Set(['RUN', 'COPY', 'ADD']);

// Go's unicode.IsSpace, which BuildKit trims lines and finds flag and property words with.
const SPACE = '\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const spaceChar = new RegExp(`^[${SPACE}]$`);
const isSpace = (c: string) => spaceChar.test(c);
const leadingSpace = new RegExp(`^[${SPACE}]+`);
const trimStart = (s: string) => s.replace(leadingSpace, '');
// A loop from the end, not a `[…]+$` pattern: that one retries at every blank of a long run that
// does not reach the end, quadratic on a hostile line.
const trimEnd = (s: string) => {
  let end = s.length;
  while (end > 0 && isSpace(s[end - 1]!)) end--;
  return s.slice(0, end);
};
// BuildKit splits the keyword from its arguments, and FROM/COPY/EXPOSE/… words, at these only.
const wordBreak = /[\t\v\f\r ]+/;

/** Parses a whole Dockerfile into its instructions, in order. */
export function parseInstructions(text: string): Instruction[] {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop(); // a final line break ends the last line, it does not start one
  for (let i = 0; i < lines.length; i++) lines[i] = lines[i]!.replace(/[\r\n]+$/, '');
  if (lines[0]?.startsWith('\uFEFF')) lines[0] = lines[0].slice(1);

  const escape = escapeDirective(lines);
  const e = escape === '\\' ? '\\\\' : escape;
  // As BuildKit's: the escape character at the end of a line, unless it is itself escaped.
  const continuation = new RegExp(`([^${e}])${e}[ \\t]*$|^${e}[ \\t]*$`);
  const isComment = (line: string) => trimStart(line).startsWith('#');

  const out: Instruction[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (isComment(lines[i]!)) continue;
    // The joined logical line, and where each physical line's part of it starts.
    const parts: { at: number; line: number }[] = [];
    let logical = '';
    let text = trimStart(lines[i]!);
    let ended = !continuation.test(text);
    if (ended && text === '') continue;
    const first = i;
    for (;;) {
      parts.push({ at: logical.length, line: i + 1 });
      logical += ended ? text : text.replace(continuation, '$1');
      if (ended || i + 1 >= lines.length) break;
      i++;
      text = lines[i]!;
      while (isComment(text) || trimStart(text) === '') {
        if (i + 1 >= lines.length) break;
        text = lines[++i]!;
      }
      if (isComment(text) || trimStart(text) === '') break; // the file ended inside the continuation
      ended = !continuation.test(text);
    }
    // A binary search: a scan from the first part made a 20 000-line continuation take 1.8 s.
    const lineAt = (offset: number) => {
      let lo = 0;
      let hi = parts.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (parts[mid]!.at <= offset) lo = mid;
        else hi = mid - 1;
      }
      return parts[lo]!.line;
    };

    // keyword, flags, arguments
    const keywordAt = logical.length - trimStart(logical).length;
    const keywordEnd = keywordAt + (trimEnd(trimStart(logical)).split(wordBreak)[0] ?? '').length;
    const keyword = logical.slice(keywordAt, keywordEnd).toUpperCase();
    let restAt = keywordEnd + (/^[\t\v\f\r ]*/.exec(logical.slice(keywordEnd))?.[0].length ?? 0);
    let flags: Flag[] = [];
    if (flagged.has(keyword)) {
      const extracted = extractFlags(logical.slice(restAt));
      flags = extracted.flags;
      restAt += extracted.restAt;
    }
    restAt += logical.slice(restAt).length - trimStart(logical.slice(restAt)).length;
    const args = trimEnd(logical.slice(restAt));
    const words: Word[] = [];
    for (const m of args.matchAll(/[^\t\v\f\r ]+/g)) words.push({ value: unescapeWord(m[0], escape), line: lineAt(restAt + m.index) });

    // heredoc bodies follow the instruction's line, one after the other
    const lastLineOfInstruction = i;
    for (const heredoc of mayHoldHeredocs(keyword, args) ? heredocsOf(logical) : []) {
      while (i + 1 < lines.length) {
        i++;
        const candidate = heredoc.chomp ? lines[i]!.replace(/^\t+/, '') : lines[i]!;
        if (candidate === heredoc.name) break;
      }
    }
    const body = lines.slice(lastLineOfInstruction + 1, i + 1);
    out.push({
      keyword,
      line: first + 1,
      endLine: i + 1,
      args: body.length > 0 ? trimEnd([args, ...body].join('\n')) : args,
      words,
      flags,
      properties: keyword === 'ARG' ? argProperties(args, escape) : keyword === 'ENV' || keyword === 'LABEL' ? nameValueProperties(args, escape) : [],
    });
  }
  return out;
}

/** The `# escape=` parser directive, if the directives at the top of the file set a valid one. */
function escapeDirective(lines: string[]): string {
  let escape = '\\';
  const seen = new Set<string>();
  for (const line of lines) {
    const comment = trimStart(line);
    if (!comment.startsWith('#')) break;
    // BuildKit's directive pattern; `\s` there is [\t\n\f\r ].
    const m = /^([a-zA-Z][a-zA-Z0-9]*)[\t\n\f\r ]*=[\t\n\f\r ]*(.+?)[\t\n\f\r ]*$/.exec(trimStart(comment.slice(1)));
    if (!m) break;
    const [, name = '', value = ''] = m;
    if (!directives.has(name.toLowerCase())) break; // an unknown directive is a comment, and ends them
    if (name.toLowerCase() === 'escape' && !seen.has('escape') && (value === '\\' || value === '`')) escape = value;
    seen.add(name.toLowerCase());
  }
  return escape;
}

/**
 * BuildKit's flag extraction: leading words that start with `--`, quotes and `\` escapes
 * resolved, up to the first other word (or a bare `--`). Returns where the arguments start.
 */
function extractFlags(rest: string): { flags: Flag[]; restAt: number } {
  const words: string[] = [];
  let word = '';
  let phase: 'space' | 'word' | 'quote' = 'space';
  let quote = '';
  let blankOk = false;
  let restAt = rest.length;
  scan: for (let pos = 0; pos <= rest.length; pos++) {
    const end = pos === rest.length;
    let ch = rest[pos] ?? '';
    if (phase === 'space') {
      if (end) break;
      if (isSpace(ch)) continue;
      if (ch !== '-' || rest[pos + 1] !== '-') {
        restAt = pos;
        break;
      }
      phase = 'word';
    }
    if (end) {
      if (word !== '--' && (blankOk || word.length > 0)) words.push(word);
      break;
    }
    if (phase === 'word') {
      if (isSpace(ch)) {
        phase = 'space';
        if (word === '--') {
          restAt = pos;
          break scan;
        }
        if (blankOk || word.length > 0) words.push(word);
        word = '';
        blankOk = false;
        continue;
      }
      if (ch === "'" || ch === '"') {
        quote = ch;
        blankOk = true;
        phase = 'quote';
        continue;
      }
      if (ch === '\\') {
        if (pos + 1 === rest.length) continue;
        ch = rest[++pos]!;
      }
      word += ch;
    } else {
      if (ch === quote) {
        phase = 'word';
        continue;
      }
      if (ch === '\\') {
        if (pos + 1 === rest.length) {
          phase = 'word';
          continue;
        }
        ch = rest[++pos]!;
      }
      word += ch;
    }
  }
  const flags = words.map((w) => {
    const eq = w.indexOf('=');
    return eq < 0 ? { name: w.slice(2), value: null } : { name: w.slice(2, eq), value: w.slice(eq + 1) };
  });
  return { flags, restAt };
}

/** A word's escapes resolved: the escape character and what follows become what follows; `\$` stays, so it is no variable later. */
function unescapeWord(word: string, escape: string): string {
  let out = '';
  for (let i = 0; i < word.length; i++) {
    const c = word[i]!;
    if (c !== escape) out += c;
    else if (i + 1 < word.length) out += word[i + 1] === '$' ? c + word[++i] : word[++i];
  }
  return out;
}

/** Docker reads heredocs in RUN, COPY and ADD (also under ONBUILD), unless the arguments are a JSON array. */
function mayHoldHeredocs(keyword: string, args: string): boolean {
  if (keyword === 'ONBUILD') {
    // The triggered instruction is parsed as a line of its own: keyword, flags, arguments.
    const inner = args.split(wordBreak)[0] ?? '';
    const rest = trimStart(args.slice(inner.length));
    return heredocHolders.has(inner.toUpperCase()) && !isJsonArray(rest.slice(extractFlags(rest).restAt));
  }
  return heredocHolders.has(keyword) && !isJsonArray(args);
}

function isJsonArray(text: string): boolean {
  const trimmed = trimStart(text);
  if (!trimmed.startsWith('[')) return false;
  try {
    const value: unknown = JSON.parse(trimmed);
    return Array.isArray(value) && value.every((x) => typeof x === 'string');
  } catch {
    return false;
  }
}

/**
 * The heredocs a logical line opens, in order: each shell word of the form `[n]<<[-]NAME`
 * (BuildKit's `^(\d*)<<(-?)([^<]*)$`), NAME unquoted. `<<<` and quoted `"<<EOF"` are no heredoc.
 */
function heredocsOf(line: string): { name: string; chomp: boolean }[] {
  const out: { name: string; chomp: boolean }[] = [];
  for (const word of shellWords(line)) {
    const m = /^(\d*)<<(-?)([^<]*)$/.exec(word);
    if (!m || m[3] === '') continue;
    const name = unquoteWords(m[3]!);
    if (name && name.length === 1) out.push({ name: name[0]!, chomp: m[2] === '-' });
  }
  return out;
}

/** Words split at unquoted, unescaped whitespace; quotes and backslashes kept (BuildKit's raw lexing). */
function shellWords(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      word += c;
      if (c === '\\' && quote === '"' && i + 1 < line.length) word += line[++i];
      else if (c === quote) quote = '';
    } else if (isSpace(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
      if (c === '\\' && i + 1 < line.length) word += line[++i];
      else if (c === "'" || c === '"') quote = c;
    }
  }
  if (inWord) words.push(word);
  return words;
}

/** A heredoc name's words with quotes and escapes removed; null when a quote is left open. */
function unquoteWords(text: string): string[] | null {
  const words: string[] = [];
  let word: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "'" || c === '"') {
      const end = c === "'" ? text.indexOf("'", i + 1) : closingDoubleQuote(text, i + 1);
      if (end < 0) return null;
      word = (word ?? '') + (c === "'" ? text.slice(i + 1, end) : unescapeDoubleQuoted(text.slice(i + 1, end), '\\'));
      i = end;
    } else if (isSpace(c)) {
      if (word !== null) words.push(word);
      word = null;
    } else if (c === '\\') {
      word = (word ?? '') + (text[++i] ?? '');
    } else {
      word = (word ?? '') + c;
    }
  }
  if (word !== null) words.push(word);
  return words;
}

function closingDoubleQuote(text: string, from: number, escape = '\\'): number {
  for (let i = from; i < text.length; i++) {
    if (text[i] === escape) i++;
    else if (text[i] === '"') return i;
  }
  return -1;
}

/** Inside double quotes only `"`, `$` and the escape character itself can be escaped; other escapes stay. */
function unescapeDoubleQuoted(text: string, escape: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === escape && i + 1 < text.length && (text[i + 1] === '"' || text[i + 1] === '$' || text[i + 1] === escape)) out += text[++i];
    else if (c === escape && i + 1 === text.length) break;
    else out += c;
  }
  return out;
}

/**
 * A name or value as the build sees it after BuildKit's shell-style word processing: quotes
 * removed, escapes resolved. Variables are left as written (the rules read them literally).
 */
function shellValue(text: string, escape: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "'") {
      const end = text.indexOf("'", i + 1);
      out += text.slice(i + 1, end < 0 ? text.length : end);
      i = end < 0 ? text.length : end;
    } else if (c === '"') {
      const end = closingDoubleQuote(text, i + 1, escape);
      out += unescapeDoubleQuoted(text.slice(i + 1, end < 0 ? text.length : end), escape);
      i = end < 0 ? text.length : end;
    } else if (c === escape) {
      if (i + 1 < text.length) out += text[++i];
    } else {
      out += c;
    }
  }
  return out;
}

/** BuildKit's parseWords: whitespace-separated words, quotes and escapes kept but respected. */
function propertyWords(rest: string, escape: string): string[] {
  const words: string[] = [];
  let word = '';
  let phase: 'space' | 'word' | 'quote' = 'space';
  let quote = '';
  let blankOk = false;
  for (let pos = 0; pos <= rest.length; pos++) {
    const end = pos === rest.length;
    let ch = rest[pos] ?? '';
    if (phase === 'space') {
      if (end) break;
      if (isSpace(ch)) continue;
      phase = 'word';
    }
    if (end) {
      if (blankOk || word.length > 0) words.push(word);
      break;
    }
    if (phase === 'word') {
      if (isSpace(ch)) {
        phase = 'space';
        if (blankOk || word.length > 0) words.push(word);
        word = '';
        blankOk = false;
        continue;
      }
      if (ch === "'" || ch === '"') {
        quote = ch;
        blankOk = true;
        phase = 'quote';
      }
      if (ch === escape) {
        if (pos + 1 === rest.length) continue;
        word += ch;
        ch = rest[++pos]!;
      }
      word += ch;
    } else {
      if (ch === quote) phase = 'word';
      if (ch === escape && quote !== "'") {
        if (pos + 1 === rest.length) {
          phase = 'word';
          continue;
        }
        word += ch;
        ch = rest[++pos]!;
      }
      word += ch;
    }
  }
  return words;
}

function property(word: string, escape: string): Property {
  const eq = word.indexOf('=');
  return eq < 0 ? { name: shellValue(word, escape), value: null } : { name: shellValue(word.slice(0, eq), escape), value: shellValue(word.slice(eq + 1), escape) };
}

/** ENV and LABEL: `name=value …`, or the legacy `name value with spaces` when the first word has no `=`. */
function nameValueProperties(args: string, escape: string): Property[] {
  const words = propertyWords(args, escape);
  if (words.length === 0) return [];
  if (!words[0]!.includes('=')) {
    const legacy = /^([^\t\v\f\r ]*)[\t\v\f\r ]+([^]*)$/.exec(args);
    return [legacy ? { name: shellValue(legacy[1]!, escape), value: shellValue(legacy[2]!, escape) } : { name: shellValue(args, escape), value: null }];
  }
  return words.map((w) => property(w, escape));
}

/** ARG: each word names one build argument, with an optional `=default`. */
function argProperties(args: string, escape: string): Property[] {
  return propertyWords(args, escape).map((w) => property(w, escape));
}
