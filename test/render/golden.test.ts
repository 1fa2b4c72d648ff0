/**
 * Golden files: the complete output for a handful of answer sets, stored under test/golden/ as
 * `<path>.golden`.
 * A template change shows up as a reviewable diff of real files; refresh deliberately with
 * `npx vitest run test/render/golden.test.ts -u` and read the diff before committing it.
 */
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BASE_DIR, withManifest } from '../../src/manifest.js';
import { renderProject } from '../../src/render/index.js';
import { answersFor, goldenAnswerSets, render, templates, testFacts } from '../helpers/render.js';

const goldenRoot = join(import.meta.dirname, '../golden');
const goldenFiles = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split('\\').join('/'));

describe('golden files', () => {
  for (const [set, flags] of Object.entries(goldenAnswerSets)) {
    it(set, async () => {
      const a = await answersFor(flags);
      const tree = withManifest(renderProject(a, await templates(), { facts: testFacts, generatorVersion: '0.0.0-test' }), a, '0.0.0-test');
      for (const [path, file] of tree) {
        // Base copies repeat the files above byte for byte; the manifest's hashes pin them.
        if (path.startsWith(`${BASE_DIR}/`)) continue;
        // The .golden suffix keeps git from reading golden copies of .gitignore as its own rules.
        await expect(file.content).toMatchFileSnapshot(`../golden/${set}/${path}.golden`);
      }
      // No golden file outlives its output: a file the templates stopped writing must go too.
      const rendered = [...tree.keys()].filter((path) => !path.startsWith(`${BASE_DIR}/`)).map((path) => `${path}.golden`);
      // (Only stale files: a new one is written by -u after the test, and missing ones fail above.)
      expect(goldenFiles(join(goldenRoot, set)).filter((path) => !rendered.includes(path))).toEqual([]);
    });
  }
});

/**
 * The Dockerfile alone for answers only `add` gives (a project's own package manager and build
 * script), which no whole-project set above can hold: `create` writes npm projects only.
 */
describe('golden Dockerfiles of an existing Node project, one per package manager that runs through corepack', () => {
  const managers = ['pnpm', 'yarn', 'yarn-berry'];
  for (const packageManager of managers) {
    it(packageManager, async () => {
      const tree = await render({ name: 'quotes', language: 'node', packageManager, buildScript: 'build', start: 'node dist/server.js', sources: ['src', 'tsconfig.json'] }, ['docker']);
      await expect(tree.get('Dockerfile')?.content).toMatchFileSnapshot(`../golden/node-dockerfiles/${packageManager}-build.Dockerfile.golden`);
    });
  }
  it('has no golden file for a package manager no longer listed', () => {
    expect(goldenFiles(join(goldenRoot, 'node-dockerfiles')).filter((path) => !managers.some((m) => path === `${m}-build.Dockerfile.golden`))).toEqual([]);
  });
});
