/**
 * The rule table of `check`: every rule of RULES.md that can be decided from files, with its
 * upstream IDs (hadolint DLxxxx, checkov CKV_DOCKER_n, dockle, CIS Docker Benchmark x.y), a one-line
 * summary and the fix. Findings, the text/JSON/SARIF reports and `--rule`/`--ignore` all read it.
 *
 * Not here, because files cannot decide them: P01 (a build script's behaviour) and P02 (whether
 * documentation is complete). D03 is checked only for final images that are known full-size
 * variants; debian-slim and other deliberate choices cannot be told apart from mistakes.
 * F01-F03 are this tool's own: a file it cannot read, a merge left unfinished, a bad suppression.
 */
export type Severity = 'high' | 'medium' | 'low';

export interface Rule {
  id: string;
  /** A short PascalCase name (SARIF `name`). */
  name: string;
  summary: string;
  fix: string;
  upstream: string[];
  severity: Severity;
}

const rule = (id: string, name: string, severity: Severity, upstream: string[], summary: string, fix: string): Rule => ({ id, name, severity, upstream, summary, fix });

export const rules: readonly Rule[] = [
  // Dockerfile
  rule('D01', 'PinnedBaseImage', 'high', ['DL3006', 'DL3007', 'CKV_DOCKER_7', 'DKL-DI-0006', 'CIS 4.2'], 'Every external FROM is pinned to an explicit version tag (never latest or untagged), ideally with an @sha256 digest', 'Pin the image to an exact version tag, e.g. FROM python:3.13.9-alpine3.22 (add @sha256:<digest> to pin the bytes), set through an ARG at the top'),
  rule('D02', 'MultiStageBuild', 'medium', ['CIS 4.3'], 'Toolchains stay in a builder stage; the final stage holds only the runtime and the built artefact', 'Build in a stage named e.g. "build" and start the final stage FROM a runtime image, copying only the artefact with COPY --from=build'),
  rule('D03', 'MinimalFinalBase', 'medium', ['CIS 4.3'], 'The final stage uses a minimal base (alpine, distroless, scratch, or a slim variant)', 'Use the -alpine or -slim variant, a distroless image, or scratch for a static binary'),
  rule('D04', 'NumericNonRootUser', 'high', ['DL3002', 'DL3046', 'CKV_DOCKER_3', 'CKV_DOCKER_8', 'CIS 4.1', 'CIS-DI-0001'], 'The final stage ends with USER <uid>:<gid>, numeric and not root, a dedicated UID of 10000 or more (or the image\'s own nonroot user)', 'Create a user with a fixed UID (adduser -D -u 10001 app) and end the final stage with USER 10001:10001'),
  rule('D05', 'CopyNotAddVerifiedDownloads', 'high', ['DL3020', 'CKV_DOCKER_4', 'CKV2_DOCKER_2..16', 'CIS 4.9', 'CIS 4.11'], 'COPY, never ADD; downloads keep TLS and signature checks on and are verified', 'Replace ADD with COPY; download with curl -fsSL and check sha256sum -c in a builder stage; remove -k/--insecure, --trusted-host, --allow-untrusted, --allow-unauthenticated'),
  rule('D06', 'NoCopyEverything', 'medium', [], 'The final stage copies named paths, never the whole build context ("COPY . .")', 'Copy the dependency manifests first, then the named source folders (COPY src ./src), or copy the artefact from the builder stage'),
  rule('D07', 'NoSecretsInImage', 'high', ['CIS 4.10'], 'No ENV or ARG holds a password, token or key: they stay in the image history', 'Pass build-time secrets with RUN --mount=type=secret,id=<name> and runtime secrets as files or environment at run time'),
  rule('D08', 'PinnedCacheFreeInstalls', 'low', ['DL3018', 'DL3019', 'DL3008', 'DL3009', 'DL3015', 'DL3042', 'DL3013', 'DL3016', 'CIS 4.7', 'CKV_DOCKER_5'], 'Package installs are pinned and leave no cache: apk add --no-cache pkg=ver, apt-get install --no-install-recommends pkg=ver with the lists removed, pip --no-cache-dir, npm ci, pnpm and yarn with --frozen-lockfile, uv sync --locked; no update on its own', 'apk add --no-cache curl=8.14.1-r2; apt-get update && apt-get install -y --no-install-recommends curl=8.5.0-1 && rm -rf /var/lib/apt/lists/*; pip install --no-cache-dir -r requirements.txt; npm ci --omit=dev'),
  rule('D09', 'PipefailShell', 'low', ['DL4006'], 'A RUN with a pipe runs under a shell with pipefail, so a failing first command fails the build', 'Add SHELL ["/bin/ash", "-o", "pipefail", "-c"] (alpine) or SHELL ["/bin/bash", "-o", "pipefail", "-c"] before the RUN, or avoid the pipe'),
  rule('D10', 'ExecFormSingleProcess', 'medium', ['DL3025', 'DL3004', 'DL3001', 'CIS 5.6'], 'CMD/ENTRYPOINT in exec (JSON) form, one process, no sshd or sudo in the image', 'Write ENTRYPOINT ["node", "src/server.js"]; remove sshd and sudo; use init: true (compose) or tini for runtimes that do not reap children'),
  rule('D11', 'UnprivilegedExpose', 'medium', ['CKV_DOCKER_1', 'CIS 5.7'], 'The final stage EXPOSEs the service port, never a privileged port (< 1024) and never 22', 'Listen on a port of 1024 or more (e.g. EXPOSE 8080) and map it where the container is published'),
  rule('D12', 'ExecFormHealthcheck', 'medium', ['CKV_DOCKER_2', 'CIS 4.6', 'DL3057', 'DL3012'], 'Exactly one exec-form HEALTHCHECK in the final stage, using the runtime itself (no curl on distroless/scratch)', 'Add HEALTHCHECK --interval=30s --timeout=3s CMD ["node", "src/healthcheck.js"] (a probe run by the app\'s own runtime or binary)'),
  rule('D13', 'StripSetuid', 'low', ['CIS 4.8'], 'setuid/setgid bits are stripped in a final stage that has a shell', 'RUN find / -xdev -type f -perm /6000 -exec chmod a-s {} + in the final stage'),
  rule('D14', 'ProvenanceLabels', 'low', ['DL4000', 'CKV_DOCKER_6'], 'OCI labels org.opencontainers.image.created, .revision, .source, .version and .title in the final stage; no MAINTAINER', 'LABEL org.opencontainers.image.title="svc" org.opencontainers.image.created="${CREATED}" … from build args; replace MAINTAINER with a label'),
  rule('D15', 'AbsoluteWorkdir', 'low', ['DL3000', 'DL3003', 'CKV_DOCKER_10'], 'WORKDIR is absolute and RUN never changes directory with cd', 'Use WORKDIR /app (absolute) instead of RUN cd …'),
  rule('D16', 'StageReferences', 'medium', ['DL3022', 'DL3024', 'CKV_DOCKER_11'], 'Stage names are unique and COPY --from names an earlier stage', 'Give each stage its own name (FROM … AS build) and copy from it with COPY --from=build'),
  // Build context
  rule('I01', 'DockerignoreExcludesSecrets', 'high', [], '.dockerignore keeps secrets, env files, keys, cloud and Vault credentials, .git, the manifest and deploy folders out of the build context, at any depth', 'Add the missing pattern in Docker\'s syntax, at any depth: **/secrets, **/.env, **/*.env (with !**/*.env.example), **/*.pem, **/*.key, **/id_rsa*, **/.aws, .git, deploy/ …'),
  rule('I02', 'DockerignoreExcludesBuildOutput', 'low', [], '.dockerignore keeps the language\'s caches and build output (node_modules, __pycache__, .venv, target, bin/obj, dist …) out of the build context', 'Add the missing **/<folder> pattern to .dockerignore'),
  rule('I03', 'NoSecretsInBuildContext', 'high', [], 'No secret-looking file in the directory would reach the Docker daemon (checked with Docker\'s own matching rules)', 'Add a .dockerignore pattern that excludes it (**/<name> to match at any depth), or move the file out of the build context'),
  // Compose
  rule('C01', 'ReadOnlyRoot', 'medium', ['CIS 5.12'], 'read_only: true, with tmpfs holes only at specific absolute paths', 'Set read_only: true and add tmpfs: ["/tmp:rw,noexec,nosuid,size=64m"] where the process must write'),
  rule('C02', 'DropAllCapabilities', 'high', ['CIS 5.3'], 'cap_drop: [ALL], and no cap_add', 'Set cap_drop: [ALL]; run as a non-root user on an unprivileged port so no capability is needed'),
  rule('C03', 'NoNewPrivileges', 'high', ['CIS 5.25', 'CIS 5.4', 'CIS 5.21'], 'security_opt: ["no-new-privileges:true"]; never privileged (nor a privileged build: a Dockerfile RUN --security=insecure, a compose build with privileged: true or the security.insecure entitlement), never seccomp/apparmor unconfined', 'Add security_opt: ["no-new-privileges:true"]; remove privileged: true (a build\'s too), the security.insecure entitlement, any :unconfined option and RUN --security=insecure'),
  rule('C04', 'LoopbackPorts', 'high', ['CIS 5.13', 'CIS 5.8'], 'Published ports are bound to 127.0.0.1; backing services publish nothing', 'Publish as "127.0.0.1:3000:3000" and put a reverse proxy in front; remove ports from databases and caches'),
  rule('C05', 'SegregatedNetworks', 'medium', ['CIS 5.9', 'CIS 5.29'], 'Services join user-defined networks only (never network_mode: host or the default network, nor a build on the host network: a Dockerfile RUN --network=host, a compose build with network: host or the network.host entitlement); the network of backing services is internal: true', 'Define networks (frontend, backend, data with internal: true) and list them under each service\'s networks; remove a build\'s network: host, the network.host entitlement and RUN --network=host'),
  rule('C06', 'ResourceLimits', 'medium', ['CIS 5.10', 'CIS 5.11', 'CIS 5.28'], 'Every service has CPU, memory and PIDs limits', 'Add deploy.resources.limits: {cpus: "0.5", memory: 256M, pids: 256}'),
  rule('C07', 'SecretsAsFiles', 'high', [], 'Secrets come from files under secrets/ (compose secrets mounted at /run/secrets, or env_file: secrets/<svc>.env), never as literal values in environment', 'Declare secrets: {x: {file: ./secrets/x}} at the top level, mount it in the service, and pass X_FILE=/run/secrets/x'),
  rule('C08', 'PinnedServiceImages', 'medium', [], 'Service images are pinned to an explicit version tag (never latest or untagged)', 'Use e.g. image: postgres:17.6-alpine3.22 (add @sha256:<digest> to pin the bytes)'),
  rule('C09', 'RestartAndHealth', 'low', ['CIS 5.14', 'CIS 5.26'], 'restart is unless-stopped or a bounded on-failure:N; every service has an exec-form healthcheck; depends_on waits for service_healthy', 'Set restart: on-failure:5, healthcheck: {test: ["CMD", …]} and depends_on: {db: {condition: service_healthy}}'),
  rule('C10', 'NoHostAccess', 'high', ['CIS 5.5', 'CIS 5.15', 'CIS 5.16', 'CIS 5.20', 'CIS 5.31'], 'No docker.sock or sensitive host path mounted; bind mounts only in the development override and read-only; no host PID/IPC/UTS namespaces or devices', 'Remove the mount or namespace setting; in compose.override.yaml mount source folders with read_only: true'),
  rule('C11', 'NumericNonRootIdentity', 'high', ['CIS 4.1'], 'Each service runs as a numeric non-root user: "UID:GID", the same as the Dockerfile\'s USER and the Nomad task', 'Set user: "10001:10001", the UID:GID of the image\'s USER'),
  // Nomad
  rule('N01', 'ModernNomadNetworking', 'medium', [], 'A group network block in bridge mode with port blocks (to = N, no static host port outside system jobs) and ports = [...] in config; mount blocks; never port_map, mounts = [...] or config = {…}', 'Use network { mode = "bridge" port "http" { to = 8080 } } in the group and ports = ["http"] in the task config'),
  rule('N02', 'HardenedDockerTask', 'high', [], 'The docker config has readonly_rootfs = true, cap_drop = ["all"], security_opt = ["no-new-privileges"], pids_limit and a pinned image; the task runs as a numeric non-root user', 'Add readonly_rootfs = true, a tmpfs mount for /tmp, cap_drop = ["all"], security_opt = ["no-new-privileges"], pids_limit = 512, and user = "10001:10001" on the task'),
  rule('N03', 'SecretsFromVaultTemplates', 'high', [], 'Secrets arrive only through template blocks rendered into secrets/ with env = true, change_mode = "restart", perms = "400" and error_on_missing_key = true', 'Render Vault secrets with template { destination = "secrets/app.env" env = true change_mode = "restart" perms = "400" error_on_missing_key = true }'),
  rule('N04', 'VaultWorkloadIdentity', 'high', [], 'A vault { role = "<svc>" } block with no policies; env = false and disable_file = true when only templates use Vault', 'Replace policies with role = "<svc>" and add env = false and disable_file = true'),
  rule('N05', 'NomadLifecycle', 'low', [], 'resources { cpu, memory, memory_max }, a restart block with mode = "fail", health-gated update with auto_revert, a service with a check, and a Linux constraint', 'Add the missing block (see the generated job for a complete example)'),
  rule('N06', 'NoNomadHostAccess', 'high', ['CIS 5.4', 'CIS 5.9', 'CIS 5.5'], 'No privileged = true, no host network/PID/IPC mode, no volumes or bind mounts of host paths', 'Remove privileged, the *_mode = "host" settings, volumes and bind mounts'),
  // Vault
  rule('V01', 'OneServiceReadOnlyPolicy', 'high', [], 'A policy grants read on exactly one service\'s secret paths, and list only on its own metadata prefix', 'Split the policy per service; grant read on <mount>/data/<svc>/<name> and list only on <mount>/metadata/<svc>/'),
  rule('V02', 'KvPathForm', 'medium', [], 'Paths and template reads match the KV version: v2 reads <mount>/data/… with .Data.data.x and lists <mount>/metadata/…; v1 reads <mount>/… with .Data.x', 'For KV v2 use <mount>/data/<svc>/<name> and .Data.data.<key>; for KV v1 <mount>/<svc>/<name> and .Data.<key>'),
  rule('V03', 'NoWidePaths', 'high', [], 'No glob reaching beyond the service\'s own prefix, no sys/ or auth/ paths, no create/update/patch/delete/sudo (but update on the service\'s own pki/issue/<role> or pki/sign/<role>, which issuing a certificate takes), only valid capability names', 'Replace the glob with exact paths under <mount>/data/<svc>/ and grant only read (and list on the metadata prefix)'),
  // Signing
  rule('S01', 'SignedCommitsConfig', 'medium', [], 'The repository config signs commits and tags (commit.gpgsign, tag.gpgSign, user.signingkey), with gpg.format = ssh or openpgp', 'git config commit.gpgsign true && git config tag.gpgSign true && git config gpg.format ssh && git config user.signingkey ~/.ssh/id_ed25519.pub'),
  rule('S02', 'AllowedSigners', 'medium', [], 'SSH signing uses a committed allowed-signers file: one valid `principal namespaces="git" keytype base64` line per key, wired as gpg.ssh.allowedSignersFile', 'Write .allowed_signers lines as: you@example.com namespaces="git" ssh-ed25519 AAAA…, and git config gpg.ssh.allowedSignersFile .allowed_signers'),
  rule('S03', 'SignatureVerificationInCi', 'low', [], 'A CI script checks that every commit of a range has a good signature (%G? = G)', 'Add scripts/verify-signatures.sh (as create-secure-service writes it) and run it in CI on every pull request'),
  // This tool's own
  rule('F01', 'Unparseable', 'high', [], 'The file could not be read as its format (a syntax error, a file it names that cannot be read, a structure that never ends), so none of its rules could be checked', 'Fix what the message names at the line shown'),
  rule('F02', 'ConflictMarkers', 'high', [], 'The file still holds merge conflict markers (<<<<<<<, =======, >>>>>>>)', 'Resolve the conflict: keep the right lines and delete the markers'),
  rule('F03', 'BadSuppression', 'medium', [], 'A secure-service-ignore comment must name a known rule ID and give a reason', 'Write # secure-service-ignore <ID> <why this risk is accepted> on the line above the finding'),
];

const byId = new Map(rules.map((r) => [r.id, r]));

export function getRule(id: string): Rule {
  const found = byId.get(id);
  if (!found) throw new Error(`unknown rule ${id}`);
  return found;
}

export function isRuleId(id: string): boolean {
  return byId.has(id);
}
