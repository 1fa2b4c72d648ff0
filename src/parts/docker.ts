import { posix } from 'node:path';
import { getLanguage, type LanguageId } from '../languages.js';
import { definePart, type OutputFile } from './part.js';

export const dockerPart = definePart({
  id: 'docker',
  summary: 'hardened multi-stage Dockerfile, .dockerignore, the health probe and an image build script',
  templateDir: 'docker',
  outputs: (a) => [
    { id: 'dockerfile', template: `languages/${a.language}/Dockerfile.ejs`, path: 'Dockerfile' },
    { id: 'dockerignore', template: 'docker/_dockerignore.ejs', path: '.dockerignore' },
    ...probeOf(a.language),
    { id: 'build-image', template: 'docker/build-image.sh.ejs', path: 'scripts/build-image.sh', mode: 0o755 },
  ],
});

/**
 * D12: the script the HEALTHCHECK runs, for runtimes that run one. It belongs with the Dockerfile,
 * not the seed app, so `add docker` brings it to an existing project. Earlier versions wrote it as
 * a seed file of the app part; this output takes over that record (same path) on `update`.
 */
function probeOf(language: LanguageId): OutputFile[] {
  const path = getLanguage(language).probeScript;
  if (!path) return [];
  // One ID per language: a probe is a program in that language, so after a change of language the
  // old one is removed (or kept, if edited) and the new one written, never merged into the other.
  return [{ id: `probe:${language}`, template: `languages/${language}/probe${posix.extname(path)}.ejs`, path, code: true, renamedFrom: [path] }];
}
