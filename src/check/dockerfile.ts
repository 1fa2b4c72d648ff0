/**
 * Dockerfile rules D01-D16, read from the instructions as Docker parses them
 * (`dockerfile-parse.ts`): instructions, their flags, properties and arguments, with their lines.
 * Shell commands inside RUN are text to Docker too; `dockerfile-run.ts` reads those.
 */
import { knownKeywords, parseInstructions, type Instruction, type Property } from './dockerfile-parse.js';
import { appendAll, finding, type Finding } from './findings.js';
import { hasNoShell, imageName, isFullSizeImage, isToolchainImage, parseImageRef, pinProblem } from './images.js';
import { runFindings, shellTextOf, splitShell } from './dockerfile-run.js';

export interface Stage {
  /** The `AS` name, as written. */
  name: string | null;
  /** The image after substituting the global ARG defaults. */
  image: string;
  /**
   * Every image the FROM can name, `image` first: a `${X:+word}` or `${X:-word}` of an ARG
   * declared before the first FROM takes either branch, as a --build-arg sets X or leaves it.
   */
  images: string[];
  /** For each of `images`, the --build-arg that picks it (empty for the first). */
  buildArgs: string[];
  index: number;
  line: number;
  instructions: Instruction[];
}

export interface ParsedDockerfile {
  stages: Stage[];
  /** Syntax problems (unknown instruction, nothing before FROM but ARG, no FROM). */
  problems: { line: number; message: string }[];
  /** The ARGs declared before the first FROM: the only ones a FROM reads. */
  globalArgNames: ReadonlySet<string>;
}

/** What the generator promised, for its own output: the port and the identity. */
export interface DockerfileExpectations {
  port: number;
  uid: number;
  gid: number;
}

const flagsOf = (i: Instruction): Map<string, string | null> => new Map(i.flags.map((f) => [f.name, f.value]));

export function parseDockerfile(text: string): ParsedDockerfile {
  const instructions = parseInstructions(text);
  // BuildKit sets the platform ARGs in the global scope before any ARG is read, from --platform:
  // set, but to a value a check of the file cannot know. Each stands for itself, so `$TARGETOS`
  // stays `${TARGETOS}`, `${TARGETOS:-linux}` is not `linux` and `${TARGETOS:+-x}` is `-x`; an
  // `ARG TARGETOS=linux` before the first FROM replaces it, and a bare `ARG TARGETOS` does not.
  const globalArgs = new Map<string, string>(platformArgNames.map((n) => [n, `\${${n}}`]));
  /** The ARGs declared before the first FROM, in order, defaults as written: a --build-arg may set each. */
  const scope: ArgScope = { decls: [], byName: new Map() };
  const stages: Stage[] = [];
  const problems: ParsedDockerfile['problems'] = [];
  for (const instruction of instructions) {
    const { keyword, line } = instruction;
    if (!knownKeywords.has(keyword)) problems.push({ line, message: `unknown instruction ${keyword}` });
    if (keyword === 'FROM') {
      const [ref = '', as, name] = instruction.args.split(/\s+/);
      const image = expandArgs(ref, globalArgs);
      if (!ref) problems.push({ line, message: 'FROM names no image' });
      const choices = [{ image, buildArgs: '' }, ...argChoices(ref, scope).filter((c) => c.image !== image)];
      stages.push({ name: as?.toUpperCase() === 'AS' ? (name ?? null) : null, image, images: choices.map((c) => c.image), buildArgs: choices.map((c) => c.buildArgs), index: stages.length, line, instructions: [] });
    } else if (stages.length === 0) {
      // An ARG without a default stays unset: the image then depends on a --build-arg (D01).
      if (keyword === 'ARG') {
        // A default may name an earlier ARG (`ARG IMG=alpine:${VERSION}`).
        for (const p of instruction.properties) {
          const at = scope.byName.get(p.name);
          if (at) at.push(scope.decls.length);
          else scope.byName.set(p.name, [scope.decls.length]);
          scope.decls.push(p);
          if (p.value !== null) globalArgs.set(p.name, expandArgs(p.value, globalArgs));
        }
      } else {
        problems.push({ line, message: `${keyword} before the first FROM (only ARG may come first)` });
      }
    } else {
      stages.at(-1)!.instructions.push(instruction);
    }
  }
  if (stages.length === 0) problems.push({ line: 1, message: 'no FROM instruction' });
  return { stages, problems, globalArgNames: new Set(scope.byName.keys()) };
}

/**
 * `$X`, `${X}`, `${X:-word}`, `${X-word}`, `${X:+word}` and `${X+word}` replaced by the ARG values
 * known, as BuildKit's shell lexer replaces them in FROM; a variable with no value and no default
 * stays `${X}` (the image then depends on a --build-arg).
 */
