/**
 * Node.js: package.json (name, engines, scripts.start, main, dependencies), the version files
 * (.nvmrc, .node-version, .tool-versions) and the lockfiles.
 */
import { compareText } from '../../compare.js';
import { getLanguage, yarnOf } from '../../languages.js';
import { builtFileOf, commandWord } from '../../validate.js';
import { codePortPatterns, portInCode } from './source-ports.js';
import { noteIf, portRank, type Detector, type EcosystemFindings, type Found } from './repo.js';

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
    const deps = { ...(isObject(pkg.dependencies) ? pkg.dependencies : {}) };
    const runnable = (text: string) => directNode.test(text.trim()) || ('next' in deps && nextStart(text) !== null);
    const script = productionStart(scripts, runnable);
    const start = script?.text;
    const direct = start ? directNode.exec(start.trim()) : null;
    const next = start && 'next' in deps ? nextStart(start) : null;
    if (direct) out.start = { value: direct[1]!.trim(), source: script!.source };
    else if (next) {
      // next start, run by node from node_modules (no npm or shell as PID 1), serving what next build wrote.
      if (next.port !== undefined) out.ports.push({ value: next.port, source: `${script!.source} "${start}"`, rank: portRank.config });
      const port = next.port ?? 3000;
      out.startFor = (p) => `node node_modules/next/dist/bin/next start ${[...next.args, '-p', String(p)].join(' ')}`.replace(/\s+/g, ' ');
      out.start = { value: out.startFor(port), source: `${script!.source} "${start}", run from node_modules` };
    }
    else if (typeof pkg.main === 'string' && pkg.main) out.start = { value: `node ${commandWord(pkg.main)}`, source: 'package.json main' };
    else {
      const entry = entryFiles.find((f) => repo.has(f));
      if (entry) out.start = { value: `node ${entry}`, source: `${entry} exists` };
      if (entry) out.startInferred = true;
    }
    if (start && !direct && !next) noteIf(out, typeScriptRunNote(start) ?? `package.json scripts.start runs "${start}"; the image starts node directly (exec form, no npm as PID 1), so check the start answer`, { unlessGiven: ['start'] });
    // node --import tsx (or ts-node's loader): the image installs production dependencies alone.
    const loader = direct ? /\s--(?:import|loader|require|experimental-loader)[= ](tsx|ts-node)\b/.exec(direct[1]!)?.[1] ?? (/\s-r[= ]?(ts-node)\//.exec(direct[1]!)?.[1]) : undefined;
    if (loader && !(loader in deps)) noteIf(out, `package.json scripts.start loads TypeScript through ${loader} ("${start}"), which is not in dependencies, and the image installs production dependencies alone, so the app would stop at start: move ${loader} to dependencies, or compile it (a build script such as "build": "tsc", then --build-script build --start "node dist/index.js")`, { unlessGiven: ['start'] });
    if (next) {
      if (typeof scripts.build === 'string' && /\bnext\s+build\b/.test(scripts.build)) out.buildScript = { value: 'build', source: `package.json scripts.build "${scripts.build}", which writes the .next/ folder next start serves` };
      else noteIf(out, 'next start serves the .next/ folder "next build" writes, and package.json has no build script running it: add one ("build": "next build") and pass --build-script build', { when: { buildScript: '' } });
      // Since Next.js 15.4, next start compiles a TypeScript config with the typescript package
      // (vercel/next.js#81797); the runtime has the production dependencies alone.
      const tsConfig = ['next.config.ts', 'next.config.mts'].find((f) => repo.has(f));
      if (tsConfig && !('typescript' in deps)) out.notes.push(`${tsConfig}: "next start" (Next.js 15.4 and later) loads it with the typescript package, which package.json does not list in dependencies, and the image installs production dependencies alone, so the app stops at start ("Failed to load ${tsConfig}"): move typescript from devDependencies to dependencies, or write the config as next.config.mjs`);
    } else if (typeof scripts.build === 'string') {
      // The build's output folder is left out of the build context (.dockerignore), so an app that
      // starts from it runs from what a build stage writes.
      const file = out.start ? builtFileOf(out.start.value) : null;
      const built = file && getLanguage('node').buildOutput.includes(file.split('/')[0]!) ? file : undefined;
      if (built) out.buildScript = { value: 'build', source: `package.json scripts.build, as the start command runs ${built}` };
      else noteIf(out, 'package.json has a build script; the generated Dockerfile does not run it, so pass --build-script build (and a start command that runs its output, e.g. node dist/index.js) if the app runs from built files', { when: { buildScript: '' } });
    }

    const file = out.start ? startFile(out.start.value) : undefined;
    // A built file (build/main.js) is not in the project: its TypeScript source (src/main.ts) says the port.
    if (file) out.startFiles = [file, ...typeScriptSourcesOf(file).filter((f) => repo.has(f))];
    // The file the start command runs must reach the image, though no source folder holds it:
    // express-generator's bin/www has no extension, in a folder the scan skips (bin/); a
    // scripts/server.js sits in a folder left out as tooling.
    const run = out.start && !next ? builtFileOf(out.start.value) : null;
    const top = run?.split('/')[0];
    if (run && top && !outDirs.has(top) && !getLanguage('node').buildOutput.includes(top) && (repo.has(run) || (await repo.read(run)) !== null)) {
      out.sources = { value: [top], source: `${out.start!.source} runs ${run}` };
      // node runs the file as named when it exists (bin/www), before trying bin/www.js.
      out.startFiles = [run, ...(out.startFiles ?? []).filter((f) => f !== run)];
    }
    const code = await portInCode(repo, [...new Set([...(out.startFiles ?? []), ...entryFiles])], codePortPatterns.js);
    if (code) out.ports.push(code);
    const framework = port3000.find((d) => d in deps);
    if (framework) out.ports.push({ value: 3000, source: `${framework} in dependencies (its conventional port)`, rank: portRank.framework });

    const manager = await packageManagerOf(repo, pkg, out);
    if (manager) out.packageManager = manager;
    out.notes.push(...localDependencyNotes(pkg));
    if ((await repo.read('.npmrc'))?.trim()) {
      out.notes.push('.npmrc is not copied (.dockerignore keeps it out of the build context: it may hold a registry token); if the install needs it, pass it as a build secret: "RUN --mount=type=secret,id=npmrc,target=/root/.npmrc" on the install line and "docker build --secret id=npmrc,src=.npmrc"');
    }
    return out;
  },
};

