/**
 * A scratch folder for one test file, with a home folder in it that is HOME while the file's
 * tests run (git reads `~/` and its global config from there), restored and removed after.
 */
import { mkdirSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';

export function scratchHome(prefix: string): { readonly tmp: string; readonly home: string } {
  const paths = { tmp: '', home: '' };
  let savedHome: string | undefined;
  beforeAll(() => {
    paths.tmp = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
    paths.home = join(paths.tmp, 'home');
    mkdirSync(paths.home);
    savedHome = process.env.HOME;
    process.env.HOME = paths.home;
  });
  afterAll(() => {
    if (savedHome === undefined) delete process.env.HOME;
    else process.env.HOME = savedHome;
    rmSync(paths.tmp, { recursive: true, force: true });
  });
  return paths;
}
