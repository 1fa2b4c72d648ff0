import { readFile, stat } from 'node:fs/promises';
import { UserError } from './errors.js';

const MAX_BYTES = 1024 * 1024;

/**
 * Read a JSON object from a file the user gave or the tool wrote. Every failure is a one-line
 * UserError naming the file (and line:column for syntax errors) and what to do.
 */
export async function readJsonObject(path: string, what: string): Promise<Record<string, unknown>> {
  let size: number;
  try {
    const s = await stat(path);
    if (!s.isFile()) throw new UserError(`${path}: ${what} is not a regular file; give the path of a JSON file`);
    size = s.size;
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError(`${path}: cannot read ${what} (${(error as NodeJS.ErrnoException).code ?? 'error'}); check the path`);
  }
  if (size > MAX_BYTES) throw new UserError(`${path}: ${what} is ${size} bytes; the limit is ${MAX_BYTES} (1 MiB)`);
  return parseJsonObject(await readFile(path, 'utf8'), path, what);
}

export function parseJsonObject(text: string, label: string, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    const message = (error as Error).message;
    const at = /position (\d+)/.exec(message);
    const where = at ? `:${lineColumn(text, Number(at[1]))}` : '';
    const reason = message.replace(/ in JSON at position \d+.*$/s, '').replace(/^JSON\.parse: /, '').split('\n')[0];
    throw new UserError(`${label}${where}: ${what} is not valid JSON (${reason}); fix the syntax`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UserError(`${label}: ${what} must be a JSON object ({"name": "my-svc", ...})`);
  }
  return value as Record<string, unknown>;
}

function lineColumn(text: string, position: number): string {
  const before = text.slice(0, position).split('\n');
  return `${before.length}:${before[before.length - 1]!.length + 1}`;
}
