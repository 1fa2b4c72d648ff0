import { definePart } from './part.js';

export const projectPart = definePart({
  id: 'project',
  summary: 'SECURITY.md, .gitignore and the secrets/ convention',
  templateDir: 'project',
  outputs: (a) => [
    { id: 'security-md', template: 'project/SECURITY.md.ejs', path: 'SECURITY.md' },
    { id: 'gitignore', template: 'project/_gitignore.ejs', path: '.gitignore' },
    { id: 'secrets-readme', template: 'project/secrets-README.md.ejs', path: 'secrets/README.md' },
    { id: 'env-example', template: 'project/env.example.ejs', path: `${a.name}.env.example` },
    // Placeholder with names only; the user fills in values. Never overwritten, never readable by others.
    { id: 'secrets-env', template: 'project/secrets.env.ejs', path: `secrets/${a.name}.env`, mode: 0o600, strategy: 'seed' },
  ],
});
