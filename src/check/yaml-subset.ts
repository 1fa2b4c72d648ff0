/**
 * A reader for the small, strict subset of YAML 1.2 that compose files are written in, so that
 * `check` and create's gate need not load the `yaml` library (about 15 ms) for them. It reads the
 * document the way `yaml` (v2, core schema, `uniqueKeys`) reads it, or gives up: whenever a
 * document holds anything outside the subset below, or anything where the two might disagree, it
 * returns undefined and the caller asks the library. It never guesses.
 *
 * The subset:
 *   - one document, optionally opened by a `---` line before any content; no directives, no `...`
 *   - block mappings and block sequences nested by indentation with spaces; a sequence may sit at
 *     the same column as the key that holds it; `- key: value` starts a mapping inside an item
 *   - keys: plain or quoted scalars on one line, directly followed by `:` and a space or line end
 *   - values on one line: plain scalars, single- and double-quoted scalars (YAML's escapes), and
 *     flow sequences and mappings (`[a, "b"]`, `{x: 1}`, `[]`, `{}`) of such values
 *   - literal block scalars `|` and `|-` whose lines all carry content or are empty
 *   - full-line comments and ` #` comments after a value; empty values (null)
 *   - the tags named by the caller on values (`!reset []`, `!override` over a block)
 *   - plain scalars resolved as the core schema resolves them (null, bool, int, float, string)
 *   - duplicate keys, reported as `yaml` reports them ("Map keys must be unique" on the key's line)
 * Outside it (the reader gives up): anchors, aliases, other tags, folded and kept block scalars,
 * multi-line plain or quoted scalars, multi-line flow collections, explicit or complex keys,
 * tabs, a byte order mark, control characters, merge keys, a duplicate key right after an empty
 * value (`yaml` then reports it on an earlier line), and any indentation it does not expect.
 * test/check/compose-yaml.test.ts holds it to the library on generated and mutated documents.
 */

export type YamlScalar = null | boolean | number | string;

interface NodeBase {
  /** The line (1-based) the node starts on, where `yaml`'s node range starts. */
  line: number;
  /** One of the tags the caller allowed, or null. */
  tag: string | null;
}

export interface SubsetScalar extends NodeBase {
  kind: 'scalar';
  /** The scalar's text once quotes, escapes and block indentation are removed. */
  text: string;
  /** The text resolved by the core schema (quoted and block scalars stay strings). */
  value: YamlScalar;
}

export interface SubsetSeq extends NodeBase {
  kind: 'seq';
  items: SubsetNode[];
}

export interface SubsetPair {
  /** The key resolved by the core schema (`1: a` has the number 1 as its key). */
  key: YamlScalar;
  line: number;
  value: SubsetNode;
}

export interface SubsetMap extends NodeBase {
  kind: 'map';
  pairs: SubsetPair[];
}

export type SubsetNode = SubsetScalar | SubsetSeq | SubsetMap;

export interface SubsetDocument {
  /** null for a document without content. */
  contents: SubsetNode | null;
  /** The line of every key that repeats an earlier key of its mapping, in document order. */
  duplicateKeys: number[];
}

export interface SubsetOptions {
  /** Local tags the document may carry on values, e.g. `!reset`; any other tag gives up. */
  tags?: readonly string[];
}

/** The document, or undefined when it is not (certainly) inside the subset. */
export function readYamlSubset(text: string, options: SubsetOptions = {}): SubsetDocument | undefined {
  const read = tryRead(text, options);
  return 'reason' in read ? undefined : read;
}

/** Why the reader gives up on a document (null when it does not): for tests and debugging. */
export function whyOutsideSubset(text: string, options: SubsetOptions = {}): string | null {
  const read = tryRead(text, options);
  return 'reason' in read ? read.reason : null;
}

function tryRead(text: string, options: SubsetOptions): SubsetDocument | { reason: string } {
  try {
    return new Reader(text, new Set(options.tags ?? [])).document();
  } catch (error) {
    if (error instanceof OutsideSubset) return { reason: error.message };
    throw error;
  }
}

class OutsideSubset extends Error {}

const giveUp = (why: string): never => {
  throw new OutsideSubset(why);
};

