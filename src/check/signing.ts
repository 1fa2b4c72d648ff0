/**
 * Signed commits (S01-S03), from the repository's own files: the repository config git reads
 * (`.git/config`, or for a linked worktree or a submodule that of the repository its `.git` file
 * names), the committed `.allowed_signers`, and the CI scripts that verify signatures.
 */
import { lstatSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { posix } from 'node:path';
import { finding, type Finding } from './findings.js';
import { joinPath, MAX_READ_BYTES, type FileSource } from './source.js';
import { commonDir, gitDirGap, gitFileTarget, type GitDirParts } from '../git-dir.js';

interface ConfigValue {
  value: string;
  line: number;
  /** The repository file the value was read from, or whose include pulled it in from outside. */
  file?: string;
  /** The pattern of the `includeIf "onbranch:…"` it came through: it holds only on those branches. */
  branch?: string;
}

interface ConfigEntry extends ConfigValue {
  key: string;
}

/**
 * Every variable of one git config file in file order (includes are entries too: `include.path`,
 * `includeif.<condition>.path`), in git-config(1) syntax: sections and subsections,
 * case-insensitive names, quotes, `#`/`;` comments.
 */
export function gitConfigEntries(text: string): ConfigEntry[] {
  const out: ConfigEntry[] = [];
  let section = '';
  text.split(/\r?\n/).forEach((raw, i) => {
    let line = raw.trim();
    const header = /^\[\s*([A-Za-z0-9.-]+)(?:\s+"((?:[^"\\]|\\.)*)")?\s*\]\s*/.exec(line);
    if (header) {
      section = header[2] === undefined ? header[1]!.toLowerCase() : `${header[1]!.toLowerCase()}.${header[2].replace(/\\(.)/g, '$1')}`;
      // git reads a variable on the header's own line too: `[commit] gpgsign = true`.
      line = line.slice(header[0].length);
    }
    const entry = /^([A-Za-z][A-Za-z0-9-]*)\s*(?:=\s*(.*))?$/.exec(line);
    if (!entry || !section) return;
    let value = '';
    let quoted = false;
    for (const c of entry[2] ?? 'true') {
      if (c === '"') quoted = !quoted;
      else if ((c === '#' || c === ';') && !quoted) break;
      else value += c;
    }
    out.push({ key: `${section}.${entry[1]!.toLowerCase()}`, value: entry[2] === undefined ? 'true' : value.trim(), line: i + 1 });
  });
  return out;
}

const isTrue = (v: ConfigValue | undefined) => v !== undefined && /^(true|yes|on|1)$/i.test(v.value);

/** git's limit on nested includes (config.c MAX_INCLUDE_DEPTH): past it, git refuses the config. */
const MAX_INCLUDE_DEPTH = 10;
const MAX_FILES = 1000;

/** A gitdir: pattern (git-config(1), Conditional includes) as a regular expression, wildmatch with WM_PATHNAME. */
function gitdirPattern(pattern: string, configDir: string, home: string | undefined, ignoreCase: boolean): RegExp | null {
  let p = pattern;
  if (p.startsWith('~/')) {
    if (home === undefined) return null; // git matches nothing then
    p = `${home}/${p.slice(2)}`;
  }
  else if (p.startsWith('./')) p = `${configDir}/${p.slice(2)}`;
  else if (!p.startsWith('/')) p = `**/${p}`;
  if (p.endsWith('/')) p += '**';
  return wildmatch(p, ignoreCase);
}

/** A wildmatch pattern with WM_PATHNAME (`*` and `?` stop at `/`, `**` crosses it) as a regular expression. */
function wildmatch(p: string, ignoreCase = false): RegExp {
  let re = '';
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (p.startsWith('**/', i)) {
      re += '(?:.*/)?';
      i += 2;
    } else if (p.startsWith('**', i)) {
      re += '.*';
      i += 1;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, ignoreCase ? 'i' : '');
}

/**
 * Where git finds the checked folder's repository config: `gitDir` ($GIT_DIR, a linked worktree's
 * or a submodule's own folder when `.git` is a file naming one) and `common` ($GIT_COMMON_DIR,
 * the repository its `commondir` names), as absolute paths, or `.git` for both without a folder
 * on disk. `label` is the project file a value read from outside the project is reported at.
 */
