/**
 * `add` on copies of the fixture repositories, run in-process without a terminal: detection
 * reaches the answers, the hardened set passes the real parsers, every file the user had is
 * byte-for-byte unchanged (ignore files and SECURITY.md only gain a marked block), the manifest
 * records what was added, and a second run has nothing to do. Then the non-clobbering rules,
 * --overwrite, --dry-run, monorepo --dir and the command's errors.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copySources } from '../../src/add/layout.js';
import { compilePattern } from '../../src/check/docker-pattern.js';
import { markerLines } from '../../src/add/markers.js';
import { DockerIgnore } from '../../src/check/dockerignore.js';
import { runCheck } from '../../src/check/engine.js';
import { diskSource } from '../../src/check/source.js';
import { baseFileName, parseManifest, sha256 } from '../../src/manifest.js';
import { main } from '../../src/index.js';
import { captureOutput } from '../helpers/output.js';
import { copyFixture, hardenedSetProblems, isolateHome, readManifest, runAdd, snapshot } from './helpers.js';
import { caseFolders } from '../helpers/case-folders.js';

let work: string;
const fresh = caseFolders(() => work);
const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();

beforeAll(() => {
  isolateHome();
  work = mkdtempSync(join(tmpdir(), 'css-add-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Files `add` may change in a user's repository: only by appending one marked block. */
const blockFiles = ['.gitignore', '.dockerignore', 'SECURITY.md', '.allowed_signers'];

interface Case {
  fixture: string;
  expected: Record<string, unknown>;
  gitRepo: boolean;
  /** What the Dockerfile's COPY lines name but the project lacks (said in a note). */
  missing?: string[];
}

const cases: Case[] = [
  { fixture: 'node-express', expected: { name: 'orders-api', language: 'node', languageVersion: '22', port: 3000, start: 'node server.js', sources: ['server.js'], secrets: ['SESSION_SECRET', 'STRIPE_API_KEY'] }, gitRepo: true },
  { fixture: 'node-pnpm', expected: { name: 'stock-web', language: 'node', port: 3000, start: 'node src/index.js', sources: ['src'], packageManager: 'pnpm' }, gitRepo: true },
  { fixture: 'node-yarn-berry', expected: { name: 'quotes-api', language: 'node', port: 3000, start: 'node src/index.js', sources: ['src'], packageManager: 'yarn-berry' }, gitRepo: true },
  { fixture: 'flask-app', expected: { name: 'flask-app', language: 'python', languageVersion: '3.12', port: 5000, start: 'python app.py', sources: ['app.py'], secrets: ['DATABASE_URL'] }, gitRepo: false },
  { fixture: 'python-uv', expected: { name: 'ledger-api', language: 'python', languageVersion: '3.12', port: 8000, start: 'python -m ledger', sources: ['ledger'], packageManager: 'uv' }, gitRepo: true },
  { fixture: 'spring-catalog', expected: { name: 'catalog-service', language: 'java', languageVersion: '17', port: 8085, sources: ['src'], buildTarget: 'target/catalog-service-*.jar' }, gitRepo: true },
  { fixture: 'gradle-shipping', expected: { name: 'shipping', language: 'java', languageVersion: '21', port: 8086, sources: ['src'], packageManager: 'gradle', buildTarget: 'build/libs/shipping-*.jar' }, gitRepo: true },
  { fixture: 'dotnet-orders', expected: { name: 'orders-api', language: 'dotnet', languageVersion: '8.0', port: 5100, start: 'dotnet Orders.Api.dll', sources: ['*.cs', 'appsettings*.json'] }, gitRepo: true },
  { fixture: 'php-billing', expected: { name: 'billing', language: 'php', languageVersion: '8.4', port: 8090, services: ['postgres'], sources: ['public', 'src'], secrets: ['DB_PASSWORD', 'INVOICE_SIGNING_KEY'] }, gitRepo: true, missing: ['composer.lock'] },
];

describe('add all --yes on each fixture repository', () => {
  it.each(cases)('$fixture: detects, writes a valid hardened set, keeps every user file, and a second run has nothing to do', async ({ fixture, expected, gitRepo, missing = [] }) => {
    const root = copyFixture(fixture, fresh());
    if (gitRepo) git(root, 'init', '-q');
    const before = snapshot(root);

    const first = await runAdd(['all', '--yes', '--dir', root]);
    expect(first.err, first.out).not.toMatch(/error:/);
    expect(first.code).toBe(0);
    for (const key of Object.keys(expected)) expect(first.out).toMatch(new RegExp(`^  ${({ languageVersion: 'version', buildTarget: 'build', packageManager: 'package manager' } as Record<string, string>)[key] ?? key}\\s+.+from `, 'm'));

    const manifest = readManifest(root);
    expect(manifest.answers).toMatchObject(expected);
    const after = snapshot(root);
    for (const [path, bytes] of Object.entries(before)) {
      if (!blockFiles.includes(path)) {
        expect(after[path], `${path} changed`).toBe(bytes);
        continue;
      }
      // Only a block appended after the user's own bytes.
      const text = Buffer.from(after[path]!, 'base64').toString('utf8');
      expect(text.startsWith(Buffer.from(bytes, 'base64').toString('utf8')), path).toBe(true);
      expect(text).toMatch(/>>> create-secure-service:\w+ >>>/);
    }
    expect(existsSync(join(root, '.git'))).toBe(gitRepo); // add never runs git init

    expect(await hardenedSetProblems(root, manifest.answers)).toEqual([]);
    // The Dockerfile copies this project's own files: every COPY source is here but the ones noted.
    const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
    // (A pattern ending in * may match nothing on purpose, e.g. go.sum* or gradle.properties*.)
    const absent = copySources(dockerfile).filter((source) => !source.endsWith('*')).filter((source) => (source.includes('*') ? !readdirSync(root).some((f) => new RegExp(`^${source.replace(/\./g, '\\.').replace(/\*/g, '.*')}$`).test(f)) : !existsSync(join(root, source))));
    expect(absent).toEqual(missing);
    if (missing.length > 0) expect(first.err).toMatch(new RegExp(`COPY names ${missing.join(', ')}, which this project does not have`));
    else expect(first.err).not.toMatch(/COPY names/);
    for (const path of ['secrets/README.md', `${manifest.answers.name}.env.example`, 'SECURITY.md', '.allowed_signers', 'scripts/verify-signatures.sh', 'scripts/build-image.sh']) {
      expect(existsSync(join(root, path)), path).toBe(true);
    }
    expect(existsSync(join(root, 'src/server.js')) && fixture !== 'node-express').toBe(false); // no app seed
    expect(statSync(join(root, 'secrets')).mode & 0o777).toBe(0o700);

    // The manifest: every file this run recorded, hashed as its base (our render).
    for (const f of manifest.files) {
      const base = readFileSync(join(root, '.secure-service/base', baseFileName(f.id)));
      expect(sha256(base), f.path).toBe(f.sha256);
      const onDisk = readFileSync(join(root, f.path));
      if (f.strategy === 'lines' || f.strategy === 'block') expect(before[f.path], f.path).toBeDefined();
      else if (f.strategy !== 'seed') expect(onDisk.equals(base), f.path).toBe(true);
    }

    const second = await runAdd(['all', '--yes', '--dir', root]);
    expect(second.code, second.err).toBe(0);
    expect(second.out).toMatch(/Nothing to do: every requested file is already in place/);
    expect(snapshot(root)).toEqual(after);
  });

  it('run again after a file it wrote was moved away, says so instead of "every requested file is already in place"', async () => {
    const root = copyFixture('node-express', fresh());
    git(root, 'init', '-q');
    expect((await runAdd(['nomad', '--yes', '--dir', root])).code).toBe(0);
    mkdirSync(join(root, 'ops'));
    renameSync(join(root, 'deploy/nomad/orders-api.nomad.hcl'), join(root, 'ops/orders-api.nomad.hcl'));
    const again = await runAdd(['nomad', '--yes', '--dir', root]);
    expect(again.code, again.err).toBe(0);
    expect(again.out).toContain('Nothing to do: 1 of the 2 requested file(s) already in place, 1 moved away (not created again).');
    expect(again.out).not.toMatch(/every requested file is already in place/);
  });

  it("the note on a compose file Compose no longer reads names compose.override.yaml only while the project has it", async () => {
    const root = copyFixture('node-express', fresh());
    git(root, 'init', '-q');
    writeFileSync(join(root, 'docker-compose.yml'), 'services:\n  web:\n    build: .\n');
    const first = await runAdd(['compose', '--yes', '--dir', root]);
    expect(first.code, first.err).toBe(0);
    expect(first.err).toContain('docker-compose.yml is no longer read): move what you still need into compose.override.yaml, then delete docker-compose.yml');
    rmSync(join(root, 'compose.override.yaml'));
    for (const run of [await runAdd(['compose', '--yes', '--dir', root]), await runAdd(['compose', '--yes', '--dir', root, '--dry-run'])]) {
      expect(run.code, run.err).toBe(0);
      expect(run.err).toContain('docker-compose.yml is no longer read): move what you still need into compose.yaml, then delete docker-compose.yml');
      expect(run.err).not.toMatch(/into compose\.override\.yaml/);
    }
  });

  it('go-inventory has its own Dockerfile: nothing is written and the conflict is listed (exit 1); --overwrite replaces it', async () => {
    const root = copyFixture('go-inventory', fresh());
    git(root, 'init', '-q');
    const before = snapshot(root);
    const refused = await runAdd(['all', '--yes', '--dir', root]);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/^error: 1 file\(s\) already exist with other content: Dockerfile; nothing was written\. .*pass --overwrite/m);
    expect(refused.out).toMatch(/CONFLICT\s+Dockerfile/);
    expect(snapshot(root)).toEqual(before);

    const forced = await runAdd(['all', '--yes', '--overwrite', '--dir', root]);
    expect(forced.code, forced.err).toBe(0);
    expect(forced.out).toMatch(/overwrite\s+Dockerfile/);
    const manifest = readManifest(root);
    expect(manifest.answers).toMatchObject({ name: 'inventory', language: 'go', languageVersion: '1.25', port: 8081, base: 'scratch' });
    expect(await hardenedSetProblems(root, manifest.answers)).toEqual([]);
    // Its .dockerignore kept its two lines and gained the missing ones in one block.
    const dockerignore = readFileSync(join(root, '.dockerignore'), 'utf8');
    expect(dockerignore.startsWith('.git\n*.md\n\n# >>> create-secure-service:docker >>>\n')).toBe(true);
    expect(dockerignore.match(/^\.git$/gm)).toHaveLength(1);
    for (const path of ['go.mod', 'main.go', 'README.md']) expect(snapshot(root)[path]).toBe(before[path]);
    // The health probe is a program of its own, written beside the app: the app needs no health mode.
    expect(forced.out).toMatch(/create\s+healthcheck\.go/);
    expect(forced.err).not.toMatch(/HEALTHCHECK runs/);
    expect((await runAdd(['all', '--yes', '--dir', root])).out).toMatch(/Nothing to do/);
  });
});

