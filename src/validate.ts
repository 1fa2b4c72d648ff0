/**
 * Parsers for single answers. Each accepts what a flag, a JSON answers file or a prompt can give,
 * and returns a value every target format accepts, or throws InvalidAnswer saying how to fix it.
 * Being strict here is what keeps the escaping in templates simple and injection-proof.
 */
export class InvalidAnswer extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidAnswer';
  }
}

/** Shown in messages: control characters made visible, long values cut, so an error stays one line. */
export function show(value: unknown): string {
  if (typeof value !== 'string') {
    let text: string;
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      // Nested too deep to print (an answers file of 100 000 brackets): its outline will do.
      text = Array.isArray(value) ? '[…]' : '{…}';
    }
    return text.length > 60 ? `${text.slice(0, 57)}...` : text;
  }
  return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
}

function text(raw: unknown, what: string, max = 200): string {
  if (typeof raw === 'number' && Number.isFinite(raw)) raw = String(raw);
  if (typeof raw !== 'string') throw new InvalidAnswer(`${what} must be a string, got ${show(raw)}`);
  if (raw.length > max) throw new InvalidAnswer(`${what} is ${raw.length} characters long; the limit is ${max}`);
  // C0/C1 controls and Unicode line/paragraph separators could start a new line in some target format.
  if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/u.test(raw)) throw new InvalidAnswer(`${what} contains a control character or line break: ${show(raw)}; use a single line of printable text`);
  return raw.trim();
}

/**
 * Where a value fails for a character outside ASCII, the message names it: "é" is a letter, and
 * "use letters" alone would not say why "café" is refused.
 */
function notAscii(value: string): string {
  const found = /[^\u0000-\u007f]/u.exec(value)?.[0];
  return found === undefined ? '' : ` (${JSON.stringify(found)} is not ASCII)`;
}

const DNS_LABEL = /^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/;

export function dnsLabel(raw: unknown, what: string): string {
  const value = text(raw, what, 63);
  if (!DNS_LABEL.test(value)) {
    throw new InvalidAnswer(`${what} ${show(value)} is not a DNS label${notAscii(value)}; use 1-63 lowercase ASCII letters, digits and dashes, starting with a letter and not ending with a dash (e.g. my-svc)`);
  }
  return value;
}

/**
 * A name made into a DNS label, for suggesting a service name from a folder or package name:
 * `@acme/Orders_API` -> `orders-api`, `My Service` -> `my-service`; null when nothing usable is left.
 */
export function toDnsLabel(raw: string): string | null {
  const last = raw.replace(/^@[^/]+\//, '').split('/').pop() ?? '';
  // Accents go, letters stay: "Café Ünïcode" suggests cafe-unicode, not caf-n-code. (Only for
  // text that has any: the first normalize() loads ICU data, ~0.1 ms before the first question.)
  const plain = /[^\x00-\x7f]/.test(last) ? last.normalize('NFKD').replace(/\p{M}/gu, '') : last;
  const label = plain
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^[^a-z]+/, '')
    .slice(0, 63)
    .replace(/-+$/, '');
  return label === '' ? null : label;
}

export function identifier(raw: unknown, what: string): string {
  const value = text(raw, what, 63);
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/.test(value)) {
    throw new InvalidAnswer(`${what} ${show(value)} is not valid${notAscii(value)}; use ASCII letters, digits, "_" and "-", starting with a letter or digit`);
  }
  return value;
}

export function oneOf<T extends string>(raw: unknown, what: string, allowed: readonly T[], context = ''): T {
  const value = text(raw, what, 100);
  if (!(allowed as readonly string[]).includes(value)) {
    const where = context ? ` ${context}` : '';
    throw new InvalidAnswer(`${what} ${show(value)} is not available${where}; choose one of: ${allowed.join(', ')}`);
  }
  return value as T;
}

