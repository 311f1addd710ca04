/** The flat baseline: an MLP on the flattened window, no declared structure. */
import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../util/random';
import type { WindowModel } from './model';
import { ParamStore, linear, linearGelu } from './ops';

export interface FlatConfig {
  features: number;
  context: number;
  hidden: number;
}

/** The study's width rule: H = max(128, 2F). */
export function flatHidden(features: number): number {
  return Math.max(128, 2 * features);
}

export function createFlatModel(config: FlatConfig, rng: Rng): WindowModel {
  const { features: F, context: C, hidden: H } = config;
  const params = new ParamStore(rng);
  const l1 = params.linear('fc1', C * F, H);
  const l2 = params.linear('fc2', H, H);
  const l3 = params.linear('fc3', H, F);
  return {
    kind: 'flat',
    params,
    apply(x) {
      return tf.tidy(() => {
        const B = x.shape[0];
        const h1 = linearGelu(tf.reshape(x, [B, C * F]) as tf.Tensor2D, l1);
        const h2 = linearGelu(h1, l2);
        return linear(h2, l3);
      });
    },
    dispose() {
      params.dispose();
    },
  };
}
