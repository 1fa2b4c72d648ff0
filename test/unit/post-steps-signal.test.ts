/**
 * A signal that comes during a post-step (a Ctrl-C while git init runs) is handled before the next
 * step starts, while the run still knows that only the files were written: Node runs a signal's
 * listeners from its event loop, and steps with nothing to do never wait on it.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { realDisk } from '../../src/disk.js';
import { postSteps, runPostSteps } from '../../src/post-steps.js';
import { AFTER_WRITING, afterWriting, progress } from '../../src/progress.js';
import type { Ui } from '../../src/ui.js';
import { silentUi } from '../helpers/output.js';
import { answersFor } from '../helpers/render.js';

let listener: (() => void) | undefined;
afterEach(() => {
  if (listener) process.off('SIGINT', listener);
  progress.checking = false;
  progress.stepsDone = [];
  progress.stepsLeft = [];
});

describe('a signal during a post-step', () => {
  it('is handled before the next step starts, not once the checks run', async () => {
    const started: string[] = [];
    let handled: { after: string[]; checking: boolean; message: string } | undefined;
    listener = () => (handled ??= { after: [...started], checking: progress.checking, message: afterWriting() });
    process.on('SIGINT', listener);
    // A real signal to this process, sent while git init's step runs (git is off here, so the
    // step returns at once, as the steps after it do when their programs are not installed).
    const ui: Ui = {
      ...silentUi,
      step: (label, run) => {
        started.push(label);
        if (label === 'Initialising git') process.kill(process.pid, 'SIGINT');
        return run();
      },
    };
    const answers = await answersFor({ name: 'orders', signing: 'none' });
    await runPostSteps({ root: mkdtempSync(join(tmpdir(), 'css-post-signal-')), answers, services: [], git: false, disk: await realDisk(), ui, parts: ['project'] });
    expect(postSteps.map((s) => s.label).slice(0, 2)).toEqual(['Generating backing-service passwords', 'Initialising git']);
    // The message names what is left: the passwords step had run, git init had too (git is off).
    expect(handled).toEqual({
      after: ['Generating backing-service passwords', 'Initialising git'],
      checking: false,
      message: 'interrupted after every file was written and the passwords and git init steps, before signing: run the same command again to finish it',
    });
  });

  it('before any post-step has run, the message names them all', () => {
    expect(afterWriting()).toBe(AFTER_WRITING);
    progress.stepsDone = ['passwords'];
    progress.stepsLeft = ['git init', 'signing'];
    expect(afterWriting()).toBe('interrupted after every file was written and the passwords step, before git init and signing: run the same command again to finish them');
  });
});
