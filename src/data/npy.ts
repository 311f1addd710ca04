/**
 * Reader for NumPy `.npy` files (format versions 1.0, 2.0, 3.0).
 *
 * Layout: magic "\x93NUMPY", major and minor version bytes, header length (uint16 LE in
 * v1, uint32 LE in v2/v3), then a Python dict literal such as
 * `{'descr': '<f4', 'fortran_order': False, 'shape': (34, 20484), }` padded with spaces,
 * then the raw data.
 */
import { InputError } from './errors';
import { alignedCopy, fortranToC, HOST_LITTLE_ENDIAN, readInputFile } from './io';
import type { DType, NdArray } from './ndarray';

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

const DTYPES: Record<string, { dtype: DType; size: number }> = {
  f4: { dtype: 'float32', size: 4 },
  f8: { dtype: 'float64', size: 8 },
  i4: { dtype: 'int32', size: 4 },
};

const ATOM = /(True|False|None|[-+]?(?:\d+\.?\d*(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?)L?)/y;

/**
 * Longest header we parse. numpy writes headers of a few dozen bytes padded to 64 and
 * itself refuses headers over 10,000 bytes unless told otherwise; v1 allows 65,535.
 */
export const MAX_HEADER_BYTES = 65535;

const MAX_NESTING = 8;

/** A value of the small Python-literal subset used in .npy headers. */
type PyValue = string | number | boolean | null | PyValue[] | { [k: string]: PyValue };

/**
 * Parses a Python literal (dict, tuple, list, str, int, float, True/False/None).
 * numpy writes the header with repr(), so this subset is all that appears.
 * Returns null when the text is not such a literal.
 */
function parsePyLiteral(text: string): PyValue | null {
  let i = 0;
  const ws = () => {
    while (i < text.length && /\s/.test(text[i])) i++;
  };
  const fail = (): never => {
    throw new SyntaxError(`unexpected ${i < text.length ? `'${text[i]}'` : 'end'} at ${i}`);
  };
  let depth = 0; // nesting; real headers nest two deep (a dict holding a tuple)
  const value = (): PyValue => {
    ws();
    const c = text[i];
    if ((c === '{' || c === '(' || c === '[') && ++depth > MAX_NESTING) fail();
    if (c === '{') {
      i++;
      // No prototype: a key such as "__proto__" must stay a plain key.
      const obj: { [k: string]: PyValue } = Object.create(null);
      for (;;) {
        ws();
        if (text[i] === '}') break;
        const k = value();
        if (typeof k !== 'string') fail();
        ws();
        if (text[i++] !== ':') fail();
        obj[k as string] = value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] !== '}') fail();
      }
      i++;
      depth--;
      return obj;
    }
    if (c === '(' || c === '[') {
      const close = c === '(' ? ')' : ']';
      i++;
      const arr: PyValue[] = [];
      for (;;) {
        ws();
        if (text[i] === close) break;
        arr.push(value());
        ws();
        if (text[i] === ',') i++;
        else if (text[i] !== close) fail();
      }
      i++;
      depth--;
      return arr;
    }
    if (c === "'" || c === '"') {
      const end = text.indexOf(c, i + 1);
      if (end < 0) fail();
      const s = text.slice(i + 1, end);
      i = end + 1;
      return s;
    }
    // Sticky match at i: slicing the text for every token would make a long header quadratic.
    ATOM.lastIndex = i;
    const m = ATOM.exec(text);
    if (!m) fail();
    i += m![0].length;
    if (m![0] === 'True') return true;
    if (m![0] === 'False') return false;
    if (m![0] === 'None') return null;
    return Number(m![0].replace(/L$/, ''));
  };
  try {
    const v = value();
    ws();
    return i === text.length ? v : null;
  } catch {
    return null;
  }
}

export function parseNpy(bytes: Uint8Array, source: string): NdArray {
  if (bytes.length < 8 || MAGIC.some((b, k) => bytes[k] !== b)) {
    throw new InputError(source, 'not a .npy file (bad magic: expected "\\x93NUMPY" at the start)');
  }
  const major = bytes[6];
  const minor = bytes[7];
  if (![1, 2, 3].includes(major) || minor !== 0) {
    throw new InputError(source, `unsupported .npy format version ${major}.${minor} (supported: 1.0, 2.0, 3.0)`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lenBytes = major === 1 ? 2 : 4;
  if (bytes.length < 8 + lenBytes) throw new InputError(source, 'truncated: file ends inside the header length');
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  if (headerLen > MAX_HEADER_BYTES) {
    throw new InputError(source, `header length ${headerLen} bytes is larger than any .npy header (at most ${MAX_HEADER_BYTES})`);
  }
  const dataStart = 8 + lenBytes + headerLen;
  if (dataStart > bytes.length) {
    throw new InputError(
      source,
      `truncated: header declares ${headerLen} header bytes but only ${bytes.length - 8 - lenBytes} follow`,
    );
  }
  // v1/v2 headers are latin1, v3 is utf8.
  const headerText = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(
    bytes.subarray(8 + lenBytes, dataStart),
  );
  const header = parsePyLiteral(headerText.trim());
  if (header === null || typeof header !== 'object' || Array.isArray(header)) {
    throw new InputError(source, `unparsable .npy header: ${JSON.stringify(headerText.trim().slice(0, 120))}`);
  }
  const { descr, fortran_order: fortran, shape } = header;
  if (typeof fortran !== 'boolean' || !Array.isArray(shape) || descr === undefined) {
    throw new InputError(source, 'unparsable .npy header: needs descr, fortran_order (True/False) and shape (a tuple)');
  }
  if (typeof descr !== 'string') {
    throw new InputError(source, 'unsupported dtype: structured arrays (descr is a list of fields); supported: <f4 >f4 <f8 >f8 <i4 >i4');
  }
  const order = descr[0];
  const kind = DTYPES[descr.slice(1)];
  if (!kind || (order !== '<' && order !== '>')) {
    const what = descr.includes('O') ? `'${descr}' (object arrays)` : `'${descr}'`;
    throw new InputError(source, `unsupported dtype ${what}; supported: <f4 >f4 <f8 >f8 <i4 >i4`);
  }
  for (const d of shape) {
    if (typeof d !== 'number' || !Number.isSafeInteger(d) || d < 0) {
      throw new InputError(source, `bad shape entry ${JSON.stringify(d)}: must be a non-negative integer`);
    }
  }
  const dims = shape as number[];
  // Size check before any allocation: a header may claim 10^12 elements.
  const count = dims.reduce((a, b) => a * b, 1);
  const declared = count * kind.size;
  const present = bytes.length - dataStart;
  if (declared > present) {
    throw new InputError(
      source,
      `truncated: header declares ${count} ${kind.dtype} values (${declared} bytes) but only ${present} bytes follow`,
    );
  }
  if (declared < present) {
    throw new InputError(
      source,
      `trailing data: header declares ${count} values (${declared} bytes) but ${present} bytes follow`,
    );
  }
  const buf = alignedCopy(bytes.subarray(dataStart), kind.size, (order === '<') !== HOST_LITTLE_ENDIAN);
  let data =
    kind.dtype === 'float32' ? new Float32Array(buf) : kind.dtype === 'float64' ? new Float64Array(buf) : new Int32Array(buf);
  if (fortran) data = fortranToC(data, dims);
  return { dtype: kind.dtype, shape: dims.slice(), data };
}

export function loadNpy(path: string): NdArray {
  return parseNpy(readInputFile(path), path);
}
