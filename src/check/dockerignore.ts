/**
 * `.dockerignore` with Docker's semantics (not .gitignore's): patterns in order, the last match
 * wins, and a pattern matching a parent folder excludes everything in it. Lines become rules as
 * @balena/dockerignore reads them (comments, `!`, cleaned paths, a leading `/` dropped, as moby's
 * ignorefile does); each rule's pattern is matched by ./docker-pattern.ts, as today's Docker does.
 *
 * Walking a large context asks "is this file sent?" once per file, and Docker answers by testing
 * every pattern against the file and against each of its parent folders. That is done here once
 * per folder instead (what a pattern says about a file's parents is the same for all files of a
 * folder); a test checks the answers equal the library's `ignores()` on random patterns and paths.
 */
import dockerignore from '@balena/dockerignore';
import { UserError } from '../errors.js';
import { printable } from '../ui.js';
import { compilePattern, PatternError, type PathPattern } from './docker-pattern.js';

interface Rule {
  origin: string;
  pattern: string;
  negative: boolean;
}

interface Internals {
  _rules: Rule[];
  add(pattern: string): Internals;
}

// The package is CommonJS with ES-style typings: its default export is the module itself.
const create = ((dockerignore as unknown as { default?: typeof dockerignore }).default ?? dockerignore) as unknown as (o: { ignorecase: boolean }) => Internals;

/** Per-folder state: for each rule, whether it matches a parent of the folder's files. */
export interface FolderState {
  path: string;
  depth: number;
  /** acc[r]: rule r matches the folder or one of its parents (rules that reach any depth). */
  acc: boolean[];
  parentMatch: boolean[];
  /** Index of the last rule matching a parent, or -1. */
  last: number;
}

export class DockerIgnore {
  private readonly rules: Rule[];
  private readonly matchers: PathPattern[];
  /** The .dockerignore line of each rule. */
  readonly lines: number[];

  constructor(text: string, file = '.dockerignore') {
    const lib = create({ ignorecase: false });
    this.lines = [];
    text.split(/\r?\n/).forEach((line, i) => {
      const before = lib._rules.length;
      lib.add(simplified(line, `${file}:${i + 1}`));
      for (let n = before; n < lib._rules.length; n++) this.lines.push(i + 1);
    });
    this.rules = lib._rules;
    this.matchers = this.rules.map((rule, r) => {
      try {
        return compilePattern(rule.pattern);
      } catch (error) {
        if (!(error instanceof PatternError)) throw error;
        // The pattern is the repository's text: escaped, so it cannot drive the terminal.
        throw new UserError(`${file}:${this.lines[r]}: ${printable(JSON.stringify(rule.origin))} ${printable(error.message)}`);
      }
    });
  }

  /**
   * Whether one path is kept out of the context (the rules' probes), by the per-folder matcher the
   * walk uses: the library's `ignores()` runs cold, pattern by pattern over every parent, and cost
   * `check` and create's gate ~5 ms for a dozen probes (issue #6).
   */
  ignores(path: string): boolean {
    const parts = path.split('/');
    let folder = this.root();
    for (const part of parts.slice(0, -1)) folder = this.enter(folder, part);
    return !this.decide(folder, parts.at(-1)!).sent;
  }

  get patterns(): readonly { origin: string; negative: boolean; line: number }[] {
    return this.rules.map((r, i) => ({ origin: r.origin, negative: r.negative, line: this.lines[i]! }));
  }

  root(): FolderState {
    // Docker never tests the empty prefix: the root is nobody's parent match.
    const none = this.rules.map(() => false);
    return { path: '', depth: 0, acc: none, parentMatch: none, last: -1 };
  }

  /** The state of a subfolder, from its parent's: at most one pattern test per rule. */
  enter(parent: FolderState, name: string): FolderState {
    const path = parent.path === '' ? name : `${parent.path}/${name}`;
    const depth = parent.depth + 1;
    const acc: boolean[] = [];
    const parentMatch: boolean[] = [];
    let last = -1;
    for (let r = 0; r < this.rules.length; r++) {
      const matcher = this.matchers[r]!;
      const parts = matcher.minSlashes + 1; // no prefix with fewer parts can match
      let match: boolean;
      if (matcher.variableDepth) {
        // Rules that reach any depth test every prefix: the parent's answer, plus this folder.
        acc[r] = parent.acc[r]! || (depth >= parts && matcher.test(path));
        match = acc[r]!;
      } else {
        // Other rules can only match the prefix with exactly as many parts as the pattern.
        acc[r] = false;
        match = depth > parts ? parent.parentMatch[r]! : depth === parts ? matcher.test(path) : false;
      }
      parentMatch[r] = match;
      if (match) last = r;
    }
    return { path, depth, acc, parentMatch, last };
  }

  /** The rule deciding a file of this folder (-1: none), and so whether it is sent. */
  decide(folder: FolderState, name: string): { sent: boolean; rule: number } {
    const path = folder.path === '' ? name : `${folder.path}/${name}`;
    for (let r = this.rules.length - 1; r > folder.last; r--) {
      if (this.matchers[r]!.test(path)) return { sent: this.rules[r]!.negative, rule: r };
    }
    if (folder.last < 0) return { sent: true, rule: -1 };
    return { sent: this.rules[folder.last]!.negative, rule: folder.last };
  }

  /** Nothing under this folder can be sent: a parent match excludes it and no later rule re-includes. */
  excludesAll(folder: FolderState): boolean {
    if (folder.last < 0 || this.rules[folder.last]!.negative) return false;
    for (let r = folder.last + 1; r < this.rules.length; r++) if (this.rules[r]!.negative) return false;
    return true;
  }
}

/** Wildcards one pattern may hold: matching costs the path's length times the pattern's tokens. */
const MAX_WILDCARDS = 64;

// A pattern with a chain of `**/` collapsed to one (two in a row match what one does, for Docker's
// expression and for its suffix comparison alike), so thousands of them are read, not refused.
// Past that, a pattern with more wildcards than this tool reads is refused in one line.
function simplified(line: string, where: string): string {
  const collapsed = line.replace(/(^|\/|!)(?:\*\*\/){2,}/g, '$1**/');
  const wildcards = (collapsed.match(/(?<!\\)[*?]/g) ?? []).length;
  if (wildcards > MAX_WILDCARDS) throw new UserError(`${where}: a pattern with ${wildcards} wildcards; this tool reads at most ${MAX_WILDCARDS} in one pattern, so simplify it (one ** for any depth)`);
  return collapsed;
}
