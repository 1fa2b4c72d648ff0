import { describe, expect, it } from 'vitest';
import { commands } from '../../src/cli/args.js';
import { helpText } from '../../src/cli/help.js';
import { print, quickAnswer } from '../../src/cli/quick.js';

const texts = { version: '9.8.7', help: Object.fromEntries(commands.map((c) => [c.name, helpText('9.8.7', c.name)])) };

describe('quickAnswer (the CommonJS fast path of the bin)', () => {
  it('answers exactly --version/-v and --help/-h, alone or after a command name', () => {
    expect(quickAnswer(['--version'], texts)).toBe('9.8.7\n');
    expect(quickAnswer(['-v'], texts)).toBe('9.8.7\n');
    expect(quickAnswer(['--help'], texts)).toBe(`${helpText('9.8.7', 'create')}\n`);
    expect(quickAnswer(['-h'], texts)).toBe(`${helpText('9.8.7', 'create')}\n`);
    for (const c of commands) expect(quickAnswer([c.name, '--help'], texts)).toBe(`${helpText('9.8.7', c.name)}\n`);
  });

  it('keeps two spaces between a flag and its description, however long the placeholder', () => {
    for (const c of commands) {
      for (const line of helpText('9.8.7', c.name).split('\n').filter((l) => /^\s+-/.test(l))) {
        expect(line, `${c.name}: ${line}`).not.toMatch(/>\S/);
      }
    }
  });

  it("gives each command's own help: its summary, and what it acts on", async () => {
    const { rules } = await import('../../src/check/rules.js');
    const help = (name: string) => helpText('9.8.7', name);
    expect(help('create')).toContain('Commands:');
    expect(help('create')).toMatch(/What it writes:\n {2}app /);
    for (const name of ['check', 'update', 'add']) {
      expect(help(name), name).not.toContain('Commands:');
      expect(help(name), name).toContain(commands.find((c) => c.name === name)!.summary.slice(1));
    }
    // check writes nothing; its help lists the IDs --rule and --ignore take.
    expect(help('check')).not.toContain('What it writes');
    for (const r of rules) expect(help('check')).toMatch(new RegExp(`\\b${r.id} ${r.name}\\b`));
    // add never writes the app seed, so its help does not offer it.
    expect(help('add')).toMatch(/Parts \(name one or more, or all\):\n {2}docker /);
    expect(help('add')).not.toMatch(/^ {2}app /m);
  });

  it('leaves everything else to the full parser, which validates it', () => {
    for (const argv of [[], ['create'], ['my-svc'], ['--help', 'extra'], ['--version', '--debug'], ['bogus', '--help'], ['toString', '--help'], ['__proto__', '-h'], ['check', 'x', '--help']]) {
      expect(quickAnswer(argv, texts)).toBeUndefined();
    }
  });
});

describe('print (stdout without creating process.stdout)', () => {
  const errno = (code: string) => Object.assign(new Error(code), { code });
  const text = 'héllo\n'.repeat(50);
  const expected = Buffer.from(text);

  function recorder(chunkLimit: number, failAt?: { call: number; code: string }) {
    const written: number[] = [];
    const tail: Uint8Array[] = [];
    let calls = 0;
    const write = (fd: number, bytes: Uint8Array, offset: number, length: number) => {
      expect(fd).toBe(1);
      calls += 1;
      if (failAt && calls === failAt.call) throw errno(failAt.code);
      const n = Math.min(length, chunkLimit);
      written.push(...bytes.subarray(offset, offset + n));
      return n;
    };
    const stream = () => ({ write: (bytes: Uint8Array) => tail.push(Buffer.from(bytes)) });
    return { write, stream, out: () => Buffer.concat([Buffer.from(written), ...tail]), tail };
  }

  it('writes every byte, however the kernel splits the writes', () => {
    for (const limit of [1, 7, 64, 100_000]) {
      const r = recorder(limit);
      print(text, r.write, r.stream);
      expect(r.out().equals(expected)).toBe(true);
      expect(r.tail).toEqual([]);
    }
  });

  it('hands the rest to the stream when a non-blocking pipe is full (EAGAIN)', () => {
    const r = recorder(64, { call: 3, code: 'EAGAIN' });
    print(text, r.write, r.stream);
    expect(r.tail).toHaveLength(1);
    expect(r.tail[0]!.length).toBe(expected.length - 128);
    expect(r.out().equals(expected)).toBe(true);
  });

  it('stops quietly when the reader has gone (EPIPE), and throws anything else', () => {
    const gone = recorder(64, { call: 2, code: 'EPIPE' });
    expect(() => print(text, gone.write, gone.stream)).not.toThrow();
    expect(gone.tail).toEqual([]);
    const broken = recorder(64, { call: 1, code: 'EIO' });
    expect(() => print(text, broken.write, broken.stream)).toThrow('EIO');
  });
});
