import { definePart } from './part.js';

export const nomadPart = definePart({
  id: 'nomad',
  summary: 'Nomad job whose secrets come from Vault templates into secrets/',
  templateDir: 'nomad',
  outputs: (a) => [{ id: 'nomad-job', template: 'nomad/job.nomad.hcl.ejs', path: `deploy/nomad/${a.name}.nomad.hcl` }],
});
