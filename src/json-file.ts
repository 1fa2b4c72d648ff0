import { readFileSync, statSync } from 'node:fs';
import { UserError } from './errors.js';
import { printable } from './ui.js';

/** The most any command reads of an answers file or a manifest: each is a few KiB, so more is the wrong file. */
const MAX_BYTES = 1024 * 1024;
const MAX_DEPTH = 1000;
const tooDeep = Symbol('nested deeper than MAX_DEPTH');

/**
 * Read a JSON object from a file the user gave or the tool wrote. Every failure is a one-line
 * UserError naming the file (and line:column for syntax errors) and what to do.
 * Synchronous inside: `create` imports this module before its first question, and importing
 * node:fs/promises here made every run load it, for reads of one small file (issue #6).
 */
export async function readJsonObject(path: string, what: string): Promise<Record<string, unknown>> {
  let bytes: Buffer;
  try {
    const s = statSync(path);
    if (!s.isFile()) throw new UserError(`${path}: ${what} is not a regular file; give the path of a JSON file`);
    refuseOversized(path, what, s.size);
    bytes = readFileSync(path);
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError(`${path}: cannot read ${what} (${(error as NodeJS.ErrnoException).code ?? 'error'}); check the path`);
  }
  return jsonObjectOf(bytes, path, what);
}

/**
 * A JSON object from a file's bytes, checked as every command checks an answers file or a manifest
 * (create reads them through readJsonObject, update and add a manifest through their Disk): the
 * size, UTF-8, the syntax and no key set twice.
 */
export function jsonObjectOf(bytes: Buffer, label: string, what: string): Record<string, unknown> {
  refuseOversized(label, what, bytes.length);
  const text = utf8Text(bytes, label, what);
  const value = parseJsonObject(text, label, what);
  // JSON.parse keeps the last of two equal keys without a word; in a file a person wrote (or a
  // merge of two versions of it), the other one was meant too, and which one wins is not theirs to guess.
  const bare = text.replace(/^\uFEFF/, '');
  const duplicate = firstDuplicateKey(bare);
  if (duplicate) throw new UserError(`${label}:${lineColumn(bare, duplicate.offset)}: ${what} sets ${printable(JSON.stringify(duplicate.key))} twice in one object; keep one`);
  return value;
}

/**
 * The one error every command gives for a JSON file it reads that is over the limit, checked on
 * its size before it is read (create through fs, update and add through their Disk).
 */
export function refuseOversized(label: string, what: string, size: number): void {
  if (size > MAX_BYTES) throw new UserError(`${label}: ${what} is ${size} bytes; the limit is ${MAX_BYTES} (1 MiB): check that it is the right file (one is a few KiB)`);
}

/** The file's text; a one-line error naming the line when it is not UTF-8 (a UTF-16 or Latin-1 save). */
function utf8Text(bytes: Buffer, path: string, what: string): string {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new UserError(`${path}: ${what} is UTF-16 text; save it as UTF-8`);
  }
  const at = firstNonUtf8Byte(bytes);
  if (at === undefined) return bytes.toString('utf8');
  const line = bytes.subarray(0, at - 1).toString('latin1').split('\n').length;
  throw new UserError(`${path}:${line}: ${what} is not UTF-8 text (byte ${at}); save it as UTF-8`);
}

/** The first byte (counted from 1) that is not part of UTF-8 text; undefined when all of them are. */
export function firstNonUtf8Byte(bytes: Buffer): number | undefined {
  const again = Buffer.from(bytes.toString('utf8'), 'utf8');
  if (again.equals(bytes)) return undefined;
  // Invalid bytes decode to U+FFFD, so the first byte that differs on the way back is the first bad one.
  let at = 0;
  while (at < bytes.length && bytes[at] === again[at]) at++;
  return at + 1;
}

