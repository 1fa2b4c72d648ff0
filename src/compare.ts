/**
 * Code-unit order for sorting. Not `localeCompare`: its first call loads ICU's collation data
 * (~16 ms here, issue #6), and what we sort (paths, rule IDs, semver identifiers, whose spec
 * asks for ASCII order) should come out the same in every locale anyway.
 */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
