/**
 * Where the app listens. Inside a container, a server bound to 127.0.0.1 is reachable from that
 * container alone: its own HEALTHCHECK passes, while compose's published port and Nomad's port
 * mapping reach nothing. Several servers bind there unless told otherwise (uvicorn, gunicorn,
 * hypercorn, sanic, flask run, Django's runserver), so a detected start command gets the flag that makes
 * it listen on every interface, and an explicit loopback bind in the code it runs is noted.
 * (Compose still publishes the port on 127.0.0.1 of the host only, C04.)
 */
import type { RepoView } from './repo.js';

const loopback = /^(localhost|127\.0\.0\.1|\[::1\]|::1)$/;

export interface ListeningStart {
  value: string;
  /** Why the command was changed, for the notes. */
  note: string;
}

/** An option of a command line, where it is and its value (`--host X` or `--host=X`). */
interface OptionAt {
  index: number;
  value: string;
  inline: boolean;
}

/** A start command's words, the server it runs (after `python -m`), and its options. */
function serverCommand(start: string) {
  const words = start.trim().split(/\s+/);
  const module = words[0]?.startsWith('python') && words[1] === '-m' ? 2 : 0;
  const tool = (words[module] ?? '').split('/').pop()!;
  const option = (names: string[]): OptionAt | null => {
    for (let i = module + 1; i < words.length; i++) {
      const w = words[i]!;
      const name = names.find((n) => w === n || w.startsWith(`${n}=`));
      if (!name) continue;
      return w === name ? { index: i, value: words[i + 1] ?? '', inline: false } : { index: i, value: w.slice(name.length + 1), inline: true };
    }
    return null;
  };
  const runserver = words.indexOf('runserver');
  const django = runserver > 0 && /(^|\/)manage\.py$/.test(words[runserver - 1] ?? '') ? runserver : -1;
  // `flask --app module:app run`: the group's options come before the command.
  let command = module + 1;
  while (/^(--app|-A)$/.test(words[command] ?? '')) command += 2;
  while (/^(--app=|--debug$|--no-debug$)/.test(words[command] ?? '')) command += 1;
  return { words, tool, module, option, django, flaskRun: tool === 'flask' && words[command] === 'run', fastapi: tool === 'fastapi' ? (words[module + 1] ?? '') : '' };
}

/**
 * What makes a server a development one, by tool: options that reload or restart it when files
 * change (a watcher and a second process, for code that never changes in an image), and those
 * that open a debugger (Flask's runs Python code sent from the browser, Node's inspector any code
 * a client sends to its port); whether each takes a value.
 */
type DevelopmentOption = [name: string, takesValue: boolean, kind: 'reload' | 'debugger'];
const developmentOptions: Record<string, DevelopmentOption[]> = {
  uvicorn: [['--reload', false, 'reload'], ['--reload-dir', true, 'reload'], ['--reload-include', true, 'reload'], ['--reload-exclude', true, 'reload'], ['--reload-delay', true, 'reload']],
  gunicorn: [['--reload', false, 'reload'], ['--reload-engine', true, 'reload'], ['--reload-extra-file', true, 'reload']],
  hypercorn: [['--reload', false, 'reload']],
  fastapi: [['--reload', false, 'reload']],
  flask: [['--debug', false, 'debugger'], ['--reload', false, 'reload'], ['--debugger', false, 'debugger']],
  // --dev is debug mode and the reloader together.
  sanic: [['--dev', false, 'debugger'], ['--debug', false, 'debugger'], ['--reload', false, 'reload'], ['--auto-reload', false, 'reload'], ['-r', false, 'reload'], ['--reload-dir', true, 'reload'], ['-R', true, 'reload']],
  // `--inspect` takes its host:port only after `=`.
  node: [['--watch', false, 'reload'], ['--watch-path', true, 'reload'], ['--watch-preserve-output', false, 'reload'], ['--inspect', false, 'debugger'], ['--inspect-brk', false, 'debugger'], ['--inspect-wait', false, 'debugger']],
};
const debuggers: Record<string, string> = {
  flask: "turns on Flask's debugger, which runs Python code sent from the browser",
  node: "opens Node's inspector, which runs any code a client sends to its port",
  sanic: "turns on Sanic's debug mode (verbose errors, run-time optimizations off)",
};

/**
 * A start command that runs a server in its development mode, made to run it as production does:
 * `fastapi dev` (auto-reload, 127.0.0.1 by default) becomes `fastapi run`, the same command with
 * reload off and 0.0.0.0 (they share the path, the app and every other option); reload, watch
 * and debugger options go. Null when there is nothing to change.
 */
