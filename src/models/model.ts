/** What every trainable Experiment 2 model offers the training loop. */
import type * as tf from '@tensorflow/tfjs-core';
import type { ParamStore } from './ops';

export interface WindowModel {
  kind: string;
  params: ParamStore;
  /** x: (B × context × F) → (B × F). `seed` drives dropout when training. */
  apply(x: tf.Tensor3D, training: boolean, seed: number): tf.Tensor2D;
  /** Frees the model's tensors. */
  dispose(): void;
}
