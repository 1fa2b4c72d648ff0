/**
 * The Nomad job (N01-N06) and the Vault policy (V01-V03), parsed by the real HCL2 parser and
 * checked on the parsed structure for every language and many answer sets. Expected values are
 * derived here from the answers and RULES.md, not read back from the render context.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { identityOf, getLanguage } from '../../src/languages.js';
import { getPart } from '../../src/parts/index.js';
import type { Answers } from '../../src/questions.js';
import { renderProject } from '../../src/render/index.js';
import {
  block,
  blocks,
  keyPaths,
  labeledBlocks,
  literal,
  nomadJob,
  parseHcl,
  policyRules,
  strings,
  vaultCapabilities,
  type NomadJob,
} from '../helpers/hcl.js';
import { answersFor, combinations, templates, testFacts } from '../helpers/render.js';

type Flags = Partial<Record<keyof Answers, unknown>>;

const serviceEnv: Record<string, string> = { postgres: 'POSTGRES_PASSWORD', redis: 'REDIS_PASSWORD', mongo: 'MONGO_PASSWORD' };

interface Deploy {
  a: Answers;
  jobText: string;
  policyText: string;
  job: NomadJob;
  policy: Map<string, string[]>;
}

async function renderDeploy(a: Answers): Promise<Deploy> {
  const tree = renderProject(a, await templates(), { facts: testFacts, generatorVersion: '0.0.0-test', parts: [getPart('nomad'), getPart('vault')] });
  expect([...tree.keys()].sort()).toEqual([`deploy/nomad/${a.name}.nomad.hcl`, `deploy/vault/${a.name}.policy.hcl`]);
  const jobText = tree.get(`deploy/nomad/${a.name}.nomad.hcl`)!.content;
  const policyText = tree.get(`deploy/vault/${a.name}.policy.hcl`)!.content;
  const job = nomadJob(await parseHcl(jobText, `${a.name}.nomad.hcl`));
  const policy = policyRules(await parseHcl(policyText, `${a.name}.policy.hcl`));
  return { a, jobText, policyText, job, policy };
}

async function deployFor(flags: Flags): Promise<Deploy> {
  return renderDeploy(await answersFor(flags));
}

/** V02: the API path each secret is read from, by KV version. */
function expectedReadPaths(a: Answers): string[] {
  const envs = [...a.secrets, ...a.services.map((s) => serviceEnv[s]!)];
  return envs.map((env) => (a.vaultKv === 2 ? `${a.vaultMount}/data/${a.name}/${env}` : `${a.vaultMount}/${a.name}/${env}`));
}

/** N03, V02: one Go-template line per secret, `.Data.data.value` for KV v2 and `.Data.value` for v1. */
const envQuoted = String.raw`printf "%v" | replaceAll "\\" "\\\\" | replaceAll "\"" "\\\"" | replaceAll "\n" "\\n" | replaceAll "\t" "\\t"`;

function expectedTemplateLines(a: Answers): string[] {
  const field = a.vaultKv === 2 ? '.Data.data.value' : '.Data.value';
  const envs = [...a.secrets, ...a.services.map((s) => serviceEnv[s]!)];
  // Quoted with go-envparse's escapes, so every secret reaches the app unchanged (nomad-env.test.ts runs it).
  return envs.map((env, i) => `{{ with secret ${JSON.stringify(expectedReadPaths(a)[i])} }}${env}="{{ ${field} | ${envQuoted} }}"{{ end }}`);
}

/** Keys that must appear nowhere in a job (N01 old syntax, N04 policies, N06 host access). */
const forbiddenJobKeys = ['port_map', 'mounts', 'privileged', 'network_mode', 'pid_mode', 'ipc_mode', 'uts_mode', 'userns_mode', 'volumes', 'volume_driver', 'volume', 'volume_mount', 'devices', 'cap_add', 'policies', 'auth_soft_fail', 'host_network'];

