/**
 * Virtual EEG: each 10-20 electrode is matched to its nearest pial vertex
 * (both hemispheres, fsaverage5 numbering: left 0..10241, right 10242..20483),
 * and its channel is the mean prediction over every pial vertex within a
 * radius of that vertex (inclusive), averaged over time for a time series.
 */
import type { Atlas } from '../data/atlas';
import type { Electrode } from '../data/montage';
import type { Surface } from '../data/gifti';

export interface ElectrodeMatch {
  label: string;
  /** Position in mm (montage frame = surface frame). */
  position: [number, number, number];
  vertex: number;
  distanceMm: number;
  /** Destrieux name of the matched vertex. */
  destrieux: string;
  /** Every pial vertex within the radius of the matched vertex, ascending. */
  patch: number[];
}

/** Both hemispheres' pial coordinates as one (20484 × 3) array in the atlas's vertex order. */
export function joinHemispheres(left: Surface, right: Surface): Float32Array {
  const out = new Float32Array((left.vertexCount + right.vertexCount) * 3);
  out.set(left.coords, 0);
  out.set(right.coords, left.vertexCount * 3);
  return out;
}

function nearest(coords: Float32Array, p: readonly number[]): { vertex: number; distance: number } {
  let best = -1;
  let bestD = Infinity;
  for (let v = 0; v < coords.length / 3; v++) {
    const d = (coords[3 * v] - p[0]) ** 2 + (coords[3 * v + 1] - p[1]) ** 2 + (coords[3 * v + 2] - p[2]) ** 2;
    if (d < bestD) {
      bestD = d;
      best = v;
    }
  }
  return { vertex: best, distance: Math.sqrt(bestD) };
}

export function patchAround(coords: Float32Array, vertex: number, radiusMm: number): number[] {
  const c = [coords[3 * vertex], coords[3 * vertex + 1], coords[3 * vertex + 2]];
  const r2 = radiusMm * radiusMm;
  const out: number[] = [];
  for (let v = 0; v < coords.length / 3; v++) {
    const d = (coords[3 * v] - c[0]) ** 2 + (coords[3 * v + 1] - c[1]) ** 2 + (coords[3 * v + 2] - c[2]) ** 2;
    if (d <= r2) out.push(v);
  }
  return out;
}

export function matchElectrodes(electrodes: readonly Electrode[], pial: Float32Array, atlas: Atlas, radiusMm: number): ElectrodeMatch[] {
  return electrodes.map((e) => {
    const p: [number, number, number] = [e.x, e.y, e.z];
    const { vertex, distance } = nearest(pial, p);
    return { label: e.label, position: p, vertex, distanceMm: distance, destrieux: atlas.names.get(atlas.labels[vertex]) ?? 'unknown', patch: patchAround(pial, vertex, radiusMm) };
  });
}

/** One value per channel: the mean over the patch's vertices and over all timesteps. */
export function channelValues(values: ArrayLike<number>, timesteps: number, vertexCount: number, patches: ReadonlyArray<readonly number[]>): number[] {
  return patches.map((patch) => {
    let sum = 0;
    for (let t = 0; t < timesteps; t++) for (const v of patch) sum += values[t * vertexCount + v];
    return sum / (patch.length * timesteps);
  });
}
