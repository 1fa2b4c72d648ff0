#!/usr/bin/env node
// A shim. CommonJS on purpose: --version and --help are answered from build-time text
// (dist/quick.cjs) without starting Node's ES module loader; everything else loads the
// bundle (see BENCHMARKS.md).
'use strict';
const argv = process.argv.slice(2);
const { answer, print } = require('../dist/quick.cjs');
const quick = answer(argv);
if (quick !== undefined) {
  print(quick);
} else {
  import('../dist/index.js').then(async ({ main }) => {
    process.exitCode = await main(argv);
  });
}
