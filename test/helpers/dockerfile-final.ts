/**
 * Reading the final stage of a rendered Dockerfile, shared by the per-language render tests.
 */
import { parseDockerfile } from './dockerfile.js';

export const finalOf = (text: string) => parseDockerfile(text).stages.at(-1)!.instructions;
export const argsOf = (text: string, keyword: string) => finalOf(text).filter((i) => i.getKeyword() === keyword).map((i) => i.getArgumentsContent() ?? '');
export const execOf = (args: string): string[] => JSON.parse(args.replace(/^.*?\bCMD\s+/s, '')) as string[];

/** Hardening instructions of the final stage whose comment block above names no rule ID. */
export function uncommented(text: string): string[] {
  const lines = text.split('\n');
  return finalOf(text)
    .filter((i) => ['WORKDIR', 'USER', 'EXPOSE', 'HEALTHCHECK', 'ENTRYPOINT', 'COPY'].includes(i.getKeyword()) || /adduser|useradd|chmod/.test(i.getTextContent()))
    .filter((i) => {
      // The comment block above it, or above the run of same-keyword lines it belongs to.
      let l = i.getRange().start.line - 1;
      while (l >= 0 && lines[l]!.startsWith(`${i.getKeyword()} `)) l--;
      const comments: string[] = [];
      for (; l >= 0 && lines[l]!.startsWith('#'); l--) comments.push(lines[l]!);
      return !/\bD\d\d\b/.test(comments.join(' '));
    })
    .map((i) => i.getTextContent());
}
