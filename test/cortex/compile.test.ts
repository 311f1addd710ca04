import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileTopology, featureLayout, featureMask, rowNormalise } from '../../src/cortex/compile';
import { CORTICAL_PROGRAM, LEAVES, PATHWAYS } from '../../src/cortex/program';

const golden = JSON.parse(fs.readFileSync(new URL('../../../shared/reference/golden/region_pairs.json', import.meta.url), 'utf8')) as {
  pairs: Array<[string, string, number]>;
};

describe('compileTopology', () => {
  const topology = compileTopology(CORTICAL_PROGRAM);

  it('orders the 23 regions as the study canvas', () => {
    expect(topology.regions.map((r) => r.id)).toEqual([
      'prediction_error', 'visual', 'visual.v1', 'visual.v2_v4', 'visual.fusiform', 'auditory', 'auditory.a1',
      'auditory.wernicke', 'language', 'language.broca', 'language.angular', 'language.temporal_mid', 'frontal',
      'frontal.prefrontal', 'frontal.motor', 'frontal.premotor', 'default_mode', 'default_mode.precuneus',
      'default_mode.cingulate', 'default_mode.temporal_pole', 'subcortical', 'subcortical.insula', 'subcortical.somatosensory',
    ]);
    expect(topology.regions.filter((r) => r.kind === 'leaf')).toHaveLength(16);
  });

  it('counts the declared pathways instead of trusting the prose (40, not 42)', () => {
    expect(topology.pathwayCount).toBe(PATHWAYS.length);
    expect(topology.pathwayCount).toBe(40);
  });

  it('derives 67 structural edges: 23 self-loops, 2 × 16 hierarchy, 2 × 6 residual hub', () => {
    const count = (k: string) => topology.edges.filter((e) => e.kind === k).length;
    expect(count('self')).toBe(23);
    expect(count('hierarchy')).toBe(2 * LEAVES.length);
    expect(count('residual-hub')).toBe(12);
    expect(topology.edges).toHaveLength(67 + 40);
  });

  it('matches the independent NumPy implementation pair for pair, with weights', () => {
    const ours = topology.edges.map((e) => `${topology.regions[e.reader].id}<-${topology.regions[e.source].id}:${e.weight}`).sort();
    const theirs = golden.pairs.map(([a, b, w]) => `${a}<-${b}:${w}`).sort();
    expect(ours).toEqual(theirs);
  });

  it('refuses a pathway to an unknown region and a repeated edge', () => {
    const bad = { ...CORTICAL_PROGRAM, pathways: [...PATHWAYS, { reader: 'visual.v1', source: 'visual.v9', op: 'predict' as const, weight: 1 }] };
    expect(() => compileTopology(bad)).toThrow(/unknown region "visual.v9"/);
    const twice = { ...CORTICAL_PROGRAM, pathways: [...PATHWAYS, PATHWAYS[0]] };
    expect(() => compileTopology(twice)).toThrow(/declared twice/);
  });
});

describe('featureMask', () => {
  const topology = compileTopology(CORTICAL_PROGRAM);

  it('has 135 features and 3,579 of 18,225 connections (19.6%)', () => {
    const layout = featureLayout(topology, 8);
    expect(layout.regionOf).toHaveLength(16 * 8 + 7);
    const mask = featureMask(topology, layout, { weighted: false });
    expect(mask.nonzeros).toBe(3579);
    expect(mask.size * mask.size).toBe(18225);
    expect((100 * mask.nonzeros) / 18225).toBeCloseTo(19.6, 1);
  });

  it('is the region graph itself with one feature per region', () => {
    const layout = featureLayout(topology, 1);
    const mask = featureMask(topology, layout, { weighted: true });
    expect(mask.nonzeros).toBe(107);
    // visual.v1 (2) reads language.angular (10) with the pathway weight 0.8
    expect(mask.weights[2 * 23 + 10]).toBeCloseTo(0.8, 6);
    // and not the other way round
    expect(mask.weights[10 * 23 + 2]).toBe(0);
  });

  it('weights every allowed connection 1 when unweighted, and all pairs when dense', () => {
    const layout = featureLayout(topology, 8);
    const unweighted = featureMask(topology, layout, { weighted: false });
    expect(new Set(unweighted.weights)).toEqual(new Set([0, 1]));
    const dense = featureMask(topology, layout, { weighted: false, dense: true });
    expect(dense.nonzeros).toBe(135 * 135);
  });

  it('row-normalises to a weighted mean', () => {
    const layout = featureLayout(topology, 1);
    const norm = rowNormalise(featureMask(topology, layout, { weighted: true }));
    for (let i = 0; i < 23; i++) {
      let s = 0;
      for (let j = 0; j < 23; j++) s += norm[i * 23 + j];
      expect(s).toBeCloseTo(1, 6);
    }
    // prediction_error reads itself and the 6 sub-network nodes, all weight 1: 1/7 each
    expect(norm[0]).toBeCloseTo(1 / 7, 6);
  });
});
