/**
 * Marked blocks in the user's files and the line-set merge of ignore files: the user's lines are
 * kept byte for byte, a block is replaced where it stands, and merging twice equals merging once
 * (property-based, over arbitrary user files). The merged files are then read by git and by
 * Docker's own ignore rules.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import dockerignore from '@balena/dockerignore';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mergeLineSet } from '../../src/add/line-sets.js';
import { DockerIgnore } from '../../src/check/dockerignore.js';
import { markerLines, readBlock, withBlock, withoutBlock } from '../../src/add/markers.js';
import { UserError } from '../../src/errors.js';
import { fileOf, render } from '../helpers/render.js';

// The package is CommonJS with a default export (as test/validators/dockerignore.test.ts reads it).
const ignore = (dockerignore as unknown as { default: typeof dockerignore.default }).default;

const START = markerLines('project', 'hash').start;
const END = markerLines('project', 'hash').end;

describe('marked blocks', () => {
  it('appends a block after a blank line, and replaces it in place on the next run', () => {
    const user = 'mine\n';
    const once = withBlock(user, 'project', '.gitignore', ['a']);
    expect(once).toBe(`mine\n\n${START}\na\n${END}\n`);
    const moved = `${START}\na\n${END}\nmine\n`;
    expect(withBlock(moved, 'project', '.gitignore', ['b', 'c'])).toBe(`${START}\nb\nc\n${END}\nmine\n`);
    expect(withoutBlock(once, 'project', '.gitignore')).toBe(user);
  });

  it('keeps CRLF line endings and a missing final newline outside the block', () => {
    expect(withBlock('x\r\ny\r\n', 'docker', '.dockerignore', ['z'])).toBe(`x\r\ny\r\n\r\n${markerLines('docker', 'hash').start}\r\nz\r\n${markerLines('docker', 'hash').end}\r\n`);
    const middle = `${START}\nold\n${END}\ntail-without-newline`;
    expect(withBlock(middle, 'project', '.gitignore', ['new'])).toBe(`${START}\nnew\n${END}\ntail-without-newline`);
  });

  it('uses HTML comments in Markdown, and one block per part', () => {
    const text = withBlock(withBlock('# Policy\n', 'project', 'SECURITY.md', ['ours']), 'signing', 'SECURITY.md', ['more']);
    expect(text).toContain('<!-- >>> create-secure-service:project >>> -->');
    expect(readBlock(text, 'project', 'SECURITY.md')).toEqual(['ours']);
    expect(readBlock(text, 'signing', 'SECURITY.md')).toEqual(['more']);
  });

  it('refuses a damaged block with a one-line error naming the line', () => {
    expect(() => withBlock(`a\n${START}\nx\n`, 'project', '.gitignore', ['y'])).toThrow(UserError);
    expect(() => withBlock(`a\n${START}\nx\n`, 'project', '.gitignore', ['y'])).toThrow(/^\.gitignore:2: start marker .* without its end marker; restore the marker/);
    expect(() => withBlock(`${START}\n${END}\n${START}\n${END}\n`, 'project', '.gitignore', ['y'])).toThrow(/appears more than once/);
    expect(() => withBlock(`${END}\n${START}\n`, 'project', '.gitignore', ['y'])).toThrow(/end marker comes before its start marker/);
  });
});

describe('line-set merging', () => {
  const template = '# header, dropped\n\n# Secrets.\n/secrets/*\n!/secrets/README.md\n\n# Env.\n.env\n*.env\n';

  it('adds only the missing entries, under their comments, in one block', () => {
    const merged = mergeLineSet('node_modules/\n.env\n', template, 'project', '.gitignore');
    expect(merged).toBe(`node_modules/\n.env\n\n${START}\n# Added by create-secure-service: the entries this file lacked. Re-running \`add\` rewrites this block.\n# Secrets.\n/secrets/*\n!/secrets/README.md\n\n# Env.\n*.env\n${END}\n`);
    expect(mergeLineSet(merged, template, 'project', '.gitignore')).toBe(merged);
  });

  it('writes no block when nothing is missing, and removes one that became empty', () => {
    const complete = '/secrets/*\n!/secrets/README.md\n.env\n*.env\n';
    expect(mergeLineSet(complete, template, 'project', '.gitignore')).toBe(complete);
    const merged = mergeLineSet('x\n', template, 'project', '.gitignore');
    // The user copies our entries above the block: the block goes away.
    const copied = `x\n${complete}${merged.slice('x\n'.length)}`;
    expect(mergeLineSet(copied, template, 'project', '.gitignore')).toBe(`x\n${complete}`);
  });

  const line = fc.oneof(fc.constantFrom('.env', '*.env', '/secrets/*', '# a comment', '', 'node_modules/', 'dist', '  spaced  '), fc.stringMatching(/^[a-z*/!._-]{1,12}$/));
  const userFile = fc.tuple(fc.array(line, { maxLength: 12 }), fc.constantFrom('\n', '\r\n'), fc.boolean()).map(([lines, eol, final]) => lines.join(eol) + (final && lines.length > 0 ? eol : ''));

  it('property: merging is idempotent, keeps every user line outside the block, and then has every entry', () => {
    fc.assert(
      fc.property(userFile, (user) => {
        const once = mergeLineSet(user, template, 'project', '.gitignore');
        expect(mergeLineSet(once, template, 'project', '.gitignore')).toBe(once);
        // The user's bytes come first, unchanged (a newline is added only where the file lacked its last one).
        expect(once.startsWith(user === '' || /\n$/.test(user) ? user : `${user}${user.includes('\r\n') ? '\r\n' : '\n'}`)).toBe(true);
        const lines = new Set(once.split(/\r?\n/).map((l) => l.trim()));
        for (const entry of ['/secrets/*', '!/secrets/README.md', '.env', '*.env']) expect(lines.has(entry)).toBe(true);
        expect(withoutBlock(once, 'project', '.gitignore').split(/\r?\n/).filter(Boolean)).toEqual(user.split(/\r?\n/).filter(Boolean));
      }),
      { numRuns: 300 },
    );
  });
});

