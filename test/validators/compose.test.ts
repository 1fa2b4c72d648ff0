/**
 * The four compose files, fed to real tools: the YAML parser (with Compose's `!reset`/`!override`
 * tags), the official compose-spec JSON schema (Ajv, draft-07), Compose's own merge rules, and the
 * compose rules of RULES.md checked on the base file and on every `-f compose.yaml -f <override>`
 * model. The merge helper gets its own tests first, since every model check depends on it.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildContext, type RenderContext } from '../../src/render/context.js';
import type { Answers } from '../../src/questions.js';
import {
  composeViolations,
  environmentOf,
  mergeCompose,
  mountOf,
  parseCompose,
  Override,
  Reset,
  schemaErrors,
  servicesOf,
  untag,
  type Mapping,
  type Yaml,
} from '../helpers/compose.js';
import { answersFor, combinations, fileOf, render, repoRoot, templates, testFacts } from '../helpers/render.js';

type Flags = Partial<Record<keyof Answers, unknown>>;

const files = ['compose.yaml', 'compose.override.yaml', 'compose.test.yaml', 'compose.prod.yaml'] as const;
type ComposeFile = (typeof files)[number];

interface Rendered {
  ctx: RenderContext;
  text: Record<ComposeFile, string>;
  parsed: Record<ComposeFile, Yaml>;
}

async function renderCompose(flags: Flags): Promise<Rendered> {
  const a = await answersFor(flags);
  const tree = await render(flags, ['compose']);
  const text = Object.fromEntries(files.map((f) => [f, fileOf(tree, f)])) as Record<ComposeFile, string>;
  const parsed = Object.fromEntries(files.map((f) => [f, parseCompose(text[f], f)])) as Record<ComposeFile, Yaml>;
  return { ctx: buildContext(a, testFacts, '0.0.0-test'), text, parsed };
}

/** The three models Compose builds from these files, plus the base alone. */
function models(r: Rendered): { label: string; model: Mapping; allowBindMounts: boolean }[] {
  const base = r.parsed['compose.yaml'];
  return [
    { label: 'compose.yaml', model: mergeCompose(base), allowBindMounts: false },
    { label: 'compose.yaml + compose.override.yaml', model: mergeCompose(base, r.parsed['compose.override.yaml']), allowBindMounts: true },
    { label: 'compose.yaml + compose.test.yaml', model: mergeCompose(base, r.parsed['compose.test.yaml']), allowBindMounts: false },
    { label: 'compose.yaml + compose.prod.yaml', model: mergeCompose(base, r.parsed['compose.prod.yaml']), allowBindMounts: false },
  ];
}

// ---------------------------------------------------------------------------------------------

