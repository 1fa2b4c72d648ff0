/**
 * Detection for `add`: one bounded scan, one detector per ecosystem, and the container files;
 * the findings become suggested answers, each with the place it came from. Every suggestion is
 * checked with the question's own parser, so an unusable finding is dropped with a note, never
 * offered. Reads only.
 */
import { basename, dirname, join, posix, relative, sep } from 'node:path';
import { serviceSecretNames } from '../../questions.js';
import { getLanguage, languages, versionsOf, type LanguageId } from '../../languages.js';
import { findQuestion, type AnswerKey, type Answers } from '../../questions.js';
import { InvalidAnswer, toDnsLabel } from '../../validate.js';
import { dotnetDetector, goDetector, javaDetector, rustDetector } from './compiled.js';
import { detectContainer } from './container.js';
import { healthPathInDeployFiles, healthRouteInCode } from './health.js';
import { developmentServer, listeningStart, loopbackNote, productionStart, serverPort } from './listen.js';
import { nodeDetector } from './node.js';
import { phpDetector } from './php.js';
import { NO_LOCKFILE, pythonDetector } from './python.js';
import { codePortPatterns, portInCode } from './source-ports.js';
import { portRank, readBounded, repoView, type Detector, type EcosystemFindings, type Found, type NoteCondition, type PortCandidate } from './repo.js';
import { defaultScanOptions, scanTree, type ScanOptions } from './scan.js';
import { buildConfigFiles, detectSources } from './sources.js';
import { chooseVersion } from './versions.js';

/** When several ecosystems are present and their source counts tie, the earlier wins (package.json is often only tooling). */
export const detectors: readonly Detector[] = [goDetector, rustDetector, javaDetector, dotnetDetector, phpDetector, pythonDetector, nodeDetector];

const languageOfExtension = new Map(languages.flatMap((l) => l.sourceExtensions.map((ext) => [ext, l.id] as const)));

/** Image names whose tag is the language version, for a hint from an existing Dockerfile. */
const images: Record<LanguageId, string[]> = {
  node: ['node'],
  python: ['python'],
  go: ['golang'],
  java: ['eclipse-temurin', 'openjdk', 'amazoncorretto', 'maven'],
  rust: ['rust'],
  dotnet: ['mcr.microsoft.com/dotnet/sdk', 'mcr.microsoft.com/dotnet/aspnet'],
  php: ['php'],
};

/** The patterns of a port written in code, by language (Java and .NET say theirs in configuration). */
const codePatterns: Partial<Record<LanguageId, RegExp[]>> = { node: codePortPatterns.js, python: codePortPatterns.python, go: codePortPatterns.go, rust: codePortPatterns.rust, php: codePortPatterns.php };

/** Start commands are detected where the image runs the project's own sources (elsewhere the Dockerfile's build decides). */
const startFromRepo: LanguageId[] = ['node', 'python', 'php', 'dotnet'];
const runtimes = /^(node|python3?|php|gunicorn|uvicorn|hypercorn|waitress-serve|fastapi\s+run|dotnet)\b/;

export interface DetectedValue {
  key: AnswerKey;
  shown: string;
  source: string;
}

export interface Detection {
  suggested: Partial<Answers>;
  /** Keys of `suggested` that hold only for the detected language (version, start). */
  languageBound: AnswerKey[];
  found: DetectedValue[];
  notes: string[];
  /**
   * Notes on answers' values: what a detected start command was changed for, or that nothing was
   * found and the default stands. Each holds only while the run ends with the values in `when`,
   * none of them given by flag, answers file or manifest.
   */
  valueNotes: { when: Partial<Answers>; note: string }[];
  /** Where the project differs from what the generated Dockerfile expects (shown when it is added). */
  dockerNotes: string[];
  /**
   * When each of `dockerNotes` holds, by its text: every one is about the detected language's
   * project, and some about one answer's value (the package manager it installs with) or an
   * answer not given yet (the flag it says to pass). Filtered against the run's final answers.
   */
  noteConditions: Map<string, NoteCondition>;
  /** The suggested start command with another port written in, where detection wrote its port (a server it chose). */
  startFor?: (port: number) => string;
  /** Why no start command was found and what to fix, for the note shown when the default start would run a file the project lacks. */
  startNote?: string;
  /** Compose files already here (Compose reads compose.yaml first when several exist). */
  composeFiles: string[];
  /**
   * The sources with the build's config files among them, where detection found no build to run
   * (the answer to suggest once a build script is given), and those config files themselves.
   */
  builtSources?: string[];
  buildConfig: string[];
  /** The files the scan listed (relative paths). */
  files: readonly string[];
  scanned: number;
  truncated: boolean;
}

