/**
 * Where `add` writes: the service folder (`--dir`, else the current folder), which must exist, and
 * the repository root (git's top level, else the service folder), where the repository-wide parts
 * go. In a monorepo (`--dir services/api`) they differ: the service's files go to its folder, the
 * signing files to the root. Both are real paths, so the service's path inside the repository is
 * a plain relative path.
 */
import { resolve } from 'node:path';
import { posix } from 'node:path';
import type { Disk } from '../disk.js';
import { UserError } from '../errors.js';
import { locateRepository } from '../post-steps.js';
import { hiddenPlace } from '../target.js';
import { git } from '../tools.js';

export interface Location {
  /** The service folder (real path). */
  service: string;
  /** The repository root (real path); equal to `service` outside a monorepo. */
  repository: string;
  /** The service folder relative to the repository root; '' when they are the same. */
  prefix: string;
}

export async function locate(dir: string | undefined, disk: Disk): Promise<Location> {
  const given = resolve(dir ?? '.');
  const entry = await disk.lstat(given);
  const shown = dir ?? given;
  if (entry === null) throw new UserError(`--dir ${shown}: no such folder; add works in an existing project (to start a new service, run create-secure-service ${shown})`);
  if (entry.kind === 'symlink') throw new UserError(`--dir ${shown} is a symbolic link; give the real folder instead`);
  if (entry.kind !== 'dir') throw new UserError(`--dir ${shown} is not a folder; give the service's folder`);
  const service = await disk.realpath(given);
  const hidden = hiddenPlace(service);
  if (hidden) throw new UserError(`--dir ${shown} ${hidden}; add to a project outside it`);
  // git passes over a half-made .git (an interrupted git init) and finds the repository above it,
  // whose root would get this service's signing files and config: stopped, with what to do.
  await locateRepository(service, disk);
  const top = (await git(['rev-parse', '--show-toplevel'], service))?.trim();
  const repository = top ? await disk.realpath(top).catch(() => top) : service;
  const prefix = posix.relative(repository, service);
  // Outside the repository (should not happen), or the same folder: one place for everything.
  if (prefix === '' || prefix.startsWith('..') || posix.isAbsolute(prefix)) return { service, repository: service, prefix: '' };
  return { service, repository, prefix };
}
