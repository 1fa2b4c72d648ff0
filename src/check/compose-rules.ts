/**
 * The compose rules of RULES.md (C01-C11) on one Compose model: a base file alone, or a base with
 * an override merged the way Compose merges them. Each violation carries the model path it is
 * about, so `compose.ts` can point at the file and line that caused it.
 *
 * With `expect` (the generator's own answers), the checks also compare against what was asked
 * for: exactly these services and networks, these limits, this identity, this health probe.
 */
import { hasUrlPassword, identityProblem, isSecretName } from './dockerfile.js';
import { imageName, isBackingServiceImage, isInterpolated, pinProblem } from './images.js';
import { asMapping, boolOf, bytesOf, environmentOf, hostIpOf, listOf, mountOf, servicesOf, splitColons } from './compose-merge.js';
import type { Mapping, Plain, YamlPath } from './compose-yaml.js';

/**
 * C07 allows env_file outside secrets/ only for non-secret config, which a file can only tell by
 * its name: a word of its path (`config.env`, `settings/public.env`, `.env.example`) says so.
 */
const namesConfig = (path: string) => path.split(/[/._-]+/).some((w) => /^(config|configuration|conf|settings|public|defaults?|non-?secrets?|example|sample)$/i.test(w));

/**
 * A path in a secrets/ folder of the checked folder: the project's own, or one beside a file an
 * extends reads from a subfolder (Compose resolves that file's env_file from its folder).
 */
const inSecrets = (path: string) => /^(\.\/)?(?!\.\.\/)([^/]+\/)*secrets\//.test(path);

export interface ComposeExpectations {
  app: string;
  /** Backing services by name: the secret holding its password and its pinned image. */
  backing: Map<string, { secret: string; image: string }>;
  networks: string[];
  appSecrets: string[];
  cpu: number;
  memoryMiB: number;
  uid: number;
  gid: number;
  probe: string[];
  needsInit: boolean;
  languageLabel: string;
}

export interface ModelOptions {
  /** Bind mounts are allowed (C10: only in the development override, and read-only). */
  allowBindMounts: boolean;
  expect?: ComposeExpectations;
}

export interface Violation {
  rule: string;
  /** The service or network it is about. */
  where: string;
  what: string;
  /** The model path the violation is about; `item` is the offending list entry, if any. */
  path: YamlPath;
  item?: Plain;
  /** A fix for this very entry, where the rule's general one would not fit it. */
  fix?: string;
}

/** The fix for a port published on every interface: the same entry bound to 127.0.0.1. */
function onLoopback(port: Plain): string {
  if (port !== null && typeof port === 'object' && !Array.isArray(port)) return 'Set host_ip: 127.0.0.1 on this port and put a reverse proxy in front';
  const text = String(port);
  const parts = splitColons(text);
  // [ip:]host:container[/protocol]; a container port alone is published on the same host port.
  const rest = /^\[[^\]]+\]:(.*)$/.exec(text)?.[1] ?? (parts.length === 3 ? parts.slice(1).join(':') : parts.length === 2 ? text : `${text.split('/')[0]}:${text}`);
  return `Publish it as "127.0.0.1:${rest}" and put a reverse proxy in front`;
}

/** C07's fix for one variable: the value moved into a compose secret the app reads as a file. */
function asSecretFile(key: string): string {
  const secret = key.toLowerCase();
  return `Move the value into ./secrets/${secret} (kept out of git), declare secrets: {${secret}: {file: ./secrets/${secret}}} at the top level, list ${secret} under this service's secrets, and replace ${key} with ${key}_FILE=/run/secrets/${secret} (or have the app read that file)`;
}

/**
 * The health probe a service's image can run, for C09's fix: the official database and cache
 * images' own clients, else a placeholder for the app's probe (the image has no curl, say).
 */
function probeFor(image: Plain | undefined): string {
  const name = typeof image === 'string' ? imageName(image) : '';
  if (/^postgres/.test(name)) return '["CMD", "pg_isready", "-U", "postgres"]';
  if (/^(redis|valkey)/.test(name)) return `["CMD", "${name.startsWith('valkey') ? 'valkey-cli' : 'redis-cli'}", "ping"]`;
  if (/^mongo/.test(name)) return '["CMD", "mongosh", "--quiet", "--eval", "db.adminCommand(\'ping\')"]';
  return '["CMD", "<a probe the image can run>", …]';
}

