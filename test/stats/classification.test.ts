import { describe, expect, it } from 'vitest';
import { accuracy, balancedAccuracy, bootstrapBalancedAccuracy, confusionMatrix, majorityRate, summariseRuns, wilsonInterval } from '../../src/stats/classification';

describe('scores on hand-worked cases', () => {
  const truth = [0, 0, 0, 1];
  const pred = [0, 0, 1, 1];

  it('accuracy, balanced accuracy, confusion, majority rate', () => {
    expect(accuracy(truth, pred)).toBe(0.75);
    // Recall of class 0: 2/3; of class 1: 1/1; mean 5/6.
    expect(balancedAccuracy(truth, pred, 2)).toBeCloseTo(5 / 6, 12);
    expect(confusionMatrix(truth, pred, 2)).toEqual([
      [2, 1],
      [0, 1],
    ]);
    expect(majorityRate(truth, 2)).toBe(0.75);
    // Always answering the majority class: accuracy 0.75 but balanced accuracy 0.5.
    expect(balancedAccuracy(truth, [0, 0, 0, 0], 2)).toBe(0.5);
  });

  it('Wilson interval of 3/4 (worked by hand with z = 1.96) and of the extremes', () => {
    const [lo, hi] = wilsonInterval(3, 4);
    expect(lo).toBeCloseTo(0.30064, 4);
    expect(hi).toBeCloseTo(0.95441, 4);
    expect(wilsonInterval(0, 10)[0]).toBeCloseTo(0, 12);
    expect(wilsonInterval(10, 10)[1]).toBeCloseTo(1, 12);
    // 22/32, the study's canvas result: its interval.
    const [a, b] = wilsonInterval(22, 32);
    expect(a).toBeCloseTo(0.51433, 4);
    expect(b).toBeCloseTo(0.82047, 4);
  });

  it('the bootstrap interval of a perfect or a constant predictor collapses to its value', () => {
    const t = [0, 0, 1, 1, 2, 2];
    expect(bootstrapBalancedAccuracy(t, [t], 3, 1, 200)).toEqual([1, 1]);
    expect(bootstrapBalancedAccuracy(t, [[0, 0, 0, 0, 0, 0]], 3, 1, 200)).toEqual([1 / 3, 1 / 3]);
    const [lo, hi] = bootstrapBalancedAccuracy(t, [[0, 1, 1, 1, 2, 0]], 3, 1, 500);
    expect(lo).toBeLessThanOrEqual(balancedAccuracy(t, [0, 1, 1, 1, 2, 0], 3));
    expect(hi).toBeGreaterThanOrEqual(balancedAccuracy(t, [0, 1, 1, 1, 2, 0], 3));
  });

  it('summarises repeats: mean scores, summed confusion', () => {
    const s = summariseRuns(truth, [pred, truth], 2, 3);
    expect(s.accuracy).toBeCloseTo(0.875, 12);
    expect(s.accuracyByRepeat).toEqual([0.75, 1]);
    expect(s.confusion).toEqual([
      [5, 1],
      [0, 2],
    ]);
    expect(s.balancedAccuracy).toBeCloseTo((5 / 6 + 1) / 2, 12);
  });
});
