/**
 * The few tensor building blocks the models share.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { CustomGradientFunc } from '@tensorflow/tfjs-core/dist/engine';
import type { Rng } from '../util/random';
import { fusedAddLayerNorm, fusedBiasAdd, fusedBiasGelu } from './kernels/fusedOps';

/**
 * The WebAssembly backend runs matMul with a transpose flag 10–18× slower than
 * an explicit transpose followed by a plain matMul, and tfjs-core's own
 * BatchMatMul gradient uses those flags. This replaces that gradient (for every
 * matMul in the program, not only ours) with explicit transposes. The results
 * are the same products, so it is safe on every backend.
 */
const transposeInner = (t: tf.Tensor) => tf.transpose(t, t.rank === 3 ? [0, 2, 1] : [1, 0]);
const product = (x: tf.Tensor, y: tf.Tensor, tx: boolean, ty: boolean) =>
  tf.matMul((tx ? transposeInner(x) : x) as tf.Tensor3D, (ty ? transposeInner(y) : y) as tf.Tensor3D);

/**
 * aᵀ·g, the gradient of a weight matrix. The WebAssembly backend packs its right
 * operand on every call, which is slow when that operand is tall and wide (the
 * gradient of a 64→256 layer packs an 8640×256 matrix and runs at a third of
 * the backend's speed), so when a is a tall activation and g is wider than a,
 * the product is computed as (gᵀ·a)ᵀ, whose right operand is the narrower a.
 * When a is not tall (the canvas's square mixing matrix) transposing a costs
 * next to nothing, while transposing g and the result would cost two passes.
 */
function leftTransposedProduct(a: tf.Tensor, g: tf.Tensor): tf.Tensor {
  if (a.rank === 2 && g.rank === 2 && g.shape[1]! > a.shape[1]! && a.shape[0]! >= 4 * a.shape[1]!) {
    return tf.transpose(tf.matMul(tf.transpose(g) as tf.Tensor2D, a as tf.Tensor2D));
  }
  return product(a, g, true, false);
}

let gradientInstalled = false;
export function installFastMatMulGradient(): void {
  if (gradientInstalled) return;
  gradientInstalled = true;
  const warn = console.warn;
  console.warn = () => {}; // tfjs warns that a gradient is overridden; that is the point.
  try {
    tf.registerGradient({
      kernelName: 'BatchMatMul',
      inputsToSave: ['a', 'b'],
      gradFunc: (dy, saved, attrs) => {
        const [a, b] = saved;
        const { transposeA, transposeB } = attrs as unknown as { transposeA: boolean; transposeB: boolean };
        const g = dy as tf.Tensor;
        if (!transposeA && !transposeB) return { a: () => product(g, b, false, true), b: () => leftTransposedProduct(a, g) };
        if (!transposeA && transposeB) return { a: () => product(g, b, false, false), b: () => product(g, a, true, false) };
        if (transposeA && !transposeB) return { a: () => product(b, g, false, true), b: () => product(a, g, false, false) };
        return { a: () => product(b, g, true, true), b: () => product(g, a, true, true) };
      },
    });
  } finally {
    console.warn = warn;
  }
}

export function matMul(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  return tf.matMul(a, b);
}

export interface Linear {
  w: tf.Variable;
  b: tf.Variable;
}

export interface NormParams {
  gamma: tf.Variable;
  beta: tf.Variable;
}

/** A registry of trainable variables with stable names (checkpoints and weight decay use them). */
export class ParamStore {
  readonly vars = new Map<string, tf.Variable>();
  constructor(private readonly rng: Rng) {}

  /** PyTorch's nn.Linear initialisation: weights and bias uniform in ±1/√in. */
  linear(name: string, inputs: number, outputs: number): Linear {
    const bound = 1 / Math.sqrt(inputs);
    return { w: this.uniform(`${name}.w`, [inputs, outputs], bound), b: this.uniform(`${name}.b`, [outputs], bound) };
  }

  norm(name: string, size: number): NormParams {
    return { gamma: this.add(`${name}.gamma`, tf.ones([size])), beta: this.add(`${name}.beta`, tf.zeros([size])) };
  }

  uniform(name: string, shape: number[], bound: number): tf.Variable {
    const size = shape.reduce((a, b) => a * b, 1);
    const values = new Float32Array(size);
    for (let i = 0; i < size; i++) values[i] = (this.rng.next() * 2 - 1) * bound;
    return this.add(name, tf.tensor(values, shape));
  }

  private add(name: string, t: tf.Tensor): tf.Variable {
    if (this.vars.has(name)) throw new Error(`parameter ${name} declared twice`);
    const v = tf.variable(t, true, `${name}#${Math.random().toString(36).slice(2, 8)}`);
    t.dispose();
    this.vars.set(name, v);
    return v;
  }

  count(): number {
    let n = 0;
    for (const v of this.vars.values()) n += v.size;
    return n;
  }

