/**
 * Java: every pinned version x base renders a Dockerfile that the real parser accepts and
 * that satisfies D01-D16, and a seed app whose files agree with the Dockerfile (the jar name, the
 * main class, the sources the build copies), with the health probe the Dockerfile compiles apart.
 */
import dockerignore from '@balena/dockerignore';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { detectProject } from '../../src/add/detect/index.js';
import { parseDockerfile as parseInstructions } from '../../src/check/dockerfile.js';
import { getLanguage, identityOf, versionsOf } from '../../src/languages.js';
import { languagePins } from '../../src/pins.js';
import { dockerfileViolations, parseDockerfile } from '../helpers/dockerfile.js';
import { argsOf, execOf, finalOf, uncommented } from '../helpers/dockerfile-final.js';
import { combinations, fileOf, render } from '../helpers/render.js';
import { exerciseSeed, expectHealthySeed, expectProbeVerdicts, freePort, removedAfterAll, writeTree } from './languages-checks.js';

const ignore = (dockerignore as unknown as { default: typeof dockerignore.default }).default;
const combos = combinations().filter((c) => c.language === 'java');
const copiesOf = (text: string) => finalOf(text).filter((i) => i.getKeyword() === 'COPY').map((i) => i.getTextContent());

/** Tag names of a small, well-formed XML document in order (throws on a nesting error). */
function xmlElements(text: string): { path: string; text: string }[] {
  const body = text.replace(/^<\?xml[^?]*\?>/, '').replace(/<!--[\s\S]*?-->/g, '');
  const stack: string[] = [];
  const out: { path: string; text: string }[] = [];
  const re = /<(\/?)([A-Za-z][\w.:-]*)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/?)>|([^<]+)/g;
  let consumed = 0;
  for (const m of body.matchAll(re)) {
    if (m.index !== consumed) throw new Error(`unexpected markup at ${m.index}`);
    consumed = m.index + m[0].length;
    if (m[5] !== undefined) {
      if (m[5].trim() !== '' && stack.length === 0) throw new Error('text outside the root element');
      if (m[5].trim() !== '') out.push({ path: stack.join('/'), text: m[5].trim() });
    } else if (m[1]) {
      if (stack.pop() !== m[2]) throw new Error(`</${m[2]}> closes the wrong element`);
    } else if (!m[4]) stack.push(m[2]!);
  }
  if (consumed !== body.length || stack.length > 0) throw new Error('unclosed element or stray markup');
  return out;
}

describe('java Dockerfile', () => {
  for (const combo of combos) {
    it(`${combo.languageVersion} on ${combo.base}: parses cleanly and follows D01-D16`, async () => {
      const tree = await render({ ...combo, port: '9090', healthPath: '/status/live' }, ['docker', 'app']);
      const text = fileOf(tree, 'Dockerfile');
      const { uid, gid, providedByImage } = identityOf('java', combo.base);
      expect(dockerfileViolations(text, { port: 9090, uid, gid })).toEqual([]);
      expect(uncommented(text)).toEqual([]);

      const { stages } = parseDockerfile(text);
      const pins = languagePins.java[combo.languageVersion]!;
      expect(stages.map((s) => s.image)).toEqual([pins.build[combo.base], pins.runtime[combo.base]]);
      // D02/D03: a JRE in the final stage, never a JDK.
      expect(stages.at(-1)!.image).toMatch(/-jre-|\/java\d+-debian\d+:nonroot$/);
      expect(stages.at(-1)!.image).not.toMatch(/jdk/);

      const distroless = combo.base === 'distroless';
      const java = distroless ? '/usr/bin/java' : 'java';
      expect(argsOf(text, 'ENTRYPOINT').map(execOf)).toEqual([[java, '-XX:MaxRAMPercentage=75.0', '-jar', '/app/app.jar']]);
      const probe = execOf(argsOf(text, 'HEALTHCHECK')[0]!);
      expect(probe[0]).toBe(java);
      expect(probe.slice(-3)).toEqual(['-cp', '/app/probe', 'HealthCheck']);
      // The probe is compiled on its own, for the release the image runs, and copied beside the jar.
      expect(text).toContain(`\nRUN javac --release ${combo.languageVersion} -d /build/probe HealthCheck.java\n`);
      expect(text).toContain('\nCOPY HealthCheck.java ./HealthCheck.java\n');
      // No shell in distroless: a RUN there would fail the build. Elsewhere D13 strips setuid bits.
      const runs = argsOf(text, 'RUN');
      if (distroless) expect(runs).toEqual([]);
      else expect(runs.join('\n')).toContain('find / -xdev -type f -perm /6000 -exec chmod a-s {} +');
      expect(runs.some((r) => /adduser|useradd/.test(r))).toBe(!providedByImage);
      expect(copiesOf(text)).toEqual(['COPY --from=build /build/app.jar /app/app.jar', 'COPY --from=build /build/probe /app/probe']);
      // Instructions only: comments may say "no curl".
      expect(parseDockerfile(text).dockerfile.getInstructions().filter((i) => /curl|wget/.test(i.getTextContent()))).toEqual([]);
    });
  }

  it('keeps a heap setting the user gave in the start command', async () => {
    const tree = await render({ language: 'java', start: 'java -XX:MaxRAMPercentage=50 -jar /app/app.jar' }, ['docker', 'app']);
    expect(argsOf(fileOf(tree, 'Dockerfile'), 'ENTRYPOINT').map(execOf)).toEqual([['java', '-XX:MaxRAMPercentage=50', '-jar', '/app/app.jar']]);
  });
});