export function expandArgs(text: string, vars: Map<string, string>, nesting = 0): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '\\' && text[i + 1] === '$') {
      out += '$';
      i += 2;
      continue;
    }
    if (c !== '$') {
      out += c;
      i++;
      continue;
    }
    const plain = /^\$(\w+)/.exec(text.slice(i));
    if (plain) {
      const name = plain[1]!;
      out += vars.get(name) ?? `\${${name}}`;
      i += plain[0].length;
      continue;
    }
    const braced = /^\$\{(\w+)(:?[-+?])?/.exec(text.slice(i));
    if (!braced) {
      out += c;
      i++;
      continue;
    }
    // The word runs to the matching }, nested ${…} included.
    let depth = 1;
    let j = i + braced[0].length;
    const wordStart = j;
    for (; j < text.length && depth > 0; j++) {
      if (text[j] === '{' && text[j - 1] === '$') depth++;
      else if (text[j] === '}') depth--;
    }
    const word = text.slice(wordStart, depth === 0 ? j - 1 : j);
    const [name, op] = [braced[1]!, braced[2]];
    const value = vars.get(name);
    const set = op?.startsWith(':') ? value !== undefined && value !== '' : value !== undefined;
    // Words nested deeper than any real FROM nests them (a hostile file nests thousands, past the
    // call stack) are not followed: the image is then one a --build-arg decides, left unpinned.
    if ((op === ':-' || op === '-' || op === ':+' || op === '+') && nesting >= maxNesting) out += tooDeep;
    else if (op === ':-' || op === '-') out += set ? value! : expandArgs(word, vars, nesting + 1);
    else if (op === ':+' || op === '+') out += set ? expandArgs(word, vars, nesting + 1) : '';
    else out += set || (op === undefined && value !== undefined) ? value! : `\${${name}}`;
    i = j;
  }
  return out;
}

/** How deep expandArgs follows `${X:-${Y:+…}}`. */
const maxNesting = 32;

/**
 * What expandArgs writes for a word nested past maxNesting: a noncharacter no Dockerfile holds,
 * carried through the ARG defaults that paste it, so D01 can say the reference was too deep to
 * judge rather than name an ARG as unset.
 */
const tooDeep = '\uFFFF';

/** Past this many ARGs of one FROM, the others are read as the build without --build-arg gives them. */
const maxChoiceArgs = 4;

/** The ARGs declared before the first FROM, in order, and where each name is declared. */
export interface ArgScope {
  decls: Property[];
  byName: Map<string, number[]>;
}

/** Past this many declarations of the ARGs a FROM reads, directly or through defaults, only the build without --build-arg is followed. */
const maxChoiceReach = 256;

/**
 * Every text `text` can expand to as --build-arg sets the ARGs declared before the first FROM
 * that it reads through `${X:+word}` or `${X:-word}` (and `${X+word}`, `${X-word}`;
 * docs.docker.com, "Environment replacement"), in the FROM itself or in the default of an ARG it
 * reads (`ARG RT=rt${DEBUG:+-debug}` then `FROM ${RT}`): each left as declared, made empty (X=)
 * or given a value of its own, one value per ARG however often it is read. A value of its own
 * stays `${X}` where X is read itself: it can name any image, not only a stage. BuildKit expands
 * each default when its ARG is declared, with the --build-args given (buildMetaArgs in
 * dockerfile2llb), so the declarations are replayed for each choice, not the defaults of the
 * build without --build-arg reused. The platform ARGs, which BuildKit always sets, expand as
 * expandArgs expands them. Empty when no build arg can change the text.
 */
export function argChoices(text: string, scope: ArgScope): { image: string; buildArgs: string }[] {
  // What the text reads, and what the defaults of what it reads read, in turn: the declarations
  // that make its value, oldest first.
  const reached = new Set<string>();
  const chosen = new Set<string>();
  const at: number[] = [];
  const pending = [text];
  while (pending.length > 0) {
    for (const m of pending.pop()!.matchAll(/\$(?:\{(\w+)(:?[-+])?|(\w+))/g)) {
      const name = (m[1] ?? m[3])!;
      const declaredAt = scope.byName.get(name);
      if (m[2] && declaredAt && !platformArgs.test(name)) chosen.add(name);
      if (reached.has(name) || !declaredAt) continue;
      reached.add(name);
      if (at.length + declaredAt.length > maxChoiceReach) return [];
      at.push(...declaredAt);
      for (const n of declaredAt) if (scope.decls[n]!.value !== null) pending.push(scope.decls[n]!.value!);
    }
  }
  const names = [...chosen].slice(0, maxChoiceArgs);
  if (names.length === 0) return [];
  const replayed = at.sort((a, b) => a - b).map((n) => scope.decls[n]!);
  let settings = [{ values: new Map<string, string>(), buildArgs: [] as string[] }];
  for (const name of names) {
    settings = settings.flatMap((v) => [v, { values: new Map(v.values).set(name, ''), buildArgs: [...v.buildArgs, `${name}=`] }, { values: new Map(v.values).set(name, `\${${name}}`), buildArgs: [...v.buildArgs, `${name}=<value>`] }]);
  }
  const out = new Map<string, string>();
  for (const v of settings) {
    const vars = new Map<string, string>(platformArgNames.map((n) => [n, `\${${n}}`]));
    // A --build-arg replaces the ARG's value at each of its declarations, default or not.
    for (const p of replayed) {
      const given = v.values.get(p.name);
      if (given !== undefined) vars.set(p.name, given);
      else if (p.value !== null) vars.set(p.name, expandArgs(p.value, vars));
    }
    const image = expandArgs(text, vars);
    if (!out.has(image)) out.set(image, v.buildArgs.map((a) => `--build-arg ${a}`).join(' '));
  }
  return [...out].map(([image, buildArgs]) => ({ image, buildArgs }));
}

export function isExecForm(text: string): boolean {
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) && parsed.length > 0 && parsed.every((x) => typeof x === 'string');
  } catch {
    return false;
  }
}

