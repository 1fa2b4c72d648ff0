/**
 * The git config reader S01/S02 use, against what git itself reads (git-config(1), CONFIGURATION
 * FILE: a variable may follow its section header on the same line).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gitConfigEntries } from '../../src/check/signing.js';

describe('gitConfigEntries', () => {
  it('reads a variable written on its section header line, as git does', () => {
    const text = '[core]\n\tbare = false\n[commit] gpgsign = true\n[tag]gpgSign\n[gpg "ssh"] allowedSignersFile = .allowed_signers # ours\n[user] # who\n\tsigningkey = key.pub\n';
    const dir = mkdtempSync(join(tmpdir(), 'css-gitconfig-'));
    try {
      writeFileSync(join(dir, 'config'), text);
      const git = (key: string, type: string) => execFileSync('git', ['config', '--file', join(dir, 'config'), `--type=${type}`, '--get', key], { encoding: 'utf8' }).trim();
      // A later value wins, as in git.
      const config = new Map(gitConfigEntries(text).map(({ key, value, line }) => [key, { value, line }]));
      for (const key of ['commit.gpgsign', 'tag.gpgsign']) expect(config.get(key)?.value, key).toBe(git(key, 'bool'));
      for (const key of ['gpg.ssh.allowedsignersfile', 'user.signingkey']) expect(config.get(key)?.value, key).toBe(git(key, 'path'));
      expect(config.get('commit.gpgsign')).toEqual({ value: 'true', line: 3 });
      expect(config.get('tag.gpgsign')).toEqual({ value: 'true', line: 4 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
