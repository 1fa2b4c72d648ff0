/**
 * The rule engine's Dockerfile parser against dockerfile-ast (the Docker language server's
 * parser, which the engine used before): on every Dockerfile the generator renders, every
 * Dockerfile under test/, tricky hand-written files and random files built from real syntax, both
 * must find the same instructions with the same keywords, start and end lines, arguments, words
 * (with their lines), flags and ARG/ENV/LABEL properties. Where the two part on purpose, because
 * dockerfile-ast reads a corner differently from Docker's own parser (BuildKit), the case is
 * pinned below with what each parser says.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { DockerfileParser, type Instruction as AstInstruction } from 'dockerfile-ast';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseInstructions } from '../../src/check/dockerfile-parse.js';
import { randomDockerfile } from '../helpers/dockerfile-arbitrary.js';
import { combinations, fileOf, render, repoRoot } from '../helpers/render.js';

interface Outline {
  keyword: string;
  line: number;
  endLine: number;
  args: string;
  words: string[];
  flags: string[];
  properties: string[];
}

const flagText = (name: string, value: string | null) => (value === null ? name : `${name}=${value}`);
const propertyText = (name: string, value: string | null) => (value === null ? name : `${name}=${JSON.stringify(value)}`);

function ours(text: string): Outline[] {
  return parseInstructions(text).map((i) => ({
    keyword: i.keyword,
    line: i.line,
    endLine: i.endLine,
    args: i.args,
    words: i.words.map((w) => `${w.line}:${w.value}`),
    flags: i.flags.map((f) => flagText(f.name, f.value)),
    properties: i.properties.map((p) => propertyText(p.name, p.value)),
  }));
}

type WithHeredocs = AstInstruction & { getHeredocs?: () => { getContentRange(): { start: { line: number } } | null; getDelimiterRange(): { start: { line: number } } | null }[] };
type WithFlags = AstInstruction & { getFlags?: () => { getName(): string; getValue(): string | null }[] };
type WithProperties = AstInstruction & { getProperties?: () => { getName(): string; getValue(): string | null }[] };

/** The first line (0-based) of a heredoc body: dockerfile-ast counts body lines as arguments, Docker does not. */
function bodyStart(instruction: AstInstruction): number {
  const trigger = instruction.getKeyword() === 'ONBUILD' ? ((instruction as unknown as { getTriggerInstruction(): AstInstruction | null }).getTriggerInstruction() ?? instruction) : instruction;
  const [first] = (trigger as WithHeredocs).getHeredocs?.() ?? [];
  const start = first && (first.getContentRange() ?? first.getDelimiterRange());
  return start ? start.start.line : Infinity;
}

function reference(text: string): Outline[] {
  return DockerfileParser.parse(text)
    .getInstructions()
    .map((i) => ({
      keyword: i.getKeyword(),
      line: i.getRange().start.line + 1,
      endLine: i.getRange().end.line + 1,
      args: i.getArgumentsContent() ?? '',
      words: i
        .getArguments()
        .filter((a) => a.getRange().start.line < bodyStart(i))
        .map((a) => `${a.getRange().start.line + 1}:${a.getValue()}`),
      flags: ((i as WithFlags).getFlags?.() ?? []).map((f) => flagText(f.getName(), f.getValue())),
      properties: ((i as WithProperties).getProperties?.() ?? []).map((p) => propertyText(p.getName(), p.getValue())),
    }));
}

const agree = (text: string) => expect(ours(text), JSON.stringify(text)).toEqual(reference(text));

describe('agrees with dockerfile-ast on every Dockerfile we have', () => {
  for (const combo of combinations()) {
    it(`the rendered ${combo.language} ${combo.languageVersion} on ${combo.base}`, async () => {
      const tree = await render({ ...combo, port: '9090' }, ['docker', 'app']);
      const text = fileOf(tree, 'Dockerfile');
      expect(ours(text).length).toBeGreaterThan(5);
      agree(text);
    });
  }

  const files = readdirSync(join(repoRoot, 'test'), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /^(Dockerfile(\..+)?|.+\.Dockerfile)$/.test(e.name) && !e.name.endsWith('.dockerignore'))
    .map((e) => relative(repoRoot, join(e.parentPath, e.name)))
    .sort();
  it('finds the fixture and golden Dockerfiles', () => {
    expect(files.filter((f) => f.startsWith('test/fixtures/check/')).length).toBeGreaterThanOrEqual(5);
    expect(files.filter((f) => f.startsWith('test/golden/')).length).toBeGreaterThanOrEqual(7);
  });
  it.each(files)('%s', (file) => agree(readFileSync(join(repoRoot, file), 'utf8')));
});

