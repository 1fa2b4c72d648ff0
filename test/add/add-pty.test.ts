/**
 * `add` through its real prompts, on a pseudo-terminal (test/helpers/run-on-pty.py), with the
 * bundled CLI: the conflict choice (keep mine / take theirs / show diff / write theirs next to
 * it), Ctrl-C at that prompt, answers from the manifest not asked again, and detected values
 * offered as the defaults of the questions.
 */
import { execa } from 'execa';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseFileName, sha256 } from '../../src/manifest.js';
import { dockerfileViolations } from '../helpers/dockerfile.js';
import { repoRoot, testFacts } from '../helpers/render.js';
import { copyFixture, readManifest, snapshot } from './helpers.js';
import { caseFolders } from '../helpers/case-folders.js';

let work: string;
let bin: string;
let home: string;
const fresh = caseFolders(() => work);

function env(extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: process.env.PATH ?? '', HOME: home, GIT_CONFIG_GLOBAL: join(home, '.gitconfig'), GIT_CONFIG_NOSYSTEM: '1', NO_COLOR: '1', LANG: 'C.UTF-8', ...extra };
}

const cli = (args: string[], cwd: string) => execa(process.execPath, [bin, ...args], { cwd, env: env(), extendEnv: false, reject: false, stdin: 'ignore' });

interface PtyReport {
  exitCode: number | null;
  transcript: string;
  failedStep: number | null;
}

async function onPty(steps: { expect: string; send: string }[], args: string[], cwd: string): Promise<PtyReport> {
  const driver = join(repoRoot, 'test/helpers/run-on-pty.py');
  const result = await execa('python3', [driver, JSON.stringify(steps), '--', process.execPath, bin, ...args], { cwd, env: env({ TERM: 'xterm-256color' }), extendEnv: false, reject: false });
  return JSON.parse(result.stdout) as PtyReport;
}

const down = '\u001b[B';
const conflictPrompt = 'Dockerfile already exists with other content';

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'css-add-pty-'));
  home = join(work, 'home');
  mkdirSync(join(home, '.ssh'), { recursive: true });
  writeFileSync(join(home, '.ssh', 'id_ed25519.pub'), `${testFacts.signerPublicKey} dev@example.com\n`);
  writeFileSync(join(home, '.gitconfig'), '[user]\n\tname = Dev\n\temail = dev@example.com\n[init]\n\tdefaultBranch = main\n');
  // dist/ is built once by test/global-setup.ts before any test file runs.
  bin = join(repoRoot, 'bin', 'create-secure-service.cjs');
}, 120_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The Go fixture (its own Dockerfile) with the nomad and vault parts already added, so the manifest holds every answer. */
async function goWithManifest(): Promise<string> {
  const root = copyFixture('go-inventory', fresh());
  await execa('git', ['init', '-q'], { cwd: root });
  const first = await cli(['add', 'nomad', 'vault', '--yes'], root);
  expect(first.exitCode, first.stderr).toBe(0);
  return root;
}

