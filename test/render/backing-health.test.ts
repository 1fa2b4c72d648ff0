/**
 * The backing services' health checks pass on the real server only, never on the temporary one
 * the docker-library entrypoints run during first-start initialisation (postgres: socket only;
 * mongo: a mongod without --auth on 127.0.0.1:27017 while the root user is created and the
 * initdb scripts run). mongosh is not installed here, so the probe's script runs in a sandbox
 * against a fake `db` that answers as each server would.
 */
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { fileOf, render } from '../helpers/render.js';

type Command = Record<string, unknown> | string;
/** How a server answers a command: a result document, or an error it throws. */
type Server = (name: string) => Record<string, unknown>;

class ServerError extends Error {
  constructor(
    readonly code: number,
    readonly codeName: string,
  ) {
    super(`command requires authentication`);
  }
}

/** Unauthenticated commands a server with --auth still answers (hello, ping, buildInfo…). */
const open = new Set(['ping', 'hello', 'isMaster', 'ismaster', 'buildInfo', 'buildinfo', 'connectionStatus']);
const temporary: Server = (name) => ({ ok: 1, ...(name === 'getCmdLineOpts' ? { argv: ['mongod', '--bind_ip', '127.0.0.1', '--port', '27017'], parsed: {} } : {}) });
/** The real server as mongosh's driver reports a refusal: an error thrown with code 13. */
const realThrowing: Server = (name) => {
  if (open.has(name)) return { ok: 1 };
  throw new ServerError(13, 'Unauthorized');
};
/** The real server if the shell handed back the raw reply instead of throwing. */
const realRaw: Server = (name) => (open.has(name) ? { ok: 1 } : { ok: 0, code: 13, codeName: 'Unauthorized', errmsg: `command ${name} requires authentication` });

/** The exit code mongosh --eval gives for `script` against `server`: quit(n), 1 for an uncaught error, else 0. */
function exitCode(script: string, server: Server): number {
  const run = (cmd: Command) => server(typeof cmd === 'string' ? cmd : Object.keys(cmd)[0]!);
  const db: Record<string, unknown> = { runCommand: run, adminCommand: run };
  db.getSiblingDB = () => db;
  class Quit {
    constructor(readonly code: number) {}
  }
  try {
    runInNewContext(script, { db, quit: (code = 0) => { throw new Quit(code); } });
    return 0;
  } catch (error) {
    return error instanceof Quit ? error.code : 1;
  }
}

async function healthcheck(service: string): Promise<string[]> {
  const compose = parseYaml(fileOf(await render({ services: ['postgres', 'redis', 'mongo'] }), 'compose.yaml')) as { services: Record<string, { healthcheck: { test: string[] } }> };
  return compose.services[service]!.healthcheck.test;
}

describe('backing service health checks', () => {
  it('mongo: exec form, mongosh with no rc file and no credentials on its command line', async () => {
    const test = await healthcheck('mongo');
    expect(test.slice(0, 5)).toEqual(['CMD', 'mongosh', '--quiet', '--norc', '--eval']);
    expect(test).toHaveLength(6);
    expect(test.join(' ')).not.toMatch(/password|secrets|-u\b|--username/i);
  });

  it('mongo: fails on the entrypoint\'s temporary server (no --auth), passes on the real one', async () => {
    const script = (await healthcheck('mongo'))[5]!;
    expect(exitCode(script, temporary)).not.toBe(0);
    expect(exitCode(script, realThrowing)).toBe(0);
    expect(exitCode(script, realRaw)).toBe(0);
    // Some other failure on the real server (a shutdown in progress) is no pass either.
    expect(exitCode(script, () => { throw new ServerError(91, 'ShutdownInProgress'); })).not.toBe(0);
  });

  it('postgres: over TCP, which the socket-only initialisation server does not answer', async () => {
    expect(await healthcheck('postgres')).toContain('--host=127.0.0.1');
  });
});
