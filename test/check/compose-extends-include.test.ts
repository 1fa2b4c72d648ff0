/**
 * `extends` and `include` read as Compose reads them. extends: the base service, from this file or
 * another relative to it, with the extending service's own settings merged on top by the override
 * rules; chains followed; cycles, missing services and files outside the checked folder refused.
 * include: each named file read once, relative to the including one, includes of includes too.
 */
import { describe, expect, it } from 'vitest';
import { checkComposeFiles } from '../../src/check/compose.js';
import { resolveExtends } from '../../src/check/compose-extends.js';
import { readCompose, type Yaml } from '../../src/check/compose-yaml.js';

type Doc = { [key: string]: Yaml };

async function resolved(files: Record<string, string>, main = 'compose.yaml') {
  const parse = async (text: string) => (await readCompose(text)).value as Doc;
  const reads: string[] = [];
  const load = async (path: string) => {
    reads.push(path);
    return path in files ? readCompose(files[path]!) : null;
  };
  const model = await resolveExtends(await parse(files[main]!), main, load);
  return { services: model.services as Record<string, Doc>, reads };
}

describe('compose extends', () => {
  it('merges the base under the service: its own scalars win, mappings merge, lists join', async () => {
    const { services } = await resolved({
      'compose.yaml': 'services:\n  base:\n    image: a\n    read_only: true\n    environment: {A: "1", B: "2"}\n    cap_drop: [ALL]\n  web:\n    extends: base\n    image: b\n    environment: {B: "3"}\n    cap_drop: [NET_RAW]\n',
    });
    // (The override merge writes environment in its list form.)
    expect(services.web).toEqual({ image: 'b', read_only: true, environment: ['A=1', 'B=3'], cap_drop: ['ALL', 'NET_RAW'] });
    expect(services.base).toEqual({ image: 'a', read_only: true, environment: { A: '1', B: '2' }, cap_drop: ['ALL'] });
  });

  it('reads another file relative to the extending one, once, and follows chains across files', async () => {
    const { services, reads } = await resolved(
      {
        'deploy/compose.yaml': 'services:\n  api:\n    extends: {file: ../shared/base.yaml, service: hardened}\n  worker:\n    extends: {file: ../shared/base.yaml, service: hardened}\n    user: "2000:2000"\n',
        'shared/base.yaml': 'services:\n  root:\n    read_only: true\n  hardened:\n    extends: root\n    user: "10001:10001"\n',
      },
      'deploy/compose.yaml',
    );
    expect(services.api).toEqual({ read_only: true, user: '10001:10001' });
    expect(services.worker).toEqual({ read_only: true, user: '2000:2000' });
    expect(reads).toEqual(['shared/base.yaml']);
  });

  it('writes the env_file and bind mount paths of a base in another folder from the extending file\'s folder, as Compose resolves them from the base\'s', async () => {
    const { services } = await resolved(
      {
        'deploy/compose.yaml': 'services:\n  api:\n    extends: {file: ../shared/base.yaml, service: base}\n',
        'shared/base.yaml':
          'services:\n  base:\n    env_file: [app.env, {path: ../secrets/api.env}]\n    volumes:\n      - ./data:/data:ro\n      - {type: bind, source: .., target: /src}\n      - cache:/cache\n      - /etc/x:/x\n',
      },
      'deploy/compose.yaml',
    );
    expect(services.api).toEqual({
      env_file: ['../shared/app.env', { path: '../secrets/api.env' }],
      volumes: ['../shared/data:/data:ro', { type: 'bind', source: '..', target: '/src' }, 'cache:/cache', '/etc/x:/x'],
    });
  });

  it('refuses a cycle, a missing service, an unreadable file and a file outside the checked folder, naming each', async () => {
    await expect(resolved({ 'compose.yaml': 'services:\n  a:\n    extends: b\n  b:\n    extends: {service: a}\n' })).rejects.toThrow('services.a.extends: a cycle (compose.yaml a -> compose.yaml b -> compose.yaml a); break it');
    await expect(resolved({ 'compose.yaml': 'services:\n  a:\n    extends: nope\n' })).rejects.toThrow('services.a.extends: no service "nope" in compose.yaml; name one it defines');
    await expect(resolved({ 'compose.yaml': 'services:\n  a:\n    extends: {file: gone.yaml, service: x}\n' })).rejects.toThrow('services.a.extends: cannot read gone.yaml; it must be a file in the checked folder');
    await expect(resolved({ 'compose.yaml': 'services:\n  a:\n    extends: {file: ../../etc/x.yaml, service: x}\n' })).rejects.toThrow('services.a.extends: ../../etc/x.yaml is outside the checked folder; check the folder that holds both files');
    await expect(resolved({ 'compose.yaml': 'services:\n  a:\n    extends: {file: /etc/x.yaml, service: x}\n' })).rejects.toThrow(/is outside the checked folder/);
  });

  it('reads a ${VAR:-default} in extends as its default, as Compose interpolates before it resolves extends, and names a variable without one', async () => {
    const { services } = await resolved({
      'compose.yaml': 'services:\n  a:\n    extends: {file: "${BASE_FILE:-shared/base.yaml}", service: "${BASE:-b}"}\n',
      'shared/base.yaml': 'services:\n  b:\n    read_only: true\n',
    });
    expect(services.a).toEqual({ read_only: true });
    await expect(resolved({ 'compose.yaml': 'services:\n  a:\n    extends: {file: "${BASE_FILE}", service: b}\n' })).rejects.toThrow(
      'services.a.extends: file ${BASE_FILE} depends on a variable only Compose knows; give it a default, as ${VAR:-base.yaml}',
    );
  });

  it('leaves a file without extends as it is', async () => {
    const text = 'services:\n  a:\n    image: x\n';
    const value = (await readCompose(text)).value as Doc;
    expect(await resolveExtends(value, 'compose.yaml', async () => null)).toBe(value);
  });
});

