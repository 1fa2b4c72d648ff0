/**
 * Whether a `.git` folder is a repository, as git itself decides (setup.c's is_git_directory): a
 * HEAD that names a ref or an object, an objects/ folder and a refs/ folder. git init makes refs/,
 * HEAD and config before objects/, so one stopped half-way (Ctrl-C, a full disk) leaves a `.git`
 * that git passes over as if it were not there: its commands then act on a repository above it, or
 * fail. Commands that would act on such a folder stop and say so instead (src/post-steps.ts,
 * src/add/locate.ts, src/commands/update.ts); `check` reports it (src/check/signing.ts).
 */
import { relative } from 'node:path';
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

/** What keeps git from taking the folder for a repository ("no HEAD"), or undefined when nothing does. */
export function gitDirGap(parts: GitDirParts): string | undefined {
  if (parts.head === undefined) return 'no HEAD';
  if (parts.head !== '' && !/^(ref: refs\/\S|[0-9a-f]{40}(?:[0-9a-f]{24})?\s*$)/.test(parts.head)) return 'its HEAD names no branch or commit';
  if (!parts.objects) return 'no objects folder';
  if (!parts.refs) return 'no refs folder';
  return undefined;
}

/** The one line for an incomplete `.git` in `folder`; both paths shown relative to the current folder when under it. */
export function incompleteRepository(folder: string, gap: string): string {
  const shown = shownPath(folder);
  const dotGit = shown === '.' ? '.git' : `${shown.replace(/\/$/, '')}/.git`;
  return `${dotGit} is not a complete git repository (${gap}; an interrupted git init leaves one like it), so git passes over it: run git init in ${shown} to complete it (that keeps what is there), or remove ${dotGit} if nothing of yours is in it, then run again`;
}

function shownPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return printable(rel === '' ? '.' : rel.startsWith('..') ? path : rel);
}
