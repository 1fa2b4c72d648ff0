/**
 * The rule engine behind `check` and create's gate:
 *   1. find     the files each rule family reads (Dockerfiles, .dockerignore and build contexts,
 *               compose files, Nomad jobs, Vault policies, the signing setup)
 *   2. check    each with its real parser and its module of rules
 *   3. across   files: one identity in the Dockerfile, compose and Nomad (C11, N02); no file left
 *               with merge conflict markers (F02)
 *   4. filter   inline `# secure-service-ignore <ID> <reason>` comments, --rule and --ignore
 */
import { checkComposeFiles, isComposeFile, type ComposeIdentity } from './compose.js';
import { checkContext, type BuildContext } from './context.js';
import { checkParsedDockerfile, contextSources, finalUser, parseDockerfile } from './dockerfile.js';
import { appendAll, finding, sortFindings, uniqueFindings, type Finding } from './findings.js';
import { HclSyntaxError, parseHcl, parseHcl1, type HclBody } from './hcl.js';
import { checkNomadJob, type NomadTaskIdentity } from './nomad.js';
import { isRuleId } from './rules.js';
import { signingAudit } from './signing.js';
import { joinPath, type FileSource } from './source.js';
import { checkVaultPolicy, isPolicy } from './vault.js';
import { isPolicyJsonPath, policyFromJson } from './vault-json.js';

export interface CheckOptions {
  /** Only these rule IDs (F01, a file that cannot be read, is reported unless ignored). */
  only?: string[];
  ignore?: string[];
  /** The checked folder's absolute path, when it is on disk. */
  rootDir?: string | null;
  /** Look for conflict markers in every file (create's gate), not just audited and generated ones. */
  scanAllForConflicts?: boolean;
}

export interface CheckReport {
  findings: Finding[];
  suppressed: number;
  /** The files the rules read, in order. */
  files: string[];
}

/** Folders holding other people's code or tool state: never audited (the build-context walk still sees them). */
const skipped = new Set(['.git', 'node_modules', '.secure-service', '.venv', 'venv', 'vendor', '.terraform', '__pycache__', '.tox']);

/**
 * Names Docker, Podman and Buildah users give build files, in any case: `Dockerfile`,
 * `Containerfile` (Podman's default), `Dockerfile.prod`, `Dockerfile-prod`, `api.dockerfile`.
 * Their own ignore files (`Dockerfile.dockerignore`) are not.
 */
export const isDockerfile = (name: string) => !/\.(docker|container)ignore$/i.test(name) && (/^(docker|container)file([.-][\w.-]+)?$/i.test(name) || /.\.(docker|container)file$/i.test(name));
const isNomadJob = (name: string) => /\.nomad(\.hcl)?$/.test(name);

interface Found {
  dockerfiles: string[];
  ignores: string[];
  compose: string[];
  nomad: string[];
  hcl: string[];
  policyJson: string[];
  all: string[];
}

function find(source: FileSource): Found {
  const found: Found = { dockerfiles: [], ignores: [], compose: [], nomad: [], hcl: [], policyJson: [], all: [] };
  const visit = (dir: string) => {
    for (const e of source.list(dir)) {
      const path = joinPath(dir, e.name);
      if (e.dir) {
        if (!skipped.has(e.name)) visit(path);
        continue;
      }
      found.all.push(path);
      if (isDockerfile(e.name)) found.dockerfiles.push(path);
      else if (e.name.endsWith('.dockerignore')) found.ignores.push(path);
      else if (isComposeFile(e.name)) found.compose.push(path);
      else if (isNomadJob(e.name)) found.nomad.push(path);
      else if (e.name.endsWith('.hcl')) found.hcl.push(path);
      else if (isPolicyJsonPath(path)) found.policyJson.push(path);
    }
  };
  visit('');
  return found;
}

const dirOf = (path: string) => (path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '');

