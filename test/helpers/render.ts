/**
 * Shared test helpers: validated answers from partial input, and rendering without a terminal.
 */
import { resolve } from 'node:path';
import { resolveAnswers } from '../../src/answers.js';
import { basesOf, languages, versionsOf, type BaseFamily, type LanguageId } from '../../src/languages.js';
import { parts, type Part, type PartId } from '../../src/parts/index.js';
import type { Answers } from '../../src/questions.js';
import { noFacts, type Facts } from '../../src/render/context.js';
import { renderProject, type FileTree } from '../../src/render/index.js';
import { compileTemplates, readTemplateSources, type TemplateSources } from '../../src/render/compile-templates.js';
import type { TemplateSet } from '../../src/render/templates.js';

export const repoRoot = resolve(import.meta.dirname, '../..');
export const templatesRoot = resolve(repoRoot, 'templates');

let sources: Promise<TemplateSources> | undefined;
/** The text of every file under templates/, read once per test file. */
export function templateSources(): Promise<TemplateSources> {
  sources ??= readTemplateSources(templatesRoot);
  return sources;
}

let compiled: Promise<TemplateSet> | undefined;
/** The real templates, compiled from source as in development (the bundle's precompiled set renders the same bytes). */
export function templates(): Promise<TemplateSet> {
  compiled ??= templateSources().then(compileTemplates);
  return compiled;
}

/** Answers as the CLI would resolve them from these flag values with --yes. */
export function answersFor(flags: Partial<Record<keyof Answers, unknown>> = {}): Promise<Answers> {
  return resolveAnswers({ flags });
}

export const testFacts: Facts = {
  signerEmail: 'dev@example.com',
  signerPublicKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGQ0c2FtcGxla2V5Zm9ydGVzdHNvbmx5MDAwMDAwMDA',
};

export async function render(flags: Partial<Record<keyof Answers, unknown>> = {}, only?: PartId[], facts: Facts = testFacts): Promise<FileTree> {
  const a = await answersFor(flags);
  const selected: Part[] | undefined = only ? parts.filter((p) => only.includes(p.id)) : undefined;
  return renderProject(a, await templates(), { facts, generatorVersion: '0.0.0-test', parts: selected });
}

export function fileOf(tree: FileTree, path: string): string {
  const file = tree.get(path);
  if (!file) throw new Error(`${path} was not rendered; rendered: ${[...tree.keys()].join(', ')}`);
  return file.content;
}

/** The answer sets whose complete output is stored under test/golden/<set>/. */
export const goldenAnswerSets: Record<string, Partial<Record<keyof Answers, unknown>>> = {
  'node-defaults': {},
  'python-postgres': { name: 'orders', language: 'python', secrets: ['API_TOKEN', 'STRIPE_KEY'], services: ['postgres'], sourceUrl: 'https://github.com/acme/orders' },
  'go-scratch-redis-kv1': { name: 'edge', language: 'go', services: ['redis'], vaultKv: '1', vaultMount: 'kv', datacenter: 'eu-west-1', cpu: '2', memory: '1G' },
  'java-distroless': { name: 'ledger', language: 'java', base: 'distroless', secrets: ['DB_URL'], signing: 'gpg', signingKey: 'ABCDEF0123456789' },
  'rust-alpine': { name: 'ingest', language: 'rust', base: 'alpine', networks: ['edge', 'internal'] },
  'dotnet-mongo': { name: 'catalog', language: 'dotnet', services: ['mongo'], secrets: ['JWT_SIGNING_KEY'], signing: 'none' },
  'php-all-services': { name: 'shop', language: 'php', services: ['postgres', 'redis', 'mongo'], base: 'debian-slim' },
};

/** Every language x version x base combination the registry offers. */
export function combinations(): { language: LanguageId; languageVersion: string; base: BaseFamily }[] {
  return languages.flatMap((l) =>
    versionsOf(l.id).flatMap((languageVersion) => basesOf(l.id, languageVersion).map((base) => ({ language: l.id, languageVersion, base }))),
  );
}

export { noFacts };
