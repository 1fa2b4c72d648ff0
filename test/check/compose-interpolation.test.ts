/** Short-syntax ports and volumes that hold `${…}` interpolation, as public compose files write them. */
import { describe, expect, it } from 'vitest';
import { checkComposeFiles } from '../../src/check/compose.js';

const found = async (entries: string, rule: string) => {
  const text = `services:\n  app:\n    image: example/app:1.0.0\n${entries}`;
  const { findings } = await checkComposeFiles([{ path: 'compose.yaml', text }], () => undefined);
  return findings.filter((f) => f.rule === rule).map((f) => `${f.line} ${f.message}`);
};

describe('C04 ports with interpolation', () => {
  it.each(['"127.0.0.1:${PORT:-8080}:8080"', '"${BIND_IP:-127.0.0.1}:${PORT:-8080}:8080"', '"${BIND_IP-127.0.0.1}:8080:8080"'])('takes %s as bound to 127.0.0.1', async (port) => {
    expect(await found(`    ports:\n      - ${port}\n`, 'C04')).toEqual([]);
  });

  it('takes a long-syntax host_ip default too', async () => {
    expect(await found('    ports:\n      - target: 8080\n        published: "${PORT:-8080}"\n        host_ip: "${BIND_IP:-127.0.0.1}"\n', 'C04')).toEqual([]);
  });

  it.each(['"$HOST_IP:8443:8443"', '"${BIND_IP:-0.0.0.0}:8080:8080"', '"${PORT:-8080}:8080"'])('still reports %s', async (port) => {
    expect(await found(`    ports:\n      - ${port}\n`, 'C04')).toHaveLength(1);
  });
});

describe('C10 volumes with interpolation', () => {
  it('reads ${VAR:-/path} as the path it defaults to', async () => {
    expect(await found('    volumes:\n      - ${DOCKER_SOCK:-/var/run/docker.sock}:/var/run/docker.sock\n', 'C10')).toContain('5 app: sensitive host path /var/run/docker.sock');
  });

  it('takes $HOME/… and ${PWD}/… as host paths, not volume names', async () => {
    expect((await found('    volumes:\n      - $HOME/.ssh:/root/.ssh:ro\n      - ${PWD}/data:/data\n', 'C10')).sort()).toEqual([
      '5 app: bind mount $HOME/.ssh:/root/.ssh outside the development override',
      '6 app: bind mount ${PWD}/data:/data is writable',
      '6 app: bind mount ${PWD}/data:/data outside the development override',
    ]);
  });

  it('leaves a named volume a volume', async () => {
    expect(await found('    volumes:\n      - data:/data\nvolumes:\n  data: {}\n', 'C10')).toEqual([]);
  });
});
