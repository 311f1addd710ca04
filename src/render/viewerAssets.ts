/**
 * Data for the page's interactive viewer, written by the render stage:
 *
 * - the mesh: one binary file, little-endian, in this order: Float32 coordinates
 *   of left pial, right pial, left inflated, right inflated (n × 3 each), Uint32
 *   triangles of left and right (m × 3 each), Float32 sulcal depth of left and
 *   right (n each);
 * - per animation, the painted values quantised to bytes: frame-major, then
 *   panel, then vertex; byte q < 255 stands for lo + q·(hi − lo)/254 (so one step
 *   is (hi − lo)/254 in the data's units), 255 for "no value".
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../util/atomic';
import type { Animation } from './animation';
import { LEVELS, quantise } from './quantise';
import type { BrainScene } from './scene';

export interface MeshAsset {
  file: string;
  verticesPerHemisphere: number;
  trianglesPerHemisphere: number;
}

export interface ValuesAsset {
  file: string;
  frames: number;
  panels: number;
  vertices: number;
  lo: number;
  hi: number;
  /** Data units per quantisation step. */
  step: number;
}

function bytesOf(...arrays: ArrayBufferView[]): Uint8Array {
  const total = arrays.reduce((n, a) => n + a.byteLength, 0);
  const out = new Uint8Array(total);
  let o = 0;
  for (const a of arrays) {
    out.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), o);
    o += a.byteLength;
  }
  return out;
}

/** Writes the file unless a file of that name (a content hash) is already there. */
function writeOnce(dir: string, rel: string, content: Uint8Array): void {
  const file = path.join(dir, rel);
  if (!fs.existsSync(file)) writeFileAtomic(file, content);
}

export function writeMeshAsset(dir: string, scene: BrainScene): MeshAsset {
  const [l, r] = scene.hemispheres;
  const content = bytesOf(l.surfaces.pial, r.surfaces.pial, l.surfaces.inflated, r.surfaces.inflated, l.triangles, r.triangles, l.sulc, r.sulc);
  const rel = `viewer/mesh.${crypto.createHash('sha256').update(content).digest('hex').slice(0, 16)}.bin`;
  writeOnce(dir, rel, content);
  return { file: rel, verticesPerHemisphere: scene.verticesPerHemisphere, trianglesPerHemisphere: l.triangles.length / 3 };
}

/** Quantises every frame and panel of the animation into bytes (see the file comment). */
export function quantiseValues(anim: Animation): { bytes: Uint8Array; lo: number; hi: number; vertices: number } {
  const all: Float32Array[] = [];
  for (let f = 0; f < anim.frames; f++) for (let p = 0; p < anim.panels.length; p++) all.push(anim.values(f, p));
  const vertices = all[0].length;
  // The colour bar's range: values beyond it saturate in the colours anyway.
  const lo = anim.scale.min;
  const hi = anim.scale.max;
  const bytes = new Uint8Array(all.length * vertices);
  all.forEach((values, k) => {
    for (let v = 0; v < vertices; v++) bytes[k * vertices + v] = quantise(values[v], lo, hi);
  });
  return { bytes, lo, hi, vertices };
}

export function writeValuesAsset(dir: string, anim: Animation, key: string): ValuesAsset {
  const rel = `viewer/${anim.id}.${key.slice(0, 16)}.bin`;
  const file = path.join(dir, rel);
  let lo = anim.scale.min;
  let hi = anim.scale.max;
  let vertices = 0;
  if (!fs.existsSync(file)) {
    const q = quantiseValues(anim);
    ({ lo, hi, vertices } = q);
    writeFileAtomic(file, q.bytes);
  } else vertices = fs.statSync(file).size / (anim.frames * anim.panels.length);
  return { file: rel, frames: anim.frames, panels: anim.panels.length, vertices, lo, hi, step: (hi - lo) / LEVELS };
}
