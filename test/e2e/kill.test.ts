/**
 * kill -9 in the middle of writing: every file the run left behind is either absent, complete
 * (byte-identical to an undisturbed run), or a temp file. Never a truncated target file. And the
 * next run recovers: it names the interrupted run, and once told, completes the project.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/render.js';

const bin = join(repoRoot, 'bin', 'create-secure-service.cjs');
const args = ['svc', '--yes', '--no-git', '--language', 'python', '--service', 'postgres', '--secret', 'API_TOKEN'];

function files(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)));
}

describe('a run killed with SIGKILL while writing', () => {
  it('never leaves a partial file, only temp files', async () => {
    const reference = mkdtempSync(join(tmpdir(), 'css-kill-ref-'));
    const done = spawnSync(process.execPath, [bin, ...args], { cwd: reference, encoding: 'utf8' });
    expect(done.status, done.stderr).toBe(0);
    const expected = new Map(files(join(reference, 'svc')).map((f) => [f, readFileSync(join(reference, 'svc', f))]));
    // Secrets generated at random differ per run; everything else is deterministic.
    const random = new Set(['secrets/postgres_password']);

    let interrupted = 0;
    let recovered = 0;
    for (let i = 0; i < 12; i++) {
      const cwd = mkdtempSync(join(tmpdir(), 'css-kill-'));
      const child = spawn(process.execPath, [bin, ...args], { cwd, stdio: 'ignore' });
      // Listen at once: a fast run may exit before the kill, and a late listener would wait forever.
      const exited = new Promise((r) => child.once('exit', r));
      let gone = false;
      void exited.then(() => (gone = true));
      // Writing starts when the service folder appears; kill a little later each time, so the
      // kills land across the writing phase however fast or loaded this machine is.
      while (!gone && !existsSync(join(cwd, 'svc'))) await new Promise((r) => setImmediate(r));
      await new Promise((r) => setTimeout(r, i * 3));
      const killed = child.kill('SIGKILL');
      await exited;
      const left = files(join(cwd, 'svc'));
      if (killed && left.length > 0 && left.length < expected.size) interrupted++;
      for (const f of left) {
        if (/\.tmp$/.test(f) || f === '.secure-service.lock') continue;
        expect(expected.has(f), `${f} is not an output`).toBe(true);
        if (random.has(f)) expect(statSync(join(cwd, 'svc', f)).size).toBe(expected.get(f)!.length);
        else expect(readFileSync(join(cwd, 'svc', f)).equals(expected.get(f)!), `${f} was left incomplete`).toBe(true);
      }
      // The next run names the interrupted one; once its lock is deleted, a run completes the
      // project byte for byte and removes the temporary files the killed one left.
      if (left.includes('.secure-service.lock')) {
        const again = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8' });
        expect(again.status).toBe(2);
        // (An empty lock when the kill came between creating it and writing the run's pid in it.)
        expect(again.stderr).toMatch(/^error: an earlier create-secure-service run (\(pid \d+\) was interrupted while writing|was interrupted as it started writing) to .*; no run is active, so delete it and run again/);
        rmSync(join(cwd, 'svc', '.secure-service.lock'));
        const finished = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8' });
        expect(finished.status, finished.stderr).toBe(0);
        const after = files(join(cwd, 'svc'));
        expect(after.sort()).toEqual([...expected.keys()].sort());
        for (const f of after) if (!random.has(f)) expect(readFileSync(join(cwd, 'svc', f)).equals(expected.get(f)!), f).toBe(true);
        recovered++;
      }
    }
    // At least one kill must have landed mid-write, or this test proved nothing.
    expect(interrupted).toBeGreaterThan(0);
    expect(recovered).toBeGreaterThan(0);
  }, 120_000);
});
