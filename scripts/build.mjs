// Bundles src/ into dist/ so the published package has zero runtime dependencies.
// Code splitting keeps heavy modules (prompts, spinner, execa) out of the start-up path:
// they are separate chunks loaded with dynamic import() only when a command needs them.
// The licences of everything bundled are collected into dist/THIRD-PARTY-NOTICES.md.
import { build } from 'esbuild';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
rmSync(join(root, 'dist'), { recursive: true, force: true });
const result = await build({
  absWorkingDir: root,
  entryPoints: { index: 'src/index.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  minify: true,
  metafile: true,
  legalComments: 'none',
  chunkNames: 'chunks/[name]-[hash]',
  // CommonJS dependencies (fs-extra, ejs) call require() for Node built-ins.
  banner: { js: "import{createRequire as __csCreateRequire}from'node:module';const require=__csCreateRequire(import.meta.url);" },
  logLevel: 'warning',
  // --version answers from the bundle itself, without reading package.json from disk.
  define: { __CSS_VERSION__: JSON.stringify(version) },
});

writeFileSync(join(root, 'dist', 'THIRD-PARTY-NOTICES.md'), notices(Object.keys(result.metafile.inputs)));
await buildQuickAnswers();

/**
 * dist/quick.cjs: --version and --help for the CommonJS bin, with their texts computed here from
 * the real helpText (src/cli/quick.ts says why).
 */
async function buildQuickAnswers() {
  const helpModule = await build({
    absWorkingDir: root,
    stdin: { contents: "export { helpText } from './src/cli/help.ts'; export { commands } from './src/cli/args.ts';", resolveDir: root, loader: 'ts' },
    bundle: true,
    format: 'esm',
    platform: 'node',
    write: false,
    logLevel: 'warning',
  });
  const { helpText, commands } = await import(`data:text/javascript;base64,${Buffer.from(helpModule.outputFiles[0].text).toString('base64')}`);
  const texts = { version, help: Object.fromEntries(commands.map((c) => [c.name, helpText(version, c.name)])) };
  await build({
    absWorkingDir: root,
    entryPoints: { quick: 'src/cli/quick.ts' },
    outExtension: { '.js': '.cjs' },
    outdir: 'dist',
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20.19',
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
    define: { __CSS_QUICK_TEXTS__: JSON.stringify(texts) },
  });
}

/** One section per bundled package: name, version, licence, and its licence text. */
function notices(inputs) {
  const dirs = new Set();
  for (const input of inputs) {
    const m = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (m) dirs.add(m[1]);
  }
  const sections = [...dirs].sort().map((dir) => {
    const pkg = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8'));
    const file = readdirSync(join(root, dir)).find((f) => /^(licen[cs]e|copying)/i.test(f));
    const text = file && existsSync(join(root, dir, file)) ? readFileSync(join(root, dir, file), 'utf8').trim() : `${pkg.license} (no licence file shipped)`;
    return `## ${pkg.name}@${pkg.version} (${pkg.license})\n\n\`\`\`\n${text}\n\`\`\``;
  });
  return `# Third-party notices\n\ncreate-secure-service bundles the following packages into dist/.\n\n${sections.join('\n\n')}\n`;
}
