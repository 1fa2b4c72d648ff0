/**
 * The shapes the compose-spec schema gives the attributes `check` reads, tested on each file
 * before anything is merged or checked, as compose-go validates each file against the schema
 * first: `services: {worker: }` (null), `a: 5` or `deploy: "x"` stop Compose with "services.worker
 * must be a mapping", and `check` now says the same (F01) where it used to fail on them. Only
 * the kinds are tested (mapping, sequence, scalar), not every value the schema allows.
 */
import { Override, Reset, type Yaml, type YamlPath } from './compose-yaml.js';

type Kind = 'mapping' | 'sequence' | 'scalar' | 'null';

const map: Kind[] = ['mapping'];
const mapOrNull: Kind[] = ['mapping', 'null'];
const list: Kind[] = ['sequence'];
const listOrMap: Kind[] = ['sequence', 'mapping'];
const scalar: Kind[] = ['scalar'];
const scalarOrNull: Kind[] = ['scalar', 'null'];
const scalarOrList: Kind[] = ['scalar', 'sequence'];
const scalarOrMap: Kind[] = ['scalar', 'mapping'];

/**
 * Path patterns (`*` any key, `[]` any list item) and the kinds allowed there. A value of
 * another kind is what Compose refuses; a path not listed is not tested.
 */
const shapes: [string, Kind[]][] = [
  ['services', mapOrNull],
  ['services.*', map],
  ['services.*.build', scalarOrMap],
  ['services.*.build.args', listOrMap],
  ['services.*.cap_add', list],
  ['services.*.cap_add.[]', scalar],
  ['services.*.cap_drop', list],
  ['services.*.cap_drop.[]', scalar],
  ['services.*.security_opt', list],
  ['services.*.security_opt.[]', scalar],
  ['services.*.deploy', mapOrNull],
  ['services.*.deploy.resources', mapOrNull],
  ['services.*.deploy.resources.limits', mapOrNull],
  ['services.*.deploy.resources.limits.cpus', scalarOrNull],
  ['services.*.deploy.resources.limits.memory', scalarOrNull],
  ['services.*.deploy.resources.limits.pids', scalarOrNull],
  ['services.*.deploy.labels', listOrMap],
  ['services.*.depends_on', listOrMap],
  ['services.*.depends_on.*', map],
  ['services.*.depends_on.[]', scalar],
  ['services.*.devices', list],
  ['services.*.dns', scalarOrList],
  ['services.*.env_file', scalarOrList],
  ['services.*.env_file.[]', scalarOrMap],
  ['services.*.environment', listOrMap],
  ['services.*.environment.*', scalarOrNull],
  ['services.*.environment.[]', scalar],
  ['services.*.extends', scalarOrMap],
  ['services.*.healthcheck', mapOrNull],
  ['services.*.healthcheck.test', scalarOrList],
  ['services.*.healthcheck.disable', scalar],
  ['services.*.labels', listOrMap],
  ['services.*.logging', mapOrNull],
  ['services.*.networks', listOrMap],
  ['services.*.networks.*', mapOrNull],
  ['services.*.networks.[]', scalar],
  ['services.*.ports', list],
  ['services.*.ports.[]', scalarOrMap],
  ['services.*.secrets', list],
  ['services.*.secrets.[]', scalarOrMap],
  ['services.*.configs', list],
  ['services.*.configs.[]', scalarOrMap],
  ['services.*.tmpfs', scalarOrList],
  ['services.*.tmpfs.[]', scalar],
  ['services.*.volumes', list],
  ['services.*.volumes.[]', scalarOrMap],
  ['services.*.sysctls', listOrMap],
  ['services.*.extra_hosts', listOrMap],
  ['services.*.annotations', listOrMap],
  ...['image', 'user', 'restart', 'network_mode', 'pid', 'ipc', 'uts', 'userns_mode', 'cgroup', 'read_only', 'privileged', 'init', 'mem_limit', 'memswap_limit', 'cpus', 'pids_limit'].map(
    (key): [string, Kind[]] => [`services.*.${key}`, scalarOrNull],
  ),
  ...['networks', 'volumes', 'configs'].flatMap((top): [string, Kind[]][] => [
    [top, mapOrNull],
    [`${top}.*`, mapOrNull],
    [`${top}.*.labels`, listOrMap],
  ]),
  ['secrets', mapOrNull],
  ['secrets.*', map],
  ['include', list],
  ['include.[]', scalarOrMap],
];

