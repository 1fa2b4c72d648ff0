/**
 * Every generated shell script, for several answer sets, through the real shellcheck (all
 * severities, POSIX sh as the shebang says). Without shellcheck the tests fail in CI (`CI` set;
 * .ci/run installs it) and are skipped, with the reason in their name, on a developer machine.
 */
import { spawnSync } from 'node:child_process';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import type { Answers } from '../../src/questions.js';
import { render } from '../helpers/render.js';

type Flags = Partial<Record<keyof Answers, unknown>>;

const probe = spawnSync('shellcheck', ['--version'], { encoding: 'utf8' });
const available = probe.status === 0;
const missing = 'shellcheck is not installed (apt-get install shellcheck; CI fails instead of skipping)';

const answerSets: Record<string, Flags> = {
  'ssh signing, no source URL': {},
  'gpg signing, source URL': { name: 'orders', language: 'python', signing: 'gpg', signingKey: 'ABCDEF0123456789', sourceUrl: 'https://github.com/acme/orders' },
  'no signing, services': { name: 'edge', language: 'go', signing: 'none', services: ['postgres', 'redis'], secrets: ['API_KEY'] },
  'ssh signing, odd key path': { name: 'a-b-c', signingKey: '/home/dev/keys/git+sign@work.pub', sourceUrl: 'https://git.example.com:8443/team/a-b-c' },
};

const scripts = ['scripts/build-image.sh', 'scripts/verify-signatures.sh'];

describe('generated shell scripts pass shellcheck', () => {
  if (!available && process.env.CI) {
    it('shellcheck must be installed in CI', () => {
      expect.fail(`${missing}: ${probe.error?.message ?? probe.stderr}`);
    });
    return;
  }

  for (const [set, flags] of Object.entries(answerSets)) {
    it.skipIf(!available)(`${set}${available ? '' : ` (skipped: ${missing})`}`, async () => {
      const tree = await render(flags, ['docker', 'signing']);
      const rendered = scripts.filter((path) => tree.has(path));
      expect(rendered).toContain('scripts/build-image.sh');
      expect(rendered.includes('scripts/verify-signatures.sh')).toBe(flags.signing !== 'none');
      for (const path of rendered) {
        const file = tree.get(path)!;
        expect(file.content.startsWith('#!/bin/sh\n'), `${path} is a POSIX sh script`).toBe(true);
        expect(file.mode & 0o111, `${path} is executable`).toBe(0o111);
        const result = await execa('shellcheck', ['--shell=sh', '--severity=style', '--format=gcc', '-'], { input: file.content, reject: false });
        expect(`${result.stdout}${result.stderr}`.replaceAll('-:', `${path}:`), `shellcheck on ${path} (${set})`).toBe('');
        expect(result.exitCode).toBe(0);
      }
    });
  }
});