describe('non-clobbering rules', () => {
  it("a project laid out its own way: the Dockerfile copies its files and the probe; a .dockerignore line of theirs that drops a source is named", async () => {
    const root = join(fresh(), 'shop');
    for (const [path, text] of Object.entries({ 'package.json': '{"name":"shop","main":"index.js"}', 'package-lock.json': '{}', 'index.js': '', 'lib/db.js': '', 'views/home.ejs': '', 'test/a.test.js': '', '.dockerignore': 'node_modules\nlib\n' })) {
      mkdirSync(join(root, path, '..'), { recursive: true });
      writeFileSync(join(root, path), text);
    }
    const run = await runAdd(['docker', '--yes', '--dir', root]);
    expect(run.code, run.err).toBe(0);
    const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^COPY index\.js \.\/index\.js\nCOPY lib \.\/lib\nCOPY views \.\/views\nCOPY src\/healthcheck\.js \.\/src\/healthcheck\.js$/m);
    expect(readFileSync(join(root, 'src/healthcheck.js'), 'utf8')).toMatch(/import\('node:http'\)/);
    expect(run.err).not.toMatch(/HEALTHCHECK runs|does not have/);
    expect(run.err).toMatch(/COPY names lib, which \.dockerignore leaves out of the build context, so the build would fail; remove the \.dockerignore line that matches, or the COPY/);
  });

  it("a whitelist .dockerignore (* then !app): the block lets in what the Dockerfile copies, first, so its own lines still keep secrets out", async () => {
    const root = join(fresh(), 'inventory');
    const theirs = '*\n!app\n!requirements.txt\n';
    const fastapi = 'from fastapi import FastAPI\napp = FastAPI()\n@app.get("/healthz")\ndef h(): return {}\n';
    for (const [path, text] of Object.entries({ 'requirements.txt': 'fastapi[standard]\n', 'app/__init__.py': '', 'app/main.py': fastapi, 'app/.env': 'TOKEN=x\n', '.dockerignore': theirs })) {
      mkdirSync(join(root, path, '..'), { recursive: true });
      writeFileSync(join(root, path), text);
    }
    const run = await runAdd(['docker', '--yes', '--dir', root]);
    expect(run.code, run.err).toBe(0);
    expect(run.err).not.toMatch(/leaves out of the build context/);
    const dockerignore = readFileSync(join(root, '.dockerignore'), 'utf8');
    expect(dockerignore.startsWith(`${theirs}\n# >>> create-secure-service:docker >>>\n`)).toBe(true);
    const context = new DockerIgnore(dockerignore);
    const copied = copySources(readFileSync(join(root, 'Dockerfile'), 'utf8'));
    expect(copied).toEqual(expect.arrayContaining(['requirements.txt', 'app', 'healthcheck.py']));
    for (const path of [...copied, 'app/main.py']) expect(context.ignores(path), path).toBe(false);
    // Only the probe needed a line: app and requirements.txt were already let in.
    expect(dockerignore.match(/^!.*$/gm)).toEqual(['!app', '!requirements.txt', '!healthcheck.py', '!**/*.env.example']);
    expect(context.ignores('app/.env')).toBe(true);
    expect(context.ignores('secrets/app.env')).toBe(true);
    const again = await runAdd(['docker', '--yes', '--dir', root]);
    expect(again.out).toMatch(/same\s+\.dockerignore/);
  });

  it("a whitelist .dockerignore that keeps a file out of a folder it does not let in: the block's `!app` does not let that file back in", async () => {
    const root = join(fresh(), 'inventory');
    const theirs = '*\n!requirements.txt\napp/local_settings.py\n';
    const fastapi = 'from fastapi import FastAPI\napp = FastAPI()\n@app.get("/healthz")\ndef h(): return {}\n';
    for (const [path, text] of Object.entries({ 'requirements.txt': 'fastapi[standard]\n', 'app/__init__.py': '', 'app/main.py': fastapi, 'app/local_settings.py': 'DB_PASSWORD = "x"\n', '.dockerignore': theirs })) {
      mkdirSync(join(root, path, '..'), { recursive: true });
      writeFileSync(join(root, path), text);
    }
    const run = await runAdd(['docker', '--yes', '--dir', root]);
    expect(run.code, run.err).toBe(0);
    const dockerignore = readFileSync(join(root, '.dockerignore'), 'utf8');
    expect(dockerignore).toMatch(/^app\/local_settings\.py\n[^]*^!app\n[^]*^app\/local_settings\.py$/m);
    const context = new DockerIgnore(dockerignore);
    expect(context.ignores('app/main.py')).toBe(false);
    expect(context.ignores('app/local_settings.py')).toBe(true);
    expect((await runAdd(['docker', '--yes', '--dir', root])).out).toMatch(/same\s+\.dockerignore/);
  });

  it("Laravel with a package.json for Vite: the generated .dockerignore keeps Node's build output out too, so check finds nothing in the generated files", async () => {
    const root = join(fresh(), 'shop');
    const project = { 'composer.json': '{"name":"acme/shop","require":{"php":"^8.2","laravel/framework":"^11.0"}}', 'composer.lock': '{}', 'package.json': '{"private":true,"scripts":{"build":"vite build"},"devDependencies":{"vite":"^5"}}', 'package-lock.json': '{}', 'artisan': '<?php\n', 'public/index.php': '<?php\n', 'routes/web.php': '<?php\n', 'app/Http/Kernel.php': '<?php\n', 'resources/js/app.js': '', 'node_modules/vite/index.js': '' };
    for (const [path, text] of Object.entries(project)) {
      mkdirSync(join(root, path, '..'), { recursive: true });
      writeFileSync(join(root, path), text);
    }
    const run = await runAdd(['all', '--yes', '--signing', 'none', '--dir', root]);
    expect(run.code, run.err).toBe(0);
    const report = await runCheck(diskSource(root), { rootDir: root });
    expect(report.findings.filter((f) => f.file !== '.git/config').map((f) => `${f.rule} ${f.file}: ${f.message}`)).toEqual([]);
    const dockerignore = readFileSync(join(root, '.dockerignore'), 'utf8');
    expect(dockerignore).toMatch(/^# I02: PHP caches and build output\.\n\*\*\/vendor\n\*\*\/coverage\n\*\*\/\.cache\n\n# I02: Node\.js caches and build output \(its manifest is here too\)\.\n\*\*\/node_modules\n\*\*\/dist\n\*\*\/\.npm\n$/m);
    expect(new DockerIgnore(dockerignore).ignores('node_modules/vite/index.js')).toBe(true);
    // Recorded, so a later run renders the same file.
    expect(readManifest(root).facts?.otherLanguages).toEqual(['node']);
    expect((await runAdd(['all', '--yes', '--signing', 'none', '--dir', root])).out).toMatch(/same\s+\.dockerignore/);
    // update renders it from the manifest alone: the same file, so nothing to update (it dropped the Node block).
    const captured = captureOutput();
    expect(await main(['update', '--check', '--dir', root, '--no-color'], captured.output), captured.stdout() + captured.stderr()).toBe(0);
    // A language the tool does not know is a damaged manifest, not a template input.
    const text = readFileSync(join(root, '.secure-service/manifest.json'), 'utf8').replace(/("otherLanguages": \[\s*)"node"/, '$1"cobol"');
    expect(() => parseManifest(text, 'manifest.json')).toThrow(/"facts" must be/);
  });

  it("another language's output folder that the Dockerfile copies stays in the context (express-generator's bin/www beside a go.mod)", async () => {
    const root = join(fresh(), 'web');
    for (const [path, text] of Object.entries({ 'package.json': '{"name":"web","scripts":{"start":"node ./bin/www"},"dependencies":{"express":"4"}}', 'package-lock.json': '{}', 'bin/www': "require('../app')\n", 'app.js': '', 'go.mod': 'module example.com/tool\n\ngo 1.23\n' })) {
      mkdirSync(join(root, path, '..'), { recursive: true });
      writeFileSync(join(root, path), text);
    }
    const run = await runAdd(['docker', '--yes', '--dir', root]);
    expect(run.code, run.err).toBe(0);
    expect(run.err).not.toMatch(/leaves out of the build context/);
    const context = new DockerIgnore(readFileSync(join(root, '.dockerignore'), 'utf8'));
    const copied = copySources(readFileSync(join(root, 'Dockerfile'), 'utf8'));
    expect(copied).toContain('bin');
    for (const path of copied) expect(context.ignores(path), path).toBe(false);
  });

  it('an identical file is left alone; a file the user edits after add is kept, not reported as a conflict', async () => {
    const root = copyFixture('node-express', fresh());
    await runAdd(['nomad', '--yes', '--dir', root]);
    const job = join(root, 'deploy/nomad/orders-api.nomad.hcl');
    const again = await runAdd(['nomad', '--yes', '--dir', root]);
    expect(again.out).toMatch(/same\s+deploy\/nomad\/orders-api\.nomad\.hcl/);
    writeFileSync(job, `${readFileSync(job, 'utf8')}# my own tweak\n`);
    const edited = readFileSync(job);
    const third = await runAdd(['nomad', '--yes', '--dir', root, '--cpu', '2']);
    expect(third.code, third.err).toBe(0);
    expect(third.out).toMatch(/keep \(yours\)\s+deploy\/nomad\/orders-api\.nomad\.hcl/);
    expect(readFileSync(job).equals(edited)).toBe(true);
    // Its base stays what was generated first, for update's three-way merge.
    const entry = readManifest(root).files.find((f) => f.id === 'nomad-job')!;
    expect(entry.sha256).toBe(sha256(readFileSync(join(root, '.secure-service/base/nomad-job'))));
    expect(edited.toString()).toContain(readFileSync(join(root, '.secure-service/base/nomad-job'), 'utf8'));
    // --overwrite replaces it with ours, as README says, and records ours as its base.
    const forced = await runAdd(['nomad', '--yes', '--dir', root, '--cpu', '2', '--overwrite']);
    expect(forced.code, forced.err).toBe(0);
    expect(forced.out).toMatch(/overwrite\s+deploy\/nomad\/orders-api\.nomad\.hcl/);
    const replaced = readFileSync(job, 'utf8');
    expect(replaced).not.toContain('# my own tweak');
    expect(replaced).toMatch(/^\s*cpu\s*= 2000$/m);
    expect(readManifest(root).files.find((f) => f.id === 'nomad-job')!.sha256).toBe(sha256(replaced));
  });

  it('a SECURITY.md, .gitignore or .dockerignore add wrote whole and the user then edited is kept, not merged into again', async () => {
    const root = copyFixture('node-express', fresh());
    rmSync(join(root, '.gitignore'), { force: true }); // so add writes it whole too
    expect((await runAdd(['all', '--yes', '--dir', root])).code).toBe(0);
    const edit = (path: string, change: (text: string) => string) => writeFileSync(join(root, path), change(readFileSync(join(root, path), 'utf8')));
    edit('SECURITY.md', (t) => `${t}# my note\n`);
    edit('.dockerignore', (t) => t.replace(/^\*\*\/dist\n/m, ''));
    edit('.gitignore', (t) => t.replace(/^node_modules\/?\n/m, ''));
    const before = snapshot(root);
    const again = await runAdd(['all', '--yes', '--dir', root]);
    expect(again.code, again.err).toBe(0);
    for (const path of ['SECURITY.md', '.dockerignore', '.gitignore']) expect(again.out).toMatch(new RegExp(`keep \\(yours\\)\\s+${path.replace('.', '\\.')}\\n`));
    expect(snapshot(root)).toEqual(before);
    expect(readManifest(root).files.filter((f) => ['security-md', 'dockerignore', 'gitignore'].includes(f.id)).map((f) => f.strategy)).toEqual(['merge', 'merge', 'merge']);
  });

  it("a file of the user's that takes our lines or our text keeps its owner's mode", async () => {
    const root = copyFixture('node-express', fresh());
    writeFileSync(join(root, '.dockerignore'), 'node_modules\n', { mode: 0o600 });
    chmodSync(join(root, '.dockerignore'), 0o600);
    chmodSync(join(root, '.gitignore'), 0o640);
    writeFileSync(join(root, 'Dockerfile'), 'FROM mine\n');
    chmodSync(join(root, 'Dockerfile'), 0o600);
    const result = await runAdd(['docker', '--yes', '--overwrite', '--dir', root]);
    expect(result.code, result.err).toBe(0);
    expect(readFileSync(join(root, '.dockerignore'), 'utf8')).toContain('**/secrets');
    expect(statSync(join(root, '.dockerignore')).mode & 0o7777).toBe(0o600);
    expect(statSync(join(root, '.gitignore')).mode & 0o7777).toBe(0o640);
    expect(readFileSync(join(root, 'Dockerfile'), 'utf8')).not.toBe('FROM mine\n');
    expect(statSync(join(root, 'Dockerfile')).mode & 0o7777).toBe(0o600);
    // A file add writes new gets ours.
    expect(statSync(join(root, 'scripts/build-image.sh')).mode & 0o7777).toBe(0o755);
  });

  it('never overwrites the secrets placeholder, even with --overwrite', async () => {
    const root = copyFixture('node-express', fresh());
    mkdirSync(join(root, 'secrets'), { mode: 0o700 });
    writeFileSync(join(root, 'secrets/orders-api.env'), 'SESSION_SECRET=real\n', { mode: 0o600 });
    const result = await runAdd(['compose', '--yes', '--overwrite', '--dir', root]);
    expect(result.code, result.err).toBe(0);
    expect(result.out).toMatch(/keep \(yours\)\s+secrets\/orders-api\.env/);
    expect(readFileSync(join(root, 'secrets/orders-api.env'), 'utf8')).toBe('SESSION_SECRET=real\n');
  });

  it('SECURITY.md of their own gets our text in one marked block, replaced where it stands on re-runs', async () => {
    const root = copyFixture('php-billing', fresh());
    const policy = readFileSync(join(root, 'SECURITY.md'), 'utf8');
    await runAdd(['project', '--yes', '--dir', root]);
    const { start, end } = markerLines('project', 'html');
    const text = readFileSync(join(root, 'SECURITY.md'), 'utf8');
    expect(text.startsWith(`${policy}\n${start}\n`)).toBe(true);
    expect(text.endsWith(`${end}\n`)).toBe(true);
    // The user moves the block above their policy and adds a line after it; a changed answer rewrites it in place.
    const block = text.slice(policy.length + 1);
    writeFileSync(join(root, 'SECURITY.md'), `${block}${policy}Extra line.\n`);
    const result = await runAdd(['project', '--yes', '--dir', root, '--port', '9443', '--start', 'php -S 0.0.0.0:9443 -t public']);
    expect(result.code, result.err).toBe(0);
    expect(result.out).toMatch(/add block\s+SECURITY\.md/);
    const rewritten = readFileSync(join(root, 'SECURITY.md'), 'utf8');
    expect(rewritten.startsWith(`${start}\n`)).toBe(true);
    expect(rewritten.endsWith(`${end}\n${policy}Extra line.\n`)).toBe(true);
    expect(rewritten).toContain('EXPOSE 9443');
    expect(rewritten.match(/>>> create-secure-service:project >>>/g)).toHaveLength(1);
  });

  it('--dry-run prints the plan and the diffs and writes nothing', async () => {
    const root = copyFixture('go-inventory', fresh());
    const before = snapshot(root);
    const dry = await runAdd(['all', '--yes', '--dry-run', '--overwrite', '--dir', root]);
    expect(dry.code, dry.err).toBe(0);
    expect(dry.out).toMatch(/Would add docker, compose, nomad, vault, signing, project/);
    expect(dry.out).toMatch(/overwrite\s+Dockerfile/);
    expect(dry.out).toMatch(/^-FROM golang:1\.23$/m);
    expect(dry.out).toMatch(/Dry run: \d+ file\(s\) would be written\. Nothing was written\./);
    expect(snapshot(root)).toEqual(before);
    // Without --overwrite the dry run says what would stop the real run.
    const conflict = await runAdd(['docker', '--yes', '--dry-run', '--dir', root]);
    expect(conflict.code).toBe(1);
    expect(snapshot(root)).toEqual(before);
  });

  it('a language given by flag replaces the detected one, and its detected version and start no longer apply', async () => {
    const root = copyFixture('node-express', fresh());
    const result = await runAdd(['docker', '--yes', '--dir', root, '--language', 'python', '--dry-run']);
    expect(result.code, result.err).toBe(0);
    expect(result.out).toMatch(/for orders-api \(python 3\.13 on alpine\)/);
    expect(result.out).not.toMatch(/node server\.js/);
  });

  it('names each path the Dockerfile copies but the project lacks once, though two stages copy it', async () => {
    const root = fresh();
    writeFileSync(join(root, 'README.md'), '# mine\n');
    const run = await runAdd(['docker', '--yes', '--dir', root, '--no-git', '--language', 'node', '--dry-run']);
    expect(run.code, run.err).toBe(0);
    expect(run.err).toMatch(/COPY names package\.json, package-lock\.json, src, which this project does not have/);
  });

  it("says a detected start command was made to listen on 0.0.0.0, unless --start gives one", async () => {
    const project = () => {
      const root = fresh();
      writeFileSync(join(root, 'requirements.txt'), 'fastapi\n');
      writeFileSync(join(root, 'main.py'), '@app.get("/healthz")\n');
      writeFileSync(join(root, 'Procfile'), 'web: uvicorn main:app --port 8000\n');
      return root;
    };
    const root = project();
    const detected = await runAdd(['docker', '--yes', '--dir', root, '--no-git']);
    expect(detected.code, detected.err).toBe(0);
    expect(detected.err).toMatch(/^warning: start: "uvicorn main:app --port 8000" listens on 127\.0\.0\.1 only \(uvicorn's default\)/m);
    expect(readFileSync(join(root, 'Dockerfile'), 'utf8')).toMatch(/^ENTRYPOINT \["uvicorn","main:app","--port","8000","--host","0\.0\.0\.0"\]$/m);
    const given = await runAdd(['docker', '--yes', '--dir', project(), '--no-git', '--dry-run', '--start', 'uvicorn main:app --host 0.0.0.0 --port 8000']);
    expect(given.code, given.err).toBe(0);
    expect(given.err).not.toMatch(/listens on/);
  });

  it(".NET: the probe runs the project's own assembly, and the note says how the app answers it", async () => {
    const root = copyFixture('dotnet-orders', fresh());
    const run = await runAdd(['docker', '--yes', '--dir', root, '--no-git']);
    expect(run.code, run.err).toBe(0);
    expect(readFileSync(join(root, 'Dockerfile'), 'utf8')).toMatch(/^HEALTHCHECK .* CMD \["dotnet","Orders\.Api\.dll","--healthcheck"\]$/m);
    expect(run.err).toMatch(/HEALTHCHECK runs "dotnet Orders\.Api\.dll --healthcheck", so your app must answer that flag before it starts serving: .*\(the seed does it in Program\.cs, before building the host: if \(args\.Contains\("--healthcheck"\)\) return await HealthCheckAsync\(url\);\)/);
  });

  it('.NET: a project named with a space (My Api.csproj) starts and probes its one assembly, My Api.dll', async () => {
    const root = fresh();
    writeFileSync(join(root, 'My Api.csproj'), '<Project Sdk="Microsoft.NET.Sdk.Web"><PropertyGroup><TargetFramework>net8.0</TargetFramework></PropertyGroup></Project>\n');
    writeFileSync(join(root, 'Program.cs'), '');
    const run = await runAdd(['docker', '--yes', '--dir', root, '--no-git']);
    expect(run.code, run.err).toBe(0);
    const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^ENTRYPOINT \["dotnet","My Api\.dll"\]$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK .* CMD \["dotnet","My Api\.dll","--healthcheck"\]$/m);
    expect(run.err).toMatch(/HEALTHCHECK runs "dotnet 'My Api\.dll' --healthcheck", so your app must answer/);
  });

  it('uses the health path the project serves, and says so when it finds none unless --health-path gives one', async () => {
    const catalog = copyFixture('spring-catalog', fresh());
    const spring = await runAdd(['nomad', '--yes', '--dir', catalog, '--no-git']);
    expect(spring.code, spring.err).toBe(0);
    expect(spring.out).toMatch(/^  health path +\/actuator\/health +from spring-boot-starter-actuator in pom\.xml/m);
    const job = readFileSync(join(catalog, 'deploy/nomad/catalog-service.nomad.hcl'), 'utf8');
    expect(job).toMatch(/^ +path += "\/actuator\/health"$/m);

    const gradle = copyFixture('gradle-shipping', fresh());
    const silent = await runAdd(['nomad', '--yes', '--dir', gradle, '--no-git', '--dry-run']);
    expect(silent.err).toMatch(/^warning: no health endpoint found \(.*\) or pass --health-path$/m);
    const given = await runAdd(['nomad', '--yes', '--dir', gradle, '--no-git', '--dry-run', '--health-path', '/ready']);
    expect(given.code, given.err).toBe(0);
    expect(given.err).not.toMatch(/no health endpoint found/);
  });
});

describe('files a part names', () => {
  // A generated file names another (SECURITY.md, scripts/build-image.sh) only when the project has
  // it; `add nomad` alone has neither, and `update` brings the names once a later add writes them.
  const mentions = (root: string, files: string[]) => files.map((f) => readFileSync(join(root, f), 'utf8')).join('\n');

  it.each([['nomad'], ['vault'], ['compose'], ['signing'], ['nomad', 'vault', 'compose', 'signing']])('add %s names neither SECURITY.md nor scripts/build-image.sh, which it does not write', async (...words) => {
    const root = copyFixture('node-express', fresh());
    git(root, 'init', '-q');
    const run = await runAdd([...words, '--yes', '--dir', root]);
    expect(run.code, run.err).toBe(0);
    const written = readManifest(root).files.map((f: { path: string }) => f.path).filter((p: string) => !['.gitignore'].includes(p));
    expect(written.length).toBeGreaterThan(0);
    const text = mentions(root, written);
    expect(text).not.toMatch(/SECURITY\.md/);
    expect(text).not.toMatch(/build-image\.sh/);
  });

  it('update names them once add has written them', async () => {
    const root = copyFixture('node-express', fresh());
    git(root, 'init', '-q');
    expect((await runAdd(['nomad', 'vault', '--yes', '--dir', root])).code).toBe(0);
    const job = join(root, 'deploy/nomad/orders-api.nomad.hcl');
    expect(readFileSync(job, 'utf8')).not.toMatch(/scripts\/build-image\.sh/);
    rmSync(join(root, 'Dockerfile'), { force: true });
    expect((await runAdd(['docker', 'project', '--yes', '--dir', root])).code).toBe(0);
    const captured = captureOutput();
    expect(await main(['update', '--yes', '--dir', root, '--no-color'], captured.output), captured.stderr()).toBe(0);
    expect(readFileSync(job, 'utf8')).toMatch(/^# in SECURITY\.md\.$/m);
    expect(readFileSync(job, 'utf8')).toMatch(/scripts\/build-image\.sh prints the digest/);
    expect(readFileSync(join(root, 'deploy/vault/orders-api.policy.hcl'), 'utf8')).toMatch(/names its ID in SECURITY\.md\./);
  });
});

describe('answers an older version recorded', () => {
  it('an empty packageManager recorded for Java before Gradle (no choice then, see test/fixtures/update) is the default, Maven, not an error', async () => {
    const root = copyFixture('spring-catalog', fresh());
    git(root, 'init', '-q');
    expect((await runAdd(['nomad', '--yes', '--dir', root])).code).toBe(0);
    const manifestPath = join(root, '.secure-service/manifest.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    writeFileSync(manifestPath, JSON.stringify({ ...manifest, answers: { ...manifest.answers, packageManager: '' } }, null, 2));
    const run = await runAdd(['vault', '--yes', '--dir', root]);
    expect(run.code, run.err).toBe(0);
    expect(readManifest(root).answers.packageManager).toBe('maven');
  });
});

describe('records an older version wrote under another ID', () => {
  /** The node-express fixture after `add docker`, its health probe recorded as versions before the docker part's probe did: a seed file of the app part. */
  const withOldProbe = async (deleted: boolean) => {
    const root = copyFixture('node-express', fresh());
    git(root, 'init', '-q');
    expect((await runAdd(['docker', '--yes', '--dir', root])).code).toBe(0);
    const manifestPath = join(root, '.secure-service/manifest.json');
    const manifest = readManifest(root);
    const probe = manifest.files.find((f) => f.id === 'probe:node')!;
    const old = { ...probe, id: `app:${probe.path}`, part: 'app', strategy: 'seed' };
    const files = manifest.files.filter((f) => f !== probe);
    writeFileSync(manifestPath, JSON.stringify({ ...manifest, files: deleted ? files : [...files, old], ...(deleted ? { deleted: [{ id: old.id, path: old.path }] } : {}) }, null, 2));
    if (deleted) rmSync(join(root, probe.path));
    return { root, path: probe.path };
  };

  it.each([false, true])("add docker again takes over the old record of the probe's path (deleted by the user: %s): one entry per file, a deleted probe not created again", async (deleted) => {
    const { root, path } = await withOldProbe(deleted);
    const run = await runAdd(['docker', '--yes', '--dir', root]);
    expect(run.code, run.err).toBe(0);
    const manifest = readManifest(root);
    expect(existsSync(join(root, path))).toBe(!deleted);
    // A deletion recorded under the old ID is recorded under the new one, as update records it.
    expect(manifest.files.filter((f) => f.path === path).map((f) => f.id)).toEqual(deleted ? [] : ['probe:node']);
    expect((manifest.deleted ?? []).filter((e) => e.path === path)).toEqual(deleted ? [{ id: 'probe:node', path }] : []);
    const captured = captureOutput();
    expect(await main(['update', '--check', '--dir', root, '--no-color'], captured.output), captured.stderr()).toBe(0);
  });
});

describe('update of a catch-all .dockerignore block add wrote', () => {
  const LET_IN = '# The generated Dockerfile copies these, which the lines above leave out of the build context.\n!src/healthcheck.js\n';
  const setUp = async () => {
    const root = copyFixture('node-express', fresh());
    git(root, 'init', '-q');
    writeFileSync(join(root, '.dockerignore'), '*\n!server.js\n!package.json\n!package-lock.json\n');
    expect((await runAdd(['docker', '--yes', '--dir', root])).code).toBe(0);
    expect(readFileSync(join(root, '.dockerignore'), 'utf8')).toContain(LET_IN);
    return root;
  };
  const update = async (root: string) => {
    const captured = captureOutput();
    expect(await main(['update', '--yes', '--dir', root, '--no-color'], captured.output), captured.stderr()).toBe(0);
    return readFileSync(join(root, '.dockerignore'), 'utf8');
  };

  it('written before add let in what the Dockerfile copies (no "!" section): update adds the "!" lines the COPY needs, as add now does', async () => {
    const root = await setUp();
    // The block as versions before f92bb7c wrote it (create-secure-service at 0dc6cf1, `add all`
    // on an Express app with this .dockerignore): the same entries, without the "!" section.
    const ignore = join(root, '.dockerignore');
    writeFileSync(ignore, readFileSync(ignore, 'utf8').replace(`${LET_IN}\n`, ''));
    expect(readFileSync(ignore, 'utf8')).not.toContain('!src/healthcheck.js');
    expect(await update(root)).toContain(LET_IN);
  });

  it('written with the "!" lines but before the lines repeated after them (9f97941): update adds the repeated lines', async () => {
    const root = copyFixture('node-express', fresh());
    git(root, 'init', '-q');
    // **/*.local.js after the catch-all could match under src/, which "!src/healthcheck.js" lets in.
    writeFileSync(join(root, '.dockerignore'), '*\n!server.js\n!package.json\n!package-lock.json\n**/*.local.js\n');
    expect((await runAdd(['docker', '--yes', '--dir', root])).code).toBe(0);
    const ignore = join(root, '.dockerignore');
    const REPEAT = '# Your lines after the catch-all again, in order, so what they leave out of those folders stays out.\n!server.js\n!package.json\n!package-lock.json\n**/*.local.js\n';
    expect(readFileSync(ignore, 'utf8')).toContain(`${LET_IN}${REPEAT}`);
    writeFileSync(ignore, readFileSync(ignore, 'utf8').replace(REPEAT, ''));
    expect(await update(root)).toContain(`${LET_IN}${REPEAT}`);
  });

  it('a "!" line the user deleted from the section stays deleted: their edit', async () => {
    const root = await setUp();
    const ignore = join(root, '.dockerignore');
    writeFileSync(ignore, readFileSync(ignore, 'utf8').replace('!src/healthcheck.js\n', ''));
    const after = await update(root);
    expect(after).not.toContain('!src/healthcheck.js');
    expect(after).toContain(LET_IN.split('\n')[0]);
  });
});

describe('add signing in a repository that signs already', () => {
  it("keeps the repository's own signing key, format and trust file, and its allowed signers", async () => {
    const root = copyFixture('node-express', fresh());
    git(root, 'init', '-q');
    const own = 'alice@example.com namespaces="git" ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIN0yc7va/AOATCLnfDDx6RtqLLy6zkW1KhpXnptw1uyc\n';
    writeFileSync(join(root, '.allowed_signers'), own);
    const ownKey = join(root, 'keys', 'alice.pub');
    const ownSigners = join(root, 'keys', 'allowed_signers');
    git(root, 'config', '--local', 'gpg.format', 'ssh');
    git(root, 'config', '--local', 'user.signingkey', ownKey);
    git(root, 'config', '--local', 'gpg.ssh.allowedSignersFile', ownSigners);
    const result = await runAdd(['signing', '--yes', '--dir', root]);
    expect(result.code, result.err).toBe(0);
    expect(git(root, 'config', '--local', 'user.signingkey')).toBe(ownKey);
    expect(git(root, 'config', '--local', 'gpg.ssh.allowedSignersFile')).toBe(ownSigners);
    expect(git(root, 'config', '--local', 'gpg.format')).toBe('ssh');
    expect(git(root, 'config', '--local', 'commit.gpgsign')).toBe('true');
    expect(git(root, 'config', '--local', 'tag.gpgSign')).toBe('true');
    expect(readFileSync(join(root, '.allowed_signers'), 'utf8').startsWith(own)).toBe(true);
    expect(result.out).toContain(`signing: commits and tags are signed (repo-local git config), keeping this repository's own user.signingkey = ${ownKey} (ours: `);
    expect(result.out).toContain(`gpg.ssh.allowedSignersFile = ${ownSigners} (ours: `);
  });
});

describe('add signing run again', () => {
  const signingKeys = ['gpg.format', 'user.signingkey', 'gpg.ssh.allowedSignersFile', 'commit.gpgsign', 'tag.gpgSign'];
  const local = (root: string, key: string) => {
    try {
      return git(root, 'config', '--local', key);
    } catch {
      return undefined; // git config exits 1 for a key that is not set
    }
  };
  const unsetSigning = (root: string) => {
    for (const key of signingKeys) if (local(root, key) !== undefined) git(root, 'config', '--local', '--unset', key);
  };
  const NOTHING_WRITTEN = 'No file to write: every requested file is already in place (2 checked).';
  const SIGNED = '  signing: commits and tags are signed with ssh (repo-local git config)';

  it('sets the signing config a first run could not once the key exists, whether or not a file changes; says nothing more once it is set', async () => {
    const pub = join(process.env.HOME!, '.ssh', 'id_ed25519.pub');
    const root = copyFixture('node-express', fresh());
    git(root, 'init', '-q');
    renameSync(pub, `${pub}.later`);
    try {
      const first = await runAdd(['signing', '--yes', '--dir', root]);
      expect(first.code, first.err).toBe(0);
      expect(first.err).toContain('signing: ~/.ssh/id_ed25519.pub not found, so commit signing was NOT enabled');
      expect(first.err).toContain('make the key, then run this command again to list it in .allowed_signers and turn signing on:\n    ssh-keygen -t ed25519 -f ');
      // Still no key: not "Nothing to do", nor the first run's words again as if news.
      const again = await runAdd(['signing', '--yes', '--dir', root]);
      expect(again.out).toContain(NOTHING_WRITTEN);
      expect(again.err).toContain('signing: ~/.ssh/id_ed25519.pub still not found, so commit signing is still NOT enabled; make the key, then run this command again');
      expect(again.err).not.toContain('commit signing was NOT enabled');
      expect(local(root, 'commit.gpgsign')).toBeUndefined();
    } finally {
      renameSync(`${pub}.later`, pub);
    }

    // The key made (ssh-keygen): .allowed_signers trusts it now, and the config is set.
    const made = await runAdd(['signing', '--yes', '--dir', root]);
    expect(made.out).toMatch(/^ {2}update +\.allowed_signers$/m);
    expect(made.out).toContain(SIGNED);
    expect(local(root, 'commit.gpgsign')).toBe('true');

    // Set already: nothing to do, nothing said about signing.
    const settled = await runAdd(['signing', '--yes', '--dir', root]);
    expect(settled.out).toContain('Nothing to do: every requested file is already in place (2 checked).');
    expect(settled.out + settled.err).not.toContain('signing:');

    // No file changes, but the config is not there (a clone, which git does not copy it to): set, in one line, and nothing written.
    unsetSigning(root);
    const before = snapshot(root);
    const clone = await runAdd(['signing', '--yes', '--dir', root]);
    expect(clone.code, clone.err).toBe(0);
    expect(clone.out).toContain(`${NOTHING_WRITTEN}\n${SIGNED}`);
    expect(clone.err).toBe('');
    for (const key of signingKeys) expect(local(root, key), key).toBeDefined();
    expect(local(root, 'user.signingkey')).toBe(pub);
    expect(snapshot(root)).toEqual(before);
    // git's own spelling of true is on; one switch off is not what add sets.
    git(root, 'config', '--local', 'tag.gpgSign', 'yes');
    expect((await runAdd(['signing', '--yes', '--dir', root])).out).toMatch(/Nothing to do/);
    expect(local(root, 'tag.gpgSign')).toBe('yes');
    git(root, 'config', '--local', '--unset', 'commit.gpgsign');
    expect((await runAdd(['signing', '--yes', '--dir', root])).out).toContain(SIGNED);
    expect(local(root, 'commit.gpgsign')).toBe('true');

    // --no-git: nothing to do, as asked.
    unsetSigning(root);
    expect((await runAdd(['signing', '--yes', '--no-git', '--dir', root])).out).toMatch(/Nothing to do/);
    expect(local(root, 'commit.gpgsign')).toBeUndefined();
  });


  it('with GPG and no secret key, a second add signing says the key is still missing, not the first run\'s words again', async () => {
    const root = copyFixture('node-express', fresh());
    git(root, 'init', '-q');
    const emptyKeyring = mkdtempSync(join(work, 'gnupg-'));
    chmodSync(emptyKeyring, 0o700);
    const saved = process.env.GNUPGHOME;
    process.env.GNUPGHOME = emptyKeyring;
    try {
      const first = await runAdd(['signing', '--yes', '--dir', root, '--signing', 'gpg']);
      expect(first.code, first.err).toBe(0);
      expect(first.err).toContain('signing: your GPG keyring has no secret key, so commit signing was NOT enabled; create or import one');
      const again = await runAdd(['signing', '--yes', '--dir', root]);
      expect(again.code, again.err).toBe(0);
      expect(again.err).toContain('signing: your GPG keyring still has no secret key, so commit signing is still NOT enabled; create or import one');
      expect(again.err).not.toContain('was NOT enabled');
      expect(local(root, 'commit.gpgsign')).toBeUndefined();
    } finally {
      if (saved === undefined) delete process.env.GNUPGHOME;
      else process.env.GNUPGHOME = saved;
    }
  });
  it('add all in a folder made a repository after the files were added sets the signing config, and only it', async () => {
    const root = copyFixture('node-express', fresh());
    const first = await runAdd(['all', '--yes', '--dir', root]);
    expect(first.code, first.err).toBe(0);
    expect(first.out).toContain('signing: no git repository; skipped');
    // Still none: the first run said so; nothing to set.
    expect((await runAdd(['all', '--yes', '--dir', root])).out).toMatch(/Nothing to do/);
    git(root, 'init', '-q');
    const before = snapshot(root);
    const again = await runAdd(['all', '--yes', '--dir', root]);
    expect(again.code, again.err).toBe(0);
    expect(again.out).toMatch(/^No file to write: every requested file is already in place \(\d+ checked\)\.\n {2}signing: commits and tags are signed with ssh \(repo-local git config\)$/m);
    expect(again.out).not.toMatch(/Done\.|shellcheck|hadolint|passwords/);
    expect(local(root, 'commit.gpgsign')).toBe('true');
    expect(snapshot(root)).toEqual(before);
    // A part without signing asked for leaves git alone.
    unsetSigning(root);
    expect((await runAdd(['docker', '--yes', '--dir', root])).out).toMatch(/Nothing to do/);
    expect(local(root, 'commit.gpgsign')).toBeUndefined();
  });
});

describe('.NET packages.lock.json', () => {
  it('reaches the restore from where the project has it, at the top or beside a project below it, which installs it in locked mode', async () => {
    const web = '<Project Sdk="Microsoft.NET.Sdk.Web">\n  <PropertyGroup>\n    <TargetFramework>net8.0</TargetFramework>\n  </PropertyGroup>\n</Project>\n';
    const lock = '{\n  "version": 1,\n  "dependencies": {\n    "net8.0": {}\n  }\n}\n';
    // NuGet reads packages.<project>.lock.json first (spaces as "_"), the name for several projects in one folder.
    for (const [folder, name] of [['', 'packages.lock.json'], ['src/Api/', 'packages.lock.json'], ['', 'packages.Api.lock.json']] as const) {
      const root = fresh();
      mkdirSync(join(root, folder), { recursive: true });
      writeFileSync(join(root, `${folder}Api.csproj`), web);
      writeFileSync(join(root, `${folder}${name}`), lock);
      writeFileSync(join(root, `${folder}Program.cs`), 'var app = WebApplication.Create(args);\napp.Run();\n');
      const run = await runAdd(['docker', '--yes', '--dir', root]);
      expect(run.code, run.err).toBe(0);
      const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
      const restore = dockerfile.split('\n').findIndex((l) => /^RUN .*dotnet restore/.test(l));
      // Every COPY before the restore, with the lockfile among what they bring, at its path in /src.
      const copied = copySources(dockerfile.split('\n').slice(0, restore).join('\n'));
      const lockfile = `${folder}${name}`;
      expect(copied.some((source) => compilePattern(source).test(lockfile) || (folder !== '' && lockfile.startsWith(`${source}/`))), `${copied.join(', ')} before: ${dockerfile.split('\n')[restore]}`).toBe(true);
      // D08: what it locks, exactly: a lockfile that no longer matches fails the build, as npm ci does.
      expect(dockerfile.split('\n')[restore]).toMatch(/ dotnet restore(?: \S+\.csproj)? --locked-mode$/);
      expect(run.err).not.toContain('packages.lock.json');
    }
    // Without one, nothing to say either.
    const plain = copyFixture('dotnet-orders', fresh());
    expect((await runAdd(['docker', '--yes', '--dry-run', '--dir', plain])).err).not.toContain('packages.lock.json');
  });
});

describe('monorepo --dir', () => {
  it("a member of a uv workspace is told its uv.lock is at the workspace root, outside the build context, and how to export one (fastapi/full-stack-fastapi-template's layout)", async () => {
    const repo = fresh();
    git(repo, 'init', '-q');
    writeFileSync(join(repo, 'pyproject.toml'), '[dependency-groups]\ndev = ["prek>=0.5.3,<1.0.0"]\n\n[tool.uv.workspace]\nmembers = ["backend"]\n');
    writeFileSync(join(repo, 'uv.lock'), 'version = 1\nrevision = 3\nrequires-python = ">=3.10, <4.0"\n\n[manifest]\nmembers = [\n    "app",\n]\n');
    mkdirSync(join(repo, 'backend/app'), { recursive: true });
    writeFileSync(join(repo, 'backend/pyproject.toml'), '[project]\nname = "app"\nversion = "0.1.0"\nrequires-python = ">=3.10,<4.0"\ndependencies = ["fastapi[standard]<1.0.0,>=0.114.2"]\n');
    writeFileSync(join(repo, 'backend/app/__init__.py'), '');
    writeFileSync(join(repo, 'backend/app/main.py'), 'from fastapi import FastAPI\n\napp = FastAPI()\n');
    const run = await runAdd(['docker', '--yes', '--dry-run', '--dir', join(repo, 'backend')]);
    expect(run.code, run.err).toBe(0);
    expect(run.err).toMatch(/^warning: Dockerfile: this folder is a member of the uv workspace whose uv\.lock is \.\.\/uv\.lock, outside the build context \(this folder\), .*\("uv export --package app --frozen --no-dev --no-emit-workspace --output-file requirements\.txt", run here\), then add docker again/m);
    expect(run.err).not.toMatch(/no requirements\.txt, uv\.lock or poetry\.lock/);
    // Outside a workspace the note stays as it was.
    const alone = fresh();
    writeFileSync(join(alone, 'pyproject.toml'), '[project]\nname = "app"\ndependencies = ["fastapi"]\n');
    writeFileSync(join(alone, 'main.py'), '');
    expect((await runAdd(['docker', '--yes', '--dry-run', '--dir', alone])).err).toMatch(/no requirements\.txt, uv\.lock or poetry\.lock: the Dockerfile installs from one/);
  });

  it("a member of an npm or pnpm workspace whose lockfile is only at the workspace root is told so, and the npm command it gives leaves nothing missing", async () => {
    for (const [lockfile, text, fix] of [
      ['package-lock.json', '{"name":"root","lockfileVersion":3,"requires":true,"packages":{}}\n', 'give this folder its own package-lock.json ("npm install --package-lock-only --workspaces=false", run here), then add docker again'],
      ['pnpm-lock.yaml', "lockfileVersion: '9.0'\n", "have pnpm write one per project (shared-workspace-lockfile=false in the workspace root's .npmrc, then pnpm install), then add docker again with --package-manager pnpm"],
    ] as const) {
      const repo = fresh();
      git(repo, 'init', '-q');
      writeFileSync(join(repo, 'package.json'), '{"name":"root","private":true,"workspaces":["packages/*"]}\n');
      writeFileSync(join(repo, lockfile), text);
      const member = join(repo, 'packages', 'x');
      mkdirSync(join(member, 'src'), { recursive: true });
      writeFileSync(join(member, 'package.json'), '{"name":"x","version":"1.0.0","scripts":{"start":"node src/index.js"}}\n');
      writeFileSync(join(member, 'src', 'index.js'), '');
      const run = await runAdd(['docker', '--yes', '--dry-run', '--dir', member]);
      expect(run.code, run.err).toBe(0);
      expect(run.err).toContain(`warning: Dockerfile: this folder's dependencies are locked only in the workspace's ../../${lockfile}, outside the build context (this folder), so the Dockerfile's deps stage has no lockfile to install from: ${fix}`);
      if (lockfile !== 'package-lock.json') continue;
      execFileSync('npm', ['install', '--package-lock-only', '--workspaces=false', '--offline', '--no-audit', '--no-fund'], { cwd: member, stdio: 'ignore' });
      const again = await runAdd(['docker', '--yes', '--dry-run', '--dir', member]);
      expect(again.code, again.err).toBe(0);
      expect(again.err).not.toMatch(/locked only in the workspace|COPY names package-lock\.json/);
    }
  });

  it("keeps the repository's signing files as its root first recorded them, whichever service adds next, so update --check at the root agrees", async () => {
    const repo = fresh();
    git(repo, 'init', '-q');
    mkdirSync(join(repo, 'services'));
    const api = copyFixture('node-express', join(repo, 'services'));
    const web = copyFixture('node-pnpm', join(repo, 'services'));
    expect((await runAdd(['all', '--yes', '--dir', api])).code).toBe(0);
    const rootFiles = () => ['.allowed_signers', 'scripts/verify-signatures.sh', '.secure-service/manifest.json'].map((p) => readFileSync(join(repo, p), 'utf8'));
    const first = rootFiles();
    const second = await runAdd(['all', '--yes', '--dir', web]);
    expect(second.code, second.err).toBe(0);
    expect(second.out).not.toMatch(/update\s+(\.allowed_signers|scripts\/verify-signatures\.sh)/);
    expect(rootFiles()).toEqual(first);
    expect(first[0]).toMatch(/^# Allowed signers for orders-api /m);
    const captured = captureOutput();
    expect(await main(['update', '--check', '--dir', repo, '--no-color'], captured.output), captured.stdout() + captured.stderr()).toBe(0);
    expect((await runAdd(['all', '--yes', '--dir', api])).out).toMatch(/Nothing to do/);
  });

  it("gives every later service the signing answers the root recorded, and refuses another one, writing nothing", async () => {
    const repo = fresh();
    git(repo, 'init', '-q');
    mkdirSync(join(repo, 'services'));
    const api = copyFixture('node-express', join(repo, 'services'));
    const web = copyFixture('node-pnpm', join(repo, 'services'));
    expect((await runAdd(['all', '--yes', '--dir', api, '--signing-key', '~/.ssh/work.pub'])).code).toBe(0);
    const before = snapshot(repo);
    for (const [flags, message] of [
      [['--signing', 'gpg'], /^error: --signing gpg: this repository's signing files, which every service shares, were set up with ssh \(.*\.secure-service\/manifest\.json\); leave it out, or change it for the whole repository with "create-secure-service update --signing <value>" in .*, then in each service.s folder$/],
      [['--signing-key', '~/.ssh/id_ed25519.pub'], /^error: --signing-key ~\/\.ssh\/id_ed25519\.pub: .* were set up with ~\/\.ssh\/work\.pub /],
    ] as const) {
      const refused = await runAdd(['all', '--yes', '--dir', web, ...flags]);
      expect(refused.code, refused.err).toBe(2);
      expect(refused.err.trim().split('\n'), refused.err).toHaveLength(1);
      expect(refused.err).toMatch(message);
      expect(snapshot(repo)).toEqual(before);
    }
    const same = await runAdd(['all', '--yes', '--dir', web, '--signing', 'ssh']);
    expect(same.code, same.err).toBe(0);
    expect(readManifest(web).answers).toMatchObject({ signing: 'ssh', signingKey: '~/.ssh/work.pub' });
    expect(readFileSync(join(web, 'SECURITY.md'), 'utf8')).toContain('user.signingkey "$HOME"/.ssh/work.pub');
  });

  it('writes the service files into its folder and the signing files and config at the repository root', async () => {
    const repo = fresh();
    git(repo, 'init', '-q');
    mkdirSync(join(repo, 'services'));
    const api = copyFixture('node-express', join(repo, 'services'));
    writeFileSync(join(repo, 'README.md'), '# monorepo\n');
    const result = await runAdd(['all', '--yes', '--dir', api]);
    expect(result.code, result.err).toBe(0);
    expect(result.out).toMatch(/create\s+services\/node-express\/Dockerfile/);
    expect(result.out).toMatch(/create\s+\.allowed_signers/);
    for (const p of ['Dockerfile', 'compose.yaml', 'deploy/nomad/orders-api.nomad.hcl', 'SECURITY.md', '.secure-service/manifest.json']) expect(existsSync(join(api, p)), p).toBe(true);
    for (const p of ['.allowed_signers', 'scripts/verify-signatures.sh']) {
      expect(existsSync(join(repo, p)), p).toBe(true);
      expect(existsSync(join(api, p)), `${p} in the service`).toBe(false);
    }
    const rootManifest = readManifest(repo);
    expect(rootManifest.files.map((f) => f.path).sort()).toEqual(['.allowed_signers', 'scripts/verify-signatures.sh']);
    expect(readManifest(api).files.some((f) => f.part === 'signing')).toBe(false);
    expect(git(repo, 'config', '--local', 'gpg.ssh.allowedSignersFile')).toBe(join(git(repo, 'rev-parse', '--show-toplevel'), '.allowed_signers'));
    expect(existsSync(join(api, '.git'))).toBe(false);
    expect(await hardenedSetProblems(api, readManifest(api).answers)).toEqual([]);
    expect((await runAdd(['all', '--yes', '--dir', api])).out).toMatch(/Nothing to do/);
  });
});

describe('errors', () => {
  it.each([
    [['app', '--yes'], /add app: the app seed is only for new services/],
    [['--yes'], /add needs at least one part; usage: create-secure-service add </],
    [['dockerfile', '--yes'], /add: unknown part "dockerfile"; choose from docker, compose, nomad, vault, signing, project, all/],
    [['all', '--yes', '--dir', '/nonexistent/dir'], /--dir \/nonexistent\/dir: no such folder; add works in an existing project/],
    [['all', '--dir', '.'], /no terminal to ask questions on; pass --yes/],
  ])('%j', async (argv, message) => {
    const result = await runAdd(argv);
    expect(result.code).toBe(2);
    expect(result.err.split('\n')).toHaveLength(1);
    expect(result.err).toMatch(message);
  });

  it('a damaged marker block stops the run before anything is written', async () => {
    const root = copyFixture('node-express', fresh());
    writeFileSync(join(root, '.gitignore'), `node_modules/\n${markerLines('project', 'hash').start}\n/secrets/*\n`);
    const before = snapshot(root);
    const result = await runAdd(['docker', '--yes', '--dir', root]);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/\.gitignore:2: start marker of the create-secure-service:project block without its end marker/);
    expect(snapshot(root)).toEqual(before);
  });
});

describe('what add prints from the repository', () => {
  it('quotes names, scripts and lockfile fields with their control characters escaped, one line each', async () => {
    const root = fresh();
    writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'shop\u001b[2J', packageManager: 'pnpm@9\n::error::forged', scripts: { start: 'nodemon x.js\u001b]0;pwned\u0007' } }));
    writeFileSync(join(root, 'pnpm-lock.yaml'), '');
    writeFileSync(join(root, 'x.js'), '');
    const run = await runAdd(['docker', '--yes', '--dry-run', '--dir', root]);
    expect(run.code, run.err).toBe(0);
    const printed = `${run.out}\n${run.err}`;
    expect(printed).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/u);
    expect(printed.split('\n').filter((l) => l.startsWith('::'))).toEqual([]);
    expect(printed).toContain('package.json packageManager "pnpm@9\\u000a::error::forged"');
    expect(printed).toContain('scripts.start runs "nodemon x.js\\u001b]0;pwned\\u0007"');
  });
});

describe('add on a TypeScript project', () => {
  const project = () => {
    const root = fresh();
    mkdirSync(join(root, 'src'));
    writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'ledger', scripts: { build: 'tsc -p tsconfig.build.json', start: 'node dist/main.js' }, devDependencies: { typescript: '5.9.3' } }));
    writeFileSync(join(root, 'package-lock.json'), '{}\n');
    writeFileSync(join(root, 'tsconfig.json'), '{}\n');
    writeFileSync(join(root, 'tsconfig.build.json'), '{"extends":"./tsconfig.json"}\n');
    writeFileSync(join(root, 'src/main.ts'), 'console.log(1);\n');
    return root;
  };

  it('builds it in a build stage with its own script, and runs what the build wrote', async () => {
    const root = project();
    const run = await runAdd(['docker', '--yes', '--dir', root]);
    expect(run.code, run.err).toBe(0);
    expect(run.out).toMatch(/^ {2}build script +build +from package\.json scripts\.build, as the start command runs dist\/main\.js$/m);
    const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
    expect(dockerfile).toContain('FROM deps AS build\n');
    expect(dockerfile).toMatch(/COPY src \.\/src\nCOPY tsconfig\.build\.json \.\/tsconfig\.build\.json\nCOPY tsconfig\.json \.\/tsconfig\.json\nRUN npm run build\n/);
    expect(dockerfile).toContain('\nCOPY --from=build /app/dist ./dist\n');
    expect(readManifest(root).answers).toMatchObject({ buildScript: 'build', start: 'node dist/main.js' });
    expect(run.err).not.toMatch(/COPY names/);
  });

  it('with --build-script given (as the note says), the build stage gets the build config too; with sources recorded without it, a note names it', async () => {
    // build/ is no folder detection guesses a build for, so the note tells to pass --build-script.
    const root = project();
    writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'ledger', scripts: { build: 'tsc -p tsconfig.build.json', start: 'node build/main.js' } }));
    const run = await runAdd(['docker', '--yes', '--dir', root, '--build-script', 'build']);
    expect(run.code, run.err).toBe(0);
    expect(readFileSync(join(root, 'Dockerfile'), 'utf8')).toMatch(/COPY src \.\/src\nCOPY tsconfig\.build\.json \.\/tsconfig\.build\.json\nCOPY tsconfig\.json \.\/tsconfig\.json\nRUN npm run build\n/);
    expect(run.err).not.toMatch(/build stage copies the sources alone/);
    // A first run without the build recorded the sources alone; the build script added later is told what it lacks.
    const later = project();
    writeFileSync(join(later, 'package.json'), JSON.stringify({ name: 'ledger', scripts: { build: 'tsc -p tsconfig.build.json', start: 'node build/main.js' } }));
    expect((await runAdd(['docker', '--yes', '--dir', later])).code).toBe(0);
    const again = await runAdd(['docker', '--yes', '--dir', later, '--build-script', 'build']);
    expect(again.code, again.err).toBe(0);
    expect(again.err).toMatch(/^warning: Dockerfile: the build stage copies the sources alone, and tsconfig\.build\.json, tsconfig\.json, which the build script reads, are not among them, so the build would run without them: add them to the sources \(--source src,tsconfig\.build\.json,tsconfig\.json\)$/m);
    const given = await runAdd(['docker', '--yes', '--dir', later, '--build-script', 'build', '--source', 'src,tsconfig*.json']);
    expect(given.code, given.err).toBe(0);
    expect(given.err).not.toMatch(/build stage copies the sources alone/);
  });

  it('gives the detected build script up when --start runs no built file: the flag wins', async () => {
    const root = project();
    writeFileSync(join(root, 'server.js'), '');
    const run = await runAdd(['docker', '--yes', '--dir', root, '--start', 'node server.js']);
    expect(run.code, run.err).toBe(0);
    expect(readManifest(root).answers).toMatchObject({ buildScript: '', start: 'node server.js' });
    expect(readFileSync(join(root, 'Dockerfile'), 'utf8')).not.toContain('AS build');
  });
});

