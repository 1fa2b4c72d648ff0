/**
 * Dockerfile rules D01-D16, read from the instructions as Docker parses them
 * (`dockerfile-parse.ts`): instructions, their flags, properties and arguments, with their lines.
 * Shell commands inside RUN are text to Docker too; `dockerfile-run.ts` reads those.
 */
import { knownKeywords, parseInstructions, type Instruction } from './dockerfile-parse.js';
import { finding, type Finding } from './findings.js';
import { hasNoShell, isFullSizeImage, isToolchainImage, pinProblem } from './images.js';
import { runFindings, shellTextOf } from './dockerfile-run.js';

export interface Stage {
  /** The `AS` name, as written. */
  name: string | null;
  /** The image after substituting the global ARG defaults. */
  image: string;
  index: number;
  line: number;
  instructions: Instruction[];
}

export interface ParsedDockerfile {
  stages: Stage[];
  /** Syntax problems (unknown instruction, nothing before FROM but ARG, no FROM). */
  problems: { line: number; message: string }[];
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
  const globalArgs = new Map<string, string>();
  const stages: Stage[] = [];
  const problems: ParsedDockerfile['problems'] = [];
  for (const instruction of instructions) {
    const { keyword, line } = instruction;
    if (!knownKeywords.has(keyword)) problems.push({ line, message: `unknown instruction ${keyword}` });
    if (keyword === 'FROM') {
      const [ref = '', as, name] = instruction.args.split(/\s+/);
      const image = expandArgs(ref, globalArgs);
      if (!ref) problems.push({ line, message: 'FROM names no image' });
      stages.push({ name: as?.toUpperCase() === 'AS' ? (name ?? null) : null, image, index: stages.length, line, instructions: [] });
    } else if (stages.length === 0) {
      // An ARG without a default stays unset: the image then depends on a --build-arg (D01).
      if (keyword === 'ARG') {
        // A default may name an earlier ARG (`ARG IMG=alpine:${VERSION}`).
        for (const p of instruction.properties) if (p.value !== null) globalArgs.set(p.name, expandArgs(p.value, globalArgs));
      } else {
        problems.push({ line, message: `${keyword} before the first FROM (only ARG may come first)` });
      }
    } else {
      stages.at(-1)!.instructions.push(instruction);
    }
  }
  if (stages.length === 0) problems.push({ line: 1, message: 'no FROM instruction' });
  return { stages, problems };
}

/**
 * `$X`, `${X}`, `${X:-word}`, `${X-word}`, `${X:+word}` and `${X+word}` replaced by the ARG values
 * known, as BuildKit's shell lexer replaces them in FROM; a variable with no value and no default
 * stays `${X}` (the image then depends on a --build-arg).
 */
export function expandArgs(text: string, vars: Map<string, string>): string {
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
    if (op === ':-' || op === '-') out += set ? value! : expandArgs(word, vars);
    else if (op === ':+' || op === '+') out += set ? expandArgs(word, vars) : '';
    else out += set || (op === undefined && value !== undefined) ? value! : `\${${name}}`;
    i = j;
  }
  return out;
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
const platformArgs = /^(TARGET|BUILD)(PLATFORM|OS|ARCH|VARIANT)$/;

/**
 * `FROM alpine-$TARGETARCH` after `FROM alpine:3.20 AS alpine-amd64`: the platform ARGs pick one of
 * the earlier stages (moby/buildkit's own Dockerfile does this), not an unpinned external image.
 */
function isPlatformStageRef(stages: Stage[], stage: Stage): boolean {
  const vars = [...stage.image.matchAll(/\$\{(\w+)\}/g)].map((m) => m[1]!);
  if (vars.length === 0 || !vars.every((v) => platformArgs.test(v))) return false;
  const pattern = new RegExp(`^${stage.image.split(/\$\{\w+\}/).map((part) => part.replace(/[.*+?^$()|[\]\\{}]/g, '\\$&')).join('[\\w./-]+')}$`, 'i');
  return stages.slice(0, stage.index).some((s) => s.name !== null && pattern.test(s.name));
}

