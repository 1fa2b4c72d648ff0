/**
 * The language registry: one row per language, in the order users see them. Adding a language is
 * a row here, a row in `pins.ts`, and a folder `templates/languages/<id>/` holding its Dockerfile
 * stages and seed application (a test fails if a folder has no row, or a row no folder).
 */
import { languagePins } from './pins.js';

export const baseFamilies = ['alpine', 'distroless', 'debian-slim', 'scratch'] as const;
export type BaseFamily = (typeof baseFamilies)[number];

export const languageIds = ['node', 'python', 'go', 'java', 'rust', 'dotnet', 'php'] as const;
export type LanguageId = (typeof languageIds)[number];

export interface Language {
  id: LanguageId;
  label: string;
  /** Default major version: the current LTS or stable line (a key of its pins). */
  defaultVersion: string;
  defaultPort: number;
  /** Default start command for a port, as the user would type it (rendered in exec form). */
  defaultStart: (port: number) => string;
  /** D10: runtimes that neither reap children nor forward signals as PID 1 get `init: true`. */
  needsInit: boolean;
  /** I02: caches and build output kept out of the build context and out of git. */
  buildOutput: string[];
  /**
   * D12, C09: the health probe in exec form, run by the runtime or binary itself (no curl, no
   * shell: distroless and scratch have neither). The Dockerfile and compose both print this.
   * `start` is the start command in exec form, for a probe that is a mode of the app itself.
   */
  probe: (base: BaseFamily, start: readonly string[]) => string[];
  /** Probe timeout and start-up grace period: a JVM starts slowly, static binaries at once. */
  probeTiming: { timeout: string; startPeriod: string };
  /** The seed app's files and folders the image copies (D06); `add` detects a project's own. */
  seedSources: string[];
  /** Extensions of the language's source files, for detecting a project's sources. */
  sourceExtensions: string[];
  /**
   * For builds that must be told what to make (the `buildTarget` answer): what it is, the seed's
   * value, and the form a value must have (`inDefaultFolder`: in the folder of the default, where
   * the package manager writes it). Languages without one build the whole project.
   */
  buildTarget?: { what: string; seed: string; form: RegExp; example: string; inDefaultFolder?: boolean };
  /**
   * D12: where the health probe script lives, for runtimes that run one (the Dockerfile part
   * writes it from `languages/<id>/probe.<ext>.ejs`, so an existing project gets it too).
   */
  probeScript?: string;
  /** Without a probe script the app itself answers the probe: how the seed does it, for `add`'s note. */
  probeInApp?: string;
  /**
   * D08: the package managers the Dockerfile can install dependencies with, the seed's first, each
   * with the file it installs exactly (the `packageManager` answer; `add` finds a project's).
   */
  packageManagers?: readonly PackageManager[];
  /**
   * For runtimes that can run a project's own build first (the `buildScript` answer: an npm script
   * such as "build", run in a build stage with every dependency; the start command names the
   * file it writes, e.g. node dist/index.js).
   */
  buildScript?: true;
}

export interface PackageManager {
  id: string;
  /** Which tool it is, in its choice, where the id alone does not say (Yarn 1 and Yarn 2+ share yarn.lock). */
  label?: string;
  /** The program the Dockerfile runs, when not the id (yarn-berry is `yarn`, run through corepack). */
  command?: string;
  /** The file that marks this manager in a project (its lockfile; Gradle's wrapper), named in its choice. */
  lockfile: string;
  /** Where this tool writes the build's output, when not where the language's seed says. */
  buildTarget?: string;
}

/**
 * The runtime executable by base, as each Dockerfile template names it in its ENTRYPOINT (Python's
 * runs from the venv; distroless images set no PATH): the probes run the same one.
 */
const nodeRuntime = (base: BaseFamily) => (base === 'distroless' ? '/nodejs/bin/node' : 'node');
const pythonRuntime = (base: BaseFamily) => (base === 'distroless' ? '/usr/bin/python3' : '/opt/venv/bin/python');
const javaRuntime = (base: BaseFamily) => (base === 'distroless' ? '/usr/bin/java' : 'java');
const dotnetRuntime = (base: BaseFamily) => (base === 'distroless' ? '/usr/bin/dotnet' : 'dotnet');

/** A .NET start command as the image runs it: the HEALTHCHECK runs the same assembly, whatever it is called. */
const dotnetCommand = (base: BaseFamily, start: readonly string[]): string[] => (start[0] === 'dotnet' ? [dotnetRuntime(base), ...start.slice(1)] : [...start]);

