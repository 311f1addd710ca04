/**
 * R², variance-weighted over all samples and features:
 * 1 − Σ(pred − y)² / Σ(y − ȳ_feature)². Features that never vary add nothing to
 * either sum (they do not inflate or deflate the score).
 */
export function r2Score(pred: ArrayLike<number>, target: ArrayLike<number>, features: number): number {
  const n = target.length / features;
  const mean = new Float64Array(features);
  for (let i = 0; i < n; i++) for (let f = 0; f < features; f++) mean[f] += target[i * features + f];
  for (let f = 0; f < features; f++) mean[f] /= n;
  let sse = 0;
  let sst = 0;
  for (let i = 0; i < target.length; i++) {
    const d = pred[i] - target[i];
    const c = target[i] - mean[i % features];
    sse += d * d;
    sst += c * c;
  }
  return sst > 0 ? 1 - sse / sst : NaN;
}

export function meanSquaredError(pred: ArrayLike<number>, target: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < target.length; i++) s += (pred[i] - target[i]) ** 2;
  return s / target.length;
}

/** Mean squared error of each region, pooling its features. */
export function mseByRegion(pred: ArrayLike<number>, target: ArrayLike<number>, regionOf: readonly number[], regionCount: number): number[] {
  const F = regionOf.length;
  const sum = new Float64Array(regionCount);
  const count = new Float64Array(regionCount);
  for (let i = 0; i < target.length; i++) {
    const r = regionOf[i % F];
    sum[r] += (pred[i] - target[i]) ** 2;
    count[r]++;
  }
  return Array.from(sum, (s, r) => (count[r] ? s / count[r] : 0));
}

export function meanAndSd(values: readonly number[]): { mean: number; sd: number } {
  const m = values.reduce((a, b) => a + b, 0) / values.length;
  const v = values.length > 1 ? values.reduce((a, b) => a + (b - m) ** 2, 0) / (values.length - 1) : 0;
  return { mean: m, sd: Math.sqrt(v) };
}
