/**
 * Reader for NumPy `.npz` archives: a zip (stored or deflated, as written by
 * `numpy.savez` / `numpy.savez_compressed`) of `.npy` entries named `<key>.npy`.
 */
import { unzipSync } from 'fflate';
import { InputError } from './errors';
import { readInputFile } from './io';
import type { NdArray } from './ndarray';
import { parseNpy } from './npy';

/** Why a zip entry name is unsafe (zip slip), or null. */
function unsafeName(name: string): string | null {
  if (name.startsWith('/') || name.startsWith('\\') || /^[A-Za-z]:/.test(name)) return 'is an absolute path';
  if (name.split(/[/\\]/).includes('..')) return 'contains ".."';
  return null;
}

function keyOf(name: string): string {
  return name.endsWith('.npy') ? name.slice(0, -4) : name;
}

/**
 * Unzips the entries of `path` for which `want(key)` holds, after checking every
 * entry name. Returns the entries (by key) and all keys present.
 */
function readEntries(path: string, want: (key: string) => boolean): { entries: Map<string, Uint8Array>; keys: string[] } {
  const bytes = readInputFile(path);
  // Local file header "PK\3\4", or the end-of-central-directory record of an empty zip.
  const isZip =
    bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && ((bytes[2] === 3 && bytes[3] === 4) || (bytes[2] === 5 && bytes[3] === 6));
  if (!isZip) throw new InputError(path, 'not a zip archive (an .npz must be a zip of .npy files)');
  const keys: string[] = [];
  let files;
  try {
    files = unzipSync(bytes, {
      filter: (f) => {
        const problem = unsafeName(f.name);
        if (problem) throw new InputError(path, `refusing archive entry "${f.name}": the name ${problem}`);
        if (f.name.endsWith('/')) return false; // directory entry
        const key = keyOf(f.name);
        keys.push(key);
        return want(key);
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
  const { entries } = readEntries(path, () => true);
  const out = new Map<string, NdArray>();
  for (const [key, data] of entries) out.set(key, parseNpy(data, `${path}:${key}`));
  return out;
}

/** One array of the archive; only that entry is decompressed. */
export function loadNpzArray(path: string, key: string): NdArray {
  const { entries, keys } = readEntries(path, (k) => k === key);
  const data = entries.get(key);
  if (!data) {
    const list = keys.length ? keys.map((k) => `"${k}"`).join(', ') : '(none)';
    throw new InputError(path, `no array "${key}" in the archive; keys present: ${list}`);
  }
  return parseNpy(data, `${path}:${key}`);
}
