/**
 * Element-wise kernels for training on the WebAssembly backend, written in
 * AssemblyScript with 128-bit SIMD. The module imports TensorFlow.js's own
 * WebAssembly memory, so every pointer here is a tensor's offset in that heap:
 * no copies in or out. Each kernel does in one pass what TensorFlow.js does in
 * several (bias add, GELU, dropout, LayerNorm, their gradients, and AdamW).
 *
 * All matrices are row-major float32, `rows × cols`; vectors indexed by column
 * (bias, gamma, beta) have `cols` entries. A pointer of 0 means "absent".
 * The module has no data segment and allocates nothing: it must never write
 * anywhere but the output pointers it is given.
 */

const LOG2E: f32 = 1.4426950408889634;
const LN2_HI: f32 = 0.693359375;
const LN2_LO: f32 = -2.12194440e-4;

@inline function at(base: usize, index: i32): usize {
  return base + (<usize>index << 2);
}

/**
 * e^x for x ≤ 0 (Cephes expf: range reduction by ln 2, degree-6 polynomial).
 * n = round(x·log2 e) comes from adding 1.5·2^23, which leaves n in the low
 * mantissa bits; shifting those bits (plus the bias 127) into the exponent
 * field gives 2^n, with no float/int conversion instructions.
 */
@inline function expNonPositive(x: v128): v128 {
  const magic = f32x4.splat(12582912.0);
  x = f32x4.pmax(x, f32x4.splat(-87.0));
  const shifted = f32x4.add(f32x4.mul(x, f32x4.splat(LOG2E)), magic);
  const n = f32x4.sub(shifted, magic);
  let r = f32x4.sub(x, f32x4.mul(n, f32x4.splat(LN2_HI)));
  r = f32x4.sub(r, f32x4.mul(n, f32x4.splat(LN2_LO)));
  let p = f32x4.splat(1.9875691500e-4);
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.3981999507e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(8.3334519073e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(4.1665795894e-2));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.6666665459e-1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(5.0000001201e-1));
  p = f32x4.add(f32x4.add(f32x4.mul(p, f32x4.mul(r, r)), r), f32x4.splat(1.0));
  const scale = i32x4.shl(i32x4.add(shifted, i32x4.splat(127)), 23);
  return f32x4.mul(p, scale);
}

/** y = x + bias (+ residual). */
export function biasAdd(x: usize, bias: usize, residual: usize, y: usize, rows: i32, cols: i32): void {
  const wide = cols & ~3;
  for (let r = 0; r < rows; r++) {
    const row = r * cols;
    let c = 0;
    for (; c < wide; c += 4) {
      let s = f32x4.add(v128.load(at(x, row + c)), v128.load(at(bias, c)));
      if (residual) s = f32x4.add(s, v128.load(at(residual, row + c)));
      v128.store(at(y, row + c), s);
    }
    for (; c < cols; c++) {
      let s = load<f32>(at(x, row + c)) + load<f32>(at(bias, c));
      if (residual) s += load<f32>(at(residual, row + c));
      store<f32>(at(y, row + c), s);
    }
  }
}

/** out[c] = Σ_r x[r, c]. */
export function columnSum(x: usize, out: usize, rows: i32, cols: i32): void {
  memory.fill(out, 0, <usize>cols << 2);
  const wide = cols & ~3;
  for (let r = 0; r < rows; r++) {
    const row = r * cols;
    let c = 0;
    for (; c < wide; c += 4) v128.store(at(out, c), f32x4.add(v128.load(at(out, c)), v128.load(at(x, row + c))));
    for (; c < cols; c++) store<f32>(at(out, c), load<f32>(at(out, c)) + load<f32>(at(x, row + c)));
  }
}

/**
 * GELU(v) = v·Φ(v) and its derivative Φ(v) + v·φ(v), four lanes at a time.
 * Φ uses erf from Abramowitz & Stegun 7.1.26 (absolute error below 1.5e-7), whose
 * e^{-v²/2} term is also √(2π)·φ(v): the derivative costs no second exponential.
 */