/** The Java probe is a second, short-lived JVM: small heap, serial GC, no JIT tiers, no hsperfdata in /tmp. */
const jvmProbeFlags = ['-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-Xmx16m', '-XX:-UsePerfData'];

/** The health probe scripts, named once: the HEALTHCHECK runs them and the docker part writes them. */
const NODE_PROBE = 'src/healthcheck.js';
const PYTHON_PROBE = 'healthcheck.py';
const PHP_PROBE = 'healthcheck.php';
/** Compiled by the Dockerfile apart from the app (at the root, outside Maven's, Gradle's and Cargo's sources). */
const JAVA_PROBE = 'HealthCheck.java';
const RUST_PROBE = 'healthcheck.rs';
/** Built by the Dockerfile from this file alone; its `//go:build ignore` keeps it out of the app's package. */
const GO_PROBE = 'healthcheck.go';

export const languages: readonly Language[] = [
  { id: 'node', label: 'Node.js', defaultVersion: '24', defaultPort: 3000, defaultStart: () => 'node src/server.js', needsInit: true, buildOutput: ['node_modules', 'dist', 'coverage', '.npm', '.cache'], probe: (base) => [nodeRuntime(base), NODE_PROBE], probeTiming: { timeout: '3s', startPeriod: '10s' }, seedSources: ['src'], sourceExtensions: ['.js', '.mjs', '.cjs', '.ts', '.mts', '.tsx', '.jsx'], probeScript: NODE_PROBE, buildScript: true, packageManagers: [{ id: 'npm', lockfile: 'package-lock.json' }, { id: 'pnpm', lockfile: 'pnpm-lock.yaml' }, { id: 'yarn', lockfile: 'yarn.lock', label: 'Yarn 1' }, { id: 'yarn-berry', lockfile: 'yarn.lock', label: 'Yarn 2+', command: 'yarn' }] },
  { id: 'python', label: 'Python', defaultVersion: '3.13', defaultPort: 8000, defaultStart: () => 'python -m app', needsInit: true, buildOutput: ['__pycache__', '*.pyc', '.venv', '.tox', '.pytest_cache', '.mypy_cache', 'dist', 'build', 'coverage', '.cache'], probe: (base) => [pythonRuntime(base), `/app/${PYTHON_PROBE}`], probeTiming: { timeout: '3s', startPeriod: '10s' }, seedSources: ['app.py', PYTHON_PROBE], sourceExtensions: ['.py'], probeScript: PYTHON_PROBE, packageManagers: [{ id: 'pip', lockfile: 'requirements.txt' }, { id: 'uv', lockfile: 'uv.lock' }, { id: 'poetry', lockfile: 'poetry.lock' }] },
  { id: 'go', label: 'Go', defaultVersion: '1.25', defaultPort: 8080, defaultStart: () => '/app/server', needsInit: false, buildOutput: ['bin', 'dist', 'coverage', '.cache'], probe: () => ['/app/healthcheck'], probeTiming: { timeout: '3s', startPeriod: '5s' }, seedSources: ['*.go'], sourceExtensions: ['.go'], probeScript: GO_PROBE, buildTarget: { what: 'the main package go build compiles', seed: '.', form: /^\.(\/(?!\.\.?(\/|$))[A-Za-z0-9._-]+)*$/, example: './cmd/server' } },
  { id: 'java', label: 'Java', defaultVersion: '21', defaultPort: 8080, defaultStart: () => 'java -jar /app/app.jar', needsInit: true, buildOutput: ['target', '.gradle', 'build', 'coverage', '.cache'], probe: (base) => [javaRuntime(base), ...jvmProbeFlags, '-cp', '/app/probe', 'HealthCheck'], probeTiming: { timeout: '5s', startPeriod: '30s' }, seedSources: ['src'], sourceExtensions: ['.java', '.kt'], buildTarget: { what: 'the jar mvn package (target/) or gradle assemble (build/libs/) writes, "*" standing for its version', seed: 'target/app.jar', form: /^(target|build\/libs)\/[A-Za-z0-9_*][A-Za-z0-9._*-]{0,100}\.jar$/, example: 'target/catalog-*.jar', inDefaultFolder: true }, packageManagers: [{ id: 'maven', lockfile: 'pom.xml' }, { id: 'gradle', lockfile: 'gradlew', buildTarget: 'build/libs/app.jar' }], probeScript: JAVA_PROBE },
  { id: 'rust', label: 'Rust', defaultVersion: '1.91', defaultPort: 8080, defaultStart: () => '/app/server', needsInit: false, buildOutput: ['target', 'coverage', '.cache'], probe: () => ['/app/healthcheck'], probeTiming: { timeout: '3s', startPeriod: '5s' }, seedSources: ['src'], sourceExtensions: ['.rs'], probeScript: RUST_PROBE, buildTarget: { what: 'the binary cargo builds', seed: 'server', form: /^[A-Za-z0-9_-]{1,64}$/, example: 'inventory' } },
  { id: 'dotnet', label: '.NET (ASP.NET Core)', defaultVersion: '10.0', defaultPort: 8080, defaultStart: () => 'dotnet App.dll', needsInit: false, buildTarget: { what: 'the project file dotnet restores and publishes (empty: the one .csproj at the top)', seed: '', form: /^(|[A-Za-z0-9_][\w.-]*(\/[A-Za-z0-9_][\w.-]*)*\.csproj)$/, example: 'src/Api/Api.csproj' }, buildOutput: ['bin', 'obj', 'coverage', '.cache'], probe: (base, start) => [...dotnetCommand(base, start), '--healthcheck'], probeInApp: 'the seed does it in Program.cs, before building the host: if (args.Contains("--healthcheck")) return await HealthCheckAsync(url);', probeTiming: { timeout: '3s', startPeriod: '10s' }, seedSources: ['Program.cs'], sourceExtensions: ['.cs', '.fs'] },
  { id: 'php', label: 'PHP', defaultVersion: '8.4', defaultPort: 8080, defaultStart: (port) => `php -S 0.0.0.0:${port} -t public public/index.php`, needsInit: true, buildOutput: ['vendor', 'coverage', '.cache'], probe: () => ['php', `/app/${PHP_PROBE}`], probeTiming: { timeout: '3s', startPeriod: '10s' }, seedSources: ['public', 'src', PHP_PROBE], sourceExtensions: ['.php'], probeScript: PHP_PROBE },
];

