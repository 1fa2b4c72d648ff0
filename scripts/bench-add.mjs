#!/usr/bin/env node
// Times `add`'s detection on a 100 000-file repository (target: under a second), for `npm run bench`.
// Two figures: detection alone (detectProject, timed inside a fresh node process, so module
// loading is not counted but nothing is warm either), and the whole `add all --yes --dry-run`
// through the built CLI on the same tree. The tree is a Node service whose 100 000 files all
// lie outside node_modules and .gitignored folders, so the scan really walks every one of them;
// a node_modules folder and an ignored build folder of 20 000 files each sit next to it and must
// cost nothing.
//
// Standalone: `node scripts/bench-add.mjs` (builds what it needs, prints the medians, exit 1 on a
// missed target). From bench/run.mjs: `addFigures(context)` returns figures in its format.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
export const TARGET_MS = 1000;

/** The synthetic repository: `files` source files in folders of 100, four levels deep. */
export function makeTree(dir, files = 100_000) {
  const repo = join(dir, 'big-repo');
  mkdirSync(repo, { recursive: true });
  writeFileSync(join(repo, 'package.json'), JSON.stringify({ name: 'big-repo', engines: { node: '>=22' }, scripts: { start: 'node src/server.js' }, dependencies: { express: '4' } }));
  writeFileSync(join(repo, '.gitignore'), 'node_modules/\n/build/\n*.log\n');
  writeFileSync(join(repo, '.env.example'), 'PORT=8080\nAPI_TOKEN=\n');
  const perDir = 100;
  for (let i = 0; i < files; i++) {
    const d = Math.floor(i / perDir);
    const folder = join(repo, 'src', `a${d % 10}`, `b${Math.floor(d / 10) % 10}`, `c${Math.floor(d / 100)}`);
    if (i % perDir === 0) mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, `m${i}.js`), '');
  }
  for (const skipped of ['node_modules/dep', 'build/out']) {
    for (let i = 0; i < 20_000; i++) {
      const folder = join(repo, skipped, `d${Math.floor(i / perDir)}`);
      if (i % perDir === 0) mkdirSync(folder, { recursive: true });
      writeFileSync(join(folder, `f${i}.js`), '');
    }
  }
  return repo;
}

/** Bundles src/add/detect into one file and writes a probe that times detectProject once. */
export async function makeProbe(dir) {
  const { rolldown } = await import('rolldown');
  const bundle = await rolldown({ input: join(root, 'src/add/detect/index.ts'), cwd: root, platform: 'node', logLevel: 'warn' });
  await bundle.write({ file: join(dir, 'detect.mjs'), format: 'esm', codeSplitting: false });
  await bundle.close();
  const probe = join(dir, 'probe.mjs');
  writeFileSync(
    probe,
    `import { detectProject } from './detect.mjs';
const start = process.hrtime.bigint();
const d = await detectProject(process.argv[2]);
const ms = Number(process.hrtime.bigint() - start) / 1e6;
if (d.scanned < 100000 || d.suggested.language !== 'node') throw new Error('unexpected detection: ' + d.scanned + ' files, ' + d.suggested.language);
process.stdout.write(String(ms));
`,
  );
  return probe;
}

const detectOnce = (probe, repo) => Number(execFileSync(process.execPath, [probe, repo], { encoding: 'utf8' }));

/** Figures for bench/run.mjs: `{ bin, env, work }` from its context. */
export async function addFigures({ bin, env, work }) {
  const dir = join(work, 'add-bench');
  mkdirSync(dir, { recursive: true });
  const repo = makeTree(dir);
  const probe = await makeProbe(dir);
  const check = (s) => (s.median < TARGET_MS ? 'pass' : 'FAIL');
  return [
    { name: 'add: detection on 100 000 files', run: () => detectOnce(probe, repo), targetText: `< ${TARGET_MS} ms`, check },
    {
      name: 'add all --yes --dry-run on 100 000 files',
      run: () => {
        const start = process.hrtime.bigint();
        const r = spawnSync(process.execPath, [bin, 'add', 'all', '--yes', '--dry-run', '--dir', repo], { env, stdio: ['ignore', 'ignore', 'pipe'] });
        if (r.status !== 0) throw new Error(`add --dry-run exited ${r.status}: ${r.stderr}`);
        return Number(process.hrtime.bigint() - start) / 1e6;
      },
      targetText: `< ${TARGET_MS} ms`,
      check,
    },
  ];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const rounds = Number(process.env.BENCH_ROUNDS ?? 7);
  const work = mkdtempSync(join(tmpdir(), 'css-bench-add-'));
  try {
    execFileSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' });
    const figures = await addFigures({ bin: join(root, 'bin', 'create-secure-service.cjs'), env: { ...process.env, NO_COLOR: '1' }, work });
    let failed = false;
    for (const figure of figures) {
      figure.run(); // warm-up: the file system cache, as on a developer's machine
      const samples = Array.from({ length: rounds }, () => figure.run()).sort((a, b) => a - b);
      const s = { median: samples[Math.floor(samples.length / 2)], min: samples[0], max: samples.at(-1) };
      const verdict = figure.check(s);
      failed ||= verdict === 'FAIL';
      console.log(`${figure.name}: median ${s.median.toFixed(0)} ms (min ${s.min.toFixed(0)}, max ${s.max.toFixed(0)}; target ${figure.targetText}) ${verdict}`);
    }
    process.exitCode = failed ? 1 : 0;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