export function port(raw: unknown): number {
  if (typeof raw !== 'number' && typeof raw !== 'string') throw new InvalidAnswer(`port must be a whole number, got ${show(raw)}; use a port from 1024 to 65535`);
  const value = typeof raw === 'number' ? String(raw) : text(raw, 'port', 10);
  // (String, not show: JSON has no Infinity, so 1e400 would be shown as null.)
  if (!/^\d+$/.test(value)) throw new InvalidAnswer(`port ${typeof raw === 'number' ? value : show(raw)} is not a whole number; use a port from 1024 to 65535`);
  const n = Number(value);
  if (n < 1024) throw new InvalidAnswer(`port ${n} is a privileged port (D11); use a port from 1024 to 65535`);
  if (n > 65535) throw new InvalidAnswer(`port ${n} is out of range; use a port from 1024 to 65535`);
  return n;
}

export function urlPath(raw: unknown, what: string): string {
  const value = text(raw, what, 200);
  if (!/^\/[A-Za-z0-9._~\/-]*$/.test(value) || value.includes('//') || /(^|\/)\.\.?(\/|$)/.test(value)) {
    throw new InvalidAnswer(`${what} ${show(value)} is not a plain URL path${notAscii(value)}; use "/" followed by ASCII letters, digits, ".", "_", "~", "-" and "/" (e.g. /healthz)`);
  }
  return value;
}

/**
 * A start command as a person types it: words split on blanks, with '…' and "…" quoting.
 * Stored as typed; templates render it in exec form from `splitCommand`.
 */
export function command(raw: unknown, what: string): string {
  const value = text(raw, what, 500);
  if (value === '') throw new InvalidAnswer(`${what} is empty; give the command that starts the app (e.g. "node src/server.js")`);
  // The image runs it in exec form: "$PORT" would reach the app as those five characters.
  const variable = /\$(\{[A-Za-z_][^}]*\}?|[A-Za-z_]\w*)/.exec(value);
  if (variable) throw new InvalidAnswer(`${what} ${show(value)} uses ${variable[0]}, but the image runs it in exec form, where no shell expands variables; write the value itself (e.g. --port 8000)`);
  // A space pasted from a web page or chat (no-break, thin, ideographic): the exec form would make
  // "node src/server.js" one program name.
  const oddSpace = /[^\S \t]/u.exec(value);
  if (oddSpace) throw new InvalidAnswer(`${what} ${show(value)} contains U+${oddSpace[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}, a space that is not a plain one (pasted text?); type it again with plain spaces`);
  const operator = shellSyntax(value);
  if (operator) {
    throw new InvalidAnswer(`${what} ${show(value)} uses ${operator} outside quotes, but the image runs it in exec form, where no shell reads it: the app would get "${operator}" as an argument; start one program (a script the image copies, for several steps), or quote it if the app should get it`);
  }
  splitCommand(value, what);
  return value;
}

/** The first shell operator or comment outside quotes (`&&`, `;`, `|`, `>`, a backtick, `$(`, `#`…). */
function shellSyntax(value: string): string | null {
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]!;
    if (quote) {
      if (ch === quote) quote = null;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
    } else if (';|&<>`'.includes(ch)) {
      return /^(&&|\|\||>>|;;)/.exec(value.slice(i))?.[0] ?? ch;
    } else if (ch === '$' && value[i + 1] === '(') {
      return '$(';
    } else if (ch === '#' && (i === 0 || value[i - 1] === ' ' || value[i - 1] === '\t')) {
      return '#';
    }
  }
  return null;
}

/**
 * A file name as one word of a start command: quoted when it holds a space or a character the
 * start answer refuses outside quotes (a Visual Studio project named "My Api" builds "My Api.dll";
 * package.json's main may be "my server.js"), which unquoted would be two arguments, and the
 * image would not start.
 */
export function commandWord(name: string): string {
  if (/^[A-Za-z0-9._+@/-]+$/.test(name)) return name;
  return name.includes('"') ? `'${name}'` : `"${name}"`;
}