/** Hand-written corners where Docker and dockerfile-ast read the same thing. */
const tricky: Record<string, string> = {
  'comments, blank lines and odd indentation': '# top comment\n\n  # indented comment\nfrom alpine:3.22 as base\n\n\tRun echo hi # stays\n   USER 10001:10001\n',
  'continuations with comment and empty lines': 'FROM a\nRUN apk add --no-cache \\\n# the TLS roots\n    ca-certificates \\\n\n\n    curl \\  \n\tjq\nUSER 1\n',
  'continuation right after the keyword, and in the keyword': 'FROM a\nRUN \\\n  echo one\nRU\\\nN echo two\n',
  'CRLF line ends and a byte-order mark': '\uFEFF# syntax=docker/dockerfile:1\r\nFROM alpine:3.22\r\nRUN a \\\r\n  b\r\nEXPOSE 80 \\\r\n  443\r\n',
  'the backtick escape directive (the reference example)': '# escape=`\n\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nCOPY testfile.txt c:\\\nRUN dir c:\\\nRUN Get-Item `\n  -Path c:\\\n',
  'backslashes continuing a Windows path (the reference example)': 'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nCOPY testfile.txt c:\\\nRUN dir c:\\\nUSER 1\n',
  'directives in any case, with spaces, after a comment (ignored)': '#  ESCAPE = `\n# syntax=docker/dockerfile:1\nRUN a `\n b\n',
  'a directive after a comment is a comment': '# about\n# escape=`\nRUN a `\n  b\n',
  'flags over continued lines, quoted exec form, HEALTHCHECK options':
    'FROM --platform=$BUILDPLATFORM golang:1.25 AS build\nRUN --mount=type=cache,target=/go/pkg/mod \\\n    --mount=type=cache,target=/root/.cache/go-build \\\n    go build -o /out/app .\nFROM scratch\nCOPY --from=build --chown=10001:10001 --link /out/app /app\nHEALTHCHECK --interval=30s --timeout=3s CMD ["/app", "-health"]\nCMD ["/app", \\\n     "--serve"]\n',
  'heredocs: plain, <<-, quoted, two in one RUN, COPY, ONBUILD':
    'FROM alpine\nRUN <<EOF\nset -eu\nFROM not-an-instruction\nEOF\nRUN <<-EOF\n\techo hi\n\tEOF\nCOPY <<"END" /etc/motd\nhello\nEND\nRUN <<FILE1 cat > /file1 && <<FILE2 cat > /file2\nI am\nfirst\nFILE1\nI am\nsecond\nFILE2\nONBUILD RUN <<EOF\necho\nEOF\nRUN echo "<<EOF"\nRUN cat <<<EOF\nUSER 1\n',
  'ARG, ENV and LABEL forms': 'ARG BASE=node:24-alpine\nARG VERSION\nFROM ${BASE}\nENV A=1 B="two words" C=\'x y\' D=a\\ b E=\nENV LEGACY some value\nENV PYTHONDONTWRITEBYTECODE=1 \\\n    PATH="/opt/venv/bin:$PATH"\nLABEL "com.example.vendor"="ACME Inc" version=1 description="say \\"hi\\""\n',
  'variables, escaped dollars and quotes in words': 'FROM a\nCOPY ${SRC} \\$HOME "quoted" /dst/\nEXPOSE ${PORT}/tcp 9090\n',
};

describe('agrees with dockerfile-ast on tricky hand-written Dockerfiles', () => {
  it.each(Object.entries(tricky))('%s', (_, text) => {
    expect(ours(text).length).toBeGreaterThan(0);
    agree(text);
  });
});

describe('agrees with dockerfile-ast on random Dockerfiles built from real syntax', () => {
  it('finds the same instructions, lines, arguments, words, flags and properties', () => {
    fc.assert(
      fc.property(randomDockerfile, (text) => {
        agree(text);
      }),
      { numRuns: 400 },
    );
  });
});