// ---------------------------------------------------------------------------------------------
// Scalars

/**
 * The core schema's plain scalar tags, in the order `yaml` tries them (node_modules/yaml/dist/
 * schema/core/): the first whose test matches resolves the text; none matching means a string.
 */
const coreTags: [RegExp, (text: string) => YamlScalar][] = [
  [/^(?:~|[Nn]ull|NULL)?$/, () => null],
  [/^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/, (s) => s[0] === 't' || s[0] === 'T'],
  [/^0o[0-7]+$/, (s) => parseInt(s.substring(2), 8)],
  [/^[-+]?[0-9]+$/, (s) => parseInt(s, 10)],
  [/^0x[0-9a-fA-F]+$/, (s) => parseInt(s.substring(2), 16)],
  [/^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/, (s) => (s.slice(-3).toLowerCase() === 'nan' ? NaN : s[0] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY)],
  [/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/, (s) => parseFloat(s)],
  [/^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/, (s) => parseFloat(s)],
];

/** A plain scalar's value under the YAML 1.2 core schema, as `yaml` resolves it. */
export function resolvePlain(text: string): YamlScalar {
  for (const [test, resolve] of coreTags) if (test.test(text)) return resolve(text);
  return text;
}

/** Double-quoted escapes (`yaml`'s resolve-flow-scalar), except the line-folding ones. */
const escapes: Record<string, string> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  e: '\x1b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  N: '\u0085',
  _: '\u00a0',
  L: '\u2028',
  P: '\u2029',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
};
const hexLength: Record<string, number> = { x: 2, u: 4, U: 8 };

/** A quoted scalar starting at `start` and closed on the same line: its value and where it ends. */
function readQuoted(text: string, start: number): { value: string; end: number } {
  const quote = text[start]!;
  let value = '';
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i]!;
    if (quote === "'") {
      if (c !== "'") value += c;
      else if (text[i + 1] === "'") value += text[++i];
      else return { value, end: i + 1 };
    } else if (c === '"') {
      return { value, end: i + 1 };
    } else if (c !== '\\') {
      value += c;
    } else {
      const e = text[++i];
      if (e === undefined) break;
      if (escapes[e] !== undefined) {
        value += escapes[e];
        continue;
      }
      const length = hexLength[e];
      if (length === undefined) giveUp(`the escape \\${e}`);
      const hex = text.slice(i + 1, i + 1 + length!);
      const code = /^[0-9a-fA-F]+$/.test(hex) && hex.length === length ? parseInt(hex, 16) : NaN;
      if (!(code <= 0x10ffff)) giveUp(`the escape \\${e}${hex}`);
      value += String.fromCodePoint(code);
      i += length!;
    }
  }
  return giveUp('a quoted scalar that does not close on its line');
}

/** Characters a block plain scalar (key or value) must not start with: YAML's indicators. */
const indicators = new Set([...'-?:,[]{}#&*!|>\'"%@`']);

/** A plain scalar may start at `i`: no indicator (`-` only before a non-space), no document marker. */
function plainStarts(text: string, i: number): boolean {
  const c = text[i];
  if (c === undefined || c === ' ') return false;
  if (text.startsWith('---', i) || text.startsWith('...', i)) return false;
  if (c === '-') return i + 1 < text.length && text[i + 1] !== ' ';
  return !indicators.has(c);
}

/** Where a ` #` comment starts at or after `from` (the line end when there is none). */
function commentAt(text: string, from: number): number {
  const at = text.indexOf(' #', from);
  return at < 0 ? text.length : at;
}

/** Only spaces, then the line end or a ` #` comment, from `i` on. */
function restIsBlank(text: string, i: number): boolean {
  const j = skipSpaces(text, i);
  return j === text.length || (text[j] === '#' && j > i);
}

function skipSpaces(text: string, i: number): number {
  while (text[i] === ' ') i++;
  return i;
}

// ---------------------------------------------------------------------------------------------
// Lines

interface Line {
  /** 1-based, as `yaml`'s LineCounter numbers them. */
  number: number;
  /** The line without its line break (`\r\n` or `\n`). */
  text: string;
  indent: number;
  /** A line break ends the line (false only for a last line without one). */
  broken: boolean;
}

