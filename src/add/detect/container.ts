/**
 * What the repository's own container and environment files say, whatever the language: an
 * existing Dockerfile (EXPOSE, CMD/ENTRYPOINT, HEALTHCHECK, the FROM image's version), compose
 * files (the app's container port and healthcheck, its environment names, env_file names, backing
 * services by image) and env files (PORT, and the names in the example files). Only names are taken from environment files,
 * never values, except PORT.
 */
import { posix } from 'node:path';
import { UserError } from '../../errors.js';
import { commonJs } from '../../interop.js';
import { backingServices, type BackingService } from '../../questions.js';
import { urlPathIn, urlPortIn } from './health.js';
import { parseEnvFile, portRank, portNumber, type ContainerFindings, type PortCandidate, type RepoView } from './repo.js';

export const composeFileNames = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];
const exampleEnvFiles = ['.env.example', '.env.sample', '.env.template', '.env.dist'];

export interface ContainerView extends ContainerFindings {
  /** `image -> tag` of every FROM line, for a language-version hint (`golang` -> `1.23`). */
  images: Map<string, string>;
  /** The compose files that exist here. */
  composeFiles: string[];
  /** Environment names from all sources (the caller picks the secret-looking ones). */
  envNames: { names: string[]; source: string }[];
}

export async function detectContainer(repo: RepoView): Promise<ContainerView> {
  const out: ContainerView = { ports: [], secrets: null, services: null, notes: [], images: new Map(), composeFiles: [], envNames: [] };
  const dockerfile = await repo.read('Dockerfile');
  if (dockerfile !== null) readDockerfile(dockerfile, out);

  for (const file of composeFileNames) {
    const text = await repo.read(file);
    if (text === null) continue;
    out.composeFiles.push(file);
    await readCompose(repo, file, text, out);
  }

  const env = await repo.read('.env');
  const port = env === null ? undefined : parseEnvFile(env).get('PORT');
  if (port !== undefined) pushPort(out.ports, port, '.env PORT', portRank.env);
  for (const file of exampleEnvFiles) {
    const text = await repo.read(file);
    if (text === null) continue;
    const vars = parseEnvFile(text);
    out.envNames.push({ names: [...vars.keys()], source: file });
    if (vars.has('PORT')) pushPort(out.ports, vars.get('PORT')!, `${file} PORT`, portRank.env + 0.5);
  }
  return out;
}

function pushPort(ports: PortCandidate[], raw: string | number, source: string, rank: number): void {
  const value = portNumber(raw);
  if (value !== null) ports.push({ value, source, rank });
}

