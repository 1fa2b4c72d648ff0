import { readFileSync, statSync } from 'node:fs';
import { UserError } from './errors.js';

const MAX_BYTES = 1024 * 1024;

/**
 * Read a JSON object from a file the user gave or the tool wrote. Every failure is a one-line
 * UserError naming the file (and line:column for syntax errors) and what to do.
 * Synchronous inside: `create` imports this module before its first question, and importing
 * node:fs/promises here made every run load it, for reads of one small file (issue #6).
 */
export async function readJsonObject(path: string, what: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    const s = statSync(path);
    if (!s.isFile()) throw new UserError(`${path}: ${what} is not a regular file; give the path of a JSON file`);
    if (s.size > MAX_BYTES) throw new UserError(`${path}: ${what} is ${s.size} bytes; the limit is ${MAX_BYTES} (1 MiB)`);
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError(`${path}: cannot read ${what} (${(error as NodeJS.ErrnoException).code ?? 'error'}); check the path`);
  }
  return parseJsonObject(text, path, what);
}

export function parseJsonObject(text: string, label: string, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    const message = (error as Error).message;
    const at = /position (\d+)/.exec(message);
    const offset = at ? Number(at[1]) : firstErrorOffset(text.replace(/^\uFEFF/, ''));
    const where = offset === null ? '' : `:${lineColumn(text, offset)}`;
    // V8 quotes the whole input in some messages; keep only the reason so the error stays one line.
    const reason = message.replace(/ in JSON at position \d+.*$/s, '').replace(/, ".*" is not valid JSON$/s, '').replace(/^JSON\.parse: /, '').split('\n')[0];
    throw new UserError(`${label}${where}: ${what} is not valid JSON (${reason}); fix the syntax`);
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
  let i = 0;
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
    ws();
    const ch = text[i];
    if (ch === '{') {
      i++;
      ws();
      if (text[i] === '}') return void i++;
      for (;;) {
        ws();
        if (text[i] !== '"') fail();
        string();
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
    return i < text.length ? i : null;
  } catch (offset) {
    if (typeof offset === 'number') return Math.min(offset, text.length);
    throw offset;
  }
}

function lineColumn(text: string, position: number): string {
  const before = text.slice(0, position).split('\n');
  return `${before.length}:${before[before.length - 1]!.length + 1}`;
}