describe('java seed app', () => {
  for (const combo of combos) {
    it(`${combo.languageVersion} on ${combo.base}: agrees with the Dockerfile`, async () => {
      const tree = await render({ ...combo, name: 'order-api', port: '9090', healthPath: '/status/live' }, ['docker', 'app']);
      const pom = xmlElements(fileOf(tree, 'pom.xml'));
      const value = (path: string) => pom.filter((e) => e.path === path).map((e) => e.text);
      expect(value('project/artifactId')).toEqual(['order-api']);
      expect(value('project/groupId')).toEqual(['order-api']);
      expect(value('project/properties/maven.compiler.release')).toEqual([combo.languageVersion]);
      expect(value('project/build/finalName')).toEqual(['app']);
      expect(value('project/build/plugins/plugin/configuration/archive/manifest/mainClass')).toEqual(['app.App']);
      // Every plugin the build uses has a pinned version, and the project has no dependencies.
      expect(value('project/build/pluginManagement/plugins/plugin/version').every((v) => /^\d+\.\d+\.\d+$/.test(v))).toBe(true);
      expect(value('project/build/pluginManagement/plugins/plugin/artifactId')).toEqual(expect.arrayContaining(['maven-dependency-plugin', 'maven-compiler-plugin', 'maven-jar-plugin']));
      expect(pom.some((e) => e.path.includes('dependencies'))).toBe(false);

      const app = fileOf(tree, 'src/main/java/app/App.java');
      const probe = fileOf(tree, 'HealthCheck.java');
      expect(tree.has('src/main/java/app/HealthCheck.java')).toBe(false);
      expect(app).toMatch(/^package app;$/m);
      expect(app).toContain('static final int PORT = 9090;');
      expect(app).toContain('static final String HEALTH_PATH = "/status/live";');
      expect(app).toContain('import com.sun.net.httpserver.HttpServer;');
      expect(app).toContain('addShutdownHook');
      // The default package, outside src/: neither Maven nor Gradle compiles it into the app.
      expect(probe).not.toMatch(/^package /m);
      expect(probe).toMatch(/^public final class HealthCheck \{$/m);
      expect(probe).toMatch(/public static void main\(String\[\] args\)/);
      expect(probe).toContain('private static final String URL = "http://127.0.0.1:9090/status/live";');
      expect(probe).toContain('openConnection(Proxy.NO_PROXY)');

      // What the build stage copies exists in the seed and survives the .dockerignore.
      const ig = ignore({ ignorecase: false }).add(fileOf(tree, '.dockerignore'));
      for (const copied of ['pom.xml', 'src/main/java/app/App.java', 'HealthCheck.java']) {
        expect(tree.has(copied)).toBe(true);
        expect(ig.ignores(copied)).toBe(false);
      }
    });
  }

  it('the XML check itself rejects a broken document', () => {
    expect(() => xmlElements('<project><a></b></project>')).toThrow();
    expect(() => xmlElements('<project><a>')).toThrow();
  });
});

/** The newest pinned Java release this machine's javac can target (JDK 17 here and in CI). */
function javaReleaseHere(): string {
  const version = spawnSync('javac', ['-version'], { encoding: 'utf8' });
  if (version.status !== 0) throw new Error('no javac: install a JDK (apt-get install default-jdk-headless)');
  const major = Number(/javac (\d+)/.exec(`${version.stdout}${version.stderr}`)?.[1]);
  const release = versionsOf('java').find((v) => Number(v) <= major);
  if (!release) throw new Error(`javac ${major} cannot target any pinned Java release (${versionsOf('java').join(', ')})`);
  return release;
}

describe('java seed app and health probe, on this machine\'s JDK', () => {
  const dirs = removedAfterAll();
  const release = javaReleaseHere();
  /** The Dockerfile's own javac line for the probe, writing the classes into dir/probe. */
  const compileProbe = (dockerfile: string, dir: string) => {
    const words = /^RUN (javac .* HealthCheck\.java)$/m.exec(dockerfile)![1]!.split(' ').map((w) => (w === '/build/probe' ? join(dir, 'probe') : w));
    return spawnSync(words[0]!, words.slice(1), { cwd: dir, encoding: 'utf8', timeout: 120_000 });
  };
  /** The image's HEALTHCHECK command, with the probe's classes where this test compiled them. */
  const probeCommand = (dir: string) => getLanguage('java').probe('alpine', []).map((w) => (w === '/app/probe' ? join(dir, 'probe') : w));

  it('compiles, serves the health path, passes the probe the Dockerfile compiles and runs (with its JVM flags), and exits on SIGTERM', async () => {
    const port = await freePort();
    const tree = await render({ language: 'java', languageVersion: release, port, healthPath: '/ready' }, ['app', 'docker']);
    const dir = await writeTree(tree);
    dirs.push(dir);
    const app = spawnSync('javac', ['--release', release, '-d', join(dir, 'classes'), 'src/main/java/app/App.java'], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
    expect(app.stderr).toBe('');
    expect(app.status).toBe(0);
    const probe = compileProbe(fileOf(tree, 'Dockerfile'), dir);
    expect(probe.stderr).toBe('');
    expect(probe.status).toBe(0);
    // The JVM ends with 143 (128 + SIGTERM) after its shutdown hook has stopped the server: its
    // convention for a clean stop on a signal, which docker stop and nomad stop expect.
    expectHealthySeed(await exerciseSeed(dir, ['java', '-cp', 'classes', 'app.App'], probeCommand(dir), port, '/ready'), port, { stopResult: 143 });
  }, 150_000);

  it('the probe works with any app: 0 for a 200 from another server, 1 for a 503, a redirect or a path it does not know', async () => {
    await expectProbeVerdicts(async (port, healthPath) => {
      const tree = await render({ language: 'java', languageVersion: release, port, healthPath }, ['docker']);
      const dir = await writeTree(tree, (path) => path === 'HealthCheck.java');
      dirs.push(dir);
      const built = compileProbe(fileOf(tree, 'Dockerfile'), dir);
      expect(built.status, built.stderr).toBe(0);
      return probeCommand(dir);
    });
  }, 150_000);
});

describe('the jar the image runs, whatever version the build gives it', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'css-jar-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));
  let counter = 0;
  const folder = (files: Record<string, string>) => {
    const root = join(scratch, `case-${counter++}`);
    for (const [path, content] of Object.entries(files)) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), content);
    }
    mkdirSync(root, { recursive: true });
    return root;
  };
  /** The build stage's RUN that copies the jar to /build/app.jar, run in dir (standing for /build). */
  const runJarStep = (dockerfile: string, dir: string) => {
    const build = parseInstructions(dockerfile).stages.find((s) => s.name === 'build')!;
    const step = build.instructions.filter((i) => i.keyword === 'RUN' && i.args.includes('/build/app.jar'));
    expect(step).toHaveLength(1);
    return spawnSync('/bin/sh', ['-c', step[0]!.args.replaceAll('/build/', `${dir}/`)], { cwd: dir, encoding: 'utf8' });
  };

  it('maven and gradle: the one runnable jar matching the build target becomes /build/app.jar, classifier jars aside; none or several stop the build', async () => {
    for (const [packageManager, out, buildTarget] of [['maven', 'target', 'target/catalog-*.jar'], ['gradle', 'build/libs', 'build/libs/catalog-*.jar']] as const) {
      const dockerfile = fileOf(await render({ language: 'java', packageManager, buildTarget }, ['docker']), 'Dockerfile');
      // After a version bump: the new version's jar, beside its sources, javadoc and plain jars and maven-shade's original.
      const bumped = folder({ [`${out}/catalog-0.4.0.jar`]: 'the app', [`${out}/catalog-0.4.0-sources.jar`]: 'x', [`${out}/catalog-0.4.0-javadoc.jar`]: 'x', [`${out}/catalog-0.4.0-plain.jar`]: 'x', [`${out}/catalog-0.4.0-tests.jar`]: 'x', [`${out}/original-catalog-0.4.0.jar`]: 'x', [`${out}/other-1.0.jar`]: 'x' });
      const ok = runJarStep(dockerfile, bumped);
      expect(ok.stderr).toBe('');
      expect(ok.status).toBe(0);
      expect(readFileSync(join(bumped, 'app.jar'), 'utf8')).toBe('the app');
      const none = runJarStep(dockerfile, folder({ [`${out}/catalog-0.4.0-sources.jar`]: 'x' }));
      expect(none.status).toBe(1);
      expect(none.stderr).toBe(`expected one runnable jar matching ${buildTarget}, found 0: ; pass the one to run with --build-target ("*" for its version)\n`);
      const two = runJarStep(dockerfile, folder({ [`${out}/catalog-0.4.0.jar`]: 'x', [`${out}/catalog-0.4.0-all.jar`]: 'x' }));
      expect(two.status).toBe(1);
      expect(two.stderr).toContain(`found 2: ${out}/catalog-0.4.0-all.jar ${out}/catalog-0.4.0.jar;`);
    }
    // The seed's jar, target/app.jar (its pom.xml sets <finalName>app</finalName>).
    const seed = await render({ language: 'java' }, ['docker', 'app']);
    const dir = folder({ 'target/app.jar': 'seed' });
    expect(runJarStep(fileOf(seed, 'Dockerfile'), dir).status).toBe(0);
    expect(readFileSync(join(dir, 'app.jar'), 'utf8')).toBe('seed');
  });

  it('a version bump in pom.xml or build.gradle leaves the Dockerfile add writes as it was (so update --check is right to see nothing)', async () => {
    const pom = (version: string) => `<project><modelVersion>4.0.0</modelVersion><groupId>acme</groupId><artifactId>catalog</artifactId><version>${version}</version><properties><maven.compiler.release>21</maven.compiler.release></properties></project>`;
    const gradle = (version: string) => ({ gradlew: '#!/bin/sh\n', 'gradle/wrapper/gradle-wrapper.properties': 'distributionUrl=x\n', 'settings.gradle': "rootProject.name = 'catalog'\n", 'build.gradle': `plugins { id 'java' }\nversion = '${version}'\n` });
    for (const [before, after] of [[{ 'pom.xml': pom('0.3.0') }, { 'pom.xml': pom('0.4.0') }], [gradle('1.4.2'), gradle('1.5.0')]] as const) {
      const dockerfileOf = async (files: Record<string, string>) => {
        const detection = await detectProject(folder({ ...files, 'src/main/java/app/App.java': 'package app;\n' }));
        return fileOf(await render(detection.suggested, ['docker']), 'Dockerfile');
      };
      const old = await dockerfileOf(before);
      expect(await dockerfileOf(after)).toBe(old);
      expect(old).not.toMatch(/0\.3\.0|1\.4\.2/);
      expect(old).toContain('COPY --from=build /build/app.jar /app/app.jar');
    }
  });
});