describe("detection's notes on the project, against the final answers", () => {
  const pnpmProject = () => {
    const root = fresh();
    mkdirSync(join(root, 'src'));
    writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'x', scripts: { build: 'tsc', start: 'node build/main.js' } }));
    writeFileSync(join(root, 'pnpm-lock.yaml'), 'lockfileVersion: "9.0"\n');
    writeFileSync(join(root, 'src/main.ts'), 'console.log(1);\n');
    return root;
  };
  const corepack = /installs with the pnpm release its corepack pins/;
  const unbuilt = /package\.json has a build script; the generated Dockerfile does not run it/;

  it('are shown while they hold: the pnpm release corepack pins, a build script the Dockerfile does not run', async () => {
    const run = await runAdd(['docker', '--yes', '--dry-run', '--dir', pnpmProject()]);
    expect(run.code, run.err).toBe(0);
    expect(run.err).toMatch(corepack);
    expect(run.err).toMatch(unbuilt);
  });

  it('are left out once flags change what they are about: another package manager, a build script, another language', async () => {
    const flags = await runAdd(['docker', '--yes', '--dry-run', '--dir', pnpmProject(), '--package-manager', 'npm', '--build-script', 'build']);
    expect(flags.code, flags.err).toBe(0);
    expect(flags.err).not.toMatch(corepack);
    expect(flags.err).not.toMatch(unbuilt);
    const python = await runAdd(['docker', '--yes', '--dry-run', '--dir', pnpmProject(), '--language', 'python']);
    expect(python.code, python.err).toBe(0);
    expect(python.err).not.toMatch(corepack);
    expect(python.err).not.toMatch(unbuilt);
  });
});

