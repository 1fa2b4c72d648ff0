/**
 * Dockerfile findings that depend on what comes before the first FROM, on the stage chain a
 * final stage inherits from, and on ARG defaults, as Docker's own builder reads them.
 */
import { describe, expect, it } from 'vitest';
import { checkDockerfile, finalUser, parseDockerfile } from '../../src/check/dockerfile.js';

const found = (text: string, rules: string[]) => checkDockerfile(text, 'Dockerfile').filter((f) => rules.includes(f.rule)).map((f) => `${f.rule}:${f.line} ${f.message}`);

describe('before the first FROM', () => {
  it('accepts an ARG without a default (it is set with --build-arg)', () => {
    expect(found('ARG TAG\nFROM alpine:${TAG}\nUSER 10001:10001\n', ['F01'])).toEqual([]);
  });

  it('reports any other instruction, which Docker refuses', () => {
    expect(found('LABEL a=b\nFROM alpine:3.20\n', ['F01'])).toEqual(['F01:1 does not parse as a Dockerfile: LABEL before the first FROM (only ARG may come first)']);
  });
});

describe('D08 cache-free installs', () => {
  const apt = (cleanup: string) => `FROM debian:12.5-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10 ${cleanup}\n`;

  it.each(['&& rm -Rf /var/lib/apt/lists/*', '&& rm -rf /tmp/* /var/lib/apt/lists/*', '&& apt-get clean && rm -r -f /var/lib/apt/lists', '&& rm --recursive --force /var/lib/apt/lists/*'])('takes %s as removing the apt lists', (cleanup) => {
    expect(found(apt(cleanup), ['D08'])).toEqual([]);
  });

  it('still reports an install that leaves the lists', () => {
    expect(found(apt('&& apt-get clean && rm -f /tmp/x'), ['D08'])).toEqual(['D08:2 apt package lists are not removed (rm -rf /var/lib/apt/lists/*) in the same RUN']);
  });

  it('takes ENV PIP_NO_CACHE_DIR=1 earlier in the stage (or on the command) for --no-cache-dir, as DL3042 does', () => {
    expect(found('FROM python:3.12-slim\nENV PIP_NO_CACHE_DIR=1\nRUN pip install -r requirements.txt\n', ['D08'])).toEqual([]);
    expect(found('FROM python:3.12-slim\nRUN PIP_NO_CACHE_DIR=1 pip install -r requirements.txt\n', ['D08'])).toEqual([]);
    expect(found('FROM python:3.12-slim\nENV PIP_NO_CACHE_DIR=1\nFROM python:3.12-slim\nRUN pip install -r requirements.txt\n', ['D08'])).toHaveLength(1);
  });

  it("does not take a pip option's value for a package", () => {
    const text = 'FROM python:3.12-slim\nRUN pip install --no-cache-dir --trusted-host pypi.example.com -f ./wheels --progress-bar off --upgrade-strategy eager foo==1.0\n';
    expect(found(text, ['D08'])).toEqual([]);
  });
});

describe('a final stage built FROM an earlier stage', () => {
  const parent = 'FROM alpine:3.20 AS base\nRUN adduser -D -u 10001 app && chmod a-s /bin/*\nUSER 10001:10001\nEXPOSE 8080\nHEALTHCHECK CMD ["/app", "health"]\nCMD ["/app"]\nLABEL org.opencontainers.image.created=x org.opencontainers.image.revision=x org.opencontainers.image.source=x org.opencontainers.image.version=x org.opencontainers.image.title=x\n';

  it('inherits its USER, EXPOSE, HEALTHCHECK, CMD and LABELs (D04, D10-D14)', () => {
    expect(found(`${parent}FROM base AS final\nCOPY x /x\n`, ['D04', 'D10', 'D11', 'D12', 'D13', 'D14'])).toEqual([]);
  });

  it('through a chain of stages, and its own settings win', () => {
    const text = `${parent}FROM base AS middle\nUSER 0:0\nFROM middle\nCOPY x /x\n`;
    expect(found(text, ['D04'])).toEqual(['D04:9 runs as root (0:0)']);
    expect(found(`${parent}FROM base\nHEALTHCHECK NONE\n`, ['D12'])).toEqual(['D12:9 HEALTHCHECK NONE turns the health check off']);
  });

  it('does not inherit from a stage it is not built FROM', () => {
    expect(found(`${parent}FROM alpine:3.20\nCOPY --from=base /x /x\n`, ['D04'])).toEqual(['D04:8 the final stage sets no USER, so the container runs as root']);
  });
});

