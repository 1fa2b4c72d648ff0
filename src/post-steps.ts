/**
 * Step 6 of the pipeline: what happens after the files are written. Each step is independent,
 * reports one line, and is skipped with a reason when its program is missing: the generated files
 * never depend on Docker, Nomad or Vault being installed here.
 */
import { randomBytes } from 'node:crypto';
import { dirname, join, posix } from 'node:path';
import { nearestFolder, type Disk } from './disk.js';
import { expandHome, trusts } from './facts.js';
import { UserError } from './errors.js';
import { brokenGitFile, commonDir, gitDirGap, gitDiscoveryEnv, gitFileTarget, incompleteRepository, type GitDirParts } from './git-dir.js';
import type { PartId } from './parts/index.js';
import type { Answers } from './questions.js';
import type { BackingServiceInfo } from './render/context.js';
import { git, has, run, runQuick } from './tools.js';
import { shellWord, type StepVerdict, type Ui } from './ui.js';
import { nextTurn, progress } from './progress.js';
import { createFileAtomically } from './write.js';

export interface PostStepContext {
  root: string;
  answers: Answers;
  services: BackingServiceInfo[];
  git: boolean;
  disk: Disk;
  ui: Ui;
  /** `add`: the parts this run wrote, so only their steps run (unset: every part, as `create`). */
  parts?: readonly PartId[];
  /** Where the repository-wide signing files and config are (a monorepo's root); `root` when unset. */
  repositoryRoot?: string;
  /** false for `add`, which works inside an existing project and never creates a repository. */
  initRepository?: boolean;
  /** Set by gitInit once it made the repository: its config holds nothing of the user's yet. */
  madeRepository?: true;
  /** What repositoryOf found, by folder (filled in as the steps run). */
  repositories?: Map<string, 'top' | string | null>;
  /**
   * Whether the project has this output (by ID) after the run, as the command decided for its
   * files and messages (a file the user deleted or moved away it has not); unset: every output.
   */
  projectHas?: (outputId: string) => boolean;
  /**
   * `add` with no file to write: signingConfig has nothing to say once the repository's config is
   * what it would set (a key made, or a repository made, since the run that wrote the files is
   * what such a run is for).
   */
  unlessConfigured?: true;
  /**
   * What finishes the setup once the missing key exists (unset: running the same command again,
   * which lists the key in .allowed_signers and sets the config). update sets the config only when
   * a signing answer changes, so a second update would not.
   */
  again?: string;
}

const wrote = (c: PostStepContext, part: PartId): boolean => !c.parts || c.parts.includes(part);

export interface StepOutcome {
  /** One line for the summary. */
  note: string;
  ok: boolean;
  /** Not run: its program is missing, or the user turned it off (--no-git). */
  skipped?: true;
}

type PostStep = (c: PostStepContext) => Promise<StepOutcome | null>;

/**
 * Backing-service passwords: random, created only when missing, never in the manifest. Compose
 * bind-mounts secret files with their host owner and mode, and postgres (UID 70), redis and mongo
 * (999) read them as their own users, so the files are 0644: the 0700 secrets/ folder is what
 * keeps other users of this machine out.
 */
export const seedServiceSecrets: PostStep = async (c) => {
  if (!wrote(c, 'compose')) return null;
  const missing: string[] = [];
  for (const s of c.services) if (!(await c.disk.lstat(posix.join(c.root, 'secrets', s.secret)))) missing.push(s.secret);
  if (missing.length === 0) return null;
  await ensureSecretsFolder(c);
  const made: string[] = [];
  for (const name of missing) {
    // Never replaces one that appears meanwhile: a database may already use it.
    if (await createFileAtomically(posix.join(c.root, 'secrets', name), randomBytes(24).toString('base64url'), 0o644, c.disk)) made.push(`secrets/${name}`);
  }
  return made.length ? { ok: true, note: `generated random passwords (in the 0700 secrets/ folder): ${made.join(', ')}` } : null;
};

/** secrets/ as the writer makes it (0700), for a project whose owner removed it since. */
async function ensureSecretsFolder(c: PostStepContext): Promise<void> {
  const dir = posix.join(c.root, 'secrets');
  if (await c.disk.lstat(dir)) return; // a file or link in its place fails the write below, with its name
  await c.disk.mkdir(dir, 0o700).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw error;
  });
  await c.disk.chmod(dir, 0o700);
}