/**
 * Where the two parsers part, Docker's own parser (BuildKit) decides, and ours follows it. Each
 * case states both readings, so a change in either parser shows here.
 */
describe('reads like Docker where dockerfile-ast does not', () => {
  const outline = (o: Outline[]) => o.map((i) => `${i.line}-${i.endLine} ${i.keyword} ${JSON.stringify(i.args)}`);

  it('an escaped escape character at the end of a line does not continue it', () => {
    const text = 'FROM a\nRUN echo a\\\\\nRUN echo b\n';
    expect(outline(ours(text))).toEqual(['1-1 FROM "a"', '2-2 RUN "echo a\\\\\\\\"', '3-3 RUN "echo b"']);
    expect(outline(reference(text))).toEqual(['1-1 FROM "a"', '2-3 RUN "echo a\\\\\\\\\\nRUN echo b"']);
  });

  it('a heredoc body is the shell\'s: its backslash-newlines and comment lines stay as written', () => {
    const text = 'RUN <<EOF\napk add \\\n  curl\nEOF\n';
    expect(ours(text)[0]!.args).toBe('<<EOF\napk add \\\n  curl\nEOF');
    expect(reference(text)[0]!.args).toBe('<<EOF\napk add   curl\nEOF');
  });

  it('"<<EOF" inside a JSON exec form opens no heredoc', () => {
    const text = 'RUN ["sh", "-c", "cat <<EOF"]\nUSER 1\n';
    expect(outline(ours(text))).toEqual(['1-1 RUN "[\\"sh\\", \\"-c\\", \\"cat <<EOF\\"]"', '2-2 USER "1"']);
    expect(reference(text).map((i) => i.keyword)).toEqual(['RUN']);
  });

  it('an unknown directive ends the directives, so a later # escape is a comment', () => {
    const text = '# foo=bar\n# escape=`\nRUN a `\n  b\n';
    expect(outline(ours(text))).toEqual(['3-3 RUN "a `"', '4-4 B ""']);
    expect(outline(reference(text))).toEqual(['3-4 RUN "a   b"']);
  });

  it('an indented comment line or a whitespace-only line inside a continuation is dropped, like any other', () => {
    const text = 'RUN a \\\n  # why\n  \t\n  b\n';
    expect(outline(ours(text))).toEqual(['1-4 RUN "a   b"']);
    expect(outline(reference(text))).toEqual(['1-4 RUN "a   # why\\n  \\t\\n  b"']);
    expect(ours(text)[0]!.words).toEqual(reference(text)[0]!.words);
  });

  it('a partly quoted ENV value loses its quotes, as the build\'s shell-style word processing removes them', () => {
    expect(ours('ENV A=x"y z" B=\'a\'b')[0]!.properties).toEqual(['A="xy z"', 'B="ab"']);
    expect(reference('ENV A=x"y z" B=\'a\'b')[0]!.properties).toEqual(['A="x\\"y z\\""', 'B="\'a\'b"']);
  });

  it('ARG with several bare names declares each of them', () => {
    expect(ours('ARG A B')[0]!.properties).toEqual(['A', 'B']);
    expect(reference('ARG A B')[0]!.properties).toEqual(['A="B"']);
  });

  it('a continuation that runs into the end of the file ends on its last line', () => {
    expect(outline(ours('RUN a \\\n'))).toEqual(['1-1 RUN "a"']);
    expect(outline(reference('RUN a \\\n'))).toEqual(['1-2 RUN "a"']);
  });

  it('a heredoc for a file descriptor (3<<EOF) is a heredoc', () => {
    const text = 'RUN 3<<EOF cat\nx\nEOF\nUSER 1\n';
    expect(outline(ours(text))).toEqual(['1-3 RUN "3<<EOF cat\\nx\\nEOF"', '4-4 USER "1"']);
    expect(outline(reference(text))).toEqual(['1-1 RUN "3<<EOF cat"', '2-2 X ""', '3-3 EOF ""', '4-4 USER "1"']);
  });

  it('a CRLF heredoc body comes with plain line breaks', () => {
    const text = 'RUN <<EOF\r\nx\r\nEOF\r\nUSER 1\r\n';
    expect(ours(text)[0]!.args).toBe('<<EOF\nx\nEOF');
    expect(reference(text)[0]!.args).toBe('<<EOF\r\nx\r\nEOF');
  });
});
