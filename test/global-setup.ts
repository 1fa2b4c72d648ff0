/**
 * Builds dist/ once before any test file runs, so tests that run the built CLI (or pack it with
 * --ignore-scripts) never race a rebuild started by another test file.
 *
 * Every temporary folder the tests (and the CLIs, git, gpg and go they start) make goes under one
 * folder per run, removed when the run ends: the suite makes a few hundred, and a test that fails
 * or is killed half-way does not clean up after itself.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export default function setup(): () => void {
  execFileSync(process.execPath, [resolve(import.meta.dirname, '../scripts/build.mjs')], { stdio: 'inherit' });
  // Short on purpose: gpg-agent's socket lives under a test's GNUPGHOME and a Unix socket's path
  // may not exceed 107 bytes.
  const root = mkdtempSync(join(tmpdir(), 'cst-'));
  // Searchable by others, as /tmp is: the permission tests run the CLI as another user. Each
  // folder a test makes in it is still its own mkdtemp, readable by its owner alone.
  chmodSync(root, 0o755);
  process.env.TMPDIR = root;
  return () => rmSync(root, { recursive: true, force: true, maxRetries: 3 });
}