/**
 * Where root stands: 'top' when it is a repository's top level, the parent repository's path when
 * it is inside one, or null when it is in no repository. (git prints real paths, so compare those.)
 */
async function repositoryOf(c: PostStepContext, dir = c.root): Promise<'top' | string | null> {
  const known = c.repositories?.get(dir);
  if (known !== undefined) return known;
  const where = await locateRepository(dir, c.disk);
  remember(c, dir, where);
  return where;
}

/**
 * repositoryOf for a folder that may not exist yet (its nearest existing ancestor is asked). Found
 * as git's own discovery does, by looking for `.git` (a folder, or a file as in worktrees) from
 * the folder upwards: spawning `git rev-parse` forks this whole process, ~5 ms of the ~70 that
 * `create` may take (issue #6). When the environment changes how git discovers repositories,
 * git itself is asked. (Not mirrored: git's stop at file-system boundaries.)
 */
export async function locateRepository(dir: string, disk: Disk, tail?: string): Promise<'top' | string | null> {
  const existing = await nearestFolder(dir, disk);
  const real = await disk.realpath(existing);
  let top: string | null = null;
  if (gitDiscoveryEnv.some((name) => process.env[name] !== undefined)) {
    top = (await git(['rev-parse', '--show-toplevel'], existing))?.trim() || null;
  } else {
    for (let d = real; top === null; d = dirname(d)) {
      const kind = await dotGitKind(d, disk);
      // A .git file git cannot follow stops git wherever it is (it never looks above one), and
      // the git init or config this run would do there with it.
      const broken = kind === 'file' ? await gitFileProblem(d, disk, tail) : undefined;
      if (broken) throw new UserError(broken);
      const gap = kind === 'dir' ? gitDirGap(await gitDirParts(join(d, '.git'), disk)) : kind === 'other' ? 'neither a folder nor a file' : undefined;
      // git passes over a half-made one and acts on a repository above it (or on none). In the
      // project's own folder, taking it for the repository would not do either (its git config
      // would fail or go elsewhere), and git init would complete it: stopped. Above the project,
      // git's own search goes on past it, and so does this one.
      if (gap && kind === 'dir' && d === real && existing === dir) throw new UserError(incompleteRepository(d, gap, tail));
      if (kind && !gap) top = d;
      else if (dirname(d) === d) break;
    }
  }
  if (top === null) return null;
  return existing === dir && top === real ? 'top' : top;
}

/**
 * Where `dir` (which may not exist yet) is inside the repository locateRepository found for it
 * (`where`): a relative path such as `services/api`, or '' at its top or outside any.
 */
export async function folderInRepository(dir: string, where: 'top' | string | null, disk: Disk): Promise<string> {
  if (where === null || where === 'top') return '';
  const existing = await nearestFolder(dir, disk);
  const inside = posix.relative(where, posix.join(await disk.realpath(existing), posix.relative(existing, dir)));
  return inside.startsWith('..') || posix.isAbsolute(inside) ? '' : inside;
}

/**
 * What `.git` in `folder` is to git, which stat()s it: a link is what it points to, and a link to
 * nothing is no `.git` at all (git looks on above it).
 */
async function dotGitKind(folder: string, disk: Disk): Promise<'file' | 'dir' | 'other' | undefined> {
  const path = join(folder, '.git');
  const entry = await disk.lstat(path);
  const target = entry?.kind === 'symlink' ? await disk.realpath(path).then((real) => disk.lstat(real), () => null) : entry;
  return target?.kind === 'file' || target?.kind === 'dir' ? target.kind : target ? 'other' : undefined;
}

/**
 * What is wrong with the `.git` file in `folder` (a linked worktree's, a submodule's), as one line,
 * or undefined when it names a repository git takes.
 */
async function gitFileProblem(folder: string, disk: Disk, tail?: string): Promise<string | undefined> {
  const text = await disk.readFile(join(folder, '.git')).then((b) => b.toString('utf8'), () => undefined);
  const target = text === undefined ? { gap: 'it cannot be read' } : gitFileTarget(text, folder);
  if ('gap' in target) return brokenGitFile(folder, target.gap, undefined, tail);
  const real = await disk.realpath(target.path).catch(() => undefined);
  if (real === undefined || (await disk.lstat(real))?.kind !== 'dir') return brokenGitFile(folder, 'does not exist', target.path, tail);
  const gap = gitDirGap(await gitDirParts(real, disk));
  return gap ? brokenGitFile(folder, `is not a complete git repository (${gap})`, target.path, tail) : undefined;
}

