/**
 * The README's answers table is the reference users read: one row per question, in the order
 * they are asked, with the flag and the answers-file key the CLI really takes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { questions } from '../../src/questions.js';
import { repoRoot } from '../helpers/render.js';

describe("README's answers table", () => {
  it('has a row for every question, in order, with its flag and key', () => {
    const rows = readFileSync(join(repoRoot, 'README.md'), 'utf8')
      .split('\n')
      .map((line) => /^\| `--([a-z-]+)`(?: \(repeatable\))? \| `(\w+)`/.exec(line))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => `--${m[1]} ${m[2]}`);
    expect(rows).toEqual(questions.map((q) => `--${q.flag} ${q.key}`));
  });
});
