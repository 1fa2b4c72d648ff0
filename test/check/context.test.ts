/**
 * The build-context audit: .dockerignore answers computed once per folder must equal Docker's
 * matching rules as @balena/dockerignore computes them file by file; the walk reports every
 * secret-looking file Docker would send, and prunes only what the patterns prove excluded.
 */
import dockerignore from '@balena/dockerignore';
import fc from 'fast-check';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkContext, isSecretFileName } from '../../src/check/context.js';
import { runCheck } from '../../src/check/engine.js';
import { compilePattern } from '../../src/check/docker-pattern.js';
import { DockerIgnore } from '../../src/check/dockerignore.js';
import { diskSource, memorySource } from '../../src/check/source.js';

// The package is CommonJS with ES-style typings: its default export is the module itself.
const library = (dockerignore as unknown as { default: typeof dockerignore.default }).default;

describe('per-folder .dockerignore evaluation', () => {
  const segment = fc.constantFrom('a', 'b', 'secrets', '.env', 'x.env', 'node_modules', 'keep.env.example', 'id_rsa', '.git', 'src');
  const path = fc.array(segment, { minLength: 1, maxLength: 5 }).map((s) => s.join('/'));
  const pattern = fc.tuple(fc.boolean(), fc.array(fc.constantFrom('a', 'b', '*', '**', 'secrets', '*.env', '.env', '.env.*', 'node_modules', '?', 'src', 'id_rsa*', '.git'), { minLength: 1, maxLength: 4 }), fc.boolean(), fc.boolean())
    .map(([negate, parts, leadingSlash, trailingSlash]) => `${negate ? '!' : ''}${leadingSlash ? '/' : ''}${parts.join('/')}${trailingSlash ? '/' : ''}`);

  it("equals the library's answer for random patterns and paths", () => {
    fc.assert(
      fc.property(fc.array(pattern, { maxLength: 8 }), fc.array(path, { minLength: 1, maxLength: 20 }), (patterns, paths) => {
        const text = patterns.join('\n');
        const ours = new DockerIgnore(text);
        const theirs = library({ ignorecase: false }).add(text);
        for (const p of paths) expect(ours.ignores(p), `${JSON.stringify(patterns)} ${p}`).toBe(theirs.ignores(p));
      }),
      { numRuns: 400 },
    );
  });

  it("equals Docker's own loop (every rule against the file and each parent) on patterns of every kind", () => {
    // The per-folder shortcut against moby's MatchesOrParentMatches, written plainly: patterns
    // whose matches may cross folders (`**`, a class that takes "/", a suffix after `**`) included.
    const part = fc.constantFrom('a', 'b', 'secrets', '*', '**', '?', '[^x]', '[a/]', '**.env', 'x.env', 'a**', '^a*', 'a\\.b', 'a+b');
    const rich = fc.tuple(fc.boolean(), fc.array(part, { minLength: 1, maxLength: 4 }), fc.constantFrom('/', '', '/', 'b')).map(([negate, parts, join]) => `${negate ? '!' : ''}${parts.join(join)}`);
    const richPath = fc.array(fc.constantFrom('a', 'b', 'secrets', 'x.env', 'a+b', 'ab', '^a', 'a.b'), { minLength: 1, maxLength: 5 }).map((s) => s.join('/'));
    fc.assert(
      fc.property(fc.array(rich, { maxLength: 6 }), fc.array(richPath, { minLength: 1, maxLength: 20 }), (patterns, paths) => {
        const text = patterns.join('\n');
        const rules = (library({ ignorecase: false }).add(text) as unknown as { _rules: { pattern: string; negative: boolean }[] })._rules;
        const compiled = rules.map((r) => ({ test: compilePattern(r.pattern).test, negative: r.negative }));
        const docker = (file: string) => {
          const parents = file.split('/').slice(0, -1);
          let excluded = false;
          for (const rule of compiled) {
            const match = rule.test(file) || parents.some((_, i) => rule.test(parents.slice(0, i + 1).join('/')));
            if (match) excluded = !rule.negative;
          }
          return excluded;
        };
        const ours = new DockerIgnore(text);
        for (const p of paths) expect(ours.ignores(p), `${JSON.stringify(patterns)} ${p}`).toBe(docker(p));
      }),
      { numRuns: 600 },
    );
  });

  it('knows the line of each pattern, comments and blank lines skipped', () => {
    const ig = new DockerIgnore('# comment\n\n**/secrets\n!keep\n');
    expect(ig.patterns.map((p) => [p.origin, p.line])).toEqual([
      ['**/secrets', 3],
      ['!keep', 4],
    ]);
  });
});

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'css-context-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

