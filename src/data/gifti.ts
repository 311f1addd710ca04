/**
 * Reader for GIfTI surface files (`.gii`, or gzipped `.gii.gz`): an XML document with
 * one `<DataArray>` per array, its values in `<Data>` as ASCII numbers or base64
 * (optionally compressed) binary.
 */
import { gunzipSync, inflateSync, unzlibSync } from 'fflate';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { InputError } from './errors';
import { alignedCopy, fortranToC, HOST_LITTLE_ENDIAN, MAX_INPUT_BYTES, readInputFile } from './io';

export type GiftiDataType = 'NIFTI_TYPE_FLOAT32' | 'NIFTI_TYPE_INT32' | 'NIFTI_TYPE_UINT8';

export interface GiftiDataArray {
  intent: string;
  dataType: GiftiDataType;
  /** Row-major dimensions. */
  dims: number[];
  /** Values in row-major order, native endianness. */
  data: Float32Array | Int32Array | Uint8Array;
}

export interface GiftiImage {
  arrays: GiftiDataArray[];
}

export interface Surface {
  /** n*3 vertex coordinates, mm. */
  coords: Float32Array;
  /** m*3 vertex indices. */
  triangles: Int32Array;
  vertexCount: number;
  triangleCount: number;
}

export const FSAVERAGE5_VERTICES = 10242;

const TYPES: Record<GiftiDataType, { size: number; make: (b: ArrayBuffer) => GiftiDataArray['data'] }> = {
  NIFTI_TYPE_FLOAT32: { size: 4, make: (b) => new Float32Array(b) },
  NIFTI_TYPE_INT32: { size: 4, make: (b) => new Int32Array(b) },
  NIFTI_TYPE_UINT8: { size: 1, make: (b) => new Uint8Array(b) },
};

const xml = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  parseAttributeValue: false,
  isArray: (name) => name === 'DataArray',
});

const isGzip = (b: Uint8Array) => b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;
// zlib header: deflate method (CMF low nibble 8) and CMF*256+FLG divisible by 31.
const isZlib = (b: Uint8Array) => b.length >= 2 && (b[0] & 0x0f) === 8 && ((b[0] << 8) | b[1]) % 31 === 0;

/** Deflate cannot expand data more than about 1032:1; a larger claim is a bomb or corrupt. */
const MAX_DEFLATE_RATIO = 1032;

/**
 * "GZipBase64Binary" data is zlib-wrapped in files written by gifticlib and nibabel,
 * but some writers use a real gzip stream; pick by magic bytes, else try raw deflate.
 * The output buffer is sized from the declared dims (one byte more, to notice data
 * that runs past them), so a deflate bomb cannot make it grow.
 */
function decompress(b: Uint8Array, expected: number): Uint8Array {
  const out = new Uint8Array(expected + 1);
  if (isGzip(b)) return gunzipSync(b, { out });
  if (isZlib(b)) return unzlibSync(b, { out });
  return inflateSync(b, { out });
}

/** The gzip trailer's uncompressed size (ISIZE, mod 2^32). */
function gzipDeclaredSize(b: Uint8Array): number {
  const l = b.length;
  return (b[l - 4] | (b[l - 3] << 8) | (b[l - 2] << 16) | (b[l - 1] << 24)) >>> 0;
}

function base64(text: string, where: string, source: string): Uint8Array {
  const s = text.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s)) throw new InputError(source, `${where}: <Data> is not valid base64`);
  return Buffer.from(s, 'base64');
}

/** The text of an element parsed by fast-xml-parser (a string, or an object with #text). */
function textOf(node: unknown): string {
  if (node === undefined || node === null) return '';
  if (typeof node === 'string') return node;
  if (typeof node === 'object' && '#text' in (node as object)) return String((node as { '#text': unknown })['#text']);
  return '';
}

