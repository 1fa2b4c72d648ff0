/**
 * Node decodes paths as UTF-8, each invalid byte becoming U+FFFD: a folder named in Latin-1 (a
 * byte 0xff) would be read as another path, which create would make and write into. Such a
 * current folder or argument is refused in one line, and nothing is written anywhere.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/render.js';
import { runMain, tempDir } from './helpers.js';

const work = tempDir('css-non-utf8-');
afterAll(() => rmSync(work, { recursive: true, force: true }));
const bin = join(repoRoot, 'bin/create-secure-service.cjs');

/** A folder named by the byte 0xff, where the file system takes such a name (macOS does not). */
function latin1Folder(): boolean {
  try {
    mkdirSync(Buffer.concat([Buffer.from(`${work}/`), Buffer.from([0xff])]));
    return true;
  } catch {
    return false;
  }
}
const canName = latin1Folder();

/** The built CLI run by a shell that turns `\377` into the byte (spawn's arguments are strings). */
function sh(script: string) {
  return spawnSync('sh', ['-c', script, 'sh', process.execPath, bin], { cwd: work, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
}

describe.skipIf(!canName)('paths that are not UTF-8', () => {
  it('a current folder whose name is not UTF-8 is refused; no folder is made in its stead', () => {
    const r = sh(`cd "$(printf '\\377')" && "$1" "$2" svc --yes --no-git`);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^error: the current folder's path is not UTF-8 text .*rename the folder/)]);
    expect(r.status).toBe(2);
    expect(readdirSync(work, { encoding: 'buffer' }).map((b) => b.toString('hex'))).toEqual(['ff']);
  });

  it('a directory argument that is not UTF-8 is refused; nothing is written', () => {
    const r = sh(`"$1" "$2" "$(printf 'svc\\376')" --yes --no-git`);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^error: argument "svc\uFFFD" is not UTF-8 text.*UTF-8 name/)]);
    expect(r.status).toBe(2);
    expect(readdirSync(work, { encoding: 'buffer' }).map((b) => b.toString('hex'))).toEqual(['ff']);
  });

  it('a real U+FFFD in a name is UTF-8, and is used as given', () => {
    const r = sh(`"$1" "$2" 'svc\uFFFD' --yes --no-git --dry-run`);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});

describe.skipIf(!canName)('check, in a repository with names that are not UTF-8', () => {
  it('says which paths it could not read, instead of passing over them unseen', async () => {
    const repo = join(work, 'repo');
    const bad = Buffer.concat([Buffer.from(`${repo}/svc`), Buffer.from([0xe9])]);
    mkdirSync(bad, { recursive: true });
    writeFileSync(Buffer.concat([bad, Buffer.from('/Dockerfile')]), 'FROM node:latest\n');
    writeFileSync(join(repo, 'Dockerfile'), 'FROM node:latest\n');
    const r = await runMain(['check', repo, '--no-color'], work);
    expect(r.code).toBe(1); // the readable Dockerfile's findings
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^warning: 1 path\(s\) have names that are not UTF-8 text, so check could not read them or anything in them: svc\uFFFD; rename them/)]);
  });
});
