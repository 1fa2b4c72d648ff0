/**
 * `create-secure-service check` through the CLI entry point (`main` from src/index.ts): exit
 * codes, the three formats (the SARIF validated against the OASIS SARIF 2.1.0 schema), --rule,
 * --ignore and suppressions, and one-line usage errors.
 */
import { Ajv } from 'ajv';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rules } from '../../src/check/rules.js';
import { main } from '../../src/index.js';
import { captureOutput } from '../helpers/output.js';
import { repoRoot } from '../helpers/render.js';
import { materialise } from './fixtures.js';

// What the last check() printed.
let out = '';
let err = '';

const check = async (...args: string[]) => {
  const captured = captureOutput();
  const code = await main(['check', ...args, '--no-color'], captured.output);
  [out, err] = [captured.stdout(), captured.stderr()];
  return code;
};

/** The OASIS SARIF 2.1.0 schema (schemas/README.md), compiled with its three string formats. */
function sarifSchema() {
  const schema = JSON.parse(readFileSync(resolve(repoRoot, 'schemas/sarif-schema-2.1.0.json'), 'utf8')) as Record<string, unknown>;
  const ajv = new Ajv({ allErrors: true, strict: false });
  ajv.addFormat('uri', (s: string) => URL.canParse(s));
  ajv.addFormat('uri-reference', (s: string) => !/\s/.test(s) && URL.canParse(s, 'file:///base/'));
  ajv.addFormat('date-time', (s: string) => !Number.isNaN(Date.parse(s)));
  return ajv.compile(schema);
}

