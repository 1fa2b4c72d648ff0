/**
 * The files and folders of an existing project that its image needs (the `sources` answer): the
 * top-level entries that hold the language's source files, without tests, docs, examples and
 * tooling, plus the folders an app reads at run time or embeds when built (views, static files).
 * Each is checked by the answer's own parser, so a path COPY could not take is left out with a
 * note instead of failing the whole suggestion.
 */
import { getLanguage, type LanguageId } from '../../languages.js';
import { appSources, InvalidAnswer } from '../../validate.js';
import type { Found } from './repo.js';

/** Top-level folders that hold code the running service does not need. */
const notShipped = new Set([
  'test', 'tests', '__tests__', '__mocks__', 'spec', 'specs', 'testdata', 'e2e', 'integration-tests', 'cypress', 'playwright',
  'example', 'examples', 'doc', 'docs', 'bench', 'benches', 'benchmarks', 'fixtures', 'scripts', 'tools', 'hack', 'ci',
  'vendor', 'deploy', 'alloc', 'local', 'infra', 'terraform', 'charts', 'helm',
]);

/** Test projects and suites named after what they test (Api.Tests, unit_tests, orders-spec). */
const testFolder = /[._-](tests?|specs?|e2e)$/i;

/** Top-level files that configure tools, build or test the project rather than run it. */
const toolingFile = /[.-](config|conf|setup|rc)\.[cm]?[jt]s$|\.(test|spec)\.[cm]?[jt]sx?$|\.d\.[cm]?ts$|^(gulpfile|gruntfile|jakefile)\.[cm]?[jt]s$|^(setup|conftest|noxfile|fabfile)\.py$|^test_.*\.py$|_test\.(py|go)$|Tests?\.(cs|fs|java|kt)$/i;

/** Languages whose build compiles every source file of a folder: top-level files become a wildcard. */
const compiledPerFolder: Partial<Record<LanguageId, true>> = { go: true, dotnet: true };

/** Folders an app reads at run time, or embeds when it is built, although they hold no source files. */
const assetFolders: Partial<Record<LanguageId, string[]>> = {
  node: ['public', 'static', 'views', 'templates', 'assets', 'locales', 'config'],
  python: ['static', 'templates', 'locale', 'locales', 'config'],
  php: ['public', 'templates', 'views', 'resources', 'config', 'lang', 'translations'],
  go: ['static', 'templates', 'web', 'migrations'],
  rust: ['templates', 'migrations'],
  dotnet: ['wwwroot'],
};

/** Top-level files the build publishes with the app (ASP.NET Core's configuration), as one wildcard. */
const assetFiles: Partial<Record<LanguageId, { match: RegExp; source: string }>> = {
  dotnet: { match: /^appsettings(\.[\w-]+)?\.json$/, source: 'appsettings*.json' },
};

/** Top-level files a build reads besides the sources (with the `buildScript` answer). */
const buildConfig: Partial<Record<LanguageId, RegExp>> = {
  node: /^(tsconfig[\w.-]*\.json|(vite|webpack|rollup|tsup|esbuild|babel|swc|next|postcss|tailwind)\.config\.[cm]?[jt]s|babel\.config\.json|\.babelrc(\.json)?|\.swcrc|\.postcssrc(\.json)?|nest-cli\.json)$/,
};

/** The project's top-level files a build reads besides its sources (tsconfig.json, postcss.config.mjs), for the language. */
export function buildConfigFiles(language: LanguageId, files: readonly string[]): string[] {
  const config = buildConfig[language];
  return config ? files.filter((f) => !f.includes('/') && config.test(f)).sort() : [];
}

/** A source file the running app is built from: not under tests, docs, tooling or build output, not a test or config file itself. */
export function isShippedSource(path: string, language: LanguageId): boolean {
  const { buildOutput } = getLanguage(language);
  const segments = path.split('/');
  const name = segments.pop()!;
  return !toolingFile.test(name) && segments.every((s) => !s.startsWith('.') && !notShipped.has(s) && !testFolder.test(s) && !buildOutput.includes(s));
}

export interface DetectedSources {
  found: Found<string[]> | null;
  notes: string[];
}

export function detectSources(language: LanguageId, files: readonly string[], options: { built?: boolean } = {}): DetectedSources {
  const { sourceExtensions, buildOutput } = getLanguage(language);
  const isSource = (path: string) => sourceExtensions.some((ext) => path.endsWith(ext));
  // One pass, with a verdict per top-level name: a big repository lists 100 000 files here, those
  // of a folder one after another, so a folder already decided costs a prefix test per file.
  const verdicts = new Map<string, boolean>();
  const shipped = (name: string) => {
    let keep = verdicts.get(name);
    if (keep === undefined) verdicts.set(name, (keep = !(name.startsWith('.') || notShipped.has(name) || testFolder.test(name) || buildOutput.includes(name))));
    return keep;
  };
  const byName = new Map<string, string>();
  const topFolders = new Set<string>();
  const topFiles: string[] = [];
  let folder = '';
  let decided = true;
  for (const file of files) {
    if (folder === '' || file.charCodeAt(folder.length) !== 47 || !file.startsWith(folder)) {
      const slash = file.indexOf('/');
      if (slash < 0) {
        folder = '';
        if (!shipped(file)) continue;
        topFiles.push(file);
        if (isSource(file) && !toolingFile.test(file)) byName.set(file, compiledPerFolder[language] ? `*${file.slice(file.lastIndexOf('.'))}` : file);
        continue;
      }
      folder = file.slice(0, slash);
      const keep = shipped(folder);
      if (keep) topFolders.add(folder);
      decided = !keep || byName.has(folder);
    }
    if (decided) continue;
    if (isSource(file)) {
      byName.set(folder, folder);
      decided = true;
    }
  }
  const candidates = [...new Set([...byName.keys()].sort().map((name) => byName.get(name)!))];
  if (candidates.length === 0) return { found: null, notes: [] };
  const assets = (assetFolders[language] ?? []).filter((folder) => topFolders.has(folder) && !candidates.includes(folder));
  const published = assetFiles[language];
  if (published && topFiles.some((f) => published.match.test(f))) assets.push(published.source);
  const config = buildConfig[language];
  if (options.built && config) assets.push(...topFiles.filter((f) => config.test(f)).sort());
  candidates.push(...assets);

  const notes: string[] = [];
  const usable = candidates.filter((entry) => {
    try {
      appSources([entry], buildOutput);
      return true;
    } catch (error) {
      if (!(error instanceof InvalidAnswer)) throw error;
      notes.push(`${entry}: ${error.message}; left out of the image's sources, so add its COPY line by hand if the app needs it`);
      return false;
    }
  });
  if (usable.length === 0) return { found: null, notes };
  if (usable.length > 50) return { found: null, notes: [...notes, `${usable.length} top-level paths hold sources, more than the 50 a sources answer takes; name the ones the image needs with --source`] };
  const kept = assets.filter((a) => usable.includes(a));
  const source = `the top-level paths holding ${sourceExtensions[0]} sources (tests, docs, tooling left out)${kept.length > 0 ? `, and ${kept.join(', ')} used at run time` : ''}`;
  return { found: { value: usable, source }, notes };
}
