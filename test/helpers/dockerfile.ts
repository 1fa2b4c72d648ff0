/**
 * Dockerfiles for tests: the parser and the D01-D16 checks live in `src/check/dockerfile.ts` (the
 * `check` command and create's gate use the same code). This helper adds dockerfile-utils' own
 * validator (the Docker language server's diagnostics) as a second opinion on syntax, and reports
 * violations as `ID: message` strings, so a test failure names the rule.
 */
import { DockerfileParser } from 'dockerfile-ast';
import { validate, ValidationSeverity } from 'dockerfile-utils';
import { checkDockerfile, parseDockerfile as parseStages, type DockerfileExpectations } from '../../src/check/dockerfile.js';

export type { Stage } from '../../src/check/dockerfile.js';
export type Expectations = DockerfileExpectations;

export function parseDockerfile(text: string) {
  const { stages, problems: own } = parseStages(text);
  const problems = validate(text).filter((d) => d.severity === ValidationSeverity.ERROR);
  return { dockerfile: DockerfileParser.parse(text), stages, problems, own };
}

export function dockerfileViolations(text: string, expected: Expectations): string[] {
  const problems = validate(text).filter((d) => d.severity === ValidationSeverity.ERROR);
  return [
    ...problems.map((p) => `parse: line ${p.range.start.line + 1}: ${p.message}`),
    ...checkDockerfile(text, 'Dockerfile', expected).map((f) => `${f.rule}: ${f.message}`),
  ];
}
