/**
 * Numbered folders (`case-0`, `case-1`, …) in a test file's scratch folder, one for each test
 * that wants a clean place to work. The scratch folder is made in beforeAll, hence a getter.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

export function caseFolders(scratch: () => string): () => string {
  let next = 0;
  return () => {
    const dir = join(scratch(), `case-${next++}`);
    mkdirSync(dir);
    return dir;
  };
}
