/**
 * Compose files read by the `yaml` library: the reference reading, and the fallback for every
 * file the subset reader (yaml-subset.ts) gives up on. Loaded with import() only then, since the
 * library costs about 15 ms to load.
 */
import { isAlias, isMap, isScalar, isSeq, LineCounter, parse, parseAllDocuments, parseDocument, visit, type Alias, type CollectionTag, type Document, type Node, type ScalarTag } from 'yaml';
import { mergeCompose } from './compose-merge.js';
import { composeTags, isYamlMap, Override, pathKey, Reset, untag, type ComposeDocument, type ParsedCompose, type Positions, type Yaml, type YamlPath } from './compose-yaml.js';

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
  if (doc.errors.some((e) => e.code === 'MULTIPLE_DOCS')) return readDocuments(text);
  return readDocument(doc, lineCounter, newExpansion());
}

/**
 * A file of several `---`-separated documents, read as compose-go reads it: each document is a
 * layer merged onto the ones before it, in order, as `-f` files are; an empty document (a trailing
 * `---`) is skipped. `value` is the documents merged; `documents` keeps each one (its `!reset` and
 * `!override` tags too) for checks that treat them one by one.
 */
function readDocuments(text: string): ParsedCompose {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { customTags, uniqueKeys: true, lineCounter, prettyErrors: false }) as Document[];
  // One budget for the whole file: many documents of aliases are no way around the bound.
  const expansion = newExpansion();
  const read: (ParsedCompose & ComposeDocument)[] = [];
  for (const doc of docs) {
    const one = readDocument(doc, lineCounter, expansion);
    if (one.problems.length > 0) return one;
    if (one.value !== null) read.push({ ...one, line: lineCounter.linePos(doc.range?.[0] ?? 0).line });
  }
  if (read.length <= 1) return read[0] ?? { value: null, positions: { lines: new Map(), items: new Map() }, problems: [] };
  // Where a path is written: in the last document that writes it, as for files merged in turn.
  const positions: Positions = { lines: new Map(), items: new Map() };
  for (const d of read) {
    for (const [k, v] of d.positions.lines) positions.lines.set(k, v);
    for (const [k, v] of d.positions.items) positions.items.set(k, v);
  }
  const odd = read.find((d) => !isYamlMap(d.value));
  if (odd) return { value: odd.value, positions, problems: [], documents: read };
  try {
    return { value: mergeCompose(...read.map((d) => d.value)), positions, problems: [], documents: read };
  } catch (error) {
    return { value: null, positions, problems: [{ line: read[1]!.line, message: (error as Error).message }] };
  }
}

function readDocument(doc: Document, lineCounter: LineCounter, expansion: Expansion): ParsedCompose {
  const problems = [...doc.errors, ...doc.warnings].map((p) => ({ line: p.linePos?.[0]?.line ?? lineCounter.linePos(p.pos[0]).line, message: p.message.split('\n')[0]! }));
  const positions: Positions = { lines: new Map(), items: new Map() };
  if (problems.length > 0) return { value: null, positions, problems };
  const lineAt = (node: { range?: [number, number, number] | null } | null | undefined) => (node?.range ? lineCounter.linePos(node.range[0]).line : 1);
  const anchors = anchorTargets(doc);
  // A key merged in with `<<` gets the line where it is written (the x- block it comes from),
  // unless the mapping has its own: `onlyNew` walks merged mappings without overwriting.
  const walk = (node: Node | null, path: YamlPath, onlyNew = false) => {
    if (node === null) return;
    if (isAlias(node)) return;
    spend(expansion);
    const setLine = (key: string, line: number) => {
      if (!onlyNew || !positions.lines.has(key)) positions.lines.set(key, line);
    };
    if (isMap(node)) {
      const merged: Node[] = [];
      for (const pair of node.items) {
        if (isMergeKey(pair.key)) {
          merged.push(pair.value as Node);
          continue;
        }
        const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        setLine(pathKey([...path, key]), lineAt(pair.key as Node));
        walk(pair.value as Node | null, [...path, key], onlyNew);
      }
      for (const source of merged) {
        for (const mapping of mergeSources(source, anchors)) {
          if (!mapping || expansion.open.has(mapping)) continue; // toYaml reports the cycle
          expansion.open.add(mapping);
          walk(mapping, path, true);
          expansion.open.delete(mapping);
        }
      }
    } else if (isSeq(node)) {
      if (onlyNew && positions.items.has(pathKey(path))) return;
      const items = node.items.map((item, i) => {
        setLine(pathKey([...path, i]), lineAt(item as Node));
        walk(item as Node | null, [...path, i], onlyNew);
        return { line: lineAt(item as Node), value: () => untag(toYaml(item as Node | null, anchors, newExpansion())) };
      });
      positions.items.set(pathKey(path), items);
    }
  };
  try {
    walk(doc.contents as Node | null, []);
    return { value: toYaml(doc.contents as Node | null, anchors, expansion), positions, problems };
  } catch (error) {
    return { value: null, positions, problems: [{ line: 1, message: (error as Error).message }] };
  }
}