export function productionStart(start: string): ListeningStart | null {
  const { words, tool, module, fastapi } = serverCommand(start);
  const options = developmentOptions[tool];
  if (!options) return null;
  const dropped: DevelopmentOption[] = [];
  const value: string[] = [];
  // Node's own options come before the script; what follows is the app's.
  const script = tool === 'node' ? words.findIndex((w, i) => i > 0 && !w.startsWith('-') && !options.some(([name, takes]) => takes && words[i - 1] === name)) : words.length;
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    const option = i > module && (script < 0 || i < script) ? options.find(([name]) => w === name || w.startsWith(`${name}=`)) : undefined;
    if (!option) {
      value.push(fastapi === 'dev' && i === module + 1 ? 'run' : w);
      continue;
    }
    dropped.push(option);
    if (option[1] && w === option[0]) i++;
  }
  if (fastapi !== 'dev' && dropped.length === 0) return null;
  const reloads = [...new Set(dropped.filter((o) => o[2] === 'reload').map((o) => o[0]))];
  const why = [
    ...(fastapi === 'dev' ? ["runs FastAPI's development server (auto-reload, 127.0.0.1 by default)"] : []),
    ...(dropped.some((o) => o[2] === 'debugger') ? [debuggers[tool]!] : []),
    ...(fastapi !== 'dev' && reloads.length > 0 ? [`${tool === 'node' ? 'restarts' : 'reloads'} on file changes (${reloads.join(', ')}: a watcher and a second process, for code that never changes in an image)`] : []),
  ];
  return { value: value.join(' '), note: `start: "${start}" ${why.join(' and ')}: not for production, so the Dockerfile runs "${value.join(' ')}"` };
}

/**
 * A server that has no production mode to switch to: Django's runserver, which Django's docs say
 * not to use in production (it has not gone through security audits or performance tests).
 */
export function developmentServer(start: string): string | null {
  return serverCommand(start).django > 0 ? "Django's development server (runserver)" : null;
}

const hostOf = (bind: string) => (bind.startsWith('[') ? bind.slice(0, bind.indexOf(']') + 1) : bind.split(':')[0]!);

/** The start command made to listen on every interface, or null when it already does (or is not a server we know). */
export function listeningStart(start: string, options: { gunicornConfig?: boolean } = {}): ListeningStart | null {
  const { words, tool, option: optionValue, django: runserver, flaskRun, fastapi } = serverCommand(start);
  const changed = (value: string[], why: string): ListeningStart => ({
    value: value.join(' '),
    note: `start: "${start}" ${why}, which nothing outside the container reaches, so the Dockerfile runs "${value.join(' ')}" (compose still publishes the port on 127.0.0.1 only, C04)`,
  });
  const replaceValue = (o: OptionAt, value: string): string[] => {
    const next = [...words];
    if (o.inline) next[o.index] = `${next[o.index]!.split('=')[0]}=${value}`;
    else next[o.index + 1] = value;
    return next;
  };

  if (tool === 'uvicorn' || tool === 'sanic' || flaskRun) {
    const name = flaskRun ? 'flask run' : tool;
    const host = optionValue(flaskRun ? ['--host', '-h'] : tool === 'sanic' ? ['--host', '-H'] : ['--host']);
    if (tool === 'uvicorn' && optionValue(['--uds', '--fd'])) return null;
    if (tool === 'sanic' && optionValue(['--unix', '-u'])) return null;
    if (!host) return changed([...words, '--host', '0.0.0.0'], `listens on 127.0.0.1 only (${name}'s default)`);
    return loopback.test(host.value) ? changed(replaceValue(host, '0.0.0.0'), `listens on ${host.value} only`) : null;
  }
  // `fastapi run` listens on 0.0.0.0 unless told otherwise.
  if (fastapi === 'run') {
    const host = optionValue(['--host']);
    return host && loopback.test(host.value) ? changed(replaceValue(host, '0.0.0.0'), `listens on ${host.value} only`) : null;
  }
  if (tool === 'gunicorn' || tool === 'hypercorn') {
    const bind = optionValue(['--bind', '-b']);
    // gunicorn reads its bind from gunicorn.conf.py too; hypercorn and gunicorn default to 127.0.0.1:8000.
    if (!bind) return tool === 'gunicorn' && options.gunicornConfig ? null : changed([...words, '--bind', '0.0.0.0:8000'], `listens on 127.0.0.1:8000 only (${tool}'s default)`);
    const host = hostOf(bind.value);
    if (!loopback.test(host) || bind.value.startsWith('unix:')) return null;
    return changed(replaceValue(bind, `0.0.0.0${bind.value.slice(host.length)}`), `listens on ${host} only`);
  }
  if (runserver > 0) {
    const address = words[runserver + 1];
    if (address === undefined || address.startsWith('-')) {
      return changed([...words.slice(0, runserver + 1), '0.0.0.0:8000', ...words.slice(runserver + 1)], "listens on 127.0.0.1:8000 only (Django's runserver default)");
    }
    if (/^\d+$/.test(address)) return changed(words.map((w, i) => (i === runserver + 1 ? `0.0.0.0:${address}` : w)), `listens on 127.0.0.1:${address} only (Django's runserver default)`);
    const host = hostOf(address);
    return loopback.test(host) ? changed(words.map((w, i) => (i === runserver + 1 ? `0.0.0.0${address.slice(host.length)}` : w)), `listens on ${host} only`) : null;
  }
  if (tool === 'php' && words[1] === '-S') {
    const address = words[2] ?? '';
    const host = hostOf(address);
    return loopback.test(host) ? changed(words.map((w, i) => (i === 2 ? `0.0.0.0${address.slice(host.length)}` : w)), `listens on ${host} only`) : null;
  }
  return null;
}

