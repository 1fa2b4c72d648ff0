/**
 * Compose files as Docker Compose reads them, for tests: a YAML parser that understands the
 * `!reset` and `!override` tags, the merge Compose applies to `-f a.yaml -f b.yaml` (ported from
 * compose-go's `override/merge.go` and `override/uncity.go`, the code behind `docker compose config`),
 * and a checker for the compose rules of RULES.md (C01-C11) on a merged model.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { isAlias, isMap, isScalar, isSeq, parse, parseDocument, type Document, type Node, type ScalarTag, type CollectionTag } from 'yaml';
import { servicePins } from '../../src/pins.js';
import type { RenderContext } from '../../src/render/context.js';
import { repoRoot } from './render.js';

// ---------------------------------------------------------------------------------------------
// Parsing

/** `!reset`: the key is removed from the model built so far (compose-spec "Reset value"). */
export class Reset {
  readonly tag = '!reset';
}

/** `!override`: the value replaces what the earlier files said instead of merging with it. */
export class Override {
  readonly tag = '!override';
  constructor(readonly value: Yaml) {}
}

export type Plain = null | boolean | number | string | Plain[] | { [key: string]: Plain };
/** A parsed compose file: plain YAML data, where a tagged node becomes a Reset or an Override. */
export type Yaml = null | boolean | number | string | Yaml[] | { [key: string]: Yaml } | Reset | Override;
export type Mapping = { [key: string]: Plain };

const tagNames = ['!reset', '!override'] as const;
// Each tag may sit on a scalar (`!reset null`), a sequence (`!reset []`) or a mapping; the node is
// kept as parsed and read back by `toYaml`, which sees its tag.
const customTags: (ScalarTag | CollectionTag)[] = tagNames.flatMap((tag) => [
  { tag, resolve: (value: string) => value } satisfies ScalarTag,
  { tag, collection: 'seq' as const, resolve: (seq) => seq } satisfies CollectionTag,
  { tag, collection: 'map' as const, resolve: (map) => map } satisfies CollectionTag,
]);

/** Parse one compose file; YAML errors and warnings (an unknown tag, a duplicate key) throw. */
export function parseCompose(text: string, name = 'compose file'): Yaml {
  const doc = parseDocument(text, { customTags, prettyErrors: true, uniqueKeys: true });
  const problems = [...doc.errors, ...doc.warnings];
  if (problems.length > 0) throw new Error(`${name}: ${problems.map((p) => p.message).join('; ')}`);
  return toYaml(doc.contents as Node | null, doc);
}

function toYaml(node: Node | null, doc: Document, ignoreTag = false): Yaml {
  if (node === null) return null;
  if (isAlias(node)) return toYaml(node.resolve(doc) as Node, doc);
  if (!ignoreTag && node.tag === '!reset') return new Reset();
  if (!ignoreTag && node.tag === '!override') {
    // Compose drops the tag and reads the value as if it had none; a tagged scalar was kept as
    // its source text, so it is resolved here (`!override 5` is the number 5).
    if (isScalar(node)) return new Override(parse(String(node.value)) as Yaml);
    return new Override(toYaml(node, doc, true));
  }
  if (isMap(node)) {
    const out: { [key: string]: Yaml } = {};
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      out[key] = toYaml(pair.value as Node | null, doc);
    }
    return out;
  }
  if (isSeq(node)) return node.items.map((item) => toYaml(item as Node | null, doc));
  if (isScalar(node)) return node.value as Yaml;
  throw new Error(`unexpected YAML node ${String(node)}`);
}

/**
 * The file as Compose validates it on its own: a `!reset` key is gone, an `!override` value is
 * plain. (compose-go removes the tagged nodes before schema validation.)
 */
export function untag(value: Yaml): Plain {
  if (value instanceof Override) return untag(value.value);
  if (value instanceof Reset) return null;
  if (Array.isArray(value)) return value.filter((v) => !(v instanceof Reset)).map(untag);
  if (value !== null && typeof value === 'object') {
    const out: Mapping = {};
    for (const [k, v] of Object.entries(value)) if (!(v instanceof Reset)) out[k] = untag(v);
    return out;
  }
  return value;
}

