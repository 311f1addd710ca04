import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { WindowSet } from '../../src/features/windows';
import { AdamW, cosineLr } from '../../src/models/adamw';
import { initBackend } from '../../src/models/backend';
import { createCanvasModel } from '../../src/models/canvas';
import { createFlatModel, flatHidden } from '../../src/models/flat';
import { gelu } from '../../src/models/ops';
import { r2Score } from '../../src/models/metrics';
import { fitRidge, ridgePredict } from '../../src/models/ridge';
import { predictWindows, trainWindowModel } from '../../src/models/train';
import { createRng } from '../../src/util/random';

beforeAll(async () => {
  await initBackend();
});

/** A small linear dynamical system: x_{t+1} = A x_t, which every model should learn. */
function linearSystem(features: number, series: number, length: number, seed: number): WindowSet {
  // One system (fixed seed) for every call; `seed` draws only the starting states.
  const systemRng = createRng(1234);
  const A = Array.from({ length: features * features }, (_, i) => (i % (features + 1) === 0 ? 0.9 : 0.05 * systemRng.normal()));
  const rng = createRng(seed);
  const inputs: number[] = [];
  const targets: number[] = [];
  for (let s = 0; s < series; s++) {
    let x = Array.from({ length: features }, () => rng.normal());
    const steps: number[][] = [x];
    for (let t = 0; t < length; t++) {
      x = x.map((_, i) => x.reduce((acc, v, j) => acc + A[i * features + j] * v, 0));
      steps.push(x);
    }
    for (let t = 3; t < steps.length; t++) {
      inputs.push(...steps[t - 3], ...steps[t - 2], ...steps[t - 1]);
      targets.push(...steps[t]);
    }
  }
  const count = targets.length / features;
  return { inputs: Float32Array.from(inputs), targets: Float32Array.from(targets), count, context: 3, features, stimulusOf: new Array(count).fill(0) };
}

describe('r2Score', () => {
  it('is variance-weighted over all samples and features (hand-worked case)', () => {
    // feature 0: y = [0, 2], mean 1, SST 2; pred [1, 1] → SSE 2
    // feature 1: y = [0, 0], SST 0; pred [1, 0] → SSE 1
    // pooled: 1 − 3/2 = −0.5 (an average of per-feature R² would be undefined)
    expect(r2Score([1, 1, 1, 0], [0, 0, 2, 0], 2)).toBeCloseTo(-0.5, 12);
    expect(r2Score([0, 5, 2, 5], [0, 5, 2, 5], 2)).toBe(1);
  });
});

describe('parameter counts', () => {
  it('cortical canvas at the reference configuration has 124,929 parameters (149,889 minus the 3 × 2 × 4,160 query/key weights)', () => {
    const F = 135;
    const m = createCanvasModel('cortical', { features: F, context: 3, dModel: 64, layers: 3, ffn: 256, dropout: 0.1, mixing: new Float32Array(F * F).fill(1 / F) }, createRng(1));
    expect(m.params.count()).toBe(149_889 - 3 * 2 * (64 * 64 + 64));
    m.dispose();
  });

  it('flat MLP has 28,439 parameters at 23 features (H = 128) as in the study', () => {
    const m = createFlatModel({ features: 23, context: 3, hidden: flatHidden(23) }, createRng(1));
    expect(m.params.count()).toBe(28_439);
    expect(flatHidden(135)).toBe(270);
    m.dispose();
  });
});

describe('canvas mixing', () => {
  it('an identity mask keeps features independent: changing feature 1 cannot change output 0', () => {
    const F = 4;
    const identity = new Float32Array(F * F);
    for (let i = 0; i < F; i++) identity[i * F + i] = 1;
    const m = createCanvasModel('iso', { features: F, context: 3, dModel: 8, layers: 2, ffn: 16, dropout: 0, mixing: identity }, createRng(3));
    const base = new Float32Array(3 * F).fill(0.1);
    const changed = base.slice();
    for (let t = 0; t < 3; t++) changed[t * F + 1] = 5;
    const out = (x: Float32Array) => tf.tidy(() => m.apply(tf.tensor3d(x, [1, 3, F]), false, 0).dataSync());
    const a = out(base);
    const b = out(changed);
    expect(b[0]).toBeCloseTo(a[0], 6);
    expect(Math.abs(b[1] - a[1])).toBeGreaterThan(1e-4);
    m.dispose();
  });
});

describe('AdamW', () => {
  it('first step moves each parameter by lr·sign(g) plus decoupled decay (hand-worked)', () => {
    const p = tf.variable(tf.tensor1d([1, -2]));
    const opt = new AdamW(new Map([['p', p]]), { weightDecay: 0.1, clipNorm: 0 });
    opt.step({ p: tf.tensor1d([0.5, -3]) }, 0.01);
    // m̂ = g, v̂ = g², update = g/|g| = ±1; p ← p(1 − lr·wd) − lr·sign(g)
    const [a, b] = p.dataSync();
    expect(a).toBeCloseTo(1 * (1 - 0.001) - 0.01, 5);
    expect(b).toBeCloseTo(-2 * (1 - 0.001) + 0.01, 5);
    opt.dispose();
    p.dispose();
  });

  it('cosine schedule runs from lr to 0', () => {
    expect(cosineLr(1e-3, 0, 200)).toBeCloseTo(1e-3, 12);
    expect(cosineLr(1e-3, 100, 200)).toBeCloseTo(5e-4, 12);
    expect(cosineLr(1e-3, 200, 200)).toBeCloseTo(0, 12);
  });
});

