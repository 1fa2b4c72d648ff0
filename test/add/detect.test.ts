/**
 * Detection on the fixture repositories (test/fixtures/repos, written for these tests) and on
 * small trees made here: the suggested answers, where each came from, and the rules that keep
 * an unusable finding from being offered.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { detectProject, noteHolds } from '../../src/add/detect/index.js';
import { listeningStart, productionStart, serverPort } from '../../src/add/detect/listen.js';
import { localDependencyNotes } from '../../src/add/detect/node.js';
import { requirementsNotes } from '../../src/add/detect/python.js';
import { kubernetesProbePath, nomadCheckPath } from '../../src/add/detect/health.js';
import { splitCommand, toDnsLabel } from '../../src/validate.js';
import { repoRoot } from '../helpers/render.js';

const fixture = (name: string) => join(repoRoot, 'test/fixtures/repos', name);
const sourceOf = (d: Awaited<ReturnType<typeof detectProject>>, key: string) => d.found.find((f) => f.key === key)?.source;
const notesOf = (d: Awaited<ReturnType<typeof detectProject>>) => d.valueNotes.map((n) => n.note).join('\n');

const scratch = mkdtempSync(join(tmpdir(), 'css-detect-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let counter = 0;
function tree(files: Record<string, string>, name = `repo-${counter++}`): string {
  const root = join(scratch, name);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

describe('detection on the fixture repositories', () => {
  it('Node/Express: engines 20.x maps to the nearest supported 22, port 3000, npm start, scoped name, secret names', async () => {
    const d = await detectProject(fixture('node-express'));
    expect(d.suggested).toEqual({ language: 'node', languageVersion: '22', port: 3000, start: 'node server.js', sources: ['server.js'], packageManager: 'npm', healthPath: '/healthz', name: 'orders-api', secrets: ['SESSION_SECRET', 'STRIPE_API_KEY'] });
    expect(sourceOf(d, 'language')).toBe('package.json');
    expect(sourceOf(d, 'languageVersion')).toMatch(/^package\.json engines\.node "20\.x"; not offered, so the nearest supported version$/);
    expect(sourceOf(d, 'start')).toBe('package.json scripts.start');
    expect(sourceOf(d, 'healthPath')).toBe("server.js: route '/healthz'");
    expect(sourceOf(d, 'name')).toBe('package.json name "@acme/orders-api"');
    expect(sourceOf(d, 'secrets')).toBe('.env.example');
    // LOG_LEVEL and PORT are configuration, not secrets.
    expect(d.suggested.secrets).not.toContain('LOG_LEVEL');
  });

  it('Flask: .python-version, the port from app.run, the script as start command, DATABASE_URL as a secret', async () => {
    const d = await detectProject(fixture('flask-app'));
    expect(d.suggested).toEqual({ language: 'python', languageVersion: '3.12', port: 5000, start: 'python app.py', sources: ['app.py'], packageManager: 'pip', healthPath: '/healthz', name: 'flask-app', secrets: ['DATABASE_URL'] });
    expect(sourceOf(d, 'languageVersion')).toBe('.python-version "3.12"');
    expect(sourceOf(d, 'port')).toMatch(/^app\.py: /);
    expect(sourceOf(d, 'name')).toBe('folder name "flask-app"');
  });

  it('Go with its own Dockerfile: go 1.23 is a minimum that 1.25 meets, the port from EXPOSE, the module name', async () => {
    const d = await detectProject(fixture('go-inventory'));
    expect(d.suggested).toEqual({ language: 'go', languageVersion: '1.25', port: 8081, sources: ['*.go'], healthPath: '/healthz', name: 'inventory' });
    expect(sourceOf(d, 'languageVersion')).toBe('go.mod go 1.23');
    expect(sourceOf(d, 'port')).toBe('Dockerfile EXPOSE 8081');
    // The old Dockerfile's CMD names its own binary; the generated build decides the start command.
    expect(d.suggested.start).toBeUndefined();
  });

  it('Spring Boot: <java.version>, server.port from application.properties, the artifactId, the jar it builds', async () => {
    const d = await detectProject(fixture('spring-catalog'));
    expect(d.suggested).toEqual({ language: 'java', languageVersion: '17', port: 8085, sources: ['src'], packageManager: 'maven', buildTarget: 'target/catalog-service-*.jar', healthPath: '/actuator/health', name: 'catalog-service' });
    expect(sourceOf(d, 'port')).toBe('src/main/resources/application.properties server.port=8085');
    expect(sourceOf(d, 'buildTarget')).toBe('pom.xml artifactId catalog-service, any version');
    // Actuator serves health at /actuator/health; the default /healthz would fail every check.
    expect(sourceOf(d, 'healthPath')).toBe('spring-boot-starter-actuator in pom.xml (its health endpoint)');
    expect(d.dockerNotes.join('\n')).not.toMatch(/finalName|--build-target/);
  });

  it('.NET: TargetFramework net8.0, Urls in appsettings.json (not the development launchSettings port), the assembly as start', async () => {
    const d = await detectProject(fixture('dotnet-orders'));
    expect(d.suggested).toEqual({ language: 'dotnet', languageVersion: '8.0', port: 5100, start: 'dotnet Orders.Api.dll', sources: ['*.cs', 'appsettings*.json'], healthPath: '/healthz', name: 'orders-api' });
    expect(sourceOf(d, 'languageVersion')).toBe('Orders.Api.csproj <TargetFramework>net8.0');
    expect(sourceOf(d, 'port')).toBe('appsettings.json http://0.0.0.0:5100');
  });

  it('PHP: ^8.2 allows the default 8.4, the port and names from docker-compose.yml, postgres as a backing service', async () => {
    const d = await detectProject(fixture('php-billing'));
    expect(d.suggested).toEqual({ language: 'php', languageVersion: '8.4', port: 8090, start: 'php -S 0.0.0.0:8090 -t public', sources: ['public', 'src'], healthPath: '/healthz', name: 'billing', services: ['postgres'], secrets: ['DB_PASSWORD', 'INVOICE_SIGNING_KEY'] });
    expect(sourceOf(d, 'port')).toBe('docker-compose.yml services.billing.ports');
    expect(sourceOf(d, 'services')).toBe('docker-compose.yml images');
    expect(d.composeFiles).toEqual(['docker-compose.yml']);
  });
});

describe('detection rules', () => {
  it('prefers the Dockerfile over compose, .env and the framework default, and skips a privileged port with a note', async () => {
    const root = tree({
      'package.json': JSON.stringify({ name: 'web', dependencies: { express: '4' } }),
      Dockerfile: 'FROM node:22\nEXPOSE 80\n',
      'compose.yaml': 'services:\n  web:\n    build: .\n    ports: ["127.0.0.1:9000:4000"]\n',
      '.env': 'PORT=5555\nAPI_TOKEN=real-value\n',
    });
    const d = await detectProject(root);
    expect(d.suggested.port).toBe(4000);
    expect(sourceOf(d, 'port')).toBe('compose.yaml services.web.ports');
    expect(d.notes.join('\n')).toMatch(/Dockerfile EXPOSE 80: port 80 is privileged .*not used/);
    // The version comes from the FROM line when the project states none.
    expect(d.suggested.languageVersion).toBe('22');
    expect(sourceOf(d, 'languageVersion')).toBe('Dockerfile FROM node:22');
    // Names only from example files and compose, never from .env (which holds values).
    expect(d.suggested.secrets).toBeUndefined();
  });

  it('takes no port, health path or secret names from a compose file that runs only third-party servers (spring-petclinic layout)', async () => {
    // spring-projects/spring-petclinic: its docker-compose.yml starts MySQL and Postgres for development, no app.
    const compose = 'services:\n  mysql:\n    image: mysql:9.1\n    ports:\n      - "3306:3306"\n    environment:\n      - MYSQL_ROOT_PASSWORD=\n      - MYSQL_PASSWORD=petclinic\n    healthcheck:\n      test: ["CMD", "curl", "http://127.0.0.1:3306/ping"]\n  postgres:\n    image: postgres:17.2\n    ports:\n      - "5432:5432"\n';
    const d = await detectProject(tree({ 'pom.xml': '<project><artifactId>spring-petclinic</artifactId><version>3.4.0-SNAPSHOT</version><properties><java.version>17</java.version></properties></project>', 'src/main/java/org/acme/PetClinicApplication.java': '', 'docker-compose.yml': compose }));
    // No port found: the language's (8080, Spring Boot's too) stands, not MySQL's 3306.
    expect(d.suggested.port).toBeUndefined();
    expect(d.suggested.secrets).toBeUndefined();
    expect(d.suggested.healthPath).toBeUndefined();
    expect(d.suggested.services).toEqual(['postgres']);
    // A service running the team's own image is still the app, as are other registries' and bitnami's names for the servers.
    const own = await detectProject(tree({ 'package.json': '{"name":"web"}', 'compose.yaml': 'services:\n  db:\n    image: bitnami/mysql:8.4\n    ports: ["3306:3306"]\n  mail:\n    image: axllent/mailpit\n    ports: ["8025:8025"]\n  web:\n    image: ghcr.io/acme/web:1.2\n    ports: ["8081:4100"]\n' }));
    expect(own.suggested.port).toBe(4100);
    expect(sourceOf(own, 'port')).toBe('compose.yaml services.web.ports');
  });

  it('chooses between manifests by the number of source files, and says what else it saw', async () => {
    const root = tree({ 'package.json': '{"name":"tools","devDependencies":{"prettier":"3"}}', 'pyproject.toml': '[project]\nname = "ml-svc"\nrequires-python = ">=3.9,<3.13"\n', 'a.py': '', 'b.py': '', 'pkg/c.py': '', 'x.js': '' });
    const d = await detectProject(root);
    expect(d.suggested.language).toBe('python');
    expect(sourceOf(d, 'language')).toMatch(/also found package\.json/);
    // ">=3.9,<3.13" excludes 3.13 (the default): the newest allowed is 3.12.
    expect(d.suggested.languageVersion).toBe('3.12');
    expect(d.suggested.name).toBe('ml-svc');
  });

  it('drops a detected value that is not a valid answer, with a note, and normalises names to DNS labels', async () => {
    const root = tree({ 'package.json': JSON.stringify({ name: '@Team/Payments_Service!', scripts: { start: 'node "unterminated' } }) });
    const d = await detectProject(root);
    expect(d.suggested.name).toBe('payments-service');
    expect(d.suggested.start).toBeUndefined();
    expect(d.notes.join('\n')).toMatch(/package\.json scripts\.start: start .*not used/);
  });

  it('stops on a broken JSON manifest or compose file with file:line:column', async () => {
    await expect(detectProject(tree({ 'package.json': '{ not json' }))).rejects.toThrow(/package\.json:1:3: package\.json is not valid JSON .*; fix the syntax/);
    await expect(detectProject(tree({ 'docker-compose.yml': 'services: [\n' }))).rejects.toThrow(/docker-compose\.yml:\d+:\d+: docker-compose\.yml is not valid YAML .*; fix it, then run add again/);
  });

  it('falls back on source files when there is no manifest', async () => {
    const d = await detectProject(tree({ 'main.go': 'package main\n', 'util.go': 'package main\n' }, 'Weird Name'));
    expect(d.suggested.language).toBe('go');
    expect(sourceOf(d, 'language')).toBe('2 .go source file(s)');
    expect(d.suggested.name).toBe('weird-name');
  });

  it('reads lts codenames, .tool-versions, Pipfile, Cargo rust-version, global.json and composer platform', async () => {
    expect((await detectProject(tree({ 'package.json': '{}', '.nvmrc': 'lts/jod\n' }))).suggested.languageVersion).toBe('22');
    expect((await detectProject(tree({ 'package.json': '{}', '.tool-versions': 'python 3.11.9\nnodejs 24.1.0\n' }))).suggested.languageVersion).toBe('24');
    expect((await detectProject(tree({ Pipfile: '[requires]\npython_version = "3.11"\n' }))).suggested.languageVersion).toBe('3.11');
    expect((await detectProject(tree({ 'Cargo.toml': '[package]\nname = "server"\nrust-version = "1.80"\n' }))).suggested.languageVersion).toBe('1.91');
    expect((await detectProject(tree({ 'src/Api/Api.csproj': '<Project Sdk="Microsoft.NET.Sdk.Web"></Project>', 'global.json': '{"sdk":{"version":"10.0.100"}}' }))).suggested.languageVersion).toBe('10.0');
    expect((await detectProject(tree({ 'composer.json': '{"config":{"platform":{"php":"8.3.12"}},"require":{"php":">=8.1"}}' }))).suggested.languageVersion).toBe('8.3');
  });

  it('maps versions it cannot offer to the nearest supported one and says so', async () => {
    const java8 = await detectProject(tree({ 'pom.xml': '<project><artifactId>legacy</artifactId><properties><java.version>1.8</java.version></properties></project>' }));
    expect(java8.suggested.languageVersion).toBe('17');
    expect(sourceOf(java8, 'languageVersion')).toMatch(/<java\.version>1\.8; not offered, so the nearest supported version/);
    const net9 = await detectProject(tree({ 'App.csproj': '<Project Sdk="Microsoft.NET.Sdk.Web"><PropertyGroup><TargetFramework>net9.0</TargetFramework></PropertyGroup></Project>' }));
    expect(net9.suggested.languageVersion).toBe('10.0');
  });

  it('toDnsLabel', () => {
    expect(toDnsLabel('@acme/Orders_API')).toBe('orders-api');
    expect(toDnsLabel('123-svc')).toBe('svc');
    expect(toDnsLabel('___')).toBeNull();
    // Accented letters keep their letter (NFKD, marks dropped); other scripts have no label.
    expect(toDnsLabel('Café Ünïcode')).toBe('cafe-unicode');
    expect(toDnsLabel('ﬁnance-Å')).toBe('finance-a');
    expect(toDnsLabel('日本')).toBeNull();
    expect(toDnsLabel('a'.repeat(80))).toHaveLength(63);
  });
});

describe("the image's sources (what the Dockerfile copies)", () => {
  const sourcesOf = async (files: Record<string, string>) => {
    const d = await detectProject(tree(files));
    return { value: d.suggested.sources, source: sourceOf(d, 'sources'), notes: d.dockerNotes, bound: d.languageBound.includes('sources') };
  };

  it('Node: the top-level files and folders with code, plus folders read at run time; tests, tooling and build output left out', async () => {
    const s = await sourcesOf({
      'package.json': '{"main":"index.js"}', 'index.js': '', 'jest.config.js': '', 'eslint.config.mjs': '', 'types.d.ts': '', 'app.test.js': '',
      'lib/db.js': '', 'routes/a/b.ts': '', 'views/home.ejs': '', 'public/site.css': '', 'notes/readme.txt': '',
      'test/a.test.js': '', '__tests__/b.js': '', 'scripts/release.js': '', 'docs/x.js': '', 'examples/y.js': '', '.storybook/main.js': '',
    });
    expect(s.value).toEqual(['index.js', 'lib', 'routes', 'public', 'views']);
    expect(s.source).toBe('the top-level paths holding .js sources (tests, docs, tooling left out), and public, views used at run time');
    expect(s.bound).toBe(true);
  });

  it('Go and .NET compile a whole folder: top-level files become one wildcard; ASP.NET configuration and wwwroot go along', async () => {
    expect((await sourcesOf({ 'go.mod': 'module x\n\ngo 1.24\n', 'main.go': '', 'util.go': '', 'main_test.go': '', 'internal/db/db.go': '', 'cmd/tool/main.go': '', 'testdata/x.go': '', 'templates/page.html': '' })).value).toEqual(['cmd', 'internal', '*.go', 'templates']);
    expect((await sourcesOf({ 'Api.csproj': '<Project Sdk="Microsoft.NET.Sdk.Web"></Project>', 'Program.cs': '', 'Models/Order.cs': '', 'appsettings.json': '{}', 'appsettings.Production.json': '{}', 'wwwroot/site.css': '', 'Api.Tests/UnitTests.cs': '', 'integration_tests/A.cs': '' })).value).toEqual(['Models', '*.cs', 'wwwroot', 'appsettings*.json']);
  });

  it('Python: packages and modules, not tests or packaging; a path COPY cannot take is left out with a note', async () => {
    const s = await sourcesOf({ 'requirements.txt': 'flask==3.0.0\n', 'manage.py': '', 'setup.py': '', 'conftest.py': '', 'test_app.py': '', 'shop/__init__.py': '', 'shop/api/v1.py': '', 'tests/test_x.py': '', 'my tools/x.py': '', 'templates/a.html': '' });
    expect(s.value).toEqual(['manage.py', 'shop', 'templates']);
    expect(s.notes.join('\n')).toMatch(/my tools: source "my tools" is not a plain relative path.*left out of the image's sources, so add its COPY line by hand/);
  });

  it('suggests nothing past 50 paths, and says to name them', async () => {
    const files = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`m${i}/index.js`, '']));
    const s = await sourcesOf({ 'package.json': '{}', ...files });
    expect(s.value).toBeUndefined();
    expect(s.notes).toContain('60 top-level paths hold sources, more than the 50 a sources answer takes; name the ones the image needs with --source');
  });

  it('suggests nothing when no source file is found: the seed layout stays, and the Dockerfile notes say what to edit', async () => {
    const s = await sourcesOf({ 'package.json': '{}', 'README.md': '', 'test/a.js': '' });
    expect(s.value).toBeUndefined();
    expect(s.bound).toBe(false);
  });
});

describe('what the build makes (Go main package, Rust binary, Maven jar)', () => {
  const targetOf = async (files: Record<string, string>) => {
    const d = await detectProject(tree(files));
    return { value: d.suggested.buildTarget, source: sourceOf(d, 'buildTarget'), notes: d.dockerNotes, bound: d.languageBound.includes('buildTarget') };
  };

  it('Go: the only main package under cmd/, or the one named after the module; none to choose when main.go is at the root', async () => {
    expect(await targetOf({ 'go.mod': 'module example.com/shop\n\ngo 1.24\n', 'cmd/api/main.go': 'package main\n', 'internal/x.go': '' })).toMatchObject({ value: './cmd/api', source: 'cmd/api/main.go, the only main package', bound: true });
    expect((await targetOf({ 'go.mod': 'module example.com/shop/v2\n\ngo 1.24\n', 'cmd/shop/main.go': '', 'cmd/migrate/main.go': '' })).value).toBe('./cmd/shop');
    const two = await targetOf({ 'go.mod': 'module example.com/x\n\ngo 1.24\n', 'cmd/a/main.go': '', 'cmd/b/main.go': '' });
    expect(two.value).toBeUndefined();
    expect(two.notes.join('\n')).toMatch(/main packages in cmd\/a, cmd\/b: the image builds one, so choose it with --build-target \(e\.g\. --build-target \.\/cmd\/a\)/);
    expect((await targetOf({ 'go.mod': 'module x\n\ngo 1.24\n', 'main.go': '' })).value).toBeUndefined();
  });

  it('Go: of several main packages, the one that listens on a port (a server beside a worker and a migration tool)', async () => {
    const serve = 'package main\n\nimport "net/http"\n\nfunc main() {\n\thttp.ListenAndServe(":8090", nil)\n}\n';
    const files = { 'go.mod': 'module github.com/acme/shop-backend\n\ngo 1.24\n', 'cmd/api/main.go': serve, 'cmd/worker/main.go': 'package main\n\nfunc main() {}\n', 'cmd/migrate/main.go': 'package main\n\nfunc main() {}\n' };
    expect(await targetOf(files)).toMatchObject({ value: './cmd/api', source: 'cmd/api/main.go, the only main package that listens on a port', bound: true });
    // Two that listen: still a choice for the user.
    const both = await targetOf({ ...files, 'cmd/worker/main.go': serve.replace('8090', '9090') });
    expect(both.value).toBeUndefined();
    expect(both.notes.join('\n')).toMatch(/main packages in cmd\/api, cmd\/migrate, cmd\/worker: the image builds one/);
  });

  it('Rust: the package name, or its one [[bin]], or the [[bin]] named like the package', async () => {
    expect((await targetOf({ 'Cargo.toml': '[package]\nname = "inventory-api"\n', 'src/main.rs': '' })).value).toBe('inventory-api');
    expect((await targetOf({ 'Cargo.toml': '[package]\nname = "shop"\n\n[[bin]]\nname = "shopd"\npath = "src/main.rs"\n', 'src/main.rs': '' })).value).toBe('shopd');
    expect((await targetOf({ 'Cargo.toml': '[package]\nname = "shop"\n\n[[bin]]\nname = "tool"\n\n[[bin]]\nname = "shop"\n', 'src/main.rs': '' })).value).toBe('shop');
    const many = await targetOf({ 'Cargo.toml': '[package]\nname = "x"\n\n[[bin]]\nname = "a"\n\n[[bin]]\nname = "b"\n', 'src/main.rs': '' });
    expect(many.value).toBeUndefined();
    expect(many.notes).toContain('Cargo.toml has binaries a, b: the image runs one, so choose it with --build-target');
  });

  it('Rust workspaces: the one binary among the members, the members the image must copy, and what it cannot build', async () => {
    const crate = (name: string, extra = '') => `[package]\nname = "${name}"\nversion = "0.1.0"\nedition = "2021"\n${extra}`;
    // Members by glob and by path, a library, a path dependency between members, an excluded folder.
    const d = await detectProject(tree({
      'Cargo.toml': '[workspace]\nresolver = "2"\nmembers = [\n  "crates/*", # the service\n  "tools/xtask",\n]\nexclude = ["crates/old"]\n',
      'crates/api/Cargo.toml': crate('api', '\n[dependencies]\ncore = { path = "../core" }\n'), 'crates/api/src/main.rs': 'fn main() {}\n',
      'crates/core/Cargo.toml': crate('core'), 'crates/core/src/lib.rs': '',
      'crates/old/Cargo.toml': crate('old'), 'crates/old/src/main.rs': '',
      'tools/xtask/Cargo.toml': crate('xtask', '\n[lib]\npath = "lib.rs"\n'), 'tools/xtask/lib.rs': '',
    }));
    expect(d.suggested).toMatchObject({ language: 'rust', buildTarget: 'api', sources: ['crates', 'tools/xtask'] });
    expect(sourceOf(d, 'buildTarget')).toBe("crates/api/Cargo.toml, the workspace's only binary");
    expect(sourceOf(d, 'sources')).toMatch(/, and tools\/xtask: the workspace members and path dependencies in Cargo\.toml \[workspace\] members, crates\/api\/Cargo\.toml path dependencies$/);
    expect(d.dockerNotes).toEqual([]);
    // Several binaries: the user chooses; members without a Cargo.toml and path dependencies outside the folder are noted.
    const many = await detectProject(tree({
      'Cargo.toml': '[workspace]\nmembers = ["a", "b", "gone"]\n',
      'a/Cargo.toml': crate('a', '\n[dependencies]\nshared = { path = "../../shared" }\n'), 'a/src/main.rs': '',
      'b/Cargo.toml': crate('b', '\n[[bin]]\nname = "bd"\n'), 'b/src/main.rs': '',
    }));
    expect(many.suggested.buildTarget).toBeUndefined();
    expect(many.suggested.sources).toEqual(['a', 'b']);
    expect(many.dockerNotes).toEqual(expect.arrayContaining([
      'the workspace builds binaries a (a), bd (b): the image runs one, so choose it with --build-target',
      'a/Cargo.toml has the path dependency ../../shared, outside this folder and so outside the build context: "cargo fetch" in the image cannot read it; move it into the project (then add docker again) or depend on a published or git version',
      'gone: named as workspace members or path dependencies, but no Cargo.toml was found there, so "cargo fetch" in the image will fail to load them; fix the path, or copy them before that line',
    ]));
    const bare = await targetOf({ 'Cargo.toml': '[workspace]\nmembers = ["lib"]\n', 'lib/Cargo.toml': crate('lib'), 'lib/src/lib.rs': '' });
    expect(bare.value).toBeUndefined();
    expect(bare.notes).toContain('Cargo.toml is a workspace with no binary found in its members: name the binary the image runs with --build-target');
  });

  it('Gradle (with its wrapper): build/libs/<rootProject.name>-*.jar, whatever the version; subprojects, renamed archives, no name or no wrapper are noted', async () => {
    const wrapper = { gradlew: '#!/bin/sh\n', 'gradle/wrapper/gradle-wrapper.properties': 'distributionUrl=x\n', 'src/main/java/A.java': '' };
    const gradle = async (files: Record<string, string>) => {
      const d = await detectProject(tree({ ...wrapper, ...files }));
      return { manager: d.suggested.packageManager, value: d.suggested.buildTarget, source: sourceOf(d, 'buildTarget'), notes: d.dockerNotes.join('\n') };
    };
    expect(await gradle({ 'settings.gradle': "rootProject.name = 'billing'\n", 'build.gradle': "plugins { id 'java' }\nversion = '0.9.0'\n" })).toMatchObject({ manager: 'gradle', value: 'build/libs/billing-*.jar', source: 'settings.gradle rootProject.name billing, any version' });
    expect((await gradle({ 'settings.gradle.kts': 'rootProject.name = "billing"\n', 'build.gradle.kts': 'plugins { java }\n', 'gradle.properties': 'version=2.0.1\n' })).value).toBe('build/libs/billing-*.jar');
    // The name's source is the settings file there is (Kotlin DSL included).
    const kts = await detectProject(tree({ ...wrapper, 'settings.gradle.kts': 'rootProject.name = "billing"\n', 'build.gradle.kts': 'plugins { java }\n' }));
    expect(sourceOf(kts, 'name')).toBe('settings.gradle.kts rootProject.name "billing"');
    expect((await gradle({ 'settings.gradle.kts': 'rootProject.name = "billing"\n', 'build.gradle.kts': 'plugins { java }\n' })).value).toBe('build/libs/billing*.jar');
    // A version set by code: no literal to read, and the pattern takes the jar with or without one.
    expect((await gradle({ 'settings.gradle': "rootProject.name = 'billing'\n", 'build.gradle': "version = computeVersion()\n" })).value).toBe('build/libs/billing*.jar');
    const multi = await gradle({ 'settings.gradle.kts': 'rootProject.name = "shop"\ninclude("api", "core")\n', 'build.gradle.kts': '' });
    expect(multi).toMatchObject({ manager: 'gradle', value: undefined });
    expect(multi.notes).toMatch(/includes subprojects: the jar the image runs is in one of their build\/libs folders/);
    expect((await gradle({ 'settings.gradle': "rootProject.name = 'x'\n", 'build.gradle': "bootJar { archiveFileName = 'app.jar' }\n" })).notes).toMatch(/renames its jar/);
    const unnamed = await gradle({ 'build.gradle': "version = '1.0'\n" });
    expect(unnamed.value).toBeUndefined();
    expect(unnamed.notes).toMatch(/no rootProject\.name, so Gradle names the jar after the folder, which is \/build in the image/);
    const bare = await detectProject(tree({ 'build.gradle': "version = '1.0'\n", 'settings.gradle': "rootProject.name = 'x'\n", 'src/main/java/A.java': '' }));
    expect(bare.suggested.packageManager).toBeUndefined();
    expect(bare.dockerNotes.join('\n')).toMatch(/builds with Gradle \(build\.gradle\) but has no wrapper/);
  });

  it("Maven: <finalName> (a property in it a wildcard), else artifactId-*, whatever the version; an artifactId from a property is not guessed", async () => {
    expect((await targetOf({ 'pom.xml': '<project><artifactId>orders</artifactId><version>1.2.0</version><build><finalName>orders-app</finalName></build></project>' })).value).toBe('target/orders-app.jar');
    expect((await targetOf({ 'pom.xml': '<project><artifactId>orders</artifactId><version>1.2.0</version><dependencies><dependency><artifactId>x</artifactId><version>9</version></dependency></dependencies></project>' })).value).toBe('target/orders-*.jar');
    expect((await targetOf({ 'pom.xml': '<project><artifactId>orders</artifactId><version>${revision}</version></project>' })).value).toBe('target/orders-*.jar');
    expect((await targetOf({ 'pom.xml': '<project><artifactId>orders</artifactId><version>1.2.0</version><build><finalName>orders-${project.version}</finalName></build></project>' })).value).toBe('target/orders-*.jar');
    const property = await targetOf({ 'pom.xml': '<project><artifactId>${service}</artifactId><version>1.0</version></project>' });
    expect(property.value).toBeUndefined();
    expect(property.notes.join('\n')).toMatch(/could not be told from pom\.xml \(its name comes from a property or the parent POM\); pass it with --build-target/);
    const war = await targetOf({ 'pom.xml': '<project><artifactId>orders</artifactId><version>1.0</version><packaging>war</packaging></project>' });
    expect(war.value).toBeUndefined();
    expect(war.notes.join('\n')).toMatch(/pom\.xml packages a war; the generated Dockerfile runs a jar/);
  });
});

describe('a Node project that runs from its build output', () => {
  it('suggests its build script when the start command runs a file the build writes, with the build config among the sources', async () => {
    const built = await detectProject(tree({ 'package.json': '{"scripts":{"build":"tsc","start":"node dist/index.js"}}', 'package-lock.json': '{}', 'src/index.ts': '', 'tsconfig.json': '{}', 'tsconfig.build.json': '{}', 'jest.config.js': '' }));
    expect(built.suggested).toMatchObject({ start: 'node dist/index.js', buildScript: 'build', sources: ['src', 'tsconfig.build.json', 'tsconfig.json'] });
    expect(sourceOf(built, 'buildScript')).toBe('package.json scripts.build, as the start command runs dist/index.js');
    expect(built.languageBound).toContain('buildScript');
    // Without a build, tsconfig.json is tooling, not a source.
    const plain = await detectProject(tree({ 'package.json': '{"scripts":{"build":"webpack","start":"node server.js"}}', 'server.js': '', 'tsconfig.json': '{}' }));
    expect(plain.suggested.buildScript).toBeUndefined();
    expect(plain.suggested.sources).toEqual(['server.js']);
    expect(plain.dockerNotes.join('\n')).toMatch(/package\.json has a build script; the generated Dockerfile does not run it, so pass --build-script build/);
    // build/ is not among the folders the Node .dockerignore leaves out: no guess either.
    const buildDir = await detectProject(tree({ 'package.json': '{"scripts":{"build":"tsc","start":"node --enable-source-maps ./build/main.js"}}', 'src/main.ts': '' }));
    expect(buildDir.suggested.buildScript).toBeUndefined();
    const flags = await detectProject(tree({ 'package.json': '{"scripts":{"build":"tsc","start":"node --enable-source-maps ./dist/main.js"}}', 'src/main.ts': '' }));
    expect(flags.suggested).toMatchObject({ buildScript: 'build', start: 'node --enable-source-maps ./dist/main.js' });
  });
});

describe('the script that starts a Node app in production', () => {
  it("NestJS: scripts.start is the CLI's dev server, start:prod runs node dist/main (no extension)", async () => {
    // nestjs/typescript-starter's package.json scripts, nest-cli.json and src/main.ts.
    const scripts = { build: 'nest build', start: 'nest start', 'start:dev': 'nest start --watch', 'start:prod': 'node dist/main', test: 'jest' };
    const d = await detectProject(tree({ 'package.json': JSON.stringify({ name: 'nest-typescript-starter', scripts, dependencies: { '@nestjs/core': '^11.0.1' } }), 'package-lock.json': '{}', 'nest-cli.json': '{"sourceRoot":"src"}', 'tsconfig.json': '{"compilerOptions":{"outDir":"./dist"}}', 'tsconfig.build.json': '{}', 'src/main.ts': "async function bootstrap() {\n  const app = await NestFactory.create(AppModule);\n  app.get('/healthz');\n  await app.listen(process.env.PORT ?? 3100);\n}\n", 'test/app.e2e-spec.ts': '' }));
    expect(d.suggested).toMatchObject({ start: 'node dist/main', buildScript: 'build', sources: ['src', 'nest-cli.json', 'tsconfig.build.json', 'tsconfig.json'], port: 3100, healthPath: '/healthz' });
    expect(sourceOf(d, 'start')).toBe('package.json scripts.start:prod');
    expect(sourceOf(d, 'port')).toBe('src/main.ts: process.env.PORT ?? 3100');
    expect(d.dockerNotes.join('\n')).not.toMatch(/scripts\.start runs|does not run it/);
  });

  it('TypeScript-Node-Starter: scripts.start only runs another script ("npm run serve"), followed to the node command', async () => {
    // microsoft/TypeScript-Node-Starter's scripts.
    const scripts = { build: 'npm run build-sass && npm run build-ts && npm run copy-static-assets', 'build-ts': 'tsc', serve: 'node dist/server.js', start: 'npm run serve', 'watch-node': 'nodemon dist/server.js' };
    const d = await detectProject(tree({ 'package.json': JSON.stringify({ name: 'express-typescript-starter', scripts, dependencies: { express: '^4.17.1' } }), 'package-lock.json': '{}', 'tsconfig.json': '{}', 'src/server.ts': '', 'src/app.ts': '', 'views/home.pug': '' }));
    expect(d.suggested).toMatchObject({ start: 'node dist/server.js', buildScript: 'build' });
    expect(sourceOf(d, 'start')).toBe('package.json scripts.serve (which scripts.start runs)');
    for (const start of ['yarn serve', 'pnpm run serve', 'npm run-script serve']) {
      const other = await detectProject(tree({ 'package.json': JSON.stringify({ scripts: { start, serve: 'NODE_ENV=production node server.js' } }), 'server.js': '' }));
      expect(other.suggested.start, start).toBe('node server.js');
    }
    // A chain that ends in no node command (or loops) is left as it was, with the note that the image cannot run it.
    const loop = await detectProject(tree({ 'package.json': JSON.stringify({ scripts: { start: 'npm run a', a: 'npm run b', b: 'npm run a' } }), 'index.js': '' }));
    expect(loop.suggested.start).toBe('node index.js');
    expect(loop.dockerNotes.join('\n')).toMatch(/package\.json scripts\.start runs "npm run a"; the image starts node directly/);
    // scripts.start that runs node wins over start:prod.
    const both = await detectProject(tree({ 'package.json': JSON.stringify({ scripts: { start: 'node server.js', 'start:prod': 'node dist/server.js' } }), 'server.js': '' }));
    expect(both.suggested.start).toBe('node server.js');
  });

  it('TypeScript run through tsx or ts-node: the note says how the image can start it (compiled, or by Node itself)', async () => {
    const noteFor = async (start: string) => (await detectProject(tree({ 'package.json': JSON.stringify({ name: 'ts-api', scripts: { start }, dependencies: { hono: '^4' }, devDependencies: { tsx: '^4' } }), 'package-lock.json': '{}', 'src/index.ts': 'serve({ fetch: app.fetch, port: 8787 })\n' }))).dockerNotes.find((n) => n.startsWith('package.json scripts.start'));
    const compile = 'compile it (a build script such as "build": "tsc", then --build-script build --start "node dist/index.js")';
    const strip = (file: string) => `; or, if it uses only erasable TypeScript (no enum, namespace or parameter property) and imports with .ts extensions, --start "node ${file}": Node 22.18 and later strip the types themselves`;
    expect(await noteFor('tsx src/index.ts')).toBe(`package.json scripts.start runs "tsx src/index.ts", TypeScript through tsx, a development tool the image's production install leaves out, so the image cannot start the app that way: ${compile}${strip('src/index.ts')}`);
    expect(await noteFor('ts-node --transpile-only ./src/index.ts')).toMatch(/through ts-node, .*--start "node \.\/src\/index\.ts": Node 22\.18/);
    expect(await noteFor('npx tsx src/index.mts')).toMatch(/through tsx, .*--start "node src\/index\.mts"/);
    // No .ts file named: compiling is the one way given.
    expect(await noteFor('tsx watch')).toBe(`package.json scripts.start runs "tsx watch", TypeScript through tsx, a development tool the image's production install leaves out, so the image cannot start the app that way: ${compile}`);
    // node with tsx's or ts-node's loader runs as written, but needs the loader in dependencies.
    const loaded = async (start: string, dependencies: Record<string, string>) => (await detectProject(tree({ 'package.json': JSON.stringify({ name: 'ts-api', scripts: { start }, dependencies, devDependencies: { tsx: '^4', 'ts-node': '^10' } }), 'package-lock.json': '{}', 'src/index.ts': '' }))).dockerNotes.filter((n) => n.includes('loads TypeScript'));
    expect(await loaded('node --import tsx src/index.ts', { hono: '^4' })).toEqual(['package.json scripts.start loads TypeScript through tsx ("node --import tsx src/index.ts"), which is not in dependencies, and the image installs production dependencies alone, so the app would stop at start: move tsx to dependencies, or compile it (a build script such as "build": "tsc", then --build-script build --start "node dist/index.js")']);
    expect(await loaded('node --loader ts-node/esm src/index.ts', {})).toHaveLength(1);
    expect(await loaded('node -r ts-node/register src/index.ts', {})).toHaveLength(1);
    expect(await loaded('node --import tsx src/index.ts', { tsx: '^4' })).toEqual([]);
    expect(await loaded('node --import ./otel.js dist/index.js', {})).toEqual([]);
    // Another tool keeps the general note.
    expect(await noteFor('nodemon server.js')).toBe('package.json scripts.start runs "nodemon server.js"; the image starts node directly (exec form, no npm as PID 1), so check the start answer');
  });
});

describe('the file a Node start command runs is among the sources', () => {
  it("express-generator's bin/www (no extension, in a bin/ folder), and a start file in scripts/", async () => {
    // expressjs/generator's app: "start": "node ./bin/www", bin/www requires ../app.
    const d = await detectProject(tree({ 'package.json': JSON.stringify({ name: 'myapp', scripts: { start: 'node ./bin/www' }, dependencies: { express: '~4.16.1' } }), 'package-lock.json': '{}', 'bin/www': '#!/usr/bin/env node\nvar app = require("../app");\nvar port = normalizePort(process.env.PORT || "3300");\nserver.listen(port);\n', 'app.js': '', 'routes/index.js': '', 'views/index.jade': '', 'public/stylesheets/style.css': '' }));
    expect(d.suggested).toMatchObject({ start: 'node ./bin/www', sources: ['app.js', 'routes', 'public', 'views', 'bin'], port: 3300 });
    expect(sourceOf(d, 'sources')).toMatch(/, and bin: package\.json scripts\.start runs bin\/www$/);
    const scripts = await detectProject(tree({ 'package.json': JSON.stringify({ scripts: { start: 'node scripts/server.js' } }), 'scripts/server.js': '', 'src/app.js': '' }));
    expect(scripts.suggested.sources).toEqual(['src', 'scripts']);
    // A start file that is not there adds nothing (the layout note names it).
    const absent = await detectProject(tree({ 'package.json': JSON.stringify({ scripts: { start: 'node bin/server' } }), 'src/app.js': '' }));
    expect(absent.suggested.sources).toEqual(['src']);
  });
});

describe('the package manager a Node project installs with (its lockfile)', () => {
  const managerOf = async (files: Record<string, string>) => {
    const d = await detectProject(tree({ 'server.js': '', ...files }));
    return { value: d.suggested.packageManager, source: sourceOf(d, 'packageManager'), notes: d.dockerNotes, bound: d.languageBound.includes('packageManager') };
  };
  const YARN1 = '# THIS IS AN AUTOGENERATED FILE. DO NOT EDIT THIS FILE DIRECTLY.\n# yarn lockfile v1\n\n\n';
  const BERRY = '# This file is generated by running "yarn install" inside your project.\n\n__metadata:\n  version: 8\n';

  it('the only lockfile, or the one package.json\'s "packageManager" names', async () => {
    expect(await managerOf({ 'package.json': '{}', 'package-lock.json': '{}' })).toMatchObject({ value: 'npm', source: 'package-lock.json exists', bound: true });
    expect(await managerOf({ 'package.json': '{"packageManager":"pnpm@9.15.0+sha512.abc"}', 'pnpm-lock.yaml': "lockfileVersion: '9.0'\n" })).toMatchObject({ value: 'pnpm', source: 'package.json packageManager "pnpm@9.15.0"', bound: true });
    expect(await managerOf({ 'package.json': '{}', 'yarn.lock': YARN1 })).toMatchObject({ value: 'yarn', source: 'yarn.lock exists (Yarn 1)' });
    const both = await managerOf({ 'package.json': '{"packageManager":"pnpm@10.4.1"}', 'pnpm-lock.yaml': '', 'package-lock.json': '{}' });
    expect(both.value).toBe('pnpm');
  });

  it('notes what it cannot install with: several lockfiles and no choice, bun', async () => {
    const several = await managerOf({ 'package.json': '{}', 'package-lock.json': '{}', 'yarn.lock': YARN1 });
    expect(several.value).toBeUndefined();
    expect(several.notes.join('\n')).toMatch(/several lockfiles \(package-lock\.json, yarn\.lock\): pass --package-manager to choose \(until then the Dockerfile installs with npm from package-lock\.json\)/);
    const noNpm = await managerOf({ 'package.json': '{}', 'pnpm-lock.yaml': '', 'yarn.lock': YARN1 });
    expect(noNpm.value).toBeUndefined();
    expect(noNpm.notes.join('\n')).toMatch(/several lockfiles \(pnpm-lock\.yaml, yarn\.lock\): pass --package-manager to choose \(until then the Dockerfile installs with npm from package-lock\.json\)/);
    const yarnAndNpm = await managerOf({ 'package.json': '{}', 'package-lock.json': '{}', 'yarn.lock': BERRY });
    expect(yarnAndNpm.value).toBeUndefined();
    expect(yarnAndNpm.notes.join('\n')).toMatch(/several lockfiles \(package-lock\.json, yarn\.lock\)/);
    const bun = await managerOf({ 'package.json': '{}', 'bun.lock': '{}' });
    expect(bun.value).toBeUndefined();
    expect(bun.notes.join('\n')).toMatch(/locks its dependencies with bun\.lock; the Dockerfile installs with npm ci/);
  });

  it('notes a pnpm or yarn project without "packageManager" (corepack picks the release), and a pnpm workspace file', async () => {
    const loose = await managerOf({ 'package.json': '{}', 'pnpm-lock.yaml': '', 'pnpm-workspace.yaml': 'packages:\n  - libs/*\n' });
    expect(loose.value).toBe('pnpm');
    expect(loose.notes.join('\n')).toMatch(/no "packageManager" field, so the image installs with the pnpm release its corepack pins; record yours with "corepack use pnpm@<version>"/);
    expect(loose.notes.join('\n')).toMatch(/pnpm-workspace\.yaml: the deps stage copies only package\.json and pnpm-lock\.yaml/);
    expect(loose.notes.join('\n')).not.toMatch(/\.npmrc/);
    const registry = await managerOf({ 'package.json': '{}', 'package-lock.json': '{}', '.npmrc': '//npm.example.com/:_authToken=${NPM_TOKEN}\n', '.gitignore': '.npmrc\n' });
    expect(registry.notes.join('\n')).toMatch(/\.npmrc is not copied .*"RUN --mount=type=secret,id=npmrc,target=\/root\/\.npmrc"/);
    const pinned = await managerOf({ 'package.json': '{"packageManager":"yarn@1.22.22"}', 'yarn.lock': YARN1 });
    expect(pinned.value).toBe('yarn');
    expect(pinned.notes.join('\n')).not.toMatch(/packageManager|Yarn 2/);
  });
});

describe('Yarn 1 or Yarn 2+ (berry), by the yarn.lock and "packageManager"', () => {
  const managerOf = async (files: Record<string, string>) => {
    const d = await detectProject(tree({ 'server.js': '', ...files }));
    return { value: d.suggested.packageManager, source: sourceOf(d, 'packageManager'), notes: d.dockerNotes.join('\n') };
  };
  const YARN1 = '# THIS IS AN AUTOGENERATED FILE. DO NOT EDIT THIS FILE DIRECTLY.\n# yarn lockfile v1\n\n\n';
  const BERRY = '# This file is generated by running "yarn install" inside your project.\n# Manual changes might be lost - proceed with caution!\n\n__metadata:\n  version: 8\n  cacheKey: 10c0\n';
  const modules = 'nodeLinker: node-modules\n';

  it('Yarn 1: a v1 lockfile, with or without "packageManager": yarn@1', async () => {
    expect(await managerOf({ 'package.json': '{}', 'yarn.lock': YARN1 })).toMatchObject({ value: 'yarn', source: 'yarn.lock exists (Yarn 1)' });
    const pinned = await managerOf({ 'package.json': '{"packageManager":"yarn@1.22.22"}', 'yarn.lock': YARN1 });
    expect(pinned).toMatchObject({ value: 'yarn', source: 'package.json packageManager "yarn@1.22.22"' });
    expect(pinned.notes).not.toMatch(/Yarn 2|nodeLinker|workspaces focus/);
  });

  it('Yarn 2+: a berry lockfile, or "packageManager": yarn@2 or later (whose install rewrites a v1 lockfile)', async () => {
    const pinned = await managerOf({ 'package.json': '{"packageManager":"yarn@4.5.3+sha512.abc"}', 'yarn.lock': BERRY, '.yarnrc.yml': modules });
    expect(pinned).toMatchObject({ value: 'yarn-berry', source: 'package.json packageManager "yarn@4.5.3"' });
    // Yarn 4 with the node-modules linker needs nothing more.
    expect(pinned.notes).toBe('');
    expect(await managerOf({ 'package.json': '{"packageManager":"yarn@4.5.0"}', 'yarn.lock': YARN1, '.yarnrc.yml': modules })).toMatchObject({ value: 'yarn-berry', notes: '' });
    const loose = await managerOf({ 'package.json': '{}', 'yarn.lock': BERRY, '.yarnrc.yml': `${modules}yarnPath: .yarn/releases/yarn-4.5.3.cjs\n` });
    expect(loose).toMatchObject({ value: 'yarn-berry', source: 'yarn.lock exists (Yarn 2+)' });
    expect(loose.notes).toMatch(/no "packageManager" field, and corepack then runs Yarn 1, which cannot install a Yarn 2\+ yarn\.lock: record the Yarn release with "corepack use yarn@<version>" \(the one \.yarn\/releases\/yarn-4\.5\.3\.cjs holds; the image ignores yarnPath/);
  });

  it('Plug\'n\'Play (no nodeLinker, or pnp): noted, as the image links node_modules; plugins and Yarn 2 or 3 too', async () => {
    const pnp = await managerOf({ 'package.json': '{"packageManager":"yarn@4.9.1"}', 'yarn.lock': BERRY, '.yarnrc.yml': 'enableTelemetry: false\n' });
    expect(pnp.value).toBe('yarn-berry');
    expect(pnp.notes).toMatch(/\.yarnrc\.yml sets no nodeLinker, so Yarn uses Plug'n'Play; the image links packages into node_modules instead \(YARN_NODE_LINKER=node-modules in the deps stage\), .*set "nodeLinker: node-modules" in \.yarnrc\.yml/);
    expect((await managerOf({ 'package.json': '{"packageManager":"yarn@4.9.1"}', 'yarn.lock': BERRY })).notes).toMatch(/^this project has no \.yarnrc\.yml, so Yarn uses Plug'n'Play; the image links packages into node_modules/);
    const pnpmField = await managerOf({ 'package.json': '{"packageManager":"pnpm@9.15.4"}', 'yarn.lock': BERRY, '.yarnrc.yml': modules });
    expect(pnpmField).toMatchObject({ value: 'yarn-berry', source: 'yarn.lock exists (Yarn 2+)' });
    expect(pnpmField.notes).toMatch(/"packageManager" names pnpm@9\.15\.4, and corepack then refuses to run Yarn, which this yarn\.lock needs: record the Yarn release with "corepack use yarn@<version>"$/);
    const explicit = await managerOf({ 'package.json': '{"packageManager":"yarn@4.9.1"}', 'yarn.lock': BERRY, '.yarnrc.yml': 'nodeLinker: "pnp"\n' });
    expect(explicit.notes).toMatch(/\.yarnrc\.yml sets nodeLinker: pnp; the image links packages into node_modules/);
    const three = await managerOf({ 'package.json': '{"packageManager":"yarn@3.8.7"}', 'yarn.lock': BERRY, '.yarnrc.yml': `${modules}plugins:\n  - path: .yarn/plugins/@yarnpkg/plugin-workspace-tools.cjs\n    spec: "@yarnpkg/plugin-workspace-tools"\n` });
    expect(three.value).toBe('yarn-berry');
    expect(three.notes).toMatch(/"packageManager" is Yarn 3: .*"yarn workspaces focus", which Yarn 2 and 3 have only with the workspace-tools plugin/);
    expect(three.notes).toMatch(/\.yarnrc\.yml loads plugins, which the deps stage does not copy .*"COPY \.yarn\/plugins \.\/\.yarn\/plugins"/);
    expect(three.notes).not.toMatch(/nodeLinker/);
  });

  it('a registry credential written in .yarnrc.yml, and the variables it reads, are noted with the build secret to pass', async () => {
    const clear = await managerOf({ 'package.json': '{"packageManager":"yarn@4.9.1"}', 'yarn.lock': BERRY, '.yarnrc.yml': `${modules}npmScopes:\n  acme:\n    npmRegistryServer: "https://npm.acme.test"\n    npmAuthToken: "npm_AbC123"\n` });
    expect(clear.notes).toMatch(/\.yarnrc\.yml holds a registry credential \(npmAuthToken\) in clear, and the deps stage copies \.yarnrc\.yml into the build: write it as npmAuthToken: "\$\{NPM_TOKEN-\}" instead \(revoke the one committed\) and pass the token as a build secret: "RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN" on the deps stage's install line and "docker build --secret id=npm_token,env=NPM_TOKEN"/);
    const read = await managerOf({ 'package.json': '{"packageManager":"yarn@4.9.1"}', 'yarn.lock': BERRY, '.yarnrc.yml': `${modules}npmAuthToken: "\${NPM_TOKEN}"\nnpmRegistryServer: "\${REGISTRY:-https://registry.yarnpkg.com}"\n` });
    expect(read.notes).not.toMatch(/in clear/);
    expect(read.notes).toMatch(/\.yarnrc\.yml reads \$\{NPM_TOKEN\}, \$\{REGISTRY\}, which the image build does not have \(Yarn stops on one without a default\): pass each as a build secret, e\.g\. "RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN"/);
    expect((await managerOf({ 'package.json': '{"packageManager":"yarn@4.9.1"}', 'yarn.lock': BERRY, '.yarnrc.yml': modules })).notes).toBe('');
  });
});

describe('the start command of a Python package', () => {
  it('python -m <package> for the one package with a __main__.py, at the top level or in a src layout; none to choose from two', async () => {
    const top = await detectProject(tree({ 'requirements.txt': '', 'ledger/__init__.py': '', 'ledger/__main__.py': 'print(1)\n', 'docs/conf.py': '' }));
    expect(top.suggested.start).toBe('python -m ledger');
    expect(sourceOf(top, 'start')).toBe('ledger/__main__.py');
    const src = await detectProject(tree({ 'pyproject.toml': '[project]\nname = "ledger"\n', 'uv.lock': '', 'src/ledger/__init__.py': '', 'src/ledger/__main__.py': '' }));
    expect(src.suggested).toMatchObject({ start: 'python -m ledger', sources: ['src'] });
    expect(sourceOf(src, 'start')).toBe('src/ledger/__main__.py');
    // tests/ is a package too: its __main__ is a second candidate, so nothing is guessed.
    const two = await detectProject(tree({ 'requirements.txt': '', 'ledger/__init__.py': '', 'ledger/__main__.py': 'print(1)\n', 'tests/__main__.py': '' }));
    expect(two.suggested.start).toBeUndefined();
    const script = await detectProject(tree({ 'requirements.txt': '', 'app.py': 'if __name__ == "__main__":\n    run()\n', 'ledger/__main__.py': '' }));
    expect(script.suggested.start).toBe('python app.py');
  });
});

describe('the package manager a Python project installs with', () => {
  const managerOf = async (files: Record<string, string>) => {
    const d = await detectProject(tree({ 'app.py': '', ...files }));
    return { value: d.suggested.packageManager, source: sourceOf(d, 'packageManager'), notes: d.dockerNotes.join('\n') };
  };
  const pyproject = '[project]\nname = "ledger"\nrequires-python = ">=3.12"\n';

  it("a uv or Poetry lockfile with its pyproject.toml, before a requirements.txt (often its export)", async () => {
    expect(await managerOf({ 'pyproject.toml': pyproject, 'uv.lock': 'version = 1\n' })).toMatchObject({ value: 'uv', source: 'uv.lock exists' });
    expect(await managerOf({ 'pyproject.toml': pyproject, 'poetry.lock': '', 'requirements.txt': 'flask==3.1.0\n' })).toMatchObject({ value: 'poetry', source: 'poetry.lock exists' });
    expect(await managerOf({ 'requirements.txt': 'flask==3.1.0\n' })).toMatchObject({ value: 'pip', source: 'requirements.txt exists' });
    // A lockfile without the pyproject.toml it locks cannot be installed.
    expect((await managerOf({ 'requirements.txt': '', 'uv.lock': '' })).value).toBe('pip');
  });

  it('notes two lockfiles, none at all (with pipenv\'s export when there is a Pipfile.lock), and a uv workspace', async () => {
    const two = await managerOf({ 'pyproject.toml': pyproject, 'uv.lock': '', 'poetry.lock': '', 'requirements.txt': '' });
    expect(two.value).toBe('pip');
    expect(two.notes).toMatch(/several lockfiles \(uv\.lock, poetry\.lock\): pass --package-manager to choose \(until then the Dockerfile installs from requirements\.txt\)/);
    const none = await managerOf({ Pipfile: '[packages]\nflask = "*"\n', 'Pipfile.lock': '{}' });
    expect(none.value).toBeUndefined();
    expect(none.notes).toMatch(/no requirements\.txt, uv\.lock or poetry\.lock: .*"pipenv requirements > requirements\.txt"/);
    const workspace = await managerOf({ 'pyproject.toml': `${pyproject}\n[tool.uv.workspace]\nmembers = ["libs/*"]\n`, 'uv.lock': '' });
    expect(workspace.value).toBe('uv');
    expect(workspace.notes).toMatch(/declares a uv workspace: the build stage copies only the root pyproject\.toml and uv\.lock/);
  });
});

describe('the health path the project serves', () => {
  const healthOf = async (files: Record<string, string>) => {
    const d = await detectProject(tree({ 'package.json': '{"name":"api","scripts":{"start":"node server.js"}}', 'server.js': '', ...files }));
    return { value: d.suggested.healthPath, source: sourceOf(d, 'healthPath'), unfound: d.valueNotes.filter((u) => 'healthPath' in u.when).map((u) => `${Object.keys(u.when).join(',')}: ${u.note}`).join('\n') };
  };

  it('from the deployment files first: a Dockerfile HEALTHCHECK, a compose healthcheck, a Nomad check, a Kubernetes probe', async () => {
    expect(await healthOf({ Dockerfile: 'FROM node:22\nHEALTHCHECK --interval=30s CMD curl -fsS http://localhost:3000/api/health?full=1 || exit 1\n', 'server.js': "app.get('/ping')" })).toEqual({ value: '/api/health', source: 'Dockerfile HEALTHCHECK', unfound: '' });
    expect(await healthOf({ 'compose.yaml': 'services:\n  api:\n    build: .\n    healthcheck:\n      test: ["CMD", "wget", "-qO-", "http://127.0.0.1:3000/status/live"]\n' })).toMatchObject({ value: '/status/live', source: 'compose.yaml services.api.healthcheck' });
    expect(await healthOf({ 'deploy/api.nomad.hcl': 'job "api" {\n  group "g" {\n    service {\n      check {\n        type     = "http"\n        path     = "/-/ready"\n        interval = "10s"\n      }\n    }\n  }\n}\n' })).toMatchObject({ value: '/-/ready', source: 'deploy/api.nomad.hcl check path' });
    // Settings shared through an x- block and a merge key, as Compose's docs show them.
    const shared = 'x-app: &app\n  build: .\n  ports: ["127.0.0.1:8081:7000"]\n  healthcheck:\n    test: ["CMD", "curl", "-f", "http://localhost:7000/up"]\nservices:\n  api:\n    <<: *app\n    restart: unless-stopped\n';
    expect(await healthOf({ 'compose.yaml': shared })).toMatchObject({ value: '/up', source: 'compose.yaml services.api.healthcheck' });
    expect((await detectProject(tree({ 'package.json': '{"name":"api"}', 'compose.yaml': shared }))).suggested.port).toBe(7000);
    // And through extends, from a base in another file.
    const base = { 'deploy/base.yaml': 'services:\n  web:\n    ports: ["127.0.0.1:8082:7100"]\n    healthcheck:\n      test: ["CMD", "wget", "-qO-", "http://127.0.0.1:7100/alive"]\n' };
    const extending = { 'compose.yaml': 'services:\n  api:\n    extends: {file: deploy/base.yaml, service: web}\n    build: .\n', ...base };
    expect(await healthOf(extending)).toMatchObject({ value: '/alive', source: 'compose.yaml services.api.healthcheck' });
    expect((await detectProject(tree({ 'package.json': '{"name":"api"}', ...extending }))).suggested.port).toBe(7100);
    // Backing services from the files compose.yaml includes.
    const withInclude = await detectProject(tree({ 'package.json': '{"name":"api"}', 'compose.yaml': 'include: [infra/db.yaml]\nservices:\n  api:\n    build: .\n', 'infra/db.yaml': 'services:\n  db:\n    image: postgres:16.4-alpine\n  cache:\n    image: redis:7.4\n' }));
    expect(withInclude.suggested.services).toEqual(['postgres', 'redis']);
    expect(sourceOf(withInclude, 'services')).toBe('compose.yaml images (and the files it includes)');
    // A compose.yaml that only includes: the app is the service an included file builds, and its
    // env_file is read relative to that file.
    const onlyIncludes = tree({
      'package.json': '{"name":"api"}',
      'compose.yaml': 'include:\n  - infra/db.yaml\n  - app/compose.app.yaml\n',
      'infra/db.yaml': 'services:\n  db:\n    image: postgres:16.4-alpine\n',
      'app/compose.app.yaml': 'services:\n  api:\n    build: ..\n    ports: ["127.0.0.1:8083:7200"]\n    env_file: api.env\n    healthcheck:\n      test: ["CMD", "wget", "-qO-", "http://127.0.0.1:7200/ready"]\n',
      'app/api.env': 'STRIPE_API_KEY=\nLOG_LEVEL=info\n',
    });
    const fromIncluded = await detectProject(onlyIncludes);
    expect(fromIncluded.suggested).toMatchObject({ port: 7200, healthPath: '/ready', services: ['postgres'], secrets: ['STRIPE_API_KEY'] });
    expect(sourceOf(fromIncluded, 'healthPath')).toBe('app/compose.app.yaml services.api.healthcheck');
    expect(sourceOf(fromIncluded, 'secrets')).toBe('app/api.env (env_file of app/compose.app.yaml)');
    const k8s = 'spec:\n  containers:\n    - name: api\n      livenessProbe:\n        httpGet:\n          port: 3000\n          path: /livez\n';
    expect(await healthOf({ 'k8s/deployment.yaml': k8s })).toMatchObject({ value: '/livez', source: 'k8s/deployment.yaml livenessProbe httpGet.path' });
    // A probe that is not an HTTP request says nothing about a path: the code decides.
    expect(await healthOf({ Dockerfile: 'FROM node:22\nHEALTHCHECK CMD ["node", "probe.js"]\n', 'server.js': "app.get('/health', ok)" })).toMatchObject({ value: '/health', source: "server.js: route '/health'" });
  });

  it('else a health route in the code: the most specific name wins, tests and tooling are not read', async () => {
    const found = await healthOf({ 'src/routes.js': "router.get('/ping', pong);\nrouter.get('/v1/health', health);\n", 'server.js': '', 'test/app.test.js': "request(app).get('/healthz')", 'src/app.spec.js': "get('/healthz')" });
    expect(found).toMatchObject({ value: '/v1/health', source: "src/routes.js: route '/v1/health'" });
    // Only a whole route literal: '/health-dashboard' or '/healthy' is some other page.
    expect((await healthOf({ 'server.js': "app.get('/healthy'); app.get('/health-dashboard'); fetch('/pingback')" })).value).toBeUndefined();
  });

  it("Spring Boot Actuator's endpoint, moved by the context path, the base path or a path mapping", async () => {
    const spring = (files: Record<string, string>) => detectProject(tree({ 'pom.xml': '<project><artifactId>svc</artifactId><version>1.0</version><dependencies><dependency><artifactId>spring-boot-starter-actuator</artifactId></dependency></dependencies></project>', 'src/main/java/App.java': '', ...files }));
    expect((await spring({})).suggested.healthPath).toBe('/actuator/health');
    const moved = await spring({ 'src/main/resources/application.properties': 'management.endpoints.web.base-path=/manage\nmanagement.endpoints.web.path-mapping.health=hc\n', 'src/main/resources/application.yml': 'server:\n  port: 8081\n  servlet:\n    context-path: /api\n' });
    expect(moved.suggested.healthPath).toBe('/api/manage/hc');
    expect(sourceOf(moved, 'healthPath')).toBe('spring-boot-starter-actuator in pom.xml (its health endpoint, moved by server.servlet.context-path, management.endpoints.web.base-path, path-mapping.health)');
    const dotted = await spring({ 'src/main/resources/application.yaml': 'management:\n  server:\n    port: 9000\n  endpoints.web.base-path: /ops\n' });
    expect(dotted.suggested.healthPath).toBe('/ops/health');
    // Actuator on its own port: the checks ask the app's, so the note says so.
    expect(dotted.dockerNotes.join('\n')).toMatch(/^management\.server\.port=9000 serves Actuator's health endpoint on its own port, but the generated checks ask \/ops\/health on the app's port/m);
    expect((await spring({})).dockerNotes.join('\n')).not.toMatch(/management\.server\.port/);
  });

  it('says when it finds none, and which flag to pass, without suggesting the default as if it had been found', async () => {
    const none = await healthOf({ 'server.js': 'require("http").createServer(h).listen(3000)' });
    expect(none.value).toBeUndefined();
    expect(none.unfound).toMatch(/^healthPath: no health endpoint found \(.*\): the generated health checks \(Dockerfile HEALTHCHECK, compose healthcheck, Nomad check\) ask \/healthz, so serve it \(200 when healthy\) or pass --health-path$/);
  });
});

describe('a development server in the start command: the image runs the production one', () => {
  it('turns fastapi dev into fastapi run, keeping the path, app and options, and drops reload and Flask\'s debugger', () => {
    const cases: [string, string | null][] = [
      ['fastapi dev main.py', 'fastapi run main.py'],
      ['python -m fastapi dev app/main.py --app api --port 9000 --reload', 'python -m fastapi run app/main.py --app api --port 9000'],
      ['fastapi run --reload', 'fastapi run'],
      ['uvicorn main:app --reload --reload-dir app --host 0.0.0.0', 'uvicorn main:app --host 0.0.0.0'],
      ['python -m uvicorn main:app --reload-dir=app --reload-delay 0.5 --reload', 'python -m uvicorn main:app'],
      ['gunicorn --reload --reload-engine inotify -b 0.0.0.0:8000 app:app', 'gunicorn -b 0.0.0.0:8000 app:app'],
      ['hypercorn --reload main:app', 'hypercorn main:app'],
      ['flask --app app --debug run --port 5000', 'flask --app app run --port 5000'],
      ['python -m flask run --debugger --reload', 'python -m flask run'],
      ['flask run --no-debug', null],
      ['fastapi run main.py', null],
      ['uvicorn main:app', null],
      ['node --watch src/index.js', 'node src/index.js'],
      ['node --watch-path ./src --watch server.js --port 3000', 'node server.js --port 3000'],
      ['node --inspect=0.0.0.0:9229 dist/main.js', 'node dist/main.js'],
      ['node server.js --watch', null],
      ['node --enable-source-maps dist/index.js', null],
      ['sanic server:app --dev --host 0.0.0.0', 'sanic server:app --host 0.0.0.0'],
      ['python -m sanic server:app --debug -r -R ./templates --port 8000', 'python -m sanic server:app --port 8000'],
      ['sanic server:app --reload-dir=./content --auto-reload', 'sanic server:app'],
      ['sanic server:app --workers 4', null],
    ];
    for (const [start, expected] of cases) expect(productionStart(start)?.value ?? null, start).toBe(expected);
    expect(productionStart('fastapi dev main.py')!.note).toBe('start: "fastapi dev main.py" runs FastAPI\'s development server (auto-reload, 127.0.0.1 by default): not for production, so the Dockerfile runs "fastapi run main.py"');
    expect(productionStart('flask --app app --debug run')!.note).toMatch(/turns on Flask's debugger, which runs Python code sent from the browser: not for production/);
    expect(productionStart('sanic server:app --dev')!.note).toBe('start: "sanic server:app --dev" turns on Sanic\'s debug mode (verbose errors, run-time optimizations off): not for production, so the Dockerfile runs "sanic server:app"');
    // fastapi run's port and loopback host are read after `python -m` too.
    expect(serverPort('python -m fastapi run main.py --port 9000')).toEqual({ port: 9000, explicit: true, server: 'fastapi run' });
    expect(listeningStart('fastapi run main.py --host 127.0.0.1')?.value).toBe('fastapi run main.py --host 0.0.0.0');
    expect(listeningStart('fastapi run main.py')).toBeNull();
  });

  it("takes the app from the Dockerfile's fastapi dev, where detection alone finds none, and says what changed", async () => {
    const d = await detectProject(tree({
      'requirements.txt': 'fastapi[standard]==0.115.6\n',
      'service/__init__.py': '',
      'service/api.py': 'from fastapi import FastAPI\napi = FastAPI()\n@api.get("/healthz")\ndef h():\n    return {}\n',
      Dockerfile: 'FROM python:3.12-slim\nWORKDIR /srv\nCOPY . .\nRUN pip install -r requirements.txt\nCMD ["fastapi", "dev", "service/api.py", "--host", "0.0.0.0", "--port", "8080"]\n',
    }));
    expect(d.suggested.start).toBe('fastapi run service/api.py --host 0.0.0.0 --port 8080');
    expect(d.suggested.port).toBe(8080);
    expect(sourceOf(d, 'start')).toBe('Dockerfile CMD/ENTRYPOINT, in production mode');
    expect(notesOf(d)).toMatch(/^start: "fastapi dev service\/api\.py --host 0\.0\.0\.0 --port 8080" runs FastAPI's development server/m);
  });

  it('runs a Procfile\'s fastapi dev or uvicorn --reload in production mode', async () => {
    const dev = await detectProject(tree({ 'requirements.txt': 'fastapi[standard]==0.115.6\n', 'main.py': 'from fastapi import FastAPI\napp = FastAPI()\n', Procfile: 'web: fastapi dev main.py --port $PORT\n' }));
    expect(dev.suggested.start).toBe('fastapi run main.py --port 8000');
    expect(sourceOf(dev, 'start')).toBe('Procfile web, in production mode, with $PORT written as 8000 (exec form expands no variables)');
    const reload = await detectProject(tree({ 'requirements.txt': 'fastapi==0.115.0\nuvicorn==0.30.0\n', 'main.py': '', Procfile: 'web: uvicorn main:app --reload --port 8000\n' }));
    expect(reload.suggested.start).toBe('uvicorn main:app --port 8000 --host 0.0.0.0');
    expect(notesOf(reload)).toMatch(/^start: "uvicorn main:app --reload --port 8000" reloads on file changes \(--reload: /m);
  });

  it("passes over Django's runserver for the project's wsgi.py when a WSGI server is declared, and notes it when none is", async () => {
    const project = {
      'manage.py': 'import os, sys\nif __name__ == "__main__":\n    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\n',
      'mysite/__init__.py': '',
      'mysite/settings.py': 'ALLOWED_HOSTS = ["*"]\n',
      'mysite/wsgi.py': 'from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n',
      Dockerfile: 'FROM python:3.12-slim\nCOPY . /app\nWORKDIR /app\nRUN pip install -r requirements.txt\nCMD ["python", "manage.py", "runserver", "0.0.0.0:8000"]\n',
    };
    const served = await detectProject(tree({ ...project, 'requirements.txt': 'Django==5.1.2\ngunicorn==23.0.0\n' }));
    expect(served.suggested.start).toBe('python -m gunicorn --bind 0.0.0.0:8000 mysite.wsgi:application');
    expect(notesOf(served)).toMatch(/^start: the Dockerfile runs "python manage\.py runserver 0\.0\.0\.0:8000", Django's development server \(runserver\), which Django's docs say not to use in production, so the image runs the app found in the code instead \(mysite\/wsgi\.py: /m);
    const bare = await detectProject(tree({ ...project, 'requirements.txt': 'Django==5.1.2\n' }));
    expect(bare.suggested.start).toBe('python manage.py runserver 0.0.0.0:8000');
    expect(notesOf(bare)).toMatch(/^start: "python manage\.py runserver 0\.0\.0\.0:8000" runs Django's development server \(runserver\), which Django's docs say not to use in production: serve the project's wsgi\.py .* or pass --start$/m);
  });

  it("runs package.json's node --watch start without the watcher", async () => {
    const d = await detectProject(tree({ 'package.json': '{"name":"api","scripts":{"start":"node --watch src/index.js"},"dependencies":{"fastify":"^4.0.0"}}', 'package-lock.json': '{}', 'src/index.js': "f.listen({port:3000,host:'0.0.0.0'});\n" }));
    expect(d.suggested.start).toBe('node src/index.js');
    expect(sourceOf(d, 'start')).toBe('package.json scripts.start, in production mode');
    expect(notesOf(d)).toMatch(/^start: "node --watch src\/index\.js" restarts on file changes \(--watch: /m);
  });
});

describe('where the app listens: every interface, or nothing outside the container reaches it', () => {
  it('adds the flag a server needs to listen on 0.0.0.0, and leaves one that already does', () => {
    const cases: [string, string | null][] = [
      ['uvicorn main:app --port 8000', 'uvicorn main:app --port 8000 --host 0.0.0.0'],
      ['uvicorn main:app --host 127.0.0.1 --port 8000', 'uvicorn main:app --host 0.0.0.0 --port 8000'],
      ['python -m uvicorn main:app --host=localhost', 'python -m uvicorn main:app --host=0.0.0.0'],
      ['uvicorn main:app --host 0.0.0.0', null],
      ['uvicorn main:app --uds /tmp/app.sock', null],
      ['gunicorn app:app', 'gunicorn app:app --bind 0.0.0.0:8000'],
      ['gunicorn -b 127.0.0.1:5000 app:app', 'gunicorn -b 0.0.0.0:5000 app:app'],
      ['gunicorn --bind=0.0.0.0:5000 app:app', null],
      ['gunicorn --bind unix:/tmp/g.sock app:app', null],
      ['hypercorn main:app', 'hypercorn main:app --bind 0.0.0.0:8000'],
      ['flask run --port 5000', 'flask run --port 5000 --host 0.0.0.0'],
      ['python -m flask run -h localhost', 'python -m flask run -h 0.0.0.0'],
      ['python manage.py runserver', 'python manage.py runserver 0.0.0.0:8000'],
      ['python manage.py runserver 8080', 'python manage.py runserver 0.0.0.0:8080'],
      ['python manage.py runserver 127.0.0.1:9000 --noreload', 'python manage.py runserver 0.0.0.0:9000 --noreload'],
      ['php -S localhost:8000 -t public', 'php -S 0.0.0.0:8000 -t public'],
      ['php -S 0.0.0.0:8000 -t public', null],
      ['node server.js', null],
    ];
    for (const [start, expected] of cases) expect(listeningStart(start)?.value ?? null, start).toBe(expected);
    const ports: [string, ReturnType<typeof serverPort>][] = [
      ['uvicorn main:app --port 9000', { port: 9000, explicit: true, server: 'uvicorn' }],
      ['uvicorn main:app', { port: 8000, explicit: false, server: 'uvicorn' }],
      ['gunicorn -b 0.0.0.0:5001 app:app', { port: 5001, explicit: true, server: 'gunicorn' }],
      ['gunicorn --bind unix:/tmp/g.sock app:app', null],
      ['python -m flask run', { port: 5000, explicit: false, server: 'flask run' }],
      ['python manage.py runserver 0.0.0.0:8001', { port: 8001, explicit: true, server: "Django's runserver" }],
      ['php -S 0.0.0.0:8090 -t public', { port: 8090, explicit: true, server: 'php -S' }],
      ['node server.js', null],
    ];
    for (const [start, expected] of ports) expect(serverPort(start), start).toEqual(expected);
    // gunicorn reads its bind from gunicorn.conf.py when there is one.
    expect(listeningStart('gunicorn app:app', { gunicornConfig: true })).toBeNull();
    expect(listeningStart('uvicorn main:app')!.note).toBe('start: "uvicorn main:app" listens on 127.0.0.1 only (uvicorn\'s default), which nothing outside the container reaches, so the Dockerfile runs "uvicorn main:app --host 0.0.0.0" (compose still publishes the port on 127.0.0.1 only, C04)');
  });

  it('suggests the changed start command and says why; notes a loopback bind in the code the start command runs', async () => {
    const fastapi = await detectProject(tree({ 'requirements.txt': 'fastapi==0.115.0\nuvicorn==0.30.0\n', 'main.py': '', Procfile: 'web: uvicorn main:app --port 8000\n' }));
    expect(fastapi.suggested.start).toBe('uvicorn main:app --port 8000 --host 0.0.0.0');
    expect(sourceOf(fastapi, 'start')).toBe('Procfile web, made to listen on 0.0.0.0');
    expect(notesOf(fastapi)).toMatch(/^start: "uvicorn main:app --port 8000" listens on 127\.0\.0\.1 only/m);

    const flask = await detectProject(tree({ 'requirements.txt': 'flask==3.1.0\n', 'app.py': 'app = Flask(__name__)\nif __name__ == "__main__":\n    app.run(port=int(os.environ.get("PORT", 5000)))\n' }));
    expect(flask.suggested.start).toBe('python app.py');
    expect(notesOf(flask)).toMatch(/^app\.py: "app\.run\(port=int\(os\.environ\.get\("PORT", 5000\)\)\)" listens on 127\.0\.0\.1 only/m);
    // host= anywhere on the line, after nested parentheses too, is the app's own choice.
    const bound = await detectProject(tree({ 'requirements.txt': 'flask==3.1.0\n', 'app.py': 'if __name__ == "__main__":\n    app.run(port=int(os.environ.get("PORT", 5000)), host="0.0.0.0")\n' }));
    expect(notesOf(bound)).not.toMatch(/listens on 127/);

    const node = await detectProject(tree({ 'package.json': '{"name":"api","scripts":{"start":"node server.js"}}', 'server.js': "server.listen(3000, 'localhost');\n" }));
    expect(notesOf(node)).toMatch(/^server\.js: "\.listen\(3000, 'localhost'" listens on 127\.0\.0\.1 only/m);
    // The port the start command's server listens on outranks the framework's convention (Flask's 5000)...
    const gunicorn = await detectProject(tree({ 'requirements.txt': 'flask==3.1.0\ngunicorn==23.0.0\n', 'app.py': '', Procfile: 'web: gunicorn app:app\n' }));
    expect(gunicorn.suggested).toMatchObject({ start: 'gunicorn app:app --bind 0.0.0.0:8000', port: 8000 });
    expect(sourceOf(gunicorn, 'port')).toBe('the start command');
    // ...but not the deployment files; where they disagree, the note says which flag to pass.
    const mismatch = await detectProject(tree({ 'requirements.txt': 'fastapi\n', 'main.py': '', Procfile: 'web: uvicorn main:app\n', 'compose.yaml': 'services:\n  api:\n    build: .\n    ports: ["5000:5000"]\n' }));
    expect(mismatch.suggested).toMatchObject({ start: 'uvicorn main:app --host 0.0.0.0', port: 5000 });
    expect(notesOf(mismatch)).toMatch(/^start: "uvicorn main:app --host 0\.0\.0\.0" listens on port 8000, but the port answer is 5000; pass --port 8000, or a start command that listens on 5000$/m);
    expect(mismatch.valueNotes.find((n) => /port 8000/.test(n.note))!.when).toEqual({ start: 'uvicorn main:app --host 0.0.0.0', port: 5000 });

    const go = await detectProject(tree({ 'go.mod': 'module example.com/x\n\ngo 1.23\n', 'main.go': 'http.ListenAndServe("127.0.0.1:8080", nil)\n' }));
    expect(notesOf(go)).toMatch(/^main\.go: "ListenAndServe\("127\.0\.0\.1:8080"" listens on 127\.0\.0\.1 only/m);

    // Rust: actix-web's getting-started bind, axum's and tokio's TcpListener, a SocketAddr; not a database address.
    const rust = async (main: string) => notesOf(await detectProject(tree({ 'Cargo.toml': '[package]\nname = "hello"\nversion = "0.1.0"\n\n[dependencies]\nactix-web = "4"\n', 'Cargo.lock': '', 'src/main.rs': main })));
    expect(await rust('HttpServer::new(|| App::new().service(hello))\n        .bind(("127.0.0.1", 8080))?\n        .run()\n')).toMatch(/^src\/main\.rs: "bind\(\("127\.0\.0\.1"" listens on 127\.0\.0\.1 only/m);
    expect(await rust('let listener = tokio::net::TcpListener::bind("127.0.0.1:3000").await.unwrap();\n')).toMatch(/^src\/main\.rs: "bind\("127\.0\.0\.1:3000"" listens on 127\.0\.0\.1 only/m);
    expect(await rust('let addr = SocketAddr::from(([127, 0, 0, 1], 3000));\n')).toMatch(/^src\/main\.rs: "\(\[127, 0, 0, 1\], 3000\)" listens on 127\.0\.0\.1 only/m);
    expect(await rust('let db = "postgres://127.0.0.1:5432/app";\nlet l = TcpListener::bind("0.0.0.0:3000").await?;\n')).not.toMatch(/listens on 127/);
  });

  it("Rocket: its default address is 127.0.0.1 and its Rocket.toml is not in the image, unless the code sets the address", async () => {
    const rocket = async (main: string) => (await detectProject(tree({ 'Cargo.toml': '[package]\nname = "hello"\nversion = "0.1.0"\n\n[dependencies]\nrocket = "0.5.1"\n', 'Cargo.lock': '', 'Rocket.toml': '[default]\naddress = "0.0.0.0"\n', 'src/main.rs': main }))).dockerNotes.join('\n');
    const launch = '#[macro_use] extern crate rocket;\n\n#[get("/")]\nfn index() -> &\'static str { "Hello, world!" }\n\n#[launch]\nfn rocket() -> _ {\n    rocket::build().mount("/", routes![index])\n}\n';
    expect(await rocket(launch)).toMatch(/^Rocket listens on 127\.0\.0\.1 unless told otherwise \(its default address\).*set ROCKET_ADDRESS=0\.0\.0\.0 in the container's environment/m);
    expect(await rocket(launch.replace('rocket::build()', 'rocket::custom(rocket::Config::figment().merge(("address", "0.0.0.0")))'))).not.toMatch(/^Rocket listens/m);
  });
});

describe("what a requirements.txt needs besides itself in the build stage", () => {
  it('names included files and local packages, and nothing for plain pins, URLs or comments', async () => {
    expect(requirementsNotes('flask==3.1.0\n# -r not-this.txt\n--hash=sha256:abc\nhttps://example.com/x.whl\n-r https://example.com/base.txt\n')).toEqual([]);
    const notes = requirementsNotes('-r requirements/base.txt\n--constraint=constraints.txt\n-e .\n./libs/shared  # ours\nflask==3.1.0\n');
    expect(notes).toEqual([
      'requirements.txt includes requirements/base.txt, constraints.txt, which the build stage does not copy (it copies requirements.txt alone before "pip install"): add them to its "COPY requirements.txt ./" line',
      'requirements.txt installs local packages ., ./libs/shared, whose sources the build stage does not have at "pip install": copy them before that line (with its pyproject.toml or setup.py), or install from a built wheel',
    ]);
    // Through detection, as a note on the Dockerfile.
    const d = await detectProject(tree({ 'requirements.txt': '-r requirements/prod.txt\n', 'requirements/prod.txt': 'flask==3.1.0\n', 'app.py': '' }));
    expect(d.dockerNotes.join('\n')).toMatch(/^requirements\.txt includes requirements\/prod\.txt, which the build stage does not copy/m);
  });
});

describe('what a package.json needs besides itself and the lockfile in the deps stage', () => {
  it('names local packages and workspaces, and nothing for registry versions', async () => {
    expect(localDependencyNotes({ dependencies: { express: '^4.21.0', left: 'npm:left-pad@1' } })).toEqual([]);
    expect(localDependencyNotes({ dependencies: { shared: 'file:../shared', ui: 'workspace:*' }, workspaces: ['packages/*'] })).toEqual([
      'package.json depends on local packages shared (file:../shared), ui (workspace:*), which the deps stage does not copy (it copies package.json and the lockfile alone before installing): copy their folders before the install line, or publish them to a registry',
      'package.json declares workspaces (packages/*): the deps stage copies only the root package.json and lockfile, so add each workspace package\'s package.json to its COPY line',
    ]);
    expect(localDependencyNotes({ workspaces: { packages: ['apps/*'] } })).toHaveLength(1);
    const d = await detectProject(tree({ 'package.json': '{"name":"api","dependencies":{"lib":"file:./lib"}}', 'package-lock.json': '{}', 'index.js': '' }));
    expect(d.dockerNotes.join('\n')).toMatch(/^package\.json depends on local package lib \(file:\.\/lib\)/m);
  });
});

describe('local modules a compiled build resolves before the sources arrive', () => {
  it('notes go.mod replacements by local folders, Cargo path dependencies and Maven modules', async () => {
    const go = await detectProject(tree({ 'go.mod': 'module example.com/svc\n\ngo 1.23\n\nrequire example.com/lib v0.0.0\n\nreplace example.com/lib => ../lib\nreplace example.com/x v1.0.0 => example.com/y v1.1.0\n', 'main.go': 'package main\n' }));
    expect(go.dockerNotes.join('\n')).toMatch(/^go\.mod replaces modules with local folders \(\.\.\/lib\), which the build stage does not have at "go mod download"/m);
    const rust = await detectProject(tree({ 'Cargo.toml': '[package]\nname = "svc"\nversion = "0.1.0"\n\n[[bin]]\nname = "svc"\npath = "src/main.rs"\n\n[dependencies]\ncore = { path = "../core" }\nserde = "1"\n', 'src/main.rs': '' }));
    expect(rust.dockerNotes.join('\n')).toMatch(/^Cargo\.toml has the path dependency \.\.\/core, outside this folder and so outside the build context: "cargo fetch" in the image cannot read it/m);
    // One inside the folder is copied with the sources (the manifests stage gives cargo fetch its Cargo.toml): no note.
    const inside = await detectProject(tree({ 'Cargo.toml': '[package]\nname = "svc"\nversion = "0.1.0"\n\n[dependencies]\ncore = { path = "libs/core" }\n', 'src/main.rs': '', 'libs/core/Cargo.toml': '[package]\nname = "core"\n', 'libs/core/src/lib.rs': '' }));
    expect(inside.dockerNotes).toEqual([]);
    expect(inside.suggested.sources).toEqual(['libs', 'src']);
    const maven = await detectProject(tree({ 'pom.xml': '<project><artifactId>parent</artifactId><version>1.0</version><packaging>pom</packaging><modules><module>api</module><module>core</module></modules></project>', 'api/src/main/java/A.java': '' }));
    expect(maven.dockerNotes.join('\n')).toMatch(/^pom\.xml is a multi-module build \(api, core\): the generated build stage copies the root pom\.xml alone/m);
    // None of them for a plain module.
    const plain = await detectProject(tree({ 'go.mod': 'module example.com/svc\n\ngo 1.23\n', 'main.go': 'package main\n' }));
    expect(plain.dockerNotes.join('\n')).not.toMatch(/local folders|path dependencies|multi-module/);
  });
});

describe('a start command that reads $PORT', () => {
  it('gets the port written in, since the image runs it in exec form', async () => {
    const fromEnv = await detectProject(tree({ 'requirements.txt': 'fastapi\n', 'main.py': '', Procfile: 'web: uvicorn main:app --host 0.0.0.0 --port $PORT\n', '.env': 'PORT=7000\n' }));
    expect(fromEnv.suggested).toMatchObject({ start: 'uvicorn main:app --host 0.0.0.0 --port 7000', port: 7000 });
    expect(sourceOf(fromEnv, 'start')).toBe('Procfile web, with $PORT written as 7000 (exec form expands no variables)');
    const fallback = await detectProject(tree({ 'requirements.txt': 'gunicorn\n', 'app.py': '', Procfile: 'web: gunicorn app:app -b 0.0.0.0:${PORT:-5005}\n' }));
    expect(fallback.suggested).toMatchObject({ start: 'gunicorn app:app -b 0.0.0.0:5005', port: 5005 });
  });
});

describe('detection on hostile deployment files and code', () => {
  // Not a timing test: a backtracking regular expression over these files would not finish at all
  // (the first Kubernetes reader did not, on 1 000 such lines).
  it('reads pathological probes, check blocks and long lines in linear time', async () => {
    expect(kubernetesProbePath('  livenessProbe:\n'.repeat(20_000))).toBeNull();
    expect(kubernetesProbePath('spec:\n  livenessProbe:\n    httpGet:\n      port: 80\n      path: /up\n')).toEqual({ kind: 'liveness', path: '/up' });
    expect(nomadCheckPath(`check {\n${'  type = "http"\n'.repeat(50_000)}}`)).toBeNull();
    expect(nomadCheckPath(`${'check { '.repeat(50_000)}`)).toBeNull();
    expect(nomadCheckPath('check {\n  path = "/ready"\n  type = "http"\n}\n')).toBe('/ready');
    const d = await detectProject(tree({
      'requirements.txt': 'flask\n',
      'app.py': `if __name__ == "__main__":\n    ${'app.run('.repeat(60_000)}\n`,
      'k8s/deployment.yaml': '  readinessProbe:\n'.repeat(20_000),
      'deploy/job.nomad.hcl': `check {\n${'  type = "http"\n'.repeat(20_000)}`,
      // A long run of blanks where a comment could start (a \s+# pattern is quadratic there), and
      // one that does not reach the end of a .gitignore line (nor does a \s+$ pattern).
      '.env': `PORT=8000${' '.repeat(200_000)}x\n`,
      '.gitignore': `build${' '.repeat(200_000)}x\n`,
    }));
    expect(d.suggested.language).toBe('python');
    expect(d.suggested.healthPath).toBeUndefined();
    // Spring's application.yml, whose server block a backtracking reader would not get through.
    const spring = await detectProject(tree({ 'pom.xml': '<project><artifactId>svc</artifactId><version>1.0</version></project>', 'src/main/resources/application.yml': `server:\n${`${' '.repeat(40)}x\n`.repeat(2_000)}  port: 80${' '.repeat(100_000)}1\n` }));
    expect(spring.suggested.language).toBe('java');
    const sprung = await detectProject(tree({ 'pom.xml': '<project><artifactId>svc</artifactId><version>1.0</version></project>', 'src/main/resources/application.yml': 'spring:\n  application:\n    name: svc\nserver:\n  port: "${PORT:8091}"\n' }));
    expect(sprung.suggested.port).toBe(8091);
  }, 20_000);
});

describe('the start command of a Python app object a server runs (no __main__)', () => {
  const fastapi = 'from fastapi import FastAPI\napp = FastAPI()\n@app.get("/healthz")\ndef h(): return {}\n';
  it('the app object in app/main.py, main.py or a src layout, run by the server the project declares', async () => {
    const uv = await detectProject(tree({ 'pyproject.toml': '[project]\nname = "inv"\ndependencies = ["fastapi", "uvicorn"]\n', 'uv.lock': '', 'app/__init__.py': '', 'app/main.py': fastapi }));
    expect(uv.suggested).toMatchObject({ start: 'python -m uvicorn app.main:app --host 0.0.0.0 --port 8000', port: 8000 });
    expect(sourceOf(uv, 'start')).toBe('app/main.py: app = FastAPI(), run by uvicorn (in pyproject.toml)');
    // The standard extra brings uvicorn; a port written in the module is the one it gets.
    const extra = await detectProject(tree({ 'requirements.txt': 'fastapi[standard]==0.115.0\n', 'main.py': `${fastapi}PORT = int(os.getenv("PORT", "8123"))\n` }));
    expect(extra.suggested).toMatchObject({ start: 'python -m uvicorn main:app --host 0.0.0.0 --port 8123', port: 8123 });
    // So does Litestar's, as its getting-started page installs it.
    const litestar = await detectProject(tree({ 'requirements.txt': 'litestar[standard]==2.12.1\n', 'app.py': 'from litestar import Litestar, get\n\n@get("/health")\nasync def health() -> dict[str, str]:\n    return {"status": "ok"}\n\napp = Litestar([health])\n' }));
    expect(litestar.suggested).toMatchObject({ start: 'python -m uvicorn app:app --host 0.0.0.0 --port 8000', port: 8000, healthPath: '/health' });
    expect(sourceOf(litestar, 'start')).toBe('app.py: app = Litestar(), run by uvicorn (in requirements.txt)');
    // Sanic runs on its own server, as its docs deploy it, listening on every interface.
    const sanic = await detectProject(tree({ 'pyproject.toml': '[project]\nname = "hello"\ndependencies = ["sanic>=24.6"]\n', 'requirements.txt': 'sanic==24.6.0\n', 'server.py': 'from sanic import Sanic\nfrom sanic.response import text\n\napp = Sanic("MyHelloWorldApp")\n' }));
    expect(sanic.suggested).toMatchObject({ start: 'python -m sanic server:app --host 0.0.0.0 --port 8000', port: 8000 });
    expect(serverPort('sanic server:app -p 1337')).toEqual({ port: 1337, explicit: true, server: 'sanic' });
    expect(listeningStart('sanic server:app --port=1337')?.value).toBe('sanic server:app --port=1337 --host 0.0.0.0');
    expect(listeningStart('python -m sanic server:app -H 127.0.0.1')?.value).toBe('python -m sanic server:app -H 0.0.0.0');
    expect(listeningStart('sanic server:app --host=0.0.0.0')).toBeNull();
    const src = await detectProject(tree({ 'pyproject.toml': '[project]\nname = "reports"\ndependencies = ["flask", "gunicorn"]\n', 'uv.lock': '', 'src/reports/__init__.py': '', 'src/reports/app.py': 'from flask import Flask\nserver = Flask(__name__)\n' }));
    expect(src.suggested).toMatchObject({ start: 'python -m gunicorn --bind 0.0.0.0:8000 reports.app:server', port: 8000, sources: ['src'] });
    const flask = await detectProject(tree({ 'requirements.txt': 'flask\n', 'app.py': 'from flask import Flask\napp = Flask(__name__)\n' }));
    expect(flask.suggested).toMatchObject({ start: 'python -m flask --app app:app run --host 0.0.0.0 --port 5000', port: 5000 });
    expect(serverPort('python -m flask --app app:app run --port 5001')).toEqual({ port: 5001, explicit: true, server: 'flask run' });
    // The detected port is written in, and another one replaces it (a --port flag).
    expect(uv.startFor?.(9000)).toBe('python -m uvicorn app.main:app --host 0.0.0.0 --port 9000');
  });

  it("the app object in api.py, where FastAPI's own CLI looks too, at the top, in app/ or in a src layout's package", async () => {
    const top = await detectProject(tree({ 'requirements.txt': 'fastapi[standard]\n', 'api.py': fastapi }));
    expect(top.suggested.start).toBe('python -m uvicorn api:app --host 0.0.0.0 --port 8000');
    const inApp = await detectProject(tree({ 'requirements.txt': 'fastapi\nuvicorn\n', 'app/__init__.py': '', 'app/api.py': fastapi }));
    expect(inApp.suggested.start).toBe('python -m uvicorn app.api:app --host 0.0.0.0 --port 8000');
    // Poetry's src layout, the package named apart from the project (billing in billing-service).
    const poetry = '[tool.poetry]\nname = "billing-service"\npackages = [{include = "billing", from = "src"}]\n[tool.poetry.dependencies]\npython = "^3.11"\nfastapi = "^0.110"\nuvicorn = {extras = ["standard"], version = "^0.29"}\n';
    const src = await detectProject(tree({ 'pyproject.toml': poetry, 'poetry.lock': '', 'src/billing/__init__.py': '', 'src/billing/api.py': fastapi, 'tests/test_api.py': '' }));
    expect(src.suggested).toMatchObject({ start: 'python -m uvicorn billing.api:app --host 0.0.0.0 --port 8000', sources: ['src'], packageManager: 'poetry' });
  });

  it("the app object in a flat layout's package named apart from the project, with the port its module reads; never in tests/ or a folder that is no package", async () => {
    const pyproject = '[project]\nname = "billing-svc"\nrequires-python = ">=3.12"\ndependencies = ["fastapi>=0.110", "uvicorn>=0.29"]\n';
    const module = `${fastapi}def run():\n    uvicorn.run(app, host="0.0.0.0", port=int(os.environ.get("PORT", "9000")))\n`;
    const flat = await detectProject(tree({ 'pyproject.toml': pyproject, 'uv.lock': '', 'billing/__init__.py': '', 'billing/main.py': module, 'tests/__init__.py': '', 'tests/app.py': fastapi }));
    expect(flat.suggested).toMatchObject({ start: 'python -m uvicorn billing.main:app --host 0.0.0.0 --port 9000', port: 9000 });
    expect(sourceOf(flat, 'start')).toBe('billing/main.py: app = FastAPI(), run by uvicorn (in pyproject.toml)');
    const testsOnly = await detectProject(tree({ 'pyproject.toml': pyproject, 'uv.lock': '', 'tests/__init__.py': '', 'tests/app.py': fastapi }));
    expect(testsOnly.suggested.start).toBeUndefined();
    const noPackage = await detectProject(tree({ 'pyproject.toml': pyproject, 'uv.lock': '', 'billing/main.py': fastapi }));
    expect(noPackage.suggested.start).toBeUndefined();
  });

  it("Django: the project's wsgi.py run by gunicorn, its asgi.py by uvicorn, and a note on ALLOWED_HOSTS unless it allows every host", async () => {
    const manage = 'import os, sys\nif __name__ == "__main__":\n    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\n';
    const project = { 'manage.py': manage, 'mysite/__init__.py': '', 'mysite/settings.py': 'DEBUG = False\nALLOWED_HOSTS = ["shop.example.com"]\n', 'mysite/wsgi.py': 'import os\nfrom django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n', 'mysite/asgi.py': 'from django.core.asgi import get_asgi_application\napplication = get_asgi_application()\n', 'shop/__init__.py': '', 'shop/views.py': '' };
    const wsgi = await detectProject(tree({ ...project, 'requirements.txt': 'Django==5.1.2\ngunicorn==23.0.0\n' }));
    expect(wsgi.suggested).toMatchObject({ start: 'python -m gunicorn --bind 0.0.0.0:8000 mysite.wsgi:application', port: 8000 });
    expect(sourceOf(wsgi, 'start')).toBe('mysite/wsgi.py: application = get_wsgi_application(), run by gunicorn (in requirements.txt)');
    expect(wsgi.dockerNotes.join('\n')).toMatch(/^Django answers 400 to a Host not in ALLOWED_HOSTS \(mysite\/settings\.py\), .*127\.0\.0\.1.*Nomad's check.*: allow those hosts, or answer the health path from a middleware listed before CommonMiddleware$/m);
    const asgi = await detectProject(tree({ ...project, 'requirements.txt': 'django\nuvicorn[standard]\n', 'mysite/settings/__init__.py': '', 'mysite/settings/prod.py': "ALLOWED_HOSTS = ['*']\n" }));
    expect(asgi.suggested.start).toBe('python -m uvicorn mysite.asgi:application --host 0.0.0.0 --port 8000');
    expect(asgi.dockerNotes.join('\n')).not.toMatch(/ALLOWED_HOSTS/);
    const bare = await detectProject(tree({ ...project, 'requirements.txt': 'django\n' }));
    expect(bare.suggested.start).toBeUndefined();
    expect(bare.startNote).toBe('mysite/wsgi.py defines the Django app "application", but requirements.txt declares no WSGI server (such as gunicorn) to run it: add one to the dependencies, then pass --start (e.g. --start "python -m gunicorn --bind 0.0.0.0:8000 mysite.wsgi:application")');
  });

  it("a Flask app factory (Flask's tutorial layout): called by gunicorn, waitress or flask run; one that needs arguments is not", async () => {
    const factory = 'import os\nfrom flask import Flask\n\ndef create_app(test_config=None):\n    app = Flask(__name__, instance_relative_config=True)\n    return app\n';
    const tutorial = { 'pyproject.toml': '[project]\nname = "flaskr"\ndependencies = ["flask", "gunicorn"]\n', 'uv.lock': '', 'flaskr/__init__.py': factory, 'flaskr/db.py': '', 'tests/__init__.py': factory };
    const gunicorn = await detectProject(tree(tutorial));
    expect(gunicorn.suggested).toMatchObject({ start: "python -m gunicorn --bind 0.0.0.0:8000 'flaskr:create_app()'", port: 8000 });
    expect(sourceOf(gunicorn, 'start')).toBe('flaskr/__init__.py: def create_app(test_config=None), run by gunicorn (in pyproject.toml)');
    expect(splitCommand(gunicorn.suggested.start!)).toEqual(['python', '-m', 'gunicorn', '--bind', '0.0.0.0:8000', 'flaskr:create_app()']);
    const own = await detectProject(tree({ 'requirements.txt': 'flask\n', 'app/__init__.py': factory.replace('create_app(test_config=None)', 'make_app(*args, **kwargs)') }));
    expect(own.suggested.start).toBe("python -m flask --app 'app:make_app()' run --host 0.0.0.0 --port 5000");
    const waitress = await detectProject(tree({ 'requirements.txt': 'flask\nwaitress\n', 'app/__init__.py': factory }));
    expect(waitress.suggested.start).toBe('python -m waitress --listen=0.0.0.0:8080 --call app:create_app');
    const needsConfig = await detectProject(tree({ 'requirements.txt': 'flask\n', 'app/__init__.py': factory.replace('test_config=None', 'config') }));
    expect(needsConfig.suggested.start).toBeUndefined();
  });

  it('no server declared: no start command, and a note naming the file, the dependency and --start', async () => {
    const bare = await detectProject(tree({ 'requirements.txt': 'fastapi\n', 'app/__init__.py': '', 'app/main.py': fastapi }));
    expect(bare.suggested.start).toBeUndefined();
    expect(bare.startNote).toBe('app/main.py defines the FastAPI app "app", but requirements.txt declares no ASGI server (such as uvicorn) to run it: add one to the dependencies, then pass --start (e.g. --start "python -m uvicorn app.main:app --host 0.0.0.0 --port 8000")');
  });
});

describe("an existing Dockerfile's CMD comes before a start command inferred from the code", () => {
  const fastapi = 'from fastapi import FastAPI\napp = FastAPI()\n@app.get("/healthz")\ndef h(): return {}\n';
  it('a FastAPI app whose Dockerfile runs "fastapi run --workers 4" keeps its workers; a Procfile or scripts.start still comes first', async () => {
    const project = { 'requirements.txt': 'fastapi[standard]==0.115.0\n', 'app/__init__.py': '', 'app/main.py': fastapi };
    const cmd = await detectProject(tree({ ...project, Dockerfile: 'FROM python:3.12-slim\nCOPY app ./app\nCMD ["fastapi", "run", "--workers", "4", "app/main.py"]\n' }));
    expect(cmd.suggested).toMatchObject({ start: 'fastapi run --workers 4 app/main.py', port: 8000, healthPath: '/healthz' });
    expect(sourceOf(cmd, 'start')).toBe('Dockerfile CMD/ENTRYPOINT');
    expect(serverPort('fastapi run app/main.py --port 8080')).toEqual({ port: 8080, explicit: true, server: 'fastapi run' });
    // The package's __main__.py and a script with a __main__ guard are inferred too.
    const pkg = await detectProject(tree({ 'requirements.txt': 'gunicorn\n', 'svc/__init__.py': '', 'svc/__main__.py': '', Dockerfile: 'FROM python:3.12\nCMD gunicorn --workers 3 --bind 0.0.0.0:8000 svc.wsgi:app\n' }));
    expect(pkg.suggested.start).toBe('gunicorn --workers 3 --bind 0.0.0.0:8000 svc.wsgi:app');
    const procfile = await detectProject(tree({ ...project, Procfile: 'web: uvicorn app.main:app --host 0.0.0.0 --port 8000\n', Dockerfile: 'FROM python:3.12\nCMD ["fastapi", "run", "app/main.py"]\n' }));
    expect(procfile.suggested.start).toBe('uvicorn app.main:app --host 0.0.0.0 --port 8000');
    // Node: a server.js that exists is a guess; the Dockerfile's CMD, and scripts.start before it, are not.
    const node = { 'package.json': '{"name":"api","dependencies":{"express":"4"}}', 'server.js': '', 'src/worker.js': '' };
    expect((await detectProject(tree({ ...node, Dockerfile: 'FROM node:22\nCMD ["node", "src/worker.js"]\n' }))).suggested.start).toBe('node src/worker.js');
    const scripted = { ...node, 'package.json': '{"name":"api","scripts":{"start":"node server.js"},"dependencies":{"express":"4"}}' };
    expect((await detectProject(tree({ ...scripted, Dockerfile: 'FROM node:22\nCMD ["node", "src/worker.js"]\n' }))).suggested.start).toBe('node server.js');
    // A CMD that is not a runtime the image has (a shell script) leaves the inferred command.
    expect((await detectProject(tree({ ...project, Dockerfile: 'FROM python:3.12\nCMD ["./start.sh"]\n' }))).suggested.start).toBe('python -m uvicorn app.main:app --host 0.0.0.0 --port 8000');
  });
});

describe('Next.js (next start in scripts.start)', () => {
  it('runs next from node_modules on the port -p gives, after its build script; the health route is a file', async () => {
    const d = await detectProject(tree({ 'package.json': '{"name":"store","scripts":{"build":"next build","start":"next start -p 3100"},"dependencies":{"next":"14.2.3","react":"18.3.1"}}', 'package-lock.json': '{}', 'next.config.mjs': 'export default {}\n', 'tsconfig.json': '{}', 'app/page.tsx': '', 'app/api/health/route.ts': 'export async function GET(){return Response.json({})}\n', 'public/logo.svg': '' }));
    expect(d.suggested).toMatchObject({ start: 'node node_modules/next/dist/bin/next start -p 3100', port: 3100, buildScript: 'build', healthPath: '/api/health', sources: ['app', 'public', 'next.config.mjs', 'tsconfig.json'] });
    expect(sourceOf(d, 'healthPath')).toBe('app/api/health/route.ts (a Next.js route)');
    expect(d.dockerNotes.join('\n')).not.toMatch(/scripts\.start runs|does not run it/);
    expect(serverPort('node node_modules/next/dist/bin/next start -p 3100')).toEqual({ port: 3100, explicit: true, server: 'next start' });
    expect(d.startFor?.(4000)).toBe('node node_modules/next/dist/bin/next start -p 4000');
    const pages = await detectProject(tree({ 'package.json': '{"scripts":{"build":"next build","start":"next start"},"dependencies":{"next":"15.0.0"}}', 'src/pages/index.tsx': '', 'src/pages/api/healthz.ts': 'export default function h(req, res) { res.status(200).end() }\n' }));
    expect(pages.suggested).toMatchObject({ start: 'node node_modules/next/dist/bin/next start -p 3000', port: 3000, healthPath: '/api/healthz' });
  });

  it("create-next-app's layout: the PostCSS (Tailwind) config reaches the build, and a next.config.ts without typescript in dependencies is noted", async () => {
    // create-next-app 15 (TypeScript, Tailwind 4): next.config.ts, postcss.config.mjs, typescript in devDependencies.
    const pkg = { name: 'web', scripts: { dev: 'next dev --turbopack', build: 'next build', start: 'next start', lint: 'next lint' }, dependencies: { react: '^19.0.0', 'react-dom': '^19.0.0', next: '15.4.2' }, devDependencies: { typescript: '^5', '@tailwindcss/postcss': '^4', tailwindcss: '^4' } };
    const files = { 'package-lock.json': '{}', 'next.config.ts': 'const nextConfig = {};\nexport default nextConfig;\n', 'postcss.config.mjs': 'export default { plugins: ["@tailwindcss/postcss"] };\n', 'tailwind.config.ts': 'export default {};\n', 'tsconfig.json': '{}', 'eslint.config.mjs': '', 'next-env.d.ts': '', 'app/page.tsx': '', 'app/globals.css': '@import "tailwindcss";\n', 'public/next.svg': '' };
    const d = await detectProject(tree({ 'package.json': JSON.stringify(pkg), ...files }));
    expect(d.suggested.sources).toEqual(['app', 'public', 'next.config.ts', 'postcss.config.mjs', 'tailwind.config.ts', 'tsconfig.json']);
    expect(d.dockerNotes.join('\n')).toMatch(/^next\.config\.ts: "next start" \(Next\.js 15\.4 and later\) loads it with the typescript package, which package\.json does not list in dependencies, .*: move typescript from devDependencies to dependencies, or write the config as next\.config\.mjs$/m);
    // typescript among the dependencies, or a JavaScript config: nothing to say.
    const listed = await detectProject(tree({ 'package.json': JSON.stringify({ ...pkg, dependencies: { ...pkg.dependencies, typescript: '^5' } }), ...files }));
    expect(listed.dockerNotes.join('\n')).not.toMatch(/typescript package/);
    const { 'next.config.ts': _ts, ...js } = files;
    const mjs = await detectProject(tree({ 'package.json': JSON.stringify(pkg), ...js, 'next.config.mjs': 'export default {};\n' }));
    expect(mjs.dockerNotes.join('\n')).not.toMatch(/typescript package/);
  });
});

describe('file names with a space in a detected start command', () => {
  it('quotes an assembly name with a space (Visual Studio allows one), so the start command runs one file', async () => {
    const web = '<Project Sdk="Microsoft.NET.Sdk.Web"><PropertyGroup><TargetFramework>net8.0</TargetFramework></PropertyGroup></Project>\n';
    const d = await detectProject(tree({ 'My Api.csproj': web, 'Program.cs': '' }));
    expect(d.suggested).toMatchObject({ language: 'dotnet', start: 'dotnet "My Api.dll"', name: 'my-api' });
    expect(splitCommand(d.suggested.start!)).toEqual(['dotnet', 'My Api.dll']);
    const quoted = await detectProject(tree({ 'Say "Hi".csproj': web, 'Program.cs': '' }));
    expect(splitCommand(quoted.suggested.start!)).toEqual(['dotnet', 'Say "Hi".dll']);
  });

  it("quotes package.json's main when it holds a space", async () => {
    const d = await detectProject(tree({ 'package.json': JSON.stringify({ name: 'api', main: 'my server.js' }), 'my server.js': '' }));
    expect(d.suggested.start).toBe('node "my server.js"');
    expect(splitCommand(d.suggested.start!)).toEqual(['node', 'my server.js']);
  });
});

describe('.NET in the solution layout (src/<Project>/<Project>.csproj)', () => {
  it('names the web project for the build to restore and publish', async () => {
    const api = '<Project Sdk="Microsoft.NET.Sdk.Web">\n  <PropertyGroup>\n    <TargetFramework>net8.0</TargetFramework>\n  </PropertyGroup>\n  <ItemGroup>\n    <ProjectReference Include="..\\Todo.Core\\Todo.Core.csproj" />\n  </ItemGroup>\n</Project>\n';
    const d = await detectProject(tree({ 'Todo.sln': '', 'src/Todo.Api/Todo.Api.csproj': api, 'src/Todo.Api/Program.cs': '', 'src/Todo.Core/Todo.Core.csproj': '<Project Sdk="Microsoft.NET.Sdk"></Project>\n', 'tests/Todo.Api.Tests/Todo.Api.Tests.csproj': '<Project Sdk="Microsoft.NET.Sdk"></Project>\n' }));
    expect(d.suggested).toMatchObject({ language: 'dotnet', start: 'dotnet Todo.Api.dll', sources: ['src'], buildTarget: 'src/Todo.Api/Todo.Api.csproj' });
    expect(sourceOf(d, 'buildTarget')).toBe('src/Todo.Api/Todo.Api.csproj, the ASP.NET Core project, not at the top');
    expect(d.dockerNotes.join('\n')).not.toMatch(/csproj/);
    // One project at the top, as "COPY *.csproj ./" expects: nothing to name.
    const web = '<Project Sdk="Microsoft.NET.Sdk.Web"><PropertyGroup><TargetFramework>net8.0</TargetFramework></PropertyGroup></Project>\n';
    const top = await detectProject(tree({ 'Orders.Api.csproj': web, 'Program.cs': '' }));
    expect(top.suggested.buildTarget).toBeUndefined();
    // Two at the top: *.csproj would give restore two projects, so the web one is named.
    const two = await detectProject(tree({ 'Orders.Api.csproj': web, 'Orders.Tools.csproj': '<Project Sdk="Microsoft.NET.Sdk"></Project>\n', 'Program.cs': '' }));
    expect(two.suggested.buildTarget).toBe('Orders.Api.csproj');
    expect(two.dockerNotes.join('\n')).not.toMatch(/csproj/);
  });

  it('with two ASP.NET Core projects, or two projects at the same depth and none, names them all and how to choose, picking none silently', async () => {
    const web = '<Project Sdk="Microsoft.NET.Sdk.Web"><PropertyGroup><TargetFramework>net8.0</TargetFramework></PropertyGroup></Project>\n';
    const lib = '<Project Sdk="Microsoft.NET.Sdk"><PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net8.0</TargetFramework></PropertyGroup></Project>\n';
    const twoWeb = await detectProject(tree({ 'Orders.Api.csproj': web, 'Admin.Api.csproj': web, 'Program.cs': '' }));
    const note = twoWeb.dockerNotes.find((n) => n.includes('csproj'));
    expect(note).toBe("this project has 2 ASP.NET Core projects (Admin.Api.csproj, Orders.Api.csproj) and the image builds and runs one: Admin.Api.csproj until you choose; for the other, pass --build-target Orders.Api.csproj --start 'dotnet Orders.Api.dll' (and --name for its name)");
    expect(twoWeb.suggested).toMatchObject({ buildTarget: 'Admin.Api.csproj', start: 'dotnet Admin.Api.dll' });
    expect(sourceOf(twoWeb, 'buildTarget')).toBe('Admin.Api.csproj, the first of 2 ASP.NET Core projects');
    // Acted on once a build target is given.
    expect(twoWeb.noteConditions.get(note!)?.unlessGiven).toEqual(['buildTarget']);
    // No ASP.NET Core project: two at the same depth, each quoted for the shell when it needs it.
    const workers = await detectProject(tree({ 'src/Ingest/Ingest.csproj': lib, 'src/My Worker/My Worker.csproj': lib, 'src/Ingest/Program.cs': '' }));
    expect(workers.dockerNotes.find((n) => n.includes('csproj'))).toBe(`this project has 2 projects at the same depth (src/Ingest/Ingest.csproj, src/My Worker/My Worker.csproj) and the image builds and runs one: src/Ingest/Ingest.csproj until you choose; for the other, pass --build-target 'src/My Worker/My Worker.csproj' --start 'dotnet "My Worker.dll"' (and --name for its name)`);
    expect(sourceOf(workers, 'buildTarget')).toBe('src/Ingest/Ingest.csproj, the first of 2 projects at the same depth, not at the top');
    // A test project is never the one the image runs: the app beside it is, whatever their names sort as.
    const tested = await detectProject(tree({ 'Zeta.csproj': lib, 'Zeta.Tests.csproj': '<Project Sdk="Microsoft.NET.Sdk"><ItemGroup><PackageReference Include="Microsoft.NET.Test.Sdk" Version="17.12.0" /></ItemGroup></Project>\n', 'Program.cs': '' }));
    expect(tested.suggested).toMatchObject({ buildTarget: 'Zeta.csproj', start: 'dotnet Zeta.dll' });
    expect(tested.dockerNotes.join('\n')).not.toMatch(/csproj/);
    // One ASP.NET Core project among others: that one, nothing to choose.
    const one = await detectProject(tree({ 'src/Api/Api.csproj': web, 'src/Worker/Worker.csproj': lib, 'src/Api/Program.cs': '' }));
    expect(one.suggested.buildTarget).toBe('src/Api/Api.csproj');
    expect(one.dockerNotes.join('\n')).not.toMatch(/csproj/);
  });
});

describe('Laravel', () => {
  it("serves the health route bootstrap/app.php declares, and is told which folders it writes at run time (laravel/laravel's skeleton)", async () => {
    const app = "<?php\n\nreturn Application::configure(basePath: dirname(__DIR__))\n    ->withRouting(\n        web: __DIR__.'/../routes/web.php',\n        commands: __DIR__.'/../routes/console.php',\n        health: '/up',\n    )\n    ->create();\n";
    const files = { 'composer.json': JSON.stringify({ name: 'laravel/laravel', require: { php: '^8.2', 'laravel/framework': '^11.31' } }), 'composer.lock': '{}', 'public/index.php': '<?php\n', 'routes/web.php': "<?php\nRoute::get('/', fn () => view('welcome'));\n", 'app/Models/User.php': '<?php\n' };
    const d = await detectProject(tree({ ...files, 'bootstrap/app.php': app }));
    expect(d.suggested.healthPath).toBe('/up');
    expect(sourceOf(d, 'healthPath')).toBe("bootstrap/app.php withRouting health: '/up' (Laravel's health route)");
    expect(d.dockerNotes.join('\n')).toMatch(/^Laravel writes at run time to storage\/ .* and bootstrap\/cache\/ .*read-only root filesystem .*: give the app writable folders for them/m);
    // An older skeleton without the health route: none found, as before.
    const old = await detectProject(tree({ ...files, 'bootstrap/app.php': "<?php\n$app = new Illuminate\\Foundation\\Application(dirname(__DIR__));\nreturn $app;\n" }));
    expect(old.suggested.healthPath).toBeUndefined();
  });
});

describe('the port a compiled service listens on', () => {
  it('Go: the flag and variable idioms of "Let\'s Go" (flag.String("addr", ":4000"), flag.IntVar(&cfg.port, "port", 4000)), not a DSN', async () => {
    const go = async (main: string) => (await detectProject(tree({ 'go.mod': 'module github.com/acme/snippetbox\n\ngo 1.23.0\n', 'cmd/web/main.go': main }))).suggested.port;
    expect(await go('func main() {\n\taddr := flag.String("addr", ":4000", "HTTP network address")\n\tflag.Parse()\n}\n')).toBe(4000);
    expect(await go('func main() {\n\tvar cfg config\n\tflag.IntVar(&cfg.port, "port", 4001, "API server port")\n\tflag.StringVar(&cfg.db.dsn, "db-dsn", "postgres://u:p@localhost:5432/db", "DSN")\n}\n')).toBe(4001);
    expect(await go('func main() {\n\taddr := os.Getenv("ADDR")\n\tif addr == "" {\n\t\taddr = ":4002"\n\t}\n\tlog.Fatal(http.ListenAndServe(addr, nil))\n}\n')).toBe(4002);
    expect(await go('func main() {\n\tdsn := flag.String("dsn", "web:pass@tcp(localhost:3306)/db", "MySQL data source name")\n}\n')).toBeUndefined();
  });

  it("Rust: the main file of a workspace's only binary ([[bin]] path too), and its framework", async () => {
    const root = { 'Cargo.toml': '[workspace]\nresolver = "2"\nmembers = ["crates/*"]\n', 'crates/core/Cargo.toml': '[package]\nname = "core"\n', 'crates/core/src/lib.rs': 'pub const DB: &str = "127.0.0.1:5432";\n' };
    const d = await detectProject(tree({ ...root, 'crates/api/Cargo.toml': '[package]\nname = "orders-api"\n\n[[bin]]\nname = "orders"\npath = "src/bin/serve.rs"\n', 'crates/api/src/bin/serve.rs': 'fn main() { let l = TcpListener::bind("0.0.0.0:7070").unwrap(); }\n' }));
    expect(d.suggested).toMatchObject({ buildTarget: 'orders', port: 7070 });
    expect(sourceOf(d, 'port')).toBe('crates/api/src/bin/serve.rs: "0.0.0.0:7070"');
    const rocket = await detectProject(tree({ ...root, 'crates/web/Cargo.toml': '[package]\nname = "web"\n\n[dependencies]\nrocket = "0.5"\n', 'crates/web/src/main.rs': 'fn main() {}\n' }));
    expect(rocket.suggested).toMatchObject({ buildTarget: 'web', port: 8000 });
  });
});

describe('Micronaut and Quarkus with the Gradle Kotlin DSL their starters write', () => {
  const wrapper = { gradlew: '', 'gradle/wrapper/gradle-wrapper.properties': '' };
  it("Micronaut: JavaVersion.toVersion(\"17\"), micronaut.server.port in application.yml, else its default 8080", async () => {
    const build = 'plugins {\n    id("io.micronaut.application") version "4.4.2"\n}\nversion = "0.1"\njava {\n    sourceCompatibility = JavaVersion.toVersion("17")\n}\nmicronaut {\n    runtime("netty")\n}\n';
    const base = { ...wrapper, 'build.gradle.kts': build, 'settings.gradle.kts': 'rootProject.name="demo"\n', 'src/main/java/example/Application.java': '' };
    const d = await detectProject(tree({ ...base, 'src/main/resources/application.yml': 'micronaut:\n  application:\n    name: demo\n  server:\n    port: 8082\n' }));
    expect(d.suggested).toMatchObject({ language: 'java', languageVersion: '17', port: 8082 });
    expect(sourceOf(d, 'port')).toBe('src/main/resources/application.yml micronaut.server.port 8082');
    const plain = await detectProject(tree(base));
    expect(plain.suggested.port).toBe(8080);
    expect(sourceOf(plain, 'port')).toBe('Micronaut (its default port)');
  });

  it("the health endpoint of Quarkus's SmallRye Health and Micronaut's management, where their settings move it, and on a port of its own", async () => {
    const quarkus = (extra: Record<string, string>) => detectProject(tree({ ...wrapper, 'build.gradle.kts': 'plugins {\n    java\n    id("io.quarkus")\n}\ndependencies {\n    implementation("io.quarkus:quarkus-rest")\n    implementation("io.quarkus:quarkus-smallrye-health")\n}\n', 'settings.gradle.kts': 'rootProject.name = "shop"\n', ...extra }));
    const q = await quarkus({});
    expect(q.suggested.healthPath).toBe('/q/health');
    expect(sourceOf(q, 'healthPath')).toBe('quarkus-smallrye-health in build.gradle.kts (its health endpoint)');
    expect((await quarkus({ 'src/main/resources/application.properties': 'quarkus.http.root-path=/shop\nquarkus.smallrye-health.root-path=status\n' })).suggested.healthPath).toBe('/shop/q/status');
    expect((await quarkus({ 'src/main/resources/application.properties': 'quarkus.http.root-path=/shop\nquarkus.http.non-application-root-path=/ops\n' })).suggested.healthPath).toBe('/ops/health');
    const managed = await quarkus({ 'src/main/resources/application.properties': 'quarkus.management.enabled=true\n' });
    expect(managed.dockerNotes.join('\n')).toMatch(/^quarkus\.management\.enabled=true serves SmallRye Health on the management interface's own port \(9000/m);
    const pom = '<project>\n  <groupId>example.micronaut</groupId>\n  <artifactId>demo</artifactId>\n  <version>0.1</version>\n  <dependencies>\n    <dependency>\n      <groupId>io.micronaut</groupId>\n      <artifactId>micronaut-management</artifactId>\n    </dependency>\n  </dependencies>\n</project>\n';
    const m = await detectProject(tree({ 'pom.xml': pom }));
    expect(m.suggested.healthPath).toBe('/health');
    // Micronaut Launch's POM: the Java release in <release.version> and <jdk.version>.
    const launch = pom.replace('<version>0.1</version>', '<version>0.1</version>\n  <properties>\n    <packaging>jar</packaging>\n    <jdk.version>17</jdk.version>\n    <release.version>17</release.version>\n  </properties>');
    expect((await detectProject(tree({ 'pom.xml': launch }))).suggested.languageVersion).toBe('17');
    expect((await detectProject(tree({ 'pom.xml': launch.replace('    <release.version>17</release.version>\n', '') }))).suggested.languageVersion).toBe('17');
    expect(sourceOf(m, 'healthPath')).toBe('micronaut-management in pom.xml (its health endpoint)');
    const moved = await detectProject(tree({ 'pom.xml': pom, 'src/main/resources/application.yml': 'endpoints:\n  all:\n    path: /manage\n    port: 8085\n' }));
    expect(moved.suggested.healthPath).toBe('/manage/health');
    expect(moved.dockerNotes.join('\n')).toMatch(/^endpoints\.all\.port=8085 serves Micronaut's management endpoints on their own port/m);
  });

  it("Quarkus: the fast-jar it packages by default is no one jar the image can run, so it is noted; an uber-jar's -runner.jar is", async () => {
    const pom = '<project>\n  <groupId>org.acme</groupId>\n  <artifactId>code-with-quarkus</artifactId>\n  <version>1.0.0-SNAPSHOT</version>\n  <properties>\n    <maven.compiler.release>21</maven.compiler.release>\n  </properties>\n  <dependencies>\n    <dependency>\n      <groupId>io.quarkus</groupId>\n      <artifactId>quarkus-rest</artifactId>\n    </dependency>\n  </dependencies>\n</project>\n';
    const fast = await detectProject(tree({ 'pom.xml': pom, 'src/main/java/org/acme/GreetingResource.java': '' }));
    expect(fast.suggested.buildTarget).toBeUndefined();
    expect(fast.dockerNotes.join('\n')).toMatch(/^Quarkus packages a fast-jar by default \(target\/quarkus-app\/: quarkus-run\.jar, which needs the lib\/, app\/ and quarkus\/ folders beside it\).*set quarkus\.package\.jar\.type=uber-jar in src\/main\/resources\/application\.properties/m);
    const uber = await detectProject(tree({ 'pom.xml': pom, 'src/main/resources/application.properties': 'quarkus.package.jar.type=uber-jar\n' }));
    expect(uber.suggested.buildTarget).toBe('target/code-with-quarkus-*-runner.jar');
    expect(uber.dockerNotes.join('\n')).not.toMatch(/Quarkus/);
    const gradle = await detectProject(tree({ ...wrapper, 'build.gradle.kts': 'plugins {\n    java\n    id("io.quarkus")\n}\n', 'settings.gradle.kts': 'rootProject.name = "code-with-quarkus"\n', 'src/main/resources/application.yaml': 'quarkus:\n  package:\n    jar:\n      type: uber-jar\n' }));
    expect(gradle.suggested.buildTarget).toBeUndefined();
    expect(gradle.dockerNotes.join('\n')).toMatch(/^Quarkus writes its uber-jar as <name>-<version>-runner\.jar: pass it with --build-target/m);
  });

  it('Quarkus: quarkus.http.port in application.yaml (quarkus-config-yaml)', async () => {
    const build = 'plugins {\n    java\n    id("io.quarkus")\n}\ndependencies {\n    implementation(enforcedPlatform("io.quarkus.platform:quarkus-bom:3.15.1"))\n}\n';
    const d = await detectProject(tree({ ...wrapper, 'build.gradle.kts': build, 'settings.gradle.kts': 'rootProject.name = "code-with-quarkus"\n', 'src/main/resources/application.yaml': 'quarkus:\n  http:\n    port: 8181\n' }));
    expect(d.suggested.port).toBe(8181);
  });
});

describe('a port written in the code the start command runs', () => {
  it("in the TypeScript source of a built entry, and in a src-layout package's __main__.py", async () => {
    const ts = await detectProject(tree({ 'package.json': '{"scripts":{"build":"tsc","start":"node build/main.js"},"dependencies":{"fastify":"^4"}}', 'package-lock.json': '{}', 'tsconfig.json': '{"compilerOptions":{"outDir":"build","rootDir":"src"}}', 'src/main.ts': 'const f = Fastify(); f.get("/healthz", async () => "ok"); f.listen({ port: 8000, host: "0.0.0.0" });\n' }));
    expect(ts.suggested).toMatchObject({ start: 'node build/main.js', port: 8000, healthPath: '/healthz' });
    expect(sourceOf(ts, 'port')).toBe('src/main.ts: port: 8000');
    const py = await detectProject(tree({ 'pyproject.toml': '[tool.poetry]\nname = "reports"\n[tool.poetry.dependencies]\nfastapi = "*"\nuvicorn = "*"\n', 'poetry.lock': '', 'src/reports/__init__.py': '', 'src/reports/__main__.py': 'import uvicorn\napp = FastAPI()\n@app.get("/health")\ndef h(): return {}\nuvicorn.run(app, host="0.0.0.0", port=8123)\n' }));
    expect(py.suggested).toMatchObject({ start: 'python -m reports', port: 8123, healthPath: '/health' });
  });
});

describe('the port a Node entry falls back to when PORT is unset', () => {
  it('through Number(), parseInt(), a bracketed name or destructuring; never a DB_PORT', async () => {
    const portOf = async (code: string) => (await detectProject(tree({ 'package.json': '{"name":"api","scripts":{"start":"node src/index.js"},"dependencies":{"hono":"^4"}}', 'package-lock.json': '{}', 'src/index.js': code }))).suggested.port;
    expect(await portOf('serve({ fetch: app.fetch, port: Number(process.env.PORT) || 8787 })\n')).toBe(8787);
    expect(await portOf('const port = parseInt(process.env.PORT, 10) || 8788;\n')).toBe(8788);
    expect(await portOf("const port = +(process.env['PORT'] ?? '8789');\n")).toBe(8789);
    expect(await portOf('const { HOST = "0.0.0.0", PORT = 8790 } = process.env;\n')).toBe(8790);
    // Hono's conventional port, not the database's.
    expect(await portOf('const { DB_PORT = 5432 } = process.env;\nconst db = Number(process.env.DB_PORT) || 5433;\n')).toBe(3000);
  });

  it("Rust's env::var(\"PORT\") with a fallback string or number", async () => {
    const portOf = async (main: string) => (await detectProject(tree({ 'Cargo.toml': '[package]\nname = "quotes"\nversion = "0.4.0"\n\n[dependencies]\naxum = "0.7"\n', 'Cargo.lock': '', 'src/main.rs': main }))).suggested.port;
    expect(await portOf('let port = std::env::var("PORT").unwrap_or_else(|_| "8090".to_string());\nlet l = TcpListener::bind(format!("0.0.0.0:{port}")).await?;\n')).toBe(8090);
    expect(await portOf('let port: u16 = env::var("PORT").ok().and_then(|p| p.parse().ok()).unwrap_or(8091);\n')).toBe(8091);
    expect(await portOf('let db = env::var("DB_PORT").unwrap_or_else(|_| "5432".into());\n')).toBeUndefined();
  });

  it("Rust: actix-web's bind((host, port)) tuple, as its starter writes it", async () => {
    const main = '#[actix_web::main]\nasync fn main() -> std::io::Result<()> {\n    HttpServer::new(|| App::new().service(health))\n        .bind(("0.0.0.0", 8085))?\n        .run()\n        .await\n}\n';
    const d = await detectProject(tree({ 'Cargo.toml': '[package]\nname = "hello"\nversion = "0.1.0"\n\n[dependencies]\nactix-web = "4"\n', 'Cargo.lock': '', 'src/main.rs': main }));
    expect(d.suggested.port).toBe(8085);
    expect(sourceOf(d, 'port')).toBe('src/main.rs: bind(("0.0.0.0", 8085)');
  });

  it("Python's int(os.getenv(\"PORT\") or 8000) too", async () => {
    const d = await detectProject(tree({ 'requirements.txt': 'flask\n', 'app.py': 'import os\nfrom flask import Flask\napp = Flask(__name__)\nif __name__ == "__main__":\n    app.run(host="0.0.0.0", port=int(os.getenv("PORT") or 5055))\n' }));
    expect(d.suggested.port).toBe(5055);
  });
});

describe('no port found anywhere', () => {
  const portNotes = (d: Awaited<ReturnType<typeof detectProject>>) => d.valueNotes.filter((n) => n.note.startsWith('no port found'));
  it("says which port the generated files use, only while that default stands, and not for .NET (the image tells ASP.NET where to listen)", async () => {
    const main = 'package main\nfunc main() {\n\tport := os.Getenv("LEDGER_PORT")\n\tif port == "" {\n\t\tport = "7070"\n\t}\n\thttp.ListenAndServe(":"+port, nil)\n}\n';
    const go = await detectProject(tree({ 'go.mod': 'module github.com/acme/ledger\n\ngo 1.23.0\n', 'cmd/ledger/main.go': main }));
    expect(go.suggested.port).toBeUndefined();
    expect(portNotes(go)).toEqual([{ when: { language: 'go', port: 8080 }, note: 'no port found (no EXPOSE, compose or Nomad port, server flag, or port the entry code listens on): the health checks and published ports use 8080 and the image sets PORT=8080, so make the app listen there, or pass --port' }]);
    // A --port 7070 (or another language) is not the default the note is about.
    expect(noteHolds(portNotes(go)[0], { language: 'go', port: 7070 }, new Set(['port']))).toBe(false);
    expect(noteHolds(portNotes(go)[0], { language: 'go', port: 8080 }, new Set())).toBe(true);
    const found = await detectProject(tree({ 'go.mod': 'module github.com/acme/ledger\n\ngo 1.23.0\n', 'cmd/ledger/main.go': main.replace('":"+port', '":7070"') }));
    expect(found.suggested.port).toBe(7070);
    expect(portNotes(found)).toEqual([]);
    // A health check that asks the container itself says where the app listens.
    const checked = await detectProject(tree({ 'go.mod': 'module github.com/acme/ledger\n\ngo 1.23.0\n', 'cmd/ledger/main.go': main, Dockerfile: 'FROM golang:1.23\nHEALTHCHECK CMD ["/healthcheck", "http://127.0.0.1:7070/livez"]\n' }));
    expect(checked.suggested).toMatchObject({ port: 7070, healthPath: '/livez' });
    expect(sourceOf(checked, 'port')).toBe('Dockerfile HEALTHCHECK');
    expect(portNotes(checked)).toEqual([]);
    const composed = await detectProject(tree({ 'go.mod': 'module github.com/acme/ledger\n\ngo 1.23.0\n', 'cmd/ledger/main.go': main, 'compose.yaml': 'services:\n  ledger:\n    build: .\n    healthcheck:\n      test: ["CMD", "wget", "-qO-", "http://localhost:7071/livez"]\n' }));
    expect(composed.suggested.port).toBe(7071);
    expect(sourceOf(composed, 'port')).toBe('compose.yaml services.ledger.healthcheck');
    // EXPOSE says it more directly; a URL to another host, or without a port, says nothing.
    const exposed = await detectProject(tree({ 'go.mod': 'module github.com/acme/ledger\n\ngo 1.23.0\n', Dockerfile: 'FROM golang:1.23\nEXPOSE 7072\nHEALTHCHECK CMD curl -f http://localhost:7070/livez\n' }));
    expect(exposed.suggested.port).toBe(7072);
    for (const url of ['http://db.internal:7070/livez', 'http://localhost/livez', 'http://localhost:${PORT}/livez']) {
      const other = await detectProject(tree({ 'go.mod': 'module github.com/acme/ledger\n\ngo 1.23.0\n', Dockerfile: `FROM golang:1.23\nHEALTHCHECK CMD curl -f ${url}\n` }));
      expect(other.suggested.port).toBeUndefined();
    }
    const dotnet = await detectProject(tree({ 'Api.csproj': '<Project Sdk="Microsoft.NET.Sdk.Web"><PropertyGroup><TargetFramework>net8.0</TargetFramework></PropertyGroup></Project>', 'Program.cs': 'var app = WebApplication.Create(args);\napp.Run();\n' }));
    expect(dotnet.suggested.language).toBe('dotnet');
    expect(portNotes(dotnet)).toEqual([]);
    // PHP's default start command is the built-in server on the port answered.
    const php = await detectProject(tree({ 'composer.json': '{"name":"acme/catalog","require":{"php":"^8.2"}}', 'composer.lock': '{}', 'public/index.php': '<?php echo "ok";\n' }));
    expect([php.suggested.language, php.suggested.start, php.suggested.port]).toEqual(['php', undefined, undefined]);
    expect(portNotes(php)).toEqual([]);
  });
});

describe('a language manifest that is there but not read', () => {
  // Detection reads only regular files under 512 KiB under the root; one it passes over is named,
  // not taken for absent ("no language manifest found" named the wrong problem).
  const cases: [string, (root: string) => void, RegExp][] = [
    ['a symbolic link', (root) => { writeFileSync(join(root, 'real.json'), '{"name":"x"}'); symlinkSync('real.json', join(root, 'package.json')); }, /^package\.json is a symbolic link, which detection does not follow, so detection read nothing from it; make it a regular file, or give the answers it would have given \(e\.g\. --language\)$/],
    ['a directory', (root) => mkdirSync(join(root, 'package.json')), /^package\.json is a directory, so detection read nothing from it; make it a regular file/],
    ['a FIFO', (root) => execFileSync('mkfifo', [join(root, 'package.json')]), /^package\.json is a special file \(a FIFO, socket or device\), so detection read nothing from it/],
    ['too large', (root) => writeFileSync(join(root, 'package.json'), `{"name":"x","pad":"${'x'.repeat(600 * 1024)}"}`), /^package\.json is larger than the 512 KiB detection reads, so detection read nothing from it; check what it holds \(a manifest is a few KiB\)/],
  ];
  for (const [what, make, message] of cases) {
    it(`is named when it is ${what}`, async () => {
      const root = tree({ 'server.js': 'require("http").createServer().listen(3000);\n' });
      make(root);
      const d = await detectProject(root);
      expect(d.notes.filter((n) => n.startsWith('package.json '))).toEqual([expect.stringMatching(message)]);
    });
  }
  it('is not named when it is simply absent', async () => {
    const d = await detectProject(tree({ 'server.js': 'x\n' }));
    expect(d.notes.some((n) => n.startsWith('package.json '))).toBe(false);
  });
});
