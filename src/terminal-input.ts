/**
 * The keyboard the prompts read: process.stdin, with pasted text told apart from typed keys.
 *
 * Readline answers a question at every line break, so a list pasted one name a line (from a .env
 * file, a wiki) answered with its first line; the rest was dropped, or, when it arrived in a later
 * read, typed into the next questions (a checkbox takes "a" for "select all"). Here a paste reaches
 * the prompt as one piece, as the question's `PasteHandler` makes it, never with a line break.
 *
 * A paste is recognised two ways: by the terminal's bracketed paste mode (`ESC[?2004h`: the
 * terminal wraps it in `ESC[200~` … `ESC[201~`, however many reads it takes), turned on while
 * readline has the terminal in raw mode and off with it; and, for terminals without that mode,
 * as one read holding two lines or more of text, which no typist produces.
 */
import { writeSync } from 'node:fs';
import { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { releaseHungUpTerminalAtExit } from './cli/output.js';
import { progress } from './progress.js';

const PASTE_MODE_ON = '\u001b[?2004h';
const PASTE_MODE_OFF = '\u001b[?2004l';
const CURSOR_SHOWN = '\u001b[?25h';
const PASTE_START = '\u001b[200~';
const PASTE_END = '\u001b[201~';
/** A paste longer than this is cut: every answer is far shorter, and the text is held in memory. */
const MAX_PASTE = 100_000;

/** What a paste becomes in the prompt's line: text without line breaks, or '' to drop it. */
export type PasteHandler = (text: string) => string;

/** Escape sequences (keys, paste marks) and the control characters other than tab and line breaks. */
const CONTROLS = /\u001b(\[[0-?]*[ -/]*[@-~]|O.|.)?|[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/gu;

/** The lines of pasted or typed text with text on them, trimmed; escape sequences and controls left out. */
export function textLines(text: string): string[] {
  return text
    .replace(CONTROLS, '')
    .split(/\r\n|\r|\n|\u2028|\u2029/u)
    .map((line) => line.replace(/\t/g, ' ').trim())
    .filter((line) => line !== '');
}

export class TerminalInput extends Readable {
  readonly isTTY = true;
  onPaste: PasteHandler = () => '';
  /** Told of typed keys before the prompt reads them (a paste's note may then describe the line no more). */
  onTyped: () => void = () => {};
  private listening = false;
  private decoder = new StringDecoder('utf8');
  /** The text of a bracketed paste whose end has not arrived yet. */
  private pasted: string | undefined;
  /** The start of a paste mark cut off at the end of a read, kept until the next one. */
  private held = '';
  private timer: NodeJS.Timeout | undefined;
  private pasteMode = false;

  constructor(
    private readonly stdin: Pick<NodeJS.ReadStream, 'on' | 'pause' | 'resume' | 'setRawMode' | 'isRaw'>,
    private readonly stdout: Pick<NodeJS.WriteStream, 'isTTY' | 'write'>,
  ) {
    super();
    // A terminal that hung up (its window closed) fails each read and each mode change with EIO,
    // as an 'error' event that nothing else listens to: uncaught, it would crash the run. It has
    // no more keys to give: the question ends as the hang-up's signal ends it, which may come
    // after its end of input (or, with the run over by then, never be handled).
    this.stdin.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EIO') {
        releaseHungUpTerminalAtExit();
        progress.cancelPrompt?.('SIGHUP');
      }
      this.finish();
    });
  }

  private finished = false;

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.push(null);
  }

  override _read(): void {}

  get isRaw(): boolean {
    return this.stdin.isRaw;
  }

  // Readline resumes its input when a prompt starts and pauses it when the prompt ends: stdin
  // follows, so between prompts the bytes wait in the terminal and the process can exit.
  override resume(): this {
    if (!this.listening) {
      this.listening = true;
      this.stdin.on('data', (chunk: Buffer) => this.receive(this.decoder.write(chunk)));
      this.stdin.on('end', () => this.finish());
    }
    super.resume();
    this.stdin.resume();
    return this;
  }

  override pause(): this {
    super.pause();
    this.stdin.pause();
    return this;
  }

  /** Readline's raw mode is a prompt on screen: bracketed paste is on for exactly that time. */
  setRawMode(mode: boolean): this {
    this.stdin.setRawMode(mode);
    // Back from Ctrl-Z (SIGCONT), readline pauses its input and turns raw mode on again, and
    // nothing resumed it: the run ended as if interrupted. A prompt in raw mode reads its keys.
    if (mode) this.resume();
    // A dumb terminal (Emacs' shell) would show the mode's codes as text.
    if (mode !== this.pasteMode && this.stdout.isTTY && process.env.TERM !== 'dumb') {
      this.pasteMode = mode;
      // Off is also Ctrl-Z: the shell gets the terminal back, with the cursor a choice hid.
      this.stdout.write(mode ? PASTE_MODE_ON : PASTE_MODE_OFF + CURSOR_SHOWN);
      if (mode) process.once('exit', this.restore);
      else process.off('exit', this.restore);
    }
    return this;
  }

  /** At an exit in the middle of a prompt, the terminal must not stay in paste mode (Node restores the rest). */
  private readonly restore = () => {
    if (!this.pasteMode) return;
    this.pasteMode = false;
    try {
      writeSync(1, PASTE_MODE_OFF);
    } catch {
      // The terminal is gone: nothing to restore.
    }
  };

  private receive(text: string): void {
    clearTimeout(this.timer);
    text = this.held + text;
    this.held = '';
    let out = '';
    while (text !== '') {
      const mark = this.pasted === undefined ? PASTE_START : PASTE_END;
      const at = text.indexOf(mark);
      let before = at < 0 ? text : text.slice(0, at);
      text = at < 0 ? '' : text.slice(at + mark.length);
      if (at < 0) {
        this.held = cutMark(before, mark);
        before = before.slice(0, before.length - this.held.length);
      }
      if (this.pasted === undefined) {
        out += this.typedOrPasted(before);
        if (at >= 0) this.pasted = '';
      } else {
        this.pasted = (this.pasted + before).slice(0, MAX_PASTE);
        if (at >= 0) out += this.endPaste();
      }
    }
    if (out !== '') this.push(out);
    // A lone Escape key (or a mark's start never completed) goes on as typed after a moment; a
    // paste whose end never comes (a terminal cut off) ends after a second without input, so the
    // keyboard, Ctrl-C included, works again.
    if (this.held !== '' || this.pasted !== undefined) {
      this.timer = setTimeout(() => {
        const held = this.held;
        this.held = '';
        if (this.pasted === undefined) this.push(this.typedOrPasted(held));
        else this.push(this.endPaste(held));
      }, this.pasted === undefined ? 50 : 1000);
      this.timer.unref();
    }
  }

  /** Text read outside a bracketed paste: keys as typed, unless it holds two lines of text or more. */
  private typedOrPasted(text: string): string {
    if (text === '') return text;
    if (textLines(text).length > 1) return this.onPaste(text);
    this.onTyped();
    return text;
  }

  private endPaste(rest = ''): string {
    const text = this.pasted + rest;
    this.pasted = undefined;
    return this.onPaste(text);
  }
}

/** The end of `text` that begins `mark` (an escape sequence split between two reads), or ''. */
function cutMark(text: string, mark: string): string {
  for (let n = Math.min(mark.length - 1, text.length); n > 0; n--) {
    if (text.endsWith(mark.slice(0, n))) return text.slice(text.length - n);
  }
  return '';
}

let input: TerminalInput | undefined;

/** The one input of every prompt of a run (a paste, a held mark and type-ahead carry over between prompts). */
export function terminalInput(onPaste: PasteHandler, onTyped: () => void = () => {}): NodeJS.ReadableStream {
  input ??= new TerminalInput(process.stdin, process.stdout);
  input.onPaste = onPaste;
  input.onTyped = onTyped;
  return input;
}
