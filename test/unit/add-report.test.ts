import { describe, expect, it } from 'vitest';
import { formatDetected } from '../../src/add/report.js';
import type { Colors } from '../../src/ui.js';

const plain = Object.fromEntries(['bold', 'dim', 'green', 'yellow', 'red', 'cyan'].map((k) => [k, (s: string) => s])) as unknown as Colors;

describe("add's list of detected values", () => {
  it('lines up the values and their sources under the longest label', () => {
    const lines = formatDetected(
      [
        { key: 'language', shown: 'Node.js', source: 'package.json' },
        { key: 'packageManager', shown: 'pnpm', source: 'pnpm-lock.yaml exists' },
        { key: 'port', shown: '3000', source: 'src/index.js' },
      ],
      plain,
    );
    expect(lines).toEqual([
      '  language         Node.js  from package.json',
      '  package manager  pnpm     from pnpm-lock.yaml exists',
      '  port             3000     from src/index.js',
    ]);
  });
});