/** A script that runs node itself (environment assignments before it are dropped: the image sets its own). */
const directNode = /^(?:[A-Z_][A-Z0-9_]*=\S*\s+)*(node\s+.+)$/;

/** A script that only runs another script: `npm run serve`, `yarn serve`, `pnpm run start:prod`. */
const runsScript = /^(?:npm\s+(?:run|run-script)|pnpm(?:\s+run)?|yarn(?:\s+run)?)\s+([\w:.-]+)$/;

/**
 * A start script that runs TypeScript through a development tool (tsx, ts-node), which the
 * image's production install leaves out: how to start it instead.
 */
function typeScriptRunNote(start: string): string | undefined {
  const runner = /^(?:npx\s+)?(tsx|ts-node(?:-esm|-dev)?)(?:\s|$)/.exec(start)?.[1];
  if (runner === undefined) return undefined;
  const file = /(?:^|\s)([\w./@-]{1,200}\.[cm]?ts)(?=\s|$)/.exec(start)?.[1];
  const strip = file ? `; or, if it uses only erasable TypeScript (no enum, namespace or parameter property) and imports with .ts extensions, --start "node ${file}": Node 22.18 and later strip the types themselves` : '';
  return `package.json scripts.start runs "${start}", TypeScript through ${runner}, a development tool the image's production install leaves out, so the image cannot start the app that way: compile it (a build script such as "build": "tsc", then --build-script build --start "node dist/index.js")${strip}`;
}

/**
 * The script that starts the app as the image should: scripts.start, through the script it only
 * runs ("start": "npm run serve", TypeScript-Node-Starter's); where that is a development tool
 * (`nest start`, `ts-node`, `nodemon`), the production script beside it (NestJS's "start:prod":
 * "node dist/main"). Else scripts.start as written, for the note that the image cannot run it.
 */
function productionStart(scripts: Record<string, unknown>, runnable: (text: string) => boolean): { text: string; source: string } | undefined {
  const follow = (name: string): { text: string; source: string } | undefined => {
    let text = scripts[name];
    const via: string[] = [];
    while (typeof text === 'string' && via.length < 4) {
      const next = runsScript.exec(text.trim())?.[1];
      if (!next || next === name || via.includes(next) || typeof scripts[next] !== 'string') break;
      via.push(next);
      text = scripts[next];
    }
    if (typeof text !== 'string') return undefined;
    const source = via.length === 0 ? `package.json scripts.${name}` : `package.json scripts.${via.at(-1)!} (which scripts.${name} runs)`;
    return { text, source };
  };
  const start = follow('start');
  if (start && runnable(start.text)) return start;
  for (const name of ['start:prod', 'start:production']) {
    const production = follow(name);
    if (production && runnable(production.text)) return production;
  }
  return typeof scripts.start === 'string' ? { text: scripts.start, source: 'package.json scripts.start' } : undefined;
}

/**
 * The file a node command runs: `node dist/server.js`, or `node dist/main`, which node resolves to
 * dist/main.js (NestJS's start:prod).
 */
