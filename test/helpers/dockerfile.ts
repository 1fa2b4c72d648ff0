/**
 * Reads a Dockerfile with the real parser (dockerfile-ast, as used by the Docker language server)
 * and reports violations of RULES.md D01-D16 as `ID: message` strings, so a test failure names
 * the rule. Instruction arguments come from the AST, never from regular expressions over lines.
 */
import { DockerfileParser, type Instruction } from 'dockerfile-ast';
import { validate, ValidationSeverity } from 'dockerfile-utils';

export interface Stage {
  name: string | null;
  image: string;
  instructions: Instruction[];
}

export function parseDockerfile(text: string) {
  const dockerfile = DockerfileParser.parse(text);
  const instructions = dockerfile.getInstructions();
  const globalArgs = new Map<string, string>();
  const stages: Stage[] = [];
  for (const instruction of instructions) {
    const keyword = instruction.getKeyword();
    if (keyword === 'FROM') {
      const args = instruction.getArgumentsContent() ?? '';
      const [ref = '', as, name] = args.split(/\s+/);
      const image = ref.replace(/\$\{(\w+)\}|\$(\w+)/g, (_, a: string | undefined, b: string | undefined) => globalArgs.get((a ?? b)!) ?? `<unset ${a ?? b}>`);
      stages.push({ name: as?.toUpperCase() === 'AS' ? (name ?? null) : null, image, instructions: [] });
    } else if (stages.length === 0 && keyword === 'ARG') {
      const [key, value = ''] = (instruction.getArgumentsContent() ?? '').split('=');
      globalArgs.set(key!, value);
    } else {
      stages.at(-1)?.instructions.push(instruction);
    }
  }
  const problems = validate(text).filter((d) => d.severity === ValidationSeverity.ERROR);
  return { dockerfile, stages, problems };
}

const args = (i: Instruction) => i.getArgumentsContent() ?? '';
const isExecForm = (text: string) => {
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) && parsed.length > 0 && parsed.every((x) => typeof x === 'string');
  } catch {
    return false;
  }
};

export interface Expectations {
  port: number;
  uid: number;
  gid: number;
}

