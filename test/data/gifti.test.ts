import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync, zlibSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import {
  FSAVERAGE5_VERTICES,
  loadGifti,
  loadHemisphere,
  loadSurface,
  loadSurfaceScalars,
  parseGifti,
} from '../../src/data/gifti';
import { DATA, expectInputError, tempDir } from './helpers';

const FS5 = `${DATA}/fsaverage5`;

interface ArraySpec {
  intent?: string;
  dataType?: string;
  dims: number[];
  encoding?: 'ASCII' | 'Base64Binary' | 'GZipBase64Binary';
  endian?: 'LittleEndian' | 'BigEndian';
  order?: 'RowMajorOrder' | 'ColumnMajorOrder';
  /** The <Data> text; when absent it is made from `bytes`. */
  text?: string;
  bytes?: Uint8Array;
  wrap?: 'zlib' | 'gzip';
}

const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');

function dataArray(s: ArraySpec): string {
  let text = s.text;
  if (text === undefined) {
    const bytes = s.bytes!;
    text = (s.encoding ?? 'GZipBase64Binary') === 'GZipBase64Binary' ? b64(s.wrap === 'gzip' ? gzipSync(bytes) : zlibSync(bytes)) : b64(bytes);
  }
  const dims = s.dims.map((d, k) => `Dim${k}="${d}"`).join(' ');
  return `<DataArray Intent="${s.intent ?? 'NIFTI_INTENT_NONE'}" DataType="${s.dataType ?? 'NIFTI_TYPE_FLOAT32'}"
    ArrayIndexingOrder="${s.order ?? 'RowMajorOrder'}" Dimensionality="${s.dims.length}" ${dims}
    Encoding="${s.encoding ?? 'GZipBase64Binary'}" Endian="${s.endian ?? 'LittleEndian'}" ExternalFileName="" ExternalFileOffset="">
    <MetaData/><Data>${text}</Data></DataArray>`;
}

function gifti(arrays: ArraySpec[], declared = arrays.length): Uint8Array {
  return new TextEncoder().encode(
    `<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE GIFTI SYSTEM "http://gifti.projects.nitrc.org/gifti.dtd">\n` +
      `<GIFTI Version="1.0" NumberOfDataArrays="${declared}"><MetaData/><LabelTable/>${arrays.map(dataArray).join('\n')}</GIFTI>`,
  );
}

const bytesOf = (a: Float32Array | Int32Array) => new Uint8Array(a.buffer);

/** A mesh of n vertices (x = index) and triangles (i, i+1, i+2). */
function mesh(n: number, badIndex?: number): Uint8Array {
  const coords = new Float32Array(n * 3).map((_, i) => (i % 3 === 0 ? i / 3 : 0));
  const tris = new Int32Array((n - 2) * 3).map((_, i) => Math.floor(i / 3) + (i % 3));
  if (badIndex !== undefined) tris[4] = badIndex;
  return gifti([
    { intent: 'NIFTI_INTENT_POINTSET', dims: [n, 3], bytes: bytesOf(coords) },
    { intent: 'NIFTI_INTENT_TRIANGLE', dataType: 'NIFTI_TYPE_INT32', dims: [n - 2, 3], bytes: bytesOf(tris) },
  ]);
}

function writeTemp(name: string, bytes: Uint8Array): string {
  const p = path.join(tempDir('gifti-test'), name);
  writeFileSync(p, bytes);
  return p;
}

