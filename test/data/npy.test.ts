import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/data/errors';
import { loadNpy, parseNpy } from '../../src/data/npy';
import { DATA, expectInputError, FIXTURES, npyBytes, tempDir } from './helpers';

const FIX = FIXTURES;

describe('npy: real reference files', () => {
  it('reads pred_A.npy (34 x 20484 float32) with values matching numpy', () => {
    const a = loadNpy(`${DATA}/tribev2/aniketmallick/pred_A.npy`);
    expect(a.dtype).toBe('float32');
    expect(a.shape).toEqual([34, 20484]);
    expect(a.data).toBeInstanceOf(Float32Array);
    expect(a.data.length).toBe(34 * 20484);
    expect(a.data[0]).toBeCloseTo(0.08502065, 7);
    expect(a.data[10 * 20484 + 500]).toBeCloseTo(-0.051102392, 7);
    expect(a.data[33 * 20484 + 20483]).toBeCloseTo(0.111237235, 7);
  });

  it('reads the int32 Destrieux labels', () => {
    const a = loadNpy(`${DATA}/atlas/destrieux_labels.npy`);
    expect(a.dtype).toBe('int32');
    expect(a.shape).toEqual([20484]);
    expect(Array.from(a.data.subarray(0, 5))).toEqual([29, 27, 8, 54, 4]);
  });
});

describe('npy: layouts and dtypes (fixtures written by numpy)', () => {
  it('big-endian float32', () => {
    const a = loadNpy(path.join(FIX, 'be_f4.npy'));
    expect(a.dtype).toBe('float32');
    expect(a.shape).toEqual([2, 3]);
    expect(Array.from(a.data)).toEqual([1.5, -2.25, Math.fround(3e-5), 4, 5, -6.125]);
  });

  it('Fortran-order float64 (3-D) is converted to C order', () => {
    const a = loadNpy(path.join(FIX, 'fortran_f8.npy'));
    expect(a.dtype).toBe('float64');
    expect(a.data).toBeInstanceOf(Float64Array);
    expect(a.shape).toEqual([2, 3, 4]);
    // numpy: np.arange(24).reshape(2,3,4)/8 - 1, raveled in C order
    expect(Array.from(a.data)).toEqual(Array.from({ length: 24 }, (_, i) => i / 8 - 1));
  });

  it('big-endian int32 including the extremes', () => {
    const a = loadNpy(path.join(FIX, 'be_i4.npy'));
    expect(a.dtype).toBe('int32');
    expect(Array.from(a.data)).toEqual([-7, 0, 2147483647, -2147483648]);
  });

  it('Fortran-order big-endian int32 (2-D)', () => {
    const a = loadNpy(path.join(FIX, 'fortran_be_i4.npy'));
    expect(a.shape).toEqual([3, 2]);
    expect(Array.from(a.data)).toEqual([1, 2, 3, 4, 5, -6]);
  });

  it('format versions 2.0 and 3.0', () => {
    for (const v of [2, 3]) {
      const a = loadNpy(path.join(FIX, `v${v}_f4.npy`));
      expect(a.shape).toEqual([3]);
      expect(Array.from(a.data)).toEqual([0.25, -1, 1e10]);
    }
  });

  it('copies into an aligned buffer even when the input is at an odd offset', () => {
    const inner = npyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", new Uint8Array(new Float32Array([7, -8]).buffer));
    const shifted = new Uint8Array(inner.length + 1);
    shifted.set(inner, 1);
    const a = parseNpy(shifted.subarray(1), 'mem.npy');
    expect(Array.from(a.data)).toEqual([7, -8]);
  });

  it('0-d and empty arrays', () => {
    const scalar = parseNpy(npyBytes("{'descr': '<f8', 'fortran_order': False, 'shape': (), }", new Uint8Array(new Float64Array([2.5]).buffer)), 's.npy');
    expect(scalar.shape).toEqual([]);
    expect(Array.from(scalar.data)).toEqual([2.5]);
    const empty = parseNpy(npyBytes("{'descr': '<i4', 'fortran_order': False, 'shape': (0, 5), }"), 'e.npy');
    expect(empty.shape).toEqual([0, 5]);
    expect(empty.data.length).toBe(0);
  });
});

