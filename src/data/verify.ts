/** Check that a data folder holds every manifest file with the right size and sha256. */
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { InputError } from './errors';
import { resolveInDataDir, sha256File, type Manifest } from './manifest';

export interface VerifyResult {
  ok: boolean;
  /** manifest paths with no regular file in the data folder */
  missing: string[];
  /** manifest paths whose file has the wrong byte count */
  badSize: string[];
  /** manifest paths whose file has the right size but the wrong sha256 */
  badHash: string[];
}

export interface VerifyOptions {
  /** hash every file (default true); sizes are always checked */
  checkHashes?: boolean;
}

const HASH_CONCURRENCY = 4;

export async function verifyDataDir(
  manifest: Manifest,
  dataDir: string,
  opts: VerifyOptions = {},
): Promise<VerifyResult> {
  const checkHashes = opts.checkHashes ?? true;
  const missing: string[] = [];
  const badSize: string[] = [];
  const toHash: { rel: string; abs: string; sha256: string }[] = [];

  for (const f of manifest.files) {
    const abs = resolveInDataDir(dataDir, f.path);
    let size: number;
    try {
      const st = await fsp.stat(abs);
      if (!st.isFile()) {
        missing.push(f.path);
        continue;
      }
      size = st.size;
    } catch {
      missing.push(f.path);
      continue;
    }
    if (size !== f.bytes) badSize.push(f.path);
    else if (checkHashes) toHash.push({ rel: f.path, abs, sha256: f.sha256 });
  }

  const bad = new Set<string>();
  let next = 0;
  const worker = async () => {
    while (next < toHash.length) {
      const item = toHash[next++];
      let got: string;
      try {
        got = await sha256File(item.abs);
      } catch {
        bad.add(item.rel);
        continue;
      }
      if (got !== item.sha256) bad.add(item.rel);
    }
  };
  await Promise.all(Array.from({ length: Math.min(HASH_CONCURRENCY, toHash.length) }, worker));
  // keep manifest order
  const badHash = toHash.map((t) => t.rel).filter((p) => bad.has(p));

  return { ok: missing.length === 0 && badSize.length === 0 && badHash.length === 0, missing, badSize, badHash };
}

function listSome(paths: string[], max = 6): string {
  const shown = paths.slice(0, max).join(', ');
  return paths.length > max ? `${shown} and ${paths.length - max} more` : shown;
}

/**
 * Throw an InputError (naming the data folder) unless it holds every file of the
 * manifest, intact. The message says which files are missing or corrupt and how to
 * fill the folder.
 */
export async function assertDataDir(
  manifest: Manifest,
  dataDir: string,
  manifestPath: string,
  opts: VerifyOptions = {},
): Promise<void> {
  const dir = path.resolve(dataDir);
  const fix =
    `run \`npm run data -- --data ${dir}\` to download them (checked against ${manifestPath}), ` +
    'or set BRAIN_DATA_DIR to a filled data folder';
  let isDir = false;
  try {
    isDir = (await fsp.stat(dir)).isDirectory();
  } catch {
    /* missing */
  }
  if (!isDir) {
    throw new InputError(dir, `data folder not found; ${fix}`);
  }
  const r = await verifyDataDir(manifest, dir, opts);
  if (r.ok) return;
  const parts: string[] = [];
  if (r.missing.length) parts.push(`missing: ${listSome(r.missing)}`);
  if (r.badSize.length) parts.push(`wrong size: ${listSome(r.badSize)}`);
  if (r.badHash.length) parts.push(`sha256 mismatch: ${listSome(r.badHash)}`);
  const n = r.missing.length + r.badSize.length + r.badHash.length;
  throw new InputError(
    dir,
    `${n} of ${manifest.files.length} data files are missing or corrupt (${parts.join('; ')}); ${fix}`,
  );
}
