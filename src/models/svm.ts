/**
 * The RBF support-vector baseline of Experiment 3, through libsvm-js (the
 * libsvm C++ library compiled to JavaScript; its asm.js build, which needs no
 * WebAssembly file at run time). Multi-class is libsvm's one-vs-one, as in
 * scikit-learn's SVC, which the study used.
 */
import loadSvm from 'libsvm-js/asm.js';

export interface SvmParams {
  /** C. */
  cost: number;
  /** Kernel width; scikit-learn's default "scale" is 1 / (D · Var(X)). */
  gamma: number;
}

/** scikit-learn's gamma="scale": 1 / (features × variance of all training values). */
export function scaleGamma(x: ArrayLike<number>, D: number): number {
  let s = 0;
  let s2 = 0;
  for (let i = 0; i < x.length; i++) {
    s += x[i];
    s2 += x[i] * x[i];
  }
  const mean = s / x.length;
  const variance = s2 / x.length - mean * mean;
  return variance > 0 ? 1 / (D * variance) : 1;
}

function rows(x: ArrayLike<number>, D: number): number[][] {
  return Array.from({ length: x.length / D }, (_, i) => Array.from({ length: D }, (_, j) => x[i * D + j]));
}

/** Trains an RBF C-SVC on (xTrain, yTrain) and predicts xTest; every matrix row-major with D columns. */
export async function svmFitPredict(xTrain: ArrayLike<number>, yTrain: ArrayLike<number>, xTest: ArrayLike<number>, D: number, params: SvmParams): Promise<number[]> {
  const SVM = await loadSvm;
  const svm = new SVM({ type: SVM.SVM_TYPES.C_SVC, kernel: SVM.KERNEL_TYPES.RBF, cost: params.cost, gamma: params.gamma, quiet: true });
  try {
    svm.train(rows(xTrain, D), Array.from(yTrain));
    return svm.predict(rows(xTest, D));
  } finally {
    svm.free();
  }
}