describe('compose include', () => {
  it('refuses, on the include line, a file it cannot read or one outside the checked folder', async () => {
    const text = 'include:\n  - ../outside.yaml\n  - path: [gone.yaml]\nservices: {}\n';
    const result = await checkComposeFiles([{ path: 'compose.yaml', text }], () => undefined);
    expect(result.findings.map((f) => `${f.line} ${f.rule} ${f.message}`)).toEqual([
      '2 F01 include: ../outside.yaml is outside the checked folder; check the folder that holds both files',
      '3 F01 include: cannot read gone.yaml; Compose would stop here',
    ]);
    expect(result.checked).toEqual(['compose.yaml']);
  });

  it('reads each included file once, relative to the including one, and includes of includes', async () => {
    const files: Record<string, string> = {
      'app/a.yaml': 'include: [b.yaml]\nservices: {}\n',
      'app/b.yaml': 'include: [a.yaml, ../c.yaml]\nservices: {}\n',
      'c.yaml': 'services: {}\n',
    };
    const read: string[] = [];
    const result = await checkComposeFiles([{ path: 'compose.yaml', text: 'include: [app/a.yaml, app/b.yaml]\nservices: {}\n' }], (path) => {
      read.push(path);
      return files[path];
    });
    expect(result.checked).toEqual(['compose.yaml', 'app/a.yaml', 'app/b.yaml', 'c.yaml']);
    expect(read).toEqual(['app/a.yaml', 'app/b.yaml', 'c.yaml']);
  });
});

/** A service that passes every compose rule but those a test gives it, under `name`. */
const hardened = (name: string, more = '') =>
  `  ${name}:\n    image: ghcr.io/acme/app:1.0.0@sha256:${'a'.repeat(64)}\n    read_only: true\n    cap_drop: [ALL]\n    security_opt: ["no-new-privileges:true"]\n    restart: unless-stopped\n    user: "10001:10001"\n    healthcheck:\n      test: ["CMD", "/app/healthcheck"]\n    networks: [backend]\n    deploy:\n      resources:\n        limits: {cpus: "0.5", memory: 128M, pids: 128}\n${more}`;
const networks = 'networks:\n  backend: {}\n';

async function findingsOf(files: Record<string, string>, checked = ['compose.yaml']) {
  const result = await checkComposeFiles(
    checked.map((path) => ({ path, text: files[path]! })),
    (path) => files[path],
  );
  return result.findings.map((f) => `${f.file}:${f.line} ${f.rule} ${f.message}`);
}

