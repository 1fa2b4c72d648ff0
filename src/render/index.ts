/**
 * Step 3 of the pipeline: answers in, files out, all in memory. Pure: the same answers, facts and
 * templates give the same bytes, and nothing here touches the disk or the terminal.
 */
import { parts as allParts, type Part, type Strategy } from '../parts/index.js';
import type { PartId } from '../parts/part.js';
import type { Answers } from '../questions.js';
import { buildContext, type Facts } from './context.js';
import { renderTemplate, type TemplateSet } from './templates.js';

export interface RenderedFile {
  id: string;
  part: PartId;
  path: string;
  content: string;
  mode: number;
  strategy: Strategy;
  /** Earlier paths of this output (see OutputFile.renamedFrom). */
  renamedFrom?: string[];
}

/** Rendered files by project-relative path, in registry order. */
export type FileTree = Map<string, RenderedFile>;

export interface RenderOptions {
  facts: Facts;
  generatorVersion: string;
  /** Render only these parts (for `add`); all by default. */
  parts?: readonly Part[];
  /** The output IDs the project has after this run (see RenderContext.projectHas); all by default. */
  present?: ReadonlySet<string>;
  /** The project's folder inside its repository (RenderContext.folder); '' by default. */
  folder?: string;
}

export function renderProject(a: Answers, templates: TemplateSet, options: RenderOptions): FileTree {
  const context = buildContext(a, options.facts, options.generatorVersion, options.present, options.folder);
  const tree: FileTree = new Map();
  for (const part of options.parts ?? allParts) {
    for (const output of part.outputs(a, templates)) {
      if (tree.has(output.path)) throw new Error(`two outputs write ${output.path}`);
      // Seeds and other program code keep their own style (e.g. PEP 8 blank lines) as written.
      const content = renderTemplate(templates, output.template, { ...context, file: output }, { keepBlankRuns: output.strategy === 'seed' || output.code === true });
      tree.set(output.path, {
        id: output.id,
        part: part.id,
        path: output.path,
        content,
        mode: output.mode ?? 0o644,
        strategy: output.strategy ?? 'merge',
        ...(output.renamedFrom?.length ? { renamedFrom: output.renamedFrom } : {}),
      });
    }
  }
  return tree;
}

export type { Facts } from './context.js';