describe('gifti: real fsaverage5 files', () => {
  it('pial_left: 10,242 vertices, 20,480 triangles, coordinates as decoded by hand in python', () => {
    const s = loadHemisphere(`${FS5}/pial_left.gii.gz`);
    expect(s.vertexCount).toBe(10242);
    expect(s.triangleCount).toBe(20480);
    expect(s.coords.length).toBe(10242 * 3);
    expect(s.triangles.length).toBe(20480 * 3);
    // python: zlib.decompress(base64.b64decode(<Data>)) viewed as '<f4' / '<i4'
    expect(s.coords[0]).toBeCloseTo(-38.73596, 4);
    expect(s.coords[1]).toBeCloseTo(-19.343365, 4);
    expect(s.coords[2]).toBeCloseTo(67.22014, 4);
    expect(s.coords[10242 * 3 - 1]).toBeCloseTo(-24.645117, 4);
    expect(Array.from(s.triangles.subarray(0, 6))).toEqual([0, 2564, 2562, 0, 2562, 2565]);
    expect(Array.from(s.triangles.subarray(-3))).toEqual([10161, 11, 9918]);
    expect(Math.max(...s.triangles)).toBe(10241);
  });

  it('loadGifti reports intents, types and dims', () => {
    const img = loadGifti(`${FS5}/infl_right.gii.gz`);
    expect(img.arrays.map((a) => [a.intent, a.dataType, a.dims])).toEqual([
      ['NIFTI_INTENT_POINTSET', 'NIFTI_TYPE_FLOAT32', [10242, 3]],
      ['NIFTI_INTENT_TRIANGLE', 'NIFTI_TYPE_INT32', [20480, 3]],
    ]);
  });

  it('sulc_left: one float32 per vertex', () => {
    const v = loadSurfaceScalars(`${FS5}/sulc_left.gii.gz`);
    expect(v.length).toBe(FSAVERAGE5_VERTICES);
    expect(v[0]).toBeCloseTo(-0.78126884, 6);
    expect(v[2]).toBeCloseTo(0.514387, 6);
    expect(v[10241]).toBeCloseTo(0.41838056, 6);
  });

  it('loadSurfaceScalars refuses a mesh file', () => {
    expectInputError(() => loadSurfaceScalars(`${FS5}/pial_left.gii.gz`), 'pial_left.gii.gz', /expected one data array of per-vertex values, found 2/);
  });
});

describe('gifti: encodings and layouts', () => {
  const values = new Float32Array([1.5, -2, 3.25, 4, 5, -6]);

  it('GZipBase64Binary with a zlib or a gzip stream, Base64Binary and ASCII agree', () => {
    for (const spec of [
      { encoding: 'GZipBase64Binary', wrap: 'zlib', bytes: bytesOf(values) },
      { encoding: 'GZipBase64Binary', wrap: 'gzip', bytes: bytesOf(values) },
      { encoding: 'Base64Binary', bytes: bytesOf(values) },
      { encoding: 'ASCII', text: '\n 1.5 -2 3.25\n 4 5 -6\n' },
    ] as const) {
      const img = parseGifti(gifti([{ dims: [2, 3], ...spec }]), 'mem.gii');
      expect(img.arrays[0].dims).toEqual([2, 3]);
      expect(Array.from(img.arrays[0].data)).toEqual(Array.from(values));
    }
  });

  it('BigEndian int32 and ColumnMajorOrder (converted to row-major)', () => {
    const be = new Uint8Array(6 * 4);
    const dv = new DataView(be.buffer);
    // column-major [[1,2,3],[4,5,6]] is 1 4 2 5 3 6
    [1, 4, 2, 5, 3, -6].forEach((v, i) => dv.setInt32(i * 4, v, false));
    const img = parseGifti(
      gifti([{ dataType: 'NIFTI_TYPE_INT32', dims: [2, 3], endian: 'BigEndian', order: 'ColumnMajorOrder', encoding: 'Base64Binary', bytes: be }]),
      'mem.gii',
    );
    expect(img.arrays[0].data).toBeInstanceOf(Int32Array);
    expect(Array.from(img.arrays[0].data)).toEqual([1, 2, 3, 4, 5, -6]);
  });

  it('UINT8 ASCII', () => {
    const img = parseGifti(gifti([{ dataType: 'NIFTI_TYPE_UINT8', dims: [4], encoding: 'ASCII', text: '0 7 255 3' }]), 'm.gii');
    expect(img.arrays[0].data).toBeInstanceOf(Uint8Array);
    expect(Array.from(img.arrays[0].data)).toEqual([0, 7, 255, 3]);
  });

  it('a whole-file gzip (.gii.gz) is unwrapped', () => {
    const p = writeTemp('m.gii.gz', gzipSync(mesh(5)));
    const s = loadSurface(p);
    expect(s.vertexCount).toBe(5);
    expect(s.triangleCount).toBe(3);
    expect(Array.from(s.coords.subarray(0, 6))).toEqual([0, 0, 0, 1, 0, 0]);
    expect(Array.from(s.triangles.subarray(0, 6))).toEqual([0, 1, 2, 1, 2, 3]);
  });
});

