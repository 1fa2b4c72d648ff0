import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runMain, tempDir } from '../hostile/helpers.js';

describe('update adding a secret', () => {
  it("names each new secret the app's env file (yours, never rewritten) lacks, with the line to add; a file that has it, or an update adding none, says nothing", async () => {
    const dir = tempDir('css-update-secret-');
    expect((await runMain(['s', '--yes', '--no-git', '--secret', 'API_KEY'], dir)).code).toBe(0);
    const env = join(dir, 's', 'secrets', 's.env');
    writeFileSync(env, "API_KEY='real'\nexport TOKEN='t'\n");
    const before = readFileSync(env, 'utf8');
    const args = ['update', '--dir', 's', '--yes', '--secret', 'API_KEY,DB_URL,TOKEN,SMTP_PASS'];
    for (const mode of [['--dry-run'], []]) {
      const result = await runMain([...args, ...mode], dir);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).toContain(`secrets/s.env has no line for the secret(s) this update ${mode.length ? 'would add' : 'adds'}, DB_URL, SMTP_PASS: add DB_URL='', SMTP_PASS='' to it and write each value between the quotes (update never rewrites the file: its values are yours)`);
      expect(result.stderr).not.toMatch(/TOKEN|API_KEY/);
    }
    expect(readFileSync(env, 'utf8')).toBe(before);
    expect((await runMain(['update', '--dir', 's', '--yes', '--port', '3001'], dir)).stderr).not.toContain('has no line');
  });
});

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

  it('leaves the password file of a service it drops, and says so with the command that deletes it', async () => {
    const dir = tempDir('css-update-svc-');
    expect((await runMain(['s', '--yes', '--no-git', '--service', 'redis'], dir)).code).toBe(0);
    const password = readFileSync(join(dir, 's', 'secrets', 'redis_password'), 'utf8');
    const dry = await runMain(['update', '--dir', 's', '--yes', '--dry-run', '--service', 'postgres', '--service', 'mongo'], dir);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('  the password file of each backing service this update would drop stays (a secret is never deleted for you; a data volume may still need it): secrets/redis_password; once nothing needs it, delete it: rm -- s/secrets/redis_password\n');
    const run = await runMain(['update', '--dir', 's', '--yes', '--service', 'postgres', '--service', 'mongo'], dir);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('  the password file of each backing service this update dropped stays (a secret is never deleted for you; a data volume may still need it): secrets/redis_password; once nothing needs it, delete it: rm -- s/secrets/redis_password\n');
    expect(readFileSync(join(dir, 's', 'secrets', 'redis_password'), 'utf8')).toBe(password);
    // Said once, by the update that drops it; one whose owner already deleted it is not mentioned.
    expect((await runMain(['update', '--dir', 's', '--yes'], dir)).stdout).not.toContain('redis_password');
    rmSync(join(dir, 's', 'secrets', 'mongo_password'));
    expect((await runMain(['update', '--dir', 's', '--yes', '--service', 'postgres'], dir)).stdout).not.toMatch(/drop/);
  });
});
