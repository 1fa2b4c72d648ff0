/**
 * What `check` reads: a directory on disk, or the files `create` rendered in memory (its gate).
 * Both are a tree of names listed folder by folder, so the build-context walk works on either.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Entry {
  name: string;
  dir: boolean;
}

export interface FileSource {
  /** Entries of a folder ('' is the root), sorted by name. Symbolic links are files: never followed. */
  list(dir: string): Entry[];
  /** A file's text, or undefined when it cannot be read. */
  read(path: string): string | undefined;
}

export const joinPath = (dir: string, name: string) => (dir === '' ? name : `${dir}/${name}`);

const byName = (a: Entry, b: Entry) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

export function diskSource(root: string): FileSource {
  return {
    list(dir) {
      try {
        return readdirSync(join(root, dir), { withFileTypes: true })
          .map((d) => ({ name: d.name, dir: d.isDirectory() }))
          .sort(byName);
      } catch {
        return []; // unreadable: Docker would stop the build here; nothing of it is sent
      }
    },
    read(path) {
      try {
        return readFileSync(join(root, path), 'utf8');
      } catch {
        return undefined;
      }
    },
  };
}

/** A source over files held in memory, by relative path. */
export function memorySource(files: Map<string, string>): FileSource {
  const dirs = new Map<string, Map<string, boolean>>([['', new Map()]]);
  for (const path of files.keys()) {
    const parts = path.split('/');
    for (let i = 0; i < parts.length; i++) {
      const dir = parts.slice(0, i).join('/');
      if (!dirs.has(dir)) dirs.set(dir, new Map());
      dirs.get(dir)!.set(parts[i]!, i < parts.length - 1);
    }
  }
  return {
    list: (dir) => [...(dirs.get(dir) ?? new Map<string, boolean>())].map(([name, isDir]) => ({ name, dir: isDir })).sort(byName),
    read: (path) => files.get(path),
  };
}
