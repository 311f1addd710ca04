/**
 * What a canvas model does inside: the mean L2 norm of each feature's hidden
 * state on the validation windows, per layer. Recorded at a few training steps
 * so the report can show how the internal activity forms during training.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { WindowSet } from '../features/windows';
import type { WindowModel } from './model';

export interface Inspection {
  step: number;
  /** (layers + 1) rows of F values: after the input projection, then after each layer. */
  layers: number[][];
}

/** Steps 0, ¼, ½, ¾ and all of `steps` (rounded), without repeats. */
export function inspectionSteps(steps: number, points = 5): number[] {
  return [...new Set(Array.from({ length: points }, (_, k) => Math.round((k * steps) / (points - 1))))];
}

export function inspectHidden(model: WindowModel, set: WindowSet, step: number): Inspection {
  if (!model.hiddenNorms) throw new Error(`model ${model.kind} has no hidden-state norms`);
  const x = tf.tensor3d(set.inputs, [set.count, set.context, set.features]);
  try {
    return { step, layers: model.hiddenNorms(x).map((a) => Array.from(a)) };
  } finally {
    x.dispose();
  }
}
