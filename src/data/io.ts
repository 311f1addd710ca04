/** Small helpers shared by the data readers (file access, memory layout). */
import { readFileSync, statSync } from 'node:fs';
import { InputError } from './errors';

/**
 * The largest input file any reader accepts (1 GiB). A TRIBE v2 prediction of an
 * hour of video is 3,600 x 20,484 float32 values, about 295 MB; anything far larger
 * is not one of our inputs, and reading it whole would exhaust memory.
 */
export const MAX_INPUT_BYTES = 1 << 30;

/** What kind of thing a non-regular path is, for messages. */
function kindOf(st: import('node:fs').Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  return 'not a regular file';
}

/**
 * The bytes of `path`, or an InputError saying plainly why it cannot be read.
 * Only regular files are opened: reading a FIFO or a device would block or never end.
 * The size is checked before reading, so an oversized file is refused without reading it.
 */
export function readInputFile(path: string, maxBytes: number = MAX_INPUT_BYTES): Uint8Array {
  let st: import('node:fs').Stats;
  try {
    st = statSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new InputError(path, 'not found');
    if (code === 'ELOOP') throw new InputError(path, 'cannot read: too many levels of symbolic links');
    throw new InputError(path, `cannot read: ${(e as Error).message}`);
  }
  if (st.isDirectory()) throw new InputError(path, 'is a directory, expected a file');
  if (!st.isFile()) throw new InputError(path, `is ${kindOf(st)}, expected a regular file`);
  if (st.size > maxBytes) {
    throw new InputError(path, `too large: ${st.size} bytes, more than the ${maxBytes} bytes an input file may have`);
  }
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new InputError(path, `cannot read: ${(e as Error).message}`);
  }
  // The file may have grown between stat and read.
  if (bytes.length > maxBytes) throw new InputError(path, `too large: more than the ${maxBytes} bytes an input file may have`);
  return bytes;
}

/** The text of a UTF-8 input file (see readInputFile). */
export function readInputText(path: string, maxBytes?: number): string {
  return new TextDecoder('utf-8').decode(readInputFile(path, maxBytes));
}

/**
 * Reorders column-major (Fortran) data of the given shape into row-major (C) order.
 * Fortran data of shape S is C data of the reversed shape, so element (i0..in-1)
 * sits at sum(i_k * prod(S_0..S_k-1)); we walk the C-order output with an odometer.
 */
export function fortranToC<T extends Float32Array | Float64Array | Int32Array | Uint8Array>(
  src: T,
  shape: readonly number[],
): T {
  const out = new (src.constructor as { new (n: number): T })(src.length);
  const nd = shape.length;
  if (nd < 2 || src.length === 0) {
    out.set(src);
    return out;
  }
  const fstride = new Array<number>(nd);
  let s = 1;
  for (let k = 0; k < nd; k++) {
    fstride[k] = s;
    s *= shape[k];
  }
  const idx = new Array<number>(nd).fill(0);
  let f = 0; // Fortran offset of the current C-order element
  for (let c = 0; c < src.length; c++) {
    out[c] = src[f];
    // Advance the last axis first (C order), carrying into earlier axes.
    for (let k = nd - 1; k >= 0; k--) {
      idx[k]++;
      f += fstride[k];
      if (idx[k] < shape[k]) break;
      f -= fstride[k] * shape[k];
      idx[k] = 0;
    }
  }
  return out;
}

/** A copy of `bytes` in a fresh, aligned buffer, byte-swapped per `size`-byte word when `swap`. */
export function alignedCopy(bytes: Uint8Array, size: number, swap: boolean): ArrayBuffer {
  const copy = new Uint8Array(bytes.length);
  copy.set(bytes);
  if (swap && size > 1) {
    for (let i = 0; i < copy.length; i += size) {
      for (let a = i, b = i + size - 1; a < b; a++, b--) {
        const t = copy[a];
        copy[a] = copy[b];
        copy[b] = t;
      }
    }
  }
  return copy.buffer;
}

/** True on little-endian hosts (all the ones we run on; checked rather than assumed). */
export const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
