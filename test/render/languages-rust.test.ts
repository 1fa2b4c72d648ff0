import { spawnSync } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { basesOf, versionsOf } from '../../src/languages.js';
import { fileOf, render } from '../helpers/render.js';
import { assertHardened, exerciseSeed, freePort, writeTree } from './languages-checks.js';

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
      healthcheck: ['/app/server', 'healthcheck'],
      entrypoint: ['/app/server'],
    });
    const build = parsed.stages[0]!.instructions.map((i) => i.getTextContent()).join('\n');
    expect(build).toMatch(/COPY Cargo\.toml Cargo\.lock \.\/\nRUN --mount=type=cache,target=\/usr\/local\/cargo\/registry[^]*cargo fetch --locked/);
    expect(build).toMatch(/--mount=type=cache,target=\/src\/target,sharing=locked[^]*cargo build --release --locked/);
    expect(text).toContain('COPY --from=build /out/server /app/server');
    // musl (static) from the alpine toolchain everywhere but debian-slim, which gets a glibc build.
    expect(parsed.args.get('BUILD_IMAGE')).toMatch(base === 'debian-slim' ? /^rust:[\d.]+-slim-bookworm$/ : /^rust:[\d.]+-alpine[\d.]+$/);
    const certs = text.includes('COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt');
    expect(certs).toBe(base === 'scratch' || base === 'debian-slim');
  });
});

describe('rust seed app', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });

  it('builds with cargo --locked offline, serves the health path, passes its own health check and exits on SIGTERM', async () => {
    const port = await freePort();
    const tree = await render({ language: 'rust', name: 'pay-svc', port, healthPath: '/ready' }, ['app']);
    expect([...tree.keys()].sort()).toEqual(['Cargo.lock', 'Cargo.toml', 'src/main.rs']);
    const dir = await writeTree(tree);
    dirs.push(dir);

    // --locked fails if Cargo.lock would change, so this proves the rendered lockfile is the one cargo writes.
    const build = spawnSync('cargo', ['build', '--offline', '--locked', '--quiet'], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
    expect(build.stderr).toBe('');
    expect(build.status).toBe(0);

    const server = join(dir, 'target', 'debug', 'server');
    const run = await exerciseSeed(dir, [server], [server, 'healthcheck'], port, '/ready');
    expect(run.healthStatus).toBe(200);
    expect(run.healthBody).toBe('ok\n');
    expect(run.probeWhileUp).toBe(0);
    expect(run.stopResult).toBe(0);
    expect(run.probeAfterStop).toBe(1);
    expect(run.output).toContain(`listening on ${port}`);
  }, 150_000);
});
