/**
 * The one module that talks to the prompt library. Step 1 of the pipeline: it asks and validates,
 * and never touches the disk. Small on its own: each prompt package loads only when a question
 * of its kind is asked.
 */
import type { Asker } from './answers.js';
import { Interrupted } from './errors.js';
import type { AnswerKey, Answers, Question } from './questions.js';
import { InvalidAnswer } from './validate.js';

type Known = Partial<Answers>;

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

export async function createInquirerAsker(): Promise<Asker> {
  return {
    async ask<K extends AnswerKey>(question: Question<K>, known: Known): Promise<Answers[K]> {
      const q = question as unknown as Question;
      const fallback = q.defaultValue(known);
      const validate = check(q, known);
      let raw: unknown;
      try {
        let answer: Promise<unknown>;
        if (q.kind === 'select') {
          answer = (await load.select())({ message: q.message, choices: q.choices!(known), default: asText(fallback) });
        } else if (q.kind === 'checkbox') {
          const selected = new Set(fallback as string[]);
          const choices = q.choices!(known).map((c) => ({ ...c, checked: selected.has(c.value) }));
          answer = (await load.checkbox())({ message: q.message, choices, validate: (items) => validate(items.map((i) => i.value)) });
        } else if (asText(fallback) !== '' && validate('') === true) {
          // An empty answer is valid here (no build script, no secrets), but the prompt answers
          // Enter on an empty line with the suggestion: "none" says none.
          const none = (value: string) => (value.trim().toLowerCase() === 'none' ? '' : value);
          answer = (await load.input())({ message: `${q.message} [type none to leave it empty]`, default: asText(fallback), validate: (value: string) => validate(none(value)) }).then(none);
        } else {
          answer = (await load.input())({ message: q.message, default: asText(fallback), validate });
        }
        preloadLater();
        raw = await answer;
      } catch (error) {
        if (error instanceof Error && error.name === 'ExitPromptError') throw new Interrupted();
        throw error;
      }
      return q.parse(raw, known) as Answers[K];
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
    let answer: string;
    try {
      answer = await select({ message: `${path} already exists with other content`, choices, default: 'keep' });
    } catch (error) {
      if (error instanceof Error && error.name === 'ExitPromptError') throw new Interrupted();
      throw error;
    }
    if (answer !== 'diff') return answer as ConflictChoice;
    await showDiff();
  }
}
