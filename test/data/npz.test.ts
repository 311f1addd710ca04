import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/data/errors';
import { loadNpz, loadNpzArray } from '../../src/data/npz';
import { DATA, expectInputError, FIXTURES, npyBytes, tempDir } from './helpers';

const CLIP = `${DATA}/tribev2/ansumanbhujabal/clip_001.npz`;

describe('npz: real reference files (stored entries)', () => {
  it("clip_001.npz 'preds' is 10 x 20484 float32 with numpy's values", () => {
    const a = loadNpzArray(CLIP, 'preds');
    expect(a.dtype).toBe('float32');
    expect(a.shape).toEqual([10, 20484]);
    expect(a.data[0]).toBeCloseTo(0.23989902, 7);
    expect(a.data[3 * 20484 + 1234]).toBeCloseTo(0.6372466, 7);
    expect(a.data[9 * 20484 + 20483]).toBeCloseTo(0.07558923, 7);
  });

  it('loadNpz returns every key of condition_means.npz', () => {
    const m = loadNpz(`${DATA}/tribev2/tinycrops/condition_means.npz`);
    expect([...m.keys()].sort()).toEqual(['sentences', 'wordlists']);
    expect(m.get('sentences')!.shape).toEqual([20484]);
    expect(m.get('sentences')!.data[0]).toBeCloseTo(0.21761179, 7);
    expect(m.get('wordlists')!.data[100]).toBeCloseTo(0.08806281, 7);
  });
});

describe('npz: deflated archive from numpy.savez_compressed', () => {
  const file = path.join(FIXTURES, 'compressed.npz');

  it('reads a Fortran-order big-endian float64, an int32 and a float32 entry', () => {
    const m = loadNpz(file);
    expect([...m.keys()].sort()).toEqual(['a', 'b', 'preds']);
    expect(m.get('a')!.dtype).toBe('float64');
    expect(m.get('a')!.shape).toEqual([2, 3]);
    expect(Array.from(m.get('a')!.data)).toEqual([1, 2, 3, 4, 5, 6.5]);
    expect(Array.from(m.get('b')!.data)).toEqual([-2, -1, 0, 1, 2]);
    const p = loadNpzArray(file, 'preds');
    expect(p.shape).toEqual([4, 5]);
    expect(p.data[19]).toBe(Math.fround(19 / 3));
  });
});

describe('npz: bad inputs', () => {
  const good = npyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", new Uint8Array(8));

  it('a missing key lists the keys present', () => {
    expectInputError(() => loadNpzArray(CLIP, 'pred'), CLIP, 'no array "pred" in the archive; keys present: "preds"');
  });

  it('refuses entries escaping the archive (zip slip)', () => {
    const dir = tempDir('npz-test');
    const slip = path.join(dir, 'slip.npz');
    writeFileSync(slip, zipSync({ 'x.npy': good, '../evil.npy': good }));
    expectInputError(() => loadNpz(slip), slip, /refusing archive entry "\.\.\/evil\.npy": the name contains "\.\."/);
    expectInputError(() => loadNpzArray(slip, 'x'), slip, /\.\.\/evil\.npy/);
    const abs = path.join(dir, 'abs.npz');
    writeFileSync(abs, zipSync({ '/etc/evil.npy': good }));
    expectInputError(() => loadNpz(abs), abs, /"\/etc\/evil\.npy": the name is an absolute path/);
  });

  it('refuses a file that is not a zip', () => {
    const dir = tempDir('npz-test');
    const p = path.join(dir, 'plain.npz');
    writeFileSync(p, good);
    expectInputError(() => loadNpz(p), p, /not a zip archive/);
  });

  it('refuses a corrupt zip', () => {
    const dir = tempDir('npz-test');
    const p = path.join(dir, 'cut.npz');
    const zip = zipSync({ 'x.npy': good });
    writeFileSync(p, zip.subarray(0, zip.length - 30));
    expectInputError(() => loadNpz(p), p, /corrupt zip archive/);
  });

  it('a bad array inside names the archive and the key', () => {
    const dir = tempDir('npz-test');
    const p = path.join(dir, 'bad.npz');
    writeFileSync(p, zipSync({ 'ok.npy': good, 'short.npy': good.subarray(0, good.length - 4) }, { level: 6 }));
    expect(loadNpzArray(p, 'ok').shape).toEqual([2]);
    expectInputError(() => loadNpzArray(p, 'short'), `${p}:short: truncated`);
    expect(() => loadNpz(p)).toThrow(InputError);
  });

  it('missing file and directory', () => {
    const dir = tempDir('npz-test');
    mkdirSync(path.join(dir, 'd.npz'));
    expectInputError(() => loadNpz(path.join(dir, 'none.npz')), path.join(dir, 'none.npz'), /not found/);
    expectInputError(() => loadNpzArray(path.join(dir, 'd.npz'), 'x'), path.join(dir, 'd.npz'), /is a directory/);
  });
});
