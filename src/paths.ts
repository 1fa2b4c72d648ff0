import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/** The installed package's folder (holds package.json and templates/), from the bundle or from src/. */
export function packageRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && existsSync(join(dir, 'templates'))) {
      const { name } = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string };
      if (name === 'create-secure-service') return (root = dir);
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error('create-secure-service: cannot find its own package folder (templates/ missing)');
    dir = parent;
  }
}

/** Replaced with the version at build time; undefined when running from src/ (tests). */
declare const __CSS_VERSION__: string | undefined;

export function packageVersion(): string {
  if (typeof __CSS_VERSION__ === 'string') return __CSS_VERSION__;
  const { version } = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string };
  return version;
}

export function templatesDir(): string {
  return join(packageRoot(), 'templates');
}
