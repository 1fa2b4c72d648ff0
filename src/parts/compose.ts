import { definePart } from './part.js';

export const composePart = definePart({
  id: 'compose',
  summary: 'compose.yaml (production-shaped) with dev, test and prod overrides',
  templateDir: 'compose',
  outputs: () => [
    { id: 'compose', template: 'compose/compose.yaml.ejs', path: 'compose.yaml' },
    { id: 'compose-override', template: 'compose/compose.override.yaml.ejs', path: 'compose.override.yaml' },
    { id: 'compose-test', template: 'compose/compose.test.yaml.ejs', path: 'compose.test.yaml' },
    { id: 'compose-prod', template: 'compose/compose.prod.yaml.ejs', path: 'compose.prod.yaml' },
  ],
});
