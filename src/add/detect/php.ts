/** PHP: composer.json (name, require.php, config.platform.php, scripts with `php -S`) and .php-version. */
import { codePortPatterns } from './source-ports.js';
import { portRank, type Detector, type EcosystemFindings, type RepoView } from './repo.js';

export const phpDetector: Detector = {
  language: 'php',
  async detect(repo) {
    const composer = await repo.json('composer.json');
    if (composer === null) return null;
    const out: EcosystemFindings = { language: 'php', evidence: 'composer.json', ports: [], notes: [] };
    const get = (o: unknown, ...keys: string[]): unknown => keys.reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), o);
    const platform = get(composer, 'config', 'platform', 'php');
    const required = get(composer, 'require', 'php');
    const pinned = (await repo.read('.php-version'))?.trim();
    if (typeof platform === 'string') out.version = { value: platform, source: `composer.json config.platform.php "${platform}"` };
    else if (pinned) out.version = { value: pinned, source: `.php-version "${pinned}"` };
    else if (typeof required === 'string') out.version = { value: required, source: `composer.json require.php "${required}"` };
    if (typeof composer.name === 'string' && composer.name) out.name = { value: composer.name.split('/').pop()!, source: `composer.json name "${composer.name}"` };

    const scripts = get(composer, 'scripts');
    for (const key of ['start', 'serve']) {
      const raw = get(scripts, key);
      const command = Array.isArray(raw) ? raw[0] : raw;
      if (typeof command !== 'string' || !/(^|\s)php\s+-S\s/.test(command.replace(/^@php\b/, 'php'))) continue;
      out.start = { value: command.replace(/^@php\b/, 'php').replace(/^.*?(php\s+-S\s)/, '$1').trim(), source: `composer.json scripts.${key}` };
      const m = codePortPatterns.php.map((p) => p.exec(command)).find(Boolean);
      if (m) out.ports.push({ value: Number(m[1]), source: `composer.json scripts.${key}: ${m[0]}`, rank: portRank.config });
      break;
    }
    const require = get(composer, 'require');
    if (require && typeof require === 'object') {
      const framework = ['laravel/framework', 'symfony/framework-bundle'].find((f) => f in (require as object));
      if (framework) out.ports.push({ value: 8000, source: `${framework} (its development server's default port)`, rank: portRank.framework });
      if ('laravel/framework' in (require as object)) await laravel(repo, out);
    }
    return out;
  },
};

/**
 * Laravel (11 and later): the health route bootstrap/app.php declares (`health: '/up'` in
 * withRouting), and the folders it writes at run time, which the image neither copies nor lets it
 * create.
 */
async function laravel(repo: RepoView, out: EcosystemFindings): Promise<void> {
  const app = await repo.read('bootstrap/app.php');
  const health = app ? /\bhealth\s*:\s*(['"])(\/[\w\-./]*)\1/.exec(app) : null;
  if (health) out.health = { value: health[2]!, source: `bootstrap/app.php withRouting ${health[0]} (Laravel's health route)` };
  out.notes.push('Laravel writes at run time to storage/ (compiled views, file cache and sessions, logs) and bootstrap/cache/ (the package manifest, which "composer install --no-scripts" leaves unwritten), which the image does not copy and its read-only root filesystem (compose read_only, Nomad readonly_rootfs) does not let it create, so requests fail: give the app writable folders for them (e.g. a tmpfs on /app/storage and /app/bootstrap/cache, with storage/framework/cache, sessions and views created at start), log to stderr (LOG_CHANNEL=stderr), and keep sessions and cache out of files');
}
