// Bundles src/ into dist/ so the published package has zero runtime dependencies.
// Code splitting keeps heavy modules (prompts, spinner, execa) out of the start-up path:
// they are separate chunks loaded with dynamic import() only when a command needs them.
import { build } from 'esbuild';
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
await rm(new URL('../dist', import.meta.url), { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: { index: 'src/index.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  minify: true,
  legalComments: 'linked',
  chunkNames: 'chunks/[name]-[hash]',
  // CommonJS dependencies (fs-extra, ejs) call require() for Node built-ins.
  banner: { js: "import{createRequire as __csCreateRequire}from'node:module';const require=__csCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});