describe('a Yarn 2+ project: the yarn-berry choice, by detection, flag or answers file', () => {
  const pnpNote = /no \.yarnrc\.yml, so Yarn uses Plug'n'Play; the image links packages into node_modules/;
  const berryProject = () => {
    const root = copyFixture('node-yarn-berry', fresh());
    rmSync(join(root, '.yarnrc.yml'));
    return root;
  };

  it('is detected, with its Plug\'n\'Play note, and the Dockerfile installs with Yarn 2+', async () => {
    const root = berryProject();
    const run = await runAdd(['docker', '--yes', '--dir', root]);
    expect(run.code, run.err).toBe(0);
    expect(run.err).toMatch(pnpNote);
    expect(readManifest(root).answers).toMatchObject({ packageManager: 'yarn-berry' });
    expect(readFileSync(join(root, 'Dockerfile'), 'utf8')).toContain('corepack yarn workspaces focus --all --production');
  });

  it('is what --package-manager or an answers file says, and the notes about it go with another choice', async () => {
    const flag = await runAdd(['docker', '--yes', '--dry-run', '--dir', berryProject(), '--package-manager', 'yarn']);
    expect(flag.code, flag.err).toBe(0);
    expect(flag.err).not.toMatch(pnpNote);
    const root = copyFixture('node-express', fresh());
    writeFileSync(join(root, 'answers.json'), JSON.stringify({ packageManager: 'yarn-berry' }));
    const answers = await runAdd(['docker', '--yes', '--dir', root, '--answers', join(root, 'answers.json')]);
    expect(answers.code, answers.err).toBe(0);
    expect(readManifest(root).answers).toMatchObject({ packageManager: 'yarn-berry' });
    expect(readFileSync(join(root, 'Dockerfile'), 'utf8')).toContain('\nCOPY package.json yarn.lock .yarnrc.yml* ./\n');
  });
});

