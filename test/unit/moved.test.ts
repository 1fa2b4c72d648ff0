/** Where a generated file the user moved went (src/moved.ts), on an in-memory volume. */
import { createFsFromVolume, Volume } from 'memfs';
import { describe, expect, it } from 'vitest';
import { createDisk, type FsLike } from '../../src/disk.js';
import { findMovedCopies, lineSimilarity } from '../../src/moved.js';

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
