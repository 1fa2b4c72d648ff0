/**
 * Facts read from the user's machine after the answers are known and before rendering, so that
 * rendering stays pure: who signs commits, and their SSH public key for .allowed_signers.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Answers } from './questions.js';
import type { Facts } from './render/index.js';
import { git } from './tools.js';

export function expandHome(path: string): string {
  return path === '~' ? homedir() : path.startsWith('~/') ? join(homedir(), path.slice(2)) : path;
}

export async function readFacts(a: Answers, cwd: string): Promise<Facts> {
  const placeholder = `${a.name}-maintainer@example.com`;
  // Only .allowed_signers (SSH signing) uses these: without it, spawning git would be wasted time.
  if (a.signing !== 'ssh') return { signerEmail: placeholder, signerPublicKey: null };
  const [email, signerPublicKey] = await Promise.all([git(['config', 'user.email'], cwd), readPublicKey(a.signingKey)]);
  const trimmed = email?.trim();
  const signerEmail = trimmed && /^[^\s"',;]+@[^\s"',;]+$/.test(trimmed) ? trimmed : placeholder;
  return { signerEmail, signerPublicKey };
}

/**
 * The key line, or null when the file is missing or is not one SSH public key. (A synchronous read
 * of one small file: node:fs/promises would be loaded for it alone, issue #6.)
 */
async function readPublicKey(path: string): Promise<string | null> {
  try {
    const text = readFileSync(expandHome(path), 'utf8').trim();
    const m = /^((?:ssh|ecdsa|sk)-[A-Za-z0-9@.-]+ [A-Za-z0-9+/=]+)(?: [^\n]*)?$/.exec(text);
    return m ? m[1]! : null;
  } catch {
    return null;
  }
}
