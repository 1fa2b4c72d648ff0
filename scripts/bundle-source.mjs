// Bundles a piece of source code, with everything it imports, into one CommonJS file the way
// scripts/build.mjs bundles the CLI (rolldown, platform node): the benchmarks' probes.
import { rolldown } from 'rolldown';

/** Writes `code`, bundled, to `file` (imports resolve from `root`); returns `file`. */
export async function bundleSource(code, file, { root, minify = false }) {
  const id = '\0probe-source';
  const source = { name: 'probe-source', resolveId: (x) => (x === id ? id : null), load: (x) => (x === id ? code : null) };
  const build = await rolldown({ input: id, cwd: root, platform: 'node', plugins: [source], logLevel: 'warn' });
  await build.write({ file, format: 'cjs', minify, comments: false });
  await build.close();
  return file;
}
