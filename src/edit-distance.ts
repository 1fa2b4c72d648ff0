/** Edits (insert, delete, replace, swap two neighbours) from a to b: optimal string alignment. */
export function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The one name a mistyped word most likely meant: one edit away for a short word, two for a
 * longer one, letter case aside, and only when no other name is as close (a guess between two is
 * no help).
 */
export function closestName(word: string, names: readonly string[]): string | undefined {
  const limit = word.length > 4 ? 2 : 1;
  // Lengths further apart than the limit are further apart in edits too: a megabyte-long key in an
  // answers file is never compared cell by cell.
  const near = names.filter((name) => Math.abs(name.length - word.length) <= limit);
  const close = near.map((name) => ({ name, d: editDistance(word.toLowerCase(), name.toLowerCase()) })).filter((c) => c.d <= limit);
  const best = Math.min(...close.map((c) => c.d));
  const at = close.filter((c) => c.d === best);
  return at.length === 1 ? at[0]!.name : undefined;
}