/** The ARGs BuildKit sets in the global scope from --platform and the builder's own platform. */
const platformArgNames = ['TARGETPLATFORM', 'TARGETOS', 'TARGETARCH', 'TARGETVARIANT', 'BUILDPLATFORM', 'BUILDOS', 'BUILDARCH', 'BUILDVARIANT'];
const platformArgs = /^(TARGET|BUILD)(PLATFORM|OS|ARCH|VARIANT)$/;

/** Each stage name's first stage, lower-cased, per parsed file: a scan per lookup made 200 000 FROMs take minutes. */
const stageIndexes = new WeakMap<Stage[], Map<string, number>>();

function stageNamed(stages: Stage[], name: string, before: number): Stage | undefined {
  let index = stageIndexes.get(stages);
  if (!index) {
    index = new Map();
    for (const [n, s] of stages.entries()) if (s.name !== null && !index.has(s.name.toLowerCase())) index.set(s.name.toLowerCase(), n);
    stageIndexes.set(stages, index);
  }
  const at = index.get(name.toLowerCase());
  return at !== undefined && at < before ? stages[at] : undefined;
}

/**
 * The earlier stages a FROM may name. `FROM alpine-$TARGETARCH` after `FROM alpine:3.20 AS
 * alpine-amd64` and `… AS alpine-arm64` (moby/buildkit's own Dockerfile does this) is one of
 * them, picked by the platform of each build: every stage whose name the platform ARGs can
 * spell is a candidate. A variant is often empty (linux/amd64 has none). Other ARGs without a
 * default are left out: a --build-arg can name any image, not only a stage.
 */
export function parentStages(stages: Stage[], stage: Stage): Stage[] {
  return [...new Set(stage.images.flatMap((image) => stagesNamedBy(stages, image, stage.index)))];
}

/** The earlier stages (before `before`) one image a FROM can name names, outright or by the platform ARGs in it. */
function stagesNamedBy(stages: Stage[], image: string, before: number): Stage[] {
  const named = stageNamed(stages, image, before);
  if (named) return [named];
  const vars = [...image.matchAll(/\$\{(\w+)\}/g)].map((m) => m[1]!);
  if (vars.length === 0 || !vars.every((v) => platformArgs.test(v))) return [];
  // The stages an image spells, found once per image and as far as a lookup has asked: a scan
  // of every earlier stage per FROM made 20 000 FROMs of the same image take minutes.
  let byImage = spelledStages.get(stages);
  if (!byImage) spelledStages.set(stages, (byImage = new Map()));
  let spelled = byImage.get(image);
  if (!spelled) byImage.set(image, (spelled = { parts: image.split(/\$\{(\w+)\}/), scanned: 0, stages: [] }));
  for (; spelled.scanned < before; spelled.scanned++) {
    const s = stages[spelled.scanned]!;
    if (s.name !== null && spells(spelled.parts, s.name)) spelled.stages.push(s);
  }
  const out: Stage[] = [];
  for (const s of spelled.stages) {
    if (s.index >= before) break;
    out.push(s);
  }
  return out;
}

/** Per parsed file and platform-ARG image, the stages found so far that it can spell, in order. */
const spelledStages = new WeakMap<Stage[], Map<string, { parts: string[]; scanned: number; stages: Stage[] }>>();

/**
 * Whether `parts` (literal, variable name, literal, …) can spell `name`, each platform variable
 * standing for a value as containerd's platforms write it: `linux`, `arm64`, `v7` (a variant may
 * be empty, as linux/amd64's is; a whole platform has slashes, which no stage name can hold).
 * The positions reachable after each part, not a regular expression: a run of variables over a
 * long name would make one backtrack for minutes.
 */
function spells(parts: string[], name: string): boolean {
  const lower = name.toLowerCase();
  let at = new Uint8Array(lower.length + 1);
  at[0] = 1;
  for (const [n, part] of parts.entries()) {
    const next = new Uint8Array(lower.length + 1);
    if (n % 2 === 0) {
      const literal = part.toLowerCase();
      for (let p = 0; p + literal.length <= lower.length; p++) if (at[p] && lower.startsWith(literal, p)) next[p + literal.length] = 1;
    } else if (part.endsWith('PLATFORM')) {
      return false;
    } else {
      const empty = part.endsWith('VARIANT');
      let run = false; // a reachable start lies behind p within one run of [a-z0-9]
      for (let p = 0; p <= lower.length; p++) {
        if (empty && at[p]) next[p] = 1;
        if (run) next[p] = 1;
        if (p < lower.length && /[a-z0-9]/.test(lower[p]!)) run = run || at[p] === 1;
        else run = false;
      }
    }
    at = next;
  }
  return at[lower.length] === 1;
}

