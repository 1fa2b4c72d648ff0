/**
 * Compose files as Docker Compose reads them: YAML with the `!reset` and `!override` tags, kept as
 * markers for the merge, plus the line of every key and list item so a finding on a merged model
 * can point at the line that caused it. Two readers give the same result: the subset reader
 * (yaml-subset.ts) for the plain YAML compose files are written in, and the `yaml` library
 * (compose-yaml-library.ts, loaded only when needed) for everything else.
 */
import { readYamlSubset, resolvePlain, type SubsetNode } from './yaml-subset.js';

/** `!reset`: the key is removed from the model built so far (compose-spec "Reset value"). */
export class Reset {
  readonly tag = '!reset';
}

/** `!override`: the value replaces what the earlier files said instead of merging with it. */
export class Override {
  readonly tag = '!override';
  constructor(readonly value: Yaml) {}
}

export type Plain = null | boolean | number | string | Plain[] | { [key: string]: Plain };
/** A parsed compose file: plain YAML data, where a tagged node becomes a Reset or an Override. */
export type Yaml = null | boolean | number | string | Yaml[] | { [key: string]: Yaml } | Reset | Override;
export type Mapping = { [key: string]: Plain };
export type YamlPath = (string | number)[];

/** A mapping of the model: not a list, a scalar, or a value under a !reset / !override tag. */
export const isYamlMap = (v: Yaml | undefined): v is { [key: string]: Yaml } => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Reset) && !(v instanceof Override);

/** The tags Compose gives a meaning to; any other tag is a problem. */
export const composeTags = ['!reset', '!override'] as const;

export interface YamlProblem {
  line: number;
  message: string;
}

/** Where each key and list item of a file is: `lines` by path, `items` by the path of their list. */
export interface Positions {
  lines: Map<string, number>;
  /** Computed when asked: most files are never searched for an item. */
  items: Map<string, { line: number; value: () => Plain }[]>;
}

export interface ParsedCompose {
  value: Yaml;
  positions: Positions;
  /** YAML errors and warnings (an unknown tag, a duplicate key…); the value is unusable if any. */
  problems: YamlProblem[];
  /**
   * A file of two or more `---`-separated documents: each one, in order (`value` is them merged).
   * Compose merges them as it merges `-f` files, so a checked file's documents are merged as such.
   */
  documents?: ComposeDocument[];
}

/** One document of a multi-document file; `line` is where it starts. */
export interface ComposeDocument {
  value: Yaml;
  positions: Positions;
  line: number;
}

export const pathKey = (path: YamlPath) => path.join('\u0000');

/**
 * A compose file read. Most files stay inside the subset of YAML that yaml-subset.ts reads exactly
 * as the `yaml` library would; only the others load the library.
 */
export async function readCompose(text: string): Promise<ParsedCompose> {
  return readComposeFast(text) ?? (await import('./compose-yaml-library.js')).readComposeWithLibrary(text);
}

/**
 * The file read without the `yaml` library, or undefined when it is outside the subset (then
 * readComposeWithLibrary reads it). Both give the same value, positions and problems.
 */
export function readComposeFast(text: string): ParsedCompose | undefined {
  const doc = readYamlSubset(text, { tags: composeTags });
  if (!doc) return undefined;
  const positions: Positions = { lines: new Map(), items: new Map() };
  if (doc.duplicateKeys.length > 0) return { value: null, positions, problems: doc.duplicateKeys.map((line) => ({ line, message: 'Map keys must be unique' })) };
  let readable = true;
  const walk = (node: SubsetNode, path: YamlPath) => {
    if (node.kind === 'map') {
      for (const pair of node.pairs) {
        const key = String(pair.key);
        positions.lines.set(pathKey([...path, key]), pair.line);
        walk(pair.value, [...path, key]);
      }
    } else if (node.kind === 'seq') {
      const items = node.items.map((item, i) => {
        positions.lines.set(pathKey([...path, i]), item.line);
        walk(item, [...path, i]);
        return { line: item.line, value: () => untag(subsetToYaml(item)) };
      });
      positions.items.set(pathKey(path), items);
    } else if (node.tag === '!override' && overriddenScalar(node.text) === undefined) {
      // Checked here, for every node: an item's value is computed later, when it cannot give up.
      readable = false;
    }
  };
  if (doc.contents) walk(doc.contents, []);
  if (!readable) return undefined;
  return { value: doc.contents && subsetToYaml(doc.contents), positions, problems: [] };
}

/**
 * What `parse(text)` gives for the text of an `!override` scalar (readComposeWithLibrary), for
 * texts that are one plain scalar no matter how YAML reads them; undefined for any other text.
 */
function overriddenScalar(text: string): { value: Plain } | undefined {
  if (text === '') return { value: null };
  if (!/^(?:[A-Za-z0-9_/~$+]|-[A-Za-z0-9_./~$+]|\.(?!\.\.))[A-Za-z0-9_./~$+-]*$/.test(text)) return undefined;
  return { value: resolvePlain(text) };
}

/** As the library path's toYaml: tags become Reset and Override markers. */
function subsetToYaml(node: SubsetNode, ignoreTag = false): Yaml {
  if (!ignoreTag && node.tag === '!reset') return new Reset();
  if (!ignoreTag && node.tag === '!override') return new Override(node.kind === 'scalar' ? overriddenScalar(node.text)!.value : subsetToYaml(node, true));
  if (node.kind === 'map') {
    const out: { [key: string]: Yaml } = {};
    for (const pair of node.pairs) out[String(pair.key)] = subsetToYaml(pair.value);
    return out;
  }
  if (node.kind === 'seq') return node.items.map((item) => subsetToYaml(item));
  return node.value;
}

/**
 * The file as Compose validates it on its own: a `!reset` key is gone, an `!override` value is
 * plain. (compose-go removes the tagged nodes before schema validation.)
 */
export function untag(value: Yaml): Plain {
  if (value instanceof Override) return untag(value.value);
  if (value instanceof Reset) return null;
  if (Array.isArray(value)) return value.filter((v) => !(v instanceof Reset)).map(untag);
  if (value !== null && typeof value === 'object') {
    const out: Mapping = {};
    for (const [k, v] of Object.entries(value)) if (!(v instanceof Reset)) out[k] = untag(v);
    return out;
  }
  return value;
}
