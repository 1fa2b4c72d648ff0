/**
 * What a detector sees of the repository: the scan's file list and bounded, cached reads. A file
 * that is missing, not a regular file (a symbolic link is not followed) or too large reads as
 * null. A JSON manifest that exists but is broken stops the run with file:line:column: guessing
 * around a broken package.json would hide the user's real problem.
 */
import { lstat, readFile } from 'node:fs/promises';
import { posix } from 'node:path';
import { entryKind, kindInWords } from '../../disk.js';
import { parseJsonObject } from '../../json-file.js';
import type { LanguageId } from '../../languages.js';
import type { AnswerKey, Answers, BackingService } from '../../questions.js';
import type { ScanResult } from './scan.js';

const MAX_BYTES = 512 * 1024;

export interface RepoView {
  root: string;
  files: readonly string[];
  has(path: string): boolean;
  /** The text of a regular file under the root, or null. */
  read(path: string): Promise<string | null>;
  /** A JSON object file, or null when absent; throws a UserError when it exists but is broken. */
  json(path: string): Promise<Record<string, unknown> | null>;
  notes: string[];
}

export function repoView(root: string, scan: ScanResult): RepoView {
  const present = new Set(scan.files);
  const cache = new Map<string, Promise<string | null>>();
  const notes: string[] = [];
  const read = (path: string) => {
    let text = cache.get(path);
    if (!text) {
      text = readBounded(posix.join(root, path));
      cache.set(path, text);
    }
    return text;
  };
  return {
    root,
    files: scan.files,
    // Listed by the scan (so not ignored); read() also reaches ignored files such as .env.
    has: (path) => present.has(path),
    read,
    async json(path) {
      const text = await read(path);
      if (text === null) {
        // Present but unread (a link, a FIFO, a 30 MB file): said, or detection's "no language
        // manifest found" would name the wrong problem.
        const why = await unreadable(posix.join(root, path));
        if (why !== null && !notes.some((n) => n.startsWith(`${path} `))) notes.push(`${path} ${why.what}, so detection read nothing from it; ${why.fix}, or give the answers it would have given (e.g. --language)`);
        return null;
      }
      return parseJsonObject(text, posix.join(root, path), path);
    },
    notes,
  };
}

/** Why a file readBounded gives null for is not read, and the fix: null when there is nothing at the path. */
async function unreadable(path: string): Promise<{ what: string; fix: string } | null> {
  const regular = 'make it a regular file';
  try {
    const s = await lstat(path);
    // Said in the words every other message uses for what is not a regular file (disk.ts).
    const kind = entryKind(s);
    if (kind !== 'file') return { what: `is ${kindInWords(kind)}${kind === 'symlink' ? ', which detection does not follow' : ''}`, fix: regular };
    if (s.size > MAX_BYTES) return { what: `is larger than the ${MAX_BYTES / 1024} KiB detection reads`, fix: 'check what it holds (a manifest is a few KiB)' };
    return { what: 'cannot be read', fix: 'check its permissions' };
  } catch {
    return null;
  }
}

export async function readBounded(path: string): Promise<string | null> {
  try {
    const s = await lstat(path);
    if (!s.isFile() || s.size > MAX_BYTES) return null;
    return await readFile(path, 'utf8');
  } catch {
    return null;
  }
}

/** A detected value and where it came from, in words the user can check ("package.json engines.node"). */
export interface Found<T> {
  value: T;
  source: string;
}

/**
 * How much to trust a port source; the lowest rank wins. The container files describe the
 * deployed port, the app's config what it reads, its code and its framework the fallbacks.
 */
export const portRank = { dockerfile: 1, compose: 2, env: 3, config: 4, code: 5, framework: 6 } as const;

export interface PortCandidate extends Found<number> {
  rank: number;
}

