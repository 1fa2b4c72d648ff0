/**
 * End to end: pack the package as npm would publish it, install the tarball into a temporary
 * prefix, and run the installed CLI in temporary directories, with --yes and through its real
 * interactive prompts on a pseudo-terminal.
 */
import { execa } from 'execa';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256 } from '../../src/manifest.js';
import { repoRoot } from '../helpers/render.js';

let work: string;
let bin: string;
let home: string;
let packedFiles: string[];
let installedManifest: { dependencies?: Record<string, string>; bin?: Record<string, string>; scripts?: Record<string, string> };

/** A clean environment: no user git config or keys leak in, colour off, no CI-specific behaviour. */
function env(extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: process.env.PATH ?? '', HOME: home, GIT_CONFIG_GLOBAL: join(home, '.gitconfig'), GIT_CONFIG_NOSYSTEM: '1', NO_COLOR: '1', LANG: 'C.UTF-8', ...extra };
}

function cli(args: string[], cwd: string, extra: Record<string, string> = {}, program = bin) {
  return execa(process.execPath, [program, ...args], { cwd, env: env(extra), extendEnv: false, reject: false, stdin: 'ignore' });
}

/** Every file under dir with its bytes, for before/after comparisons. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!existsSync(dir)) return out;
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[relative(dir, p)] = readFileSync(p, 'base64');
    }
  };
  walk(dir);
  return out;
}

function fresh(name: string): string {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'css-e2e-'));
  home = fresh('home');
  writeFileSync(join(home, '.gitconfig'), '[user]\n\tname = E2E\n\temail = e2e@example.com\n[init]\n\tdefaultBranch = main\n');
  // dist/ was built once by test/global-setup.ts; --ignore-scripts keeps pack from rebuilding it
  // while other test files run the CLI.
  const packed = await execa('npm', ['pack', '--ignore-scripts', '--pack-destination', work, '--json'], { cwd: repoRoot });
  const { filename, files } = (JSON.parse(packed.stdout) as { filename: string; files: { path: string }[] }[])[0]!;
  packedFiles = files.map((f) => f.path);
  const prefix = fresh('prefix');
  await execa('npm', ['install', '--offline', '--no-audit', '--no-fund', '--prefix', prefix, join(work, filename)], { cwd: prefix });
  bin = join(prefix, 'node_modules', 'create-secure-service', 'bin', 'create-secure-service.cjs');
  expect(existsSync(join(prefix, 'node_modules', '.bin', 'create-secure-service'))).toBe(true);
  installedManifest = JSON.parse(readFileSync(join(prefix, 'node_modules', 'create-secure-service', 'package.json'), 'utf8'));
}, 240_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the packed CLI', () => {
  it('is one package with no runtime dependencies, shipping the bundle, templates and licences', () => {
    expect(installedManifest.dependencies ?? {}).toEqual({});
    // No script npm runs at install time (npm 11 warns of each, and a security tool asks for none).
    expect(Object.keys(installedManifest.scripts ?? {}).filter((s) => ['preinstall', 'install', 'postinstall', 'prepare'].includes(s))).toEqual([]);
    expect(installedManifest.bin).toEqual({ 'create-secure-service': 'bin/create-secure-service.cjs' });
    expect(packedFiles).toContain('dist/index.cjs');
    expect(packedFiles).toContain('dist/quick.cjs');
    expect(packedFiles).toContain('dist/wrap-ansi.cjs'); // the prompts' line wrapper, required from dist/chunks/
    expect(packedFiles.filter((f) => /^dist\/chunks\/precompiled-templates-[\w-]+\.cjs$/.test(f))).toHaveLength(1);
    expect(packedFiles.filter((f) => f.startsWith('dist/') && !/\.(cjs|md)$/.test(f)), 'every module in dist/ is CommonJS').toEqual([]);
    expect(packedFiles).toContain('dist/THIRD-PARTY-NOTICES.md');
    expect(packedFiles).toContain('LICENSE');
    expect(packedFiles).toContain('templates/languages/node/Dockerfile.ejs');
    expect(packedFiles).toContain('templates/project/_gitignore.ejs');
    expect(packedFiles.filter((f) => f.startsWith('src/') || f.startsWith('test/'))).toEqual([]);
  });

  it('renders from the bundle alone: without ejs, and without reading templates/', async () => {
    const installed = dirname(dirname(bin));
    // Templates are compiled at build time (start-up time, issue #6); templates/ ships as their source.
    expect(readFileSync(join(installed, 'dist/THIRD-PARTY-NOTICES.md'), 'utf8')).not.toMatch(/^## ejs@/m);
    const bare = join(work, 'no-templates', 'create-secure-service');
    cpSync(installed, bare, { recursive: true });
    rmSync(join(bare, 'templates'), { recursive: true });
    const manifests: string[] = [];
    for (const [name, program] of [['with-templates', bin], ['without-templates', join(bare, 'bin', 'create-secure-service.cjs')]] as const) {
      const cwd = fresh(name);
      const result = await cli(['svc', '--yes', '--no-git', '--language', 'python', '--service', 'postgres', '--secret', 'API_KEY'], cwd, {}, program);
      expect(result.exitCode, result.stderr).toBe(0);
      // The manifest holds every rendered file's hash (secrets/ hold random passwords, not compared).
      manifests.push(readFileSync(join(cwd, 'svc', '.secure-service/manifest.json'), 'utf8'));
    }
    expect(manifests[1]).toBe(manifests[0]);
  });

  it('prints help and version', async () => {
    const help = await cli(['--help'], work);
    expect(help.exitCode).toBe(0);
    expect(help.stdout).toContain('create-secure-service [directory] [options]');
    expect(help.stdout).toContain('--language-version');
    const version = await cli(['--version'], work);
    expect(version.stdout.trim()).toBe(JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).version);
  });

  it('answers help from build-time text exactly as the full parser does', async () => {
    for (const command of ['create', 'check', 'add', 'update']) {
      const quick = await cli([command, '--help'], work);
      // --no-color makes the request too long for the fast path: this goes through parseCli.
      const parsed = await cli([command, '--help', '--no-color'], work);
      expect(quick.exitCode).toBe(0);
      expect(quick.stdout).toBe(parsed.stdout);
    }
    expect((await cli(['-v'], work)).stdout).toBe((await cli(['--version', '--no-color'], work)).stdout);
  });

  it('creates a complete project with --yes, and a second run changes nothing', async () => {
    const cwd = fresh('yes');
    const result = await cli(['my-svc', '--yes'], cwd);
    expect(result.stderr, result.stdout).not.toMatch(/unexpected error/);
    expect(result.exitCode).toBe(0);
    const root = join(cwd, 'my-svc');
    for (const path of ['Dockerfile', '.dockerignore', 'compose.yaml', 'compose.override.yaml', 'compose.test.yaml', 'compose.prod.yaml', 'deploy/nomad/my-svc.nomad.hcl', 'deploy/vault/my-svc.policy.hcl', 'SECURITY.md', '.gitignore', 'secrets/README.md', 'secrets/my-svc.env', 'my-svc.env.example', '.allowed_signers', 'scripts/verify-signatures.sh', 'scripts/build-image.sh', '.secure-service/manifest.json', 'package.json', 'src/server.js']) {
      expect(existsSync(join(root, path)), path).toBe(true);
    }
    expect(statSync(join(root, 'secrets')).mode & 0o777).toBe(0o700);
    expect(statSync(join(root, 'secrets/my-svc.env')).mode & 0o777).toBe(0o600);
    expect(statSync(join(root, 'scripts/build-image.sh')).mode & 0o111).not.toBe(0);
    expect(existsSync(join(root, '.git'))).toBe(true);
    // No SSH key in this HOME: signing is explained, not half-enabled.
    expect(result.stderr).toMatch(/signing: .*not found, so commit signing was NOT enabled/);
    const manifest = JSON.parse(readFileSync(join(root, '.secure-service/manifest.json'), 'utf8')) as { files: { path: string; sha256: string }[]; answers: { name: string } };
    expect(manifest.answers.name).toBe('my-svc');
    for (const f of manifest.files) expect(sha256(readFileSync(join(root, f.path))), f.path).toBe(f.sha256);
    expect(readdirSync(root).filter((n) => n.endsWith('.tmp') || n.endsWith('.lock'))).toEqual([]);

    const before = snapshot(root);
    const again = await cli(['my-svc', '--yes'], cwd);
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toMatch(/0 file\(s\) written/);
    expect(snapshot(root)).toEqual(before);
  });

  it('a generated file moved with git mv is not written again by add or by create run again: said, exit 0', async () => {
    const cwd = fresh('moved');
    expect((await cli(['svc', '--yes'], cwd)).exitCode).toBe(0);
    const root = join(cwd, 'svc');
    const git = (...args: string[]) => execa('git', args, { cwd: root, env: env(), extendEnv: false });
    await git('add', '-A');
    await git('commit', '-q', '--no-gpg-sign', '-m', 'generated');
    await git('mv', 'deploy/vault', 'vault');
    const status = (await git('status', '--porcelain')).stdout;
    expect(status).toBe('R  deploy/vault/svc.policy.hcl -> vault/svc.policy.hcl');
    for (const args of [['add', 'vault', '--yes'], ['.', '--yes']]) {
      const run = await cli(args, root);
      expect(run.exitCode, run.stderr).toBe(0);
      expect(run.stderr).toContain('warning: deploy/vault/svc.policy.hcl: not created again, as vault/svc.policy.hcl looks like it, moved there;');
      expect((await git('status', '--porcelain')).stdout).toBe(status);
    }
  });

  it('inside an existing repository (a monorepo) creates no nested repository, and says so', async () => {
    const mono = realpathSync(fresh('mono'));
    await execa('git', ['init', '-q'], { cwd: mono, env: env(), extendEnv: false });
    const r = await cli(['services/api', '--yes'], mono);
    expect(r.exitCode).toBe(0);
    expect(existsSync(join(mono, 'services', 'api', 'Dockerfile'))).toBe(true);
    expect(existsSync(join(mono, 'services', 'api', '.git'))).toBe(false);
    expect(r.stdout + r.stderr).toContain(`git: inside the repository at ${mono}; no new repository created`);
  });

  it('never overwrites a file the user owns: exit 1, nothing written', async () => {
    const cwd = fresh('conflict');
    const root = join(cwd, 'svc');
    mkdirSync(root);
    writeFileSync(join(root, 'Dockerfile'), 'FROM my-own-image:1\n');
    const before = snapshot(root);
    const result = await cli(['svc', '--yes'], cwd);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/error: 1 file\(s\) already exist with other content .*: Dockerfile; nothing was written/);
    expect(snapshot(root)).toEqual(before);
  });

  it('--dry-run prints the plan and writes nothing', async () => {
    const cwd = fresh('dry');
    const result = await cli(['svc', '--yes', '--dry-run', '--language', 'go'], cwd);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/create\s+Dockerfile/);
    expect(result.stdout).toMatch(/Nothing was written/);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('takes an answers file, and rejects unknown keys with a one-line error', async () => {
    const cwd = fresh('answers');
    writeFileSync(join(cwd, 'good.json'), JSON.stringify({ name: 'billing', language: 'python', secrets: ['STRIPE_KEY'], services: ['postgres'], signing: 'none' }));
    const good = await cli(['--answers', 'good.json', '--port', '8001'], cwd);
    expect(good.exitCode, good.stderr).toBe(0);
    const env = readFileSync(join(cwd, 'billing', 'billing.env.example'), 'utf8');
    expect(env).toMatch(/^STRIPE_KEY=$/m);
    expect(readFileSync(join(cwd, 'billing', 'Dockerfile'), 'utf8')).toMatch(/^EXPOSE 8001$/m);
    expect(existsSync(join(cwd, 'billing', 'secrets', 'postgres_password'))).toBe(true);
    // Read by the postgres user through a bind mount; the 0700 folder keeps others out.
    expect(statSync(join(cwd, 'billing', 'secrets', 'postgres_password')).mode & 0o777).toBe(0o644);
    expect(statSync(join(cwd, 'billing', 'secrets')).mode & 0o777).toBe(0o700);

    writeFileSync(join(cwd, 'bad.json'), JSON.stringify({ name: 'x', colour: 'red' }));
    const bad = await cli(['--answers', 'bad.json'], cwd);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/bad.json: unknown key "colour"; remove it/);
  });

  it('without a terminal and without --yes, fails fast and says how to run non-interactively', async () => {
    const cwd = fresh('notty');
    const result = await cli(['svc'], cwd);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/pass --yes .* or --answers <file>/);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('check finds nothing in a generated project, and reports a seed-style Dockerfile by rule and line', async () => {
    const cwd = fresh('check');
    expect((await cli(['svc', '--yes', '--no-git'], cwd)).exitCode).toBe(0);
    const root = join(cwd, 'svc');
    const clean = await cli(['check', root], cwd);
    expect(clean.stderr).toBe('');
    expect(clean.exitCode).toBe(0);
    expect(clean.stdout).toMatch(/^No findings in 9 file\(s\) checked\.$/m);
    writeFileSync(join(root, 'Dockerfile'), 'FROM python\nCOPY . .\nCMD python app.py\n');
    const bad = await cli(['check', root, '--format', 'json'], cwd);
    expect(bad.exitCode).toBe(1);
    const findings = (JSON.parse(bad.stdout) as { findings: { rule: string; file: string; line: number }[] }).findings;
    expect(findings).toContainEqual(expect.objectContaining({ rule: 'D01', file: 'Dockerfile', line: 1 }));
    expect(findings).toContainEqual(expect.objectContaining({ rule: 'D06', file: 'Dockerfile', line: 2 }));
    expect(findings).toContainEqual(expect.objectContaining({ rule: 'D10', file: 'Dockerfile', line: 3 }));
    expect((await cli(['check', root, '--format', 'sarif'], cwd)).stdout).toContain('"version": "2.1.0"');
    expect((await cli(['check', root, '--format', 'yaml'], cwd)).exitCode).toBe(2);
    // Compose files outside the subset yaml-subset.ts reads (an anchor, a syntax error) go to the
    // `yaml` library, loaded lazily: that path works in the bundle too.
    writeFileSync(join(root, 'compose.local.yaml'), 'services:\n  svc:\n    privileged: &on true\n');
    writeFileSync(join(root, 'compose.dev.yaml'), 'services:\n  svc:\n    ports: ["1:1"\n');
    const library = JSON.parse((await cli(['check', root, '--format', 'json'], cwd)).stdout) as { findings: { rule: string; file: string; line: number; message: string }[] };
    expect(library.findings).toContainEqual(expect.objectContaining({ rule: 'C03', file: 'compose.local.yaml', line: 3 }));
    expect(library.findings).toContainEqual(expect.objectContaining({ rule: 'F01', file: 'compose.dev.yaml', message: expect.stringMatching(/^does not parse as YAML: /) }));
  });

  it('create --yes and check leave stdin alone and never load node:fs/promises, nor check node:stream or the questions (start-up, issue #6)', async () => {
    // A structural fact rather than a timing: what Node loaded, and the files required, listed by the process itself at exit.
    const preload = join(work, 'loaded-modules.cjs');
    writeFileSync(preload, "process.on('exit', () => require('node:fs').writeFileSync(process.env.LOADED_LIST, [...process.moduleLoadList, ...Object.keys(require.cache)].join('\\n')));\n");
    const cwd = fresh('loaded');
    const loaded = async (args: string[]) => {
      const list = join(cwd, `loaded-${args[0]}.txt`);
      // An empty PATH: an installed validator (shellcheck, hadolint) would load execa, which reads stdin.
      const result = await execa(process.execPath, ['-r', preload, bin, ...args], { cwd, env: env({ LOADED_LIST: list, PATH: fresh('empty-path') }), extendEnv: false, reject: false, stdin: 'ignore' });
      expect(result.exitCode, result.stderr).toBe(0);
      return readFileSync(list, 'utf8').split('\n');
    };
    const created = await loaded(['svc', '--yes', '--no-git']);
    const checked = await loaded(['check', 'svc']);
    for (const modules of [created, checked]) {
      expect(modules).toContain('NativeModule internal/modules/cjs/loader'); // a real list, from this run's own file
      // process.stdin on /dev/null is a file stream, whose module loads fs/promises.
      expect(modules).not.toContain('NativeModule internal/fs/streams');
      expect(modules).not.toContain('NativeModule fs/promises');
    }
    // The prompts' paste-aware keyboard (a node:stream Readable) loads only when a question is asked.
    expect(checked).not.toContain('NativeModule stream');
    // `~/` in a git include is $HOME, as git reads it: node:os is not needed for that.
    expect(checked).not.toContain('NativeModule os');
    // The question registry, its parsers and the create command are a chunk of their own, which
    // only the commands that take answers load (scripts/build.mjs).
    const askChunk = (modules: string[]) => modules.filter((m) => /[\\/]dist[\\/]chunks[\\/]ask-[\w-]+\.cjs$/.test(m));
    expect(askChunk(created)).toHaveLength(1);
    expect(askChunk(checked)).toEqual([]);
  });

  it("the bundle uses the global process, never a copy of its properties made on load (start-up, issue #6)", () => {
    // rolldown's interop turns `import process from 'node:process'` into such a copy, per chunk.
    const chunks = readdirSync(join(repoRoot, 'dist/chunks')).map((f) => readFileSync(join(repoRoot, 'dist/chunks', f), 'utf8'));
    expect(chunks.join('\n')).toMatch(/process\.stdin/); // the prompts' chunks are there
    for (const text of chunks) expect(text).not.toMatch(/(\w+)=require\("node:process"\);\1=\w+\.__toESM\(\1/);
  });

  it('the real wrap-ansi is a file of its own, which no chunk compiles with the prompts (start-up, issue #6)', () => {
    // Its colour tables (color-name's "lightgray") and emoji expression cost every first question.
    const chunks = readdirSync(join(repoRoot, 'dist/chunks')).map((f) => readFileSync(join(repoRoot, 'dist/chunks', f), 'utf8'));
    expect(chunks.filter((text) => text.includes('require("../wrap-ansi.cjs")'))).toHaveLength(1);
    for (const text of chunks) expect(text).not.toContain('lightgray');
    expect(readFileSync(join(repoRoot, 'dist/wrap-ansi.cjs'), 'utf8')).toContain('lightgray');
  });

  it('update merges an upgrade into an edited project, with the bundled parsers', async () => {
    const cwd = fresh('update');
    expect((await cli(['svc', '--yes', '--no-git'], cwd)).exitCode).toBe(0);
    const root = join(cwd, 'svc');
    const manifestPath = join(root, '.secure-service/manifest.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { version: string; files: { id: string; path: string; sha256: string }[] };
    // As if version 0.0.1 had generated these files without one line each (base copy and file).
    for (const [id, line] of [['dockerfile', 'ENV NODE_ENV=production\n'], ['compose', '          pids: 256\n']] as const) {
      const entry = manifest.files.find((f) => f.id === id)!;
      const base = readFileSync(join(root, '.secure-service/base', id), 'utf8').replace(line, '');
      writeFileSync(join(root, '.secure-service/base', id), base);
      writeFileSync(join(root, entry.path), readFileSync(join(root, entry.path), 'utf8').replace(line, ''));
      entry.sha256 = sha256(base);
    }
    manifest.version = '0.0.1';
    writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
    const edit = (path: string, from: string, to: string) => writeFileSync(join(root, path), readFileSync(join(root, path), 'utf8').replace(from, to));
    edit('Dockerfile', 'EXPOSE 3000\n', 'EXPOSE 3000\nLABEL team="payments"\n');
    edit('compose.yaml', '    init: true\n', '    init: true\n    stop_grace_period: 5s\n');

    expect((await cli(['update', '--check'], root)).exitCode).toBe(1);
    const result = await cli(['update'], root);
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/merged +Dockerfile/);
    expect(result.stdout).toMatch(/merged +compose\.yaml/);
    expect(readFileSync(join(root, 'Dockerfile'), 'utf8')).toMatch(/ENV NODE_ENV=production\n[^]*LABEL team="payments"\n/);
    expect(readFileSync(join(root, 'compose.yaml'), 'utf8')).toMatch(/stop_grace_period: 5s\n[^]*pids: 256\n/);
    expect((await cli(['update', '--check'], root)).exitCode).toBe(0);
  });
});

describe('the packed CLI on an existing repository', () => {
  it('add reads an existing compose file (parsers loaded lazily work in the bundle too)', async () => {
    const cwd = fresh('add-compose');
    writeFileSync(join(cwd, 'package.json'), JSON.stringify({ name: 'api', scripts: { start: 'node index.js' } }));
    writeFileSync(join(cwd, 'compose.yaml'), 'services:\n  api:\n    ports: ["8081:8081"]\n  db:\n    image: postgres:16\n');
    const result = await cli(['add', 'docker', '--yes', '--dry-run'], cwd);
    expect(result.stderr, result.stdout).not.toMatch(/unexpected error/);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/port\s+8081/);
  });
});

describe('the packed CLI on a real terminal', () => {
  const driver = join(repoRoot, 'test/helpers/run-on-pty.py');
  const onPty = (steps: { expect: string; send: string }[], args: string[], cwd: string, options: string[] = []) =>
    execa('python3', [driver, JSON.stringify(steps), ...options, '--', process.execPath, bin, ...args], { cwd, env: env({ TERM: 'xterm-256color' }), extendEnv: false, reject: false });
  const down = '\u001b[B';
  const everyQuestion = [
    { expect: 'Service name', send: '\u0015orders\r' },
    { expect: 'Language', send: `${down}\r` }, // python
    { expect: 'Language version', send: '\r' },
    { expect: 'Final base image family', send: '\r' },
    { expect: 'Port the application listens on', send: '\r' },
    { expect: 'HTTP health-check path', send: '\r' },
    { expect: 'Start command', send: '\r' },
    { expect: 'Secrets the app reads', send: 'API_TOKEN\r' },
    { expect: 'Backing services', send: ` ${down}${down}\r` }, // postgres
    { expect: 'Networks the app joins', send: '\r' },
    { expect: 'CPU limit', send: '\r' },
    { expect: 'Memory limit', send: '\u0015512M\r' },
    { expect: 'Nomad datacenter', send: '\r' },
    { expect: 'Vault KV secrets engine version', send: '\r' },
    { expect: 'Vault KV mount path', send: '\r' },
    { expect: 'Vault role', send: '\r' },
    { expect: 'Commit signing', send: `${down}${down}\r` }, // none
    { expect: 'Source repository URL', send: 'https://example.com/acme/orders\r' },
  ];

  it('--no-color reaches the prompts and the steps: no colour or style codes at all, where there are some without it', async () => {
    const withColor = (args: string[], steps: { expect: string; send: string }[], cwd: string) => {
      const { NO_COLOR: _, ...rest } = env({ TERM: 'xterm-256color' });
      return execa('python3', [driver, JSON.stringify(steps), '--', process.execPath, bin, ...args], { cwd, env: rest, extendEnv: false, reject: false }).then((r) => JSON.parse(r.stdout) as { exitCode: number; styleCodes: number; transcript: string });
    };
    const cwd = fresh('no-color');
    const ask = [{ expect: 'Service name', send: '\r' }, { expect: 'Language', send: '\u0003' }];
    expect((await withColor(['svc'], ask, cwd)).styleCodes).toBeGreaterThan(0);
    const plainPrompt = await withColor(['svc', '--no-color'], ask, cwd);
    expect(plainPrompt.exitCode, plainPrompt.transcript).toBe(130);
    expect(plainPrompt.styleCodes).toBe(0);
    expect((await withColor(['one', '--yes', '--no-git'], [], cwd)).styleCodes).toBeGreaterThan(0);
    const plainRun = await withColor(['two', '--yes', '--no-git', '--no-color'], [], cwd);
    expect(plainRun.exitCode, plainRun.transcript).toBe(0);
    expect(plainRun.styleCodes).toBe(0);
    // FORCE_COLOR=0 and TERM=dumb turn the prompts' colours off (Node's hasColors), and ours with them.
    for (const extra of [{ FORCE_COLOR: '0' }, { TERM: 'dumb' }] as Record<string, string>[]) {
      const { NO_COLOR: _, ...rest } = env({ TERM: 'xterm-256color', ...extra });
      const run = await execa('python3', [driver, '[]', '--', process.execPath, bin, 'check', join(cwd, 'one')], { cwd, env: rest, extendEnv: false, reject: false }).then((r) => JSON.parse(r.stdout) as { exitCode: number; styleCodes: number; transcript: string });
      expect(run.transcript, JSON.stringify(extra)).toMatch(/No findings/);
      expect(run.styleCodes, JSON.stringify(extra)).toBe(0);
    }
  });

  it('asks every unanswered question and writes what was answered', async () => {
    const cwd = fresh('pty');
    // --port is given as a flag, so it is not asked: replace its step.
    const withoutPort = everyQuestion.filter((s) => !s.expect.startsWith('Port'));
    const result = await onPty(withoutPort, ['--port', '8123'], cwd);
    const report = JSON.parse(result.stdout) as { exitCode: number; transcript: string; failedStep: number | null };
    expect(report.failedStep, report.transcript).toBeNull();
    expect(report.exitCode, report.transcript).toBe(0);
    const manifest = JSON.parse(readFileSync(join(cwd, 'orders', '.secure-service', 'manifest.json'), 'utf8')) as { answers: Record<string, unknown> };
    expect(manifest.answers).toMatchObject({ name: 'orders', language: 'python', port: 8123, secrets: ['API_TOKEN'], services: ['postgres'], memory: 512, signing: 'none', sourceUrl: 'https://example.com/acme/orders' });
    expect(report.transcript).not.toMatch(/Port the application listens on/);
  });

  it('Ctrl-C at a prompt exits 130 and writes nothing', async () => {
    const cwd = fresh('ctrlc');
    const result = await onPty([{ expect: 'Service name', send: 'half' }, { expect: 'half', send: '\u0003' }], [], cwd);
    const report = JSON.parse(result.stdout) as { exitCode: number; transcript: string; failedStep: number | null };
    expect(report.failedStep, report.transcript).toBeNull();
    expect(report.exitCode, report.transcript).toBe(130);
    expect(report.transcript).toMatch(/interrupted; nothing was written/);
    expect(readdirSync(cwd)).toEqual([]);
  });

  // `script` without a terminal of its own (CI wrappers, coding agents) makes a pty that reports
  // 0 columns; ora divided by that width and cleared lines forever after the files were written.
  it('on a terminal that reports no size, asks, writes, ends each step with one line and exits', async () => {
    const cwd = fresh('pty-no-size');
    const result = await onPty(everyQuestion, [], cwd, ['--size', '0x0', '--max-bytes', '1000000', '--exit-timeout', '20']);
    const report = JSON.parse(result.stdout) as { exitCode: number; transcript: string; failedStep: number | null; killed: string | null };
    expect(report.failedStep, report.transcript.slice(0, 4000)).toBeNull();
    expect(report.killed, report.transcript.slice(-4000)).toBeNull();
    expect(report.exitCode, report.transcript.slice(-4000)).toBe(0);
    expect(existsSync(join(cwd, 'orders', '.secure-service', 'manifest.json'))).toBe(true);
    expect(report.transcript.match(/Initialising git/g)).toEqual(['Initialising git']);
    expect(report.transcript).toMatch(/✔ Initialising git/);
  });
});
