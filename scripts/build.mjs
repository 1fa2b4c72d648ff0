// Bundles src/ into dist/ so the published package has zero runtime dependencies.
//
// Start-up time (issue #6) shapes the output. Code splitting keeps what a command does not need
// out of its way: heavy modules (the templates, the rule engine, prompts, yaml, execa) are chunks
// loaded on first import(). The chunks are then converted to CommonJS, one by one, with every
// import() turned into a require(): Node's ES module loader resolved, linked and evaluated the
// ~15 chunks before the first question asynchronously, ~15-20 ms more than require() of the same
// code. (esbuild splits only ES modules, hence the two steps.)
// The licences of everything bundled are collected into dist/THIRD-PARTY-NOTICES.md.
import { build, transform } from 'esbuild';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';

const root = fileURLToPath(new URL('..', import.meta.url));
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const target = 'node20.19';

// The templates are compiled here, once, instead of on every run. The bundle gets a generated
// module in place of src/render/installed-templates.ts (its comment says more), so the CLI neither
// loads ejs nor reads templates/. A template using `<%=` fails the build.
const { readTemplateSources, precompiledTemplatesModule } = await tsImport('../src/render/compile-templates.ts', import.meta.url);
const precompiledTemplates = precompiledTemplatesModule(await readTemplateSources(join(root, 'templates')));
const templatesPlugin = {
  name: 'precompiled-templates',
  setup(b) {
    b.onResolve({ filter: /(^|\/)installed-templates\.js$/ }, () => ({ path: 'precompiled-templates', namespace: 'precompiled-templates' }));
    b.onLoad({ filter: /.*/, namespace: 'precompiled-templates' }, () => ({ contents: precompiledTemplates, loader: 'js' }));
  },
};

// CommonJS output has no import.meta; src/paths.ts finds the package folder from it.
const moduleUrl = '__css_module_url';

const result = await build({
  absWorkingDir: root,
  entryPoints: { index: 'src/index.ts' },
  outdir: 'dist',
  outExtension: { '.js': '.cjs' }, // so the chunks import each other by their final names
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target,
  minify: true,
  metafile: true,
  write: false,
  legalComments: 'none',
  chunkNames: 'chunks/[name]-[hash]',
  logLevel: 'warning',
  plugins: [templatesPlugin],
  // --version answers from the bundle itself, without reading package.json from disk.
  define: { __CSS_VERSION__: JSON.stringify(version), 'import.meta.url': moduleUrl },
});

rmSync(join(root, 'dist'), { recursive: true, force: true });
await Promise.all(
  result.outputFiles.map(async (file) => {
    const { code } = await transform(file.text, {
      format: 'cjs',
      platform: 'node',
      target,
      minify: true,
      supported: { 'dynamic-import': false }, // import('./chunks/x.cjs') becomes require('./chunks/x.cjs')
      banner: file.text.includes(moduleUrl) ? `const ${moduleUrl}=require("node:url").pathToFileURL(__filename).href;` : '',
    });
    mkdirSync(dirname(file.path), { recursive: true });
    writeFileSync(file.path, code);
  }),
);

/**
 * dist/quick.cjs: --version and --help for the CommonJS bin, with their texts computed here from
 * the real helpText (src/cli/quick.ts says why).
 */
async function buildQuickAnswers() {
  const { helpText } = await tsImport('../src/cli/help.ts', import.meta.url);
  const { commands } = await tsImport('../src/cli/args.ts', import.meta.url);
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
const inputs = Object.keys(result.metafile.inputs);
if (inputs.some((input) => input.includes('node_modules/ejs/'))) throw new Error('ejs was bundled: only precompiled templates belong in dist/');
if (!inputs.some((input) => input.startsWith('precompiled-templates:'))) throw new Error('the precompiled templates were not bundled');
writeFileSync(join(root, 'dist', 'THIRD-PARTY-NOTICES.md'), notices(inputs));
await buildQuickAnswers();

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