@inline function geluLanes(v: v128, withDerivative: bool, derivative: usize, keep: v128): v128 {
  const one = f32x4.splat(1.0);
  const z = f32x4.mul(f32x4.abs(v), f32x4.splat(0.7071067811865476));
  const e = expNonPositive(f32x4.neg(f32x4.mul(z, z)));
  const t = f32x4.div(one, f32x4.add(one, f32x4.mul(f32x4.splat(0.3275911), z)));
  let q = f32x4.add(f32x4.mul(f32x4.splat(1.061405429), t), f32x4.splat(-1.453152027));
  q = f32x4.add(f32x4.mul(q, t), f32x4.splat(1.421413741));
  q = f32x4.add(f32x4.mul(q, t), f32x4.splat(-0.284496736));
  q = f32x4.add(f32x4.mul(q, t), f32x4.splat(0.254829592));
  const erfAbs = f32x4.sub(one, f32x4.mul(f32x4.mul(q, t), e));
  const erf = v128.or(erfAbs, v128.and(v, i32x4.splat(0x80000000)));
  const cdf = f32x4.mul(f32x4.splat(0.5), f32x4.add(one, erf));
  if (withDerivative) {
    const d = f32x4.add(cdf, f32x4.mul(f32x4.mul(v, e), f32x4.splat(0.3989422804014327)));
    v128.store(derivative, f32x4.mul(d, keep));
  }
  return f32x4.mul(f32x4.mul(v, cdf), keep);
}

/**
 * y = GELU(x + bias)·keep and, when `derivative` is not 0, derivative = GELU'(x + bias)·keep.
 * `keep` is a pre-scaled inverted-dropout mask (0 or 1/(1 − rate)), or 0 for none.
 */
export function biasGelu(x: usize, bias: usize, keep: usize, y: usize, derivative: usize, rows: i32, cols: i32): void {
  const wide = cols & ~3;
  const withDerivative = derivative != 0;
  const one = f32x4.splat(1.0);
  for (let r = 0; r < rows; r++) {
    const row = r * cols;
    let c = 0;
    for (; c < wide; c += 4) {
      const v = f32x4.add(v128.load(at(x, row + c)), v128.load(at(bias, c)));
      const k = keep ? v128.load(at(keep, row + c)) : one;
      v128.store(at(y, row + c), geluLanes(v, withDerivative, at(derivative, row + c), k));
    }
    for (; c < cols; c++) {
      const v = load<f32>(at(x, row + c)) + load<f32>(at(bias, c));
      const k: f32 = keep ? load<f32>(at(keep, row + c)) : 1.0;
      const z = Mathf.abs(v) * <f32>0.7071067811865476;
      // Through the vector exp: Mathf.exp would bring a lookup table (a data segment) into the module.
      const e = f32x4.extract_lane(expNonPositive(f32x4.splat(-z * z)), 0);
      const t = <f32>1.0 / (<f32>1.0 + <f32>0.3275911 * z);
      const q = ((((<f32>1.061405429 * t - <f32>1.453152027) * t + <f32>1.421413741) * t - <f32>0.284496736) * t + <f32>0.254829592) * t;
      const erfAbs = <f32>1.0 - q * e;
      const cdf = <f32>0.5 * (<f32>1.0 + (v < 0 ? -erfAbs : erfAbs));
      store<f32>(at(y, row + c), v * cdf * k);
      if (withDerivative) store<f32>(at(derivative, row + c), (cdf + v * e * <f32>0.3989422804014327) * k);
    }
  }
}

