/**
 * The few file operations the planner and the writer need, behind one interface so that tests run
 * them on an in-memory volume (memfs) and the CLI on the real disk through node:fs. (Not fs-extra:
 * its graceful-fs layer costs ~18 ms at start-up, issue #6, and guards against EMFILE, which a few
 * dozen sequential writes never reach.)
 */
import { dirname } from 'node:path';

export interface Entry {
  kind: 'file' | 'dir' | 'symlink' | 'other';
  mode: number;
  /** In bytes, so a file can be refused as too large before it is read whole. */
  size: number;
}

/** The kind of entry lstat() found. */
export function entryKind(s: { isFile(): boolean; isDirectory(): boolean; isSymbolicLink(): boolean }): Entry['kind'] {
  return s.isSymbolicLink() ? 'symlink' : s.isDirectory() ? 'dir' : s.isFile() ? 'file' : 'other';
}

/** What an entry that is not a regular file is, in words: "a directory", "a FIFO, socket or device". */
export function kindInWords(kind: Entry['kind']): string {
  return kind === 'dir' ? 'a directory' : kind === 'symlink' ? 'a symbolic link' : kind === 'file' ? 'a file' : 'a special file (a FIFO, socket or device)';
}

export interface Disk {
  lstat(path: string): Promise<Entry | null>;
  readFile(path: string): Promise<Buffer>;
  readdir(path: string): Promise<string[]>;
  /** Write bytes to a new file; fails if the path exists. Not yet durable: see flush. */
  writeNew(path: string, data: string | Buffer, mode: number): Promise<void>;
  /** fsync these files, all at once. */
  flush(paths: readonly string[]): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  /** Give an existing file a second name; fails (EEXIST) rather than replace what is there. */
  link(existing: string, target: string): Promise<void>;
  unlink(path: string): Promise<void>;
  mkdir(path: string, mode?: number): Promise<void>;
  rmdir(path: string): Promise<void>;
  chmod(path: string, mode: number): Promise<void>;
  realpath(path: string): Promise<string>;
}

type Callback = (error: NodeJS.ErrnoException | null) => void;

/** Node's synchronous fs surface, and fsync's asynchronous form; node:fs and memfs both provide them. */
export interface FsLike {
  fsync(fd: number, cb: Callback): void;
  lstatSync(path: string): { mode: number; size: number; isFile(): boolean; isDirectory(): boolean; isSymbolicLink(): boolean };
  readFileSync(path: string): Buffer;
  readdirSync(path: string): string[];
  openSync(path: string, flags: string, mode?: number): number;
  writeSync(fd: number, data: Buffer, offset: number, length: number, position: number | null): number;
  closeSync(fd: number): void;
  renameSync(from: string, to: string): void;
  linkSync(existing: string, target: string): void;
  unlinkSync(path: string): void;
  mkdirSync(path: string, mode: number): void;
  rmdirSync(path: string): void;
  chmodSync(path: string, mode: number): void;
  realpathSync(path: string): string;
}

/**
 * The Disk on synchronous calls: a CLI has nothing to do while a small local file operation runs,
 * and each asynchronous call is a round trip through libuv's thread pool, of which `create` made
 * ~350 (issue #6). The methods stay async so that a failure is a rejection, as before. The one
 * exception is flush: fsyncs issued together let the file system commit them together, and run
 * on the thread pool side by side (~40 files: 11 ms here instead of 18 one after another).
 */
export function createDisk(fs: FsLike): Disk {
  return {
    async lstat(path) {
      try {
        const s = fs.lstatSync(path);
        return { kind: entryKind(s), mode: s.mode & 0o7777, size: Number(s.size) };
      } catch (error) {
        // ENOTDIR: a folder on the way is a file, so there is no such entry either.
        if (['ENOENT', 'ENOTDIR'].includes((error as NodeJS.ErrnoException).code ?? '')) return null;
        throw error;
      }
    },
    readFile: async (path) => fs.readFileSync(path),
    readdir: async (path) => fs.readdirSync(path),
    async writeNew(path, data, mode) {
      const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
      const fd = fs.openSync(path, 'wx', mode);
      try {
        let offset = 0;
        while (offset < bytes.length) offset += fs.writeSync(fd, bytes, offset, bytes.length - offset, null);
      } finally {
        fs.closeSync(fd);
      }
    },
    async flush(paths) {
      const fsync = (fd: number) => new Promise<void>((resolve, reject) => fs.fsync(fd, (error) => (error ? reject(error) : resolve())));
      await Promise.all(
        paths.map(async (path) => {
          const fd = fs.openSync(path, 'r+');
          try {
            await fsync(fd);
          } finally {
            fs.closeSync(fd);
          }
        }),
      );
    },
    rename: async (from, to) => fs.renameSync(from, to),
    link: async (existing, target) => fs.linkSync(existing, target),
    unlink: async (path) => fs.unlinkSync(path),
    mkdir: async (path, mode = 0o755) => fs.mkdirSync(path, mode),
    rmdir: async (path) => fs.rmdirSync(path),
    chmod: async (path, mode) => fs.chmodSync(path, mode),
    realpath: async (path) => fs.realpathSync(path),
  };
}

let real: Disk | undefined;

/** The real disk (loaded on first use: --help never needs it). */
export async function realDisk(): Promise<Disk> {
  if (!real) {
    const fs = await import('node:fs');
    real = createDisk(fs as unknown as FsLike);
  }
  return real;
}

/** The folder itself, or its nearest ancestor that is one, for a path that may not exist yet. */
export async function nearestFolder(dir: string, disk: Disk): Promise<string> {
  while ((await disk.lstat(dir))?.kind !== 'dir' && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}