/**
 * `repository`: the repository root above a monorepo's service folder, where a workspace's
 * lockfile may be (a uv workspace locks all its members in one uv.lock at its root).
 */
export async function detectProject(root: string, options: ScanOptions = defaultScanOptions, repository?: string): Promise<Detection> {
  const scan = await scanTree(root, options);
  const repo = repoView(root, scan);
  const [results, container] = await Promise.all([Promise.all(detectors.map((d) => d.detect(repo))), detectContainer(repo)]);
  const ecosystems = results.filter((r): r is EcosystemFindings => r !== null);
  const detection: Detection = { suggested: {}, languageBound: [], found: [], notes: [], valueNotes: [], dockerNotes: [], noteConditions: new Map(), composeFiles: container.composeFiles, buildConfig: [], files: scan.files, scanned: scan.files.length, truncated: scan.truncated };
  const suggest = <K extends AnswerKey>(key: K, raw: unknown, source: string, shown?: string): boolean => {
    const q = findQuestion(key)!;
    try {
      const value = q.parse(raw, detection.suggested) as Answers[K];
      detection.suggested[key] = value;
      detection.found.push({ key, shown: shown ?? (Array.isArray(value) ? value.join(', ') : String(value)), source });
      return true;
    } catch (error) {
      if (!(error instanceof InvalidAnswer)) throw error;
      detection.notes.push(`${source}: ${error.message}; not used`);
      return false;
    }
  };

  const chosen = chooseLanguage(ecosystems, scan.files);
  // The source files the suggested start command runs (the detector's, else the file it names).
  let startFiles: string[] | undefined;
  const eco = ecosystems.find((e) => e.language === chosen?.language);
  if (chosen) {
    suggest('language', chosen.language, chosen.source, getLanguage(chosen.language).label);
    const version = eco?.version ?? imageVersion(chosen.language, container.images);
    if (version) {
      const language = getLanguage(chosen.language);
      const pick = chooseVersion(version.value, versionsOf(chosen.language), language.defaultVersion);
      if (pick) {
        const note = pick.satisfied ? '' : `; not offered, so the nearest supported version`;
        if (suggest('languageVersion', pick.version, `${version.source}${note}`)) detection.languageBound.push('languageVersion');
      }
    }
    // A development server (`fastapi dev`) in the Dockerfile or the Procfile is run in production
    // mode: the image is the production one. Converted before the Dockerfile's command is weighed,
    // so it counts as the runtime command it becomes.
    const dockerDev = container.start ? productionStart(container.start.value) : null;
    const dockerStart = dockerDev ? { value: dockerDev.value, source: `${container.start!.source}, in production mode` } : container.start;
    // Django's runserver has no production mode: the app object a server runs (the project's
    // wsgi.py with gunicorn) comes before it; without one, it stays, with a note.
    const dockerOnlyDev = dockerStart ? developmentServer(dockerStart.value) : null;
    const passedOver = dockerOnlyDev !== null && eco?.start !== undefined && eco.startInferred === true && eco.startFor !== undefined;
    const chosenStart = startOf(chosen.language, eco, passedOver ? undefined : dockerStart);
    if (chosenStart && chosenStart === eco?.start) {
      startFiles = eco.startFiles ?? [];
      if (eco.startFor) detection.startFor = eco.startFor;
    }
    if (!chosenStart && eco?.startNote) detection.startNote = eco.startNote;
    const dev = chosenStart === dockerStart ? dockerDev : chosenStart ? productionStart(chosenStart.value) : null;
    const found = dev && chosenStart !== dockerStart ? { value: dev.value, source: `${chosenStart!.source}, in production mode` } : chosenStart;
    const start = found ? withPortValue(found, [...(eco?.ports ?? []), ...container.ports], getLanguage(chosen.language).defaultPort) : undefined;
    const listening = start ? listeningStart(start.value, { gunicornConfig: repo.has('gunicorn.conf.py') }) : null;
    if (start && suggest('start', listening?.value ?? start.value, listening ? `${start.source}, made to listen on 0.0.0.0` : start.source)) {
      detection.languageBound.push('start');
      if (dev) detection.valueNotes.push({ when: { start: detection.suggested.start! }, note: dev.note });
      if (passedOver) detection.valueNotes.push({ when: { start: detection.suggested.start! }, note: `start: the Dockerfile runs "${dockerStart!.value}", ${dockerOnlyDev}, which Django's docs say not to use in production, so the image runs the app found in the code instead (${eco!.start!.source})` });
      const onlyDev = passedOver ? null : developmentServer(start.value);
      if (onlyDev) detection.valueNotes.push({ when: { start: detection.suggested.start! }, note: `start: "${start.value}" runs ${onlyDev}, which Django's docs say not to use in production: serve the project's wsgi.py (or asgi.py) with a server such as gunicorn (add it to the dependencies; it is then found), or pass --start` });
      if (listening) detection.valueNotes.push({ when: { start: detection.suggested.start! }, note: listening.note });
    }
    // The package manager first: where the build writes its output depends on it (Gradle's build/libs/).
    if (eco?.packageManager && suggest('packageManager', eco.packageManager.value, eco.packageManager.source)) detection.languageBound.push('packageManager');
    const built = eco?.buildScript !== undefined && suggest('buildScript', eco.buildScript.value, eco.buildScript.source);
    if (built) detection.languageBound.push('buildScript');
    if (eco?.buildTarget && suggest('buildTarget', eco.buildTarget.value, eco.buildTarget.source)) detection.languageBound.push('buildTarget');
    const sources = detectSources(chosen.language, scan.files, { built });
    const shipped = withNeeded(sources.found, eco?.sources);
    if (shipped && suggest('sources', shipped.value, shipped.source)) detection.languageBound.push('sources');
    detection.buildConfig = buildConfigFiles(chosen.language, scan.files);
    if (!built && detection.buildConfig.length > 0 && detection.suggested.sources) {
      const withConfig = withNeeded(detectSources(chosen.language, scan.files, { built: true }).found, eco?.sources);
      if (withConfig) detection.builtSources = withConfig.value;
    }
    const language = { language: chosen.language };
    for (const note of sources.notes) addDockerNote(detection, note, { when: language, unlessGiven: ['sources'] });
    for (const original of eco?.notes ?? []) {
      const own = eco?.noteConditions?.get(original);
      const note = original.startsWith(NO_LOCKFILE) ? ((await uvWorkspaceNote(root, repository, eco!.name?.value)) ?? original) : original;
      addDockerNote(detection, note, { ...own, when: { ...own?.when, ...language } });
    }
    if (chosen.language === 'node' && !eco?.packageManager) {
      const workspace = await nodeWorkspaceNote(root, repository, scan.files);
      if (workspace) addDockerNote(detection, workspace, { when: language });
    }
    if (startFiles === undefined || detection.suggested.start === undefined) startFiles = filesRun(chosen.language, detection.suggested);
    const bound = await loopbackNote(repo, startFiles);
    if (bound) detection.valueNotes.push({ when: detection.suggested.start !== undefined ? { start: detection.suggested.start } : {}, note: bound });
  } else if (scan.files.length > 0) {
    detection.notes.push('no language manifest (package.json, requirements.txt, go.mod, pom.xml, Cargo.toml, *.csproj, composer.json) found; choose the language');
  }

  const declared = container.health ?? (await healthPathInDeployFiles(repo)) ?? eco?.health ?? null;
  const inCode = declared === null && chosen ? await healthRouteInCode(repo, chosen.language, startFiles) : null;
  const health = declared ?? inCode;
  if (!health || !suggest('healthPath', health.value, health.source)) {
    const fallback = findQuestion('healthPath')!.defaultValue({}) as string;
    detection.valueNotes.push({ when: { healthPath: fallback }, note: `no health endpoint found (no HEALTHCHECK, compose healthcheck, Nomad check, Kubernetes probe, or route such as "/healthz" or "/health" in the code): the generated health checks (Dockerfile HEALTHCHECK, compose healthcheck, Nomad check) ask ${fallback}, so serve it (200 when healthy) or pass --health-path` });
  }

  // The file that serves the health route is the app's entry point too: a port written there
  // (a TypeScript source, a package's __main__.py) says more than the framework's convention.
  const ports = [...(eco?.ports ?? []), ...container.ports];
  const patterns = chosen ? codePatterns[chosen.language] : undefined;
  if (inCode && patterns && !ports.some((p) => p.rank <= portRank.code)) {
    const written = await portInCode(repo, [inCode.file], patterns);
    if (written) ports.push(written);
  }
  choosePort(ports, detection, suggest);
  // .NET listens where ASPNETCORE_HTTP_PORTS (set in the image) says, and a default start command
  // that takes the port (PHP's built-in server) where it is told; any other app keeps its own
  // port, and the health checks would then fail against one that only looked right.
  const language = chosen ? getLanguage(chosen.language) : undefined;
  const toldWhere = language?.id === 'dotnet' || (detection.suggested.start === undefined && language?.defaultStart(1024) !== language?.defaultStart(1025));
  if (language && !toldWhere && detection.suggested.port === undefined) {
    const fallback = language.defaultPort;
    detection.valueNotes.push({ when: { language: language.id, port: fallback }, note: `no port found (no EXPOSE, compose or Nomad port, server flag, or port the entry code listens on): the health checks and published ports use ${fallback} and the image sets PORT=${fallback}, so make the app listen there, or pass --port` });
  }

  const name = eco?.name ?? { value: basename(root), source: `folder name "${basename(root)}"` };
  const label = toDnsLabel(name.value);
  if (!label || !suggest('name', label, name.source)) {
    const folder = toDnsLabel(basename(root));
    if (folder) suggest('name', folder, `folder name "${basename(root)}"`);
  }

  if (container.services) suggest('services', container.services.value, container.services.source);
  const reserved = new Set((detection.suggested.services ?? []).flatMap((s) => serviceSecretNames[s] ?? []));
  const secrets = secretNames(container.envNames, reserved);
  if (secrets) suggest('secrets', secrets.value, secrets.source);

  detection.notes.push(...container.notes, ...repo.notes);
  if (scan.truncated) detection.notes.push(`the scan stopped after ${scan.files.length} files; detection used what it saw`);
  return detection;
}