/**
 * The line locateRepository stops on, its fix ending with `tail`, or undefined: for a run that
 * writes nothing into git (update --dry-run and --check, create --no-git) and says it instead.
 */
export async function repositoryProblem(dir: string, disk: Disk, tail: string): Promise<string | undefined> {
  return locateRepository(dir, disk, tail).then(
    () => undefined,
    (error: unknown) => {
      if (error instanceof UserError) return error.message;
      throw error;
    },
  );
}

/** HEAD, objects/ and refs/ of a `.git` folder, as git looks at them (src/git-dir.ts). */
export async function gitDirParts(dotGit: string, disk: Disk): Promise<GitDirParts> {
  // A linked worktree's git folder shares objects/ and refs/ with the repository its commondir names.
  const common = commonDir(dotGit, (await disk.lstat(join(dotGit, 'commondir')))?.kind === 'file' ? (await disk.readFile(join(dotGit, 'commondir')).catch(() => undefined))?.toString('utf8') : undefined);
  const [head, objects, refs] = await Promise.all([join(dotGit, 'HEAD'), join(common, 'objects'), join(common, 'refs')].map((path) => disk.lstat(path)));
  // git follows a link to a folder here (it asks access()), and takes a HEAD that is a link.
  const folder = (entry: typeof head) => entry?.kind === 'dir' || entry?.kind === 'symlink';
  const text = head?.kind === 'symlink' ? '' : head?.kind === 'file' ? (await disk.readFile(join(dotGit, 'HEAD')).catch(() => undefined))?.subarray(0, 256).toString('utf8') : undefined;
  return { head: text, objects: folder(objects), refs: folder(refs) };
}

// Steps share what they learn about repositories: one git call per question, not one per step.
function remember(c: PostStepContext, dir: string, where: 'top' | string | null): void {
  (c.repositories ??= new Map()).set(dir, where);
}

/**
 * A new service gets its own repository, unless it is created inside an existing one (a
 * monorepo): then that repository is left alone, as create-next-app does.
 */
const gitInit: PostStep = async (c) => {
  if (c.initRepository === false) return null;
  if (!c.git) return { ok: true, skipped: true, note: 'git: skipped (--no-git)' };
  if (!(await has('git', c.root))) return { ok: true, skipped: true, note: 'git: not installed; skipped git init' };
  const top = await repositoryOf(c);
  if (top === 'top') return { ok: true, note: 'git: already a repository' };
  if (top !== null) return { ok: true, note: `git: inside the repository at ${top}; no new repository created` };
  progress.gitInitIn = c.root;
  const result = await runQuick('git', ['init', '-q'], c.root).finally(() => (progress.gitInitIn = undefined));
  if (result?.exitCode !== 0) return { ok: false, note: `git init failed: ${firstLine(result?.stderr)}` };
  remember(c, c.root, 'top');
  c.madeRepository = true;
  return { ok: true, note: 'git: initialised a repository' };
};

/** What S01 turns on, and where S02's trust list is: signingConfig sets them, signingOff unsets them. */
const signingSwitches: [string, string][] = [['commit.gpgsign', 'true'], ['tag.gpgSign', 'true']];
const allowedSignersFile = (root: string) => posix.join(root, '.allowed_signers');
/**
 * In a linked worktree the repository config is shared by every worktree (git-worktree(1),
 * CONFIGURATION FILE): one worktree's absolute path there would have the others, the main one
 * included, verify against that worktree's copy, and against nothing once it is removed. git runs
 * ssh-keygen from the worktree's top folder, so the relative path names each worktree's own copy.
 */
const sharedAllowedSignersFile = '.allowed_signers';

/**
 * Whether root (a repository's top folder) is a linked worktree (git worktree add): its `.git` is a
 * file naming a git folder whose `commondir` names the repository it shares its config with. A
 * submodule's git folder has none: its config is its own.
 */
