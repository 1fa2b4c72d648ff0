/**
 * The merge Docker Compose applies to `-f a.yaml -f b.yaml`, ported from compose-go's
 * `override/merge.go` and `override/uncity.go` (the code behind `docker compose config`), and
 * readers for the merged model. Overrides are checked on the model this builds, because a rule
 * that holds in each file alone can still break once they are merged.
 */
import { Override, Reset, untag, type Mapping, type Plain, type Yaml } from './compose-yaml.js';

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

export function asMapping(value: Plain, defaults: Mapping | null): Mapping {
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

/**
 * A boolean attribute as compose-go casts it (`toBoolean`): true, yes, y, on and false, no, n, off
 * in any case, as YAML booleans or strings; undefined for anything else (or nothing).
 */
export function boolOf(value: Plain | undefined): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value !== 'string') return undefined;
  const v = value.toLowerCase();
  if (v === 'true' || v === 'yes' || v === 'y' || v === 'on') return true;
  if (v === 'false' || v === 'no' || v === 'n' || v === 'off') return false;
  return undefined;
}

export function listOf(value: Plain | undefined): Plain[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/**
 * A short-syntax port or volume split at its colons, not at those inside `${…}` (the `:-` of
 * `127.0.0.1:${PORT:-8080}:8080` is interpolation, not a separator).
 */
export function splitColons(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '$' && text[i + 1] === '{') {
      depth++;
      i++;
    } else if (c === '}' && depth > 0) depth--;
    else if (c === ':' && depth === 0) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  out.push(text.slice(start));
  return out;
}

/** `${VAR:-value}` and `${VAR-value}` read as the value the file gives them, as ARG defaults are in a Dockerfile. */
export const withDefaults = (text: string) => text.replace(/\$\{\w+:?-([^${}]*)\}/g, '$1');

/** A port entry's host address, in short (`ip:host:container`) or long syntax. */
export function hostIpOf(port: Plain): string | null {
  if (port !== null && typeof port === 'object' && !Array.isArray(port)) return port.host_ip === undefined ? null : withDefaults(String(port.host_ip));
  const text = String(port);
  const v6 = /^\[([^\]]+)\]:/.exec(text);
  if (v6) return v6[1] ?? null;
  const parts = splitColons(text);
  return parts.length === 3 ? withDefaults(parts[0] ?? '') : null;
}

export interface Mount {
  type: string;
  source: string | null;
  target: string;
  readOnly: boolean;
}

/** A service `volumes` entry in either syntax. */
export function mountOf(entry: Plain): Mount {
  if (entry !== null && typeof entry === 'object' && !Array.isArray(entry)) {
    return { type: String(entry.type), source: entry.source === undefined ? null : String(entry.source), target: String(entry.target), readOnly: boolOf(entry.read_only) === true };
  }
  const parts = splitColons(String(entry));
  if (parts.length === 1) return { type: 'volume', source: null, target: parts[0] ?? '', readOnly: false };
  const source = withDefaults(parts[0] ?? '');
  // A variable followed by a path (`$HOME/.ssh`, `${PWD}/data`) is a host path too: a volume name has no slash.
  const isPath = source.startsWith('.') || source.startsWith('/') || source.startsWith('~') || /^\$\{?\w+\}?\//.test(source);
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
