/**
 * scripts/shims/wrap-ansi.cjs stands in for wrap-ansi in the bundle's prompts (issue #6): it must
 * answer exactly as wrap-ansi does, cutting lines at the width rather than between words
 * (wordWrap: false, where readline counts the cursor), for every line @inquirer/core may draw,
 * coloured or not.
 */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/render.js';

type Wrap = (text: string, columns: number, options?: { trim?: boolean; hard?: boolean; wordWrap?: boolean }) => string;

const fromWrapAnsi = createRequire(join(repoRoot, 'node_modules/wrap-ansi/index.js'));
const real = fromWrapAnsi('wrap-ansi') as Wrap;
let realLoads = 0;

/** The shim as the bundle links it: strip-ansi is wrap-ansi's own, wrap-ansi-measured the real one. */
function loadShim(): Wrap {
  const source = readFileSync(join(repoRoot, 'scripts/shims/wrap-ansi.cjs'), 'utf8');
  const module = { exports: {} as Wrap };
  const links: Record<string, () => unknown> = {
    'strip-ansi': () => fromWrapAnsi('strip-ansi'),
    'wrap-ansi-measured': () => {
      realLoads++;
      return real;
    },
  };
  new Function('require', 'module', 'exports', source)((id: string) => links[id]!(), module, module.exports);
  return module.exports;
}

describe('the wrap-ansi stand-in', () => {
  const piece = fc.constantFrom('a', 'b', 'word', ' ', '  ', '?', '›', 'é', '中', '😀', '\t', '\n', '\r\n', '\u001b[32m', '\u001b[39m', '\u001b[1m', '\u001b[22m', '\u001b[2m', 'x'.repeat(30));
  const text = fc.array(piece, { maxLength: 24 }).map((p) => p.join(''));

  it('draws every line exactly as wrap-ansi does, at every width, with or without trimming', () => {
    const shim = loadShim();
    fc.assert(
      fc.property(text, fc.oneof(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 100 })), fc.boolean(), fc.boolean(), (t, columns, trim, hard) => {
        expect(shim(t, columns, { trim, hard })).toBe(real(t, columns, { trim, hard, wordWrap: false }));
      }),
      { numRuns: 3000 },
    );
  });

  it('does not load wrap-ansi for a coloured line of ASCII that fits', () => {
    realLoads = 0;
    const shim = loadShim();
    const line = '\u001b[32m?\u001b[39m \u001b[1mService name\u001b[22m \u001b[2m(my-svc)\u001b[22m';
    expect(shim(line, 80, { trim: false, hard: true })).toBe(line);
    expect(realLoads).toBe(0);
    expect(shim(`${line} ${'x'.repeat(80)}`, 80, { trim: false, hard: true })).toBe(real(`${line} ${'x'.repeat(80)}`, 80, { trim: false, hard: true, wordWrap: false }));
    expect(realLoads).toBe(1);
    // Wide characters: 3 long, 6 columns wide.
    expect(shim('中中中', 4, { trim: false, hard: true })).toBe(real('中中中', 4, { trim: false, hard: true, wordWrap: false }));
    // A line is cut at the width, not between words: where readline counts its cursor.
    expect(shim('? Start command node a.js --port 8080', 20, { trim: false, hard: true })).toBe('? Start command node\n a.js --port 8080');
  });
});
