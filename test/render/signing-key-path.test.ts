/**
 * An SSH signing key path with letters outside ASCII (/home/josé/…) is taken, by `create` itself
 * and in every file that names it: the shell commands in SECURITY.md and .allowed_signers quote it
 * so that the shell gives back exactly that path (~/ expanded), and shellcheck finds nothing.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runMain, tempDir } from '../hostile/helpers.js';
import { fileOf, noFacts, render } from '../helpers/render.js';

const HOME = '/home/tester';
const keys = ['/home/josé/.ssh/id_ed25519.pub', '/home/jose\u0301/.ssh/id.pub', '~/.ssh/ключ_ed25519.pub', '~/.ssh/田中-git@work', '~/ssh/Ærøskøbing.pub'];
const expand = (path: string) => (path.startsWith('~/') ? `${HOME}/${path.slice(2)}` : path);
const shellcheck = spawnSync('shellcheck', ['--version']).status === 0;

/** What sh makes of a shell word: the argument a command there receives. */
function shellWord(word: string): string {
  const result = spawnSync('sh', ['-c', `printf '%s' ${word}`], { env: { HOME, PATH: process.env.PATH ?? '' }, encoding: 'utf8' });
  expect(result.status, result.stderr).toBe(0);
  return result.stdout;
}

describe('an SSH signing key path with letters outside ASCII', () => {
  for (const key of keys) {
    it(`${key}: every command that names it gives the shell that path, and passes shellcheck`, async () => {
      // No public key found: .allowed_signers then says how to make and add one, naming the path.
      const tree = await render({ signing: 'ssh', signingKey: key }, ['signing', 'project'], { ...noFacts, signerEmail: 'dev@example.com' });
      const allowed = fileOf(tree, '.allowed_signers');
      const security = fileOf(tree, 'SECURITY.md');
      expect(allowed).toContain(`# No SSH public key was found at ${key} when`);
      const pub = key.endsWith('.pub') ? key : `${key}.pub`;
      const keygen = /^# {3}(ssh-keygen -t ed25519 -C \S+ -f (.+?)) {4}# only if/m.exec(allowed);
      const append = /^# {3}(printf .* "\$\(cut -d ' ' -f 1,2 (.+)\)" >> \.allowed_signers)$/m.exec(allowed);
      const config = /^(git config --local user\.signingkey (.+))$/m.exec(security);
      expect([keygen, append, config].map((m) => m !== null)).toEqual([true, true, true]);
      expect(shellWord(keygen![2]!)).toBe(expand(pub.slice(0, -'.pub'.length)));
      expect(shellWord(append![2]!)).toBe(expand(pub));
      expect(shellWord(config![2]!)).toBe(expand(key));
      if (shellcheck) {
        const script = `#!/bin/sh\n${[keygen![1], append![1], config![1]].join('\n')}\n`;
        const result = spawnSync('shellcheck', ['--shell=sh', '--severity=style', '--format=gcc', '-'], { input: script, encoding: 'utf8' });
        expect(result.stdout + result.stderr, script).toBe('');
      }
    });
  }

  it('create takes it from --signing-key and records it as given', async () => {
    const dir = tempDir();
    const key = '/home/josé/.ssh/id_ed25519.pub';
    const result = await runMain([join(dir, 'svc'), '--yes', '--no-git', '--signing', 'ssh', '--signing-key', key], dir);
    expect(result.code, result.stderr).toBe(0);
    const manifest = JSON.parse(readFileSync(join(dir, 'svc', '.secure-service', 'manifest.json'), 'utf8')) as { answers: { signingKey: string } };
    expect(manifest.answers.signingKey).toBe(key);
    expect(readFileSync(join(dir, 'svc', 'SECURITY.md'), 'utf8')).toContain(`git config --local user.signingkey '${key}'`);
  });
});
