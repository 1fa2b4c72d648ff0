/**
 * The one walk of the service folder that detection makes. Bounded so it stays fast on any tree:
 * it skips dependency, build and VCS folders by name, prunes what `.gitignore` files ignore, does
 * not follow symbolic links, stops descending below `maxDepth`, and stops listing after `maxFiles`
 * (then `truncated` says so). Folders are read a few at a time in parallel.
 */
import { readdir, readFile } from 'node:fs/promises';
import { posix } from 'node:path';
import { matchIgnore, parseGitignore, type IgnoreRule } from './gitignore.js';

/** Never worth reading for detection: dependencies, build output, caches, VCS data and secrets. */
export const skippedDirs = new Set([
  '.git', '.hg', '.svn', 'node_modules', 'bower_components', 'vendor', 'target', 'dist', 'build', 'out',
  '.venv', 'venv', '__pycache__', '.tox', '.mypy_cache', '.pytest_cache', '.ruff_cache', '.gradle',
  '.idea', '.vscode', 'bin', 'obj', '.next', '.nuxt', '.svelte-kit', 'coverage', '.cache', '.terraform',
  '.secure-service', 'secrets',
]);

export interface ScanOptions {
  maxFiles: number;
  maxDepth: number;
}

export const defaultScanOptions: ScanOptions = { maxFiles: 200_000, maxDepth: 8 };

export interface ScanResult {
  /** Files found, relative to the root, `/`-separated, in no particular order. */
  files: string[];
  /** The listing stopped at maxFiles; detection still works from what was seen. */
  truncated: boolean;
}

interface Layer {
  /** Folder of the .gitignore, relative to the root ('' for the root itself). */
  base: string;
  rules: IgnoreRule[];
}

const CONCURRENCY = 16;

export async function scanTree(root: string, options: ScanOptions = defaultScanOptions): Promise<ScanResult> {
  const files: string[] = [];
  let truncated = false;
  const queue: { dir: string; depth: number; layers: Layer[] }[] = [{ dir: '', depth: 0, layers: [] }];

  const visit = async (dir: string, depth: number, inherited: Layer[]): Promise<void> => {
    let entries;
    try {
      entries = await readdir(posix.join(root, dir), { withFileTypes: true });
    } catch {
      return; // unreadable folder: detection works from the rest
    }
    let layers = inherited;
    if (entries.some((e) => e.name === '.gitignore' && e.isFile())) {
      const text = await readFile(posix.join(root, dir, '.gitignore'), 'utf8').catch(() => '');
      layers = [...inherited, { base: dir, rules: parseGitignore(text) }];
    }
    for (const entry of entries) {
      if (truncated) return;
      const path = dir === '' ? entry.name : `${dir}/${entry.name}`;
      if (entry.isDirectory()) {
        if (skippedDirs.has(entry.name) || depth + 1 > options.maxDepth || ignored(layers, path, true)) continue;
        queue.push({ dir: path, depth: depth + 1, layers });
      } else if (entry.isFile()) {
        if (ignored(layers, path, false)) continue;
        files.push(path);
        if (files.length >= options.maxFiles) truncated = true;
      }
    }
  };

  const running = new Set<Promise<void>>();
  while ((queue.length > 0 || running.size > 0) && !truncated) {
    while (queue.length > 0 && running.size < CONCURRENCY) {
      const next = queue.shift()!;
      const job: Promise<void> = visit(next.dir, next.depth, next.layers).finally(() => running.delete(job));
      running.add(job);
    }
    if (running.size > 0) await Promise.race(running);
  }
  await Promise.all(running);
  return { files, truncated };
}

/** Inner .gitignore files are read after outer ones, so their verdict wins, as in git. */
function ignored(layers: readonly Layer[], path: string, isDir: boolean): boolean {
  let result = false;
  for (const layer of layers) {
    const relative = layer.base === '' ? path : path.slice(layer.base.length + 1);
    const verdict = matchIgnore(layer.rules, relative, isDir);
    if (verdict !== undefined) result = verdict;
  }
  return result;
}
