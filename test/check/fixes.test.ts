/**
 * The fix under a finding names the change to the user's own file where the rule's general fix
 * would not fit it: their command in exec form, their port, their image's runtime, their install.
 */
import { describe, expect, it } from 'vitest';
import { checkComposeFiles } from '../../src/check/compose.js';
import { checkDockerfile } from '../../src/check/dockerfile.js';
import { getRule } from '../../src/check/rules.js';

const fixesOf = (text: string, rule: string) => checkDockerfile(text, 'Dockerfile').filter((f) => f.rule === rule).map((f) => `${f.line}: ${f.fix}`);

describe('fixes written for the Dockerfile at hand', () => {
  it("D10: the shell-form command itself in exec form, or a script where it needs a shell", () => {
    expect(fixesOf('FROM python:3.13-slim\nCMD python -m uvicorn app.main:app --host 0.0.0.0\n', 'D10')).toEqual(['2: Write CMD ["python", "-m", "uvicorn", "app.main:app", "--host", "0.0.0.0"]']);
    expect(fixesOf("FROM node:24-alpine\nENTRYPOINT node 'src/my server.js'\n", 'D10')).toEqual(['2: Write ENTRYPOINT ["node", "src/my server.js"]']);
    for (const needsShell of ['./migrate && node server.js', 'node server.js --port $PORT', 'NODE_ENV=production node server.js', 'node server.js > /tmp/log']) {
      expect(fixesOf(`FROM node:24-alpine\nCMD ${needsShell}\n`, 'D10')).toEqual(['2: Put the commands in a script that ends with exec and the app\'s command, COPY it in, and write CMD ["/app/start.sh"]']);
    }
    // No start command at all: the rule's own fix.
    expect(fixesOf('FROM node:24-alpine\n', 'D10')).toEqual([`1: ${getRule('D10').fix}`]);
  });

  it('D11: the privileged port moved above 1024 and published as before; EXPOSE 22 removed', () => {
    expect(fixesOf('FROM nginx:1.27-alpine\nEXPOSE 80 443/tcp\n', 'D11')).toEqual([
      '2: Make the app listen on 8080 (EXPOSE 8080) and publish that as 80 where clients need it (ports: ["127.0.0.1:80:8080"])',
      '2: Make the app listen on 8443 (EXPOSE 8443) and publish that as 443 where clients need it (ports: ["127.0.0.1:443:8443"])',
    ]);
    expect(fixesOf('FROM debian:12-slim\nEXPOSE 22\n', 'D11')).toEqual(['2: Remove EXPOSE 22 and the SSH server: docker exec (or nomad alloc exec) gives a shell when one is needed']);
  });

  it("D12: a probe run by the final image's own runtime, or a binary where it has none", () => {
    const add = (probe: string, runtime: string) => `Add HEALTHCHECK --interval=30s --timeout=3s CMD ${probe} (a probe the image's own ${runtime} runs: it asks the app's health URL and exits 0 or 1)`;
    expect(fixesOf('FROM python:3.13-slim\nCMD ["python", "app.py"]\n', 'D12')).toEqual([`1: ${add('["python", "healthcheck.py"]', 'python')}`]);
    expect(fixesOf('FROM node:24-alpine AS build\nFROM gcr.io/distroless/nodejs24-debian12:nonroot\nCMD ["server.js"]\n', 'D12')).toEqual([`2: ${add('["node", "healthcheck.js"]', 'node')}`]);
    expect(fixesOf('FROM eclipse-temurin:21-jre-alpine\n', 'D12')).toEqual([`1: ${add('["java", "HealthCheck.java"]', 'java')}`]);
    expect(fixesOf('FROM scratch\nCOPY server /server\n', 'D12')).toEqual([`1: ${add('["/app/healthcheck"]', 'binary')}`]);
    // Its own check in exec form, options kept; curl where the image has none gets the probe.
    expect(fixesOf('FROM python:3.13-slim\nHEALTHCHECK --interval=10s CMD python healthcheck.py\n', 'D12')).toEqual(['2: Write HEALTHCHECK --interval=10s CMD ["python", "healthcheck.py"]']);
    expect(fixesOf('FROM gcr.io/distroless/python3-debian12\nHEALTHCHECK CMD ["curl", "-f", "http://localhost:8000/health"]\n', 'D12')).toEqual([`2: Write ${add('["python", "healthcheck.py"]', 'python').slice('Add '.length)}`]);
  });

  it('D01: the image named, to be pinned to a version the user chooses', () => {
    expect(fixesOf('FROM node:latest AS build\nFROM ghcr.io/acme/runtime\nCOPY --from=busybox:latest /bin/sh /sh\n', 'D01')).toEqual([
      '1: Pin node to an exact version tag, FROM node:<version> (add @sha256:<digest> to pin the bytes), set through an ARG at the top',
      '2: Pin ghcr.io/acme/runtime to an exact version tag, FROM ghcr.io/acme/runtime:<version> (add @sha256:<digest> to pin the bytes), set through an ARG at the top',
      '3: Pin busybox to an exact version tag, COPY --from=busybox:<version> (add @sha256:<digest> to pin the bytes)',
    ]);
  });

  it("D04: a user made with the final image's own tool, or a numeric one where it has none", () => {
    expect(fixesOf('FROM python:3.13-alpine3.22\n', 'D04')).toEqual(['1: Create the user in the final stage, RUN adduser -D -H -u 10001 app, and end it with USER 10001:10001']);
    expect(fixesOf('FROM python:3.13-slim-bookworm\n', 'D04')).toEqual(['1: Create the user in the final stage, RUN useradd --system --uid 10001 --no-create-home --shell /usr/sbin/nologin app, and end it with USER 10001:10001']);
    expect(fixesOf('FROM golang:1.25 AS build\nFROM scratch\n', 'D04')).toEqual(['2: End the final stage with USER 65532:65532 (a numeric user needs no /etc/passwd; distroless calls 65532 "nonroot")']);
  });

  it('D08: the flag or pin missing from this very install', () => {
    const fixes = (run: string) => fixesOf(`FROM python:3.13-slim\nUSER 10001:10001\n${run}\n`, 'D08');
    expect(fixes('RUN pip install -r requirements.txt')).toEqual(['3: Add --no-cache-dir (pip install --no-cache-dir …), or keep the cache out of the layer with RUN --mount=type=cache,target=/root/.cache/pip']);
    expect(fixes('RUN pip install --no-cache-dir flask gunicorn==23.0.0')).toEqual(['3: Pin it: pip install flask==<version>']);
    expect(fixes('RUN apk add --no-cache curl jq')).toEqual(['3: Pin each: apk add curl=<version> jq=<version>']);
    expect(fixes('RUN npm install -g serve')).toEqual(['3: Pin it: npm install serve@<version>']);
    expect(fixes('RUN apt-get update && apt-get install -y curl=8.5.0-1')).toEqual([
      '3: Add --no-install-recommends: apt-get install -y --no-install-recommends <packages>',
      '3: End this RUN with && rm -rf /var/lib/apt/lists/*, or mount a cache at /var/lib/apt',
    ]);
    expect(fixes('RUN uv sync')).toEqual(['3: Add --locked: uv sync --locked']);
    expect(fixes('RUN dnf install -y httpd-2.4.62')).toEqual(['3: End this RUN with && dnf clean all']);
  });
});

