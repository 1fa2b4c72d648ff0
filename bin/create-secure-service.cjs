#!/usr/bin/env node
// A shim. --version and --help are answered from build-time text (dist/quick.cjs) without
// loading the bundle; everything else requires dist/index.cjs (CommonJS: see scripts/build.mjs).
'use strict';
const argv = process.argv.slice(2);
const { answer, print } = require('../dist/quick.cjs');
const quick = answer(argv);
if (quick !== undefined) {
  print(quick);
} else {
  require('../dist/index.cjs')
    .main(argv)
    .then((code) => {
      process.exitCode = code;
    });
}
