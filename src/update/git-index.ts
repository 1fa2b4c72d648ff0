/**
 * Conflicts written into files are also recorded in git's index, as copier does and as a real
 * `git merge` leaves them: stage 1 the base, 2 the user's file, 3 the new render. `git status`
 * lists the files as "both modified", `git commit` refuses until each is resolved and `git add`ed,
 * and editors and `git mergetool` offer their merge views.
 */
import { access, readFile, realpath, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { Disk } from '../disk.js';
import { gitDirGap, gitDiscoveryEnv, shownPath } from '../git-dir.js';
import { gitDirParts } from '../post-steps.js';

export interface UnmergedFile {
  /** Project-relative path. */
  path: string;
  mode: number;
  base?: string;
  ours: string;
  theirs: string;
}

/** One line for the summary, or undefined when the project is not in a git repository (or git is missing). */
export async function markUnmerged(root: string, files: UnmergedFile[]): Promise<string | undefined> {
  const { execa } = await import('execa');
  const git = (args: string[], input?: string) =>
    execa('git', args, { cwd: root, reject: false, ...(input === undefined ? { stdin: 'ignore' as const } : { input }), env: { GIT_TERMINAL_PROMPT: '0' } });
  const top = await git(['rev-parse', '--show-toplevel']);
  if (top.exitCode !== 0) return undefined;
  const projectRoot = await realpath(root);
  const records: string[] = [];
  let hashLength = 40;
  for (const file of files) {
    const path = relative(String(top.stdout).trim(), join(projectRoot, file.path)).split(sep).join('/');
    const mode = file.mode & 0o111 ? '100755' : '100644';
    const stages: [number, string | undefined][] = [[1, file.base], [2, file.ours], [3, file.theirs]];
    const entries: string[] = [];
    for (const [stage, content] of stages) {
      if (content === undefined) continue;
      // --path applies the repository's attributes (eol, filters) as `git add` would.
      const blob = await git(['hash-object', '-w', '--stdin', `--path=${path}`], content);
      if (blob.exitCode !== 0) return `git: could not record the conflicts in the index (${firstLine(String(blob.stderr))}); resolve the markers in the files`;
      const sha = String(blob.stdout).trim();
      hashLength = sha.length;
      entries.push(`${mode} ${sha} ${stage}\t${path}`);
    }
    // A mode-0 entry removes the path's stage-0 entry first, so the stages can take its place.
    records.push(`0 ${'0'.repeat(hashLength)}\t${path}`, ...entries);
  }
  const result = await git(['update-index', '-z', '--index-info'], records.map((r) => `${r}\0`).join(''));
  if (result.exitCode !== 0) return `git: could not record the conflicts in the index (${firstLine(String(result.stderr))}); resolve the markers in the files`;
  return `git: ${files.length} file(s) marked as unmerged in the index; resolve each, then git add it`;
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0] ?? '';
}

/** Git's records of an operation that stops for the user to resolve conflicts, with how to end each. */
const operations: [state: string, what: string, end: string][] = [
  ['MERGE_HEAD', 'a git merge', 'resolve it and git commit, or git merge --abort'],
  ['rebase-merge', 'a git rebase', 'git rebase --continue until it is done, or git rebase --abort'],
  ['rebase-apply', 'a git rebase or am', 'git rebase --continue (git am --continue) until it is done, or --abort'],
  ['CHERRY_PICK_HEAD', 'a git cherry-pick', 'git cherry-pick --continue, or git cherry-pick --abort'],
  ['REVERT_HEAD', 'a git revert', 'git revert --continue, or git revert --abort'],
];

/**
 * The git operation in progress in the project's repository, as one line, or undefined (none, not
 * a repository, no git). Its conflicts, and the index stages it keeps for them, are the user's to
 * resolve: an update merging into the same files (or marking its own conflicts over those stages)
 * would mix the two, so it waits.
 */
export async function gitOperationInProgress(root: string, disk: Disk): Promise<string | undefined> {
  const found = await operationRecords(root, disk);
  if (found === undefined) return undefined;
  for (const [i, [, what, end]] of operations.entries()) {
    const path = found[i];
    // Named as the user can find it from where they ran update (--dir may name another folder, and
    // the record may be in a repository above or a linked worktree's git folder).
    if (path && (await access(path).then(() => true, () => false))) return `${what} is in progress in this repository (${shownPath(path)}); ${end}`;
  }
  return undefined;
}

/**
 * Where git keeps each operation's record for this project (as `git rev-parse --git-path` names
 * them; absolute paths), or undefined outside a repository. Found as git's own
 * discovery finds the repository: a `.git` folder, or a `.git` file naming one (a linked worktree,
 * whose records are its own), from root upwards. Loading execa and starting git for it cost every
 * update ~30 ms (issue #6); when the environment changes how git discovers repositories, git
 * itself is asked.
 */
async function operationRecords(root: string, disk: Disk): Promise<string[] | undefined> {
  if (gitDiscoveryEnv.some((name) => process.env[name] !== undefined)) {
    const { execa } = await import('execa');
    const paths = await execa('git', ['rev-parse', ...operations.flatMap(([state]) => ['--git-path', state])], { cwd: root, reject: false, stdin: 'ignore', env: { GIT_TERMINAL_PROMPT: '0' } });
    // git names them relative to root (its working folder here).
    return paths.exitCode === 0 ? String(paths.stdout).split('\n').map((p) => (p.trim() ? resolve(root, p.trim()) : '')) : undefined;
  }
  const real = await realpath(root);
  const gitDir = await gitDirFrom(real, disk);
  if (gitDir === undefined) return undefined;
  return operations.map(([state]) => join(gitDir, state));
}

async function gitDirFrom(dir: string, disk: Disk): Promise<string | undefined> {
  for (let d = dir; ; d = dirname(d)) {
    const dotGit = join(d, '.git');
    // Followed, as git stat()s it: a link to nothing is no .git, and git looks on above it.
    const kind = await stat(dotGit).then((st) => (st.isDirectory() ? 'dir' : st.isFile() ? 'file' : 'other'), () => undefined);
    // A half-made one (an interrupted git init) git passes over, looking on above it: the
    // operation in progress would be the repository's above. (The project's own stopped update already.)
    if (kind === 'dir' && !gitDirGap(await gitDirParts(dotGit, disk))) return dotGit;
    if (kind === 'file') {
      // `gitdir: <path>`, relative to the folder holding the file (gitrepository-layout(5)).
      const named = /^gitdir: (.+?)\r?$/m.exec(await readFile(dotGit, 'utf8').catch(() => ''))?.[1];
      return named === undefined ? undefined : resolve(d, named);
    }
    if (dirname(d) === d) return undefined;
  }
}
