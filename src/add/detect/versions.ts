/**
 * Maps a version constraint found in a project (`"node": ">=20"`, `requires-python = "~=3.11"`,
 * `go 1.23.4`, `<TargetFramework>net8.0`) onto the versions the generator has pinned images for
 * (src/pins.ts). A supported version the constraint allows is taken (the language's default when
 * it qualifies, else the newest); when none does, the nearest one, and the caller says so.
 */

type Version = number[];

interface Range {
  lo: Version | null;
  /** Exclusive upper bound. */
  hi: Version | null;
}

export interface VersionChoice {
  version: string;
  /** The constraint allows this version (false: nearest supported, not an exact match). */
  satisfied: boolean;
}

function parse(text: string): Version | null {
  const m = /^v?(\d+)((?:\.\d+)*)/.exec(text.trim());
  if (!m) return null;
  return [Number(m[1]), ...m[2]!.split('.').filter(Boolean).map(Number)];
}

function compare(a: Version, b: Version): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** The first version past every version that starts with `v` at its precision: 3.11 -> 3.12, 20 -> 21. */
function bump(v: Version, at = v.length - 1): Version {
  const out = v.slice(0, at + 1);
  out[at] = (out[at] ?? 0) + 1;
  return out;
}

function intersect(a: Range, b: Range): Range {
  const lo = a.lo && b.lo ? (compare(a.lo, b.lo) >= 0 ? a.lo : b.lo) : (a.lo ?? b.lo);
  const hi = a.hi && b.hi ? (compare(a.hi, b.hi) <= 0 ? a.hi : b.hi) : (a.hi ?? b.hi);
  return { lo, hi };
}

/** One comparator (`>=3.9`, `^8.2`, `~=3.11`, `20.x`, `1.25`) as a range; null when unreadable. */
function comparator(token: string): Range | null {
  const m = /^(>=|<=|>|<|\^|~=|~|===|==|=)?\s*v?(\d+(?:\.(?:\d+|x|X|\*))*)$/.exec(token);
  if (!m) return null;
  const op = m[1] ?? '';
  const numeric = m[2]!.split('.').filter((p) => /^\d+$/.test(p)).join('.');
  const v = parse(numeric);
  if (!v) return null;
  switch (op) {
    case '>=':
    case '>':
      return { lo: v, hi: null };
    case '<':
      return { lo: null, hi: v };
    case '<=':
      return { lo: null, hi: bump(v) };
    case '^':
      return { lo: v, hi: v[0] === 0 && v.length > 1 ? bump(v, 1) : bump(v, 0) };
    case '~':
      return { lo: v, hi: bump(v, Math.min(1, v.length - 1)) };
    case '~=':
      return { lo: v, hi: bump(v, Math.max(0, v.length - 2)) };
    default:
      return { lo: v, hi: bump(v) };
  }
}

/** Alternatives (`||`), each the intersection of its comparators; null for "any version". */
export function parseConstraint(text: string): Range[] | null {
  const trimmed = text.trim();
  if (trimmed === '' || trimmed === '*' || /^(lts\/\*|node|latest|stable|current)$/i.test(trimmed)) return null;
  const ranges: Range[] = [];
  for (const alternative of trimmed.split('||')) {
    let range: Range = { lo: null, hi: null };
    let read = false;
    for (const token of alternative.replace(/(>=|<=|>|<|\^|~=|~|===|==|=)\s+/g, '$1').split(/[\s,]+/).filter(Boolean)) {
      const r = comparator(token);
      if (!r) continue;
      range = intersect(range, r);
      read = true;
    }
    if (read) ranges.push(range);
  }
  return ranges.length > 0 ? ranges : null;
}

const allows = (range: Range, supported: Version): boolean =>
  // A supported line (e.g. "22" = 22.x) qualifies when it overlaps the range.
  (range.hi === null || compare(supported, range.hi) < 0) && (range.lo === null || compare(range.lo, bump(supported)) < 0);

/** A distance that treats a major step as larger than any minor step. */
const weight = (v: Version) => (v[0] ?? 0) * 1000 + (v[1] ?? 0);

/**
 * The supported version for a constraint. `supported` is in registry order; `preferred` is the
 * language's default. Returns null only when the text holds no version at all.
 */
export function chooseVersion(constraint: string, supported: readonly string[], preferred: string): VersionChoice | null {
  const ranges = parseConstraint(constraint);
  if (ranges === null) return /\d/.test(constraint) ? null : { version: preferred, satisfied: true };
  const lines = supported.map((s) => ({ s, v: parse(s)! }));
  const ok = lines.filter((l) => ranges.some((r) => allows(r, l.v)));
  if (ok.length > 0) {
    const pick = ok.find((l) => l.s === preferred) ?? ok.reduce((a, b) => (compare(a.v, b.v) >= 0 ? a : b));
    return { version: pick.s, satisfied: true };
  }
  const anchor = ranges[0]!.lo ?? ranges[0]!.hi;
  if (!anchor) return { version: preferred, satisfied: false };
  const nearest = lines.reduce((a, b) => {
    const da = Math.abs(weight(a.v) - weight(anchor));
    const db = Math.abs(weight(b.v) - weight(anchor));
    return db < da || (db === da && compare(b.v, a.v) > 0) ? b : a;
  });
  return { version: nearest.s, satisfied: false };
}
