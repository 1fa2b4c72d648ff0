/**
 * What a checked or scanned repository contains reaches the terminal (and CI logs) only through
 * `printable`: no escape sequence, line break or bidirectional override gets through as itself.
 */
import { describe, expect, it } from 'vitest';
import { formatDetected } from '../../src/add/report.js';
import type { CheckReport } from '../../src/check/engine.js';
import { finding } from '../../src/check/findings.js';
import { textReport } from '../../src/check/report-text.js';
import { formatOutcomes } from '../../src/commands/update.js';
import type { FileOutcome } from '../../src/update/reconcile.js';
import { printable, type Colors, type Ui } from '../../src/ui.js';

const plain = Object.fromEntries(['bold', 'dim', 'green', 'yellow', 'red', 'cyan'].map((k) => [k, (s: string) => s])) as unknown as Colors;
// C0 and C1 controls, DEL, the line/paragraph separators and the bidirectional controls.
const hostile = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;

describe('printable', () => {
  it('writes control characters, separators and bidi overrides as \\uXXXX, and leaves text alone', () => {
    expect(printable('a\u001b[2Jb\nc\td\u009bx\u2028y\u202ez\u2066')).toBe('a\\u001b[2Jb\\u000ac\\u0009d\\u009bx\\u2028y\\u202ez\\u2066');
    expect(printable('café 日本 — "ok" ./src/*.js')).toBe('café 日本 — "ok" ./src/*.js');
  });

  it("keeps check's text report to one line per finding, whatever the file's name and the value quoted", () => {
    const report: CheckReport = {
      findings: [finding('D05', 'evil\u001b[2J.Dockerfile', 3, 'RUN curl -k x\n::error::forged\u001b]8;;http://x\u0007')],
      suppressed: 0,
      files: ['evil\u001b[2J.Dockerfile'],
    };
    const lines = textReport(report, plain);
    for (const line of lines) expect(line).not.toMatch(hostile);
    expect(lines.join('\n')).toContain('evil\\u001b[2J.Dockerfile');
    expect(lines.join('\n')).toContain('RUN curl -k x\\u000a::error::forged\\u001b]8;;http://x\\u0007');
    expect(lines.filter((l) => l.startsWith('::'))).toEqual([]);
  });

  it("keeps update's lines to one per file, whatever path the project's manifest records", () => {
    const ui = { color: plain } as unknown as Ui;
    const lines = formatOutcomes([{ id: 'x', path: 'a\u001b[2J\nb.txt', from: 'old\u202e.txt', action: 'remove', note: 'no longer generated\n::warning::x' } as FileOutcome], ui);
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toMatch(hostile);
    expect(lines[0]).toContain('old\\u202e.txt -> a\\u001b[2J\\u000ab.txt');
  });

  it("keeps add's detected values and their sources to one line each", () => {
    const lines = formatDetected([{ key: 'name', shown: 'shop', source: 'package.json name "a\u001b[31m\nFAKE"' }], plain);
    expect(lines).toEqual(['  name  shop  from package.json name "a\\u001b[31m\\u000aFAKE"']);
  });
});
