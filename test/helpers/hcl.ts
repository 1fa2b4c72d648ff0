/**
 * HCL helpers for validator tests: parse generated files with the real HCL2 parser
 * (@cdktf/hcl2json, HashiCorp's hcl library compiled to WASM) and walk the JSON it returns.
 *
 * hcl2json's JSON shape: a block is an array of bodies (`network { }` -> `network: [{…}]`), a
 * labelled block is an object keyed by label (`port "http" { }` -> `port: { http: [{…}] }`), an
 * attribute is its value, and string templates keep their source form (`"${attr.x}"` stays an
 * interpolation, an escaped literal stays `$${`).
 */
import { parse } from '@cdktf/hcl2json';

export type HclBody = Record<string, unknown>;

/** Parses HCL2 text; a syntax error rejects with the parser's message, prefixed with the file name. */
export async function parseHcl(text: string, filename = 'file.hcl'): Promise<HclBody> {
  try {
    return (await parse(filename, text)) as HclBody;
  } catch (error) {
    throw new Error(`${filename} is not valid HCL2: ${String(error)}\n--- ${filename} ---\n${text}`);
  }
}

function isBody(value: unknown): value is HclBody {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every `type { }` block (unlabelled) in a body; [] when there is none. Throws on an attribute of that name. */
export function blocks(body: HclBody, type: string): HclBody[] {
  const value = body[type];
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every(isBody)) {
    throw new Error(`"${type}" is not a block (an attribute, or the pre-0.12 "${type} = {…}" form?): ${JSON.stringify(value)}`);
  }
  return value;
}

/** The single `type { }` block of a body; throws unless there is exactly one. */
export function block(body: HclBody, type: string): HclBody {
  const found = blocks(body, type);
  if (found.length !== 1) throw new Error(`expected exactly one "${type}" block, found ${found.length}`);
  return found[0]!;
}

/** `type "label" { }` blocks of a body by label; each label maps to all its bodies (a repeated label shows as 2+). */
export function labeledBlocks(body: HclBody, type: string): Map<string, HclBody[]> {
  const value = body[type];
  if (value === undefined) return new Map();
  if (!isBody(value)) throw new Error(`"${type}" is not a labelled block: ${JSON.stringify(value)}`);
  const out = new Map<string, HclBody[]>();
  for (const [label, bodies] of Object.entries(value)) {
    if (!Array.isArray(bodies) || !bodies.every(isBody)) throw new Error(`"${type} "${label}"" is not a block body: ${JSON.stringify(bodies)}`);
    out.set(label, bodies);
  }
  return out;
}

/** The one and only `type "<label>" { }` block; returns its label and body. */
export function onlyLabeled(body: HclBody, type: string): { label: string; body: HclBody } {
  const all = [...labeledBlocks(body, type)];
  if (all.length !== 1 || all[0]![1].length !== 1) {
    throw new Error(`expected exactly one "${type}" block, found ${all.map(([l, b]) => `${l} x${b.length}`).join(', ') || 'none'}`);
  }
  return { label: all[0]![0], body: all[0]![1][0]! };
}

/** Paths (a.b[0].c) of every object key named `key`, anywhere in a parsed document. */
export function keyPaths(value: unknown, key: string, at = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => keyPaths(v, key, `${at}[${i}]`));
  if (!isBody(value)) return [];
  return Object.entries(value).flatMap(([k, v]) => {
    const here = at ? `${at}.${k}` : k;
    return [...(k === key ? [here] : []), ...keyPaths(v, key, here)];
  });
}

/** Every string value anywhere in a parsed document. */
export function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (isBody(value)) return Object.values(value).flatMap(strings);
  return [];
}

/** Whether a parsed string still holds an HCL interpolation or directive (an unescaped `${` or `%{`). */
export function isTemplate(parsed: string): boolean {
  return /(^|[^$])\$\{/.test(parsed.replace(/\$\$\{/g, '')) || /(^|[^%])%\{/.test(parsed.replace(/%%\{/g, ''));
}

/** The literal text a parsed HCL string stands for: the `$${` and `%%{` escapes undone. */
export function literal(parsed: unknown): string {
  if (typeof parsed !== 'string') throw new Error(`expected a string, got ${JSON.stringify(parsed)}`);
  if (isTemplate(parsed)) throw new Error(`expected a literal string, got a template: ${parsed}`);
  return parsed.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{');
}

export interface NomadJob {
  name: string;
  job: HclBody;
  groupName: string;
  group: HclBody;
  taskName: string;
  task: HclBody;
  /** The docker driver `config` block. */
  config: HclBody;
  variables: Map<string, HclBody[]>;
}

/** A parsed job file with exactly one job, one group and one task, as the generator writes them. */
export function nomadJob(doc: HclBody): NomadJob {
  const unexpected = Object.keys(doc).filter((k) => k !== 'job' && k !== 'variable');
  if (unexpected.length > 0) throw new Error(`unexpected top-level keys in the job file: ${unexpected.join(', ')}`);
  const { label: name, body: job } = onlyLabeled(doc, 'job');
  const { label: groupName, body: group } = onlyLabeled(job, 'group');
  const { label: taskName, body: task } = onlyLabeled(group, 'task');
  return { name, job, groupName, group, taskName, task, config: block(task, 'config'), variables: labeledBlocks(doc, 'variable') };
}

/** A Vault policy as path -> capabilities; throws on a repeated path, a non-path key or an odd rule body. */
export function policyRules(doc: HclBody): Map<string, string[]> {
  const unexpected = Object.keys(doc).filter((k) => k !== 'path');
  if (unexpected.length > 0) throw new Error(`unexpected top-level keys in the policy: ${unexpected.join(', ')}`);
  const rules = new Map<string, string[]>();
  for (const [path, bodies] of labeledBlocks(doc, 'path')) {
    if (bodies.length !== 1) throw new Error(`path "${path}" is declared ${bodies.length} times`);
    const body = bodies[0]!;
    const keys = Object.keys(body);
    if (keys.length !== 1 || keys[0] !== 'capabilities') throw new Error(`path "${path}" has keys ${keys.join(', ')}; expected only capabilities`);
    const caps = body.capabilities;
    if (!Array.isArray(caps) || !caps.every((c) => typeof c === 'string')) throw new Error(`path "${path}" capabilities is not a list of strings`);
    rules.set(path, caps);
  }
  return rules;
}

/** Vault's capability names: the list `check` (V03) uses, so tests and the engine agree. */
export { vaultCapabilities } from '../../src/check/vault.js';
