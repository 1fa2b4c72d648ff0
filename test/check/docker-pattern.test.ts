/**
 * One .dockerignore pattern against paths, compared with Docker's own rules run by Go's own
 * filepath.Match and regexp (test/check/go/docker-match.go): random patterns over every character
 * the rules treat specially, random paths and paths built to match, both matching engines.
 */
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { compilePattern, PatternError } from '../../src/check/docker-pattern.js';
import { goBinary, goEnv } from '../helpers/go.js';

interface GoResult {
  error?: string;
  matches: boolean[] | null;
}

const env = goEnv();
afterAll(() => rmSync(env.GOCACHE, { recursive: true, force: true }));

function docker(cases: { pattern: string; paths: string[] }[]): GoResult[] {
  const run = spawnSync(goBinary(), ['run', join(import.meta.dirname, 'go', 'docker-match.go')], { input: JSON.stringify(cases), env, encoding: 'utf8', maxBuffer: 64 << 20, timeout: 120_000 });
  if (run.status !== 0) throw new Error(`go run failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as GoResult[];
}

/** Ours: the matches, or the refusal's message. */
function ours(pattern: string, paths: string[]): { error: string } | { matches: boolean[] } {
  try {
    const compiled = compilePattern(pattern);
    return { matches: paths.map((p) => compiled.test(p)) };
  } catch (error) {
    if (!(error instanceof PatternError)) throw error;
    return { error: error.message };
  }
}

// What this tool refuses although Go compiles it: constructs Docker's matcher reads as regexp
// syntax where a shell (and filepath.Match) reads a character.
const stricter = /regular-expression escape|turns into a wildcard there|POSIX class/;

describe('a .dockerignore pattern, as Docker matches it', () => {
  const piece = fc.constantFrom('a', 'b', 'a', '.', '/', '/', '*', '**', '**/', '?', '[', ']', '^', '-', '\\', '\\*', '\\.', '\\d', '+', '(', ')', '|', '{', '}', '$', '[ab]', '[^/]', '[a-c]', '[^a]', '[\\]]', '[*]', '[z-a]', '[]', '[[:alpha:]]', 'é', '!');
  const pattern = fc.array(piece, { minLength: 1, maxLength: 9 }).map((parts) => parts.join(''));
  const pathChar = fc.constantFrom('a', 'b', 'c', '.', '/', '/', '+', '(', '^', '-', '[', ']', '\\', '*', 'é', '\n', '\r', 'x', '$', '|', '1', 'd');
  const path = fc.array(pathChar, { maxLength: 12 }).map((c) => c.join(''));
  // Paths built from the pattern, so that many cases match: wildcards filled, escapes resolved.
  const near = (p: string, fill: string) => p.replace(/\\(.)/g, '$1').replace(/\*\*\/?/g, `${fill}/`).replace(/\*/g, fill).replace(/\?/g, 'a').replace(/\[\^?([^\]]*)\]/g, (_, inner: string) => inner.replace(/^\\/, '').charAt(0) || 'a');

  it("agrees with Docker's rules in Go's own libraries on random patterns and paths", () => {
    const seed = Date.now();
    const cases = fc.sample(fc.tuple(pattern, fc.array(path, { maxLength: 8 })), { numRuns: 4000, seed }).map(([p, paths]) => ({
      pattern: p,
      paths: [...paths, near(p, ''), near(p, 'ab'), near(p, 'a/b'), `x/${near(p, 'b')}`, `${near(p, 'a')}/y`],
    }));
    const theirs = docker(cases);
    let matched = 0;
    let compared = 0;
    cases.forEach(({ pattern: p, paths }, i) => {
      const go = theirs[i]!;
      const mine = ours(p, paths);
      const what = `pattern ${JSON.stringify(p)} (fast-check seed ${seed})`;
      if (go.error !== undefined) {
        expect('error' in mine, `${what}: Docker refuses it (${go.error}), this tool did not`).toBe(true);
      } else if ('error' in mine) {
        expect(mine.error, `${what}: refused, though Docker reads it`).toMatch(stricter);
      } else {
        paths.forEach((path, j) => expect(mine.matches[j], `${what} on ${JSON.stringify(path)}`).toBe(go.matches![j]));
        matched += mine.matches.filter(Boolean).length;
        compared += paths.length;
      }
    });
    // The sample is worth something only if it holds many matches and many comparisons.
    expect(compared).toBeGreaterThan(10_000);
    expect(matched).toBeGreaterThan(2_000);
  }, 180_000);

  it('reads what Docker escapes as itself, and what it passes to its regexp as regexp', () => {
    expect(compilePattern('foo(').test('foo(')).toBe(true);
    expect(compilePattern('a+b').test('a+b')).toBe(true);
    expect(compilePattern('a+b').test('aab')).toBe(false);
    expect(compilePattern('x{2}').test('x{2}')).toBe(true);
    expect(compilePattern('^foo*').test('foo.txt')).toBe(true); // `^` is an anchor in an expression
    expect(compilePattern('^foo').test('^foo')).toBe(true); // and a character in literal text
  });

  it('compares literal text as Docker does: a suffix after a leading **, a prefix before a trailing **', () => {
    expect(compilePattern('**.env').test('config/x.env')).toBe(true);
    expect(compilePattern('**/.env').test('x.env')).toBe(false);
    expect(compilePattern('**/.env').test('.env')).toBe(true);
    expect(compilePattern('build/**').test('build/a/b')).toBe(true);
    expect(compilePattern('build/**').test('builder')).toBe(false);
  });

  it('refuses, in one clause naming the fix, what Docker refuses or reads differently from a shell', () => {
    const refusal = (p: string) => {
      try {
        compilePattern(p);
      } catch (error) {
        return (error as Error).message;
      }
      return null;
    };
    expect(refusal('[z')).toBe('has a [ with no closing ], which Docker refuses; close the class, or write \\[ for a bracket');
    expect(refusal('a\\')).toMatch(/^ends in a lone \\, which Docker refuses; remove it/);
    expect(refusal('[]')).toMatch(/escape it as \\\]$/);
    expect(refusal('[z-a]')).toMatch(/range z-a.*; write a-z$/);
    expect(refusal('\\d')).toMatch(/reads as a regular-expression escape, not the character d; write d without the backslash$/);
    expect(refusal('[*]')).toMatch(/escape it as \\\*$/);
    expect(refusal('[[:alpha:]]')).toMatch(/POSIX class/);
  });

  it('takes time linear in the path on names crafted against several * in one pattern', () => {
    // A backtracking expression tries every way to split such a name between the stars: with
    // 12 stars over 20 000 characters, longer than anyone would wait.
    const crafted = `${'a'.repeat(20_000)}`;
    expect(compilePattern(`${'*a'.repeat(12)}b`).test(crafted)).toBe(false);
    expect(compilePattern(`**/x/**/y/**/${'*a'.repeat(6)}b`).test(`x/y/${'x/y/'.repeat(2_000)}${crafted}`)).toBe(false);
    expect(compilePattern(`${'*a'.repeat(12)}`).test(crafted)).toBe(true);
  });
});
