/**
 * The `sources` answer: what each language's Dockerfile copies of the app itself (D06). With the
 * seed's default, the Dockerfile copies exactly what the seed app part writes; with a project's
 * own list, one COPY per path into the same path under WORKDIR, wildcards into their folder.
 * And the `buildTarget` answer: what Go, Rust and Maven builds are told to make.
 */
import { posix } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { copySources } from '../../src/add/layout.js';
import { DockerIgnore } from '../../src/check/dockerignore.js';
import { languages } from '../../src/languages.js';
import { appCopiesOf } from '../../src/render/context.js';
import { appSources, InvalidAnswer } from '../../src/validate.js';
import { parseDockerfile } from '../helpers/dockerfile.js';
import { fileOf, render } from '../helpers/render.js';

/** Each build-context COPY of the Dockerfile, read by the Docker language server's parser: its sources, and where they land. */
function contextCopies(dockerfile: string): { from: string[]; to: string }[] {
  const out: { from: string[]; to: string }[] = [];
  let workdir = '/';
  const parsed = parseDockerfile(dockerfile);
  expect(parsed.problems).toEqual([]);
  for (const instruction of parsed.dockerfile.getInstructions()) {
    const keyword = instruction.getKeyword();
    const args = instruction.getArguments().map((a) => a.getValue());
    if (keyword === 'FROM') workdir = '/';
    if (keyword === 'WORKDIR') workdir = posix.resolve(workdir, args[0]!);
    if (keyword !== 'COPY' || args.some((a) => a.startsWith('--from='))) continue;
    const paths = args.filter((a) => !a.startsWith('--'));
    const to = paths.at(-1)!;
    out.push({ from: paths.slice(0, -1), to: posix.resolve(workdir, to) + (to.endsWith('/') ? '/' : '') });
  }
  return out;
}

describe('appCopiesOf', () => {
  it('one COPY per path into the same path; wildcards into their folder, one line per folder', () => {
    expect(appCopiesOf(['src', 'app.py', 'cmd/*.go', '*.go', 'web/static', '*.mod', 'cmd/*.s'])).toEqual([
      { from: ['src'], to: './src' },
      { from: ['app.py'], to: './app.py' },
      { from: ['cmd/*.go', 'cmd/*.s'], to: './cmd/' },
      { from: ['*.go', '*.mod'], to: './' },
      { from: ['web/static'], to: './web/static' },
    ]);
  });

  it('adds the health probe on its own line only when no source holds it', () => {
    expect(appCopiesOf(['src'], 'src/healthcheck.js')).toEqual([{ from: ['src'], to: './src' }]);
    expect(appCopiesOf(['*.py'], 'healthcheck.py')).toEqual([{ from: ['*.py'], to: './' }]);
    expect(appCopiesOf(['lib', 'index.js'], 'src/healthcheck.js')).toEqual([
      { from: ['lib'], to: './lib' },
      { from: ['index.js'], to: './index.js' },
      { from: ['src/healthcheck.js'], to: './src/healthcheck.js' },
    ]);
    expect(appCopiesOf(['srcs'], 'src/healthcheck.js').map((c) => c.from[0])).toEqual(['srcs', 'src/healthcheck.js']);
  });
});

