/**
 * Python: requirements.txt, pyproject.toml (PEP 621 or Poetry), Pipfile, setup.py; the version
 * from .python-version, runtime.txt, .tool-versions, requires-python or Pipfile; the framework's
 * port; the start command from a Procfile or an entry script with a __main__ guard; the package
 * manager (pip, uv or Poetry) from the lockfile.
 */
import { compareText } from '../../compare.js';
import { getLanguage } from '../../languages.js';
import { codePortPatterns, portInCode, tomlValue } from './source-ports.js';
import { noteIf, portRank, type Detector, type EcosystemFindings, type Found, type RepoView } from './repo.js';

const manifests = ['pyproject.toml', 'requirements.txt', 'Pipfile', 'setup.py', 'setup.cfg'];
const entryFiles = ['app.py', 'main.py', 'server.py', 'wsgi.py', 'run.py', 'app/__main__.py'];

/** Framework -> the port its own server uses by default. */
const frameworkPorts: [string, number, string][] = [
  ['flask', 5000, "Flask's default port"],
  ['django', 8000, "Django's default port"],
  ['fastapi', 8000, "uvicorn's default port"],
  ['uvicorn', 8000, "uvicorn's default port"],
  ['gunicorn', 8000, "gunicorn's default port"],
  ['aiohttp', 8080, "aiohttp's default port"],
  ['sanic', 8000, "Sanic's default port"],
];