export function splitCommand(value: string, what = 'start'): string[] {
  const words: string[] = [];
  let current = '';
  let inWord = false;
  let quote: '"' | "'" | null = null;
  for (const ch of value) {
    if (quote) {
      if (ch === quote) quote = null;
      else current += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      inWord = true;
    } else if (ch === ' ' || ch === '\t') {
      if (inWord) words.push(current);
      current = '';
      inWord = false;
    } else {
      current += ch;
      inWord = true;
    }
  }
  if (quote) throw new InvalidAnswer(`${what} ${show(value)} has an unclosed ${quote} quote; close it or remove it`);
  if (inWord) words.push(current);
  if (words.length === 0) throw new InvalidAnswer(`${what} is empty; give the command that starts the app`);
  return words;
}

/** Environment names the container or its schedulers own: a secret must not shadow them. */
const RESERVED_ENV = new Set(['PATH', 'HOME', 'USER', 'SHELL', 'PWD', 'HOSTNAME', 'LANG', 'TERM', 'TZ', 'PORT', 'NODE_ENV', 'PYTHONPATH', 'JAVA_HOME', 'APP_UID']);
const RESERVED_ENV_PREFIXES = ['NOMAD_', 'VAULT_', 'CONSUL_', 'DOCKER_', 'LD_', 'DOTNET_', 'ASPNETCORE_'];

export function secretNames(raw: unknown): string[] {
  const names = listOf(raw, 'secret', (v) => {
    // A line of a .env file: its value must not reach the message (a terminal's scrollback, a CI log).
    const assignment = typeof v === 'string' ? /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=/.exec(v) : null;
    if (assignment) {
      throw new InvalidAnswer(`secret ${assignment[1]}=… holds a value; give the name only (${assignment[1]}): the tool keeps secret names, never their values`);
    }
    const name = text(v, 'secret', 64);
    if (!/^[A-Z][A-Z0-9_]*$/.test(name)) {
      throw new InvalidAnswer(`secret ${show(name)} is not an environment variable name${notAscii(name)}; use uppercase ASCII letters, digits and "_", starting with a letter (e.g. DATABASE_URL)`);
    }
    if (RESERVED_ENV.has(name) || RESERVED_ENV_PREFIXES.some((p) => name.startsWith(p))) {
      throw new InvalidAnswer(`secret ${show(name)} would shadow a variable the runtime or scheduler sets; rename it (e.g. APP_${name})`);
    }
    return name;
  });
  return names;
}

export function networkNames(raw: unknown): string[] {
  const names = listOf(raw, 'network', (v) => {
    const name = text(v, 'network', 32);
    if (!/^[a-z][a-z0-9-]{0,31}$/.test(name)) throw new InvalidAnswer(`network ${show(name)} is not valid${notAscii(name)}; use lowercase ASCII letters, digits and dashes, starting with a letter`);
    if (['data', 'host', 'bridge', 'none', 'default'].includes(name)) {
      throw new InvalidAnswer(`network ${show(name)} is reserved (C05: "data" is the internal network made for backing services; host/bridge/none/default are Docker's); choose another name`);
    }
    return name;
  });
  if (names.length === 0) throw new InvalidAnswer('networks is empty; the app needs at least one network (e.g. frontend)');
  return names;
}

/**
 * What the generated .dockerignore keeps out of the build context (I01, I02), so a COPY of it could
 * only fail: names excluded at any depth, and names excluded at the context root only.
 */
const anyDepth = /^(secrets|\.env|\.env\..*|.*\.env|.*\.(pem|key|p12|pfx|swp)|id_(rsa|dsa|ecdsa|ed25519).*|\.aws|\.gcp|\.azure|\.kube|\.docker|\.vault-token|\.netrc|\.npmrc|\.pypirc|\.git|\.DS_Store|\.idea|\.vscode)$/;
const atRoot = /^(\.gitignore|\.secure-service|deploy|alloc|local|compose.*\.yaml|\.allowed_signers)$/;
const keptIn = /\.env\.example$/;

