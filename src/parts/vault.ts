import { definePart } from './part.js';

export const vaultPart = definePart({
  id: 'vault',
  summary: "least-privilege Vault policy for exactly this service's secrets",
  templateDir: 'vault',
  outputs: (a) => [{ id: 'vault-policy', template: 'vault/policy.hcl.ejs', path: `deploy/vault/${a.name}.policy.hcl` }],
});
