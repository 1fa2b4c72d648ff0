/** Compose boolean attributes as compose-go casts them (toBoolean): y/yes/true/on, n/no/false/off in any case. */
import { describe, expect, it } from 'vitest';
import { checkComposeFiles } from '../../src/check/compose.js';

const findings = async (service: string, rules: string[], top = '') => {
  const text = `services:\n  app:\n    image: nginx:1.27\n${service}${top}`;
  const result = await checkComposeFiles([{ path: 'compose.yaml', text }]);
  return result.findings.filter((f) => rules.includes(f.rule)).map((f) => f.message);
};

describe('compose booleans', () => {
  it.each(['true', '"True"', 'yes', 'YES', '"y"', 'on', '"On"'])('read_only: %s is read-only (no C01)', async (v) => {
    expect(await findings(`    read_only: ${v}\n`, ['C01'])).toEqual([]);
  });

  it.each(['false', 'no', '"off"', '"N"', 'maybe'])('read_only: %s is not (C01)', async (v) => {
    expect(await findings(`    read_only: ${v}\n`, ['C01'])).toEqual(['app: read_only is not true']);
  });

  it.each(['true', '"yes"', '"Y"', 'ON', '"TRUE"'])('privileged: %s is privileged (C03)', async (v) => {
    expect(await findings(`    privileged: ${v}\n`, ['C03']).then((m) => m.filter((x) => x === 'app: privileged'))).toEqual(['app: privileged']);
  });

  it('privileged: "no" is not privileged', async () => {
    expect((await findings('    privileged: "no"\n', ['C03'])).filter((x) => x === 'app: privileged')).toEqual([]);
  });

  it('a privileged build (build.privileged, or the security.insecure entitlement) is C03 on its line; a build without them is not', async () => {
    const text = (build: string) => `services:\n  app:\n    image: app:1.0\n    build:\n      context: .\n${build}`;
    const c03 = async (build: string) => (await checkComposeFiles([{ path: 'compose.yaml', text: text(build) }])).findings.filter((f) => f.rule === 'C03' && f.message.includes('build')).map((f) => `${f.line} ${f.message}`);
    expect(await c03('      privileged: "yes"\n')).toEqual(['6 app: build.privileged: the image build runs with every capability']);
    expect(await c03('      entitlements:\n        - network.host\n        - security.insecure\n')).toEqual(['8 app: build entitlement security.insecure: RUN --security=insecure steps run outside the sandbox']);
    expect(await c03('      privileged: false\n      entitlements: [network.host]\n')).toEqual([]);
    // The short form names only the context.
    expect((await checkComposeFiles([{ path: 'compose.yaml', text: 'services:\n  app:\n    image: app:1.0\n    build: .\n' }])).findings.filter((f) => f.message.includes('build'))).toEqual([]);
  });

  it('a build on the host network (build.network: host, or the network.host entitlement) is C05 on its line; another build network is not', async () => {
    const text = (build: string) => `services:\n  app:\n    image: app:1.0\n    build:\n      context: .\n${build}    networks: [backend]\nnetworks:\n  backend: {}\n`;
    const c05 = async (build: string) => (await checkComposeFiles([{ path: 'compose.yaml', text: text(build) }])).findings.filter((f) => f.rule === 'C05').map((f) => `${f.line} ${f.message}`);
    expect(await c05('      network: host\n')).toEqual(["6 app: build.network host: every RUN step of the image build shares the host's network namespace"]);
    expect(await c05('      entitlements:\n        - security.insecure\n        - network.host\n')).toEqual(["8 app: build entitlement network.host: RUN --network=host steps share the host's network namespace"]);
    expect(await c05('      network: none\n      entitlements: [security.insecure]\n')).toEqual([]);
    expect(await c05('      network: backend\n')).toEqual([]);
  });

  it('a long-syntax bind mount with read_only: "yes" is read-only; healthcheck disable: "yes" disables it', async () => {
    const service = '    volumes:\n      - type: bind\n        source: ./conf\n        target: /conf\n        read_only: "yes"\n    healthcheck:\n      disable: "yes"\n';
    const messages = await findings(service, ['C10', 'C09']);
    expect(messages.some((m) => m.includes('is writable'))).toBe(false);
    expect(messages).toContain('app: healthcheck disabled');
  });
});
