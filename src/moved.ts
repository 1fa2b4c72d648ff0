/**
 * Where a generated file the user moved went. No command follows a moved file (the manifest keeps
 * one path per output, the one the templates render), but a file missing at its path may well be
 * at another: `update` then says where, instead of calling it deleted without a word, and `create`
 * and `add` do not write a second copy at the old path.
 *
 * A candidate has the missing file's name in any case (or one it is read by as well: sameFileNames), and at
 * least half its lines in common with what was last generated (git's default rename threshold is the same 50%). The search skips what cannot
 * hold a moved source file (`.git`, dependencies, the tool's own state), symbolic links, and other
 * generated projects inside this one, and gives up past a bound, so a large repository does not
 * slow every update down.
 */
import { posix } from 'node:path';
import type { Disk } from './disk.js';

/** Folders a moved generated file is never in. */
const skipped = new Set(['.git', 'node_modules', '.secure-service', 'vendor', '.venv', 'target', '__pycache__']);
/** Entries looked at before giving up (a monorepo of many services stays well under it). */
const MAX_ENTRIES = 20_000;
/** Larger files are not a generated Dockerfile, compose file or Nomad job. */
const MAX_BYTES = 1 << 20;

export interface MovedSearch {
  /** Project paths not to offer (the other outputs: a compose override looks much like another). */
  exclude: ReadonlySet<string>;
}

/** Paths (relative to root, sorted) where `missing` looks moved to, judged against `generated`. */
export async function findMovedCopies(root: string, missing: string, generated: string, disk: Disk, search: MovedSearch): Promise<string[]> {
  // A name in other case is the same file where the file system ignores case (macOS, Windows), and a
  // rename for looks elsewhere (SECURITY.md to Security.md): taken as moved, never as another file.
  const spellings = new Set([...sameFileNames(posix.basename(missing))].map((n) => n.toLowerCase()));
  const found: string[] = [];
  const queue = [''];
  let seen = 0;
  while (queue.length > 0) {
    const dir = queue.shift()!;
    let names: string[];
    try {
      names = await disk.readdir(posix.join(root, dir));
    } catch {
      continue; // unreadable: not where the user moved a file to
    }
    // Another generated project inside this one (a monorepo's service) has files of the same names.
    if (dir !== '' && names.includes('.secure-service')) continue;
    for (const entry of names) {
      if (++seen > MAX_ENTRIES) return found.sort();
      const path = dir === '' ? entry : `${dir}/${entry}`;
      const stat = await disk.lstat(posix.join(root, path));
      if (stat?.kind === 'dir' && !skipped.has(entry)) queue.push(path);
      else if (stat?.kind === 'file' && spellings.has(entry.toLowerCase()) && path !== missing && !search.exclude.has(path) && (await similar(posix.join(root, path), generated, disk))) found.push(path);
    }
  }
  return found.sort();
}

/**
 * The names a file keeps being the same file under: Compose finds compose.yaml as compose.yml,
 * docker-compose.yml or docker-compose.yaml too, and its override by the same four spellings (a
 * rename to one of them is no deletion, and a second copy at the old name would be read instead),
 * and any other YAML file is as often .yml as .yaml.
 */
export function sameFileNames(name: string): Set<string> {
  const compose = /^(?:docker-)?compose(\..+)?\.ya?ml$/.exec(name);
  if (compose) return new Set(['compose', 'docker-compose'].flatMap((stem) => ['yaml', 'yml'].map((ext) => `${stem}${compose[1] ?? ''}.${ext}`)));
  const yaml = /^(.+)\.ya?ml$/.exec(name);
  return yaml ? new Set([`${yaml[1]}.yaml`, `${yaml[1]}.yml`]) : new Set([name]);
}

/** How a note names the copies found: "x looks like it, moved there". */
export function lookMoved(copies: readonly string[]): string {
  return copies.length === 1 ? `${copies[0]} looks like it, moved there` : `${copies.join(' and ')} look like it, moved or copied`;
}

/** What `create` and `add` say of an output they did not write again because it looks moved. */
export function notWrittenAgain(path: string, copies: readonly string[], command: string): string {
  return `${path}: not created again, as ${lookMoved(copies)}; ${command} does not follow a moved file, so it gets none of this run's changes there; to have it managed again, move it back to ${path} and run again`;
}

async function similar(abs: string, generated: string, disk: Disk): Promise<boolean> {
  const bytes = await disk.readFile(abs).catch(() => null);
  if (bytes === null || bytes.length > MAX_BYTES) return false;
  return lineSimilarity(bytes.toString('utf8'), generated) >= 0.5;
}

/** Lines in common (as a multiset, blank lines aside) over the longer text's line count. */
export function lineSimilarity(a: string, b: string): number {
  const lines = (text: string) => text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '');
  const [x, y] = [lines(a), lines(b)];
  const longer = Math.max(x.length, y.length);
  if (longer === 0) return 0;
  const counts = new Map<string, number>();
  for (const l of x) counts.set(l, (counts.get(l) ?? 0) + 1);
  let common = 0;
  for (const l of y) {
    const n = counts.get(l) ?? 0;
    if (n > 0) {
      common++;
      counts.set(l, n - 1);
    }
  }
  return common / longer;
}
