/**
 * `.dockerignore` with Docker's semantics (not .gitignore's), from @balena/dockerignore, a port of
 * moby's matcher: patterns in order, the last match wins, and a pattern matching a parent folder
 * excludes everything in it.
 *
 * Walking a large context asks "is this file sent?" once per file, and the library answers by
 * testing every pattern against the file and against each of its parent folders. That is done
 * here once per folder instead (what a pattern says about a file's parents is the same for all
 * files of a folder), using the library's own parsed and compiled patterns; a test checks the
 * answers equal the library's `ignores()` on random patterns and paths.
 */
import dockerignore from '@balena/dockerignore';
import { UserError } from '../errors.js';

interface Rule {
  origin: string;
  pattern: string;
  dirs: string[];
  negative: boolean;
}

interface Internals {
  _rules: Rule[];
  _compile(rule: Rule): { regexp: RegExp };
  add(pattern: string): Internals;
}

// The package is CommonJS with ES-style typings: its default export is the module itself.
const create = ((dockerignore as unknown as { default?: typeof dockerignore }).default ?? dockerignore) as unknown as (o: { ignorecase: boolean }) => Internals;

/** Per-folder state: for each rule, whether it matches a parent of the folder's files. */
export interface FolderState {
  path: string;
  depth: number;
  /** acc[r]: rule r matches some prefix the `**` form may reach (see `enter`). */
  acc: boolean[];
  parentMatch: boolean[];
  /** Index of the last rule matching a parent, or -1. */
  last: number;
}

export class DockerIgnore {
  private readonly lib: Internals;
  private readonly rules: Rule[];
  private readonly regexps: RegExp[];
  private readonly starRuleMin: number[];
  /** The .dockerignore line of each rule. */
  readonly lines: number[];

  constructor(text: string, file = '.dockerignore') {
    this.lib = create({ ignorecase: false });
    this.lines = [];
    text.split(/\r?\n/).forEach((line, i) => {
      const before = this.lib._rules.length;
      this.lib.add(simplified(line, `${file}:${i + 1}`));
      for (let n = before; n < this.lib._rules.length; n++) this.lines.push(i + 1);
    });
    this.rules = this.lib._rules;
    this.regexps = this.rules.map((r) => this.lib._compile(r).regexp);
    this.starRuleMin = this.rules.map((r) => (r.dirs.includes('**') ? r.dirs.filter((d) => d !== '**').length : -1));
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
    // acc for the root covers prefix '' (reached by `**` rules with nothing else in them).
    const acc = this.rules.map((r, i) => this.starRuleMin[i] === 0 && this.regexps[i]!.test(''));
    return { path: '', depth: 0, acc, parentMatch: this.rules.map(() => false), last: -1 };
  }

  /** The state of a subfolder, from its parent's: at most one pattern test per rule. */
  enter(parent: FolderState, name: string): FolderState {
    const path = parent.path === '' ? name : `${parent.path}/${name}`;
    const depth = parent.depth + 1;
    const acc: boolean[] = [];
    const parentMatch: boolean[] = [];
    let last = -1;
    for (let r = 0; r < this.rules.length; r++) {
      const min = this.starRuleMin[r]!;
      let match: boolean;
      if (min >= 0) {
        // `**` rules test every prefix with at least `min` parts: the parent's, plus this folder.
        acc[r] = parent.acc[r]! || (depth >= min && this.regexps[r]!.test(path));
        match = acc[r]!;
      } else {
        // Other rules test the prefix with as many parts as the pattern.
        const k = this.rules[r]!.dirs.length;
        acc[r] = false;
        match = depth > k ? parent.parentMatch[r]! : depth === k ? this.regexps[r]!.test(path) : false;
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
      if (this.regexps[r]!.test(path)) return { sent: this.rules[r]!.negative, rule: r };
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

/** Wildcards one pattern may hold: each becomes a backtracking group in the compiled expression. */
const MAX_WILDCARDS = 64;

// A pattern as the library compiles it, with repeated `**` collapsed: each `**` becomes an
// optional any-folders group, two of them in a row match what one does, and thousands of them
// overflow the stack when the expression runs. Past that, a pattern with more wildcards than the
// matcher takes is refused in one line rather than left to run for minutes.
function simplified(line: string, where: string): string {
  const collapsed = line
    // A run of unescaped stars: an even one is a chain of "**" (one will do), an odd one adds a "*".
    .replace(/(?<!\\)\*{3,}/g, (run) => (run.length % 2 === 0 ? '**' : '***'))
    .replace(/(^|\/|!)(?:\*\*\/){2,}/g, '$1**/');
  const wildcards = (collapsed.match(/(?<!\\)[*?]/g) ?? []).length;
  if (wildcards > MAX_WILDCARDS) throw new UserError(`${where}: a pattern with ${wildcards} wildcards; this tool reads at most ${MAX_WILDCARDS} in one pattern, so simplify it (one ** for any depth)`);
  return collapsed;
}
