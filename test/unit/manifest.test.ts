import { describe, expect, it } from 'vitest';
import { keepDecisions, type Manifest } from '../../src/manifest.js';
import type { FileTree, RenderedFile } from '../../src/render/index.js';

const file = (id: string, path: string): RenderedFile => ({ id, path, part: 'compose', content: `${id}\n`, mode: 0o644, strategy: 'merge' });
const tree = (...files: RenderedFile[]): FileTree => new Map(files.map((f) => [f.path, f]));
const manifest = (extras: Pick<Manifest, 'deleted' | 'unmanaged'>): Manifest => ({ generator: 'create-secure-service', schema: 1, version: '0.1.0', answers: {} as Manifest['answers'], files: [], ...extras });

describe('keepDecisions (what a new create keeps from the previous manifest)', () => {
  const rendered = tree(file('compose', 'compose.yaml'), file('compose-test', 'compose.test.yaml'), file('dockerfile', 'Dockerfile'));

  it('keeps nothing back and records nothing without a previous manifest', () => {
    expect(keepDecisions(rendered, undefined)).toEqual({ tree: rendered, extras: { deleted: [], unmanaged: [] } });
  });

  it('leaves out an output the user deleted and records it under its current path; forgets outputs no longer rendered', () => {
    const previous = manifest({ deleted: [{ id: 'compose-test', path: 'old/compose.test.yaml' }, { id: 'gone', path: 'gone.txt' }] });
    const kept = keepDecisions(rendered, previous);
    expect([...kept.tree.keys()]).toEqual(['compose.yaml', 'Dockerfile']);
    expect(kept.extras.deleted).toEqual([{ id: 'compose-test', path: 'compose.test.yaml' }]);
  });

  it("keeps files recorded as the user's, unless an output takes their path again", () => {
    const previous = manifest({ unmanaged: [{ id: 'old-notes', path: 'NOTES.md' }, { id: 'old-dockerfile', path: 'Dockerfile' }] });
    expect(keepDecisions(rendered, previous).extras.unmanaged).toEqual([{ id: 'old-notes', path: 'NOTES.md' }]);
  });
});