async function isLinkedWorktree(root: string, disk: Disk): Promise<boolean> {
  if (gitDiscoveryEnv.some((name) => process.env[name] !== undefined)) {
    const [gitDir, common] = ((await git(['rev-parse', '--git-dir', '--git-common-dir'], root)) ?? '').split('\n').map((p) => p.trim());
    if (!gitDir || !common) return false;
    return (await realOr(posix.resolve(root, gitDir), disk)) !== (await realOr(posix.resolve(root, common), disk));
  }
  if ((await disk.lstat(join(root, '.git')))?.kind !== 'file') return false;
  const text = await disk.readFile(join(root, '.git')).then((b) => b.toString('utf8'), () => undefined);
  const target = text === undefined ? undefined : gitFileTarget(text, root);
  if (target === undefined || 'gap' in target) return false;
  return (await disk.lstat(join(target.path, 'commondir')))?.kind === 'file';
}

/** S01/S02: repo-local signing config, only when a key exists (else every commit would fail). */
export const signingConfig: PostStep = async (c) => {
  const a = c.answers;
  if (a.signing === 'none' || !wrote(c, 'signing')) return null;
  const root = c.repositoryRoot ?? c.root;
  // How to enable it by hand: SECURITY.md says, where the project has one; else the commands themselves.
  const security = c.projectHas?.('security-md') !== false;
  // Without SECURITY.md the note carries the commands: one a line, indented, so the note stays
  // readable and each line can be copied as it is.
  const enable = (settings: [string, string][], first: string[] = []) => [...first, ...[...settings, ...signingSwitches].map(([key, value]) => `git config --local ${key} ${shellWord(value)}`)].map((line) => `\n    ${line}`).join('');
  const sshSettings = (linked: boolean): [string, string][] => [['gpg.format', 'ssh'], ['user.signingkey', expandHome(a.signingKey)], ['gpg.ssh.allowedSignersFile', linked ? sharedAllowedSignersFile : allowedSignersFile(root)]];
  const gpgSettings: [string, string][] = [['gpg.format', 'openpgp'], ...(a.signingKey ? [['user.signingkey', a.signingKey] as [string, string]] : [])];
  const ours = (linked = false) => (a.signing === 'ssh' ? sshSettings(linked) : gpgSettings);
  if (!c.git) return c.unlessConfigured ? null : { ok: true, skipped: true, note: `signing: skipped (--no-git); ${security ? 'see SECURITY.md to enable it' : `to enable it, run in the repository:${enable(ours())}`}` };
  // Repo-local config belongs to the repository; a parent repository's config is not ours to change.
  const top = await repositoryOf(c, root);
  // Nothing this run could set (the run that wrote the files said so): said again only with a file written.
  if (c.unlessConfigured && top !== 'top') return null;
  if (top === null) return { ok: true, skipped: true, note: `signing: no git repository; skipped${security ? ' (SECURITY.md explains how to enable it)' : `; to enable it, run git init, then:${enable(ours())}`}` };
  // This project's .allowed_signers is in its own folder, not at that root: SECURITY.md's
  // commands name it by "$PWD", so they are run here.
  if (top !== 'top') {
    const trust = a.signing === 'ssh' ? await otherTrustFile(c, root, top) : undefined;
    // A trust file the repository names already stays (SECURITY.md's command keeps it too): the
    // commands given here leave it out, and what to do about it follows them.
    const settings = ours().filter(([key]) => trust === undefined || key !== 'gpg.ssh.allowedSignersFile');
    const note = `signing: not configured, because git config is the whole repository's and this folder is inside the one at ${top}; enable it for the whole repository ${security ? `by running SECURITY.md's commands (Signed commits) in ${shellWord(root)}` : `by running:${enable(settings, [`cd ${shellWord(top)}`])}`}`;
    return { ok: true, note: trust === undefined ? note : `${note}${security ? '; ' : '\n  '}${trustNote(trust, root)}` };
  }
  const linked = await isLinkedWorktree(root, c.disk);
  const settings = ours(linked);
  const then = security ? 'follow SECURITY.md' : `run:${enable(settings)}`;
  // Read only where it decides something (add): create sets its own, with no git call to spare (issue #6).
  const current = new Map<string, string | undefined>();
  if (c.unlessConfigured || c.initRepository === false) for (const [key] of settings) current.set(key, (await git(['config', '--local', '--get', key], root))?.trim() || undefined);
  // add keeps a key, format or trust file the repository's owner set (below): theirs counts as set.
  const set = ([key, value]: [string, string]) => {
    const now = current.get(key);
    return now !== undefined && (now === value || expandHome(now) === value || c.initRepository === false);
  };
  if (c.unlessConfigured && settings.every(set)) {
    // git takes yes, on and 1 for true: a switch its owner turned on so is on.
    const on = async (key: string) => (await git(['config', '--local', '--type=bool', '--get', key], root))?.trim() === 'true';
    if ((await Promise.all(signingSwitches.map(([key]) => on(key)))).every(Boolean)) return null;
  }
  // A run that wrote nothing (add signing again) found what the last one did: said as such.
  const still = c.unlessConfigured ? ' still' : '';
  const notEnabled = c.unlessConfigured ? 'is still NOT enabled' : 'was NOT enabled';
  if (a.signing === 'ssh') {
    const key = expandHome(a.signingKey);
    if (!(await c.disk.lstat(key))) {
      // ssh-keygen's own default file is the default key only: the one answered is named. A run
      // once the key exists lists it in .allowed_signers (facts.ts) and sets the config, which is
      // shorter and surer than the file's and SECURITY.md's steps by hand.
      const privateKey = expandHome(a.signingKey.endsWith('.pub') ? a.signingKey.slice(0, -'.pub'.length) : a.signingKey);
      const signers = shellWord(posix.relative(c.root, allowedSignersFile(root)));
      const again = c.again ?? 'run this command again';
      const found = `${a.signingKey}${still} not found, so commit signing ${notEnabled}`;
      return { ok: false, note: `signing: ${found}; make the key, then ${again} to list it in ${signers} and turn signing on:\n    ssh-keygen -t ed25519 -f ${shellWord(privateKey)}` };
    }
    // As for a missing key: with commit.gpgsign on and a file git cannot sign with, every commit
    // in the repository would fail ("failed to write commit object").
    if (!(await isSshKeyFile(key, c.disk))) return { ok: false, note: `signing: ${a.signingKey} is${still} not an SSH key (neither a public key line nor a private key), so commit signing ${notEnabled}; give your key's file (ssh-keygen -t ed25519 makes one) and ${then}` };
  } else {
    if (!(await has('gpg', c.root))) return { ok: false, note: `signing: gpg is${still} not installed, so commit signing ${notEnabled}; install GnuPG and ${then}` };
    // As for an SSH key above: with commit.gpgsign on and no secret key to sign with, every
    // commit in the repository would fail ("gpg failed to sign the data").
    const secret = await runQuick('gpg', ['--batch', '--with-colons', '--list-secret-keys', ...(a.signingKey ? [a.signingKey] : [])], c.root);
    if (secret?.exitCode !== 0 || !/^sec:/m.test(secret.stdout)) {
      const which = a.signingKey ? `secret key ${a.signingKey}` : 'secret key';
      return { ok: false, note: `signing: your GPG keyring${still} has no ${which}, so commit signing ${notEnabled}; create or import one (gpg --full-generate-key) and ${then}` };
    }
  }
  // add works in a repository that may sign already: a key, format or trust file its owner set in
  // its config is theirs, kept and named, not replaced by ours (update and create set ours).
  const kept: string[] = [];
  if (c.initRepository === false) {
    for (const [key, value] of [...settings]) {
      const theirs = current.get(key);
      if (!theirs || theirs === value || expandHome(theirs) === value) continue;
      kept.push(`${key} = ${theirs} (ours: ${value})`);
      settings.splice(settings.findIndex(([k]) => k === key), 1);
    }
  }
  // create and update set ours over a repository's own trust list no more than add does (above):
  // one named already is kept, unless it is gone or is a checkout's generated one (this project's
  // .allowed_signers in another worktree or clone), which ours replaces, saying so when it is gone.
  let replaced = '';
  const trust = settings.find(([key]) => key === 'gpg.ssh.allowedSignersFile');
  if (c.initRepository !== false && trust && !c.madeRepository) {
    const value = await localTrustFile(root);
    const theirs = value ? await trustFileKind(value, trust[1], root, c.disk) : 'ours';
    if (theirs === 'user') {
      kept.push(`${trust[0]} = ${value} (ours: ${trust[1]})`);
      settings.splice(settings.indexOf(trust), 1);
    } else if (theirs === 'gone') replaced = `; it replaced gpg.ssh.allowedSignersFile ${value}, which does not exist`;
  }
  settings.push(...signingSwitches);
  for (const [key, value] of settings) {
    if ((await git(['config', '--local', key, value], root)) === null) return { ok: false, note: `signing: git config ${key} failed` };
  }
  if (kept.length > 0) {
    return { ok: true, note: `signing: commits and tags are signed (repo-local git config), keeping this repository's own ${kept.join(', ')}; to use ours, git config --local each of them` };
  }
  const shared = linked ? `, which this linked worktree shares with the repository's other worktrees${a.signing === 'ssh' ? ', each verifying with its own .allowed_signers' : ''}` : '';
  return { ok: true, note: `signing: commits and tags are signed with ${a.signing} (repo-local git config${shared})${replaced}` };
};

