/**
 * The Dockerfile parser of the rule engine on the syntax's tricky corners, each expectation
 * taken from Docker's reference (https://docs.docker.com/reference/dockerfile/) and BuildKit's
 * parser, which decides what a build does. `dockerfile-crosscheck.test.ts` compares it with
 * dockerfile-ast on whole files.
 */
import { describe, expect, it } from 'vitest';
import { checkDockerfile } from '../../src/check/dockerfile.js';
import { parseInstructions, type Instruction } from '../../src/check/dockerfile-parse.js';

/** keyword, lines and arguments of each instruction, compactly. */
const outline = (text: string) => parseInstructions(text).map((i) => `${i.line}-${i.endLine} ${i.keyword} ${i.args}`);
const only = (text: string): Instruction => {
  const all = parseInstructions(text);
  expect(all).toHaveLength(1);
  return all[0]!;
};

describe('instructions and lines', () => {
  it('reads keywords case-insensitively, skips comments and blank lines, keeps 1-based lines', () => {
    expect(outline('# a comment\n\nfrom alpine:3.22\n  Run echo hi # not a comment\n\tuser 10001:10001\n')).toEqual([
      '3-3 FROM alpine:3.22',
      '4-4 RUN echo hi # not a comment',
      '5-5 USER 10001:10001',
    ]);
  });

  it('joins continued lines the way Docker does: the escape and line break go, the whitespace stays', () => {
    expect(outline('RUN apk add \\\n    curl \\  \n\tjq\nUSER 1')).toEqual(['1-3 RUN apk add     curl \tjq', '4-4 USER 1']);
    expect(outline('RUN a\\\nb')).toEqual(['1-2 RUN ab']);
    expect(outline('RUN \\\n  echo hi')).toEqual(['1-2 RUN echo hi']);
    expect(outline('RU\\\nN echo')).toEqual(['1-2 RUN echo']);
  });

  it('skips comment lines and empty lines inside a continuation, but counts them in the lines', () => {
    expect(outline('RUN a \\\n  # why b\n\n   \n  b \\\n# last\n  c\nUSER 1')).toEqual(['1-7 RUN a   b   c', '8-8 USER 1']);
  });

  it('does not continue a line whose escape character is itself escaped', () => {
    expect(outline('RUN echo a\\\\\nRUN echo b')).toEqual(['1-1 RUN echo a\\\\', '2-2 RUN echo b']);
  });

  it('ends an instruction whose continuation runs into the end of the file on its last line', () => {
    expect(outline('RUN a \\\n')).toEqual(['1-1 RUN a']);
    expect(outline('RUN a \\\n# trailing comment\n')).toEqual(['1-2 RUN a']);
  });

  it('accepts CRLF line ends and a byte-order mark', () => {
    expect(outline('\uFEFFFROM alpine\r\nRUN a \\\r\n  b\r\nUSER 1\r\n')).toEqual(['1-1 FROM alpine', '2-3 RUN a   b', '4-4 USER 1']);
  });

  it('splits the arguments into words with the line each starts on, escapes resolved', () => {
    expect(only('EXPOSE 8080 \\\n  9090/tcp\t9443').words).toEqual([
      { value: '8080', line: 1 },
      { value: '9090/tcp', line: 2 },
      { value: '9443', line: 2 },
    ]);
    expect(only('COPY a\\ b \\$HOME c').words.map((w) => w.value)).toEqual(['a', 'b', '\\$HOME', 'c']);
  });
});

