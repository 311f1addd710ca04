/**
 * A researcher's own TRIBE v2 export: a folder of `.npy` / `.npz` predictions and a
 * small list of what they are (`stimuli.json`, or `stimuli.yaml`), used in place of
 * the bundled predictions while the meshes, atlas and montage still come from the
 * reference data folder. Every file is checked as the bundled ones are (shape,
 * dtype, finite values, sha256) before anything is trained.
 *
 * ```yaml
 * license: CC BY-NC 4.0            # optional, recorded with the files
 * stimuli:
 *   - id: lab/run-01               # unique; experiment definitions may list it
 *     file: run-01.npy             # relative to the folder, no ".."
 *     kind: timeseries             # (T, 20484), T >= 2; or `mean`: (20484,)
 *     label: speech-video
 *   - id: lab/run-02
 *     file: runs.npz
 *     key: preds                   # the array inside an .npz (required there)
 *     kind: timeseries
 *     label: silent-video
 *     sha256: 3f5a…                # optional: checked if given, computed if not
 *     description: second run      # optional
 * ```
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { InputError } from './errors';
import { readInputFile, readInputText } from './io';
import { formatIssuePath, relativePathProblem, resolveInDataDir, type Manifest, type ManifestFile, type Stimulus } from './manifest';
import type { NdArray } from './ndarray';
import { parseNpy } from './npy';
import { parseNpz } from './npz';
import { assertFinitePredictions, FSAVERAGE5_TOTAL_VERTICES } from './stimuli';

export const EXPORT_LIST_FILES = ['stimuli.json', 'stimuli.yaml', 'stimuli.yml'];

const entrySchema = z
  .object({
    id: z.string().min(1).regex(/^[^\s]+$/, 'no spaces in an id'),
    file: z.string().superRefine((p, ctx) => {
      const problem = relativePathProblem(p);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
      else if (!/\.(npy|npz)$/.test(p)) ctx.addIssue({ code: 'custom', message: 'expected a .npy or .npz file' });
    }),
    key: z.string().min(1).nullable().optional(),
    kind: z.enum(['timeseries', 'mean']),
    label: z.string().min(1),
    description: z.string().optional(),
    sha256: z
      .string()
      .regex(/^[0-9a-fA-F]{64}$/, 'expected 64 hex characters')
      .transform((s) => s.toLowerCase())
      .optional(),
    /** Optional: when given, must match the file. */
    shape: z.array(z.number().int().positive()).min(1).max(2).optional(),
  })
  .strict()
  .superRefine((s, ctx) => {
    if (s.file.endsWith('.npz') && !s.key) ctx.addIssue({ code: 'custom', path: ['key'], message: 'an .npz file needs the name of the array inside it' });
    if (s.file.endsWith('.npy') && s.key) ctx.addIssue({ code: 'custom', path: ['key'], message: 'must be absent or null for a plain .npy file' });
  });

const listSchema = z
  .object({
    license: z.string().min(1).optional(),
    stimuli: z.array(entrySchema).min(1, 'list at least one stimulus'),
  })
  .strict()
  .superRefine((l, ctx) => {
    const ids = new Map<string, number>();
    l.stimuli.forEach((s, i) => {
      const first = ids.get(s.id);
      if (first !== undefined) ctx.addIssue({ code: 'custom', path: ['stimuli', i, 'id'], message: `duplicate id (also stimuli[${first}])` });
      else ids.set(s.id, i);
    });
  });

export interface PredictionsExport {
  /** The export folder (absolute). */
  dir: string;
  /** The list file that described it. */
  listFile: string;
  /** The export as a manifest: its files (with their sha256, computed where not given) and stimuli. */
  manifest: Manifest;
}

function findListFile(dir: string): string {
  let st: fs.Stats;
  try {
    st = fs.statSync(dir);
  } catch {
    throw new InputError(dir, 'predictions folder not found');
  }
  if (!st.isDirectory()) throw new InputError(dir, 'expected a folder of predictions with a stimuli.json, found a file');
  const present = EXPORT_LIST_FILES.filter((f) => fs.existsSync(path.join(dir, f)));
  if (present.length === 0) throw new InputError(dir, `no ${EXPORT_LIST_FILES.join(' or ')} listing the predictions (see README: "Your own TRIBE v2 export")`);
  if (present.length > 1) throw new InputError(dir, `both ${present.join(' and ')}: keep one list of stimuli`);
  return path.join(dir, present[0]);
}