describe('the conflict prompt', () => {
  it('shows the diff on request, then writes ours next to the user file; answers from the manifest are not asked again', async () => {
    const root = await goWithManifest();
    const mine = readFileSync(join(root, 'Dockerfile'));
    const report = await onPty(
      [
        { expect: conflictPrompt, send: `${down}${down}\r` }, // show diff
        { expect: `-FROM golang:1\\.23[\\s\\S]*\\+FROM \\$\\{BUILD_IMAGE\\} AS build[\\s\\S]*${conflictPrompt}`, send: `${down}${down}${down}\r` }, // write theirs next to it
      ],
      ['add', 'docker'],
      root,
    );
    expect(report.failedStep, report.transcript).toBeNull();
    expect(report.exitCode, report.transcript).toBe(0);
    expect(report.transcript).toMatch(/Using the answers recorded in \.secure-service\/manifest\.json/);
    expect(report.transcript).not.toMatch(/Service name|Port the application listens on/);
    expect(report.transcript).toMatch(/side copy\s+Dockerfile/);
    expect(readFileSync(join(root, 'Dockerfile')).equals(mine)).toBe(true);
    const ours = readFileSync(join(root, 'Dockerfile.secure-service'), 'utf8');
    expect(dockerfileViolations(ours, { port: 8081, uid: 65532, gid: 65532 })).toEqual([]);
    // Adopted: the user's file stays theirs, our render is its base for `update`.
    const entry = readManifest(root).files.find((f) => f.id === 'dockerfile')!;
    expect(readFileSync(join(root, '.secure-service/base', baseFileName('dockerfile')), 'utf8')).toBe(ours);
    expect(entry.sha256).toBe(sha256(ours));
    const again = await cli(['add', 'docker', '--yes'], root);
    expect(again.exitCode, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/keep \(yours\)\s+Dockerfile/);
    expect(again.stdout).toMatch(/Nothing to do/);
  });

  it('keep mine leaves the file as it is and records it; take theirs replaces it', async () => {
    const kept = await goWithManifest();
    const mine = readFileSync(join(kept, 'Dockerfile'));
    const keep = await onPty([{ expect: conflictPrompt, send: '\r' }], ['add', 'docker'], kept);
    expect(keep.exitCode, keep.transcript).toBe(0);
    expect(readFileSync(join(kept, 'Dockerfile')).equals(mine)).toBe(true);
    expect(existsSync(join(kept, 'Dockerfile.secure-service'))).toBe(false);
    expect(readManifest(kept).files.some((f) => f.id === 'dockerfile')).toBe(true);
    expect((await cli(['add', 'docker', '--yes'], kept)).stdout).toMatch(/Nothing to do/);

    const taken = await goWithManifest();
    const take = await onPty([{ expect: conflictPrompt, send: `${down}\r` }], ['add', 'docker'], taken);
    expect(take.exitCode, take.transcript).toBe(0);
    expect(take.transcript).toMatch(/Done\./);
    expect(dockerfileViolations(readFileSync(join(taken, 'Dockerfile'), 'utf8'), { port: 8081, uid: 65532, gid: 65532 })).toEqual([]);
  });

  it('Ctrl-C at the conflict prompt exits 130 and writes nothing', async () => {
    const root = await goWithManifest();
    const before = snapshot(root);
    const report = await onPty([{ expect: conflictPrompt, send: '\u0003' }], ['add', 'all'], root);
    expect(report.exitCode, report.transcript).toBe(130);
    expect(report.transcript).toMatch(/interrupted; nothing was written/);
    expect(snapshot(root)).toEqual(before);
  });
});

describe('questions on a terminal', () => {
  it('offers the detected values as the defaults (Enter at every question accepts them)', async () => {
    const root = copyFixture('flask-app', fresh());
    const messages = ['Service name', 'Language', 'Language version', 'Final base image family', 'Port the application listens on', 'HTTP health-check path', 'Start command', 'Files and folders of the app', 'Package manager', 'Secrets the app reads', 'Backing services', 'Networks the app joins', 'CPU limit', 'Memory limit', 'Nomad datacenter', 'Vault KV secrets engine version', 'Vault KV mount path', 'Vault role', 'Commit signing', 'Signing key', 'Source repository URL'];
    const report = await onPty(messages.map((m) => ({ expect: m, send: '\r' })), ['add', 'docker', 'compose'], root);
    expect(report.failedStep, report.transcript).toBeNull();
    expect(report.exitCode, report.transcript).toBe(0);
    expect(report.transcript).toMatch(/port\s+5000\s+from app\.py/);
    expect(readManifest(root).answers).toMatchObject({ name: 'flask-app', language: 'python', languageVersion: '3.12', port: 5000, start: 'python app.py', sources: ['app.py'], packageManager: 'pip', secrets: ['DATABASE_URL'] });
    expect(readFileSync(join(root, 'Dockerfile'), 'utf8')).toMatch(/^EXPOSE 5000$/m);
    expect(readFileSync(join(root, 'Dockerfile'), 'utf8')).toMatch(/^COPY app\.py \.\/app\.py$/m);
  });

  it('takes "none" where a detected value is offered and none is an answer (Enter alone would take the suggestion)', async () => {
    const root = copyFixture('flask-app', fresh());
    const messages = ['Service name', 'Language', 'Language version', 'Final base image family', 'Port the application listens on', 'HTTP health-check path', 'Start command', 'Files and folders of the app', 'Package manager', 'Secrets the app reads', 'Backing services', 'Networks the app joins', 'CPU limit', 'Memory limit', 'Nomad datacenter', 'Vault KV secrets engine version', 'Vault KV mount path', 'Vault role', 'Commit signing', 'Signing key', 'Source repository URL'];
    const steps = messages.map((m) => (m === 'Secrets the app reads' ? { expect: 'Secrets the app reads[\\s\\S]*type none to leave it empty', send: 'none\r' } : { expect: m, send: '\r' }));
    const report = await onPty(steps, ['add', 'docker', 'compose'], root);
    expect(report.failedStep, report.transcript).toBeNull();
    expect(report.exitCode, report.transcript).toBe(0);
    expect(readManifest(root).answers).toMatchObject({ name: 'flask-app', secrets: [] });
  });
});
