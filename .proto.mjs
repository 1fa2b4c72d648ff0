import { build } from 'esbuild';
import { tsImport } from 'tsx/esm/api';
import { join } from 'node:path';
import { writeFileSync, mkdirSync, rmSync, cpSync } from 'node:fs';
const root = '/work/main';
const out = process.argv[2] ?? '/tmp/pm/cjs3';
const { readTemplateSources, precompiledTemplatesModule } = await tsImport(root + '/src/render/compile-templates.ts', import.meta.url);
const pre = precompiledTemplatesModule(await readTemplateSources(join(root, 'templates')));
rmSync(out, { recursive: true, force: true }); mkdirSync(out + '/dist/vendor', { recursive: true });
writeFileSync('/tmp/pm/pre-templates.mjs', pre);
const vendors = (process.env.VENDORS ?? 'yaml,execa,ora,diff').split(',').filter(Boolean);
const common = { absWorkingDir: root, bundle: true, format: 'cjs', platform: 'node', target: 'node20.19', minify: true, logLevel: 'warning', legalComments: 'none' };
await build({ ...common, entryPoints: { 'index': 'src/index.ts' }, outdir: out + '/dist', outExtension: { '.js': '.cjs' },
  define: { __CSS_VERSION__: '"0.1.0"', 'import.meta.url': '__css_import_meta_url' },
  banner: { js: 'const __css_import_meta_url=require("url").pathToFileURL(__filename).href;' },
  plugins: [{ name: 'p', setup(b) {
    b.onResolve({ filter: /(^|\/)installed-templates\.js$/ }, () => ({ path: './templates.cjs', external: true }));
    b.onResolve({ filter: new RegExp(`^(${vendors.join('|')})$`) }, (a) => ({ path: `./vendor/${a.path}.cjs`, external: true }));
  } }] });
for (const v of vendors) {
  writeFileSync(`/tmp/pm/v-${v}.mjs`, `export * from '${v}'; ${v === 'yaml' ? "export { default } from 'yaml';" : ''}`);
}
await Promise.all([
  build({ ...common, entryPoints: { templates: '/tmp/pm/pre-templates.mjs' }, outdir: out + '/dist', outExtension: { '.js': '.cjs' } }),
  ...vendors.map((v) => build({ ...common, entryPoints: { [v]: v === 'ora' || v === 'diff' || v === 'execa' ? v : v }, outdir: out + '/dist/vendor', outExtension: { '.js': '.cjs' } })),
]);
mkdirSync(out + '/bin');
writeFileSync(out + '/bin/create-secure-service.cjs', `#!/usr/bin/env node
'use strict';
const argv = process.argv.slice(2);
require('../dist/index.cjs').main(argv).then((c) => { process.exitCode = c; });
`);
cpSync(root + '/package.json', out + '/package.json'); cpSync(root + '/templates', out + '/templates', { recursive: true });
