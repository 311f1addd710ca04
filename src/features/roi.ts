/**
 * Per-region (ROI) features: which vertices each feature averages, and the
 * feature time series of a stimulus.
 */
import type { Atlas } from '../data/atlas';
import { verticesOf } from '../data/atlas';
import type { FeatureLayout, Topology } from '../cortex/compile';

/**
 * The vertex group of every feature. With one feature per leaf, a leaf's
 * feature is the mean over all its vertices. With K > 1, the leaf's vertices are
 * concatenated in ROI order, K centres `floor(linspace(0, n-1, K))` are taken,
 * and each feature averages the vertices `[max(0, c-2), c+3)` of that list —
 * the study's rule (five neighbours in list order, not in space).
 * Regions without vertices (sub-network nodes, prediction_error) get an empty
 * group: their feature is always zero.
 */
export function featureVertexGroups(topology: Topology, layout: FeatureLayout, atlas: Atlas): number[][] {
  const groups: number[][] = [];
  topology.regions.forEach((region, r) => {
    const [start, end] = layout.ranges[r];
    const count = end - start;
    if (region.kind !== 'leaf') {
      for (let k = 0; k < count; k++) groups.push([]);
      return;
    }
    const vertices = verticesOf(atlas, region.destrieux);
    if (count === 1) {
      groups.push(vertices);
      return;
    }
    for (const c of linspaceFloor(vertices.length - 1, count)) {
      groups.push(vertices.slice(Math.max(0, c - 2), c + 3));
    }
  });
  return groups;
}

/** `floor(numpy.linspace(0, stop, num))`, computed the way numpy does (start + k·step, last = stop). */
export function linspaceFloor(stop: number, num: number): number[] {
  const step = stop / (num - 1);
  return Array.from({ length: num }, (_, k) => (k === num - 1 ? stop : Math.floor(k * step)));
}

/**
 * Feature time series: `values` is a (T × V) row-major array of vertex values;
 * the result is (T × F), each entry the mean of the feature's vertex group at
 * that timestep (0 for an empty group).
 */
export function extractFeatures(values: ArrayLike<number>, timesteps: number, vertexCount: number, groups: number[][]): Float64Array {
  const F = groups.length;
  const out = new Float64Array(timesteps * F);
  for (let t = 0; t < timesteps; t++) {
    const base = t * vertexCount;
    for (let f = 0; f < F; f++) {
      const g = groups[f];
      if (g.length === 0) continue;
      let sum = 0;
      for (const v of g) sum += values[base + v];
      out[t * F + f] = sum / g.length;
    }
  }
  return out;
}
