/**
 * The Experiment 1 and 3 classifiers on problems whose answer is known: real
 * TensorFlow.js training (small configurations) through the same pure fold
 * function the pipeline runs, and the SVM on separable points and XOR.
 */
import { describe, expect, it } from 'vitest';
import { fitLogistic, predictLogistic } from '../../src/models/logistic';
import { scaleGamma, svmFitPredict } from '../../src/models/svm';
import { runClassifierFold } from '../../src/pipeline/classifierFold';
import { createPool } from '../../src/pipeline/pool';
import type { FoldModel } from '../../src/pipeline/classifierFold';
import { createRng } from '../../src/util/random';

/** Two or three Gaussian blobs in D dimensions, far apart: any working classifier separates them. */
function blobs(n: number, D: number, classes: number, seed: number) {
  const rng = createRng(seed);
  const x = new Float32Array(n * D);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = i % classes;
    for (let j = 0; j < D; j++) x[i * D + j] = 0.5 * rng.normal() + (j % classes === y[i] ? 3 : 0);
  }
  return { x, y };
}

const training = { steps: 150, batchSize: 16, learningRate: 3e-3, weightDecay: 1e-4, clipNorm: 1, schedule: 'cosine' as const };

describe('classifiers learn a separable toy problem', () => {
  const D = 6;
  const { x, y } = blobs(60, D, 3, 11);
  const train = [...Array(45).keys()];
  const test = [...Array(15).keys()].map((i) => i + 45);
  const truth = test.map((i) => y[i]);
  const score = (pred: number[]) => pred.filter((p, k) => p === truth[k]).length / truth.length;
  const mixing = new Float32Array(D * D).fill(1 / D);

  const models: Array<[string, FoldModel]> = [
    ['canvas', { kind: 'canvas', dModel: 16, layers: 2, ffn: 32, dropout: 0, mixing, readout: [0] }],
    ['mlp', { kind: 'mlp', hidden: [32, 32], dropout: 0.1 }],
    ['attention decoder', { kind: 'attention', regionInputs: [[0, 1], [2, 3], [4, 5], []], dModel: 16, layers: 1, heads: 4, ffn: 32, allowed: Uint8Array.from([1, 0, 0, 1, 0, 1, 0, 1, 0, 0, 1, 1, 1, 1, 1, 1]), readout: 3 }],
    ['logistic', { kind: 'logistic', c: 1, iterations: 300 }],
    ['svm', { kind: 'svm', cost: 1 }],
  ];
  for (const [name, model] of models) {
    it(`${name}: held-out accuracy at least 90% (chance 33%)`, async () => {
      // The canvas reads one position, which sees the others only through the mixing: it needs a larger step.
      const protocol = model.kind === 'canvas' ? { ...training, learningRate: 1e-2 } : training;
      const out = await runClassifierFold({ model, x, D, y, classes: 3, train, test, seed: 5, ...(model.kind === 'svm' || model.kind === 'logistic' ? {} : { training: protocol }) });
      expect(out.predictions).toHaveLength(15);
      expect(score(out.predictions)).toBeGreaterThanOrEqual(0.9);
    }, 60_000);
  }

  it('a fold gives the same predictions in a worker thread as inline (a pure function of its input)', async () => {
    const input = { model: models[2][1], x, D, y, classes: 3, train, test, seed: 9, training: { ...training, steps: 20 } };
    const pool = createPool({ size: 1, backend: 'wasm' });
    try {
      const [inWorker, inline] = [await pool.run('classifier.fold', input), await runClassifierFold(input)];
      expect(inWorker.predictions).toEqual(inline.predictions);
      expect(inWorker.parameters).toBe(inline.parameters);
    } finally {
      await pool.close();
    }
  }, 60_000);

  it('an untrained canvas (0 steps) does not separate them: the training is what learns', async () => {
    const out = await runClassifierFold({ model: models[0][1], x, D, y, classes: 3, train, test, seed: 5, training: { ...training, steps: 1, learningRate: 1e-6 } });
    expect(score(out.predictions)).toBeLessThan(0.9);
  });

  it('permutation importance: shuffling the informative columns costs accuracy, an uninformative one nothing', async () => {
    const X = Float32Array.from(x);
    for (let i = 0; i < 60; i++) X[i * D + 5] = 0; // column 5 carries nothing
    const out = await runClassifierFold({ model: { kind: 'logistic', c: 1, iterations: 300 }, x: X, D, y, classes: 3, train, test, seed: 5, importance: { groups: [[0, 3], [5]], repeats: 5 } });
    expect(out.importance![0]).toBeGreaterThan(0.1);
    expect(out.importance![1]).toBe(0);
  });
});

describe('the RBF SVM (libsvm-js) on cases whose answer is known', () => {
  it('XOR: no line separates it, the RBF kernel does', async () => {
    const x = [0, 0, 1, 1, 0, 1, 1, 0];
    const y = [0, 0, 1, 1];
    expect(await svmFitPredict(x, y, x, 2, { cost: 10, gamma: 2 })).toEqual(y);
    expect(await svmFitPredict(x, y, [0.1, 0.05, 0.95, 0.9, 0.05, 0.9, 0.9, 0.1], 2, { cost: 10, gamma: 2 })).toEqual(y);
  });

  it('two separated clusters: points near each cluster get its class', async () => {
    const x = [-2, -2, -2.2, -1.8, -1.9, -2.1, 2, 2, 2.1, 1.9, 1.8, 2.2];
    const y = [0, 0, 0, 1, 1, 1];
    expect(await svmFitPredict(x, y, [-1.5, -1.5, 1.5, 1.5, -3, -2], 2, { cost: 1, gamma: 0.5 })).toEqual([0, 1, 0]);
  });

  it("gamma 'scale' is 1 / (features × variance)", () => {
    // Values 0, 2 (variance 1), two features.
    expect(scaleGamma([0, 2, 2, 0], 2)).toBeCloseTo(0.5, 12);
  });

  it('multinomial logistic regression recovers a linearly separable labelling exactly', () => {
    const x = [-1, 0, -2, 1, 1, 0, 2, -1, 0, 3, 0.5, 2.5];
    const y = [0, 0, 1, 1, 2, 2];
    const m = fitLogistic(x, y, 2, 3, { c: 100, iterations: 3000 });
    expect(predictLogistic(m, x)).toEqual(y);
  });
});
