/**
 * The SIMD kernels (src/models/kernels) against TensorFlow.js's own ops on the
 * same backend: forward values, gradients by TensorFlow.js's autodiff of the
 * composed ops, AdamW against its tensor version, plus hand-worked values.
 * Shapes include column counts that are not multiples of 4 (the scalar tails).
 */
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AdamW } from '../../src/models/adamw';
import { initBackend } from '../../src/models/backend';
import { simdKernels, useSimdKernels } from '../../src/models/kernels/simd';
import { DropoutPool, ParamStore, addLayerNorm, layerNorm, linear, linearGelu } from '../../src/models/ops';
import type { Linear, NormParams } from '../../src/models/ops';
import { createRng } from '../../src/util/random';

// BRAIN_SIMD_KERNELS=0 turns the kernels off for a whole run: there is nothing here to compare then.
const kernelsOff = process.env.BRAIN_SIMD_KERNELS === '0';

beforeAll(async () => {
  const backend = await initBackend('wasm');
  if (!kernelsOff) expect(backend.kernels).toMatch(/^SIMD kernels \(AssemblyScript /);
});

afterEach(() => useSimdKernels(true));

const SHAPES: Array<[number, number]> = [
  [37, 10], // 10 = two vectors and a tail of 2
  [64, 64],
  [5, 3], // no full vector at all
];

function random(shape: number[], seed: number, scale = 1): tf.Tensor {
  const rng = createRng(seed);
  const size = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(Float32Array.from({ length: size }, () => scale * rng.normal()), shape);
}

/** Value and gradients of sum(f(...inputs) · weights), with the fused kernels on or off. */
function valueAndGrads(fused: boolean, f: (...xs: tf.Tensor[]) => tf.Tensor, inputs: tf.Tensor[], weights: tf.Tensor) {
  useSimdKernels(fused);
  try {
    const value = tf.tidy(() => f(...inputs));
    const grads = tf.grads((...xs: tf.Tensor[]) => tf.sum(tf.mul(f(...xs), weights)))(inputs);
    return { value: value.arraySync(), grads: grads.map((g) => g.arraySync()) };
  } finally {
    useSimdKernels(true);
  }
}

function expectClose(actual: unknown, expected: unknown, tolerance: number) {
  const a = (actual as number[] | number[][]).flat(2) as number[];
  const e = (expected as number[] | number[][]).flat(2) as number[];
  expect(a.length).toBe(e.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - e[i]) / (1 + Math.abs(e[i])));
  expect(worst).toBeLessThan(tolerance);
}

function compare(f: (...xs: tf.Tensor[]) => tf.Tensor, inputs: tf.Tensor[], outShape: number[], tolerance = 2e-6) {
  const weights = random(outShape, 99);
  const fused = valueAndGrads(true, f, inputs, weights);
  const composed = valueAndGrads(false, f, inputs, weights);
  expectClose(fused.value, composed.value, tolerance);
  expect(fused.grads.length).toBe(inputs.length);
  fused.grads.forEach((g, i) => expectClose(g, composed.grads[i], tolerance * 5));
}

const asLinear = (w: tf.Tensor, b: tf.Tensor): Linear => ({ w: w as tf.Variable, b: b as tf.Variable });
const asNorm = (gamma: tf.Tensor, beta: tf.Tensor): NormParams => ({ gamma: gamma as tf.Variable, beta: beta as tf.Variable });

