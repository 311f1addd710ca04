import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadManifest } from '../../src/data/manifest';
import { byClass, leaveOneOut, stratifiedKFold, stratifiedSubsample } from '../../src/features/folds';
import { selectLabelled } from '../../src/pipeline/labelled';
import { SHARED_DATA } from '../support';

const manifest = loadManifest(path.join(SHARED_DATA, 'manifest.json'));
const set = selectLabelled('exp.yaml', { kinds: ['mean'], labels: ['image', 'image+text', 'text', 'speech'] }, manifest);

describe('splits of the real labelled set', () => {
  it('selects the 79 time-mean maps in 4 unbalanced classes', () => {
    expect(set.classes).toEqual([
      { name: 'image', size: 40 },
      { name: 'image+text', size: 20 },
      { name: 'text', size: 13 },
      { name: 'speech', size: 6 },
    ]);
    expect(set.chance).toBe(0.25);
    expect(set.majorityRate).toBeCloseTo(40 / 79, 12);
  });

  it('leave-one-out has one fold per stimulus, each held out once', () => {
    const folds = leaveOneOut(set.y.length);
    expect(folds).toHaveLength(79);
    expect(folds.map((f) => f.test[0])).toEqual([...Array(79).keys()]);
    for (const f of folds) expect(f.train).toHaveLength(78);
  });

  it('stratified 5-fold keeps every class share within one stimulus, and partitions the set', () => {
    for (const seed of [42, 1042, 7]) {
      const folds = stratifiedKFold(set.y, 4, 5, seed);
      expect(folds.flatMap((f) => f.test).sort((a, b) => a - b)).toEqual([...Array(79).keys()]);
      byClass(set.y, 4).forEach((members) => {
        const counts = folds.map((f) => f.test.filter((i) => set.y[i] === set.y[members[0]]).length);
        expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
        for (const c of counts) expect(Math.abs(c - members.length / 5)).toBeLessThan(1);
      });
      const sizes = folds.map((f) => f.test.length);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
      for (const f of folds) expect(new Set([...f.train, ...f.test]).size).toBe(79);
    }
    expect(stratifiedKFold(set.y, 4, 5, 42)).toEqual(stratifiedKFold(set.y, 4, 5, 42));
    expect(stratifiedKFold(set.y, 4, 5, 42)).not.toEqual(stratifiedKFold(set.y, 4, 5, 43));
  });

  it('a learning-curve subsample keeps each class share, at least 2 per class', () => {
    const train = stratifiedKFold(set.y, 4, 5, 42)[0].train;
    const sub = stratifiedSubsample(train, set.y, 0.25, 1);
    const count = (idx: number[], c: number) => idx.filter((i) => set.y[i] === c).length;
    for (let c = 0; c < 4; c++) expect(count(sub, c)).toBe(Math.min(count(train, c), Math.max(2, Math.round(0.25 * count(train, c)))));
    expect(sub.every((i) => train.includes(i))).toBe(true);
  });
});
