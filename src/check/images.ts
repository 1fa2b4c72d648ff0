/**
 * Reading image references (`registry/name:tag@sha256:…`), shared by the Dockerfile, compose and
 * Nomad checks: is it pinned, and what kind of base is it.
 */
export interface ImageRef {
  name: string;
  tag: string | null;
  digest: string | null;
}

export function parseImageRef(ref: string): ImageRef | null {
  const m = /^([^@\s]+?)(?::([\w][\w.-]{0,127}))?(@sha256:[0-9a-f]{64})?$/.exec(ref);
  if (!m || m[1]!.endsWith(':')) return null;
  return { name: m[1]!, tag: m[2] ?? null, digest: m[3] ?? null };
}

/** Holds a `${VAR}`/`$VAR` reference resolved elsewhere (compose interpolation, Nomad variables). */
export function isInterpolated(ref: string): boolean {
  return /\$\{?[A-Za-z_]/.test(ref);
}

/** D01, C08: pinned means a version tag that is not `latest`, or a digest. */
export function pinProblem(ref: string): string | null {
  const parsed = parseImageRef(ref);
  if (!parsed) return `"${ref}" is not a valid image reference`;
  if (parsed.digest) return null;
  if (!parsed.tag) return `"${ref}" has no tag, so it means whatever "latest" is at build time`;
  if (parsed.tag === 'latest') return `"${ref}" uses the movable "latest" tag`;
  return null;
}

const baseName = (ref: ImageRef) => ref.name.split('/').at(-1) ?? ref.name;

/** The last part of an image's repository name, without tag or digest (`python` of `docker.io/library/python:3.13-slim`). */
export function imageName(ref: string): string {
  return ref.split('@')[0]!.replace(/:[^/]*$/, '').split('/').pop() ?? '';
}

/** scratch, distroless and chiseled images have no shell (D12, D13). */
export function hasNoShell(ref: string): boolean {
  return ref === 'scratch' || /distroless|chiseled/.test(ref);
}

/** D02: images that are a toolchain, not a runtime. */
export function isToolchainImage(ref: string): boolean {
  const parsed = parseImageRef(ref);
  if (!parsed) return false;
  const name = baseName(parsed);
  const tag = parsed.tag ?? '';
  if (['golang', 'rust', 'maven', 'gradle', 'gcc', 'buildpack-deps', 'composer', 'sbt'].includes(name)) return true;
  if (/\/dotnet\/sdk$/.test(parsed.name)) return true;
  if (name === 'openjdk' && !/jre/.test(tag)) return true;
  if (name === 'eclipse-temurin' && /jdk/.test(tag)) return true;
  return false;
}

/**
 * D03: known full-size final bases: the default Debian variants of language images that publish
 * slim or alpine ones, and full distribution images.
 */
export function isFullSizeImage(ref: string): boolean {
  const parsed = parseImageRef(ref);
  if (!parsed) return false;
  const name = baseName(parsed);
  const tag = parsed.tag ?? 'latest';
  const minimal = /slim|alpine|distroless|chiseled|minimal|micro/.test(tag);
  if (['node', 'python', 'ruby', 'perl'].includes(name) && parsed.name === name) return !minimal;
  if (['debian', 'ubuntu', 'centos', 'fedora', 'amazonlinux', 'rockylinux', 'almalinux', 'oraclelinux'].includes(name) && parsed.name === name) return !minimal;
  return false;
}

/** Known databases and caches: "backing services" that publish no port (C04) and sit on an internal network (C05). */
export function isBackingServiceImage(ref: string): boolean {
  const parsed = parseImageRef(ref);
  if (!parsed) return false;
  return /^(postgres|postgis|mysql|mariadb|mongo|redis|valkey|memcached|elasticsearch|opensearch|rabbitmq|cassandra|couchdb|neo4j|influxdb|clickhouse|timescaledb|keydb|etcd|zookeeper|kafka|nats)$/.test(baseName(parsed).replace(/-server$/, ''));
}