describe('the start command when detection finds none', () => {
  const fastapi = (deps: string) => {
    const root = fresh();
    mkdirSync(join(root, 'app'));
    writeFileSync(join(root, 'requirements.txt'), deps);
    writeFileSync(join(root, 'app/__init__.py'), '');
    writeFileSync(join(root, 'app/main.py'), 'from fastapi import FastAPI\napp = FastAPI()\n@app.get("/healthz")\ndef h(): return {}\n');
    return root;
  };

  it('FastAPI in app/main.py runs with uvicorn, on the port given by flag too', async () => {
    const root = fastapi('fastapi\nuvicorn\n');
    const run = await runAdd(['docker', '--yes', '--dir', root, '--no-git']);
    expect(run.code, run.err).toBe(0);
    expect(readFileSync(join(root, 'Dockerfile'), 'utf8')).toMatch(/^ENTRYPOINT \["\/opt\/venv\/bin\/python","-m","uvicorn","app\.main:app","--host","0\.0\.0\.0","--port","8000"\]$/m);
    expect(run.err).not.toMatch(/^warning: start:/m);
    const other = fastapi('fastapi\nuvicorn\n');
    const flag = await runAdd(['docker', '--yes', '--dir', other, '--no-git', '--port', '9000']);
    expect(flag.code, flag.err).toBe(0);
    expect(readFileSync(join(other, 'Dockerfile'), 'utf8')).toMatch(/^ENTRYPOINT \[.*"--port","9000"\]$/m);
    expect(flag.err).not.toMatch(/listens on port/);
  });

  it('says so, naming the file to fix and --start, rather than run the seed\'s start file silently', async () => {
    const bare = await runAdd(['docker', '--yes', '--dry-run', '--dir', fastapi('fastapi\n'), '--no-git']);
    expect(bare.code, bare.err).toBe(0);
    expect(bare.err).toMatch(/^warning: start: app\/main\.py defines the FastAPI app "app", but requirements\.txt declares no ASGI server \(such as uvicorn\) to run it: .*; the default "python -m app" runs app\/__main__\.py, which this project does not have, so the container would exit at once: pass --start/m);
    const node = fresh();
    writeFileSync(join(node, 'package.json'), '{"name":"web","scripts":{"start":"remix-serve build"}}');
    const seed = await runAdd(['docker', '--yes', '--dry-run', '--dir', node, '--no-git']);
    expect(seed.err).toMatch(/^warning: start: no start command was found \(.*\); the default "node src\/server\.js" runs src\/server\.js, which this project does not have/m);
    const given = await runAdd(['docker', '--yes', '--dry-run', '--dir', node, '--no-git', '--start', 'node server.js']);
    expect(given.err).not.toMatch(/^warning: start:/m);
  });
});
