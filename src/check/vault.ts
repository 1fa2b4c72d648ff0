/**
 * Vault policy rules V01-V03 on the HCL AST. A service policy grants read on exactly one
 * service's secret paths: no glob above that prefix, no sys/ or auth/, no write capabilities.
 */
import { finding, type Finding } from './findings.js';
import { attribute, blocksOf, literalString, type HclBody } from './hcl.js';

/** Vault's capability names (policy docs); anything else is a typo Vault would reject. */
export const vaultCapabilities = ['create', 'read', 'update', 'patch', 'delete', 'list', 'sudo', 'deny', 'subscribe', 'recover'] as const;
const writeCapabilities = new Set(['create', 'update', 'patch', 'delete', 'sudo']);
const kv2Segments = new Set(['data', 'metadata', 'delete', 'undelete', 'destroy']);

/** A body is a policy when it holds `path "…" { }` blocks (and at most a `name`, which Vault also reads). */
export function isPolicy(body: HclBody): boolean {
  return body.items.some((i) => i.type === 'block' && i.name === 'path') && body.items.every((i) => (i.type === 'block' && i.name === 'path') || (i.type === 'attribute' && i.name === 'name'));
}

/**
 * The capabilities the pre-0.5 `policy = "…"` form stands for (Vault still reads it, in
 * vault/policy.go): read is read and list; write adds create, update and delete; sudo adds sudo.
 */
const oldPolicies: Record<string, string[]> = {
  deny: ['deny'],
  read: ['read', 'list'],
  write: ['read', 'list', 'create', 'update', 'delete'],
  sudo: ['read', 'list', 'create', 'update', 'delete', 'sudo'],
};

export function checkVaultPolicy(body: HclBody, file: string): Finding[] {
  const out: Finding[] = [];
  const add = (rule: string, line: number, message: string) => out.push(finding(rule, file, line, message));
  let owner: string | undefined;
  const mountForms = new Map<string, 'v1' | 'v2'>();
  for (const block of blocksOf(body, 'path')) {
    const path = block.labels[0] ?? '';
    const segments = path.split('/');
    const v2 = kv2Segments.has(segments[1] ?? '');
    const serviceAt = v2 ? 2 : 1;
    const old = attribute(block.body, 'policy');
    const oldForm = old && !attribute(block.body, 'capabilities') ? oldPolicies[literalString(old.value) ?? ''] : undefined;
    const caps = oldForm ? { line: old!.line } : attribute(block.body, 'capabilities');
    const names = oldForm ?? (caps && 'value' in caps && caps.value.kind === 'tuple' ? caps.value.items.map((i) => literalString(i) ?? '?') : []);
    if (!oldForm && (!caps || !('value' in caps) || caps.value.kind !== 'tuple')) add('V03', block.line, `path "${path}" has no capabilities list`);
    for (const c of names) if (!(vaultCapabilities as readonly string[]).includes(c)) add('V03', caps!.line, `path "${path}": "${c}" is not a Vault capability`);
    // `deny` takes precedence over every other capability (Vault's policy docs): such a path only
    // removes access, which no least-privilege rule can object to.
    if (names.includes('deny')) continue;
    // V03
    if (/^(sys|auth|identity)(\/|$)/.test(path)) add('V03', block.line, `path "${path}" reaches Vault's own ${segments[0]}/ tree`);
    const globAt = segments.findIndex((s) => s.includes('*') || s === '+');
    if (globAt >= 0 && globAt <= serviceAt) add('V03', block.line, `path "${path}" uses a glob that reaches beyond one service's prefix`);
    for (const c of names) if (writeCapabilities.has(c)) add('V03', caps!.line, `path "${path}" grants ${c}: a service policy only reads`);
    // V01: list only on the service's own metadata prefix (`…/metadata/app/`, or `…/app/*` below it).
    if (names.includes('list') && !(segments[1] === 'metadata' && (path.endsWith('/') || (path.endsWith('/*') && segments.length > serviceAt + 1)))) {
      add(segments[1] === 'data' ? 'V02' : 'V01', caps!.line, segments[1] === 'data' ? `path "${path}": KV v2 lists through ${segments[0]}/metadata/, not data/` : `path "${path}" grants list outside the service's metadata prefix`);
    }
    // V01: one service per policy (the first path names it).
    if (!/^(sys|auth|identity)(\/|$)/.test(path) && globAt !== 0) {
      const service = `${segments[0]}/${v2 ? '…/' : ''}${segments[serviceAt] ?? ''}`;
      owner ??= service;
      if (service !== owner) add('V01', block.line, `path "${path}" belongs to another service (${segments[serviceAt] ?? ''}) than the policy's first path: one policy per service`);
    }
    // V02: one KV form per mount (the mount's first path sets it).
    if (!/^(sys|auth|identity)(\/|$)/.test(path)) {
      const form = v2 ? 'v2' : 'v1';
      const first = mountForms.get(segments[0]!) ?? form;
      mountForms.set(segments[0]!, first);
      if (form !== first) add('V02', block.line, `path "${path}" uses the KV ${form} path form on the mount ${segments[0]}, whose other paths are KV ${first}`);
    }
  }
  return out;
}
