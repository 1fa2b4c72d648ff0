import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
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

  it('writes none where the project has no compose files to mount it (add docker alone)', async () => {
    const dir = tempDir('css-update-svc-');
    const app = join(dir, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', scripts: { start: 'node index.js' } }));
    writeFileSync(join(app, 'index.js'), 'require("http").createServer((q, s) => s.end("ok")).listen(3000);\n');
    expect((await runMain(['add', 'docker', '--dir', app, '--yes', '--service', 'postgres'], dir)).code).toBe(0);
    for (const args of [[], ['--port', '3001']]) {
      const result = await runMain(['update', '--dir', app, '--yes', ...args], dir);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).not.toMatch(/password/);
    }
    expect(existsSync(join(app, 'secrets'))).toBe(false);
    expect(readdirSync(app).filter((n) => n.includes('.tmp'))).toEqual([]);
  });

  it('makes secrets/ again (0700) where its owner removed it', async () => {
    const dir = tempDir('css-update-svc-');
    expect((await runMain([join(dir, 's'), '--yes', '--no-git'], dir)).code).toBe(0);
    rmSync(join(dir, 's', 'secrets'), { recursive: true });
    const result = await runMain(['update', '--dir', join(dir, 's'), '--yes', '--service', 'redis'], dir);
    expect(result.code, result.stderr).toBe(0);
    expect(statSync(join(dir, 's', 'secrets')).mode & 0o777).toBe(0o700);
    expect(existsSync(join(dir, 's', 'secrets', 'redis_password'))).toBe(true);
  });
});
