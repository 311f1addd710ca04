/**
 * Helpers for the robustness tests: a cheap copy of the reference bundle (symbolic
 * links to the shared files, so replacing one file costs nothing), crafted bad files
 * built from the real ones, and a fingerprint of an output folder to prove that a
 * refused build changed nothing.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync, unzlibSync, zlibSync } from 'fflate';
import { SHARED_DATA } from '../support';

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
}

export interface Bundle {
  dir: string;
  manifestPath: string;
}

/** A data folder whose files are links to the shared bundle, with a writable manifest copy. */
export function linkBundle(): Bundle {
  const dir = tempDir('bundle');
  const manifestPath = path.join(dir, 'manifest.json');
  const manifest = JSON.parse(fs.readFileSync(path.join(SHARED_DATA, 'manifest.json'), 'utf8'));
  for (const f of manifest.files as Array<{ path: string }>) {
    fs.mkdirSync(path.dirname(path.join(dir, f.path)), { recursive: true });
    fs.symlinkSync(path.join(SHARED_DATA, f.path), path.join(dir, f.path));
  }
  fs.writeFileSync(manifestPath, JSON.stringify(manifest, null, 1));
  return { dir, manifestPath };
}

export function editManifest(bundle: Bundle, edit: (json: any) => void): void {
  const json = JSON.parse(fs.readFileSync(bundle.manifestPath, 'utf8'));
  edit(json);
  fs.writeFileSync(bundle.manifestPath, JSON.stringify(json, null, 1));
}

/** Replaces one data file and records its size and hash in the manifest, so that only the reader can object. */
export function replaceFile(bundle: Bundle, rel: string, bytes: Uint8Array): string {
  const file = path.join(bundle.dir, rel);
  fs.rmSync(file, { force: true });
  fs.writeFileSync(file, bytes);
  editManifest(bundle, (json) => {
    const entry = json.files.find((f: { path: string }) => f.path === rel);
    entry.bytes = bytes.length;
    entry.sha256 = crypto.createHash('sha256').update(bytes).digest('hex');
  });
  return file;
}

export function shared(rel: string): Uint8Array {
  return new Uint8Array(fs.readFileSync(path.join(SHARED_DATA, rel)));
}

/** A .npy file: header dict text padded to 64 bytes, then the data. */
export function npy(dict: string, data: Uint8Array): Uint8Array {
  let header = dict;
  while ((10 + header.length + 1) % 64 !== 0) header += ' ';
  header += '\n';
  const out = new Uint8Array(10 + header.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(new TextEncoder().encode(header), 10);
  out.set(data, 10 + header.length);
  return out;
}

export function f32npy(shape: number[], values: Float32Array): Uint8Array {
  const s = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  return npy(`{'descr': '<f4', 'fortran_order': False, 'shape': ${s}, }`, new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
}

/** The values of a real .npy prediction (float32, C order: the bundle's format). */
export function predictionValues(rel: string): { shape: number[]; values: Float32Array } {
  const bytes = shared(rel);
  const headerLen = new DataView(bytes.buffer, bytes.byteOffset).getUint16(8, true);
  const header = new TextDecoder().decode(bytes.subarray(10, 10 + headerLen));
  const shape = /\(([^)]*)\)/.exec(header)![1].split(',').filter((s) => s.trim()).map(Number);
  const data = bytes.slice(10 + headerLen);
  return { shape, values: new Float32Array(data.buffer, data.byteOffset, data.byteLength / 4) };
}

/** The decompressed XML of a real .gii.gz, edited, and gzipped again. */
export function editGifti(rel: string, edit: (xml: string) => string): Uint8Array {
  const xml = new TextDecoder().decode(gunzipSync(shared(rel)));
  return gzipSync(new TextEncoder().encode(edit(xml)));
}

/** Edits the float32 values of the first (POINTSET) data array of a GIfTI document. */
export function editPointset(xml: string, edit: (coords: Float32Array) => void): string {
  return xml.replace(/<Data>([^<]*)<\/Data>/, (_m, b64: string) => {
    const raw = unzlibSync(Buffer.from(b64.trim(), 'base64'));
    const coords = new Float32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4);
    edit(coords);
    return `<Data>${Buffer.from(zlibSync(new Uint8Array(coords.buffer, coords.byteOffset, coords.byteLength))).toString('base64')}</Data>`;
  });
}

/** Every file under `dir` (relative path → sha256), or null when the folder does not exist. */
export function fingerprint(dir: string): Record<string, string> | null {
  if (!fs.existsSync(dir)) return null;
  const out: Record<string, string> = {};
  for (const rel of (fs.readdirSync(dir, { recursive: true }) as string[]).sort()) {
    const full = path.join(dir, rel);
    const st = fs.lstatSync(full);
    out[rel] = st.isFile() ? crypto.createHash('sha256').update(fs.readFileSync(full)).digest('hex') : st.isDirectory() ? 'dir' : 'other';
  }
  return out;
}

/** A tiny Experiment 2: enough to reach every check; every case fails before training. */
export const TINY_DEFINITION = `id: exp2
title: "Experiment 2 (bad-input tests)"
protocol: dynamics
dataset:
  stimuli: timeseries
featureSets:
  - name: roi23
    perLeaf: 1
window:
  context: 3
architecture:
  dModel: 8
  layers: 1
  ffn: 16
  dropout: 0.1
training:
  steps: 2
  batchSize: 32
  learningRate: 0.001
  weightDecay: 0.0001
  clipNorm: 1.0
  schedule: cosine
  evalEvery: 1
seeds: [42]
evaluation:
  split:
    kind: study
    seed: 42
  crossValidation:
    kind: leave-one-stimulus-out
    models: [persistence]
models:
  - name: cortical
    kind: canvas
    mask: cortical
    weights: study
  - name: persistence
    kind: persistence
  - name: ridge
    kind: ridge
    alpha: 0.1
`;
