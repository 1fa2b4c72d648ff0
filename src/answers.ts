/**
 * Step 2 of the pipeline: gather answers from flags, an answers file and prompts (in that order of
 * precedence), and validate the whole set against the one schema: the question registry plus the
 * cross-field rules below. Nothing downstream sees an unvalidated value.
 */
import { closestName } from './edit-distance.js';
import { UserError } from './errors.js';
import { questions, servicesClash, type AnswerKey, type Answers, type Question } from './questions.js';
import { InvalidAnswer, show } from './validate.js';

type Known = Partial<Answers>;

/** Asks one question; the interactive implementation lives in prompt.ts, tests use canned answers. */
export interface Asker {
  ask<K extends AnswerKey>(question: Question<K>, known: Known): Promise<Answers[K]>;
}

export interface AnswerSources {
  /** Values from command-line flags, keyed by answer key (strings, or string arrays for lists). */
  flags?: Partial<Record<AnswerKey, unknown>>;
  /** Values from an answers file or a manifest, and a label for messages (the file's path). */
  file?: { label: string; values: Record<string, unknown> };
  /** Present in interactive mode: unanswered questions are asked. */
  asker?: Asker;
  /** Better defaults known from context (e.g. the name from the directory). */
  suggested?: Partial<Answers>;
  /** `add`: the questions about an existing project's layout are asked too. */
  existingProject?: boolean;
}

export async function resolveAnswers(sources: AnswerSources): Promise<Answers> {
  const known: Known = {};
  const file = sources.file;
  if (file) rejectUnknownKeys(file.values, file.label);
  let startGiven = false;
  for (const q of questions as readonly Question[]) {
    // A detected value the answers before it have made invalid (a --start that runs no built file,
    // for a detected build script) gives way to the question's own default: the flags win.
    const suggested = sources.suggested?.[q.key];
    const question = suggested === undefined || !parses(q, suggested, known) ? q : { ...q, defaultValue: () => suggested };
    const fromFlag = sources.flags?.[q.key];
    const fromFile = file?.values[q.key];
    let value: unknown;
    if (fromFlag !== undefined) value = parseFrom(q, fromFlag, known, `--${q.flag}`);
    else if (fromFile !== undefined) value = parseFrom(q, fromFile, known, `${file!.label}: "${q.key}"`);
    else if (sources.asker && (q.when?.(known) ?? true) && (!q.existingProjectOnly || sources.existingProject)) {
      value = await sources.asker.ask(question, known);
      if (q.key === 'start' && value !== question.defaultValue(known)) startGiven = true;
    } else value = parseFrom(q, question.defaultValue(known), known, `default for ${q.key}`);
    if (q.key === 'start' && (fromFlag !== undefined || fromFile !== undefined)) startGiven = true;
    (known as Record<string, unknown>)[q.key] = value;
  }
  const answers = known as Answers;
  checkAnswers(answers);
  // A detected start command is add's to reconcile with the port (it says which to pass).
  if (startGiven) await checkStartPort(answers);
  return answers;
}

/**
 * A start command the user gave that names its own port (`php -S 0.0.0.0:8080`, `uvicorn --port
 * 8000`) must name the port answer: EXPOSE, the health probe, compose and Nomad all use the answer, so the
 * container would fail its health check forever. (Loaded after the questions: the reader of
 * server commands is add's, and the first question should not wait for it.)
 */
async function checkStartPort(a: Answers): Promise<void> {
  const { serverPort } = await import('./add/detect/listen.js');
  const own = serverPort(a.start);
  if (own?.explicit && own.port !== a.port) {
    throw new UserError(`--start: "${a.start}" makes ${own.server} listen on port ${own.port}, but the port answer is ${a.port}; give both the same port (EXPOSE, the health probe, compose and Nomad use --port)`);
  }
}

/** Validate a complete answer set read from a file (answers file or manifest) without asking. */
export function validateAnswers(values: Record<string, unknown>, label: string): Promise<Answers> {
  return resolveAnswers({ file: { label, values } });
}

function parses(q: Question, raw: unknown, known: Known): boolean {
  try {
    q.parse(raw, known);
    return true;
  } catch (error) {
    if (error instanceof InvalidAnswer) return false;
    throw error;
  }
}

function parseFrom(q: Question, raw: unknown, known: Known, origin: string): unknown {
  try {
    return q.parse(raw, known);
  } catch (error) {
    if (error instanceof InvalidAnswer) throw new UserError(`${origin}: ${error.message}`);
    throw error;
  }
}

/** An answers file's keys are the questions' keys; any other is refused, with the key it meant. */
export function rejectUnknownKeys(values: Record<string, unknown>, label: string): void {
  const keys = questions.map((q) => q.key as string);
  for (const key of Object.keys(values)) {
    if (!keys.includes(key)) throw new UserError(`${label}: unknown key ${show(key)}${meantKey(key, keys)}`);
  }
}

function meantKey(key: string, keys: string[]): string {
  // A flag's spelling (language-version) or another letter case (Port) names its key exactly.
  const byFlag = questions.find((q) => q.flag === key.replace(/^--/, '') || (q.key as string).toLowerCase() === key.toLowerCase());
  if (byFlag) return `; write it as ${show(byFlag.key)}, as answers files spell --${byFlag.flag}`;
  const meant = closestName(key, keys);
  if (meant !== undefined) return ` (did you mean ${show(meant)}?); rename it, or remove it`;
  return `; remove it (known keys: ${keys.join(', ')})`;
}

/** Rules that involve more than one answer (prompts check them as each answer comes, too). */
export function checkAnswers(a: Answers): void {
  const clash = servicesClash(a.services, a);
  if (clash) throw new UserError(`--${clash.flag}: ${clash.message}`);
}

/**
 * The answers a manifest recorded, without each empty one this version refuses. An empty answer is
 * how every version records a question that did not apply then (Java had no package manager to
 * choose before Gradle): never a choice of the user's, so it is a question this version adds and
 * answers with its default, which is what the project was rendered with (Maven, then the only
 * Java build), instead of an answer that stops every later run.
 */
export function withoutRefusedEmpty(recorded: Record<string, unknown>): Record<string, unknown> {
  const kept: Record<string, unknown> = { ...recorded };
  const known: Record<string, unknown> = {};
  for (const q of questions as readonly Question[]) {
    if (!(q.key in recorded)) continue;
    try {
      known[q.key] = q.parse(recorded[q.key], known as Partial<Answers>);
    } catch (error) {
      if (!(error instanceof InvalidAnswer)) throw error;
      // Any other refused answer is reported where it is used, with the flag that changes it.
      if (recorded[q.key] === '') delete kept[q.key];
    }
  }
  return kept;
}