describe('training on a known linear system', () => {
  const train = linearSystem(6, 6, 30, 1);
  const val = linearSystem(6, 2, 30, 2);
  const protocol = { steps: 150, batchSize: 32, learningRate: 3e-3, weightDecay: 1e-4, clipNorm: 1, evalEvery: 25, seed: 7 };

  it('ridge recovers the dynamics (R² > 0.99)', () => {
    expect(r2Score(ridgePredict(fitRidge(train, 1e-6), val), val.targets, 6)).toBeGreaterThan(0.99);
  });

  it('the flat MLP learns it from a negative start', () => {
    const m = createFlatModel({ features: 6, context: 3, hidden: 32 }, createRng(5));
    const r = trainWindowModel(m, train, val, protocol);
    expect(r.curve[0].step).toBe(0);
    expect(r.curve.at(-1)!.step).toBe(150);
    expect(r.curve.map((c) => c.step)).toEqual([0, 25, 50, 75, 100, 125, 150]);
    // 150 cosine-annealed steps get a small MLP most of the way (0.72 here); untrained it is near 0 or below.
    expect(r.curve.at(-1)!.valR2).toBeGreaterThan(0.6);
    expect(r.curve.at(-1)!.valR2).toBeGreaterThan(r.curve[0].valR2);
    m.dispose();
  });

  it('the dense canvas model improves validation R² substantially', () => {
    const F = 6;
    const m = createCanvasModel('dense', { features: F, context: 3, dModel: 16, layers: 2, ffn: 32, dropout: 0, mixing: new Float32Array(F * F).fill(1 / F) }, createRng(5));
    const r = trainWindowModel(m, train, val, protocol);
    expect(r.curve.at(-1)!.valR2).toBeGreaterThan(0.5);
    m.dispose();
  });

  it('same seed, same backend: identical predictions', () => {
    const run = () => {
      const m = createFlatModel({ features: 6, context: 3, hidden: 16 }, createRng(11));
      trainWindowModel(m, train, val, { ...protocol, steps: 20 });
      const p = predictWindows(m, val);
      m.dispose();
      return Array.from(p);
    };
    expect(run()).toEqual(run());
  });
});

describe('matMul gradient (explicit transposes, narrow right operand)', () => {
  it('gives the hand-worked gradients for both operands, whichever orientation it picks', () => {
    // L = Σ (x·W)ᵢⱼ · cᵢⱼ, so dL/dW = xᵀ·c and dL/dx = c·Wᵀ.
    const x = tf.tensor2d([[1, 2], [3, 4], [5, 6]]); // 3×2
    const W = tf.tensor2d([[1, 0, -1, 2, 0.5], [0, 1, 2, -1, 1]]); // 2×5: wider than x, so (cᵀ·x)ᵀ is used
    const c = tf.tensor2d([[1, 0, 0, 1, 2], [0, 1, 0, 1, 0], [1, 1, 1, 0, -1]]);
    const grads = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D), c)));
    const [dx, dW] = grads([x, W]);
    // xᵀ·c by hand: rows of xᵀ are (1,3,5) and (2,4,6).
    expect(Array.from(dW.dataSync())).toEqual([6, 8, 5, 4, -3, 8, 10, 6, 6, -2]);
    // c·Wᵀ by hand: row i of c dotted with rows (1,0,-1,2,0.5) and (0,1,2,-1,1).
    expect(Array.from(dx.dataSync())).toEqual([4, 1, 2, 0, -0.5, 2]);
  });
});

describe('GELU', () => {
  it('matches x·Φ(x) and its written-out gradient matches central differences', () => {
    const points = [-3, -1, -0.25, 0, 0.5, 2];
    // Φ by its series-free identity Φ(x) = ½(1 + erf(x/√2)); erf values from tables (Abramowitz & Stegun).
    const erf: Record<number, number> = { 2.1213203: 0.9973002, 0.7071068: 0.6826895, 0.1767767: 0.1974127, 0: 0, 0.3535534: 0.3829249, 1.4142136: 0.9544997 };
    const expected = points.map((x) => {
      const z = Math.abs(x) * Math.SQRT1_2;
      const key = Object.keys(erf).map(Number).find((k) => Math.abs(k - z) < 1e-6)!;
      return x * 0.5 * (1 + Math.sign(x) * erf[key]);
    });
    const value = Array.from(gelu(tf.tensor1d(points)).dataSync());
    value.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 5));
    const dg = Array.from(tf.grad((x: tf.Tensor) => tf.sum(gelu(x)))(tf.tensor1d(points)).dataSync());
    const h = 1e-2;
    points.forEach((x, i) => {
      const f = (v: number) => gelu(tf.tensor1d([v])).dataSync()[0];
      expect(dg[i]).toBeCloseTo((f(x + h) - f(x - h)) / (2 * h), 3);
    });
  });
});

describe('zero-copy Identity on the WebAssembly backend', () => {
  it('a clone keeps its values after the original is disposed, and a variable update does not reach the clone', () => {
    const before = tf.memory().numTensors;
    const a = tf.tensor1d([1, 2, 3]);
    const b = tf.clone(a);
    a.dispose();
    expect(Array.from(b.dataSync())).toEqual([1, 2, 3]);
    const initial = tf.tensor1d([4, 5]);
    const v = tf.variable(initial);
    const saved = tf.clone(v);
    const next = tf.tensor1d([6, 7]);
    v.assign(next);
    expect(Array.from(saved.dataSync())).toEqual([4, 5]);
    expect(Array.from(v.dataSync())).toEqual([6, 7]);
    tf.dispose([b, v, saved, initial, next]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
