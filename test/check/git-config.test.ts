/**
 * The git config reader S01/S02 use, against what git itself reads (git-config(1), CONFIGURATION
 * FILE: a variable may follow its section header on the same line).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCheck } from '../../src/check/engine.js';
import { gitConfigEntries } from '../../src/check/signing.js';
import { memorySource } from '../../src/check/source.js';

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

describe('a repository whose only checked files are its signing setup', () => {
  it('counts .git/config and .allowed_signers as checked, so check does not say it found nothing', async () => {
    const files = new Map([
      ['.git/config', '[commit]\n\tgpgSign = true\n[tag]\n\tgpgsign = true\n[user]\n\tsigningkey = ~/.ssh/id_ed25519.pub\n[gpg]\n\tformat = ssh\n[gpg "ssh"]\n\tallowedSignersFile = .allowed_signers\n'],
      ['.allowed_signers', 'dev@example.com namespaces="git" ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPvMq/Zpl7z9G5EOv9lfI7XK+U4SnNSq9PMGU6Kv7SaC\n'],
      // What makes .git a repository (HEAD, objects/, refs/): without them git passes over it.
      ['.git/HEAD', 'ref: refs/heads/main\n'],
      ['.git/objects/info/packs', '\n'],
      ['.git/refs/heads/main', `${'0'.repeat(40)}\n`],
    ]);
    const report = await runCheck(memorySource(files));
    expect(report.files).toEqual(['.git/config', '.allowed_signers']);
    expect(report.findings.map((f) => f.rule)).toEqual(['S03']);
  });
});