describe.skipIf(kernelsOff)('fused kernels match the TensorFlow.js ops they replace', () => {
  it('are loaded on the WebAssembly backend and can be switched off', () => {
    expect(simdKernels()).toBeDefined();
    useSimdKernels(false);
    expect(simdKernels()).toBeUndefined();
  });

  for (const [rows, cols] of SHAPES) {
    const inner = 7;
    it(`x·W + b + residual and its gradients, ${rows} × ${cols}`, () => {
      const inputs = [random([rows, inner], 1), random([inner, cols], 2), random([cols], 3), random([rows, cols], 4)];
      compare((x, w, b, r) => linear(x as tf.Tensor2D, asLinear(w, b), r as tf.Tensor2D), inputs, [rows, cols]);
      compare((x, w, b) => linear(x as tf.Tensor2D, asLinear(w, b)), inputs.slice(0, 3), [rows, cols]);
    });

    it(`GELU(x·W + b) with a dropout mask, and its gradients, ${rows} × ${cols}`, () => {
      const inputs = [random([rows, inner], 5), random([inner, cols], 6), random([cols], 7)];
      // One pool per path, same seed: both draw the same mask.
      const pools = [new DropoutPool(0.25, createRng(8)), new DropoutPool(0.25, createRng(8))];
      let call = 0;
      compare((x, w, b) => linearGelu(x as tf.Tensor2D, asLinear(w, b), pools[Math.min(call++ >> 1, 1)]), inputs, [rows, cols]);
      compare((x, w, b) => linearGelu(x as tf.Tensor2D, asLinear(w, b)), inputs, [rows, cols]);
      pools.forEach((p) => p.dispose());
    });

    it(`LayerNorm(a + b) and LayerNorm(a), and their gradients, ${rows} × ${cols}`, () => {
      const inputs = [random([rows, cols], 9, 3), random([rows, cols], 10), tf.add(random([cols], 11, 0.1), 1), random([cols], 12, 0.1)];
      compare((a, b, g, be) => addLayerNorm(a as tf.Tensor2D, b as tf.Tensor2D, asNorm(g, be)), inputs, [rows, cols], 1e-5);
      compare((a, g, be) => layerNorm(a as tf.Tensor2D, asNorm(g, be)), [inputs[0], inputs[2], inputs[3]], [rows, cols], 1e-5);
    });
  }

  it('AdamW: one SIMD call per variable gives the tensor version’s parameters, over three clipped steps', () => {
    const run = (fused: boolean) => {
      useSimdKernels(fused);
      const params = new ParamStore(createRng(3));
      params.linear('a', 6, 5);
      params.norm('n', 5);
      const opt = new AdamW(params.vars, { weightDecay: 0.01, clipNorm: 0.5 });
      for (let step = 0; step < 3; step++) {
        const grads: Record<string, tf.Tensor> = {};
        [...params.vars].forEach(([name, v], i) => (grads[name] = random(v.shape, 20 + 10 * step + i)));
        opt.step(grads, 0.01);
        tf.dispose(Object.values(grads));
      }
      const values = [...params.vars.values()].map((v) => v.arraySync());
      opt.dispose();
      params.dispose();
      return values;
    };
    const fused = run(true);
    const composed = run(false);
    fused.forEach((v, i) => expectClose(v, composed[i], 1e-6));
  });
});

describe.skipIf(kernelsOff)('fused kernels, hand-worked values', () => {
  it('GELU(0) = 0, GELU(1) = Φ(1) = 0.8413447, GELU(−2) = −2·Φ(−2) = −0.0455003; GELU′(0) = 0.5, GELU′(1) = Φ(1) + φ(1) = 1.0833155', () => {
    const x = tf.tensor2d([[0, 1, -2, 1]]);
    const zero = asLinear(tf.eye(4), tf.zeros([4]));
    const y = linearGelu(x, zero).arraySync()[0];
    expect(y[0]).toBe(0);
    expect(y[1]).toBeCloseTo(0.8413447, 6);
    expect(y[2]).toBeCloseTo(-0.0455003, 6);
    const g = tf.grad((v: tf.Tensor) => tf.sum(linearGelu(v as tf.Tensor2D, zero)))(x).arraySync() as number[][];
    expect(g[0][0]).toBeCloseTo(0.5, 6);
    expect(g[0][1]).toBeCloseTo(1.0833155, 6);
  });

  it('LayerNorm of [1, 2, 3, 4] is (x − 2.5)/√(1.25 + 1e−5)', () => {
    const y = layerNorm(tf.tensor2d([[1, 2, 3, 4]]), asNorm(tf.ones([4]), tf.zeros([4]))).arraySync()[0];
    const s = Math.sqrt(1.25 + 1e-5);
    [-1.5, -0.5, 0.5, 1.5].forEach((d, i) => expect(y[i]).toBeCloseTo(d / s, 6));
  });

  it('the bias gradient is the column sum of the upstream gradient (no transpose)', () => {
    const dy = tf.tensor2d([[1, 2, 3], [4, 5, 6]]);
    const db = tf.grad((b: tf.Tensor) => tf.sum(tf.mul(linear(tf.zeros([2, 1]) as tf.Tensor2D, asLinear(tf.zeros([1, 3]), b)), dy)))(tf.zeros([3]));
    expect(Array.from(db.dataSync())).toEqual([5, 7, 9]);
  });
});

describe.skipIf(kernelsOff)('fused kernels refuse operands of the wrong size (they write raw memory)', () => {
  it('a bias, mask or residual that does not match the input is an error, not a write past the end', () => {
    const x = tf.zeros([4, 8]) as tf.Tensor2D;
    expect(() => linear(x, asLinear(tf.zeros([8, 8]), tf.zeros([7])))).toThrow(/vector of 7 float32 does not match 8 float32 columns/);
    expect(() => linear(x, asLinear(tf.zeros([8, 8]), tf.zeros([8])), tf.zeros([3, 8]) as tf.Tensor2D)).toThrow(/operand \[3,8\]/);
    expect(() => addLayerNorm(x, x, asNorm(tf.ones([8]), tf.zeros([9])))).toThrow(/vector of 9/);
    const pool = new DropoutPool(0.5, createRng(1));
    pool.mask(4, 4); // masks drawn for another shape are redrawn, never reused at the wrong size
    expect(linearGelu(x, asLinear(tf.zeros([8, 8]), tf.zeros([8])), pool).shape).toEqual([4, 8]);
    pool.dispose();
  });
});
