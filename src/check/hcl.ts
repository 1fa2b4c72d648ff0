/**
 * A small HCL2 native-syntax parser for `check`: bodies, blocks with labels, attributes, and
 * expressions (strings with escapes, `${…}`/`%{…}` templates kept as text, heredocs, numbers,
 * bools, null, tuples, objects, and every other expression kept as its source), with line numbers.
 *
 * Why not HashiCorp's parser: the only JavaScript build of it (@cdktf/hcl2json) is a WASM module
 * far too heavy for the start-up budget. The tests parse every generated Nomad job and Vault policy
 * and a set of hostile inputs with both parsers and compare the results (`toHcl2Json`).
 */

export interface HclBody {
  items: (HclAttribute | HclBlock)[];
}

export interface HclAttribute {
  type: 'attribute';
  name: string;
  value: HclExpr;
  line: number;
}

export interface HclBlock {
  type: 'block';
  name: string;
  labels: string[];
  body: HclBody;
  line: number;
}

/** A piece of a string template: literal text, or the source of an interpolation or directive. */
export type TemplatePart = { literal: string } | { interpolation: string; stripBefore: boolean; stripAfter: boolean } | { directive: string; stripBefore: boolean; stripAfter: boolean };

export type HclExpr =
  | { kind: 'string'; parts: TemplatePart[]; line: number }
  | { kind: 'number'; value: number; line: number }
  | { kind: 'bool'; value: boolean; line: number }
  | { kind: 'null'; line: number }
  | { kind: 'tuple'; items: HclExpr[]; line: number }
  | { kind: 'object'; items: HclObjectItem[]; line: number }
  /** Anything evaluated at run time (a reference, call, operation, conditional, for, splat). */
  | { kind: 'other'; source: string; line: number };

export interface HclObjectItem {
  /** The key as hcl2json spells it: a name or literal string as is, an expression as `${…}`. */
  key: string;
  value: HclExpr;
  line: number;
}

export class HclSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
    this.name = 'HclSyntaxError';
  }
}

