/** What every trainable Experiment 2 model offers the training loop. */
import type * as tf from '@tensorflow/tfjs-core';
import type { ParamStore } from './ops';

export interface WindowModel {
  kind: string;
  params: ParamStore;
  /** x: (B × context × F) → (B × F). `seed` drives dropout when training. */
  apply(x: tf.Tensor3D, training: boolean, seed: number): tf.Tensor2D;
  /**
   * Mean L2 norm of each feature's hidden state over the windows of x, after the
   * input projection and after each layer: (layers + 1) arrays of F values.
   * Only models with a per-feature hidden state (the canvas) offer it.
   */
  hiddenNorms?(x: tf.Tensor3D): Float32Array[];
  /** Frees the model's tensors. */
  dispose(): void;
}