/** dx = dy·derivative and dbias[c] = Σ_r dx[r, c] (the backward pass of `biasGelu`). */
export function mulColumnSum(dy: usize, derivative: usize, dx: usize, dbias: usize, rows: i32, cols: i32): void {
  memory.fill(dbias, 0, <usize>cols << 2);
  const wide = cols & ~3;
  for (let r = 0; r < rows; r++) {
    const row = r * cols;
    let c = 0;
    for (; c < wide; c += 4) {
      const g = f32x4.mul(v128.load(at(dy, row + c)), v128.load(at(derivative, row + c)));
      v128.store(at(dx, row + c), g);
      v128.store(at(dbias, c), f32x4.add(v128.load(at(dbias, c)), g));
    }
    for (; c < cols; c++) {
      const g = load<f32>(at(dy, row + c)) * load<f32>(at(derivative, row + c));
      store<f32>(at(dx, row + c), g);
      store<f32>(at(dbias, c), load<f32>(at(dbias, c)) + g);
    }
  }
}

@inline function horizontalSum(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3);
}

/**
 * LayerNorm over each row of s = a + b (b may be 0): y = x̂·gamma + beta with
 * x̂ = (s − mean)/√(var + eps) (population variance, as torch). Writes x̂ and
 * 1/√(var + eps) per row for the backward pass. Two passes over each row
 * (mean, then squared deviations) keep the variance accurate.
 */
export function addLayerNorm(a: usize, b: usize, gamma: usize, beta: usize, y: usize, xhat: usize, rstd: usize, rows: i32, cols: i32, eps: f32): void {
  const wide = cols & ~3;
  const n = <f32>cols;
  for (let r = 0; r < rows; r++) {
    const row = r * cols;
    // s = a + b goes into xhat first; it is normalised in place below.
    let acc = f32x4.splat(0);
    let tail: f32 = 0;
    let c = 0;
    for (; c < wide; c += 4) {
      let s = v128.load(at(a, row + c));
      if (b) s = f32x4.add(s, v128.load(at(b, row + c)));
      v128.store(at(xhat, row + c), s);
      acc = f32x4.add(acc, s);
    }
    for (; c < cols; c++) {
      let s = load<f32>(at(a, row + c));
      if (b) s += load<f32>(at(b, row + c));
      store<f32>(at(xhat, row + c), s);
      tail += s;
    }
    const mean = (horizontalSum(acc) + tail) / n;
    const meanV = f32x4.splat(mean);
    acc = f32x4.splat(0);
    tail = 0;
    for (c = 0; c < wide; c += 4) {
      const d = f32x4.sub(v128.load(at(xhat, row + c)), meanV);
      acc = f32x4.add(acc, f32x4.mul(d, d));
    }
    for (; c < cols; c++) {
      const d = load<f32>(at(xhat, row + c)) - mean;
      tail += d * d;
    }
    const inv: f32 = 1.0 / Mathf.sqrt((horizontalSum(acc) + tail) / n + eps);
    store<f32>(at(rstd, r), inv);
    const invV = f32x4.splat(inv);
    for (c = 0; c < wide; c += 4) {
      const h = f32x4.mul(f32x4.sub(v128.load(at(xhat, row + c)), meanV), invV);
      v128.store(at(xhat, row + c), h);
      v128.store(at(y, row + c), f32x4.add(f32x4.mul(h, v128.load(at(gamma, c))), v128.load(at(beta, c))));
    }
    for (; c < cols; c++) {
      const h = (load<f32>(at(xhat, row + c)) - mean) * inv;
      store<f32>(at(xhat, row + c), h);
      store<f32>(at(y, row + c), h * load<f32>(at(gamma, c)) + load<f32>(at(beta, c)));
    }
  }
}

/**
 * The backward pass of `addLayerNorm`: with g = dy·gamma,
 * dx = rstd·(g − mean(g) − x̂·mean(g·x̂)) per row; dgamma = Σ_r dy·x̂; dbeta = Σ_r dy.
 */