function parseList(file: string): z.infer<typeof listSchema> {
  const text = readInputText(file, 1 << 22);
  let json: unknown;
  try {
    json = file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (e) {
    throw new InputError(file, `not valid ${file.endsWith('.json') ? 'JSON' : 'YAML'}: ${(e as Error).message.split('\n')[0]}`);
  }
  const result = listSchema.safeParse(json);
  if (result.success) return result.data;
  const lines = result.error.issues.slice(0, 8).map((i) => `${formatIssuePath(i.path)}: ${i.code === 'unrecognized_keys' ? `unknown field ${i.keys.map((k) => `'${k}'`).join(', ')}` : i.message}`);
  throw new InputError(file, lines.join('; '));
}

/** The shape rules of a prediction: (T, 20484) with T >= 2 for a time series, (20484,) for a mean map. */
function shapeProblem(kind: Stimulus['kind'], shape: number[]): string | null {
  const V = FSAVERAGE5_TOTAL_VERTICES;
  if (kind === 'timeseries') {
    if (shape.length !== 2 || shape[1] !== V) return `a timeseries prediction must have shape (T, ${V}), got (${shape.join(', ')})`;
    if (shape[0] < 2) return `a timeseries needs at least 2 timesteps, got ${shape[0]}`;
  } else if (shape.length !== 1 || shape[0] !== V) {
    return `a mean prediction must have shape (${V},), got (${shape.join(', ')})`;
  }
  return null;
}

/**
 * Reads and checks an export folder. Each file is read once here: its sha256 is
 * checked (or computed), and its array must be float32/float64, of the shape its
 * kind needs, with every value finite (NaN and infinities are refused, not repaired).
 */
export function loadExport(dir: string): PredictionsExport {
  const root = path.resolve(dir);
  const listFile = findListFile(root);
  const list = parseList(listFile);
  const files = new Map<string, ManifestFile>();
  const stimuli: Stimulus[] = [];
  for (const entry of list.stimuli) {
    const abs = resolveInDataDir(root, entry.file);
    const bytes = readInputFile(abs);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    if (entry.sha256 && entry.sha256 !== sha256) {
      throw new InputError(abs, `sha256 is ${sha256} but ${path.basename(listFile)} (stimulus ${entry.id}) says ${entry.sha256}`);
    }
    const key = entry.key ?? null;
    const source = key ? `${abs}:${key}` : abs;
    let array: NdArray;
    if (key) {
      const arrays = parseNpz(bytes, abs);
      const found = arrays.get(key);
      if (!found) throw new InputError(abs, `no array "${key}" in the archive (stimulus ${entry.id}); keys present: ${[...arrays.keys()].map((k) => `"${k}"`).join(', ') || '(none)'}`);
      array = found;
    } else {
      array = parseNpy(bytes, abs);
    }
    if (array.dtype !== 'float32' && array.dtype !== 'float64') {
      throw new InputError(source, `dtype is ${array.dtype}; TRIBE v2 predictions must be float32 or float64`);
    }
    const problem = shapeProblem(entry.kind, array.shape);
    if (problem) throw new InputError(source, `${problem} (stimulus ${entry.id})`);
    if (entry.shape && entry.shape.join(',') !== array.shape.join(',')) {
      throw new InputError(source, `shape is (${array.shape.join(', ')}); ${path.basename(listFile)} declares (${entry.shape.join(', ')}) for stimulus ${entry.id}`);
    }
    assertFinitePredictions(array, source);
    const known = files.get(entry.file);
    if (!known) {
      files.set(entry.file, { path: entry.file, url: pathToFileURL(abs).href, sha256, bytes: bytes.length, license: list.license ?? 'not stated (own TRIBE v2 export)' });
    }
    stimuli.push({ id: entry.id, file: entry.file, key, kind: entry.kind, shape: array.shape.slice(), label: entry.label, description: entry.description ?? '' });
  }
  return { dir: root, listFile, manifest: { files: [...files.values()], stimuli } };
}

/**
 * The manifest a run on an export is recorded under: the reference files (meshes,
 * atlas: still read from the data folder) and the export's files and stimuli. Its
 * hash goes into the results' provenance, so it covers every prediction's sha256.
 */
export function exportManifest(reference: Manifest, exp: PredictionsExport): Manifest {
  const taken = new Set(reference.files.map((f) => f.path));
  for (const f of exp.manifest.files) {
    if (taken.has(f.path)) throw new InputError(exp.listFile, `file "${f.path}" has the same path as a reference data file; rename it`);
  }
  // The bundled predictions are not read in such a run, so they are left out of its record.
  const bundled = new Set(reference.stimuli.map((s) => s.file));
  return { files: [...reference.files.filter((f) => !bundled.has(f.path)), ...exp.manifest.files], stimuli: exp.manifest.stimuli };
}