describe('check on the command line', () => {
  it('exits 0 on a hardened project and says so', async () => {
    expect(await check(materialise('good', 'project'))).toBe(0);
    expect(out).toMatch(/^No findings in 8 file\(s\) checked; 1 accepted by secure-service-ignore comments\.$/m);
  });

  it('passes a folder with nothing to check, but says so on stderr (the wrong folder is a likely mistake)', async () => {
    // Its name holds a terminal escape, quoted back escaped.
    const empty = mkdtempSync(join(tmpdir(), 'css-check-empty-\u001b[2J-'));
    try {
      expect(await check(empty)).toBe(0);
      expect(out).toMatch(/^No findings in 0 file\(s\) checked\.$/m);
      expect(err).toMatch(/^warning: nothing to check in .*css-check-empty-\\u001b\[2J-.*: no Dockerfile, .dockerignore, compose file, Nomad job, Vault policy or git config found; give the project's folder/);
      expect(err).not.toMatch(/\u001b/);
      expect(await check(materialise('good', 'project'))).toBe(0);
      expect(err).toBe('');
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('exits 1 on findings and prints them like a linter: by file, line, ID, message, upstream IDs and fix', async () => {
    expect(await check(materialise('bad', 'dockerfile-seed'))).toBe(1);
    const lines = out.split('\n');
    expect(lines[0]).toBe('Dockerfile');
    expect(out).toMatch(/^ {3}5 {2}D01 {2}FROM "python" has no tag.* \(DL3006, DL3007, CKV_DOCKER_7, DKL-DI-0006, CIS 4\.2\)$/m);
    expect(out).toMatch(/^ {11}fix: Pin python to an exact version tag, FROM python:<version>/m);
    expect(out).toMatch(/^\d+ finding\(s\) in 1 file\(s\) \(1 checked\)\.$/m);
  });

  it('prints stable JSON', async () => {
    expect(await check(materialise('bad', 'compose-override'), '--format', 'json')).toBe(1);
    const report = JSON.parse(out) as { version: number; tool: { name: string }; files: string[]; findings: { rule: string; file: string; line: number; upstream: string[]; severity: string; message: string; fix: string }[]; summary: { findings: number; suppressed: number; byRule: Record<string, number> } };
    expect(report.version).toBe(1);
    expect(report.tool.name).toBe('create-secure-service');
    expect(report.files).toEqual(['compose.override.yaml', 'compose.prod.yaml', 'compose.yaml']);
    expect(report.findings[0]).toEqual({
      rule: 'C10',
      upstream: ['CIS 5.5', 'CIS 5.15', 'CIS 5.16', 'CIS 5.20', 'CIS 5.31'],
      severity: 'high',
      file: 'compose.override.yaml',
      line: 7,
      message: 'api: bind mount ./data:/app/data is writable (with compose.yaml)',
      fix: expect.any(String),
    });
    expect(report.summary.findings).toBe(report.findings.length);
    expect(Object.values(report.summary.byRule).reduce((a, b) => a + b, 0)).toBe(report.findings.length);
    const again = out;
    out = '';
    await check(materialise('bad', 'compose-override'), '--format', 'json');
    expect(out).toBe(again);
  });

  it('prints SARIF 2.1.0 that the official schema accepts, with every rule and relative locations', async () => {
    const validate = sarifSchema();
    for (const [kind, name] of [['bad', 'nomad-seed'], ['bad', 'dockerignore'], ['good', 'project']] as const) {
      out = '';
      await check(materialise(kind, name), '--format', 'sarif');
      const log = JSON.parse(out) as { version: string; runs: { tool: { driver: { rules: { id: string; help: { text: string } }[] } }; results: { ruleId: string; ruleIndex: number; level: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[] }[] }[] };
      expect(validate(log), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
      const run = log.runs[0]!;
      expect(run.tool.driver.rules.map((r) => r.id)).toEqual(rules.map((r) => r.id));
      for (const r of run.tool.driver.rules) expect(r.help.text.length).toBeGreaterThan(20);
      for (const result of run.results) {
        expect(run.tool.driver.rules[result.ruleIndex]!.id).toBe(result.ruleId);
        expect(['error', 'warning', 'note']).toContain(result.level);
        const { artifactLocation, region } = result.locations[0]!.physicalLocation;
        expect(artifactLocation.uri).not.toMatch(/^\/|^[a-z]+:/);
        expect(region.startLine).toBeGreaterThanOrEqual(1);
      }
      if (kind === 'good') expect(run.results).toEqual([]);
      else expect(run.results.length).toBeGreaterThan(5);
    }
  });

  it('uses the vendored upstream schema recorded in schemas/README.md', () => {
    const schema = readFileSync(resolve(repoRoot, 'schemas/sarif-schema-2.1.0.json'));
    const readme = readFileSync(resolve(repoRoot, 'schemas/README.md'), 'utf8');
    expect(readme).toContain(createHash('sha256').update(schema).digest('hex'));
    expect(readme).toContain('3682e9ee648f2f3e11ba1fcd47fc390a0b8f9dab');
  });

  it('validates the schema check itself: a broken log is rejected', () => {
    const validate = sarifSchema();
    expect(validate({ version: '2.1.0', runs: [{ tool: { driver: {} }, results: [] }] })).toBe(false);
    expect(validate({ version: '2.1.0', runs: [{ tool: { driver: { name: 'x' } }, results: [{ ruleId: 'D01', message: { text: 'x' }, locations: [{ physicalLocation: { artifactLocation: { uri: 'a b' }, region: { startLine: 0 } } }] }] }] })).toBe(false);
  });

  it('--rule keeps only the named rules, case-insensitive and comma-separated; --ignore drops them', async () => {
    const dir = materialise('bad', 'dockerfile-seed');
    expect(await check(dir, '--rule', 'd01,D04', '--format', 'json')).toBe(1);
    expect([...new Set((JSON.parse(out) as { findings: { rule: string }[] }).findings.map((f) => f.rule))]).toEqual(['D01', 'D04']);
    out = '';
    expect(await check(dir, '--rule', 'C01')).toBe(0);
    out = '';
    const ignored = ['I01', 'I03', 'D01', 'D02', 'D03', 'D04', 'D06', 'D08', 'D10', 'D11', 'D12', 'D13', 'D14', 'D15'];
    expect(await check(dir, ...ignored.flatMap((id) => ['--ignore', id]))).toBe(0);
  });

  it('refuses bad usage with one line and exit 2', async () => {
    const dir = materialise('good', 'project');
    for (const [args, message] of [
      [[dir, '--format', 'xml'], /unknown format "xml"; use --format text, json or sarif/],
      [[dir, '--rule', 'D99'], /unknown rule ID D99 for --rule/],
      [[dir, '--ignore', 'nope'], /unknown rule ID NOPE for --ignore/],
      [[dir, '--rule', ''], /--rule names no rule ID; give one, e.g. --rule D04, or leave --rule out/],
      [[dir, '--rule', ' , '], /--rule names no rule ID/],
      [[resolve(dir, 'missing')], /missing does not exist; give the folder to check/],
      [[dir, 'extra'], /too many arguments for check/],
      [[dir, '--fix'], /^error: unknown option --fix; run create-secure-service check --help for the options$/m],
    ] as const) {
      err = '';
      expect(await check(...args), args.join(' ')).toBe(2);
      expect(err).toMatch(message);
      expect(err.trim().split('\n')).toHaveLength(1);
    }
  });

  it('checks the current folder by default', async () => {
    const dir = materialise('good', 'project');
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      expect(await check()).toBe(0);
    } finally {
      process.chdir(cwd);
    }
  });
});

describe('check on hostile files', () => {
  // Not timing tests: the readers these files broke did not finish (quadratic trims over a long
  // run of blanks) or crashed (thousands of "**/" overflowed the stack).
  const sp = ' '.repeat(200_000);
  it('reads long runs of blanks, and a .dockerignore of thousands of "**/", to the end', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'css-hostile-check-'));
    try {
      writeFileSync(join(dir, 'Dockerfile'), `FROM node:22${sp}x\nRUN echo a${sp}# c\n`);
      writeFileSync(join(dir, 'compose.yaml'), `services:\n  app:\n    image: x${sp}#\n    command: [a,${sp}b]\n`);
      writeFileSync(join(dir, '.dockerignore'), `${'**/'.repeat(20_000)}x\n`);
      expect(await check(dir), err).toBe(1);
      expect(out).toMatch(/finding\(s\) in \d+ file\(s\)/);
      expect(err).not.toMatch(/unexpected error/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);

  it('reads a .dockerignore whose names hold regexp characters, and refuses a malformed one in one line', async () => {
    // @balena/dockerignore compiled "(" and "[" alone into JavaScript expressions that threw.
    const dir = mkdtempSync(join(tmpdir(), 'css-hostile-check-'));
    try {
      writeFileSync(join(dir, 'Dockerfile'), 'FROM x\n');
      mkdirSync(join(dir, 'secrets'));
      writeFileSync(join(dir, 'secrets', 'db.key'), 'x');
      writeFileSync(join(dir, '.dockerignore'), 'notes(draft.md\na+b\n{x}|y$\n');
      expect(await check(dir, '--rule', 'I03')).toBe(1);
      expect(out).toMatch(/I03 .*secrets/);
      expect(err).toBe('');
      writeFileSync(join(dir, '.dockerignore'), '**/secrets\nbuild[\n');
      expect(await check(dir)).toBe(2);
      expect(err.trim()).toBe('error: .dockerignore:2: "build[" has a [ with no closing ], which Docker refuses; close the class, or write \\[ for a bracket');
      // The pattern is the repository's text: a C1 control in it (CSI) is printed escaped.
      writeFileSync(join(dir, '.dockerignore'), 'a\u009b2J[\n');
      expect(await check(dir)).toBe(2);
      expect(err.trim()).toBe('error: .dockerignore:1: "a\\u009b2J[" has a [ with no closing ], which Docker refuses; close the class, or write \\[ for a bracket');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports files nested 100 000 levels deep as findings, not as a crash', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'css-hostile-check-'));
    try {
      writeFileSync(join(dir, 'compose.yaml'), `services:\n  w:\n    image: x\n    command: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`);
      writeFileSync(join(dir, 'api.nomad.hcl'), `job "x" {\n  meta = ${'['.repeat(100_000)}${']'.repeat(100_000)}\n}\n`);
      expect(await check(dir)).toBe(1);
      expect(out).toMatch(/F01 +does not parse as YAML: nested deeper than this tool reads; flatten the nesting/);
      expect(out).toMatch(/F01 +does not parse as HCL2: Nested more than 500 levels deep/);
      expect(err).toBe('');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads no file through a symbolic link, no device or FIFO, and no giant: each is an F01, and the run ends', async () => {
    // compose.yaml linked to /dev/zero read until memory ran out (12 GB in 30 s); a Dockerfile
    // linked outside the project put that file's lines into findings, i.e. into a CI log.
    const dir = mkdtempSync(join(tmpdir(), 'css-hostile-check-'));
    const outside = mkdtempSync(join(tmpdir(), 'css-outside-'));
    try {
      writeFileSync(join(outside, 'secret'), 'FROM registry.example.com/TOP-SECRET-TOKEN\n');
      symlinkSync('/dev/zero', join(dir, 'compose.yaml'));
      symlinkSync(join(outside, 'secret'), join(dir, 'Dockerfile'));
      execFileSync('mkfifo', [join(dir, 'compose.test.yaml')]);
      writeFileSync(join(dir, 'api.nomad.hcl'), '');
      truncateSync(join(dir, 'api.nomad.hcl'), 11 * 1024 * 1024);
      mkdirSync(join(dir, 'real'));
      writeFileSync(join(dir, 'real', 'Dockerfile'), 'FROM registry.example.com/LINKED-FOLDER\n');
      symlinkSync(join(dir, 'real'), join(dir, 'linked'));
      expect(await check(dir)).toBe(1);
      expect(out).toMatch(/Dockerfile\n +1 +F01 +not read: it is a symbolic link, and check reads nothing through a link/);
      expect(out).toMatch(/compose\.yaml\n +1 +F01 +not read: it is a symbolic link/);
      expect(out).toMatch(/compose\.test\.yaml\n +1 +F01 +not read: it is not a regular file/);
      expect(out).toMatch(/api\.nomad\.hcl\n +1 +F01 +not read: it is larger than the 10 MiB this tool reads/);
      expect(out).not.toMatch(/TOP-SECRET-TOKEN|linked\//);
      expect(err).toBe('');
    } finally {
      rmSync(dir, { recursive: true, force: true });
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('reports a binary file named like a Dockerfile, compose file or HCL file as one F01, not one per "line"', async () => {
    // 3 MB of random bytes as Dockerfile.bin gave 11 612 F01s, each quoting garbage.
    const dir = mkdtempSync(join(tmpdir(), 'css-hostile-check-'));
    try {
      const bytes = (size: number, seed: string) => {
        const out = Buffer.alloc(size);
        for (let at = 0, n = 0; at < size; n++) at += createHash('sha256').update(`${seed}${n}`).digest().copy(out, at);
        out[size >> 1] = 0;
        out[(size >> 1) + 1] = 10;
        return out;
      };
      writeFileSync(join(dir, 'Dockerfile.bin'), bytes(3_000_000, 'd'));
      writeFileSync(join(dir, 'compose.yaml'), bytes(4096, 'c'));
      writeFileSync(join(dir, 'api.nomad.hcl'), bytes(4096, 'n'));
      writeFileSync(join(dir, 'app.policy.hcl'), bytes(4096, 'p'));
      writeFileSync(join(dir, '.dockerignore'), bytes(512, 'i'));
      expect(await check(dir, '--format', 'json')).toBe(1);
      const report = JSON.parse(out) as { findings: { rule: string; file: string; line: number; message: string }[] };
      expect(report.findings.map((f) => `${f.file}:${f.line} ${f.rule} ${f.message}`).sort()).toEqual(
        ['.dockerignore', 'Dockerfile.bin', 'api.nomad.hcl', 'app.policy.hcl', 'compose.yaml'].map((file) => `${file}:1 F01 not a text file (binary content)`),
      );
      expect(err).toBe('');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a .dockerignore pattern with more wildcards than it reads, in one line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'css-hostile-check-'));
    try {
      writeFileSync(join(dir, 'Dockerfile'), 'FROM x\n');
      writeFileSync(join(dir, '.dockerignore'), `secrets\n${'?'.repeat(100)}\n`);
      expect(await check(dir)).toBe(2);
      expect(err.trim()).toBe('error: .dockerignore:2: a pattern with 100 wildcards; this tool reads at most 64 in one pattern, so simplify it (one ** for any depth)');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
