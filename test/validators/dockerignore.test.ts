import dockerignore from '@balena/dockerignore';
import { describe, expect, it } from 'vitest';
import { parseDockerfile } from '../helpers/dockerfile.js';
import { combinations, fileOf, render } from '../helpers/render.js';

/** Secret-looking files a real repository may hold, at the root and nested (I01). */
const secretFiles = [
  'secrets/my-svc.env', 'secrets/postgres_password', 'services/api/secrets/token', 'deploy/secrets/x',
  '.env', '.env.local', 'config/.env.production', 'prod.env', 'config/app.env',
  'server.pem', 'certs/tls.key', 'keys/id_rsa', 'keys/id_rsa.pub', 'home/.ssh/id_ed25519', 'id_ecdsa',
  '.aws/credentials', 'nested/.aws/config', '.gcp/key.json', '.azure/token', '.kube/config', '.vault-token', 'ops/.vault-token',
  '.git/config', '.git/objects/ab/cdef', 'lib/.git/HEAD', '.secure-service/manifest.json', 'deploy/nomad/my-svc.nomad.hcl',
  'alloc/data', 'local/config', '.npmrc', '.netrc', 'store.p12',
];

// The package is CommonJS with ES-style typings: its default export is the module itself.
const ignore = (dockerignore as unknown as { default: typeof dockerignore.default }).default;

/** The build context Docker would send: every file the .dockerignore patterns keep. */
function context(dockerignore: string, files: string[]): string[] {
  const ig = ignore({ ignorecase: false }).add(dockerignore);
  return files.filter((f) => !ig.ignores(f));
}

describe('.dockerignore keeps secrets out of the build context, by Docker matching rules (I01, I03)', () => {
  for (const language of ['node', 'python', 'go', 'java', 'rust', 'dotnet', 'php']) {
    it(`${language}: no secret-looking file reaches the daemon; examples and sources do`, async () => {
      const tree = await render({ language }, ['docker', 'app']);
      const sent = context(fileOf(tree, '.dockerignore'), [...secretFiles, 'my-svc.env.example', 'config/app.env.example']);
      expect(sent).toEqual(['my-svc.env.example', 'config/app.env.example']);
    });
  }

  it('a bare "secrets" would only match at the root: the template uses **/secrets', async () => {
    expect(context('secrets\n', ['secrets/a', 'sub/secrets/a'])).toEqual(['sub/secrets/a']);
    const tree = await render({}, ['docker']);
    expect(fileOf(tree, '.dockerignore')).toMatch(/^\*\*\/secrets$/m);
  });
});

describe('every Dockerfile COPY source exists in the generated project and survives .dockerignore (I02 without breaking builds)', () => {
  for (const combo of combinations()) {
    it(`${combo.language} ${combo.languageVersion} on ${combo.base}`, async () => {
      const tree = await render(combo, ['docker', 'app']);
      const paths = [...tree.keys()];
      const kept = new Set(context(fileOf(tree, '.dockerignore'), paths));
      const { stages } = parseDockerfile(fileOf(tree, 'Dockerfile'));
      for (const stage of stages) {
        for (const i of stage.instructions) {
          if (i.getKeyword() !== 'COPY' || /--from=/.test(i.getTextContent())) continue;
          const words = (i.getArgumentsContent() ?? '').split(/\s+/);
          for (const source of words.slice(0, -1)) {
            const clean = source.replace(/^\.\//, '').replace(/\/$/, '');
            const matches = paths.filter((p) => p === clean || p.startsWith(`${clean}/`) || (clean.includes('*') && new RegExp(`^${clean.replace(/\./g, '\\.').replace(/\*/g, '[^/]*')}$`).test(p)));
            // A pattern ending in "*" (go.sum*, packages.lock.json*) copies a file the project may
            // not have: BuildKit lets a COPY wildcard match nothing (AllowEmptyWildcard).
            if (!clean.endsWith('*')) expect(matches, `COPY ${source} in ${combo.language}/${combo.base}`).not.toEqual([]);
            for (const m of matches) expect(kept.has(m), `${m} is excluded by .dockerignore but COPYed`).toBe(true);
          }
        }
      }
    });
  }
});
