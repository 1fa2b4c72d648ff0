/**
 * Vault policies written as JSON (`vault policy write app app-policy.json`: Vault reads policies as
 * HCL, and HCL reads JSON), turned into the `path "…" { capabilities = […] }` blocks that
 * `checkVaultPolicy` reads, each on the line where its path is written.
 */
import { lineAtOffset, lineStartsOf, type HclBlock, type HclBody, type HclExpr } from './hcl.js';

/** Files that claim to be a policy by name: `app.policy.json`, `policies/app.json`, `vault/app.json`. */
export const isPolicyJsonPath = (path: string) => /\.json$/i.test(path) && /(^|\/)vault\/|polic(y|ies)/i.test(path);

/** The policy's path blocks, or null when the text is not JSON with a `path` object (or a list of them). */
export function policyFromJson(text: string): HclBody | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isObject(parsed)) return null;
  const paths = parsed.path;
  const groups = Array.isArray(paths) ? paths : [paths];
  if (groups.length === 0 || !groups.every(isObject)) return null;
  const lineStarts = lineStartsOf(text);
  const lineOf = (offset: number) => lineAtOffset(lineStarts, offset);
  // Paths appear in the file in the order JSON.parse met them: each is looked for after the last.
  let from = 0;
  const items: HclBlock[] = [];
  for (const group of groups as Record<string, unknown>[]) {
    for (const [path, rules] of Object.entries(group)) {
      const at = text.indexOf(JSON.stringify(path), from);
      if (at >= 0) from = at + 1;
      const line = at >= 0 ? lineOf(at) : 1;
      const body: HclBody = { items: [] };
      if (isObject(rules)) {
        for (const [name, value] of Object.entries(rules)) {
          const valueAt = text.indexOf(JSON.stringify(name), from);
          const valueLine = valueAt >= 0 ? lineOf(valueAt) : line;
          body.items.push({ type: 'attribute', name, value: toExpr(value, valueLine), line: valueLine });
        }
      }
      items.push({ type: 'block', name: 'path', labels: [path], body, line });
    }
  }
  return { items };
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

function toExpr(value: unknown, line: number): HclExpr {
  if (typeof value === 'string') return { kind: 'string', parts: [{ literal: value }], line };
  if (typeof value === 'number' || typeof value === 'boolean') return { kind: typeof value === 'number' ? 'number' : 'bool', value, line } as HclExpr;
  if (value === null) return { kind: 'null', line };
  if (Array.isArray(value)) return { kind: 'tuple', items: value.map((v) => toExpr(v, line)), line };
  return { kind: 'other', source: JSON.stringify(value), line };
}
