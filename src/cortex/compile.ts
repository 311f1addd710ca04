/**
 * Compiles the declared cortical program into the structures the models use:
 * the ordered region list, the region graph (who reads whom, with what weight),
 * and the feature-level mask.
 */
import type { CorticalProgram, Family, Operator, SubNetwork } from './program';
import { PREDICTION_ERROR } from './program';

export type EdgeKind = 'self' | 'hierarchy' | 'residual-hub' | 'pathway';

export interface RegionEdge {
  /** Index of the reading region (row of the matrix). */
  reader: number;
  /** Index of the region being read (column). */
  source: number;
  weight: number;
  kind: EdgeKind;
  op?: Operator;
}

export interface Region {
  id: string;
  /** The sub-network it belongs to, or `prediction_error` for the residual node. */
  group: SubNetwork | typeof PREDICTION_ERROR;
  kind: 'leaf' | 'subnetwork' | 'residual';
  family?: Family;
  destrieux: string[];
}

export interface Topology {
  regions: Region[];
  index: Map<string, number>;
  edges: RegionEdge[];
  /** Number of declared pathways (counted, never typed). */
  pathwayCount: number;
}

/**
 * Canvas order: `prediction_error`, then each sub-network node followed by its
 * leaves in declaration order.
 */
export function orderRegions(program: CorticalProgram): Region[] {
  const regions: Region[] = [{ id: PREDICTION_ERROR, group: PREDICTION_ERROR, kind: 'residual', family: 'residual', destrieux: [] }];
  for (const net of program.subnetworks) {
    regions.push({ id: net, group: net, kind: 'subnetwork', destrieux: [] });
    for (const leaf of program.leaves.filter((l) => l.subnetwork === net)) {
      regions.push({ id: leaf.id, group: net, kind: 'leaf', family: leaf.family, destrieux: [...leaf.destrieux] });
    }
  }
  return regions;
}

/**
 * Derives the region graph: a self-loop per region, each sub-network node ↔ its
 * leaves, `prediction_error` ↔ each sub-network node (all weight 1), plus the
 * declared pathways. A pathway naming an unknown region, or repeating an edge,
 * is a mistake in the program and is refused.
 */
export function compileTopology(program: CorticalProgram): Topology {
  const regions = orderRegions(program);
  const index = new Map(regions.map((r, i) => [r.id, i]));
  const edges: RegionEdge[] = [];
  const seen = new Map<string, EdgeKind>();
  const add = (reader: string, source: string, weight: number, kind: EdgeKind, op?: Operator) => {
    const a = index.get(reader);
    const b = index.get(source);
    if (a === undefined || b === undefined) {
      throw new Error(`cortical program: pathway ${reader} ← ${source} names an unknown region "${a === undefined ? reader : source}"`);
    }
    const key = `${a},${b}`;
    const before = seen.get(key);
    if (before) throw new Error(`cortical program: edge ${reader} ← ${source} is declared twice (${before} and ${kind})`);
    seen.set(key, kind);
    edges.push({ reader: a, source: b, weight, kind, ...(op ? { op } : {}) });
  };

  for (const r of regions) add(r.id, r.id, 1, 'self');
  for (const r of regions.filter((x) => x.kind === 'leaf')) {
    add(r.group, r.id, 1, 'hierarchy');
    add(r.id, r.group, 1, 'hierarchy');
  }
  for (const net of program.subnetworks) {
    add(PREDICTION_ERROR, net, 1, 'residual-hub');
    add(net, PREDICTION_ERROR, 1, 'residual-hub');
  }
  for (const p of program.pathways) add(p.reader, p.source, p.weight, 'pathway', p.op);

  edges.sort((x, y) => x.reader - y.reader || x.source - y.source);
  return { regions, index, edges, pathwayCount: program.pathways.length };
}

/** The region-level weight matrix (row = reader, column = source), 0 where no edge. */
export function regionMatrix(topology: Topology): Float64Array {
  const n = topology.regions.length;
  const m = new Float64Array(n * n);
  for (const e of topology.edges) m[e.reader * n + e.source] = e.weight;
  return m;
}

export interface FeatureLayout {
  /** Region index of each feature. */
  regionOf: number[];
  /** For each region, the range of its features `[start, end)`. */
  ranges: Array<[number, number]>;
  featuresPerLeaf: number;
}

/**
 * Lays out features in canvas order: `featuresPerLeaf` per leaf region and one
 * (always-zero) feature for each sub-network node and `prediction_error`,
 * which have no vertices of their own. With 8 per leaf: 16 × 8 + 7 = 135.
 */
export function featureLayout(topology: Topology, featuresPerLeaf: number): FeatureLayout {
  const regionOf: number[] = [];
  const ranges: Array<[number, number]> = [];
  topology.regions.forEach((r, i) => {
    const start = regionOf.length;
    const count = r.kind === 'leaf' ? featuresPerLeaf : 1;
    for (let k = 0; k < count; k++) regionOf.push(i);
    ranges.push([start, regionOf.length]);
  });
  return { regionOf, ranges, featuresPerLeaf };
}

export interface FeatureMask {
  size: number;
  /** Row-major `size × size`: weight with which feature i reads feature j, 0 if it may not. */
  weights: Float32Array;
  nonzeros: number;
}

/**
 * Feature i may read feature j iff their regions form a pair of the graph.
 * `weighted: false` gives every allowed connection weight 1 (the study's
 * 135-feature run); `weighted: true` carries the pathway weights (its 23-feature run).
 * `dense: true` allows every pair with weight 1 (the dense control).
 */
export function featureMask(
  topology: Topology,
  layout: FeatureLayout,
  opts: { weighted: boolean; dense?: boolean },
): FeatureMask {
  const n = topology.regions.length;
  const region = regionMatrix(topology);
  const size = layout.regionOf.length;
  const weights = new Float32Array(size * size);
  let nonzeros = 0;
  for (let i = 0; i < size; i++) {
    for (let j = 0; j < size; j++) {
      const w = opts.dense ? 1 : region[layout.regionOf[i] * n + layout.regionOf[j]];
      if (w !== 0) {
        weights[i * size + j] = opts.weighted || opts.dense ? w : 1;
        nonzeros++;
      }
    }
  }
  return { size, weights, nonzeros };
}

/** Each row divided by its sum, so a layer takes a weighted mean over the neighbours. */
export function rowNormalise(mask: FeatureMask): Float32Array {
  const { size, weights } = mask;
  const out = new Float32Array(size * size);
  for (let i = 0; i < size; i++) {
    let sum = 0;
    for (let j = 0; j < size; j++) sum += weights[i * size + j];
    for (let j = 0; j < size; j++) out[i * size + j] = sum > 0 ? weights[i * size + j] / sum : 0;
  }
  return out;
}
