/**
 * AdamW (decoupled weight decay, as torch.optim.AdamW) with global gradient-norm
 * clipping. TensorFlow.js has Adam but not AdamW, and its optimisers cannot
 * change the learning rate per step for a cosine schedule, so the update is
 * written out here.
 */
import * as tf from '@tensorflow/tfjs-core';
import { allocate, heapOffset, simdKernels } from './kernels/simd';
import type { SimdKernels } from './kernels/simd';

export interface AdamWConfig {
  weightDecay: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
  /** Clip the global gradient norm to this value (0: no clipping). */
  clipNorm: number;
}

export class AdamW {
  private readonly m = new Map<string, tf.Variable>();
  private readonly v = new Map<string, tf.Variable>();
  private t = 0;
  constructor(
    private readonly vars: Map<string, tf.Variable>,
    private readonly config: AdamWConfig,
  ) {
    for (const [name, p] of vars) {
      for (const moments of [this.m, this.v]) {
        const zeros = tf.zerosLike(p);
        moments.set(name, tf.variable(zeros, false));
        zeros.dispose(); // the variable holds its own reference
      }
    }
  }

  /** One update with learning rate `lr`; `grads` is keyed like the variables. */
  step(grads: Record<string, tf.Tensor>, lr: number): void {
    const { weightDecay, clipNorm } = this.config;
    const b1 = this.config.beta1 ?? 0.9;
    const b2 = this.config.beta2 ?? 0.999;
    const eps = this.config.eps ?? 1e-8;
    this.t++;
    const c1 = 1 - b1 ** this.t;
    const c2 = 1 - b2 ** this.t;
    const kernels = simdKernels();
    if (kernels) return this.fusedStep(kernels, grads, lr, { b1, b2, c1, c2, eps });
    tf.tidy(() => {
      let scale: tf.Scalar | number = 1;
      if (clipNorm > 0) {
        const sq = tf.addN(Object.values(grads).map((g) => tf.sum(tf.square(g))));
        const norm = tf.sqrt(sq);
        // torch.nn.utils.clip_grad_norm_: scale by clip / (norm + 1e-6) when that is below 1.
        scale = tf.minimum(1, tf.div(clipNorm, tf.add(norm, 1e-6))) as tf.Scalar;
      }
      for (const [name, p] of this.vars) {
        const g = tf.mul(grads[name], scale);
        const m = this.m.get(name)!;
        const v = this.v.get(name)!;
        m.assign(tf.add(tf.mul(m, b1), tf.mul(g, 1 - b1)));
        v.assign(tf.add(tf.mul(v, b2), tf.mul(tf.square(g), 1 - b2)));
        const update = tf.div(tf.div(m, c1), tf.add(tf.sqrt(tf.div(v, c2)), eps));
        p.assign(tf.sub(tf.mul(p, 1 - lr * weightDecay), tf.mul(update, lr)));
      }
    });
  }

  /**
   * The same update as one SIMD-module call per variable, instead of about
   * ten TensorFlow.js kernels each (their dispatch cost more than their
   * arithmetic); the global norm is summed in float64.
   */
  private fusedStep(k: SimdKernels, grads: Record<string, tf.Tensor>, lr: number, c: { b1: number; b2: number; c1: number; c2: number; eps: number }): void {
    const { weightDecay, clipNorm } = this.config;
    let scale = 1;
    if (clipNorm > 0) {
      let squares = 0;
      for (const g of Object.values(grads)) squares += k.sumOfSquares(heapOffset(g), g.size);
      scale = Math.min(1, clipNorm / (Math.sqrt(squares) + 1e-6));
    }
    for (const [name, p] of this.vars) {
      const g = grads[name];
      if (!g || g.size !== p.size) throw new Error(`AdamW: the gradient of ${name} has ${g?.size ?? 'no'} entries, the parameter ${p.size}`);
      const m = this.m.get(name)!;
      const v = this.v.get(name)!;
      const [pOut, mOut, vOut] = [allocate(p.shape), allocate(p.shape), allocate(p.shape)];
      k.adamW(heapOffset(p), heapOffset(g), heapOffset(m), heapOffset(v), heapOffset(pOut), heapOffset(mOut), heapOffset(vOut), p.size, lr, c.b1, c.b2, c.c1, c.c2, c.eps, weightDecay, scale);
      for (const [variable, info] of [[p, pOut], [m, mOut], [v, vOut]] as const) {
        const next = tf.engine().makeTensorFromTensorInfo(info);
        variable.assign(next);
        next.dispose();
      }
    }
  }

  dispose(): void {
    for (const t of [...this.m.values(), ...this.v.values()]) t.dispose();
  }
}

/** Cosine annealing from `lr` to 0 over `steps` (torch's CosineAnnealingLR, stepped once per update). */
export function cosineLr(lr: number, step: number, steps: number): number {
  return 0.5 * lr * (1 + Math.cos((Math.PI * step) / steps));
}
