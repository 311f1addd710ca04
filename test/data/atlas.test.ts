import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDestrieux, verticesOf } from '../../src/data/atlas';
import { DATA, expectInputError, npyBytes, tempDir } from './helpers';

/** A data folder holding atlas/destrieux_labels.npy (int32) and atlas/destrieux_parcels.json. */
function atlasDir(labels: Int32Array, json: string): string {
  const dir = tempDir('atlas-test');
  mkdirSync(path.join(dir, 'atlas'));
  const npy = npyBytes(`{'descr': '<i4', 'fortran_order': False, 'shape': (${labels.length},), }`, new Uint8Array(labels.buffer));
  writeFileSync(path.join(dir, 'atlas', 'destrieux_labels.npy'), npy);
  writeFileSync(path.join(dir, 'atlas', 'destrieux_parcels.json'), json);
  return dir;
}

describe('atlas: the real Destrieux parcellation', () => {
  const atlas = loadDestrieux(DATA);

  it('has 20,484 labels and the names table', () => {
    expect(atlas.vertexCount).toBe(20484);
    expect(atlas.labels.length).toBe(20484);
    expect(atlas.names.size).toBe(76);
    expect(atlas.names.get(0)).toBe('Unknown');
    expect(atlas.names.get(42)).toBe('Medial_wall');
    expect(atlas.names.get(45)).toBe('S_calcarine');
    expect(Array.from(atlas.labels.subarray(0, 5))).toEqual([29, 27, 8, 54, 4]);
  });

  it('S_calcarine: 375 vertices (198 left, 177 right), ascending, matching numpy', () => {
    const v = verticesOf(atlas, ['S_calcarine']);
    expect(v.length).toBe(375);
    expect(v.filter((i) => i < 10242).length).toBe(198);
    expect(v.slice(0, 3)).toEqual([7, 34, 91]);
    expect(v[198]).toBe(10273);
    expect(v[374]).toBe(19753);
    expect(v.every((x, i) => i === 0 || x > v[i - 1])).toBe(true);
    expect(verticesOf(atlas, ['Medial_wall']).length).toBe(1769);
  });

  it('keeps the ROI order as listed: each ROI ascending, then the next', () => {
    const v = verticesOf(atlas, ['S_calcarine', 'G_cuneus']);
    expect(v.length).toBe(375 + 189);
    expect(v[374]).toBe(19753);
    expect(v.slice(375, 378)).toEqual([139, 572, 573]); // G_cuneus restarts low
    const w = verticesOf(atlas, ['G_cuneus', 'S_calcarine']);
    expect(w.slice(0, 3)).toEqual([139, 572, 573]);
    expect(w[189]).toBe(7);
  });

  it('an unknown or repeated region name is refused', () => {
    expectInputError(() => verticesOf(atlas, ['S_calcarine', 'V1']), 'destrieux_parcels.json', 'unknown Destrieux region "V1"');
    expectInputError(() => verticesOf(atlas, ['G_cuneus', 'G_cuneus']), /region "G_cuneus" is listed twice/);
  });
});

describe('atlas: bad inputs', () => {
  const names = JSON.stringify({ 0: 'Unknown', 1: 'A', 2: 'B' });

  it('a wrong number of labels', () => {
    const dir = atlasDir(new Int32Array(642), names);
    expectInputError(() => loadDestrieux(dir), path.join(dir, 'atlas', 'destrieux_labels.npy'), /expected 20,484 int32 labels .* got int32 of shape \[642\]/);
  });

  it('a label without a name', () => {
    const labels = new Int32Array(20484).fill(1);
    labels[17] = 9;
    const dir = atlasDir(labels, names);
    expectInputError(() => loadDestrieux(dir), path.join(dir, 'atlas', 'destrieux_parcels.json'), /label 9 \(used by vertex 17 in .*\) has no name/);
  });

  it('bad JSON, a non-numeric key, a non-string name', () => {
    const labels = new Int32Array(20484);
    expectInputError(() => loadDestrieux(atlasDir(labels, '{"0": "Unknown",')), 'destrieux_parcels.json', /not valid JSON/);
    expectInputError(() => loadDestrieux(atlasDir(labels, '{"0": "Unknown", "x": "A"}')), /key "x" is not a label number/);
    expectInputError(() => loadDestrieux(atlasDir(labels, '{"0": 5}')), /label 0 has no name/);
    expectInputError(() => loadDestrieux(atlasDir(labels, '["Unknown"]')), /expected a JSON object/);
  });

  it('a data folder without the atlas', () => {
    const dir = tempDir('atlas-test');
    expectInputError(() => loadDestrieux(dir), path.join(dir, 'atlas', 'destrieux_labels.npy'), /not found/);
  });
});
