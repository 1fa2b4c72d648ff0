import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileOf, render } from '../helpers/render.js';
import { exerciseSeed, expectHealthySeed, expectProbeVerdicts, freePort, removedAfterAll, writeTree } from './languages-checks.js';

describe('docker part for node', () => {
  it('renders a Dockerfile with pinned images and a numeric non-root user', async () => {
    const tree = await render({ language: 'node' }, ['docker', 'app']);
    const dockerfile = fileOf(tree, 'Dockerfile');
    expect(dockerfile).toMatch(/^ARG BUILD_IMAGE=node:\d+\.\d+\.\d+-alpine/m);
    expect(dockerfile).toMatch(/^USER 10001:10001$/m);
    expect(dockerfile).toContain('ENTRYPOINT ["node","src/server.js"]');
  });
});

describe('node seed app and health probe', () => {
  const dirs = removedAfterAll();

  it('serves the health path, passes the probe the HEALTHCHECK runs, and exits on SIGTERM', async () => {
    const port = await freePort();
    const dir = await writeTree(await render({ language: 'node', port, healthPath: '/ready' }, ['app', 'docker']));
    dirs.push(dir);
    expectHealthySeed(await exerciseSeed(dir, ['node', 'src/server.js'], ['node', 'src/healthcheck.js'], port, '/ready'), port);
  }, 60_000);

  it('the probe works with any app, in an ES-module or a CommonJS package: 0 for a 200, 1 for a 503, a redirect or an unknown path', async () => {
    for (const type of ['module', 'commonjs']) {
      await expectProbeVerdicts(async (port, healthPath) => {
        const dir = await writeTree(await render({ language: 'node', port, healthPath }, ['docker']), (path) => path === 'src/healthcheck.js');
        dirs.push(dir);
        await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'theirs', type }));
        return ['node', join(dir, 'src/healthcheck.js')];
      });
    }
  }, 60_000);
});
