/**
 * The detection scan: its .gitignore handling checked against git itself (`git ls-files --others
 * --exclude-standard` lists exactly the files git does not ignore), and its bounds.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { matchIgnore, parseGitignore } from '../../src/add/detect/gitignore.js';
import { scanTree } from '../../src/add/detect/scan.js';

const scratch = mkdtempSync(join(tmpdir(), 'css-scan-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let counter = 0;

function tree(files: Record<string, string>): string {
  const root = join(scratch, `t${counter++}`);
  mkdirSync(root);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

function gitUnignored(root: string): string[] {
  const env = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' };
  execFileSync('git', ['init', '-q'], { cwd: root, env });
  const out = execFileSync('git', ['ls-files', '--others', '--exclude-standard', '-z'], { cwd: root, env, encoding: 'utf8' });
  return out.split('\0').filter(Boolean).sort();
}

describe('the scan agrees with git about ignored files', () => {
  const files = {
    '.gitignore': [
      '# comment',
      '*.log',
      '!keep.log',
      '/build-out/',
      'tmp/',
      'docs/**/*.draft',
      '**/generated/**',
      'config/*.local',
      'a?c.txt',
      '[Tt]emp*',
      '\\#hash',
      'trailing  ',
      'only-dir/',
      'sub/deep/x.txt',
      '!sub/deep/',
    ].join('\n'),
    'app.js': '',
    'error.log': '',
    'keep.log': '',
    'nested/error.log': '',
    'build-out/a.txt': '',
    'src/build-out/a.txt': '',
    'tmp/x': '',
    'src/tmp/y': '',
    'docs/a.draft': '',
    'docs/x/y/b.draft': '',
    'docs/readme.md': '',
    'lib/generated/z.ts': '',
    'generated/top.ts': '',
    'config/app.local': '',
    'config/deep/app.local': '',
    'abc.txt': '',
    'abbc.txt': '',
    'Temp1': '',
    'temp2/x': '',
    '#hash': '',
    'trailing': '',
    'only-dir': '',
    'x/only-dir/f': '',
    'sub/deep/x.txt': '',
    'sub/deep/y.txt': '',
    'sub/.gitignore': 'y.txt\n!../nothing\n',
    'sub/other/y.txt': '',
    'sub/z.txt': '',
  };

  it('lists exactly the files git does not ignore (nested .gitignore files included)', async () => {
    const root = tree(files);
    const ours = (await scanTree(root)).files.sort();
    expect(ours).toEqual(gitUnignored(root));
  });

  it('last match wins, directory-only rules skip files, unanchored rules match at any depth', () => {
    const rules = parseGitignore('*.env\n!example.env\nlogs/\n/root-only\n');
    expect(matchIgnore(rules, 'a/b/c.env', false)).toBe(true);
    expect(matchIgnore(rules, 'a/example.env', false)).toBe(false);
    expect(matchIgnore(rules, 'x/logs', true)).toBe(true);
    expect(matchIgnore(rules, 'x/logs', false)).toBeUndefined();
    expect(matchIgnore(rules, 'root-only', false)).toBe(true);
    expect(matchIgnore(rules, 'a/root-only', false)).toBeUndefined();
  });
});

describe('the scan is bounded', () => {
  it('skips dependency and build folders by name, and does not follow symbolic links', async () => {
    const root = tree({ 'index.js': '', 'node_modules/x/index.js': '', 'vendor/a.php': '', 'target/b.jar': '', '.git/HEAD': '', 'secrets/app.env': '', 'src/ok.js': '' });
    mkdirSync(join(root, 'outside'));
    writeFileSync(join(root, 'outside', 'o.js'), '');
    symlinkSync(join(root, 'outside'), join(root, 'link'));
    const files = (await scanTree(root)).files.sort();
    expect(files).toEqual(['index.js', 'outside/o.js', 'src/ok.js']);
  });

  it('stops at the depth limit and at the file limit, and says it was truncated', async () => {
    const root = tree({ 'a/b/c/d/deep.txt': '', 'top.txt': '', 'a/one.txt': '', 'a/two.txt': '' });
    expect((await scanTree(root, { maxDepth: 2, maxFiles: 100 })).files.sort()).toEqual(['a/one.txt', 'a/two.txt', 'top.txt']);
    const limited = await scanTree(root, { maxDepth: 10, maxFiles: 2 });
    expect(limited.truncated).toBe(true);
    expect(limited.files).toHaveLength(2);
  });
});