describe('the build-context walk (I03)', () => {
  const files = {
    'Dockerfile': 'FROM scratch\n',
    'src/app.js': '',
    'secrets/db': 'x',
    'config/secrets/api': 'x',
    '.env': 'x',
    'deep/a/b/c/.env.production': 'x',
    'prod.env': 'x',
    'app.env.example': 'x',
    'keys/id_ed25519': 'x',
    'keys/id_ed25519.pub': 'x',
    '.git/config': 'x',
    '.git/objects/ab/cd': 'x',
    'node_modules/pkg/index.js': '',
    'node_modules/keep/.env': 'x',
    'certs/tls.key': 'x',
  };

  /** The groups check should report, computed from the library file by file. */
  function expected(ignoreText: string): string[] {
    const ig = library({ ignorecase: false }).add(ignoreText);
    const groups = new Set<string>();
    for (const path of Object.keys(files)) {
      if (path === 'Dockerfile' || ig.ignores(path)) continue;
      const parts = path.split('/');
      const at = parts.findIndex((p, i) => i < parts.length - 1 && ['secrets', '.git'].includes(p));
      if (at >= 0) groups.add(`${parts.slice(0, at + 1).join('/')}/`);
      else if (isSecretFileName(parts.at(-1)!)) groups.add(path);
    }
    return [...groups].sort();
  }

  const reported = (dir: string, ignoreText: string | null) => {
    if (ignoreText !== null) writeFileSync(join(dir, '.dockerignore'), ignoreText);
    return checkContext(diskSource(dir), { dir: '', ignoreFile: ignoreText === null ? null : '.dockerignore', dockerfiles: ['Dockerfile'] })
      .filter((f) => f.rule === 'I03')
      .map((f) => /^(\S+?)(?: \(\d+ files?\))? would be sent/.exec(f.message)![1]!)
      .sort();
  };

  it('without a .dockerignore: every secret-looking file, and .git, grouped by folder', () => {
    expect(reported(tree(files), null)).toEqual(expected(''));
    expect(expected('')).toEqual(['.env', '.git/', 'certs/tls.key', 'config/secrets/', 'deep/a/b/c/.env.production', 'keys/id_ed25519', 'node_modules/keep/.env', 'prod.env', 'secrets/']);
  });

  it('with gitignore-style bare names: what they miss below the root is still reported', () => {
    const text = 'secrets\n.env\n.git\nnode_modules\n';
    expect(reported(tree(files), text)).toEqual(expected(text));
    expect(expected(text)).toContain('config/secrets/');
  });

  it('never prunes a folder a later pattern re-includes from', () => {
    const text = '**/node_modules\n**/.env\n!node_modules/keep/.env\n';
    expect(reported(tree(files), text)).toEqual(expected(text));
    expect(expected(text)).toContain('node_modules/keep/.env');
  });

  it('with the rules of RULES.md I01: nothing', () => {
    const text = '**/secrets\n**/.env\n**/.env.*\n**/*.env\n!**/*.env.example\n**/*.key\n**/id_ed25519*\n.git\n**/node_modules\n';
    expect(reported(tree(files), text)).toEqual([]);
  });

  it('does not follow symbolic links (Docker sends the link, not its target)', () => {
    const dir = tree({ 'Dockerfile': 'FROM scratch\n' });
    const outside = tree({ 'secrets/real': 'x' });
    symlinkSync(join(outside, 'secrets'), join(dir, 'linked'));
    expect(reported(dir, '')).toEqual([]);
  });

  it('reads an in-memory tree the same way as the disk', () => {
    const text = 'secrets\n';
    const dir = tree(files);
    writeFileSync(join(dir, '.dockerignore'), text);
    const memory = memorySource(new Map([...Object.entries(files), ['.dockerignore', text]]));
    const context = { dir: '', ignoreFile: '.dockerignore', dockerfiles: ['Dockerfile'] };
    expect(checkContext(memory, context)).toEqual(checkContext(diskSource(dir), context));
  });
});