/**
 * A uv workspace above the service folder locks it in the workspace root's uv.lock, outside the
 * build context: the note says so and how to give the folder a file to install from.
 */
async function uvWorkspaceNote(root: string, repository: string | undefined, name: string | undefined): Promise<string | null> {
  if (repository === undefined || !(root + sep).startsWith(repository.endsWith(sep) ? repository : repository + sep)) return null;
  for (let dir = dirname(root); ; dir = dirname(dir)) {
    const pyproject = await readBounded(join(dir, 'pyproject.toml'));
    if (pyproject !== null && /^\[tool\.uv\.workspace\]/m.test(pyproject) && (await readBounded(join(dir, 'uv.lock'))) !== null) {
      const lock = relative(root, join(dir, 'uv.lock')).split(sep).join('/');
      const pkg = name ? ` --package ${name}` : '';
      return `this folder is a member of the uv workspace whose uv.lock is ${lock}, outside the build context (this folder), so the Dockerfile has no lockfile to install from: export this member's locked dependencies next to its pyproject.toml ("uv export${pkg} --frozen --no-dev --no-emit-workspace --output-file requirements.txt", run here), then add docker again, which installs from requirements.txt`;
    }
    if (dir === repository || dirname(dir) === dir) return null;
  }
}

/**
 * A workspace member (packages/x) whose workspace locks it only in the root's lockfile: the
 * Dockerfile installs from a lockfile in this folder, its build context, which has none.
 */