function parseDataArray(da: Record<string, unknown>, k: number, source: string): GiftiDataArray {
  const where = `DataArray ${k}`;
  const attr = (name: string) => (typeof da[`@${name}`] === 'string' ? (da[`@${name}`] as string).trim() : undefined);
  const intent = attr('Intent') ?? 'NIFTI_INTENT_NONE';
  const dataType = attr('DataType') as GiftiDataType | undefined;
  if (!dataType || !(dataType in TYPES)) {
    throw new InputError(source, `${where}: unsupported DataType "${dataType ?? ''}" (supported: ${Object.keys(TYPES).join(', ')})`);
  }
  const nd = Number(attr('Dimensionality'));
  if (!Number.isInteger(nd) || nd < 1) throw new InputError(source, `${where}: bad Dimensionality "${attr('Dimensionality') ?? ''}"`);
  const dims: number[] = [];
  for (let d = 0; d < nd; d++) {
    const raw = attr(`Dim${d}`);
    const v = raw !== undefined && /^\d+$/.test(raw) ? Number(raw) : NaN;
    if (!Number.isSafeInteger(v)) throw new InputError(source, `${where}: Dim${d} "${raw ?? ''}" is not a non-negative integer`);
    dims.push(v);
  }
  const count = dims.reduce((a, b) => a * b, 1);
  const { size, make } = TYPES[dataType];
  const encoding = attr('Encoding');
  const endian = attr('Endian') ?? 'LittleEndian';
  if (endian !== 'LittleEndian' && endian !== 'BigEndian') throw new InputError(source, `${where}: unknown Endian "${endian}"`);
  const order = attr('ArrayIndexingOrder') ?? 'RowMajorOrder';
  if (order !== 'RowMajorOrder' && order !== 'ColumnMajorOrder') {
    throw new InputError(source, `${where}: unknown ArrayIndexingOrder "${order}"`);
  }
  const text = textOf(da.Data);

  let data: GiftiDataArray['data'];
  if (encoding === 'ASCII') {
    const tokens = text.trim() === '' ? [] : text.trim().split(/\s+/);
    if (tokens.length !== count) {
      throw new InputError(source, `${where}: dims ${dims.join('x')} need ${count} values but <Data> holds ${tokens.length}`);
    }
    data = make(new ArrayBuffer(count * size));
    for (let i = 0; i < count; i++) {
      const v = Number(tokens[i]);
      const [lo, hi] = dataType === 'NIFTI_TYPE_INT32' ? [-2147483648, 2147483647] : dataType === 'NIFTI_TYPE_UINT8' ? [0, 255] : [-Infinity, Infinity];
      // Integer types must hold the value exactly; a typed-array store would wrap it silently.
      if (!Number.isFinite(v) || (dataType !== 'NIFTI_TYPE_FLOAT32' && (!Number.isInteger(v) || v < lo || v > hi))) {
        throw new InputError(source, `${where}: value ${i} "${tokens[i]}" is not a valid ${dataType}`);
      }
      data[i] = v;
    }
  } else if (encoding === 'Base64Binary' || encoding === 'GZipBase64Binary') {
    let bytes = base64(text, where, source);
    const expected = count * size;
    if (encoding === 'GZipBase64Binary') {
      // Checked before allocating the output: dims may claim 10^12 values.
      if (expected > MAX_INPUT_BYTES || expected > bytes.length * MAX_DEFLATE_RATIO + 1024) {
        throw new InputError(
          source,
          `${where}: dims ${dims.join('x')} of ${dataType} need ${expected} bytes, more than ${bytes.length} compressed bytes can hold`,
        );
      }
      try {
        bytes = decompress(bytes, expected);
      } catch (e) {
        throw new InputError(source, `${where}: cannot decompress GZipBase64Binary data: ${(e as Error).message}`);
      }
    }
    if (bytes.length !== expected) {
      const got = encoding === 'GZipBase64Binary' && bytes.length > expected ? `more than ${expected}` : `${bytes.length}`;
      throw new InputError(source, `${where}: dims ${dims.join('x')} of ${dataType} need ${expected} bytes but the data decodes to ${got}`);
    }
    data = make(alignedCopy(bytes, size, (endian === 'LittleEndian') !== HOST_LITTLE_ENDIAN));
  } else {
    throw new InputError(source, `${where}: unsupported Encoding "${encoding ?? ''}" (supported: ASCII, Base64Binary, GZipBase64Binary)`);
  }
  if (order === 'ColumnMajorOrder' && dims.length > 1) data = fortranToC(data, dims);
  return { intent, dataType, dims, data };
}

export function parseGifti(bytes: Uint8Array, source: string): GiftiImage {
  if (isGzip(bytes)) {
    // The trailer declares the unpacked size, which fflate would allocate as is.
    const declared = bytes.length >= 18 ? gzipDeclaredSize(bytes) : 0;
    if (declared > MAX_INPUT_BYTES || declared > bytes.length * MAX_DEFLATE_RATIO + 1024) {
      throw new InputError(source, `corrupt gzip stream: it declares ${declared} bytes unpacked from ${bytes.length}, beyond what deflate can produce`);
    }
    try {
      bytes = gunzipSync(bytes);
    } catch (e) {
      throw new InputError(source, `corrupt gzip stream: ${(e as Error).message}`);
    }
  }
  const text = new TextDecoder('utf-8').decode(bytes);
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    throw new InputError(source, `not valid XML (line ${valid.err.line}): ${valid.err.msg}`);
  }
  let doc: Record<string, unknown>;
  try {
    doc = xml.parse(text);
  } catch (e) {
    throw new InputError(source, `not valid XML: ${(e as Error).message}`);
  }
  const root = doc.GIFTI as Record<string, unknown> | undefined;
  if (!root || typeof root !== 'object') throw new InputError(source, 'not a GIfTI file (no <GIFTI> root element)');
  const list = (root.DataArray as Record<string, unknown>[] | undefined) ?? [];
  const declared = root['@NumberOfDataArrays'];
  if (declared !== undefined && Number(declared) !== list.length) {
    throw new InputError(source, `NumberOfDataArrays says ${declared} but the file holds ${list.length} <DataArray> elements`);
  }
  return { arrays: list.map((da, k) => parseDataArray(da, k, source)) };
}