// ---------------------------------------------------------------------------------------------
// Schema

let validator: ValidateFunction | undefined;

/**
 * The vendored compose-spec schema (schemas/README.md). Its `$schema` is written
 * "https://json-schema.org/draft-07/schema", which Ajv does not know as draft-07's meta-schema
 * (`http://json-schema.org/draft-07/schema#`), so that one key is dropped; Ajv's default class
 * is the draft-07 validator. strictTypes is off because the upstream schema leaves `type` implicit
 * next to some keywords; unknown keywords still throw (strictSchema).
 */
export function composeSchema(): ValidateFunction {
  if (validator) return validator;
  const { $schema: _ignored, ...schema } = JSON.parse(readFileSync(resolve(repoRoot, 'schemas/compose-spec.json'), 'utf8')) as Record<string, unknown>;
  validator = new Ajv({ allErrors: true, strictTypes: false }).compile(schema);
  return validator;
}

/** Schema errors as readable lines; empty when the document is valid. */
export function schemaErrors(document: Plain): string[] {
  const validate = composeSchema();
  if (validate(document)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}

// ---------------------------------------------------------------------------------------------
// Merging, as `docker compose -f base -f override config` does

type Merger = (base: Plain, over: Yaml, path: string[]) => Plain;

const replace: Merger = (_base, over) => untag(over);
const toSequence: Merger = (base, over) => [...asSequence(base), ...asSequence(untag(over))];
const dependsOn: Merger = (base, over, path) =>
  mergeMappings(asMapping(base, { condition: 'service_started', required: true }), asMapping(untag(over), { condition: 'service_started', required: true }), path);
const networks: Merger = (base, over, path) => mergeMappings(asMapping(base, null), asMapping(untag(over), null), path);
const build: Merger = (base, over, path) => {
  const asBuild = (v: Plain): Mapping => (typeof v === 'string' ? { context: v } : (v as Mapping));
  return mergeMappings(asBuild(base), asBuild(untag(over)), path);
};
const logging: Merger = (base, over, path) => {
  const b = base as Mapping;
  const o = untag(over) as Mapping;
  // Options merge only when both files name the same driver (or one names none).
  if (!('driver' in o) || !('driver' in b) || o.driver === b.driver) return mergeMappings(b, o, path);
  return o;
};

/** compose-go `mergeSpecials`: attributes that do not follow the plain mapping/sequence rules. */
const specials: [string, Merger][] = [
  ['networks.*.labels', toSequence],
  ['volumes.*.labels', toSequence],
  ['services.*.annotations', toSequence],
  ['services.*.build', build],
  ['services.*.build.args', toSequence],
  ['services.*.build.additional_contexts', toSequence],
  ['services.*.build.labels', toSequence],
  ['services.*.command', replace],
  ['services.*.depends_on', dependsOn],
  ['services.*.deploy.labels', toSequence],
  ['services.*.dns', toSequence],
  ['services.*.dns_opt', toSequence],
  ['services.*.dns_search', toSequence],
  ['services.*.entrypoint', replace],
  ['services.*.env_file', toSequence],
  ['services.*.environment', toSequence],
  ['services.*.extra_hosts', toSequence],
  ['services.*.healthcheck.test', replace],
  ['services.*.labels', toSequence],
  ['services.*.logging', logging],
  ['services.*.networks', networks],
  ['services.*.sysctls', toSequence],
  ['services.*.tmpfs', toSequence],
];

type Indexer = (entry: Plain) => string;
const keyValue: Indexer = (e) => String(e).split('=')[0] ?? '';
const volumeTarget: Indexer = (e) => {
  if (e !== null && typeof e === 'object' && !Array.isArray(e)) return String(e.target);
  const parts = String(e).split(':');
  return parts.length === 1 ? (parts[0] ?? '') : (parts[1] ?? '');
};
const mountTarget = (defaultDir: string): Indexer => (e) => {
  if (e !== null && typeof e === 'object' && !Array.isArray(e)) return String(e.target ?? `${defaultDir}/${String(e.source)}`);
  return `${defaultDir}/${String(e)}`;
};
const portKey: Indexer = (e) => {
  if (e !== null && typeof e === 'object' && !Array.isArray(e)) {
    return `${String(e.host_ip ?? '0.0.0.0')}:${String(e.published ?? '')}:${String(e.target)}/${String(e.protocol ?? 'tcp')}`;
  }
  return String(e);
};
const envFilePath: Indexer = (e) => (e !== null && typeof e === 'object' && !Array.isArray(e) ? String(e.path) : String(e));

/** compose-go `unique`: sequences where a later entry with the same key replaces the earlier one. */
const unique: [string, Indexer][] = [
  ['networks.*.labels', keyValue],
  ['services.*.annotations', keyValue],
  ['services.*.build.args', keyValue],
  ['services.*.build.labels', keyValue],
  ['services.*.cap_add', keyValue],
  ['services.*.cap_drop', keyValue],
  ['services.*.configs', mountTarget('')],
  ['services.*.deploy.labels', keyValue],
  ['services.*.dns', keyValue],
  ['services.*.dns_opt', keyValue],
  ['services.*.dns_search', keyValue],
  ['services.*.environment', keyValue],
  ['services.*.env_file', envFilePath],
  ['services.*.expose', (e) => String(e)],
  ['services.*.labels', keyValue],
  ['services.*.links', keyValue],
  ['services.*.ports', portKey],
  ['services.*.profiles', keyValue],
  ['services.*.secrets', mountTarget('/run/secrets')],
  ['services.*.sysctls', keyValue],
  ['services.*.tmpfs', keyValue],
  ['services.*.volumes', volumeTarget],
];

function matches(path: string[], pattern: string): boolean {
  const parts = pattern.split('.');
  return parts.length === path.length && parts.every((p, i) => p === '*' || p === path[i]);
}

function asSequence(value: Plain): Plain[] {
  if (Array.isArray(value)) return value;
  if (value === null || value === undefined) return [];
  if (typeof value === 'object') {
    const seq: string[] = [];
    for (const [k, v] of Object.entries(value)) {
      if (v === null) seq.push(k);
      else if (Array.isArray(v)) for (const item of v) seq.push(`${k}=${String(item)}`);
      else seq.push(`${k}=${String(v)}`);
    }
    return seq.sort();
  }
  return [value];
}

function asMapping(value: Plain, defaults: Mapping | null): Mapping {
  if (Array.isArray(value)) return Object.fromEntries(value.map((k) => [String(k), defaults === null ? null : { ...defaults }]));
  return (value ?? {}) as Mapping;
}

function mergeValue(base: Plain, over: Yaml, path: string[]): Plain {
  if (over instanceof Override) return untag(over.value);
  for (const [pattern, merger] of specials) if (matches(path, pattern)) return merger(base, over, path);
  if (over === null) return base;
  if (Array.isArray(base)) {
    if (!Array.isArray(over)) throw new Error(`cannot override ${path.join('.')}: a sequence with ${JSON.stringify(untag(over))}`);
    return [...base, ...(untag(over) as Plain[])];
  }
  if (base !== null && typeof base === 'object') {
    if (typeof over !== 'object' || Array.isArray(over) || over instanceof Reset) {
      throw new Error(`cannot override ${path.join('.')}: a mapping with ${JSON.stringify(untag(over))}`);
    }
    return mergeMappings(base, over, path);
  }
  return untag(over);
}

function mergeMappings(base: Mapping, over: { [key: string]: Yaml }, path: string[]): Mapping {
  const out: Mapping = { ...base };
  for (const [key, value] of Object.entries(over)) {
    out[key] = key in out ? mergeValue(out[key] ?? null, value, [...path, key]) : untag(value);
  }
  return out;
}

/** Where an override file says `!reset` (not looking inside `!override` values, as Compose). */
function resetPaths(value: Yaml, path: string[] = []): string[][] {
  if (value instanceof Reset) return [path];
  if (value === null || typeof value !== 'object' || value instanceof Override) return [];
  if (Array.isArray(value)) return [];
  return Object.entries(value).flatMap(([k, v]) => resetPaths(v, [...path, k]));
}

/** The override file with its `!reset` nodes gone (they act on the model, not as values). */
function withoutResets(value: Yaml): Yaml {
  if (value === null || typeof value !== 'object' || value instanceof Override || value instanceof Reset) return value;
  if (Array.isArray(value)) return value.filter((v) => !(v instanceof Reset)).map(withoutResets);
  const out: { [key: string]: Yaml } = {};
  for (const [k, v] of Object.entries(value)) if (!(v instanceof Reset)) out[k] = withoutResets(v);
  return out;
}

/**
 * Remove what a `!reset` names from the model so far. A key inside a list-form attribute
 * (`environment: [FOO=1]`, `networks: [front]`) names the entries with that key.
 */
function deleteAt(model: Mapping, path: string[]): void {
  let node: Plain = model;
  for (const [i, key] of path.entries()) {
    const last = i === path.length - 1;
    if (Array.isArray(node)) {
      if (!last) return;
      const list: Plain[] = node;
      for (let j = list.length - 1; j >= 0; j--) if (String(list[j]).split('=')[0] === key) list.splice(j, 1);
      return;
    }
    if (node === null || typeof node !== 'object') return;
    if (last) {
      delete node[key];
      return;
    }
    node = node[key] ?? null;
  }
}

function enforceUnicity(value: Plain, path: string[]): Plain {
  if (Array.isArray(value)) {
    const indexer = unique.find(([pattern]) => matches(path, pattern))?.[1];
    if (!indexer) return value;
    const out: Plain[] = [];
    const seen = new Map<string, number>();
    for (const entry of value) {
      const key = indexer(entry);
      const at = seen.get(key);
      if (at === undefined) {
        seen.set(key, out.length);
        out.push(entry);
      } else {
        out[at] = entry;
      }
    }
    return out;
  }
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, enforceUnicity(v, [...path, k])]));
  }
  return value;
}

