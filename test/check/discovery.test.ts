/** Which files check reads as Dockerfiles: the names Docker, Podman and hadolint users give them. */
import { describe, expect, it } from 'vitest';
import { isDockerfile, runCheck } from '../../src/check/engine.js';
import { memorySource } from '../../src/check/source.js';

describe('Dockerfile discovery', () => {
  it.each(['Dockerfile', 'dockerfile', 'DOCKERFILE', 'Containerfile', 'containerfile', 'Dockerfile.prod', 'Dockerfile-prod', 'Containerfile.dev', 'api.Dockerfile', 'api.dockerfile', 'web.Containerfile'])('reads %s', (name) => {
    expect(isDockerfile(name)).toBe(true);
  });

  it.each(['Dockerfile.dockerignore', 'api.Dockerfile.dockerignore', 'Containerfile.containerignore', '.dockerfile', 'Dockerfiles', 'mydockerfile'])('leaves %s', (name) => {
    expect(isDockerfile(name)).toBe(false);
  });

  it('checks each of them in a folder', async () => {
    const files = ['Containerfile', 'dockerfile', 'api.dockerfile', 'docker/Dockerfile-prod'];
    const report = await runCheck(memorySource(new Map(files.map((f) => [f, 'FROM alpine:3.20\n']))));
    expect([...report.files].sort()).toEqual([...files].sort());
    expect(new Set(report.findings.filter((f) => f.rule === 'D04').map((f) => f.file))).toEqual(new Set(files));
  });
});
