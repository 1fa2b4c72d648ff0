// wrap-ansi as @inquirer/core calls it on every line it draws ({ trim: false, hard: true }), loaded
// only for a line that needs wrapping. Loading it builds ansi-styles' tables, and its string-width
// compiles emoji-regex's ~10 kB expression on the first call: ~1-2 ms before the first question
// (issue #6). A line narrower than the terminal comes back from wrap-ansi unchanged when it does
// not trim (it splits rows, and adds colour codes around the breaks, only past `columns`), so a
// line of printable ASCII, colour codes aside, that fits is returned as it is.
// A line that does not fit is cut at the terminal's width, not between words (wordWrap: false): the
// cursor is placed where readline counts it, as if the terminal wrapped the line, so a question's
// line broken between words had its cursor off by the spaces moved to the next row (typing went
// elsewhere than the cursor showed). @inquirer/core does the same from its PR #2134 (issue #1818).
// scripts/build.mjs puts this in the real one's place; test/unit/wrap-ansi-shim.test.ts compares them.
'use strict';
const stripAnsi = require('strip-ansi');

const printableAscii = /^[\x20-\x7e]*$/;
let real;

const fits = (line, columns) => {
  const visible = stripAnsi(line);
  return printableAscii.test(visible) && visible.length < columns;
};

module.exports = (string, columns, options) => {
  if (options?.trim === false) {
    const lines = String(string).replace(/\r\n/g, '\n').split('\n');
    if (lines.every((line) => fits(line, columns))) return lines.join('\n');
  }
  real ??= require('wrap-ansi-measured');
  return real(string, columns, { ...options, wordWrap: false });
};
module.exports.default = module.exports;