describe.each(languages.map((l) => [l.id, l] as const))('%s', (id, language) => {
  it("with the seed's default, the Dockerfile copies exactly what the seed app writes", async () => {
    const tree = await render({ language: id });
    const dockerfile = fileOf(tree, 'Dockerfile');
    const written = [...tree.keys()];
    const globToRegex = (g: string) => new RegExp(`^${g.replace(/[.+]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')}$`);
    for (const source of language.seedSources) {
      expect(copySources(dockerfile), `${id}: COPY ${source}`).toContain(source);
      const exists = /[*?]/.test(source) ? written.some((p) => globToRegex(source).test(p)) : written.some((p) => p === source || p.startsWith(`${source}/`));
      expect(exists, `${id}: the seed app has ${source}`).toBe(true);
    }
  });

  it("with a project's own sources, each lands at the same path under the final working directory", async () => {
    const ext = language.sourceExtensions[0]!;
    const sources = ['lib', `main${ext}`, 'web/static', `cmd/*${ext}`];
    const tree = await render({ language: id, sources });
    const copies = contextCopies(fileOf(tree, 'Dockerfile'));
    const seen = copies.flatMap((c) => c.from);
    for (const source of language.seedSources.filter((s) => !sources.includes(s) && s !== language.probeScript)) expect(seen, `${id}: the seed's ${source} is gone`).not.toContain(source);
    // The health probe is written by the docker part, and copied on its own line when no source holds it.
    if (language.probeScript) {
      expect(tree.get(language.probeScript)?.part, `${id}: the docker part writes the probe`).toBe('docker');
      expect(copies.find((c) => c.from.includes(language.probeScript!))?.to, `${id}: COPY ${language.probeScript}`).toMatch(new RegExp(`/${language.probeScript.replace(/\./g, '\\.')}$`));
    }
    for (const source of sources.filter((s) => !s.includes('*'))) {
      const copy = copies.find((c) => c.from.includes(source));
      expect(copy, `${id}: COPY ${source}`).toBeDefined();
      expect(copy!.to.endsWith(`/${source}`), `${id}: ${source} lands at ${copy!.to}`).toBe(true);
    }
    const wildcard = copies.find((c) => c.from.includes(`cmd/*${ext}`));
    expect(wildcard?.to, `${id}: the wildcard lands in its folder`).toMatch(/\/cmd\/$/);
  });
});

describe('the sources answer and the generated .dockerignore agree', () => {
  // Names the .dockerignore template lists, and ordinary ones, at any depth.
  const listed = ['secrets', '.env', '.env.local', 'prod.env', 'a.env.example', 'tls.pem', 'x.key', 'c.p12', 'c.pfx', 'id_rsa', 'id_ed25519.pub', '.aws', '.gcp', '.azure', '.kube', '.docker', '.vault-token', '.netrc', '.npmrc', '.pypirc', '.git', '.gitignore', '.secure-service', 'deploy', 'alloc', 'local', 'compose.yaml', 'compose.prod.yaml', '.allowed_signers', '.DS_Store', '.idea', '.vscode', 'a.swp'];
  const ordinary = ['src', 'lib', 'app.py', 'main.go', 'views', 'config', 'web', 'index.js', 'public'];
  const segment = fc.oneof(fc.constantFrom(...listed, ...ordinary, ...languages.flatMap((l) => l.buildOutput)), fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9._-]{0,8}$/));
  const path = fc.array(segment, { minLength: 1, maxLength: 3 }).map((s) => s.join('/'));

  // The answer may refuse more than the context leaves out (secrets/a.env.example, which the
  // .dockerignore lets back in), never less: a path it accepts must be there for COPY to find.
  it.each(languages.map((l) => [l.id, l] as const))('%s: every path the answer accepts is in the build context', async (id, language) => {
    const ignore = new DockerIgnore(fileOf(await render({ language: id }, ['docker']), '.dockerignore'));
    fc.assert(
      fc.property(path, (p) => {
        let accepted = true;
        try {
          appSources([p], language.buildOutput);
        } catch (error) {
          if (!(error instanceof InvalidAnswer)) throw error;
          accepted = false;
        }
        if (accepted) expect(ignore.ignores(p), `${id}: the answer accepts "${p}", which .dockerignore leaves out`).toBe(false);
        if (p.split('/').every((s) => ordinary.includes(s))) expect(accepted, `${id}: "${p}" is refused`).toBe(true);
      }),
      { numRuns: 400 },
    );
  });
});

describe('the build target reaches the build line', () => {
  it.each([
    ['go', './cmd/api', /go build -trimpath -ldflags="-s -w" -o \/out\/server \.\/cmd\/api$/m],
    ['rust', 'inventory-api', /&& cp target\/release\/inventory-api \/out\/server$/m],
    ['java', 'target/orders-*.jar', /^ && for jar in target\/orders-\*\.jar; do \\$/m],
  ] as const)('%s', async (language, buildTarget, line) => {
    const tree = await render({ language, buildTarget });
    expect(fileOf(tree, 'Dockerfile')).toMatch(line);
    expect(parseDockerfile(fileOf(tree, 'Dockerfile')).problems).toEqual([]);
  });
});
