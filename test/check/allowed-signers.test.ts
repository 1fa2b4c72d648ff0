/**
 * S02's reading of an .allowed_signers line against ssh-keygen's (sshsig.c): option names are
 * case-insensitive, and namespaces="…" is a pattern list, so "*" or "?" trusts the key beyond git.
 */
import { describe, expect, it } from 'vitest';
import { allowedSignerProblem } from '../../src/check/signing.js';

const key = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDO0VQD9TIdICZLWFWwtf7s8/aENve8twGTEmNV0myh5 comment';

describe('allowedSignerProblem', () => {
  it.each(['namespaces="git"', 'NAMESPACES="git"', 'Namespaces="git",Valid-Before="20300101"', 'valid-after="20200101",namespaces="file,git"', 'namespaces="!file,git"'])('accepts %s, which limits the key to named namespaces including git', (options) => {
    expect(allowedSignerProblem(`dev@example.com ${options} ${key}`)).toBeNull();
  });

  it.each([
    ['namespaces="*,git"', '*'],
    ['namespaces="git,*"', '*'],
    ['namespaces="git,fil?"', 'fil?'],
    ['NAMESPACES="git,*"', '*'],
  ])('flags %s: ssh-keygen matches namespaces as patterns, so the key is trusted beyond git', (options, pattern) => {
    expect(allowedSignerProblem(`dev@example.com ${options} ${key}`)).toContain(`holds the pattern "${pattern}", which trusts the key beyond git signatures: list the namespace git by name only`);
  });

  it.each(['namespaces="file"', 'namespaces="*"', 'namespaces="g?t"', 'valid-before="20300101"', 'namespace="git"'])('flags %s, which does not name git', (options) => {
    expect(allowedSignerProblem(`dev@example.com ${options} ${key}`)).toBe('the key is not limited to git signatures (namespaces="git")');
  });

  it('flags a line without options', () => {
    expect(allowedSignerProblem(`dev@example.com ${key}`)).toBe('the key is not limited to git signatures (namespaces="git")');
  });
});
