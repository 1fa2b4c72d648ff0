/**
 * Vault policies as Vault reads them: in HCL1 (a `{` on the next line, one-line bodies, commas,
 * quoted names, the old `policy = "…"` form), never skipped without a word when they are policies.
 */
import { describe, expect, it } from 'vitest';
import { runCheck } from '../../src/check/engine.js';
import { memorySource } from '../../src/check/source.js';

const check = async (files: Record<string, string>) => runCheck(memorySource(new Map(Object.entries(files))));
const summary = (findings: { rule: string; file: string; line: number }[]) => findings.filter((f) => /^[VF]/.test(f.rule)).map((f) => `${f.file}:${f.line} ${f.rule}`);

describe('Vault policies in HCL1', () => {
  it("reads a block whose { is on the next line (HashiCorp's admin-policy.hcl)", async () => {
    const report = await check({ 'admin-policy.hcl': '# Read system health check\npath "sys/health"\n{\n  capabilities = ["read", "sudo"]\n}\n' });
    expect(report.files).toEqual(['admin-policy.hcl']);
    expect(summary(report.findings)).toEqual(['admin-policy.hcl:2 V03', 'admin-policy.hcl:4 V03']);
  });

  it('reads one-line bodies with several arguments, commas, quoted names and the old policy = form', async () => {
    const text = [
      'name = "app"',
      'path "secret/data/app/db" { capabilities = ["read"], min_wrapping_ttl = "1s" }',
      'path "secret/data/app/x" {',
      '  "capabilities" = ["read"],',
      '}',
      'path "secret/data/app/y" {',
      '  policy = "write"',
      '}',
    ].join('\n');
    const report = await check({ 'vault/app.hcl': text });
    expect(report.files).toEqual(['vault/app.hcl']);
    expect(report.findings.filter((f) => f.rule === 'V03').map((f) => `${f.line} ${f.message}`)).toEqual([
      '7 path "secret/data/app/y" grants create: a service policy only reads',
      '7 path "secret/data/app/y" grants delete: a service policy only reads',
      '7 path "secret/data/app/y" grants update: a service policy only reads',
    ]);
    expect(summary(report.findings).filter((f) => f.endsWith('F01'))).toEqual([]);
  });

  it('reports a policy it cannot read, whatever its name, instead of skipping it', async () => {
    const report = await check({ 'admin-policy.hcl': 'path "sys/health" {\n  capabilities = ["read"\n', 'ops/x.hcl': 'path "a" {\n  capabilities = [\n' });
    expect(summary(report.findings)).toEqual(['admin-policy.hcl:3 F01', 'ops/x.hcl:3 F01']);
    expect(report.findings[0]!.message).toMatch(/does not parse as a Vault policy/);
  });

  it('still skips an .hcl file that is no policy (Terraform, Packer)', async () => {
    const report = await check({ 'terragrunt.hcl': 'include "root" {\n  path = find_in_parent_folders()\n}\n' });
    expect(report.files).toEqual([]);
    expect(report.findings.filter((f) => f.rule === 'F01')).toEqual([]);
  });

  it('keeps reading Nomad jobs as HCL2, as Nomad does', async () => {
    const report = await check({ 'app.nomad.hcl': 'job "app"\n{\n}\n' });
    expect(summary(report.findings)).toEqual(['app.nomad.hcl:1 F01']);
  });
});

describe('deny and list in a service policy', () => {
  const text = [
    'path "secret/data/app/*" {',
    '  capabilities = ["read"]',
    '}',
    'path "secret/metadata/app/*" {',
    '  capabilities = ["list"]',
    '}',
    'path "secret/*" {',
    '  capabilities = ["deny"]',
    '}',
    'path "sys/*" {',
    '  capabilities = ["deny"]',
    '}',
  ].join('\n');

  it('takes deny as removing access (no V01/V03), and list on <mount>/metadata/<svc>/* as its own prefix', async () => {
    const report = await check({ 'vault/app-read.policy.hcl': text });
    expect(summary(report.findings)).toEqual([]);
  });

  it('still reports a capability name Vault does not know beside deny, and list on the whole metadata mount', async () => {
    const report = await check({ 'vault/x.policy.hcl': 'path "secret/*" {\n  capabilities = ["deny", "Read"]\n}\npath "secret/metadata/*" {\n  capabilities = ["list"]\n}\n' });
    expect(summary(report.findings)).toEqual(['vault/x.policy.hcl:2 V03', 'vault/x.policy.hcl:4 V03', 'vault/x.policy.hcl:5 V01']);
  });
});

describe('Vault policies in JSON', () => {
  const policy = JSON.stringify({ path: { 'secret/data/app/*': { capabilities: ['read'] }, 'secret/data/app/admin': { capabilities: ['read', 'update', 'sudo'] } } }, null, 2);

  it('checks a .json file named like a policy, each finding on its path\'s line', async () => {
    const report = await check({ 'policies/app.json': policy, 'app.policy.json': policy, 'vault/app.json': policy });
    expect(report.files.sort()).toEqual(['app.policy.json', 'policies/app.json', 'vault/app.json']);
    expect(summary(report.findings).filter((f) => f.startsWith('app.policy.json'))).toEqual(['app.policy.json:9 V03', 'app.policy.json:9 V03']);
  });

  it('reads the list-of-objects form too', async () => {
    const text = JSON.stringify({ path: [{ 'sys/seal': { capabilities: ['update'] } }] }, null, 2);
    expect(summary((await check({ 'app-policy.json': text })).findings)).toEqual(['app-policy.json:4 V03', 'app-policy.json:5 V03']);
  });

  it('leaves other JSON alone, in a policies folder or not', async () => {
    const report = await check({ 'policies/package.json': '{"name": "x", "path": "y"}', 'policies/broken.json': '{', 'data.json': policy });
    expect(report.files).toEqual([]);
    expect(report.findings).toEqual([]);
  });
});

