/** Which variable names hold a credential (C07, D07, N03), on names public compose files use. */
import { describe, expect, it } from 'vitest';
import { checkComposeFiles } from '../../src/check/compose.js';
import { checkDockerfile, hasUrlPassword, isSecretName } from '../../src/check/dockerfile.js';
import { parseHcl } from '../../src/check/hcl.js';
import { checkNomadJob } from '../../src/check/nomad.js';

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

describe('credentials inside a URL (C07, D07, N03)', () => {
  it.each(['postgresql://app:s3cr3t@db:5432/app', 'redis://:hunter2@redis:6379/0', 'mongodb://root:example@mongo1,mongo2/app?authSource=admin', 'jdbc:mysql://shop:Sh0p!@mysql/shop'])('%s holds a password', (url) => {
    expect(hasUrlPassword(url)).toBe(true);
  });

  it.each([
    'amqp://guest@rabbit:5672/',
    'postgresql://${DB_USER}:${DB_PASSWORD}@db/app',
    'postgres://app:$DB_PASSWORD@db/app',
    'postgres://app:{{ with secret "kv/data/app" }}{{ .Data.data.password }}{{ end }}@db/app',
    'postgres://user:password@localhost/db',
    'postgres://<user>:<password>@host/db',
    'https://app:***@registry.example.com',
    'http://localhost:8080/health',
    'git@github.com:acme/app.git',
  ])('%s does not', (url) => {
    expect(hasUrlPassword(url)).toBe(false);
  });

  it('reports such a URL in compose environment, whatever the key is called', async () => {
    const text = 'services:\n  app:\n    image: nginx:1.27.0-alpine\n    environment:\n      DATABASE_URL: postgresql://app:s3cr3t@db/app\n      BROKER_URL: amqp://guest@rabbit/\n      DB_URL: postgresql://app:${DB_PASSWORD}@db/app\n';
    const { findings } = await checkComposeFiles([{ path: 'compose.yaml', text }], () => undefined);
    expect(findings.filter((f) => f.rule === 'C07').map((f) => `${f.line} ${f.message}`)).toEqual(['5 app: literal secret in environment: DATABASE_URL is a URL with a password in it']);
  });

  it('reports it in a Dockerfile ENV or ARG default, not in a variable reference', () => {
    const text = 'FROM alpine:3.20\nENV DATABASE_URL=postgresql://app:s3cr3t@db/app\nARG MIRROR=https://mirror.example.com\nENV DB_URL=postgresql://app:${DB_PASS}@db/app\nUSER 10001:10001\nCMD ["app"]\n';
    expect(checkDockerfile(text, 'Dockerfile').filter((f) => f.rule === 'D07').map((f) => `${f.line} ${f.message}`)).toEqual(['2 ENV DATABASE_URL is a URL with a password in it, which goes into the image history']);
  });

  it('reports it in a Nomad env block, not in a template or an interpolation', () => {
    const text = 'job "app" {\n  group "web" {\n    task "app" {\n      driver = "docker"\n      env {\n        DATABASE_URL = "postgresql://app:s3cr3t@db/app"\n        CACHE_URL = "redis://:${NOMAD_META_pass}@redis"\n      }\n    }\n  }\n}\n';
    expect(checkNomadJob(parseHcl(text), 'app.nomad.hcl').findings.filter((f) => f.rule === 'N03' && /env/.test(f.message)).map((f) => `${f.line} ${f.message}`)).toEqual(['6 task "app": env DATABASE_URL is a URL with a literal password in the job file']);
  });
});

describe('C07 env_file', () => {
  const c07 = async (files: string[]) => {
    const text = `services:\n  app:\n    image: nginx:1.27.0-alpine\n    env_file:\n${files.map((f) => `      - ${f}\n`).join('')}`;
    const { findings } = await checkComposeFiles([{ path: 'compose.yaml', text }], () => undefined);
    return findings.filter((f) => f.rule === 'C07').map((f) => `${f.line} ${f.message.replace(/ is neither.*/, ' …')}`);
  };

  it('accepts secrets/<svc>.env and files whose name says they are non-secret config', async () => {
    expect(await c07(['secrets/app.env', './secrets/app.env', 'config.env', 'app.config.env', 'settings/public.env', 'config/app.properties', '.env.example'])).toEqual([]);
  });

  it('reports any other env_file, saying what would make it acceptable', async () => {
    expect(await c07(['.env', '.env.production', 'env/common', 'app.env'])).toEqual(['5 app: env_file .env …', '6 app: env_file .env.production …', '7 app: env_file env/common …', '8 app: env_file app.env …']);
    const { findings } = await checkComposeFiles([{ path: 'compose.yaml', text: 'services:\n  app:\n    image: nginx:1.27.0-alpine\n    env_file: .env\n' }], () => undefined);
    expect(findings.find((f) => f.rule === 'C07')?.message).toBe('app: env_file .env is neither under secrets/ nor named as non-secret config: keep secrets in secrets/<svc>.env (or compose secrets), and name a config-only file so (config.env, settings.env)');
  });
});
