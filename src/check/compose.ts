/**
 * Compose files in a directory: each base file (`compose.yaml`, `docker-compose.yml`, …) is checked
 * on its own, and each other `compose*.y(a)ml` next to it is merged onto it the way
 * `docker compose -f base -f override` merges them and checked as that model. A finding points at
 * the file and line that caused it: the override when the override set (or `!reset`) the value.
 */
import { posix } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { finding, uniqueFindings, type Finding } from './findings.js';
import { ExtendsErrors, includePaths, isOutsideFolder, originKey, resolveExtends, type ComposeLoader, type ExtendsOrigin, type ExtendsTrace } from './compose-extends.js';
import { mergeCompose, servicesOf } from './compose-merge.js';
import { composeShapeProblem } from './compose-shape.js';
import { composeModelViolations, type ModelOptions, type Violation } from './compose-rules.js';
import { isYamlMap, pathKey, readCompose, untag, type Mapping, type ParsedCompose, type Positions, type Yaml, type YamlPath } from './compose-yaml.js';

const composeName = /^(docker-)?compose.*\.ya?ml$/;
const baseName = /^(docker-)?compose\.ya?ml$/;
/** Overrides meant for development, where read-only source bind mounts are allowed (C10). */
const developmentOverride = /\.(override|dev|development|local)\.ya?ml$/;

export const isComposeFile = (name: string) => composeName.test(name);

export interface ComposeFile {
  path: string;
  text: string;
}

export interface ComposeIdentity {
  service: string;
  user: string | null;
  file: string;
  line: number;
}

export interface ComposeResult {
  findings: Finding[];
  /** The user of every service built from a Dockerfile here, for C11 across files. */
  built: ComposeIdentity[];
  /** Every file checked: those given, those their `include`s brought in, and those `extends` read. */
  checked: string[];
}

const dirOf = (path: string) => (path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '');
const nameOf = (path: string) => path.slice(path.lastIndexOf('/') + 1);

/**
 * Checks every compose file given; files are grouped by folder into a base and its overrides. A
 * file a compose file `include`s is a project of its own to Compose, and is checked on its own.
 */
