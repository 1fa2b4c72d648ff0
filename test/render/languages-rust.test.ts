import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { basesOf, versionsOf } from '../../src/languages.js';
import { fileOf, render } from '../helpers/render.js';
import { assertHardened, exerciseSeed, expectHealthySeed, expectProbeVerdicts, freePort, removedAfterAll, writeTree } from './languages-checks.js';

const combos = versionsOf('rust').flatMap((languageVersion) => basesOf('rust', languageVersion).map((base) => ({ languageVersion, base })));

describe('rust Dockerfile', () => {
  it('is offered on scratch, distroless, alpine and debian-slim, scratch first', () => {
    for (const languageVersion of versionsOf('rust')) expect(basesOf('rust', languageVersion)).toEqual(['scratch', 'distroless', 'alpine', 'debian-slim']);
  });

  it.each(combos)('$languageVersion on $base passes the structural D-rules', async ({ languageVersion, base }) => {
    const tree = await render({ language: 'rust', languageVersion, base, port: 9091 }, ['docker', 'app']);
    const text = fileOf(tree, 'Dockerfile');
    const parsed = assertHardened(text, {
      language: 'rust', languageVersion, base, port: 9091,
      healthcheck: ['/app/healthcheck'],
      entrypoint: ['/app/server'],
    });
    const build = parsed.stages[0]!.instructions.map((i) => i.getTextContent()).join('\n');
    expect(build).toMatch(/COPY Cargo\.toml Cargo\.lock \.\/\nRUN --mount=type=cache,target=\/usr\/local\/cargo\/registry[^]*cargo fetch --locked/);
    expect(build).toMatch(/--mount=type=cache,target=\/src\/target,sharing=locked[^]*cargo build --release --locked/);
    expect(text).toContain('COPY --from=build /out/server /out/healthcheck /app/');
    // The probe: its own program, built by rustc for the same target after the app.
    expect(build).toContain('COPY healthcheck.rs ./healthcheck.rs');
    expect(build).toMatch(/\nRUN rustc --edition 2021 -C opt-level=s -C strip=symbols -C panic=abort -o \/out\/healthcheck healthcheck\.rs$/);
    // musl (static) from the alpine toolchain everywhere but debian-slim, which gets a glibc build.
    expect(parsed.args.get('BUILD_IMAGE')).toMatch(base === 'debian-slim' ? /^rust:[\d.]+-slim-bookworm$/ : /^rust:[\d.]+-alpine[\d.]+$/);
    const certs = text.includes('COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt');
    expect(certs).toBe(base === 'scratch' || base === 'debian-slim');
  });
});

describe('rust seed app', () => {
  const dirs = removedAfterAll();

  it('builds with cargo --locked offline, serves the health path, passes the health probe rustc builds as the Dockerfile does, and exits on SIGTERM', async () => {
    const port = await freePort();
    const tree = await render({ language: 'rust', name: 'pay-svc', port, healthPath: '/ready' }, ['app', 'docker']);
    expect([...tree.keys()].filter((p) => !/^(Dockerfile|\.dockerignore|scripts\/)/.test(p)).sort()).toEqual(['Cargo.lock', 'Cargo.toml', 'healthcheck.rs', 'src/main.rs']);
    const dir = await writeTree(tree);
    dirs.push(dir);

    // --locked fails if Cargo.lock would change, so this proves the rendered lockfile is the one cargo writes.
    const build = spawnSync('cargo', ['build', '--offline', '--locked', '--quiet'], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
    expect(build.stderr).toBe('');
    expect(build.status).toBe(0);
    // The probe, with the Dockerfile's own rustc line (warnings would show in stderr).
    const probe = join(dir, 'probe-bin');
    const rustc = /^RUN (rustc .*)$/m.exec(fileOf(tree, 'Dockerfile'))![1]!.split(' ').map((w) => (w === '/out/healthcheck' ? probe : w));
    const probeBuild = spawnSync(rustc[0]!, rustc.slice(1), { cwd: dir, encoding: 'utf8', timeout: 120_000 });
    expect(probeBuild.stderr).toBe('');
    expect(probeBuild.status).toBe(0);

    const server = join(dir, 'target', 'debug', 'server');
    expectHealthySeed(await exerciseSeed(dir, [server], [probe], port, '/ready'), port);
  }, 150_000);

  it('the health probe works with any app: 0 for a 200 from another server, 1 for a 503, a redirect or a path it does not know', async () => {
    await expectProbeVerdicts(async (port, healthPath) => {
      const tree = await render({ language: 'rust', port, healthPath }, ['docker']);
      const dir = await writeTree(tree, (path) => path === 'healthcheck.rs');
      dirs.push(dir);
      const probe = join(dir, 'probe-bin');
      const built = spawnSync('rustc', ['--edition', '2021', '-C', 'opt-level=s', '-o', probe, 'healthcheck.rs'], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
      expect(built.status, built.stderr).toBe(0);
      return [probe];
    });
  }, 150_000);
});
