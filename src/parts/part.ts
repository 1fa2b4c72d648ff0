import type { Answers } from '../questions.js';
import type { TemplateSet } from '../render/templates.js';

export const partIds = ['app', 'docker', 'compose', 'nomad', 'vault', 'signing', 'project'] as const;
export type PartId = (typeof partIds)[number];

/**
 * How `update` treats a file once written: `seed` is written once and then belongs to the user
 * (an app entry point), `merge` is three-way merged with the user's edits, `owned` is always
 * regenerated (reserved for files users should not edit).
 */
export type Strategy = 'seed' | 'merge' | 'owned';

export interface OutputFile {
  /** Stable ID, independent of the path, so a renamed output keeps its history. */
  id: string;
  /** Template path under templates/. */
  template: string;
  /** Where the file goes, relative to the service folder (POSIX separators). */
  path: string;
  /** File mode; 0o644 unless said otherwise. */
  mode?: number;
  strategy?: Strategy;
  /** Program code (the health probe) whose style is kept as written, e.g. PEP 8's blank lines; seeds always are. */
  code?: boolean;
  /**
   * Paths this output had in earlier versions, when its ID changed too (a path change alone is
   * found from the manifest by ID): `update` moves the user's file here, then merges it.
   */
  renamedFrom?: string[];
}

export interface Part {
  id: PartId;
  /** One line for --help and summaries. */
  summary: string;
  /** The template folder this part owns (a test checks every folder has an owner). */
  templateDir: string;
  /** The files this part writes for a set of answers. */
  outputs(a: Answers, templates: TemplateSet): OutputFile[];
}

export function definePart(part: Part): Part {
  return part;
}
