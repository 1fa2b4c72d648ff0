/** Version constraints, as projects write them, mapped onto the versions the generator pins. */
import { describe, expect, it } from 'vitest';
import { chooseVersion } from '../../src/add/detect/versions.js';

const node = ['24', '22'];
const python = ['3.13', '3.12', '3.11'];
const php = ['8.4', '8.3'];

describe('chooseVersion', () => {
  it.each([
    ['22', node, '24', '22', true],
    ['v22.11.0', node, '24', '22', true],
    ['>=18', node, '24', '24', true], // the default qualifies
    ['>=18 <23', node, '24', '22', true],
    ['^22.1', node, '24', '22', true],
    ['20.x', node, '24', '22', false], // 20 is nearer to 22 than to 24
    ['18 || 20', node, '24', '22', false],
    ['lts/*', node, '24', '24', true],
    ['3.12.4', python, '3.13', '3.12', true],
    ['>=3.9,<3.13', python, '3.13', '3.12', true],
    ['~=3.11', python, '3.13', '3.13', true], // compatible release: >=3.11, <4
    ['==3.10.*', python, '3.13', '3.11', false],
    ['^8.2', php, '8.4', '8.4', true],
    ['~8.3.0', php, '8.4', '8.3', true],
    ['7.4', php, '8.4', '8.3', false],
    ['>=1.23', ['1.25'], '1.25', '1.25', true],
  ])('%s over [%s] -> %s', (constraint, supported, preferred, version, satisfied) => {
    expect(chooseVersion(constraint, supported, preferred)).toEqual({ version, satisfied });
  });

  it('returns null when the text names no version', () => {
    expect(chooseVersion('banana1', node, '24')).toBeNull();
  });
});