/** The repository's own gpg.ssh.allowedSignersFile as git reads it (--type=path expands "~/"); undefined when unset. */
async function localTrustFile(root: string): Promise<string | undefined> {
  return (await git(['config', '--local', '--type=path', '--get', 'gpg.ssh.allowedSignersFile'], root))?.replace(/\r?\n$/, '') || undefined;
}

/** Where `path` leads through links, or itself when it leads nowhere: two names of one file compare equal. */
function realOr(path: string, disk: Disk): Promise<string> {
  return disk.realpath(path).catch(() => path);
}

/** Whether `path` leads, through links, to a regular file. */
async function leadsToFile(path: string, disk: Disk): Promise<boolean> {
  return (await disk.realpath(path).then((r) => disk.lstat(r), () => null))?.kind === 'file';
}

/**
 * What the file a repository's gpg.ssh.allowedSignersFile names (`value`, read from `root`, a
 * worktree's top, as git reads a relative one) is, against ours: 'ours' (the same file, or a
 * checkout's generated .allowed_signers, beside its .git), 'gone' (no file), or 'user' (theirs).
 */
async function trustFileKind(value: string, ours: string, root: string, disk: Disk): Promise<'ours' | 'gone' | 'user'> {
  const path = posix.resolve(root, value);
  if ((await realOr(path, disk)) === (await realOr(posix.resolve(root, ours), disk))) return 'ours';
  if (!(await leadsToFile(path, disk))) return 'gone';
  return posix.basename(path) === '.allowed_signers' && (await disk.lstat(posix.join(posix.dirname(path), '.git'))) ? 'ours' : 'user';
}