  dispose(): void {
    for (const v of this.vars.values()) v.dispose();
    this.vars.clear();
  }
}

/** x·W + b, plus `residual` when given (one fused pass on the WebAssembly backend). */
export function linear(x: tf.Tensor2D, p: Linear, residual?: tf.Tensor2D): tf.Tensor2D {
  const product = matMul(x, p.w as tf.Tensor2D);
  const fused = fusedBiasAdd(product, p.b as tf.Tensor1D, residual);
  if (fused) return fused;
  const biased = tf.add(product, p.b) as tf.Tensor2D;
  return residual ? tf.add(biased, residual) : biased;
}

/** GELU(x·W + b), with inverted dropout when a pool is given (training). */
export function linearGelu(x: tf.Tensor2D, p: Linear, dropout?: DropoutPool): tf.Tensor2D {
  const product = matMul(x, p.w as tf.Tensor2D);
  const keep = dropout?.mask(product.shape[0], product.shape[1]);
  const fused = fusedBiasGelu(product, p.b as tf.Tensor1D, keep);
  if (fused) return fused;
  const activated = gelu(tf.add(product, p.b)) as tf.Tensor2D;
  return keep ? tf.mul(activated, keep) : activated;
}

/**
 * Exact GELU, x·Φ(x), as PyTorch's default, with its gradient written out:
 * d/dx = Φ(x) + x·φ(x). Left to automatic differentiation, the erf inside Φ
 * costs about twice as many element-wise passes over the FFN activations
 * (the largest tensors of a step), and exp on the WebAssembly backend is slow.
 */
const geluWithGradient = tf.customGrad(((x: tf.Tensor, save: tf.GradSaveFunc) => {
  const cdf = tf.mul(tf.add(tf.erf(tf.mul(x, Math.SQRT1_2)), 1), 0.5);
  save([x, cdf]);
  return {
    value: tf.mul(x, cdf),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [input, phi] = saved;
      const density = tf.mul(tf.exp(tf.mul(tf.square(input), -0.5)), 1 / Math.sqrt(2 * Math.PI));
      return tf.mul(dy, tf.add(phi, tf.mul(input, density)));
    },
  };
}) as unknown as CustomGradientFunc<tf.Tensor>);

export function gelu(x: tf.Tensor): tf.Tensor {
  return geluWithGradient(x);
}

/** LayerNorm over each row (population variance, as torch). */
export function layerNorm(x: tf.Tensor2D, p: NormParams, eps = 1e-5): tf.Tensor2D {
  return fusedAddLayerNorm(x, undefined, p.gamma as tf.Tensor1D, p.beta as tf.Tensor1D, eps) ?? composedLayerNorm(x, p, eps);
}

/** LayerNorm(a + b), the residual connection and the norm in one pass on the WebAssembly backend. */
export function addLayerNorm(a: tf.Tensor2D, b: tf.Tensor2D, p: NormParams, eps = 1e-5): tf.Tensor2D {
  return fusedAddLayerNorm(a, b, p.gamma as tf.Tensor1D, p.beta as tf.Tensor1D, eps) ?? composedLayerNorm(tf.add(a, b), p, eps);
}

function composedLayerNorm(x: tf.Tensor2D, p: NormParams, eps: number): tf.Tensor2D {
  const { mean, variance } = tf.moments(x, -1, true);
  return tf.add(tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, eps))), p.gamma), p.beta);
}

/**
 * Inverted dropout. Drawing millions of fresh uniforms per step costs more than
 * the layer itself on the CPU backends (and slicing a larger pool is no cheaper
 * there), so each layer keeps a few pre-scaled keep masks drawn once from the
 * run's seed and picks one at random each step. Every mask is Bernoulli(1 − rate)
 * elementwise; the price is that masks repeat across steps.
 */
export class DropoutPool {
  private masks: tf.Tensor2D[] = [];
  constructor(
    private readonly rate: number,
    private readonly rng: Rng,
    private readonly copies = 4,
  ) {}

  /** One of the pool's keep masks for a rows × cols activation (drawn on first use), or undefined at rate 0. */
  mask(rows: number, cols: number): tf.Tensor2D | undefined {
    if (this.rate <= 0) return undefined;
    if (this.masks.length === 0 || this.masks[0].shape[0] !== rows || this.masks[0].shape[1] !== cols) {
      this.dispose();
      const scale = 1 / (1 - this.rate);
      for (let k = 0; k < this.copies; k++) {
        const values = new Float32Array(rows * cols);
        for (let i = 0; i < values.length; i++) values[i] = this.rng.next() >= this.rate ? scale : 0;
        this.masks.push(tf.keep(tf.tensor2d(values, [rows, cols])));
      }
    }
    return this.masks[this.rng.int(this.copies)];
  }

  dispose(): void {
    for (const m of this.masks) m.dispose();
    this.masks = [];
  }
}
