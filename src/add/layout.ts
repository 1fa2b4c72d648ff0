/**
 * The generated Dockerfile names paths: the dependency files its toolchain installs from (e.g.
 * package-lock.json, composer.lock), the app's sources (detected by `add`) and the health probe
 * (written by the docker part), or a health mode of the seed app. In an existing project, say
 * plainly what it names that the project does not have, so the user adapts the Dockerfile before
 * the first build instead of learning it from a failed one.
 */
import { existsSync } from 'node:fs';
import { posix } from 'node:path';
import { DockerIgnore } from '../check/dockerignore.js';
import type { Language } from '../languages.js';
import type { FileTree, RenderedFile } from '../render/index.js';
import { shellWord } from '../ui.js';
import { copyPattern } from '../validate.js';

/** Sources of the build-context COPY lines (not `COPY --from=<stage>`). */
export function copySources(dockerfile: string): string[] {
  const out: string[] = [];
  for (const line of dockerfile.replace(/\\\r?\n/g, ' ').split(/\r?\n/)) {
    const m = /^\s*COPY\s+(.*)$/i.exec(line);
    if (!m) continue;
    const words = m[1]!.trim().split(/\s+/);
    if (words.some((w) => w.startsWith('--from='))) continue;
    const args = words.filter((w) => !w.startsWith('--'));
    out.push(...args.slice(0, -1));
  }
  return out;
}

/** For the .dockerignore beside the generated Dockerfile, the paths that Dockerfile copies from the build context. */
export function contextNeeds(file: RenderedFile, tree: FileTree): string[] {
  if (file.id !== 'dockerignore') return [];
  const dockerfile = [...tree.values()].find((f) => f.id === 'dockerfile' && posix.dirname(f.path) === posix.dirname(file.path));
  return dockerfile ? copySources(dockerfile.content) : [];
}

/**
 * Notes on what the Dockerfile names but the project lacks. `files` are the scanned files (for
 * patterns such as `*.go`; a pattern ending in `*` may match nothing on purpose, e.g. `go.sum*`);
 * `written`, the paths this run writes (the health probe); `dockerignore`, the .dockerignore as it
 * will be after this run.
 */
export function layoutNotes(dockerfile: string, root: string, files: readonly string[], language: Language, probe: string[], written: ReadonlySet<string> = new Set(), dockerignore?: string): string[] {
  const present = (path: string) => written.has(path) || existsSync(posix.join(root, path));
  // A file copied into two stages (package.json into deps and runtime) is named once.
  const sources = [...new Set(copySources(dockerfile))];
  const missing = sources.filter((source) => {
    if (/[*?[]/.test(source)) return !source.endsWith('*') && !files.some((f) => copyPattern(source).test(f));
    return !present(source);
  });
  const notes: string[] = [];
  if (missing.length > 0) {
    notes.push(`COPY names ${missing.join(', ')}, which this project does not have; edit the COPY lines for your layout before building`);
  }
  // The project's own .dockerignore lines may leave out what the Dockerfile copies (ours never do).
  const ignore = dockerignore === undefined ? null : new DockerIgnore(dockerignore);
  const excluded = ignore ? sources.filter((source) => !/[*?[]/.test(source) && !missing.includes(source) && ignore.ignores(source)) : [];
  if (excluded.length > 0) {
    notes.push(`COPY names ${excluded.join(', ')}, which .dockerignore leaves out of the build context, so the build would fail; remove the .dockerignore line that matches, or the COPY`);
  }
  // A word with a space ("My Api.dll") would read as two: each is quoted as a shell needs it.
  const command = probe.map(shellWord).join(' ');
  const path = language.probeScript;
  if (path) {
    if (!present(path)) {
      notes.push(`HEALTHCHECK runs "${command}", but ${path} does not exist here; add a small script that exits 0 when the app answers (create-secure-service's ${language.label} seed has one), or change the HEALTHCHECK in the Dockerfile and compose.yaml`);
    }
  } else {
    notes.push(`HEALTHCHECK runs "${command}", so your app must answer that flag before it starts serving: GET its health path on 127.0.0.1 and exit 0 for a 200, 1 otherwise${language.probeInApp ? ` (${language.probeInApp})` : ''}, or change the HEALTHCHECK in the Dockerfile and compose.yaml`);
  }
  return notes;
}
