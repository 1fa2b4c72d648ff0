// Bundles src/ into dist/ so the published package has zero runtime dependencies.
//
// Start-up time (issue #6) shapes the output. rolldown splits the code at every import(), so the
// heavy modules (the templates, the rule engine, prompts, yaml, execa) are chunks loaded only by
// the commands that need them, and writes CommonJS with every import() as a require(): Node's ES
// module loader resolved, linked and evaluated the ~15 chunks before the first question
// asynchronously, ~15-20 ms more than requiring the same code. (rolldown replaced esbuild, whose
// ES-module split then converted to CommonJS chunk by chunk was 6-9 ms slower to the first
// question and 4-7 ms slower on `create`, in paired runs: its chunks reach each other's exports
// through getters and interop wrappers, and the prompt library's chunk took twice as long to load.)
// The licences of everything bundled are collected into dist/THIRD-PARTY-NOTICES.md.
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rolldown } from 'rolldown';
import { tsImport } from 'tsx/esm/api';

const root = fileURLToPath(new URL('..', import.meta.url));
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const target = 'node20.19';

// The templates are compiled here, once, instead of on every run. The bundle gets a generated
// module in place of src/render/installed-templates.ts (its comment says more), so the CLI neither
// loads ejs nor reads templates/. A template using `<%=` fails the build.
const { readTemplateSources, precompiledTemplatesModule } = await tsImport('../src/render/compile-templates.ts', import.meta.url);
const precompiledTemplates = precompiledTemplatesModule(await readTemplateSources(join(root, 'templates')));
const templatesId = '\0precompiled-templates';
const templatesPlugin = {
  name: 'precompiled-templates',
  resolveId: (id) => (/(^|\/)installed-templates\.js$/.test(id) ? templatesId : null),
  load: (id) => (id === templatesId ? precompiledTemplates : null),
};

// @inquirer/core's wrap-ansi becomes scripts/shims/wrap-ansi.cjs (its comment says why), which
// loads the real one, named wrap-ansi-measured, only for a line that needs wrapping. The real one
// is a file of its own, dist/wrap-ansi.cjs, required at run time: bundled into the prompt's chunk
// (lazily run, but compiled with it), its 28 kB (string-width's emoji expression, ansi-styles'
// colour tables) were compiled before every first question (-5 M instructions to it, 3 runs each).
const wrapAnsiShim = join(root, 'scripts/shims/wrap-ansi.cjs');
const realWrapAnsi = join(root, 'node_modules/wrap-ansi/index.js');
const wrapAnsiPlugin = {
  name: 'lazy-wrap-ansi',
  resolveId(id, importer) {
    if (id === 'wrap-ansi' && importer?.includes('/node_modules/@inquirer/core/')) return wrapAnsiShim;
    if (id === 'wrap-ansi-measured') return { id: '../wrap-ansi.cjs', external: true }; // from dist/chunks/
    // The shim strips colour codes with wrap-ansi's own strip-ansi.
    if (id === 'strip-ansi' && importer === wrapAnsiShim) return this.resolve('strip-ansi', realWrapAnsi, { skipSelf: true });
    return null;
  },
};

