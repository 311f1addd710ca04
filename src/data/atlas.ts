/**
 * The Destrieux (aparc.a2009s) parcellation of fsaverage5: one label per vertex
 * (left hemisphere 0..10241, then right 10242..20483) and the label → name table.
 */
import path from 'node:path';
import { InputError } from './errors';
import { readInputFile } from './io';
import { loadNpy } from './npy';

export const ATLAS_VERTICES = 20484;

export interface Atlas {
  /** Label of each vertex, left hemisphere then right. */
  labels: Int32Array;
  names: Map<number, string>;
  vertexCount: number;
  /** The name table the atlas was read from, for error messages. */
  source?: string;
}

function loadNames(file: string): Map<number, string> {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8').decode(readInputFile(file)));
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(file, `not valid JSON: ${(e as Error).message}`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new InputError(file, 'expected a JSON object mapping label numbers to names');
  }
  const names = new Map<number, string>();
  for (const [k, v] of Object.entries(json)) {
    if (!/^\d+$/.test(k)) throw new InputError(file, `key "${k}" is not a label number`);
    if (typeof v !== 'string' || v === '') throw new InputError(file, `label ${k} has no name (expected a non-empty string)`);
    names.set(Number(k), v);
  }
  return names;
}

export function loadDestrieux(dataDir: string): Atlas {
  const labelsFile = path.join(dataDir, 'atlas', 'destrieux_labels.npy');
  const namesFile = path.join(dataDir, 'atlas', 'destrieux_parcels.json');
  const arr = loadNpy(labelsFile);
  if (arr.dtype !== 'int32' || arr.shape.length !== 1 || arr.shape[0] !== ATLAS_VERTICES) {
    throw new InputError(
      labelsFile,
      `expected ${ATLAS_VERTICES.toLocaleString('en-US')} int32 labels (one per fsaverage5 vertex), got ${arr.dtype} of shape [${arr.shape.join(', ')}]`,
    );
  }
  const labels = arr.data as Int32Array;
  const names = loadNames(namesFile);
  for (let v = 0; v < labels.length; v++) {
    if (!names.has(labels[v])) {
      throw new InputError(namesFile, `label ${labels[v]} (used by vertex ${v} in ${labelsFile}) has no name`);
    }
  }
  return { labels, names, vertexCount: ATLAS_VERTICES, source: namesFile };
}

/**
 * Vertex indices of the named regions: for each name in the given order, its vertices
 * in ascending order, concatenated (the ROI order is meaningful to callers).
 */
export function verticesOf(atlas: Atlas, names: string[]): number[] {
  const byName = new Map<string, Set<number>>();
  for (const [label, name] of atlas.names) {
    if (!byName.has(name)) byName.set(name, new Set());
    byName.get(name)!.add(label);
  }
  const file = atlas.source ?? 'atlas';
  const seen = new Set<string>();
  const out: number[] = [];
  for (const name of names) {
    const wanted = byName.get(name);
    if (!wanted) throw new InputError(file, `unknown Destrieux region "${name}"`);
    // A region listed twice would repeat its vertices; that is a mistake in the list.
    if (seen.has(name)) throw new InputError(file, `region "${name}" is listed twice`);
    seen.add(name);
    for (let v = 0; v < atlas.labels.length; v++) if (wanted.has(atlas.labels[v])) out.push(v);
  }
  return out;
}
