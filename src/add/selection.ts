/**
 * What `add <part>...` writes. The `app` seed is never added to an existing repository (it has its
 * own application). `all` is every other part, `project` included. A single part brings the
 * project files it depends on: every part but `signing` adds the `.gitignore` entries that keep
 * secrets, env files and build output out of git, and `compose` also adds the secrets/ convention
 * (secrets/README.md, secrets/<name>.env, <name>.env.example), because compose.yaml reads
 * secrets/<name>.env. SECURITY.md comes with `all` or `project`.
 */
import { closestName } from '../edit-distance.js';
import { UserError } from '../errors.js';
import { parts, type Part, type PartId } from '../parts/index.js';
import type { RenderedFile } from '../render/index.js';

export const addableParts = ['docker', 'compose', 'nomad', 'vault', 'signing', 'project'] as const satisfies readonly PartId[];
export type AddablePart = (typeof addableParts)[number];

/** Project-part outputs each part brings along (by output ID). */
const supportFiles: Record<AddablePart, string[]> = {
  docker: ['gitignore'],
  compose: ['gitignore', 'secrets-readme', 'env-example', 'secrets-env'],
  nomad: ['gitignore'],
  vault: ['gitignore'],
  signing: [],
  project: [],
};

/** Whether a project-part output is one that other parts bring along (so its presence does not mean the project part was added whole). */
export function isSupportFile(id: string): boolean {
  return Object.values(supportFiles).some((ids) => ids.includes(id));
}

/**
 * How a file the user already has takes our content: `lines` appends only the missing entries in
 * one marked block (line-sets.ts), `block` keeps our whole text in one marked block (markers.ts).
 * Any other output that exists with other content is a conflict the user decides.
 */
export const existingFileKinds: Record<string, 'lines' | 'block'> = {
  gitignore: 'lines',
  dockerignore: 'lines',
  'allowed-signers': 'lines',
  'security-md': 'block',
};

/** Parts that are the repository's, not one service's: in a monorepo they go to its root. */
export const repositoryParts: readonly PartId[] = ['signing'];

export interface Selection {
  requested: AddablePart[];
  /** Parts to render (the project part whenever a support file is needed). */
  render: Part[];
  /** Whether a rendered file (an output, by ID and part) is written by this run. */
  includes(file: Pick<RenderedFile, 'id' | 'part'>): boolean;
}

function didYouMean(word: string): string {
  const meant = closestName(word, [...addableParts, 'all']);
  return meant === undefined ? '' : ` (did you mean ${meant}?)`;
}

export function selectParts(words: readonly string[]): Selection {
  if (words.length === 0) {
    throw new UserError(`add needs at least one part; usage: create-secure-service add <${[...addableParts, 'all'].join('|')}>... (e.g. add nomad vault)`);
  }
  const requested = new Set<AddablePart>();
  for (const word of words) {
    if (word === 'all') addableParts.forEach((p) => requested.add(p));
    else if ((addableParts as readonly string[]).includes(word)) requested.add(word as AddablePart);
    else if (word === 'app') throw new UserError('add app: the app seed is only for new services (create); add writes the container, deployment and signing files around your own application');
    else throw new UserError(`add: unknown part "${word}"${didYouMean(word)}; choose from ${[...addableParts, 'all'].join(', ')}`);
  }
  const list = addableParts.filter((p) => requested.has(p));
  const support = new Set(list.flatMap((p) => supportFiles[p]));
  const wanted = new Set<PartId>([...list, ...(support.size > 0 ? (['project'] as const) : [])]);
  return {
    requested: list,
    render: parts.filter((p) => wanted.has(p.id)),
    includes: (file) => requested.has(file.part as AddablePart) || (file.part === 'project' && support.has(file.id)),
  };
}
