/**
 * scripts/build-image.sh run for real, in a git repository, with a stand-in `docker` on PATH that
 * records its arguments: what it refuses, and what it stamps into the image's labels (P01, D14).
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Answers } from '../../src/questions.js';
import { fileOf, render } from '../helpers/render.js';

const fakeDocker = `#!/bin/sh
printf '%s\\n' "$*" >> "$DOCKER_LOG"
if [ "$1" = inspect ]; then echo 'registry.example.com/svc@sha256:0123'; fi
`;

/** A committed repository holding the rendered script, with origin at `remote` (if any). */
async function repository(flags: Partial<Record<keyof Answers, unknown>>, remote?: string) {
  const dir = mkdtempSync(join(tmpdir(), 'css-build-image-'));
  const bin = join(dir, '.bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'docker'), fakeDocker);
  chmodSync(join(bin, 'docker'), 0o755);
  const repo = join(dir, 'repo');
  mkdirSync(join(repo, 'scripts'), { recursive: true });
  writeFileSync(join(repo, 'scripts', 'build-image.sh'), fileOf(await render(flags, ['docker']), 'scripts/build-image.sh'));
  writeFileSync(join(repo, 'Dockerfile'), 'FROM scratch\n');
  const git = (...args: string[]) => spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd: repo, encoding: 'utf8' });
  git('init', '-q');
  git('add', '-A');
  git('commit', '-qm', 'init');
  if (remote) git('remote', 'add', 'origin', remote);
  const log = join(dir, 'docker.log');
  const run = () =>
    spawnSync('sh', ['scripts/build-image.sh', 'registry.example.com/svc'], {
      cwd: repo,
      encoding: 'utf8',
      env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, DOCKER_LOG: log, GIT_CONFIG_NOSYSTEM: '1' },
    });
  return { repo, run, calls: () => readFileSync(log, 'utf8').trim().split('\n') };
}

describe('scripts/build-image.sh', () => {
  it('labels the image with the remote URL stripped of the credentials a CI checkout puts in it', async () => {
    const { run, calls } = await repository({}, 'https://gitlab-ci-token:glcbt-SECRET@gitlab.example.com/group/svc.git');
    const result = run();
    expect(result.status, result.stderr).toBe(0);
    const build = calls().find((c) => c.startsWith('build '))!;
    expect(build).toContain('SOURCE_URL=https://gitlab.example.com/group/svc.git');
    expect(calls().join('\n')).not.toMatch(/SECRET|gitlab-ci-token/);
    expect(result.stdout).toContain('deploy by digest: registry.example.com/svc@sha256:0123');
  });

  it('keeps a remote without credentials as it is, and says "unknown" without a remote', async () => {
    const ssh = await repository({}, 'git@github.com:acme/svc.git');
    expect(ssh.run().status).toBe(0);
    expect(ssh.calls().find((c) => c.startsWith('build '))).toContain('SOURCE_URL=git@github.com:acme/svc.git');
    const none = await repository({});
    expect(none.run().status).toBe(0);
    expect(none.calls().find((c) => c.startsWith('build '))).toContain('SOURCE_URL=unknown');
  });

  it('uses the --source-url answer when one was given, whatever the remote holds', async () => {
    const { run, calls } = await repository({ sourceUrl: 'https://github.com/acme/svc' }, 'https://x:token@mirror.example.com/svc.git');
    expect(run().status).toBe(0);
    const build = calls().find((c) => c.startsWith('build '))!;
    expect(build).toContain('SOURCE_URL=https://github.com/acme/svc');
    expect(build).not.toContain('token');
  });

  it('refuses to build a working tree with uncommitted changes (P01), calling no docker', async () => {
    const { repo, run } = await repository({});
    writeFileSync(join(repo, 'Dockerfile'), 'FROM scratch\nLABEL x=1\n');
    const result = run();
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/uncommitted changes/);
    expect(() => readFileSync(join(repo, '..', 'docker.log'))).toThrow();
  });
});