/** Past this many, the ways a final image can be built are not all followed (a hostile file could multiply them). */
const maxChains = 64;

/**
 * The ways an image can be built, each the stages it is built through, oldest first: a stage
 * `FROM <earlier stage>` starts with everything that stage set (USER, EXPOSE, HEALTHCHECK, CMD,
 * ENTRYPOINT, LABEL…). One chain, unless a platform ARG or a build arg picks the stage a FROM names.
 */
export function stageChains(stages: Stage[], stage: Stage): Stage[][] {
  const out: Stage[][] = [];
  const walk = (s: Stage, above: Stage[]) => {
    if (out.length >= maxChains) return;
    const parents = parentStages(stages, s);
    if (parents.length === 0) out.push([s, ...above]);
    for (const p of parents) walk(p, [s, ...above]);
  };
  walk(stage, []);
  return out;
}

/** The instructions of a keyword that hold in a stage: its own, or else the nearest parent's. */
function inherited(chain: Stage[], keyword: string): Instruction[] {
  for (let n = chain.length - 1; n >= 0; n--) {
    const own = chain[n]!.instructions.filter((i) => i.keyword === keyword);
    if (own.length > 0) return own;
  }
  return [];
}

function chainUser(chain: Stage[]): { user: string; line: number } | null {
  const last = inherited(chain, 'USER').at(-1);
  return last ? { user: last.args.trim(), line: last.line } : null;
}

/**
 * The last USER of the final stage (or the stage it is built from): the identity C11/N02 compare
 * with. None when the build platform or build args pick between stages that set different users: then the
 * file names no one identity.
 */
export function finalUser(parsed: ParsedDockerfile): { user: string; line: number } | null {
  const final = parsed.stages.at(-1);
  if (!final) return null;
  const users = stageChains(parsed.stages, final).map(chainUser);
  const first = users[0] ?? null;
  return first && users.every((u) => u?.user === first.user) ? first : null;
}

/** D04, C11, N02: a numeric `uid:gid` that is not root; the .NET images' $APP_UID counts. */
export function identityProblem(user: string, requireDedicated: boolean): string | null {
  const [uid = '', gid] = user.split(':');
  if (/^\$\{?APP_UID\}?$/.test(uid)) return null;
  if (uid === 'root' || uid === '0') return `runs as root (${user})`;
  if (!/^\d+$/.test(uid)) return `user "${user}" is a name, not a numeric UID (a name can map to root in another image)`;
  if (gid === undefined || !/^\d+$/.test(gid)) return `user "${user}" names no numeric group: give uid:gid`;
  if (gid === '0') return `user "${user}" runs in the root group`;
  if (requireDedicated && Number(uid) < 10000 && uid !== '1654') return `UID ${uid} may collide with a host user: use a dedicated UID of 10000 or more`;
  return null;
}

/**
 * The build-context paths the COPY and ADD lines of every stage read (not `--from` a stage or
 * image, a URL, a git repository or a heredoc), relative to the context: `./dist/` is `dist`, the
 * whole context `.`. ONBUILD lines are left out: they read the context of another build.
 */