const kindOf = (value: Yaml): Kind => {
  if (value === null || value instanceof Reset) return 'null';
  if (value instanceof Override) return kindOf(value.value);
  if (Array.isArray(value)) return 'sequence';
  return typeof value === 'object' ? 'mapping' : 'scalar';
};

const kindName: Record<Kind, string> = { mapping: 'a mapping', sequence: 'a list', scalar: 'a string, number or boolean', null: 'empty' };

/** Every pattern, split once. */
const compiled = shapes.map(([pattern, kinds]) => ({ pattern, parts: pattern.split('.'), kinds }));
const strict = new Set(['services.*']);
const matches = (parts: string[], path: YamlPath) =>
  parts.length === path.length && parts.every((p, i) => (p === '[]' ? typeof path[i] === 'number' : typeof path[i] === 'string' && (p === '*' || p === path[i])));
/** Whether any pattern reaches below `path` (so its children need looking at). */
const prefixes = new Set(compiled.flatMap(({ parts }) => parts.slice(0, -1).map((_, i) => parts.slice(0, i + 1).join('.'))));
const reaches = (path: YamlPath) => {
  // Every generalisation of the path (each segment as itself or as `*`/`[]`) is a candidate prefix.
  let candidates = [''];
  for (const segment of path) {
    const next = typeof segment === 'number' ? ['[]'] : [segment, '*'];
    candidates = candidates.flatMap((c) => next.map((n) => (c === '' ? n : `${c}.${n}`))).filter((c) => prefixes.has(c));
    if (candidates.length === 0) return false;
  }
  return true;
};

export interface ShapeProblem {
  path: YamlPath;
  message: string;
}

/** The first attribute of a compose file whose kind Compose would refuse, or null. */
export function composeShapeProblem(value: Yaml): ShapeProblem | null {
  const visit = (node: Yaml, path: YamlPath): ShapeProblem | null => {
    // `!reset` removes what the files before said: no value to test.
    if (node instanceof Reset) return null;
    if (path.length > 0) {
      const rule = compiled.find(({ parts }) => matches(parts, path));
      const kind = kindOf(node);
      // Empty (null) is taken as absent, except for a service, which Compose refuses empty.
      if (rule && !rule.kinds.includes(kind) && !(kind === 'null' && !strict.has(rule.pattern))) {
        const want = rule.kinds.filter((k) => k !== 'null').map((k) => kindName[k]);
        const got = kind === 'scalar' ? `the ${typeof (node instanceof Override ? node.value : node)} ${JSON.stringify(node instanceof Override ? node.value : node)}` : kindName[kind];
        return { path, message: `${path.map((p) => (typeof p === 'number' ? `[${p}]` : p)).join('.').replace(/\.\[/g, '[')} must be ${want.join(' or ')}, not ${got}` };
      }
    }
    if (path.length > 0 && !reaches(path)) return null;
    const inner = node instanceof Override ? node.value : node;
    if (Array.isArray(inner)) {
      for (const [i, item] of inner.entries()) {
        const problem = visit(item, [...path, i]);
        if (problem) return problem;
      }
    } else if (inner !== null && typeof inner === 'object' && !(inner instanceof Reset)) {
      for (const [k, v] of Object.entries(inner)) {
        const problem = visit(v, [...path, k]);
        if (problem) return problem;
      }
    }
    return null;
  };
  return visit(value, []);
}