/** The model Compose builds from `-f files[0] -f files[1] ...`. */
export function mergeCompose(...files: Yaml[]): Mapping {
  const [first, ...rest] = files;
  let model = structuredClone(untag(first ?? {})) as Mapping;
  for (const file of rest) {
    if (file === null) continue;
    if (typeof file !== 'object' || Array.isArray(file) || file instanceof Reset || file instanceof Override) throw new Error('a compose file must be a mapping');
    for (const path of resetPaths(file)) deleteAt(model, path);
    model = mergeMappings(model, withoutResets(file) as { [key: string]: Yaml }, []);
  }
  return enforceUnicity(model, []) as Mapping;
}

// ---------------------------------------------------------------------------------------------
// Reading a merged model

export function servicesOf(model: Mapping): [string, Mapping][] {
  return Object.entries((model.services ?? {}) as Record<string, Mapping>);
}

/** `environment` as a map, whichever form (list or mapping) the model holds. */
export function environmentOf(service: Mapping): Record<string, string | null> {
  const env = service.environment;
  if (Array.isArray(env)) {
    return Object.fromEntries(env.map((e) => {
      const [k, ...v] = String(e).split('=');
      return [k ?? '', v.length > 0 ? v.join('=') : null];
    }));
  }
  return Object.fromEntries(Object.entries((env ?? {}) as Mapping).map(([k, v]) => [k, v === null ? null : String(v)]));
}

