import { describe, expect, it } from 'vitest';
import { basesOf, versionsOf } from '../../src/languages.js';
import { fileOf, render } from '../helpers/render.js';
import { assertHardened } from './languages-checks.js';

const combos = versionsOf('go').flatMap((languageVersion) => basesOf('go', languageVersion).map((base) => ({ languageVersion, base })));

describe('go Dockerfile', () => {
  it('is offered on scratch, distroless, alpine and debian-slim, scratch first', () => {
    for (const languageVersion of versionsOf('go')) expect(basesOf('go', languageVersion)).toEqual(['scratch', 'distroless', 'alpine', 'debian-slim']);
  });

  it.each(combos)('$languageVersion on $base passes the structural D-rules', async ({ languageVersion, base }) => {
    const tree = await render({ language: 'go', languageVersion, base, port: 9090 }, ['docker', 'app']);
    const text = fileOf(tree, 'Dockerfile');
    const parsed = assertHardened(text, {
      language: 'go', languageVersion, base, port: 9090,
      healthcheck: ['/app/server', '-healthcheck'],
      entrypoint: ['/app/server'],
    });
    const build = parsed.stages[0]!.instructions.map((i) => i.getTextContent()).join('\n');
    // D03: a static, trimmed binary; modules fetched with a cache mount before the sources arrive.
    expect(build).toMatch(/CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o \/out\/server \./);
    expect(build).toMatch(/COPY go\.mod go\.sum\* \.\/\nRUN --mount=type=cache,target=\/go\/pkg\/mod go mod download/);
    expect(build).toMatch(/^COPY \*\.go \.\/$/m);
    expect(text).toContain('COPY --from=build /out/server /app/server');
    // scratch has no CA bundle and debian-slim no ca-certificates package: both get the builder's.
    const certs = text.includes('COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt');
    expect(certs).toBe(base === 'scratch' || base === 'debian-slim');
  });

  it('renders go.mod with a module path that cannot collide with the standard library', async () => {
    const tree = await render({ language: 'go', name: 'log' }, ['app']);
    expect([...tree.keys()].sort()).toEqual(['go.mod', 'go.sum', 'main.go']);
    // An empty go.sum (a module without dependencies) so the Dockerfile's go.sum COPY always has a file.
    expect(fileOf(tree, 'go.sum')).toBe('');
    const plain = fileOf(tree, 'go.mod');
    expect(plain).toMatch(/^module "example\/log"$/m);
    expect(plain).toMatch(/^go 1\.25$/m);
    const fromSource = fileOf(await render({ language: 'go', sourceUrl: 'https://github.com/acme/pay-svc.git' }, ['app']), 'go.mod');
    expect(fromSource).toMatch(/^module "github\.com\/acme\/pay-svc"$/m);
  });

  it('renders a main.go with the port, health path and the -healthcheck flag', async () => {
    const main = fileOf(await render({ language: 'go', port: 9090, healthPath: '/livez' }, ['app']), 'main.go');
    expect(main).toMatch(/^\tport\s+= 9090$/m);
    expect(main).toMatch(/^\thealthPath = "\/livez"$/m);
    expect(main).toContain('flag.Bool("healthcheck"');
    expect(main).toContain('signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)');
    // gofmt style: tabs for indentation, never leading spaces.
    expect(main.split('\n').filter((l) => /^ +\S/.test(l))).toEqual([]);
  });
});

describe('the structural checks', () => {
  it('reject a Dockerfile that breaks the rules', async () => {
    const good = fileOf(await render({ language: 'go', base: 'alpine' }, ['docker']), 'Dockerfile');
    const want = { language: 'go' as const, languageVersion: '1.25', base: 'alpine' as const, port: 8080, healthcheck: ['/app/server', '-healthcheck'], entrypoint: ['/app/server'] };
    expect(() => assertHardened(good, want)).not.toThrow();
    const broken: [string, string][] = [
      ['root user', good.replace(/^USER .*$/m, 'USER root')],
      ['ADD', good.replace('COPY --from=build /out/server /app/server', 'ADD server /app/server')],
      ['shell-form ENTRYPOINT', good.replace(/^ENTRYPOINT .*$/m, 'ENTRYPOINT /app/server')],
      ['two health checks', good.replace(/^(HEALTHCHECK .*)$/m, '$1\n# D12: again\n$1')],
      ['latest tag', good.replace(/^ARG RUNTIME_IMAGE=.*$/m, 'ARG RUNTIME_IMAGE=alpine:latest')],
      ['COPY . . in the final stage', good.replace('COPY --from=build /out/server /app/server', 'COPY . .')],
      ['no setuid strip', good.replace(/ \\\n && find \/ -xdev .*$/m, '')],
      ['uncommented hardening line', good.replace('# D11: an unprivileged port.\n', '')],
      ['relative WORKDIR', good.replace('WORKDIR /app', 'WORKDIR app')],
    ];
    for (const [what, text] of broken) {
      expect(text, what).not.toBe(good);
      expect(() => assertHardened(text, want), what).toThrow();
    }
  });
});