function checkJob(d: Deploy): void {
  const { a, job: j } = d;
  const id = identityOf(a.language, a.base);

  expect(j.name).toBe(a.name);
  expect(j.job.datacenters).toEqual([a.datacenter]);
  expect(j.job.type).toBe('service');

  // N05: Linux constraint, with Nomad's own ${attr...} interpolation kept literal.
  expect(blocks(j.job, 'constraint')).toEqual([{ attribute: '${attr.kernel.name}', value: 'linux' }]);

  // N01: group network in bridge mode with port "http" { to = port }.
  const network = block(j.group, 'network');
  expect(network.mode).toBe('bridge');
  const ports = labeledBlocks(network, 'port');
  expect([...ports.keys()]).toEqual(['http']);
  expect(ports.get('http')).toEqual([{ to: a.port }]);

  // N05: a service with an http check on the health path.
  const service = block(j.group, 'service');
  expect(service.name).toBe(a.name);
  expect(service.port).toBe('http');
  const check = block(service, 'check');
  expect(check.type).toBe('http');
  expect(check.path).toBe(a.healthPath);
  expect(typeof check.interval).toBe('string');
  expect(typeof check.timeout).toBe('string');

  // N05: bounded restarts that end in failure.
  const restart = block(j.group, 'restart');
  expect(restart.mode).toBe('fail');
  expect(restart.attempts).toEqual(expect.any(Number));
  expect(typeof restart.interval).toBe('string');
  expect(typeof restart.delay).toBe('string');

  // N05: health-gated updates with auto-revert.
  const update = block(j.group, 'update');
  expect(update).toMatchObject({ health_check: 'checks', auto_revert: true });
  for (const key of ['min_healthy_time', 'healthy_deadline', 'progress_deadline']) expect(typeof update[key]).toBe('string');

  // N02: docker task as the one numeric identity of the Dockerfile (D04).
  expect(j.task.driver).toBe('docker');
  expect(j.task.user).toBe(`${id.uid}:${id.gid}`);
  expect(id.uid).toBeGreaterThan(0);

  // N01, N02: config is a block (never `config = {…}`), hardened.
  const c = j.config;
  expect(c.image).toBe('${var.image}');
  expect(c.ports).toEqual(['http']);
  expect(c.readonly_rootfs).toBe(true);
  expect(c.cap_drop).toEqual(['all']);
  expect(c.security_opt).toEqual(['no-new-privileges']);
  expect(c.pids_limit).toEqual(expect.any(Number));
  expect(c.pids_limit as number).toBeGreaterThan(0);
  const mounts = blocks(c, 'mount');
  expect(mounts).toHaveLength(1);
  expect(mounts[0]).toMatchObject({ type: 'tmpfs', target: '/tmp' });
  expect(mounts[0]!.source).toBeUndefined();
  if (getLanguage(a.language).needsInit) expect(c.init).toBe(true);
  else expect(c.init ?? false).toBe(false);

  // N02: the image variable demands a digest.
  const image = j.variables.get('image');
  expect(image).toHaveLength(1);
  expect(image![0]!.default).toBeUndefined();
  expect(String(image![0]!.description)).toMatch(/digest/);
  expect(block(image![0]!, 'validation').condition).toContain('@sha256:');

  // N05: resources from the answers: 1 core = 1000 MHz, memory in MiB.
  expect(block(j.task, 'resources')).toEqual({ cpu: Math.round(a.cpu * 1000), memory: a.memory, memory_max: a.memory });

  // N01, N04, N06: forbidden keys appear nowhere, and nothing is privileged or on the host network.
  const doc = { job: j.job, variable: Object.fromEntries(j.variables) };
  for (const key of forbiddenJobKeys) expect(keyPaths(doc, key), `forbidden key ${key}`).toEqual([]);
  expect(strings(doc).filter((s) => /^host$/.test(s))).toEqual([]);
  // N01: raw text has no pre-0.12 assignment forms.
  expect(d.jobText).not.toMatch(/^\s*(config|mount|network|port_map)\s*=/m);

  const expectedLines = expectedTemplateLines(a);
  const vaults = blocks(j.task, 'vault');
  const templatesOfTask = blocks(j.task, 'template');
  if (expectedLines.length === 0) {
    // N03, N04: no secrets, no Vault token, no (empty) template.
    expect(vaults).toEqual([]);
    expect(templatesOfTask).toEqual([]);
  } else {
    // N04: workload identity role, the token hidden from the task.
    expect(vaults).toEqual([{ role: a.vaultRole, env: false, disable_file: true }]);
    // N03: one template, env file in secrets/, restart on change, 0400, strict keys.
    expect(templatesOfTask).toHaveLength(1);
    const t = templatesOfTask[0]!;
    expect(t).toMatchObject({ destination: `secrets/${a.name}.env`, env: true, change_mode: 'restart', perms: '400', error_on_missing_key: true });
    expect(t.change_signal).toBeUndefined();
    expect(t.source).toBeUndefined();
    const lines = literal(t.data).split('\n').filter((l) => l !== '');
    expect(lines).toEqual(expectedLines);
  }
}

