/**
 * Golden files: the complete output for a handful of answer sets, stored under test/golden/ as
 * `<path>.golden`.
 * A template change shows up as a reviewable diff of real files; refresh deliberately with
 * `npx vitest run test/render/golden.test.ts -u` and read the diff before committing it.
 */
import { describe, expect, it } from 'vitest';
import { BASE_DIR, withManifest } from '../../src/manifest.js';
import { renderProject } from '../../src/render/index.js';
import { answersFor, goldenAnswerSets, templates, testFacts } from '../helpers/render.js';

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
    });
  }
});
