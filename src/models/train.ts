/**
 * The training loop for window models: random batches without replacement,
 * MSE loss, AdamW with cosine schedule and clipping, and validation R² along
 * the way for the learning curve.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { WindowSet } from '../features/windows';
import { createRng } from '../util/random';
import { AdamW, cosineLr } from './adamw';
import { meanSquaredError, r2Score } from './metrics';
import type { WindowModel } from './model';
import type { Inspection } from './inspect';
import { inspectHidden } from './inspect';

export interface TrainProtocol {
  steps: number;
  batchSize: number;
  learningRate: number;
  weightDecay: number;
  clipNorm: number;
  /** Validate every this many steps (and at step 0 and the last step). */
  evalEvery: number;
  seed: number;
  /** Steps at which to record the hidden-state norms on the validation windows (models that offer them). */
  inspectAt?: number[];
}

export interface CurvePoint {
  step: number;
  trainLoss: number | null;
  valLoss: number;
  valR2: number;
}

export interface TrainResult {
  curve: CurvePoint[];
  /** Validation predictions of the final model, (N × F). */
  predictions: Float32Array;
  parameters: number;
  seconds: number;
  /** Hidden-state norms at the `inspectAt` steps (see inspect.ts). */
  inspections?: Inspection[];
}

export interface StepEvent {
  step: number;
  steps: number;
  loss: number;
  valR2?: number;
}

export function predictWindows(model: WindowModel, set: WindowSet): Float32Array {
  return tf.tidy(() => {
    const x = tf.tensor3d(set.inputs, [set.count, set.context, set.features]);
    return model.apply(x, false, 0).dataSync() as Float32Array;
  });
}

export function trainWindowModel(
  model: WindowModel,
  train: WindowSet,
  validation: WindowSet,
  protocol: TrainProtocol,
  onStep?: (e: StepEvent) => void,
): TrainResult {
  const started = performance.now();
  const rng = createRng(protocol.seed ^ 0x5eed);
  const optimiser = new AdamW(model.params.vars, { weightDecay: protocol.weightDecay, clipNorm: protocol.clipNorm });
  const { context, features } = train;
  const batch = Math.min(protocol.batchSize, train.count);
  const curve: CurvePoint[] = [];
  const evaluate = (step: number, trainLoss: number | null) => {
    const pred = predictWindows(model, validation);
    const point = { step, trainLoss, valLoss: meanSquaredError(pred, validation.targets), valR2: r2Score(pred, validation.targets, features) };
    curve.push(point);
    return { point, pred };
  };
  let last = evaluate(0, null);
  const inspections: Inspection[] = [];
  const inspect = (step: number) => {
    if (protocol.inspectAt?.includes(step) && model.hiddenNorms) inspections.push(inspectHidden(model, validation, step));
  };
  inspect(0);

  const xs = new Float32Array(batch * context * features);
  const ys = new Float32Array(batch * features);
  const varNames = [...model.params.vars.keys()];
  for (let step = 1; step <= protocol.steps; step++) {
    sampleBatch(train, batch, rng, xs, ys);
    const lr = cosineLr(protocol.learningRate, step - 1, protocol.steps);
    const { value, grads } = tf.variableGrads(() =>
      tf.tidy(() => {
        const pred = model.apply(tf.tensor3d(xs, [batch, context, features]), true, protocol.seed * 100_003 + step);
        return tf.mean(tf.squaredDifference(pred, tf.tensor2d(ys, [batch, features]))) as tf.Scalar;
      }),
    );
    const named: Record<string, tf.Tensor> = {};
    const byId = new Map(Object.entries(grads));
    for (const name of varNames) {
      const v = model.params.vars.get(name)!;
      named[name] = byId.get(v.name)!;
    }
    optimiser.step(named, lr);
    const loss = value.dataSync()[0];
    value.dispose();
    for (const g of Object.values(grads)) g.dispose();
    let valR2: number | undefined;
    if (step % protocol.evalEvery === 0 || step === protocol.steps) {
      last = evaluate(step, loss);
      valR2 = last.point.valR2;
    }
    inspect(step);
    onStep?.({ step, steps: protocol.steps, loss, valR2 });
  }
  optimiser.dispose();
  const seconds = (performance.now() - started) / 1000;
  return { curve, predictions: last.pred, parameters: model.params.count(), seconds, ...(model.hiddenNorms && protocol.inspectAt ? { inspections } : {}) };
}

/** `batch` distinct training windows, drawn afresh each step. */
function sampleBatch(set: WindowSet, batch: number, rng: ReturnType<typeof createRng>, xs: Float32Array, ys: Float32Array): void {
  const { context, features, count } = set;
  const pool = Array.from({ length: count }, (_, i) => i);
  for (let k = 0; k < batch; k++) {
    const j = k + rng.int(count - k);
    [pool[k], pool[j]] = [pool[j], pool[k]];
    const i = pool[k];
    xs.set(set.inputs.subarray(i * context * features, (i + 1) * context * features), k * context * features);
    ys.set(set.targets.subarray(i * features, (i + 1) * features), k * features);
  }
}