function stageNamed(stages: Stage[], name: string, before: number): Stage | undefined {
  return stages.slice(0, before).find((s) => s.name?.toLowerCase() === name.toLowerCase());
}

/** The external image a stage finally rests on, following `FROM <earlier stage>`. */
export function externalBase(stages: Stage[], stage: Stage): string {
  const parent = stageNamed(stages, stage.image, stage.index);
  return parent ? externalBase(stages, parent) : stage.image;
}

/**
 * The stages an image is built through, oldest first: a stage `FROM <earlier stage>` starts with
 * everything that stage set (USER, EXPOSE, HEALTHCHECK, CMD, ENTRYPOINT, LABEL…).
 */
export function stageChain(stages: Stage[], stage: Stage): Stage[] {
  const chain = [stage];
  for (let s = stageNamed(stages, stage.image, stage.index); s && !chain.includes(s); s = stageNamed(stages, s.image, s.index)) chain.unshift(s);
  return chain;
}

/** The instructions of a keyword that hold in a stage: its own, or else the nearest parent's. */
function inherited(chain: Stage[], keyword: string): Instruction[] {
  for (let n = chain.length - 1; n >= 0; n--) {
    const own = chain[n]!.instructions.filter((i) => i.keyword === keyword);
    if (own.length > 0) return own;
  }
  return [];
}