describe('compose merge helper (compose-spec merge rules, as compose-go applies them)', () => {
  const merge = (base: string, ...overrides: string[]) => mergeCompose(parseCompose(base), ...overrides.map((o) => parseCompose(o)));

  it('merges mappings recursively and lets later scalars win', () => {
    expect(merge('services: {foo: {key1: value1, key2: value2}}', 'services: {foo: {key2: VALUE, key3: value3}}')).toEqual({
      services: { foo: { key1: 'value1', key2: 'VALUE', key3: 'value3' } },
    });
  });

  it('appends sequences, and replaces command, entrypoint and healthcheck.test', () => {
    const m = merge(
      'services: {foo: {dns: [1.1.1.1], command: [echo, foo], entrypoint: [a], healthcheck: {test: [CMD, a], interval: 5s}}}',
      'services: {foo: {dns: [8.8.8.8], command: [echo, bar], entrypoint: [b], healthcheck: {test: [CMD, b]}}}',
    );
    expect(m).toEqual({ services: { foo: { dns: ['1.1.1.1', '8.8.8.8'], command: ['echo', 'bar'], entrypoint: ['b'], healthcheck: { test: ['CMD', 'b'], interval: '5s' } } } });
  });

  it('merges environment by key across the list and mapping forms', () => {
    const m = merge('services: {foo: {environment: [A=1, B=2]}}', 'services: {foo: {environment: {B: 3, C: null}}}');
    expect(environmentOf((m.services as Record<string, Mapping>).foo as Mapping)).toEqual({ A: '1', B: '3', C: null });
  });

  it('keeps ports, volumes, secrets and tmpfs unique by their key', () => {
    const m = merge(
      'services: {foo: {ports: ["127.0.0.1:80:80"], volumes: ["foo:/work"], secrets: [a], tmpfs: ["/tmp:size=1m"]}}',
      'services: {foo: {ports: ["127.0.0.1:80:80", "127.0.0.1:81:81"], volumes: ["bar:/work", "baz:/other"], secrets: [a, {source: b, target: /run/secrets/b}], tmpfs: ["/tmp:size=1m", "/run"]}}',
    );
    expect((m.services as Record<string, Mapping>).foo).toEqual({
      ports: ['127.0.0.1:80:80', '127.0.0.1:81:81'],
      volumes: ['bar:/work', 'baz:/other'],
      secrets: ['a', { source: 'b', target: '/run/secrets/b' }],
      tmpfs: ['/tmp:size=1m', '/run'],
    });
  });

  it('removes what !reset names and replaces what !override names', () => {
    const m = merge(
      'services: {app: {image: myapp, ports: ["8080:80"], environment: {FOO: BAR}, volumes: [a:/a]}}',
      'services: {app: {ports: !reset [], volumes: !override [b:/b], environment: {FOO: !reset null}}}',
    );
    expect((m.services as Record<string, Mapping>).app).toEqual({ image: 'myapp', volumes: ['b:/b'], environment: [] });
    expect(merge('services: {app: {image: a, build: .}}', 'services: {app: {build: !reset null}}')).toEqual({ services: { app: { image: 'a' } } });
    expect(merge('services: {app: {cpus: 1}}', 'services: {app: {cpus: !override 2}}')).toEqual({ services: { app: { cpus: 2 } } });
  });

  it('merges depends_on and networks between their list and mapping forms', () => {
    const m = merge('services: {app: {depends_on: [db], networks: [front]}}', 'services: {app: {depends_on: {db: {condition: service_healthy}}, networks: {back: {}}}}');
    expect((m.services as Record<string, Mapping>).app).toEqual({
      depends_on: { db: { condition: 'service_healthy', required: true } },
      networks: { front: null, back: {} },
    });
  });

  it('merges logging options only when the driver stays the same', () => {
    const same = merge('services: {a: {logging: {driver: json-file, options: {max-size: 1m}}}}', 'services: {a: {logging: {options: {max-file: "3"}}}}');
    expect((same.services as Record<string, Mapping>).a).toEqual({ logging: { driver: 'json-file', options: { 'max-size': '1m', 'max-file': '3' } } });
    const other = merge('services: {a: {logging: {driver: json-file, options: {max-size: 1m}}}}', 'services: {a: {logging: {driver: local}}}');
    expect((other.services as Record<string, Mapping>).a).toEqual({ logging: { driver: 'local' } });
  });

  it('parses the tags into markers, untags for the schema, and refuses unknown tags and duplicate keys', () => {
    const parsed = parseCompose('a: !reset []\nb: !override {x: 1}\nc: !reset null\nd: [1, !reset 2]\n') as Record<string, Yaml>;
    expect(parsed.a).toBeInstanceOf(Reset);
    expect(parsed.b).toEqual(new Override({ x: 1 }));
    expect(untag(parsed)).toEqual({ b: { x: 1 }, d: [1] });
    expect(() => parseCompose('a: !custom 1\n')).toThrow(/custom/);
    expect(() => parseCompose('a: 1\na: 2\n')).toThrow(/unique|duplicate/i);
  });
});

// ---------------------------------------------------------------------------------------------

