/**
 * Runs the CLI's main() in-process against a temporary folder and reports its exit code, what
 * it printed, and whether the folder changed byte for byte.
 */
import { existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { expect, it } from 'vitest';
import { main } from '../../src/index.js';
import { captureOutput } from '../helpers/output.js';

export function tempDir(prefix = 'css-hostile-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Every entry under dir with its type, mode and bytes (or link target). */
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!existsSync(dir)) return out;
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      const s = lstatSync(p);
      const key = relative(dir, p);
      if (s.isSymbolicLink()) out[key] = `link -> ${readlinkSync(p)}`;
      else if (s.isDirectory()) {
        out[key] = `dir ${(s.mode & 0o777).toString(8)}`;
        walk(p);
      } else if (!s.isFile()) out[key] = `special ${(s.mode & 0o777).toString(8)}`; // a FIFO: reading it would wait for a writer
      else out[key] = `file ${(s.mode & 0o777).toString(8)} ${readFileSync(p).toString('base64')}`;
    }
  };
  walk(dir);
  return out;
}

export async function runMain(argv: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const captured = captureOutput();
  const previous = process.cwd();
  process.chdir(cwd);
  try {
    const code = await main(argv, captured.output);
    return { code, stdout: captured.stdout(), stderr: captured.stderr() };
  } finally {
    process.chdir(previous);
  }
}

/** One hostile input: how to prepare the folder, the arguments, and the error it must give. */
export interface HostileCase {
  name: string;
  args: (dir: string) => string[];
  setup?: (dir: string) => void;
  /** The exit code; 2 (bad input) unless said otherwise. */
  code?: number;
  message: RegExp;
}

/** One test per case: the exit code, exactly one `error:` line matching, and the folder unchanged. */
export function refuseEach(cases: HostileCase[]): void {
  for (const c of cases) {
    it(c.name, async () => {
      const dir = tempDir();
      c.setup?.(dir);
      const before = snapshot(dir);
      const result = await runMain(c.args(dir), dir);
      expect(result.code, result.stderr + result.stdout).toBe(c.code ?? 2);
      const errors = result.stderr.trim().split('\n');
      expect(errors, result.stderr).toHaveLength(1);
      expect(errors[0]).toMatch(/^error: /);
      expect(errors[0]).toMatch(c.message);
      expect(result.stderr).not.toMatch(/unexpected error|\n\s+at /);
      // Whatever it quotes back, no control character reaches the terminal (no colour: not a TTY).
      expect(result.stderr.trimEnd()).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
      expect(snapshot(dir)).toEqual(before);
    });
  }
}
