import { spawnSync } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectProject } from '../../src/add/detect/index.js';
import { basesOf, versionsOf } from '../../src/languages.js';
import type { FileTree } from '../../src/render/index.js';
import { runBuildStages } from '../helpers/dockerfile-build.js';
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
    // The manifests stage: the manifests and the named sources, every .rs file emptied, the rest removed.
    expect(parsed.stages.map((s) => s.name)).toEqual(['manifests', 'build', 'runtime']);
    const manifests = parsed.stages[0]!.instructions.map((i) => i.getTextContent()).join('\n');
    expect(manifests).toMatch(/COPY Cargo\.toml Cargo\.lock \.\/\nCOPY src \.\/src\nCOPY healthcheck\.rs \.\/healthcheck\.rs\nRUN find \. -type f ! -name Cargo\.toml ! -name Cargo\.lock ! -name '\*\.rs' -exec rm -f \{\} \+ \\\n && find \. -type f -name '\*\.rs' -exec sh -c 'for f do : > "\$f"; done' sh \{\} \+$/);
    const build = parsed.stages[1]!.instructions.map((i) => i.getTextContent()).join('\n');
    expect(build).toMatch(/^WORKDIR \/src\nCOPY --from=manifests \/src\/ \.\/\nRUN --mount=type=cache,target=\/usr\/local\/cargo\/registry[^]*cargo fetch --locked\nCOPY src/);
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

/** A Rust project as files, with its Cargo.lock written by cargo itself (offline: no dependencies to resolve). */
async function cargoProject(files: Record<string, string>): Promise<string> {
  const tree: FileTree = new Map(Object.entries(files).map(([path, content]) => [path, { path, content, mode: 0o644 }] as const)) as unknown as FileTree;
  const dir = await writeTree(tree);
  const lock = spawnSync('cargo', ['generate-lockfile', '--offline'], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
  expect(lock.status, lock.stderr).toBe(0);
  return dir;
}

describe('rust Dockerfile build stages, run step by step on this machine with only the files copied so far', () => {
  const dirs = removedAfterAll();
  const offline = { CARGO_NET_OFFLINE: 'true' };

  /** Runs the build stages of the Dockerfile `add docker` would write for the project in dir. */
  async function buildAsAdded(dir: string) {
    const detection = await detectProject(dir);
    const tree = await render({ ...detection.suggested }, ['docker']);
    // The build context: the project with the files add docker writes.
    const context = await writeTree(tree, (path) => path === 'Dockerfile' || path === '.dockerignore' || path === 'healthcheck.rs');
    spawnSync('cp', ['-R', `${dir}/.`, context]);
    dirs.push(context);
    const root = await mkdtemp(join(tmpdir(), 'css-stages-'));
    dirs.push(root);
    return { detection, dockerfile: fileOf(tree, 'Dockerfile'), steps: runBuildStages(fileOf(tree, 'Dockerfile'), context, root, offline), root };
  }

  const failed = (steps: { status: number; instruction: string; output: string }[]) => steps.filter((s) => s.status !== 0).map((s) => `${s.instruction}\n${s.output}`);

  it('a cargo new package (no [[bin]]: cargo finds src/main.rs): cargo fetch --locked and the build succeed', async () => {
    const dir = await cargoProject({
      'Cargo.toml': '[package]\nname = "r4"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\n',
      'src/main.rs': 'fn main() {\n    println!("Hello, world!");\n}\n',
    });
    dirs.push(dir);
    const { steps, dockerfile } = await buildAsAdded(dir);
    expect(failed(steps)).toEqual([]);
    expect(steps.some((s) => /cargo fetch --locked/.test(s.instruction))).toBe(true);
    expect(steps.at(-1)!.instruction).toMatch(/^RUN rustc /);
    expect(dockerfile).toContain('cp target/release/r4 /out/server');
  }, 300_000);

  it('a workspace with members under crates/ (a binary using a library by path): add finds the binary and the members, and the build succeeds', async () => {
    const dir = await cargoProject({
      'Cargo.toml': '[workspace]\nmembers = ["crates/*"]\nresolver = "2"\n',
      'crates/api/Cargo.toml': '[package]\nname = "api"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\ncore = { path = "../core" }\n',
      'crates/api/src/main.rs': 'fn main() {\n    println!("{}", core::answer());\n}\n',
      'crates/core/Cargo.toml': '[package]\nname = "core"\nversion = "0.1.0"\nedition = "2021"\n',
      'crates/core/src/lib.rs': 'pub fn answer() -> u32 {\n    42\n}\n',
    });
    dirs.push(dir);
    const { steps, detection, root } = await buildAsAdded(dir);
    expect(detection.suggested).toMatchObject({ language: 'rust', buildTarget: 'api', sources: ['crates'] });
    expect(failed(steps)).toEqual([]);
    expect(steps.at(-1)!.instruction).toMatch(/^RUN rustc /);
    const server = spawnSync(join(root, 'stage-1-build', 'out', 'server'), { encoding: 'utf8' });
    expect(server.stdout).toBe('42\n');
  }, 300_000);

  it('the seed create writes builds the same way', async () => {
    const tree = await render({ language: 'rust', name: 'pay-svc' }, ['app', 'docker']);
    const context = await writeTree(tree);
    const root = await mkdtemp(join(tmpdir(), 'css-stages-'));
    dirs.push(context, root);
    const steps = runBuildStages(fileOf(tree, 'Dockerfile'), context, root, offline);
    expect(failed(steps)).toEqual([]);
    expect(steps.at(-1)!.instruction).toMatch(/^RUN rustc /);
  }, 300_000);
});