export async function runCheck(source: FileSource, options: CheckOptions = {}): Promise<CheckReport> {
  const texts = new Map<string, string>();
  const read = (path: string): string => {
    if (!texts.has(path)) texts.set(path, source.read(path) ?? '');
    return texts.get(path)!;
  };
  // 1. find
  const found = find(source);
  const out: Finding[] = [];
  const audited: string[] = [];
  // A file check will not read (a link, a device, a giant) is reported, and checked no further.
  for (const kind of ['dockerfiles', 'ignores', 'compose', 'nomad', 'hcl', 'policyJson'] as const) {
    found[kind] = found[kind].filter((path) => {
      const why = source.unreadable?.(path);
      if (why === undefined) {
        // A NUL byte is in no text file: a binary file named like one is one finding, not a
        // finding for every "line" of it. Nothing else reads it (suppressions, conflict markers).
        if (!read(path).includes('\0')) return true;
        texts.set(path, '');
      }
      audited.push(path);
      out.push(finding('F01', path, 1, why === undefined ? 'not a text file (binary content)' : `not read: it ${why}`));
      return false;
    });
  }

  // 2. check: Dockerfiles and their build contexts.
  const identities = new Map<string, { user: string; line: number }>();
  const copied = new Map<string, string[]>();
  for (const path of found.dockerfiles) {
    audited.push(path);
    const parsed = parseDockerfile(read(path));
    copied.set(path, contextSources(parsed));
    appendAll(out, checkParsedDockerfile(parsed, path));
    const user = finalUser(parsed);
    if (user) identities.set(path, user);
  }
  const contexts = new Map<string, BuildContext>();
  const ignores = new Set(found.ignores);
  const dockerfiles = new Set(found.dockerfiles);
  for (const path of [...found.dockerfiles, ...found.ignores.filter((p) => p.endsWith('/.dockerignore') || p === '.dockerignore')]) {
    const dir = dirOf(path);
    const own = dockerfiles.has(path) && ignores.has(`${path}.dockerignore`) ? `${path}.dockerignore` : null;
    const shared = ignores.has(joinPath(dir, '.dockerignore')) ? joinPath(dir, '.dockerignore') : null;
    const key = `${dir}\0${own ?? shared ?? ''}`;
    const context = contexts.get(key) ?? { dir, ignoreFile: own ?? shared, dockerfiles: [], copied: [] };
    if (dockerfiles.has(path)) {
      context.dockerfiles.push(path);
      appendAll(context.copied!, copied.get(path) ?? []);
    }
    contexts.set(key, context);
  }
  for (const context of contexts.values()) {
    if (context.ignoreFile && !audited.includes(context.ignoreFile)) audited.push(context.ignoreFile);
    appendAll(out, checkContext(source, context));
  }

  // Compose
  // Whether the walk found a file (built on first use): extends and include read only those (never
  // outside the folder), and the merge-marker scan looks only at generated files still there.
  let foundSet: Set<string> | undefined;
  const isFound = (path: string) => (foundSet ??= new Set(found.all)).has(path);
  const compose = await checkComposeFiles(
    found.compose.map((path) => ({ path, text: read(path) })),
    (path) => (isFound(path) ? read(path) : undefined),
  );
  appendAll(audited, compose.checked);
  appendAll(out, compose.findings);

  // Nomad jobs and Vault policies
  const tasks: (NomadTaskIdentity & { file: string })[] = [];
  for (const path of [...found.nomad, ...found.hcl]) {
    let body: HclBody;
    const text = read(path);
    // Nomad reads jobs as HCL2; Vault reads policies as HCL1, which accepts more (a `{` on the
    // next line, commas between arguments…), so any other .hcl file is read the way Vault would.
    try {
      body = isNomadJob(path) ? parseHcl(text) : parseHcl1(text);
    } catch (error) {
      if (!(error instanceof HclSyntaxError)) throw error;
      const claimed = isNomadJob(path) || /\.policy\.hcl$|(^|\/)(vault|polic)|polic(y|ies)[^/]*$/i.test(path) || /^\s*path\s+"/m.test(text);
      if (claimed) {
        audited.push(path);
        out.push(finding('F01', path, error.line, isNomadJob(path) ? `does not parse as HCL2: ${error.message}` : `does not parse as a Vault policy (HCL): ${error.message}`));
      }
      continue;
    }
    if (isNomadJob(path)) {
      audited.push(path);
      const job = checkNomadJob(body, path);
      appendAll(out, job.findings);
      appendAll(tasks, job.tasks.map((t) => ({ ...t, file: path })));
    } else if (isPolicy(body) || /\.policy\.hcl$/.test(path)) {
      audited.push(path);
      appendAll(out, checkVaultPolicy(body, path));
    }
  }

  // Vault reads a policy in JSON as well; a .json file named like a policy is one when it has paths.
  for (const path of found.policyJson) {
    const body = policyFromJson(read(path));
    if (!body) continue;
    audited.push(path);
    appendAll(out, checkVaultPolicy(body, path));
  }

  // Signing. The repository config and the allowed-signers file are files it audited: a
  // repository with only its signing set up is not "nothing to check".
  const signing = signingAudit(source, options.rootDir ?? null);
  appendAll(out, signing.findings);
  // What signing read is checked, a `.git` link it followed included.
  for (const path of signing.files) if (!audited.includes(path)) audited.push(path);
  for (const path of ['.git/config', '.allowed_signers']) if (!audited.includes(path) && source.unreadable?.(path) === undefined && source.read(path) !== undefined) audited.push(path);

  // 3. across files
  appendAll(out, identityFindings(identities, compose.built, tasks));
  const generated = manifestFiles(read('.secure-service/manifest.json'));
  const candidates = options.scanAllForConflicts ? found.all : [...new Set([...audited, ...generated.filter(isFound)])];
  for (const path of candidates) {
    const line = conflictMarkerLine(read(path));
    if (line !== null) out.push(finding('F02', path, line, 'a merge left conflict markers here'));
  }

  // 4. filter
  const suppressions = new Map<string, Suppressions>();
  for (const f of out) if (!suppressions.has(f.file)) suppressions.set(f.file, readSuppressions(read(f.file), f.file));
  for (const path of audited) if (!suppressions.has(path)) suppressions.set(path, readSuppressions(read(path), path));
  const all = [...out, ...[...suppressions.values()].flatMap((s) => s.problems)];
  let suppressed = 0;
  const kept = all.filter((f) => {
    if (options.ignore?.includes(f.rule)) return false;
    if (options.only && !options.only.includes(f.rule) && f.rule !== 'F01') return false;
    if (suppressions.get(f.file)?.covers(f)) {
      suppressed++;
      return false;
    }
    return true;
  });
  return { findings: sortFindings(uniqueFindings(kept)), suppressed, files: audited };
}

