/**
 * Output that cannot be written (a full disk behind `>`, /dev/full, a terminal gone) must not
 * stop a run where it stands: the project is written whole or not at all, and the run ends with
 * one line on stderr and exit 74, so a script does not take an incomplete report for a whole one.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/index.js';
import { repoRoot } from '../helpers/render.js';
import { tempDir } from './helpers.js';

const work = tempDir('css-output-lost-');
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Every path under dir, relative. */
function tree(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? [`${prefix}${e.name}/`, ...tree(join(dir, e.name), `${prefix}${e.name}/`)] : [`${prefix}${e.name}`]));
}

/** A stream whose every write fails as a full disk does, reporting it later (as Node's streams do). */
function fullDisk(): NodeJS.WriteStream {
  return new Writable({ write: (_chunk, _encoding, done) => done(Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' })) }) as unknown as NodeJS.WriteStream;
}

describe('stdout that cannot be written', () => {
  it('create finishes writing the project, then says the output was lost and exits 74', async () => {
    const errors: string[] = [];
    const stderr = new Writable({ write: (chunk, _encoding, done) => (errors.push(String(chunk)), done()) }) as unknown as NodeJS.WriteStream;
    const dir = join(work, 'created');
    const code = await main([dir, '--yes', '--no-git', '--no-color'], { stdout: fullDisk(), stderr });
    expect(code).toBe(74);
    expect(errors.join('').trim().split('\n')).toEqual([expect.stringMatching(/^error: could not write the output to stdout \(ENOSPC\).*free space/)]);
    const paths = tree(dir);
    expect(paths).toContain('Dockerfile');
    expect(paths).toContain('.secure-service/manifest.json');
    expect(paths.filter((p) => p.endsWith('.tmp') || p.endsWith('.lock'))).toEqual([]);
  });

  const devFull = existsSync('/dev/full');
  const bin = join(repoRoot, 'bin/create-secure-service.cjs');
  /** The built CLI with its stdout on /dev/full. */
  function toDevFull(args: string[]) {
    const fd = openSync('/dev/full', 'w');
    try {
      return spawnSync(process.execPath, [bin, ...args], { cwd: work, stdio: ['ignore', fd, 'pipe'], encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    } finally {
      closeSync(fd);
    }
  }

  it.skipIf(!devFull)('on /dev/full: --help, --version and check give one line and exit 74, with no stack trace', () => {
    for (const args of [['--help'], ['--version'], ['check', '--help', '--no-color'], ['check', work, '--format', 'json']]) {
      const r = toDevFull(args);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toEqual([expect.stringMatching(/^error: could not write the output to stdout \(ENOSPC\)/)]);
      expect(r.status, args.join(' ')).toBe(74);
    }
  });

  it.skipIf(!devFull)('on /dev/full: create writes the whole project and leaves no temp file or lock', () => {
    const r = toDevFull(['devfull', '--yes', '--no-git']);
    expect(r.status, r.stderr).toBe(74);
    const paths = tree(join(work, 'devfull'));
    expect(paths).toContain('compose.yaml');
    expect(paths.filter((p) => p.endsWith('.tmp') || p.endsWith('.lock'))).toEqual([]);
  });
});
