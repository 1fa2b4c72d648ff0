/**
 * One escaper per target language. Answers are already restricted (validate.ts), so these are the
 * second wall: whatever reaches a template through them stays a single scalar in its format.
 */

/** A JSON string: Dockerfile exec form (`CMD ["a", "b"]`) and JSON files. */
export function json(value: string | number | string[]): string {
  return JSON.stringify(value);
}

/**
 * A YAML double-quoted scalar. JSON strings are valid YAML 1.2 double-quoted scalars; escaping the
 * Unicode line separators as well keeps a value on one line for every YAML parser.
 */
export function yaml(value: string | number): string {
  if (typeof value === 'number') return String(value);
  return JSON.stringify(value).replace(/\u2028/g, '\\L').replace(/\u2029/g, '\\P');
}

/**
 * An HCL quoted string. Besides quotes and backslashes, HCL treats `${` and `%{` as template
 * sequences: doubling the leader (`$${`, `%%{`) makes them literal.
 */
export function hcl(value: string | number): string {
  if (typeof value === 'number') return String(value);
  const body = value
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t')
    .replace(/\$\{/g, () => '$${') // a function: in a replacement string "$$" means one "$"
    .replace(/%\{/g, '%%{');
  return `"${body}"`;
}

/**
 * Literal text inside a Go template (Nomad `template` data): `{{` would start an action. Every
 * brace becomes an action printing it, not just pairs: a lone `{` or `}` next to one of those
 * actions would otherwise make a new `{{` or `}}` with it (`{}}` gave `{{{ "}}" }}`).
 */
export function gotmpl(value: string): string {
  return value.replace(/[{}]/g, (m) => `{{ "${m}" }}`);
}

/** A single POSIX-shell word: single-quoted, with embedded quotes closed and reopened. */
export function sh(value: string | number): string {
  const text = String(value);
  if (/^[A-Za-z0-9_./:@%+=-]+$/.test(text)) return text;
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** Inline Markdown code that cannot be broken out of by backticks in the value. */
export function mdCode(value: string): string {
  const runs = value.match(/`+/g) ?? [];
  const fence = '`'.repeat(Math.max(0, ...runs.map((r) => r.length)) + 1);
  const pad = value.startsWith('`') || value.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${value}${pad}${fence}`;
}

export const escapers = { json, yaml, hcl, gotmpl, sh, mdCode };
