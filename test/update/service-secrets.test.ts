import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runMain, tempDir } from '../hostile/helpers.js';

describe('update adding a backing service', () => {
  it('generates its password file, as create does', async () => {
    const dir = tempDir('css-update-svc-');
    expect((await runMain([join(dir, 's'), '--yes', '--no-git'], dir)).code).toBe(0);
    expect(existsSync(join(dir, 's', 'secrets', 'postgres_password'))).toBe(false);
    const result = await runMain(['update', '--dir', join(dir, 's'), '--yes', '--service', 'postgres'], dir);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/generated random passwords .*secrets\/postgres_password/);
    expect(statSync(join(dir, 's', 'secrets', 'postgres_password')).mode & 0o777).toBe(0o644);
    expect((await runMain(['check', join(dir, 's')], dir)).code).toBe(0);
  });
});
