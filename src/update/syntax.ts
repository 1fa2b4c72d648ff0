/**
 * Does a file the update is about to write still parse? Checked with the real parsers for the
 * formats we generate (YAML for compose files, the Dockerfile and HCL2 parsers of `check` for
 * Dockerfiles, Nomad jobs and Vault policies, JSON), each loaded only when a file of its kind is
 * checked. A clean textual merge can still break a format (two
 * edits that each keep YAML valid, together re-indent a block): such a merge is reported, not
 * written.
 */
import { posix } from 'node:path';
import { commonJs } from '../interop.js';

/** One line describing why `content` is not valid for the kind of file at `path`; null when it parses (or no parser applies). */
export async function syntaxError(path: string, content: string): Promise<string | null> {
  const name = posix.basename(path);
  if (/\.ya?ml$/.test(name)) return yamlError(content);
  if (name === 'Dockerfile' || name.endsWith('.Dockerfile') || name.endsWith('.dockerfile')) return dockerfileError(content);
  if (name.endsWith('.json')) return jsonError(content);
  if (name.endsWith('.hcl')) return hclError(content);
  return null;
}

/** Nomad jobs and Vault policies, with the HCL2 parser `check` uses. */
async function hclError(content: string): Promise<string | null> {
  const { parseHcl, HclSyntaxError } = await import('../check/hcl.js');
  try {
    parseHcl(content);
    return null;
  } catch (error) {
    if (error instanceof HclSyntaxError) return `not valid HCL: ${firstLine(error.message)} at line ${error.line}:${error.column}`;
    throw error;
  }
}

async function yamlError(content: string): Promise<string | null> {
  const { parseAllDocuments } = commonJs(await import('yaml'));
  for (const doc of parseAllDocuments(content)) {
    const error = doc.errors[0];
    if (error) return `not valid YAML: ${firstLine(error.message)}`;
  }
  return null;
}

function jsonError(content: string): string | null {
  try {
    JSON.parse(content.replace(/^\uFEFF/, ''));
    return null;
  } catch (error) {
    return `not valid JSON: ${firstLine((error as Error).message)}`;
  }
}

/** Instructions whose JSON (exec) form Docker would silently run through a shell if the JSON broke. */
const execForm = new Set(['CMD', 'ENTRYPOINT', 'SHELL']);

async function dockerfileError(content: string): Promise<string | null> {
  const { knownKeywords, parseInstructions } = await import('../check/dockerfile-parse.js');
  let seenFrom = false;
  for (const { keyword, line, args: written } of parseInstructions(content)) {
    const at = `line ${line}`;
    if (!knownKeywords.has(keyword)) return `not a valid Dockerfile: unknown instruction ${JSON.stringify(keyword)} at ${at}`;
    if (!written) return `not a valid Dockerfile: ${keyword} without arguments at ${at}`;
    if (!seenFrom && keyword !== 'ARG' && keyword !== 'FROM') return `not a valid Dockerfile: ${keyword} before the first FROM at ${at}`;
    if (keyword === 'FROM') seenFrom = true;
    const args = written.trim();
    if (execForm.has(keyword) && args.startsWith('[') && !isStringArray(args)) return `not a valid Dockerfile: ${keyword} at ${at} is not a JSON array of strings`;
  }
  return seenFrom ? null : 'not a valid Dockerfile: no FROM instruction';
}

function isStringArray(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) && value.every((x) => typeof x === 'string');
  } catch {
    return false;
  }
}

function firstLine(text: string): string {
  return text.split('\n')[0]!.replace(/[.:]$/, '');
}