/** The trust file a repository's config names for `git verify-commit`, when it is not a service's own. */
interface OtherTrustFile {
  /** As git config has it (what the user set), and where git reads it. */
  value: string;
  path: string;
  /** The service's trust lines the file lacks (null: it does not exist). */
  unlisted: string[] | null;
}

/**
 * For a service in a folder of the repository at `top`: the file the repository's
 * gpg.ssh.allowedSignersFile already names, when that is not the service's own .allowed_signers
 * (undefined: unset, or the service's own). git reads one such file for the whole repository, so
 * pointing it at this service's would have `git verify-commit` and `git log --show-signature` stop
 * trusting the signers of every other service that set it up before.
 */
async function otherTrustFile(c: PostStepContext, root: string, top: string): Promise<OtherTrustFile | undefined> {
  const value = await localTrustFile(root);
  if (!value) return undefined;
  // git runs ssh-keygen from the worktree's top folder, which a relative value is read from.
  const path = posix.resolve(top, value);
  const own = allowedSignersFile(root);
  if ((await realOr(path, c.disk)) === (await realOr(own, c.disk))) return undefined;
  if (!(await leadsToFile(path, c.disk))) return { value, path, unlisted: null };
  const theirs = await c.disk.readFile(path).then((b) => b.toString('utf8'), () => '');
  const mine = await c.disk.readFile(own).then((b) => b.toString('utf8'), () => '');
  return { value, path, unlisted: signerLines(mine).filter((line) => !line.principals.every((p) => trusts(theirs, p, line.key))).map((line) => line.text) };
}