/** One ecosystem's findings (the detector of the language that wins supplies the language-bound ones). */
export interface EcosystemFindings {
  language: LanguageId;
  /** The file(s) that show the language, e.g. "package.json". */
  evidence: string;
  /** A version constraint as written (`>=20`, `3.12`, `net8.0` normalised to `8.0`). */
  version?: Found<string>;
  start?: Found<string>;
  /**
   * The start command was inferred from the code (an entry file that exists, a __main__ guard, a
   * package's __main__.py, an app object), not declared: an existing Dockerfile's CMD, which says
   * how the project is really run (its workers, its options), comes first.
   */
  startInferred?: boolean;
  /**
   * The source files the detected start command runs, first the one it names (a built file's
   * TypeScript source after it): the health route, the port and a loopback bind are read there.
   */
  startFiles?: string[];
  /** The detected start command with another port written in, where detection wrote the port (a server it chose). */
  startFor?: (port: number) => string;
  /** Why no start command could be detected, and what to fix (shown while the start answer is the language's default). */
  startNote?: string;
  /** What the build makes, for languages whose Dockerfile must name it (the `buildTarget` answer). */
  buildTarget?: Found<string>;
  /** Paths the build needs besides the top-level source folders (Cargo workspace members), added to the `sources` answer. */
  sources?: Found<string[]>;
  /** The package manager whose lockfile the project keeps (the `packageManager` answer). */
  packageManager?: Found<string>;
  /** The script that builds what the start command runs (the `buildScript` answer). */
  buildScript?: Found<string>;
  name?: Found<string>;
  /** The health endpoint the framework serves by its own configuration (Spring Boot Actuator). */
  health?: Found<string>;
  ports: PortCandidate[];
  notes: string[];
  /** When a note of `notes` holds (by its text): the answers it is about; none, always (for this language). */
  noteConditions?: Map<string, NoteCondition>;
}

/**
 * When a note on the project holds, against the run's final answers: the values it is about
 * (`when`, however they were given), and the answers whose flag it tells to pass (`unlessGiven`:
 * once given, by flag, answers file or manifest, the note has been acted on).
 */
export interface NoteCondition {
  when?: Partial<Answers>;
  unlessGiven?: AnswerKey[];
}

/** Adds a note that holds only under `condition`. */
export function noteIf(out: EcosystemFindings, note: string, condition: NoteCondition): void {
  out.notes.push(note);
  (out.noteConditions ??= new Map()).set(note, condition);
}

/** Findings that do not depend on the language: the container and environment files. */
export interface ContainerFindings {
  ports: PortCandidate[];
  start?: Found<string>;
  /** The path an existing HEALTHCHECK or compose healthcheck asks. */
  health?: Found<string>;
  secrets: Found<string[]> | null;
  services: Found<BackingService[]> | null;
  notes: string[];
}

export interface Detector {
  language: LanguageId;
  /** The manifest files that identify the ecosystem, checked in the service folder. */
  detect(repo: RepoView): Promise<EcosystemFindings | null>;
}

/** A line without its trailing " # comment": a blank then "#", found in one linear pass (a \s+# pattern backtracks quadratically over a long run of blanks). */
export function withoutComment(line: string): string {
  const at = line.search(/\s#/);
  return at < 0 ? line : line.slice(0, at);
}

/** Reads `KEY=value` lines (dotenv syntax: `export`, quotes and comments allowed). */
export function parseEnvFile(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!m) continue;
    let value = m[2]!.trim();
    const quoted = /^(["'])(.*)\1$/.exec(value);
    value = quoted ? quoted[2]! : withoutComment(value).trimEnd();
    out.set(m[1]!, value);
  }
  return out;
}

/** The first port-looking number (1024-65535 are valid answers; lower ones are reported by the caller). */
export function portNumber(text: string | number | undefined): number | null {
  if (text === undefined) return null;
  const n = typeof text === 'number' ? text : Number(String(text).trim());
  return Number.isInteger(n) && n > 0 && n <= 65535 ? n : null;
}
