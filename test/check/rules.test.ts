/**
 * Every rule against fixtures written from its source: for each rule at least one folder that
 * breaks it, annotated with `# expect <ID>` on the line check must report (the seed's
 * `FROM python` + `COPY . .` Dockerfile, a compose file with `privileged: true` and 0.0.0.0 ports,
 * a Nomad job with `port_map` and secrets rendered into local/, a Vault policy granting `secret/*`
 * with `update`, …), and a hardened project where every rule passes.
 */
import { describe, expect, it } from 'vitest';
import { rules } from '../../src/check/rules.js';
import { checkFixture, expectations, fixtureNames } from './fixtures.js';

const badFixtures = fixtureNames('bad');

describe('check on known-bad fixtures', () => {
  it.each(badFixtures)('%s: reports exactly the annotated findings of the rules it targets', async (name) => {
    const expected = expectations(name);
    expect(expected.length, `${name} has no "# expect" annotations`).toBeGreaterThan(0);
    const targeted = new Set(expected.map((e) => e.split(' ')[1]));
    const { findings } = await checkFixture('bad', name);
    const reported = [...new Set(findings.filter((f) => targeted.has(f.rule)).map((f) => `${f.file}:${f.line} ${f.rule}`))].sort();
    expect(reported).toEqual(expected);
  });

  it('covers every rule of the table with at least one annotated violation', () => {
    const covered = new Set(badFixtures.flatMap((name) => expectations(name).map((e) => e.split(' ')[1])));
    expect(rules.map((r) => r.id).filter((id) => !covered.has(id))).toEqual([]);
  });

  it('gives every finding a rule, a line, a message and a fix', async () => {
    for (const name of badFixtures) {
      for (const f of (await checkFixture('bad', name)).findings) {
        expect(rules.some((r) => r.id === f.rule), f.rule).toBe(true);
        expect(Number.isInteger(f.line) && f.line >= 1, `${f.file}:${f.line}`).toBe(true);
        expect(f.message, f.rule).not.toMatch(/\n/);
        expect(f.fix.length, f.rule).toBeGreaterThan(10);
      }
    }
  });
});

describe('check on a hardened project written by hand', () => {
  it('finds nothing, and counts the one accepted risk', async () => {
    const report = await checkFixture('good', 'project');
    expect(report.findings).toEqual([]);
    expect(report.suppressed).toBe(1);
    expect(report.files).toEqual(['Dockerfile', '.dockerignore', 'compose.override.yaml', 'compose.yaml', 'deploy/api.nomad.hcl', 'deploy/api.policy.hcl', '.git/config', '.allowed_signers']);
  });

  it('reads the signing setup from .git/config (S01-S03 pass only because it is complete)', async () => {
    const report = await checkFixture('good', 'project', { only: ['S01', 'S02', 'S03'] });
    expect(report.findings).toEqual([]);
  });

  it('keeps honouring the suppression when only its rule is checked', async () => {
    expect((await checkFixture('good', 'project', { only: ['C02'] })).findings).toEqual([]);
    expect((await checkFixture('good', 'project', { only: ['C02'] })).suppressed).toBe(1);
  });
});

describe('--rule and --ignore', () => {
  it('--rule keeps only the named rules (and F01, since a file that cannot be read hides every rule)', async () => {
    const { findings } = await checkFixture('bad', 'files', { only: ['D04'] });
    expect([...new Set(findings.map((f) => f.rule))].sort()).toEqual(['D04', 'F01']);
  });

  it('--ignore drops the named rules, F01 included', async () => {
    const { findings } = await checkFixture('bad', 'files', { ignore: ['F01', 'F02', 'F03', 'D02', 'D04', 'D10', 'D11', 'D12', 'D13', 'D14', 'I01'] });
    expect(findings).toEqual([]);
  });
});
