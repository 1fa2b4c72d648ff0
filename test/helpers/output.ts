import type { Output } from '../../src/index.js';
import type { Ui } from '../../src/ui.js';

/** Streams for main() that record what the CLI prints (it writes to fds 1 and 2 otherwise). */
export function captureOutput(): { output: Output; stdout: () => string; stderr: () => string } {
  const sink = (into: string[]) => ({ isTTY: false, write: (chunk: string | Uint8Array) => (into.push(String(chunk)), true), on() {} }) as unknown as NodeJS.WriteStream;
  const out: string[] = [];
  const err: string[] = [];
  return { output: { stdout: sink(out), stderr: sink(err) }, stdout: () => out.join(''), stderr: () => err.join('') };
}

/** A Ui that prints nothing and runs each step as it is: for code that reports through one. */
export const silentUi: Ui = {
  info: () => {},
  warn: () => {},
  error: () => {},
  step: (_label, fn) => fn(),
  color: { bold: (s) => s, dim: (s) => s, green: (s) => s, yellow: (s) => s, red: (s) => s, cyan: (s) => s },
};