describe('merged ignore files, read by the real tools', () => {
  it('git ignores the secrets and env files after merging into a user .gitignore, and keeps the user rules', async () => {
    const ours = fileOf(await render({ name: 'svc' }, ['project']), '.gitignore');
    const root = mkdtempSync(join(tmpdir(), 'css-merge-'));
    try {
      writeFileSync(join(root, '.gitignore'), 'node_modules/\n.env\ncustom-cache/\n');
      const merged = mergeLineSet('node_modules/\n.env\ncustom-cache/\n', ours, 'project', '.gitignore');
      writeFileSync(join(root, '.gitignore'), merged);
      const env = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' };
      execFileSync('git', ['init', '-q'], { cwd: root, env });
      const check = (path: string) => {
        try {
          execFileSync('git', ['check-ignore', '-q', '--no-index', path], { cwd: root, env });
          return true;
        } catch {
          return false;
        }
      };
      for (const p of ['secrets/svc.env', '.env', '.env.production', 'prod.env', 'id_ed25519', 'custom-cache/x', 'node_modules/a']) expect(check(p), p).toBe(true);
      for (const p of ['secrets/README.md', 'svc.env.example', 'src/server.js', '.secure-service/manifest.json']) expect(check(p), p).toBe(false);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it("Docker's rules exclude secrets from the build context after merging into a user .dockerignore", async () => {
    const ours = fileOf(await render({ name: 'svc', language: 'go' }, ['docker']), '.dockerignore');
    const merged = mergeLineSet('.git\n*.md\n', ours, 'docker', '.dockerignore');
    const ig = ignore({ ignorecase: false }).add(merged.split('\n'));
    for (const p of ['secrets/svc.env', 'config/.env', 'deploy/key.pem', '.git/HEAD', 'README.md']) expect(ig.ignores(p), p).toBe(true);
    for (const p of ['main.go', 'go.mod', 'svc.env.example']) expect(ig.ignores(p), p).toBe(false);
    // The user's two entries are not repeated in the block.
    expect(merged.match(/^\.git$/gm)).toHaveLength(1);
  });
});

describe('a whitelist .dockerignore (a catch-all, then the paths let in)', () => {
  const head = fc.array(fc.constantFrom('x', '!y', 'app'), { maxLength: 2 });
  const line = fc.constantFrom('app/local.py', 'app', '!app', '**/*.sqlite', '*.sqlite', 'docs', '!docs', 'docs/private', '!docs/private/readme.md', 'app/**/secret*', '!app/keep.py', '/lib/x', 'src', '!src/main.py', '!requirements.txt');
  const needed = fc.subarray(['app', 'lib', 'src/main.py', 'requirements.txt'], { minLength: 1 });
  const paths = ['app/main.py', 'app/local.py', 'app/keep.py', 'app/db.sqlite', 'db.sqlite', 'docs/a.md', 'docs/private/readme.md', 'docs/private/x', 'lib/x', 'lib/y', 'src/main.py', 'src/other.py', 'requirements.txt', 'app/sub/secret.txt', 'y'];

  it("lets in what the Dockerfile copies without letting back in what the user's own lines keep out of it", () => {
    fc.assert(
      fc.property(head, fc.constantFrom('*', '**', '/*'), fc.array(line, { maxLength: 6 }), needed, (before, catchAll, tail, copied) => {
        const theirs = [...before, catchAll, ...tail, ''].join('\n');
        const text = mergeLineSet(theirs, '', 'docker', '.dockerignore', copied);
        const merged = new DockerIgnore(text);
        // The paths the block lets in: the `!` lines under its header and first comment.
        const letIn: string[] = [];
        for (const l of (readBlock(text, 'docker', '.dockerignore') ?? []).slice(2)) {
          if (!l.startsWith('!')) break;
          letIn.push(l.slice(1));
        }
        const original = new DockerIgnore(theirs);
        // What the user's lines after the catch-all say of a path, if any of them matches it.
        const withAll = new DockerIgnore(['*', ...tail].join('\n'));
        const alone = new DockerIgnore(tail.join('\n'));
        for (const path of paths) {
          const tailSays = withAll.ignores(path) === alone.ignores(path) ? alone.ignores(path) : undefined;
          const under = letIn.some((p) => path === p || path.startsWith(`${p}/`));
          const expected = tailSays ?? (under ? false : original.ignores(path));
          expect(merged.ignores(path), `${JSON.stringify(theirs)} + ${copied.join(',')}: ${path}`).toBe(expected);
        }
        // Everything the Dockerfile copies reaches the build, unless the user's own lines name it.
        for (const p of copied) if (!new DockerIgnore([...before, ...tail].join('\n')).ignores(p)) expect(merged.ignores(p), p).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});