export const pythonDetector: Detector = {
  language: 'python',
  async detect(repo) {
    const present = manifests.filter((m) => repo.has(m));
    if (present.length === 0) return null;
    const out: EcosystemFindings = { language: 'python', evidence: present.join(', '), ports: [], notes: [] };
    const texts = Object.fromEntries(await Promise.all(present.map(async (m) => [m, (await repo.read(m)) ?? ''] as const)));
    out.version = await versionOf(repo, texts);

    const pyproject = texts['pyproject.toml'] ?? '';
    const name = tomlValue(pyproject, 'project', 'name') ?? tomlValue(pyproject, 'tool.poetry', 'name');
    if (name) out.name = { value: name, source: `pyproject.toml name "${name}"` };

    const deps = Object.values(texts).join('\n').toLowerCase();
    const declares = (pkg: string) => new RegExp(`(^|[\\s"'])${pkg}($|[\\s<>=~!;,\\[\\]"'])`, 'm').test(deps);
    const procfile = await repo.read('Procfile');
    const web = procfile ? /^web:\s*(.+)$/m.exec(procfile) : null;
    let app: AppObject | null = null;
    if (web) out.start = { value: web[1]!.trim(), source: 'Procfile web' };
    else {
      for (const file of entryFiles.filter((f) => !f.includes('/'))) {
        const text = await repo.read(file);
        if (text && /^if\s+__name__\s*==\s*["']__main__["']\s*:/m.test(text)) {
          out.start = { value: `python ${file}`, source: `${file} (runs as a script)` };
          out.startInferred = true;
          out.startFiles = [file];
          break;
        }
      }
      // A package with a __main__.py runs as `python -m <package>` (only one: no guessing), at the
      // top level or in a src layout, whose folder the Dockerfile puts on PYTHONPATH.
      const runnable = repo.files.filter((f) => /^(src\/)?[A-Za-z_]\w*\/__main__\.py$/.test(f));
      if (!out.start && runnable.length === 1) {
        out.start = { value: `python -m ${runnable[0]!.split('/').at(-2)}`, source: runnable[0]! };
        out.startInferred = true;
        out.startFiles = [runnable[0]!];
      }
      // Else an ASGI or WSGI app object in the usual entry modules, which a server runs: the
      // first whose server the project declares (Django's wsgi.py or asgi.py), else the first.
      if (!out.start) {
        const apps = await appObjectsIn(repo, appCandidates(repo, name, declares('django') ? await djangoModules(repo) : [], declares('flask')));
        app = apps.find((a) => serverFor(a, declares, deps) !== null) ?? apps[0] ?? null;
      }
    }

    const code = await portInCode(repo, [...new Set([...(out.startFiles ?? []), ...(app ? [app.file] : []), ...entryFiles, 'gunicorn.conf.py', 'Procfile'])], codePortPatterns.python);
    if (code) out.ports.push(code);
    for (const [pkg, port, why] of frameworkPorts) {
      if (declares(pkg)) {
        out.ports.push({ value: port, source: `${pkg} in ${present.join('/')} (${why})`, rank: portRank.framework });
        break;
      }
    }
    if (app) {
      const server = serverFor(app, declares, deps);
      const where = present.join(' or ');
      if (server) {
        out.start = { value: server.command(bestPort(out.ports, server.port)), source: `${app.file}: ${app.line}, run by ${server.name} (in ${where})` };
        out.startInferred = true;
        out.startFor = server.command;
        out.startFiles = [app.file];
      } else {
        const needs = app.kind === 'asgi' ? 'ASGI server (such as uvicorn)' : 'WSGI server (such as gunicorn)';
        out.startNote = `${app.file} defines the ${app.framework} app "${app.name}", but ${where} declares no ${needs} to run it: add one to the dependencies, then pass --start (e.g. --start "${app.kind === 'asgi' ? `python -m uvicorn ${app.module}:${app.name} --host 0.0.0.0 --port 8000` : `python -m gunicorn --bind 0.0.0.0:8000 ${app.module}:${app.name}`}")`;
      }
    }
    if (app?.framework === 'Django') {
      const note = await allowedHostsNote(repo, app.file);
      if (note) noteIf(out, note, { when: { language: 'python' } });
    }
    const manager = packageManagerOf(repo, pyproject, out);
    if (manager) out.packageManager = manager;
    if (manager?.value === 'pip') for (const note of requirementsNotes(texts['requirements.txt'] ?? '')) noteIf(out, note, { when: { packageManager: 'pip' } });
    return out;
  },
};

interface AppObject {
  file: string;
  /** The module as Python imports it (app.main; src/ is on PYTHONPATH in the image). */
  module: string;
  name: string;
  framework: string;
  kind: 'asgi' | 'wsgi';
  line: string;
  /** `name` is a Flask app factory, which the server calls to get the app. */
  factory?: boolean;
}

/**
 * What makes an app object, by framework: its class, or Django's factory in the project's wsgi.py
 * or asgi.py, and what the object is (an ASGI app needs an ASGI server).
 */
const appClasses: Record<string, { framework: string; kind: 'asgi' | 'wsgi' }> = {
  FastAPI: { framework: 'FastAPI', kind: 'asgi' },
  Starlette: { framework: 'Starlette', kind: 'asgi' },
  Litestar: { framework: 'Litestar', kind: 'asgi' },
  Quart: { framework: 'Quart', kind: 'asgi' },
  // Sanic's own server is the one its docs deploy with (it runs under an ASGI server too).
  Sanic: { framework: 'Sanic', kind: 'asgi' },
  Flask: { framework: 'Flask', kind: 'wsgi' },
  get_wsgi_application: { framework: 'Django', kind: 'wsgi' },
  get_asgi_application: { framework: 'Django', kind: 'asgi' },
};
const appAssignment = new RegExp(`^([A-Za-z_]\\w*)\\s*(?::\\s*[\\w.]+\\s*)?=\\s*(?:[A-Za-z_]\\w*\\.)?(${Object.keys(appClasses).join('|')})\\(`, 'm');

/**
 * A Django project's wsgi.py and asgi.py (startproject writes both into the settings package):
 * the package manage.py names first, then any top-level or src-layout package that has them.
 */
async function djangoModules(repo: RepoView): Promise<string[]> {
  const settings = /DJANGO_SETTINGS_MODULE["']\s*,\s*["']([A-Za-z_]\w*)\./.exec((await repo.read('manage.py')) ?? '')?.[1];
  // wsgi.py first: where neither server is declared, the note names gunicorn, as Django's docs do.
  const modules = repo.files.filter((f) => /^(src\/)?[A-Za-z_]\w*\/[aw]sgi\.py$/.test(f)).sort((a, b) => Number(a.endsWith('/asgi.py')) - Number(b.endsWith('/asgi.py')) || compareText(a, b));
  const named = (f: string) => settings !== undefined && f.replace(/^src\//, '').startsWith(`${settings}/`);
  return [...modules.filter(named), ...modules.filter((f) => !named(f))];
}

/** Top-level folders that hold tests, docs or tooling, not the app a server runs. */
const notAppPackage = /^(tests?|docs?|scripts?|examples?|tools?|benchmarks?)\//;

/**
 * The usual entry modules of an app that a server runs (no __main__): a few fixed paths (FastAPI's
 * CLI looks in main.py, app.py, api.py and the same in app/), a src layout's package modules, the
 * project's own package named in pyproject.toml, and a flat layout's packages. Only those the scan
 * listed, at most 16, are read.
 */
function appCandidates(repo: RepoView, name: string | null, django: string[], flask: boolean): string[] {
  const fixed = ['app/main.py', 'main.py', 'app.py', 'app/app.py', 'asgi.py', 'wsgi.py', 'server.py', 'api/main.py', 'api.py', 'app/api.py', 'src/main.py', 'src/app.py'];
  const pkg = name?.toLowerCase().replace(/[-.]/g, '_');
  const own = pkg ? [`${pkg}/main.py`, `${pkg}/app.py`, `src/${pkg}/main.py`, `src/${pkg}/app.py`] : [];
  const srcLayout = repo.files.filter((f) => /^src\/[A-Za-z_]\w*\/(?:main|app|api|asgi|wsgi|server)\.py$/.test(f)).sort(compareText);
  // The flat layout's packages (billing/ beside pyproject.toml, named apart from the project): only
  // real packages (an __init__.py, as setuptools' discovery wants), never tests/ or tooling.
  const flatLayout = repo.files.filter((f) => /^[A-Za-z_]\w*\/(?:main|app|api|asgi|wsgi|server)\.py$/.test(f) && !notAppPackage.test(f) && repo.has(`${f.slice(0, f.indexOf('/'))}/__init__.py`)).sort(compareText);
  // Flask's tutorial layout: the factory in a package's __init__.py (app/, flaskr/, src/<pkg>/).
  const packages = flask ? ['app/__init__.py', ...(pkg ? [`${pkg}/__init__.py`, `src/${pkg}/__init__.py`] : []), ...repo.files.filter((f) => /^(src\/)?[A-Za-z_]\w*\/__init__\.py$/.test(f) && !/^(src\/)?tests?\//.test(f)).sort(compareText)] : [];
  return [...new Set([...fixed, ...own, ...django.slice(0, 4), ...srcLayout, ...flatLayout, ...packages])].filter((f) => repo.has(f)).slice(0, 16);
}

/** A Flask app factory (`def create_app(test_config=None):`), as Flask's CLI and gunicorn find it. */
const flaskFactory = /^def[ \t]+(create_app|make_app)[ \t]*\(([^)]*)\)/m;
/** Whether the server can call it without arguments: every parameter has a default, or is *args/**kwargs. */
const callableBare = (params: string): boolean => params.split(',').every((p) => p.trim() === '' || p.trim().startsWith('*') || p.includes('='));

async function appObjectsIn(repo: RepoView, files: string[]): Promise<AppObject[]> {
  const apps: AppObject[] = [];
  for (const file of files) {
    const text = (await repo.read(file)) ?? '';
    const module = file.replace(/^src\//, '').replace(/(\/__init__)?\.py$/, '').replace(/\//g, '.');
    const m = appAssignment.exec(text);
    if (m) {
      apps.push({ file, module, name: m[1]!, ...appClasses[m[2]!]!, line: m[0].slice(0, -1) + '()' });
      continue;
    }
    const factory = /\bFlask\(/.test(text) ? flaskFactory.exec(text) : null;
    if (factory && callableBare(factory[2]!)) apps.push({ file, module, name: factory[1]!, framework: 'Flask', kind: 'wsgi', line: `def ${factory[1]}(${factory[2]!.replace(/\s+/g, ' ').trim()})`, factory: true });
  }
  return apps;
}

/**
 * Django answers 400 to a Host not in ALLOWED_HOSTS (all of them, DEBUG off), and the health
 * checks arrive with hosts nobody lists: the probe's 127.0.0.1, Nomad's allocation address.
 * Unless the settings next to the app module allow every host ('*'), say so.
 */
async function allowedHostsNote(repo: RepoView, appFile: string): Promise<string | undefined> {
  const pkg = appFile.slice(0, appFile.lastIndexOf('/'));
  const settings = repo.files.filter((f) => f === `${pkg}/settings.py` || (f.startsWith(`${pkg}/settings/`) && f.endsWith('.py'))).slice(0, 8);
  for (const file of settings) {
    if (/^ALLOWED_HOSTS\s*=\s*[[(][^\])]*["']\*["']/m.test((await repo.read(file)) ?? '')) return undefined;
  }
  const where = settings.length > 0 ? settings.join(', ') : 'the settings';
  return `Django answers 400 to a Host not in ALLOWED_HOSTS (${where}), and the health checks come as 127.0.0.1 (the image's HEALTHCHECK) and as the allocation's address (Nomad's check): allow those hosts, or answer the health path from a middleware listed before CommonMiddleware`;
}

/**
 * The server that runs the app object, among the project's dependencies: uvicorn (or FastAPI's
 * or Litestar's "standard" extra, which brings it) or hypercorn for ASGI; gunicorn, else waitress, else Flask's
 * own runner for WSGI. Each runs as a module (`python -m`), which works on every base image (the
 * distroless one runs no console scripts), listening on every interface at the port given.
 */
function serverFor(app: AppObject, declares: (pkg: string) => boolean, deps: string): { name: string; port: number; command: (port: number) => string } | null {
  // A factory is called by the server (gunicorn's and Flask's 'module:factory()'; quoted for a shell).
  const target = app.factory ? `'${app.module}:${app.name}()'` : `${app.module}:${app.name}`;
  if (app.kind === 'asgi') {
    if (app.framework === 'Sanic' && declares('sanic')) return { name: "Sanic's own server", port: 8000, command: (port) => `python -m sanic ${target} --host 0.0.0.0 --port ${port}` };
    if (declares('uvicorn') || /\b(?:fastapi|litestar)\[[^\]\n]*\bstandard\b/.test(deps)) return { name: 'uvicorn', port: 8000, command: (port) => `python -m uvicorn ${target} --host 0.0.0.0 --port ${port}` };
    if (declares('hypercorn')) return { name: 'hypercorn', port: 8000, command: (port) => `python -m hypercorn ${target} --bind 0.0.0.0:${port}` };
    return null;
  }
  if (declares('gunicorn')) return { name: 'gunicorn', port: 8000, command: (port) => `python -m gunicorn --bind 0.0.0.0:${port} ${target}` };
  if (declares('waitress')) return { name: 'waitress', port: 8080, command: (port) => `python -m waitress --listen=0.0.0.0:${port} ${app.factory ? `--call ${app.module}:${app.name}` : target}` };
  if (app.framework === 'Flask') return { name: "Flask's own server (flask run)", port: 5000, command: (port) => `python -m flask --app ${target} run --host 0.0.0.0 --port ${port}` };
  return null;
}

/**
 * The port to write into a start command: the best usable one found so far (code, config), else
 * the server's default, which outranks a framework's convention (gunicorn serves Flask on 8000).
 */
function bestPort(candidates: { value: number; rank: number }[], fallback: number): number {
  return [...candidates].filter((c) => c.value >= 1024 && c.value <= 65535 && c.rank < portRank.framework).sort((a, b) => a.rank - b.rank)[0]?.value ?? fallback;
}

/**
 * What the build stage installs from: a uv or Poetry lockfile (with the pyproject.toml it locks)
 * before a requirements.txt, which may be an export of it. Two lockfiles, or none of the three,
 * are noted, as is a uv workspace, whose members' pyproject.toml the build stage does not copy.
 */
/** The start of the note that the project has no file the build stage installs from. */
export const NO_LOCKFILE = 'no requirements.txt, uv.lock or poetry.lock';

function packageManagerOf(repo: RepoView, pyproject: string, out: EcosystemFindings): Found<string> | undefined {
  const notes = out.notes;
  const locked = (getLanguage('python').packageManagers ?? []).filter((m) => m.id !== 'pip' && repo.has(m.lockfile) && repo.has('pyproject.toml'));
  if (locked.length > 1) noteIf(out, `this project has several lockfiles (${locked.map((m) => m.lockfile).join(', ')}): pass --package-manager to choose (until then the Dockerfile installs from requirements.txt), and delete the lockfile not in use`, { unlessGiven: ['packageManager'] });
  const found = locked.length === 1 ? { value: locked[0]!.id, source: `${locked[0]!.lockfile} exists` } : repo.has('requirements.txt') ? { value: 'pip', source: 'requirements.txt exists' } : undefined;
  if (!found && locked.length === 0) notes.push(`${NO_LOCKFILE}: the Dockerfile installs from one, so lock the dependencies (uv lock, poetry lock${repo.has('Pipfile.lock') ? ', or "pipenv requirements > requirements.txt"' : ''}) or adapt the build stage`);
  if (found?.value === 'uv' && /^\[tool\.uv\.workspace\]/m.test(pyproject)) noteIf(out, 'pyproject.toml declares a uv workspace: the build stage copies only the root pyproject.toml and uv.lock; add the members\' pyproject.toml files to its COPY line', { when: { packageManager: 'uv' } });
  return found;
}

/**
 * What requirements.txt needs besides itself: the build stage copies it alone before "pip
 * install -r requirements.txt", so files it includes (-r, -c) and local packages it installs
 * (-e ., ./libs/x) are missing there, and the install fails.
 */
export function requirementsNotes(text: string): string[] {
  const included: string[] = [];
  const local: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    const option = /^(-r|--requirement|-c|--constraint)(?:\s+|=)(\S+)$/.exec(line);
    if (option) {
      if (!/^[a-z]+:\/\//i.test(option[2]!)) included.push(option[2]!);
      continue;
    }
    const target = /^(?:(?:-e|--editable)(?:\s+|=))?(\S+)/.exec(line)?.[1] ?? '';
    if (/^(\.{1,2}(\/|$)|\/|file:)/.test(target)) local.push(target);
  }
  const notes: string[] = [];
  if (included.length > 0) notes.push(`requirements.txt includes ${included.join(', ')}, which the build stage does not copy (it copies requirements.txt alone before "pip install"): add ${included.length > 1 ? 'them' : 'it'} to its "COPY requirements.txt ./" line`);
  if (local.length > 0) notes.push(`requirements.txt installs local ${local.length > 1 ? 'packages' : 'package'} ${local.join(', ')}, whose sources the build stage does not have at "pip install": copy ${local.length > 1 ? 'them' : 'it'} before that line (with its pyproject.toml or setup.py), or install from a built wheel`);
  return notes;
}

async function versionOf(repo: RepoView, texts: Record<string, string>): Promise<Found<string> | undefined> {
  const pinned = (await repo.read('.python-version'))?.trim().split(/\s+/)[0];
  if (pinned) return { value: pinned, source: `.python-version "${pinned}"` };
  const runtime = (await repo.read('runtime.txt'))?.trim();
  const rt = runtime ? /^python-(\d+(?:\.\d+)*)/.exec(runtime) : null;
  if (rt) return { value: rt[1]!, source: `runtime.txt "${runtime}"` };
  const tools = await repo.read('.tool-versions');
  const tool = tools ? /^python\s+(\S+)/m.exec(tools) : null;
  if (tool) return { value: tool[1]!, source: `.tool-versions "${tool[0]}"` };
  const pyproject = texts['pyproject.toml'] ?? '';
  const requires = tomlValue(pyproject, 'project', 'requires-python');
  if (requires) return { value: requires, source: `pyproject.toml requires-python "${requires}"` };
  const poetry = tomlValue(pyproject, 'tool.poetry.dependencies', 'python');
  if (poetry) return { value: poetry, source: `pyproject.toml tool.poetry.dependencies.python "${poetry}"` };
  const pipfile = tomlValue(texts.Pipfile ?? '', 'requires', 'python_version');
  if (pipfile) return { value: pipfile, source: `Pipfile python_version "${pipfile}"` };
  return undefined;
}
