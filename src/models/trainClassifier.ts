/**
 * Training loop for the classifiers: softmax cross-entropy, AdamW with
 * gradient-norm clipping, cosine or constant learning rate, minibatches drawn
 * without replacement (or the full training set each step).
 */
import * as tf from '@tensorflow/tfjs-core';
import { createRng } from '../util/random';
import { cosineLr } from './adamw';
import { HostAdamW } from './hostAdamW';
import type { Classifier } from './classifiers';

export interface ClassifierProtocol {
  steps: number;
  /** 0, or at least the training-set size: full batch. */
  batchSize: number;
  learningRate: number;
  weightDecay: number;
  clipNorm: number;
  schedule: 'cosine' | 'constant';
  seed: number;
}

/** `x` (n × D) standardised inputs, `y` class indices. Returns the final training loss. */
export function trainClassifier(model: Classifier, x: Float32Array, y: Int32Array, D: number, C: number, protocol: ClassifierProtocol): number {
  const n = y.length;
  const rng = createRng(protocol.seed ^ 0x0c1a55);
  const optimiser = new HostAdamW(model.params.vars, { weightDecay: protocol.weightDecay, clipNorm: protocol.clipNorm });
  const batch = protocol.batchSize <= 0 || protocol.batchSize >= n ? n : protocol.batchSize;
  const xs = new Float32Array(batch * D);
  const ys = new Int32Array(batch);
  const pool = Array.from({ length: n }, (_, i) => i);
  const varNames = [...model.params.vars.keys()];
  let loss = NaN;
  for (let step = 1; step <= protocol.steps; step++) {
    for (let k = 0; k < batch; k++) {
      const j = batch === n ? k : k + rng.int(n - k);
      [pool[k], pool[j]] = [pool[j], pool[k]];
      xs.set(x.subarray(pool[k] * D, (pool[k] + 1) * D), k * D);
      ys[k] = y[pool[k]];
    }
    const lr = protocol.schedule === 'cosine' ? cosineLr(protocol.learningRate, step - 1, protocol.steps) : protocol.learningRate;
    const { value, grads } = tf.variableGrads(() =>
      tf.tidy(() => {
        const logits = model.logits(tf.tensor2d(xs, [batch, D]), true);
        return tf.losses.softmaxCrossEntropy(tf.oneHot(tf.tensor1d(ys, 'int32'), C), logits) as tf.Scalar;
      }),
    );
    const byId = new Map(Object.entries(grads));
    const named: Record<string, tf.Tensor> = {};
    for (const name of varNames) named[name] = byId.get(model.params.vars.get(name)!.name)!;
    optimiser.step(named, lr);
    loss = value.dataSync()[0];
    value.dispose();
    for (const g of Object.values(grads)) g.dispose();
  }
  optimiser.dispose();
  return loss;
}

/** Predicted class of each row of `x` (n × D). */
export function predictClasses(model: Classifier, x: Float32Array, D: number): number[] {
  const n = x.length / D;
  return tf.tidy(() => Array.from(tf.argMax(model.logits(tf.tensor2d(x, [n, D]), false), 1).dataSync()));
}
