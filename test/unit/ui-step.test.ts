/**
 * How a post-step's spinner ends on a terminal: a skipped check (its program missing) must not
 * show the tick of a passed one, and a step with nothing to do leaves no line at all.
 */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { verdictOf } from '../../src/post-steps.js';
import { createUi } from '../../src/ui.js';

/** A stream that says it is a terminal and keeps what is written to it. */
function fakeTerminal(columns = 100, rows = 40): { stream: NodeJS.WriteStream; text: () => string; cursorMoves: () => number } {
  let raw = '';
  let moves = 0;
  const stream = new Writable({ write: (chunk, _enc, done) => ((raw += String(chunk)), done()) }) as unknown as NodeJS.WriteStream;
  // Moving the cursor (as a spinner redraws its line) ends a piece of screen text. A spinner that
  // clears more lines than any screen has is looping: stop it here rather than hang the test.
  const newline = () => {
    if (++moves > 10_000) throw new Error('the spinner moved the cursor more than 10 000 times');
    raw += '\n';
    return true;
  };
  Object.assign(stream, { isTTY: true, columns, rows, clearLine: newline, cursorTo: newline, moveCursor: newline });
  // Colours are dropped; any other escape code (cursor, synchronised output) ends a piece of text.
  return { stream, cursorMoves: () => moves, text: () => raw.replace(/\x1b\[[0-9;]*m/g, '').replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '\n').replace(/\r/g, '\n') };
}

describe('post-step spinners', () => {
  it('maps outcomes to verdicts: done, skipped, failed, nothing to do', () => {
    expect(verdictOf({ ok: true, note: 'shellcheck: scripts OK' })).toBe('done');
    expect(verdictOf({ ok: true, skipped: true, note: 'hadolint: not available; skipped checking the Dockerfile' })).toBe('skipped');
    expect(verdictOf({ ok: false, note: 'shellcheck reported problems' })).toBe('failed');
    expect(verdictOf(null)).toBe('nothing');
  });

  it('ends each spinner with its own mark, and a step with nothing to do with no line', async () => {
    const terminal = fakeTerminal();
    const ui = createUi({ color: false, stdout: terminal.stream });
    await ui.step('Checking with shellcheck', async () => 'ok', () => 'done');
    await ui.step('Checking with hadolint', async () => 'missing', () => 'skipped');
    await ui.step('Checking with nomad', async () => 'bad', () => 'failed');
    await ui.step('Generating backing-service passwords', async () => null, () => 'nothing');
    const lines = terminal.text().split('\n').map((l) => l.trim()).filter((l) => l !== '');
    const last = (label: string) => lines.filter((l) => l.includes(label)).at(-1);
    expect(last('Checking with shellcheck')).toMatch(/^✔ Checking with shellcheck$/);
    expect(last('Checking with hadolint')).toMatch(/^ℹ Checking with hadolint: skipped$/);
    expect(last('Checking with nomad')).toMatch(/^✖ Checking with nomad$/);
    // Only spinner frames (cleared as it stops), never a final mark.
    expect(lines.filter((l) => /^[✔ℹ✖⚠] Generating/.test(l))).toEqual([]);
  });

  // A pty whose size was never set (`script` without a terminal, `docker run -t` at first) reports
  // 0 columns; ora divided by it and cleared lines forever. There a step prints only its last line.
  it('on a terminal that reports no width, ends each step with one line and never redraws', async () => {
    const terminal = fakeTerminal(0, 0);
    const ui = createUi({ color: false, stdout: terminal.stream });
    await ui.step('Initialising git', async () => 'ok', () => 'done');
    await ui.step('Checking with hadolint', async () => 'missing', () => 'skipped');
    await ui.step('Generating backing-service passwords', async () => null, () => 'nothing');
    await expect(ui.step('Checking with nomad', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(terminal.cursorMoves()).toBe(0);
    expect(terminal.text()).toBe('✔ Initialising git\nℹ Checking with hadolint: skipped\n✖ Checking with nomad\n');
  });

  it('on a dumb terminal (TERM=dumb), prints the same single lines', async () => {
    const term = process.env.TERM;
    process.env.TERM = 'dumb';
    try {
      const terminal = fakeTerminal();
      const ui = createUi({ color: false, stdout: terminal.stream });
      await ui.step('Initialising git', async () => 'ok', () => 'done');
      expect(terminal.cursorMoves()).toBe(0);
      expect(terminal.text()).toBe('✔ Initialising git\n');
    } finally {
      if (term === undefined) delete process.env.TERM;
      else process.env.TERM = term;
    }
  });
});
