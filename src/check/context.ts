/**
 * The build context (I01-I03). For each folder holding a Dockerfile or a .dockerignore:
 *   - I01/I02: the .dockerignore patterns are probed with the paths secrets, keys, credentials and
 *     build output usually have, so a pattern that misses one (a bare `secrets` matches only at the
 *     root) is reported before such a file exists;
 *   - I03: the folder is walked and every secret-looking file Docker would actually send to the
 *     daemon is reported, decided by Docker's matching rules. Nothing is skipped unless the
 *     patterns prove nothing under it can be sent.
 */
import { getLanguage, type LanguageId } from '../languages.js';
import { DockerIgnore, type FolderState } from './dockerignore.js';
import { finding, type Finding } from './findings.js';
import { joinPath, type FileSource } from './source.js';
import { listInWords } from '../ui.js';

/** Folders whose contents are credentials or history (I01). */
const secretFolders = new Set(['secrets', '.git', '.aws', '.gcp', '.azure', '.kube', '.docker', '.ssh', '.gnupg']);
const exampleEnv = /\.(example|sample|template|dist)$/;

/** I03: a file name that holds secrets (by the conventions RULES.md I01 lists). */
export function isSecretFileName(name: string): boolean {
  if (/^\.env(\..+)?$/.test(name) || /\.env$/.test(name)) return !exampleEnv.test(name);
  if (/\.(pem|key|p12|pfx|jks|keystore)$/.test(name)) return true;
  if (/^id_(rsa|dsa|ecdsa|ed25519)/.test(name)) return !name.endsWith('.pub');
  return ['.vault-token', '.netrc', '.npmrc', '.pypirc', '.htpasswd', 'credentials.json'].includes(name);
}

/** Where secret-looking files go, for the I01 probe of the patterns. */
const secretProbes: { path: string; what: string; pattern: string }[] = [
  { path: 'secrets/app.env', what: 'the secrets/ folder', pattern: '**/secrets' },
  { path: 'services/api/secrets/token', what: 'a nested secrets/ folder', pattern: '**/secrets' },
  { path: '.env', what: '.env', pattern: '**/.env' },
  { path: 'config/.env', what: 'a nested .env', pattern: '**/.env' },
  { path: '.env.production', what: '.env.*', pattern: '**/.env.*' },
  { path: 'config/app.env', what: '*.env files', pattern: '**/*.env' },
  { path: 'certs/server.pem', what: '*.pem', pattern: '**/*.pem' },
  { path: 'certs/tls.key', what: '*.key', pattern: '**/*.key' },
  { path: 'id_rsa', what: 'id_rsa', pattern: '**/id_rsa*' },
  { path: 'keys/id_ed25519', what: 'id_ed25519', pattern: '**/id_ed25519*' },
  { path: '.aws/credentials', what: '.aws', pattern: '**/.aws' },
  { path: '.gcp/key.json', what: '.gcp', pattern: '**/.gcp' },
  { path: '.azure/credentials', what: '.azure', pattern: '**/.azure' },
  { path: '.kube/config', what: '.kube', pattern: '**/.kube' },
  { path: '.vault-token', what: '.vault-token', pattern: '**/.vault-token' },
  { path: 'ops/.vault-token', what: 'a nested .vault-token', pattern: '**/.vault-token' },
  { path: '.git/config', what: '.git', pattern: '.git' },
];

/** Probed only when the folder exists: generator state and deployment files (I01). */
const presentProbes: { dir: string; path: string; what: string; pattern: string }[] = [
  { dir: '.secure-service', path: '.secure-service/manifest.json', what: 'the generator manifest', pattern: '.secure-service' },
  { dir: 'deploy', path: 'deploy/nomad/job.nomad.hcl', what: 'deploy/', pattern: 'deploy/' },
  { dir: 'alloc', path: 'alloc/data', what: 'Nomad alloc/', pattern: 'alloc/' },
  { dir: 'local', path: 'local/config', what: 'Nomad local/', pattern: 'local/' },
];

/** Language markers, for the I02 probe of build output (the caches `languages.ts` lists). */
const markers: [RegExp, LanguageId][] = [
  [/^package\.json$/, 'node'],
  [/^(requirements.*\.txt|pyproject\.toml|setup\.py|Pipfile)$/, 'python'],
  [/^go\.mod$/, 'go'],
  [/^(pom\.xml|build\.gradle(\.kts)?)$/, 'java'],
  [/^Cargo\.toml$/, 'rust'],
  [/\.(csproj|fsproj|sln)$/, 'dotnet'],
  [/^composer\.json$/, 'php'],
];

/** The languages whose manifest is among these file names (a context folder's top level), in registry order. */
export function languagesByMarker(names: readonly string[]): LanguageId[] {
  return [...new Set(markers.filter(([re]) => names.some((n) => re.test(n))).map(([, id]) => id))];
}

export interface BuildContext {
  /** The folder ('' for the root). */
  dir: string;
  /** The ignore file in force (`<Dockerfile>.dockerignore` wins over `.dockerignore`), if any. */
  ignoreFile: string | null;
  /** The Dockerfile(s) built from it. */
  dockerfiles: string[];
  /** What those Dockerfiles copy from it (COPY and ADD sources, `contextSources`). */
  copied?: string[];
}

