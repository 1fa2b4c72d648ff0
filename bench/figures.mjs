// Figures for the commands beyond create: `check` on a generated project, the build-context scan
// and `add` detection on a synthetic 100 000-file repository, and `update` across a monorepo.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { addFigures } from '../scripts/bench-add.mjs';

const under = (ms) => (s) => (s.median < ms ? 'pass' : 'FAIL');

/** A tree of `files` empty sources, 100 per folder, with two planted secrets. */
function contextTree(dir, files) {
  for (let i = 0; i < files; i++) {
    const d = join(dir, 'src', `pkg${Math.floor(i / 10_000)}`, `mod${Math.floor(i / 100) % 100}`);
    if (i % 100 === 0) mkdirSync(d, { recursive: true });
    writeFileSync(join(d, `file${i % 100}.js`), '');
  }
  mkdirSync(join(dir, 'src', 'pkg0', 'secrets'), { recursive: true });
  writeFileSync(join(dir, 'src', 'pkg0', 'secrets', 'token'), 'x');
  writeFileSync(join(dir, 'Dockerfile'), 'FROM scratch\n');
  writeFileSync(join(dir, '.dockerignore'), '.git\n**/*.pem\n');
}

export async function extraFigures({ bin, env, work, timeRun, freshDir }) {
  const run = (args, cwd, ok = [0]) => {
    const start = process.hrtime.bigint();
    const r = spawnSync(process.execPath, [bin, ...args], { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
    if (!ok.includes(r.status)) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    return Number(process.hrtime.bigint() - start) / 1e6;
  };

  // check on a project generated once.
  const project = freshDir();
  timeRun([bin, 'svc', '--yes', '--no-git'], project);
  const checkFigure = { name: 'check on a generated project', run: () => run(['check', join(project, 'svc')], work), target: 1.5 };

  // Build-context scan at two sizes, to show it is linear in files.
  const small = join(work, 'context-25k');
  const large = join(work, 'context-100k');
  contextTree(small, 25_000);
  contextTree(large, 100_000);
  const scan = (dir) => () => run(['check', dir, '--rule', 'I03', '--format', 'json'], work, [1]);

  // update across a monorepo: 10 and 50 services, each updated with a changed answer.
  const mono = (n) => {
    const dir = join(work, `mono-${n}`);
    mkdirSync(dir);
    for (let i = 0; i < n; i++) timeRun([bin, `svc-${i}`, '--yes', '--no-git'], dir);
    let memory = 256;
    return () => {
      memory = memory === 256 ? 512 : 256;
      let total = 0;
      for (let i = 0; i < n; i++) total += run(['update', '--dir', join(dir, `svc-${i}`), '--yes', '--memory', String(memory)], work);
      return total;
    };
  };
  const linear = (smallName, factor) => (s, samples) => {
    const ratio = s.median / samples(smallName).median;
    return ratio <= factor * 1.25 ? `pass (${ratio.toFixed(2)}× for ${factor}× the size)` : `FAIL (${ratio.toFixed(2)}× for ${factor}× the size)`;
  };

  return [
    checkFigure,
    { name: 'context scan, 25 000 files (check --rule I03)', run: scan(small), targetText: 'reference for linearity', check: () => '' },
    { name: 'context scan, 100 000 files (check --rule I03)', run: scan(large), targetText: '< 1000 ms, linear', check: (s, samples) => `${under(1000)(s)}; ${linear('context scan, 25 000 files (check --rule I03)', 4)(s, samples)}` },
    ...(await addFigures({ bin, env, work })),
    { name: 'update, monorepo of 10 services (total)', run: mono(10), rounds: 3, targetText: 'reference for linearity', check: () => '' },
    { name: 'update, monorepo of 50 services (total)', run: mono(50), rounds: 3, targetText: 'linear in services', check: linear('update, monorepo of 10 services (total)', 5) },
  ];
}