describe('dynamic secrets beside the KV paths (database/creds, aws/creds and sts, static-creds)', () => {
  const policy = (...paths: string[]) => paths.map((p) => `path "${p}" {\n  capabilities = ["read"]\n}\n`).join('');
  const v01 = async (text: string) => (await check({ 'vault/devices.policy.hcl': text })).findings.filter((f) => /^V/.test(f.rule)).map((f) => `${f.rule} ${f.message}`);

  it("takes a role named for the service as the service's own, in any order", async () => {
    expect(await v01(policy('atlas/data/devices/*', 'database/creds/devices', 'aws/creds/devices-s3', 'database/static-creds/readonly_devices'))).toEqual([]);
    expect(await v01(policy('database/creds/devices', 'atlas/data/devices/*'))).toEqual([]);
    expect(await v01(policy('database/creds/devices', 'aws/sts/devices'))).toEqual([]);
  });

  it("still reports another service's role, a glob over the roles, and another service's KV folder", async () => {
    expect(await v01(policy('atlas/data/devices/*', 'database/creds/billing', 'database/creds/*', 'atlas/data/billing/*'))).toEqual([
      'V01 path "database/creds/billing" reads the role billing, which is not named for the policy\'s service (devices): one policy per service, one role per service',
      'V03 path "database/creds/*" uses a glob that reaches beyond one service\'s prefix',
      'V01 path "atlas/data/billing/*" belongs to another service (billing) than the policy\'s first path: one policy per service',
    ]);
  });

  it('keeps a KV v1 folder named creds on a KV mount a KV folder', async () => {
    expect(await v01(policy('secret/devices/db', 'secret/creds/devices'))).toEqual([
      'V01 path "secret/creds/devices" belongs to another service (creds) than the policy\'s first path: one policy per service',
    ]);
  });
});

describe('issuing certificates (pki/issue/<role>, pki/sign/<role>)', () => {
  // The PKI engine's issue and sign paths have one operation, an update (no read, no existence
  // check for create): a policy with read there cannot issue, so update is least privilege.
  const v = async (text: string) => (await check({ 'vault/devices.policy.hcl': text })).findings.filter((f) => /^V/.test(f.rule)).map((f) => `${f.line} ${f.rule} ${f.message}`);

  it('takes update on the service\'s own issue and sign roles as least privilege', async () => {
    expect(await v('path "pki/issue/devices" {\n  capabilities = ["update"]\n}\npath "pki_int/sign/devices" {\n  capabilities = ["update"]\n}\npath "atlas/data/devices/db" {\n  capabilities = ["read"]\n}\n')).toEqual([]);
  });

  it('still reports create there, update on other role paths, and a glob over the roles', async () => {
    expect(await v('path "pki/issue/devices" {\n  capabilities = ["create", "update", "delete"]\n}\npath "database/creds/devices" {\n  capabilities = ["update"]\n}\npath "pki/issue/*" {\n  capabilities = ["update"]\n}\n')).toEqual([
      '2 V03 path "pki/issue/devices" grants create, which issuing never uses: issuing and signing take only update',
      '2 V03 path "pki/issue/devices" grants delete: a service policy only reads',
      '5 V03 path "database/creds/devices" grants update: a service policy only reads',
      '7 V03 path "pki/issue/*" uses a glob that reaches beyond one service\'s prefix',
      '8 V03 path "pki/issue/*" grants update: a service policy only reads',
    ]);
  });

  it('reports another service\'s issue role under V01, as it reports another service\'s read role', async () => {
    expect(await v('path "atlas/data/devices/db" {\n  capabilities = ["read"]\n}\npath "pki/issue/billing" {\n  capabilities = ["update"]\n}\n')).toEqual([
      '4 V01 path "pki/issue/billing" reads the role billing, which is not named for the policy\'s service (devices): one policy per service, one role per service',
    ]);
  });
});

describe('list on a KV v2 metadata path without the trailing slash', () => {
  it('says the slash is missing, not that the path is outside the prefix', async () => {
    const text = 'path "atlas/data/devices/*" {\n  capabilities = ["read"]\n}\npath "atlas/metadata/devices" {\n  capabilities = ["list"]\n}\n';
    const report = await check({ 'vault/devices.policy.hcl': text });
    expect(report.findings.filter((f) => /^V/.test(f.rule)).map((f) => `${f.line} ${f.rule} ${f.message}`)).toEqual([
      '5 V01 path "atlas/metadata/devices" grants list without the trailing slash Vault\'s docs ask for (listing always names a prefix): write "atlas/metadata/devices/"',
    ]);
  });

  it('still calls list on the whole metadata mount outside the prefix', async () => {
    const report = await check({ 'vault/devices.policy.hcl': 'path "atlas/metadata" {\n  capabilities = ["list"]\n}\n' });
    expect(report.findings.filter((f) => f.rule === 'V01').map((f) => f.message)).toEqual(['path "atlas/metadata" grants list outside the service\'s metadata prefix']);
  });
});
