import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { WindowSet } from '../../src/features/windows';
import { initBackend } from '../../src/models/backend';
import { createCanvasModel } from '../../src/models/canvas';
import { inspectHidden, inspectionSteps } from '../../src/models/inspect';
import { trainWindowModel } from '../../src/models/train';
import { createRng } from '../../src/util/random';

beforeAll(async () => {
  await initBackend();
});

function windows(count: number, context: number, features: number, seed: number): WindowSet {
  const rng = createRng(seed);
  const inputs = Float32Array.from({ length: count * context * features }, () => rng.normal());
  const targets = Float32Array.from({ length: count * features }, () => rng.normal());
  return { inputs, targets, count, context, features, stimulusOf: new Array(count).fill(0) };
}

describe('hidden-state norms', () => {
  it('layer 0 is the norm of the input projection, computed by hand from its weights', () => {
    const F = 3;
    const C = 2;
    const d = 4;
    const m = createCanvasModel('c', { features: F, context: C, dModel: d, layers: 2, ffn: 8, dropout: 0, mixing: new Float32Array(F * F).fill(1 / F) }, createRng(5));
    const set = windows(2, C, F, 9);
    const got = inspectHidden(m, set, 0);
    expect(got.layers.length).toBe(3);
    expect(got.layers.every((l) => l.length === F)).toBe(true);
    const w = m.params.vars.get('input.w')!.dataSync();
    const b = m.params.vars.get('input.b')!.dataSync();
    for (let f = 0; f < F; f++) {
      let mean = 0;
      for (let n = 0; n < set.count; n++) {
        let sq = 0;
        for (let k = 0; k < d; k++) {
          let h = b[k];
          for (let c = 0; c < C; c++) h += set.inputs[n * C * F + c * F + f] * w[c * d + k];
          sq += h * h;
        }
        mean += Math.sqrt(sq) / set.count;
      }
      expect(got.layers[0][f]).toBeCloseTo(mean, 4);
    }
    m.dispose();
  });

  it('training records the norms at the requested steps, and they change as the model learns', () => {
    const F = 4;
    const m = createCanvasModel('c', { features: F, context: 3, dModel: 8, layers: 1, ffn: 16, dropout: 0, mixing: new Float32Array(F * F).fill(1 / F) }, createRng(2));
    const steps = inspectionSteps(8);
    expect(steps).toEqual([0, 2, 4, 6, 8]);
    const r = trainWindowModel(m, windows(32, 3, F, 1), windows(8, 3, F, 2), { steps: 8, batchSize: 8, learningRate: 0.01, weightDecay: 0, clipNorm: 1, evalEvery: 4, seed: 1, inspectAt: steps });
    expect(r.inspections!.map((i) => i.step)).toEqual(steps);
    expect(r.inspections![4].layers[1]).not.toEqual(r.inspections![0].layers[1]);
    m.dispose();
    tf.disposeVariables();
  });
});