/** The trust lines of an allowed-signers text: each with its principals and its `<keytype> <base64>`. */
function signerLines(text: string): { text: string; principals: string[]; key: string }[] {
  return text.split(/\r?\n/).flatMap((raw) => {
    const text = raw.trim();
    const fields = text.split(/\s+/);
    const at = fields.findIndex((field, i) => i > 0 && /^(?:ssh|ecdsa|sk)-/.test(field));
    if (text === '' || text.startsWith('#') || at < 0 || fields[at + 1] === undefined) return [];
    return [{ text, principals: fields[0]!.split(','), key: `${fields[at]} ${fields[at + 1]}` }];
  });
}

/** What to do about the trust file the repository's config names already (otherTrustFile), in a note. */
function trustNote(trust: OtherTrustFile, root: string): string {
  const named = `the repository's gpg.ssh.allowedSignersFile already names ${trust.value}`;
  if (trust.unlisted === null) {
    return `${named}, which does not exist, so git verify-commit trusts no key; to point it at this folder's .allowed_signers instead:\n    git config --local gpg.ssh.allowedSignersFile ${shellWord(allowedSignersFile(root))}`;
  }
  const kept = 'git reads that one file for the whole repository, so it is kept (repointed, it would no longer trust the signers it lists)';
  if (trust.unlisted.length === 0) return `${named}, which lists this service's signers too: ${kept}`;
  // scripts/verify-signatures.sh passes its own file to git: CI is right either way, this is for local git.
  const add = trust.unlisted.map((line) => `\n    printf '%s\\n' ${shellWord(line)} >> ${shellWord(trust.path)}`).join('');
  return `${named}: ${kept}; for git verify-commit and git log --show-signature to trust this service's signers, add its .allowed_signers lines to that file and commit it (scripts/verify-signatures.sh reads this folder's own either way):${add}`;
}

/**
 * `update --signing none` after signing was set up: the repo-local settings S01 wrote would keep
 * every commit signed, with verification pointed at the .allowed_signers the update removed. Only
 * values S01 writes are unset, and the note says which, and how to turn signing back on.
 */
export const signingOff: PostStep = async (c) => {
  if (c.answers.signing !== 'none' || !c.git) return null;
  const root = c.repositoryRoot ?? c.root;
  if ((await repositoryOf(c, root)) !== 'top') return null;
  const local = async (key: string) => (await git(['config', '--local', '--get', key], root))?.trim();
  const signers = (await isLinkedWorktree(root, c.disk)) ? sharedAllowedSignersFile : allowedSignersFile(root);
  const ours: [string, string][] = [...signingSwitches, ['gpg.ssh.allowedSignersFile', signers]];
  const unset: string[] = [];
  for (const [key, value] of ours) {
    if ((await local(key)) !== value) continue;
    if ((await git(['config', '--local', '--unset', key], root)) === null) return { ok: false, note: `signing: git config --unset ${key} failed; run it yourself` };
    unset.push(key);
  }
  return unset.length === 0 ? null : { ok: true, note: `signing: turned off in this repository's git config (--signing none): unset ${unset.join(', ')}; to sign again, update with --signing ssh or gpg` };
};

/**
 * The production files take the image only by digest (N02: the Nomad job's `image` variable,
 * compose.prod.yaml's IMAGE), which exists once an image is built and pushed; validating them
 * needs a value of that form, and this one names no real image.
 */
const exampleImage = (c: PostStepContext) => `registry.example.com/${c.answers.name}@sha256:${'0'.repeat(64)}`;

/**
 * Real linters and validators, used when installed (CI images often have them). Each runs only on
 * files this run wrote (`args` empty: nothing to check). `probe` is for a program whose presence on
 * PATH is not enough (docker without its compose plugin); `env` for what the files require of it.
 */
