/** update's look for a git operation in progress finds the git folder as git's discovery does. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { realDisk } from '../../src/disk.js';
import { gitOperationInProgress } from '../../src/update/git-index.js';

const work = realpathSync(mkdtempSync(join(tmpdir(), 'css-git-operation-')));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const env = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' };

describe('gitOperationInProgress', () => {
  it('follows a .git that is a symbolic link to the repository, as git does', async () => {
    const real = join(work, 'real');
    mkdirSync(real);
    execFileSync('git', ['init', '-q'], { cwd: real, env });
    // git records a merge stopped on a conflict as MERGE_HEAD in the git folder.
    writeFileSync(join(real, '.git', 'MERGE_HEAD'), `${'1'.repeat(40)}\n`);
    const project = join(work, 'project');
    mkdirSync(project);
    symlinkSync(join(real, '.git'), join(project, '.git'));
    expect(execFileSync('git', ['rev-parse', '--absolute-git-dir'], { cwd: project, env, encoding: 'utf8' }).trim()).toBe(join(real, '.git'));
    expect(await gitOperationInProgress(project, await realDisk())).toMatch(/^a git merge is in progress in this repository \(/);
  });
});