async function nodeWorkspaceNote(root: string, repository: string | undefined, files: readonly string[]): Promise<string | null> {
  if (repository === undefined || !(root + sep).startsWith(repository.endsWith(sep) ? repository : repository + sep)) return null;
  const lockfiles = ['package-lock.json', 'pnpm-lock.yaml', 'yarn.lock'];
  if (lockfiles.some((f) => files.includes(f))) return null;
  for (let dir = dirname(root); ; dir = dirname(dir)) {
    const found = (await Promise.all(lockfiles.map(async (f) => ((await readBounded(join(dir, f))) !== null ? f : null)))).find((f) => f !== null);
    if (found) {
      const lock = relative(root, join(dir, found)).split(sep).join('/');
      const fix =
        found === 'package-lock.json'
          ? 'give this folder its own package-lock.json ("npm install --package-lock-only --workspaces=false", run here), then add docker again'
          : found === 'pnpm-lock.yaml'
            ? 'have pnpm write one per project (shared-workspace-lockfile=false in the workspace root\'s .npmrc, then pnpm install), then add docker again with --package-manager pnpm'
            : 'build with the workspace root as the context instead, adapting the Dockerfile\'s deps stage';
      return `this folder's dependencies are locked only in the workspace's ${lock}, outside the build context (this folder), so the Dockerfile's deps stage has no lockfile to install from: ${fix}`;
    }
    if (dir === repository || dirname(dir) === dir) return null;
  }
}

