/** Where a generated file the user moved went (src/moved.ts), on an in-memory volume. */
import { createFsFromVolume, Volume } from 'memfs';
import { describe, expect, it } from 'vitest';
import { createDisk, type FsLike } from '../../src/disk.js';
import { findMovedCopies, lineSimilarity, sameFileNames } from '../../src/moved.js';

const job = 'job "svc" {\n  datacenters = ["dc1"]\n  type = "service"\n  group "svc" {\n    count = 1\n  }\n}\n';

function project(files: Record<string, string>, links: Record<string, string> = {}) {
  const vol = Volume.fromJSON(files, '/p');
  for (const [path, target] of Object.entries(links)) vol.symlinkSync(target, `/p/${path}`);
  return createDisk(createFsFromVolume(vol) as unknown as FsLike);
}

const find = (disk: ReturnType<typeof project>, exclude: string[] = []) => findMovedCopies('/p', 'deploy/nomad/svc.nomad.hcl', job, disk, { exclude: new Set(exclude) });

describe('lineSimilarity', () => {
  it('is the share of lines in common (blank lines and indentation aside) over the longer text', () => {
    expect(lineSimilarity('a\nb\nc\nd\n', 'a\nb\nc\nd\n')).toBe(1);
    expect(lineSimilarity('a\n\n  b\n', 'a\nb\n')).toBe(1);
    expect(lineSimilarity('a\nb\nc\nd\n', 'a\nb\nx\ny\n')).toBe(0.5);
    expect(lineSimilarity('a\na\na\na\n', 'a\nb\nc\nd\n')).toBe(0.25); // a line counts as often as it is in both
    expect(lineSimilarity('a\n', 'a\nb\nc\nd\ne\n')).toBe(0.2);
    expect(lineSimilarity('', '\n')).toBe(0);
  });
});

describe('findMovedCopies', () => {
  it('finds the file under its name elsewhere when it is still mostly what was generated, edited or not', async () => {
    const edited = job.replace('count = 1', 'count = 3').replace('type = "service"', 'type = "batch"');
    const disk = project({ 'ops/svc.nomad.hcl': job, 'infra/nomad/svc.nomad.hcl': edited, 'deploy/nomad/.keep': '' });
    expect(await find(disk)).toEqual(['infra/nomad/svc.nomad.hcl', 'ops/svc.nomad.hcl']);
  });

  it('leaves out other names, files with too little in common, excluded paths, skipped folders, links and projects inside', async () => {
    const disk = project(
      {
        'ops/job.nomad.hcl': job, // another name
        'other/svc.nomad.hcl': 'job "other" {\n}\n', // too little in common
        'b/svc.nomad.hcl': job, // another output's path
        'node_modules/x/svc.nomad.hcl': job,
        '.git/svc.nomad.hcl': job,
        'services/api/.secure-service/manifest.json': '{}',
        'services/api/deploy/nomad/svc.nomad.hcl': job, // another generated project's own file
        'real/svc.nomad.hcl': job,
      },
      { 'linked': '/p/real', 'ops/svc.nomad.hcl': '/p/real/svc.nomad.hcl' },
    );
    expect(await find(disk, ['b/svc.nomad.hcl'])).toEqual(['real/svc.nomad.hcl']);
  });
});

describe('sameFileNames', () => {
  it("is Compose's four spellings of a compose file or override (compose-go's DefaultFileNames and DefaultOverrideFileNames), both YAML extensions of another file, and the name alone otherwise", () => {
    const spellings = (name: string) => [...sameFileNames(name)].sort();
    expect(spellings('compose.yaml')).toEqual(['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml']);
    expect(spellings('compose.override.yaml')).toEqual(['compose.override.yaml', 'compose.override.yml', 'docker-compose.override.yaml', 'docker-compose.override.yml']);
    expect(spellings('docker-compose.prod.yml')).toEqual(['compose.prod.yaml', 'compose.prod.yml', 'docker-compose.prod.yaml', 'docker-compose.prod.yml']);
    expect(spellings('pipeline.yaml')).toEqual(['pipeline.yaml', 'pipeline.yml']);
    expect(spellings('svc.nomad.hcl')).toEqual(['svc.nomad.hcl']);
    expect(spellings('.yaml')).toEqual(['.yaml']);
  });
});

describe('findMovedCopies of a compose file', () => {
  const override = 'services:\n  app:\n    build: .\n    ports:\n      - "127.0.0.1:3000:3000"\n    environment:\n      LOG_LEVEL: debug\n';
  it('finds it renamed to another name Compose reads it by, beside or elsewhere, but not as another compose file', async () => {
    const disk = project({ 'docker-compose.override.yml': override, 'dev/compose.override.yml': override, 'compose.test.yaml': override, 'compose.yaml': override });
    expect(await findMovedCopies('/p', 'compose.override.yaml', override, disk, { exclude: new Set(['compose.yaml', 'compose.test.yaml']) })).toEqual(['dev/compose.override.yml', 'docker-compose.override.yml']);
  });
});

describe('findMovedCopies of a file renamed in case only', () => {
  it('finds SECURITY.md as Security.md or docs/security.md: the same name where case is ignored, and a rename for looks elsewhere', async () => {
    const security = '# Security\n\nRule D01: pinned base images.\nRule D02: non-root user.\nRule C01: read-only root file system.\n';
    const disk = project({ 'Security.md': security, 'docs/security.md': security, 'docs/SECURITY.txt': security });
    expect(await findMovedCopies('/p', 'SECURITY.md', security, disk, { exclude: new Set() })).toEqual(['Security.md', 'docs/security.md']);
  });
});
