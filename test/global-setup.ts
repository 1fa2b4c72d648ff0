/**
 * Builds dist/ once before any test file runs, so tests that run the built CLI (or pack it with
 * --ignore-scripts) never race a rebuild started by another test file.
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

export default function setup(): void {
  execFileSync(process.execPath, [resolve(import.meta.dirname, '../scripts/build.mjs')], { stdio: 'inherit' });
}