interface RepoLayout {
  gitDir: string;
  common: string;
  /** The paths `includeIf "gitdir:…"` matches: git's $GIT_DIR as given and with links resolved. */
  gitDirs: string[];
  label: string;
}

/**
 * The repository config git reads (git-config(1), FILES; git-worktree(1), CONFIGURATION FILE):
 * `config` in the common folder, then, when that file itself sets extensions.worktreeConfig (git
 * reads extensions from it alone, not from its includes), `config.worktree` in $GIT_DIR, whose
 * values win. Each with the files it includes, in git's order (a later value wins): `[include]`,
 * and `[includeIf]` whose condition holds (git-config(1), Conditional includes): `gitdir:` matching
 * $GIT_DIR, `onbranch:` matching the branch checked out here (a detached HEAD matches none), and
 * `hasconfig:remote.*.url:` matching a remote URL of these files (git scans them for remote URLs
 * first, following every such include). An include path is relative to the including file, `~/`
 * is the home folder; a file that cannot be read is skipped, as git skips a missing one. Values
 * from outside the project are reported at the include line that pulled them in (or at
 * `layout.label`). The global and system config are not read, though git reads them too: S01 is
 * about this repository, and a verdict that changed with whoever runs `check` (CI has no
 * ~/.gitconfig) would say nothing about the commits its other clones make.
 */
function readRepoConfig(source: FileSource, rootDir: string | null, layout: RepoLayout): { config: Map<string, ConfigValue>; problems: Finding[]; files: string[] } {
  const config = new Map<string, ConfigValue>();
  const problems: Finding[] = [];
  const files: string[] = [];
  // `~/` is $HOME, as git expands it (os.homedir() would fall back to the password file).
  const home = process.env.HOME;
  /** Text of a file by absolute (or, without rootDir, repository-relative) path, and its repository-relative name if inside. */
  const load = (path: string): { text?: string; inside?: string } => {
    const inside = rootDir === null ? (path.startsWith('../') || path.startsWith('/') ? undefined : path) : path.startsWith(`${rootDir}/`) ? path.slice(rootDir.length + 1) : undefined;
    if (inside !== undefined) return { text: source.read(inside), inside };
    if (rootDir === null) return {};
    try {
      // Outside the repository, as git reads it: a regular file of sane size only (never /dev/zero).
      const stat = statSync(path);
      if (!stat.isFile() || stat.size > MAX_READ_BYTES) return {};
      return { text: readFileSync(path, 'utf8') };
    } catch {
      return {};
    }
  };
  // The branch checked out in this worktree (its own HEAD, in $GIT_DIR), as onbranch: sees it.
  const head = /^ref: refs\/heads\/(.+?)\s*$/.exec(load(`${layout.gitDir}/HEAD`).text?.split('\n')[0] ?? '');
  const branch = head?.[1];
  let urls: string[] | undefined;
  const common = load(`${layout.common}/config`);
  const worktreeConfig = isTrue(gitConfigEntries(common.text ?? '').filter((e) => e.key === 'extensions.worktreeconfig').pop());
  /**
   * One reading of the config files: `values` applies them, else (git's scan for hasconfig:) only
   * the remote URLs are gathered, every hasconfig: include followed.
   */
  const read = (values: boolean) => {
    // git stops at the first include past its depth limit, so this stops reading there too; and a
    // file that includes itself many times cannot make it read more than MAX_FILES files.
    let stopped = false;
    let count = 0;
    const visit = (path: string, depth: number, origin: { file: string; line: number }, onBranch: string | undefined, loaded?: ReturnType<typeof load>) => {
      if (stopped || ++count > MAX_FILES) return;
      const text = loaded ?? load(path);
      if (text.text === undefined) return;
      if (values && text.inside !== undefined) files.push(text.inside);
      const dir = posix.dirname(path);
      for (const entry of gitConfigEntries(text.text)) {
        const at = text.inside !== undefined ? { file: text.inside, line: entry.line } : origin;
        const include = /^include\.path$/.exec(entry.key) ?? /^includeif\.(?:(gitdir(\/i)?)|(onbranch)|(hasconfig:remote\.\*\.url)):(.*)\.path$/.exec(entry.key);
        if (!include) {
          if (values) config.set(entry.key, { value: entry.value, ...at, ...(onBranch !== undefined ? { branch: onBranch } : {}) });
          else if (/^remote\..*\.url$/.test(entry.key)) urls!.push(entry.value);
          continue;
        }
        const condition = include[5];
        let through = onBranch;
        if (include[1] !== undefined) {
          const pattern = rootDir === null ? null : gitdirPattern(condition!, dir, home, include[2] !== undefined);
          if (pattern === null || !layout.gitDirs.some((d) => pattern.test(d))) continue;
        } else if (include[3] !== undefined) {
          if (branch === undefined || !wildmatch(condition!.endsWith('/') ? `${condition}**` : condition!).test(branch)) continue;
          through = condition;
        } else if (include[4] !== undefined && values) {
          const pattern = wildmatch(condition!);
          if (!remoteUrls().some((url) => pattern.test(url))) continue;
        }
        if (entry.value === '') continue;
        if (depth >= MAX_INCLUDE_DEPTH) {
          if (values) problems.push(finding('S01', at.file, at.line, `includes nest deeper than git's limit of ${MAX_INCLUDE_DEPTH} (an include loop?), so git refuses this config: remove the loop`));
          stopped = true;
          return;
        }
        if (entry.value.startsWith('~/') && home === undefined) {
          if (values) problems.push(finding('S01', at.file, at.line, `git cannot expand ~/ in an include path without HOME, so it refuses this config: set HOME, or give the path in full`));
          stopped = true;
          return;
        }
        const target = entry.value.startsWith('~/') ? `${home}/${entry.value.slice(2)}` : entry.value.startsWith('/') ? entry.value : posix.normalize(`${dir}/${entry.value}`);
        visit(target, depth + 1, at, through);
      }
    };
    const top = { file: layout.label, line: 1 };
    visit(`${layout.common}/config`, 0, top, undefined, common);
    if (worktreeConfig) visit(`${layout.gitDir}/config.worktree`, 0, top, undefined);
  };
  const remoteUrls = (): string[] => {
    if (urls === undefined) {
      urls = [];
      read(false);
    }
    return urls;
  };
  read(true);
  return { config, problems, files };
}