/** A COPY wildcard as Docker matches it: `*` and `?` within one path segment, all else literal. */
export function copyPattern(glob: string): RegExp {
  return new RegExp(`^${glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')}$`);
}

function outOfContext(segments: readonly string[], buildOutput: readonly string[]): string | undefined {
  const output = buildOutput.map(copyPattern);
  const hit = segments.find((s) => (anyDepth.test(s) && !keptIn.test(s)) || output.some((o) => o.test(s)));
  return hit ?? (atRoot.test(segments[0]!) ? segments[0] : undefined);
}

/**
 * The application's files and folders the image copies (D06: named paths, never the whole
 * context). Each is a relative path in the build context, written as it appears in a Dockerfile
 * COPY: letters, digits and ". _ - @ +", with "*" and "?" as wildcards; "." alone, "..", absolute
 * paths and what .dockerignore excludes (secrets, credentials, .git, the deploy folders, the
 * language's build output) are refused, since COPY could only fail on them or leak them.
 */
export function appSources(raw: unknown, buildOutput: readonly string[] = []): string[] {
  const sources = listOf(raw, 'source', (v) => {
    const value = text(v, 'source', 200).replace(/^\.\/+/, '').replace(/\/+$/, '');
    const fix = 'name a file or folder of the app relative to the project root (e.g. src, app.py or *.go)';
    // `*` alone copies every top-level entry: the whole context again, by another name.
    if (value === '' || value === '.' || /^[*?]+$/.test(value)) throw new InvalidAnswer(`source ${show(v)} is the whole build context; D06 copies named paths only, never "COPY . ."; ${fix}`);
    if (!/^[A-Za-z0-9._@+*?\/-]+$/.test(value) || value.startsWith('/') || value.startsWith('-') || value.includes('//')) {
      throw new InvalidAnswer(`source ${show(v)} is not a plain relative path${notAscii(value)}; ${fix}, using ASCII letters, digits, ".", "_", "-", "@", "+", "/" and the wildcards "*" and "?"`);
    }
    const segments = value.split('/');
    if (segments.some((s) => s === '.' || s === '..')) throw new InvalidAnswer(`source ${show(v)} leaves or re-enters the folder with "." or ".."; ${fix}`);
    if (segments.slice(0, -1).some((s) => /[*?]/.test(s))) throw new InvalidAnswer(`source ${show(v)} has a wildcard in a folder name; wildcards may only match file names (e.g. cmd/*.go)`);
    const excluded = outOfContext(segments, buildOutput);
    if (excluded !== undefined) {
      throw new InvalidAnswer(`source ${show(v)} is kept out of the build context by .dockerignore (${excluded}: secrets, credentials, deployment files and build output never reach the image); ${fix}`);
    }
    return value;
  });
  if (sources.length === 0) throw new InvalidAnswer('sources is empty; the image needs the app\'s code: name its files and folders (e.g. src)');
  return sources;
}

/**
 * What a compiled language's build makes, in the form its Dockerfile line takes (the main package
 * of `go build`, the binary `cargo build` writes, the jar of `mvn package`). Languages whose image
 * is built from the whole project have none: only the empty default is accepted.
 */
export function buildTarget(raw: unknown, language: { label: string; buildTarget?: { what: string; form: RegExp; example: string; inDefaultFolder?: boolean } }, fallback = ''): string {
  const value = text(raw, 'build-target', 200);
  const target = language.buildTarget;
  if (!target) {
    if (value === '') return value;
    throw new InvalidAnswer(`build-target ${show(value)} does not apply to ${language.label}, whose image is built from the project's sources; leave it out`);
  }
  if (!target.form.test(value)) throw new InvalidAnswer(`build-target ${show(value)} is not ${target.what} in a form the Dockerfile can name; use e.g. ${target.example}`);
  const folder = (path: string) => path.slice(0, path.lastIndexOf('/') + 1);
  if (target.inDefaultFolder && fallback && folder(value) !== folder(fallback)) {
    throw new InvalidAnswer(`build-target ${show(value)} is not in ${folder(fallback)}, where this build writes it; use e.g. ${fallback}`);
  }
  return value;
}