export function loadGifti(path: string): GiftiImage {
  return parseGifti(readInputFile(path), path);
}

/** The one array with `intent`; InputError if there is none or more than one. */
function only(img: GiftiImage, intent: string, path: string): GiftiDataArray {
  const found = img.arrays.filter((a) => a.intent === intent);
  if (found.length !== 1) throw new InputError(path, `expected one ${intent} array, found ${found.length}`);
  return found[0];
}

/** A triangle mesh: one POINTSET (float32, n x 3) and one TRIANGLE (int32, m x 3) array. */
export function loadSurface(path: string): Surface {
  const img = loadGifti(path);
  const pts = only(img, 'NIFTI_INTENT_POINTSET', path);
  const tri = only(img, 'NIFTI_INTENT_TRIANGLE', path);
  if (pts.dataType !== 'NIFTI_TYPE_FLOAT32' || pts.dims.length !== 2 || pts.dims[1] !== 3) {
    throw new InputError(path, `POINTSET must be NIFTI_TYPE_FLOAT32 of shape n x 3, got ${pts.dataType} ${pts.dims.join('x')}`);
  }
  if (tri.dataType !== 'NIFTI_TYPE_INT32' || tri.dims.length !== 2 || tri.dims[1] !== 3) {
    throw new InputError(path, `TRIANGLE must be NIFTI_TYPE_INT32 of shape m x 3, got ${tri.dataType} ${tri.dims.join('x')}`);
  }
  const vertexCount = pts.dims[0];
  assertFinite(pts.data as Float32Array, 3, path, 'vertex coordinate');
  const triangles = tri.data as Int32Array;
  for (let i = 0; i < triangles.length; i++) {
    if (triangles[i] < 0 || triangles[i] >= vertexCount) {
      throw new InputError(
        path,
        `triangle ${Math.floor(i / 3)} refers to vertex ${triangles[i]} but the mesh has ${vertexCount} vertices (0..${vertexCount - 1})`,
      );
    }
  }
  return { coords: pts.data as Float32Array, triangles, vertexCount, triangleCount: tri.dims[0] };
}

/** One float32 value per vertex, from a single-array file (sulc, curv, thickness...). */
export function loadSurfaceScalars(path: string): Float32Array {
  const img = loadGifti(path);
  if (img.arrays.length !== 1) throw new InputError(path, `expected one data array of per-vertex values, found ${img.arrays.length}`);
  const a = img.arrays[0];
  const perVertex = a.dims.length === 1 || (a.dims.length === 2 && a.dims[1] === 1);
  if (a.dataType !== 'NIFTI_TYPE_FLOAT32' || !perVertex) {
    throw new InputError(path, `expected NIFTI_TYPE_FLOAT32 values of shape n (one per vertex), got ${a.dataType} ${a.dims.join('x')}`);
  }
  assertFinite(a.data as Float32Array, 1, path, 'per-vertex value');
  return a.data as Float32Array;
}

/**
 * NaN or infinite values in a mesh or a per-vertex map are refused (a surface with a
 * NaN vertex cannot be drawn or measured); the message gives the count and the first.
 */
function assertFinite(values: Float32Array, perVertex: number, path: string, what: string): void {
  let bad = 0;
  let first = -1;
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) {
      if (first < 0) first = i;
      bad++;
    }
  }
  if (bad > 0) {
    const at = perVertex > 1 ? `vertex ${Math.floor(first / perVertex)}, ${'xyz'[first % perVertex]}` : `vertex ${first}`;
    throw new InputError(path, `${bad} ${what}${bad > 1 ? 's are' : ' is'} NaN or infinite (first: ${at} = ${values[first]}); surfaces must be finite`);
  }
}

/** A hemisphere mesh with exactly `expectedVertices` vertices. */
export function loadHemisphere(path: string, expectedVertices = FSAVERAGE5_VERTICES): Surface {
  const s = loadSurface(path);
  if (s.vertexCount !== expectedVertices) {
    const need =
      expectedVertices === FSAVERAGE5_VERTICES
        ? `fsaverage5 needs ${FSAVERAGE5_VERTICES.toLocaleString('en-US')} per hemisphere`
        : `expected ${expectedVertices.toLocaleString('en-US')} per hemisphere`;
    throw new InputError(path, `mesh has ${s.vertexCount.toLocaleString('en-US')} vertices; ${need}`);
  }
  return s;
}
