/**
 * Colour maps for values painted on the cortex: plain data in, RGB bytes out,
 * used both by the headless renders (in Node) and the page viewer (in the browser).
 *
 * - `viridis` for magnitudes (min → dark purple, max → yellow);
 * - `RdBu_r` for signed values with symmetric limits ±L (−L blue, 0 near white,
 *   +L red: matplotlib's reversed RdBu, the usual choice for activation maps).
 *
 * Values whose magnitude is under the threshold are not painted: the sulcal-depth
 * grey shows through, as do vertices with no value (NaN).
 */
import { interpolateRdBu, interpolateViridis } from 'd3-scale-chromatic';

export type ColourMapName = 'viridis' | 'RdBu_r';

export interface ColourScale {
  map: ColourMapName;
  /** Value at the bottom of the colour bar (−limit for a signed map). */
  min: number;
  /** Value at the top of the colour bar. */
  max: number;
  /**
   * Paint only where |value| ≥ threshold (signed maps) or value ≥ threshold
   * (magnitudes); 0 paints everything.
   */
  threshold: number;
  /** What the colour means, with its units, for the colour bar. */
  label: string;
}

const LUT_SIZE = 256;
const luts = new Map<ColourMapName, Uint8Array>();

function parseCss(c: string): [number, number, number] {
  if (c.startsWith('#')) return [parseInt(c.slice(1, 3), 16), parseInt(c.slice(3, 5), 16), parseInt(c.slice(5, 7), 16)];
  const m = c.match(/rgb\((\d+),\s*(\d+),\s*(\d+)\)/);
  if (!m) throw new Error(`unexpected colour "${c}"`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

/** The map sampled at 256 evenly spaced points of [0, 1], RGB bytes. */
export function colourLut(map: ColourMapName): Uint8Array {
  let lut = luts.get(map);
  if (!lut) {
    const f = map === 'viridis' ? interpolateViridis : (t: number) => interpolateRdBu(1 - t);
    lut = new Uint8Array(LUT_SIZE * 3);
    for (let i = 0; i < LUT_SIZE; i++) lut.set(parseCss(f(i / (LUT_SIZE - 1))), i * 3);
    luts.set(map, lut);
  }
  return lut;
}

/** Position of `value` on the bar, clamped to [0, 1]. */
export function scalePosition(value: number, scale: ColourScale): number {
  const t = (value - scale.min) / (scale.max - scale.min);
  return t < 0 ? 0 : t > 1 ? 1 : t;
}

/** Whether `value` is painted (else the background shows). */
export function isPainted(value: number, scale: ColourScale): boolean {
  if (Number.isNaN(value)) return false;
  return scale.map === 'RdBu_r' ? Math.abs(value) >= scale.threshold : value >= scale.threshold;
}

/** The colour of `value`, or null where the background shows. */
export function colourOf(value: number, scale: ColourScale): [number, number, number] | null {
  if (!isPainted(value, scale)) return null;
  const lut = colourLut(scale.map);
  const i = Math.round(scalePosition(value, scale) * (LUT_SIZE - 1)) * 3;
  return [lut[i], lut[i + 1], lut[i + 2]];
}

/**
 * The grey of the background from FreeSurfer's sulcal depth (positive = deep, in
 * sulci): sulci dark, gyri light, a smooth step of width ~1 mm between them.
 */
export function sulcGrey(sulc: number): number {
  return Math.round(150 - 55 * Math.tanh(sulc));
}

/** RGB bytes per vertex: the colour of its value, or its sulcal grey where not painted. */
export function paintVertices(values: ArrayLike<number>, sulc: ArrayLike<number>, scale: ColourScale, out = new Uint8Array(values.length * 3)): Uint8Array {
  if (sulc.length !== values.length) throw new Error(`${values.length} values for ${sulc.length} vertices`);
  const lut = colourLut(scale.map);
  const span = scale.max - scale.min;
  for (let v = 0; v < values.length; v++) {
    const x = values[v];
    if (isPainted(x, scale)) {
      let t = (x - scale.min) / span;
      t = t < 0 ? 0 : t > 1 ? 1 : t;
      const i = Math.round(t * (LUT_SIZE - 1)) * 3;
      out[v * 3] = lut[i];
      out[v * 3 + 1] = lut[i + 1];
      out[v * 3 + 2] = lut[i + 2];
    } else {
      const g = sulcGrey(sulc[v]);
      out[v * 3] = out[v * 3 + 1] = out[v * 3 + 2] = g;
    }
  }
  return out;
}

/**
 * The q-quantile of |x| over all finite values: a symmetric limit that a few
 * extreme vertices cannot stretch (the top 1 − q saturate).
 */
export function absQuantile(values: ArrayLike<number>, q: number): number {
  const a: number[] = [];
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) a.push(Math.abs(values[i]));
  if (a.length === 0) return 0;
  a.sort((x, y) => x - y);
  return a[Math.min(a.length - 1, Math.floor(q * a.length))];
}

/** Minimum and maximum of the finite values. */
export function extent(values: ArrayLike<number>): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    if (!Number.isFinite(x)) continue;
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  return [lo, hi];
}
