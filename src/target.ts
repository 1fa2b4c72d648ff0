/**
 * The folder `create` writes into, checked before any question is asked (a bad path should not
 * cost the user nineteen answers) and given as a real path. Symbolic links among the folders above
 * it are the user's own layout (a home on another disk) and are followed; a link as the folder
 * itself is refused, as is a path through a file. Synchronous node:fs: this runs before the first
 * question, where loading the writer's modules would cost time (issue #6).
 */
import { existsSync, lstatSync, realpathSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { UserError } from './errors.js';

type Kind = 'dir' | 'symlink' | 'other' | null;

function kindOf(path: string): Kind {
  try {
    const s = lstatSync(path);
    return s.isDirectory() ? 'dir' : s.isSymbolicLink() ? 'symlink' : 'other';
  } catch (error) {
    // ENOTDIR: a folder on the way is a file, which the walk upwards finds and names.
    if (['ENOENT', 'ENOTDIR'].includes((error as NodeJS.ErrnoException).code ?? '')) return null;
    throw error;
  }
}

export function targetFolder(path: string): string {
  const folder = resolveTarget(path);
  const hidden = hiddenPlace(folder);
  if (hidden) throw new UserError(`${folder} ${hidden}; choose a directory outside it`);
  return folder;
}

/**
 * Why files written at path would never reach a commit, if they would not: it is in a .git folder
 * (git's own store), or in a generated project's secrets/ (its .gitignore leaves out secrets/*,
 * its .dockerignore the whole folder) or .secure-service/ (the tool's record of that project,
 * which update rewrites). A service made there works today and is gone with the next clone.
 */
export function hiddenPlace(path: string): string | undefined {
  for (let dir = path; ; dir = dirname(dir)) {
    const name = basename(dir);
    const project = dirname(dir);
    const is = dir === path ? 'is' : `is in ${dir},`;
    // A work tree of its own (a linked worktree some keep under .git/, a clone) is committed there.
    if (name !== '.git' && existsSync(join(dir, '.git'))) return undefined;
    if (name === '.git') return `${is} git's own folder, which no commit holds`;
    if (name === 'secrets' && existsSync(join(project, '.secure-service', 'manifest.json'))) return `${is} the secrets folder of the project in ${project}, which its .gitignore and .dockerignore leave out`;
    if (name === '.secure-service' && existsSync(join(dir, 'manifest.json'))) return `${is} the record create-secure-service keeps of the project in ${project}`;
    if (project === dir) return undefined;
  }
}

function resolveTarget(path: string): string {
  const own = kindOf(path);
  if (own === 'symlink') {
    const real = linkTarget(path);
    throw new UserError(real === undefined ? `${path} is a symbolic link that points nowhere; give a real directory instead` : `${path} is a symbolic link to ${real}; give the real directory instead`);
  }
  if (own === 'other') throw new UserError(`${path} exists and is not a directory; choose another directory name`);
  if (own === 'dir') return path;
  const rest = [basename(path)];
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    const kind = kindOf(dir);
    if (kind === 'other') throw new UserError(`${dir} is a file, not a folder, so ${path} cannot be made there; choose another directory`);
    if (kind === 'symlink') {
      const real = linkTarget(dir);
      if (real === undefined) throw new UserError(`${dir} is a symbolic link that points nowhere, so ${path} cannot be made there; choose another directory`);
      if (kindOf(real) !== 'dir') throw new UserError(`${dir} is a symbolic link to ${real}, which is not a folder, so ${path} cannot be made there; choose another directory`);
    }
    if (kind !== null) return join(realpathSync(dir), ...rest);
    if (dirname(dir) === dir) return path;
    rest.unshift(basename(dir));
  }
}

/** Where a symbolic link leads in the end; undefined when it points nowhere (or loops). */
function linkTarget(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}
