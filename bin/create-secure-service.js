#!/usr/bin/env node
// A shim: all code lives in the bundle so start-up loads one small file (see BENCHMARKS.md).
import { main } from '../dist/index.js';

process.exitCode = await main(process.argv.slice(2));