describe('parser directives', () => {
  const windows = 'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nCOPY testfile.txt c:\\\nRUN dir c:\\\n';

  it('# escape=` makes the backtick the escape character, so a trailing backslash is a path (the reference example)', () => {
    expect(outline(`# escape=\`\n\n${windows}`)).toEqual(['3-3 FROM mcr.microsoft.com/windows/servercore:ltsc2022', '4-4 COPY testfile.txt c:\\', '5-5 RUN dir c:\\']);
    expect(outline('# escape=`\nRUN a `\n  b')).toEqual(['2-3 RUN a   b']);
  });

  it('without it, the same backslashes continue the line (the reference example)', () => {
    expect(outline(windows)).toEqual(['1-1 FROM mcr.microsoft.com/windows/servercore:ltsc2022', '2-3 COPY testfile.txt c:RUN dir c:']);
  });

  it('reads directives case-insensitively with spaces around =, next to # syntax and # check', () => {
    expect(outline('# syntax=docker/dockerfile:1\n#  ESCAPE = `\n# check=error=true\nRUN a `\n b')).toEqual(['4-5 RUN a  b']);
  });

  it('stops looking for directives after a comment, a blank line or an unknown directive', () => {
    expect(outline('# about this file\n# escape=`\nRUN a `\n  b')).toEqual(['3-3 RUN a `', '4-4 B ']);
    expect(outline('\n# escape=`\nRUN a `\n  b')).toEqual(['3-3 RUN a `', '4-4 B ']);
    expect(outline('# foo=bar\n# escape=`\nRUN a `\n  b')).toEqual(['3-3 RUN a `', '4-4 B ']);
  });

  it('ignores an escape directive that names another character', () => {
    expect(outline('# escape=|\nRUN a \\\n  b')).toEqual(['2-3 RUN a   b']);
  });
});

describe('flags', () => {
  it('takes leading --name=value flags of FROM, RUN, COPY, ADD and HEALTHCHECK out of the arguments', () => {
    const [from, copy, run, health] = parseInstructions(
      'FROM --platform=$BUILDPLATFORM golang:1.25 AS build\nCOPY --from=build --chown=10001:10001 --link /app /app\nRUN --mount=type=cache,target=/root/.cache \\\n    --mount=type=secret,id=npm \\\n    npm ci\nHEALTHCHECK --interval=30s --timeout=3s CMD ["/app", "-health"]\n',
    );
    expect(from).toMatchObject({ args: 'golang:1.25 AS build', flags: [{ name: 'platform', value: '$BUILDPLATFORM' }] });
    expect(copy).toMatchObject({ args: '/app /app', flags: [{ name: 'from', value: 'build' }, { name: 'chown', value: '10001:10001' }, { name: 'link', value: null }] });
    expect(copy!.words.map((w) => w.value)).toEqual(['/app', '/app']);
    expect(run).toMatchObject({ line: 3, endLine: 5, args: 'npm ci', flags: [{ name: 'mount', value: 'type=cache,target=/root/.cache' }, { name: 'mount', value: 'type=secret,id=npm' }] });
    expect(run!.words).toEqual([{ value: 'npm', line: 5 }, { value: 'ci', line: 5 }]);
    expect(health).toMatchObject({ args: 'CMD ["/app", "-health"]', flags: [{ name: 'interval', value: '30s' }, { name: 'timeout', value: '3s' }] });
  });

  it('resolves quotes in a flag, and stops at a bare --', () => {
    expect(only('RUN --mount="type=bind,source=a b" ls').flags).toEqual([{ name: 'mount', value: 'type=bind,source=a b' }]);
    expect(only('COPY --chown=1:1 -- --odd-name /dst')).toMatchObject({ args: '--odd-name /dst', flags: [{ name: 'chown', value: '1:1' }] });
  });

  it('leaves --words of other instructions in their arguments (Docker refuses flags there)', () => {
    expect(only('CMD --port 8080')).toMatchObject({ args: '--port 8080', flags: [] });
  });
});

describe('exec (JSON) form and shell form', () => {
  it('keeps either form as written, across continued lines', () => {
    expect(outline('CMD ["node", \\\n     "server.js"]\nENTRYPOINT node server.js')).toEqual(['1-2 CMD ["node",      "server.js"]', '3-3 ENTRYPOINT node server.js']);
  });
});

