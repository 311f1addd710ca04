/**
 * Byte quantisation of painted values for the page viewer (no Node imports: the
 * browser uses it too). Byte q < 255 stands for lo + q·(hi − lo)/254; 255 means
 * "no value" (the vertex is not painted).
 */
export const NO_VALUE = 255;
export const LEVELS = 254;

export function quantise(x: number, lo: number, hi: number): number {
  if (Number.isNaN(x)) return NO_VALUE;
  const t = Math.round(((x - lo) / (hi - lo)) * LEVELS);
  return t < 0 ? 0 : t > LEVELS ? LEVELS : t;
}

export function dequantise(q: number, lo: number, hi: number): number {
  return q === NO_VALUE ? Number.NaN : lo + (q * (hi - lo)) / LEVELS;
}
