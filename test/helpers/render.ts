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
import { loadTemplates, type TemplateSet } from '../../src/render/templates.js';

export const repoRoot = resolve(import.meta.dirname, '../..');
export const templatesRoot = resolve(repoRoot, 'templates');

let cached: Promise<TemplateSet> | undefined;
export function templates(): Promise<TemplateSet> {
  cached ??= loadTemplates(templatesRoot);
  return cached;
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

/** Every language x version x base combination the registry offers. */
export function combinations(): { language: LanguageId; languageVersion: string; base: BaseFamily }[] {
  return languages.flatMap((l) =>
    versionsOf(l.id).flatMap((languageVersion) => basesOf(l.id, languageVersion).map((base) => ({ language: l.id, languageVersion, base }))),
  );
}

export { noFacts };