describe('compose schema', () => {
  it('is the vendored upstream file recorded in schemas/README.md', () => {
    const schema = readFileSync(resolve(repoRoot, 'schemas/compose-spec.json'));
    const readme = readFileSync(resolve(repoRoot, 'schemas/README.md'), 'utf8');
    expect(readme).toContain(createHash('sha256').update(schema).digest('hex'));
    expect(readme).toMatch(/Apache-2\.0/);
    expect(readme).toMatch(/\b[0-9a-f]{40}\b/);
  });

  it('rejects what Compose rejects (so a pass means something)', () => {
    expect(schemaErrors({ services: { a: { image: 'x', read_only: true } } })).toEqual([]);
    expect(schemaErrors({ services: { a: { imag: 'x' } } })).not.toEqual([]);
    expect(schemaErrors({ services: { a: { image: 'x', deploy: { resources: { limits: { memory: 256 } } } } } })).not.toEqual([]);
    expect(schemaErrors({ services: { a: { image: 'x', build: null } } })).not.toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------

const answerSets: { label: string; flags: Flags }[] = [
  ...combinations().map((c) => ({ label: `${c.language} ${c.languageVersion} ${c.base}`, flags: { ...c } as Flags })),
  { label: 'app secrets, no backing service', flags: { secrets: ['API_KEY', 'DATABASE_URL'] } },
  { label: 'postgres', flags: { services: ['postgres'] } },
  { label: 'redis', flags: { services: ['redis'] } },
  { label: 'mongo', flags: { services: ['mongo'] } },
  { label: 'all three services with secrets', flags: { services: ['postgres', 'redis', 'mongo'], secrets: ['API_KEY'] } },
  { label: 'all three services, no app secret, python', flags: { language: 'python', services: ['mongo', 'redis', 'postgres'] } },
  { label: 'custom networks', flags: { networks: ['edge', 'internal-api'], services: ['redis'], cpu: 2, memory: '1G' } },
  // YAML 1.1 reads these as booleans and null: they must stay strings in every file.
  { label: 'YAML-ambiguous names', flags: { name: 'null', networks: ['yes', 'on', 'n'], port: 8443, services: ['postgres'], secrets: ['TOKEN'] } },
  { label: 'go on scratch with postgres', flags: { language: 'go', base: 'scratch', services: ['postgres'], secrets: ['SIGNING_KEY'] } },
  { label: 'java with all services', flags: { language: 'java', services: ['postgres', 'redis', 'mongo'] } },
];

describe.each(answerSets)('compose files for $label', ({ flags }) => {
  it('parse, validate against the compose-spec schema alone and merged, and hold C01-C11 on every model', async () => {
    const r = await renderCompose(flags);
    for (const f of files) {
      expect(r.text[f], f).not.toMatch(/^version:/m);
      expect(schemaErrors(untag(r.parsed[f])), f).toEqual([]);
    }
    for (const { label, model, allowBindMounts } of models(r)) {
      expect(schemaErrors(model), label).toEqual([]);
      expect(composeViolations(model, r.ctx, { allowBindMounts }), label).toEqual([]);
    }
  });

  it('keeps each override to its job', async () => {
    const r = await renderCompose(flags);
    const [, dev, test, prod] = models(r).map((m) => m.model);
    const app = r.ctx.a.name;
    const service = (m: Mapping | undefined, name: string) => Object.fromEntries(servicesOf(m ?? {}))[name] ?? {};

    // Development: the only bind mounts are the app's sources, read-only, never the project folder.
    const binds = servicesOf(dev ?? {}).flatMap(([name, s]) => ((s.volumes ?? []) as Yaml[]).map((v) => ({ name, ...mountOf(untag(v)) }))).filter((m) => m.type === 'bind');
    for (const b of binds) {
      expect(b.name).toBe(app);
      expect(b.readOnly).toBe(true);
      expect(b.source).toMatch(/^\.\/[a-z][\w.-]*$/);
      expect(r.ctx.a.sources.map((s) => `./${s}`)).toContain(b.source);
    }
    if (binds.length === 0) expect(service(dev, app).develop).toBeDefined();

    // Test: its own project name, and no backing service keeps data in a named volume.
    expect(test?.name).toBe(`${app}-test`);
    for (const s of r.ctx.services) {
      const mounts = ((service(test, s.name).volumes ?? []) as Yaml[]).map((v) => mountOf(untag(v)));
      expect(mounts.filter((m) => m.type === 'volume'), s.name).toEqual([]);
      expect(service(test, s.name).tmpfs, s.name).toBeDefined();
    }

    // Production: the image by digest from the environment, no build, bounded logs, no swap.
    expect(service(prod, app).image).toMatch(/^\$\{IMAGE:\?[^}]+\}$/);
    expect(service(prod, app).build).toBeUndefined();
    for (const [name, s] of servicesOf(prod ?? {})) {
      expect((s.logging as Mapping | undefined)?.options, name).toMatchObject({ 'max-size': expect.any(String), 'max-file': expect.any(String) });
      const limits = ((s.deploy as Mapping).resources as Mapping).limits as Mapping;
      expect(s.memswap_limit, name).toBe(limits.memory);
    }
  });

  it('gives every hardening line a rule ID, on the line or in the comment just above it', async () => {
    const r = await renderCompose(flags);
    for (const f of files) expect(uncommentedHardening(r.text[f]), f).toEqual([]);
  });
});

/**
 * Lines setting a hardening attribute whose nearest comment (trailing, or the comment block above
 * it among its siblings) names no rule ID.
 */
function uncommentedHardening(text: string): string[] {
  const hardening = /^( {4}|)(read_only|tmpfs|cap_drop|cap_add|security_opt|privileged|user|init|ports|networks|internal|deploy|pids_limit|memswap_limit|restart|healthcheck|depends_on|secrets|env_file|logging|network_mode|pid|ipc):/;
  const lines = text.split('\n');
  const missing: string[] = [];
  lines.forEach((line, i) => {
    const m = hardening.exec(line);
    if (!m) return;
    if (/#.*\b[A-Z]\d\d\b/.test(line)) return;
    const indent = (m[1] ?? '').length;
    for (let j = i - 1; j >= 0; j--) {
      const above = lines[j] ?? '';
      const aboveIndent = above.length - above.trimStart().length;
      if (above.trim() === '' || aboveIndent < indent) break;
      if (aboveIndent > indent) continue;
      if (above.trimStart().startsWith('#')) {
        let k = j;
        const block: string[] = [];
        while (k >= 0 && (lines[k] ?? '').trimStart().startsWith('#')) block.push(lines[k--] ?? '');
        if (block.some((c) => /\b[A-Z]\d\d\b/.test(c))) return;
        break;
      }
    }
    missing.push(`${i + 1}: ${line.trim()}`);
  });
  return missing;
}

// ---------------------------------------------------------------------------------------------

describe('the rule checker catches what an override could loosen', () => {
  it('reports each breach, whether merged in silently or through !reset/!override', async () => {
    const r = await renderCompose({ services: ['postgres', 'redis'], secrets: ['API_KEY'] });
    const evil = parseCompose(`
services:
  my-svc:
    ports: ["3000:3000"]
    privileged: true
    cap_add: [NET_ADMIN]
    read_only: false
    user: "0:0"
    environment: {API_KEY: hunter2}
    volumes: ["/var/run/docker.sock:/var/run/docker.sock"]
    restart: always
    init: !reset null
    healthcheck: {test: [CMD-SHELL, "curl -f localhost"]}
    depends_on: !override [postgres]
    pid: host
  postgres:
    security_opt: !reset []
    cap_drop: !override [CHOWN]
    ports: ["127.0.0.1:5432:5432"]
    image: postgres:latest
    networks: [data, frontend]
    pids_limit: 4096
  redis:
    deploy: {resources: {limits: {pids: !reset null}}}
    network_mode: host
networks:
  data: {internal: false}
`);
    const found = composeViolations(mergeCompose(r.parsed['compose.yaml'], evil), r.ctx, { allowBindMounts: false }).join('\n');
    for (const expected of [
      /C04 my-svc: port "3000:3000"/,
      /C03 my-svc: privileged/,
      /C02 my-svc: cap_add/,
      /C01 my-svc: read_only/,
      /C11 my-svc: user "0:0"/,
      /C07 my-svc: literal secret in environment: API_KEY/,
      /C10 my-svc: bind mount \/var\/run\/docker.sock/,
      /C10 my-svc: docker.sock mounted/,
      /C10 my-svc: pid: host/,
      /C09 my-svc: restart "always"/,
      /C09 my-svc: healthcheck/,
      /C09 my-svc: does not wait for postgres/,
      /D10 my-svc: init/,
      /C03 postgres: security_opt lacks/,
      /C02 postgres: cap_drop does not include ALL/,
      /C04 postgres: a backing service publishes/,
      /C08 postgres: image postgres:latest/,
      /C05 postgres: networks/,
      /C06 postgres: pids_limit differs/,
      /C06 redis: no PIDs limit/,
      /C05 redis: network_mode host/,
      /C05 network data: not internal/,
    ]) {
      expect(found).toMatch(expected);
    }
  });

  it('allows the development bind mount only where asked, and only read-only', async () => {
    const r = await renderCompose({ language: 'node' });
    const dev = mergeCompose(r.parsed['compose.yaml'], r.parsed['compose.override.yaml']);
    expect(composeViolations(dev, r.ctx, { allowBindMounts: true })).toEqual([]);
    expect(composeViolations(dev, r.ctx, { allowBindMounts: false }).join('\n')).toMatch(/C10 my-svc: bind mount .\/src:\/app\/src outside the development override/);
    const writable = mergeCompose(r.parsed['compose.yaml'], parseCompose('services: {my-svc: {volumes: [{type: bind, source: ./secrets, target: /s}]}}'));
    const found = composeViolations(writable, r.ctx, { allowBindMounts: true }).join('\n');
    expect(found).toMatch(/C10 my-svc: bind mount .\/secrets:\/s is writable/);
    expect(found).toMatch(/C10 my-svc: sensitive host path .\/secrets/);
  });
});

// ---------------------------------------------------------------------------------------------

describe('compose and the image agree', () => {
  it('uses the Dockerfile HEALTHCHECK command as the app health check, for every language with a Dockerfile', async () => {
    const set = await templates();
    const withDockerfile = combinations().filter((c) => set.has(`languages/${c.language}/Dockerfile.ejs`));
    expect(withDockerfile.length).toBeGreaterThan(0);
    for (const c of withDockerfile) {
      const tree = await render({ ...c }, ['docker', 'compose']);
      const line = /^HEALTHCHECK (.*?)\bCMD (\[.*\])\s*$/m.exec(fileOf(tree, 'Dockerfile'));
      expect(line, `${c.language} ${c.base}: exec-form HEALTHCHECK`).not.toBeNull();
      const flag = (name: string) => new RegExp(`--${name}=(\\S+)`).exec(line?.[1] ?? '')?.[1];
      const compose = untag(parseCompose(fileOf(tree, 'compose.yaml'))) as Mapping;
      const health = (Object.fromEntries(servicesOf(compose))['my-svc'] as Mapping).healthcheck as Mapping;
      expect(health, `${c.language} ${c.base}`).toEqual({
        test: ['CMD', ...(JSON.parse(line?.[2] ?? '[]') as string[])],
        interval: flag('interval'),
        timeout: flag('timeout'),
        start_period: flag('start-period'),
        retries: Number(flag('retries')),
      });
    }
  });

  it('bind-mounts in development a file or folder the app part writes, where the Dockerfile copies it', async () => {
    const set = await templates();
    const checked = combinations().filter((c) => set.has(`languages/${c.language}/Dockerfile.ejs`) && [...set.keys()].some((t) => t.startsWith(`languages/${c.language}/app/`)));
    expect(checked.length).toBeGreaterThan(0);
    for (const c of checked) {
      const tree = await render({ ...c }, ['app', 'docker', 'compose']);
      const dev = untag(parseCompose(fileOf(tree, 'compose.override.yaml'))) as Mapping;
      const app = Object.fromEntries(servicesOf(dev))['my-svc'] as Mapping;
      for (const v of (app.volumes ?? []) as Yaml[]) {
        const m = mountOf(untag(v));
        const dir = (m.source ?? '').replace(/^\.\//, '');
        expect([...tree.keys()].some((p) => p === dir || p.startsWith(`${dir}/`)), `${c.language}: the app part writes ${dir}`).toBe(true);
        const dockerfile = fileOf(tree, 'Dockerfile');
        const workdir = [...dockerfile.matchAll(/^WORKDIR (\S+)$/gm)].at(-1)?.[1] ?? '/';
        const copied = [...dockerfile.matchAll(/^COPY (?:--\S+ )*(\S+) (\S+)$/gm)].some(
          ([, src, dest]) => src?.replace(/\/$/, '') === dir && resolve(workdir, dest ?? '') === m.target,
        );
        expect(copied, `${c.language}: the Dockerfile copies ${dir} to ${m.target}`).toBe(true);
      }
    }
  });
});
