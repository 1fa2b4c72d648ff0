/**
 * Compose files as Docker Compose reads them: YAML with the `!reset` and `!override` tags, kept as
 * markers for the merge, plus the line of every key and list item (from the parser's node ranges)
 * so a finding on a merged model can point at the line that caused it.
 */
import { isAlias, isMap, isScalar, isSeq, LineCounter, parse, parseDocument, type CollectionTag, type Document, type Node, type ScalarTag } from 'yaml';

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

const tagNames = ['!reset', '!override'] as const;
// Each tag may sit on a scalar (`!reset null`), a sequence (`!reset []`) or a mapping; the node is
// kept as parsed and read back by `toYaml`, which sees its tag.
const customTags: (ScalarTag | CollectionTag)[] = tagNames.flatMap((tag) => [
  { tag, resolve: (value: string) => value } satisfies ScalarTag,
  { tag, collection: 'seq' as const, resolve: (seq) => seq } satisfies CollectionTag,
  { tag, collection: 'map' as const, resolve: (map) => map } satisfies CollectionTag,
]);

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
}

export const pathKey = (path: YamlPath) => path.join('\u0000');

export function readCompose(text: string): ParsedCompose {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { customTags, uniqueKeys: true, lineCounter, prettyErrors: false });
  const problems = [...doc.errors, ...doc.warnings].map((p) => ({ line: p.linePos?.[0]?.line ?? lineCounter.linePos(p.pos[0]).line, message: p.message.split('\n')[0]! }));
  const positions: Positions = { lines: new Map(), items: new Map() };
  if (problems.length > 0) return { value: null, positions, problems };
  const lineAt = (node: { range?: [number, number, number] | null } | null | undefined) => (node?.range ? lineCounter.linePos(node.range[0]).line : 1);
  const walk = (node: Node | null, path: YamlPath) => {
    if (node === null) return;
    if (isAlias(node)) return;
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        positions.lines.set(pathKey([...path, key]), lineAt(pair.key as Node));
        walk(pair.value as Node | null, [...path, key]);
      }
    } else if (isSeq(node)) {
      const items = node.items.map((item, i) => {
        positions.lines.set(pathKey([...path, i]), lineAt(item as Node));
        walk(item as Node | null, [...path, i]);
        return { line: lineAt(item as Node), value: () => untag(toYaml(item as Node | null, doc)) };
      });
      positions.items.set(pathKey(path), items);
    }
  };
  try {
    walk(doc.contents as Node | null, []);
    return { value: toYaml(doc.contents as Node | null, doc), positions, problems };
  } catch (error) {
    return { value: null, positions, problems: [{ line: 1, message: (error as Error).message }] };
  }
}

function toYaml(node: Node | null, doc: Document, ignoreTag = false): Yaml {
  if (node === null) return null;
  if (isAlias(node)) return toYaml(node.resolve(doc) as Node, doc);
  if (!ignoreTag && node.tag === '!reset') return new Reset();
  if (!ignoreTag && node.tag === '!override') {
    // Compose drops the tag and reads the value as if it had none; a tagged scalar was kept as
    // its source text, so it is resolved here (`!override 5` is the number 5).
    if (isScalar(node)) return new Override(parse(String(node.value)) as Yaml);
    return new Override(toYaml(node, doc, true));
  }
  if (isMap(node)) {
    const out: { [key: string]: Yaml } = {};
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      out[key] = toYaml(pair.value as Node | null, doc);
    }
    return out;
  }
  if (isSeq(node)) return node.items.map((item) => toYaml(item as Node | null, doc));
  if (isScalar(node)) return node.value as Yaml;
  throw new Error(`unexpected YAML node ${String(node)}`);
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