describe('heredocs', () => {
  it('gives a RUN its body, up to the terminator; the body is script, not instructions', () => {
    expect(outline('FROM alpine\nRUN <<EOF\nset -eu\nFROM not-an-instruction\nEOF\nUSER 1\n')).toEqual([
      '1-1 FROM alpine',
      '2-5 RUN <<EOF\nset -eu\nFROM not-an-instruction\nEOF',
      '6-6 USER 1',
    ]);
  });

  it('keeps the body verbatim: its own line continuations and comments belong to the shell', () => {
    expect(only('RUN <<EOF\napk add \\\n  curl\n# why\nEOF').args).toBe('<<EOF\napk add \\\n  curl\n# why\nEOF');
  });

  it('<<- strips leading tabs before the terminator; quoted names are unquoted', () => {
    expect(outline('RUN <<-EOF\n\techo hi\n\tEOF\nCOPY <<"END" /etc/motd\nhello\nEND\nRUN <<\'X\' sh\necho $HOME\nX\nUSER 1')).toEqual([
      '1-3 RUN <<-EOF\n\techo hi\n\tEOF',
      '4-6 COPY <<"END" /etc/motd\nhello\nEND',
      '7-9 RUN <<\'X\' sh\necho $HOME\nX',
      '10-10 USER 1',
    ]);
  });

  it('reads several heredocs one after the other (the reference example), and file-descriptor ones', () => {
    expect(outline('RUN <<FILE1 cat > file1 && <<FILE2 cat > file2\nI am\nfirst\nFILE1\nI am\nsecond\nFILE2\nRUN 3<<EOF cat\nx\nEOF\nUSER 1')).toEqual([
      '1-7 RUN <<FILE1 cat > file1 && <<FILE2 cat > file2\nI am\nfirst\nFILE1\nI am\nsecond\nFILE2',
      '8-10 RUN 3<<EOF cat\nx\nEOF',
      '11-11 USER 1',
    ]);
  });

  it('needs the terminator alone on its line: indented (without <<-) or followed by text, it is body', () => {
    expect(outline('RUN <<EOF\n  EOF\nEOF  \nEOF\nUSER 1')).toEqual(['1-4 RUN <<EOF\n  EOF\nEOF  \nEOF', '5-5 USER 1']);
  });

  it('opens none in JSON form, in quotes, in a here-string, or outside RUN, COPY and ADD', () => {
    expect(outline('RUN ["sh", "-c", "cat <<EOF"]\nRUN echo "<<EOF"\nRUN cat <<<EOF\nCMD cat <<EOF\nUSER 1')).toEqual([
      '1-1 RUN ["sh", "-c", "cat <<EOF"]',
      '2-2 RUN echo "<<EOF"',
      '3-3 RUN cat <<<EOF',
      '4-4 CMD cat <<EOF',
      '5-5 USER 1',
    ]);
  });

  it('reads them in a RUN under ONBUILD, and runs an unterminated one to the end of the file', () => {
    expect(outline('ONBUILD RUN <<EOF\necho\nEOF\nUSER 1')).toEqual(['1-3 ONBUILD RUN <<EOF\necho\nEOF', '4-4 USER 1']);
    expect(outline('RUN <<EOF\necho\nUSER 1\n')).toEqual(['1-3 RUN <<EOF\necho\nUSER 1']);
  });

  it('finds heredocs on a continued line, and drops the CR of CRLF bodies', () => {
    expect(outline('RUN --mount=type=cache,target=/x \\\n  <<EOF\r\necho\r\nEOF\r\nUSER 1')).toEqual(['1-4 RUN <<EOF\necho\nEOF', '5-5 USER 1']);
  });
});