export function checkContext(source: FileSource, context: BuildContext): Finding[] {
  const out: Finding[] = [];
  const reportAt = context.ignoreFile ?? context.dockerfiles[0] ?? joinPath(context.dir, '.dockerignore');
  const text = context.ignoreFile ? (source.read(context.ignoreFile) ?? '') : '';
  const ignore = new DockerIgnore(text, context.ignoreFile ?? '.dockerignore');
  const entries = source.list(context.dir);

  if (!context.ignoreFile) {
    out.push(finding('I01', reportAt, 1, `no .dockerignore in ${context.dir || 'the project folder'}: the whole folder, secrets and .git included, is sent to the Docker daemon`, `Add ${joinPath(context.dir, '.dockerignore')} excluding **/secrets, **/.env, **/.env.*, **/*.env (keep !**/*.env.example), **/*.pem, **/*.key, **/id_rsa*, **/.aws, **/.kube, **/.vault-token, .git and the build output`));
  } else {
    for (const probe of [...secretProbes, ...presentProbes.filter((p) => entries.some((e) => e.dir && e.name === p.dir))]) {
      if (!ignore.ignores(probe.path)) out.push(finding('I01', context.ignoreFile, lineFor(ignore, probe.path, probe.pattern), `${probe.what} would reach the build context (e.g. ${probe.path}); exclude it with ${probe.pattern}`, `Add ${probe.pattern} to ${context.ignoreFile}`));
    }
    const languages = languagesByMarker(entries.filter((e) => !e.dir).map((e) => e.name));
    // A build-output folder the build copies (express-generator's bin/www beside a go.mod, a
    // prebuilt dist/) must stay in the context: excluding it would break the build.
    const copies = (name: string) => {
      const excluded = new DockerIgnore(`**/${name}`);
      return (context.copied ?? []).some((source) => excluded.ignores(source));
    };
    // A folder two of the languages share (dist, coverage) is one finding naming both.
    const owners = new Map<string, string[]>();
    for (const id of languages) for (const name of getLanguage(id).buildOutput) owners.set(name, [...(owners.get(name) ?? []), getLanguage(id).label]);
    for (const [name, labels] of owners) {
      if (copies(name)) continue;
      const probe = name.includes('*') ? `app/${name.replace(/\*/g, 'x')}` : `${name}/x`;
      if (!ignore.ignores(probe) || !ignore.ignores(`app/${probe}`)) out.push(finding('I02', context.ignoreFile, lineFor(ignore, probe, `**/${name}`), `${listInWords(labels)} build output ${name} would reach the build context; exclude it with **/${name}`, `Add **/${name} to ${context.ignoreFile}`));
    }
  }

  // I03: what Docker would really send.
  const groups = new Map<string, { count: number; rule: number }>();
  walk(source, ignore, ignore.root(), context.dir, (path, rule) => {
    const inner = context.dir === '' ? path : path.slice(context.dir.length + 1);
    const parts = inner.split('/');
    const folderAt = parts.findIndex((p, i) => i < parts.length - 1 && secretFolders.has(p));
    const group = folderAt >= 0 ? `${parts.slice(0, folderAt + 1).join('/')}/` : isSecretFileName(parts.at(-1)!) ? inner : null;
    if (group === null) return;
    const g = groups.get(group) ?? { count: 0, rule };
    g.count++;
    groups.set(group, g);
  });
  for (const [group, g] of groups) {
    const line = g.rule >= 0 ? ignore.lines[g.rule]! : 1;
    const what = group.endsWith('/') ? `${group} (${g.count} file${g.count === 1 ? '' : 's'})` : group;
    const why = g.rule >= 0 ? ` (re-included by "${ignore.patterns[g.rule]!.origin}")` : '';
    out.push(finding('I03', reportAt, line, `${what} would be sent to the Docker daemon with the build context${why}`, `Exclude it in ${context.ignoreFile ?? '.dockerignore'} (e.g. **/${group.replace(/\/$/, '').split('/').at(-1)}), or move it out of ${context.dir || 'the project folder'}`));
  }
  return out;
}

/** `a`, `a and b`, `a, b and c`. */

/** Calls `sent` for every file Docker would send, with the rule that decided it (-1: none). */
function walk(source: FileSource, ignore: DockerIgnore, folder: FolderState, dir: string, sent: (path: string, rule: number) => void): void {
  for (const entry of source.list(dir)) {
    const path = joinPath(dir, entry.name);
    if (entry.dir) {
      const sub = ignore.enter(folder, entry.name);
      if (!ignore.excludesAll(sub)) walk(source, ignore, sub, path, sent);
      continue;
    }
    const decision = ignore.decide(folder, entry.name);
    if (decision.sent) sent(path, decision.rule);
  }
}

/** The line to blame for a probe that gets through: a re-including pattern, or a too-narrow one. */
function lineFor(ignore: DockerIgnore, probe: string, wanted: string): number {
  const patterns = ignore.patterns;
  for (let i = patterns.length - 1; i >= 0; i--) {
    const p = patterns[i]!;
    if (p.negative && new DockerIgnore(p.origin.slice(1).trim()).ignores(probe)) return p.line;
  }
  const base = wanted.replace(/^\*\*\//, '').replace(/\/$/, '');
  const narrow = patterns.find((p) => !p.negative && p.origin.replace(/^\//, '').replace(/\/$/, '') === base);
  return narrow?.line ?? 1;
}
