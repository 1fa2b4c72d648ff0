/**
 * Dockerfiles for tests: the parser and the D01-D16 checks live in `src/check/` (the `check`
 * command and create's gate use the same code). This helper adds the Docker language server's
 * parser and validator (dockerfile-ast, dockerfile-utils) as a second opinion: its diagnostics on
 * syntax, and its instruction objects for the stages our parser found, matched by line, so the
 * render tests read instructions through the reference parser. Violations come back as
 * `ID: message` strings, so a test failure names the rule.
 */
import { DockerfileParser, type Instruction } from 'dockerfile-ast';
import { validate, ValidationSeverity } from 'dockerfile-utils';
import { checkDockerfile, parseDockerfile as parseStages, type DockerfileExpectations, type Stage as OwnStage } from '../../src/check/dockerfile.js';

export type Expectations = DockerfileExpectations;
export type Stage = Omit<OwnStage, 'instructions'> & { instructions: Instruction[] };

export function parseDockerfile(text: string) {
  const { stages: own, problems: ownProblems } = parseStages(text);
  const problems = validate(text).filter((d) => d.severity === ValidationSeverity.ERROR);
  const dockerfile = DockerfileParser.parse(text);
  const byLine = new Map(dockerfile.getInstructions().map((i) => [i.getRange().start.line + 1, i]));
  const stages: Stage[] = own.map((s) => ({
    ...s,
    instructions: s.instructions.map((i) => {
      const reference = byLine.get(i.line);
      if (reference?.getKeyword() !== i.keyword) throw new Error(`line ${i.line}: ${i.keyword} here, ${reference?.getKeyword() ?? 'nothing'} for dockerfile-ast`);
      return reference;
    }),
  }));
  return { dockerfile, stages, problems, own: ownProblems };
}

export function dockerfileViolations(text: string, expected: Expectations): string[] {
  const problems = validate(text).filter((d) => d.severity === ValidationSeverity.ERROR);
  return [
    ...problems.map((p) => `parse: line ${p.range.start.line + 1}: ${p.message}`),
    ...checkDockerfile(text, 'Dockerfile', expected).map((f) => `${f.rule}: ${f.message}`),
  ];
}
