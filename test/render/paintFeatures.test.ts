import { describe, expect, it } from 'vitest';
import { loadDestrieux } from '../../src/data/atlas';
import { compileTopology, featureLayout } from '../../src/cortex/compile';
import { CORTICAL_PROGRAM } from '../../src/cortex/program';
import { extractFeatures, featureVertexGroups } from '../../src/features/roi';
import { paintFeatures, vertexFeatureMap, vertexRegionMap } from '../../src/render/paintFeatures';
import { SHARED_DATA } from '../support';

const atlas = loadDestrieux(SHARED_DATA);
const topology = compileTopology(CORTICAL_PROGRAM);

describe('painting features on the cortex', () => {
  for (const perLeaf of [1, 8]) {
    it(`${perLeaf} per leaf: extracting features from the painted surface gives back the features of every leaf`, () => {
      const layout = featureLayout(topology, perLeaf);
      const F = layout.regionOf.length;
      const features = Array.from({ length: F }, (_, f) => Math.sin(f + 1));
      const painted = paintFeatures(features, vertexFeatureMap(topology, layout, atlas));
      const groups = featureVertexGroups(topology, layout, atlas);
      const back = extractFeatures(painted, 1, atlas.vertexCount, groups);
      groups.forEach((g, f) => {
        if (g.length) expect(back[f]).toBeCloseTo(features[f], 6);
      });
    });
  }

  it('8 per leaf: each feature shows on about 1/8 of its leaf, in contiguous runs of the leaf list', () => {
    const layout = featureLayout(topology, 8);
    const map = vertexFeatureMap(topology, layout, atlas);
    const regions = vertexRegionMap(topology, atlas);
    const leaf = topology.regions.findIndex((r) => r.kind === 'leaf');
    const [start] = layout.ranges[leaf];
    const n = regions.filter((r) => r === leaf).length;
    for (let k = 0; k < 8; k++) {
      const count = map.filter((f) => f === start + k).length;
      expect(count).toBeGreaterThan(n / 16);
      expect(count).toBeLessThan(n / 4);
    }
  });

  it('vertices outside every leaf and regions without vertices get no value', () => {
    const layout = featureLayout(topology, 1);
    const map = vertexFeatureMap(topology, layout, atlas);
    const medialWall = [...atlas.names].find(([, n]) => n === 'Medial_wall')![0];
    const v = atlas.labels.indexOf(medialWall);
    expect(map[v]).toBe(-1);
    expect(Number.isNaN(paintFeatures(new Array(layout.regionOf.length).fill(1), map)[v])).toBe(true);
    const nonLeaf = topology.regions.map((r, i) => (r.kind === 'leaf' ? -1 : i)).filter((i) => i >= 0);
    for (const r of nonLeaf) expect(map.includes(layout.ranges[r][0])).toBe(false);
  });
});