function addDockerNote(detection: Detection, note: string, condition: NoteCondition): void {
  detection.dockerNotes.push(note);
  detection.noteConditions.set(note, condition);
}

/**
 * The note for a start command that is the language's seed default (nothing was detected, none
 * given) and runs a file this project does not have: the container would exit at once. Null when
 * the file is there, or the default is an artefact the Dockerfile builds (Go, Java, Rust, .NET).
 */
export function seedStartNote(language: LanguageId, start: string, files: readonly string[], why?: string): string | null {
  const words = start.trim().split(/\s+/);
  const module = words[0]?.startsWith('python') && words[1] === '-m' ? words[2] : undefined;
  let needed: string[];
  if (module) {
    const path = module.replace(/\./g, '/');
    needed = [`${path}/__main__.py`, `src/${path}/__main__.py`];
  } else {
    const file = startFileOf(start);
    if (!file || !startFromRepo.includes(language)) return null;
    needed = [file];
  }
  if (needed.some((f) => files.includes(f))) return null;
  const what = why ?? `no start command was found (no ${startHints[language] ?? 'entry point'})`;
  return `start: ${what}; the default "${start}" runs ${needed[0]}, which this project does not have, so the container would exit at once: pass --start with the command that starts the app`;
}

/** Where a start command is looked for, by language, for the note that none was found. */
const startHints: Partial<Record<LanguageId, string>> = {
  node: 'package.json scripts.start running node, "main", or server.js/index.js/app.js/main.js',
  python: 'Procfile web, script with a __main__ guard, package with a __main__.py, ASGI/WSGI app object in app/main.py, main.py, app.py, api.py, <package>/main.py or src/<package>/main.py, or the wsgi.py or asgi.py of a Django project',
  php: 'public/index.php',
};

