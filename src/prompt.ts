/**
 * The one module that talks to the prompt library. Step 1 of the pipeline: it asks and validates,
 * and never touches the disk. Loaded only when a question will actually be asked.
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

export async function createInquirerAsker(): Promise<Asker> {
  // The three prompt packages, not @inquirer/prompts: its editor prompt drags in iconv-lite's
  // encoding tables (~500 kB), which would slow the first prompt for nothing.
  const [{ default: input }, { default: select }, { default: checkbox }] = await Promise.all([
    import('@inquirer/input'),
    import('@inquirer/select'),
    import('@inquirer/checkbox'),
  ]);
  return {
    async ask<K extends AnswerKey>(question: Question<K>, known: Known): Promise<Answers[K]> {
      const q = question as unknown as Question;
      const fallback = q.defaultValue(known);
      const validate = check(q, known);
      let raw: unknown;
      try {
        if (q.kind === 'select') {
          raw = await select({ message: q.message, choices: q.choices!(known), default: asText(fallback) });
        } else if (q.kind === 'checkbox') {
          const selected = new Set(fallback as string[]);
          const choices = q.choices!(known).map((c) => ({ ...c, checked: selected.has(c.value) }));
          raw = await checkbox({ message: q.message, choices, validate: (items) => validate(items.map((i) => i.value)) });
        } else {
          raw = await input({ message: q.message, default: asText(fallback), validate });
        }
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
  const { default: select } = await import('@inquirer/select');
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