describe('npy: bad inputs', () => {
  const f4 = "{'descr': '<f4', 'fortran_order': False, 'shape': (10, 20484), }";

  it('truncated data', () => {
    expectInputError(
      () => parseNpy(npyBytes(f4, new Uint8Array(1000)), 'short.npy'),
      'short.npy',
      'truncated: header declares 204840 float32 values (819360 bytes) but only 1000 bytes follow',
    );
  });

  it('a huge declared shape fails fast, without allocating', () => {
    const t0 = Date.now();
    expectInputError(
      () => parseNpy(npyBytes("{'descr': '<f8', 'fortran_order': False, 'shape': (1000000, 1000000), }", new Uint8Array(16)), 'huge.npy'),
      'huge.npy',
      /declares 1000000000000 float64 values \(8000000000000 bytes\) but only 16 bytes follow/,
    );
    expect(Date.now() - t0).toBeLessThan(1000);
  });

  it('trailing bytes after the declared data', () => {
    expectInputError(
      () => parseNpy(npyBytes("{'descr': '<i4', 'fortran_order': False, 'shape': (2,), }", new Uint8Array(12)), 'long.npy'),
      'long.npy',
      /trailing data: .*8 bytes.* but 12 bytes follow/,
    );
  });

  it('unsupported dtypes are named', () => {
    expectInputError(() => parseNpy(npyBytes("{'descr': '<i8', 'fortran_order': False, 'shape': (2,), }", new Uint8Array(16)), 'i8.npy'), 'i8.npy', "unsupported dtype '<i8'");
    expectInputError(() => parseNpy(npyBytes("{'descr': '|O', 'fortran_order': False, 'shape': (2,), }", new Uint8Array(16)), 'obj.npy'), 'obj.npy', /'\|O' \(object arrays\)/);
    expectInputError(
      () => parseNpy(npyBytes("{'descr': [('x', '<f4'), ('y', '<f4')], 'fortran_order': False, 'shape': (2,), }", new Uint8Array(16)), 'rec.npy'),
      'rec.npy',
      /structured/,
    );
  });

  it('bad magic', () => {
    expectInputError(() => parseNpy(new TextEncoder().encode('PK\x03\x04 this is a zip, not an npy'), 'x.npy'), 'x.npy', /bad magic/);
  });

  it('unsupported version', () => {
    const b = npyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (0,), }");
    b[6] = 4;
    expectInputError(() => parseNpy(b, 'v4.npy'), 'v4.npy', /unsupported \.npy format version 4\.0/);
  });

  it('unparsable header', () => {
    expectInputError(() => parseNpy(npyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (3, "), 'h.npy'), 'h.npy', /unparsable \.npy header/);
    expectInputError(() => parseNpy(npyBytes("{'descr': '<f4', 'shape': (3,), }"), 'h2.npy'), 'h2.npy', /fortran_order/);
  });

  it('negative and non-integer shape entries', () => {
    expectInputError(() => parseNpy(npyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (-3, 2), }"), 'neg.npy'), 'neg.npy', /bad shape entry -3/);
    expectInputError(() => parseNpy(npyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (2.5,), }"), 'frac.npy'), 'frac.npy', /bad shape entry 2\.5/);
  });

  it('a header length running past the end of the file', () => {
    const b = npyBytes(f4).subarray(0, 40);
    expectInputError(() => parseNpy(b, 'cut.npy'), 'cut.npy', /truncated/);
  });

  it('missing file and directory', () => {
    const dir = tempDir('npy-test');
    mkdirSync(path.join(dir, 'sub.npy'));
    expectInputError(() => loadNpy(path.join(dir, 'nope.npy')), path.join(dir, 'nope.npy'), /not found/);
    expectInputError(() => loadNpy(path.join(dir, 'sub.npy')), path.join(dir, 'sub.npy'), /is a directory/);
  });

  it('loadNpy names the file of a bad file on disk', () => {
    const dir = tempDir('npy-test');
    const p = path.join(dir, 'trunc.npy');
    writeFileSync(p, npyBytes(f4, new Uint8Array(1000)));
    expect(() => loadNpy(p)).toThrow(InputError);
    expect(() => loadNpy(p)).toThrow(`${p}: truncated`);
  });
});