export function contextSources(parsed: ParsedDockerfile): string[] {
  const out: string[] = [];
  for (const i of parsed.stages.flatMap((s) => s.instructions)) {
    if ((i.keyword !== 'COPY' && i.keyword !== 'ADD') || flagsOf(i).has('from')) continue;
    const words = isExecForm(i.args) ? (JSON.parse(i.args) as string[]) : i.words.map((w) => w.value.replace(/^(["'])(.*)\1$/, '$2'));
    for (const source of words.slice(0, -1)) {
      if (source.startsWith('<<') || source.includes('://') || /^git@/.test(source)) continue;
      out.push(source.replace(/^(\.?\/)+/, '').replace(/\/+$/, '') || '.');
    }
  }
  return out;
}

export function checkDockerfile(text: string, file: string, expect?: DockerfileExpectations): Finding[] {
  return checkParsedDockerfile(parseDockerfile(text), file, expect);
}

export function checkParsedDockerfile(parsed: ParsedDockerfile, file: string, expect?: DockerfileExpectations): Finding[] {
  const out: Finding[] = parsed.problems.map((p) => finding('F01', file, p.line, `does not parse as a Dockerfile: ${p.message}`));
  const { stages } = parsed;
  const final = stages.at(-1);
  if (!final) return out;
  const add = (rule: string, line: number, message: string, fix?: string) => out.push(finding(rule, file, line, message, fix));
  // What the instructions do, ONBUILD triggers included: they run in every build FROM this image
  // (a later stage's too), so an `ONBUILD ADD` or `ONBUILD RUN curl -k` is the same risk written
  // here. They are read as the instruction they hold, on the ONBUILD's line; USER, EXPOSE and the
  // rest of this image's own settings are not theirs to change.
  const acting = stages.map((s) => ({ ...s, instructions: s.instructions.map(trigger) }));
  const all = acting.flatMap((s) => s.instructions);
  const of = (s: Stage, k: string) => s.instructions.filter((i) => i.keyword === k);

  // D01, D16: every FROM pinned or an earlier stage; stage names unique.
  const seen = new Set<string>();
  for (const s of stages) {
    if (s.name) {
      if (seen.has(s.name.toLowerCase())) add('D16', s.line, `stage name "${s.name}" is used twice`);
      seen.add(s.name.toLowerCase());
    }
    // Each image the FROM can name (a --build-arg may pick another through ${X:+word}): one that
    // is no earlier stage is pulled, and must be pinned. An empty one is Docker's error, not a pull.
    for (const [n, image] of s.images.entries()) {
      if (stagesNamedBy(stages, image, s.index).length > 0 || image === 'scratch' || (n > 0 && image === '')) continue;
      const unset = [...image.matchAll(/\$\{(\w+)\}/g)].map((m) => m[1]!);
      // What a --build-arg's own value names is the user's to pin when giving it: the FROM as the
      // file builds it (the first) says so once.
      if (n > 0 && unset.some((v) => !platformArgs.test(v))) continue;
      if (image.includes(tooDeep)) {
        if (n === 0 || !s.images[0]!.includes(tooDeep)) add('D01', s.line, `FROM nests \${…} substitutions more than ${maxNesting} levels deep (in the line or the ARG defaults it reads), too deep to judge whether the image is pinned: name the image in one ARG before the first FROM (ARG BASE=alpine:3.20) and write FROM \${BASE}`);
      } else if (unset.length > 0 && unset.every((v) => platformArgs.test(v))) add('D01', s.line, `FROM ${image}: the build platform fills in ${[...new Set(unset)].join(', ')}, and the image that names is no earlier stage, so it is not pinned`);
      else if (unset.length > 0) add('D01', s.line, `FROM ${image}: ${unsetWhy(parsed, unset.filter((v) => !platformArgs.test(v)))}`);
      else {
        const problem = pinProblem(image);
        if (problem) add('D01', s.line, `FROM ${problem}${n > 0 ? ` (built with ${s.buildArgs[n]})` : ''}`, pinFix(image, 'FROM'));
      }
    }
  }
  if (stages.length < 2) add('D02', final.line, 'a single-stage build: the toolchain and build files ship in the image');
  appendAll(out, finalImageFindings(stages, final, file, expect));
  // D05: ADD; D14: MAINTAINER; D15: WORKDIR; D07: ENV/ARG secrets.
  for (const i of all) {
    const { keyword, line, args } = i;
    if (keyword === 'ADD') add('D05', line, `ADD ${args}: use COPY (ADD fetches URLs and unpacks archives implicitly)`);
    if (keyword === 'MAINTAINER') add('D14', line, 'MAINTAINER is deprecated: use the org.opencontainers.image.authors label');
    // C03 ("never privileged", CIS 5.4): the Dockerfile reference says --security=insecure runs
    // the step without the sandbox, as docker run --privileged runs a container.
    if (keyword === 'RUN' && i.flags.some((f) => f.name === 'security' && f.value === 'insecure')) {
      out.push(finding('C03', file, line, 'RUN --security=insecure runs this build step outside the sandbox with every capability, as docker run --privileged runs a container: what it runs can reach the build host', 'Remove --security=insecure (the default, --security=sandbox, keeps the step confined), and do what needs the privilege outside the image build'));
    }
    // C05 ("never network_mode: host", CIS 5.9): the step joins the host's network namespace.
    if (keyword === 'RUN' && i.flags.some((f) => f.name === 'network' && f.value === 'host')) {
      out.push(finding('C05', file, line, "RUN --network=host runs this build step in the host's network namespace, as network_mode: host runs a container: it reaches every service listening on the build host", 'Remove --network=host (the default network, or --network=none, keeps the step apart from the host)'));
    }
    if (keyword === 'WORKDIR' && !isAbsoluteWorkdir(args)) add('D15', line, `WORKDIR ${args} is relative`);
    if (keyword === 'ENV' || keyword === 'ARG') {
      for (const p of i.properties) {
        if (isSecretName(p.name) && (keyword === 'ARG' || p.value)) add('D07', line, `${keyword} ${p.name} puts a secret into the image history`);
        else if (p.value && hasUrlPassword(p.value)) add('D07', line, `${keyword} ${p.name} is a URL with a password in it, which goes into the image history`);
        if (keyword === 'ENV' && /^(NODE_TLS_REJECT_UNAUTHORIZED|PYTHONHTTPSVERIFY)$/.test(p.name) && p.value === '0') add('D05', line, `ENV ${p.name}=0 turns TLS verification off`);
        if (keyword === 'ENV' && p.name === 'GIT_SSL_NO_VERIFY' && p.value) add('D05', line, 'ENV GIT_SSL_NO_VERIFY turns TLS verification off');
      }
    }
  }
  appendAll(out, runFindings(acting, file));
  // D06: the whole context copied into the final stage.
  for (const i of of(final, 'COPY')) {
    if (flagsOf(i).has('from')) continue;
    const sources = i.words.map((w) => w.value).slice(0, -1);
    if (sources.some((s) => /^\.\/?$/.test(s))) add('D06', i.line, `COPY ${i.args} copies the whole build context into the final stage`);
  }
  // D16: COPY --from names an earlier stage (or a pinned image).
  for (const s of stages) {
    for (const i of of(s, 'COPY')) {
      const from = flagsOf(i).get('from');
      if (!from) continue;
      if (/^\d+$/.test(from)) {
        if (Number(from) >= s.index) add('D16', i.line, `COPY --from=${from} is not an earlier stage`);
      } else if (/[:/@]/.test(from)) {
        const problem = pinProblem(from);
        if (problem) add('D01', i.line, `COPY --from=${problem}`, pinFix(from, 'COPY --from='));
      } else if (!stageNamed(stages, from, s.index)) {
        add('D16', i.line, s.name?.toLowerCase() === from.toLowerCase() ? `COPY --from=${from} copies from its own stage` : `COPY --from=${from} names no earlier stage`);
      }
    }
  }
  return out;
}

/**
 * Why a FROM's `${X}` is left unset: an ARG before the first FROM without a default (a
 * --build-arg gives it), or no such ARG at all, as when the ARG is declared inside a stage, whose
 * ARGs a FROM does not read (docs.docker.com, "Understand how ARG and FROM interact").
 */
function unsetWhy(parsed: ParsedDockerfile, names: string[]): string {
  const name = names.find((v) => !parsed.globalArgNames.has(v));
  if (name === undefined) return 'the ARG has no default, so the image is not pinned';
  const inStage = parsed.stages.flatMap((s) => s.instructions).find((i) => i.keyword === 'ARG' && i.properties.some((p) => p.name === name));
  const where = inStage ? ` (the ARG ${name} on line ${inStage.line} is a stage's own)` : '';
  return `${name} is no ARG declared before the first FROM, the only ARGs a FROM reads${where}, so the image is not pinned: declare ARG ${name}=<pinned value> above the first FROM`;
}

/**
 * The rules about what the final image holds (D02-D04, D10-D14): the final stage on top of the
 * stages it is built FROM. When the build platform or a build arg picks one of several stages
 * (`FROM runtime-$TARGETARCH${DEBUG:+-debug}`), each image it can build is checked: a problem all of them share is
 * reported as it is, one only some of them have names the stages that have it.
 */
function finalImageFindings(stages: Stage[], final: Stage, file: string, expect?: DockerfileExpectations): Finding[] {
  const chains = stageChains(stages, final);
  const seen = new Map<string, { rule: string; line: number; message: string; fix?: string; picks: string[] }>();
  // Who chose on the way: the platform through its ARGs, build args through ${X:+word} or ${X:-word}.
  const choosers = new Set<string>();
  for (const chain of chains) {
    // The stages chosen on the way: the parents of a FROM that can name more than one.
    const picked = chain.slice(0, -1).filter((p, n) => parentStages(stages, chain[n + 1]!).length > 1).map((p) => p.name);
    for (const child of chain.slice(1)) {
      if (parentStages(stages, child).length < 2) continue;
      if (child.images.some((image) => stagesNamedBy(stages, image, child.index).length > 1)) choosers.add('platform');
      if (child.images.length > 1) choosers.add('args');
    }
    for (const f of chainFindings(stages, final, chain, expect)) {
      const key = `${f.rule}\0${f.line}\0${f.message}`;
      const entry = seen.get(key) ?? { ...f, picks: [] };
      entry.picks.push(picked.join(' and '));
      seen.set(key, entry);
    }
  }
  const who = choosers.has('platform') ? (choosers.has('args') ? 'the build platform or build args pick' : 'the build platform picks') : 'build args pick';
  return [...seen.values()].map((f) => finding(f.rule, file, f.line, f.picks.length === chains.length ? f.message : `${f.message} (when ${who} ${f.picks.join(', or ')})`, f.fix));
}

function chainFindings(stages: Stage[], final: Stage, chain: Stage[], expect?: DockerfileExpectations): { rule: string; line: number; message: string; fix?: string }[] {
  const out: { rule: string; line: number; message: string; fix?: string }[] = [];
  // A fix written for this file (its own command, port, runtime) where the rule's general one would not fit.
  const add = (rule: string, line: number, message: string, fix?: string) => out.push({ rule, line, message, ...(fix === undefined ? {} : { fix }) });
  const of = (s: Stage, k: string) => s.instructions.filter((i) => i.keyword === k);
  const ofImage = (k: string) => chain.flatMap((s) => of(s, k));
  const finalBase = chain[0]!.image;
  // D02, D03
  if (isToolchainImage(finalBase)) add('D02', final.line, `the final stage runs on the toolchain image ${finalBase}`);
  if (isFullSizeImage(finalBase)) add('D03', final.line, `the final stage runs on the full-size image ${finalBase}`);
  // D04
  const user = chainUser(chain);
  // distroless :nonroot images set user 65532 in their own config: not root, but not in this file
  // either, where compose and Nomad (C11, N02) could be matched against it.
  if (!user && /^gcr\.io\/distroless\/[^@]*:(debug-)?nonroot\b/.test(finalBase)) add('D04', final.line, `the final stage sets no USER: it runs as ${finalBase.split('@')[0]}'s own user 65532, which the file does not name; write USER 65532:65532`);
  else if (!user) add('D04', final.line, 'the final stage sets no USER, so the container runs as root', nonRootUser(finalBase));
  else {
    const problem = identityProblem(user.user, true);
    if (problem) add('D04', user.line, problem);
    if (expect && user.user !== `${expect.uid}:${expect.gid}`) add('D04', user.line, `USER is ${user.user}, expected ${expect.uid}:${expect.gid}`);
  }
  if (expect && (expect.uid === 0 || (expect.uid < 10000 && expect.uid !== 1654))) add('D04', user?.line ?? final.line, `uid ${expect.uid} is not a dedicated high uid`);
  // D10: exec-form start command.
  const starts = [...inherited(chain, 'ENTRYPOINT'), ...inherited(chain, 'CMD')];
  if (starts.length === 0) add('D10', final.line, 'the final stage has no ENTRYPOINT or CMD');
  // `CMD []` is the exec form too: an empty list, which clears what the base image set.
  for (const i of starts) {
    if (isExecForm(i.args) || /^\[\s*\]$/.test(i.args.trim())) continue;
    const exec = execFormOf(i.args);
    add('D10', i.line, `${i.keyword} ${i.args} is in shell form: the shell, not the app, becomes PID 1 and swallows signals`, exec ? `Write ${i.keyword} ${exec}` : `Put the commands in a script that ends with exec and the app's command, COPY it in, and write ${i.keyword} ["/app/start.sh"]`);
  }
  // D11: EXPOSE
  const exposes = ofImage('EXPOSE');
  if (exposes.length === 0) add('D11', final.line, 'the final stage EXPOSEs no port');
  for (const i of exposes) {
    for (const a of i.words.map((w) => w.value)) {
      const port = Number(a.split('/')[0]);
      if (port === 22) add('D11', i.line, 'EXPOSE 22: no SSH in a container', 'Remove EXPOSE 22 and the SSH server: docker exec (or nomad alloc exec) gives a shell when one is needed');
      else if (Number.isInteger(port) && port < 1024) add('D11', i.line, `EXPOSE ${a}: a privileged port needs root or NET_BIND_SERVICE`, `Make the app listen on ${port + 8000} (EXPOSE ${port + 8000}) and publish that as ${port} where clients need it (ports: ["127.0.0.1:${port}:${port + 8000}"])`);
    }
  }
  if (expect) {
    const ports = exposes.map((i) => i.args).join(' ');
    if (ports !== String(expect.port)) add('D11', exposes[0] ? exposes[0].line : final.line, `EXPOSE ${ports || 'missing'}, expected ${expect.port}`);
  }
  // D12: one exec-form HEALTHCHECK, no curl where there is none.
  const checks = inherited(chain, 'HEALTHCHECK');
  const probe = `HEALTHCHECK --interval=30s --timeout=3s CMD ${probeExample(finalBase)} (a probe the image's own ${probeRuntime(finalBase) ?? 'binary'} runs: it asks the app's health URL and exits 0 or 1)`;
  if (checks.length === 0) add('D12', final.line, 'the final stage has no HEALTHCHECK', `Add ${probe}`);
  for (const [n, c] of checks.entries()) {
    if (n > 0) add('D12', c.line, 'more than one HEALTHCHECK: only the last counts');
    const args = c.args;
    if (/^NONE\b/i.test(args.trim())) {
      add('D12', c.line, 'HEALTHCHECK NONE turns the health check off');
      continue;
    }
    const cmd = /^CMD\s+(.*)$/is.exec(args.trim())?.[1] ?? '';
    const exec = isExecForm(cmd) ? null : execFormOf(cmd);
    if (!isExecForm(cmd)) add('D12', c.line, 'HEALTHCHECK is not in exec form (CMD ["…"])', exec ? `Write HEALTHCHECK ${[...c.flags.map((f) => (f.value === undefined ? `--${f.name}` : `--${f.name}=${f.value}`)), 'CMD', exec].join(' ')}` : `Write ${probe}`);
    if (/\b(curl|wget)\b/.test(cmd) && hasNoShell(finalBase)) add('D12', c.line, `the health check calls curl/wget, which ${finalBase} does not have`, `Write ${probe}`);
  }
  // D13: setuid bits stripped where a shell exists.
  if (!hasNoShell(finalBase) && !ofImage('RUN').some((i) => /chmod\s+(-\S+\s+)*[ugoa]*-s\b|-perm\s+[/+-]?0?[246]000\b/.test(shellTextOf(i)))) {
    add('D13', final.line, 'the final stage has a shell but does not strip setuid/setgid bits');
  }
  // D14: provenance labels.
  const labels = new Set(ofImage('LABEL').flatMap((i) => i.properties.map((p) => p.name)));
  const missing = ['created', 'revision', 'source', 'version', 'title'].filter((k) => !labels.has(`org.opencontainers.image.${k}`));
  if (missing.length > 0) add('D14', final.line, `the final stage lacks the OCI labels ${missing.map((k) => `org.opencontainers.image.${k}`).join(', ')}`);
  return out;
}

/**
 * The exec form (JSON) of a shell-form command when it is one plain command; null when it needs a
 * shell: operators, expansions, redirections, globs or a leading VAR=value.
 */
function execFormOf(command: string): string | null {
  if (/[$`<>*?~]/.test(command)) return null;
  const commands = splitShell(command);
  const words = commands.length === 1 && commands[0]!.then === null ? commands[0]!.words : [];
  return words.length === 0 || /^\w+=/.test(words[0]!) ? null : `[${words.map((w) => JSON.stringify(w)).join(', ')}]`;
}

/** D01's fix for one image: its own name with an exact version (what version is right is the user's to say). */
function pinFix(image: string, where: 'FROM' | 'COPY --from='): string {
  const name = parseImageRef(image)?.name ?? image;
  return `Pin ${name} to an exact version tag, ${where}${where === 'FROM' ? ' ' : ''}${name}:<version> (add @sha256:<digest> to pin the bytes)${where === 'FROM' ? ', set through an ARG at the top' : ''}`;
}

/**
 * How to give an image built FROM `image` a non-root user: a numeric USER needs no user database
 * (scratch, distroless); BusyBox's adduser on Alpine, shadow's useradd on the Debian, Ubuntu and
 * RHEL families the other official images are built on.
 */
function nonRootUser(image: string): string {
  if (hasNoShell(image)) return `End the final stage with USER 65532:65532 (a numeric user needs no /etc/passwd; distroless calls 65532 "nonroot")`;
  const add = /alpine/.test(image) ? 'adduser -D -H -u 10001 app' : 'useradd --system --uid 10001 --no-create-home --shell /usr/sbin/nologin app';
  return `Create the user in the final stage, RUN ${add}, and end it with USER 10001:10001`;
}

/** The runtime a final image built FROM `image` has to run a health probe with, if it is one of these. */
function probeRuntime(image: string): 'node' | 'python' | 'php' | 'java' | null {
  const name = imageName(image);
  if (/^node/.test(name) || /^nodejs/.test(name)) return 'node';
  if (/^python/.test(name)) return 'python';
  if (/^php/.test(name)) return 'php';
  if (/^(eclipse-temurin|openjdk|amazoncorretto|java|sapmachine|ibm-semeru-runtimes|jre|jdk)/.test(name)) return 'java';
  return null;
}

function probeExample(image: string): string {
  const runtime = probeRuntime(image);
  const probe = { node: '["node", "healthcheck.js"]', python: '["python", "healthcheck.py"]', php: '["php", "healthcheck.php"]', java: '["java", "HealthCheck.java"]' };
  return runtime ? probe[runtime] : '["/app/healthcheck"]';
}

function trigger(i: Instruction): Instruction {
  if (i.keyword !== 'ONBUILD') return i;
  const inner = parseInstructions(i.args)[0];
  return inner && inner.keyword !== 'ONBUILD' ? { ...inner, line: i.line, endLine: i.endLine, words: inner.words.map((w) => ({ ...w, line: i.line + w.line - 1 })) } : i;
}

/**
 * D15 as hadolint's DL3000 reads it: `/…`, a variable, or a Windows drive path (`C:\\app`, `C:/app`),
 * each possibly in quotes (`WORKDIR "/app"`).
 */
function isAbsoluteWorkdir(args: string): boolean {
  const path = args.trim().replace(/^(["'])(.*)\1$/, '$2');
  return /^(\/|\$|[A-Za-z]:)/.test(path);
}

/** D07, C07, N03: variable names that hold a credential (a *_FILE or *_PATH names a file instead). */
export function isSecretName(name: string): boolean {
  if (/_(FILE|PATH|DIR)$/i.test(name)) return false;
  // `_PASS`/`_PWD` as the last word: RABBITMQ_DEFAULT_PASS, DB_PASS, SMTP_PWD (not PWD, the shell's
  // working directory, nor PASS_THROUGH).
  return /(PASSWORD|PASSWD|PASSPHRASE|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|CREDENTIALS?)/i.test(name) || (/(^|_)(PASS|PWD)$/i.test(name) && !/^(OLD)?PWD$/i.test(name));
}

/**
 * D07, C07, N03: a URL that carries its password (`postgresql://app:s3cr3t@db/app`,
 * `redis://:hunter2@redis`). A user alone (`amqp://guest@rabbit`), a variable or template
 * (`${DB_PASSWORD}`, `$PASS`, `{{ .Data.data.password }}`), a bracketed or masked placeholder
 * (`<password>`, `***`) and the documentation pair `user:password` hold no secret.
 */
export function hasUrlPassword(value: string): boolean {
  for (const m of value.matchAll(/[a-z][a-z0-9+.-]*:\/\/([^\s/@:]*):([^\s/@]+)@/gi)) {
    const [, user, pass] = m as unknown as [string, string, string];
    if (/\$|\{\{|^[<[{]|^[*x.]+$/i.test(pass)) continue;
    if (/^(user(name)?|login)?$/i.test(user) && /^(password|passwd|pass|pwd|secret)$/i.test(pass)) continue;
    return true;
  }
  return false;
}
