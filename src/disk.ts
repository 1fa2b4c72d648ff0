/**
 * The few file operations the planner and the writer need, behind one interface so that tests run
 * them on an in-memory volume (memfs) and the CLI on the real disk through node:fs. (Not fs-extra:
 * its graceful-fs layer costs ~18 ms at start-up, issue #6, and guards against EMFILE, which a few
 * dozen sequential writes never reach.)
 */
import { promisify } from 'node:util';

export interface Entry {
  kind: 'file' | 'dir' | 'symlink' | 'other';
  mode: number;
}

export interface Disk {
  lstat(path: string): Promise<Entry | null>;
  readFile(path: string): Promise<Buffer>;
  readdir(path: string): Promise<string[]>;
  /** Write bytes to a new file and fsync it; fails if the path exists. */
  writeNew(path: string, data: string | Buffer, mode: number): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
  mkdir(path: string, mode?: number): Promise<void>;
  rmdir(path: string): Promise<void>;
  chmod(path: string, mode: number): Promise<void>;
  realpath(path: string): Promise<string>;
}

type Callback<T> = (error: NodeJS.ErrnoException | null, value: T) => void;

/** Node's callback-style fs surface; node:fs and memfs both provide it. */
export interface FsLike {
  lstat(path: string, cb: Callback<{ mode: number; isFile(): boolean; isDirectory(): boolean; isSymbolicLink(): boolean }>): void;
  readFile(path: string, cb: Callback<Buffer>): void;
  readdir(path: string, cb: Callback<string[]>): void;
  open(path: string, flags: string, mode: number, cb: Callback<number>): void;
  write(fd: number, data: Buffer, offset: number, length: number, position: number | null, cb: Callback<number>): void;
  fsync(fd: number, cb: Callback<void>): void;
  close(fd: number, cb: Callback<void>): void;
  rename(from: string, to: string, cb: Callback<void>): void;
  unlink(path: string, cb: Callback<void>): void;
  mkdir(path: string, mode: number, cb: Callback<void>): void;
  rmdir(path: string, cb: Callback<void>): void;
  chmod(path: string, mode: number, cb: Callback<void>): void;
  realpath(path: string, cb: Callback<string>): void;
}

export function createDisk(fs: FsLike): Disk {
  const p = <A extends unknown[], T>(fn: (...args: [...A, Callback<T>]) => void) => promisify(fn.bind(fs)) as unknown as (...args: A) => Promise<T>;
  const lstat = p(fs.lstat);
  const open = p(fs.open);
  const write = p(fs.write);
  const fsync = p(fs.fsync);
  const close = p(fs.close);
  return {
    async lstat(path) {
      try {
        const s = await lstat(path);
        const kind = s.isSymbolicLink() ? 'symlink' : s.isDirectory() ? 'dir' : s.isFile() ? 'file' : 'other';
        return { kind, mode: s.mode & 0o7777 };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      }
    },
    readFile: p(fs.readFile),
    readdir: p(fs.readdir),
    async writeNew(path, data, mode) {
      const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
      const fd = await open(path, 'wx', mode);
      try {
        let offset = 0;
        while (offset < bytes.length) offset += await write(fd, bytes, offset, bytes.length - offset, null);
        await fsync(fd);
      } finally {
        await close(fd);
      }
    },
    rename: p(fs.rename),
    unlink: p(fs.unlink),
    mkdir: (path, mode = 0o755) => p(fs.mkdir)(path, mode),
    rmdir: p(fs.rmdir),
    chmod: p(fs.chmod),
    realpath: p(fs.realpath),
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