describe('gifti: bad inputs', () => {
  it('wrong decoded byte count', () => {
    expectInputError(
      () => parseGifti(gifti([{ dims: [10, 3], bytes: new Uint8Array(100) }]), 'short.gii'),
      'short.gii',
      'DataArray 0: dims 10x3 of NIFTI_TYPE_FLOAT32 need 120 bytes but the data decodes to 100',
    );
    expectInputError(
      () => parseGifti(gifti([{ dims: [4], encoding: 'ASCII', text: '1 2 3' }]), 'a.gii'),
      'a.gii',
      /dims 4 need 4 values but <Data> holds 3/,
    );
  });

  it('ASCII values that do not fit the data type', () => {
    expectInputError(() => parseGifti(gifti([{ dataType: 'NIFTI_TYPE_UINT8', dims: [2], encoding: 'ASCII', text: '3 256' }]), 'u8.gii'), 'u8.gii', /value 1 "256" is not a valid NIFTI_TYPE_UINT8/);
    expectInputError(() => parseGifti(gifti([{ dataType: 'NIFTI_TYPE_INT32', dims: [2], encoding: 'ASCII', text: '1.5 2' }]), 'i4.gii'), 'i4.gii', /value 0 "1.5" is not a valid NIFTI_TYPE_INT32/);
    expectInputError(() => parseGifti(gifti([{ dims: [2], encoding: 'ASCII', text: '1 nan' }]), 'f4.gii'), 'f4.gii', /value 1 "nan"/);
  });

  it('a 642-vertex mesh is refused by loadHemisphere but read by loadSurface', () => {
    const p = writeTemp('ico3.gii', mesh(642));
    expect(loadSurface(p).vertexCount).toBe(642);
    expectInputError(() => loadHemisphere(p), p, 'mesh has 642 vertices; fsaverage5 needs 10,242 per hemisphere');
  });

  it('a triangle index beyond the vertex count', () => {
    const p = writeTemp('bad-tri.gii', mesh(10, 10));
    expectInputError(() => loadSurface(p), p, /triangle 1 refers to vertex 10 but the mesh has 10 vertices/);
  });

  it('unsupported data type and encoding, invalid base64, undecompressable data', () => {
    expectInputError(() => parseGifti(gifti([{ dataType: 'NIFTI_TYPE_FLOAT64', dims: [1], bytes: new Uint8Array(8) }]), 'f8.gii'), 'f8.gii', /unsupported DataType "NIFTI_TYPE_FLOAT64"/);
    expectInputError(() => parseGifti(gifti([{ dims: [1], encoding: 'ExternalFileBinary' as never, text: '' }]), 'ext.gii'), 'ext.gii', /unsupported Encoding "ExternalFileBinary"/);
    expectInputError(() => parseGifti(gifti([{ dims: [1], encoding: 'Base64Binary', text: 'AAA*AAA=' }]), 'b.gii'), 'b.gii', /not valid base64/);
    expectInputError(() => parseGifti(gifti([{ dims: [25], encoding: 'GZipBase64Binary', text: b64(new Uint8Array(100)) /* not compressed at all */ }]), 'z.gii'), 'z.gii', /cannot decompress/);
  });

  it('malformed XML, a non-GIfTI root, a wrong NumberOfDataArrays', () => {
    const text = new TextDecoder().decode(mesh(4));
    expectInputError(() => parseGifti(new TextEncoder().encode(text.slice(0, 300)), 'cut.gii'), 'cut.gii', /not valid XML/);
    expectInputError(() => parseGifti(new TextEncoder().encode('<?xml version="1.0"?><NIFTI/>'), 'n.gii'), 'n.gii', /no <GIFTI> root/);
    expectInputError(() => parseGifti(gifti([{ dims: [1], encoding: 'ASCII', text: '1' }], 2), 'c.gii'), 'c.gii', /NumberOfDataArrays says 2 but the file holds 1/);
  });

  it('a corrupt gzip file', () => {
    const gz = gzipSync(mesh(4));
    expectInputError(() => parseGifti(gz.subarray(0, 40), 'x.gii.gz'), 'x.gii.gz', /corrupt gzip stream/);
  });

  it('missing file and directory', () => {
    const dir = tempDir('gifti-test');
    mkdirSync(path.join(dir, 'lh.gii'));
    expectInputError(() => loadSurface(path.join(dir, 'rh.gii')), path.join(dir, 'rh.gii'), /not found/);
    expectInputError(() => loadHemisphere(path.join(dir, 'lh.gii')), path.join(dir, 'lh.gii'), /is a directory/);
  });
});
