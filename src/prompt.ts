/**
 * The one module that talks to the prompt library. Step 1 of the pipeline: it asks and validates,
 * and never touches the disk. Small on its own: each prompt package loads only when a question
 * of its kind is asked.
 */
import type { Asker } from './answers.js';
import { Interrupted, signalExitCode } from './errors.js';
import { progress } from './progress.js';
import type { AnswerKey, Answers, Question } from './questions.js';
import { terminalInput, textLines, type PasteHandler } from './terminal-input.js';
import { InvalidAnswer } from './validate.js';

type Known = Partial<Answers>;

/** The most a paste puts in a line: past the longest answer (a start command of 500 characters). */
const MAX_INSERTED = 2000;

/** An answer as the prompt draws it when it has no transformer: cyan, where the terminal shows colour. */
function answerStyle(text: string): string {
  return process.stdout.hasColors?.() ? `\u001b[36m${text}\u001b[39m` : text;
}

function asText(value: unknown): string {
  return Array.isArray(value) ? value.join(', ') : String(value);
}

function check(q: Question, known: Known) {
  return (raw: unknown): true | string => {
    try {
      q.parse(raw, known);
      return true;
    } catch (error) {
      if (error instanceof InvalidAnswer) return error.message;
      throw error;
    }
  };
}

/**
 * Each prompt package is loaded on first use, not all three up front: the first question is text
 * input, and a person waits for it to appear. The other two load in the background once a question
 * is on screen (see `preloadLater`), so later questions do not wait either. Only the three packages,
 * not @inquirer/prompts: its editor prompt drags in iconv-lite's encoding tables (~500 kB).
 */
const load = {
  input: once(async () => (await import('@inquirer/input')).default),
  select: once(async () => (await import('@inquirer/select')).default),
  checkbox: once(async () => (await import('@inquirer/checkbox')).default),
};

function once<T>(loader: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () => (loading ??= loader());
}

let preloading = false;

/**
 * Start loading the prompt packages not loaded yet, after the current turn: a prompt renders its
 * first frame synchronously when called, so by then the question is on screen and the user reads
 * it while the rest loads. A failure is ignored here; the real use reports it.
 */
function preloadLater(): void {
  if (preloading) return;
  preloading = true;
  setImmediate(() => {
    for (const loader of Object.values(load)) loader().catch(() => {});
  });
}

/**
 * What a paste becomes in a question's line (never a line break, which would answer it), and the
 * note the question then shows. A list takes every line, as if typed with commas; the secrets
 * question reads lines of a .env file (or a compose file's environment) as their names, and their
 * values are dropped before they reach the screen (the tool keeps names only). A question of one value keeps the first line and
 * says so; a choice is made with the keys, so a paste there is dropped, and the note says which keys.
 */
function pasteInto(q: Question, known: Known, textLines: (text: string) => string[], note: (text: string) => void): PasteHandler {
  if (q.kind === 'select' || q.kind === 'checkbox') {
    return () => {
      note(q.kind === 'select' ? '(a paste does not choose here: move with ↑↓ or type the first letters of a choice, then press ⏎)' : '(a paste does not choose here: move with ↑↓, press space to pick each, then ⏎)');
      // The prompt redraws only on a change: a move down and back up shows the note and changes
      // nothing (with a single choice neither moves, and the note is not shown).
      return '\u001b[B\u001b[A';
    };
  }
  return (text) => {
    const lines = textLines(text);
    let inserted: string;
    if (q.kind === 'text') {
      if (lines.length > 1) note(`(pasted ${lines.length} lines: kept the first, this question takes one)`);
      inserted = lines[0] ?? '';
    } else if (q.key !== 'secrets') {
      inserted = lines.join(', ');
    } else {
      let values = 0;
      const names = lines.flatMap((line) => {
        if (line.startsWith('#')) return [];
        // NAME=value (.env, `export`), NAME: value and - NAME=value (a compose file's environment).
        const assignment = /^(?:-\s+)?(?:export\s+)?([^=:\s]+)\s*[=:]/.exec(line);
        if (!assignment) return [line];
        values++;
        return [assignment[1]!];
      });
      if (values > 0) note(`(${values} pasted value${values === 1 ? '' : 's'} dropped: only the names are kept; put the values in secrets/${known.name ?? '<name>'}.env)`);
      inserted = names.join(', ');
    }
    // The prompt redraws its whole line at every character, so what it writes grows with the
    // square of the paste: a file pasted by mistake would flood the terminal for minutes.
    if (inserted.length > MAX_INSERTED) {
      note(`(pasted ${inserted.length} characters, more than any answer takes: nothing was inserted)`);
      // A space typed and erased: the prompt redraws only on a change, and the note must show now.
      return ' \u007f';
    }
    return inserted;
  };
}

