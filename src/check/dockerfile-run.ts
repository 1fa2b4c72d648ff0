/**
 * The shell commands of RUN instructions: D05 (TLS and signature checks kept on), D08 (pinned,
 * cache-free installs), D09 (pipefail), D10 (no sudo or sshd), D15 (no cd). Docker hands these
 * lines to a shell, so they are split here the way a POSIX shell splits them: quotes, escapes,
 * and the operators && || ; | & between simple commands.
 */
import type { Instruction } from './dockerfile-parse.js';
import { finding, type Finding } from './findings.js';
import type { Stage } from './dockerfile.js';

export interface SimpleCommand {
  words: string[];
  /** The operator that ended it (`|` means its output is piped into the next command). */
  then: string | null;
}

/** Splits a shell command line into simple commands; quotes are removed from words. */
export function splitShell(text: string): SimpleCommand[] {
  const out: SimpleCommand[] = [];
  let words: string[] = [];
  let word = '';
  let inWord = false;
  const endWord = () => {
    if (inWord) words.push(word);
    word = '';
    inWord = false;
  };
  const endCommand = (op: string | null) => {
    endWord();
    if (words.length > 0 || op === '|') out.push({ words, then: op });
    words = [];
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\' && i + 1 < text.length) {
      word += text[++i];
      inWord = true;
    } else if (c === "'") {
      const end = text.indexOf("'", i + 1);
      word += text.slice(i + 1, end < 0 ? text.length : end);
      i = end < 0 ? text.length : end;
      inWord = true;
    } else if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') {
        if (text[j] === '\\' && j + 1 < text.length) j++;
        word += text[j];
        j++;
      }
      i = j;
      inWord = true;
    } else if (c === '#' && !inWord) {
      while (i + 1 < text.length && text[i + 1] !== '\n') i++;
    } else if (c === ' ' || c === '\t') {
      endWord();
    } else if (c === '&' || c === '|' || c === ';' || c === '\n' || c === '(' || c === ')') {
      const two = text.slice(i, i + 2);
      if (two === '&&' || two === '||' || two === ';;') {
        endCommand(two);
        i++;
      } else if (c === '&' && text[i + 1] === '>') {
        word += c;
        inWord = true;
      } else {
        endCommand(c === '\n' ? ';' : c);
      }
    } else {
      word += c;
      inWord = true;
    }
  }
  endCommand(null);
  return out;
}

/**
 * A RUN's (or SHELL's) arguments as the shell reads them: a heredoc body comes verbatim from the
 * Dockerfile, so its backslash-newline line continuations are still in it; the shell drops them.
 */
export const shellTextOf = (i: Instruction): string => i.args.replace(/\\\n/g, '');

/** The command words after leading `VAR=value` assignments (and `env`), with those assignments. */
function commandOf(words: string[]): { assignments: string[]; argv: string[] } {
  let i = 0;
  while (i < words.length && (/^[A-Za-z_]\w*=/.test(words[i]!) || words[i] === 'env')) i++;
  return { assignments: words.slice(0, i), argv: words.slice(i) };
}

const program = (argv: string[]) => (argv[0] ?? '').split('/').at(-1) ?? '';

/** Package arguments after the subcommand: words that are not flags and not a flag's value. */
function packagesAfter(argv: string[], sub: string, valueFlags: string[]): string[] {
  const at = argv.indexOf(sub);
  if (at < 0) return [];
  const out: string[] = [];
  for (let i = at + 1; i < argv.length; i++) {
    const w = argv[i]!;
    if (valueFlags.includes(w)) i++;
    else if (!w.startsWith('-')) out.push(w);
  }
  return out;
}

const weakenings: [RegExp, string][] = [
  [/^--insecure$|^-[a-zA-Z]*k[a-zA-Z]*$/, 'curl -k/--insecure skips TLS verification'],
  [/^--no-check-certificate$/, 'wget --no-check-certificate skips TLS verification'],
  [/^--trusted-host(=|$)/, 'pip --trusted-host accepts an index without TLS'],
  [/^--allow-untrusted$/, 'apk --allow-untrusted installs unsigned packages'],
  [/^--allow-unauthenticated$|^--allow-insecure-repositories$|^--force-yes$/, 'apt installs unauthenticated packages'],
  [/^--nogpgcheck$|^--nosignature$/, 'the package signature check is turned off'],
  [/^--strict-ssl=false$/, 'npm --strict-ssl=false skips TLS verification'],
  [/^http\.sslVerify=false$/i, 'git http.sslVerify=false skips TLS verification'],
];

