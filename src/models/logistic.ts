/**
 * Multinomial logistic regression with an L2 penalty, the linear baseline of
 * Experiment 1. Objective (as scikit-learn's, C = inverse penalty):
 *   Σ_i −log softmax(W x_i + b)_{y_i} + ‖W‖² / (2C)
 * minimised by full-batch gradient descent with step 1/L, where L bounds the
 * curvature (½ λ_max(XᵀX) + 1/C, λ_max by power iteration). The objective is
 * convex, so this converges to the same optimum as any other solver.
 */
export interface LogisticModel {
  weights: Float64Array; // D × C
  bias: Float64Array; // C
  D: number;
  C: number;
}

export function fitLogistic(x: ArrayLike<number>, y: ArrayLike<number>, D: number, C: number, opts: { c: number; iterations: number }): LogisticModel {
  const n = y.length;
  const W = new Float64Array(D * C);
  const b = new Float64Array(C);
  const lipschitz = 0.5 * (largestEigen(x, n, D) + n) + 1 / opts.c;
  const step = 1 / lipschitz;
  const p = new Float64Array(C);
  const gW = new Float64Array(D * C);
  const gb = new Float64Array(C);
  for (let it = 0; it < opts.iterations; it++) {
    gW.fill(0);
    gb.fill(0);
    for (let i = 0; i < n; i++) {
      softmaxRow(x, i, D, C, W, b, p);
      p[y[i]] -= 1;
      for (let c = 0; c < C; c++) gb[c] += p[c];
      for (let j = 0; j < D; j++) {
        const v = x[i * D + j];
        if (v === 0) continue;
        for (let c = 0; c < C; c++) gW[j * C + c] += v * p[c];
      }
    }
    for (let k = 0; k < W.length; k++) W[k] -= step * (gW[k] + W[k] / opts.c);
    for (let c = 0; c < C; c++) b[c] -= step * gb[c];
  }
  return { weights: W, bias: b, D, C };
}

export function predictLogistic(model: LogisticModel, x: ArrayLike<number>): number[] {
  const n = x.length / model.D;
  const p = new Float64Array(model.C);
  return Array.from({ length: n }, (_, i) => {
    softmaxRow(x, i, model.D, model.C, model.weights, model.bias, p);
    let best = 0;
    for (let c = 1; c < model.C; c++) if (p[c] > p[best]) best = c;
    return best;
  });
}

function softmaxRow(x: ArrayLike<number>, i: number, D: number, C: number, W: Float64Array, b: Float64Array, out: Float64Array): void {
  let max = -Infinity;
  for (let c = 0; c < C; c++) {
    let z = b[c];
    for (let j = 0; j < D; j++) z += x[i * D + j] * W[j * C + c];
    out[c] = z;
    if (z > max) max = z;
  }
  let sum = 0;
  for (let c = 0; c < C; c++) sum += out[c] = Math.exp(out[c] - max);
  for (let c = 0; c < C; c++) out[c] /= sum;
}

/** λ_max of [X 1]ᵀ[X 1] (bias column included) by power iteration. */
function largestEigen(x: ArrayLike<number>, n: number, D: number): number {
  let v = new Float64Array(D + 1).fill(1 / Math.sqrt(D + 1));
  let lambda = 0;
  for (let it = 0; it < 50; it++) {
    const next = new Float64Array(D + 1);
    for (let i = 0; i < n; i++) {
      let dot = v[D];
      for (let j = 0; j < D; j++) dot += x[i * D + j] * v[j];
      for (let j = 0; j < D; j++) next[j] += x[i * D + j] * dot;
      next[D] += dot;
    }
    lambda = Math.hypot(...next);
    if (lambda === 0) return 0;
    v = next.map((e) => e / lambda);
  }
  return lambda * 1.01;
}
