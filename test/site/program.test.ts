/**
 * experiments/program.json, the compiled program the architecture page draws:
 * vertex counts against the independent NumPy feature map, the mask against
 * the golden non-zero counts, and a rewrite only when something changed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDestrieux } from '../../src/data/atlas';
import { compileProgramReport, writeProgramFile } from '../../src/pipeline/program';
import { CORTICAL_PROGRAM } from '../../src/cortex/program';
import { GOLDEN, REPO_ROOT, SHARED_DATA } from '../support';

const atlas = loadDestrieux(SHARED_DATA);
const golden23 = JSON.parse(fs.readFileSync(path.join(GOLDEN, 'feature_map_23.json'), 'utf8')) as Array<{ region: string; vertices: number[] }>;
const summary = JSON.parse(fs.readFileSync(path.join(GOLDEN, 'summary.json'), 'utf8'));
const ctx = { manifestHash: 'test', root: REPO_ROOT };

describe('program report', () => {
  const report = compileProgramReport(CORTICAL_PROGRAM, atlas, ctx);

  it('gives each region the vertex count of the independent implementation, split by hemisphere', () => {
    expect(report.results.regions.map((r) => [r.id, r.vertices])).toEqual(golden23.map((f) => [f.region, f.vertices.length]));
    for (const [i, r] of report.results.regions.entries()) {
      expect(r.verticesLeft).toBe(golden23[i].vertices.filter((v) => v < 10242).length);
      expect(r.verticesLeft + r.verticesRight).toBe(r.vertices);
    }
  });

  it('carries the masks with the golden non-zero counts, row by row', () => {
    for (const [key, features] of [['features_135', 135], ['features_23', 23]] as const) {
      const mask = report.results.masks.find((m) => m.features === features)!;
      expect(mask.connections).toBe(summary[key].mask_nonzeros);
      expect(mask.connectionsTotal).toBe(summary[key].mask_total);
      expect(mask.rows).toHaveLength(features);
      expect(mask.rows.join('').split('').filter((c) => c === '1')).toHaveLength(summary[key].mask_nonzeros);
      expect(mask.density).toBeCloseTo(summary[key].mask_nonzeros / summary[key].mask_total, 12);
    }
    expect(report.results.regionPairs).toBe(summary.region_pairs);
    expect(report.results.pathwayCount).toBe(40);
    expect(report.results.regions.find((r) => r.id === 'frontal.prefrontal')!.tags).toEqual(['belief', 'goal']);
  });

  it('writes the file once and leaves it untouched when nothing changed', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'program-'));
    expect(writeProgramFile(dir, atlas, ctx).changed).toBe(true);
    const before = fs.statSync(path.join(dir, 'program.json')).mtimeMs;
    expect(writeProgramFile(dir, atlas, ctx).changed).toBe(false);
    expect(fs.statSync(path.join(dir, 'program.json')).mtimeMs).toBe(before);
    expect(writeProgramFile(dir, atlas, { ...ctx, manifestHash: 'other' }).changed).toBe(true);
  });
});
