/**
 * Signed commits (S01-S03), from the repository's own files: the repo-local `.git/config`, the
 * committed `.allowed_signers`, and the CI scripts that verify signatures.
 */
import { finding, type Finding } from './findings.js';
import { joinPath, type FileSource } from './source.js';

interface ConfigValue {
  value: string;
  line: number;
}

/** git-config(1) syntax: sections and subsections, case-insensitive names, quotes, `#`/`;` comments. */
export function parseGitConfig(text: string): Map<string, ConfigValue> {
  const out = new Map<string, ConfigValue>();
  let section = '';
  text.split(/\r?\n/).forEach((raw, i) => {
    let line = raw.trim();
    const header = /^\[\s*([A-Za-z0-9.-]+)(?:\s+"((?:[^"\\]|\\.)*)")?\s*\]\s*/.exec(line);
    if (header) {
      section = header[2] === undefined ? header[1]!.toLowerCase() : `${header[1]!.toLowerCase()}.${header[2].replace(/\\(.)/g, '$1')}`;
      // git reads a variable on the header's own line too: `[commit] gpgsign = true`.
      line = line.slice(header[0].length);
    }
    const entry = /^([A-Za-z][A-Za-z0-9-]*)\s*(?:=\s*(.*))?$/.exec(line);
    if (!entry || !section) return;
    let value = '';
    let quoted = false;
    for (const c of entry[2] ?? 'true') {
      if (c === '"') quoted = !quoted;
      else if ((c === '#' || c === ';') && !quoted) break;
      else value += c;
    }
    out.set(`${section}.${entry[1]!.toLowerCase()}`, { value: entry[2] === undefined ? 'true' : value.trim(), line: i + 1 });
  });
  return out;
}

const isTrue = (v: ConfigValue | undefined) => v !== undefined && /^(true|yes|on|1)$/i.test(v.value);

/**
 * An allowed-signers options field as ssh-keygen(1) reads it (sshsig.c): comma-separated, option
 * names case-insensitive, values in double quotes (which may hold commas).
 */
function signerOptions(field: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of field.matchAll(/([A-Za-z-]+)(?:="([^"]*)")?(?:,|$)/g)) out.set(m[1]!.toLowerCase(), m[2] ?? '');
  return out;
}

/** One `.allowed_signers` line: principals, options (namespaces="git"), key type, base64 key. */
export function allowedSignerProblem(line: string): string | null {
  const tokens = line.match(/(?:[^\s"]+|"[^"]*")+/g) ?? [];
  const [principals, second, ...rest] = tokens;
  if (!principals || !second) return 'expected: principal namespaces="git" <keytype> <base64-key>';
  const keyType = /^(ssh-|ecdsa-|sk-)/;
  const options = keyType.test(second) ? null : second;
  const [type, key] = options === null ? [second, rest[0]] : [rest[0], rest[1]];
  if (!type || !keyType.test(type)) return `"${type ?? ''}" is not an SSH key type`;
  if (!key || !/^[A-Za-z0-9+/]+={0,2}$/.test(key)) return 'the key is not base64';
  const namespaces = options === null ? undefined : signerOptions(options).get('namespaces');
  const list = namespaces?.split(',') ?? [];
  if (!list.includes('git')) return 'the key is not limited to git signatures (namespaces="git")';
  // ssh-keygen matches the namespace against each entry as a pattern: "*" would trust the key for
  // every namespace, git or not. A negated entry ("!file") only narrows the list.
  const pattern = list.find((n) => !n.startsWith('!') && /[*?]/.test(n));
  if (pattern !== undefined) return `namespaces="${namespaces}" holds the pattern "${pattern}", which trusts the key beyond git signatures: list the namespace git by name only`;
  return null;
}

/** Files CI may run: where a signature check would live (S03). */
function ciFiles(source: FileSource): string[] {
  const out: string[] = [];
  const dirs = ['scripts', 'bin', '.ci', 'ci', '.github/workflows', '.circleci', '.gitlab'];
  for (const dir of dirs) for (const e of source.list(dir)) if (!e.dir) out.push(joinPath(dir, e.name));
  for (const e of source.list('')) if (!e.dir && /^(\.gitlab-ci\.ya?ml|Makefile|Jenkinsfile|\.pre-commit-config\.yaml|azure-pipelines\.ya?ml)$/.test(e.name)) out.push(e.name);
  return out;
}

/** `rootDir` is the checked folder's absolute path (an allowedSignersFile may be absolute). */
export function checkSigning(source: FileSource, rootDir: string | null): Finding[] {
  const out: Finding[] = [];
  const top = source.list('');
  const hasGit = top.some((e) => e.dir && e.name === '.git');
  const signers = top.some((e) => !e.dir && e.name === '.allowed_signers') ? '.allowed_signers' : null;
  let config = new Map<string, ConfigValue>();
  if (hasGit) {
    const file = '.git/config';
    config = parseGitConfig(source.read(file) ?? '');
    const missing = [['commit.gpgsign', 'commit.gpgsign = true'], ['tag.gpgsign', 'tag.gpgSign = true']].filter(([k]) => !isTrue(config.get(k!)));
    for (const [key, want] of missing) out.push(finding('S01', file, config.get(key!)?.line ?? 1, `${want} is not set: commits and tags are not signed`));
    if (!config.get('user.signingkey')?.value) out.push(finding('S01', file, 1, 'user.signingkey is not set in the repository config'));
    const format = config.get('gpg.format')?.value ?? 'openpgp';
    if (!['ssh', 'openpgp', 'x509'].includes(format)) out.push(finding('S01', file, config.get('gpg.format')!.line, `gpg.format "${format}" is not ssh or openpgp`));
    if (format === 'ssh') {
      const allowed = config.get('gpg.ssh.allowedsignersfile');
      const path = allowed?.value ?? '';
      const relative = rootDir && path.startsWith(`${rootDir}/`) ? path.slice(rootDir.length + 1) : path.startsWith('/') || path.startsWith('~') ? null : path;
      if (!allowed) out.push(finding('S02', file, 1, 'gpg.ssh.allowedSignersFile is not set: git verify-commit cannot check SSH signatures'));
      else if (relative === null || source.read(relative) === undefined) out.push(finding('S02', file, allowed.line, `gpg.ssh.allowedSignersFile points at ${path}, not a file committed in this repository`));
    }
  }
  if (signers) {
    (source.read(signers) ?? '').split(/\r?\n/).forEach((line, i) => {
      if (line.trim() === '' || line.trim().startsWith('#')) return;
      const problem = allowedSignerProblem(line.trim());
      if (problem) out.push(finding('S02', signers, i + 1, `not a valid allowed-signers line: ${problem}`));
    });
  }
  if (signers || isTrue(config.get('commit.gpgsign'))) {
    const verifies = ciFiles(source).some((f) => /%G\?|verify-commit/.test(source.read(f) ?? ''));
    if (!verifies) out.push(finding('S03', signers ?? '.git/config', 1, 'commits are signed, but no CI script checks the signatures (%G? or git verify-commit)'));
  }
  return out;
}
