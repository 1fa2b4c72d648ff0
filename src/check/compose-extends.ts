/**
 * `extends`, resolved as Compose resolves it before anything else: a service that extends another
 * (in the same file, or in `file`, relative to the extending file) is that service with its own
 * settings merged on top, by the same rules as an override file (mappings merged, lists joined,
 * scalars replaced). Chains are followed; a cycle, a missing service or an unreadable file is an
 * error, as it is for `docker compose`. Without this, a service hardened in a shared base file was
 * reported as having none of its settings.
 */
import { posix } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { mergeCompose, withDefaults } from './compose-merge.js';
import { composeShapeProblem } from './compose-shape.js';
import { isYamlMap, Override, pathKey, Reset, type ParsedCompose, type Plain, type Positions, type Yaml } from './compose-yaml.js';

type YamlMap = { [key: string]: Yaml };

/**
 * Why a service's `extends` cannot be resolved; `service` (of `file`) is the one whose `extends`
 * line to blame. `missing` is the service an `extends` without `file:` named and its own file
 * lacks, so the caller can say which other file defines it. `cycle` names the services of a cycle
 * (in any order), so a cycle met from each of its services is reported once.
 */
export class ExtendsError extends Error {
  constructor(
    readonly service: string,
    readonly reason: string,
    readonly file: string,
    readonly missing?: string,
    readonly cycle?: string,
  ) {
    super(`services.${service}.extends: ${reason}`);
  }

  /**
   * The error as seen from service `service` of `file`, whose extends led into the file that
   * failed: that file named, except for a cycle this service is part of (its text names every file).
   */
  from(service: string, file: string): ExtendsError {
    if (this.file === file) return this;
    if (this.cycle?.split('\0').includes(`${file}#${service}`)) return new ExtendsError(service, this.reason, file, undefined, this.cycle);
    return new ExtendsError(service, `in ${this.file}: ${this.message}`, file);
  }
}

/** Every service of a file whose `extends` cannot be resolved, each once; the message is the first's. */
export class ExtendsErrors extends Error {
  constructor(readonly errors: ExtendsError[]) {
    super(errors.map((e) => e.message).join('\n'));
  }
}

/** A path that leaves the checked folder (`../x`, `/x`): check reads nothing outside it. */
export const isOutsideFolder = (path: string) => path === '..' || path.startsWith('../') || posix.isAbsolute(path);

/** A path a compose file names (`extends.file`, `include`), as a path from the checked folder. */
const fromFile = (file: string, named: string) => (posix.isAbsolute(named) ? named : posix.join(posix.dirname(file), named));

/**
 * A relative host path of folder `from` as a path from folder `to` (`./` kept in front, which a
 * bind mount's short form needs); an absolute, home (`~`) or interpolated path as it is.
 */
function movedPath(path: string, from: string, to: string): string {
  if (posix.isAbsolute(path) || path.startsWith('~') || path.includes('$')) return path;
  const moved = posix.relative(to, posix.join(from, path)) || '.';
  return moved.startsWith('.') ? moved : `./${moved}`;
}

/** The names Compose looks for when no -f is given (the base of a project), in its order of preference. */
const baseNames = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];
/** A file named as an override of a base (compose.override.yaml, docker-compose.prod.yml). */
const overrideName = /^(docker-)?compose\..+\.ya?ml$/;

/** Reads and parses another compose file by its path from the checked folder; null if it cannot. */
export type ComposeLoader = (path: string) => Promise<ParsedCompose | null>;

/**
 * The service an extending service is built on: its value (its own extends resolved), file and
 * name. `fragmentOf` is the base file (compose.yaml) when `file` is an override of it
 * (compose.override.yaml) and that base defines the same service: the service in `file` is then
 * the part an override adds, which Compose's extends reads alone, without the base's part.
 */
export interface ExtendsOrigin {
  base: Yaml;
  file: string;
  service: string;
  fragmentOf?: string;
}

/**
 * What resolving left behind, so a finding can be traced to the file and service whose value
 * broke the rule: the origin of every extending service (by `file\0service`) and the positions
 * of every other file read.
 */
export interface ExtendsTrace {
  origins: Map<string, ExtendsOrigin>;
  positions: Map<string, Positions>;
}

export const originKey = (file: string, service: string) => `${file}\0${service}`;

/**
 * The file's model with every `extends` resolved (a copy). Throws ExtendsErrors naming each
 * service whose own `extends` line is the one to fix: a service that fails only because a service
 * of the same file it extends fails is that one's problem, reported there.
 */
export async function resolveExtends(model: YamlMap, file: string, load: ComposeLoader, trace?: ExtendsTrace): Promise<YamlMap> {
  const services = model.services;
  if (!isYamlMap(services) || !Object.values(services).some((s) => isYamlMap(s) && s.extends !== undefined)) return model;
  const resolver = new Resolver(load, file, trace);
  const resolved: YamlMap = {};
  const errors: ExtendsError[] = [];
  const cycles = new Set<string>();
  for (const name of Object.keys(services)) {
    try {
      resolved[name] = await resolver.service(file, model, name, []);
    } catch (error) {
      if (!(error instanceof ExtendsError)) throw error;
      if (error.service !== name || (error.cycle !== undefined && cycles.has(error.cycle))) continue;
      if (error.cycle !== undefined) cycles.add(error.cycle);
      errors.push(error);
    }
  }
  if (errors.length > 0) throw new ExtendsErrors(errors);
  return { ...model, services: resolved };
}

