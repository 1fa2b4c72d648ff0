/**
 * The bundle renders with templates compiled at build time (scripts/build.mjs); tests and
 * development compile templates/ from source. Both must give the same bytes, and the compiler
 * behind both keeps the template rules: `<%=` refused, includes from the templates root, other
 * files verbatim.
 */
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileTemplates, precompiledTemplatesModule, type TemplateSources } from '../../src/render/compile-templates.js';
import { renderProject } from '../../src/render/index.js';
import { renderTemplate, type TemplateData, type TemplateSet } from '../../src/render/templates.js';
import { answersFor, combinations, goldenAnswerSets, repoRoot, templates, testFacts } from '../helpers/render.js';

type InstalledTemplates = { installedTemplates(): Promise<TemplateSet> };

/** The precompiled set exactly as shipped: the bundle's chunk for it (dist/ is built by test/global-setup.ts). */
async function bundledTemplates(): Promise<TemplateSet> {
  const chunks = readdirSync(join(repoRoot, 'dist/chunks')).filter((f) => /^precompiled-templates-[\w-]+\.cjs$/.test(f));
  expect(chunks, 'one chunk of precompiled templates in dist/chunks').toHaveLength(1);
  const chunk = createRequire(import.meta.url)(join(repoRoot, 'dist/chunks', chunks[0]!)) as InstalledTemplates;
  return chunk.installedTemplates();
}

/** What the build generates for these sources, loaded as the module it is. */
async function precompiled(sources: TemplateSources): Promise<TemplateSet> {
  const code = precompiledTemplatesModule(sources);
  const module = (await import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`)) as InstalledTemplates;
  return module.installedTemplates();
}

/** Enough of TemplateData for the small template sets below. */
const data = { a: { name: 'svc' }, file: { path: 'out.txt' } } as unknown as TemplateData;

describe('the precompiled templates in the bundle', () => {
  it('are the same set as templates/', async () => {
    expect([...(await bundledTemplates()).keys()]).toEqual([...(await templates()).keys()]);
  });

  // Every golden answer set, and each of them on every language x version x base.
  const answerSets = Object.entries(goldenAnswerSets).flatMap(([set, flags]) => [
    { label: set, flags },
    ...combinations().map((c) => ({ label: `${set} on ${c.language} ${c.languageVersion} ${c.base}`, flags: { ...flags, ...c } })),
  ]);

  it(`render byte for byte what templates/ compiled from source renders, for ${answerSets.length} answer sets`, async () => {
    const [bundled, source] = await Promise.all([bundledTemplates(), templates()]);
    for (const { label, flags } of answerSets) {
      const a = await answersFor(flags);
      const options = { facts: testFacts, generatorVersion: '0.0.0-test' };
      const expected = [...renderProject(a, source, options)];
      expect(expected.length, label).toBeGreaterThan(10);
      expect([...renderProject(a, bundled, options)], label).toEqual(expected);
    }
  });
});

describe('compiling templates (in the build, and from source)', () => {
  const compilers = { 'the build': precompiled, 'from source': async (s: TemplateSources) => compileTemplates(s) };

  for (const [where, compile] of Object.entries(compilers)) {
    it(`${where}: refuses <%= naming the template and line, and takes <%%= as literal text`, async () => {
      await expect(compile(new Map([['docker/bad.ejs', 'FROM x\nLABEL a=<%= a.name %>\n']]))).rejects.toThrow(/^templates\/docker\/bad\.ejs:2: uses <%= ; print with <%- and an explicit escaper$/);
      const set = await compile(new Map([['doc.md.ejs', 'write <%%= value %> for <%- a.name %>\n']]));
      expect(renderTemplate(set, 'doc.md.ejs', data)).toBe('write <%= value %> for svc\n');
    });

    it(`${where}: include() names a template from the root at any depth`, async () => {
      const set = await compile(
        new Map([
          ['languages/go/app/deep/main.go.ejs', "<%- include('docker/_header') %>\nbody\n<%- include('docker/_header.ejs') %>"],
          ['docker/_header.ejs', "// <%- a.name %>: <%- include('project/_line') %>"],
          ['project/_line.ejs', '<%- file.path %>'],
        ]),
      );
      expect(renderTemplate(set, 'languages/go/app/deep/main.go.ejs', data)).toBe('// svc: out.txt\nbody\n// svc: out.txt\n');
      expect(() => renderTemplate(set, 'project/_line.ejs', { ...data, file: undefined } as unknown as TemplateData)).toThrow(/^project\/_line\.ejs: Cannot read properties of undefined/);
    });

    it(`${where}: an include that does not exist, or passes data, fails naming the including template`, async () => {
      const set = await compile(
        new Map([
          ['a.ejs', "<%- include('docker/_missing') %>"],
          ['b.ejs', "<%- include('a', { extra: 1 }) %>"],
        ]),
      );
      expect(() => renderTemplate(set, 'a.ejs', data)).toThrow(/^a\.ejs: include docker\/_missing not found in templates\/$/);
      expect(() => renderTemplate(set, 'b.ejs', data)).toThrow(/^b\.ejs: include\('a', data\): pass values through the render context instead$/);
    });

    it(`${where}: a file that is not .ejs is its text, verbatim`, async () => {
      const text = 'keep <%= this %> and <%- that %> as written\n';
      const set = await compile(new Map([['languages/go/app/notes.txt', text]]));
      expect(renderTemplate(set, 'languages/go/app/notes.txt', data)).toBe(text);
    });
  }

  it('the generated module imports nothing (the bundle needs neither ejs nor templates/)', () => {
    const code = precompiledTemplatesModule(new Map([['a.ejs', "<%- include('b') %>"], ['b.ejs', '<%- a.name %>']]));
    expect(code).not.toMatch(/\bimport\b|\brequire\(/);
  });
});
