import { describe, expect, it } from 'vitest';
import { numpyPermutation } from '../../src/util/numpyPermutation';
import { studySplit } from '../../src/features/split';

// Expected values printed by NumPy 1.x/2.x: numpy.random.RandomState(seed).permutation(n)
describe('numpyPermutation', () => {
  it('reproduces NumPy RandomState permutations', () => {
    expect(numpyPermutation(8, 42)).toEqual([1, 5, 0, 7, 2, 4, 3, 6]);
    expect(numpyPermutation(20, 7)).toEqual([1, 17, 2, 5, 11, 0, 18, 6, 13, 19, 10, 14, 8, 16, 9, 12, 7, 3, 4, 15]);
    expect(numpyPermutation(87, 0).slice(0, 10)).toEqual([2, 13, 53, 41, 66, 30, 45, 43, 76, 86]);
  });

  it('is a permutation for any size', () => {
    for (const n of [1, 2, 3, 100]) expect([...numpyPermutation(n, 5)].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
  });

  it('gives the study split: clip_002 (index 1) validates among the 8 videos with seed 42', () => {
    expect(studySplit(8, 42).validationStimuli).toEqual([1]);
  });
});
