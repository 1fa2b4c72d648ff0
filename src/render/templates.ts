/**
 * Templates as the renderer sees them: compiled functions by name. Where they come from (compiled
 * at build time for the bundle, or from templates/ when running from src/) is decided in
 * installed-templates.ts; rendering is the same either way and never loads ejs or reads the disk.
 */
import { posix } from 'node:path';
import type { OutputFile } from '../parts/part.js';
import type { RenderContext } from './context.js';

/** What a template sees: the render context, and the output being rendered (`file`). */
export type TemplateData = RenderContext & { file: OutputFile };

/** What `include('docker/_header')` is in a template: renders another template of the set. */
export type Include = (name: string, data?: unknown) => string;

/**
 * One compiled template: the function ejs generates in client mode, `(data, escape, include)`.
 * `escape` is always undefined: `<%=` is refused when compiling (see compile-templates.ts).
 */
export type TemplateFunction = (data: TemplateData, escape: undefined, include: Include) => string;

/** Compiled templates by POSIX path relative to the templates folder (`docker/_header.ejs`). */
export type TemplateSet = ReadonlyMap<string, TemplateFunction>;

/**
 * Render one template from the set. `include('docker/_labels')` names a template from the root of
 * the set (the same at any nesting depth).
 */
export function renderTemplate(templates: TemplateSet, name: string, data: TemplateData, options: TidyOptions = {}): string {
  return tidy(run(templates, name, data), options);
}

function run(templates: TemplateSet, name: string, data: TemplateData): string {
  const template = templates.get(name);
  if (template === undefined) throw new Error(`template ${name} does not exist`);
  const include: Include = (original, extra) => {
    // Templates see exactly the names of TemplateData (declared as locals when compiling), so
    // values passed here would be invisible: they belong in the render context.
    if (extra !== undefined) throw new Error(`include('${original}', data): pass values through the render context instead`);
    const target = posix.normalize(original.endsWith('.ejs') ? original : `${original}.ejs`);
    if (!templates.has(target)) throw new Error(`include ${original} not found in templates/`);
    return run(templates, target, data);
  };
  try {
    return template(data, undefined, include);
  } catch (error) {
    // Compiled without ejs's line tracking: the template's name (and each including one) says where.
    throw new Error(`${name}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

export interface TidyOptions {
  /** Keep runs of blank lines (source code whose style wants them, e.g. PEP 8's two). */
  keepBlankRuns?: boolean;
}

/** Templates may leave blank runs where a conditional was false; files end with one newline. */
export function tidy(text: string, options: TidyOptions = {}): string {
  const lines = text.split('\n').map((l) => l.replace(/[ \t]+$/, ''));
  const out: string[] = [];
  for (const line of lines) {
    const previous = out[out.length - 1];
    if (line === '' && (out.length === 0 || (previous === '' && !options.keepBlankRuns))) continue;
    out.push(line);
  }
  while (out.length > 0 && out[out.length - 1] === '') out.pop();
  return out.length === 0 ? '' : `${out.join('\n')}\n`;
}