/**
 * The characters the reader accepts: printable ASCII and Unicode above U+00A0, except the byte
 * order mark, U+2028/U+2029, non-characters and lone surrogates; no tab and no bare `\r`.
 */
const unexpectedCharacter = /[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\u{10000}-\u{10ffff}]/u;

function linesOf(text: string): Line[] {
  const raw = text.split('\n');
  return raw.map((line, i) => {
    // `\r` only as part of `\r\n`: a lone one (even ending the text) is left in, and refused.
    const body = line.endsWith('\r') && i < raw.length - 1 ? line.slice(0, -1) : line;
    if (unexpectedCharacter.test(body)) giveUp('a tab, control or unusual character');
    let indent = 0;
    while (body[indent] === ' ') indent++;
    return { number: i + 1, text: body, indent, broken: i < raw.length - 1 };
  });
}

const isBlankOrComment = (l: Line) => l.indent === l.text.length || l.text[l.indent] === '#';
/** A block sequence entry `-` at column `col`. */
const isEntry = (l: Line, col: number) => l.text[col] === '-' && (col + 1 === l.text.length || l.text[col + 1] === ' ');

/** Deeper nesting than any compose file needs; beyond it the library decides. */
const maxDepth = 100;
/** `yaml` (strict) refuses an implicit key whose `:` is more than 1024 characters after its start. */
const maxKeyLength = 1000;

// ---------------------------------------------------------------------------------------------
// The reader

class Reader {
  private readonly lines: Line[];
  /** The index of the next line to read. */
  private next = 0;
  private depth = 0;
  private readonly duplicateKeys: number[] = [];
  /** Scalars with no text at all (`a:`, `-`, `!reset`), not even quotes. */
  private readonly emptyScalars = new WeakSet<SubsetNode>();

  constructor(
    text: string,
    private readonly tags: ReadonlySet<string>,
  ) {
    this.lines = linesOf(text);
  }

  document(): SubsetDocument {
    let first = this.peek();
    if (first?.text === '---') {
      this.next++;
      first = this.peek();
    }
    // A later `---` starts another document, `...` ends one, `%` opens a directive.
    for (let i = this.next; i < this.lines.length; i++) if (/^(---|\.\.\.|%)/.test(this.lines[i]!.text)) giveUp('a document marker or directive');
    if (!first) return { contents: null, duplicateKeys: [] };
    const contents = this.block(first.indent);
    if (this.peek()) giveUp(`content after the top-level node (line ${this.peek()!.number})`);
    return { contents, duplicateKeys: this.duplicateKeys };
  }

  /** The next line with content, skipping blank and comment lines, left unread. */
  private peek(): Line | undefined {
    while (this.next < this.lines.length && isBlankOrComment(this.lines[this.next]!)) this.next++;
    return this.lines[this.next];
  }

  /** A block mapping or sequence whose first line (the next with content) starts at `col`. */
  private block(col: number): SubsetSeq | SubsetMap {
    if (++this.depth > maxDepth) giveUp('deep nesting');
    const first = this.peek()!;
    const node = isEntry(first, col) ? this.sequence(col) : this.mapping(col);
    this.depth--;
    return node;
  }

  /** Entries `-` at column `col`; it ends at a line less indented, or at one not an entry. */
  private sequence(col: number): SubsetSeq {
    const seq: SubsetSeq = { kind: 'seq', line: this.peek()!.number, tag: null, items: [] };
    for (let l = this.peek(); l && l.indent >= col; l = this.peek()) {
      if (l.indent > col) giveUp(`unexpected indentation (line ${l.number})`);
      if (!isEntry(l, col)) break;
      this.next++;
      seq.items.push(this.value(l, col + 1, col, 'entry'));
    }
    return seq;
  }