/** The last USER of the final stage (or the stage it is built from): D04, and the identity C11/N02 compare with. */
export function finalUser(parsed: ParsedDockerfile): { user: string; line: number } | null {
  const final = parsed.stages.at(-1);
  const last = final ? inherited(stageChain(parsed.stages, final), 'USER').at(-1) : undefined;
  return last ? { user: last.args.trim(), line: last.line } : null;
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
  const add = (rule: string, line: number, message: string) => out.push(finding(rule, file, line, message));
  // What the instructions do, ONBUILD triggers included: they run in every build FROM this image
  // (a later stage's too), so an `ONBUILD ADD` or `ONBUILD RUN curl -k` is the same risk written
  // here. They are read as the instruction they hold, on the ONBUILD's line; USER, EXPOSE and the
  // rest of this image's own settings are not theirs to change.
  const acting = stages.map((s) => ({ ...s, instructions: s.instructions.map(trigger) }));
  const all = acting.flatMap((s) => s.instructions);
  const of = (s: Stage, k: string) => s.instructions.filter((i) => i.keyword === k);
  const finalBase = externalBase(stages, final);
  // What the final image holds: the final stage on top of the stages it is built FROM.
  const chain = stageChain(stages, final);
  const ofImage = (k: string) => chain.flatMap((s) => of(s, k));

  // D01, D16: every FROM pinned or an earlier stage; stage names unique.
  const seen = new Set<string>();
  for (const s of stages) {
    if (s.name) {
      if (seen.has(s.name.toLowerCase())) add('D16', s.line, `stage name "${s.name}" is used twice`);
      seen.add(s.name.toLowerCase());
    }
    if (stageNamed(stages, s.image, s.index) || s.image === 'scratch' || isPlatformStageRef(stages, s)) continue;
    if (/\$\{\w+\}/.test(s.image)) add('D01', s.line, `FROM ${s.image}: the ARG has no default, so the image is not pinned`);
    else {
      const problem = pinProblem(s.image);
      if (problem) add('D01', s.line, `FROM ${problem}`);
    }
  }
  // D02, D03
  if (stages.length < 2) add('D02', final.line, 'a single-stage build: the toolchain and build files ship in the image');
  if (isToolchainImage(finalBase)) add('D02', final.line, `the final stage runs on the toolchain image ${finalBase}`);
  if (isFullSizeImage(finalBase)) add('D03', final.line, `the final stage runs on the full-size image ${finalBase}`);
  // D04
  const user = finalUser(parsed);
  // distroless :nonroot images set user 65532 in their own config: not root, but not in this file
  // either, where compose and Nomad (C11, N02) could be matched against it.
  if (!user && /^gcr\.io\/distroless\/[^@]*:(debug-)?nonroot\b/.test(finalBase)) add('D04', final.line, `the final stage sets no USER: it runs as ${finalBase.split('@')[0]}'s own user 65532, which the file does not name; write USER 65532:65532`);
  else if (!user) add('D04', final.line, 'the final stage sets no USER, so the container runs as root');
  else {
    const problem = identityProblem(user.user, true);
    if (problem) add('D04', user.line, problem);
    if (expect && user.user !== `${expect.uid}:${expect.gid}`) add('D04', user.line, `USER is ${user.user}, expected ${expect.uid}:${expect.gid}`);
  }
  if (expect && (expect.uid === 0 || (expect.uid < 10000 && expect.uid !== 1654))) add('D04', user?.line ?? final.line, `uid ${expect.uid} is not a dedicated high uid`);
  // D05: ADD; D14: MAINTAINER; D15: WORKDIR; D07: ENV/ARG secrets.
  for (const i of all) {
    const { keyword, line, args } = i;
    if (keyword === 'ADD') add('D05', line, `ADD ${args}: use COPY (ADD fetches URLs and unpacks archives implicitly)`);
    if (keyword === 'MAINTAINER') add('D14', line, 'MAINTAINER is deprecated: use the org.opencontainers.image.authors label');
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
  out.push(...runFindings(acting, file));
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
        if (problem) add('D01', i.line, `COPY --from=${problem}`);
      } else if (!stageNamed(stages, from, s.index)) {
        add('D16', i.line, s.name?.toLowerCase() === from.toLowerCase() ? `COPY --from=${from} copies from its own stage` : `COPY --from=${from} names no earlier stage`);
      }
    }
  }
  // D10: exec-form start command.
  const starts = [...inherited(chain, 'ENTRYPOINT'), ...inherited(chain, 'CMD')];
  if (starts.length === 0) add('D10', final.line, 'the final stage has no ENTRYPOINT or CMD');
  // `CMD []` is the exec form too: an empty list, which clears what the base image set.
  for (const i of starts) if (!isExecForm(i.args) && !/^\[\s*\]$/.test(i.args.trim())) add('D10', i.line, `${i.keyword} ${i.args} is in shell form: the shell, not the app, becomes PID 1 and swallows signals`);
  // D11: EXPOSE
  const exposes = ofImage('EXPOSE');
  if (exposes.length === 0) add('D11', final.line, 'the final stage EXPOSEs no port');
  for (const i of exposes) {
    for (const a of i.words.map((w) => w.value)) {
      const port = Number(a.split('/')[0]);
      if (port === 22) add('D11', i.line, 'EXPOSE 22: no SSH in a container');
      else if (Number.isInteger(port) && port < 1024) add('D11', i.line, `EXPOSE ${a}: a privileged port needs root or NET_BIND_SERVICE`);
    }
  }
  if (expect) {
    const ports = exposes.map((i) => i.args).join(' ');
    if (ports !== String(expect.port)) add('D11', exposes[0] ? exposes[0].line : final.line, `EXPOSE ${ports || 'missing'}, expected ${expect.port}`);
  }
  // D12: one exec-form HEALTHCHECK, no curl where there is none.
  const checks = inherited(chain, 'HEALTHCHECK');
  if (checks.length === 0) add('D12', final.line, 'the final stage has no HEALTHCHECK');
  for (const [n, c] of checks.entries()) {
    if (n > 0) add('D12', c.line, 'more than one HEALTHCHECK: only the last counts');
    const args = c.args;
    if (/^NONE\b/i.test(args.trim())) {
      add('D12', c.line, 'HEALTHCHECK NONE turns the health check off');
      continue;
    }
    const cmd = /^CMD\s+(.*)$/is.exec(args.trim())?.[1] ?? '';
    if (!isExecForm(cmd)) add('D12', c.line, 'HEALTHCHECK is not in exec form (CMD ["…"])');
    if (/\b(curl|wget)\b/.test(cmd) && hasNoShell(finalBase)) add('D12', c.line, `the health check calls curl/wget, which ${finalBase} does not have`);
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
