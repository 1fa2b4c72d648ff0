/**
 * Python: requirements.txt, pyproject.toml (PEP 621 or Poetry), Pipfile, setup.py; the version
 * from .python-version, runtime.txt, .tool-versions, requires-python or Pipfile; the framework's
 * port; the start command from a Procfile or an entry script with a __main__ guard; the package
 * manager (pip, uv or Poetry) from the lockfile.
 */
import { getLanguage } from '../../languages.js';
import { codePortPatterns, portInCode, tomlValue } from './source-ports.js';
import { portRank, type Detector, type EcosystemFindings, type Found, type RepoView } from './repo.js';

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

    const code = await portInCode(repo, [...entryFiles, 'gunicorn.conf.py', 'Procfile'], codePortPatterns.python);
    if (code) out.ports.push(code);
    const deps = Object.values(texts).join('\n').toLowerCase();
    for (const [pkg, port, why] of frameworkPorts) {
      if (new RegExp(`(^|[\\s"'])${pkg}($|[\\s<>=~!;,\\[\\]"'])`, 'm').test(deps)) {
        out.ports.push({ value: port, source: `${pkg} in ${present.join('/')} (${why})`, rank: portRank.framework });
        break;
      }
    }

    const procfile = await repo.read('Procfile');
    const web = procfile ? /^web:\s*(.+)$/m.exec(procfile) : null;
    if (web) out.start = { value: web[1]!.trim(), source: 'Procfile web' };
    else {
      for (const file of entryFiles.filter((f) => !f.includes('/'))) {
        const text = await repo.read(file);
        if (text && /^if\s+__name__\s*==\s*["']__main__["']\s*:/m.test(text)) {
          out.start = { value: `python ${file}`, source: `${file} (runs as a script)` };
          break;
        }
      }
      // A package with a __main__.py runs as `python -m <package>` (only one: no guessing), at the
      // top level or in a src layout, whose folder the Dockerfile puts on PYTHONPATH.
      const runnable = repo.files.filter((f) => /^(src\/)?[A-Za-z_]\w*\/__main__\.py$/.test(f));
      if (!out.start && runnable.length === 1) out.start = { value: `python -m ${runnable[0]!.split('/').at(-2)}`, source: runnable[0]! };
    }
    const manager = packageManagerOf(repo, pyproject, out.notes);
    if (manager) out.packageManager = manager;
    if (manager?.value === 'pip') out.notes.push(...requirementsNotes(texts['requirements.txt'] ?? ''));
    return out;
  },
};

/**
 * What the build stage installs from: a uv or Poetry lockfile (with the pyproject.toml it locks)
 * before a requirements.txt, which may be an export of it. Two lockfiles, or none of the three,
 * are noted, as is a uv workspace, whose members' pyproject.toml the build stage does not copy.
 */
function packageManagerOf(repo: RepoView, pyproject: string, notes: string[]): Found<string> | undefined {
  const locked = (getLanguage('python').packageManagers ?? []).filter((m) => m.id !== 'pip' && repo.has(m.lockfile) && repo.has('pyproject.toml'));
  if (locked.length > 1) notes.push(`this project has several lockfiles (${locked.map((m) => m.lockfile).join(', ')}): pass --package-manager to choose (until then the Dockerfile installs from requirements.txt), and delete the lockfile not in use`);
  const found = locked.length === 1 ? { value: locked[0]!.id, source: `${locked[0]!.lockfile} exists` } : repo.has('requirements.txt') ? { value: 'pip', source: 'requirements.txt exists' } : undefined;
  if (!found && locked.length === 0) notes.push(`no requirements.txt, uv.lock or poetry.lock: the Dockerfile installs from one, so lock the dependencies (uv lock, poetry lock${repo.has('Pipfile.lock') ? ', or "pipenv requirements > requirements.txt"' : ''}) or adapt the build stage`);
  if (found?.value === 'uv' && /^\[tool\.uv\.workspace\]/m.test(pyproject)) notes.push('pyproject.toml declares a uv workspace: the build stage copies only the root pyproject.toml and uv.lock; add the members\' pyproject.toml files to its COPY line');
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
