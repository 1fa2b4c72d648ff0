/**
 * Node.js: package.json (name, engines, scripts.start, main, dependencies), the version files
 * (.nvmrc, .node-version, .tool-versions) and the lockfiles.
 */
import { getLanguage } from '../../languages.js';
import { builtFileOf } from '../../validate.js';
import { codePortPatterns, portInCode } from './source-ports.js';
import { portRank, type Detector, type EcosystemFindings, type Found } from './repo.js';

/** Release codenames as written in .nvmrc (`lts/iron`). */
const codenames: Record<string, string> = { argon: '4', boron: '6', carbon: '8', dubnium: '10', erbium: '12', fermium: '14', gallium: '16', hydrogen: '18', iron: '20', jod: '22', krypton: '24' };

/** Frameworks whose apps conventionally listen on 3000 when nothing else says. */
const port3000 = ['express', 'koa', 'fastify', '@nestjs/core', 'next', '@hapi/hapi', 'hono', 'nuxt'];

const entryFiles = ['server.js', 'index.js', 'app.js', 'main.js', 'src/server.js', 'src/index.js', 'src/app.js', 'src/main.js'];

export const nodeDetector: Detector = {
  language: 'node',
  async detect(repo) {
    const pkg = await repo.json('package.json');
    if (pkg === null) return null;
    const out: EcosystemFindings = { language: 'node', evidence: 'package.json', ports: [], notes: [] };
    out.version = await versionOf(repo, pkg);

    if (typeof pkg.name === 'string' && pkg.name) out.name = { value: pkg.name, source: `package.json name "${pkg.name}"` };

    const scripts = (isObject(pkg.scripts) ? pkg.scripts : {}) as Record<string, unknown>;
    const start = typeof scripts.start === 'string' ? scripts.start : undefined;
    const direct = start ? /^(?:[A-Z_][A-Z0-9_]*=\S*\s+)*(node\s+.+)$/.exec(start.trim()) : null;
    if (direct) out.start = { value: direct[1]!.trim(), source: 'package.json scripts.start' };
    else if (typeof pkg.main === 'string' && pkg.main) out.start = { value: `node ${pkg.main}`, source: 'package.json main' };
    else {
      const entry = entryFiles.find((f) => repo.has(f));
      if (entry) out.start = { value: `node ${entry}`, source: `${entry} exists` };
    }
    if (start && !direct) out.notes.push(`package.json scripts.start runs "${start}"; the image starts node directly (exec form, no npm as PID 1), so check the start answer`);
    if (typeof scripts.build === 'string') {
      // The build's output folder is left out of the build context (.dockerignore), so an app that
      // starts from it runs from what a build stage writes.
      const file = out.start ? builtFileOf(out.start.value) : null;
      const built = file && getLanguage('node').buildOutput.includes(file.split('/')[0]!) ? file : undefined;
      if (built) out.buildScript = { value: 'build', source: `package.json scripts.build, as the start command runs ${built}` };
      else out.notes.push('package.json has a build script; the generated Dockerfile does not run it, so pass --build-script build (and a start command that runs its output, e.g. node dist/index.js) if the app runs from built files');
    }

    const script = out.start ? /\S+\.(?:[cm]?js|ts)\b/.exec(out.start.value)?.[0] : undefined;
    const code = await portInCode(repo, [...new Set([...(script ? [script] : []), ...entryFiles])], codePortPatterns.js);
    if (code) out.ports.push(code);
    const deps = { ...(isObject(pkg.dependencies) ? pkg.dependencies : {}) };
    const framework = port3000.find((d) => d in deps);
    if (framework) out.ports.push({ value: 3000, source: `${framework} in dependencies (its conventional port)`, rank: portRank.framework });

    const manager = await packageManagerOf(repo, pkg, out.notes);
    if (manager) out.packageManager = manager;
    out.notes.push(...localDependencyNotes(pkg));
    if ((await repo.read('.npmrc'))?.trim()) {
      out.notes.push('.npmrc is not copied (.dockerignore keeps it out of the build context: it may hold a registry token); if the install needs it, pass it as a build secret: "RUN --mount=type=secret,id=npmrc,target=/root/.npmrc" on the install line and "docker build --secret id=npmrc,src=.npmrc"');
    }
    return out;
  },
};

/**
 * The package manager whose lockfile the Dockerfile installs from: the one package.json's
 * "packageManager" names when its lockfile is here, else the only lockfile there is. Yarn 2+ and
 * bun have no install stage here, so they are noted, as is what the deps stage does not copy.
 */
