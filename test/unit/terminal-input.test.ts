import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TerminalInput, textLines } from '../../src/terminal-input.js';

const START = '\u001b[200~';
const END = '\u001b[201~';

/** A TerminalInput over a fake keyboard: what it passes on, what it was pasted, what it wrote to the screen. */
function setup() {
  const keyboard = Object.assign(new PassThrough(), { isRaw: false, setRawMode: vi.fn() });
  const screen: string[] = [];
  const input = new TerminalInput(keyboard as never, { isTTY: true, write: (text: string) => screen.push(text) > 0 } as never);
  const pastes: string[] = [];
  input.onPaste = (text) => {
    pastes.push(text);
    return `<${textLines(text).join(',')}>`;
  };
  let passed = '';
  input.on('data', (chunk: Buffer) => (passed += chunk.toString()));
  const type = async (text: string) => {
    keyboard.write(text);
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { input, keyboard, screen, pastes, passed: () => passed, type };
}

afterEach(() => vi.useRealTimers());

describe('the prompts’ keyboard', () => {
  it('passes keys on as typed: letters, Enter, arrows, type-ahead of one line', async () => {
    const t = setup();
    await t.type('orders\r');
    await t.type('\u001b[B\r');
    await t.type('x\r\u001b[B\r\r');
    expect(t.passed()).toBe('orders\r\u001b[B\rx\r\u001b[B\r\r');
    expect(t.pastes).toEqual([]);
  });

  it('takes one read of two lines of text or more for a paste (a terminal without bracketed paste)', async () => {
    const t = setup();
    await t.type('API_TOKEN\nDB_PASSWORD\n');
    expect(t.pastes).toEqual(['API_TOKEN\nDB_PASSWORD\n']);
    expect(t.passed()).toBe('<API_TOKEN,DB_PASSWORD>');
  });

  it('holds a bracketed paste until its end, across reads and with its marks cut between reads', async () => {
    const t = setup();
    await t.type(`a${START.slice(0, 3)}`);
    await t.type(`${START.slice(3)}A\r\nB`);
    await t.type(`\r\n${END.slice(0, 4)}`);
    expect(t.pastes).toEqual([]);
    await t.type(`${END.slice(4)}b`);
    expect(t.pastes).toEqual(['A\r\nB\r\n']);
    expect(t.passed()).toBe('a<A,B>b');
  });

  it('lets a lone Escape key through after a moment, and ends a paste whose end never comes after a second', async () => {
    vi.useFakeTimers();
    const t = setup();
    t.keyboard.write('\u001b');
    await vi.advanceTimersByTimeAsync(10);
    expect(t.passed()).toBe('');
    await vi.advanceTimersByTimeAsync(100);
    expect(t.passed()).toBe('\u001b');
    t.keyboard.write(`${START}A\nB`);
    await vi.advanceTimersByTimeAsync(500);
    expect(t.pastes).toEqual([]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(t.pastes).toEqual(['A\nB']);
    t.keyboard.write('c');
    await vi.advanceTimersByTimeAsync(1);
    expect(t.passed()).toBe('\u001b<A,B>c');
  });

  it('reads keys again when raw mode comes back on, as after Ctrl-Z and fg (readline pauses its input then)', async () => {
    const t = setup();
    t.input.resume();
    t.input.setRawMode(true);
    t.input.setRawMode(false);
    t.input.pause();
    t.input.setRawMode(true);
    await t.type('x');
    expect(t.passed()).toBe('x');
  });

  it('turns bracketed paste on with raw mode and off with it (showing the cursor, for Ctrl-Z), and off at an exit in between', () => {
    const t = setup();
    t.input.setRawMode(true);
    t.input.setRawMode(false);
    expect(t.screen).toEqual(['\u001b[?2004h', '\u001b[?2004l\u001b[?25h']);
    expect(t.keyboard.setRawMode.mock.calls).toEqual([[true], [false]]);
    const exits = process.listenerCount('exit');
    t.input.setRawMode(true);
    expect(process.listenerCount('exit')).toBe(exits + 1);
    t.input.setRawMode(false);
    expect(process.listenerCount('exit')).toBe(exits);
  });

  it('reads the lines of text: controls and escape sequences out, tabs as spaces, blank lines dropped', () => {
    expect(textLines('\u001b[31m A\tB \u001b[0m\r\n\r\n\u0007C\u2028D\n')).toEqual(['A B', 'C', 'D']);
  });
});
