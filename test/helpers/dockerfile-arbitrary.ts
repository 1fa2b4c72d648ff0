/**
 * Random Dockerfiles built from real syntax, for property tests: directives (`# escape=` with the
 * backtick too), LF or CRLF, keywords in any case, flags, exec and shell forms, ARG/ENV/LABEL
 * forms, heredocs, and line continuations with comment and empty lines inside. It stays clear of
 * the corners where dockerfile-ast and Docker read a file differently (pinned in
 * test/check/dockerfile-crosscheck.test.ts), so both parsers must agree on everything it makes.
 */
import fc from 'fast-check';

const casing = (keyword: string) => fc.constantFrom(keyword, keyword.toLowerCase(), keyword[0] + keyword.slice(1).toLowerCase());
const blank = fc.constantFrom(' ', '  ', '\t', ' \t ');
const image = fc.constantFrom('alpine:3.22', 'node:24.11.1-alpine3.22', '${BASE}', 'golang:1.25@sha256:0123abcd', 'scratch');
const shellWord = fc.constantFrom('apk', 'add', '--no-cache', 'curl=8.5.0-r0', '&&', '||', '|', ';', 'set', '-eux', 'echo', '"two words"', "'single'", '$HOME', '${VAR}', '>', '/dev/null', '2>&1', '#not-a-comment', 'a=b', '[x]');
const json = fc.array(fc.constantFrom('node', 'server.js', '--port', '8080', 'a b', 'x\\"y'), { minLength: 1, maxLength: 4 }).map((ws) => JSON.stringify(ws).replace(/,/g, ', '));
const pick = <T>(xs: T[]) => fc.subarray(xs);

/** An instruction as keyword + argument tokens, the tokens later spread over lines. */
const instruction = fc.oneof(
  fc.tuple(casing('FROM'), pick(['--platform=linux/amd64']), image, fc.option(fc.constantFrom('AS build', 'as runtime'))).map(([k, f, i, as]) => [k, ...f, i, ...(as ? as.split(' ') : [])]),
  fc.tuple(casing('RUN'), pick(['--mount=type=cache,target=/root/.cache', '--network=none', '--mount=type=secret,id=npm']), fc.array(shellWord, { minLength: 1, maxLength: 8 })).map(([k, f, ws]) => [k, ...f, ...ws]),
  fc.tuple(casing('RUN'), json).map(([k, j]) => [k, j]),
  fc.tuple(casing('COPY'), pick(['--from=build', '--chown=10001:10001', '--link', '--chmod=0755']), fc.array(fc.constantFrom('.', './', 'src/', 'package.json', '/app/'), { minLength: 2, maxLength: 4 })).map(([k, f, ws]) => [k, ...f, ...ws]),
  fc.tuple(fc.constantFrom('CMD', 'ENTRYPOINT', 'cmd', 'Entrypoint'), fc.oneof(json.map((j) => [j]), fc.array(shellWord, { minLength: 1, maxLength: 4 }))).map(([k, a]) => [k, ...a]),
  fc.tuple(casing('ENV'), fc.array(fc.constantFrom('A=1', 'B="two words"', "C='x y'", 'PATH="/opt/bin:$PATH"', 'E=', 'NODE_ENV=production'), { minLength: 1, maxLength: 4 })).map(([k, ps]) => [k, ...ps]),
  fc.tuple(casing('ENV'), fc.constantFrom('LEGACY', 'TZ'), fc.array(fc.constantFrom('some', 'value', 'Europe/Berlin'), { minLength: 1, maxLength: 3 })).map(([k, n, vs]) => [k, n, ...vs]),
  fc.tuple(casing('LABEL'), fc.array(fc.constantFrom('org.opencontainers.image.title="svc"', 'version=1', '"com.example.vendor"="ACME Inc"', "description='a b'"), { minLength: 1, maxLength: 3 })).map(([k, ps]) => [k, ...ps]),
  fc.tuple(casing('ARG'), fc.oneof(fc.constantFrom(['VERSION'], ['NPM_TOKEN']), fc.array(fc.constantFrom('BASE=node:24-alpine', 'UID=10001', 'GID=10001'), { minLength: 1, maxLength: 3 }))).map(([k, ps]) => [k, ...ps]),
  fc.tuple(casing('EXPOSE'), fc.array(fc.constantFrom('8080', '9090/tcp', '53/udp', '${PORT}'), { minLength: 1, maxLength: 3 })).map(([k, ps]) => [k, ...ps]),
  fc.tuple(fc.constantFrom('USER', 'WORKDIR', 'STOPSIGNAL', 'VOLUME', 'MAINTAINER', 'user', 'workdir'), fc.constantFrom('10001:10001', '/app', 'SIGTERM', '["/data"]', 'me@example.com')).map(([k, a]) => [k, a]),
  fc.tuple(casing('HEALTHCHECK'), pick(['--interval=30s', '--timeout=3s']), fc.oneof(json.map((j) => ['CMD', j]), fc.constant(['NONE']))).map(([k, f, a]) => [k, ...f, ...a]),
  casing('SHELL').map((k) => [k, '["/bin/sh", "-o", "pipefail", "-c"]']),
  casing('ONBUILD').map((k) => [k, 'RUN', 'echo', 'hi']),
);
const heredoc = fc.tuple(
  fc.constantFrom('RUN', 'run', 'COPY'),
  fc.constantFrom('<<EOF', '<<-EOF', '<<"EOF"', "<<'EOF'"),
  fc.array(fc.constantFrom('set -eu', 'apk add --no-cache curl', '\techo tabbed', 'FROM not-an-instruction', '# shell comment', ''), { maxLength: 4 }),
);

