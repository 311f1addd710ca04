/**
 * Scores for small, unbalanced classification sets: accuracy, balanced accuracy
 * (mean per-class recall), confusion matrices, and 95% intervals.
 */
import { createRng } from '../util/random';

/** counts[true][predicted]. */
export function confusionMatrix(truth: readonly number[], pred: readonly number[], classes: number): number[][] {
  const m = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  truth.forEach((t, i) => m[t][pred[i]]++);
  return m;
}

export function accuracy(truth: readonly number[], pred: readonly number[]): number {
  let ok = 0;
  truth.forEach((t, i) => (ok += t === pred[i] ? 1 : 0));
  return ok / truth.length;
}

/** Mean over the classes present in `truth` of the fraction of that class predicted right. */
export function balancedAccuracy(truth: readonly number[], pred: readonly number[], classes: number): number {
  const m = confusionMatrix(truth, pred, classes);
  const recalls = m.map((row, c) => ({ n: row.reduce((a, b) => a + b, 0), hit: row[c] })).filter((r) => r.n > 0);
  return recalls.reduce((a, r) => a + r.hit / r.n, 0) / recalls.length;
}

/** Share of the largest class: what always answering that class scores. */
export function majorityRate(truth: readonly number[], classes: number): number {
  const counts = new Array<number>(classes).fill(0);
  for (const t of truth) counts[t]++;
  return Math.max(...counts) / truth.length;
}

/**
 * Wilson score interval for a proportion (`successes` of `n`) at 95% (z = 1.96).
 * `successes` may be fractional (a mean over repeats of the same n stimuli).
 */
export function wilsonInterval(successes: number, n: number, z = 1.959963984540054): [number, number] {
  const p = successes / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

/**
 * Percentile bootstrap interval of the balanced accuracy, resampling stimuli
 * within each class (so every class keeps its size). `runs` holds one
 * prediction per stimulus per repeat; a resample scores the mean over repeats.
 */
export function bootstrapBalancedAccuracy(truth: readonly number[], runs: ReadonlyArray<readonly number[]>, classes: number, seed: number, resamples = 2000): [number, number] {
  const rng = createRng(seed);
  const members: number[][] = Array.from({ length: classes }, () => []);
  truth.forEach((t, i) => members[t].push(i));
  const present = members.filter((m) => m.length > 0);
  const scores: number[] = [];
  for (let b = 0; b < resamples; b++) {
    const picks = present.map((m) => Array.from({ length: m.length }, () => m[rng.int(m.length)]));
    let total = 0;
    for (const pred of runs) {
      let sum = 0;
      for (const p of picks) {
        let hit = 0;
        for (const i of p) hit += pred[i] === truth[i] ? 1 : 0;
        sum += hit / p.length;
      }
      total += sum / picks.length;
    }
    scores.push(total / runs.length);
  }
  scores.sort((a, b) => a - b);
  const at = (q: number) => scores[Math.min(scores.length - 1, Math.max(0, Math.floor(q * scores.length)))];
  return [at(0.025), at(0.975)];
}

export interface ScoreSummary {
  /** Mean over repeats. */
  accuracy: number;
  /** 95% Wilson interval of the accuracy, n = number of stimuli. */
  accuracyInterval: [number, number];
  balancedAccuracy: number;
  /** 95% stratified percentile bootstrap interval (2,000 resamples of the stimuli). */
  balancedAccuracyInterval: [number, number];
  /** Per repeat (one value each; the spread across repeats). */
  accuracyByRepeat: number[];
  balancedAccuracyByRepeat: number[];
  /** Summed over repeats: counts[true][predicted]. */
  confusion: number[][];
  correct: number;
}

/** Scores out-of-fold predictions: `runs[r][i]` is the prediction for stimulus i in repeat r. */
export function summariseRuns(truth: readonly number[], runs: ReadonlyArray<readonly number[]>, classes: number, seed: number): ScoreSummary {
  const accs = runs.map((p) => accuracy(truth, p));
  const baccs = runs.map((p) => balancedAccuracy(truth, p, classes));
  const acc = accs.reduce((a, b) => a + b, 0) / accs.length;
  const confusion = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  for (const p of runs) confusionMatrix(truth, p, classes).forEach((row, i) => row.forEach((v, j) => (confusion[i][j] += v)));
  return {
    accuracy: acc,
    accuracyInterval: wilsonInterval(acc * truth.length, truth.length),
    balancedAccuracy: baccs.reduce((a, b) => a + b, 0) / baccs.length,
    balancedAccuracyInterval: bootstrapBalancedAccuracy(truth, runs, classes, seed),
    accuracyByRepeat: accs,
    balancedAccuracyByRepeat: baccs,
    confusion,
    correct: Math.round(acc * truth.length * 1000) / 1000,
  };
}