export async function checkComposeFiles(files: ComposeFile[], readFile: (path: string) => string | undefined = () => undefined): Promise<ComposeResult> {
  const out: ComposeResult = { findings: [], built: [], checked: [] };
  /** Each finding of an override merged onto its base, and the same finding without "(with …)". */
  const merged = new Map<Finding, Finding>();
  const { parsed, extra, included, trace } = await readComposeFiles(files, readFile, out.findings);
  out.checked = [...new Set([...[...files, ...extra].map((f) => f.path), ...trace.positions.keys()])];
  const byDir = new Map<string, ComposeFile[]>();
  for (const f of [...files, ...extra]) {
    const group = included.has(f.path) ? `${f.path}\0included` : dirOf(f.path);
    byDir.set(group, [...(byDir.get(group) ?? []), f]);
  }
  for (const group of byDir.values()) {
    const baseViolations = new Map<string, Set<string>>();
    const ok = (f: ComposeFile) => parsed.get(f.path)!.problems.length === 0;
    const bases = group.filter((f) => baseName.test(nameOf(f.path)) || included.has(f.path));
    for (const f of group) {
      if (!ok(f)) continue;
      const isBase = bases.includes(f);
      const base = isBase ? undefined : baseFor(f, bases);
      if (base && !ok(base)) continue;
      const allowBindMounts = !isBase && developmentOverride.test(nameOf(f.path));
      const sources = base ? [base, f] : [f];
      let model: Mapping;
      try {
        model = mergeCompose(...sources.flatMap((s) => layersOf(parsed.get(s.path)!)));
      } catch (error) {
        out.findings.push(finding('F01', f.path, 1, `cannot be merged onto ${base?.path ?? 'nothing'}: ${(error as Error).message}`));
        continue;
      }
      const options = { allowBindMounts };
      let violations = composeModelViolations(model, options);
      if (base) {
        // What the base alone already breaks is reported once, on the base.
        if (!baseViolations.has(base.path)) baseViolations.set(base.path, new Set(composeModelViolations(mergeCompose(...layersOf(parsed.get(base.path)!)), { allowBindMounts: false }).map(key)));
        const own = baseViolations.get(base.path)!;
        violations = violations.filter((v) => !own.has(key(v)));
      }
      const located = sources.map((s) => ({ path: s.path, positions: parsed.get(s.path)!.positions }));
      const alone = extendedViolations(model, options);
      const report = (rule: string, file: string, line: number, text: string, fix?: string) => {
        const found = finding(rule, file, line, base ? `${text} (with ${base.path})` : text, fix);
        if (base) merged.set(found, finding(rule, file, line, text, fix));
        out.findings.push(found);
      };
      // A service built on an override's fragment lacks what the base file sets: one finding, on
      // the extends line to change, in place of one per setting it lacks on the fragment's lines.
      const fragments = fragmentExtends(model, located, trace);
      const lacking = new Map<string, Violation[]>();
      for (const v of violations) {
        const at = inheritedAt(v, located, trace, alone);
        const fragment = typeof v.path[1] === 'string' && v.path[0] === 'services' ? fragments.get(v.path[1]) : undefined;
        if (fragment && (fragment.refused || at !== null)) {
          lacking.set(fragment.service, [...(lacking.get(fragment.service) ?? []), v]);
          continue;
        }
        const where = at ?? { ...locate(located, v), where: v.where };
        report(v.rule, where.file, where.line, `${where.where}: ${v.what}`, v.fix);
      }
      for (const f of fragments.values()) {
        const full = `${f.origin.fragmentOf}'s ${f.origin.service}`;
        const fix = `Extend the full service, extends: ${f.fix}, and set on ${f.service} what it needs from ${f.origin.file}`;
        const why = `${f.origin.file} is an override of ${f.origin.fragmentOf}, and extends reads it alone: its ${f.origin.service} is only what it adds to ${full}`;
        if (f.refused) {
          report('F01', f.file, f.line, `services.${f.name}.extends: ${why}, so "${f.service}" has neither an image nor a build context and Compose refuses the project; write extends: ${f.fix}`, fix);
        } else {
          const rules = [...new Set((lacking.get(f.service) ?? []).map((v) => v.rule))];
          if (rules[0] !== undefined) report(rules[0], f.file, f.line, `${f.service}: ${why}, so ${f.service} has none of ${full}'s settings and breaks ${rules.join(', ')}; write extends: ${f.fix}`, fix);
        }
      }
      if (isBase || !base) {
        for (const [service, s] of servicesOf(model)) {
          if (s.build === undefined) continue;
          const where = locate([{ path: f.path, positions: parsed.get(f.path)!.positions }], { path: ['services', service, 'user'] } as Violation);
          out.built.push({ service, user: s.user === undefined ? null : String(s.user), file: where.file, line: where.line });
        }
      }
    }
  }
  // A base service and the services extending it can lead to the same finding on the same line,
  // and an override's service extending the base's (`file: compose.yaml`) to what the base alone
  // already reported there: that one is reported once, without "(with …)".
  const alone = new Set(out.findings.filter((f) => !merged.has(f)).map(findingKey));
  out.findings = uniqueFindings(out.findings.filter((f) => {
    const plain = merged.get(f);
    return !plain || !alone.has(findingKey(plain));
  }));
  return out;
}

/**
 * Every file parsed (F01 for one that does not parse), its `extends` resolved, and the files its
 * `include` names read and parsed in turn.
 */