const isIdStart = (c: string | undefined) => c !== undefined && /[A-Za-z_]/.test(c);
const isIdChar = (c: string | undefined) => c !== undefined && /[A-Za-z0-9_-]/.test(c);
const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
const idChars = /[A-Za-z0-9_-]*/y;
/** Characters a quoted string takes as they are: up to the next quote, escape, newline or `$`/`%`. */
const plainRun = /[^"\\\n\r$%]+|[$%]/y;

const binaryPrecedence: Record<string, number> = { '||': 1, '&&': 2, '==': 3, '!=': 3, '<': 4, '>': 4, '<=': 4, '>=': 4, '+': 5, '-': 5, '*': 6, '/': 6, '%': 6 };

/** Parses an HCL2 file; throws HclSyntaxError with the line and column of the first problem. */
export function parseHcl(text: string): HclBody {
  return new Parser(text.replace(/^\uFEFF/, '')).file();
}

/**
 * Parses a file in HCL1, the syntax Vault still reads policies with (HCL2 is a subset of what it
 * accepts here): a block's `{` may stand on the next line (`path "sys/health"` NEWLINE `{`, as in
 * HashiCorp's own admin-policy.hcl), a body may be on one line with several arguments, arguments
 * may end with a comma, a name may be quoted (`"capabilities" = […]`) and an argument may be
 * set twice (the last wins).
 */
export function parseHcl1(text: string): HclBody {
  return new Parser(text.replace(/^\uFEFF/, ''), true).file();
}

/**
 * Blocks and expressions nested deeper than this are refused: each level is a few frames of this
 * recursive parser, and a file of 100 000 `[` overflowed the stack (a crash, not a finding).
 * HashiCorp's parser has no such limit, but no real job or policy comes near it.
 */
const MAX_NESTING = 500;

/** The offset where each line of `text` starts (line n at index n - 1). */
export function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** The 1-based line holding `offset`, by binary search over `lineStartsOf`'s list. */
export function lineAtOffset(starts: number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

class Parser {
  private pos = 0;
  private nesting = 0;
  private readonly lineStarts: number[];

  // Scans use indexOf and sticky regexes rather than a loop per character: the parser runs once
  // per process, cold, in V8's interpreter, where each character costs (issue #6).
  constructor(
    private readonly src: string,
    private readonly hcl1 = false,
  ) {
    this.lineStarts = lineStartsOf(src);
  }

  file(): HclBody {
    return this.body(false);
  }

  // ---- positions and errors

  lineAt(offset: number): number {
    return lineAtOffset(this.lineStarts, offset);
  }

  fail(message: string, at = this.pos): never {
    const line = this.lineAt(at);
    throw new HclSyntaxError(message, line, at - this.lineStarts[line - 1]! + 1);
  }

  private cur(): string | undefined {
    return this.src[this.pos];
  }

  private peek(n = 1): string | undefined {
    return this.src[this.pos + n];
  }

  private isNewline(): boolean {
    return this.cur() === '\n' || (this.cur() === '\r' && this.peek() === '\n');
  }

  /** Skips spaces, tabs and comments; newlines too when `newlines` (inside brackets). */
  private skip(newlines: boolean): void {
    for (;;) {
      const c = this.cur();
      if (c === ' ' || c === '\t') this.pos++;
      else if (newlines && (c === '\n' || c === '\r')) this.pos++;
      else if (c === '#' || (c === '/' && this.peek() === '/')) {
        const end = this.src.indexOf('\n', this.pos);
        this.pos = end < 0 ? this.src.length : this.src[end - 1] === '\r' ? end - 1 : end;
      } else if (c === '/' && this.peek() === '*') {
        const end = this.src.indexOf('*/', this.pos + 2);
        if (end < 0) this.fail('Unterminated comment: a /* comment has no closing */');
        if (!newlines && this.src.slice(this.pos, end).includes('\n')) this.fail('A multi-line comment cannot end an argument or block header on the same line');
        this.pos = end + 2;
      } else return;
    }
  }

  /** After an attribute or block: the rest of the line must be empty. */
  private endOfLine(what: string): void {
    this.skip(false);
    if (this.cur() === undefined) return;
    if (this.hcl1) {
      // HCL1: items end with a newline, a comma, or the block's closing brace.
      const comma = this.cur() === ',';
      if (comma) this.pos++;
      this.skip(false);
      if (this.cur() === '}' || this.cur() === undefined) return;
      if (this.isNewline()) this.pos += this.cur() === '\r' ? 2 : 1;
      else if (!comma) this.fail(`Missing newline after ${what}; each argument and block ends with a newline`);
      return;
    }
    if (!this.isNewline()) this.fail(`Missing newline after ${what}; each argument and block ends with a newline`);
    this.pos += this.cur() === '\r' ? 2 : 1;
  }

  private identifier(): string {
    if (!isIdStart(this.cur())) this.fail(`Expected a name, found ${this.describe()}`);
    const start = this.pos;
    idChars.lastIndex = start;
    idChars.test(this.src);
    this.pos = idChars.lastIndex;
    return this.src.slice(start, this.pos);
  }

  private describe(): string {
    if (this.cur() === undefined) return 'the end of the file';
    if (this.isNewline()) return 'a newline';
    return JSON.stringify(this.cur());
  }

  private expect(c: string, what: string): void {
    if (this.cur() !== c) this.fail(`Expected ${what}, found ${this.describe()}`);
    this.pos++;
  }

  // ---- structure

  /** `open`: the offset of the block's `{`, where an unclosed block is reported. */
  /** Runs one nested level of the grammar, refusing more than MAX_NESTING. */
  private nested<T>(parse: () => T): T {
    if (++this.nesting > MAX_NESTING) this.fail(`Nested more than ${MAX_NESTING} levels deep, more than this tool reads; flatten the blocks or the expression`);
    try {
      return parse();
    } finally {
      this.nesting--;
    }
  }

  private body(inBlock: boolean, open = 0): HclBody {
    return this.nested(() => this.bodyItems(inBlock, open));
  }

  private bodyItems(inBlock: boolean, open: number): HclBody {
    const items: HclBody['items'] = [];
    const attributes = new Set<string>();
    for (;;) {
      this.skip(true);
      if (this.cur() === undefined) {
        if (inBlock) this.fail('Unclosed block: this { has no matching } before the end of the file', open);
        return { items };
      }
      if (this.cur() === '}') {
        if (!inBlock) this.fail('Unexpected }: no block is open');
        this.pos++;
        return { items };
      }
      const start = this.pos;
      const name = this.hcl1 && this.cur() === '"' ? this.label() : this.identifier();
      this.skip(false);
      if (this.cur() === '=' && this.peek() !== '=') {
        this.pos++;
        if (this.hcl1) {
          const earlier = items.findIndex((i) => i.type === 'attribute' && i.name === name);
          if (earlier >= 0) items.splice(earlier, 1);
        } else if (attributes.has(name)) this.fail(`Attribute redefined: "${name}" is already set in this body`, start);
        attributes.add(name);
        const value = this.expression(false);
        items.push({ type: 'attribute', name, value, line: this.lineAt(start) });
        this.endOfLine('an argument');
      } else {
        items.push(this.block(name, start));
      }
    }
  }

  private block(name: string, start: number): HclBlock {
    const labels: string[] = [];
    for (;;) {
      // HCL1 lets the `{` stand on a line of its own.
      this.skip(this.hcl1);
      if (this.cur() === '"') {
        labels.push(this.label());
      } else if (isIdStart(this.cur())) {
        labels.push(this.identifier());
      } else break;
    }
    if (this.cur() !== '{') this.fail(`Expected "=" or "{" after "${[name, ...labels].join(' ')}", found ${this.describe()}`);
    const brace = this.pos;
    this.pos++;
    this.skip(false);
    const line = this.lineAt(start);
    if (this.isNewline() || this.hcl1) {
      const body = this.body(true, brace);
      this.endOfLine('a block');
      return { type: 'block', name, labels, body, line };
    }
    // A single-line block holds at most one argument, and no nested block.
    const items: HclBody['items'] = [];
    if (this.cur() !== '}') {
      const attrStart = this.pos;
      const attr = this.identifier();
      this.skip(false);
      if (this.cur() !== '=' || this.peek() === '=') this.fail('A single-line block can contain only a single argument, not a nested block: put each block on its own lines');
      this.pos++;
      items.push({ type: 'attribute', name: attr, value: this.expression(false), line: this.lineAt(attrStart) });
      this.skip(false);
      if (this.cur() !== '}') this.fail('A single-line block can contain only a single argument; put the others on their own lines');
    }
    this.pos++;
    this.endOfLine('a block');
    return { type: 'block', name, labels, body: { items }, line };
  }

  // ---- expressions

  private expression(newlines: boolean): HclExpr {
    return this.nested(() => this.conditional(newlines));
  }

  private conditional(newlines: boolean): HclExpr {
    const start = this.pos;
    const cond = this.binary(0, newlines);
    this.skip(newlines);
    if (this.cur() === '?') {
      this.pos++;
      this.expression(newlines);
      this.skip(newlines);
      this.expect(':', 'the ":" of a conditional expression');
      this.expression(newlines);
      return this.other(start);
    }
    return cond;
  }

  private other(start: number): HclExpr {
    return { kind: 'other', source: this.src.slice(start, this.pos).trim(), line: this.lineAt(start) };
  }

  private binaryOperator(): string | undefined {
    const two = this.src.slice(this.pos, this.pos + 2);
    if (two in binaryPrecedence) return two;
    const one = this.cur() ?? '';
    if (one === '=' || one === '!') return undefined;
    return one in binaryPrecedence ? one : undefined;
  }

  private binary(minPrecedence: number, newlines: boolean): HclExpr {
    const start = this.pos;
    let left = this.unary(newlines);
    for (;;) {
      const save = this.pos;
      this.skip(newlines);
      const op = this.binaryOperator();
      const precedence = op ? binaryPrecedence[op]! : 0;
      if (!op || precedence <= minPrecedence) {
        this.pos = save;
        return left;
      }
      this.pos += op.length;
      this.binary(precedence, newlines);
      left = this.other(start);
    }
  }

  private unary(newlines: boolean): HclExpr {
    this.skip(newlines);
    const start = this.pos;
    if (this.cur() === '-' || this.cur() === '!') {
      const op = this.cur();
      this.pos++;
      this.skip(newlines);
      const literal = this.cur() !== '-' && this.cur() !== '!';
      const operand = this.nested(() => this.unary(newlines));
      // hcl2json folds one sign or negation of a literal into it (`-1`, `!true`), not two (`--1`).
      if (literal && op === '-' && operand.kind === 'number') return { ...operand, value: -operand.value, line: this.lineAt(start) };
      if (literal && op === '!' && operand.kind === 'bool') return { ...operand, value: !operand.value, line: this.lineAt(start) };
      return this.other(start);
    }
    return this.postfix(this.primary(newlines), start, newlines);
  }

  private postfix(expr: HclExpr, start: number, newlines: boolean): HclExpr {
    let out = expr;
    for (;;) {
      if (this.cur() === '.' && !this.src.startsWith('...', this.pos)) {
        this.pos++;
        if (this.cur() === '*') this.pos++;
        else if (isDigit(this.cur())) while (isDigit(this.cur())) this.pos++;
        else this.identifier();
      } else if (this.cur() === '[') {
        this.pos++;
        this.skip(true);
        if (this.cur() === '*') this.pos++;
        else this.expression(true);
        this.skip(true);
        this.expect(']', 'the "]" closing an index');
      } else return out;
      out = this.other(start);
    }
  }

  private primary(newlines: boolean): HclExpr {
    const start = this.pos;
    const line = this.lineAt(start);
    const c = this.cur();
    if (isDigit(c)) return this.number();
    if (c === '"') return this.quoted();
    if (c === '<' && this.peek() === '<') return this.heredoc();
    if (c === '(') {
      this.pos++;
      this.expression(true);
      this.skip(true);
      this.expect(')', 'the ")" closing a parenthesis');
      return this.other(start);
    }
    if (c === '[') return this.tuple(start);
    if (c === '{') return this.object(start);
    if (isIdStart(c)) {
      const name = this.identifier();
      if (this.cur() === ':' && this.peek() === ':') {
        while (this.cur() === ':' && this.peek() === ':') {
          this.pos += 2;
          this.identifier();
        }
      }
      if (this.cur() === '(') return this.call(start);
      if (name === 'true' || name === 'false') return { kind: 'bool', value: name === 'true', line };
      if (name === 'null') return { kind: 'null', line };
      return this.other(start);
    }
    void newlines;
    this.fail(`Expected an expression, found ${this.describe()}`);
  }

  private number(): HclExpr {
    const start = this.pos;
    while (isDigit(this.cur())) this.pos++;
    if (this.cur() === '.' && isDigit(this.peek())) {
      this.pos++;
      while (isDigit(this.cur())) this.pos++;
    }
    if ((this.cur() === 'e' || this.cur() === 'E') && (isDigit(this.peek()) || ((this.peek() === '+' || this.peek() === '-') && isDigit(this.peek(2))))) {
      this.pos += 2;
      while (isDigit(this.cur())) this.pos++;
    }
    return { kind: 'number', value: Number(this.src.slice(start, this.pos)), line: this.lineAt(start) };
  }

  private call(start: number): HclExpr {
    this.pos++; // (
    this.skip(true);
    while (this.cur() !== ')') {
      this.expression(true);
      this.skip(true);
      if (this.cur() === '.' && this.src.startsWith('...', this.pos)) {
        this.pos += 3;
        this.skip(true);
      }
      if (this.cur() === ',') {
        this.pos++;
        this.skip(true);
      } else if (this.cur() !== ')') this.fail(`Expected "," or ")" in the function call, found ${this.describe()}`);
    }
    this.pos++;
    return this.other(start);
  }

  private isKeyword(word: string): boolean {
    return this.src.startsWith(word, this.pos) && !isIdChar(this.src[this.pos + word.length]);
  }

  /** `[for …]` and `{for …}`: kept as source; the body is parsed so its end is found. */
  private forExpression(start: number, close: string): HclExpr {
    this.pos += 3;
    this.skip(true);
    this.identifier();
    this.skip(true);
    if (this.cur() === ',') {
      this.pos++;
      this.skip(true);
      this.identifier();
      this.skip(true);
    }
    if (!this.isKeyword('in')) this.fail('Expected "in" in a for expression');
    this.pos += 2;
    this.expression(true);
    this.skip(true);
    this.expect(':', 'the ":" of a for expression');
    this.expression(true);
    this.skip(true);
    if (close === '}') {
      if (!this.src.startsWith('=>', this.pos)) this.fail('Expected "=>" in an object for expression');
      this.pos += 2;
      this.expression(true);
      this.skip(true);
      if (this.src.startsWith('...', this.pos)) this.pos += 3;
      this.skip(true);
    }
    if (this.isKeyword('if')) {
      this.pos += 2;
      this.expression(true);
      this.skip(true);
    }
    this.expect(close, `the "${close}" closing a for expression`);
    return this.other(start);
  }

  private tuple(start: number): HclExpr {
    this.pos++;
    this.skip(true);
    if (this.isKeyword('for')) return this.forExpression(start, ']');
    const items: HclExpr[] = [];
    while (this.cur() !== ']') {
      items.push(this.expression(true));
      this.skip(true);
      if (this.cur() === ',') {
        this.pos++;
        this.skip(true);
      } else if (this.cur() !== ']') this.fail(`Expected "," or "]" in the list, found ${this.describe()}`);
    }
    this.pos++;
    return { kind: 'tuple', items, line: this.lineAt(start) };
  }

  private object(start: number): HclExpr {
    this.pos++;
    this.skip(true);
    if (this.isKeyword('for')) return this.forExpression(start, '}');
    const items: HclObjectItem[] = [];
    while (this.cur() !== '}') {
      const keyStart = this.pos;
      const keyExpr = this.expression(false);
      const key = keyExpr.kind === 'string' ? templateText(keyExpr.parts) : keyExpr.kind === 'other' && /^[A-Za-z_][\w.-]*$/.test(keyExpr.source) ? keyExpr.source : `\${${this.src.slice(keyStart, this.pos).trim()}}`;
      this.skip(false);
      if (this.cur() !== '=' && this.cur() !== ':') this.fail(`Expected "=" or ":" after the object key, found ${this.describe()}`);
      this.pos++;
      const value = this.expression(false);
      items.push({ key, value, line: this.lineAt(keyStart) });
      this.skip(false);
      if (this.cur() === ',') this.pos++;
      else if (this.cur() !== '}' && !this.isNewline()) this.fail(`Expected a newline, "," or "}" after an object item, found ${this.describe()}`);
      this.skip(true);
    }
    this.pos++;
    return { kind: 'object', items, line: this.lineAt(start) };
  }

  // ---- templates

  /** A quoted block label (or, in HCL1, a quoted name): its text, which no template may be. */
  private label(): string {
    const label = this.quoted();
    if (label.parts.some((p) => !('literal' in p))) this.fail('Block labels cannot contain template sequences');
    return label.parts.map((p) => ('literal' in p ? p.literal : '')).join('');
  }

  private quoted(): HclExpr & { kind: 'string' } {
    const start = this.pos;
    this.pos++;
    const parts: TemplatePart[] = [];
    let text = '';
    for (;;) {
      const c = this.cur();
      if (c === undefined || c === '\n' || c === '\r') this.fail('Unterminated string: a quoted string must close on the same line', start);
      if (c === '"') {
        this.pos++;
        break;
      }
      if (c === '\\') {
        text += this.escape();
        continue;
      }
      if ((c === '$' || c === '%') && this.peek() === '{') {
        parts.push({ literal: text });
        text = '';
        parts.push(this.templateSequence());
        continue;
      }
      if ((c === '$' || c === '%') && this.peek() === c && this.peek(2) === '{') {
        text += `${c}{`;
        this.pos += 3;
        continue;
      }
      plainRun.lastIndex = this.pos;
      plainRun.test(this.src);
      text += this.src.slice(this.pos, plainRun.lastIndex);
      this.pos = plainRun.lastIndex;
    }
    parts.push({ literal: text });
    return { kind: 'string', parts: normaliseParts(parts), line: this.lineAt(start) };
  }

  private escape(): string {
    const next = this.peek();
    const simple: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' };
    if (next !== undefined && next in simple) {
      this.pos += 2;
      return simple[next]!;
    }
    const digits = next === 'u' ? 4 : next === 'U' ? 8 : 0;
    const hex = this.src.slice(this.pos + 2, this.pos + 2 + digits);
    if (digits > 0 && new RegExp(`^[0-9A-Fa-f]{${digits}}$`).test(hex)) {
      const code = parseInt(hex, 16);
      if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) this.fail(`Invalid escape sequence: \\${next}${hex} is not a Unicode character`);
      this.pos += 2 + digits;
      return String.fromCodePoint(code);
    }
    this.fail(`Invalid escape sequence \\${next ?? ''}: only \\n, \\r, \\t, \\", \\\\, \\uNNNN and \\UNNNNNNNN are allowed`);
  }

  /** `${ expr }` or `%{ directive }`, from the `$`/`%`; the source between the braces is kept. */
  private templateSequence(): TemplatePart {
    const directive = this.cur() === '%';
    const open = this.pos;
    this.pos += 2;
    const stripBefore = this.cur() === '~';
    if (stripBefore) this.pos++;
    const innerStart = this.pos;
    if (directive) {
      this.skipBalanced(open);
    } else {
      this.expression(true);
      this.skip(true);
    }
    const innerEnd = this.pos;
    const stripAfter = this.cur() === '~';
    if (stripAfter) this.pos++;
    if (this.cur() !== '}') this.fail(`Expected "}" closing the template sequence, found ${this.describe()}`, this.cur() === undefined ? open : this.pos);
    this.pos++;
    const source = this.src.slice(innerStart, innerEnd).trim();
    return directive ? { directive: source, stripBefore, stripAfter } : { interpolation: source, stripBefore, stripAfter };
  }

  /** Moves to the `}` ending a directive, stepping over nested braces and quoted strings. */
  private skipBalanced(open: number): void {
    let depth = 0;
    for (;;) {
      const c = this.cur();
      if (c === undefined) this.fail('Unterminated template directive: %{ has no closing }', open);
      if (c === '"') {
        this.quoted();
        continue;
      }
      if (c === '{') depth++;
      if (c === '}') {
        if (depth === 0) {
          if (this.src[this.pos - 1] === '~') this.pos--;
          return;
        }
        depth--;
      }
      this.pos++;
    }
  }

  private heredoc(): HclExpr {
    const start = this.pos;
    this.pos += 2;
    const indented = this.cur() === '-';
    if (indented) this.pos++;
    const marker = this.identifier();
    if (!this.isNewline()) this.fail('A heredoc marker must be followed by a newline');
    this.pos += this.cur() === '\r' ? 2 : 1;
    // The content runs to the first line holding only the marker (leading whitespace allowed).
    const lines: string[] = [];
    for (;;) {
      if (this.pos >= this.src.length) this.fail(`Unterminated heredoc: no line closes it with ${marker}`, start);
      let end = this.src.indexOf('\n', this.pos);
      if (end < 0) end = this.src.length;
      const line = this.src.slice(this.pos, end).replace(/\r$/, '');
      if (line.trim() === marker) {
        this.pos += line.length - line.trimStart().length + marker.length;
        break;
      }
      lines.push(this.src.slice(this.pos, Math.min(end + 1, this.src.length)));
      this.pos = end + 1;
    }
    let content = lines.join('');
    if (indented) {
      const indents = lines.filter((l) => l.trim() !== '').map((l) => l.length - l.trimStart().length);
      const strip = indents.length > 0 ? Math.min(...indents) : 0;
      content = lines.map((l) => (l.trim() === '' ? l.replace(/^[ \t]+/, '') : l.slice(strip))).join('');
    }
    const parts = new Parser(content).templateBody(this, start);
    return { kind: 'string', parts, line: this.lineAt(start) };
  }

  /** This parser's whole source as a heredoc template (no escapes but $${ and %%{). */
  templateBody(outer: Parser, at: number): TemplatePart[] {
    const parts: TemplatePart[] = [];
    let text = '';
    try {
      while (this.cur() !== undefined) {
        const c = this.cur();
        if ((c === '$' || c === '%') && this.peek() === '{') {
          parts.push({ literal: text });
          text = '';
          parts.push(this.templateSequence());
        } else if ((c === '$' || c === '%') && this.peek() === c && this.peek(2) === '{') {
          text += `${c}{`;
          this.pos += 3;
        } else {
          text += c;
          this.pos++;
        }
      }
    } catch (error) {
      if (error instanceof HclSyntaxError) outer.fail(`${error.message} (in the heredoc)`, at);
      throw error;
    }
    parts.push({ literal: text });
    return normaliseParts(parts);
  }
}

/** Applies `~` strip markers to neighbouring literals and drops empty literals. */
function normaliseParts(parts: TemplatePart[]): TemplatePart[] {
  const out = parts.map((p) => ({ ...p }));
  for (let i = 0; i < out.length; i++) {
    const p = out[i]!;
    if ('literal' in p) continue;
    const before = out[i - 1];
    const after = out[i + 1];
    if (p.stripBefore && before && 'literal' in before) before.literal = before.literal.trimEnd();
    if (p.stripAfter && after && 'literal' in after) after.literal = after.literal.trimStart();
  }
  return out.filter((p) => !('literal' in p) || p.literal !== '');
}

// ---------------------------------------------------------------------------------------------
// Reading parsed files

/** The literal value of a string without template sequences; undefined otherwise. */
export function literalString(expr: HclExpr | undefined): string | undefined {
  if (!expr || expr.kind !== 'string') return undefined;
  if (expr.parts.some((p) => !('literal' in p))) return undefined;
  return expr.parts.map((p) => ('literal' in p ? p.literal : '')).join('');
}

/**
 * The string an attribute of type string holds: a literal string, or a number or bool written
 * bare, which HCL converts to its string ("0", "true") as Nomad's `user = 0` becomes "0".
 */
export function literalStringValue(expr: HclExpr | undefined): string | undefined {
  if (expr?.kind === 'number' || expr?.kind === 'bool') return String(expr.value);
  return literalString(expr);
}

/** A string in hcl2json's spelling: literal `${`/`%{` re-escaped, sequences as `${source}`. */
export function templateText(parts: TemplatePart[]): string {
  return parts
    .map((p) => {
      if ('literal' in p) return p.literal.replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{');
      if ('interpolation' in p) return `\${${p.interpolation}}`;
      return `%{${p.directive}}`;
    })
    .join('');
}

export function attribute(body: HclBody, name: string): HclAttribute | undefined {
  return body.items.find((i): i is HclAttribute => i.type === 'attribute' && i.name === name);
}

export function blocksOf(body: HclBody, name: string): HclBlock[] {
  return body.items.filter((i): i is HclBlock => i.type === 'block' && i.name === name);
}

/** The value as hcl2json renders it (for cross-checking this parser against HashiCorp's). */
export function exprToJson(expr: HclExpr): unknown {
  switch (expr.kind) {
    case 'string':
      return templateText(expr.parts);
    case 'number':
    case 'bool':
      return expr.value;
    case 'null':
      return null;
    case 'tuple':
      return expr.items.map(exprToJson);
    case 'object':
      return Object.fromEntries(expr.items.map((i) => [i.key, exprToJson(i.value)]));
    case 'other':
      return `\${${expr.source}}`;
  }
}

/** A body in hcl2json's JSON shape: blocks as arrays of bodies, nested by label. */
export function toHcl2Json(body: HclBody): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const item of body.items) {
    if (item.type === 'attribute') {
      out[item.name] = exprToJson(item.value);
      continue;
    }
    let node = out;
    let key = item.name;
    for (const label of item.labels) {
      node[key] ??= {};
      node = node[key] as Record<string, unknown>;
      key = label;
    }
    node[key] ??= [];
    (node[key] as unknown[]).push(toHcl2Json(item.body));
  }
  return out;
}
