/** Which variable names hold a credential (C07, D07, N03), on names public compose files use. */
import { describe, expect, it } from 'vitest';
import { checkComposeFiles } from '../../src/check/compose.js';
import { isSecretName } from '../../src/check/dockerfile.js';

describe('isSecretName', () => {
  it.each(['RABBITMQ_DEFAULT_PASS', 'DB_PASS', 'SMTP_PWD', 'pass', 'GPG_PASSPHRASE', 'POSTGRES_PASSWORD', 'API_TOKEN'])('%s holds a secret', (name) => {
    expect(isSecretName(name)).toBe(true);
  });

  it.each(['PWD', 'OLDPWD', 'PASS_THROUGH', 'BYPASS_CACHE', 'COMPASS', 'DB_PASS_FILE', 'POSTGRES_PASSWORD_FILE', 'PATH'])('%s does not', (name) => {
    expect(isSecretName(name)).toBe(false);
  });
});

describe('C07 on an environment list', () => {
  // The rabbitmq service of docker/awesome-compose's nginx-golang-postgres-rabbitmq sample.
  it('reports RABBITMQ_DEFAULT_PASS=123456', async () => {
    const text = 'services:\n  mq:\n    image: rabbitmq:3.8.3-management\n    environment:\n      - RABBITMQ_DEFAULT_USER=root\n      - RABBITMQ_DEFAULT_PASS=123456\n';
    const { findings } = await checkComposeFiles([{ path: 'compose.yaml', text }], () => undefined);
    expect(findings.filter((f) => f.rule === 'C07').map((f) => `${f.line} ${f.message}`)).toEqual(['6 mq: literal secret in environment: RABBITMQ_DEFAULT_PASS']);
  });
});