async function readComposeFiles(files: ComposeFile[], readFile: (path: string) => string | undefined, findings: Finding[]) {
  const load: ComposeLoader = async (path) => {
    const text = readFile(path);
    return text === undefined ? null : readCompose(text);
  };
  const parsed = new Map<string, ParsedCompose>();
  const trace: ExtendsTrace = { origins: new Map(), positions: new Map() };
  /** Files read because an include names them, and the paths of every included file. */
  const extra: ComposeFile[] = [];
  const included = new Set<string>();
  const queue = [...files];
  for (let f = queue.shift(); f; f = queue.shift()) {
    const p = await readCompose(f.text);
    parsed.set(f.path, p);
    // The first error only: YAML parsers cascade one mistake into many.
    const problem = p.problems[0];
    // A stack overflow (thousands of nested brackets or indents) is no syntax error: say what it is.
    const message = problem && /Maximum call stack size exceeded/.test(problem.message) ? 'nested deeper than this tool reads; flatten the nesting' : problem?.message;
    if (problem) findings.push(finding('F01', f.path, problem.line, `does not parse as YAML: ${message}`));
    if (p.problems.length > 0) continue;
    // A file of several documents: Compose merges them in order, as it merges `-f` files, and
    // reads each one (extends, include) as a file of its own first.
    const documents = p.documents ?? [{ value: p.value, positions: p.positions, line: 1 }];
    for (const d of documents) {
      const where = p.documents ? ` (the document at line ${d.line})` : '';
      if (d.value === null || typeof d.value !== 'object' || Array.isArray(d.value)) {
        findings.push(finding('F01', f.path, d.line, `a compose file must be a mapping${where}`));
        p.problems.push({ line: d.line, message: 'not a mapping' });
        break;
      }
      const shape = composeShapeProblem(d.value);
      if (shape) {
        const line = d.positions.lines.get(pathKey(shape.path)) ?? d.line;
        findings.push(finding('F01', f.path, line, `${shape.message}; Compose refuses the file`));
        p.problems.push({ line, message: shape.message });
        break;
      }
      try {
        d.value = await resolveExtends(d.value as { [key: string]: Yaml }, f.path, load, trace);
      } catch (error) {
        if (!(error instanceof ExtendsErrors)) throw error;
        // Each service whose extends line is the one to fix, on that line.
        for (const e of error.errors) {
          const line = d.positions.lines.get(pathKey(['services', e.service, 'extends'])) ?? d.line;
          const missing = e.file === f.path && e.missing !== undefined ? e.missing : null;
          const elsewhere = missing === null ? null : await definedElsewhere(missing, f, d.value, included.has(f.path) ? [] : files, readFile);
          const message = elsewhere ? `services.${e.service}.extends: no service "${missing}" in ${f.path} (Compose: service "${missing}" not found); ${elsewhere}` : e.message;
          findings.push(finding('F01', f.path, line, `cannot resolve extends: ${message}`));
        }
        p.problems.push({ line: d.line, message: 'extends' });
        break;
      }
      for (const { path, index } of includePaths(d.value, f.path)) {
        const line = d.positions.lines.get(pathKey(['include', index])) ?? d.line;
        if (included.has(path)) continue;
        included.add(path);
        if (parsed.has(path) || queue.some((q) => q.path === path)) continue;
        const outside = isOutsideFolder(path);
        const text = outside ? undefined : readFile(path);
        if (text === undefined) {
          findings.push(finding('F01', f.path, line, outside ? `include: ${path} is outside the checked folder; check the folder that holds both files` : `include: cannot read ${path}; Compose would stop here`));
          continue;
        }
        const file = { path, text };
        extra.push(file);
        queue.push(file);
      }
    }
    if (!p.documents) p.value = documents[0]!.value;
  }
  return { parsed, extra, included, trace };
}

/**
 * The base a file is merged onto, among the base files of its group: the one whose name shares its
 * `docker-` prefix (docker-compose.prod.yml onto docker-compose.yml), else the first.
 */
const baseFor = (f: ComposeFile, bases: ComposeFile[]) => bases.find((b) => nameOf(b.path).startsWith('docker-') === nameOf(f.path).startsWith('docker-')) ?? bases[0];

/**
 * Why Compose cannot see `service` from `file`, and the `extends` that would reach it, when the base
 * the file is merged onto (among `files`: none for an included file, a project of its own) or a
 * file it includes defines it; null when none does. Compose resolves an `extends` without `file:`
 * in the file that holds it alone, before merging that file onto those before it and before
 * reading its `include`s.
 */