/** Dockerfile logical lines: continuations joined, comments and parser directives dropped. */
function instructions(text: string): { keyword: string; args: string }[] {
  const out: { keyword: string; args: string }[] = [];
  let pending = '';
  for (const line of text.split(/\r?\n/)) {
    if (/^\s*#/.test(line)) continue;
    if (/\\\s*$/.test(line)) {
      pending += `${line.replace(/\\\s*$/, '')} `;
      continue;
    }
    const full = (pending + line).trim();
    pending = '';
    const m = /^([A-Za-z]+)\s+(.*)$/.exec(full);
    if (m) out.push({ keyword: m[1]!.toUpperCase(), args: m[2]!.trim() });
  }
  return out;
}

function readDockerfile(text: string, out: ContainerView): void {
  let start: string | undefined;
  for (const { keyword, args } of instructions(text)) {
    if (keyword === 'FROM') {
      const ref = args.split(/\s+/).find((w) => !w.startsWith('--')) ?? '';
      const m = /^(?:docker\.io\/)?(?:library\/)?([^:@\s]+):([^@\s]+)/.exec(ref);
      if (m) out.images.set(m[1]!, m[2]!);
    } else if (keyword === 'EXPOSE' && !out.ports.some((p) => p.rank === portRank.dockerfile)) {
      const first = args.split(/\s+/)[0]!.replace(/\/(tcp|udp)$/, '');
      pushPort(out.ports, first, `Dockerfile EXPOSE ${first}`, portRank.dockerfile);
    } else if (keyword === 'HEALTHCHECK' && !out.health) {
      const path = urlPathIn(args);
      if (path) out.health = { value: path, source: 'Dockerfile HEALTHCHECK' };
      const port = urlPortIn(args);
      // After EXPOSE, which says the same more directly.
      if (port !== null) pushPort(out.ports, port, 'Dockerfile HEALTHCHECK', portRank.dockerfile + 0.5);
    } else if (keyword === 'CMD' || keyword === 'ENTRYPOINT') {
      const command = execForm(args) ?? args;
      start = keyword === 'ENTRYPOINT' || start === undefined ? command : `${start} ${command}`;
    }
  }
  if (start) out.start = { value: start, source: 'Dockerfile CMD/ENTRYPOINT' };
}

/** `["node", "server.js"]` -> `node server.js`; null when not a JSON array of strings. */
function execForm(args: string): string | null {
  try {
    const parsed: unknown = JSON.parse(args);
    if (Array.isArray(parsed) && parsed.every((p) => typeof p === 'string')) {
      return parsed.map((p: string) => (/^[\w./:=@%+-]+$/.test(p) ? p : `'${p.replace(/'/g, '')}'`)).join(' ');
    }
  } catch {
    // shell form
  }
  return null;
}

type Yaml = Record<string, unknown>;

type Loader = import('../../check/compose-extends.js').ComposeLoader;

/** Other compose files of the repository, read as `check` reads them (merge keys, bounded aliases). */
async function composeLoader(repo: RepoView): Promise<Loader> {
  const { readCompose } = await import('../../check/compose-yaml.js');
  return async (path) => {
    const text = repo.has(path) ? await repo.read(path) : null;
    return text === null ? null : readCompose(text);
  };
}

/**
 * The file with its services' `extends` resolved as Compose resolves them (the same code `check`
 * uses), so a port or healthcheck set on a shared base counts. Detection is a best guess: a broken
 * `extends` leaves the file as written, and `check` reports it.
 */
async function withExtends(file: string, doc: unknown, load: Loader): Promise<unknown> {
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return doc;
  const { resolveExtends } = await import('../../check/compose-extends.js');
  try {
    return await resolveExtends(doc as Parameters<typeof resolveExtends>[0], file, load);
  } catch {
    return doc;
  }
}

/** The services of the files `include` names (Compose runs them with the app), each with its file. */
async function includedServices(file: string, doc: unknown, load: Loader): Promise<{ file: string; name: string; service: Yaml }[]> {
  const { includePaths } = await import('../../check/compose-extends.js');
  const found: { file: string; name: string; service: Yaml }[] = [];
  for (const { path } of includePaths(doc, file)) {
    // A broken included file is check's to report; detection goes on without it.
    const services = ((await load(path))?.value as Yaml | null | undefined)?.services;
    for (const [name, service] of Object.entries((services ?? {}) as Record<string, Yaml | null>)) if (service && typeof service === 'object') found.push({ file: path, name, service });
  }
  return found;
}

async function readCompose(repo: RepoView, file: string, text: string, out: ContainerView): Promise<void> {
  const { parseDocument } = commonJs(await import('yaml'));
  // merge: Compose reads YAML 1.1's `<<` merge keys (`<<: *defaults` from an `x-` block).
  const parsed = parseDocument(text, { uniqueKeys: false, merge: true });
  let doc: unknown;
  try {
    if (parsed.errors.length > 0) throw parsed.errors[0]!;
    // toJS refuses documents that expand aliases without bound (maxAliasCount).
    doc = parsed.toJS();
  } catch (error) {
    // A broken compose file is the user's to fix first; guessing around it would hide the problem.
    const at = (error as { linePos?: { line: number; col: number }[] }).linePos?.[0];
    const where = at ? `:${at.line}:${at.col}` : '';
    throw new UserError(`${posix.join(repo.root, file)}${where}: ${file} is not valid YAML (${String((error as Error).message).split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}); fix it, then run add again`);
  }
  const load = await composeLoader(repo);
  doc = await withExtends(file, doc, load);
  // A compose.yaml may have no services of its own, only the files it includes.
  const services = (doc as Yaml | null)?.services;
  const entries = Object.entries(services && typeof services === 'object' ? (services as Record<string, Yaml | null>) : {}).filter((e): e is [string, Yaml] => !!e[1] && typeof e[1] === 'object');
  const found: BackingService[] = [];
  const included = await includedServices(file, doc, load);
  const images = [...entries.map(([, s]) => s.image), ...included.map((i) => i.service.image)].filter((i): i is string => typeof i === 'string');
  for (const image of images) {
    const kind = backingServices.find((s) => new RegExp(`(^|/)${s === 'postgres' ? 'postgres(?:ql)?' : s}(:|@|$)`).test(image));
    if (kind && !found.includes(kind)) found.push(kind);
  }
  if (found.length > 0 && !out.services) out.services = { value: found, source: `${file} images${included.length > 0 ? ' (and the files it includes)' : ''}` };
  // The app is the service built here; else one built in an included file (a compose.yaml that
  // only includes app.yaml and db.yaml); else the first here that runs no well-known third-party
  // image (a development compose file of only MySQL and Postgres has no app: its 3306 is no app port).
  const built = entries.find(([, s]) => s.build !== undefined);
  const builtElsewhere = included.find((i) => i.service.build !== undefined);
  const other = entries.find(([, s]) => !(typeof s.image === 'string' && isThirdPartyImage(s.image)));
  const app = built ? { file, name: built[0], service: built[1] } : (builtElsewhere ?? (other && { file, name: other[0], service: other[1] }));
  if (!app) return;
  await readAppService(repo, app, out);
}

/**
 * Images of the servers a project runs beside its app (databases, caches, queues, proxies, mail
 * catchers, tracing, admin UIs), by the last part of their repository name: `mysql:9.1`,
 * `bitnami/postgresql`, `docker.elastic.co/elasticsearch/elasticsearch`, `axllent/mailpit`.
 */
const thirdPartyImages = new Set([
  'postgres', 'postgresql', 'postgis', 'timescaledb', 'mysql', 'mariadb', 'percona', 'mongo', 'mongodb', 'redis', 'redis-stack', 'valkey', 'keydb',
  'memcached', 'cassandra', 'scylla', 'couchdb', 'couchbase', 'elasticsearch', 'opensearch', 'kibana', 'clickhouse-server', 'clickhouse', 'influxdb',
  'neo4j', 'cockroach', 'mssql-server', 'oracle-free', 'rabbitmq', 'nats', 'kafka', 'cp-kafka', 'zookeeper', 'cp-zookeeper', 'redpanda', 'pulsar',
  'activemq', 'artemis', 'localstack', 'minio', 'azurite', 'mailhog', 'mailpit', 'maildev', 'smtp4dev', 'nginx', 'traefik', 'caddy', 'haproxy', 'envoy',
  'prometheus', 'grafana', 'loki', 'tempo', 'jaeger', 'all-in-one', 'zipkin', 'opentelemetry-collector', 'opentelemetry-collector-contrib',
  'adminer', 'phpmyadmin', 'pgadmin4', 'mongo-express', 'redis-commander', 'redisinsight', 'keycloak', 'vault', 'consul', 'wiremock', 'selenium',
]);

function isThirdPartyImage(image: string): boolean {
  const repository = image.split('@')[0]!.replace(/:[^/]*$/, '');
  const name = repository.slice(repository.lastIndexOf('/') + 1).toLowerCase();
  return thirdPartyImages.has(name) || backingServices.some((b) => name.startsWith(b));
}

/** What the app's service says about the app: its port, health path, environment names. */
async function readAppService(repo: RepoView, app: { file: string; name: string; service: Yaml }, out: ContainerView): Promise<void> {
  const { file, name, service } = app;
  const ports = Array.isArray(service.ports) ? service.ports : [];
  const first = ports[0];
  const target = typeof first === 'object' && first !== null ? (first as Yaml).target : typeof first === 'string' || typeof first === 'number' ? String(first).split('/')[0]!.split(':').pop() : undefined;
  if (target !== undefined) pushPort(out.ports, String(target), `${file} services.${name}.ports`, portRank.compose);
  const test = (service.healthcheck as Yaml | undefined)?.test;
  const command = Array.isArray(test) ? test.map(String).join(' ') : String(test ?? '');
  const healthPath = urlPathIn(command);
  if (healthPath && !out.health) out.health = { value: healthPath, source: `${file} services.${name}.healthcheck` };
  const healthPort = urlPortIn(command);
  if (healthPort !== null) pushPort(out.ports, healthPort, `${file} services.${name}.healthcheck`, portRank.compose + 0.5);
  const environment = service.environment;
  const names = Array.isArray(environment) ? environment.map((e) => String(e).split('=')[0]!) : environment && typeof environment === 'object' ? Object.keys(environment) : [];
  if (names.length > 0) out.envNames.push({ names, source: `${file} services.${name}.environment` });
  const envFiles = (Array.isArray(service.env_file) ? service.env_file : service.env_file === undefined ? [] : [service.env_file]).map((e) => (typeof e === 'object' && e !== null ? String((e as Yaml).path) : String(e)));
  for (const envFile of envFiles) {
    // Relative to the compose file that names it (an included file's own folder).
    const path = posix.join(posix.dirname(file), envFile.replace(/^\.\//, ''));
    if (path.split('/').includes('..') || path.startsWith('/')) continue;
    const env = await repo.read(path);
    if (env !== null) out.envNames.push({ names: [...parseEnvFile(env).keys()], source: `${path} (env_file of ${file})` });
  }
}
