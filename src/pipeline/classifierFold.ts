/**
 * One cross-validation fold of a classifier: a pure function of
 * structured-cloneable input (typed arrays and plain objects) returning plain
 * results, so folds can run in worker threads as well as in sequence. The fold
 * standardises with its own training rows, trains a fresh model, and predicts
 * its held-out rows.
 */
import { applyStandardiser, fitStandardiser } from '../features/standardise';
import { initBackend } from '../models/backend';
import type { Classifier } from '../models/classifiers';
import { createAttentionDecoder, createCanvasClassifier, createMlpClassifier } from '../models/classifiers';
import { fitLogistic, predictLogistic } from '../models/logistic';
import { scaleGamma, svmFitPredict } from '../models/svm';
import type { ClassifierProtocol } from '../models/trainClassifier';
import { predictClasses, trainClassifier } from '../models/trainClassifier';
import { createRng } from '../util/random';

export type FoldModel =
  | { kind: 'canvas'; dModel: number; layers: number; ffn: number; dropout: number; mixing: Float32Array; readout: number[] }
  | { kind: 'mlp'; hidden: number[]; dropout: number }
  | { kind: 'attention'; regionInputs: number[][]; dModel: number; layers: number; heads: number; ffn: number; allowed: Uint8Array; readout: number }
  | { kind: 'logistic'; c: number; iterations: number }
  | { kind: 'svm'; cost: number };

export interface ClassifierFoldInput {
  model: FoldModel;
  /** All stimuli, (n × D) row-major, unstandardised. */
  x: Float32Array;
  D: number;
  y: Int32Array;
  classes: number;
  train: number[];
  test: number[];
  seed: number;
  /** Trained models only. */
  training?: Omit<ClassifierProtocol, 'seed'>;
  /**
   * Permutation importance: for each group of input columns, the held-out
   * accuracy lost when those columns are shuffled across the held-out rows
   * (mean over `repeats` shuffles).
   */
  importance?: { groups: number[][]; repeats: number };
}

export interface ClassifierFoldOutput {
  /** Predicted class of each held-out stimulus, in `test` order. */
  predictions: number[];
  parameters: number;
  seconds: number;
  importance?: number[];
}

export async function runClassifierFold(input: ClassifierFoldInput): Promise<ClassifierFoldOutput> {
  const started = performance.now();
  const { D, classes: C, model: spec } = input;
  const scaler = fitStandardiser(input.x, input.train, D);
  const xTrain = applyStandardiser(input.x, input.train, D, scaler);
  const xTest = applyStandardiser(input.x, input.test, D, scaler);
  const yTrain = Int32Array.from(input.train, (i) => input.y[i]);
  const yTest = input.test.map((i) => input.y[i]);
  let predict: (x: Float32Array) => number[] | Promise<number[]>;
  let parameters = 0;
  let dispose = () => {};

  if (spec.kind === 'logistic') {
    const m = fitLogistic(xTrain, yTrain, D, C, { c: spec.c, iterations: spec.iterations });
    parameters = D * C + C;
    predict = (x) => predictLogistic(m, x);
  } else if (spec.kind === 'svm') {
    const gamma = scaleGamma(xTrain, D);
    predict = (x) => svmFitPredict(xTrain, yTrain, x, D, { cost: spec.cost, gamma });
  } else {
    await initBackend();
    if (!input.training) throw new Error(`fold of a ${spec.kind} model without a training protocol`);
    const rng = createRng(input.seed);
    let model: Classifier;
    if (spec.kind === 'canvas') model = createCanvasClassifier({ positions: D, classes: C, ...spec }, rng);
    else if (spec.kind === 'mlp') model = createMlpClassifier({ inputs: D, classes: C, hidden: spec.hidden, dropout: spec.dropout }, rng);
    else model = createAttentionDecoder({ ...spec, classes: C }, rng);
    trainClassifier(model, xTrain, yTrain, D, C, { ...input.training, seed: input.seed });
    parameters = model.params.count();
    predict = (x) => predictClasses(model, x, D);
    dispose = () => model.dispose();
  }

  try {
    const predictions = await predict(xTest);
    let importance: number[] | undefined;
    if (input.importance) {
      const base = hits(predictions, yTest);
      const rng = createRng(input.seed ^ 0x1a9b);
      importance = [];
      for (const cols of input.importance.groups) {
        let drop = 0;
        for (let r = 0; r < input.importance.repeats; r++) {
          const shuffled = permuteColumns(xTest, D, cols, rng);
          drop += (base - hits(await predict(shuffled), yTest)) / yTest.length;
        }
        importance.push(drop / input.importance.repeats);
      }
    }
    return { predictions, parameters, seconds: (performance.now() - started) / 1000, ...(importance ? { importance } : {}) };
  } finally {
    dispose();
  }
}

function hits(pred: readonly number[], truth: readonly number[]): number {
  let n = 0;
  pred.forEach((p, i) => (n += p === truth[i] ? 1 : 0));
  return n;
}

/** A copy of `x` with the columns `cols` shuffled together across rows (one permutation for the group). */
function permuteColumns(x: Float32Array, D: number, cols: readonly number[], rng: ReturnType<typeof createRng>): Float32Array {
  const n = x.length / D;
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  const out = Float32Array.from(x);
  for (let i = 0; i < n; i++) for (const c of cols) out[i * D + c] = x[order[i] * D + c];
  return out;
}