describe('fixes written for the compose file at hand', () => {
  it('C04, C07, C09: the port entry bound to 127.0.0.1 as written, the secret moved to its file, the change each service needs', async () => {
    const text = 'services:\n  app:\n    build: .\n    ports:\n      - "80:8080"\n      - "0.0.0.0:9090:9090/udp"\n      - "3000"\n      - "[::]:8443:8443"\n      - "${HOST_PORT:-8081}:8081"\n      - target: 9000\n        published: "9000"\n';
    const fixes = (await checkComposeFiles([{ path: 'compose.yaml', text }])).findings.filter((f) => f.rule === 'C04').map((f) => f.fix);
    expect(fixes).toEqual([
      'Publish it as "127.0.0.1:80:8080" and put a reverse proxy in front',
      'Publish it as "127.0.0.1:9090:9090/udp" and put a reverse proxy in front',
      'Publish it as "127.0.0.1:3000:3000" and put a reverse proxy in front',
      'Publish it as "127.0.0.1:8443:8443" and put a reverse proxy in front',
      'Publish it as "127.0.0.1:${HOST_PORT:-8081}:8081" and put a reverse proxy in front',
      'Set host_ip: 127.0.0.1 on this port and put a reverse proxy in front',
    ]);
    // C07: the very variable moved into a secret file.
    const secrets = (await checkComposeFiles([{ path: 'compose.yaml', text: 'services:\n  app:\n    build: .\n    environment:\n      DB_PASSWORD: hunter2\n      DATABASE_URL: postgres://app:pw@db/app\n' }])).findings.filter((f) => f.rule === 'C07').map((f) => f.fix);
    expect(secrets).toEqual([
      'Move the value into ./secrets/db_password (kept out of git), declare secrets: {db_password: {file: ./secrets/db_password}} at the top level, list db_password under this service\'s secrets, and replace DB_PASSWORD with DB_PASSWORD_FILE=/run/secrets/db_password (or have the app read that file)',
      'Move the value into ./secrets/database_url (kept out of git), declare secrets: {database_url: {file: ./secrets/database_url}} at the top level, list database_url under this service\'s secrets, and replace DATABASE_URL with DATABASE_URL_FILE=/run/secrets/database_url (or have the app read that file)',
    ]);
    // C09: the restart policy, a probe the service's image has, and depends_on's condition.
    const c09 = (await checkComposeFiles([{ path: 'compose.yaml', text: 'services:\n  app:\n    build: .\n    restart: always\n    depends_on: [db]\n  db:\n    image: postgres:16.4-alpine\n  cache:\n    image: valkey/valkey:8.0\n    healthcheck:\n      disable: true\n' }])).findings.filter((f) => f.rule === 'C09').map((f) => `${f.message} -> ${f.fix}`);
    expect(c09).toEqual(expect.arrayContaining([
      'app: restart "always" is neither unless-stopped nor a bounded on-failure -> Set restart: on-failure:5 (or unless-stopped) on app',
      'app: no healthcheck test -> Give app healthcheck: {test: ["CMD", "<a probe the image can run>", …], interval: 30s, timeout: 3s, retries: 3}',
      'app: does not wait for db to be healthy (condition service_started) -> Write depends_on: {db: {condition: service_healthy}} (and give db a healthcheck)',
      'db: no healthcheck test -> Give db healthcheck: {test: ["CMD", "pg_isready", "-U", "postgres"], interval: 30s, timeout: 3s, retries: 3}',
      'cache: healthcheck disabled -> Remove disable: true. Give cache healthcheck: {test: ["CMD", "valkey-cli", "ping"], interval: 30s, timeout: 3s, retries: 3}',
      'db: no restart policy (Compose\'s default is "no": a crashed container stays down) -> Set restart: on-failure:5 (or unless-stopped) on db',
    ]));
    // A backing service publishes nothing, on any interface.
    const db = async (ports: string) => (await checkComposeFiles([{ path: 'compose.yaml', text: `services:\n  db:\n    image: postgres:16.4-alpine\n    ports: [${ports}]\n` }])).findings.filter((f) => f.rule === 'C04').map((f) => f.fix);
    expect(await db('"127.0.0.1:5432:5432"')).toEqual(['Remove ports from db: the app reaches it over the network they share']);
    expect(await db('"5432:5432"')).toEqual(['Remove ports from db: the app reaches it over the network they share', 'Remove ports from db: the app reaches it over the network they share']);
  });
});