describe('an ARG a FROM cannot read (D01)', () => {
  it('names the stage ARG a later FROM reads, which only ARGs before the first FROM reach', () => {
    const text = 'ARG BASE=alpine:3.20\nFROM ${BASE} AS build\nARG RUNTIME=alpine:3.20\nFROM ${RUNTIME}\nUSER 10001:10001\n';
    expect(found(text, ['D01']).map((f) => f.replace(/ {2}\(DL.*$/, ''))).toEqual([
      'D01:4 FROM ${RUNTIME}: RUNTIME is no ARG declared before the first FROM, the only ARGs a FROM reads (the ARG RUNTIME on line 3 is a stage\'s own), so the image is not pinned: declare ARG RUNTIME=<pinned value> above the first FROM',
    ]);
  });
});

describe('ARG defaults in FROM (D01)', () => {
  it.each([
    ['ARG BASE_IMAGE\nFROM ${BASE_IMAGE:-alpine:3.20}\n', []],
    ['ARG BASE_IMAGE\nFROM ${BASE_IMAGE-alpine:3.20}\n', []],
    ['ARG BASE_IMAGE=\nFROM ${BASE_IMAGE:-alpine:3.20}\n', []],
    ['ARG VERSION=3.20\nARG IMG=alpine:${VERSION}\nFROM ${IMG}\n', []],
    ['ARG VERSION=3.20\nARG IMG=alpine:$VERSION\nFROM $IMG\n', []],
    ['ARG TAG\nFROM alpine${TAG:+:$TAG}\n', ['D01:2 FROM "alpine" has no tag, so it means whatever "latest" is at build time']],
    ['ARG TAG\nARG IMG=alpine:${TAG}\nFROM ${IMG}\n', ['D01:3 FROM alpine:${TAG}: the ARG has no default, so the image is not pinned']],
    ['ARG BASE_IMAGE=alpine:latest\nFROM ${BASE_IMAGE:-alpine:3.20}\n', ['D01:2 FROM "alpine:latest" uses the movable "latest" tag']],
  ])('%j', (text, expected) => {
    expect(found(`${text}USER 10001:10001\n`, ['D01']).map((f) => f.replace(/ +\(.*$/, ''))).toEqual(expected);
  });
});

describe('RUN --security=insecure (C03)', () => {
  it('reports a build step run outside the sandbox, in any stage and through ONBUILD', () => {
    const text = 'FROM alpine:3.20 AS build\nRUN --security=insecure mount -t tmpfs none /mnt\nFROM alpine:3.20\nONBUILD RUN --security=insecure ./x\nRUN --security=sandbox ./y\nUSER 10001:10001\n';
    expect(found(text, ['C03'])).toEqual([
      'C03:2 RUN --security=insecure runs this build step outside the sandbox with every capability, as docker run --privileged runs a container: what it runs can reach the build host',
      'C03:4 RUN --security=insecure runs this build step outside the sandbox with every capability, as docker run --privileged runs a container: what it runs can reach the build host',
    ]);
  });
});

describe('RUN --network=host (C05)', () => {
  it('reports a build step on the host network, in any stage and through ONBUILD; other networks are not', () => {
    const text = 'FROM alpine:3.20 AS build\nRUN --network=host wget -q http://127.0.0.1:8080/x\nFROM alpine:3.20\nONBUILD RUN --network=host ./x\nRUN --network=none ./y\nRUN --network=default ./z\nUSER 10001:10001\n';
    expect(found(text, ['C05'])).toEqual([
      "C05:2 RUN --network=host runs this build step in the host's network namespace, as network_mode: host runs a container: it reaches every service listening on the build host",
      "C05:4 RUN --network=host runs this build step in the host's network namespace, as network_mode: host runs a container: it reaches every service listening on the build host",
    ]);
  });
});

describe('D15 WORKDIR as hadolint DL3000 reads it', () => {
  it.each(['WORKDIR "/app"', "WORKDIR '/app'", 'WORKDIR C:/build/import', 'WORKDIR C:\\\\app', 'WORKDIR "C:\\\\Program Files\\\\app"', 'WORKDIR $HOME/app'])('accepts %s', (line) => {
    expect(found(`FROM alpine:3.20\n${line}\nUSER 10001:10001\n`, ['D15'])).toEqual([]);
  });

  it.each(['WORKDIR app', 'WORKDIR "app"', 'WORKDIR ./app'])('still reports %s', (line) => {
    expect(found(`FROM alpine:3.20\n${line}\nUSER 10001:10001\n`, ['D15']).map((f) => f.replace(/ +\(.*$/, ''))).toEqual([`D15:2 ${line} is relative`]);
  });
});

describe('FROM an earlier stage picked by a platform ARG (D01)', () => {
  // The shape of moby/buildkit's own Dockerfile: one stage per architecture, then FROM alpine-$TARGETARCH.
  const stagesFor = (from: string) => `ARG ALPINE_VERSION=3.20\nFROM alpine:\${ALPINE_VERSION} AS alpine-amd64\nFROM alpine:\${ALPINE_VERSION} AS alpine-arm64\n${from}\nUSER 10001:10001\n`;

  it.each(['FROM alpine-$TARGETARCH AS base', 'FROM alpine-${TARGETARCH}', 'FROM --platform=$BUILDPLATFORM alpine-$TARGETARCH AS base'])('takes %s as one of the stages', (from) => {
    expect(found(stagesFor(from), ['D01'])).toEqual([]);
  });

  it('reports an image ${X:+word} can pick that is no earlier stage, as that image is pulled', () => {
    expect(found(`ARG DEBUG\n${stagesFor('FROM alpine-$TARGETARCH${DEBUG:+-debug}')}`, ['D01']).map((f) => f.replace(/ +\(.*$/, ''))).toEqual([
      'D01:5 FROM alpine-${TARGETARCH}-debug: the build platform fills in TARGETARCH, and the image that names is no earlier stage, so it is not pinned',
    ]);
    expect(found(`ARG DEBUG\n${stagesFor('FROM alpine-amd64${DEBUG:+:latest}')}`, ['D01']).map((f) => f.replace(/ {2}\(DL.*$/, ''))).toEqual([
      'D01:5 FROM "alpine-amd64:latest" uses the movable "latest" tag (built with --build-arg DEBUG=<value>)',
    ]);
    // The fallback of ${X:-word} is what an empty --build-arg X= builds.
    expect(found('ARG TAG=3.20\nFROM alpine:${TAG:-latest}\nUSER 10001:10001\n', ['D01']).map((f) => f.replace(/ {2}\(DL.*$/, ''))).toEqual([
      'D01:2 FROM "alpine:latest" uses the movable "latest" tag (built with --build-arg TAG=)',
    ]);
    // The same fallback in the default of the ARG the FROM reads.
    expect(found('ARG TAG=3.20\nARG IMG=alpine:${TAG:-latest}\nFROM ${IMG}\nUSER 10001:10001\n', ['D01']).map((f) => f.replace(/ {2}\(DL.*$/, ''))).toEqual([
      'D01:3 FROM "alpine:latest" uses the movable "latest" tag (built with --build-arg TAG=)',
    ]);
  });

  it('gives an ARG one value however often the FROM reads it', () => {
    expect(found(`ARG DEBUG\nFROM alpine:3.20 AS a\nFROM alpine:3.20 AS a-x-y\nFROM a\${DEBUG:+-x}\${DEBUG:+-y}\nUSER 10001:10001\n`, ['D01'])).toEqual([]);
  });

  it('still reports a platform ARG that names no earlier stage, and any other ARG without a default', () => {
    expect(found(stagesFor('FROM debian-$TARGETARCH'), ['D01']).map((f) => f.replace(/ +\(.*$/, ''))).toEqual(['D01:4 FROM debian-${TARGETARCH}: the build platform fills in TARGETARCH, and the image that names is no earlier stage, so it is not pinned']);
    expect(found(stagesFor('FROM alpine-$FLAVOUR'), ['D01']).map((f) => f.replace(/ {2}\(DL.*$/, ''))).toEqual([
      'D01:4 FROM alpine-${FLAVOUR}: FLAVOUR is no ARG declared before the first FROM, the only ARGs a FROM reads, so the image is not pinned: declare ARG FLAVOUR=<pinned value> above the first FROM',
    ]);
  });
});

describe('a final stage FROM a stage the build platform picks (D02-D04, D10-D14)', () => {
  // A complete runtime stage, and one that sets nothing (root, no health check, no labels…).
  const good = (name: string) =>
    `FROM alpine:3.20 AS ${name}\nRUN adduser -D -u 10001 app && chmod a-s /bin/*\nUSER 10001:10001\nEXPOSE 8080\nHEALTHCHECK CMD ["/app", "health"]\nCMD ["/app"]\nLABEL org.opencontainers.image.created=x org.opencontainers.image.revision=x org.opencontainers.image.source=x org.opencontainers.image.version=x org.opencontainers.image.title=x\n`;
  const bare = (name: string) => `FROM alpine:3.20 AS ${name}\n`;
  const finalRules = ['D02', 'D03', 'D04', 'D10', 'D11', 'D12', 'D13', 'D14'];
  const final = (text: string) => found(text, finalRules).map((f) => f.replace(/ {2}\([^()]*\)$/, ''));

  it('checks every stage ${X:+word} can pick, as a --build-arg sets X or leaves it, TARGETOS set by the platform', () => {
    const text = `ARG TARGETOS\nARG DEBUG\n${good('runtime-linux')}${bare('runtime-linux-debug')}FROM runtime-$TARGETOS\${DEBUG:+-debug}\nCOPY app /app\n`;
    expect(final(text)).toContain('D04:11 the final stage sets no USER, so the container runs as root (when build args pick runtime-linux-debug)');
    expect(final(text)).toContain('D12:11 the final stage has no HEALTHCHECK (when build args pick runtime-linux-debug)');
    // With DEBUG set by default, a --build-arg DEBUG= still picks the other stage: the same two.
    expect(final(text.replace('ARG DEBUG\n', 'ARG DEBUG=1\n'))).toContain('D04:11 the final stage sets no USER, so the container runs as root (when build args pick runtime-linux-debug)');
    expect(final(`ARG TARGETOS\nARG DEBUG\n${good('runtime-linux')}${good('runtime-linux-debug')}FROM runtime-$TARGETOS\${DEBUG:+-debug}\nCOPY app /app\n`)).toEqual([]);
  });

  it('checks the default of ${X:-word} and its word, but not what a --build-arg could name instead', () => {
    const text = (arg: string) => `${arg}\n${good('rt-prod')}${bare('rt-debug')}${bare('rt-other')}FROM rt-\${FLAVOUR:-prod}\nCOPY app /app\n`;
    expect(final(text('ARG FLAVOUR'))).toEqual([]);
    const both = final(text('ARG FLAVOUR=debug'));
    expect(both).toContain('D04:11 the final stage sets no USER, so the container runs as root (when build args pick rt-debug)');
    expect(both.filter((f) => /rt-other/.test(f))).toEqual([]);
  });

  it('follows ${X:+word} in the default of an ARG the FROM reads, as BuildKit expands it with the --build-args given', () => {
    const text = (args: string) => `${args}\n${good('runtime')}${bare('runtime-debug')}FROM \${FINAL}\nCOPY app /app\n`;
    expect(final(text('ARG DEBUG\nARG FINAL=runtime${DEBUG:+-debug}'))).toContain('D04:11 the final stage sets no USER, so the container runs as root (when build args pick runtime-debug)');
    // Through two defaults, and a redeclaration that sets a default of its own.
    expect(final(text('ARG DEBUG\nARG SUFFIX=${DEBUG:+-debug}\nARG FINAL=runtime${SUFFIX}\nARG DEBUG=1'))).toContain('D04:13 the final stage sets no USER, so the container runs as root (when build args pick runtime-debug)');
    // An ARG declared after the default that reads it is not set yet when BuildKit expands that default.
    expect(final(text('ARG FINAL=runtime${DEBUG:+-debug}\nARG DEBUG'))).toEqual([]);
  });

  it('names the platform and build args together when both choose, down a chain', () => {
    const text = `ARG DEBUG\n${good('rt-amd64')}${good('rt-arm64')}${bare('rt-amd64-debug')}FROM rt-$TARGETARCH\${DEBUG:+-debug} AS final\nCOPY app /app\n`;
    expect(final(text)).toContain('D04:17 the final stage sets no USER, so the container runs as root (when the build platform or build args pick rt-amd64-debug)');
  });

  it('checks every stage the platform can pick, and names the one a problem comes from', () => {
    const text = `${good('rt-amd64')}${bare('rt-arm64')}FROM rt-\${TARGETARCH}\nCOPY app /app\n`;
    expect(final(text)).toContain('D04:9 the final stage sets no USER, so the container runs as root (when the build platform picks rt-arm64)');
    expect(final(text)).toContain('D12:9 the final stage has no HEALTHCHECK (when the build platform picks rt-arm64)');
    expect(final(`${good('rt-amd64')}${good('rt-arm64')}FROM rt-\${TARGETARCH}\nCOPY app /app\n`)).toEqual([]);
    // A problem every choice has is reported once, as it is.
    expect(final(`${bare('rt-amd64')}${bare('rt-arm64')}FROM rt-\${TARGETARCH}\nCOPY app /app\n`)).toContain('D04:3 the final stage sets no USER, so the container runs as root');
  });

  it('does not take ${TARGETOS:-linux} for linux (BuildKit always sets TARGETOS), but an ARG default before FROM fixes it', () => {
    const text = `${good('runtime-linux')}${bare('runtime-windows')}FROM runtime-\${TARGETOS:-linux}\nCOPY app /app\n`;
    expect(final(text)).toContain('D04:9 the final stage sets no USER, so the container runs as root (when the build platform picks runtime-windows)');
    expect(final(`ARG TARGETOS=linux\n${text}`)).toEqual([]);
  });

  it('takes a variant that may be empty, and no stage a whole platform (it has slashes) could name', () => {
    expect(final(`${good('rt-arm64')}${bare('rt-arm64v8')}FROM rt-$TARGETARCH$TARGETVARIANT\n`)).toContain('D04:9 the final stage sets no USER, so the container runs as root (when the build platform picks rt-arm64v8)');
    expect(found(`${good('rt-linux')}FROM rt-$TARGETPLATFORM\n`, ['D01']).map((f) => f.replace(/ {2}\([^()]*\)$/, ''))).toEqual([
      'D01:8 FROM rt-${TARGETPLATFORM}: the build platform fills in TARGETPLATFORM, and the image that names is no earlier stage, so it is not pinned',
    ]);
  });

  it('gives compose and Nomad one identity only when every choice runs as the same user', () => {
    const two = (b: string) => parseDockerfile(`${good('rt-amd64')}${b.replace('FROM alpine:3.20 AS rt-arm64\n', 'FROM alpine:3.20 AS rt-arm64\nUSER 10002:10002\n')}FROM rt-$TARGETARCH\n`);
    expect(finalUser(two(bare('rt-arm64')))).toBeNull();
    expect(finalUser(parseDockerfile(`${good('rt-amd64')}${good('rt-arm64')}FROM rt-$TARGETARCH\n`))).toEqual({ user: '10001:10001', line: 3 });
  });

  it('reads a run of platform variables against a long stage name in linear time', () => {
    const text = `FROM alpine:3.20 AS ${'a'.repeat(20_000)}-\nFROM ${'$TARGETARCH'.repeat(30)}\n`;
    const started = Date.now();
    expect(found(text, ['D01'])).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(5_000);
  }, 60_000);
});

describe('D09 under PowerShell', () => {
  it.each(['["powershell", "-Command"]', '["pwsh", "-Command", "$ErrorActionPreference = \'Stop\';"]', '["C:\\\\Windows\\\\System32\\\\WindowsPowerShell\\\\v1.0\\\\powershell.exe", "-Command"]'])('has no pipefail to ask for after SHELL %s', (shell) => {
    expect(found(`FROM mcr.microsoft.com/windows/servercore:ltsc2022\nSHELL ${shell}\nRUN Get-ChildItem C:\\\\ | Select-Object Name\n`, ['D09'])).toEqual([]);
  });

  it('still reports a pipe once SHELL goes back to cmd', () => {
    expect(found('FROM mcr.microsoft.com/windows/servercore:ltsc2022\nSHELL ["powershell", "-Command"]\nSHELL ["cmd", "/S", "/C"]\nRUN dir | findstr app\n', ['D09'])).toHaveLength(1);
  });
});

describe('ONBUILD triggers', () => {
  // Shapes from public ONBUILD base images (kontena's buildstep image, a fedora npm base).
  const base = (triggers: string) => `FROM alpine:3.20\nUSER 10001:10001\n${triggers}\nENTRYPOINT ["/init.sh"]\n`;

  it('reads the instruction a trigger holds, on the ONBUILD line', () => {
    expect(found(base('ONBUILD ADD . /app\nONBUILD RUN curl -k https://example.com/x -o /x\nONBUILD ENV API_TOKEN=abc\nONBUILD WORKDIR app'), ['D05', 'D07', 'D15']).map((f) => f.replace(/ {2}\([^()]*\)$/, '')).sort()).toEqual([
      'D05:3 ADD . /app: use COPY (ADD fetches URLs and unpacks archives implicitly)',
      'D05:4 curl -k/--insecure skips TLS verification',
      'D07:5 ENV API_TOKEN puts a secret into the image history',
      'D15:6 WORKDIR app is relative',
    ]);
  });

  it('leaves this image\'s own USER to its own USER instruction', () => {
    expect(found(base('ONBUILD USER root'), ['D04'])).toEqual([]);
  });
});

describe('D10 CMD []', () => {
  it('takes the empty list as the exec form it is (it clears the base image\'s CMD)', () => {
    expect(found('FROM alpine:3.20\nUSER 10001:10001\nCMD []\nENTRYPOINT ["npm", "start"]\n', ['D10'])).toEqual([]);
  });
});

describe('D04 on a distroless :nonroot base without USER', () => {
  it('says the image\'s own user runs it, not root', () => {
    expect(found('FROM gcr.io/distroless/static-debian12:nonroot\nCOPY app /app\nENTRYPOINT ["/app"]\n', ['D04']).map((f) => f.replace(/ {2}\([^()]*\)$/, ''))).toEqual([
      "D04:1 the final stage sets no USER: it runs as gcr.io/distroless/static-debian12:nonroot's own user 65532, which the file does not name; write USER 65532:65532",
    ]);
  });

  it('still says root for the plain distroless tag', () => {
    expect(found('FROM gcr.io/distroless/static-debian12:latest\nCOPY app /app\nENTRYPOINT ["/app"]\n', ['D04']).map((f) => f.replace(/ {2}\([^()]*\)$/, ''))).toEqual(['D04:1 the final stage sets no USER, so the container runs as root']);
  });
});

describe('D08 for the RPM family (yum, dnf, microdnf, zypper)', () => {
  const d08 = (run: string) => found(`FROM registry.access.redhat.com/ubi9/ubi:9.4\nRUN ${run}\nCMD ["httpd"]\n`, ['D08', 'D10']);

  it.each([
    'yum install -y httpd-2.4.57 && yum clean all',
    'dnf -y install --setopt=install_weak_deps=False gcc-c++-11.4.1 openssl-1:3.0.7 && dnf clean all',
    'microdnf install -y shadow-utils-4.9 && microdnf clean all',
    'dnf install -y python3.12-3.12.1 && rm -rf /var/cache/dnf',
    'zypper --non-interactive install curl=8.6.0 && zypper clean --all',
    'zypper in -y ./local.rpm && zypper cc -a',
  ])('accepts %s', (run) => {
    expect(d08(run)).toEqual([]);
  });

  it('reports unpinned packages and a cache left in the layer, per tool', () => {
    expect(d08('yum install -y httpd && dnf -y install git-2.43.0 && zypper in -y jq openssh-server').sort()).toEqual([
      'D08:2 dnf install without dnf clean all in the same RUN leaves the package cache in the layer',
      'D08:2 yum install httpd: versions not pinned (pkg-version)',
      'D08:2 yum install without yum clean all in the same RUN leaves the package cache in the layer',
      'D08:2 zypper install jq openssh-server: versions not pinned (pkg=version)',
      'D08:2 zypper install without zypper clean in the same RUN leaves the package cache in the layer',
      'D10:2 installs openssh-server: no SSH server or sudo in a container',
    ]);
  });

  it('leaves other yum and dnf commands alone', () => {
    expect(d08('dnf module list && yum info httpd')).toEqual([]);
  });
});

describe('FROM words nested past any real Dockerfile', () => {
  // 20 000 levels of ${A:+…} overflowed the call stack (check exited 70): past 32 levels the
  // image is one a --build-arg decides, not followed further.
  const tooDeep = (line: number) => `D01:${line} FROM nests \${…} substitutions more than 32 levels deep (in the line or the ARG defaults it reads), too deep to judge whether the image is pinned: name the image in one ARG before the first FROM (ARG BASE=alpine:3.20) and write FROM \${BASE}`;

  it('reads a FROM nesting ${A:+…} 20 000 deep as too deep to judge, not as an ARG without a default', () => {
    const n = 20_000;
    const text = `ARG A=1\nFROM alpine${'${A:+'.repeat(n)}x${'}'.repeat(n)}:3.20\nUSER 10001:10001\n`;
    expect(found(text, ['D01']).map((f) => f.replace(/ {2}\(DL.*$/, ''))).toEqual([tooDeep(2)]);
  });

  it('says so too when the nesting is in the default of an ARG the FROM reads', () => {
    const text = `ARG A=1\nARG IMG=alpine${'${A:+'.repeat(40)}:3.20${'}'.repeat(40)}\nFROM \${IMG}\nUSER 10001:10001\n`;
    // (--build-arg A= empties the whole word: FROM alpine, which is judged.)
    expect(found(text, ['D01']).map((f) => f.replace(/ {2}\(DL.*$/, ''))).toEqual([tooDeep(3), 'D01:3 FROM "alpine" has no tag, so it means whatever "latest" is at build time (built with --build-arg A=)']);
  });

  it('still follows a FROM nested 32 deep', () => {
    const text = `ARG A=1\nFROM alpine${'${A:+'.repeat(32)}:3.20${'}'.repeat(32)}\nUSER 10001:10001\n`;
    expect(parseDockerfile(text).stages[0]!.image).toBe('alpine:3.20');
  });
});
