/**
 * Splits of a small labelled set: stratified k-fold (every fold keeps each
 * class's share to within one stimulus), leave-one-out, and stratified
 * subsamples for learning curves. All seeded, so a build is reproducible.
 */
import { createRng, shuffled } from '../util/random';

export interface Fold {
  train: number[];
  test: number[];
}

/** The stimuli of each class, in index order. */
export function byClass(labels: readonly number[], classes: number): number[][] {
  const out: number[][] = Array.from({ length: classes }, () => []);
  labels.forEach((c, i) => out[c].push(i));
  return out;
}

/**
 * Stratified k-fold: each class is shuffled with the seed and dealt round-robin
 * into the folds, the deal continuing where the previous class stopped, so fold
 * sizes differ by at most one overall and per class.
 */
export function stratifiedKFold(labels: readonly number[], classes: number, k: number, seed: number): Fold[] {
  if (k < 2) throw new Error(`stratified k-fold needs k >= 2 (got ${k})`);
  if (k > labels.length) throw new Error(`stratified k-fold: ${k} folds for ${labels.length} stimuli`);
  const rng = createRng(seed);
  const tests: number[][] = Array.from({ length: k }, () => []);
  let next = 0;
  for (const members of byClass(labels, classes)) {
    for (const i of shuffled(members, rng)) {
      tests[next].push(i);
      next = (next + 1) % k;
    }
  }
  return tests.map((test) => {
    const held = new Set(test);
    return { train: labels.map((_, i) => i).filter((i) => !held.has(i)), test: [...test].sort((a, b) => a - b) };
  });
}

/** Leave-one-out: n folds, each holding out one stimulus. */
export function leaveOneOut(n: number): Fold[] {
  return Array.from({ length: n }, (_, i) => ({ train: Array.from({ length: n }, (_, j) => j).filter((j) => j !== i), test: [i] }));
}

/**
 * A stratified subsample of `indices` keeping `fraction` of each class (at
 * least `minPerClass` where the class has that many), for learning curves.
 */
export function stratifiedSubsample(indices: readonly number[], labels: readonly number[], fraction: number, seed: number, minPerClass = 2): number[] {
  const rng = createRng(seed);
  const groups = new Map<number, number[]>();
  for (const i of indices) groups.set(labels[i], [...(groups.get(labels[i]) ?? []), i]);
  const out: number[] = [];
  for (const [, members] of [...groups].sort((a, b) => a[0] - b[0])) {
    const take = Math.min(members.length, Math.max(minPerClass, Math.round(fraction * members.length)));
    out.push(...shuffled(members, rng).slice(0, take));
  }
  return out.sort((a, b) => a - b);
}