function checkPolicy(d: Deploy): void {
  const { a, policy } = d;
  const expected = expectedReadPaths(a);

  // V01: the header names the policy and the role it is bound to.
  const header = d.policyText.split('\n').filter((l) => l.startsWith('#')).join('\n');
  expect(header).toContain(`${a.name}-read`);
  expect(header).toContain(a.vaultRole);

  // V01, V02: exactly the expected read paths, read only; no list rule (the template never lists).
  expect([...policy.keys()].sort()).toEqual([...expected].sort());
  for (const caps of policy.values()) expect(caps).toEqual(['read']);

  // V03: no glob, no sys/ or auth/, every path inside this service's own prefix, valid capabilities only.
  const prefix = a.vaultKv === 2 ? `${a.vaultMount}/data/${a.name}/` : `${a.vaultMount}/${a.name}/`;
  for (const [path, caps] of policy) {
    expect(path).not.toMatch(/[*+]/);
    expect(path).not.toMatch(/^(sys|auth|identity)\//);
    expect(path.startsWith(prefix)).toBe(true);
    expect(path.slice(prefix.length)).toMatch(/^[A-Z][A-Z0-9_]*$/);
    for (const cap of caps) expect(vaultCapabilities).toContain(cap);
    expect(caps.filter((c) => ['create', 'update', 'patch', 'delete', 'sudo'].includes(c))).toEqual([]);
  }
  // V02: KV v2 reads go through data/, v1 never does.
  if (a.vaultKv === 2) for (const path of policy.keys()) expect(path.startsWith(`${a.vaultMount}/data/`)).toBe(true);
  else for (const path of policy.keys()) expect(path.startsWith(`${a.vaultMount}/data/`)).toBe(false);

  // Every rule carries its rule-ID comment.
  const ruleLines = d.policyText.split('\n').map((l, i, all) => ({ l, prev: all[i - 1] ?? '' })).filter(({ l }) => l.startsWith('path '));
  for (const { prev } of ruleLines) expect(prev).toMatch(/^# .*\bV0[1-3]\b/);
}

/** N03 + V01: what the job reads is exactly what the policy grants. */
function checkConsistent(d: Deploy): void {
  const templatesOfTask = blocks(d.job.task, 'template');
  const read = templatesOfTask.flatMap((t) => [...literal(t.data).matchAll(/\{\{ with secret ("(?:[^"\\]|\\.)*") \}\}/g)].map((m) => JSON.parse(m[1]!) as string));
  expect(read.sort()).toEqual([...d.policy.keys()].sort());
}

/** House rule: every hardening line carries a comment naming its rule ID. */
function checkRuleComments(d: Deploy): void {
  const lines = d.jobText.split('\n');
  const hardening = /^\s*((readonly_rootfs|cap_drop|security_opt|pids_limit|user|init|image|ports|env|disable_file|change_mode|perms|error_on_missing_key)\s*=|(network|service|restart|update|constraint|resources|vault|template|mount|validation)\s*\{)/;
  lines.forEach((line, i) => {
    if (!hardening.test(line)) return;
    const comments: string[] = [];
    for (let k = i - 1; k >= 0 && /^\s*#/.test(lines[k]!); k--) comments.push(lines[k]!);
    expect(comments.join('\n'), `line ${i + 1} "${line.trim()}" needs a rule-ID comment right above it`).toMatch(/#.*\b[NDCV]\d\d\b/);
  });
}

async function checkAll(flags: Flags): Promise<Deploy> {
  const d = await deployFor(flags);
  checkJob(d);
  checkPolicy(d);
  checkConsistent(d);
  checkRuleComments(d);
  return d;
}

describe('Nomad job and Vault policy for every language, version and base', () => {
  const combos = combinations();
  const rich: Flags[] = [
    { secrets: ['API_KEY'], services: ['postgres'] },
    { secrets: [], services: ['redis', 'mongo'], vaultKv: 1 },
    { secrets: ['SESSION_KEY', 'STRIPE_TOKEN'], services: ['postgres', 'redis', 'mongo'], vaultMount: 'kv-apps' },
  ];
  it.each(combos.map((c) => [`${c.language} ${c.languageVersion} ${c.base}`, c] as const))('%s: no secrets', async (_, c) => {
    await checkAll(c);
  });
  it.each(combos.map((c, i) => [`${c.language} ${c.languageVersion} ${c.base}`, { ...c, ...rich[i % rich.length] }] as const))('%s: with secrets', async (_, flags) => {
    await checkAll(flags);
  });
});

describe('Nomad job and Vault policy across answer sets', () => {
  const cases: [string, Flags][] = [
    ['defaults (no secrets)', {}],
    ['app secrets, KV v2', { secrets: ['API_KEY', 'DATABASE_URL'] }],
    ['postgres only', { services: ['postgres'] }],
    ['redis only', { services: ['redis'] }],
    ['mongo only', { services: ['mongo'] }],
    ['all services and secrets', { secrets: ['API_KEY'], services: ['postgres', 'redis', 'mongo'] }],
    ['KV v1 with secrets', { vaultKv: 1, secrets: ['API_KEY'], services: ['redis'] }],
    ['KV v1 without secrets', { vaultKv: 1 }],
    ['custom mount, role and datacenter', { vaultMount: 'kv_apps-2', vaultRole: 'Deploy_Role-1', datacenter: 'eu-west_1', secrets: ['TOKEN'] }],
    ['smallest resources', { cpu: 0.1, memory: 32 }],
    ['largest resources', { cpu: 64, memory: '256G' }],
    ['fractional cpu', { cpu: 0.29, memory: '1G' }],
    ['edge port and deep health path', { port: 65535, healthPath: '/api/v1/health.check~x' }],
    ['lowest port, python, distroless', { language: 'python', languageVersion: '3.11', base: 'distroless', port: 1024 }],
  ];
  it.each(cases)('%s', async (_, flags) => {
    await checkAll(flags);
  });

  it('counts cpu in MHz at 1000 per core', async () => {
    const d = await checkAll({ cpu: 1.25, memory: 768 });
    expect(block(d.job.task, 'resources')).toEqual({ cpu: 1250, memory: 768, memory_max: 768 });
  });

  it('reads KV v2 through .Data.data and KV v1 through .Data', async () => {
    const v2 = await checkAll({ secrets: ['API_KEY'] });
    expect(literal(block(v2.job.task, 'template').data)).toContain(`{{ with secret "secret/data/my-svc/API_KEY" }}API_KEY="{{ .Data.data.value | ${envQuoted} }}"{{ end }}`);
    const v1 = await checkAll({ secrets: ['API_KEY'], vaultKv: 1 });
    expect(literal(block(v1.job.task, 'template').data)).toContain(`{{ with secret "secret/my-svc/API_KEY" }}API_KEY="{{ .Data.value | ${envQuoted} }}"{{ end }}`);
    expect(v1.policy.has('secret/my-svc/API_KEY')).toBe(true);
  });

  it('writes a policy with no rules when there are no secrets', async () => {
    const d = await checkAll({});
    expect(d.policy.size).toBe(0);
    expect(await parseHcl(d.policyText)).toEqual({});
    expect(d.policyText).toMatch(/no secrets/);
  });

  it('writes each nested network block on its own lines (HCL has no one-line nested blocks)', async () => {
    const d = await checkAll({});
    expect(d.jobText).toMatch(/^ {4}network \{\n {6}mode = "bridge"\n\n {6}port "http" \{\n {8}to = 3000\n {6}\}\n {4}\}$/m);
  });

  it('rejects what it should: the checks fail on a loosened job and a widened policy', async () => {
    const d = await deployFor({ secrets: ['API_KEY'] });
    const loosen = async (from: string | RegExp, to: string): Promise<Deploy> => {
      const jobText = d.jobText.replace(from, to);
      expect(jobText).not.toBe(d.jobText);
      return { ...d, jobText, job: nomadJob(await parseHcl(jobText)) };
    };
    expect(checkJob.bind(null, await loosen('readonly_rootfs = true', 'readonly_rootfs = false'))).toThrow();
    expect(checkJob.bind(null, await loosen('cap_drop = ["all"]', 'cap_drop = ["all"]\n        privileged = true'))).toThrow();
    expect(checkJob.bind(null, await loosen('        env          = false', '        policies     = ["x"]\n        env          = false'))).toThrow();
    expect(checkJob.bind(null, await loosen('perms = "400"', 'perms = "644"'))).toThrow();
    expect(checkJob.bind(null, await loosen(/ {8}mount \{[\s\S]*?\n {8}\}\n/, '        mount {\n          type   = "bind"\n          target = "/tmp"\n          source = "/tmp"\n        }\n'))).toThrow();
    expect(() => nomadJob({ job: { x: [{ group: { g: [{ task: { t: [{ config: { image: 'x' } }] } }] } }] } })).toThrow(/not a block/);
    const widened = d.policyText.replace('capabilities = ["read"]', 'capabilities = ["read", "update"]') + '\npath "secret/data/*" {\n  capabilities = ["read"]\n}\n';
    expect(checkPolicy.bind(null, { ...d, policyText: widened, policy: policyRules(await parseHcl(widened)) })).toThrow();
    const uncommented = d.jobText.replace('# N02: setuid binaries cannot raise privileges.\n', '');
    expect(checkRuleComments.bind(null, { ...d, jobText: uncommented })).toThrow();
  });
});

describe('escaping (the second wall behind validation)', () => {
  it('keeps hostile values single HCL strings and single Go string literals', async () => {
    // Bypasses validation on purpose: quotes, backslashes and HCL/Go template openers.
    const base = await answersFor({ secrets: ['API_KEY'], services: ['redis'] });
    const a: Answers = {
      ...base,
      name: 'svc"${q}%{r}{{x}}\\',
      datacenter: 'dc"${x}\\n',
      vaultRole: 'role"%{y}',
      healthPath: '/h"${z}\\',
      vaultMount: 'kv"${m}',
    };
    const tree = renderProject(a, await templates(), { facts: testFacts, generatorVersion: '0.0.0-test', parts: [getPart('nomad'), getPart('vault')] });
    const jobText = tree.get(`deploy/nomad/${a.name}.nomad.hcl`)!.content;
    const policyText = tree.get(`deploy/vault/${a.name}.policy.hcl`)!.content;
    const j = nomadJob(await parseHcl(jobText));
    expect(literal((j.job.datacenters as string[])[0])).toBe(a.datacenter);
    expect(literal(block(block(j.group, 'service'), 'check').path)).toBe(a.healthPath);
    expect(literal(block(j.task, 'vault').role)).toBe(a.vaultRole);
    expect(literal(block(j.task, 'template').destination)).toBe(`secrets/${a.name}.env`);
    expect(j.config.image).toBe('${var.image}');
    const read = [...literal(block(j.task, 'template').data).matchAll(/\{\{ with secret ("(?:[^"\\]|\\.)*") \}\}/g)].map((m) => JSON.parse(m[1]!) as string);
    expect(read).toEqual([`${a.vaultMount}/data/${a.name}/API_KEY`, `${a.vaultMount}/data/${a.name}/REDIS_PASSWORD`]);
    // The policy still parses to one rule per secret. (Vault reads policies with HCL 1, where "$${"
    // is no escape: the vault-mount and name validators are what keep policy paths plain.)
    expect(policyRules(await parseHcl(policyText)).size).toBe(2);
  });
});

describe('property: any valid answers render a job and a policy that parse and hold the rules', () => {
  const combos = combinations();
  const answers = fc.record({
    combo: fc.constantFrom(...combos),
    name: fc.stringMatching(/^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/),
    port: fc.integer({ min: 1024, max: 65535 }),
    healthPath: fc.array(fc.stringMatching(/^[A-Za-z0-9_~-][A-Za-z0-9._~-]{0,20}$/), { maxLength: 6 }).map((s) => `/${s.join('/')}`),
    secrets: fc.uniqueArray(fc.stringMatching(/^APP_[A-Z0-9_]{0,60}$/), { maxLength: 50 }),
    services: fc.subarray(['postgres', 'redis', 'mongo']),
    cpu: fc.integer({ min: 10, max: 6400 }).map((n) => n / 100),
    memory: fc.integer({ min: 32, max: 262144 }),
    datacenter: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/),
    vaultKv: fc.constantFrom(1, 2),
    vaultMount: fc.stringMatching(/^[a-z0-9][a-z0-9_-]{0,62}$/).filter((m) => !['sys', 'auth', 'identity'].includes(m)),
    vaultRole: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/),
  });

  it('holds for generated answers', async () => {
    await fc.assert(
      fc.asyncProperty(answers, async ({ combo, ...rest }) => {
        await checkAll({ ...combo, ...rest });
      }),
      { numRuns: 60 },
    );
  });

  it('holds at the limits: 63-character names, 50 secrets of 64 characters, every service', async () => {
    const secrets = Array.from({ length: 50 }, (_, i) => `S${String(i).padStart(2, '0')}_`.padEnd(64, 'X'));
    const d = await checkAll({
      name: `a${'-b'.repeat(30)}9z`.slice(0, 63),
      vaultRole: `R${'_r-'.repeat(21)}`.slice(0, 63),
      datacenter: `D${'c_-'.repeat(21)}`.slice(0, 63),
      vaultMount: `m${'_k-'.repeat(21)}`.slice(0, 63),
      secrets,
      services: ['postgres', 'redis', 'mongo'],
      cpu: 64,
      memory: 262144,
      port: 65535,
    });
    expect(d.a.name).toHaveLength(63);
    expect(d.policy.size).toBe(53);
  });
});
