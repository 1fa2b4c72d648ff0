/**
 * Facts read from the user's machine after the answers are known and before rendering, so that
 * rendering stays pure: who signs commits, and their SSH public key for .allowed_signers.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Disk } from './disk.js';
import type { Manifest } from './manifest.js';
import type { AnswerKey, Answers } from './questions.js';
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
 * The facts to render with: the recorded ones, else this machine's. A recorded signer who had no
 * key then gets the key of whoever runs now, if they commit with that same email: the owner has
 * made one since, and without it .allowed_signers would trust none of the commits the post-steps
 * now sign. Anyone else's key is not put beside the owner's email. Nor is a key the project's
 * .allowed_signers (`signers`, its text) already trusts for that email, as the file tells its
 * owner to add it: rendered again, update would merge a second copy of their line into theirs.
 */
export async function factsToRender(answers: Answers, recorded: Facts | undefined, machine: () => Promise<Facts>, signers: () => Promise<string | undefined>): Promise<Facts> {
  if (!recorded) return machine();
  const kept = { signerEmail: recorded.signerEmail, signerPublicKey: recorded.signerPublicKey };
  if (kept.signerPublicKey !== null || answers.signing !== 'ssh') return kept;
  const now = await machine();
  if (now.signerPublicKey === null || now.signerEmail !== kept.signerEmail) return kept;
  return trusts(await signers(), now.signerEmail, now.signerPublicKey) ? kept : now;
}

/** Whether an allowed-signers text has a line trusting `key` for `email` (ssh-keygen(1), ALLOWED SIGNERS). */
export function trusts(text: string | undefined, email: string, key: string): boolean {
  const [type, blob] = key.split(' ');
  return (text ?? '').split(/\r?\n/).some((line) => {
    const fields = line.trim().split(/\s+/);
    if (fields[0]!.startsWith('#') || !fields[0]!.split(',').includes(email)) return false;
    return fields.some((field, i) => field === type && fields[i + 1] === blob);
  });
}

/** The text of the .allowed_signers in `folder` (where the signing part writes it), or undefined when there is none to read. */
export async function signersAt(folder: string, disk: Disk): Promise<string | undefined> {
  try {
    return (await disk.readFile(join(folder, '.allowed_signers'))).toString('utf8');
  } catch {
    return undefined;
  }
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

/**
 * The facts a project recorded, to render with again: those its manifest holds, else (a manifest
 * from before they were recorded) the ones read back from its .allowed_signers base copy. Read from
 * the machine instead, they would be whoever runs update or add: a teammate's email put on the
 * owner's key (or their key in its place), silently, in the file that says whose signatures to
 * trust. Undefined, so the machine is read, when none were recorded or an answer they were read
 * for changed (another signing mode or key, or the name the placeholder email is made of).
 */
export function recordedFacts(recorded: Facts | undefined, signersBase: string | undefined, changed: (key: AnswerKey) => boolean): Facts | undefined {
  if (factAnswers.some(changed)) return undefined;
  return recorded ?? factsOfSigners(signersBase);
}

const factAnswers: readonly AnswerKey[] = ['signing', 'signingKey', 'name'];

/**
 * recordedFacts for a project's manifest at `root`, by add and a create run again: an answer they
 * were read for changed when `answers` gives it another value than the recorded one.
 */
export async function factsOfManifest(manifest: Manifest, root: string, disk: Disk, answers: Answers | undefined): Promise<Facts | undefined> {
  const was = manifest.answers as unknown as Record<string, unknown>;
  const changed = (key: AnswerKey) => answers !== undefined && key in was && was[key] !== answers[key];
  // Only a manifest from before facts were recorded needs its base copy (and update's reader).
  const entry = manifest.facts ? undefined : manifest.files.find((f) => f.id === 'allowed-signers');
  const base = entry && (await (await import('./update/state.js')).readBase(root, entry, disk));
  return recordedFacts(manifest.facts, base, changed);
}

/** The signer's email and public key an .allowed_signers base copy was rendered with (exactly what was rendered). */
export function factsOfSigners(base: string | undefined): Facts | undefined {
  if (base === undefined) return undefined;
  const keyLine = /^([^\s"',;#]+@[^\s"',;]+) namespaces="git" ((?:ssh|ecdsa|sk)-[A-Za-z0-9@.-]+ [A-Za-z0-9+/=]+) \S+$/m.exec(base);
  if (keyLine) return { signerEmail: keyLine[1]!, signerPublicKey: keyLine[2]! };
  // No key was found then: the email is in the commands the file gives to add one (quoted by sh()).
  const noKey = /^#\s+ssh-keygen -t ed25519 -C (?:'([^']+)'|(\S+)) -f /m.exec(base);
  return noKey ? { signerEmail: (noKey[1] ?? noKey[2])!, signerPublicKey: null } : undefined;
}
