/**
 * From model features back to the cortex: which vertices show which feature.
 *
 * A leaf region's features were computed from its vertex list (its Destrieux
 * parcels' vertices concatenated in order, both hemispheres). With one feature
 * per leaf the feature is the mean of all of them, so every vertex of the leaf
 * shows it. With K features per leaf, feature k averages the 5 list entries
 * around centre c_k = floor(linspace(0, n−1, K))[k]; to paint the whole leaf
 * each vertex shows the feature whose centre is nearest to its position in
 * that list (list order, not distance on the surface: the features know no
 * more than that). Regions without vertices (sub-network nodes,
 * prediction_error) and vertices outside every leaf get no value (NaN).
 */
import type { Atlas } from '../data/atlas';
import { verticesOf } from '../data/atlas';
import type { FeatureLayout, Topology } from '../cortex/compile';
import { linspaceFloor } from '../features/roi';

/** Feature index shown by each vertex, −1 for none. */
export function vertexFeatureMap(topology: Topology, layout: FeatureLayout, atlas: Atlas): Int32Array {
  const map = new Int32Array(atlas.vertexCount).fill(-1);
  topology.regions.forEach((region, r) => {
    if (region.kind !== 'leaf') return;
    const [start, end] = layout.ranges[r];
    const K = end - start;
    const list = verticesOf(atlas, region.destrieux);
    const centres = K === 1 ? [0] : linspaceFloor(list.length - 1, K);
    list.forEach((v, p) => {
      let best = 0;
      for (let k = 1; k < K; k++) if (Math.abs(p - centres[k]) < Math.abs(p - centres[best])) best = k;
      map[v] = start + best;
    });
  });
  return map;
}

/** Vertex values from feature values (NaN where a vertex shows no feature). */
export function paintFeatures(features: ArrayLike<number>, map: Int32Array): Float32Array {
  const out = new Float32Array(map.length);
  for (let v = 0; v < map.length; v++) out[v] = map[v] >= 0 ? features[map[v]] : NaN;
  return out;
}

/** Region index shown by each vertex (leaves only), −1 for none. */
export function vertexRegionMap(topology: Topology, atlas: Atlas): Int32Array {
  const map = new Int32Array(atlas.vertexCount).fill(-1);
  topology.regions.forEach((region, r) => {
    if (region.kind === 'leaf') for (const v of verticesOf(atlas, region.destrieux)) map[v] = r;
  });
  return map;
}