export function parseJsonObject(text: string, label: string, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    // UTF-16 (Windows PowerShell's `>` writes it) read as UTF-8: a NUL beside every ASCII character,
    // after two U+FFFD for its byte order mark. "Unexpected token" would send the user to a syntax
    // their editor shows as fine.
    if (/^(?:\uFFFD\uFFFD)?(?:[^\0]\0|\0[^\0])/.test(text)) throw new UserError(`${label}: ${what} is UTF-16 text; save it as UTF-8`);
    const message = (error as Error).message;
    const at = /position (\d+)/.exec(message);
    const offset = at ? Number(at[1]) : firstErrorOffset(text.replace(/^\uFEFF/, ''));
    const where = offset === null ? '' : `:${lineColumn(text, offset)}`;
    // V8 quotes the whole input in some messages; keep only the reason so the error stays one line.
    const reason = message
      .replace(/ in JSON at position \d+.*$/s, '')
      .replace(/, (?:\.\.\.)?".*"(?:\.\.\.)? is not valid JSON$/s, '')
      .replace(/^JSON\.parse: /, '')
      .split('\n')[0]!;
    // The reason quotes the file's own characters: escaped, so they cannot drive the terminal.
    throw new UserError(`${label}${where}: ${what} is not valid JSON (${printable(reason)}); fix the syntax`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UserError(`${label}: ${what} must be a JSON object ({"name": "my-svc", ...})`);
  }
  return value as Record<string, unknown>;
}

/**
 * Where JSON text first goes wrong, for engines whose messages give no position (Node 20 does
 * not for unexpected tokens). A small scanner of the JSON grammar; null if the text is valid.
 */
export function firstErrorOffset(text: string): number | null {
  const stop = scanJson(text, false);
  return stop === null ? null : stop.offset;
}

/** The first key an object of valid JSON text repeats (as JSON.parse decodes keys), and where. */
export function firstDuplicateKey(text: string): { key: string; offset: number } | null {
  const stop = scanJson(text, true);
  return stop?.duplicate === undefined ? null : { key: stop.duplicate, offset: stop.offset };
}

/**
 * Scan JSON text; stop at its first error, or at its first repeated key when asked to. Text nested
 * deeper than MAX_DEPTH is not scanned (null), rather than overflowing the stack: JSON.parse reads
 * it, and no answers file or manifest nests more than a few levels.
 */
function scanJson(text: string, duplicates: boolean): { offset: number; duplicate?: string } | null {
  let i = 0;
  let depth = 0;
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const fail = (): never => {
    throw i;
  };
  const literal = (word: string) => {
    for (const ch of word) if (text[i++] !== ch) (i--, fail());
  };
  const string = () => {
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text[i]! < ' ') fail();
      if (text[i] === '\\') {
        i++;
        if (text[i] === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail();
          i += 4;
        } else if (!'"\\/bfnrt'.includes(text[i] ?? '')) fail();
      }
      i++;
    }
    if (text[i] !== '"') fail();
    i++;
  };
  const value = (): void => {
    if (++depth > MAX_DEPTH) throw tooDeep;
    valueAt();
    depth--;
  };
  const valueAt = (): void => {
    ws();
    const ch = text[i];
    if (ch === '{') {
      i++;
      ws();
      if (text[i] === '}') return void i++;
      const keys = new Set<string>();
      for (;;) {
        ws();
        if (text[i] !== '"') fail();
        const at = i;
        string();
        if (duplicates) {
          const key = JSON.parse(text.slice(at, i)) as string;
          if (keys.has(key)) throw { offset: at, duplicate: key };
          keys.add(key);
        }
        ws();
        if (text[i] !== ':') fail();
        i++;
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') return void i++;
        else fail();
      }
    }
    if (ch === '[') {
      i++;
      ws();
      if (text[i] === ']') return void i++;
      for (;;) {
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') return void i++;
        else fail();
      }
    }
    if (ch === '"') return string();
    if (ch === 't') return literal('true');
    if (ch === 'f') return literal('false');
    if (ch === 'n') return literal('null');
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m) fail();
    i += m![0].length;
  };
  try {
    value();
    ws();
    return i < text.length ? { offset: i } : null;
  } catch (stop) {
    if (stop === tooDeep) return null;
    if (typeof stop === 'number') return { offset: Math.min(stop, text.length) };
    if (typeof stop === 'object' && stop !== null && 'duplicate' in stop) return stop as { offset: number; duplicate: string };
    throw stop;
  }
}

function lineColumn(text: string, position: number): string {
  const before = text.slice(0, position).split('\n');
  return `${before.length}:${before[before.length - 1]!.length + 1}`;
}