// `import process from 'node:process'` (the prompt library, ora, execa) would become a copy of
// process's ~80 properties made on load, once per chunk that imports it (rolldown's interop for
// a CommonJS module); the global is the same object.
const globalProcessPlugin = {
  name: 'global-process',
  transform: (code, id) => (/\/node_modules\//.test(id) && /^import process from ['"](?:node:)?process['"];?$/m.test(code) ? code.replace(/^import process from ['"](?:node:)?process['"];?$/m, '') : null),
};

/**
 * Two chunks load before the first question. `start`: what every command runs (the entry, its
 * argument parser, the terminal output), the language registry, which the rule engine reads too,
 * and the test of a .git folder, which the engine and the post-steps both use (a few lines:
 * elsewhere it would make `check` load the post-steps' chunk, or `create` the engine's). `ask`:
 * the create command and its asking step (the questions, their parsers, the prompts' driver),
 * which `check` never loads: -3.6 ms for `check` (25 paired runs) against one chunk for both, and
 * no change to the first question measurable in 80 paired pty runs. Each is the static imports of
 * its roots, followed to the end, so no list to maintain. Left to the default split they were ~10
 * small files, each a require() with its own lookup and compile (-2 to -3 ms to the first
 * question).
 */
const staticImports = new Map();
const graphPlugin = { name: 'static-imports', moduleParsed: (info) => void staticImports.set(info.id, info.importedIds) };
function reachable(roots, exclude = new Set()) {
  const found = new Set();
  const visit = (m) => {
    if (found.has(m) || exclude.has(m) || !m.startsWith(join(root, 'src/'))) return;
    found.add(m);
    for (const next of staticImports.get(m) ?? []) visit(next);
  };
  roots.forEach(visit);
  return found;
}
// Each found once, when first asked (every module is parsed by then).
let startSet;
let askSet;
const startModules = () => (startSet ??= reachable([join(root, 'src/index.ts'), join(root, 'src/languages.ts'), join(root, 'src/git-dir.ts')]));
const askModules = () => (askSet ??= reachable([join(root, 'src/commands/create.ts')], startModules()));
const onStartPath = (id) => startModules().has(id);
const onAskPath = (id) => askModules().has(id);

/** One rolldown build of `input` into dist/; returns the ids of the modules it bundled. */
async function bundle(input, { define, splitting }) {
  const build = await rolldown({ input, cwd: root, platform: 'node', transform: { target, define }, plugins: [templatesPlugin, graphPlugin, wrapAnsiPlugin, globalProcessPlugin], logLevel: 'warn' });
  const { output } = await build.write({
    dir: join(root, 'dist'),
    format: 'cjs',
    entryFileNames: '[name].cjs',
    chunkFileNames: 'chunks/[name]-[hash].cjs', // .cjs: the package is "type": "module"
    dynamicImportInCjs: false, // import('./chunks/x.cjs') becomes require('./chunks/x.cjs')
    codeSplitting: splitting,
    minify: true,
    comments: false,
    minifyInternalExports: false, // chunks export by their real names (tests load the templates' chunk)
  });
  await build.close();
  return output.flatMap((chunk) => chunk.moduleIds ?? []);
}

rmSync(join(root, 'dist'), { recursive: true, force: true });
// What every writing command runs after its answers (render, plan, write, post-steps), and the rule
// engine with its parsers, are one chunk each: split as the imports fall, they were ~12 chunks,
// each a require() with its own lookup and compile (-1.4 ms for `create`, -1.3 ms for `check`,
// 20 paired runs each). The `yaml` library's reader stays apart: most runs never load it.
const pipeline = /\/src\/(render|parts)\/|\/src\/(commands\/create-steps|post-steps|tools|write|plan|report|manifest|disk|facts|paths|json-file)\.ts$/;
const engine = /\/src\/check\/(?!compose-yaml-library\.ts)|\/node_modules\/@balena\/dockerignore\/|\/src\/(compare|commands\/check)\.ts$/;
// --version answers from the bundle itself, without reading package.json from disk.
// (The templates' group only names their chunk, which tests find by name; it would be one anyway.)
const groups = [
  { name: 'start', test: onStartPath },
  { name: 'ask', test: onAskPath },
  { name: 'precompiled-templates', test: (id) => id === templatesId },
  { name: 'pipeline', test: (id) => !onStartPath(id) && !onAskPath(id) && pipeline.test(id) && !id.endsWith('compile-templates.ts') },
  { name: 'engine', test: (id) => !onStartPath(id) && !onAskPath(id) && engine.test(id) },
];
const modules = await bundle({ index: join(root, 'src/index.ts') }, { define: { __CSS_VERSION__: JSON.stringify(version) }, splitting: { groups } });
if (modules.some((id) => id.includes('/node_modules/ejs/'))) throw new Error('ejs was bundled: only precompiled templates belong in dist/');
if (!modules.includes(templatesId)) throw new Error('the precompiled templates were not bundled');
const wrapModules = await bundle({ 'wrap-ansi': realWrapAnsi }, { splitting: false });
writeFileSync(join(root, 'dist', 'THIRD-PARTY-NOTICES.md'), notices([...modules, ...wrapModules]));

// dist/quick.cjs: --version and --help for the CommonJS bin, with their texts computed here from
// the real helpText (src/cli/quick.ts says why). One file, nothing shared with the bundle.
const { helpText } = await tsImport('../src/cli/help.ts', import.meta.url);
const { commands } = await tsImport('../src/cli/args.ts', import.meta.url);
const texts = { version, help: Object.fromEntries(commands.map((c) => [c.name, helpText(version, c.name)])) };
await bundle({ quick: join(root, 'src/cli/quick.ts') }, { define: { __CSS_QUICK_TEXTS__: JSON.stringify(texts) }, splitting: false });

/** One section per bundled package: name, version, licence, and its licence text. */
function notices(ids) {
  const dirs = new Set();
  for (const id of ids) {
    const m = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(id);
    if (m) dirs.add(m[1]);
  }
  const sections = [...dirs]
    .map((dir) => ({ dir, pkg: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) }))
    .sort((a, b) => `${a.pkg.name}@${a.pkg.version}`.localeCompare(`${b.pkg.name}@${b.pkg.version}`) || relative(root, a.dir).localeCompare(relative(root, b.dir)))
    .map(({ dir, pkg }) => {
      const file = readdirSync(dir).find((f) => /^(licen[cs]e|copying)/i.test(f));
      const text = file && existsSync(join(dir, file)) ? readFileSync(join(dir, file), 'utf8').trim() : `${pkg.license} (no licence file shipped)`;
      return `## ${pkg.name}@${pkg.version} (${pkg.license})\n\n\`\`\`\n${text}\n\`\`\``;
    });
  return `# Third-party notices\n\ncreate-secure-service bundles the following packages into dist/.\n\n${sections.join('\n\n')}\n`;
}
