// Bundles src/ into dist/ so the published package has zero runtime dependencies.
// CommonJS on purpose (issue #6): Node's ES module loader resolves, links and evaluates each
// chunk asynchronously, ~15 ms more than require() of the same code before the first prompt.
// esbuild does not split CommonJS output, so the layout is made by hand: dist/index.cjs holds our
// code and the prompt packages; the heavy pieces only some commands need are separate files,
// required on first use: the precompiled templates (dist/templates.cjs) and the vendored
// libraries (dist/vendor/<name>.cjs). Each of those is self-contained, so nothing is bundled twice.
// The licences of everything bundled are collected into dist/THIRD-PARTY-NOTICES.md.
import { build } from 'esbuild';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';

const root = fileURLToPath(new URL('..', import.meta.url));
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

/**
 * Loaded with import() by a few commands only: kept out of dist/index.cjs, which every run parses.
 * Each value is its file's module.exports. The main bundle reads a required file as Node reads
 * CommonJS from an ES module (`default` is module.exports itself), so ora, used only through its
 * default export, exports that function; the others are used by their named exports.
 */
const vendored = {
  yaml: "module.exports = require('yaml');",
  execa: "module.exports = require('execa');",
  ora: "module.exports = require('ora').default;",
  diff: "module.exports = require('diff');",
};

// Start-up time (issue #6): the templates are compiled here, once, instead of on every run. The
// bundle gets a generated module in place of src/render/installed-templates.ts (its comment says
// more), so the CLI neither loads ejs nor reads templates/. A template using `<%=` fails the build.
const { readTemplateSources, precompiledTemplatesModule } = await tsImport('../src/render/compile-templates.ts', import.meta.url);
const precompiledTemplates = precompiledTemplatesModule(await readTemplateSources(join(root, 'templates')));

const common = {
  absWorkingDir: root,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20.19',
  minify: true,
  metafile: true,
  legalComments: 'none',
  logLevel: 'warning',
  outExtension: { '.js': '.cjs' },
};

/**
 * The main bundle requires the templates and the vendored libraries from their own files, on first
 * use: each import() of one becomes a small module in the bundle whose body is that require().
 * (An import() left external would go through the ES module loader, which sees no named exports
 * in an esbuild CommonJS file.)
 */
const separateFiles = {
  name: 'separate-files',
  setup(b) {
    const file = (path) => ({ path, namespace: 'separate-file' });
    b.onResolve({ filter: /(^|\/)installed-templates\.js$/ }, () => file('./templates.cjs'));
    b.onResolve({ filter: new RegExp(`^(${Object.keys(vendored).join('|')})$`) }, (args) => file(`./vendor/${args.path}.cjs`));
    b.onLoad({ filter: /.*/, namespace: 'separate-file' }, (args) => ({ contents: `module.exports = require(${JSON.stringify(args.path)});`, loader: 'js' }));
    b.onResolve({ filter: /^\.\/(templates|vendor\/\w+)\.cjs$/, namespace: 'separate-file' }, (args) => ({ path: args.path, external: true }));
  },
};

const vendorEntries = {
  name: 'vendor-entries',
  setup(b) {
    b.onResolve({ filter: /^vendor:/ }, (args) => ({ path: args.path.slice('vendor:'.length), namespace: 'vendor' }));
    b.onLoad({ filter: /.*/, namespace: 'vendor' }, (args) => ({ contents: vendored[args.path], loader: 'js', resolveDir: root }));
  },
};

const precompiledEntry = {
  name: 'precompiled-templates',
  setup(b) {
    b.onResolve({ filter: /^precompiled-templates$/ }, () => ({ path: 'precompiled-templates', namespace: 'precompiled-templates' }));
    b.onLoad({ filter: /.*/, namespace: 'precompiled-templates' }, () => ({ contents: precompiledTemplates, loader: 'js' }));
  },
};

/**
 * Start-up (issue #6): V8 compiles all of a CommonJS file when it is required (~15 MB/s here), so
 * the code that runs after the answers is a second file, dist/deferred.cjs, compiled only then.
 * dist/index.cjs holds what the first question needs: the static imports of src/index.ts and the
 * modules below. Every other src/ module that index.cjs imports with import() goes to
 * deferred.cjs, and what deferred.cjs imports from index.cjs it takes from index.cjs's `modules`
 * table, so each module is bundled once and has one identity (one UserError class, one state).
 */
const startupModules = new Set(['src/commands/create.ts', 'src/prompt.ts', 'src/paths.ts', 'src/cli/help.ts']);