/** RPM-family package managers: install subcommands, how a pinned package looks, where the cache is. */
const rpmTools: Record<string, { subs: string[]; pin: RegExp; cache: RegExp }> = {
  yum: { subs: ['install'], pin: /-\d/, cache: /^\/var\/cache\/yum(\/|$)/ },
  dnf: { subs: ['install', 'in'], pin: /-\d/, cache: /^\/var\/cache\/(dnf|libdnf5)(\/|$)/ },
  microdnf: { subs: ['install'], pin: /-\d/, cache: /^\/var\/cache\/(yum|dnf)(\/|$)/ },
  zypper: { subs: ['install', 'in'], pin: /[=<>]/, cache: /^\/var\/cache\/zypp(\/|$)/ },
};
/** Options of yum, dnf and zypper that take a separate value (their man pages). */
const rpmValueFlags = ['--enablerepo', '--disablerepo', '--setopt', '--releasever', '--installroot', '-c', '--config', '--repo', '--repoid', '-x', '--exclude', '-r', '-t', '--type', '--from'];

/** The packages of the first of `subs` that is the command's subcommand (its first bare word), or null. */
function packagesAfterAny(argv: string[], subs: string[], valueFlags: string[]): string[] | null {
  let sub: string | undefined;
  for (let n = 1; n < argv.length; n++) {
    const w = argv[n]!;
    if (valueFlags.includes(w)) n++;
    else if (!w.startsWith('-')) {
      sub = w;
      break;
    }
  }
  return sub !== undefined && subs.includes(sub) ? packagesAfter(argv, sub, valueFlags) : null;
}

/** pip install's options that take a value (`pip install --help`): the value is no package. */
const pipValueFlags = [
  '-r', '--requirement', '-c', '--constraint', '-e', '--editable', '-i', '--index-url', '--extra-index-url', '-t', '--target', '--prefix', '--root',
  '--trusted-host', '-f', '--find-links', '--src', '--upgrade-strategy', '--platform', '--python-version', '--implementation', '--abi', '--python',
  '--proxy', '--retries', '--timeout', '--exists-action', '--cert', '--client-cert', '--cache-dir', '--log', '--progress-bar', '--root-user-action',
  '--global-option', '-C', '--config-settings', '--no-binary', '--only-binary', '--report', '--keyring-provider', '--use-feature', '--use-deprecated', '--group',
];

/** An environment value pip takes as true (its strtobool: 1, true, yes, on, y, t). */
const isTruthy = (value: string | null) => value !== null && /^(1|true|yes|on|y|t)$/i.test(value.trim());

/**
 * The instruction's arguments as far as its first line goes, "…" marking the cut: a RUN continued
 * over a hundred lines (docker-library's postgres) is named by its start, not quoted whole. The
 * first line with a word counts, so `RUN --mount=… \` alone on a line is skipped.
 */
export function firstLineOf(i: Instruction): string {
  const head = i.args.split('\n')[0]!;
  const line = i.words[0]?.line;
  let n = 0;
  // `words` are `args` split at these same blanks, in order, each with its line.
  for (const m of head.matchAll(/[^\t\v\f\r ]+/g)) {
    if (i.words[n] !== undefined && i.words[n]!.line !== line) return `${head.slice(0, m.index).trim()} …`;
    n++;
  }
  return head.trim();
}

function isPowerShell(shellArgs: string): boolean {
  try {
    const [program] = JSON.parse(shellArgs) as unknown[];
    return typeof program === 'string' && /^(pwsh|powershell)(\.exe)?$/i.test(program.split(/[\\/]/).at(-1) ?? '');
  } catch {
    return false;
  }
}

