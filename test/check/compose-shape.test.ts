/**
 * Compose files whose attributes have a shape Compose refuses (a service that is empty or a
 * scalar, `deploy: "x"`, `networks: 5`…): one F01 naming the attribute, as compose-go's schema
 * validation does ("services.worker must be a mapping"), never an unexpected error (exit 70).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkComposeFiles } from '../../src/check/compose.js';
import { runCheck } from '../../src/check/engine.js';
import { memorySource } from '../../src/check/source.js';

/** compose.yaml, with `more` checked beside it (`others` only read, as an extended file is). */
const check = (text: string, more: Record<string, string> = {}, others: Record<string, string> = {}) => {
  const files = [{ path: 'compose.yaml', text }, ...Object.entries(more).map(([path, t]) => ({ path, text: t }))];
  return checkComposeFiles(files, (path) => files.find((f) => f.path === path)?.text ?? others[path]);
};

describe('compose attributes of a shape Compose refuses', () => {
  it.each([
    ['services:\n  worker:\n    # only a comment\n  app:\n    image: nginx:1.27\n', 2, 'services.worker must be a mapping, not empty'],
    ['services:\n  a: 5\n', 2, 'services.a must be a mapping, not the number 5'],
    ['services:\n  a: "nginx"\n', 2, 'services.a must be a mapping, not the string "nginx"'],
    ['services:\n  a:\n    image: nginx:1.27\n    deploy: "x"\n', 4, 'services.a.deploy must be a mapping'],
    ['services:\n  a:\n    image: nginx:1.27\n    healthcheck: [a]\n', 4, 'services.a.healthcheck must be a mapping'],
    ['services:\n  a:\n    image: nginx:1.27\nnetworks: 5\n', 4, 'networks must be a mapping'],
    ['services:\n  a:\n    image: nginx:1.27\nsecrets:\n  s: ./x\n', 5, 'secrets.s must be a mapping'],
  ])('%j: one F01 on its line', async (text, line, message) => {
    const { findings } = await check(text);
    expect(findings.map((f) => [f.rule, f.line])).toEqual([['F01', line]]);
    expect(findings[0]!.message).toContain(message);
  });

  it('takes !reset in an override as a removal, not as an empty value', async () => {
    const base = 'services:\n  a:\n    image: nginx:1.27\n    build: .\n';
    const { findings } = await check(base, { 'compose.prod.yaml': 'services:\n  a:\n    build: !reset null\n' });
    expect(findings.filter((f) => f.rule === 'F01')).toEqual([]);
  });

  it('an extended file of the wrong shape is an extends error, not a crash', async () => {
    const { findings } = await check('services:\n  a:\n    extends:\n      file: common.yaml\n      service: b\n', {}, { 'common.yaml': 'services:\n  b: 5\n' });
    expect(findings.map((f) => f.rule)).toEqual(['F01']);
    expect(findings[0]!.message).toContain('services.b must be a mapping');
  });
});

/** Keys check reads, at the top level, in a service and below. */
const keys = [
  'services', 'networks', 'volumes', 'secrets', 'configs', 'include', 'name',
  'image', 'build', 'user', 'read_only', 'privileged', 'cap_drop', 'cap_add', 'security_opt', 'ports', 'network_mode',
  'deploy', 'resources', 'limits', 'cpus', 'memory', 'pids', 'mem_limit', 'pids_limit', 'memswap_limit',
  'environment', 'env_file', 'restart', 'healthcheck', 'test', 'disable', 'depends_on', 'condition', 'volumes',
  'tmpfs', 'devices', 'pid', 'ipc', 'init', 'logging', 'driver', 'labels', 'internal', 'external', 'file', 'source',
  'target', 'type', 'path', 'host_ip', 'published', 'extends', 'service', 'app', 'db', 'front', 'context', 'args',
];

const scalar = fc.oneof(fc.constant(null), fc.boolean(), fc.integer({ min: -2, max: 70000 }), fc.constantFrom('', 'x', 'ALL', 'host', 'true', '1000:1000', './secrets/x', '/run/secrets/x', '127.0.0.1:80:80', 'a=b', '256M', 'CMD', 'app', 'db', 'front'));
const { value } = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('list'), tie('map')),
  list: fc.array(tie('value'), { maxLength: 3 }),
  map: fc.dictionary(fc.constantFrom(...keys), tie('value'), { maxKeys: 5 }),
}));
/** A compose model that mostly has the right outline, with random values where the rules look. */
const service = fc.dictionary(fc.constantFrom(...keys), value, { maxKeys: 8 });
const model = fc.record(
  {
    services: fc.oneof(fc.dictionary(fc.constantFrom('app', 'db', 'front'), fc.oneof(service, value), { maxKeys: 3 }), value),
    networks: value,
    volumes: value,
    secrets: value,
    include: value,
  },
  { requiredKeys: ['services'] },
);

describe('compose files of random shapes (property)', () => {
  it('never make check fail unexpectedly, alone or merged with an override', async () => {
    await fc.assert(
      fc.asyncProperty(model, model, async (base, override) => {
        // JSON is YAML: the same text Compose would read.
        const files = new Map([
          ['compose.yaml', JSON.stringify(base)],
          ['compose.override.yaml', JSON.stringify(override)],
          ['Dockerfile', 'FROM alpine:3.20\nUSER 10001:10001\n'],
        ]);
        const report = await runCheck(memorySource(files));
        expect(Array.isArray(report.findings)).toBe(true);
      }),
      // 400 runs here (about 1 s); 30 000 runs found nothing either.
      { numRuns: 400 },
    );
  }, 120_000);
});
