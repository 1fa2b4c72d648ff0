/**
 * The HTTP path the app answers health checks on (the `healthPath` answer). The generated
 * HEALTHCHECK, compose healthcheck and Nomad check all ask it, and a Nomad deployment whose check
 * never passes is rolled back, so a project that serves /health, not the default /healthz, must
 * not get /healthz silently. Where the project already says it, in this order: its deployment
 * files (a Dockerfile HEALTHCHECK, a compose healthcheck, a Nomad check, a Kubernetes probe), its
 * framework's configuration (Spring Boot Actuator), then a health route written in its code.
 */
import { getLanguage, type LanguageId } from '../../languages.js';
import { compareText } from '../../compare.js';
import { isShippedSource } from './sources.js';
import { withoutComment, type Found, type RepoView } from './repo.js';

/** The path of the first http(s) URL in a health-check command (`curl -f http://localhost:8080/health`). */
export function urlPathIn(command: string): string | null {
  const m = /\bhttps?:\/\/[^/\s"'\]]+(\/[^\s"'?#\]]*)?/.exec(command);
  return m ? (m[1] ?? '/') : null;
}

/**
 * The port of the first http(s) URL in a health-check command when it names the container itself
 * (`curl -f http://localhost:8080/health`): the app answers there, so it listens on that port.
 */
export function urlPortIn(command: string): number | null {
  const m = /\bhttps?:\/\/([^/\s"'\]:]+|\[[^\]\s]*\]):(\d{2,5})(?=[/\s"'\]]|$)/.exec(command);
  return m && /^(localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1?\])$/.test(m[1]!) ? Number(m[2]) : null;
}

/** Health route names, most specific first: a project with both /healthz and /ping checks /healthz. */
const routeNames = ['healthz', 'health', 'healthcheck', 'health-check', 'health_check', '_health', 'livez', 'readyz', 'ping'];
const routeLiteral = new RegExp(`(['"\`])(/(?:api/)?(?:v\\d+/)?(?:${routeNames.join('|')}))\\1`, 'g');
const rankOf = (path: string) => routeNames.indexOf(path.slice(path.lastIndexOf('/') + 1));

/** Files read for routes: enough for a service's router, bounded for a large repository. */
const MAX_CODE_FILES = 100;
/** File names that usually hold the routes or the entry point (the only ones read, besides the start file). */
const likelyRouter = /(?:health|route|urls|server|app|main|index|program|api|web|handler|controller)[^/]*$/i;

/**
 * A health route written as a string literal in the app's own sources (`app.get('/health', …)`),
 * looked for in the start file and the files named like routers or entry points: one pass over
 * the file list that tests a name, so a 100 000-file repository costs milliseconds, not reads.
 */
export async function healthRouteInCode(repo: RepoView, language: LanguageId, startFiles: readonly string[] = []): Promise<(Found<string> & { file: string }) | null> {
  const { sourceExtensions } = getLanguage(language);
  const started = new Set(startFiles.filter((f) => repo.has(f)));
  const candidates: string[] = [];
  let best: (Found<string> & { file: string }) | null = language === 'node' ? fileSystemRoute(repo.files) : null;
  for (const file of repo.files) {
    if (!sourceExtensions.some((ext) => file.endsWith(ext)) || !likelyRouter.test(file) || started.has(file) || !isShippedSource(file, language)) continue;
    candidates.push(file);
  }
  // Shallow files first: the entry point and its router sit near the top.
  const rest = candidates.map((f) => ({ f, depth: f.split('/').length }));
  rest.sort((a, b) => a.depth - b.depth || compareText(a.f, b.f));
  const ordered = [...started, ...rest.map((c) => c.f)].slice(0, MAX_CODE_FILES);
  for (const file of ordered) {
    if (best !== null && rankOf(best.value) === 0) break;
    const text = await repo.read(file);
    if (text === null) continue;
    for (const m of text.matchAll(routeLiteral)) {
      const path = m[2]!;
      if (best === null || rankOf(path) < rankOf(best.value)) best = { value: path, source: `${file}: route ${m[0]}`, file };
    }
  }
  return best;
}

/** A route file's name in Next.js's app router (app/api/health/route.ts) and pages router (pages/api/health.ts). */
const appRoute = /^(?:src\/)?app\/((?:[^/]+\/)*?)([^/]+)\/route\.[cm]?[jt]sx?$/;
const pagesRoute = /^(?:src\/)?pages\/((?:[^/]+\/)*?)([^/]+?)(?:\/index)?\.[cm]?[jt]sx?$/;

/**
 * A health route that is a file, not a string (Next.js routes by file path): the most specific
 * name, from the file list alone. Route groups, "(name)", are not part of the path.
 */
export function fileSystemRoute(files: readonly string[]): (Found<string> & { file: string }) | null {
  let best: (Found<string> & { file: string }) | null = null;
  for (const file of files) {
    if (!file.includes('route.') && !file.startsWith('pages/') && !file.startsWith('src/pages/')) continue;
    const m = appRoute.exec(file) ?? pagesRoute.exec(file);
    if (!m || !routeNames.includes(m[2]!)) continue;
    const folders = m[1]!.split('/').filter((s) => s !== '' && !/^\(.*\)$/.test(s));
    if (folders.some((s) => /[[\]@]/.test(s))) continue; // dynamic segments and parallel routes are not one path
    const path = `/${[...folders, m[2]!].join('/')}`;
    if (best === null || rankOf(path) < rankOf(best.value)) best = { value: path, source: `${file} (a Next.js route)`, file };
  }
  return best;
}

/** A Nomad job's HTTP check path, or a Kubernetes liveness/readiness probe's, from the deployment files here. */
export async function healthPathInDeployFiles(repo: RepoView): Promise<Found<string> | null> {
  const nomad = repo.files.filter((f) => f.endsWith('.nomad.hcl') || f.endsWith('.nomad')).sort(compareText).slice(0, 10);
  for (const file of nomad) {
    const text = await repo.read(file);
    const path = text === null ? null : nomadCheckPath(text);
    if (path) return { value: path, source: `${file} check path` };
  }
  const manifests = repo.files.filter((f) => (f.endsWith('.yaml') || f.endsWith('.yml')) && /(^|\/)(k8s|kube|kubernetes|deploy|deployment|manifests|charts|helm|kustomize|base|overlays)\//.test(f)).sort(compareText).slice(0, 30);
  for (const file of manifests) {
    const text = await repo.read(file);
    const probe = text === null ? null : kubernetesProbePath(text);
    if (probe) return { value: probe.path, source: `${file} ${probe.kind}Probe httpGet.path` };
  }
  return null;
}

/**
 * The path of the first HTTP check block (`check { type = "http" path = "/x" }`). Each block is
 * cut at its first brace and searched on its own, so the work stays linear in the file whatever
 * it holds (one regular expression over the whole file could backtrack quadratically).
 */
export function nomadCheckPath(text: string): string | null {
  const brace = /[{}]/g;
  for (const m of text.matchAll(/\bcheck\s*\{/g)) {
    brace.lastIndex = m.index! + m[0].length;
    const block = text.slice(brace.lastIndex, brace.exec(text)?.index ?? text.length);
    const path = /\btype\s*=\s*"http"/.test(block) ? /\bpath\s*=\s*"(\/[^"]*)"/.exec(block)?.[1] : undefined;
    if (path) return path;
  }
  return null;
}

/** A Kubernetes probe's httpGet path, read line by line within the few lines under the probe. */
export function kubernetesProbePath(text: string): { kind: string; path: string } | null {
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const probe = /^(\s*)(liveness|readiness|startup)Probe:\s*$/.exec(lines[i]!);
    if (!probe) continue;
    let httpGet = false;
    for (let j = i + 1; j < lines.length && j <= i + 12; j++) {
      const line = lines[j]!;
      if (line.trim() === '') continue;
      if (line.length - line.trimStart().length <= probe[1]!.length) break; // left the probe's block
      if (/^\s*httpGet:\s*$/.test(line)) httpGet = true;
      const path = httpGet ? /^\s*path:\s*["']?(\/[^\s"'#]*)/.exec(line)?.[1] : undefined;
      if (path) return { kind: probe[2]!, path };
    }
  }
  return null;
}

/**
 * A JVM app's settings by dotted key, as Spring Boot, Quarkus and Micronaut read them from
 * src/main/resources: application.properties first, else application.yml (or .yaml).
 */
async function jvmSettings(repo: RepoView): Promise<(key: string) => string | undefined> {
  const dir = 'src/main/resources';
  const props = (await repo.read(`${dir}/application.properties`)) ?? '';
  const yml = (await repo.read(`${dir}/application.yml`)) ?? (await repo.read(`${dir}/application.yaml`)) ?? '';
  return (key) => new RegExp(`^[ \\t]*${key.replace(/[.[\]]/g, '\\$&')}[ \\t]*[=:][ \\t]*(\\S+)`, 'm').exec(props)?.[1] ?? yamlSetting(yml, key.split('.'));
}

/** URL path parts (each may hold slashes, or be empty) joined into one absolute path. */
const urlPath = (...parts: string[]) => `/${parts.flatMap((p) => p.split('/')).filter((p) => p !== '').join('/')}`;

/**
 * Spring Boot Actuator's health endpoint: /actuator/health, moved by the servlet context path, the
 * endpoints' base path or a path mapping (application.properties, or a plain application.yml).
 */
export async function springActuatorHealth(repo: RepoView, buildFiles: [name: string, text: string | null][]): Promise<(Found<string> & { note?: string }) | null> {
  const declared = buildFiles.find(([, text]) => text !== null && /spring-boot-starter-actuator/.test(text))?.[0];
  if (declared === undefined) return null;
  const setting = await jvmSettings(repo);
  const context = setting('server.servlet.context-path') ?? '';
  const base = setting('management.endpoints.web.base-path') ?? '/actuator';
  const health = setting('management.endpoints.web.path-mapping.health') ?? 'health';
  const path = urlPath(context, base, health);
  const moved = [context && 'server.servlet.context-path', base !== '/actuator' && 'management.endpoints.web.base-path', health !== 'health' && 'path-mapping.health'].filter(Boolean);
  const source = `spring-boot-starter-actuator in ${declared} (its health endpoint${moved.length > 0 ? `, moved by ${moved.join(', ')}` : ''})`;
  // Actuator on a port of its own: the generated checks ask the app's port, where it is not.
  const managementPort = setting('management.server.port');
  const note = managementPort && managementPort !== setting('server.port') ? `management.server.port=${managementPort} serves Actuator's health endpoint on its own port, but the generated checks ask ${path} on the app's port; remove that setting, or point the HEALTHCHECK, compose healthcheck and Nomad check at port ${managementPort}` : undefined;
  return { value: path, source, ...(note ? { note } : {}) };
}

/**
 * The health endpoint of Quarkus's SmallRye Health extension, /q/health (liveness, readiness and
 * startup together), moved by the HTTP root path, the non-application root path (on its own when
 * absolute) and the extension's root path; and Micronaut's management /health, under
 * endpoints.all.path. Either on a port of its own (Quarkus's management interface, Micronaut's
 * endpoints.all.port) is not where the generated checks ask, so that is noted.
 */
export async function jvmFrameworkHealth(repo: RepoView, buildFiles: [name: string, text: string | null][]): Promise<(Found<string> & { note?: string }) | null> {
  const quarkus = buildFiles.find(([, text]) => text !== null && /quarkus-smallrye-health/.test(text))?.[0];
  const micronaut = quarkus === undefined ? buildFiles.find(([, text]) => text !== null && /\bmicronaut-management\b/.test(text))?.[0] : undefined;
  if (quarkus === undefined && micronaut === undefined) return null;
  const setting = await jvmSettings(repo);
  if (quarkus !== undefined) {
    const root = setting('quarkus.http.root-path') ?? '/';
    const nonApplication = setting('quarkus.http.non-application-root-path') ?? 'q';
    const health = setting('quarkus.smallrye-health.root-path') ?? 'health';
    const base = nonApplication.startsWith('/') ? nonApplication : urlPath(root, nonApplication);
    const path = health.startsWith('/') ? urlPath(health) : urlPath(base, health);
    const note = /^true$/i.test(setting('quarkus.management.enabled') ?? '') ? `quarkus.management.enabled=true serves SmallRye Health on the management interface's own port (9000 unless quarkus.management.port says otherwise), but the generated checks ask ${path} on the app's port; remove that setting, or point the HEALTHCHECK, compose healthcheck and Nomad check at that port` : undefined;
    return { value: path, source: `quarkus-smallrye-health in ${quarkus} (its health endpoint)`, ...(note ? { note } : {}) };
  }
  const path = urlPath(setting('endpoints.all.path') ?? '/', 'health');
  const port = setting('endpoints.all.port');
  const note = port ? `endpoints.all.port=${port} serves Micronaut's management endpoints on their own port, but the generated checks ask ${path} on the app's port; remove that setting, or point the HEALTHCHECK, compose healthcheck and Nomad check at port ${port}` : undefined;
  return { value: path, source: `micronaut-management in ${micronaut} (its health endpoint)`, ...(note ? { note } : {}) };
}

/**
 * A scalar of a plain YAML file by its dotted path (`management.server.port`): each key's full
 * path is the chain of keys above it by indentation, and Spring's dotted keys (`endpoints.web.
 * base-path: /m` under `management:`) join that chain as written. Enough for Spring's settings.
 */
export function yamlSetting(text: string, keys: string[]): string | undefined {
  const chain: { key: string; indent: number }[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (/^---/.test(line)) chain.length = 0; // the next document (a profile) starts afresh
    const m = /^(\s*)([\w.-]+):(\s.*)?$/.exec(withoutComment(line));
    if (!m || line.trimStart().startsWith('#')) continue;
    const indent = m[1]!.length;
    while (chain.length > 0 && chain[chain.length - 1]!.indent >= indent) chain.pop();
    chain.push({ key: m[2]!, indent });
    if (chain.map((c) => c.key).join('.') === keys.join('.')) return m[3]?.trim().replace(/^["']|["']$/g, '') || undefined;
  }
  return undefined;
}
