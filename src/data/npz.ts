/**
 * Reader for NumPy `.npz` archives: a zip (stored or deflated, as written by
 * `numpy.savez` / `numpy.savez_compressed`) of `.npy` entries named `<key>.npy`.
 */
import { unzipSync } from 'fflate';
import { InputError } from './errors';
import { MAX_INPUT_BYTES, readInputFile } from './io';
import type { NdArray } from './ndarray';
import { parseNpy } from './npy';

/** Why a zip entry name is unsafe (zip slip), or null. */
function unsafeName(name: string): string | null {
  if (name.startsWith('/') || name.startsWith('\\') || /^[A-Za-z]:/.test(name)) return 'is an absolute path';
  if (name.split(/[/\\]/).includes('..')) return 'contains ".."';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f]/.test(name)) return 'contains a control character';
  return null;
}

const CENTRAL_RECORD_BYTES = 46;
/** Deflate cannot expand data more than about 1032:1 (258-byte matches coded in 2 bits). */
const MAX_DEFLATE_RATIO = 1032;

/**
 * Why an entry's declared sizes are impossible or excessive, or null. A stored entry
 * unpacks to its own size; a deflated one to at most ~1032 times it (more is a zip
 * bomb or a corrupt header), and never to more than an input file may hold.
 */
function entrySizeProblem(f: { size: number; originalSize: number; compression: number }, fileBytes: number): string | null {
  if (f.compression !== 0 && f.compression !== 8) return `compression method ${f.compression} is not supported (only stored and deflate, as numpy writes)`;
  if (f.size > fileBytes) return `declares ${f.size} compressed bytes but the whole archive has ${fileBytes}`;
  if (f.compression === 0 && f.originalSize !== f.size) return `a stored entry declares ${f.originalSize} bytes unpacked but ${f.size} packed`;
  if (f.originalSize > MAX_INPUT_BYTES) return `declares ${f.originalSize} bytes unpacked, more than the ${MAX_INPUT_BYTES} bytes an input may have`;
  if (f.originalSize > f.size * MAX_DEFLATE_RATIO + 1024) return `declares ${f.originalSize} bytes unpacked from ${f.size} packed, beyond what deflate can produce (a zip bomb or a corrupt header)`;
  return null;
}

function keyOf(name: string): string {
  return name.endsWith('.npy') ? name.slice(0, -4) : name;
}

/**
 * Unzips the entries of `path` for which `want(key)` holds, after checking every
 * entry name. Returns the entries (by key) and all keys present.
 */
function readEntries(bytes: Uint8Array, path: string, want: (key: string) => boolean): { entries: Map<string, Uint8Array>; keys: string[] } {
  // Local file header "PK\3\4", or the end-of-central-directory record of an empty zip.
  const isZip =
    bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && ((bytes[2] === 3 && bytes[3] === 4) || (bytes[2] === 5 && bytes[3] === 6));
  if (!isZip) throw new InputError(path, 'not a zip archive (an .npz must be a zip of .npy files)');
  const keys: string[] = [];
  // Every central-directory record takes at least 46 bytes: a count beyond that is a lie
  // that would have the unzipper walk billions of phantom entries.
  const maxEntries = Math.floor(bytes.length / CENTRAL_RECORD_BYTES);
  let seen = 0;
  let total = 0;
  let files;
  try {
    files = unzipSync(bytes, {
      filter: (f) => {
        if (++seen > maxEntries) throw new InputError(path, `corrupt zip archive: it declares more entries than ${bytes.length} bytes can hold`);
        const problem = unsafeName(f.name);
        if (problem) throw new InputError(path, `refusing archive entry "${JSON.stringify(f.name).slice(1, -1)}": the name ${problem}`);
        // Sizes are checked before the unzipper allocates the declared output size.
        const sizeProblem = entrySizeProblem(f, bytes.length);
        if (sizeProblem) throw new InputError(path, `refusing archive entry "${f.name}": ${sizeProblem}`);
        if (f.name.endsWith('/')) return false; // directory entry
        const key = keyOf(f.name);
        keys.push(key);
        if (!want(key)) return false;
        total += f.originalSize;
        if (total > MAX_INPUT_BYTES) throw new InputError(path, `refusing archive: its entries unpack to more than ${MAX_INPUT_BYTES} bytes`);
        return true;
      },
    });
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(path, `corrupt zip archive: ${(e as Error).message}`);
  }
  const entries = new Map<string, Uint8Array>();
  for (const [name, data] of Object.entries(files)) entries.set(keyOf(name), data);
  return { entries, keys };
}

/** Every array in the archive, by key (the entry name without `.npy`). */
export function loadNpz(path: string): Map<string, NdArray> {
  return parseNpz(readInputFile(path), path);
}

/** Every array of an archive held in memory; `path` names it in messages. */
export function parseNpz(bytes: Uint8Array, path: string): Map<string, NdArray> {
  const { entries } = readEntries(bytes, path, () => true);
  const out = new Map<string, NdArray>();
  for (const [key, data] of entries) out.set(key, parseNpy(data, `${path}:${key}`));
  return out;
}

/** One array of the archive; only that entry is decompressed. */
export function loadNpzArray(path: string, key: string): NdArray {
  const { entries, keys } = readEntries(readInputFile(path), path, (k) => k === key);
  const data = entries.get(key);
  if (!data) {
    const list = keys.length ? keys.map((k) => `"${k}"`).join(', ') : '(none)';
    throw new InputError(path, `no array "${key}" in the archive; keys present: ${list}`);
  }
  return parseNpy(data, `${path}:${key}`);
}