function startFile(start: string): string | undefined {
  const named = /\S+\.(?:[cm]?js|ts)\b/.exec(start)?.[0]?.replace(/^\.\//, '');
  if (named) return named;
  const built = builtFileOf(start);
  return built && !/\.\w+$/.test(built) ? `${built}.js` : undefined;
}

/** `next start` in scripts.start: its port (-p, --port, or PORT= before it) and its other options. */
function nextStart(script: string): { port?: number; args: string[] } | null {
  const m = /^((?:[A-Z_][A-Z0-9_]*=\S*\s+)*)next\s+start\b(.*)$/.exec(script.trim());
  if (!m) return null;
  const words = m[2]!.trim().split(/\s+/).filter((w) => w !== '');
  if (words.some((w) => /[$`;&|<>]/.test(w))) return null;
  let port = /(?:^|\s)PORT=(\d{2,5})(?:\s|$)/.exec(m[1]!)?.[1];
  const args: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    const inline = /^(?:--port=|-p=?)(\d{2,5})$/.exec(w);
    if (inline) port = inline[1];
    else if (w === '-p' || w === '--port') port = words[++i];
    else args.push(w);
  }
  const value = port !== undefined && /^\d{2,5}$/.test(port) ? Number(port) : undefined;
  return { ...(value !== undefined ? { port: value } : {}), args };
}

/** Folders a TypeScript build conventionally writes to (its outDir). */
const outDirs = new Set(['dist', 'build', 'out', 'lib', 'output']);
const tsExtension: Record<string, string> = { '.js': '.ts', '.mjs': '.mts', '.cjs': '.cts' };

/**
 * Where the TypeScript source of a compiled file would be: tsc keeps the layout under rootDir
 * (usually src/ or the root) in outDir, so build/main.js comes from src/main.ts or main.ts, and
 * dist/src/main.js from src/main.ts. Paths only: the caller keeps those the project has.
 */
export function typeScriptSourcesOf(file: string): string[] {
  const dot = file.lastIndexOf('.');
  const ts = tsExtension[file.slice(dot)];
  if (!ts || dot < 0) return [];
  const stem = file.slice(0, dot);
  const [first, ...rest] = stem.split('/');
  const inner = rest.join('/');
  const out = outDirs.has(first!) && inner !== '' ? [`src/${inner}`, inner] : [stem];
  return [...new Set(out.flatMap((s) => (ts === '.ts' ? [`${s}.ts`, `${s}.tsx`] : [`${s}${ts}`])))];
}

/**
 * The package manager whose lockfile the Dockerfile installs from: the one package.json's
 * "packageManager" names when its lockfile is here, else the only lockfile there is. yarn.lock is
 * Yarn 1's or Yarn 2+'s (yarn-berry), by its first lines or the release "packageManager" names. Bun
 * has no install stage here, so it is noted, as is what the deps stage does not copy.
 */
async function packageManagerOf(repo: Parameters<Detector['detect']>[0], pkg: Record<string, unknown>, out: EcosystemFindings): Promise<Found<string> | undefined> {
  // Each note holds while the package manager is the one it is about, or until one is chosen.
  const unlessChosen = (note: string) => noteIf(out, note, { unlessGiven: ['packageManager'] });
  const managers = getLanguage('node').packageManagers ?? [];
  const field = typeof pkg.packageManager === 'string' ? pkg.packageManager : '';
  const declared = /^(npm|pnpm|yarn)@(\d+)/.exec(field);
  // yarn.lock stands for one of the two Yarns: the one that reads it.
  const yarn = repo.has('yarn.lock') ? yarnOf((await repo.read('yarn.lock')) ?? '', pkg.packageManager) : undefined;
  const locked = managers.filter((m) => repo.has(m.lockfile) && (m.lockfile !== 'yarn.lock' || m.id === yarn));
  const bun = ['bun.lockb', 'bun.lock'].find((f) => repo.has(f));
  let found: Found<string> | undefined;
  const named = declared && locked.find((m) => (m.command ?? m.id) === declared[1]);
  if (named) found = { value: named.id, source: `package.json packageManager "${field.split('+')[0]}"` };
  else if (locked.length === 1) found = { value: locked[0]!.id, source: `${locked[0]!.lockfile} exists${locked[0]!.label ? ` (${locked[0]!.label})` : ''}` };
  else if (locked.length > 1) unlessChosen(`this project has several lockfiles (${locked.map((m) => m.lockfile).join(', ')}): pass --package-manager to choose (until then the Dockerfile installs with ${managers[0]!.id} from ${managers[0]!.lockfile}), and delete the lockfiles not in use`);
  else if (bun) unlessChosen(`this project locks its dependencies with ${bun}; the Dockerfile installs with npm ci from package-lock.json, so adapt its deps stage (e.g. "bun install --frozen-lockfile --production" on a bun build image)`);
  if (found && found.value !== 'npm') {
    const about = { when: { packageManager: found.value } };
    if (found.value === 'yarn-berry') for (const note of yarnBerryNotes(field, await repo.read('.yarnrc.yml'))) noteIf(out, note, about);
    else if (!declared) noteIf(out, `package.json has no "packageManager" field, so the image installs with the ${found.value} release its corepack pins; record yours with "corepack use ${found.value}@<version>" to build with it`, about);
    if (found.value === 'pnpm' && repo.has('pnpm-workspace.yaml')) noteIf(out, 'pnpm-workspace.yaml: the deps stage copies only package.json and pnpm-lock.yaml; add pnpm-workspace.yaml (and the package.json of each workspace package it lists) to its COPY line', about);
  }
  return found;
}

/**
 * What a Yarn 2+ project needs for the deps stage (package.json, yarn.lock and .yarnrc.yml, Yarn
 * run by corepack, "workspaces focus" and the node-modules linker): the release recorded in
 * package.json, Yarn 4 or the workspace-tools plugin, the plugins .yarnrc.yml loads, and a note
 * that the image links node_modules where the project uses Plug'n'Play.
 */
export function yarnBerryNotes(packageManagerField: string, yarnrc: string | null): string[] {
  const notes: string[] = [];
  const setting = (key: string) => new RegExp(`^${key}:[ \\t]*["']?([^"'\\s#]*)`, 'm').exec(yarnrc ?? '')?.[1];
  const yarnPath = setting('yarnPath');
  const release = `record the Yarn release with "corepack use yarn@<version>"${yarnPath ? ` (the one ${yarnPath} holds; the image ignores yarnPath, whose file it does not copy)` : ''}`;
  const major = /^yarn@(\d+)/.exec(packageManagerField)?.[1];
  if (packageManagerField === '') notes.push(`package.json has no "packageManager" field, and corepack then runs Yarn 1, which cannot install a Yarn 2+ yarn.lock: ${release}`);
  else if (major === undefined) notes.push(`package.json's "packageManager" names ${packageManagerField.split('+')[0]}, and corepack then refuses to run Yarn, which this yarn.lock needs: ${release}`);
  else if (Number(major) < 4) notes.push(`package.json's "packageManager" is Yarn ${major}: the deps stage installs production dependencies with "yarn workspaces focus", which Yarn 2 and 3 have only with the workspace-tools plugin: move to Yarn 4 ("corepack use yarn@4"), or import the plugin ("yarn plugin import workspace-tools") and add "COPY .yarn/plugins ./.yarn/plugins" before the deps stage's install line`);
  if (/^plugins:/m.test(yarnrc ?? '')) notes.push('.yarnrc.yml loads plugins, which the deps stage does not copy (it copies package.json, yarn.lock and .yarnrc.yml alone): add "COPY .yarn/plugins ./.yarn/plugins" before its install line');
  // The deps stage copies .yarnrc.yml: a registry credential written in it goes into the build, and
  // a ${VAR} it reads is unset there (Yarn stops on one without a default).
  const credential = /^[ \t]*(npmAuthToken|npmAuthIdent)[ \t]*:[ \t]*["']?(?!\$\{)[^\s"'#]/m.exec(yarnrc ?? '')?.[1];
  const secret = (name: string) => `"RUN --mount=type=secret,id=${name.toLowerCase()},env=${name}" on the deps stage's install line and "docker build --secret id=${name.toLowerCase()},env=${name}"`;
  if (credential) notes.push(`.yarnrc.yml holds a registry credential (${credential}) in clear, and the deps stage copies .yarnrc.yml into the build: write it as ${credential}: "\${NPM_TOKEN-}" instead (revoke the one committed) and pass the token as a build secret: ${secret('NPM_TOKEN')}`);
  const variables = [...new Set([...(yarnrc ?? '').matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)(:?-[^}]*)?\}/g)].map((m) => m[1]!))].sort(compareText);
  if (variables.length > 0) notes.push(`.yarnrc.yml reads ${variables.map((v) => `\${${v}}`).join(', ')}, which the image build does not have (Yarn stops on one without a default): pass ${variables.length > 1 ? 'each' : 'it'} as a build secret, e.g. ${secret(variables[0]!)}`);
  const linker = setting('nodeLinker') || 'pnp';
  const which = yarnrc === null ? 'this project has no .yarnrc.yml, so Yarn uses Plug\'n\'Play' : setting('nodeLinker') ? `.yarnrc.yml sets nodeLinker: ${linker}` : '.yarnrc.yml sets no nodeLinker, so Yarn uses Plug\'n\'Play';
  if (linker !== 'node-modules') notes.push(`${which}; the image links packages into node_modules instead (YARN_NODE_LINKER=node-modules in the deps stage), which plain node runs from: set "nodeLinker: node-modules" in .yarnrc.yml to develop and test the app as the image runs it`);
  return notes;
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
