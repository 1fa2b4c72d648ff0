import { definePart } from './part.js';

export const dockerPart = definePart({
  id: 'docker',
  summary: 'hardened multi-stage Dockerfile, .dockerignore and an image build script',
  templateDir: 'docker',
  outputs: (a) => [
    { id: 'dockerfile', template: `languages/${a.language}/Dockerfile.ejs`, path: 'Dockerfile' },
    { id: 'dockerignore', template: 'docker/_dockerignore.ejs', path: '.dockerignore' },
    { id: 'build-image', template: 'docker/build-image.sh.ejs', path: 'scripts/build-image.sh', mode: 0o755 },
  ],
});
