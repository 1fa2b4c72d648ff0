/**
 * Check fixtures: folders under test/fixtures/check/ copied to a temporary folder (with `_git/`
 * renamed to `.git/`, which git cannot hold inside a repository, and made a repository), and the findings they are
 * annotated with: `# expect D01 D02` names the findings on the next line that is not a comment,
 * `# expect@N ID…` those on line N.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { runCheck, type CheckOptions, type CheckReport } from '../../src/check/engine.js';
import { diskSource } from '../../src/check/source.js';
import { repoRoot } from '../helpers/render.js';

export const fixturesRoot = resolve(repoRoot, 'test/fixtures/check');

export function fixtureNames(kind: 'bad' | 'good'): string[] {
  return readdirSync(join(fixturesRoot, kind)).sort();
}

/** A fresh copy of a fixture folder, ready to check. */
export function materialise(kind: 'bad' | 'good', name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `css-check-${name}-`));
  cpSync(join(fixturesRoot, kind, name), dir, { recursive: true });
  if (existsSync(join(dir, '_git'))) {
    renameSync(join(dir, '_git'), join(dir, '.git'));
    // What makes it a repository for git (src/git-dir.ts); git cannot hold the empty folders.
    if (!existsSync(join(dir, '.git', 'HEAD'))) writeFileSync(join(dir, '.git', 'HEAD'), 'ref: refs/heads/main\n');
    for (const folder of ['objects', 'refs']) mkdirSync(join(dir, '.git', folder), { recursive: true });
  }
  return dir;
}

export async function checkFixture(kind: 'bad' | 'good', name: string, options: CheckOptions = {}): Promise<CheckReport & { dir: string }> {
  const dir = materialise(kind, name);
  return { ...(await runCheck(diskSource(dir), { rootDir: dir, ...options })), dir };
}

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split('\\').join('/'));
}

/** `file:line rule` for every annotated finding of a fixture (paths as check reports them). */
export function expectations(name: string): string[] {
  const dir = join(fixturesRoot, 'bad', name);
  const out: string[] = [];
  for (const file of files(dir)) {
    const lines = readFileSync(join(dir, file), 'utf8').split('\n');
    const reported = file.replace(/^_git\//, '.git/');
    lines.forEach((line, i) => {
      const m = /^\s*#\s*expect(?:@(\d+))?\s+([A-Z]\d\d(?:\s+[A-Z]\d\d)*)\s*$/.exec(line);
      if (!m) return;
      let target = m[1] ? Number(m[1]) : i + 2;
      if (!m[1]) while (target <= lines.length && /^\s*#/.test(lines[target - 1]!)) target++;
      for (const rule of m[2]!.split(/\s+/)) out.push(`${reported}:${target} ${rule}`);
    });
  }
  return [...new Set(out)].sort();
}
