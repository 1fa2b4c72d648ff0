import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/index.js';
import { MANIFEST_PATH } from '../../src/manifest.js';
import { captureOutput } from '../helpers/output.js';

const work = mkdtempSync(join(tmpdir(), 'css-create-name-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function nameFor(directory: string, ...flags: string[]): Promise<string> {
  const captured = captureOutput();
  const code = await main([join(work, directory), '--yes', '--no-git', ...flags], captured.output);
  expect(code, captured.stderr()).toBe(0);
  return JSON.parse(readFileSync(join(work, directory, MANIFEST_PATH), 'utf8')).answers.name;
}

describe('create: the service name suggested by the directory', () => {
  it('is the directory name made into a DNS label, as add does for a folder', async () => {
    expect(await nameFor('orders-api')).toBe('orders-api');
    expect(await nameFor('My Service')).toBe('my-service');
    expect(await nameFor('Billing_API v2')).toBe('billing-api-v2');
  });

  it('falls back to the default when nothing usable is left, and gives way to --name', async () => {
    expect(await nameFor('2024')).toBe('my-svc');
    expect(await nameFor('Some Dir', '--name', 'payments')).toBe('payments');
  });
});
