/**
 * What `check` reads: a directory on disk, or the files `create` rendered in memory (its gate).
 * Both are a tree of names listed folder by folder, so the build-context walk works on either.
 */
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Entry {
  name: string;
  dir: boolean;
}

export interface FileSource {
  /** Entries of a folder ('' is the root), sorted by name. Symbolic links are files: never followed. */
  list(dir: string): Entry[];
  /** A file's text, or undefined when it cannot be read (see `unreadable`). */
  read(path: string): string | undefined;
  /** Why an existing file is not read (a symbolic link, not a regular file, too large), if it is not. */
  unreadable?(path: string): string | undefined;
  /** Entries listed so far whose names are not UTF-8, so that nothing in or under them can be read. */
  misnamed?(): string[];
}

/** Larger than any Dockerfile, compose file, job or policy: a bigger one is not parsed (a hostile repository's giant). */
export const MAX_READ_BYTES = 10 * 1024 * 1024;

export const joinPath = (dir: string, name: string) => (dir === '' ? name : `${dir}/${name}`);

const byName = (a: Entry, b: Entry) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

export function diskSource(root: string): FileSource {
  // Links and other non-regular entries, as listing their folder found them (readdir's types cost
  // no stat): reads refuse those without a syscall of their own. Folders never listed are listed
  // on a read's first look at them.
  const listed = new Set<string>();
  const special = new Map<string, 'link' | 'other'>();
  const misnamed = new Set<string>();
  const list = (dir: string): Entry[] => {
    listed.add(dir);
    try {
      return readdirSync(join(root, dir), { withFileTypes: true })
        .map((d) => {
          // Node decodes names as UTF-8, an invalid byte becoming U+FFFD: such a name no longer
          // names the entry, so it (a Dockerfile, a folder of them) would be passed over unseen.
          if (d.name.includes('\uFFFD') && !lstatSync(join(root, dir, d.name), { throwIfNoEntry: false })) misnamed.add(joinPath(dir, d.name));
          if (d.isSymbolicLink()) special.set(joinPath(dir, d.name), 'link');
          else if (!d.isFile() && !d.isDirectory()) special.set(joinPath(dir, d.name), 'other');
          return { name: d.name, dir: d.isDirectory() };
        })
        .sort(byName);
    } catch {
      return []; // unreadable: Docker would stop the build here; nothing of it is sent
    }
  };
  /** 'link', 'other', or undefined for a regular file, a folder or nothing. */
  const kindOf = (path: string) => {
    const cut = path.lastIndexOf('/');
    const dir = cut < 0 ? '' : path.slice(0, cut);
    if (!listed.has(dir)) list(dir);
    return special.get(path);
  };
  const files = new Map<string, { text?: string; why?: string }>();
  const load = (path: string) => {
    let file = files.get(path);
    if (!file) {
      file = readRegularFile(root, path, kindOf);
      files.set(path, file);
    }
    return file;
  };
  return { list, read: (path) => load(path).text, unreadable: (path) => load(path).why, misnamed: () => [...misnamed] };
}

const throughLink = 'check reads nothing through a link (it may point outside the project); check the files themselves';

/**
 * Links are never followed, in the file or the folders above it: a repository's `compose.yaml`
 * linked to /dev/zero read forever, and one linked to a file outside the project would have put
 * that file's lines in findings (a CI log). Only regular files up to MAX_READ_BYTES are parsed.
 */
function readRegularFile(root: string, path: string, kindOf: (path: string) => 'link' | 'other' | undefined): { text?: string; why?: string } {
  const parts = path.split('/');
  for (let i = 1; i < parts.length; i++) {
    const dir = parts.slice(0, i).join('/');
    if (kindOf(dir) === 'link') return { why: `is under ${dir}, which is a symbolic link, and ${throughLink}` };
  }
  const kind = kindOf(path);
  if (kind === 'link') return { why: `is a symbolic link, and ${throughLink}` };
  if (kind === 'other') return { why: 'is not a regular file, so check does not read it' };
  try {
    const text = readFileSync(join(root, path), 'utf8');
    // Read whole, then measured: a stat first costs every run more than the read (issue #6).
    if (text.length > MAX_READ_BYTES) return { why: `is larger than the ${MAX_READ_BYTES / 1024 / 1024} MiB this tool reads` };
    return { text };
  } catch {
    return {}; // missing, a folder, unreadable, or too large even to hold as text
  }
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