/**
 * The package manager a language's Dockerfile installs with (Node: npm, pnpm, yarn for Yarn 1 or yarn-berry for Yarn 2+). Languages
 * with one toolchain have none: only the empty default is accepted.
 */
export function packageManager(raw: unknown, language: { label: string; packageManagers?: readonly { id: string }[] }): string {
  const value = text(raw, 'package-manager', 20);
  const managers = language.packageManagers;
  if (!managers) {
    if (value === '') return value;
    throw new InvalidAnswer(`package-manager ${show(value)} does not apply to ${language.label}, whose image installs with its one toolchain; leave it out`);
  }
  return oneOf(value, 'package-manager', managers.map((m) => m.id), `for ${language.label}`);
}

/**
 * The file in a folder a start command runs: `node --enable-source-maps ./dist/index.js --port 80`
 * gives "dist/index.js" (node's own flags before it and the app's arguments after it skipped);
 * null when the command runs no file in a folder.
 */
export function builtFileOf(start: string): string | null {
  const script = /^node\s+(?:-\S+\s+)*(?:\.\/)?([A-Za-z0-9_][\w.-]*\/\S+)(?:\s|$)/.exec(start.trim());
  // A tool run from node_modules (the deps stage installs it) is no file of the build.
  return script && !script[1]!.startsWith('node_modules/') ? script[1]! : null;
}

/** Next.js's own CLI run from node_modules: `next start` serves what `next build` wrote in .next/. */
export const nextStartCommand = /^node\s+(?:-\S+\s+)*(?:\.\/)?node_modules\/next\/dist\/bin\/next\s+start(?:\s|$)/;

/** The folder of that file ("dist"), which the build stage writes and the runtime copies (.next for next start). */
export function builtFolderOf(start: string): string | null {
  if (nextStartCommand.test(start.trim())) return '.next';
  return builtFileOf(start)?.split('/')[0] ?? null;
}

/**
 * The package.json script that builds the app before it runs (Node: "build"), or empty for none.
 * The start command must run what it writes from its folder, which the image copies from the
 * build stage.
 */
export function buildScript(raw: unknown, language: { label: string; buildScript?: true }, start: string | undefined): string {
  const value = text(raw, 'build-script', 64);
  if (value === '') return value;
  if (!language.buildScript) throw new InvalidAnswer(`build-script ${show(value)} does not apply to ${language.label}; leave it out`);
  if (!/^[A-Za-z0-9][\w:.-]*$/.test(value)) throw new InvalidAnswer(`build-script ${show(value)} is not a package.json script name; use e.g. build`);
  if (!start || builtFolderOf(start) === null) throw new InvalidAnswer(`build-script ${show(value)} needs a start command that runs the built file from its folder, e.g. "node dist/index.js"`);
  return value;
}

/** A list from a JSON array, repeated flags, or comma-separated prompt text; duplicates refused. */
export function listOf<T>(raw: unknown, what: string, item: (v: unknown) => T): T[] {
  let values: unknown[];
  if (Array.isArray(raw)) values = raw;
  else if (typeof raw === 'string') values = raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
  else throw new InvalidAnswer(`${what} must be a list, got ${show(raw)}`);
  if (values.length > 50) throw new InvalidAnswer(`${what} has ${values.length} entries; the limit is 50`);
  const out = values.map(item);
  const seen = new Set<T>();
  for (const v of out) {
    if (seen.has(v)) throw new InvalidAnswer(`${what} ${show(v)} is given twice; list each once`);
    seen.add(v);
  }
  return out;
}

