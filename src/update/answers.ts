/**
 * The answers an update renders with: the ones recorded in the manifest, changed by flags or an
 * answers file, plus the questions this version added (their defaults with --yes, asked on a
 * terminal). A recorded answer that was left at its default follows the new default when an
 * answer before it changes (a new --name moves vaultRole with it; a new --language its version,
 * base, port and start command), exactly as if the questions had been answered afresh.
 * The result is validated as a whole by `validateAnswers`, like any answers file.
 */
import { rejectUnknownKeys, validateAnswers, withoutRefusedEmpty, type Asker } from '../answers.js';
import { UserError } from '../errors.js';
import { MANIFEST_PATH } from '../manifest.js';
import { questions, type AnswerKey, type Answers, type Question } from '../questions.js';
import { InvalidAnswer } from '../validate.js';

export interface AnswerChanges {
  /** Raw flag values by answer key (strings or string arrays). */
  flags?: Partial<Record<AnswerKey, unknown>>;
  /** An answers file: its path for messages, and its values. */
  file?: { label: string; values: Record<string, unknown> };
  /** Accept the default of every question the recorded answers lack. */
  yes?: boolean;
  /** Present on a terminal: asks the questions this version added. */
  asker?: () => Promise<Asker>;
}

export interface UpdatedAnswers {
  answers: Answers;
  /** Answers that differ from the recorded ones. */
  changed: AnswerKey[];
  /** Questions this version added (answered by flag, file, prompt or default). */
  added: AnswerKey[];
  /** Recorded keys this version no longer asks (dropped). */
  dropped: string[];
}

const same = (x: unknown, y: unknown): boolean => JSON.stringify(x) === JSON.stringify(y);

export async function updateAnswers(recorded: Record<string, unknown>, changes: AnswerChanges): Promise<UpdatedAnswers> {
  recorded = withoutRefusedEmpty(recorded);
  const all = questions as readonly Question[];
  const keys = new Set<string>(all.map((q) => q.key));
  const file = changes.file;
  if (file) rejectUnknownKeys(file.values, file.label);
  const given = (q: Question): boolean => changes.flags?.[q.key] !== undefined || file?.values[q.key] !== undefined;
  const added = all.filter((q) => !(q.key in recorded)).map((q) => q.key);
  // A new question about an existing project's layout takes its default, the seed's, as every
  // version before it did (add asks it when it adds a part).
  const unanswered = all.filter((q) => !(q.key in recorded) && !given(q) && !q.existingProjectOnly);
  let asker: Asker | undefined;
  if (unanswered.length > 0 && !changes.yes) {
    if (!changes.asker) {
      throw new UserError(`this version asks new questions (${unanswered.map((q) => `--${q.flag}`).join(', ')}); give them as flags, or pass --yes to accept their defaults`);
    }
    asker = await changes.asker();
  }

  const known: Partial<Record<AnswerKey, unknown>> = {};
  const old = recorded as Partial<Answers>;
  let changedBefore = false;
  for (const q of all) {
    const flag = changes.flags?.[q.key];
    const fromFile = file?.values[q.key];
    const k = known as Partial<Answers>;
    let value: unknown;
    if (flag !== undefined) value = parseFrom(q, flag, k, `--${q.flag}`);
    else if (fromFile !== undefined) value = parseFrom(q, fromFile, k, `${file!.label}: "${q.key}"`);
    else if (q.key in recorded && !(changedBefore && followsDefault(q, old))) {
      value = parseFrom(q, recorded[q.key], k, `${MANIFEST_PATH}: recorded "${q.key}"`, ` (change it with --${q.flag})`);
    } else if (!(q.key in recorded) && asker && (q.when?.(k) ?? true) && !q.existingProjectOnly) value = await asker.ask(q, k);
    else value = parseFrom(q, q.defaultValue(k), k, `default for ${q.key}`);
    known[q.key] = value;
    if (q.key in recorded && !same(value, recorded[q.key])) changedBefore = true;
  }
  const answers = await validateAnswers(known, 'answers');
  return {
    answers,
    changed: all.filter((q) => q.key in recorded && !same(answers[q.key], recorded[q.key])).map((q) => q.key),
    added,
    dropped: Object.keys(recorded).filter((key) => !keys.has(key)),
  };
}

/**
 * The recorded answer is what the question's default was for the recorded answers before it, or
 * the question was not asked for them (a signing key with --signing none): no choice of the user's.
 */
function followsDefault(q: Question, recorded: Partial<Answers>): boolean {
  try {
    if (q.when && !q.when(recorded)) return true;
    return same(q.defaultValue(recorded), recorded[q.key]);
  } catch {
    return false;
  }
}

function parseFrom(q: Question, raw: unknown, known: Partial<Answers>, origin: string, hint = ''): unknown {
  try {
    return q.parse(raw, known);
  } catch (error) {
    if (error instanceof InvalidAnswer) throw new UserError(`${origin}: ${error.message}${hint}`);
    throw error;
  }
}
