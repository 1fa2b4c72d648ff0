/**
 * The parts a project is made of, in the order they are rendered and reported. A new kind of
 * output is one module here plus its template folder.
 */
import { appPart } from './app.js';
import { composePart } from './compose.js';
import { dockerPart } from './docker.js';
import { nomadPart } from './nomad.js';
import type { Part, PartId } from './part.js';
import { projectPart } from './project.js';
import { signingPart } from './signing.js';
import { vaultPart } from './vault.js';

export const parts: readonly Part[] = [appPart, dockerPart, composePart, nomadPart, vaultPart, signingPart, projectPart];

export function getPart(id: PartId): Part {
  const part = parts.find((p) => p.id === id);
  if (!part) throw new Error(`unknown part ${id}`);
  return part;
}

export type { OutputFile, Part, PartId, Strategy } from './part.js';
