import { describe, expect, it } from 'vitest';
import { languages } from '../../src/languages.js';
import * as v from '../../src/validate.js';

const rejects = (fn: () => unknown, message: RegExp) => expect(fn).toThrowError(message);

describe('answer parsers', () => {
  it('accepts DNS labels and rejects everything else with a fix in the message', () => {
    expect(v.dnsLabel('my-svc', 'name')).toBe('my-svc');
    expect(v.dnsLabel('a', 'name')).toBe('a');
    expect(v.dnsLabel('a'.repeat(63), 'name')).toHaveLength(63);
    for (const bad of ['My-Svc', '-svc', 'svc-', '1svc', 'my svc', 'my_svc', '../x', 'a'.repeat(64), 'x"y', '$x', '${x}', '{{x}}', 'ｍy-svc', '']) {
      rejects(() => v.dnsLabel(bad, 'name'), /name .*(not a DNS label|limit is 63|control)/);
    }
  });

  it('sources: relative paths COPY can take, normalised, and never what .dockerignore keeps out', () => {
    expect(v.appSources('src, ./lib/, app.py, *.go, cmd/*.go, appsettings*.json, @scope+x')).toEqual(['src', 'lib', 'app.py', '*.go', 'cmd/*.go', 'appsettings*.json', '@scope+x']);
    expect(v.appSources(['web/static'])).toEqual(['web/static']);
    rejects(() => v.appSources([]), /sources is empty/);
    rejects(() => v.appSources(''), /sources is empty/);
    for (const whole of ['.', './', './/', '*', './*', '**', '?*']) rejects(() => v.appSources([whole]), /whole build context; D06/);
    for (const odd of ['my app', 'a"b', "a'b", '$x', 'a\\b', '/abs', '-x', '--chown=0', 'a//b', 'a[1]', 'a;b']) rejects(() => v.appSources([odd]), /not a plain relative path/);
    for (const up of ['..', '../x', 'a/../b', 'a/./b']) rejects(() => v.appSources([up]), /"\." or "\.\."/);
    rejects(() => v.appSources(['cmd/*/main.go']), /wildcard in a folder name/);
    for (const hidden of ['secrets', 'config/secrets', '.git', '.env', '.env.local', 'prod.env', 'tls/server.key', 'cert.pem', 'id_ed25519', '.aws', '.npmrc', 'deploy', 'deploy/nomad', 'local']) {
      rejects(() => v.appSources([hidden]), /kept out of the build context by \.dockerignore/);
    }
    for (const rootOnly of ['compose.yaml', 'compose.prod.yaml', '.gitignore', '.allowed_signers', '.vscode', 'src/.idea', 'notes.swp']) {
      rejects(() => v.appSources([rootOnly]), /kept out of the build context by \.dockerignore/);
    }
    expect(v.appSources(['src/compose.yaml', 'config/.env.example', 'deploy.js'])).toEqual(['src/compose.yaml', 'config/.env.example', 'deploy.js']);
    rejects(() => v.appSources(['app/x.pyc'], ['__pycache__', '*.pyc']), /x\.pyc: secrets, credentials/);
    rejects(() => v.appSources(['node_modules'], ['node_modules', 'dist']), /node_modules: secrets, credentials/);
    expect(v.appSources(['node_modules'], [])).toEqual(['node_modules']);
    rejects(() => v.appSources('src, src/'), /source "src" is given twice/);
  });

  it("build target: in the form each compiled language's Dockerfile line takes; none for the others", () => {
    const lang = (id: string) => languages.find((l) => l.id === id)!;
    expect(v.buildTarget('./cmd/server', lang('go'))).toBe('./cmd/server');
    expect(v.buildTarget('.', lang('go'))).toBe('.');
    for (const bad of ['cmd/server', './cmd/../x', './.', '../x', './a b', './a;rm', '']) rejects(() => v.buildTarget(bad, lang('go')), /is not the main package go build compiles in a form the Dockerfile can name; use e\.g\. \.\/cmd\/server/);
    expect(v.buildTarget('inventory-api', lang('rust'))).toBe('inventory-api');
    for (const bad of ['a/b', 'a b', '$(id)', '']) rejects(() => v.buildTarget(bad, lang('rust')), /is not the binary cargo builds/);
    expect(v.buildTarget('target/catalog-0.3.0.jar', lang('java'))).toBe('target/catalog-0.3.0.jar');
    // "*" stands for the version, so a version bump needs no new Dockerfile; nothing else a shell would read.
    expect(v.buildTarget('target/catalog-*.jar', lang('java'))).toBe('target/catalog-*.jar');
    expect(v.buildTarget('build/libs/*.jar', lang('java'), 'build/libs/app.jar')).toBe('build/libs/*.jar');
    for (const bad of ['app.jar', 'target/../x.jar', 'target/a/b.jar', 'target/app.war', 'build/app.jar', 'target/*/x.jar', 'target/a?.jar', 'target/$(id).jar', 'target/a b.jar', 'target/-x.jar']) rejects(() => v.buildTarget(bad, lang('java')), /is not the jar mvn package \(target\/\) or gradle assemble \(build\/libs\/\) writes/);
    // Where the chosen build writes it: Maven in target/, Gradle in build/libs/.
    expect(v.buildTarget('build/libs/catalog-0.3.0.jar', lang('java'), 'build/libs/app.jar')).toBe('build/libs/catalog-0.3.0.jar');
    rejects(() => v.buildTarget('target/catalog.jar', lang('java'), 'build/libs/app.jar'), /build-target "target\/catalog\.jar" is not in build\/libs\/, where this build writes it; use e\.g\. build\/libs\/app\.jar/);
    rejects(() => v.buildTarget('build/libs/catalog.jar', lang('java'), 'target/app.jar'), /is not in target\/, where this build writes it/);
    expect(v.buildTarget('', lang('node'))).toBe('');
    rejects(() => v.buildTarget('x', lang('node')), /build-target "x" does not apply to Node\.js, whose image is built from the project's sources; leave it out/);
  });

  it("build script: a package.json script name, for a language that runs one, with a start command that runs the built file from its folder", () => {
    const node = languages.find((l) => l.id === 'node')!;
    expect(v.buildScript('', node, 'node server.js')).toBe('');
    expect(v.buildScript('build:prod', node, 'node dist/index.js')).toBe('build:prod');
    expect(v.builtFolderOf('node --enable-source-maps ./dist/main.js')).toBe('dist');
    // The app's own arguments after the file.
    expect(v.builtFileOf('node dist/main.js --port 8080')).toBe('dist/main.js');
    expect(v.buildScript('build', node, 'node dist/main.js --port 8080')).toBe('build');
    expect(v.builtFolderOf('node server.js')).toBeNull();
    expect(v.builtFolderOf('npm start')).toBeNull();
    // next start serves what next build writes; a tool run from node_modules is no built file.
    expect(v.builtFolderOf('node node_modules/next/dist/bin/next start -p 3100')).toBe('.next');
    expect(v.builtFileOf('node node_modules/vite/bin/vite.js preview')).toBeNull();
    rejects(() => v.buildScript('build', node, 'node server.js'), /needs a start command that runs the built file from its folder/);
    rejects(() => v.buildScript('run build', node, 'node dist/a.js'), /is not a package\.json script name/);
    rejects(() => v.buildScript('build', languages.find((l) => l.id === 'go')!, './server'), /build-script "build" does not apply to Go/);
  });

  it('refuses control characters and line breaks anywhere', () => {
    for (const bad of ['a\nb', 'a\rb', 'a\u0000', 'a\u2028b', 'a\u0085b']) {
      rejects(() => v.command(bad, 'start'), /control character or line break/);
    }
  });

  it('ports: 1024-65535 only, whole numbers only', () => {
    expect(v.port('8080')).toBe(8080);
    expect(v.port(3000)).toBe(3000);
    rejects(() => v.port('0'), /privileged/);
    rejects(() => v.port('80'), /privileged/);
    rejects(() => v.port('1023'), /privileged/);
    rejects(() => v.port('65536'), /out of range/);
    rejects(() => v.port('8080abc'), /not a whole number/);
    rejects(() => v.port('-1'), /not a whole number/);
    rejects(() => v.port('80.5'), /not a whole number/);
  });

  it('health paths are plain URL paths', () => {
    expect(v.urlPath('/healthz', 'health-path')).toBe('/healthz');
    expect(v.urlPath('/api/v1/health', 'health-path')).toBe('/api/v1/health');
    for (const bad of ['healthz', '/a b', '/a"b', '/${x}', '/a/../b', '//x', '/a?b=c', "/a'b"]) {
      rejects(() => v.urlPath(bad, 'health-path'), /not a plain URL path/);
    }
  });

  it('splits start commands like a shell would, and refuses unbalanced quotes', () => {
    expect(v.splitCommand('node src/server.js')).toEqual(['node', 'src/server.js']);
    expect(v.splitCommand(`python -c "print('hi there')"`)).toEqual(['python', '-c', "print('hi there')"]);
    expect(v.splitCommand(`a '' b`)).toEqual(['a', '', 'b']);
    rejects(() => v.command('node "server.js', 'start'), /unclosed " quote/);
    rejects(() => v.command('   ', 'start'), /empty/);
    // Exec form expands no variables: "$PORT" would reach the server as five characters.
    for (const bad of ['uvicorn main:app --port $PORT', 'gunicorn -b 0.0.0.0:${PORT:-8000} app:app', 'node $APP']) {
      rejects(() => v.command(bad, 'start'), /uses \$\{?[A-Z]+.*, but the image runs it in exec form, where no shell expands variables; write the value itself \(e\.g\. --port 8000\)$/);
    }
    expect(v.command('php -S 0.0.0.0:8080 -t public', 'start')).toBe('php -S 0.0.0.0:8080 -t public');
    // Nor does it read operators or comments: "&&" would reach the app as an argument.
    const operators: [string, string][] = [['node migrate.js && node server.js', '&&'], ['node a.js || true', '||'], ['node a.js; echo done', ';'], ['node a.js | tee log', '|'], ['node a.js > out.log', '>'], ['node a.js 2>> err', '>>'], ['node a.js < in', '<'], ['node a.js &', '&'], ['python -m app `id`', '`'], ['node $(which app)', '$('], ['node app.js # the server', '#']];
    for (const [bad, operator] of operators) {
      rejects(() => v.command(bad, 'start'), new RegExp(`uses ${operator.replace(/[|$()]/g, '\\$&')} outside quotes, but the image runs it in exec form, where no shell reads it`));
    }
    // Quoted, or inside a word, they are the app's own arguments.
    for (const good of ['node "a;b.js"', `python -c 'print(1 > 0)'`, 'node app.js#anchor', 'node --title="a | b" app.js']) expect(v.command(good, 'start')).toBe(good);
  });

  it('secret names: env-var shaped, unique, never shadowing runtime variables', () => {
    expect(v.secretNames(['DATABASE_URL', 'API_TOKEN'])).toEqual(['DATABASE_URL', 'API_TOKEN']);
    expect(v.secretNames('A, B')).toEqual(['A', 'B']);
    expect(v.secretNames('')).toEqual([]);
    rejects(() => v.secretNames(['database_url']), /not an environment variable name/);
    rejects(() => v.secretNames(['A', 'A']), /given twice/);
    rejects(() => v.secretNames(['PATH']), /shadow/);
    rejects(() => v.secretNames(['HOME']), /shadow/);
    rejects(() => v.secretNames(['VAULT_TOKEN']), /shadow/);
    rejects(() => v.secretNames(['A-B']), /not an environment variable name/);
    rejects(() => v.secretNames('x'.repeat(1000)), /limit is 64/);
    rejects(() => v.secretNames({ a: 1 }), /must be a list/);
  });

  it('a value refused for a letter outside ASCII names that letter, and asks for ASCII letters', () => {
    const cases: [() => unknown, string][] = [
      [() => v.dnsLabel('café', 'name'), 'name "café" is not a DNS label ("é" is not ASCII); use 1-63 lowercase ASCII letters'],
      [() => v.identifier('dc-é', 'datacenter'), 'datacenter "dc-é" is not valid ("é" is not ASCII); use ASCII letters'],
      [() => v.urlPath('/santé', 'health-path'), 'health-path "/santé" is not a plain URL path ("é" is not ASCII); use "/" followed by ASCII letters'],
      [() => v.secretNames(['DB_PASSWÖRD']), 'secret "DB_PASSWÖRD" is not an environment variable name ("Ö" is not ASCII); use uppercase ASCII letters'],
      [() => v.networkNames(['frönt']), 'network "frönt" is not valid ("ö" is not ASCII); use lowercase ASCII letters'],
      [() => v.appSources(['src/übung.py']), 'source "src/übung.py" is not a plain relative path ("ü" is not ASCII); name a file'],
      [() => v.vaultMount('geheim-ß'), 'vault-mount "geheim-ß" is not a KV mount name ("ß" is not ASCII); use lowercase ASCII letters'],
    ];
    for (const [fn, message] of cases) expect(fn).toThrowError(message);
    // An ASCII mistake says nothing about ASCII.
    expect(() => v.dnsLabel('My-Svc', 'name')).toThrowError(/^name "My-Svc" is not a DNS label; use/);
  });

  it('a secret given as a line of a .env file is refused by its name, its value never in the message', () => {
    for (const line of ['DB_PASSWORD=hunter2', 'export DB_PASSWORD="hunter2 and more"', ' DB_PASSWORD = hunter2\u0007']) {
      expect(() => v.secretNames(['API_TOKEN', line])).toThrowError(/^secret DB_PASSWORD=… holds a value; give the name only \(DB_PASSWORD\): the tool keeps secret names, never their values$/);
      expect(() => v.secretNames(`API_TOKEN, ${line}`)).toThrowError(/DB_PASSWORD=… holds a value/);
    }
  });

  it('networks: names only, reserved ones refused, at least one', () => {
    expect(v.networkNames(['frontend'])).toEqual(['frontend']);
    rejects(() => v.networkNames(['host']), /reserved/);
    rejects(() => v.networkNames(['data']), /reserved/);
    rejects(() => v.networkNames([]), /at least one/);
    rejects(() => v.networkNames(['Front End']), /not valid/);
  });

  it('cpu and memory take the usual notations', () => {
    expect(v.cpu('0.5')).toBe(0.5);
    expect(v.cpu(2)).toBe(2);
    rejects(() => v.cpu('0'), /out of range/);
    rejects(() => v.cpu('half'), /not a number/);
    expect(v.memory('512')).toBe(512);
    expect(v.memory('512M')).toBe(512);
    expect(v.memory('1G')).toBe(1024);
    expect(v.memory(256)).toBe(256);
    rejects(() => v.memory('16'), /out of range/);
    rejects(() => v.memory('lots'), /not a size/);
  });

  it('vault settings', () => {
    expect(v.kvVersion('2')).toBe(2);
    expect(v.kvVersion(1)).toBe(1);
    rejects(() => v.kvVersion('3'), /use 1 or 2/);
    expect(v.vaultMount('kv/')).toBe('kv');
    rejects(() => v.vaultMount('sys'), /never sys/);
    rejects(() => v.vaultMount('secret/*'), /not a KV mount/);
  });

  it('signing keys: a plain path for ssh, a hex ID for gpg', () => {
    expect(v.signingKey('~/.ssh/id_ed25519.pub', 'ssh')).toBe('~/.ssh/id_ed25519.pub');
    rejects(() => v.signingKey('~/my key.pub', 'ssh'), /^signing-key "~\/my key\.pub" is not a plain file path \(" ", U\+0020, cannot be in it\); use letters, digits/);
    // A path with letters outside ASCII is a path like any other, in any normalisation form.
    expect(v.signingKey('/home/josé/.ssh/id.pub', 'ssh')).toBe('/home/josé/.ssh/id.pub');
    expect(v.signingKey('/home/jose\u0301/.ssh/id.pub', 'ssh')).toBe('/home/jose\u0301/.ssh/id.pub');
    expect(v.signingKey('~/.ssh/ключ_ed25519.pub', 'ssh')).toBe('~/.ssh/ключ_ed25519.pub');
    expect(v.signingKey('/home/田中/.ssh/id.pub', 'ssh')).toBe('/home/田中/.ssh/id.pub');
    // Still refused: what is no letter or digit, visible or not (a right-to-left override, a
    // zero-width space, a no-break space, a quote), and control characters and line breaks.
    rejects(() => v.signingKey('/home/a\u202egp.pub', 'ssh'), /\(".*", U\+202E, cannot be in it\)/);
    rejects(() => v.signingKey('/home/a\u200bb/id.pub', 'ssh'), /U\+200B/);
    rejects(() => v.signingKey('/home/a\u00a0b/id.pub', 'ssh'), /U\+00A0/);
    rejects(() => v.signingKey("/home/o'brien/id.pub", 'ssh'), /U\+0027/);
    rejects(() => v.signingKey('/home/josé\n/id.pub', 'ssh'), /control character or line break/);
    rejects(() => v.signingKey('/home/josé\u2028/id.pub', 'ssh'), /control character or line break/);
    rejects(() => v.signingKey('', 'ssh'), /empty/);
    expect(v.signingKey('0xABCDEF0123456789', 'gpg')).toBe('0xABCDEF0123456789');
    rejects(() => v.signingKey('me@example.com', 'gpg'), /not a GPG key ID/);
    expect(v.signingKey('anything', 'none')).toBe('');
  });

  it('source URLs: plain https only', () => {
    expect(v.sourceUrl('https://github.com/acme/svc')).toBe('https://github.com/acme/svc');
    expect(v.sourceUrl('')).toBe('');
    for (const bad of ['http://x.y/z', 'https://u:p@x.y/z', 'https://x.y/$(id)', 'https://x.y/"a', 'not a url', 'javascript:alert(1)']) {
      rejects(() => v.sourceUrl(bad), /source-url/);
    }
  });

  it('shows hostile values safely in one line', () => {
    expect(v.show('a\nb')).toBe('"a\\nb"');
    expect(v.show('x'.repeat(100))).toHaveLength(62);
  });
});
