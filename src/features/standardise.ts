/** Per-column standardisation fitted on the training rows only (no leakage into held-out stimuli). */
export interface Standardiser {
  mean: Float64Array;
  sd: Float64Array;
}

/** `x` is (n × d) row-major; a column that never varies gets sd 1 (it stays constant, at 0). */
export function fitStandardiser(x: ArrayLike<number>, rows: readonly number[], d: number): Standardiser {
  const mean = new Float64Array(d);
  const sd = new Float64Array(d);
  for (const i of rows) for (let j = 0; j < d; j++) mean[j] += x[i * d + j];
  for (let j = 0; j < d; j++) mean[j] /= rows.length;
  for (const i of rows) for (let j = 0; j < d; j++) sd[j] += (x[i * d + j] - mean[j]) ** 2;
  for (let j = 0; j < d; j++) {
    const s = Math.sqrt(sd[j] / rows.length);
    sd[j] = s > 1e-12 ? s : 1;
  }
  return { mean, sd };
}

/** The rows `rows` of `x`, standardised, as a new (rows.length × d) Float32Array. */
export function applyStandardiser(x: ArrayLike<number>, rows: readonly number[], d: number, s: Standardiser): Float32Array {
  const out = new Float32Array(rows.length * d);
  rows.forEach((i, k) => {
    for (let j = 0; j < d; j++) out[k * d + j] = (x[i * d + j] - s.mean[j]) / s.sd[j];
  });
  return out;
}