function listOf(value: Plain | undefined): Plain[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** A port entry's host address, in short (`ip:host:container`) or long syntax. */
export function hostIpOf(port: Plain): string | null {
  if (port !== null && typeof port === 'object' && !Array.isArray(port)) return port.host_ip === undefined ? null : String(port.host_ip);
  const text = String(port);
  const v6 = /^\[([^\]]+)\]:/.exec(text);
  if (v6) return v6[1] ?? null;
  const parts = text.split(':');
  return parts.length === 3 ? (parts[0] ?? null) : null;
}

interface Mount {
  type: string;
  source: string | null;
  target: string;
  readOnly: boolean;
}

/** A service `volumes` entry in either syntax. */
export function mountOf(entry: Plain): Mount {
  if (entry !== null && typeof entry === 'object' && !Array.isArray(entry)) {
    return { type: String(entry.type), source: entry.source === undefined ? null : String(entry.source), target: String(entry.target), readOnly: entry.read_only === true };
  }
  const parts = String(entry).split(':');
  if (parts.length === 1) return { type: 'volume', source: null, target: parts[0] ?? '', readOnly: false };
  const source = parts[0] ?? '';
  const isPath = source.startsWith('.') || source.startsWith('/') || source.startsWith('~');
  return { type: isPath ? 'bind' : 'volume', source, target: parts[1] ?? '', readOnly: (parts[2] ?? '').split(',').includes('ro') };
}

