/**
 * AdamW (torch.optim.AdamW's update, with global gradient-norm clipping) run on
 * the host in plain JavaScript. For the small classifiers of Experiments 1 and 3
 * the tensor version in adamw.ts costs about ten backend ops per variable per
 * step, and on the WebAssembly backend that per-op overhead, not the
 * arithmetic, dominated a training step. Here each variable costs one read of
 * its gradient and one write of its new value.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { AdamWConfig } from './adamw';

export class HostAdamW {
  private readonly state: Array<{ name: string; v: tf.Variable; p: Float32Array; m: Float32Array; s: Float32Array }>;
  private t = 0;
  constructor(
    vars: Map<string, tf.Variable>,
    private readonly config: AdamWConfig,
    /**
     * Independent models stacked along every variable's first axis: gradient
     * clipping then applies to each model's own norm.
     */
    private readonly models = 1,
  ) {
    this.state = [...vars].map(([name, v]) => ({ name, v, p: Float32Array.from(v.dataSync()), m: new Float32Array(v.size), s: new Float32Array(v.size) }));
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
    const g = this.state.map((st) => grads[st.name].dataSync() as Float32Array);
    const G = this.models;
    const scale = new Float64Array(G).fill(1);
    if (clipNorm > 0) {
      const sq = new Float64Array(G);
      for (const a of g) {
        const per = a.length / G;
        for (let i = 0; i < a.length; i++) sq[Math.floor(i / per)] += a[i] * a[i];
      }
      // torch.nn.utils.clip_grad_norm_: scale by clip / (norm + 1e-6) when that is below 1.
      for (let m = 0; m < G; m++) scale[m] = Math.min(1, clipNorm / (Math.sqrt(sq[m]) + 1e-6));
    }
    const decay = 1 - lr * weightDecay;
    this.state.forEach((st, k) => {
      const { p, m, s } = st;
      const gk = g[k];
      const per = p.length / G;
      for (let i = 0; i < p.length; i++) {
        const gi = gk[i] * scale[Math.floor(i / per)];
        m[i] = b1 * m[i] + (1 - b1) * gi;
        s[i] = b2 * s[i] + (1 - b2) * gi * gi;
        p[i] = p[i] * decay - (lr * (m[i] / c1)) / (Math.sqrt(s[i] / c2) + eps);
      }
      const next = tf.tensor(p, st.v.shape);
      st.v.assign(next);
      next.dispose();
    });
  }

  dispose(): void {
    this.state.length = 0;
  }
}