/** The node each alias names. */
type AnchorTargets = ReadonlyMap<Alias, Node | undefined>;

/**
 * Every alias's node, found in one pass as the library's own Alias.resolve finds one: the last
 * node before it with that anchor (an anchor may be defined again). resolve() walks the whole
 * document on each call, and a file of merged aliases made a few hundred thousand of them:
 * `check` took 17 s on a 3 kB file before refusing it.
 */
function anchorTargets(doc: Document): AnchorTargets {
  const latest = new Map<string, Node>();
  const targets = new Map<Alias, Node | undefined>();
  visit(doc, {
    Node(_key, node) {
      if (isAlias(node)) targets.set(node, latest.get(node.source));
      else if (node.anchor) latest.set(node.anchor, node);
    },
  });
  return targets;
}

/**
 * What reading one document may still expand. Aliases are copied where they are used, so a file
 * of nested aliases ("billion laughs") would expand to billions of values; Compose's YAML library
 * refuses such a file ("excessive aliasing"), and so does this reader, past a bound no real
 * compose file comes near. An alias inside the value it names would never end: refused too.
 */
interface Expansion {
  left: number;
  open: Set<Node>;
}

const MAX_VALUES = 200_000;
const newExpansion = (): Expansion => ({ left: MAX_VALUES, open: new Set() });

/** Runs `read` with `node` marked as being expanded; meeting it again inside is a cycle. */
function expanding<T>(expansion: Expansion, node: Node, cycle: string, read: () => T): T {
  if (expansion.open.has(node)) throw new Error(cycle);
  expansion.open.add(node);
  try {
    return read();
  } finally {
    expansion.open.delete(node);
  }
}

function spend(expansion: Expansion): void {
  if (--expansion.left < 0) throw new Error(`its aliases expand to more than ${MAX_VALUES} values, which Compose refuses too ("excessive aliasing"); write the repeated parts out, or use fewer nested aliases`);
}

/** `<<`, plain: YAML 1.1's merge key, which Compose reads (its YAML library does). */
function isMergeKey(key: unknown): boolean {
  return isScalar(key) && key.value === '<<' && key.type === 'PLAIN' && !key.tag;
}

/**
 * A merge key's mappings into `out`, as https://yaml.org/type/merge.html has it and Compose's docs
 * point to: a key the mapping itself has wins, and of a list of mappings the earlier wins. The
 * merge is shallow. Anything but mappings is refused, as Compose refuses it.
 */
function mergeInto(out: { [key: string]: Yaml }, source: Node, anchors: AnchorTargets, expansion: Expansion): void {
  for (const mapping of mergeSources(source, anchors)) {
    const value = mapping ? expanding(expansion, mapping, 'a merge key (<<) names the mapping it is in, so it never ends; Compose refuses it too', () => toYaml(mapping, anchors, expansion)) : null;
    if (!isYamlMap(value)) {
      throw new Error('a merge key (<<) needs a mapping or a list of mappings, as Compose does');
    }
    for (const [key, v] of Object.entries(value)) if (!(key in out)) out[key] = v;
  }
}

/** The mappings a merge key's value names: one, or each of a list, aliases resolved. */
function mergeSources(value: Node, anchors: AnchorTargets): (Node | undefined)[] {
  const resolve = (node: Node) => (isAlias(node) ? anchors.get(node) : node);
  const node = resolve(value);
  return isSeq(node) ? node.items.map((item) => resolve(item as Node)) : [node];
}

function toYaml(node: Node | null, anchors: AnchorTargets, expansion: Expansion, ignoreTag = false): Yaml {
  if (node === null) return null;
  if (isAlias(node)) {
    const target = anchors.get(node) as Node;
    return expanding(expansion, target, `the alias *${node.source} is inside the value it names, so it never ends; Compose refuses it too`, () => toYaml(target, anchors, expansion));
  }
  spend(expansion);
  if (!ignoreTag && node.tag === '!reset') return new Reset();
  if (!ignoreTag && node.tag === '!override') {
    // Compose drops the tag and reads the value as if it had none; a tagged scalar was kept as
    // its source text, so it is resolved here (`!override 5` is the number 5).
    if (isScalar(node)) return new Override(parse(String(node.value)) as Yaml);
    return new Override(toYaml(node, anchors, expansion, true));
  }
  if (isMap(node)) {
    const out: { [key: string]: Yaml } = {};
    const merged: Node[] = [];
    for (const pair of node.items) {
      if (isMergeKey(pair.key)) {
        merged.push(pair.value as Node);
        continue;
      }
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      out[key] = toYaml(pair.value as Node | null, anchors, expansion);
    }
    for (const source of merged) mergeInto(out, source, anchors, expansion);
    return out;
  }
  if (isSeq(node)) return node.items.map((item) => toYaml(item as Node | null, anchors, expansion));
  if (isScalar(node)) return node.value as Yaml;
  throw new Error(`unexpected YAML node ${String(node)}`);
}