export function dockerfileViolations(text: string, expected: Expectations): string[] {
  const { stages, problems } = parseDockerfile(text);
  const out: string[] = problems.map((p) => `parse: line ${p.range.start.line + 1}: ${p.message}`);
  const final = stages.at(-1);
  if (!final) return [...out, 'D02: no FROM'];
  const stageNames = stages.map((s) => s.name).filter((n): n is string => n !== null);
  const all = stages.flatMap((s) => s.instructions);
  const kw = (s: Stage, k: string) => s.instructions.filter((i) => i.getKeyword() === k);

  for (const s of stages) {
    if (stageNames.includes(s.image)) continue; // FROM an earlier stage
    if (s.image === 'scratch') continue;
    const m = /^([^@]+?)(?::([^:@/]+))?(@sha256:[0-9a-f]{64})?$/.exec(s.image);
    if (!m || !m[2] || m[2] === 'latest' || s.image.includes('<unset')) out.push(`D01: FROM ${s.image} is not pinned to a version tag`);
  }
  if (stages.length < 2) out.push('D02: not a multi-stage build');
  if (new Set(stageNames).size !== stageNames.length) out.push('D16: duplicate stage names');
  for (const i of all.filter((x) => x.getKeyword() === 'COPY')) {
    const from = /--from=(\S+)/.exec(i.getTextContent())?.[1];
    if (from && !stageNames.includes(from)) out.push(`D16: COPY --from=${from} names no earlier stage`);
  }
  const users = kw(final, 'USER');
  const user = users.at(-1) ? args(users.at(-1)!) : null;
  if (user !== `${expected.uid}:${expected.gid}`) out.push(`D04: final USER is ${user ?? 'missing'}, expected ${expected.uid}:${expected.gid}`);
  if (expected.uid === 0 || (expected.uid < 10000 && expected.uid !== 1654)) out.push(`D04: uid ${expected.uid} is not a dedicated high uid`);
  if (all.some((i) => i.getKeyword() === 'ADD')) out.push('D05: ADD used');
  for (const i of all.filter((x) => x.getKeyword() === 'RUN')) {
    const text = args(i);
    if (/curl\s+(-\w*k|--insecure)|--trusted-host|NODE_TLS_REJECT_UNAUTHORIZED=0|--allow-untrusted|--allow-unauthenticated|wget\s+--no-check-certificate/.test(text)) out.push(`D05: weakened TLS in RUN ${text}`);
    if (/(^|[;&|]\s*)cd\s/.test(text)) out.push(`D15: cd in RUN ${text}`);
    if (/apk add(?!.*--no-cache)/.test(text)) out.push('D08: apk add without --no-cache');
    if (/apt-get install(?!.*--no-install-recommends)/.test(text)) out.push('D08: apt-get install without --no-install-recommends');
    if (/apt-get install/.test(text) && !/rm -rf \/var\/lib\/apt\/lists/.test(text)) out.push('D08: apt lists not removed');
    if (/pip install(?!.*--no-cache-dir)/.test(text) && !/--mount=type=cache/.test(i.getTextContent())) out.push('D08: pip install keeps its cache');
  }
  for (const s of stages) {
    let pipefail = false;
    for (const i of s.instructions) {
      if (i.getKeyword() === 'SHELL' && /pipefail/.test(args(i))) pipefail = true;
      if (i.getKeyword() === 'RUN' && /[^|]\|[^|]/.test(args(i).replace(/"[^"]*"|'[^']*'/g, '')) && !pipefail) out.push(`D09: pipe without pipefail in RUN ${args(i)}`);
    }
  }
  for (const i of kw(final, 'COPY')) {
    if (/^\.\s+\.\/?$/.test(args(i).trim()) && !/--from/.test(i.getTextContent())) out.push('D06: COPY . . in the final stage');
  }
  for (const i of all.filter((x) => x.getKeyword() === 'ENV' || x.getKeyword() === 'ARG')) {
    if (/(PASSWORD|PASSWD|TOKEN|SECRET|PRIVATE_KEY|API_KEY)\w*=/i.test(args(i))) out.push(`D07: secret-looking ${i.getKeyword()} ${args(i)}`);
  }
  const entry = [...kw(final, 'ENTRYPOINT'), ...kw(final, 'CMD')];
  if (entry.length === 0) out.push('D10: no ENTRYPOINT or CMD');
  for (const i of entry) if (!isExecForm(args(i))) out.push(`D10: ${i.getKeyword()} not in exec form`);
  if (all.some((i) => /\b(sshd|sudo)\b/.test(args(i)) && i.getKeyword() === 'RUN')) out.push('D10: sshd or sudo in the image');
  const exposes = kw(final, 'EXPOSE').map(args);
  if (exposes.join(' ') !== String(expected.port)) out.push(`D11: EXPOSE ${exposes.join(' ') || 'missing'}, expected ${expected.port}`);
  const checks = kw(final, 'HEALTHCHECK');
  if (checks.length !== 1) out.push(`D12: ${checks.length} HEALTHCHECKs in the final stage`);
  for (const c of checks) {
    const cmd = /\bCMD\s+(.*)$/s.exec(args(c))?.[1] ?? '';
    if (!isExecForm(cmd)) out.push('D12: HEALTHCHECK not in exec form');
    if (/curl|wget/.test(cmd) && /distroless|scratch/.test(final.image)) out.push('D12: curl/wget health check on a distroless/scratch image');
  }
  const labels = kw(final, 'LABEL').map(args).join(' ');
  for (const key of ['created', 'revision', 'source', 'version', 'title']) {
    if (!labels.includes(`org.opencontainers.image.${key}=`)) out.push(`D14: label org.opencontainers.image.${key} missing`);
  }
  if (all.some((i) => i.getKeyword() === 'MAINTAINER')) out.push('D14: MAINTAINER used');
  for (const i of all.filter((x) => x.getKeyword() === 'WORKDIR')) if (!args(i).startsWith('/')) out.push(`D15: relative WORKDIR ${args(i)}`);
  return out;
}
