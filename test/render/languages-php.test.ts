/**
 * PHP: every pinned version x base renders a Dockerfile that the real parser accepts and that
 * satisfies D01-D16, and a seed app that Composer accepts as is: composer.json and a composer.lock
 * whose content-hash is what Composer computes, so "composer install" from the lock needs no update.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import dockerignore from '@balena/dockerignore';
import { describe, expect, it } from 'vitest';
import { identityOf } from '../../src/languages.js';
import { languagePins } from '../../src/pins.js';
import { dockerfileViolations, parseDockerfile } from '../helpers/dockerfile.js';
import { argsOf, execOf, finalOf, uncommented } from '../helpers/dockerfile-final.js';
import { combinations, fileOf, render } from '../helpers/render.js';
import { exerciseSeed, expectHealthySeed, expectProbeVerdicts, freePort, removedAfterAll, writeTree } from './languages-checks.js';

const ignore = (dockerignore as unknown as { default: typeof dockerignore.default }).default;
const combos = combinations().filter((c) => c.language === 'php');

/** PHP's json_encode() with no flags: "/" escaped, non-ASCII as \uXXXX. */
function phpJsonEncode(value: unknown): string {
  return JSON.stringify(value)
    .replace(/\//g, '\\/')
    .replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Composer's Locker::getContentHash(), from composer/composer src/Composer/Package/Locker.php. */
function composerContentHash(composerJson: string): string {
  const content = JSON.parse(composerJson) as Record<string, unknown> & { config?: { platform?: unknown } };
  const relevantKeys = ['name', 'version', 'require', 'require-dev', 'conflict', 'replace', 'provide', 'minimum-stability', 'prefer-stable', 'repositories', 'extra'];
  const relevant: Record<string, unknown> = {};
  for (const key of relevantKeys) if (key in content) relevant[key] = content[key];
  if (content.config?.platform !== undefined) relevant.config = { platform: content.config.platform };
  const sorted = Object.fromEntries(Object.keys(relevant).sort().map((k) => [k, relevant[k]]));
  return createHash('md5').update(phpJsonEncode(sorted)).digest('hex');
}

describe('php Dockerfile', () => {
  for (const combo of combos) {
    it(`${combo.languageVersion} on ${combo.base}: parses cleanly and follows D01-D16`, async () => {
      const tree = await render({ ...combo, port: '9090' }, ['docker', 'app']);
      const text = fileOf(tree, 'Dockerfile');
      const { uid, gid } = identityOf('php', combo.base);
      expect(dockerfileViolations(text, { port: 9090, uid, gid })).toEqual([]);
      expect(uncommented(text)).toEqual([]);

      const { stages } = parseDockerfile(text);
      const pins = languagePins.php[combo.languageVersion]!;
      expect(stages.map((s) => s.image)).toEqual([pins.build[combo.base], pins.runtime[combo.base]]);
      expect(stages[1]!.image).toMatch(new RegExp(`^php:${combo.languageVersion.replace('.', '\\.')}\\.\\d+-cli-`));

      expect(argsOf(text, 'ENTRYPOINT').map(execOf)).toEqual([['php', '-S', '0.0.0.0:9090', '-t', 'public', 'public/index.php']]);
      expect(argsOf(text, 'HEALTHCHECK').map(execOf)).toEqual([['php', '/app/healthcheck.php']]);
      const runs = argsOf(text, 'RUN');
      expect(runs).toHaveLength(1);
      expect(runs[0]).toContain('find / -xdev -type f -perm /6000 -exec chmod a-s {} +');
      expect(runs[0]).toMatch(combo.base === 'alpine' ? /adduser -S -D -H -u 10001 -G app/ : /useradd --system --no-log-init --uid 10001 --gid app/);
      expect(finalOf(text).filter((i) => i.getKeyword() === 'COPY').map((i) => i.getTextContent())).toEqual([
        'COPY --from=deps /app/vendor ./vendor',
        'COPY public ./public',
        'COPY src ./src',
        'COPY healthcheck.php ./healthcheck.php',
      ]);

      // The deps stage installs from the lockfile only (copied first), without dev packages or scripts.
      const deps = stages[0]!.instructions.map((i) => i.getTextContent());
      const install = deps.findIndex((t) => t.includes('composer install'));
      expect(install).toBeGreaterThan(deps.indexOf('COPY composer.json composer.lock ./'));
      expect(deps[install]).toMatch(/^RUN --mount=type=cache,target=\/tmp\/cache composer install --no-dev --no-interaction --no-scripts --prefer-dist/);
      expect(deps.some((t) => /composer dump-autoload --no-dev .*--no-scripts .*--classmap-authoritative/.test(t))).toBe(true);
      expect(parseDockerfile(text).dockerfile.getInstructions().filter((i) => /curl|wget/.test(i.getTextContent()))).toEqual([]);
    });
  }
});

describe('php seed app', () => {
  for (const combo of combos) {
    it(`${combo.languageVersion} on ${combo.base}: composer files valid, sources agree with the Dockerfile`, async () => {
      const tree = await render({ ...combo, name: 'shop', port: '9090', healthPath: '/status/live.json' }, ['docker', 'app']);
      const composer = JSON.parse(fileOf(tree, 'composer.json')) as { name: string; require: Record<string, string>; config: { platform: { php: string } }; autoload: unknown };
      expect(composer.name).toBe('app/shop');
      // Composer's own package-name rule (ValidatingArrayLoader).
      expect(composer.name).toMatch(/^[a-z0-9]([_.-]?[a-z0-9]+)*\/[a-z0-9](([_.]|-{1,2})?[a-z0-9]+)*$/);
      expect(composer.require).toEqual({ php: `^${combo.languageVersion}` });
      // Resolved for the runtime image's PHP, not the composer image's.
      const runtimePhp = /^php:(\d+\.\d+\.\d+)-/.exec(languagePins.php[combo.languageVersion]!.runtime[combo.base]!)![1];
      expect(composer.config.platform).toEqual({ php: runtimePhp });
      expect(composer.autoload).toEqual({ 'psr-4': { 'App\\': 'src/' } });

      const lock = JSON.parse(fileOf(tree, 'composer.lock')) as Record<string, unknown>;
      expect(lock['content-hash']).toBe(composerContentHash(fileOf(tree, 'composer.json')));
      expect(lock.packages).toEqual([]);
      expect(lock['packages-dev']).toEqual([]);
      expect(lock.platform).toEqual(composer.require);
      expect(lock['platform-overrides']).toEqual(composer.config.platform);

      expect(fileOf(tree, 'src/Service.php')).toContain("public const HEALTH_PATH = '/status/live.json';");
      expect(fileOf(tree, 'src/Service.php')).toMatch(/^namespace App;$/m);
      expect(fileOf(tree, 'healthcheck.php')).toContain("$url = 'http://127.0.0.1:9090' . '/status/live.json';");
      expect(fileOf(tree, 'public/index.php')).toContain("require __DIR__ . '/../vendor/autoload.php';");
      for (const file of ['src/Service.php', 'healthcheck.php', 'public/index.php']) expect(fileOf(tree, file)).toMatch(/^<\?php\n/);

      const ig = ignore({ ignorecase: false }).add(fileOf(tree, '.dockerignore'));
      for (const copied of ['composer.json', 'composer.lock', 'src/Service.php', 'public/index.php', 'healthcheck.php']) {
        expect(tree.has(copied)).toBe(true);
        expect(ig.ignores(copied)).toBe(false);
      }
    });
  }

  it('the content-hash check matches a hash Composer itself wrote (composer 2.5.5, app/my-svc, PHP 8.4.14)', () => {
    const composerJson = JSON.stringify({ name: 'app/my-svc', require: { php: '^8.4' }, config: { platform: { php: '8.4.14' } } });
    expect(composerContentHash(composerJson)).toBe('da21a65d0b2c9382bbfcbc32c5870bdd');
  });
});

/**
 * Composer's autoloader, for the seed's composer.json: what "composer dump-autoload" writes does
 * this for each PSR-4 entry (prefix to folder), read from the rendered composer.json itself.
 */
function psr4Autoloader(composerJson: string): string {
  const map = (JSON.parse(composerJson) as { autoload: { 'psr-4': Record<string, string> } }).autoload['psr-4'];
  const entries = Object.entries(map).map(([prefix, dir]) => `[${JSON.stringify(prefix)}, ${JSON.stringify(dir)}]`).join(', ');
  return `<?php
foreach ([${entries}] as [$prefix, $dir]) {
    spl_autoload_register(function (string $class) use ($prefix, $dir): void {
        $file = __DIR__ . '/../' . $dir . str_replace('\\\\', '/', substr($class, strlen($prefix))) . '.php';
        if (str_starts_with($class, $prefix) && is_file($file)) {
            require $file;
        }
    });
}
`;
}

describe("php seed app and health probe, on this machine's PHP", () => {
  const dirs = removedAfterAll();
  const version = spawnSync('php', ['-r', 'echo PHP_VERSION;'], { encoding: 'utf8' });
  if (version.status !== 0) throw new Error('no php: install the CLI (apt-get install php-cli), as .ci/run does');

  it('lints, serves the health path through the image\'s own start command, passes its probe, and stops on SIGTERM', async () => {
    const port = await freePort();
    const tree = await render({ language: 'php', port: String(port), healthPath: '/ready' }, ['app', 'docker']);
    const dir = await writeTree(tree);
    dirs.push(dir);
    for (const file of ['public/index.php', 'src/Service.php', 'healthcheck.php']) {
      const lint = spawnSync('php', ['-l', file], { cwd: dir, encoding: 'utf8' });
      expect(lint.status, `${file}: ${lint.stdout}${lint.stderr}`).toBe(0);
    }
    await mkdir(join(dir, 'vendor'));
    await writeFile(join(dir, 'vendor/autoload.php'), psr4Autoloader(fileOf(tree, 'composer.json')));
    const entrypoint = JSON.parse(/^ENTRYPOINT (.*)$/m.exec(fileOf(tree, 'Dockerfile'))![1]!) as string[];
    const run = await exerciseSeed(dir, entrypoint, ['php', 'healthcheck.php'], port, '/ready');
    // PHP's built-in server says it started, and ends on SIGTERM by the signal.
    expectHealthySeed(run, port, { started: `Development Server (http://0.0.0.0:${port}) started`, stopResult: 'SIGTERM' });
    expect(run.healthHeaders['x-powered-by']).toBeUndefined();
  }, 60_000);

  it('the probe works with any app: 0 for a 200 from another server, 1 for a 503, a redirect or a path it does not know', async () => {
    await expectProbeVerdicts(async (port, healthPath) => {
      const dir = await writeTree(await render({ language: 'php', port: String(port), healthPath }, ['docker']), (path) => path === 'healthcheck.php');
      dirs.push(dir);
      return ['php', join(dir, 'healthcheck.php')];
    });
  }, 60_000);
});