/** C11, N02: the Dockerfile's USER is the identity compose and Nomad run the image as. */
function identityFindings(dockerfiles: Map<string, { user: string; line: number }>, built: ComposeIdentity[], tasks: (NomadTaskIdentity & { file: string })[]): Finding[] {
  const users = new Set([...dockerfiles.values()].map((u) => u.user));
  if (users.size !== 1) return [];
  const user = [...users][0]!;
  if (!/^\d+:\d+$/.test(user)) return [];
  const out: Finding[] = [];
  for (const b of built) if (b.user !== null && b.user !== user) out.push(finding('C11', b.file, b.line, `${b.service}: user "${b.user}" is not the Dockerfile's USER ${user}: one identity in every output`));
  for (const t of tasks) if (t.user !== null && t.user !== user) out.push(finding('N02', t.file, t.line, `the task user "${t.user}" is not the Dockerfile's USER ${user}: one identity in every output`));
  return out;
}

function manifestFiles(text: string): string[] {
  try {
    const files = (JSON.parse(text) as { files?: { path?: unknown }[] }).files ?? [];
    return files.map((f) => f.path).filter((p): p is string => typeof p === 'string');
  } catch {
    return [];
  }
}

/** The line of a `<<<<<<<` that a `=======` and a `>>>>>>>` follow, as git and diff3 leave them. */
export function conflictMarkerLine(text: string): number | null {
  if (!text.includes('<<<<<<<')) return null; // most files: no need to split them into lines
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!/^<{7}( |$)/.test(lines[i]!)) continue;
    const middle = lines.findIndex((l, j) => j > i && /^={7}\r?$/.test(l));
    if (middle > i && lines.some((l, j) => j > middle && /^>{7}( |\r?$)/.test(l))) return i + 1;
  }
  return null;
}

interface Suppressions {
  covers(f: Finding): boolean;
  problems: Finding[];
}

const suppression = /^\s*(?:#|\/\/)\s*secure-service-ignore\b(.*)$/;

/**
 * `# secure-service-ignore <ID> <reason>` accepts one rule's finding on the next line (a run of
 * such comments may stand above one line). A finding about the whole file (line 1) is accepted by
 * such a comment in the file's opening comment block.
 */
function readSuppressions(text: string, file: string): Suppressions {
  const lines = text.split('\n');
  const byLine = new Map<number, Set<string>>();
  const problems: Finding[] = [];
  let opening = true;
  lines.forEach((line, i) => {
    const m = suppression.exec(line);
    const isComment = /^\s*(#|\/\/)/.test(line);
    if (!m) {
      if (!isComment) opening = false;
      return;
    }
    const [id = '', ...reason] = (m[1] ?? '').trim().split(/\s+/);
    if (!isRuleId(id)) {
      problems.push(finding('F03', file, i + 1, `secure-service-ignore names no known rule ID ("${id}")`));
      return;
    }
    if (reason.join(' ').trim() === '') {
      problems.push(finding('F03', file, i + 1, `secure-service-ignore ${id} gives no reason: say why the risk is accepted`));
      return;
    }
    // The run of comments this one belongs to ends at the next line that is not a comment.
    let target = i + 1;
    while (target < lines.length && /^\s*(#|\/\/)/.test(lines[target]!)) target++;
    const add = (n: number) => byLine.set(n, (byLine.get(n) ?? new Set()).add(id));
    add(target + 1);
    if (opening) add(1);
  });
  return { covers: (f) => byLine.get(f.line)?.has(f.rule) === true, problems };
}
