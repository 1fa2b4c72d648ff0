/**
 * Hostile and broken input to `create`: every case must end with a one-line error naming the
 * problem and the fix, the documented exit code, and the folder byte-for-byte as it was.
 */
import { existsSync, lstatSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { refuseEach, runMain, snapshot, tempDir, type HostileCase } from './helpers.js';


const svc = (dir: string) => join(dir, 'svc');
const yes = (dir: string, ...more: string[]) => [svc(dir), '--yes', '--no-git', ...more];
/** A project create generated in g/: its manifest, its secrets/ folder. */
const generated = (dir: string) => {
  mkdirSync(join(dir, 'g', 'secrets'), { recursive: true });
  mkdirSync(join(dir, 'g', '.secure-service'));
  writeFileSync(join(dir, 'g', '.secure-service', 'manifest.json'), JSON.stringify({ generator: 'create-secure-service', version: '0.1.0', answers: { name: 'g' }, files: [] }));
};
const answersFile = (content: string) => (dir: string) => writeFileSync(join(dir, 'answers.json'), content);

const cases: HostileCase[] = [
  // Names: only DNS labels reach any template.
  { name: 'name with a double quote', args: (d) => yes(d, '--name', 'a"b'), message: /--name: name "a\\"b" is not a DNS label; use 1-63 lowercase/ },
  { name: 'name with a single quote', args: (d) => yes(d, '--name', "a'b"), message: /--name: .* is not a DNS label/ },
  { name: 'name with spaces', args: (d) => yes(d, '--name', 'my svc'), message: /--name: .* is not a DNS label/ },
  { name: 'name with $', args: (d) => yes(d, '--name', '$HOME'), message: /--name: .* is not a DNS label/ },
  { name: 'name with ${}', args: (d) => yes(d, '--name', '${attr.x}'), message: /--name: .* is not a DNS label/ },
  { name: 'name with %{}', args: (d) => yes(d, '--name', '%{if}'), message: /--name: .* is not a DNS label/ },
  { name: 'name with {{ }}', args: (d) => yes(d, '--name', '{{ .Secret }}'), message: /--name: .* is not a DNS label/ },
  { name: 'name with a newline', args: (d) => yes(d, '--name', 'a\njob "x" {}'), message: /--name: name contains a control character or line break: "a\\njob/ },
  { name: 'name with a Unicode look-alike', args: (d) => yes(d, '--name', 'ｍy-svc'), message: /--name: .* is not a DNS label/ },
  { name: 'name with ../', args: (d) => yes(d, '--name', '../escape'), message: /--name: .* is not a DNS label/ },
  { name: 'absolute path as name', args: (d) => yes(d, '--name', '/etc/passwd'), message: /--name: .* is not a DNS label/ },
  { name: 'name longer than 63', args: (d) => yes(d, '--name', 'a'.repeat(64)), message: /--name: name is 64 characters long; the limit is 63/ },
  { name: 'name equal to a backing service', args: (d) => yes(d, '--name', 'redis', '--service', 'redis'), message: /--service: redis is both the service's name and a backing service's; compose needs distinct service names, so rename the service \(e\.g\. redis-app\)/ },
  // Ports.
  { name: 'port 0', args: (d) => yes(d, '--port', '0'), message: /--port: port 0 is a privileged port \(D11\); use a port from 1024 to 65535/ },
  { name: 'port 80', args: (d) => yes(d, '--port', '80'), message: /--port: port 80 is a privileged port/ },
  { name: 'port 65536', args: (d) => yes(d, '--port', '65536'), message: /--port: port 65536 is out of range/ },
  { name: 'port 8080abc', args: (d) => yes(d, '--port', '8080abc'), message: /--port: port "8080abc" is not a whole number/ },
  // Secrets.
  { name: 'the same secret twice', args: (d) => yes(d, '--secret', 'API_KEY', '--secret', 'API_KEY'), message: /--secret: secret "API_KEY" is given twice; list each once/ },
  { name: 'secret PATH', args: (d) => yes(d, '--secret', 'PATH'), message: /--secret: secret "PATH" would shadow a variable/ },
  { name: 'secret HOME', args: (d) => yes(d, '--secret', 'HOME'), message: /--secret: secret "HOME" would shadow/ },
  { name: 'secret with an injected assignment', args: (d) => yes(d, '--secret', 'A=1 B'), message: /^error: --secret: secret A=… holds a value; give the name only \(A\): the tool keeps secret names, never their values$/ },
  { name: 'secret colliding with a service secret', args: (d) => yes(d, '--secret', 'POSTGRES_PASSWORD', '--service', 'postgres'), message: /--service: POSTGRES_PASSWORD is a variable the postgres service sets for the app \(its credentials are generated for you\); drop it from the secrets or rename it/ },
  { name: 'secret named like a variable a service sets (its host)', args: (d) => yes(d, '--secret', 'POSTGRES_HOST', '--service', 'postgres'), message: /--service: POSTGRES_HOST is a variable the postgres service sets for the app/ },
  // Free text.
  { name: 'health path with a template', args: (d) => yes(d, '--health-path', '/${jndi}'), message: /--health-path: health-path "\/\$\{jndi\}" is not a plain URL path/ },
  { name: 'health path with a newline', args: (d) => yes(d, '--health-path', '/ok\nHEALTHCHECK NONE'), message: /--health-path: health-path contains a control character/ },
  { name: 'a start command that listens on another port than --port', args: (d) => yes(d, '--language', 'php', '--port', '9000', '--start', 'php -S 0.0.0.0:8080 -t public public/index.php'), message: /--start: "php -S 0\.0\.0\.0:8080 -t public public\/index\.php" makes php -S listen on port 8080, but the port answer is 9000; give both the same port/ },
  { name: 'start command with a pasted no-break space', args: (d) => yes(d, '--start', 'node\u00a0src/server.js'), message: /--start: start .*contains U\+00A0, a space that is not a plain one \(pasted text\?\); type it again with plain spaces/ },
  { name: 'start command with an unclosed quote', args: (d) => yes(d, '--start', 'node "server.js'), message: /--start: start "node \\"server.js" has an unclosed " quote/ },
  { name: 'start command with a newline', args: (d) => yes(d, '--start', 'node x\nUSER root'), message: /--start: start contains a control character or line break/ },
  { name: 'start command reading a variable no shell expands', args: (d) => yes(d, '--start', 'node src/server.js --port $PORT'), message: /--start: start "node src\/server\.js --port \$PORT" uses \$PORT, but the image runs it in exec form, where no shell expands variables/ },
  { name: 'build target for a language without one', args: (d) => yes(d, '--build-target', './cmd/x'), message: /--build-target: build-target "\.\/cmd\/x" does not apply to Node\.js/ },
  { name: 'Go build target leaving the module', args: (d) => yes(d, '--language', 'go', '--build-target', '../other'), message: /--build-target: build-target "\.\.\/other" is not the main package go build compiles/ },
  { name: 'Rust build target with a shell substitution', args: (d) => yes(d, '--language', 'rust', '--build-target', '$(id)'), message: /--build-target: build-target "\$\(id\)" is not the binary cargo builds/ },
  { name: 'package manager create cannot seed', args: (d) => yes(d, '--package-manager', 'pnpm'), message: /package manager pnpm: create writes a new npm project \(package-lock\.json\); in a project that has its own lockfile, run create-secure-service add instead, or leave out --package-manager/ },
  { name: 'Python package manager create cannot seed', args: (d) => yes(d, '--language', 'python', '--package-manager', 'uv'), message: /package manager uv: create writes a new pip project \(requirements\.txt\)/ },
  { name: 'answers file naming a package manager create cannot seed', setup: answersFile('{"language":"java","packageManager":"gradle"}'), args: (d) => [svc(d), '--answers', join(d, 'answers.json'), '--no-git'], message: /package manager gradle: create writes a new maven project \(pom\.xml\); .*packageManager in an answers file/ },
  { name: 'build script the seed app does not have', args: (d) => yes(d, '--build-script', 'build', '--start', 'node dist/server.js'), message: /build script build: the app create writes has no build step; .*run create-secure-service add instead/ },
  { name: 'build script with a start command that runs no built file', args: (d) => yes(d, '--build-script', 'build', '--start', 'node server.js'), message: /--build-script: build-script "build" needs a start command that runs the built file from its folder/ },
  { name: 'build script that is a shell command', args: (d) => yes(d, '--build-script', 'build && curl x|sh', '--start', 'node dist/server.js'), message: /--build-script: build-script "build && curl x\|sh" is not a package\.json script name/ },
  { name: 'package manager not offered', args: (d) => yes(d, '--package-manager', 'bun'), message: /--package-manager: package-manager "bun" is not available for Node\.js; choose one of: npm, pnpm, yarn/ },
  { name: 'package manager for a language without one', args: (d) => yes(d, '--language', 'go', '--package-manager', 'npm'), message: /--package-manager: package-manager "npm" does not apply to Go/ },
  { name: 'source leaving the project', args: (d) => yes(d, '--source', '../etc'), message: /--source: source "\.\.\/etc" leaves or re-enters the folder with "\." or "\.\."/ },
  { name: 'source that is the whole context', args: (d) => yes(d, '--source', '.'), message: /--source: source "\." is the whole build context; D06 copies named paths only/ },
  { name: 'source inside secrets/', args: (d) => yes(d, '--source', 'secrets/app.env'), message: /--source: source "secrets\/app\.env" is kept out of the build context by \.dockerignore/ },
  { name: 'source with a space and a quote', args: (d) => yes(d, '--source', 'my "app"'), message: /--source: source "my \\"app\\"" is not a plain relative path/ },
  { name: 'source with an injected instruction', args: (d) => yes(d, '--source', 'src\nUSER root'), message: /--source: source contains a control character or line break/ },
  { name: 'source URL with command substitution', args: (d) => yes(d, '--source-url', 'https://x.y/$(id)'), message: /--source-url: source-url .* must be a plain https URL/ },
  { name: 'source URL with credentials', args: (d) => yes(d, '--source-url', 'https://u:p@x.y/r'), message: /--source-url: .* without credentials/ },
  { name: 'plain http source URL', args: (d) => yes(d, '--source-url', 'http://x.y/r'), message: /--source-url: .* must be a plain https URL/ },
  // Choices.
  { name: 'unknown language', args: (d) => yes(d, '--language', 'cobol'), message: /--language: language "cobol" is not available; choose one of: node, python/ },
  { name: 'unsupported language version', args: (d) => yes(d, '--language-version', '99'), message: /--language-version: .* is not available for Node.js; choose one of: 24, 22/ },
  { name: 'scratch for node', args: (d) => yes(d, '--base', 'scratch'), message: /--base: base "scratch" is not available for Node.js 24/ },
  { name: 'vault mount sys', args: (d) => yes(d, '--vault-mount', 'sys'), message: /--vault-mount: .* never sys, auth or identity/ },
  { name: 'vault KV 3', args: (d) => yes(d, '--vault-kv', '3'), message: /--vault-kv: vault-kv "3" is not a KV version; use 1 or 2/ },
  { name: 'host network', args: (d) => yes(d, '--network', 'host'), message: /--network: network "host" is reserved/ },
  { name: 'memory without a number', args: (d) => yes(d, '--memory', 'lots'), message: /--memory: memory "lots" is not a size/ },
  { name: 'zero CPU', args: (d) => yes(d, '--cpu', '0'), message: /--cpu: cpu 0 is out of range/ },
  { name: 'signing key path with a space', args: (d) => yes(d, '--signing-key', '~/my key.pub'), message: /--signing-key: .* is not a plain file path/ },
  { name: 'GPG key that is an e-mail', args: (d) => yes(d, '--signing', 'gpg', '--signing-key', 'me@example.com'), message: /--signing-key: .* is not a GPG key ID/ },
  // Command line.
  { name: 'unknown flag', args: (d) => yes(d, '--colour'), message: /unknown option --colour; run create-secure-service --help/ },
  { name: 'mistyped flag', args: (d) => yes(d, '--langauge', 'go'), message: /unknown option --langauge \(did you mean --language\?\); run create-secure-service --help/ },
  { name: 'negative number read as an option', args: (d) => yes(d, '--cpu', '-1'), message: /the value of --cpu, "-1", starts with "-" and reads as an option; write it as --cpu=-1/ },
  { name: 'two directories', args: (d) => [svc(d), join(d, 'other'), '--yes'], message: /too many arguments for create: .*; usage: create-secure-service \[directory\]/ },
  // Answers files.
  { name: 'answers file with an unknown key', setup: answersFile('{"name":"x","colour":"red"}'), args: (d) => [svc(d), '--answers', join(d, 'answers.json')], message: /answers.json: unknown key "colour"; remove it/ },
  { name: 'answers file with a wrong type', setup: answersFile('{"secrets": 5}'), args: (d) => [svc(d), '--answers', join(d, 'answers.json')], message: /answers.json: "secrets": secret must be a list, got 5/ },
  { name: 'answers file with a boolean port', setup: answersFile('{"port": true}'), args: (d) => [svc(d), '--answers', join(d, 'answers.json')], message: /answers.json: "port": port must be a whole number, got true; use a port from 1024 to 65535/ },
  { name: 'answers file with a port too large for a number', setup: answersFile('{"port": 1e400}'), args: (d) => [svc(d), '--answers', join(d, 'answers.json')], message: /answers.json: "port": port Infinity is not a whole number/ },
  { name: 'answers file with a port string', setup: answersFile('{"port": "eighty"}'), args: (d) => [svc(d), '--answers', join(d, 'answers.json')], message: /answers.json: "port": port "eighty" is not a whole number/ },
  { name: 'answers file with a 10 MB string', setup: answersFile(JSON.stringify({ name: 'x'.repeat(10 * 1024 * 1024) })), args: (d) => [svc(d), '--answers', join(d, 'answers.json')], message: /answers.json: answers file is \d+ bytes; the limit is 1048576 \(1 MiB\)/ },
  { name: 'answers file nested 100 000 levels deep', setup: answersFile(`{"name": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`), args: (d) => [svc(d), '--answers', join(d, 'answers.json')], message: /answers.json: "name": name must be a string, got \[…\]$/ },
  { name: 'answers file that is not JSON', setup: answersFile('{\n  "name": "x",\n}'), args: (d) => [svc(d), '--answers', join(d, 'answers.json')], message: /answers.json:3:1: answers file is not valid JSON .*; fix the syntax/ },
  { name: 'answers file that is an array', setup: answersFile('["x"]'), args: (d) => [svc(d), '--answers', join(d, 'answers.json')], message: /answers.json: answers file must be a JSON object/ },
  { name: 'answers file missing', args: (d) => [svc(d), '--answers', join(d, 'nope.json')], message: /nope.json: cannot read answers file \(ENOENT\); check the path/ },
  { name: 'answers file that is a folder', setup: (d) => mkdirSync(join(d, 'answers.json')), args: (d) => [svc(d), '--answers', join(d, 'answers.json')], message: /answers.json: answers file is not a regular file/ },
  // The file system.
  { name: 'symlinked Dockerfile pointing outside', setup: (d) => { mkdirSync(svc(d)); writeFileSync(join(d, 'outside'), 'mine'); symlinkSync(join(d, 'outside'), join(svc(d), 'Dockerfile')); }, args: (d) => yes(d), message: /Dockerfile is a symbolic link; refusing to write through it/ },
  { name: 'symlinked deploy folder', setup: (d) => { mkdirSync(svc(d)); mkdirSync(join(d, 'elsewhere')); symlinkSync(join(d, 'elsewhere'), join(svc(d), 'deploy')); }, args: (d) => yes(d), message: /deploy is a symbolic link; refusing to write through it/ },
  { name: 'a folder where the Dockerfile goes', setup: (d) => mkdirSync(join(svc(d), 'Dockerfile'), { recursive: true }), args: (d) => yes(d), message: /Dockerfile exists and is a directory, not a file; move it away/ },
  { name: 'a FIFO where the Dockerfile goes', setup: (d) => { mkdirSync(svc(d)); execFileSync('mkfifo', [join(svc(d), 'Dockerfile')]); }, args: (d) => yes(d), message: /Dockerfile exists and is a special file \(a FIFO, socket or device\), not a file; move it away or choose another directory$/ },
  { name: 'a file where the target folder goes', setup: (d) => writeFileSync(svc(d), 'x'), args: (d) => yes(d), message: /exists and is not a directory; choose another directory name/ },
  { name: 'target folder is a symlink', setup: (d) => { mkdirSync(join(d, 'real')); symlinkSync(join(d, 'real'), svc(d)); }, args: (d) => yes(d), message: /svc is a symbolic link to .*\/real; give the real directory instead$/ },
  { name: 'target folder is a symlink that points nowhere', setup: (d) => symlinkSync(join(d, 'gone'), svc(d)), args: (d) => yes(d), message: /svc is a symbolic link that points nowhere; give a real directory instead$/ },
  { name: 'target folder under a symlink that points nowhere', setup: (d) => symlinkSync(join(d, 'gone'), join(d, 'via')), args: (d) => [join(d, 'via', 'svc'), '--yes', '--no-git'], message: /via is a symbolic link that points nowhere, so .*via\/svc cannot be made there; choose another directory$/ },
  { name: 'target folder under a symlink to a file', setup: (d) => { writeFileSync(join(d, 'file'), 'x'); symlinkSync(join(d, 'file'), join(d, 'via')); }, args: (d) => [join(d, 'via', 'svc'), '--yes', '--no-git'], message: /via is a symbolic link to .*\/file, which is not a folder, so .*via\/svc cannot be made there; choose another directory$/ },
  { name: 'a target folder inside a file', setup: (d) => writeFileSync(join(d, 'afile'), 'x'), args: (d) => [join(d, 'afile', 'sub'), '--yes', '--no-git'], message: /afile is a file, not a folder, so .*afile\/sub cannot be made there; choose another directory$/ },
  { name: 'a target folder that cannot be made', args: () => ['/proc/css-no-such-folder', '--yes', '--no-git'], message: /could not write at \/proc\/css-no-such-folder \(ENOENT\); a folder could not be made there; choose another directory/ },
  // Folders no commit holds: a project made there works today and is gone with the next clone.
  { name: "a target folder inside a generated project's secrets/", setup: generated, args: (d) => [join(d, 'g', 'secrets', 'api'), '--yes', '--no-git'], message: /g\/secrets\/api is in .*g\/secrets, the secrets folder of the project in .*\/g, which its \.gitignore and \.dockerignore leave out; choose a directory outside it$/ },
  { name: "a generated project's secrets/ as the target folder", setup: generated, args: (d) => [join(d, 'g', 'secrets'), '--yes', '--no-git'], message: /g\/secrets is the secrets folder of the project in .*\/g, which/ },
  { name: "a target folder inside a generated project's .secure-service/", setup: generated, args: (d) => [join(d, 'g', '.secure-service', 'api'), '--yes', '--no-git'], message: /g\/\.secure-service\/api is in .*g\/\.secure-service, the record create-secure-service keeps of the project in .*\/g; choose a directory outside it$/ },
  { name: 'a target folder inside a .git folder', setup: (d) => mkdirSync(join(d, '.git')), args: (d) => [join(d, '.git', 'api'), '--yes', '--no-git'], message: /\.git\/api is in .*\.git, git's own folder, which no commit holds; choose a directory outside it$/ },
  // A mistyped command would make a project in a folder named after the typo.
  { name: 'a mistyped command (udpate)', args: () => ['udpate', '--yes', '--no-git'], message: /^error: "udpate" is not a command, and there is no folder of that name; did you mean "create-secure-service update"\? To create a service in a new folder of that name, give it as \.\/udpate$/ },
  { name: 'a mistyped command (chek)', args: () => ['chek'], message: /"chek" is not a command.*did you mean "create-secure-service check"\?/ },
  { name: 'a command in capitals (Update)', args: () => ['Update', '--yes', '--no-git'], message: /"Update" is not a command.*did you mean "create-secure-service update"\?/ },
  { name: 'a command in capitals (ADD)', args: () => ['ADD', '--yes', '--no-git'], message: /"ADD" is not a command.*did you mean "create-secure-service add"\?/ },
  { name: 'a mistyped command (craete)', args: () => ['craete', '--yes', '--no-git'], message: /"craete" is not a command.*did you mean "create-secure-service create"\?/ },
  { name: 'an empty directory argument (an unset variable)', args: () => ['', '--yes', '--no-git'], message: /the directory argument is empty; give a name/ },
  { name: 'a directory name with a line break', args: (d) => [join(d, 'svc\nrm -rf'), '--yes', '--no-git'], message: /the directory ".*svc\\u000arm -rf" contains a control character or line break; give a name of printable characters$/ },
  { name: "a quoted '~' the shell did not expand", args: () => ['~/svc', '--yes', '--no-git'], message: /the directory "~\/svc" starts with ~, which only an unquoted shell word expands to your home folder; write the path out \(e\.g\. "\$HOME\/svc"\), or \.\/~ for a folder named ~$/ },
  { name: "a bare quoted '~'", args: () => ['~', '--yes', '--no-git'], message: /the directory "~" starts with ~/ },
  { name: 'a directory name with a terminal escape', args: (d) => [join(d, 'svc\u001b[2J'), '--yes', '--no-git'], message: /the directory ".*svc\\u001b\[2J" contains a control character or line break/ },
  { name: 'an empty --answers', args: (d) => [svc(d), '--answers=', '--no-git'], message: /--answers is empty; give a path/ },
  { name: 'sources the seed app does not have', args: (d) => yes(d, '--source', 'lib'), message: /source lib: create writes its own app, whose files are src; to build a project of your own, run create-secure-service add in it, or leave out --source/ },
  { name: 'a build target the seed app does not build', args: (d) => yes(d, '--language', 'go', '--build-target', './cmd/server'), message: /build target \.\/cmd\/server: the app create writes builds \.; to build a project of your own, run create-secure-service add/ },
  { name: 'another run holds the lock', setup: (d) => { mkdirSync(svc(d)); writeFileSync(join(svc(d), '.secure-service.lock'), '4242\n'); }, args: (d) => yes(d), message: /another create-secure-service run \(pid 4242\) is writing to .*; wait for it, or delete/ },
  { name: 'a manifest written by a newer version (its templates would be undone)', setup: (d) => { mkdirSync(join(svc(d), '.secure-service'), { recursive: true }); writeFileSync(join(svc(d), '.secure-service', 'manifest.json'), JSON.stringify({ generator: 'create-secure-service', version: '99.0.0', answers: {}, files: [] })); }, args: (d) => yes(d), message: /manifest\.json was written by create-secure-service 99\.0\.0, newer than this \d+\.\d+\.\d+; run the newer one \(npx create-secure-service@latest\)$/ },
  { name: 'a broken manifest', setup: (d) => { mkdirSync(join(svc(d), '.secure-service'), { recursive: true }); writeFileSync(join(svc(d), '.secure-service', 'manifest.json'), '{"files": [}'); }, args: (d) => yes(d), message: /manifest.json:1:\d+: manifest is not valid JSON/ },
  { name: 'a manifest that is no manifest of this tool (an empty object)', setup: (d) => { mkdirSync(join(svc(d), '.secure-service'), { recursive: true }); writeFileSync(join(svc(d), '.secure-service', 'manifest.json'), '{}'); }, args: (d) => yes(d), message: /manifest\.json: not a create-secure-service manifest \("generator" is missing or different\); restore it from version control/ },
  { name: 'a manifest whose file list is not a list', setup: (d) => { mkdirSync(join(svc(d), '.secure-service'), { recursive: true }); writeFileSync(join(svc(d), '.secure-service', 'manifest.json'), JSON.stringify({ generator: 'create-secure-service', version: '0.1.0', answers: {}, files: {} })); }, args: (d) => yes(d), message: /manifest\.json: "files" must be a list of \{id, path, part, mode, strategy, sha256\}; restore it/ },
  { name: 'a user-owned Dockerfile', code: 1, setup: (d) => { mkdirSync(svc(d)); writeFileSync(join(svc(d), 'Dockerfile'), 'FROM mine\n'); }, args: (d) => yes(d), message: /1 file\(s\) already exist with other content and were not generated by this tool: Dockerfile; nothing was written\. Move them away or use another directory; to bring the hardened files into this existing project instead, keeping yours, run "create-secure-service add all" in it$/ },
];

describe('create refuses hostile and broken input: one line, the right exit code, nothing written', () => {
  it('has at least 40 cases', () => expect(cases.length).toBeGreaterThanOrEqual(40));
  refuseEach(cases);
});

describe('the target folder', () => {
  it('run again after files were deleted, its next steps point only to files the project has', async () => {
    const dir = tempDir();
    const first = await runMain(yes(dir), dir);
    expect(first.stdout).toMatch(/SECURITY\.md lists every control/);
    expect(first.stdout).toMatch(/docker compose -f compose\.yaml -f compose\.prod\.yaml config/);
    rmSync(join(svc(dir), 'SECURITY.md'));
    rmSync(join(svc(dir), 'compose.prod.yaml'));
    rmSync(join(svc(dir), 'compose.override.yaml'));
    rmSync(join(svc(dir), 'secrets/README.md'));
    const again = await runMain(yes(dir), dir);
    expect(again.code, again.stderr).toBe(0);
    const steps = again.stdout.slice(again.stdout.indexOf('Next steps:'));
    expect(steps).not.toMatch(/SECURITY\.md|compose\.prod\.yaml|compose\.override\.yaml|secrets\/README\.md/);
    expect(steps).toMatch(/^  fill in secrets\/svc\.env \(names only are there\)$/m);
    expect(steps).toMatch(/docker compose up --build +# compose\.yaml alone\n/);
    expect(steps).toMatch(/nomad job run .*deploy\/nomad\/svc\.nomad\.hcl/);
  });

  it('its summaries count the project files, the dry run as the run, and name the manifest only when it is written', async () => {
    const dir = tempDir();
    const dry = await runMain(yes(dir, '--dry-run'), dir);
    const count = Number(/^Dry run: (\d+) to create, 0 to update, 0 unchanged; the manifest in \.secure-service\/ would be written too\. Nothing was written\.$/m.exec(dry.stdout)?.[1]);
    expect(count, dry.stdout).toBeGreaterThan(0);
    const first = await runMain(yes(dir), dir);
    expect(first.stdout.match(/^  create +\S/gm)).toHaveLength(count);
    expect(first.stdout).toContain(`Done. ${count} file(s) written, 0 unchanged (and the manifest in .secure-service/).\n`);
    // Nothing changed, the manifest included: it is not said to be written.
    const manifest = readFileSync(join(svc(dir), '.secure-service/manifest.json'), 'utf8');
    expect((await runMain(yes(dir, '--dry-run'), dir)).stdout).toContain(`Dry run: 0 to create, 0 to update, ${count} unchanged. Nothing was written.\n`);
    const again = await runMain(yes(dir), dir);
    expect(again.stdout).toContain(`Done. 0 file(s) written, ${count} unchanged.\n`);
    expect(readFileSync(join(svc(dir), '.secure-service/manifest.json'), 'utf8')).toBe(manifest);
    // The seed file its owner edited is kept, and counted as such, not as unchanged.
    writeFileSync(join(svc(dir), 'src/server.js'), `${readFileSync(join(svc(dir), 'src/server.js'), 'utf8')}// mine\n`);
    expect((await runMain(yes(dir), dir)).stdout).toContain(`Done. 0 file(s) written, ${count - 1} unchanged, 1 kept (yours).\n`);
  });

  it('run again after SECURITY.md was deleted, its signing note gives the commands instead of pointing to it', async () => {
    const dir = tempDir();
    const first = await runMain(yes(dir), dir);
    expect(first.stdout).toContain('signing: skipped (--no-git); see SECURITY.md to enable it\n');
    rmSync(join(svc(dir), 'SECURITY.md'));
    // Found deleted on this run, then recorded as deleted on the next: neither points to it.
    for (const run of [await runMain(yes(dir), dir), await runMain(yes(dir), dir)]) {
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/^  signing: skipped \(--no-git\); to enable it, run in the repository:\n {4}git config --local gpg\.format ssh\n {4}git config --local user\.signingkey \S+\/\.ssh\/id_ed25519\.pub\n {4}git config --local gpg\.ssh\.allowedSignersFile \S+\/svc\/\.allowed_signers\n {4}git config --local commit\.gpgsign true\n {4}git config --local tag\.gpgSign true$/m);
      expect(run.stdout).not.toMatch(/signing: .*SECURITY\.md/);
    }
  });

  it('run again with answers that no longer generate some of its files (another --name) is refused, naming them and update', async () => {
    const dir = tempDir();
    expect((await runMain(yes(dir), dir)).code).toBe(0);
    const before = snapshot(dir);
    for (const more of [['--name', 'other'], ['--name', 'other', '--dry-run']]) {
      const r = await runMain(yes(dir, ...more), dir);
      expect(r.code, r.stderr).toBe(2);
      const errors = r.stderr.trim().split('\n');
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(/^error: .*\/svc holds a service generated with other answers \(the service svc, now named other\): deploy\/nomad\/svc\.nomad\.hcl, deploy\/vault\/svc\.policy\.hcl, svc\.env\.example, secrets\/svc\.env would no longer be generated and would be left behind, unmanaged; .*run "create-secure-service update --dir .*\/svc" with the changed answer flags/);
      // Nothing written: the old files stay managed, no second job beside them.
      expect(snapshot(dir)).toEqual(before);
    }
    // The same answers again: nothing left behind, nothing refused.
    expect((await runMain(yes(dir), dir)).code).toBe(0);
  });

  it('is a new folder when it extends a command (updater), is written ./udpate, or exists (chek/)', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'chek'));
    // One edit from a command is a typo; two (date, deck, clock, chunk) and any edit of add (ads) are services.
    for (const folder of ['updater', 'checker', './udpate', 'chek', 'date', 'deck', 'clock', 'chunk', 'ads', 'aid']) {
      const r = await runMain([folder, '--yes', '--no-git', '--dry-run'], dir);
      expect(r.code, `${folder}: ${r.stderr}`).toBe(0);
    }
  });

  it('is checked before any question: a file in its place stops the run at once', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'afile'), 'x');
    // No terminal and no --yes would fail at the first question; the path is refused before it.
    const result = await runMain([join(dir, 'afile')], dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: .*afile exists and is not a directory/);
  });

  it('may be reached through a symbolic link above it (a home on another disk), and is written at the real path', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'real'));
    symlinkSync(join(dir, 'real'), join(dir, 'link'));
    const result = await runMain([join(dir, 'link', 'svc'), '--yes', '--no-git'], dir);
    expect(result.code, result.stderr).toBe(0);
    expect(existsSync(join(dir, 'real', 'svc', 'Dockerfile'))).toBe(true);
    expect(lstatSync(join(dir, 'link')).isSymbolicLink()).toBe(true);
  });
});

describe('create run again over a project it generated', () => {
  it('names update, not add, for a generated file its owner edited since', async () => {
    const dir = tempDir();
    expect((await runMain([svc(dir), '--yes', '--no-git'], dir)).code).toBe(0);
    writeFileSync(join(svc(dir), 'Dockerfile'), `${readFileSync(join(svc(dir), 'Dockerfile'), 'utf8')}# my edit\n`);
    const result = await runMain([svc(dir), '--yes', '--no-git', '--port', '5000'], dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: 1 generated file\(s\) were edited since they were written: Dockerfile; create does not merge, so nothing was written\. To apply changed answers and keep your edits, run "create-secure-service update --dir .*svc" with the same answer flags\n$/);
    expect(readFileSync(join(svc(dir), 'Dockerfile'), 'utf8')).toMatch(/# my edit\n$/);
  });

  it('prints a folder with spaces or quotes as one shell word in its next steps', async () => {
    const dir = tempDir();
    const result = await runMain([join(dir, "it's my svc"), '--yes', '--no-git'], dir);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`  cd '${join(dir, "it'\\''s my svc")}'\n`);
  });
});