export function cpu(raw: unknown): number {
  const value = typeof raw === 'number' ? String(raw) : text(raw, 'cpu', 10);
  if (!/^\d+(\.\d{1,2})?$/.test(value)) throw new InvalidAnswer(`cpu ${show(raw)} is not a number of cores; use e.g. 0.5 or 2`);
  const n = Number(value);
  if (n < 0.1 || n > 64) throw new InvalidAnswer(`cpu ${n} is out of range; use 0.1 to 64 cores`);
  return n;
}

export function memory(raw: unknown): number {
  const value = typeof raw === 'number' ? String(raw) : text(raw, 'memory', 12);
  const m = /^(\d+)\s*(M|Mi|MiB|MB|G|Gi|GiB|GB)?$/i.exec(value);
  if (!m) throw new InvalidAnswer(`memory ${show(raw)} is not a size; use MiB (e.g. 512) or a unit (512M, 1G)`);
  const unit = (m[2] ?? 'M').toUpperCase();
  const mib = Number(m[1]) * (unit.startsWith('G') ? 1024 : 1);
  if (mib < 32 || mib > 262144) throw new InvalidAnswer(`memory ${mib} MiB is out of range; use 32 MiB to 256 GiB`);
  return mib;
}

export function kvVersion(raw: unknown): 1 | 2 {
  if (raw === 1 || raw === '1') return 1;
  if (raw === 2 || raw === '2') return 2;
  throw new InvalidAnswer(`vault-kv ${show(raw)} is not a KV version; use 1 or 2`);
}

export function vaultMount(raw: unknown): string {
  const value = text(raw, 'vault-mount', 63).replace(/\/+$/, '');
  if (!/^[a-z0-9][a-z0-9_-]{0,62}$/.test(value) || value === 'sys' || value === 'auth' || value === 'identity') {
    throw new InvalidAnswer(`vault-mount ${show(value)} is not a KV mount name${notAscii(value)}; use lowercase ASCII letters, digits, "_" and "-" (e.g. secret), never sys, auth or identity`);
  }
  return value;
}

export function signingKey(raw: unknown, mode: string): string {
  const value = text(raw, 'signing-key', 1024);
  if (mode === 'none') return '';
  if (mode === 'gpg') {
    if (value !== '' && !/^(0x)?[0-9A-Fa-f]{8,40}$/.test(value)) {
      throw new InvalidAnswer(`signing-key ${show(value)} is not a GPG key ID; use its hex ID or fingerprint (gpg --list-secret-keys --keyid-format=long), or leave it empty`);
    }
    return value;
  }
  if (value === '') throw new InvalidAnswer('signing-key is empty; give the SSH public key file (e.g. ~/.ssh/id_ed25519.pub) or use --signing none');
  // Letters and digits of any script (a home folder may be /home/josé): the shell commands that
  // name the path quote it (sh()), and the other files hold it in a comment. No space, quote,
  // symbol or invisible format character (a bidi override would show another path than it is).
  const bad = /[^\p{L}\p{M}\p{N}_./~@+-]/u.exec(value)?.[0];
  if (bad !== undefined) {
    const code = `U+${bad.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
    throw new InvalidAnswer(`signing-key ${show(value)} is not a plain file path (${JSON.stringify(bad)}, ${code}, cannot be in it); use letters, digits and . _ / ~ @ + - (e.g. ~/.ssh/id_ed25519.pub), or rename the file`);
  }
  return value;
}

export function sourceUrl(raw: unknown): string {
  const value = text(raw, 'source-url', 300);
  if (value === '') return '';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidAnswer(`source-url ${show(value)} is not a URL; use https://host/owner/repo or leave it empty`);
  }
  if (url.protocol !== 'https:' || !/^https:\/\/[A-Za-z0-9._~:\/@%+-]+$/.test(value) || url.username || url.password) {
    throw new InvalidAnswer(`source-url ${show(value)} must be a plain https URL without credentials, quotes, spaces or $ (e.g. https://github.com/acme/my-svc)`);
  }
  return value;
}
