/**
 * The CLI bundled as `npm run build` bundles it (esbuild, one entry with lazily loaded chunks),
 * but into a private temporary package folder: the e2e tests pack the package, which rebuilds
 * dist/, so building there from a second test file at the same time could race.
 */
import { copyFileSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { repoRoot } from '../helpers/render.js';

/** Builds into `<into>/pkg` and returns the path of its bin script. */
export async function buildCli(into: string): Promise<string> {
  const pkg = join(into, 'pkg');
  mkdirSync(join(pkg, 'bin'), { recursive: true });
  copyFileSync(join(repoRoot, 'package.json'), join(pkg, 'package.json'));
  symlinkSync(join(repoRoot, 'templates'), join(pkg, 'templates'));
  await build({
    absWorkingDir: repoRoot,
    entryPoints: { index: 'src/index.ts' },
    outdir: join(pkg, 'dist'),
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20.19',
    chunkNames: 'chunks/[name]-[hash]',
    banner: { js: "import{createRequire as __csCreateRequire}from'node:module';const require=__csCreateRequire(import.meta.url);" },
    logLevel: 'warning',
  });
  const bin = join(pkg, 'bin', 'create-secure-service.js');
  writeFileSync(bin, "import { main } from '../dist/index.js';\n\nprocess.exitCode = await main(process.argv.slice(2));\n");
  return bin;
}