describe('compose extends: a finding is reported where its value is set', () => {
  // hardened('base', …) puts `more` at line 15 of the file, after `services:`.
  const privileged = '    privileged: true\n    ports: ["8080:80"]\n';

  it('reports what the base breaks once, on the base, not again on each service extending it', async () => {
    const text = `services:\n${hardened('base', privileged)}  web:\n    extends: base\n  worker:\n    extends: {service: base}\n${networks}`;
    expect(await findingsOf({ 'compose.yaml': text })).toEqual(['compose.yaml:15 C03 base: privileged', 'compose.yaml:16 C04 base: port "8080:80" is not bound to 127.0.0.1']);
  });

  it('reports on the extending service what it sets itself, and only that', async () => {
    const text = `services:\n${hardened('base', privileged)}  web:\n    extends: base\n    privileged: true\n    ports: ["127.0.0.1:9090:90", "9191:91"]\n${networks}`;
    expect(await findingsOf({ 'compose.yaml': text })).toEqual([
      'compose.yaml:15 C03 base: privileged',
      'compose.yaml:16 C04 base: port "8080:80" is not bound to 127.0.0.1',
      'compose.yaml:19 C03 web: privileged',
      'compose.yaml:20 C04 web: port "9191:91" is not bound to 127.0.0.1',
    ]);
  });

  it('reports what a base in another file breaks once, on that file, through a chain', async () => {
    const files = {
      'compose.yaml': `services:\n  api:\n    extends: {file: shared/base.yaml, service: hardened}\n  worker:\n    extends: {file: shared/base.yaml, service: hardened}\n${networks}`,
      // The chain: hardened sets nothing wrong itself; root, which it extends, is privileged.
      'shared/base.yaml': `services:\n${hardened('root', privileged)}  hardened:\n    extends: root\n`,
    };
    expect(await findingsOf(files)).toEqual(['shared/base.yaml:15 C03 root: privileged', 'shared/base.yaml:16 C04 root: port "8080:80" is not bound to 127.0.0.1']);
    // The base file is one check read, as the report's count of checked files says.
    const { checked } = await checkComposeFiles([{ path: 'compose.yaml', text: files['compose.yaml'] }], (path) => files[path as keyof typeof files]);
    expect(checked).toEqual(['compose.yaml', 'shared/base.yaml']);
  });

  it('reads the env_file and bind mounts of a base in a subfolder from that subfolder, on their lines', async () => {
    const files = {
      'compose.yaml': `services:\n  worker:\n    extends: {file: shared/base.yaml, service: root}\n  api:\n    extends: {file: shared/base.yaml, service: own}\n${networks}`,
      // ../secrets is the project's secrets/ folder, secrets/ beside base.yaml one of its own; .. is the project folder.
      'shared/base.yaml': `services:\n${hardened('root', '    env_file: ../secrets/worker.env\n    volumes:\n      - ..:/app:ro\n')}${hardened('own', '    env_file: secrets/api.env\n')}`,
    };
    expect(await findingsOf(files)).toEqual(['shared/base.yaml:17 C10 root: bind mount .:/app outside the development override', 'shared/base.yaml:17 C10 root: sensitive host path .']);
  });

  it('tests the shapes of the service extended from another file, not of its neighbours there, as compose-go validates only the merged service', async () => {
    const base = `services:\n${hardened('b')}  other:\n    ports: "8080"\n  broken:\n    cap_drop: ALL\n`;
    const files = { 'compose.yaml': `services:\n  a:\n    extends: {file: base.yaml, service: b}\n  c:\n    extends: {file: base.yaml, service: broken}\n${networks}`, 'base.yaml': base };
    expect(await findingsOf(files)).toEqual(['compose.yaml:5 F01 cannot resolve extends: services.c.extends: base.yaml: services.broken.cap_drop must be a list, not the string "ALL"']);
    // An empty service there is an empty base (compose-go: "treated as an empty service").
    const empty = { 'compose.yaml': `services:\n${hardened('a', '    extends: {file: base.yaml, service: b}\n')}${networks}`, 'base.yaml': 'services:\n  b:\n' };
    expect(await findingsOf(empty)).toEqual([]);
  });

  it('tells a network the base joins from those the service names itself', async () => {
    const base = hardened('base').replace('    networks: [backend]\n', '    networks:\n      - backend\n      - ghost\n');
    const text = `services:\n${base}  web:\n    extends: base\n    networks: [backend]\n  api:\n    extends: base\n    networks: {backend: {}, phantom: {}}\n${networks}`;
    expect(await findingsOf({ 'compose.yaml': text })).toEqual([
      'compose.yaml:13 C05 base: network ghost is not defined at the top level',
      'compose.yaml:22 C05 api: network phantom is not defined at the top level',
    ]);
  });

  it('tells a secret the base mounts from those the service mounts itself', async () => {
    const text = `services:\n${hardened('base', '    secrets: [undeclared]\n')}  web:\n    extends: base\n    secrets:\n      - source: db_password\n${networks}secrets:\n  db_password:\n    file: ./secrets/db_password\n`;
    expect(await findingsOf({ 'compose.yaml': text })).toEqual(['compose.yaml:15 C07 base: secret undeclared is not the file ./secrets/undeclared']);
  });

  it('reports on the extends line what only the merge of base and service breaks', async () => {
    // The base alone has one memory limit; with the service's deploy limit they disagree.
    const base = hardened('base').replace(/    deploy:\n.*\n.*\n/, '    mem_limit: 128M\n    cpus: 0.5\n    pids_limit: 128\n');
    const text = `services:\n${base}  web:\n    extends: base\n    deploy:\n      resources:\n        limits: {cpus: "0.5", memory: 256M, pids: 128}\n${networks}`;
    expect(await findingsOf({ 'compose.yaml': text })).toEqual(['compose.yaml:16 C06 web: mem_limit differs from deploy.resources.limits.memory (Compose rejects the project)']);
  });
});