  /** Keys at column `col`; the first on `inline` when the mapping starts inside an entry (`- a: 1`). */
  private mapping(col: number, inline?: Line): SubsetMap {
    const map: SubsetMap = { kind: 'map', line: (inline ?? this.peek()!).number, tag: null, pairs: [] };
    // The keys so far, for the duplicate check: a search of the pairs made 40 000 keys take 7 s.
    const keys = new Set<unknown>();
    const pair = (l: Line) => {
      const { key, end } = readKey(l.text, col);
      // As `===` compares them (and the library): a NaN key never repeats another.
      if (keys.has(key) && !Number.isNaN(key)) {
        // `yaml` reports a duplicate where the previous value's range ends, which for an empty
        // scalar is the line of its key or entry, not the duplicate's: not modelled here.
        if (this.endsEmpty(map.pairs[map.pairs.length - 1]!.value)) giveUp('a duplicate key after an empty value');
        this.duplicateKeys.push(l.number);
      }
      keys.add(key);
      map.pairs.push({ key, line: l.number, value: this.value(l, end, col, 'key') });
    };
    if (inline) pair(inline);
    for (let l = this.peek(); l && l.indent >= col; l = this.peek()) {
      if (l.indent > col) giveUp(`unexpected indentation (line ${l.number})`);
      if (isEntry(l, col)) giveUp(`a sequence entry among keys (line ${l.number})`);
      this.next++;
      pair(l);
    }
    return map;
  }

  /**
   * The value after `key:` or `-` on line `l`, from column `from`. `owner` is the column of the
   * key or entry: a block value on the next lines must sit deeper (a sequence may sit at the
   * key's own column).
   */
  private value(l: Line, from: number, owner: number, after: 'key' | 'entry'): SubsetNode {
    const text = l.text;
    let i = skipSpaces(text, from);
    let tag: string | null = null;
    if (text[i] === '!') {
      const end = text.indexOf(' ', i) < 0 ? text.length : text.indexOf(' ', i);
      tag = text.slice(i, end);
      if (!this.tags.has(tag)) giveUp(`the tag ${tag}`);
      i = skipSpaces(text, end);
      if (i < text.length && text[i] === '#') giveUp('a comment after a tag');
    }
    if (i === text.length || (text[i] === '#' && i > from)) {
      // Nothing on this line: a block node below, or an empty scalar.
      const below = this.peek();
      if (below && below.indent > owner) return { ...this.block(below.indent), tag };
      if (below && after === 'key' && below.indent === owner && isEntry(below, owner)) {
        if (tag) giveUp('a tag over a sequence at its key’s column');
        return this.block(owner);
      }
      const empty: SubsetScalar = { kind: 'scalar', line: l.number, tag, text: '', value: tag ? '' : null };
      this.emptyScalars.add(empty);
      return empty;
    }
    const c = text[i]!;
    if (c === '|') {
      if (tag) giveUp('a tagged block scalar');
      return this.literal(l, i, owner);
    }
    if (c === '[' || c === '{') {
      const flow = new FlowReader(text, l.number, this.tags, this.duplicateKeys).node(i);
      if (!restIsBlank(text, flow.end)) giveUp(`text after a flow collection (line ${l.number})`);
      return { ...flow.node, tag };
    }
    if (c === '"' || c === "'") {
      const { value, end } = readQuoted(text, i);
      if (text[end] === ':' && (end + 1 === text.length || text[end + 1] === ' ')) {
        if (after === 'entry' && !tag) return this.inlineMapping(l, i);
        giveUp(`a mapping on a key's line (line ${l.number})`);
      }
      if (!restIsBlank(text, end)) giveUp(`text after a quoted scalar (line ${l.number})`);
      return { kind: 'scalar', line: l.number, tag, text: value, value };
    }
    if (!plainStarts(text, i)) giveUp(`a value starting with ${c} (line ${l.number})`);
    const plain = withoutTrailingSpaces(text.slice(i, commentAt(text, i)));
    if (plain.includes(': ') || plain.endsWith(':')) {
      if (after === 'entry' && !tag) return this.inlineMapping(l, i);
      giveUp(`a mapping on a key's line (line ${l.number})`);
    }
    return { kind: 'scalar', line: l.number, tag, text: plain, value: tag ? plain : resolvePlain(plain) };
  }