const optionalValidators: { program: string; probe?: string[]; args: (c: PostStepContext) => string[]; env?: (c: PostStepContext) => Record<string, string>; what: string }[] = [
  { program: 'hadolint', args: (c) => (present(c, 'docker', 'dockerfile') ? ['Dockerfile'] : []), what: 'Dockerfile' },
  {
    program: 'shellcheck',
    args: (c) => [
      ...(present(c, 'docker', 'build-image') ? ['scripts/build-image.sh'] : []),
      ...(present(c, 'signing', 'verify-signatures') && c.answers.signing !== 'none' ? [posix.relative(c.root, posix.join(c.repositoryRoot ?? c.root, 'scripts/verify-signatures.sh'))] : []),
    ],
    what: 'scripts',
  },
  {
    program: 'docker',
    probe: ['compose', 'version'],
    args: (c) => (present(c, 'compose', 'compose') ? ['compose', '-f', 'compose.yaml', ...(present(c, 'compose', 'compose-prod') ? ['-f', 'compose.prod.yaml'] : []), 'config', '--quiet'] : []),
    // compose.prod.yaml's `${IMAGE:?…}` stops `config` when IMAGE is unset.
    env: (c) => ({ IMAGE: exampleImage(c) }),
    what: 'compose files',
  },
  // Without a value for its `image` variable (no default, by design) the job does not parse.
  { program: 'nomad', args: (c) => (present(c, 'nomad', 'nomad-job') ? ['job', 'validate', '-var', `image=${exampleImage(c)}`, `deploy/nomad/${c.answers.name}.nomad.hcl`] : []), what: 'Nomad job' },
];

/**
 * Whether `path` holds an SSH key git can sign with (git's user.signingKey): one public key line,
 * as ssh-keygen writes the .pub, or a private key. Followed through a link (a key kept in a
 * dotfiles folder); the first 64 KiB are enough for either.
 */
async function isSshKeyFile(path: string, disk: Disk): Promise<boolean> {
  try {
    const real = await disk.realpath(path);
    if ((await disk.lstat(real))?.kind !== 'file') return false;
    const text = (await disk.readFile(real)).subarray(0, 65536).toString('utf8').trim();
    return /^(?:ssh|ecdsa|sk)-[A-Za-z0-9@.-]+ [A-Za-z0-9+/=]+(?: [^\n]*)?$/.test(text) || /^-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text);
  } catch {
    return false;
  }
}

/** An output this run's part wrote that the project has: one the user deleted or moved away is not checked (the checker would report it missing). */
const present = (c: PostStepContext, part: PartId, outputId: string): boolean => wrote(c, part) && c.projectHas?.(outputId) !== false;

const validators: PostStep[] = optionalValidators.map((v) => async (c) => {
  const args = v.args(c);
  if (args.length === 0) return null;
  if (!(await has(v.program, c.root, v.probe))) return { ok: true, skipped: true, note: `${v.program}: not available; skipped checking the ${v.what}` };
  const result = await run(v.program, args, c.root, v.env?.(c));
  return result?.exitCode === 0
    ? { ok: true, note: `${v.program}: ${v.what} OK` }
    : { ok: false, note: `${v.program} reported problems in the ${v.what}: ${firstLine(result?.stderr || result?.stdout)}` };
});

/** The steps in order; a `check` only reads what the steps before it made. */
export const postSteps: { label: string; step: PostStep; check?: true; done?: string }[] = [
  { label: 'Generating backing-service passwords', step: seedServiceSecrets, done: 'passwords' },
  { label: 'Initialising git', step: gitInit, done: 'git init' },
  { label: 'Configuring commit signing', step: signingConfig, done: 'signing' },
  ...validators.map((step, i) => ({ label: `Checking with ${optionalValidators[i]!.program}`, step, check: true as const })),
];

export async function runPostSteps(c: PostStepContext): Promise<StepOutcome[]> {
  const outcomes: StepOutcome[] = [];
  progress.stepsLeft = postSteps.flatMap((s) => (s.done ? [s.done] : []));
  for (const { label, step, check, done } of postSteps) {
    // Without this, a Ctrl-C during git init was handled only once a check waited on its program,
    // and its message then said that only the checks were left.
    await nextTurn();
    // An interruption from here on leaves nothing undone but the checks: its message says so.
    if (check) progress.checking = true;
    const outcome = await c.ui.step(label, () => step(c), verdictOf);
    if (outcome) outcomes.push(outcome);
    if (done) {
      progress.stepsDone.push(done);
      progress.stepsLeft = progress.stepsLeft.filter((s) => s !== done);
    }
  }
  return outcomes;
}

/** How the spinner ends for a step's outcome (null: the step had nothing to do). */
export function verdictOf(outcome: StepOutcome | null): StepVerdict {
  if (outcome === null) return 'nothing';
  return outcome.skipped ? 'skipped' : outcome.ok ? 'done' : 'failed';
}

function firstLine(text: string | undefined): string {
  return (text ?? '').trim().split('\n')[0] ?? '';
}