/**
 * Compose resolves `extends` without `file:` inside the one file (or document) that holds it,
 * before that file is merged onto the ones before it and before its `include`s are read
 * (compose-go loader: ApplyExtends on each file's own model, then ApplyInclude, then Merge).
 */
describe('compose extends across -f files and include', () => {
  const app = `services:\n${hardened('app')}${networks}`;

  it('refuses an override extending a service only its base defines, as Compose does, and says to name the base file', async () => {
    const files = { 'compose.yaml': app, 'compose.prod.yaml': 'services:\n  worker:\n    extends: app\n    command: ["work"]\n' };
    expect(await findingsOf(files, ['compose.yaml', 'compose.prod.yaml'])).toEqual([
      'compose.prod.yaml:3 F01 cannot resolve extends: services.worker.extends: no service "app" in compose.prod.yaml (Compose: service "app" not found); ' +
        'Compose resolves extends in each file before merging it onto compose.yaml, which defines "app": write extends: {service: app, file: compose.yaml}',
    ]);
  });

  it('names the base relative to an override in a subfolder group, and a docker-compose base for a docker-compose override', async () => {
    const files = { 'deploy/docker-compose.yml': app, 'deploy/docker-compose.prod.yml': 'services:\n  worker:\n    extends: {service: app}\n' };
    expect(await findingsOf(files, Object.keys(files))).toEqual([
      'deploy/docker-compose.prod.yml:3 F01 cannot resolve extends: services.worker.extends: no service "app" in deploy/docker-compose.prod.yml (Compose: service "app" not found); ' +
        'Compose resolves extends in each file before merging it onto deploy/docker-compose.yml, which defines "app": write extends: {service: app, file: docker-compose.yml}',
    ]);
  });

  it('refuses extending a service only an included file defines, and says to name that file', async () => {
    const files = { 'compose.yaml': 'include: [sub/compose.yaml]\nservices:\n  web:\n    extends: app\n', 'sub/compose.yaml': app };
    expect(await findingsOf(files)).toEqual([
      'compose.yaml:4 F01 cannot resolve extends: services.web.extends: no service "app" in compose.yaml (Compose: service "app" not found); ' +
        'Compose resolves extends before it reads include, and sub/compose.yaml defines "app": write extends: {service: app, file: sub/compose.yaml}',
    ]);
  });

  it('keeps the plain message for a service no file defines', async () => {
    const files = { 'compose.yaml': app, 'compose.prod.yaml': 'services:\n  worker:\n    extends: nope\n' };
    expect(await findingsOf(files, ['compose.yaml', 'compose.prod.yaml'])).toEqual(['compose.prod.yaml:3 F01 cannot resolve extends: services.worker.extends: no service "nope" in compose.prod.yaml; name one it defines']);
  });

  it('blames the extends line of the file checked when a chain fails in the file it names, and says which file failed', async () => {
    // compose.override.yaml is override-shaped: its dev extends app, which only compose.yaml defines.
    const files = {
      'compose.yaml': `services:\n${hardened('app')}  worker:\n    extends: {file: compose.override.yaml, service: dev}\n${networks}`,
      'compose.override.yaml': 'services:\n  dev:\n    extends: app\n    ports: ["8080:80"]\n',
    };
    const findings = await findingsOf(files, ['compose.yaml']);
    expect(findings).toEqual(['compose.yaml:16 F01 cannot resolve extends: services.worker.extends: in compose.override.yaml: services.dev.extends: no service "app" in compose.override.yaml; name one it defines']);
  });

  it('reports each service whose extends line leads to a file that cannot serve, on its own line, and a failure in the same file once', async () => {
    const files = {
      'compose.yaml':
        'services:\n  a:\n    image: x\n    extends: {file: broken.yaml, service: x}\n  b:\n    image: y\n    extends: {file: broken.yaml, service: y}\n' +
        // c fails only because a does: a's line is the one to fix. d and e are one cycle.
        '  c:\n    extends: a\n  d:\n    extends: e\n  e:\n    extends: d\n',
      'broken.yaml': 'services:\n  x: [\n',
    };
    const problem = 'broken.yaml does not parse as a compose file (Flow sequence in block collection must be sufficiently indented and end with a ])';
    expect(await findingsOf(files)).toEqual([
      `compose.yaml:4 F01 cannot resolve extends: services.a.extends: ${problem}`,
      `compose.yaml:7 F01 cannot resolve extends: services.b.extends: ${problem}`,
      'compose.yaml:11 F01 cannot resolve extends: services.d.extends: a cycle (compose.yaml d -> compose.yaml e -> compose.yaml d); break it',
    ]);
  });

  it('blames the extends line that leads into the failing file, not a service of the same file extending that one', async () => {
    const files = {
      'compose.yaml': 'services:\n  web:\n    extends: api\n  api:\n    image: x\n    extends: {file: shared/mid.yaml, service: m}\n',
      'shared/mid.yaml': 'services:\n  m:\n    extends: {file: gone.yaml, service: x}\n',
    };
    expect(await findingsOf(files)).toEqual([
      'compose.yaml:6 F01 cannot resolve extends: services.api.extends: in shared/mid.yaml: services.m.extends: cannot read shared/gone.yaml; it must be a file in the checked folder',
    ]);
  });

  it('reports a service whose settings cannot be merged onto its base on its extends line, naming the key as the file spells it', async () => {
    const text = 'services:\n  base:\n    image: x\n    ulimits: {nofile: 1024}\n  web:\n    extends: base\n    ulimits: [1]\n';
    expect(await findingsOf({ 'compose.yaml': text })).toEqual(['compose.yaml:6 F01 cannot resolve extends: services.web.extends: cannot be merged onto base of compose.yaml: cannot override ulimits: a mapping with [1]']);
  });

  it('reports a cycle across files on the service in it, and a service that only leads into it naming the file', async () => {
    const files = {
      'compose.yaml': 'services:\n  a:\n    image: x\n    extends: {file: other.yaml, service: o}\n  z:\n    image: x\n    extends: {file: other.yaml, service: o}\n',
      'other.yaml': 'services:\n  o:\n    extends: {file: compose.yaml, service: a}\n',
    };
    expect(await findingsOf(files)).toEqual([
      'compose.yaml:4 F01 cannot resolve extends: services.a.extends: a cycle (compose.yaml a -> other.yaml o -> compose.yaml a); break it',
      'compose.yaml:7 F01 cannot resolve extends: services.z.extends: in other.yaml: services.o.extends: a cycle (compose.yaml z -> other.yaml o -> compose.yaml a -> other.yaml o); break it',
    ]);
  });

  it('refuses, in one finding on the extends line, a service built on an override fragment that leaves it no image or build, and names the full service', async () => {
    // compose-go's extends loads compose.override.yaml alone: app there is only a bind mount and
    // an environment variable, so worker has neither image nor build and the project is invalid.
    const files = {
      'compose.yaml': `services:\n${hardened('app')}  worker:\n    extends: {file: compose.override.yaml, service: app}\n    command: ["work"]\n${networks}`,
      'compose.override.yaml': 'services:\n  app:\n    volumes:\n      - ./src:/app/src:ro\n    environment: {LOG_LEVEL: debug}\n',
    };
    const result = await checkComposeFiles([{ path: 'compose.yaml', text: files['compose.yaml'] }], (path) => files[path as keyof typeof files]);
    expect(result.findings.map((f) => `${f.file}:${f.line} ${f.rule} ${f.message} | ${f.fix}`)).toEqual([
      'compose.yaml:16 F01 services.worker.extends: compose.override.yaml is an override of compose.yaml, and extends reads it alone: its app is only what it adds to compose.yaml\'s app, ' +
        'so "worker" has neither an image nor a build context and Compose refuses the project; write extends: app | Extend the full service, extends: app, and set on worker what it needs from compose.override.yaml',
    ]);
  });

  it('reads a service extending, in an override, a service of that override its base defines too, as the same fragment', async () => {
    const files = {
      'compose.yaml': `services:\n${hardened('app')}${networks}`,
      'compose.override.yaml': 'services:\n  app:\n    environment: {LOG_LEVEL: debug}\n  dev:\n    extends: app\n    command: ["dev"]\n',
    };
    expect(await findingsOf(files, ['compose.yaml', 'compose.override.yaml'])).toEqual([
      'compose.override.yaml:5 F01 services.dev.extends: compose.override.yaml is an override of compose.yaml, and extends reads it alone: its app is only what it adds to compose.yaml\'s app, ' +
        'so "dev" has neither an image nor a build context and Compose refuses the project; write extends: {service: app, file: compose.yaml} (with compose.yaml)',
    ]);
  });

  it('reports a service built on an override fragment once, on the extends line, with the first rule it breaks, and what it sets itself as usual', async () => {
    const files = {
      'deploy/compose.yaml': `services:\n${hardened('app')}${networks}`,
      'deploy/compose.prod.yaml': 'services:\n  app:\n    image: ghcr.io/acme/app:2.0.0\n    restart: unless-stopped\n',
      'compose.yaml': `services:\n  worker:\n    extends: {file: deploy/compose.prod.yaml, service: app}\n    privileged: true\n${networks}`,
    };
    expect(await findingsOf(files)).toEqual([
      'compose.yaml:4 C03 worker: privileged',
      "compose.yaml:3 C01 worker: deploy/compose.prod.yaml is an override of deploy/compose.yaml, and extends reads it alone: its app is only what it adds to deploy/compose.yaml's app, " +
        "so worker has none of deploy/compose.yaml's app's settings and breaks C01, C02, C03, C05, C06, C09, C11; write extends: {service: app, file: deploy/compose.yaml}",
    ]);
  });

  it('reads a service an override file defines alone, and its base does not, as any extended service', async () => {
    const files = {
      'compose.yaml': `services:\n${hardened('app')}  tester:\n    extends: {file: compose.test.yaml, service: probe}\n${networks}`,
      'compose.test.yaml': `services:\n${hardened('probe', '    privileged: true\n')}`,
    };
    expect(await findingsOf(files)).toEqual(['compose.test.yaml:15 C03 probe: privileged']);
  });

  it('lets !reset and !override on an extending service in an override act on the base file too, as compose-go v2 does', async () => {
    // compose-go v2 applies a file's !reset/!override paths to the base of each extends and then to
    // the model of the files before it, so web loses compose.yaml's web cap_drop and cap_add too.
    const files = {
      'compose.yaml': `services:\n${hardened('app')}${hardened('web', '    cap_add: [NET_BIND_SERVICE]\n')}${networks}`,
      'compose.prod.yaml': 'services:\n  web:\n    extends: {service: app, file: compose.yaml}\n    cap_drop: !reset []\n    cap_add: !override [CHOWN]\n',
    };
    expect(await findingsOf(files, ['compose.yaml', 'compose.prod.yaml'])).toEqual([
      'compose.yaml:28 C02 web: cap_add ["NET_BIND_SERVICE"]',
      'compose.prod.yaml:4 C02 web: cap_drop does not include ALL (with compose.yaml)',
      'compose.prod.yaml:5 C02 web: cap_add ["CHOWN"] (with compose.yaml)',
    ]);
  });

  it('resolves an override extending its base by file:, and reports what the base breaks once, on the base', async () => {
    const files = {
      'compose.yaml': `services:\n${hardened('app', '    ports: ["8080:80"]\n')}${networks}`,
      'compose.prod.yaml': 'services:\n  worker:\n    extends: {service: app, file: compose.yaml}\n    command: ["work"]\n    privileged: true\n',
    };
    expect(await findingsOf(files, ['compose.yaml', 'compose.prod.yaml'])).toEqual([
      'compose.yaml:15 C04 app: port "8080:80" is not bound to 127.0.0.1',
      'compose.prod.yaml:5 C03 worker: privileged (with compose.yaml)',
    ]);
  });
});
