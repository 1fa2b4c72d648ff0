/**
 * Whether a `.git` folder is a repository, as git itself decides (setup.c's is_git_directory): a
 * HEAD that names a ref or an object, an objects/ folder and a refs/ folder. git init makes refs/,
 * HEAD and config before objects/, so one stopped half-way (Ctrl-C, a full disk) leaves a `.git`
 * that git passes over as if it were not there: its commands then act on a repository above it, or
 * fail. Commands that would act on such a folder stop and say so instead (src/post-steps.ts,
 * src/add/locate.ts, src/commands/update.ts); `check` reports it (src/check/signing.ts). Only the
 * project folder's own stops them: one above it git passes over, and so do they. A `.git` file (a
 * linked worktree's, a submodule's) naming no repository git can use is different: git stops at it
 * wherever it is, and so do they.
 */
import { relative, resolve } from 'node:path';
import { printable } from './ui.js';

/** Variables that change how git finds a repository: where one is set, git itself is asked. */
export const gitDiscoveryEnv = ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_CEILING_DIRECTORIES', 'GIT_DISCOVERY_ACROSS_FILESYSTEM', 'GIT_COMMON_DIR', 'GIT_OBJECT_DIRECTORY'];

/** What the parts of a `.git` folder are: a part that is missing is undefined. */
export interface GitDirParts {
  /** HEAD's text ('' for a symbolic link, which git accepts when it points into refs/). */
  head: string | undefined;
  objects: boolean;
  refs: boolean;
}

/**
 * The repository a `.git` file names (a linked worktree's, a submodule's), read as git reads it
 * (setup.c's read_gitfile_gently): `gitdir: ` from the first byte, the rest up to the trailing line
 * ends, relative to the folder holding the file. A file that names none stops every git command
 * under it, whatever lies above: git does not look further.
 */
export function gitFileTarget(text: string, folder: string): { path: string } | { gap: string } {
  if (!text.startsWith('gitdir: ')) return { gap: 'it holds no "gitdir: <path>" line' };
  const named = text.slice('gitdir: '.length).replace(/[\r\n]+$/, '');
  return named === '' ? { gap: 'its gitdir: line names no folder' } : { path: resolve(folder, named) };
}

/**
 * The folder (a linked worktree's) whose objects/ and refs/ git looks for in place of the
 * repository's own: `commondir` in it names the main repository, relative to it (setup.c's get_common_dir).
 */
export function commonDir(gitDir: string, commondir: string | undefined): string {
  const named = commondir?.replace(/[\r\n]+$/, '');
  return named ? resolve(gitDir, named) : gitDir;
}

/**
 * The one line for a `.git` file in `folder` that names no usable repository (`named`: the one it
 * names). git worktree repair, run in a repository that moved, finds its worktrees again.
 */
export function brokenGitFile(folder: string, gap: string, named?: string, tail = ', then run again'): string {
  const shown = shownPath(folder);
  const dotGit = shown === '.' ? '.git' : `${shown.replace(/\/$/, '')}/.git`;
  const here = shown === '.' ? 'this folder' : shown;
  const leave = `or remove ${dotGit} if ${here} is no longer a worktree or submodule${tail}`;
  if (named === undefined) return `${dotGit} is a file that names no repository (${gap}), so every git command in ${here} fails: write the repository's path into it as gitdir: <path>, ${leave}`;
  // Named in full: relative to here, the path would read as if the file said it so.
  return `${dotGit} is a file naming the repository ${printable(named)} (as a linked worktree's or a submodule's does), which ${gap}, so every git command in ${here} fails: if that repository moved, run git worktree repair ${printable(folder)} in it, ${leave}`;
}

/** What keeps git from taking the folder for a repository ("no HEAD"), or undefined when nothing does. */
export function gitDirGap(parts: GitDirParts): string | undefined {
  if (parts.head === undefined) return 'no HEAD';
  if (parts.head !== '' && !/^(ref: refs\/\S|[0-9a-f]{40}(?:[0-9a-f]{24})?\s*$)/.test(parts.head)) return 'its HEAD names no branch or commit';
  if (!parts.objects) return 'no objects folder';
  if (!parts.refs) return 'no refs folder';
  return undefined;
}

/** The one line for an incomplete `.git` in `folder`; both paths shown relative to the current folder when under it. */
export function incompleteRepository(folder: string, gap: string, tail = ', then run again'): string {
  const shown = shownPath(folder);
  const dotGit = shown === '.' ? '.git' : `${shown.replace(/\/$/, '')}/.git`;
  return `${dotGit} is not a complete git repository (${gap}; an interrupted git init leaves one like it), so git passes over it: run git init in ${shown} to complete it (that keeps what is there), or remove ${dotGit} if nothing of yours is in it${tail}`;
}

/** A path as the user can find it: relative to the current folder when under it, else absolute. */
export function shownPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return printable(rel === '' ? '.' : rel.startsWith('..') ? path : rel);
}
