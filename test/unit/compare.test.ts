import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareText } from '../../src/compare.js';
import { repoRoot } from '../helpers/render.js';

describe('compareText', () => {
  it('orders by code unit, the same in every locale', () => {
    expect(['b', 'B', 'a', 'A', 'a1', 'a10', 'a2', ''].sort(compareText)).toEqual(['', 'A', 'B', 'a', 'a1', 'a10', 'a2', 'b']);
    expect(compareText('x', 'x')).toBe(0);
  });

  it('is what src/ sorts with: localeCompare would load ICU collation data at run time (~16 ms)', () => {
    const files = readdirSync(join(repoRoot, 'src'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    const offenders = files.filter((f) => /\.localeCompare\(|new Intl\.Collator/.test(readFileSync(join(repoRoot, 'src', f), 'utf8')));
    expect(offenders).toEqual([]);
  });
});
