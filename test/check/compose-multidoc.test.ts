/**
 * A compose file of several `---`-separated documents. compose-go (loader.go `loadYamlFile`, and
 * `TestLoadMultiDocumentYaml` in loader/multidoc_test.go) reads each document as a layer and merges
 * them in order, as it merges `-f` files; an empty document (a trailing `---`) is skipped. `check`
 * does the same instead of refusing the file with the YAML library's "use parseAllDocuments()".
 */
import { describe, expect, it } from 'vitest';
import { checkComposeFiles } from '../../src/check/compose.js';

const check = (files: Record<string, string>) => {
  const list = Object.entries(files).map(([path, text]) => ({ path, text }));
  return checkComposeFiles(list, (path) => files[path]);
};

const hardened = [
  'services:',
  '  app:',
  '    image: nginx:1.27',
  '    user: "10001:10001"',
  '    read_only: true',
  '    cap_drop: [ALL]',
  '    security_opt: ["no-new-privileges:true"]',
  '    networks: [front]',
  '    healthcheck:',
  '      test: ["CMD", "/healthz"]',
  '    restart: on-failure:5',
  '    deploy:',
  '      resources:',
  '        limits: {cpus: "0.5", memory: 256M, pids: 256}',
  'networks:',
  '  front: {}',
  '',
].join('\n');

describe('multi-document compose files', () => {
  it('merges the documents in order and checks the merged model', async () => {
    const { findings } = await check({ 'compose.yaml': `${hardened}---\nservices:\n  app:\n    privileged: true\n` });
    expect(findings.map((f) => [f.rule, f.line, f.message])).toEqual([['C03', 20, 'app: privileged']]);
  });

  it('gives no parse error, and nothing, for a hardened file split in two documents or ending in ---', async () => {
    const split = hardened.replace('networks:\n  front: {}\n', '---\nnetworks:\n  front: {}\n');
    expect((await check({ 'compose.yaml': split })).findings).toEqual([]);
    expect((await check({ 'compose.yaml': `${hardened}---\n` })).findings).toEqual([]);
  });

  it('applies !reset in a later document to what the earlier ones set', async () => {
    const text = hardened.replace('    read_only: true\n', '    read_only: true\n    privileged: true\n') + '---\nservices:\n  app:\n    privileged: !reset null\n';
    expect((await check({ 'compose.yaml': text })).findings).toEqual([]);
  });

  it('merges a multi-document override onto its base, document by document', async () => {
    const { findings } = await check({ 'compose.yaml': hardened, 'compose.prod.yaml': 'services:\n  app:\n    environment: [A=1]\n---\nservices:\n  app:\n    cap_add: [SYS_ADMIN]\n' });
    expect(findings.map((f) => [f.rule, f.file, f.line])).toEqual([['C02', 'compose.prod.yaml', 7]]);
  });

  it('a document that is not a mapping is one F01 naming its line', async () => {
    const { findings } = await check({ 'compose.yaml': `${hardened}---\n- a\n` });
    expect(findings.map((f) => [f.rule, f.line])).toEqual([['F01', 17]]);
    expect(findings[0]!.message).not.toContain('parseAllDocuments');
  });
});