/**
 * The port a server started by this command listens on: its --port or bind address, else the
 * server's own default. Null for a command whose port is decided elsewhere (node, a binary).
 */
export function serverPort(start: string): { port: number; explicit: boolean; server: string } | null {
  const { words, tool, option: optionAt, django: runserver, flaskRun, fastapi } = serverCommand(start);
  const option = (names: string[]) => optionAt(names)?.value;
  const portIn = (address: string | undefined) => {
    const m = address === undefined ? null : /:(\d{1,5})$/.exec(address);
    return m ? Number(m[1]) : undefined;
  };
  const result = (server: string, explicit: number | undefined, fallback: number) => ({ port: explicit ?? fallback, explicit: explicit !== undefined, server });
  const number = (v: string | undefined) => (v !== undefined && /^\d{1,5}$/.test(v) ? Number(v) : undefined);
  if (tool === 'uvicorn') return result('uvicorn', number(option(['--port'])), 8000);
  if (tool === 'sanic') return option(['--unix', '-u']) ? null : result('sanic', number(option(['--port', '-p'])), 8000);
  // FastAPI's CLI runs uvicorn: `fastapi run` on 0.0.0.0:8000 unless told otherwise.
  if (fastapi === 'run') return result('fastapi run', number(option(['--port'])), 8000);
  if (tool === 'node' && /(^|\/)node_modules\/next\/dist\/bin\/next$/.test(words[1] ?? '') && words[2] === 'start') return result('next start', number(option(['--port', '-p'])), 3000);
  if (flaskRun) return result('flask run', number(option(['--port', '-p'])), 5000);
  if (tool === 'gunicorn' || tool === 'hypercorn') {
    const bind = option(['--bind', '-b']);
    return bind?.startsWith('unix:') ? null : result(tool, portIn(bind), 8000);
  }
  if (runserver > 0) {
    const address = words[runserver + 1];
    return result("Django's runserver", number(address) ?? portIn(address), 8000);
  }
  if (tool === 'php' && words[1] === '-S') {
    const port = portIn(words[2]);
    return port === undefined ? null : result('php -S', port, port);
  }
  return null;
}

/** Explicit loopback binds in code, by language family: each match names the line to change. */
const loopbackInCode: { files: RegExp; pattern: RegExp }[] = [
  { files: /\.[cm]?[jt]s$/, pattern: /\.listen\([^)\n]*['"](?:localhost|127\.0\.0\.1)['"]|\bhost(?:name)?\s*:\s*['"](?:localhost|127\.0\.0\.1)['"]/ },
  // A run() call without host= on its line binds Flask's and uvicorn's default, 127.0.0.1.
  { files: /\.py$/, pattern: /\.run\([^)\n]*\bhost\s*=\s*['"](?:localhost|127\.0\.0\.1)['"]|\b(?:uvicorn|app)\.run\((?![^\n]*\bhost\s*=)[^\n]*\)/ },
  // TcpListener::bind("127.0.0.1:3000") (axum, tokio), actix-web's .bind(("127.0.0.1", 8080)), SocketAddr::from(([127, 0, 0, 1], 3000)).
  { files: /\.rs$/, pattern: /\bbind\(\s*\(?\s*"(?:localhost|127\.0\.0\.1)(?::\d*)?"|\(\s*\[127,\s*0,\s*0,\s*1\],\s*\d+\s*\)/ },
  { files: /\.go$/, pattern: /\b(?:ListenAndServe(?:TLS)?|Listen|Run|Start)\(\s*(?:"tcp",\s*)?"(?:localhost|127\.0\.0\.1):\d*"|\bAddr:\s*"(?:localhost|127\.0\.0\.1):\d*"/ },
];

/** Lines longer than this (minified or generated code) are not read for binds: the patterns stay linear. */
const MAX_LINE = 2000;

/** A note for the first file the app runs that binds 127.0.0.1 itself (Flask's and uvicorn's run() do by default). */
export async function loopbackNote(repo: RepoView, files: readonly string[]): Promise<string | null> {
  for (const file of files) {
    const family = loopbackInCode.find((f) => f.files.test(file));
    if (!family) continue;
    const text = await repo.read(file);
    for (const line of text === null ? [] : text.split(/\r?\n/)) {
      const m = line.length <= MAX_LINE ? family.pattern.exec(line) : null;
      if (m) return `${file}: "${m[0].slice(0, 80)}" listens on 127.0.0.1 only, which nothing outside the container reaches; listen on 0.0.0.0 (e.g. host="0.0.0.0"; compose still publishes the port on 127.0.0.1 only, C04)`;
    }
  }
  return null;
}