/** Where tokens meet: spaces, or a line continuation with comment and empty lines inside it. */
const joint = (escape: string) =>
  fc.oneof(
    { weight: 3, arbitrary: blank },
    {
      weight: 1,
      arbitrary: fc
        // The next line is indented, so tokens never glue together (glued, `"a"\` + `b` is one word).
        .tuple(fc.constantFrom('', ' ', '\t'), fc.constantFrom('', ' ', '  '), fc.array(fc.constantFrom('# inside', ''), { maxLength: 2 }), fc.constantFrom(' ', '    ', '\t'))
        .map(([before, after, inner, indent]) => ({ before, after, inner, indent })),
    },
  ).map((j) => (typeof j === 'string' ? () => j : (eol: string) => `${j.before}${escape}${j.after}${eol}${j.inner.map((l) => l + eol).join('')}${j.indent}`));

export const randomDockerfile = fc
  .tuple(
    fc.constantFrom('\\', '`'),
    fc.constantFrom('\n', '\r\n'),
    fc.subarray(['# syntax=docker/dockerfile:1', '# check=error=true', 'ESCAPE']),
    fc.array(
      fc.oneof(
        { weight: 6, arbitrary: fc.tuple(fc.constantFrom('', ' ', '\t'), instruction).map(([indent, tokens]) => ({ indent, tokens })) },
        // CRLF heredoc bodies are a known difference (pinned below), so heredocs come with LF only.
        { weight: 1, arbitrary: heredoc.map(([k, h, body]) => ({ heredoc: [k, h, body] as const })) },
        { weight: 1, arbitrary: fc.constantFrom('# a comment', '  # indented', '', '   ').map((line) => ({ line })) },
      ),
      { minLength: 1, maxLength: 12 },
    ),
    fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 200, maxLength: 200 }),
    fc.boolean(),
  )
  // The backtick continues lines only under its directive.
  .map(([escape, eol, directives, ...rest]) => [directives.includes('ESCAPE') ? escape : '\\', eol, directives, ...rest] as const)
  .chain(([escape, eol, directives, blocks, seeds, finalEol]) =>
    fc.array(joint(escape), { minLength: 200, maxLength: 200 }).map((joints) => {
      let n = 0;
      const lines: string[] = directives.map((d) => (d === 'ESCAPE' ? `# escape=${escape}` : d));
      // A blank always follows the keyword (glued to the next line, it would be another word), and a
      // `#` word stays on its line (first on a continued line, it makes the line a comment).
      const joint = (t: string, i: number) => (t.startsWith('#') ? ' ' : (i === 1 ? ' ' : '') + joints[n++ % joints.length]!(eol));
      const tokenLine = (indent: string, tokens: string[]) => indent + tokens.map((t, i) => (i === 0 ? t : joint(t, i) + t)).join('');
      for (const block of blocks) {
        if ('line' in block) lines.push(block.line);
        else if ('tokens' in block) lines.push(tokenLine(block.indent, block.tokens));
        else if (eol === '\n') {
          const [keyword, opener, body] = block.heredoc;
          const terminator = opener === '<<-EOF' && seeds[n++ % seeds.length]! % 2 ? '\tEOF' : 'EOF';
          lines.push(keyword === 'COPY' ? `${keyword} ${opener} /etc/file` : `${keyword} ${opener}`, ...body, terminator);
        }
      }
      return lines.join(eol) + (finalEol ? eol : '');
    }),
  );