  /** The node ends in an empty scalar (flow collections never hold one). */
  private endsEmpty(node: SubsetNode): boolean {
    if (this.emptyScalars.has(node)) return true;
    if (node.kind === 'map' && node.pairs.length > 0) return this.endsEmpty(node.pairs[node.pairs.length - 1]!.value);
    if (node.kind === 'seq' && node.items.length > 0) return this.endsEmpty(node.items[node.items.length - 1]!);
    return false;
  }

  private inlineMapping(l: Line, col: number): SubsetMap {
    if (++this.depth > maxDepth) giveUp('deep nesting');
    const map = this.mapping(col, l);
    this.depth--;
    return map;
  }

  /** A literal block scalar `|` or `|-` whose header is at `i` on line `l`. */
  private literal(l: Line, i: number, owner: number): SubsetScalar {
    const header = withoutTrailingSpaces(l.text.slice(i));
    if (header !== '|' && header !== '|-') giveUp(`the block scalar header ${header}`);
    const content: string[] = [];
    let indent = -1;
    let last: Line | undefined;
    for (; this.next < this.lines.length; this.next++) {
      const line = this.lines[this.next]!;
      if (line.text === '') {
        if (indent < 0) giveUp('an empty first line in a block scalar');
        content.push('');
        continue;
      }
      if (line.indent === line.text.length) giveUp(`a line of spaces in a block scalar (line ${line.number})`);
      if (indent < 0) {
        if (line.indent <= owner) break;
        indent = line.indent;
      }
      if (line.indent < indent) break;
      content.push(line.text.slice(indent));
      last = line;
    }
    if (!last) return giveUp('an empty block scalar');
    if (!last.broken) giveUp('a block scalar ending the file without a line break');
    while (content[content.length - 1] === '') content.pop();
    const text = content.join('\n') + (header === '|' ? '\n' : '');
    return { kind: 'scalar', line: l.number, tag: null, text, value: text };
  }
}

/** A key at column `col`: its value and the column after its `:`. */
function readKey(text: string, col: number): { key: YamlScalar; end: number } {
  let key: YamlScalar;
  let colon: number;
  const c = text[col];
  if (c === '"' || c === "'") {
    const quoted = readQuoted(text, col);
    key = quoted.value;
    colon = quoted.end;
    if (text[colon] !== ':') giveUp(`a quoted key without a colon right after it`);
  } else {
    if (!plainStarts(text, col)) giveUp(`a key starting with ${c ?? 'nothing'}`);
    colon = col;
    for (;;) {
      colon = text.indexOf(':', colon + 1);
      if (colon < 0) return giveUp('a line that is not a key');
      if (colon + 1 === text.length || text[colon + 1] === ' ') break;
    }
    const source = text.slice(col, colon);
    if (source.includes(' #') || source.endsWith(' ') || source.endsWith(':')) giveUp(`an unusual key ${source}`);
    if (source === '<<') giveUp('a merge key');
    key = resolvePlain(source);
  }
  if (colon + 1 < text.length && text[colon + 1] !== ' ') giveUp('a key without a space after its colon');
  if (colon - col > maxKeyLength) giveUp('a long key');
  if (key === '__proto__') giveUp('the key __proto__');
  return { key, end: colon + 1 };
}

// ---------------------------------------------------------------------------------------------
// Flow collections, on one line