async function definedElsewhere(service: string, file: ComposeFile, value: Yaml, files: ComposeFile[], readFile: (path: string) => string | undefined): Promise<string | null> {
  const defines = async (text: string | undefined) => {
    const p = text === undefined ? null : await readCompose(text);
    return !!p && p.problems.length === 0 && layersOf(p).some((v) => isYamlMap(v) && isYamlMap(v.services) && service in v.services);
  };
  const from = (path: string) => posix.relative(dirOf(file.path) || '.', path);
  if (!baseName.test(nameOf(file.path))) {
    const base = baseFor(file, files.filter((b) => dirOf(b.path) === dirOf(file.path) && baseName.test(nameOf(b.path))));
    if (base && (await defines(base.text))) {
      return `Compose resolves extends in each file before merging it onto ${base.path}, which defines "${service}": write extends: {service: ${service}, file: ${from(base.path)}}`;
    }
  }
  for (const { path } of includePaths(value, file.path)) {
    if (!isOutsideFolder(path) && (await defines(readFile(path)))) {
      return `Compose resolves extends before it reads include, and ${path} defines "${service}": write extends: {service: ${service}, file: ${from(path)}}`;
    }
  }
  return null;
}

/** What Compose merges for a file: its documents in order (most files have one). */
const layersOf = (p: ParsedCompose): Yaml[] => p.documents?.map((d) => d.value) ?? [p.value];

const findingKey = (f: Finding) => `${f.file}\0${f.line}\0${f.rule}\0${f.message}`;

const key = (v: Violation) => `${v.rule}\0${v.where}\0${v.what}`;

/** The line where a file sets the value a violation is about: the offending item, or the key itself. */
function ownLine(positions: Positions, path: YamlPath, item: Violation['item']): number | undefined {
  if (item !== undefined) {
    const hit = [path, path.slice(0, -1)].map((p) => positions.items.get(pathKey(p))?.find((i) => isDeepStrictEqual(i.value(), item))).find((x) => x !== undefined);
    if (hit) return hit.line;
    // The list is there, without this item: the item came from elsewhere.
    if (positions.items.has(pathKey(path))) return undefined;
  }
  // A path of the service itself (`services.web`) is about what it lacks, which no line sets.
  return path.length > 2 ? positions.lines.get(pathKey(path)) : undefined;
}

/**
 * The violations of an extending service's base alone, once each. The base is judged in the model
 * being checked, under the extending service's name: the question is only whether the settings it
 * brings break a rule by themselves, not how its own file would be checked.
 */
function extendedViolations(model: Mapping, options: ModelOptions): (service: string, origin: ExtendsOrigin) => Violation[] {
  const seen = new Map<ExtendsOrigin, Map<string, Violation[]>>();
  return (service, origin) => {
    const byService = seen.get(origin) ?? new Map<string, Violation[]>();
    seen.set(origin, byService);
    let found = byService.get(service);
    if (!found) {
      found = composeModelViolations({ ...model, services: { [service]: untag(origin.base) } }, options);
      byService.set(service, found);
    }
    return found;
  };
}

/**
 * Where a violation of a service that `extends` another belongs, when the service does not set the
 * offending value itself: on the base (down the chain, in whichever file) when the base alone
 * already breaks the rule the same way, so a base shared by many services is reported once, at the
 * line to fix; on the `extends` line when only the merge of base and service breaks it. Null for a
 * violation the service's own settings cause (or one of a service without extends).
 */
