// The least any `create` could do on this disk, as a reference row for `npm run bench`: write the
// files a real `create` wrote (read from a JSON list made by the bench, so nothing is rendered or
// validated here) the way src/write.ts does (a new temporary file each, fsynced together on the
// thread pool, then renamed into place), then run `git init` as the post-steps do. No library is
// loaded. Usage: node io-floor.cjs <files.json> <new folder>
'use strict';
const { closeSync, fsync, mkdirSync, openSync, readFileSync, renameSync, writeSync } = require('node:fs');
const { dirname, join, resolve } = require('node:path');
const { spawnSync } = require('node:child_process');

const files = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const root = resolve(process.argv[3]);
const staged = files.map(({ path, mode, content }) => {
  const target = join(root, path);
  mkdirSync(dirname(target), { recursive: true });
  const temp = `${target}.${process.pid}.tmp`;
  const fd = openSync(temp, 'wx', mode);
  writeSync(fd, content);
  return { fd, temp, target };
});
let pending = staged.length;
for (const s of staged) {
  fsync(s.fd, (error) => {
    if (error) throw error;
    if (--pending === 0) commit();
  });
}

function commit() {
  for (const s of staged) {
    closeSync(s.fd);
    renameSync(s.temp, s.target);
  }
  const git = spawnSync('git', ['init', '-q'], { cwd: root, stdio: 'ignore' });
  if (git.status !== 0) process.exit(1);
}