describe('the build-output probe (I02) and what the Dockerfiles copy', () => {
  /** The build-output folders check asks to exclude, as `dir: name`, for a tree of files. */
  async function askedToExclude(files: Record<string, string>): Promise<string[]> {
    const { findings } = await runCheck(memorySource(new Map(Object.entries(files))));
    return findings.filter((f) => f.rule === 'I02').map((f) => `${f.file}: ${/build output (\S+) would/.exec(f.message)![1]}`).sort();
  }
  const from = 'FROM node:24-alpine@sha256:' + 'a'.repeat(64) + '\n';

  it('does not ask to exclude a folder a Dockerfile of the context copies, and asks for the rest', async () => {
    // An express-generator app (bin/www) beside a go.mod: Go's bin/ is the app's own start script.
    const files = {
      'package.json': '{}',
      'go.mod': 'module x\n',
      'bin/www': '#!/usr/bin/env node\n',
      'Dockerfile': `${from}COPY package.json ./\nCOPY bin ./bin\n`,
      '.dockerignore': '**/node_modules\n**/dist\n**/coverage\n**/.cache\n',
    };
    expect(await askedToExclude(files)).toEqual(['.dockerignore: .npm']);
  });

  it('asks once for a folder two languages of the context share, naming both', async () => {
    const files = { 'package.json': '{}', 'go.mod': 'module x\n', 'requirements.txt': '', 'Dockerfile': `${from}COPY package.json ./\n`, '.dockerignore': '**/node_modules\n**/.npm\n' };
    const { findings } = await runCheck(memorySource(new Map(Object.entries(files))));
    const i02 = findings.filter((f) => f.rule === 'I02').map((f) => f.message);
    expect(i02.filter((m) => / dist /.test(m))).toEqual(['Node.js, Python and Go build output dist would reach the build context; exclude it with **/dist']);
    expect(i02.filter((m) => / bin /.test(m))).toEqual(['Go build output bin would reach the build context; exclude it with **/bin']);
    expect(new Set(i02).size).toBe(i02.length);
  });

  it('counts COPY and ADD in any stage, in shell or JSON form, with ./ or a trailing slash, and a file inside the folder', async () => {
    const cases: [string, string][] = [
      ['COPY ./dist/ /app/dist/', 'dist'],
      ['COPY ["dist", "/app/dist"]', 'dist'],
      ['ADD --chown=10001:10001 dist/server.js /app/', 'dist'],
      ['COPY --link coverage/lcov.info dist /app/', 'coverage,dist'],
    ];
    for (const [copy, kept] of cases) {
      // In the build stage, and in the final one.
      for (const dockerfile of [`${from}AS build\n${copy}\n${from}RUN true\n`, `${from}AS deps\nRUN true\n${from}${copy}\n`]) {
        const files = { 'package.json': '{}', 'Dockerfile': dockerfile, '.dockerignore': '**/.npm\n' };
        const asked = ['.cache', 'coverage', 'dist', 'node_modules'].filter((n) => !kept.split(',').includes(n));
        expect(await askedToExclude(files), dockerfile).toEqual(asked.map((n) => `.dockerignore: ${n}`));
      }
    }
  });

  it('still asks when only a stage, a URL, a heredoc or another context copies the folder', async () => {
    const files = {
      'package.json': '{}',
      'Dockerfile': `${from}AS build\nRUN true\n${from}COPY --from=build /app/dist ./dist\nADD https://example.com/dist /x\nCOPY <<EOF /dist\nx\nEOF\n`,
      '.dockerignore': '**/node_modules\n**/coverage\n**/.npm\n**/.cache\n',
      'web/package.json': '{}',
      'web/Dockerfile': `${from}COPY dist ./dist\n`,
      'web/.dockerignore': '**/node_modules\n**/coverage\n**/.npm\n**/.cache\n',
    };
    expect(await askedToExclude(files)).toEqual(['.dockerignore: dist']);
  });

  it('does not count the whole context copied (COPY . .): that is what the probe is for', async () => {
    const files = { 'package.json': '{}', 'Dockerfile': `${from}COPY . .\n`, '.dockerignore': '**/node_modules\n**/coverage\n**/.npm\n**/.cache\n' };
    expect(await askedToExclude(files)).toEqual(['.dockerignore: dist']);
  });
});
