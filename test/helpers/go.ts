/**
 * The Go toolchain for tests that build Go (the seed, its probe) or ask Go's own libraries (Docker's
 * .dockerignore matching): on PATH, or Debian's golang-1.19-go, which puts no go on PATH. .ci/run
 * installs it. Builds run offline, with a build cache of their own.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function goBinary(): string {
  const onPath = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (onPath.status === 0) return 'go';
  const debian = existsSync('/usr/lib') ? readdirSync('/usr/lib').filter((d) => /^go-\d/.test(d)).map((d) => `/usr/lib/${d}/bin/go`).find(existsSync) : undefined;
  if (!debian) throw new Error('no Go toolchain: install it (apt-get install golang-go), as .ci/run does');
  return debian;
}

/** An environment for `go build`/`go run`: no module proxy, no newer toolchain, no cgo. */
export function goEnv(): NodeJS.ProcessEnv & { GOCACHE: string } {
  return { ...process.env, GOPROXY: 'off', GOFLAGS: '', GOTOOLCHAIN: 'local', GOCACHE: mkdtempSync(join(tmpdir(), 'css-gocache-')), CGO_ENABLED: '0' };
}
