/**
 * Compose files read by the `yaml` library: the reference reading, and the fallback for every
 * file the subset reader (yaml-subset.ts) gives up on. Loaded with import() only then, since the
 * library costs about 15 ms to load.
 */
import { isAlias, isMap, isScalar, isSeq, LineCounter, parse, parseDocument, type CollectionTag, type Document, type Node, type ScalarTag } from 'yaml';
import { composeTags, Override, pathKey, Reset, untag, type ParsedCompose, type Positions, type Yaml, type YamlPath } from './compose-yaml.js';

// Each tag may sit on a scalar (`!reset null`), a sequence (`!reset []`) or a mapping; the node is
// kept as parsed and read back by `toYaml`, which sees its tag.
const customTags: (ScalarTag | CollectionTag)[] = composeTags.flatMap((tag) => [
  { tag, resolve: (value: string) => value } satisfies ScalarTag,
  { tag, collection: 'seq' as const, resolve: (seq) => seq } satisfies CollectionTag,
  { tag, collection: 'map' as const, resolve: (map) => map } satisfies CollectionTag,
]);

export function readComposeWithLibrary(text: string): ParsedCompose {
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