/**
 * An allowed-signers options field as ssh-keygen(1) reads it (sshsig.c): comma-separated, option
 * names case-insensitive, values in double quotes (which may hold commas).
 */
function signerOptions(field: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of field.matchAll(/([A-Za-z-]+)(?:="([^"]*)")?(?:,|$)/g)) out.set(m[1]!.toLowerCase(), m[2] ?? '');
  return out;
}

/** One `.allowed_signers` line: principals, options (namespaces="git"), key type, base64 key. */
export function allowedSignerProblem(line: string): string | null {
  const tokens = line.match(/(?:[^\s"]+|"[^"]*")+/g) ?? [];
  const [principals, second, ...rest] = tokens;
  if (!principals || !second) return 'expected: principal namespaces="git" <keytype> <base64-key>';
  const keyType = /^(ssh-|ecdsa-|sk-)/;
  const options = keyType.test(second) ? null : second;
  const [type, key] = options === null ? [second, rest[0]] : [rest[0], rest[1]];
  if (!type || !keyType.test(type)) return `"${type ?? ''}" is not an SSH key type`;
  if (!key || !/^[A-Za-z0-9+/]+={0,2}$/.test(key)) return 'the key is not base64';
  const namespaces = options === null ? undefined : signerOptions(options).get('namespaces');
  const list = namespaces?.split(',') ?? [];
  if (!list.includes('git')) return 'the key is not limited to git signatures (namespaces="git")';
  // ssh-keygen matches the namespace against each entry as a pattern: "*" would trust the key for
  // every namespace, git or not. A negated entry ("!file") only narrows the list.
  const pattern = list.find((n) => !n.startsWith('!') && /[*?]/.test(n));
  if (pattern !== undefined) return `namespaces="${namespaces}" holds the pattern "${pattern}", which trusts the key beyond git signatures: list the namespace git by name only`;
  return null;
}

/** Files CI may run: where a signature check would live (S03). */
function ciFiles(source: FileSource): string[] {
  const out: string[] = [];
  const dirs = ['scripts', 'bin', '.ci', 'ci', '.github/workflows', '.circleci', '.gitlab'];
  for (const dir of dirs) for (const e of source.list(dir)) if (!e.dir) out.push(joinPath(dir, e.name));
  for (const e of source.list('')) if (!e.dir && /^(\.gitlab-ci\.ya?ml|Makefile|Jenkinsfile|\.pre-commit-config\.yaml|azure-pipelines\.ya?ml)$/.test(e.name)) out.push(e.name);
  return out;
}

/** HEAD, objects/ and refs/ of the checked folder's .git, as src/git-dir.ts looks at them. */
function gitDirParts(source: FileSource): GitDirParts {
  const names = new Map(source.list('.git').map((e) => [e.name, e]));
  // A link (which this source never follows) is taken as git takes it: HEAD into refs/, a folder elsewhere.
  const link = (name: string) => names.has(name) && /link/.test(source.unreadable?.(`.git/${name}`) ?? '');
  const folder = (name: string) => names.get(name)?.dir === true || link(name);
  const head = !names.has('HEAD') || names.get('HEAD')!.dir ? undefined : link('HEAD') ? '' : (source.read('.git/HEAD') ?? '?');
  return { head, objects: folder('objects'), refs: folder('refs') };
}

/**
 * Where the checked folder's `.git` file (a linked worktree's, a submodule's) leads: what keeps git
 * from following it to a repository, with the folder it names, or, when git follows it, the
 * repository's folders (`gitDir` as git takes it, with links resolved: setup.c's
 * read_gitfile_gently). Undefined when it cannot be judged: a link, which this source never
 * follows, or no folder on disk to resolve it from. The repository is outside the folder: read as
 * git reads it, HEAD's first bytes only.
 */
function followGitFile(source: FileSource, rootDir: string | null): { gap: string; named?: string } | { gitDir: string; common: string } | undefined {
  const text = source.read('.git');
  if (text === undefined || rootDir === null) return undefined;
  const target = gitFileTarget(text, rootDir);
  if ('gap' in target) return target;
  let gitDir: string;
  try {
    gitDir = realpathSync(target.path);
  } catch {
    return { gap: 'does not exist', named: target.path };
  }
  const found = repositoryOnDisk(gitDir);
  if (found === undefined) return { gap: 'does not exist', named: target.path };
  return 'gap' in found ? { gap: `is not a complete git repository (${found.gap})`, named: target.path } : { gitDir, common: found.common };
}

/** What is on disk at `path`, as lstat sees it. */
function diskKind(path: string): 'dir' | 'symlink' | 'file' | 'other' | undefined {
  try {
    const st = lstatSync(path);
    return st.isDirectory() ? 'dir' : st.isSymbolicLink() ? 'symlink' : st.isFile() ? 'file' : 'other';
  } catch {
    return undefined;
  }
}

/**
 * A git folder outside the checked one (no links in its path), as git looks at it: undefined when
 * it is no folder, else what keeps it from being a repository, or its common folder (a linked
 * worktree's `commondir`, whose objects/ and refs/ it uses). HEAD's first bytes only.
 */
function repositoryOnDisk(gitDir: string): { gap: string } | { common: string } | undefined {
  const small = (path: string) => {
    try {
      return statSync(path).isFile() && statSync(path).size <= 4096 ? readFileSync(path, 'utf8') : undefined;
    } catch {
      return undefined;
    }
  };
  if (diskKind(gitDir) !== 'dir') return undefined;
  const common = commonDir(gitDir, diskKind(`${gitDir}/commondir`) === 'file' ? small(`${gitDir}/commondir`) : undefined);
  const folder = (path: string) => diskKind(path) === 'dir' || diskKind(path) === 'symlink';
  const head = diskKind(`${gitDir}/HEAD`) === 'symlink' ? '' : diskKind(`${gitDir}/HEAD`) === 'file' ? (small(`${gitDir}/HEAD`) ?? '?').slice(0, 256) : undefined;
  const gap = gitDirGap({ head, objects: folder(`${common}/objects`), refs: folder(`${common}/refs`) });
  return gap ? { gap } : { common };
}

/**
 * A `.git` that is a symbolic link to a folder, which git follows (it stat()s `.git`) and this
 * source does not: the repository it leads to, as git reads it, or what keeps git from taking it
 * (git then passes over it, as over a half-made `.git` folder). Undefined for a link to anything
 * else: one to nothing git takes for no `.git` at all.
 */
function followGitLink(rootDir: string): { gap: string } | { gitDir: string; common: string } | undefined {
  let gitDir: string;
  try {
    gitDir = realpathSync(`${rootDir}/.git`);
  } catch {
    return undefined;
  }
  const found = repositoryOnDisk(gitDir);
  return found === undefined || 'gap' in found ? found : { gitDir, common: found.common };
}

/**
 * The checkouts whose files an absolute gpg.ssh.allowedSignersFile may name as one committed here:
 * the checked folder, and for a linked worktree the repository's main worktree (the folder holding
 * its `.git`), whose copy of the same committed file git then reads.
 */
function checkouts(rootDir: string | null, layout: RepoLayout | null): string[] {
  if (rootDir === null) return [];
  const main = layout && layout.common !== layout.gitDir && posix.basename(layout.common) === '.git' ? [posix.dirname(layout.common)] : [];
  return [rootDir, ...main];
}

/** `rootDir` is the checked folder's absolute path (an allowedSignersFile may be absolute). */
export function checkSigning(source: FileSource, rootDir: string | null): Finding[] {
  return signingAudit(source, rootDir).findings;
}

/**
 * S01-S03, with the project files read for them (the repository config and what it includes from
 * inside the project, a `.git` file, the allowed-signers file), which `check` counts as checked.
 */
export function signingAudit(source: FileSource, rootDir: string | null): { findings: Finding[]; files: string[] } {
  const out: Finding[] = [];
  const files: string[] = [];
  const top = source.list('');
  const hasGit = top.some((e) => e.dir && e.name === '.git');
  const signers = top.some((e) => !e.dir && e.name === '.allowed_signers') ? '.allowed_signers' : null;
  let config = new Map<string, ConfigValue>();
  const dotGitLink = rootDir !== null && top.some((e) => !e.dir && e.name === '.git') && /link/.test(source.unreadable?.('.git') ?? '');
  const throughLink = dotGitLink ? followGitLink(rootDir) : undefined;
  const gap = hasGit ? gitDirGap(gitDirParts(source)) : throughLink && 'gap' in throughLink ? throughLink.gap : undefined;
  const followed = top.some((e) => !e.dir && e.name === '.git') ? followGitFile(source, rootDir) : undefined;
  let layout: RepoLayout | null = null;
  if (followed && 'gap' in followed) {
    // Every git command here stops, so no setting of any repository is in effect, and no commit is made.
    const what = followed.named === undefined ? `.git is a file that names no repository (${followed.gap})` : `.git is a file naming the repository ${followed.named} (as a linked worktree's or a submodule's does), which ${followed.gap}`;
    const mend = followed.named === undefined ? "write the repository's path into it as gitdir: <path>" : `if that repository moved, run git worktree repair ${rootDir ?? '.'} in it`;
    out.push(finding('S01', '.git', 1, `${what}, so every git command in this folder fails and no signing setting is in effect`, `${mend}, or remove .git if this folder is no longer a worktree or submodule; then set up signing as SECURITY.md says`));
  } else if (followed) {
    // A linked worktree or a submodule: its config lives in the repository the file names, outside
    // this folder, so what is found there is reported at the .git file that leads to it.
    files.push('.git');
    layout = { gitDir: followed.gitDir, common: followed.common, gitDirs: [followed.gitDir], label: '.git' };
  } else if (gap) {
    // git passes over it (for a repository above, or none): its config is no repository's, and
    // reading it would pass a project whose commits are not signed, or not even recorded.
    out.push(finding('S01', '.git', 1, `.git is not a complete git repository (${gap}; an interrupted git init leaves one like it), so git passes over it and no signing setting in it is in effect`, 'run git init in this folder to complete it (that keeps what is there), or remove .git if nothing of yours is in it; then set up signing as SECURITY.md says'));
  } else if (throughLink && !('gap' in throughLink)) {
    // Read where the link leads, as git reads it: this source never follows a link.
    files.push('.git');
    layout = { gitDir: throughLink.gitDir, common: throughLink.common, gitDirs: [`${rootDir}/.git`, throughLink.gitDir], label: '.git' };
  } else if (hasGit) {
    const gitDir = rootDir === null ? '.git' : `${rootDir}/.git`;
    const gitDirs = [gitDir];
    try {
      // git matches the .git folder's path both as given and with links resolved.
      if (rootDir !== null) gitDirs.push(realpathSync(gitDir));
    } catch {
      // not there: matched as given only
    }
    layout = { gitDir, common: gitDir, gitDirs, label: '.git/config' };
  }
  if (layout) {
    const file = layout.label;
    const repo = readRepoConfig(source, rootDir, layout);
    config = repo.config;
    files.push(...repo.files);
    out.push(...repo.problems);
    const where = (v: ConfigValue | undefined): [string, number] => [v?.file ?? file, v?.line ?? 1];
    const missing = [['commit.gpgsign', 'commit.gpgsign = true'], ['tag.gpgsign', 'tag.gpgSign = true']].filter(([k]) => !isTrue(config.get(k!)));
    for (const [key, want] of missing) out.push(finding('S01', ...where(config.get(key!)), `${want} is not set: commits and tags are not signed`));
    // S01 asks that every commit and tag be signed: a switch on only while some branches are checked out is not.
    for (const [key, want] of [['commit.gpgsign', 'commit.gpgsign = true'], ['tag.gpgsign', 'tag.gpgSign = true']] as const) {
      const value = config.get(key);
      if (isTrue(value) && value!.branch !== undefined) out.push(finding('S01', ...where(value), `${want} is set only on branches matching "${value!.branch}" ([includeIf "onbranch:${value!.branch}"]), so ${key === 'commit.gpgsign' ? 'commits' : 'tags'} made on other branches are not signed`, `set ${want} in the repository config itself, outside any onbranch: include`));
    }
    if (!config.get('user.signingkey')?.value) out.push(finding('S01', file, 1, 'user.signingkey is not set in the repository config'));
    const format = config.get('gpg.format')?.value ?? 'openpgp';
    if (!['ssh', 'openpgp', 'x509'].includes(format)) out.push(finding('S01', ...where(config.get('gpg.format')), `gpg.format "${format}" is not ssh or openpgp`));
    if (format === 'ssh') {
      const allowed = config.get('gpg.ssh.allowedsignersfile');
      const path = allowed?.value ?? '';
      const under = checkouts(rootDir, layout).find((dir) => path.startsWith(`${dir}/`));
      const relative = under !== undefined ? path.slice(under.length + 1) : path.startsWith('/') || path.startsWith('~') ? null : path;
      if (!allowed) out.push(finding('S02', file, 1, 'gpg.ssh.allowedSignersFile is not set: git verify-commit cannot check SSH signatures'));
      else if (relative === null || source.read(relative) === undefined) out.push(finding('S02', ...where(allowed), `gpg.ssh.allowedSignersFile points at ${path}, not a file committed in this repository`));
    }
  }
  if (signers) {
    (source.read(signers) ?? '').split(/\r?\n/).forEach((line, i) => {
      if (line.trim() === '' || line.trim().startsWith('#')) return;
      const problem = allowedSignerProblem(line.trim());
      if (problem) out.push(finding('S02', signers, i + 1, `not a valid allowed-signers line: ${problem}`));
    });
  }
  if (signers || isTrue(config.get('commit.gpgsign'))) {
    const verifies = ciFiles(source).some((f) => /%G\?|verify-commit/.test(source.read(f) ?? ''));
    if (!verifies) out.push(finding('S03', signers ?? layout?.label ?? '.git/config', 1, 'commits are signed, but no CI script checks the signatures (%G? or git verify-commit)'));
  }
  if (signers && source.read(signers) !== undefined) files.push(signers);
  return { findings: out, files };
}