/** A relative import from a file of src/, as a project path (src/…/x.ts), or undefined. */
async function projectPath(b, args) {
  if (args.pluginData?.resolving || !args.importer.startsWith(join(root, 'src'))) return undefined;
  const found = await b.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: { resolving: true } });
  if (found.errors.length > 0 || found.external) return undefined;
  const path = relative(root, found.path).split(sep).join('/');
  return path.startsWith('src/') ? path : undefined;
}

/** A module of the other file: `module.exports` is its entry in that file's `modules` table. */
function fromOtherFile(namespace, file) {
  return (b) => {
    b.onLoad({ filter: /.*/, namespace }, (args) => ({ contents: `module.exports = require(${JSON.stringify(file)}).modules[${JSON.stringify(args.path)}];`, loader: 'js' }));
    b.onResolve({ filter: /.*/, namespace }, (args) => ({ path: args.path, external: true }));
  };
}

/** In index.cjs: import() of a src/ module not needed at start-up comes from deferred.cjs. */
function deferDynamicImports(deferred) {
  return {
    name: 'defer-dynamic-imports',
    setup(b) {
      b.onResolve({ filter: /^\./ }, async (args) => {
        if (args.kind !== 'dynamic-import') return undefined;
        const path = await projectPath(b, args);
        if (!path || startupModules.has(path)) return undefined;
        deferred.add(path);
        return { path, namespace: 'deferred-module' };
      });
      fromOtherFile('deferred-module', './deferred.cjs')(b);
    },
  };
}

/** In deferred.cjs: an import of a module that index.cjs holds comes from there. */
function takeFromIndex(indexModules) {
  return {
    name: 'take-from-index',
    setup(b) {
      b.onResolve({ filter: /^\./ }, async (args) => {
        const path = await projectPath(b, args);
        return path && indexModules.has(path) ? { path, namespace: 'index-module' } : undefined;
      });
      fromOtherFile('index-module', './index.cjs')(b);
    },
  };
}

/** An entry that re-exports `reexport` (if any) and exports a `modules` table of the given files. */
function tableEntry(name, files, reexport) {
  const list = [...files].sort();
  const contents = [
    ...(reexport ? [`export * from './${reexport}';`] : []),
    ...list.map((file, i) => `import * as m${i} from './${file}';`),
    `export const modules = { ${list.map((file, i) => `${JSON.stringify(file)}: m${i}`).join(', ')} };`,
  ].join('\n');
  return {
    name: `${name}-entry`,
    setup(b) {
      b.onResolve({ filter: new RegExp(`^${name}-entry$`) }, () => ({ path: name, namespace: `${name}-entry` }));
      b.onLoad({ filter: /.*/, namespace: `${name}-entry` }, () => ({ contents, loader: 'js', resolveDir: root }));
    },
  };
}

const bundleOptions = {
  ...common,
  outdir: 'dist',
  // src/paths.ts finds the package folder from import.meta.url, which CommonJS output lacks.
  define: { __CSS_VERSION__: JSON.stringify(version), 'import.meta.url': '__css_module_url' },
  banner: { js: 'const __css_module_url=require("node:url").pathToFileURL(__filename).href;' },
};

// First which modules index.cjs holds and which it defers, then both files with their tables.
const deferred = new Set();
const firstPass = await build({ ...bundleOptions, entryPoints: { index: 'src/index.ts' }, write: false, plugins: [separateFiles, deferDynamicImports(deferred)] });
const indexModules = new Set(Object.keys(firstPass.metafile.inputs).filter((input) => input.startsWith('src/')));

rmSync(join(root, 'dist'), { recursive: true, force: true });
const results = await Promise.all([
  build({ ...bundleOptions, entryPoints: { index: 'index-entry' }, plugins: [separateFiles, deferDynamicImports(new Set()), tableEntry('index', indexModules, 'src/index.ts')] }),
  build({ ...bundleOptions, entryPoints: { deferred: 'deferred-entry' }, plugins: [separateFiles, takeFromIndex(indexModules), tableEntry('deferred', deferred)] }),
  build({ ...common, entryPoints: { templates: 'precompiled-templates' }, outdir: 'dist', plugins: [precompiledEntry] }),
  ...Object.keys(vendored).map((name) => build({ ...common, entryPoints: { [name]: `vendor:${name}` }, outdir: 'dist/vendor', plugins: [vendorEntries] })),
]);

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
const inputs = results.flatMap((result) => Object.keys(result.metafile.inputs));
const [indexInputs, deferredInputs] = results.slice(0, 2).map((result) => Object.keys(result.metafile.inputs).filter((input) => !input.includes(':')));
const twice = indexInputs.filter((input) => deferredInputs.includes(input));
if (twice.length > 0) throw new Error(`bundled in both index.cjs and deferred.cjs (two copies, two identities): ${twice.join(', ')}`);
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