async function packageManagerOf(repo: Parameters<Detector['detect']>[0], pkg: Record<string, unknown>, notes: string[]): Promise<Found<string> | undefined> {
  const managers = getLanguage('node').packageManagers ?? [];
  const field = typeof pkg.packageManager === 'string' ? pkg.packageManager : '';
  const declared = /^(npm|pnpm|yarn)@(\d+)/.exec(field);
  const locked = managers.filter((m) => repo.has(m.lockfile));
  const bun = ['bun.lockb', 'bun.lock'].find((f) => repo.has(f));
  let found: Found<string> | undefined;
  const named = declared && locked.find((m) => m.id === declared[1]);
  if (named) found = { value: named.id, source: `package.json packageManager "${field.split('+')[0]}"` };
  else if (locked.length === 1) found = { value: locked[0]!.id, source: `${locked[0]!.lockfile} exists` };
  else if (locked.length > 1) notes.push(`this project has several lockfiles (${locked.map((m) => m.lockfile).join(', ')}): pass --package-manager to choose (until then the Dockerfile installs with ${managers[0]!.id} from ${managers[0]!.lockfile}), and delete the lockfiles not in use`);
  else if (bun) notes.push(`this project locks its dependencies with ${bun}; the Dockerfile installs with npm ci from package-lock.json, so adapt its deps stage (e.g. "bun install --frozen-lockfile --production" on a bun build image)`);
  if (found?.value === 'yarn' && (Number(declared?.[1] === 'yarn' ? declared[2] : 1) >= 2 || !/^# yarn lockfile v1$/m.test((await repo.read('yarn.lock'))?.slice(0, 500) ?? ''))) {
    notes.push('this project uses Yarn 2 or later (its yarn.lock is not a Yarn 1 lockfile); the Dockerfile installs with npm ci from package-lock.json, so adapt its deps stage (e.g. "corepack yarn workspaces focus --all --production", with nodeLinker: node-modules in .yarnrc.yml)');
    return undefined;
  }
  if (found && found.value !== 'npm') {
    if (!declared) notes.push(`package.json has no "packageManager" field, so the image installs with the ${found.value} release its corepack pins; record yours with "corepack use ${found.value}@<version>" to build with it`);
    if (found.value === 'pnpm' && repo.has('pnpm-workspace.yaml')) notes.push('pnpm-workspace.yaml: the deps stage copies only package.json and pnpm-lock.yaml; add pnpm-workspace.yaml (and the package.json of each workspace package it lists) to its COPY line');
  }
  return found;
}

/**
 * What the install needs besides package.json and the lockfile: the deps stage copies those two
 * alone, so local packages (file:, link:, workspace:) and npm or Yarn workspaces are missing
 * there, and the install fails.
 */
export function localDependencyNotes(pkg: Record<string, unknown>): string[] {
  const notes: string[] = [];
  const local: string[] = [];
  for (const field of ['dependencies', 'optionalDependencies', 'devDependencies']) {
    const deps = isObject(pkg[field]) ? (pkg[field] as Record<string, unknown>) : {};
    for (const [name, spec] of Object.entries(deps)) if (typeof spec === 'string' && /^(file|link|portal|workspace):/.test(spec)) local.push(`${name} (${spec})`);
  }
  if (local.length > 0) notes.push(`package.json depends on local ${local.length > 1 ? 'packages' : 'package'} ${local.join(', ')}, which the deps stage does not copy (it copies package.json and the lockfile alone before installing): copy ${local.length > 1 ? 'their folders' : 'its folder'} before the install line, or publish ${local.length > 1 ? 'them' : 'it'} to a registry`);
  const workspaces = Array.isArray(pkg.workspaces) ? pkg.workspaces : isObject(pkg.workspaces) && Array.isArray((pkg.workspaces as Record<string, unknown>).packages) ? ((pkg.workspaces as Record<string, unknown>).packages as unknown[]) : [];
  if (workspaces.length > 0) notes.push(`package.json declares workspaces (${workspaces.map(String).join(', ')}): the deps stage copies only the root package.json and lockfile, so add each workspace package's package.json to its COPY line`);
  return notes;
}

async function versionOf(repo: Parameters<Detector['detect']>[0], pkg: Record<string, unknown>): Promise<Found<string> | undefined> {
  for (const file of ['.nvmrc', '.node-version']) {
    const text = (await repo.read(file))?.trim();
    if (!text) continue;
    const first = text.split(/\s+/)[0]!;
    const codename = /^lts\/([a-z]+)$/i.exec(first)?.[1]?.toLowerCase();
    return { value: codename && codenames[codename] ? codenames[codename] : first, source: `${file} "${first}"` };
  }
  const tools = await repo.read('.tool-versions');
  const tool = tools ? /^(?:nodejs|node)\s+(\S+)/m.exec(tools) : null;
  if (tool) return { value: tool[1]!, source: `.tool-versions "${tool[0]}"` };
  const volta = isObject(pkg.volta) ? (pkg.volta as Record<string, unknown>).node : undefined;
  if (typeof volta === 'string') return { value: volta, source: `package.json volta.node "${volta}"` };
  const engines = isObject(pkg.engines) ? (pkg.engines as Record<string, unknown>).node : undefined;
  if (typeof engines === 'string') return { value: engines, source: `package.json engines.node "${engines}"` };
  return undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
