/**
 * The manifest records what was generated, so later runs (update, add, check) know which files
 * are ours and what we last wrote: generator version, answers (never secret values), and for each
 * file a stable ID, path, mode and hash. `.secure-service/base/<id>` holds the exact bytes.
 */
import { createHash } from 'node:crypto';
import type { Answers } from './questions.js';
import type { FileTree, RenderedFile } from './render/index.js';

export const STATE_DIR = '.secure-service';
export const MANIFEST_PATH = `${STATE_DIR}/manifest.json`;
export const BASE_DIR = `${STATE_DIR}/base`;

export interface ManifestFile {
  id: string;
  path: string;
  part: string;
  mode: string;
  strategy: string;
  sha256: string;
}

export interface Manifest {
  generator: 'create-secure-service';
  version: string;
  answers: Answers;
  files: ManifestFile[];
}

export function sha256(content: string | Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

/** A file name for an output ID that is safe on every file system and unique per ID. */
export function baseFileName(id: string): string {
  return id.replace(/[^A-Za-z0-9._-]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

export function buildManifest(tree: FileTree, answers: Answers, version: string): Manifest {
  const files = [...tree.values()].map((f) => ({
    id: f.id,
    path: f.path,
    part: f.part,
    mode: f.mode.toString(8).padStart(4, '0'),
    strategy: f.strategy,
    sha256: sha256(f.content),
  }));
  return { generator: 'create-secure-service', version, answers, files };
}

/** The rendered tree plus the manifest and one base copy per file: what a run writes. */
export function withManifest(tree: FileTree, answers: Answers, version: string): FileTree {
  const out: FileTree = new Map(tree);
  const manifest = buildManifest(tree, answers, version);
  const tool = (id: string, path: string, content: string): RenderedFile => ({ id, part: 'project', path, content, mode: 0o644, strategy: 'owned' });
  for (const f of tree.values()) {
    const path = `${BASE_DIR}/${baseFileName(f.id)}`;
    out.set(path, tool(`base:${f.id}`, path, f.content));
  }
  out.set(MANIFEST_PATH, tool('manifest', MANIFEST_PATH, `${JSON.stringify(manifest, null, 2)}\n`));
  return out;
}

/** Paths the tool owns outright: rewriting them never needs the user's consent. */
export function isToolState(path: string): boolean {
  return path === MANIFEST_PATH || path.startsWith(`${BASE_DIR}/`);
}
