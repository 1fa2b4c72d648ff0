import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { basesOf, versionsOf } from '../../src/languages.js';
import { goBinary, goEnv } from '../helpers/go.js';
import { fileOf, render, repoRoot } from '../helpers/render.js';
import { assertHardened, exerciseSeed, expectHealthySeed, expectProbeVerdicts, freePort, removedAfterAll, writeTree } from './languages-checks.js';

const combos = versionsOf('go').flatMap((languageVersion) => basesOf('go', languageVersion).map((base) => ({ languageVersion, base })));

describe('go Dockerfile', () => {
  it('is offered on scratch, distroless, alpine and debian-slim, scratch first', () => {
    for (const languageVersion of versionsOf('go')) expect(basesOf('go', languageVersion)).toEqual(['scratch', 'distroless', 'alpine', 'debian-slim']);
  });

  it.each(combos)('$languageVersion on $base passes the structural D-rules', async ({ languageVersion, base }) => {
    const tree = await render({ language: 'go', languageVersion, base, port: 9090 }, ['docker', 'app']);
    const text = fileOf(tree, 'Dockerfile');
    const parsed = assertHardened(text, {
      language: 'go', languageVersion, base, port: 9090,
      healthcheck: ['/app/healthcheck'],
      entrypoint: ['/app/server'],
    });
    const build = parsed.stages[0]!.instructions.map((i) => i.getTextContent()).join('\n');
    // D03: a static, trimmed binary; modules fetched with a cache mount before the sources arrive.
    expect(build).toMatch(/CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o \/out\/server \./);
    expect(build).toMatch(/COPY go\.mod go\.sum\* \.\/\nRUN --mount=type=cache,target=\/go\/pkg\/mod go mod download/);
    expect(build).toMatch(/^COPY \*\.go \.\/$/m);
    expect(text).toContain('COPY --from=build /out/server /out/healthcheck /app/');
    // The probe: its own program, built from its one file after the app (*.go copies it).
    expect(build).toMatch(/\nRUN --mount=type=cache,target=\/root\/\.cache\/go-build \\\n {4}CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o \/out\/healthcheck healthcheck\.go$/);
    // scratch has no CA bundle and debian-slim no ca-certificates package: both get the builder's.
    const certs = text.includes('COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt');
    expect(certs).toBe(base === 'scratch' || base === 'debian-slim');
  });

  it('renders go.mod with a module path that cannot collide with the standard library', async () => {
    const tree = await render({ language: 'go', name: 'log' }, ['app']);
    expect([...tree.keys()].sort()).toEqual(['go.mod', 'go.sum', 'main.go']);
    // An empty go.sum (a module without dependencies) so the Dockerfile's go.sum COPY always has a file.
    expect(fileOf(tree, 'go.sum')).toBe('');
    const plain = fileOf(tree, 'go.mod');
    expect(plain).toMatch(/^module "example\/log"$/m);
    expect(plain).toMatch(/^go 1\.25$/m);
    const fromSource = fileOf(await render({ language: 'go', sourceUrl: 'https://github.com/acme/pay-svc.git' }, ['app']), 'go.mod');
    expect(fromSource).toMatch(/^module "github\.com\/acme\/pay-svc"$/m);
  });

  it('renders a main.go with the port and health path, and a probe kept out of its package', async () => {
    const tree = await render({ language: 'go', port: 9090, healthPath: '/livez' }, ['app', 'docker']);
    const main = fileOf(tree, 'main.go');
    expect(main).toMatch(/^\tport\s+= 9090$/m);
    expect(main).toMatch(/^\thealthPath = "\/livez"$/m);
    // The probe is its own program now: no health mode in the app.
    expect(main).not.toMatch(/flag\.|-healthcheck|checkHealth/);
    const probe = fileOf(tree, 'healthcheck.go');
    // The first line, before the package clause: "go build ." and "go build ./..." leave it out.
    expect(probe.split('\n')[0]).toBe('//go:build ignore');
    expect(probe).toMatch(/^const url = "http:\/\/127\.0\.0\.1:9090\/livez"$/m);
    expect(probe.split('\n').filter((l) => /^ +\S/.test(l))).toEqual([]);
    expect(main).toContain('signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)');
    // gofmt style: tabs for indentation, never leading spaces.
    expect(main.split('\n').filter((l) => /^ +\S/.test(l))).toEqual([]);
  });
});

