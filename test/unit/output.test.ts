import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { fdWriter, mayBeTerminal } from '../../src/cli/output.js';

const errno = (code: string) => Object.assign(new Error(code), { code });

describe('fdWriter (output without a stream object)', () => {
  /** A descriptor that fails once, on the given call, and a stream that records what it is given. */
  function fake(failOnCall: number, code: string) {
    const direct: string[] = [];
    const streamed: string[] = [];
    let calls = 0;
    const write = (_fd: number, bytes: Uint8Array, offset: number, length: number) => {
      calls += 1;
      if (calls === failOnCall) throw errno(code);
      direct.push(Buffer.from(bytes.subarray(offset, offset + length)).toString());
      return length;
    };
    const stream = () => ({ write: (chunk: Uint8Array | string) => streamed.push(Buffer.from(chunk).toString()) });
    return { write, stream, direct, streamed };
  }

  it('after a full pipe (EAGAIN), sends all later output to the stream too, so nothing is reordered', () => {
    const f = fake(2, 'EAGAIN');
    const out = fdWriter(1, f.stream, f.write);
    for (const line of ['one\n', 'two\n', 'three\n']) out(line);
    expect(f.direct).toEqual(['one\n']);
    expect(f.streamed).toEqual(['two\n', 'three\n']);
  });

  it('after the reader has gone (EPIPE), drops later output instead of failing', () => {
    const f = fake(2, 'EPIPE');
    const out = fdWriter(1, f.stream, f.write);
    for (const line of ['one\n', 'two\n', 'three\n']) expect(() => out(line)).not.toThrow();
    expect(f.direct).toEqual(['one\n']);
    expect(f.streamed).toEqual([]);
  });
});

describe('mayBeTerminal', () => {
  const work = mkdtempSync(join(tmpdir(), 'css-output-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('is false for a file and for /dev/null, which need no stream', () => {
    for (const path of [join(work, 'out.txt'), '/dev/null']) {
      const fd = openSync(path, 'w');
      try {
        expect(mayBeTerminal(fd)).toBe(false);
      } finally {
        closeSync(fd);
      }
    }
  });

  it('is false for a pipe, and true for a descriptor it cannot inspect', () => {
    // The child's stdout is a pipe to this process; it answers on stderr.
    const module = JSON.stringify(pathToFileURL(join(import.meta.dirname, '../../src/cli/output.ts')).href);
    const child = spawnSync(process.execPath, ['--import', 'tsx', '-e', `import(${module}).then((m) => process.stderr.write(String(m.mayBeTerminal(1))))`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(child.stderr).toBe('false');
    expect(mayBeTerminal(987_654)).toBe(true);
  });
});
