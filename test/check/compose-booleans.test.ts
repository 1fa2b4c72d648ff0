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

  it('a long-syntax bind mount with read_only: "yes" is read-only; healthcheck disable: "yes" disables it', async () => {
    const service = '    volumes:\n      - type: bind\n        source: ./conf\n        target: /conf\n        read_only: "yes"\n    healthcheck:\n      disable: "yes"\n';
    const messages = await findings(service, ['C10', 'C09']);
    expect(messages.some((m) => m.includes('is writable'))).toBe(false);
    expect(messages).toContain('app: healthcheck disabled');
  });
});