/**
 * Waits for a prompt's answer. A signal while it is on screen cancels it, so it puts the terminal
 * back (cursor shown, paste mode off, below its lines) before the run ends, as Ctrl-C does.
 */
async function answerOf<T>(prompt: Promise<T> & { cancel(): void }): Promise<T> {
  let signal: NodeJS.Signals | undefined;
  progress.cancelPrompt = (s) => {
    signal = s;
    prompt.cancel();
  };
  try {
    return await prompt;
  } catch (error) {
    if (error instanceof Error && (error.name === 'ExitPromptError' || error.name === 'CancelPromptError')) {
      throw new Interrupted(undefined, signalExitCode(signal));
    }
    throw error;
  } finally {
    progress.cancelPrompt = undefined;
  }
}

export async function createInquirerAsker(): Promise<Asker> {
  return {
    async ask<K extends AnswerKey>(question: Question<K>, known: Known): Promise<Answers[K]> {
      const q = question as unknown as Question;
      const fallback = q.defaultValue(known);
      const validate = check(q, known);
      // An empty answer is valid here (no build script, no secrets), but the prompt answers Enter
      // on an empty line with the suggestion: "none" says none.
      const noneIsEmpty = (q.kind === 'text' || q.kind === 'list') && asText(fallback) !== '' && validate('') === true;
      const none = (value: string) => (noneIsEmpty && value.trim().toLowerCase() === 'none' ? '' : value);
      const message = noneIsEmpty ? `${q.message} [type none to leave it empty]` : q.message;
      const choice = q.kind === 'select' || q.kind === 'checkbox';
      // A paste's note. At a choice it is in the message until the next key. In a line it is drawn
      // before the answer, by a transformer (the one part of a redraw that is given the answer:
      // the message is read before it), for as long as the answer is what the paste made it: that
      // is taken at the first key typed after the paste, which has been drawn by then. The prompt
      // reads its message and transformer at each redraw.
      let note = '';
      let shown: string | undefined;
      let pasted: string | undefined;
      const setNote = (text: string) => {
        note = text;
        shown = pasted = undefined;
      };
      const typed = () => {
        if (note === '') return;
        if (choice || shown === undefined) note = '';
        else pasted ??= shown;
      };
      const config = {
        get message() {
          return choice && note !== '' ? `${message} ${note}` : message;
        },
        get transformer() {
          if (choice || note === '') return undefined;
          return (value: string, { isFinal }: { isFinal: boolean }) => {
            shown = value;
            if (pasted !== undefined && value !== pasted) note = '';
            const answer = isFinal ? answerStyle(value) : value;
            return note === '' ? answer : `${note} ${answer}`;
          };
        },
      };
      const onPaste = pasteInto(q, known, textLines, setNote);
      // Each paste replaces the note of the one before, with its own or none.
      const context = { input: terminalInput((text) => (setNote(''), onPaste(text)), typed) };
      let prompt: Promise<unknown> & { cancel(): void };
      if (q.kind === 'select') {
        prompt = (await load.select())(Object.assign(config, { choices: q.choices!(known), default: asText(fallback) }), context);
      } else if (q.kind === 'checkbox') {
        const selected = new Set(fallback as string[]);
        const choices = q.choices!(known).map((c) => ({ ...c, checked: selected.has(c.value) }));
        prompt = (await load.checkbox())(Object.assign(config, { choices, validate: (items: readonly { value: string }[]) => validate(items.map((i) => i.value)) }), context);
      } else {
        prompt = (await load.input())(Object.assign(config, { default: asText(fallback), validate: (value: string) => validate(none(value)) }), context);
      }
      preloadLater();
      const raw = await answerOf(prompt);
      return q.parse(typeof raw === 'string' ? none(raw) : raw, known) as Answers[K];
    },
  };
}

/** What to do with a file that exists with other content (`add`); "theirs" is the generated file. */
export type ConflictChoice = 'keep' | 'take' | 'side';

/**
 * Ask about one conflicting file until the user decides; "show diff" prints the difference (via
 * `showDiff`) and asks again. Ctrl-C is an interruption: nothing has been written yet.
 */
export async function askConflict(path: string, showDiff: () => Promise<void>): Promise<ConflictChoice> {
  const select = await load.select();
  const choices = [
    { value: 'keep', name: 'keep mine (recorded, so `update` merges template changes into it)' },
    { value: 'take', name: 'take theirs (replace it with the generated file)' },
    { value: 'diff', name: 'show diff' },
    { value: 'side', name: `write theirs next to it as ${path}.secure-service` },
  ];
  for (;;) {
    const answer = await answerOf(select({ message: `${path} already exists with other content`, choices, default: 'keep' }, { input: terminalInput(() => '') }));
    if (answer !== 'diff') return answer as ConflictChoice;
    await showDiff();
  }
}