/** Whether a note holds for the run's final answers, given which of them the user gave (flags, answers file, manifest). */
export function noteHolds(condition: NoteCondition | undefined, answers: Partial<Answers>, given: ReadonlySet<string>): boolean {
  if (!condition) return true;
  const values = answers as Record<string, unknown>;
  return Object.entries(condition.when ?? {}).every(([key, value]) => values[key] === value) && !(condition.unlessGiven ?? []).some((key) => given.has(key));
}

/** The detected sources plus the paths the build needs that no source already holds (a Cargo workspace's members in tools/). */
function withNeeded(found: Found<string[]> | null, needed: Found<string[]> | undefined): Found<string[]> | null {
  const holds = (source: string, path: string) => path === source || path.startsWith(`${source}/`);
  const missing = (needed?.value ?? []).filter((p) => !(found?.value ?? []).some((s) => holds(s, p)));
  if (missing.length === 0) return found;
  const top = missing.filter((p) => !missing.some((q) => q !== p && holds(q, p)));
  return found ? { value: [...found.value, ...top], source: `${found.source}, and ${top.join(', ')}: ${needed!.source}` } : { value: top, source: needed!.source };
}

function chooseLanguage(ecosystems: EcosystemFindings[], files: readonly string[]): { language: LanguageId; source: string } | null {
  const counts = new Map<LanguageId, number>();
  for (const file of files) {
    const dot = file.lastIndexOf('.');
    const language = dot < 0 ? undefined : languageOfExtension.get(file.slice(dot));
    if (language) counts.set(language, (counts.get(language) ?? 0) + 1);
  }
  const count = (l: LanguageId) => counts.get(l) ?? 0;
  if (ecosystems.length > 0) {
    // Registry order breaks ties; a clear majority of source files decides between manifests.
    const best = ecosystems.reduce((a, b) => (count(b.language) > count(a.language) ? b : a));
    const others = ecosystems.filter((e) => e !== best).map((e) => e.evidence);
    const also = others.length > 0 ? ` (also found ${others.join(', ')}; ${count(best.language)} source file(s) decide)` : '';
    return { language: best.language, source: `${best.evidence}${also}` };
  }
  const [language, n] = [...counts].sort((a, b) => b[1] - a[1])[0] ?? [];
  return language && n ? { language, source: `${n} ${getLanguage(language).sourceExtensions[0]} source file(s)` } : null;
}

function imageVersion(language: LanguageId, found: Map<string, string>): Found<string> | undefined {
  for (const image of images[language]) {
    const tag = found.get(image);
    const version = tag ? /^\d+(?:\.\d+)*/.exec(tag)?.[0] : undefined;
    if (version) return { value: language === 'go' || language === 'rust' ? `>=${version}` : version, source: `Dockerfile FROM ${image}:${tag}` };
  }
  return undefined;
}

function startOf(language: LanguageId, eco: EcosystemFindings | undefined, fromDockerfile: Found<string> | undefined): Found<string> | undefined {
  if (!startFromRepo.includes(language)) return undefined;
  const usable = fromDockerfile && runtimes.test(fromDockerfile.value) ? fromDockerfile : undefined;
  if (eco?.start && !(eco.startInferred && usable)) return eco.start;
  return usable;
}

/**
 * The port: the most trusted candidate the answer's parser accepts. The server the start command
 * runs says its own (its --port, else its default) more surely than the framework's convention;
 * where the deployment files name another, a note says which flag to pass.
 */