function inheritedAt(v: Violation, sources: { path: string; positions: Positions }[], trace: ExtendsTrace, alone: (service: string, origin: ExtendsOrigin) => Violation[]): { file: string; line: number; where: string } | null {
  const service = v.path[1];
  if (v.path[0] !== 'services' || typeof service !== 'string' || v.where !== service) return null;
  const top = [...sources].reverse().find((s) => trace.origins.has(originKey(s.path, service)));
  if (!top || sources.some((s) => ownLine(s.positions, v.path, v.item) !== undefined)) return null;
  const rest = v.path.slice(2);
  const sameIn = (origin: ExtendsOrigin) => alone(service, origin).some((b) => key(b) === key(v) && pathKey(b.path) === pathKey(v.path) && isDeepStrictEqual(b.item, v.item));
  let level = { file: top.path, positions: top.positions, name: service };
  for (;;) {
    const origin = trace.origins.get(originKey(level.file, level.name));
    if (!origin) return { ...locate([{ path: level.file, positions: level.positions }], { path: ['services', level.name, ...rest], item: v.item }), where: level.name };
    if (!sameIn(origin)) return { file: level.file, line: level.positions.lines.get(pathKey(['services', level.name, 'extends'])) ?? 1, where: level.name };
    const positions = origin.file === level.file ? level.positions : trace.positions.get(origin.file);
    if (!positions) return null;
    level = { file: origin.file, positions, name: origin.service };
    const line = ownLine(positions, ['services', level.name, ...rest], v.item);
    if (line !== undefined) return { file: level.file, line, where: level.name };
  }
}

interface FragmentExtends {
  /** The service of the checked model, and the file, line and service of the extends naming the fragment. */
  service: string;
  file: string;
  line: number;
  name: string;
  origin: ExtendsOrigin & { fragmentOf: string };
  /** The extends that reaches the full service, as written in `file`. */
  fix: string;
  /** Compose refuses the project: the service has neither an image nor a build. */
  refused: boolean;
}

/**
 * The services of a model whose extends chain (from the last file that extends them, down) reads a
 * service from an override file that its base file defines too (compose.override.yaml's svc):
 * Compose's extends takes that override's part alone, without the base's settings.
 */
function fragmentExtends(model: Mapping, sources: { path: string; positions: Positions }[], trace: ExtendsTrace): Map<string, FragmentExtends> {
  const out = new Map<string, FragmentExtends>();
  for (const [service, s] of servicesOf(model)) {
    const top = [...sources].reverse().find((x) => trace.origins.has(originKey(x.path, service)));
    let level = top && { file: top.path, positions: top.positions, name: service };
    while (level) {
      const origin = trace.origins.get(originKey(level.file, level.name));
      if (!origin) break;
      const { fragmentOf } = origin;
      if (fragmentOf !== undefined) {
        const fix = fragmentOf === level.file ? origin.service : `{service: ${origin.service}, file: ${posix.relative(dirOf(level.file) || '.', fragmentOf)}}`;
        const line = level.positions.lines.get(pathKey(['services', level.name, 'extends'])) ?? 1;
        const refused = (s.image === undefined || s.image === null || s.image === '') && (s.build === undefined || s.build === null);
        out.set(service, { service, file: level.file, line, name: level.name, origin: { ...origin, fragmentOf }, fix, refused });
        break;
      }
      const positions = origin.file === level.file ? level.positions : trace.positions.get(origin.file);
      level = positions && { file: origin.file, positions, name: origin.service };
    }
  }
  return out;
}

/**
 * The file and line a violation comes from: the file that says the most about its path (the
 * offending list item itself counts most), the later file when two say as much.
 */
function locate(files: { path: string; positions: ParsedCompose['positions'] }[], v: Pick<Violation, 'path' | 'item'>): { file: string; line: number } {
  let best = { file: files[0]!.path, line: 1, depth: -1 };
  for (const f of [...files].reverse()) {
    let depth = 0;
    let line = 1;
    if (v.item !== undefined) {
      // The item sits in the list at the path, or (list form of a map: `depends_on: [db]`) in its parent.
      const hit = [v.path, v.path.slice(0, -1)].map((p) => f.positions.items.get(pathKey(p))?.find((i) => isDeepStrictEqual(i.value(), v.item))).find((x) => x !== undefined);
      if (hit) {
        depth = v.path.length + 1;
        line = hit.line;
      }
    }
    for (let k = v.path.length; k > 0 && depth === 0; k--) {
      const found = f.positions.lines.get(pathKey(v.path.slice(0, k) as YamlPath));
      if (found !== undefined) {
        depth = k;
        line = found;
      }
    }
    if (depth > best.depth) best = { file: f.path, line, depth };
  }
  return { file: best.file, line: best.line };
}
