/**
 * The compiled ecosystems: Go (go.mod), Java (pom.xml, build.gradle[.kts]), Rust (Cargo.toml) and
 * .NET (*.csproj). Their start command is the artefact the generated Dockerfile builds, so only
 * .NET's (the assembly name) is detected; the notes say where the project's layout differs from
 * what the generated build stage expects.
 */
import { posix } from 'node:path';
import { jvmFrameworkHealth, springActuatorHealth, yamlSetting } from './health.js';
import { codePortPatterns, portInCode, tomlValue } from './source-ports.js';
import { noteIf, portRank, portNumber, withoutComment, type Detector, type EcosystemFindings, type Found, type RepoView } from './repo.js';
import { compareText } from '../../compare.js';
import { shellWord } from '../../ui.js';
import { commandWord } from '../../validate.js';

export const goDetector: Detector = {
  language: 'go',
  async detect(repo) {
    const mod = await repo.read('go.mod');
    if (mod === null) return null;
    const out: EcosystemFindings = { language: 'go', evidence: 'go.mod', ports: [], notes: [] };
    const toolchain = /^toolchain\s+go(\d+(?:\.\d+)*)/m.exec(mod);
    const directive = /^go\s+(\d+(?:\.\d+)*)/m.exec(mod);
    // The go directive is a minimum: any newer toolchain builds the module.
    if (toolchain) out.version = { value: toolchain[1]!, source: `go.mod toolchain go${toolchain[1]}` };
    else if (directive) out.version = { value: `>=${directive[1]}`, source: `go.mod go ${directive[1]}` };
    const module = /^module\s+(\S+)/m.exec(mod)?.[1];
    if (module) out.name = { value: module.replace(/\/v\d+$/, '').split('/').pop()!, source: `go.mod module ${module}` };
    // replace directives to local folders: go mod download needs those modules, which the build stage lacks.
    const localReplaces = [...mod.matchAll(/=>\s*(\.{1,2}\/\S*|\/\S+)(?:\s|$)/g)].map((m) => m[1]!);
    if (localReplaces.length > 0) out.notes.push(`go.mod replaces modules with local folders (${localReplaces.join(', ')}), which the build stage does not have at "go mod download" (it copies go.mod and go.sum alone): copy them before that line, or replace with published versions`);
    const mains = repo.files.filter((f) => /^cmd\/[^/]+\/main\.go$/.test(f)).sort(compareText);
    const code = await portInCode(repo, ['main.go', 'server.go', ...mains], codePortPatterns.go);
    if (code) out.ports.push(code);
    if (/github\.com\/gin-gonic\/gin\s/.test(mod)) out.ports.push({ value: 8080, source: "gin in go.mod (gin's default port)", rank: portRank.framework });
    if (!repo.has('main.go') && mains.length > 0) {
      // The one main package, or the one named after the module (cmd/<module>), is what the image runs.
      const named = mains.find((m) => posix.basename(posix.dirname(m)) === out.name?.value);
      // Else the one main package that listens on a port itself (cmd/api beside cmd/worker, cmd/migrate);
      // past a dozen, reading them all is not worth a guess.
      const listening: string[] = [];
      if (mains.length > 1 && mains.length <= 12 && !named) for (const m of mains) if (await portInCode(repo, [m], codePortPatterns.go)) listening.push(m);
      const serving = listening.length === 1 ? listening[0] : undefined;
      const main = mains.length === 1 ? mains[0] : (named ?? serving);
      if (main) out.buildTarget = { value: `./${posix.dirname(main)}`, source: mains.length === 1 ? `${main}, the only main package` : main === named ? `${main}, named after the module` : `${main}, the only main package that listens on a port` };
      else noteIf(out, `main packages in ${mains.map((m) => posix.dirname(m)).join(', ')}: the image builds one, so choose it with --build-target (e.g. --build-target ./${posix.dirname(mains[0]!)})`, { unlessGiven: ['buildTarget'] });
    }
    return out;
  },
};