function choosePort(found: PortCandidate[], detection: Detection, suggest: (key: 'port', raw: unknown, source: string) => boolean): void {
  const start = detection.suggested.start;
  const server = start ? serverPort(start) : null;
  const fromStart = server ? [{ value: server.port, source: server.explicit ? 'the start command' : `the start command (${server.server}'s default port)`, rank: server.explicit ? portRank.config : portRank.framework - 0.5 }] : [];
  for (const candidate of [...found, ...fromStart].sort((a, b) => a.rank - b.rank)) {
    if (candidate.value < 1024) {
      detection.notes.push(`${candidate.source}: port ${candidate.value} is privileged (D11: the container runs as a non-root user); not used`);
      continue;
    }
    if (suggest('port', candidate.value, candidate.source)) break;
  }
  const port = detection.suggested.port;
  if (server && port !== undefined && port !== server.port) {
    detection.valueNotes.push({ when: { start: start!, port }, note: `start: "${start}" listens on port ${server.port}, but the port answer is ${port}; pass --port ${server.port}, or a start command that listens on ${port}` });
  }
}

/**
 * A start command that reads $PORT (a Procfile's habit: the platform sets it) with the port
 * written in: the image runs it in exec form, where no shell expands it. The port is the one
 * detection would choose, or the command's own fallback (`${PORT:-5000}`), or the language's.
 */
function withPortValue(start: Found<string>, candidates: PortCandidate[], defaultPort: number): Found<string> {
  const reference = /\$\{PORT(?::?-(\d{1,5}))?\}|\$PORT\b/g;
  const refs = [...start.value.matchAll(reference)];
  if (refs.length === 0) return start;
  const fallback = refs.map((m) => m[1]).find((v) => v !== undefined);
  const usable = [...candidates, ...(fallback ? [{ value: Number(fallback), source: '', rank: portRank.config }] : [])].filter((c) => c.value >= 1024 && c.value <= 65535).sort((a, b) => a.rank - b.rank);
  const port = usable[0]?.value ?? defaultPort;
  return { value: start.value.replace(reference, String(port)), source: `${start.source}, with $PORT written as ${port} (exec form expands no variables)` };
}

/** Names that hold credentials: keys, tokens, passwords, connection strings with passwords in them. */
const secretLike = /(^|_)(SECRET|SECRETS|TOKEN|PASSWORD|PASSWD|PASS|PWD|KEY|APIKEY|CREDENTIALS?|PRIVATE|AUTH|DSN|SALT)(_|$)|^(DATABASE|DB|REDIS|MONGO|MONGODB|AMQP|RABBITMQ)_(URL|URI)$/;

function secretNames(sources: { names: string[]; source: string }[], reserved: Set<string>): Found<string[]> | null {
  const names: string[] = [];
  const from: string[] = [];
  for (const { names: list, source } of sources) {
    const picked = list.filter((n) => secretLike.test(n) && !reserved.has(n) && !names.includes(n));
    if (picked.length === 0) continue;
    names.push(...picked);
    from.push(source);
  }
  // Each name must pass the answer's own rules (not PATH, HOME, VAULT_*...); others are left out.
  const valid = names.filter((n) => {
    try {
      findQuestion('secrets')!.parse([n], {});
      return true;
    } catch {
      return false;
    }
  });
  return valid.length > 0 ? { value: valid, source: from.join(', ') } : null;
}

/** The source file a start command runs (`node server.js` -> server.js), if it names one. */
function startFileOf(start: string | undefined): string | undefined {
  const word = start?.split(/\s+/).find((w) => languages.some((l) => l.sourceExtensions.some((ext) => w.endsWith(ext))));
  return word?.replace(/^\.\//, '');
}

/** The files the start command runs first, where a loopback bind in code would take effect. */
function filesRun(language: LanguageId, a: Partial<Answers>): string[] {
  const file = startFileOf(a.start);
  const module = /^python3?\s+-m\s+([\w.]+)/.exec(a.start ?? '')?.[1];
  if (language === 'go') return [posix.join(a.buildTarget ?? '.', 'main.go')];
  if (language === 'rust') return ['src/main.rs'];
  if (module) return [`${module.replace(/\./g, '/')}/__main__.py`, `src/${module.replace(/\./g, '/')}/__main__.py`];
  return file ? [file] : [];
}