export function layerNormGrad(dy: usize, xhat: usize, rstd: usize, gamma: usize, dx: usize, dgamma: usize, dbeta: usize, rows: i32, cols: i32): void {
  memory.fill(dgamma, 0, <usize>cols << 2);
  memory.fill(dbeta, 0, <usize>cols << 2);
  const wide = cols & ~3;
  const n = <f32>cols;
  for (let r = 0; r < rows; r++) {
    const row = r * cols;
    let sumG = f32x4.splat(0);
    let sumGX = f32x4.splat(0);
    let tailG: f32 = 0;
    let tailGX: f32 = 0;
    let c = 0;
    for (; c < wide; c += 4) {
      const d = v128.load(at(dy, row + c));
      const h = v128.load(at(xhat, row + c));
      const g = f32x4.mul(d, v128.load(at(gamma, c)));
      sumG = f32x4.add(sumG, g);
      sumGX = f32x4.add(sumGX, f32x4.mul(g, h));
      v128.store(at(dgamma, c), f32x4.add(v128.load(at(dgamma, c)), f32x4.mul(d, h)));
      v128.store(at(dbeta, c), f32x4.add(v128.load(at(dbeta, c)), d));
    }
    for (; c < cols; c++) {
      const d = load<f32>(at(dy, row + c));
      const h = load<f32>(at(xhat, row + c));
      const g = d * load<f32>(at(gamma, c));
      tailG += g;
      tailGX += g * h;
      store<f32>(at(dgamma, c), load<f32>(at(dgamma, c)) + d * h);
      store<f32>(at(dbeta, c), load<f32>(at(dbeta, c)) + d);
    }
    const meanG = (horizontalSum(sumG) + tailG) / n;
    const meanGX = (horizontalSum(sumGX) + tailGX) / n;
    const inv = load<f32>(at(rstd, r));
    const meanGV = f32x4.splat(meanG);
    const meanGXV = f32x4.splat(meanGX);
    const invV = f32x4.splat(inv);
    for (c = 0; c < wide; c += 4) {
      const g = f32x4.mul(v128.load(at(dy, row + c)), v128.load(at(gamma, c)));
      const h = v128.load(at(xhat, row + c));
      v128.store(at(dx, row + c), f32x4.mul(invV, f32x4.sub(f32x4.sub(g, meanGV), f32x4.mul(h, meanGXV))));
    }
    for (; c < cols; c++) {
      const g = load<f32>(at(dy, row + c)) * load<f32>(at(gamma, c));
      const h = load<f32>(at(xhat, row + c));
      store<f32>(at(dx, row + c), inv * (g - meanG - h * meanGX));
    }
  }
}

/** Σ x², accumulated in f64 (the global gradient norm for clipping). */
export function sumOfSquares(x: usize, n: i32): f64 {
  let s: f64 = 0;
  for (let i = 0; i < n; i++) {
    const v = <f64>load<f32>(at(x, i));
    s += v * v;
  }
  return s;
}

/**
 * One AdamW update of n parameters (torch.optim.AdamW's formulas), writing the
 * new parameters and moments to fresh buffers: g ← g·scale;
 * m ← β1·m + (1 − β1)·g; v ← β2·v + (1 − β2)·g²;
 * p ← p·(1 − lr·decay) − lr·(m/c1)/(√(v/c2) + eps).
 */
export function adamW(p: usize, g: usize, m: usize, v: usize, pOut: usize, mOut: usize, vOut: usize, n: i32, lr: f32, beta1: f32, beta2: f32, c1: f32, c2: f32, eps: f32, decay: f32, scale: f32): void {
  const shrink: f32 = 1.0 - lr * decay;
  for (let i = 0; i < n; i++) {
    const gi = load<f32>(at(g, i)) * scale;
    const mi = beta1 * load<f32>(at(m, i)) + (1.0 - beta1) * gi;
    const vi = beta2 * load<f32>(at(v, i)) + (1.0 - beta2) * gi * gi;
    store<f32>(at(mOut, i), mi);
    store<f32>(at(vOut, i), vi);
    store<f32>(at(pOut, i), load<f32>(at(p, i)) * shrink - lr * ((mi / c1) / (Mathf.sqrt(vi / c2) + eps)));
  }
}