/** What may start a plain scalar inside a flow collection, and what may follow. */
const flowPlainStart = /[A-Za-z0-9_./~$+(]|-[A-Za-z0-9_./]/y;
const flowPlainRest = /[A-Za-z0-9_./~$+=@%^&*()<>;?!|\\ -]*/y;

class FlowReader {
  private depth = 0;

  constructor(
    private readonly text: string,
    private readonly line: number,
    private readonly tags: ReadonlySet<string>,
    /** The reader's list of duplicate keys, which a flow mapping adds to in document order. */
    private readonly duplicateKeys: number[],
  ) {}

  /** The node starting at `i` and the column after it. */
  node(i: number): { node: SubsetNode; end: number } {
    const { text, line } = this;
    let tag: string | null = null;
    if (text[i] === '!') {
      const end = text.indexOf(' ', i);
      if (end < 0) giveUp('a tag closing a flow collection');
      tag = text.slice(i, end);
      if (!this.tags.has(tag)) giveUp(`the tag ${tag}`);
      i = skipSpaces(text, end);
    }
    const c = text[i];
    if (c === '[' || c === '{') {
      if (++this.depth > maxDepth) giveUp('deep nesting');
      const read = c === '[' ? this.sequence(i) : this.mapping(i);
      this.depth--;
      return { node: { ...read.node, tag }, end: read.end };
    }
    const scalar = this.scalar(i, ',]}');
    return { node: { kind: 'scalar', line, tag, text: scalar.text, value: tag || scalar.quoted ? scalar.text : resolvePlain(scalar.text) }, end: scalar.end };
  }

  /** A quoted or plain scalar at `i`, which must be followed (after spaces) by one of `stops`. */
  private scalar(i: number, stops: string): { text: string; quoted: boolean; end: number } {
    const { text } = this;
    if (text[i] === '"' || text[i] === "'") {
      const { value, end } = readQuoted(text, i);
      if (!stops.includes(text[stops === ':' ? end : skipSpaces(text, end)] ?? '\n')) giveUp('text after a quoted scalar in a flow collection');
      return { text: value, quoted: true, end };
    }
    flowPlainStart.lastIndex = i;
    if (!flowPlainStart.test(text) || text.startsWith('...', i)) giveUp(`a flow value starting with ${text[i] ?? 'nothing'}`);
    flowPlainRest.lastIndex = i + 1;
    flowPlainRest.test(text);
    const end = flowPlainRest.lastIndex;
    if (!stops.includes(text[end] ?? '\n')) giveUp(`a flow value stopped by ${text[end] ?? 'the line end'}`);
    return { text: withoutTrailingSpaces(text.slice(i, end)), quoted: false, end };
  }

  /** After an item at `i`: the column after a `,` (null at the closing `close`), spaces skipped. */
  private separator(i: number, close: string): number | null {
    const { text } = this;
    const j = skipSpaces(text, i);
    if (text[j] === close) return null;
    if (text[j] !== ',') giveUp(`an unexpected ${text[j] ?? 'line end'} in a flow collection`);
    const k = skipSpaces(text, j + 1);
    if (text[k] === close || text[k] === ',') giveUp('an empty entry in a flow collection');
    return k;
  }

  private sequence(open: number): { node: SubsetSeq; end: number } {
    const seq: SubsetSeq = { kind: 'seq', line: this.line, tag: null, items: [] };
    let i: number | null = skipSpaces(this.text, open + 1);
    if (this.text[i] === ']') return { node: seq, end: i + 1 };
    for (;;) {
      const item = this.node(i);
      seq.items.push(item.node);
      const next = this.separator(item.end, ']');
      if (next === null) return { node: seq, end: skipSpaces(this.text, item.end) + 1 };
      i = next;
    }
  }

  private mapping(open: number): { node: SubsetMap; end: number } {
    const { text } = this;
    const map: SubsetMap = { kind: 'map', line: this.line, tag: null, pairs: [] };
    const keys = new Set<unknown>();
    let i: number | null = skipSpaces(text, open + 1);
    if (text[i] === '}') return { node: map, end: i + 1 };
    for (;;) {
      const k = this.scalar(i, ':');
      if (text[k.end] !== ':' || text[k.end + 1] !== ' ' || text[k.end - 1] === ' ') giveUp('a flow key without ": " right after it');
      const key = k.quoted ? k.text : resolvePlain(k.text);
      if (key === '__proto__' || key === '<<') giveUp(`the key ${key}`);
      const v = skipSpaces(text, k.end + 1);
      if (v === text.length || ',}'.includes(text[v]!)) giveUp('a flow key without a value');
      const value = this.node(v);
      if (keys.has(key) && !Number.isNaN(key)) this.duplicateKeys.push(this.line);
      keys.add(key);
      map.pairs.push({ key, line: this.line, value: value.node });
      const next = this.separator(value.end, '}');
      if (next === null) return { node: map, end: skipSpaces(text, value.end) + 1 };
      i = next;
    }
  }
}

/** The text without its trailing spaces, by a loop from the end (a ` +$` pattern is quadratic on a long run of spaces). */
function withoutTrailingSpaces(text: string): string {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 32) end--;
  return text.slice(0, end);
}
