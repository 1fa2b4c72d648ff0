/**
 * Vault policy rules V01-V03 on the HCL AST. A service policy grants read on exactly one
 * service's secret paths: no glob above that prefix, no sys/ or auth/, no write capabilities
 * (but update on its own role's issue or sign path, which issuing a certificate takes).
 */
import { finding, type Finding } from './findings.js';
import { attribute, blocksOf, literalString, type HclBody } from './hcl.js';

/** Vault's capability names (policy docs); anything else is a typo Vault would reject. */
export const vaultCapabilities = ['create', 'read', 'update', 'patch', 'delete', 'list', 'sudo', 'deny', 'subscribe', 'recover'] as const;
const writeCapabilities = new Set(['create', 'update', 'patch', 'delete', 'sudo']);
const kv2Segments = new Set(['data', 'metadata', 'delete', 'undelete', 'destroy']);
/**
 * The second segment of a dynamic-secrets endpoint whose third names a role (`database/creds/<role>`,
 * `database/static-creds/<role>`, `aws/creds|sts/<role>`, `pki/issue|sign/<role>`): there the role,
 * not a KV folder, is what belongs to one service.
 */
const roleActions = new Set(['creds', 'static-creds', 'sts', 'issue', 'sign']);
const vaultOwn = /^(sys|auth|identity)(\/|$)/;

/** A role named for the service: `devices`, `devices-ro`, `readonly_devices`. */
const roleOf = (role: string, service: string) => role === service || [...'-_.'].some((sep) => role.startsWith(service + sep) || role.endsWith(sep + service));

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
  const blocks = blocksOf(body, 'path');
  const paths = blocks.map((b) => b.labels[0] ?? '');
  // A mount some other path of the policy uses as KV stays KV: `secret/creds/x` beside
  // `secret/app/y` is a KV v1 folder named creds, not a database role.
  const kvMounts = new Set(paths.filter((p) => !vaultOwn.test(p) && !roleActions.has(p.split('/')[1] ?? '')).map((p) => p.split('/')[0]));
  const isRolePath = (segments: string[]) => segments.length >= 3 && roleActions.has(segments[1]!) && !kvMounts.has(segments[0]);
  // Roles are judged once the loop has found the service's KV folder, wherever in the file it is.
  const roles: { path: string; role: string; line: number }[] = [];
  for (const block of blocks) {
    const path = block.labels[0] ?? '';
    const segments = path.split('/');
    const dynamic = isRolePath(segments);
    const v2 = !dynamic && kv2Segments.has(segments[1] ?? '');
    const serviceAt = v2 || dynamic ? 2 : 1;
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
    if (vaultOwn.test(path)) add('V03', block.line, `path "${path}" reaches Vault's own ${segments[0]}/ tree`);
    const globAt = segments.findIndex((s) => s.includes('*') || s === '+');
    if (globAt >= 0 && globAt <= serviceAt) add('V03', block.line, `path "${path}" uses a glob that reaches beyond one service's prefix`);
    // Issuing or signing a certificate (`pki/issue/<role>`, `pki/sign/<role>`, the SSH engine's
    // too) is a write, the only operation those paths have (the PKI engine registers an update
    // and no existence check): update is the least a service that gets its certificates needs
    // there, and create is never used.
    const issues = dynamic && globAt < 0 && (segments[1] === 'issue' || segments[1] === 'sign');
    for (const c of names) {
      if (!writeCapabilities.has(c) || (issues && c === 'update')) continue;
      add('V03', caps!.line, issues && c === 'create' ? `path "${path}" grants create, which issuing never uses: issuing and signing take only update` : `path "${path}" grants ${c}: a service policy only reads`);
    }
    // V01: list only on the service's own metadata prefix (`…/metadata/app/`, or `…/app/*` below it).
    if (names.includes('list') && !(segments[1] === 'metadata' && (path.endsWith('/') || (path.endsWith('/*') && segments.length > serviceAt + 1)))) {
      // `…/metadata/app` is no wider than `…/metadata/app/`: Vault's docs ask list paths to end in a
      // slash because a LIST request always names a prefix, so the fix is the slash, not a narrower path.
      const unslashed = v2 && segments[1] === 'metadata' && globAt < 0 && (segments[serviceAt] ?? '') !== '';
      if (segments[1] === 'data') add('V02', caps!.line, `path "${path}": KV v2 lists through ${segments[0]}/metadata/, not data/`);
      else if (unslashed) add('V01', caps!.line, `path "${path}" grants list without the trailing slash Vault's docs ask for (listing always names a prefix): write "${path}/"`);
      else add('V01', caps!.line, `path "${path}" grants list outside the service's metadata prefix`);
    }
    // V01: one service per policy (the first path names it).
    if (dynamic && globAt < 0) roles.push({ path, role: segments[2]!, line: block.line });
    else if (!dynamic && !vaultOwn.test(path) && globAt !== 0) {
      const service = `${segments[0]}/${v2 ? '…/' : ''}${segments[serviceAt] ?? ''}`;
      owner ??= service;
      if (service !== owner) add('V01', block.line, `path "${path}" belongs to another service (${segments[serviceAt] ?? ''}) than the policy's first path: one policy per service`);
    }
    // V02: one KV form per mount (the mount's first path sets it).
    if (!dynamic && !vaultOwn.test(path)) {
      const form = v2 ? 'v2' : 'v1';
      const first = mountForms.get(segments[0]!) ?? form;
      mountForms.set(segments[0]!, first);
      if (form !== first) add('V02', block.line, `path "${path}" uses the KV ${form} path form on the mount ${segments[0]}, whose other paths are KV ${first}`);
    }
  }
  // Without a KV path the first role names the service.
  const service = owner !== undefined ? owner.slice(owner.lastIndexOf('/') + 1) : roles[0]?.role;
  for (const r of roles) {
    if (!roleOf(r.role, service!)) add('V01', r.line, `path "${r.path}" reads the role ${r.role}, which is not named for the policy's service (${service}): one policy per service, one role per service`);
  }
  return out;
}