describe('the structural checks', () => {
  it('reject a Dockerfile that breaks the rules', async () => {
    const good = fileOf(await render({ language: 'go', base: 'alpine' }, ['docker']), 'Dockerfile');
    const want = { language: 'go' as const, languageVersion: '1.25', base: 'alpine' as const, port: 8080, healthcheck: ['/app/healthcheck'], entrypoint: ['/app/server'] };
    expect(() => assertHardened(good, want)).not.toThrow();
    const broken: [string, string][] = [
      ['root user', good.replace(/^USER .*$/m, 'USER root')],
      ['ADD', good.replace('COPY --from=build /out/server /out/healthcheck /app/', 'ADD server /app/server')],
      ['shell-form ENTRYPOINT', good.replace(/^ENTRYPOINT .*$/m, 'ENTRYPOINT /app/server')],
      ['two health checks', good.replace(/^(HEALTHCHECK .*)$/m, '$1\n# D12: again\n$1')],
      ['latest tag', good.replace(/^ARG RUNTIME_IMAGE=.*$/m, 'ARG RUNTIME_IMAGE=alpine:latest')],
      ['COPY . . in the final stage', good.replace('COPY --from=build /out/server /out/healthcheck /app/', 'COPY . .')],
      ['no setuid strip', good.replace(/ \\\n && find \/ -xdev .*$/m, '')],
      ['uncommented hardening line', good.replace('# D11: an unprivileged port.\n', '')],
      ['relative WORKDIR', good.replace('WORKDIR /app', 'WORKDIR app')],
    ];
    for (const [what, text] of broken) {
      expect(text, what).not.toBe(good);
      expect(() => assertHardened(text, want), what).toThrow();
    }
  });
});

describe('go seed app and health probe', () => {
  const dirs = removedAfterAll();
  const go = goBinary();
  const env = goEnv();
  dirs.push(env.GOCACHE);
  /** The Dockerfile's own `go build` line for `out`, run in dir with the output at `to`. */
  const dockerfileBuild = (dockerfile: string, out: string, dir: string, to: string) => {
    const line = new RegExp(`go build (.*) -o /out/${out} (\\S+)$`, 'm').exec(dockerfile)!;
    // Words as the shell reads them: -ldflags="-s -w" is one.
    const words = (line[1]!.match(/(?:[^\s"]+|"[^"]*")+/g) ?? []).map((w) => w.replace(/"/g, ''));
    const args = ['build', ...words, '-o', to, line[2]!];
    return spawnSync(go, args, { cwd: dir, env, encoding: 'utf8', timeout: 120_000 });
  };

  it('builds as the Dockerfile does, vets and gofmts clean, serves the health path, passes its probe, and exits on SIGTERM', async () => {
    const port = await freePort();
    const tree = await render({ language: 'go', name: 'pay-svc', port, healthPath: '/ready' }, ['app', 'docker']);
    const dir = await writeTree(tree);
    dirs.push(dir);
    const dockerfile = fileOf(tree, 'Dockerfile');
    const server = join(dir, 'server-bin');
    const probe = join(dir, 'probe-bin');
    for (const [out, to] of [['server', server], ['healthcheck', probe]] as const) {
      const built = dockerfileBuild(dockerfile, out, dir, to);
      expect(built.stderr, out).toBe('');
      expect(built.status, out).toBe(0);
    }
    // The probe's "ignore" constraint keeps it out of the package: vet sees one main, and passes.
    const vet = spawnSync(go, ['vet', './...'], { cwd: dir, env, encoding: 'utf8' });
    expect(vet.stderr).toBe('');
    expect(vet.status).toBe(0);
    const gofmt = spawnSync(go === 'go' ? 'gofmt' : join(dirname(go), 'gofmt'), ['-l', '.'], { cwd: dir, env, encoding: 'utf8' });
    expect(gofmt.status, gofmt.stderr).toBe(0);
    expect(gofmt.stdout).toBe('');

    expectHealthySeed(await exerciseSeed(dir, [server], [probe], port, '/ready'), port);
  }, 150_000);

  it("beside an existing project's own main package, the app still builds and vets, and so does the probe", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'css-go-existing-'));
    dirs.push(dir);
    cpSync(join(repoRoot, 'test/fixtures/repos/go-inventory'), dir, { recursive: true });
    writeFileSync(join(dir, 'healthcheck.go'), fileOf(await render({ language: 'go', port: 8081 }, ['docker']), 'healthcheck.go'));
    for (const args of [['build', '-o', 'app-bin', '.'], ['build', '-o', 'probe-bin', 'healthcheck.go'], ['vet', './...']]) {
      const result = spawnSync(go, args, { cwd: dir, env, encoding: 'utf8', timeout: 120_000 });
      expect(result.status, `go ${args.join(' ')}: ${result.stderr}`).toBe(0);
    }
  }, 150_000);

  it('the probe works with any app: 0 for a 200 from another server, 1 for a 503, a redirect or a path it does not know', async () => {
    await expectProbeVerdicts(async (port, healthPath) => {
      const tree = await render({ language: 'go', port, healthPath }, ['docker', 'app']);
      const dir = await writeTree(tree, (path) => path === 'healthcheck.go' || path === 'go.mod');
      dirs.push(dir);
      const probe = join(dir, 'probe-bin');
      const built = dockerfileBuild(fileOf(tree, 'Dockerfile'), 'healthcheck', dir, probe);
      expect(built.status, built.stderr).toBe(0);
      return [probe];
    });
  }, 150_000);
});
