#!/usr/bin/env node
// A shim. --version and --help are answered from build-time text (dist/quick.cjs) without
// loading the bundle; everything else requires dist/index.cjs (CommonJS: see scripts/build.mjs).
'use strict';
const argv = process.argv.slice(2);
// Only a short argv naming one of these flags can be such a request (quick.cjs decides exactly),
// so other runs skip reading its 14 kB of help texts.
const mayBeQuick = argv.length <= 2 && argv.some((a) => a === '--help' || a === '-h' || a === '--version' || a === '-v');
const quick = mayBeQuick ? require('../dist/quick.cjs') : undefined;
const text = quick?.answer(argv);
if (text !== undefined) {
  try {
    quick.print(text);
  } catch (error) {
    // Not a gone reader (that ends quietly): the text could not be written (/dev/full, a full disk).
    process.stderr.write(`error: could not write the output to stdout (${error.code}); free space where it goes, or send it elsewhere\n`);
    process.exitCode = 74;
  }
} else {
  require('../dist/index.cjs')
    .main(argv)
    .then((code) => {
      process.exitCode = code;
    });
}
