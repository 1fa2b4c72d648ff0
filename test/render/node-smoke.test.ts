import { chmodSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBuildStages } from '../helpers/dockerfile-build.js';
import { fileOf, render, repoRoot } from '../helpers/render.js';
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

describe('Yarn 2+ (yarn-berry) deps and build stages, run with a stand-in corepack (no network)', () => {
  const dirs = removedAfterAll();

  it('install only from package.json, yarn.lock and .yarnrc.yml: immutable, then production only; the build stage adds the dev dependencies', async () => {
    const tree = await render({ language: 'node', packageManager: 'yarn-berry', buildScript: 'build', start: 'node dist/server.js', sources: ['src'] }, ['docker']);
    const context = mkdtempSync(join(tmpdir(), 'css-berry-'));
    const root = mkdtempSync(join(tmpdir(), 'css-berry-stages-'));
    const bin = mkdtempSync(join(tmpdir(), 'css-berry-bin-'));
    dirs.push(context, root, bin);
    cpSync(join(repoRoot, 'test/fixtures/repos/node-yarn-berry'), context, { recursive: true });
    writeFileSync(join(context, 'Dockerfile'), fileOf(tree, 'Dockerfile'));
    writeFileSync(join(context, '.dockerignore'), fileOf(tree, '.dockerignore'));
    // Yarn as the deps stage needs it: each call logged with the files beside it and the settings
    // from the environment; an install links the dev dependency too, a production focus does not.
    const log = join(bin, 'log');
    writeFileSync(join(bin, 'corepack'), [
      '#!/bin/sh',
      `echo "$* | $(ls -A | tr '\\n' ' ')| $YARN_NODE_LINKER $YARN_ENABLE_GLOBAL_CACHE $YARN_IGNORE_PATH" >> ${log}`,
      'case "$*" in',
      '  "yarn install --immutable"*) rm -rf node_modules && mkdir -p node_modules/express node_modules/is-odd ;;',
      '  "yarn workspaces focus --all --production") rm -rf node_modules && mkdir -p node_modules/express ;;',
      '  "yarn run build") mkdir -p dist && cp src/index.js dist/server.js ;;',
      '  *) exit 1 ;;',
      'esac',
      '',
    ].join('\n'));
    chmodSync(join(bin, 'corepack'), 0o755);
    const steps = runBuildStages(fileOf(tree, 'Dockerfile'), context, root, { PATH: `${bin}:${process.env.PATH}` });
    expect(steps.filter((s) => s.status !== 0).map((s) => `${s.instruction}\n${s.output}`)).toEqual([]);
    expect(readFileSync(log, 'utf8').trim().split('\n')).toEqual([
      'yarn install --immutable --mode=skip-build | .yarnrc.yml package.json yarn.lock | node-modules true 1',
      'yarn workspaces focus --all --production | .yarnrc.yml node_modules package.json yarn.lock | node-modules true 1',
      'yarn install --immutable | .yarnrc.yml node_modules package.json yarn.lock | node-modules true 1',
      'yarn run build | .yarnrc.yml node_modules package.json src yarn.lock | node-modules true 1',
    ]);
    const [deps, build] = readdirSync(root).sort();
    expect(readdirSync(join(root, deps!, 'app/node_modules'))).toEqual(['express']);
    expect(readdirSync(join(root, build!, 'app/node_modules')).sort()).toEqual(['express', 'is-odd']);
    expect(existsSync(join(root, build!, 'app/dist/server.js'))).toBe(true);
  }, 60_000);
});
