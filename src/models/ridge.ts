/**
 * Ridge regression from the flattened window (context × F) to the next step (F),
 * fitted in closed form with an intercept. `alpha` is relative: the penalty is
 * alpha × the mean diagonal of XᵀX, so one setting suits raw TRIBE v2 units and
 * rescaled data alike.
 */
import { CholeskyDecomposition, Matrix } from 'ml-matrix';
import type { WindowSet } from '../features/windows';

export interface RidgeModel {
  weights: Matrix;
  xMean: Float64Array;
  yMean: Float64Array;
  parameters: number;
}

export function fitRidge(train: WindowSet, alpha: number): RidgeModel {
  const p = train.context * train.features;
  const F = train.features;
  const n = train.count;
  const xMean = new Float64Array(p);
  const yMean = new Float64Array(F);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < p; j++) xMean[j] += train.inputs[i * p + j] / n;
    for (let f = 0; f < F; f++) yMean[f] += train.targets[i * F + f] / n;
  }
  const X = new Matrix(n, p);
  const Y = new Matrix(n, F);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < p; j++) X.set(i, j, train.inputs[i * p + j] - xMean[j]);
    for (let f = 0; f < F; f++) Y.set(i, f, train.targets[i * F + f] - yMean[f]);
  }
  const XtX = X.transpose().mmul(X);
  let trace = 0;
  for (let j = 0; j < p; j++) trace += XtX.get(j, j);
  // Columns that are always zero (regions without vertices) would make XᵀX singular
  // without a floor on the penalty.
  const penalty = Math.max(alpha * (trace / p), 1e-12);
  for (let j = 0; j < p; j++) XtX.set(j, j, XtX.get(j, j) + penalty);
  const weights = new CholeskyDecomposition(XtX).solve(X.transpose().mmul(Y));
  return { weights, xMean, yMean, parameters: p * F + F };
}

export function ridgePredict(model: RidgeModel, set: WindowSet): Float32Array {
  const p = set.context * set.features;
  const F = set.features;
  const X = new Matrix(set.count, p);
  for (let i = 0; i < set.count; i++) for (let j = 0; j < p; j++) X.set(i, j, set.inputs[i * p + j] - model.xMean[j]);
  const Y = X.mmul(model.weights);
  const out = new Float32Array(set.count * F);
  for (let i = 0; i < set.count; i++) for (let f = 0; f < F; f++) out[i * F + f] = Y.get(i, f) + model.yMean[f];
  return out;
}
