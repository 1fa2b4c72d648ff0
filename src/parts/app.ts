import { definePart } from './part.js';

/**
 * A minimal application for the chosen language (an HTTP server with the health endpoint and, for
 * .NET, a health sub-command), so the generated Dockerfile builds and runs as is. Every file is a
 * seed: written once, then the user's.
 */
export const appPart = definePart({
  id: 'app',
  summary: 'a minimal app for the chosen language, so the image builds and runs at once',
  templateDir: 'languages',
  outputs: (a, templates) => {
    const prefix = `languages/${a.language}/app/`;
    return [...templates.keys()]
      .filter((t) => t.startsWith(prefix))
      .map((t) => {
        const rel = t.slice(prefix.length).replace(/\.ejs$/, '');
        // npm drops dotfiles from tarballs, so `_gitignore` stands for `.gitignore`; a double
        // underscore is kept (`__init__.py`).
        const path = rel.split('/').map((seg) => seg.replace(/^_(?!_)/, '.')).join('/');
        return { id: `app:${path}`, template: t, path, strategy: 'seed' as const };
      });
  },
});
