import { definePart } from './part.js';

export const signingPart = definePart({
  id: 'signing',
  summary: 'signed-commit setup: .allowed_signers and a CI verification script',
  templateDir: 'signing',
  outputs: (a) =>
    a.signing === 'none'
      ? []
      : [
          ...(a.signing === 'ssh' ? [{ id: 'allowed-signers', template: 'signing/_allowed_signers.ejs', path: '.allowed_signers' }] : []),
          { id: 'verify-signatures', template: 'signing/verify-signatures.sh.ejs', path: 'scripts/verify-signatures.sh', mode: 0o755 },
        ],
});
