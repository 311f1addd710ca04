/**
 * Electrode-to-vertex matching on the real fsaverage5 pial surfaces and the
 * bundle's 10-20 montage, against the independent NumPy values in
 * golden/electrodes.json (nearest vertex, distance, Destrieux label, patch size).
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDestrieux } from '../../src/data/atlas';
import type { Atlas } from '../../src/data/atlas';
import { loadHemisphere } from '../../src/data/gifti';
import { loadMontage } from '../../src/data/montage';
import { channelValues, joinHemispheres, matchElectrodes, patchAround } from '../../src/features/electrodes';
import type { ElectrodeMatch } from '../../src/features/electrodes';
import { BCI_PROGRAM, bciElectrodes, bciMask } from '../../src/cortex/bci';
import { GOLDEN, SHARED_DATA } from '../support';

const golden = JSON.parse(fs.readFileSync(path.join(GOLDEN, 'electrodes.json'), 'utf8')) as Record<string, { nearest_vertex: number; distance_mm: number; label: string; patch_10mm_vertices: number }>;

describe('virtual EEG electrodes on the real pial surface', () => {
  let pial: Float32Array;
  let atlas: Atlas;
  let matches: ElectrodeMatch[];
  beforeAll(() => {
    pial = joinHemispheres(loadHemisphere(path.join(SHARED_DATA, 'fsaverage5/pial_left.gii.gz')), loadHemisphere(path.join(SHARED_DATA, 'fsaverage5/pial_right.gii.gz')));
    atlas = loadDestrieux(SHARED_DATA);
    const electrodes = loadMontage(path.join(SHARED_DATA, 'eeg/fsaverage_1020.tsv')).filter((e) => !e.fiducial);
    matches = matchElectrodes(electrodes, pial, atlas, 10);
  });

  it('matches every electrode of the golden file: vertex, distance, label, vertices within 10 mm', () => {
    expect(matches.map((m) => m.label).sort()).toEqual(Object.keys(golden).sort());
    for (const m of matches) {
      const g = golden[m.label];
      expect(m.vertex, m.label).toBe(g.nearest_vertex);
      expect(m.distanceMm, m.label).toBeCloseTo(g.distance_mm, 2);
      expect(m.destrieux, m.label).toBe(g.label);
      expect(m.patch.length, m.label).toBe(g.patch_10mm_vertices);
    }
  });

  it('puts O1/O2 on occipital labels and T7/T8 on temporal ones, in the right hemisphere', () => {
    const by = new Map(matches.map((m) => [m.label, m]));
    for (const l of ['O1', 'O2']) expect(by.get(l)!.destrieux).toMatch(/occipital/i);
    for (const l of ['T7', 'T8']) expect(by.get(l)!.destrieux).toMatch(/temp/i);
    // Left-hemisphere electrodes (odd numbers) land on left vertices (0..10241), right ones on right.
    for (const l of ['O1', 'T7', 'C3', 'P7']) expect(by.get(l)!.vertex).toBeLessThan(10242);
    for (const l of ['O2', 'T8', 'C4', 'P8']) expect(by.get(l)!.vertex).toBeGreaterThanOrEqual(10242);
  });

  it('a patch is exactly the vertices within the radius (inclusive) of the matched vertex', () => {
    const m = matches.find((e) => e.label === 'Cz')!;
    const c = [pial[3 * m.vertex], pial[3 * m.vertex + 1], pial[3 * m.vertex + 2]];
    const dist = (v: number) => Math.hypot(pial[3 * v] - c[0], pial[3 * v + 1] - c[1], pial[3 * v + 2] - c[2]);
    const inside = new Set(m.patch);
    let outsideNearest = Infinity;
    for (let v = 0; v < pial.length / 3; v++) {
      if (inside.has(v)) expect(dist(v)).toBeLessThanOrEqual(10);
      else outsideNearest = Math.min(outsideNearest, dist(v));
    }
    expect(outsideNearest).toBeGreaterThan(10);
    expect(patchAround(pial, m.vertex, 0)).toEqual([m.vertex]);
    expect(patchAround(pial, m.vertex, 5).length).toBeLessThan(m.patch.length);
  });

  it('a channel is the mean over its patch and over time', () => {
    const V = 20484;
    const values = new Float32Array(2 * V);
    for (let v = 0; v < V; v++) {
      values[v] = v;
      values[V + v] = v + 2;
    }
    const patch = [3, 10, 20500 - 30];
    expect(channelValues(values, 2, V, [patch])[0]).toBeCloseTo((3 + 10 + 20470) / 3 + 1, 6);
  });

  it('the decoder reads 20 electrodes in 5 groups, all in the montage', () => {
    expect(bciElectrodes(BCI_PROGRAM)).toHaveLength(20);
    expect(matches.map((m) => m.label)).toEqual(expect.arrayContaining(bciElectrodes(BCI_PROGRAM)));
    const mask = bciMask(BCI_PROGRAM);
    const R = mask.size;
    const idx = (id: string) => BCI_PROGRAM.regions.findIndex((r) => r.id === id);
    expect(mask.allowed[idx('category') * R + idx('intent')]).toBe(1);
    expect(mask.allowed[idx('category') * R + idx('occipital')]).toBe(0);
    for (let i = 0; i < R; i++) expect(mask.allowed[i * R + i]).toBe(1);
  });
});
