/**
 * Writing to stdout and stderr without Node's stream objects when they are not terminals.
 *
 * Creating process.stdout or process.stderr loads Node's stream modules (and for a terminal tty
 * and net too), a few milliseconds of a run that lasts a few dozen (issue #6). A terminal keeps
 * the stream: colour detection, the spinner and the prompts share it. A pipe, a file or /dev/null
 * gets the bytes with writeSync, which is also what Node does for files.
 */
import { closeSync, fstatSync, statSync, writeSync } from 'node:fs';

export type WriteSync = (fd: number, bytes: Uint8Array, offset: number, length: number) => number;

export interface Sink {
  write(chunk: Uint8Array | string): unknown;
}

/**
 * A writer for fd. A full non-blocking pipe (EAGAIN) hands the rest to the stream, and all later
 * output goes there too, so nothing is reordered; a reader that has gone (EPIPE, as in `| head -1`)
 * ends the output quietly, as other CLIs do.
 */
export function fdWriter(fd: number, stream: () => Sink, write: WriteSync = writeSync): (text: string) => void {
  let via: Sink | undefined;
  let gone = false;
  return (text) => {
    if (gone) return;
    if (via) {
      via.write(text);
      return;
    }
    const bytes = Buffer.from(text);
    let offset = 0;
    try {
      while (offset < bytes.length) offset += write(fd, bytes, offset, bytes.length - offset);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EPIPE') {
        gone = true;
        return;
      }
      if (code !== 'EAGAIN') throw error;
      via = stream();
      via.write(bytes.subarray(offset));
    }
  };
}

/**
 * False when fd is certainly no terminal (a pipe, a file, a socket, /dev/null); true when it may
 * be one, and only its stream can say. (Asking node:tty would load the modules this avoids.)
 */
export function mayBeTerminal(fd: number): boolean {
  if (process.platform === 'win32') return true;
  try {
    const s = fstatSync(fd);
    return s.isCharacterDevice() && s.rdev !== statSync('/dev/null').rdev;
  } catch {
    return true; // a closed descriptor: the stream deals with it, as it always did
  }
}

let releasing = false;

/**
 * For a run whose terminal hung up (its window closed, the ssh session ended). At exit Node puts
 * each terminal of fds 0-2 back in the mode it found it in, and Node 20 aborts (SIGABRT, and a core
 * dump) when that fails, as it does on a terminal that hung up (nodejs/node#51519, fixed in 22.16
 * and 24). A hung-up terminal no longer answers as a terminal: closed at exit, it is passed over
 * (Node skips a descriptor the program closed), and there is nothing to restore on it anyway.
 */
export function releaseHungUpTerminalAtExit(): void {
  if (releasing) return;
  releasing = true;
  process.once('exit', () => {
    // Loaded already: a terminal's streams load it (and it would load node:net and node:stream).
    const { isatty } = process.getBuiltinModule('node:tty');
    for (const fd of [0, 1, 2]) {
      try {
        if (fstatSync(fd).isCharacterDevice() && !isatty(fd)) closeSync(fd);
      } catch {
        // closed already
      }
    }
  });
}