describe('ARG, ENV and LABEL properties', () => {
  it('reads name=value pairs with quotes and escapes resolved, variables left as written', () => {
    expect(only('ENV A=1 B="two words" C=\'x y\' D=a\\ b E= F="say \\"hi\\"" G=$HOME').properties).toEqual([
      { name: 'A', value: '1' },
      { name: 'B', value: 'two words' },
      { name: 'C', value: 'x y' },
      { name: 'D', value: 'a b' },
      { name: 'E', value: '' },
      { name: 'F', value: 'say "hi"' },
      { name: 'G', value: '$HOME' },
    ]);
  });

  it('reads the legacy ENV/LABEL form: a name, then everything after it as the value', () => {
    expect(only('ENV PATH_PREFIX /opt/app bin').properties).toEqual([{ name: 'PATH_PREFIX', value: '/opt/app bin' }]);
    expect(only('LABEL "com.example.vendor"="ACME Inc" version=1').properties).toEqual([
      { name: 'com.example.vendor', value: 'ACME Inc' },
      { name: 'version', value: '1' },
    ]);
  });

  it('reads each ARG word as one build argument, with or without a default', () => {
    expect(only('ARG VERSION').properties).toEqual([{ name: 'VERSION', value: null }]);
    expect(only('ARG BASE=node:24-alpine TOKEN').properties).toEqual([
      { name: 'BASE', value: 'node:24-alpine' },
      { name: 'TOKEN', value: null },
    ]);
    expect(only('ARG A B').properties).toEqual([
      { name: 'A', value: null },
      { name: 'B', value: null },
    ]);
  });

  it('reads properties spread over continued lines', () => {
    expect(only('ENV PYTHONDONTWRITEBYTECODE=1 \\\n    PYTHONUNBUFFERED=1 \\\n    PATH="/opt/venv/bin:$PATH"').properties).toEqual([
      { name: 'PYTHONDONTWRITEBYTECODE', value: '1' },
      { name: 'PYTHONUNBUFFERED', value: '1' },
      { name: 'PATH', value: '/opt/venv/bin:$PATH' },
    ]);
  });
});

