import { readdir, readFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import ejs from 'ejs';
import { compareText } from '../compare.js';

/** Template sources by POSIX path relative to the templates folder; rendering reads only this. */
export type TemplateSet = ReadonlyMap<string, string>;

export async function loadTemplates(dir: string): Promise<TemplateSet> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries.filter((e) => e.isFile());
  const sources = await Promise.all(
    files.map(async (e) => {
      const abs = join(e.parentPath, e.name);
      const rel = abs.slice(dir.length + 1).split(/[\\/]/).join('/');
      return [rel, await readFile(abs, 'utf8')] as const;
    }),
  );
  return new Map(sources.sort(([a], [b]) => compareText(a, b)));
}

function refuseImplicitEscape(): never {
  // `<%=` would HTML-escape, which is wrong for every format we write: templates must pick an
  // escaper for their target (json, yaml, hcl, sh, mdCode) and print it with `<%-`.
  throw new Error('templates must not use <%= ; print with <%- and an explicit escaper');
}

/**
 * Render one template from the set. `include('docker/_labels')` names a template from the root of
 * the set (the same at any nesting depth) and never reads the disk.
 */
export function renderTemplate(templates: TemplateSet, name: string, data: Record<string, unknown>, options: TidyOptions = {}): string {
  const source = templates.get(name);
  if (source === undefined) throw new Error(`template ${name} does not exist`);
  const output = ejs.render(source, data, {
    filename: name,
    escape: refuseImplicitEscape,
    includer: (original: string) => {
      const target = posix.normalize(original.endsWith('.ejs') ? original : `${original}.ejs`);
      const template = templates.get(target);
      if (template === undefined) throw new Error(`${name}: include ${original} not found in templates/`);
      return { template };
    },
  });
  return tidy(output, options);
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