/** Host paths that must never reach a container (C10). */
const sensitiveHostPath = /(^|\/)(docker|containerd|podman)\.sock$|^\/(etc|proc|sys|dev|boot|root|var\/run|run|var\/lib\/docker)?(\/|$)|^~|(^|\/)secrets(\/|$)|^\.\/?$/;
const loopback = new Set(['127.0.0.1', '::1', 'localhost']);

export function composeModelViolations(model: Mapping, options: ModelOptions): Violation[] {
  const out: Violation[] = [];
  const { expect } = options;
  const fail = (rule: string, where: string, what: string, path: YamlPath, item?: Plain, fix?: string) => out.push({ rule, where, what, path, ...(item === undefined ? {} : { item }), ...(fix === undefined ? {} : { fix }) });
  const topNetworks = (model.networks ?? {}) as Record<string, Mapping | null>;
  const topSecrets = (model.secrets ?? {}) as Record<string, Mapping>;
  const services = servicesOf(model);
  const isBacking = (name: string, s: Mapping) => (expect ? expect.backing.has(name) : s.build === undefined && typeof s.image === 'string' && isBackingServiceImage(s.image));

  if (expect) {
    if ('version' in model) fail('spec', 'top level', 'obsolete "version:" key', ['version']);
    const names = services.map(([n]) => n).sort();
    const wanted = [expect.app, ...expect.backing.keys()].sort();
    if (JSON.stringify(names) !== JSON.stringify(wanted)) fail('spec', 'services', `expected ${wanted.join(', ')}, got ${names.join(', ')}`, ['services']);
  }

  for (const [name, s] of services) {
    const at = (...rest: YamlPath): YamlPath => ['services', name, ...rest];
    const isApp = expect ? name === expect.app : !isBacking(name, s);
    const backing = isBacking(name, s);
    // C01
    if (boolOf(s.read_only) !== true) fail('C01', name, 'read_only is not true', at('read_only'));
    for (const t of listOf(s.tmpfs)) {
      const path = String(t).split(':')[0] ?? '';
      if (!path.startsWith('/') || path === '/') fail('C01', name, `tmpfs ${String(t)} is not a specific absolute path`, at('tmpfs'), t);
    }
    // C02
    if (!listOf(s.cap_drop).some((c) => String(c).toUpperCase() === 'ALL')) fail('C02', name, 'cap_drop does not include ALL', at('cap_drop'));
    if (listOf(s.cap_add).length > 0) fail('C02', name, `cap_add ${JSON.stringify(s.cap_add)}`, at('cap_add'));
    // C03
    const opts = listOf(s.security_opt).map(String);
    if (!opts.some((o) => /^no-new-privileges([:=]true)?$/.test(o))) fail('C03', name, 'security_opt lacks no-new-privileges:true', at('security_opt'));
    for (const o of opts) if (/unconfined|label[:=]disable|no-new-privileges[:=]false/.test(o)) fail('C03', name, `security_opt ${o}`, at('security_opt'), o);
    if (boolOf(s.privileged) === true) fail('C03', name, 'privileged', at('privileged'));
    // The build's own privileges (compose-spec build): what RUN --security=insecure needs to run
    // unconfined, and a privileged build container, are the build-time forms of privileged: true.
    const build = typeof s.build === 'object' && s.build !== null && !Array.isArray(s.build) ? (s.build as Mapping) : undefined;
    if (build && boolOf(build.privileged) === true) fail('C03', name, 'build.privileged: the image build runs with every capability', at('build', 'privileged'));
    for (const e of listOf(build?.entitlements)) {
      if (String(e) === 'security.insecure') fail('C03', name, 'build entitlement security.insecure: RUN --security=insecure steps run outside the sandbox', at('build', 'entitlements'), e);
      // C05 ("never network_mode: host", CIS 5.9), at build time: BuildKit's network.host
      // entitlement is what lets RUN --network=host steps into the host's network namespace.
      if (String(e) === 'network.host') fail('C05', name, "build entitlement network.host: RUN --network=host steps share the host's network namespace", at('build', 'entitlements'), e);
    }
    if (build && build.network !== undefined && String(build.network) === 'host') fail('C05', name, "build.network host: every RUN step of the image build shares the host's network namespace", at('build', 'network'));
    // C04
    const ports = listOf(s.ports);
    const unpublish = `Remove ports from ${name}: the app reaches it over the network they share`;
    if (backing && ports.length > 0) fail('C04', name, `a backing service publishes ${JSON.stringify(ports)}`, at('ports'), undefined, unpublish);
    for (const p of ports) {
      const ip = hostIpOf(p);
      if (expect ? ip !== '127.0.0.1' : ip === null || !loopback.has(ip)) fail('C04', name, `port ${JSON.stringify(p)} is not bound to 127.0.0.1`, at('ports'), p, backing ? unpublish : onLoopback(p));
    }
    // C05
    const mode = s.network_mode === undefined ? undefined : String(s.network_mode);
    if (mode !== undefined && (expect || mode === 'host' || mode === 'bridge' || mode === 'default')) fail('C05', name, `network_mode ${mode}`, at('network_mode'));
    const nets = Array.isArray(s.networks) ? s.networks.map(String) : Object.keys((s.networks ?? {}) as Mapping);
    if (expect) {
      const want = isApp ? [...expect.networks, ...(expect.backing.size > 0 ? ['data'] : [])] : ['data'];
      if (JSON.stringify([...nets].sort()) !== JSON.stringify([...want].sort())) fail('C05', name, `networks ${nets.join(', ') || '(default)'}; expected ${want.join(', ')}`, at('networks'));
    } else if (nets.length === 0 && mode === undefined) {
      fail('C05', name, 'joins only the default network: list user-defined networks', at());
    }
    // The network itself is the offending entry (list form: the item; mapping form: its key).
    for (const n of nets) if (!(n in topNetworks)) fail('C05', name, `network ${n} is not defined at the top level`, at('networks', n), n);
    if (!expect && backing) for (const n of nets) if (boolOf(topNetworks[n]?.internal) !== true) fail('C05', name, `a backing service joins network ${n}, which is not internal: true`, at('networks', n), n);
    // C06
    const limits = (((s.deploy as Mapping | undefined)?.resources as Mapping | undefined)?.limits ?? {}) as Mapping;
    const limitsAt = at('deploy', 'resources', 'limits');
    const cpus = Number(limits.cpus ?? s.cpus);
    const memory = bytesOf(limits.memory ?? s.mem_limit);
    const pids = Number(limits.pids ?? s.pids_limit);
    if (!(cpus > 0)) fail('C06', name, 'no CPU limit (deploy.resources.limits.cpus)', limitsAt);
    if (!(memory !== null && memory > 0)) fail('C06', name, 'no memory limit (deploy.resources.limits.memory)', limitsAt);
    if (!(pids > 0)) fail('C06', name, 'no PIDs limit (deploy.resources.limits.pids)', limitsAt);
    // Compose refuses a project whose short and deploy forms disagree (an absent one counts as 0).
    if ('pids_limit' in s && 'deploy' in s && Number(s.pids_limit) !== Number(limits.pids)) fail('C06', name, 'pids_limit differs from deploy.resources.limits.pids (Compose rejects the project)', at('pids_limit'));
    if ('mem_limit' in s && 'deploy' in s && bytesOf(s.mem_limit) !== bytesOf(limits.memory)) fail('C06', name, 'mem_limit differs from deploy.resources.limits.memory (Compose rejects the project)', at('mem_limit'));
    if ('cpus' in s && 'deploy' in s && Number(s.cpus) !== Number(limits.cpus)) fail('C06', name, 'cpus differs from deploy.resources.limits.cpus (Compose rejects the project)', at('cpus'));
    if ('memswap_limit' in s && (bytesOf(s.memswap_limit) ?? 0) < (memory ?? 0) && Number(s.memswap_limit) !== -1) fail('C06', name, 'memswap_limit is below the memory limit', at('memswap_limit'));
    if (expect && isApp && (cpus !== expect.cpu || memory !== expect.memoryMiB * 1024 * 1024)) fail('C06', name, `limits ${String(limits.cpus)} CPU / ${String(limits.memory)} are not the answers' ${expect.cpu} / ${expect.memoryMiB}M`, limitsAt);
    // C07
    const env = environmentOf(s);
    const secretName = (x: Plain) => (x !== null && typeof x === 'object' && !Array.isArray(x) ? String(x.source) : String(x));
    const mounted = new Set(listOf(s.secrets).map(secretName));
    for (const [key, value] of Object.entries(env)) {
      if (key.endsWith('_FILE')) {
        const secret = /^\/run\/secrets\/([A-Za-z0-9_.-]+)$/.exec(value ?? '')?.[1];
        if (!secret || !mounted.has(secret)) fail('C07', name, `${key} does not name a secret mounted into the service`, at('environment', key));
      } else if (value !== null && value !== '' && !/^\$\{[^}]+\}$/.test(value) && ((expect?.appSecrets.includes(key) ?? false) || isSecretName(key))) {
        fail('C07', name, `literal secret in environment: ${key}`, at('environment', key), `${key}=${value}`, asSecretFile(key));
      } else if (value !== null && hasUrlPassword(value)) {
        fail('C07', name, `literal secret in environment: ${key} is a URL with a password in it`, at('environment', key), `${key}=${value}`, asSecretFile(key));
      }
    }
    for (const secret of mounted) {
      const def = topSecrets[secret];
      const file = def?.file;
      if (expect ? file !== `./secrets/${secret}` : def === undefined || (file !== undefined && !/^(\.\/)?secrets\//.test(String(file)))) {
        if (def === undefined) fail('C07', name, `secret ${secret} is not the file ./secrets/${secret}`, at('secrets'), listOf(s.secrets).find((x) => secretName(x) === secret));
        else fail('C07', name, `secret ${secret} is not the file ./secrets/${secret}`, ['secrets', secret]);
      }
    }
    for (const f of listOf(s.env_file)) {
      const path = f !== null && typeof f === 'object' && !Array.isArray(f) ? String(f.path) : String(f);
      if (expect) {
        if (!isApp || path !== `secrets/${expect.app}.env`) fail('C07', name, `env_file ${path}`, at('env_file'), f);
      } else if (!inSecrets(path) && !namesConfig(path)) {
        fail('C07', name, `env_file ${path} is neither under secrets/ nor named as non-secret config: keep secrets in secrets/<svc>.env (or compose secrets), and name a config-only file so (config.env, settings.env)`, at('env_file'), f);
      }
    }
    if (expect && isApp && expect.appSecrets.length > 0 && listOf(s.env_file).length === 0) fail('C07', name, `no env_file for the secrets ${expect.appSecrets.join(', ')}`, at());
    if (expect && isApp) for (const [b, info] of expect.backing) if (!mounted.has(info.secret)) fail('C07', name, `the ${b} password secret is not mounted`, at('secrets'));
    // C08
    const image = s.image === undefined ? '' : String(s.image);
    const pinned = expect?.backing.get(name);
    if (pinned) {
      if (image !== pinned.image || !/:[^:/]+$/.test(image) || /:latest$/.test(image)) fail('C08', name, `image ${image} is not the pinned ${pinned.image}`, at('image'));
    } else if (!expect && s.image !== undefined && s.build === undefined && !isInterpolated(image)) {
      const problem = pinProblem(image);
      if (problem) fail('C08', name, `image ${problem}`, at('image'));
    }
    // C09
    const restart = String(s.restart ?? '');
    const restartFix = `Set restart: on-failure:5 (or unless-stopped) on ${name}`;
    if (s.restart === undefined) fail('C09', name, 'no restart policy (Compose\'s default is "no": a crashed container stays down)', at(), undefined, restartFix);
    else if (restart !== 'unless-stopped' && !/^on-failure:[1-9]\d*$/.test(restart)) fail('C09', name, `restart "${restart}" is neither unless-stopped nor a bounded on-failure`, at('restart'), undefined, restartFix);
    const health = (s.healthcheck ?? {}) as Mapping;
    const test = listOf(health.test).map(String);
    const execForm = test[0] === 'CMD' && test.length >= 2;
    const healthFix = `Give ${name} healthcheck: {test: ${probeFor(s.image)}, interval: 30s, timeout: 3s, retries: 3}`;
    if (boolOf(health.disable) === true) fail('C09', name, 'healthcheck disabled', at('healthcheck'), undefined, `Remove disable: true. ${healthFix}`);
    else if (health.test === undefined) fail('C09', name, 'no healthcheck test', s.healthcheck === undefined ? at() : at('healthcheck'), undefined, healthFix);
    else if (!(execForm || (!expect && test[0] === 'CMD-SHELL' && test.length >= 2))) fail('C09', name, `healthcheck test ${JSON.stringify(health.test)} is not an exec-form CMD`, at('healthcheck'));
    if (expect && isApp && JSON.stringify(test) !== JSON.stringify(['CMD', ...expect.probe])) fail('C09', name, `healthcheck ${JSON.stringify(test)} is not the image's probe ${JSON.stringify(expect.probe)}`, at('healthcheck'));
    const deps = asMapping(s.depends_on ?? null, { condition: 'service_started' });
    if (expect) {
      if (isApp) for (const b of expect.backing.keys()) if ((deps[b] as Mapping | undefined)?.condition !== 'service_healthy') fail('C09', name, `does not wait for ${b} to be healthy`, at('depends_on'));
    } else {
      for (const [dep, spec] of Object.entries(deps)) {
        const condition = (spec as Mapping | null)?.condition ?? 'service_started';
        if (condition !== 'service_healthy' && condition !== 'service_completed_successfully') fail('C09', name, `does not wait for ${dep} to be healthy (condition ${String(condition)})`, at('depends_on', dep), dep, `Write depends_on: {${dep}: {condition: service_healthy}} (and give ${dep} a healthcheck)`);
      }
    }
    // C10
    for (const v of listOf(s.volumes)) {
      const m = mountOf(v);
      if (m.type === 'bind') {
        if (!options.allowBindMounts) fail('C10', name, `bind mount ${m.source ?? ''}:${m.target} outside the development override`, at('volumes'), v);
        if (!m.readOnly) fail('C10', name, `bind mount ${m.source ?? ''}:${m.target} is writable`, at('volumes'), v);
      }
      if (m.source !== null && sensitiveHostPath.test(m.source) && m.type === 'bind') fail('C10', name, `sensitive host path ${m.source}`, at('volumes'), v);
      if (/docker\.sock/.test(JSON.stringify(v))) fail('C10', name, 'docker.sock mounted', at('volumes'), v);
    }
    for (const key of ['pid', 'ipc', 'uts', 'userns_mode', 'cgroup']) if (s[key] === 'host') fail('C10', name, `${key}: host`, at(key));
    if (listOf(s.devices).length > 0) fail('C10', name, 'devices passed through', at('devices'));
    // C11
    const user = s.user === undefined ? '' : String(s.user);
    if (expect && isApp && user !== `${expect.uid}:${expect.gid}`) fail('C11', name, `user "${user}" is not ${expect.uid}:${expect.gid}`, at('user'));
    if (s.user === undefined) fail('C11', name, 'no user: the image\'s default user (often root) runs it, not a numeric non-root UID:GID', at());
    else if (user === '') fail('C11', name, 'user "" is not a numeric non-root UID:GID: the image\'s default user (often root) runs it', at('user'));
    else if (identityProblem(user, false) || !/^[1-9]\d*:\d+$/.test(user)) fail('C11', name, `user "${user}" is not a numeric non-root UID:GID`, at('user'));
    // D10
    if (expect && isApp && (boolOf(s.init) === true) !== expect.needsInit) fail('D10', name, `init is ${String(s.init)}; ${expect.languageLabel} ${expect.needsInit ? 'needs' : 'does not need'} it`, at('init'));
  }

  // C05: the networks themselves.
  for (const [n, def] of Object.entries(topNetworks)) {
    if (['default', 'host', 'bridge', 'none'].includes(n)) fail('C05', `network ${n}`, "Docker's own network", ['networks', n]);
    const d = def ?? {};
    if (expect && boolOf(d.external) === true) fail('C05', `network ${n}`, 'external', ['networks', n, 'external']);
    if (d.driver !== undefined && (expect ? d.driver !== 'bridge' : d.driver === 'host')) fail('C05', `network ${n}`, `driver ${String(d.driver)}`, ['networks', n, 'driver']);
  }
  if (expect && expect.backing.size > 0 && boolOf(topNetworks.data?.internal) !== true) fail('C05', 'network data', 'not internal', ['networks', 'data']);
  return out;
}