describe('the D-rules on these corners', () => {
  const found = (text: string, rules: string[]) => checkDockerfile(text, 'Dockerfile').filter((f) => rules.includes(f.rule)).map((f) => `${f.rule}:${f.line} ${f.message}`);

  it('read a heredoc script like the shell does, its backslash-newlines joined', () => {
    const clean = 'FROM debian:12-slim\nRUN <<EOF\nset -eu\napt-get update\napt-get install -y --no-install-recommends \\\n  curl=8.0.0\nrm -rf /var/lib/apt/lists/*\nEOF\n';
    expect(found(clean, ['D05', 'D08', 'D09'])).toEqual([]);
    expect(found('FROM debian:12-slim\nUSER 10001:10001\nRUN <<EOF\ncurl -fsSLk https://example.com/install.sh \\\n  | sh\nEOF\n', ['D05', 'D08', 'D09'])).toEqual([
      'D09:3 RUN <<EOF pipes without pipefail: a failing first command does not fail the build',
      'D05:3 curl -k/--insecure skips TLS verification',
      'D05:3 curl output is piped into a shell without checking its checksum',
    ]);
  });

  it('name a long continued RUN in D09 by its first line only, "…" marking the cut', () => {
    // The shape of docker-library/postgres: one RUN of dozens of tab-indented continued lines.
    const body = Array.from({ length: 60 }, (_, n) => `\tstep-${n} --flag value; \\`).join('\n');
    const text = `FROM debian:12-slim\nUSER 10001:10001\nRUN set -eux; \\\n${body}\n\tcurl -fsS https://example.com/key | gpg --dearmor > /k.gpg\n`;
    expect(found(text, ['D09'])).toEqual(['D09:3 RUN set -eux; … pipes without pipefail: a failing first command does not fail the build']);
    // Flags alone on the first line: the first line with a command word.
    expect(found('FROM debian:12-slim\nRUN --mount=type=cache,target=/root/.cache \\\n\tcurl -fsS https://example.com | tar -x \\\n\t&& true\n', ['D09'])).toEqual([
      'D09:2 RUN curl -fsS https://example.com | tar -x … pipes without pipefail: a failing first command does not fail the build',
    ]);
    // One line: whole, no mark.
    expect(found('FROM debian:12-slim\nRUN curl -fsS https://example.com | tar -x\n', ['D09'])).toEqual(['D09:2 RUN curl -fsS https://example.com | tar -x pipes without pipefail: a failing first command does not fail the build']);
  });

  it('leave out a comment line inside a continued RUN, indented or not, as Docker does', () => {
    expect(found('FROM alpine:3.22\nUSER 10001:10001\nRUN apk add --no-cache \\\n    # the one tool we need\n    curl\n', ['D08'])).toEqual(['D08:3 apk add curl: versions not pinned (pkg=version)']);
  });

  it('hold pnpm, yarn (directly or through corepack) and uv to their lockfile, and pnpm and yarn to pinned additions', () => {
    const run = (line: string) => found(`FROM node:24-alpine\nUSER 10001:10001\nRUN ${line}\n`, ['D08']);
    for (const clean of [
      'corepack pnpm install --frozen-lockfile --prod',
      'pnpm i --prod --frozen-lockfile',
      'corepack yarn install --frozen-lockfile --production',
      'yarn --frozen-lockfile',
      'yarn install --immutable',
      'corepack npm ci --omit=dev',
      'pnpm add -g typescript@5.9.3',
      'yarn global add serve@14.2.4',
      'yarn --version',
    ]) {
      expect(run(clean), clean).toEqual([]);
    }
    expect(run('corepack pnpm install --prod')).toEqual(['D08:3 pnpm install without --frozen-lockfile may rewrite the lockfile instead of installing exactly it']);
    expect(run('pnpm i')).toEqual(['D08:3 pnpm install without --frozen-lockfile may rewrite the lockfile instead of installing exactly it']);
    expect(run('yarn')).toEqual(['D08:3 yarn install without --frozen-lockfile (Yarn 1) or --immutable may rewrite the lockfile instead of installing exactly it']);
    expect(run('corepack yarn install --production')).toEqual(['D08:3 yarn install without --frozen-lockfile (Yarn 1) or --immutable may rewrite the lockfile instead of installing exactly it']);
    expect(run('pnpm --immutable install')).toEqual(['D08:3 pnpm install without --frozen-lockfile may rewrite the lockfile instead of installing exactly it']);
    expect(run('pnpm add --filter api express')).toEqual(['D08:3 pnpm add express: versions not pinned (pkg@version)']);
    expect(run('yarn global add serve')).toEqual(['D08:3 yarn add serve: versions not pinned (pkg@version)']);
    expect(run('corepack npm install')).toEqual(['D08:3 npm install: use npm ci (exactly the lockfile) with --omit=dev']);
    expect(run('/opt/uv/bin/uv sync --locked --no-dev')).toEqual([]);
    expect(run('UV_PROJECT_ENVIRONMENT=/opt/venv uv sync --frozen')).toEqual([]);
    expect(run('uv sync --no-dev')).toEqual(['D08:3 uv sync without --locked (or --frozen) may resolve again instead of installing exactly uv.lock']);
  });

  it('hold yarn workspaces focus (Yarn 2+) to a yarn install --immutable before it, in its stage or the stage it is built FROM', () => {
    const focus = 'D08:3 yarn workspaces focus installs what yarn.lock lacks without failing: run "yarn install --immutable" before it in this stage';
    const run = (text: string) => found(`FROM node:24-alpine AS deps\nUSER 10001:10001\n${text}`, ['D08']);
    expect(run('RUN corepack yarn workspaces focus --all --production\n')).toEqual([focus]);
    expect(run('RUN corepack yarn workspaces focus --all --production && yarn install --immutable\n')).toEqual([focus]);
    expect(run('RUN corepack yarn install --immutable --mode=skip-build && corepack yarn workspaces focus --all --production\n')).toEqual([]);
    expect(run('RUN yarn install --immutable\nRUN yarn workspaces focus --production\n')).toEqual([]);
    expect(run('RUN yarn install --immutable\nFROM deps AS prod\nRUN yarn workspaces focus --all --production\n')).toEqual([]);
    expect(found('FROM node:24-alpine AS a\nRUN yarn install --immutable\nFROM node:24-alpine AS b\nRUN yarn workspaces focus --all --production\n', ['D08'])).toEqual([focus.replace(':3 ', ':4 ')]);
    expect(run('RUN yarn workspaces list\n')).toEqual([]);
  });

  it('see lowercase keywords, CRLF files and flags, and report the first line of the instruction', () => {
    const text = 'from alpine:3.22\r\nuser root\r\nhealthcheck --interval=30s \\\r\n  CMD curl -f http://localhost/\r\n';
    expect(found(text, ['D04', 'D12'])).toEqual(['D04:2 runs as root (root)', 'D12:3 HEALTHCHECK is not in exec form (CMD ["…"])']);
  });
});