/** Why a file an `extends` names cannot serve as its base, or its model. */
type Loaded = { model: YamlMap } | { problem: string };

class Resolver {
  private readonly files = new Map<string, Promise<Loaded>>();

  constructor(
    private readonly load: ComposeLoader,
    /** The file being resolved, whose shapes its caller tested whole. */
    private readonly top: string,
    private readonly trace?: ExtendsTrace,
  ) {}

  /** Service `name` of `file` (whose model is `model`), its extends resolved; `chain` detects cycles. */
  async service(file: string, model: YamlMap, name: string, chain: string[]): Promise<Yaml> {
    const here = `${file}#${name}`;
    const at = chain.indexOf(here);
    if (at >= 0) {
      const cycle = chain.slice(at).sort().join('\0');
      throw new ExtendsError(name, `a cycle (${[...chain, here].map((c) => c.replace('#', ' ')).join(' -> ')}); break it`, file, undefined, cycle);
    }
    const service = (model.services as YamlMap)[name];
    if (!isYamlMap(service) || service.extends === undefined) return service ?? null;
    const { extends: ext, ...own } = service;
    const target = typeof ext === 'string' ? { service: ext } : isYamlMap(ext) ? { service: ext.service, file: ext.file } : null;
    if (!target || typeof target.service !== 'string' || (target.file !== undefined && typeof target.file !== 'string')) {
      throw new ExtendsError(name, 'name a service, or a mapping of service and file', file);
    }
    // Compose interpolates a file before it resolves its extends: a `${VAR:-x}` is read as its default.
    for (const key of ['service', 'file'] as const) {
      const value = target[key];
      if (typeof value !== 'string' || !value.includes('$')) continue;
      target[key] = withDefaults(value);
      if (/\$\{?\w/.test(target[key]!)) throw new ExtendsError(name, `${key} ${value} depends on a variable only Compose knows; give it a default, as \${VAR:-${key === 'file' ? 'base.yaml' : 'app'}}`, file);
    }
    const baseFile = target.file === undefined ? file : fromFile(file, target.file);
    // Compose would read it; a check of this folder reads nothing outside it.
    if (isOutsideFolder(baseFile)) {
      throw new ExtendsError(name, `${target.file} is outside the checked folder; check the folder that holds both files`, file);
    }
    const loaded = target.file === undefined ? { model } : await this.model(baseFile);
    if ('problem' in loaded) throw new ExtendsError(name, loaded.problem, file);
    const baseModel = loaded.model;
    if (!isYamlMap(baseModel.services) || !(target.service in baseModel.services)) {
      throw new ExtendsError(name, `no service "${target.service}" in ${baseFile}; name one it defines`, file, target.file === undefined ? target.service : undefined);
    }
    // compose-go loads another file for extends without validating it, and validates the merged
    // service: only the service extended must have shapes Compose accepts, not its neighbours.
    // An empty one (`b:`) there is an empty base, which it accepts too.
    const extended = baseModel.services[target.service] ?? null;
    if (baseFile !== this.top && extended !== null) {
      const shape = composeShapeProblem({ services: { [target.service]: extended } });
      if (shape) throw new ExtendsError(name, `${baseFile}: ${shape.message}`, file);
    }
    let base: Yaml;
    try {
      base = await this.service(baseFile, baseModel, target.service, [...chain, here]);
    } catch (error) {
      // A chain that fails in another file is this extends line's to fix, naming that file.
      throw error instanceof ExtendsError ? error.from(name, file) : error;
    }
    if (posix.dirname(baseFile) !== posix.dirname(file)) base = this.moved(base, baseFile, target.service, posix.dirname(file));
    const fragmentOf = await this.overridden(baseFile, target.service);
    this.trace?.origins.set(originKey(file, name), { base, file: baseFile, service: target.service, ...(fragmentOf ? { fragmentOf } : {}) });
    let merged: YamlMap;
    try {
      merged = mergeCompose({ services: { s: base } }, { services: { s: own } });
    } catch (error) {
      // Two kinds of value for one key (a list over a mapping): the merge's path is its own `s`.
      throw new ExtendsError(name, `cannot be merged onto ${target.service} of ${baseFile}: ${(error as Error).message.replace(/^cannot override services\.s\./, 'cannot override ')}`, file);
    }
    return retag((merged.services as YamlMap).s ?? null, own);
  }

  /**
   * Service `name` of `file` (its extends resolved) with its relative host paths, which Compose
   * resolves from the folder of the file that holds them, written from folder `to`: `env_file` and
   * bind mount sources (the paths rules read). A path as the file spells it stays findable at its
   * line through its new spelling.
   */
  private moved(service: Yaml, file: string, name: string, to: string): Yaml {
    if (!isYamlMap(service)) return service;
    const from = posix.dirname(file);
    const positions = this.trace?.positions.get(file);
    const out: YamlMap = { ...service };
    const alias = (key: string, before: Yaml, after: Yaml) => {
      const items = positions?.items.get(pathKey(['services', name, key]));
      const at = items?.find((i) => isDeepStrictEqual(i.value(), before));
      if (at && !isDeepStrictEqual(before, after)) items!.push({ line: at.line, value: () => after as Plain });
    };
    const envFile = service.env_file;
    const movedEnv = (entry: Yaml): Yaml => {
      if (typeof entry === 'string') return movedPath(entry, from, to);
      if (isYamlMap(entry) && typeof entry.path === 'string') return { ...entry, path: movedPath(entry.path, from, to) };
      return entry;
    };
    if (Array.isArray(envFile)) {
      out.env_file = envFile.map((entry) => {
        const after = movedEnv(entry);
        alias('env_file', entry, after);
        return after;
      });
    } else if (envFile !== undefined) out.env_file = movedEnv(envFile);
    if (Array.isArray(service.volumes)) {
      out.volumes = service.volumes.map((entry) => {
        let after = entry;
        if (typeof entry === 'string' && entry.startsWith('.') && entry.includes(':')) {
          const colon = entry.indexOf(':');
          after = movedPath(entry.slice(0, colon), from, to) + entry.slice(colon);
        } else if (isYamlMap(entry) && entry.type === 'bind' && typeof entry.source === 'string') {
          after = { ...entry, source: movedPath(entry.source, from, to) };
        }
        alias('volumes', entry, after);
        return after;
      });
    }
    return out;
  }

  /**
   * The base file `path` is an override of, when that base defines `service` too (not by
   * extending this very service): compose.override.yaml's svc is then only what the override adds
   * to compose.yaml's svc. The base is the one `check` merges the override onto: the file of the
   * same folder named compose.yaml (docker-compose.yml for a docker-compose.* override), else the first.
   */
  private async overridden(path: string, service: string): Promise<string | null> {
    const name = posix.basename(path);
    if (!overrideName.test(name)) return null;
    const docker = name.startsWith('docker-');
    const names = [...baseNames].sort((a, b) => Number(b.startsWith('docker-') === docker) - Number(a.startsWith('docker-') === docker));
    for (const base of names) {
      const basePath = posix.join(posix.dirname(path), base);
      const loaded = await this.model(basePath);
      if (!('model' in loaded)) continue;
      const own = isYamlMap(loaded.model.services) ? loaded.model.services[service] : undefined;
      if (own === undefined) return null;
      const ext = isYamlMap(own) ? own.extends : undefined;
      const named = isYamlMap(ext) && typeof ext.file === 'string' && ext.service === service ? fromFile(basePath, ext.file) : null;
      return named === path ? null : basePath;
    }
    return null;
  }

  /**
   * The model of the file at `path`, read once however many services extend it; a file that
   * cannot serve is each such service's finding, on its own extends line.
   */
  private model(path: string): Promise<Loaded> {
    let loaded = this.files.get(path);
    if (!loaded) {
      loaded = this.load(path).then((parsed): Loaded => {
        if (!parsed) return { problem: `cannot read ${path}; it must be a file in the checked folder` };
        if (parsed.problems.length > 0 || !isYamlMap(parsed.value)) return { problem: `${path} does not parse as a compose file (${parsed.problems[0]?.message ?? 'not a mapping'})` };
        this.trace?.positions.set(path, parsed.positions);
        return { model: parsed.value };
      });
      this.files.set(path, loaded);
    }
    return loaded;
  }
}

/**
 * The merged service with the extending service's own `!reset` and `!override` put back where it
 * set them: compose-go v2 applies a file's reset paths to the base of each extends and then to the
 * model of the `-f` files before it, so they must survive to that merge.
 */
function retag(merged: Yaml, own: Yaml): Yaml {
  if (!isYamlMap(merged) || !isYamlMap(own)) return merged;
  const out: YamlMap = { ...merged };
  for (const [key, value] of Object.entries(own)) {
    if (value instanceof Reset || value instanceof Override) out[key] = value;
    else if (isYamlMap(value) && isYamlMap(out[key])) out[key] = retag(out[key], value);
  }
  return out;
}

/**
 * The files a compose file's `include` names (a path, a list of paths, or entries with `path`),
 * from the file's folder, each with its index in the list.
 */
export function includePaths(value: unknown, file: string): { path: string; index: number }[] {
  const include = value && typeof value === 'object' && !Array.isArray(value) ? (value as { include?: unknown }).include : undefined;
  if (!Array.isArray(include)) return [];
  return include.flatMap((entry: unknown, index) => {
    const named = typeof entry === 'string' ? [entry] : entry && typeof entry === 'object' && !Array.isArray(entry) && 'path' in entry ? [(entry as { path: unknown }).path].flat() : [];
    return named.filter((x): x is string => typeof x === 'string').map((x) => ({ path: fromFile(file, x), index }));
  });
}
