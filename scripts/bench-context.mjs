#!/usr/bin/env node
// Times the build-context audit (I03) on a large tree: 100 000 files (BENCH_FILES to change it),
// none of them excluded, so every file is matched against the .dockerignore and nothing is pruned.
// Prints two figures, the walk in process and the whole `check` command, each the median of
// BENCH_ROUNDS runs (default 5). The target is under a second for 100 000 files.
// Usage: node scripts/bench-context.mjs   (builds dist/ first if it is missing)
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleSource } from './bundle-source.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const files = Number(process.env.BENCH_FILES ?? 100_000);
const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const work = mkdtempSync(join(tmpdir(), 'css-bench-context-'));
const tree = join(work, 'tree');

// The tree: 100 files per folder, three levels deep, a few secrets planted in it.
const perDir = 100;
for (let i = 0; i < files; i++) {
  const dir = join(tree, 'src', `pkg${Math.floor(i / 10_000)}`, `mod${Math.floor(i / perDir) % 100}`);
  if (i % perDir === 0) mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `file${i % perDir}.js`), '');
}
mkdirSync(join(tree, 'src', 'pkg0', 'secrets'), { recursive: true });
writeFileSync(join(tree, 'src', 'pkg0', 'secrets', 'token'), 'x');
writeFileSync(join(tree, 'src', 'pkg1', '.env'), 'x');
writeFileSync(join(tree, 'Dockerfile'), 'FROM scratch\n');
writeFileSync(join(tree, '.dockerignore'), 'secrets\n.git\n**/*.pem\n**/*.key\n**/.aws\n!**/*.env.example\n');

// In process: the walk alone, from the sources, bundled as the CLI bundles them.
const entry = join(work, 'walk.cjs');
const walkSource = `import { checkContext } from ${JSON.stringify(join(root, 'src/check/context.ts'))};
import { diskSource } from ${JSON.stringify(join(root, 'src/check/source.ts'))};
const t = performance.now();
const found = checkContext(diskSource(process.argv[2]), { dir: '', ignoreFile: '.dockerignore', dockerfiles: ['Dockerfile'] }).filter((f) => f.rule === 'I03');
console.log(JSON.stringify({ ms: performance.now() - t, found: found.map((f) => f.message) }));
`;
await bundleSource(walkSource, entry, { root });

if (!existsSync(join(root, 'dist', 'index.cjs'))) execFileSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' });
const bin = join(root, 'bin', 'create-secure-service.cjs');

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const walks = [];
const commands = [];
let found = [];
for (let r = 0; r < rounds; r++) {
  const out = JSON.parse(execFileSync(process.execPath, [entry, tree], { encoding: 'utf8' }));
  walks.push(out.ms);
  found = out.found;
  const start = process.hrtime.bigint();
  const cli = spawnSync(process.execPath, [bin, 'check', tree, '--rule', 'I03', '--format', 'json'], { encoding: 'utf8' });
  commands.push(Number(process.hrtime.bigint() - start) / 1e6);
  if (cli.status !== 1) throw new Error(`check exited ${cli.status}: ${cli.stderr}`);
}
if (found.length !== 2) throw new Error(`expected the 2 planted secrets, found: ${found.join('; ')}`);
console.log(`build-context walk, ${files} files: ${median(walks).toFixed(0)} ms in process, ${median(commands).toFixed(0)} ms for the whole check command (median of ${rounds}; target < 1000 ms)`);
rmSync(work, { recursive: true, force: true });