export function getLanguage(id: LanguageId): Language {
  const language = languages.find((l) => l.id === id);
  if (!language) throw new Error(`unknown language ${id}`);
  return language;
}

/** The language's package manager with this id (the `packageManager` answer), if it has one. */
export function packageManagerOf(language: Language, id: string | undefined): PackageManager | undefined {
  return language.packageManagers?.find((m) => m.id === id);
}

/**
 * Which Yarn installs a project's yarn.lock: Yarn 2+ ("berry", whose lockfile is YAML with a
 * `__metadata:` block) when package.json's "packageManager" names yarn@2 or later or the lockfile
 * is not Yarn 1's, which always starts with `# yarn lockfile v1`.
 */
export function yarnOf(lockfile: string, packageManagerField: unknown): 'yarn' | 'yarn-berry' {
  const major = typeof packageManagerField === 'string' ? /^yarn@(\d+)/.exec(packageManagerField)?.[1] : undefined;
  return (major !== undefined && Number(major) >= 2) || !/^# yarn lockfile v1$/m.test(lockfile.slice(0, 500)) ? 'yarn-berry' : 'yarn';
}

export function isLanguageId(value: string): value is LanguageId {
  return (languageIds as readonly string[]).includes(value);
}

/** Supported versions, newest first (object keys like "24" would otherwise come out ascending). */
export function versionsOf(id: LanguageId): string[] {
  const parts = (v: string) => v.split('.').map(Number);
  return Object.keys(languagePins[id]).sort((a, b) => {
    const [x, y] = [parts(a), parts(b)];
    for (let i = 0; i < Math.max(x.length, y.length); i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (y[i] ?? 0) - (x[i] ?? 0);
    return 0;
  });
}

/** Base families a language offers at a version, default first (D03: minimal before debian-slim). */
export function basesOf(id: LanguageId, version: string): BaseFamily[] {
  const runtime = languagePins[id][version]?.runtime ?? {};
  const order: BaseFamily[] = id === 'go' || id === 'rust' ? ['scratch', 'distroless', 'alpine', 'debian-slim'] : ['alpine', 'distroless', 'debian-slim'];
  return order.filter((b) => runtime[b] !== undefined);
}

export interface Identity {
  uid: number;
  gid: number;
  /** Whether the final image already defines this user, so the Dockerfile must not create it. */
  providedByImage: boolean;
}

/**
 * The single numeric identity the service runs as in every output (D04, C11, N02).
 * distroless and scratch use the distroless `nonroot` user; .NET 8+ images ship `app` (1654).
 */
export function identityOf(id: LanguageId, base: BaseFamily): Identity {
  if (id === 'dotnet') return { uid: 1654, gid: 1654, providedByImage: true };
  if (base === 'distroless' || base === 'scratch') return { uid: 65532, gid: 65532, providedByImage: base === 'distroless' };
  return { uid: 10001, gid: 10001, providedByImage: false };
}