export function runFindings(stages: Stage[], file: string): Finding[] {
  const out: Finding[] = [];
  // The fix names the change to this very command where there is one (the rule's own fix is general).
  const add = (rule: string, i: Instruction, message: string, fix?: string) => out.push(finding(rule, file, i.line, message, fix));
  // Stages where `yarn install --immutable` has run (a stage FROM one of them too): "yarn workspaces
  // focus" installs from the lockfile without checking it, so it needs that check before it.
  const yarnChecked = new Set<string>();
  let yarnLocked = false;
  for (const stage of stages) {
    yarnLocked = yarnChecked.has(stage.image);
    let pipefail = false;
    // `ENV PIP_NO_CACHE_DIR=1` turns pip's cache off for every later pip in the stage (DL3042 too).
    let pipNoCache = false;
    for (const i of stage.instructions) {
      const { keyword, flags } = i;
      const args = shellTextOf(i);
      // PowerShell has no pipefail: a failing cmdlet in its object pipelines stops the script by
      // itself with $ErrorActionPreference = 'Stop' (hadolint's DL4006 also passes pwsh).
      if (keyword === 'SHELL') pipefail = /pipefail/.test(args) || isPowerShell(args);
      if (keyword === 'ENV') for (const p of i.properties) if (p.name === 'PIP_NO_CACHE_DIR') pipNoCache = isTruthy(p.value);
      if (keyword !== 'RUN') continue;
      const cacheMount = (target: RegExp) => flags.some((f) => f.name === 'mount' && /type=cache/.test(f.value ?? '') && target.test(f.value ?? ''));
      let script = args;
      if (script.trimStart().startsWith('[')) {
        try {
          script = (JSON.parse(script) as string[]).map((w) => `'${w.replace(/'/g, "'\\''")}'`).join(' ');
        } catch {
          // shell form after all
        }
      }
      if (/^<<-?\w+/.test(script.trimStart())) script = script.trimStart().split('\n').slice(1, -1).join('\n');
      const commands = splitShell(script);
      const sets = commands.some((c) => program(c.words) === 'set' && c.words.some((w, n) => w === 'pipefail' && /^-\w*o$/.test(c.words[n - 1] ?? '')));
      const pipes = commands.some((c, n) => c.then === '|' && commands[n + 1] !== undefined);
      if (pipes && !pipefail && !sets) add('D09', i, `RUN ${firstLineOf(i)} pipes without pipefail: a failing first command does not fail the build`);
      let aptInstall = false;
      let aptUpdate = false;
      let aptListsRemoved = false;
      const rpmInstalls = new Set<string>();
      const rpmCleaned = new Set<string>();
      for (const [n, c] of commands.entries()) {
        const { assignments, argv: words } = commandOf(c.words);
        // `corepack pnpm install` is pnpm's own install, run through the version corepack pins.
        const argv = program(words) === 'corepack' && /^(npm|pnpm|yarn)$/.test(words[1] ?? '') ? words.slice(1) : words;
        const prog = program(argv);
        for (const a of assignments) if (/^NODE_TLS_REJECT_UNAUTHORIZED=0$|^PYTHONHTTPSVERIFY=0$|^GIT_SSL_NO_VERIFY=/.test(a)) add('D05', i, `${a} turns TLS verification off`);
        for (const w of argv) {
          const hit = weakenings.find(([re]) => re.test(w));
          if (!hit) continue;
          if (hit[1].startsWith('curl') && prog !== 'curl') continue;
          add('D05', i, hit[1]);
        }
        if ((prog === 'curl' || prog === 'wget') && c.then === '|' && /^(sh|bash|ash|dash|zsh|python\d*|perl)$/.test(program(commandOf(commands[n + 1]?.words ?? []).argv))) {
          add('D05', i, `${prog} output is piped into a shell without checking its checksum`);
        }
        if (prog === 'cd') add('D15', i, 'RUN cd changes directory: use WORKDIR');
        if (prog === 'sudo') add('D10', i, 'sudo in the image: run the step as root and drop privileges with USER');
        if (prog === 'apk' && argv.includes('add')) {
          if (!argv.includes('--no-cache')) add('D08', i, 'apk add without --no-cache leaves the package index in the layer', 'Add --no-cache: apk add --no-cache <packages>');
          const pkgs = packagesAfter(argv, 'add', ['-t', '--virtual', '-X', '--repository']).filter((p) => !p.startsWith('.'));
          unpinned(pkgs, /=/, 'apk add', i);
          daemons(pkgs, i);
        }
        if ((prog === 'apt-get' || prog === 'apt') && argv.includes('install')) {
          aptInstall = true;
          if (!argv.includes('--no-install-recommends') && !argv.some((w) => /Install-Recommends=(false|0)/i.test(w))) add('D08', i, `${prog} install without --no-install-recommends`, `Add --no-install-recommends: ${prog} install -y --no-install-recommends <packages>`);
          const pkgs = packagesAfter(argv, 'install', ['-o', '-t', '--target-release']);
          unpinned(pkgs, /=/, `${prog} install`, i);
          daemons(pkgs, i);
        }
        if ((prog === 'apt-get' || prog === 'apt') && argv.includes('update')) aptUpdate = true;
        // The RPM family: yum and dnf pin as name-version (hadolint DL3033/DL3041), zypper as
        // name=version (DL3037); each leaves its metadata cache behind unless cleaned (DL3032/DL3040/DL3036).
        const rpmInstall = rpmTools[prog] !== undefined ? packagesAfterAny(argv, rpmTools[prog]!.subs, rpmValueFlags) : null;
        if (rpmInstall) {
          rpmInstalls.add(prog);
          unpinned(rpmInstall.filter((p) => !/\.rpm$/.test(p) && !p.startsWith('@')), rpmTools[prog]!.pin, `${prog} install`, i, prog === 'zypper' ? 'pkg=version' : 'pkg-version');
          daemons(rpmInstall.map((p) => p.replace(/-\d.*$/, '')), i);
        }
        if (rpmTools[prog] !== undefined && (argv.includes('clean') || (prog === 'zypper' && argv.includes('cc')))) rpmCleaned.add(prog);
        // rm -rf, -Rf, -fr, -r -f, --recursive… of a package cache or anything in it.
        const recursiveRm = prog === 'rm' && argv.some((w) => /^-[a-zA-Z]*[rR]/.test(w) || w === '--recursive');
        if (recursiveRm) {
          for (const w of argv) for (const [tool, { cache }] of Object.entries(rpmTools)) if (cache.test(w)) rpmCleaned.add(tool);
        }
        if (recursiveRm && argv.some((w) => /^\/var\/lib\/apt\/lists(\/|$)/.test(w))) aptListsRemoved = true;
        const pip = prog.startsWith('pip') ? argv : /^python\d*(\.\d+)?$/.test(prog) && argv[1] === '-m' && argv[2]?.startsWith('pip') ? argv.slice(2) : null;
        if (pip && pip.includes('install')) {
          const inlineNoCache = assignments.some((a) => a.startsWith('PIP_NO_CACHE_DIR=') && isTruthy(a.slice('PIP_NO_CACHE_DIR='.length)));
          if (!pip.includes('--no-cache-dir') && !pipNoCache && !inlineNoCache && !cacheMount(/\.cache\/pip|\/pip/)) add('D08', i, 'pip install without --no-cache-dir (or a cache mount) leaves its cache in the layer', 'Add --no-cache-dir (pip install --no-cache-dir …), or keep the cache out of the layer with RUN --mount=type=cache,target=/root/.cache/pip');
          const pkgs = packagesAfter(pip, 'install', pipValueFlags);
          unpinned(pkgs.filter((p) => !/^[./]|:\/\/|\.whl$/.test(p)), /==|@/, 'pip install', i, 'pkg==version');
        }
        if (prog === 'npm' && (argv[1] === 'install' || argv[1] === 'i')) {
          const pkgs = packagesAfter(argv, argv[1], ['--prefix']);
          if (pkgs.length === 0) add('D08', i, 'npm install: use npm ci (exactly the lockfile) with --omit=dev', 'Copy package-lock.json in first and run npm ci --omit=dev instead');
          else unpinned(pkgs.filter((p) => !/^[./]/.test(p)), /.@\d/, 'npm install', i, 'pkg@version');
        }
        if (prog === 'pnpm' || prog === 'yarn') lockfileInstall(prog, argv, i);
        if (prog === 'uv' && argv[1] === 'sync' && !argv.includes('--locked') && !argv.includes('--frozen')) add('D08', i, 'uv sync without --locked (or --frozen) may resolve again instead of installing exactly uv.lock', 'Add --locked: uv sync --locked');
      }
      if (aptInstall && !aptListsRemoved && !cacheMount(/\/var\/(lib|cache)\/apt/)) add('D08', i, 'apt package lists are not removed (rm -rf /var/lib/apt/lists/*) in the same RUN', 'End this RUN with && rm -rf /var/lib/apt/lists/*, or mount a cache at /var/lib/apt');
      for (const tool of rpmInstalls) {
        const clean = tool === 'zypper' ? 'zypper clean' : `${tool} clean all`;
        if (!rpmCleaned.has(tool) && !cacheMount(rpmTools[tool]!.cache)) add('D08', i, `${tool} install without ${clean} in the same RUN leaves the package cache in the layer`, `End this RUN with && ${clean}`);
      }
      if (aptUpdate && !aptInstall) add('D08', i, 'apt-get update on its own: its lists go stale in the cache; update and install in one RUN', 'Join it to the install: RUN apt-get update && apt-get install -y --no-install-recommends <pkg>=<version> && rm -rf /var/lib/apt/lists/*');
    }
    if (yarnLocked && stage.name) yarnChecked.add(stage.name);
  }
  return out;

  function unpinned(pkgs: string[], pin: RegExp, what: string, i: Instruction, form = 'pkg=version'): void {
    const loose = pkgs.filter((p) => !pin.test(p) && !p.includes('$'));
    const version = form.slice('pkg'.length, form.length - 'version'.length);
    if (loose.length > 0) add('D08', i, `${what} ${loose.join(' ')}: versions not pinned (${form})`, `Pin ${loose.length === 1 ? 'it' : 'each'}: ${what} ${loose.map((p) => `${p}${version}<version>`).join(' ')}`);
  }

  /** pnpm and yarn install exactly their lockfile only when told to; `add` must pin what it adds. */
  function lockfileInstall(prog: 'pnpm' | 'yarn', argv: string[], i: Instruction): void {
    const subs = argv.slice(1).filter((w) => !w.startsWith('-'));
    const sub = subs[0] === 'global' ? subs[1] : subs[0];
    if (argv.some((w) => /^(-v|--version|-h|--help)$/.test(w))) return;
    if (sub === 'add') {
      unpinned(packagesAfter(argv, 'add', ['--filter', '-F', '--dir', '-C', '--cwd']).filter((p) => !/^[./]/.test(p)), /.@\d/, `${prog} add`, i, 'pkg@version');
    } else if (sub === 'install' || sub === 'i' || (prog === 'yarn' && sub === undefined)) {
      const frozen = argv.includes('--frozen-lockfile') || (prog === 'yarn' && argv.includes('--immutable'));
      if (!frozen) add('D08', i, `${prog} install without ${prog === 'yarn' ? '--frozen-lockfile (Yarn 1) or --immutable' : '--frozen-lockfile'} may rewrite the lockfile instead of installing exactly it`, prog === 'yarn' ? 'Add --immutable (Yarn 2+) or --frozen-lockfile (Yarn 1)' : 'Add --frozen-lockfile: pnpm install --frozen-lockfile');
      if (prog === 'yarn' && argv.includes('--immutable')) yarnLocked = true;
    } else if (prog === 'yarn' && sub === 'workspaces' && subs[1] === 'focus' && !yarnLocked) {
      add('D08', i, 'yarn workspaces focus installs what yarn.lock lacks without failing: run "yarn install --immutable" before it in this stage', 'Run yarn install --immutable before yarn workspaces focus in this stage');
    }
  }

  function daemons(pkgs: string[], i: Instruction): void {
    for (const p of pkgs.map((x) => x.split('=')[0]!)) if (/^(openssh(-server)?|dropbear|sudo)$/.test(p)) add('D10', i, `installs ${p}: no SSH server or sudo in a container`);
  }
}