/** Compose memory sizes ("256M", "1g", 268435456) in bytes. */
export function bytesOf(value: Plain | undefined): number | null {
  if (typeof value === 'number') return value;
  const m = /^(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?$/i.exec(String(value ?? ''));
  if (!m) return null;
  const power = { '': 0, k: 1, m: 2, g: 3, t: 4 }[(m[2] ?? '').toLowerCase() as '' | 'k' | 'm' | 'g' | 't'];
  return Math.round(Number(m[1]) * 1024 ** power);
}

// ---------------------------------------------------------------------------------------------
// The compose rules

export interface RuleOptions {
  /** Bind mounts are allowed (C10: only in the development override, and read-only). */
  allowBindMounts: boolean;
}

/** Host paths that must never reach a container (C10). */
const sensitiveHostPath = /(^|\/)(docker|containerd|podman)\.sock$|^\/(etc|proc|sys|dev|boot|root|var\/run|run|var\/lib\/docker)?(\/|$)|^~|(^|\/)secrets(\/|$)|^\.\/?$/;
/** Environment names that hold a credential when they carry a value (C07). */
const secretLooking = /(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIALS?)$/i;

/**
 * Every breach of C01-C11 (and D10's init) in a model, as "<rule> <service>: <what>" lines; an
 * empty list means the model passes. `ctx` says what the answers asked for.
 */
export function composeViolations(model: Mapping, ctx: RenderContext, options: RuleOptions): string[] {
  const out: string[] = [];
  const fail = (rule: string, where: string, what: string) => out.push(`${rule} ${where}: ${what}`);
  const app = ctx.a.name;
  const backing = new Map(ctx.services.map((s) => [s.name as string, s]));
  const topNetworks = (model.networks ?? {}) as Record<string, Mapping | null>;
  const topSecrets = (model.secrets ?? {}) as Record<string, Mapping>;

  if ('version' in model) fail('spec', 'top level', 'obsolete "version:" key');
  const names = servicesOf(model).map(([n]) => n).sort();
  const expected = [app, ...backing.keys()].sort();
  if (JSON.stringify(names) !== JSON.stringify(expected)) fail('spec', 'services', `expected ${expected.join(', ')}, got ${names.join(', ')}`);

  for (const [name, s] of servicesOf(model)) {
    const isApp = name === app;
    // C01
    if (s.read_only !== true) fail('C01', name, 'read_only is not true');
    for (const t of listOf(s.tmpfs)) {
      const path = String(t).split(':')[0] ?? '';
      if (!path.startsWith('/') || path === '/') fail('C01', name, `tmpfs ${String(t)} is not a specific absolute path`);
    }
    // C02
    const dropped = listOf(s.cap_drop).map((c) => String(c).toUpperCase());
    if (!dropped.includes('ALL')) fail('C02', name, 'cap_drop does not include ALL');
    if (listOf(s.cap_add).length > 0) fail('C02', name, `cap_add ${JSON.stringify(s.cap_add)}`);
    // C03
    const opts = listOf(s.security_opt).map(String);
    if (!opts.some((o) => /^no-new-privileges([:=]true)?$/.test(o))) fail('C03', name, 'security_opt lacks no-new-privileges:true');
    for (const o of opts) if (/unconfined|label[:=]disable|no-new-privileges[:=]false/.test(o)) fail('C03', name, `security_opt ${o}`);
    if (s.privileged === true || s.privileged === 'true') fail('C03', name, 'privileged');
    // C04
    const ports = listOf(s.ports);
    if (!isApp && ports.length > 0) fail('C04', name, `a backing service publishes ${JSON.stringify(ports)}`);
    for (const p of ports) if (hostIpOf(p) !== '127.0.0.1') fail('C04', name, `port ${JSON.stringify(p)} is not bound to 127.0.0.1`);
    // C05
    if ('network_mode' in s) fail('C05', name, `network_mode ${String(s.network_mode)}`);
    const nets = Array.isArray(s.networks) ? s.networks.map(String) : Object.keys((s.networks ?? {}) as Mapping);
    const wantNets = isApp ? [...ctx.a.networks, ...(backing.size > 0 ? ['data'] : [])] : ['data'];
    if (JSON.stringify([...nets].sort()) !== JSON.stringify([...wantNets].sort())) fail('C05', name, `networks ${nets.join(', ') || '(default)'}; expected ${wantNets.join(', ')}`);
    for (const n of nets) if (!(n in topNetworks)) fail('C05', name, `network ${n} is not defined at the top level`);
    // C06
    const limits = (((s.deploy as Mapping | undefined)?.resources as Mapping | undefined)?.limits ?? {}) as Mapping;
    const cpus = Number(limits.cpus);
    const memory = bytesOf(limits.memory);
    const pids = Number(limits.pids);
    if (!(cpus > 0)) fail('C06', name, 'no CPU limit (deploy.resources.limits.cpus)');
    if (!(memory !== null && memory > 0)) fail('C06', name, 'no memory limit (deploy.resources.limits.memory)');
    if (!(pids > 0)) fail('C06', name, 'no PIDs limit (deploy.resources.limits.pids)');
    // Compose refuses a project whose short and deploy forms disagree (an absent one counts as 0).
    if ('pids_limit' in s && Number(s.pids_limit) !== pids) fail('C06', name, "pids_limit differs from deploy.resources.limits.pids (Compose rejects the project)");
    if ('mem_limit' in s && bytesOf(s.mem_limit) !== memory) fail('C06', name, 'mem_limit differs from deploy.resources.limits.memory (Compose rejects the project)');
    if ('cpus' in s && Number(s.cpus) !== cpus) fail('C06', name, 'cpus differs from deploy.resources.limits.cpus (Compose rejects the project)');
    if ('memswap_limit' in s && (bytesOf(s.memswap_limit) ?? 0) < (memory ?? 0)) fail('C06', name, 'memswap_limit is below the memory limit');
    if (isApp && (cpus !== ctx.a.cpu || memory !== ctx.a.memory * 1024 * 1024)) fail('C06', name, `limits ${String(limits.cpus)} CPU / ${String(limits.memory)} are not the answers' ${ctx.a.cpu} / ${ctx.a.memory}M`);
    // C07
    const env = environmentOf(s);
    const mounted = new Set(listOf(s.secrets).map((x) => (x !== null && typeof x === 'object' && !Array.isArray(x) ? String(x.source) : String(x))));
    for (const [key, value] of Object.entries(env)) {
      if (key.endsWith('_FILE')) {
        const secret = /^\/run\/secrets\/([A-Za-z0-9_.-]+)$/.exec(value ?? '')?.[1];
        if (!secret || !mounted.has(secret)) fail('C07', name, `${key} does not name a secret mounted into the service`);
      } else if (value !== null && (ctx.a.secrets.includes(key) || secretLooking.test(key))) {
        fail('C07', name, `literal secret in environment: ${key}`);
      }
    }
    for (const secret of mounted) {
      const file = topSecrets[secret]?.file;
      if (file !== `./secrets/${secret}`) fail('C07', name, `secret ${secret} is not the file ./secrets/${secret}`);
    }
    for (const f of listOf(s.env_file)) {
      const path = f !== null && typeof f === 'object' && !Array.isArray(f) ? String(f.path) : String(f);
      if (!isApp || path !== `secrets/${app}.env`) fail('C07', name, `env_file ${path}`);
    }
    if (isApp && ctx.a.secrets.length > 0 && listOf(s.env_file).length === 0) fail('C07', name, `no env_file for the secrets ${ctx.a.secrets.join(', ')}`);
    if (isApp) for (const b of backing.values()) if (!mounted.has(b.secret)) fail('C07', name, `the ${b.name} password secret is not mounted`);
    // C08
    const pinned = backing.get(name);
    if (pinned) {
      const image = String(s.image ?? '');
      if (image !== servicePins[pinned.name] || !/:[^:/]+$/.test(image) || /:latest$/.test(image)) fail('C08', name, `image ${image} is not the pinned ${servicePins[pinned.name]}`);
    }
    // C09
    const restart = String(s.restart ?? '');
    if (restart !== 'unless-stopped' && !/^on-failure:[1-9]\d*$/.test(restart)) fail('C09', name, `restart "${restart}" is neither unless-stopped nor a bounded on-failure`);
    const health = (s.healthcheck ?? {}) as Mapping;
    const test = listOf(health.test).map(String);
    if (health.disable === true || test[0] !== 'CMD' || test.length < 2) fail('C09', name, `healthcheck test ${JSON.stringify(health.test)} is not an exec-form CMD`);
    if (isApp && JSON.stringify(test) !== JSON.stringify(['CMD', ...ctx.healthcheck.argv])) fail('C09', name, `healthcheck ${JSON.stringify(test)} is not the image's probe ${JSON.stringify(ctx.healthcheck.argv)}`);
    if (isApp) {
      const deps = asMapping(s.depends_on ?? null, { condition: 'service_started' });
      for (const b of backing.keys()) if ((deps[b] as Mapping | undefined)?.condition !== 'service_healthy') fail('C09', name, `does not wait for ${b} to be healthy`);
    }
    // C10
    for (const v of listOf(s.volumes)) {
      const m = mountOf(v);
      if (m.type === 'bind') {
        if (!options.allowBindMounts) fail('C10', name, `bind mount ${m.source ?? ''}:${m.target} outside the development override`);
        if (!m.readOnly) fail('C10', name, `bind mount ${m.source ?? ''}:${m.target} is writable`);
      }
      if (m.source !== null && sensitiveHostPath.test(m.source) && m.type === 'bind') fail('C10', name, `sensitive host path ${m.source}`);
      if (/docker\.sock/.test(JSON.stringify(v))) fail('C10', name, 'docker.sock mounted');
    }
    for (const key of ['pid', 'ipc', 'uts', 'userns_mode', 'cgroup']) if (s[key] === 'host') fail('C10', name, `${key}: host`);
    if (listOf(s.devices).length > 0) fail('C10', name, 'devices passed through');
    // C11
    const user = String(s.user ?? '');
    if (isApp && user !== `${ctx.identity.uid}:${ctx.identity.gid}`) fail('C11', name, `user "${user}" is not ${ctx.identity.uid}:${ctx.identity.gid}`);
    if (!/^[1-9]\d*:\d+$/.test(user)) fail('C11', name, `user "${user}" is not a numeric non-root UID:GID`);
    // D10
    if (isApp && (s.init === true) !== ctx.language.needsInit) fail('D10', name, `init is ${String(s.init)}; ${ctx.language.label} ${ctx.language.needsInit ? 'needs' : 'does not need'} it`);
  }

  // C05: the networks themselves.
  for (const [n, def] of Object.entries(topNetworks)) {
    if (['default', 'host', 'bridge', 'none'].includes(n)) fail('C05', `network ${n}`, "Docker's own network");
    const d = def ?? {};
    if (d.external === true) fail('C05', `network ${n}`, 'external');
    if (d.driver !== undefined && d.driver !== 'bridge') fail('C05', `network ${n}`, `driver ${String(d.driver)}`);
  }
  if (backing.size > 0 && topNetworks.data?.internal !== true) fail('C05', 'network data', 'not internal');
  return out;
}