export const javaDetector: Detector = {
  language: 'java',
  async detect(repo) {
    const pom = await repo.read('pom.xml');
    const gradleFile = ['build.gradle.kts', 'build.gradle'].find((f) => repo.has(f));
    const gradle = gradleFile ? await repo.read(gradleFile) : null;
    if (pom === null && gradle === null) return null;
    const out: EcosystemFindings = { language: 'java', evidence: pom !== null ? 'pom.xml' : gradleFile!, ports: [], notes: [] };
    if (pom !== null) {
      out.packageManager = { value: 'maven', source: 'pom.xml' };
      const xml = pom.replace(/<!--[\s\S]*?-->/g, '');
      // release.version and jdk.version: Micronaut's parent POM compiles with them.
      for (const tag of ['java.version', 'maven.compiler.release', 'release', 'release.version', 'jdk.version', 'maven.compiler.source', 'maven.compiler.target']) {
        const m = new RegExp(`<${tag.replace(/\./g, '\\.')}>\\s*([\\d.]+)\\s*</`).exec(xml);
        if (m) {
          out.version = { value: m[1]!.replace(/^1\.(\d+)$/, '$1'), source: `pom.xml <${tag}>${m[1]}` };
          break;
        }
      }
      const own = xml.replace(/<parent>[\s\S]*?<\/parent>/, '');
      const modules = [...xml.matchAll(/<module>\s*([^<\s]+)\s*<\/module>/g)].map((m) => m[1]!);
      if (modules.length > 0) out.notes.push(`pom.xml is a multi-module build (${modules.join(', ')}): the generated build stage copies the root pom.xml alone before resolving dependencies and runs the root's target/ jar, so adapt it: copy each module's pom.xml before "mvn dependency:go-offline", and copy the runnable jar from its module's target/`);
      const artifact = /<artifactId>\s*([^<\s]+)\s*<\/artifactId>/.exec(own)?.[1];
      if (artifact) out.name = { value: artifact, source: `pom.xml artifactId ${artifact}` };
      const packaging = /<packaging>\s*([\w-]+)\s*<\/packaging>/.exec(own.replace(/<(dependencies|dependencyManagement|build|profiles)>[\s\S]*?<\/\1>/g, ''))?.[1] ?? 'jar';
      const jar = packaging === 'jar' ? mavenJar(own) : undefined;
      if (jar) out.buildTarget = jar;
      else if (packaging !== 'jar') noteIf(out, `pom.xml packages a ${packaging}; the generated Dockerfile runs a jar (java -jar), so build one (e.g. Spring Boot's executable jar) and name it with --build-target`, { unlessGiven: ['buildTarget'] });
      else noteIf(out, 'the jar mvn package writes could not be told from pom.xml (its name comes from a property or the parent POM); pass it with --build-target ("*" for its version, e.g. target/app-*.jar), or set <finalName>app</finalName> in its <build>', { unlessGiven: ['buildTarget'] });
    } else {
      await gradleBuild(repo, gradleFile!, gradle!, out);
    }
    if (!out.version && gradle !== null) {
      const m = /JavaLanguageVersion\.of\(\s*(\d+)\s*\)|jvmToolchain\(\s*(\d+)\s*\)|sourceCompatibility\s*=\s*(?:JavaVersion\.VERSION_(?:1_)?(\d+)|JavaVersion\.toVersion\(\s*['"]?(?:1\.)?(\d+)|['"]?(?:1\.)?(\d+))/.exec(gradle);
      const v = m ? (m[1] ?? m[2] ?? m[3] ?? m[4] ?? m[5]) : undefined;
      if (v) out.version = { value: v, source: `${gradleFile} ${m![0]}` };
    }
    if (!out.version) {
      const pinned = (await repo.read('.java-version'))?.trim();
      if (pinned) out.version = { value: pinned.replace(/^1\.(\d+)/, '$1'), source: `.java-version "${pinned}"` };
    }
    if (!out.name && gradle !== null) {
      const { name, file } = await gradleSettings(repo);
      if (name) out.name = { value: name, source: `${file ?? 'settings.gradle'} rootProject.name "${name}"` };
    }
    const buildFiles: [string, string | null][] = [['pom.xml', pom], [gradleFile ?? 'build.gradle', gradle]];
    const health = (await springActuatorHealth(repo, buildFiles)) ?? (await jvmFrameworkHealth(repo, buildFiles));
    if (health) out.health = { value: health.value, source: health.source };
    if (health?.note) out.notes.push(health.note);
    const config = await springPort(repo);
    if (config) out.ports.push(config);
    const build = `${pom ?? ''}${gradle ?? ''}`;
    if (/\bio\.quarkus\b/.test(build)) await quarkusJar(repo, out, pom !== null);
    if (/spring-boot/.test(build)) out.ports.push({ value: 8080, source: "Spring Boot (its default port)", rank: portRank.framework });
    else if (/\bio\.quarkus\b/.test(build)) out.ports.push({ value: 8080, source: "Quarkus (its default port)", rank: portRank.framework });
    else if (/\bio\.micronaut\b/.test(build)) out.ports.push({ value: 8080, source: "Micronaut (its default port)", rank: portRank.framework });
    return out;
  },
};

/**
 * Quarkus packages a fast-jar by default: quarkus-app/ (quarkus-run.jar, which needs the lib/, app/
 * and quarkus/ beside it), not one jar; the jar Maven writes next to it has neither the
 * dependencies nor a Main-Class, so the image would build and then fail to start. An uber-jar
 * (quarkus.package.jar.type, quarkus.package.type before 3.9) is <name>-<version>-runner.jar.
 */
async function quarkusJar(repo: RepoView, out: EcosystemFindings, maven: boolean): Promise<void> {
  const dir = 'src/main/resources';
  const props = (await repo.read(`${dir}/application.properties`)) ?? '';
  const yml = (await repo.read(`${dir}/application.yml`)) ?? (await repo.read(`${dir}/application.yaml`)) ?? '';
  const type = /^[ \t]*quarkus\.package\.(?:jar\.)?type[ \t]*[=:][ \t]*([\w-]+)/m.exec(props)?.[1] ?? yamlSetting(yml, ['quarkus', 'package', 'jar', 'type']) ?? yamlSetting(yml, ['quarkus', 'package', 'type']);
  const output = maven ? 'target' : 'build';
  const jar = out.buildTarget;
  if (type === 'uber-jar' && maven && jar && /^target\/[^/]+\.jar$/.test(jar.value)) {
    out.buildTarget = { value: jar.value.replace(/\.jar$/, '-runner.jar'), source: `${jar.source}, a Quarkus uber-jar (its -runner.jar)` };
    return;
  }
  delete out.buildTarget;
  noteIf(out, type === 'uber-jar'
    ? `Quarkus writes its uber-jar as <name>-<version>-runner.jar: pass it with --build-target ("*" for its version, e.g. --build-target '${output}/app-*-runner.jar')`
    : `Quarkus packages a fast-jar by default (${output}/quarkus-app/: quarkus-run.jar, which needs the lib/, app/ and quarkus/ folders beside it), while the image copies and runs one jar, and the ${maven ? 'target' : 'build/libs'}/*.jar the build also writes has neither the dependencies nor a Main-Class: set quarkus.package.jar.type=uber-jar in ${dir}/application.properties and add docker again, so that the image runs the <name>-<version>-runner.jar it writes`, { unlessGiven: ['buildTarget'] });
}

/**
 * The port in application.properties or application.yml: Spring Boot's server.port (`${PORT:8081}`
 * gives 8081), Micronaut's micronaut.server.port, Quarkus's quarkus.http.port (its YAML config too).
 */
async function springPort(repo: RepoView) {
  const dir = 'src/main/resources';
  const props = await repo.read(`${dir}/application.properties`);
  const p = props ? /^\s*(?:server\.port|quarkus\.http\.port|micronaut\.server\.port)\s*[=:]\s*(?:\$\{[A-Z_]+:)?(\d+)/m.exec(props) : null;
  if (p) return { value: Number(p[1]), source: `${dir}/application.properties ${p[0].trim()}`, rank: portRank.config };
  for (const file of ['application.yml', 'application.yaml']) {
    const yml = await repo.read(`${dir}/${file}`);
    // Read by key path, line by line: a regular expression spanning the block's lines could
    // backtrack exponentially on a hostile file.
    if (yml === null) continue;
    for (const key of ['server.port', 'micronaut.server.port', 'quarkus.http.port']) {
      const port = /^(?:\$\{[A-Z_]+:)?(\d+)/.exec(yamlSetting(yml, key.split('.')) ?? '')?.[1];
      if (port) return { value: Number(port), source: `${dir}/${file} ${key} ${port}`, rank: portRank.config };
    }
  }
  return null;
}

export const rustDetector: Detector = {
  language: 'rust',
  async detect(repo) {
    const cargo = await repo.read('Cargo.toml');
    if (cargo === null) return null;
    const out: EcosystemFindings = { language: 'rust', evidence: 'Cargo.toml', ports: [], notes: [] };
    const toolchainToml = await repo.read('rust-toolchain.toml');
    const channel = toolchainToml ? tomlValue(toolchainToml, 'toolchain', 'channel') : (await repo.read('rust-toolchain'))?.trim();
    const msrv = tomlValue(cargo, 'package', 'rust-version');
    if (channel && /^\d/.test(channel)) out.version = { value: channel, source: `rust-toolchain channel "${channel}"` };
    else if (msrv) out.version = { value: `>=${msrv}`, source: `Cargo.toml rust-version "${msrv}"` };
    const name = tomlValue(cargo, 'package', 'name');
    if (name) out.name = { value: name, source: `Cargo.toml name "${name}"` };
    // Each [[bin]] names a binary; without one, src/main.rs builds a binary named after the package.
    const bins = binariesOf(cargo);
    const packages = await cargoPackages(repo, cargo);
    const mainFiles = ['src/main.rs'];
    const manifests = [cargo];
    if (bins.length === 0 && name) out.buildTarget = { value: name, source: `Cargo.toml name "${name}" (the binary of src/main.rs)` };
    else if (bins.length === 1 || (name && bins.includes(name))) {
      const bin = bins.length === 1 ? bins[0]! : name!;
      out.buildTarget = { value: bin, source: `Cargo.toml [[bin]] name "${bin}"` };
    } else if (bins.length > 1) noteIf(out, `Cargo.toml has binaries ${bins.join(', ')}: the image runs one, so choose it with --build-target`, { unlessGiven: ['buildTarget'] });
    if (!name && bins.length === 0) {
      // A virtual workspace: the members' binaries (each [[bin]], or src/main.rs named after its package).
      const memberBins = packages.members.flatMap((m) => {
        const own = binariesOf(m.manifest);
        const pkg = tomlValue(m.manifest, 'package', 'name');
        const found = own.length > 0 ? own : pkg && repo.has(posix.join(m.dir, 'src/main.rs')) ? [pkg] : [];
        return found.map((bin) => ({ bin, dir: m.dir, main: posix.join(m.dir, binaryPath(m.manifest, bin) ?? 'src/main.rs'), manifest: m.manifest }));
      });
      if (memberBins.length === 1) {
        out.buildTarget = { value: memberBins[0]!.bin, source: `${memberBins[0]!.dir}/Cargo.toml, the workspace's only binary` };
        // The binary the image runs says where it listens: its main file, its framework.
        // (Not repo.has: the scan skips bin/ folders, Cargo's src/bin/ among them; the path stays inside the project.)
        const main = memberBins[0]!.main;
        if (main !== '..' && !main.startsWith('../') && !posix.isAbsolute(main)) mainFiles.push(main);
        manifests.push(memberBins[0]!.manifest);
      }
      else if (memberBins.length > 1) noteIf(out, `the workspace builds binaries ${memberBins.map((m) => `${m.bin} (${m.dir})`).join(', ')}: the image runs one, so choose it with --build-target`, { unlessGiven: ['buildTarget'] });
      else if (/^\[workspace\]/m.test(cargo)) noteIf(out, 'Cargo.toml is a workspace with no binary found in its members: name the binary the image runs with --build-target', { unlessGiven: ['buildTarget'] });
    }
    // cargo fetch reads every member's and path dependency's Cargo.toml: the image copies their folders.
    if (packages.members.length > 0) out.sources = { value: packages.members.map((m) => m.dir), source: `the workspace members and path dependencies in ${packages.from.join(', ')}` };
    if (packages.outside.length > 0) out.notes.push(`${packages.outside.map((o) => `${o.manifest} has the path dependency ${o.path}`).join('; ')}, outside this folder and so outside the build context: "cargo fetch" in the image cannot read it; move it into the project (then add docker again) or depend on a published or git version`);
    if (packages.missing.length > 0) out.notes.push(`${packages.missing.join(', ')}: named as workspace members or path dependencies, but no Cargo.toml was found there, so "cargo fetch" in the image will fail to load them; fix the path, or copy them before that line`);
    const code = await portInCode(repo, mainFiles, codePortPatterns.rust);
    if (code) out.ports.push(code);
    if (manifests.some((m) => /^rocket\s*=/m.test(m))) {
      out.ports.push({ value: 8000, source: "rocket in Cargo.toml (Rocket's default port)", rank: portRank.framework });
      // Rocket binds 127.0.0.1 unless configured, and its Rocket.toml is not in the image (the binary alone is).
      const texts = await Promise.all(mainFiles.map((f) => repo.read(f)));
      if (!texts.some((t) => t !== null && /["']address["']|\baddress\s*:|ROCKET_ADDRESS/.test(t))) out.notes.push(`Rocket listens on 127.0.0.1 unless told otherwise (its default address), which nothing outside the container reaches, and the image holds the binary alone, not a Rocket.toml: set ROCKET_ADDRESS=0.0.0.0 in the container's environment (compose environment, Nomad env; ROCKET_PORT for a port other than 8000), or set the address in code (rocket::custom(rocket::Config::figment().merge(("address", "0.0.0.0"))))`);
    }
    return out;
  },
};

/** The [[bin]] names of a manifest. */
function binariesOf(manifest: string): string[] {
  return [...manifest.matchAll(/^\[\[bin\]\][^[]*?^\s*name\s*=\s*"([^"]+)"/gm)].map((m) => m[1]!);
}

/** The `path` of the [[bin]] named `bin` in a manifest, if it sets one. */
function binaryPath(manifest: string, bin: string): string | undefined {
  for (const m of manifest.matchAll(/^\[\[bin\]\]([^[]*)/gm)) {
    if (/^\s*name\s*=\s*"([^"]+)"/m.exec(m[1]!)?.[1] === bin) return /^\s*path\s*=\s*"([^"]+)"/m.exec(m[1]!)?.[1];
  }
  return undefined;
}

/** The string items of an array `key = [ ... ]` in a TOML table (one or several lines, comments allowed). */
function tomlArray(text: string, table: string, key: string): string[] {
  const lines = text.split(/\r?\n/);
  const start = lines.findIndex((l) => new RegExp(`^\\s*\\[${table.replace(/\./g, '\\.')}\\]\\s*(#.*)?$`).test(l));
  if (start < 0) return [];
  const body: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (/^\s*\[/.test(line)) break;
    body.push(withoutComment(line));
  }
  const m = new RegExp(`^\\s*${key}\\s*=\\s*\\[([^\\]]*)\\]`, 'm').exec(body.join('\n'));
  return m ? [...m[1]!.matchAll(/"([^"]*)"|'([^']*)'/g)].map((v) => v[1] ?? v[2]!) : [];
}

/** A Cargo workspace glob (`crates/*`) as a pattern on folder paths. */
function cargoGlob(pattern: string): RegExp {
  const body = posix.normalize(pattern).replace(/\/+$/, '').split('**').map((part) => part.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')).join('.*');
  return new RegExp(`^${body}$`);
}

/**
 * The packages of a Cargo build besides the root one, each a folder of the project holding a
 * Cargo.toml: the workspace members (globs expanded against the scan, `exclude` left out) and the
 * path dependencies of the root and of those packages, found transitively. Path dependencies that
 * leave the folder (outside the build context) and members or dependencies without a Cargo.toml
 * are listed apart.
 */
async function cargoPackages(repo: RepoView, root: string): Promise<{ members: { dir: string; manifest: string }[]; from: string[]; outside: { manifest: string; path: string }[]; missing: string[] }> {
  const manifests = repo.files.filter((f) => f.endsWith('/Cargo.toml')).map((f) => f.slice(0, -'/Cargo.toml'.length));
  const excluded = tomlArray(root, 'workspace', 'exclude').map(cargoGlob);
  const members = new Map<string, string>();
  const outside: { manifest: string; path: string }[] = [];
  const missing: string[] = [];
  const from = new Set<string>();
  const queue: string[] = [];
  const add = async (dir: string) => {
    if (dir === '' || dir === '.' || members.has(dir)) return;
    const manifest = await repo.read(`${dir}/Cargo.toml`);
    if (manifest === null) {
      if (!missing.includes(dir)) missing.push(dir);
      return;
    }
    members.set(dir, manifest);
    queue.push(dir);
  };
  for (const pattern of tomlArray(root, 'workspace', 'members')) {
    const glob = /[*?]/.test(pattern) ? cargoGlob(pattern) : null;
    from.add('Cargo.toml [workspace] members');
    if (glob === null) await add(posix.normalize(pattern).replace(/\/+$/, ''));
    else for (const dir of manifests.filter((d) => glob.test(d) && !excluded.some((e) => e.test(d))).sort(compareText)) await add(dir);
  }
  const pathDependencies = async (dir: string, manifest: string) => {
    // Dependency paths only: a target's path (src/bin/x.rs) or a build script is not a package.
    const paths = [...manifest.matchAll(/\bpath\s*=\s*"([^"]+)"/g)].map((m) => m[1]!).filter((p) => !/\.rs$/.test(p));
    for (const path of paths) {
      const target = posix.normalize(posix.join(dir, path)).replace(/\/+$/, '');
      const at = dir === '.' ? 'Cargo.toml' : `${dir}/Cargo.toml`;
      if (target === '..' || target.startsWith('../')) outside.push({ manifest: at, path });
      else if (target !== '.' && (repo.has(`${target}/Cargo.toml`) || !posix.extname(target))) {
        from.add(`${at} path dependencies`);
        await add(target);
      }
    }
  };
  await pathDependencies('.', root);
  for (let i = 0; i < queue.length && i < 200; i++) await pathDependencies(queue[i]!, members.get(queue[i]!)!);
  return { members: [...members].map(([dir, manifest]) => ({ dir, manifest })), from: [...from], outside, missing };
}

export const dotnetDetector: Detector = {
  language: 'dotnet',
  async detect(repo) {
    const projects = repo.files.filter((f) => f.endsWith('.csproj') && f.split('/').length <= 3).sort((a, b) => a.split('/').length - b.split('/').length || compareText(a, b));
    if (projects.length === 0) return null;
    const texts = await Promise.all(projects.map(async (p) => ({ path: p, text: (await repo.read(p)) ?? '' })));
    const { project, others, what } = dotnetProject(texts);
    const out: EcosystemFindings = { language: 'dotnet', evidence: project.path, ports: [], notes: [] };
    const tfm = /<TargetFrameworks?>\s*([^<]+)<\/TargetFrameworks?>/.exec(project.text)?.[1];
    const versions = (tfm ?? '').split(';').map((t) => /^net(\d+\.\d+)$/.exec(t.trim())?.[1]).filter((v): v is string => v !== undefined);
    if (versions.length > 0) {
      const newest = versions.sort((a, b) => Number(b) - Number(a))[0]!;
      out.version = { value: newest, source: `${project.path} <TargetFramework>${tfm!.trim()}` };
    } else {
      const global = await repo.json('global.json');
      const sdk = global && typeof global.sdk === 'object' && global.sdk ? (global.sdk as Record<string, unknown>).version : undefined;
      if (typeof sdk === 'string') out.version = { value: sdk.split('.').slice(0, 2).join('.'), source: `global.json sdk.version "${sdk}"` };
    }
    const assembly = assemblyOf(project);
    out.name = { value: assembly, source: `${project.path}` };
    out.start = { value: `dotnet ${commandWord(`${assembly}.dll`)}`, source: `${project.path} (assembly ${assembly})` };
    const settingsPath = posix.join(posix.dirname(project.path), 'appsettings.json');
    const settings = await repo.json(settingsPath);
    const url = settings ? urlsOf(settings) : null;
    const port = url ? portNumber(/:(\d+)(?:\/|$)/.exec(url)?.[1]) : null;
    if (port) out.ports.push({ value: port, source: `${settingsPath} ${url}`, rank: portRank.config });
    if (/Microsoft\.NET\.Sdk\.Web/.test(project.text)) out.ports.push({ value: 8080, source: 'ASP.NET Core images listen on 8080 by default', rank: portRank.framework });
    // The solution layout (src/Api/Api.csproj, tests/Api.Tests/…): the build restores and
    // publishes that project by name; several at the top need one named too.
    const atTop = projects.filter((p) => !p.includes('/'));
    const kind = others.length > 0 ? `the first of ${others.length + 1} ${what}` : /Sdk="Microsoft\.NET\.Sdk\.Web"/.test(project.text) ? 'the ASP.NET Core project' : 'the first project';
    // As with several lockfiles: the first stands until the user picks, which the note asks for,
    // with the start command (and name) of each, since those follow the project too.
    if (others.length > 0) {
      const choices = others.map((o) => {
        const assembly = assemblyOf(o);
        return `--build-target ${shellWord(o.path)} --start ${shellWord(`dotnet ${commandWord(`${assembly}.dll`)}`)}`;
      });
      noteIf(out, `this project has ${others.length + 1} ${what} (${[project, ...others].map((p) => p.path).join(', ')}) and the image builds and runs one: ${project.path} until you choose; for ${others.length === 1 ? 'the other' : 'another'}, pass ${choices.join(', or ')} (and --name for its name)`, { unlessGiven: ['buildTarget'] });
    }
    if (project.path.includes('/')) out.buildTarget = { value: project.path, source: `${project.path}, ${kind}, not at the top` };
    else if (atTop.length > 1) out.buildTarget = { value: project.path, source: others.length > 0 ? `${project.path}, ${kind}` : `${project.path}, ${kind} of ${atTop.length} at the top` };
    return out;
  },
};

type DotnetProject = { path: string; text: string };

const isWeb = (p: DotnetProject) => /Sdk="Microsoft\.NET\.Sdk\.Web"/.test(p.text);
/** A test project (dotnet new xunit/nunit/mstest reference the test SDK): never the one the image runs. */
const isTest = (p: DotnetProject) => /Include="Microsoft\.NET\.Test\.Sdk"|<IsTestProject>\s*true\s*</i.test(p.text) || /\.(?:Unit|Integration)?Tests?\.csproj$/i.test(p.path);
const assemblyOf = (p: DotnetProject) => /<AssemblyName>\s*([^<\s]+)\s*<\/AssemblyName>/.exec(p.text)?.[1] ?? posix.basename(p.path, '.csproj');

/**
 * The project the image builds and runs, of `projects` (shallowest first): the one ASP.NET Core
 * project, else the one project nearest the top, test projects left out. `others` are as likely
 * (several ASP.NET Core projects, or several at the same depth without one), `what` says of what:
 * picking among them is the user's.
 */
function dotnetProject(projects: DotnetProject[]): { project: DotnetProject; others: DotnetProject[]; what: string } {
  const apps = projects.filter((p) => !isTest(p));
  const pool = apps.length > 0 ? apps : projects;
  const web = pool.filter(isWeb);
  const depth = (p: DotnetProject) => p.path.split('/').length;
  const [project, ...others] = web.length > 0 ? web : pool.filter((p) => depth(p) === depth(pool[0]!));
  const where = depth(project!) === 1 ? ' at the top' : ` at the same depth`;
  return { project: project!, others, what: web.length > 0 ? 'ASP.NET Core projects' : `projects${where}` };
}

function urlsOf(settings: Record<string, unknown>): string | null {
  if (typeof settings.Urls === 'string') return settings.Urls.split(';')[0]!;
  const endpoints = ((settings.Kestrel as Record<string, unknown> | undefined)?.Endpoints ?? {}) as Record<string, { Url?: unknown }>;
  for (const endpoint of Object.values(endpoints)) if (typeof endpoint?.Url === 'string') return endpoint.Url;
  return null;
}

/**
 * A Gradle build: the image runs the project's wrapper (so its Gradle release), and copies the jar
 * `assemble` writes, build/libs/<name>-<version>.jar, when the build scripts spell both out. A
 * multi-project build, a renamed archive, or a build without the wrapper is noted instead.
 */
async function gradleBuild(repo: RepoView, file: string, script: string, out: EcosystemFindings): Promise<void> {
  if (!repo.has('gradlew') || !repo.has('gradle/wrapper/gradle-wrapper.properties')) {
    out.notes.push(`this project builds with Gradle (${file}) but has no wrapper (gradlew and gradle/wrapper/): the image builds with it, so add it ("gradle wrapper") and commit it, then pass --package-manager gradle`);
    return;
  }
  out.packageManager = { value: 'gradle', source: `${file} and the Gradle wrapper` };
  const { file: settingsFile, text: settings, name } = await gradleSettings(repo);
  const properties = (await repo.read('gradle.properties')) ?? '';
  const version = /^\s*version\s*=?\s*["']([^"'$]+)["']/m.exec(script)?.[1] ?? /^\s*version\s*=\s*([^\s$]+)\s*$/m.exec(properties)?.[1];
  if (/^\s*include\s*[( '"]/m.test(settings)) {
    noteIf(out, `${settingsFile} includes subprojects: the jar the image runs is in one of their build/libs folders, so copy that subproject's folder with --source and name its jar with --build-target`, { unlessGiven: ['buildTarget'] });
  } else if (/archive(File|Base)Name|archiveVersion|archiveClassifier/.test(script)) {
    noteIf(out, `${file} renames its jar (archiveFileName and the like); pass the jar assemble writes with --build-target (e.g. build/libs/app.jar)`, { unlessGiven: ['buildTarget'] });
  } else if (!name) {
    noteIf(out, `${settingsFile ?? 'settings.gradle'} sets no rootProject.name, so Gradle names the jar after the folder, which is /build in the image; set rootProject.name and pass the jar with --build-target (build/libs/<name>-*.jar, "*" for its version)`, { unlessGiven: ['buildTarget'] });
  } else {
    // The version is a wildcard, so a version bump needs no new Dockerfile: <name>-*.jar, or
    // <name>*.jar when no literal version was found (none gives <name>.jar, one set by code <name>-<v>.jar).
    const versioned = version !== undefined && version !== 'unspecified';
    out.buildTarget = { value: `build/libs/${name}${versioned ? '-*' : '*'}.jar`, source: `${settingsFile} rootProject.name ${name}${versioned ? ', any version' : ', with or without a version'}` };
  }
}

/** settings.gradle(.kts): which file, its text, and the rootProject.name it sets (a literal, not an expression). */
async function gradleSettings(repo: RepoView): Promise<{ file?: string; text: string; name?: string }> {
  const file = ['settings.gradle.kts', 'settings.gradle'].find((f) => repo.has(f));
  const text = file ? ((await repo.read(file)) ?? '') : '';
  const name = /rootProject\.name\s*=\s*["']([^"'$]+)["']/.exec(text)?.[1];
  return { ...(file ? { file } : {}), text, ...(name ? { name } : {}) };
}

/**
 * The jar mvn package writes, as the Dockerfile matches it: target/<finalName>.jar (a property in
 * it, such as ${project.version}, a "*"), or target/<artifactId>-*.jar, whatever the version, so a
 * version bump needs no new Dockerfile.
 */
function mavenJar(pom: string): Found<string> | undefined {
  const finalName = /<finalName>\s*([^<\s]+)\s*<\/finalName>/.exec(pom)?.[1];
  if (finalName) {
    const name = finalName.replace(/\$\{[^}]*\}/g, '*').replace(/\*+/g, '*');
    return /^[A-Za-z0-9._*-]+$/.test(name) ? { value: `target/${name}.jar`, source: `pom.xml <finalName>${finalName}` } : undefined;
  }
  // The project's own coordinates, not those of its dependencies and plugins.
  const project = pom.replace(/<(dependencies|dependencyManagement|build|profiles|reporting)>[\s\S]*?<\/\1>/g, '');
  const artifact = /<artifactId>\s*([^<\s]+)\s*<\/artifactId>/.exec(project)?.[1];
  if (!artifact || !literal(artifact)) return undefined;
  return { value: `target/${artifact}-*.jar`, source: `pom.xml artifactId ${artifact}, any version` };
}

const literal = (value: string) => !value.includes('${');
