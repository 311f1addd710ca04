/**
 * Splits by stimulus, never by window: all windows of a stimulus fall on one
 * side, so validation never sees a clip the model trained on.
 */
import { numpyPermutation } from '../util/numpyPermutation';

export interface Fold {
  name: string;
  trainStimuli: number[];
  validationStimuli: number[];
}

/**
 * The study's split: the stimuli in NumPy's seeded permutation order; the first
 * max(1, ⌊n/5⌋) validate. With seed 42 and the 8 videos this holds out clip_002,
 * as the study's code did.
 */
export function studySplit(stimulusCount: number, seed: number): Fold {
  const order = numpyPermutation(stimulusCount, seed);
  const nVal = Math.max(1, Math.floor(stimulusCount / 5));
  return {
    name: 'study-split',
    validationStimuli: order.slice(0, nVal).sort((a, b) => a - b),
    trainStimuli: order.slice(nVal).sort((a, b) => a - b),
  };
}

/** Grouped cross-validation: each stimulus is held out once. */
export function leaveOneStimulusOut(stimulusCount: number): Fold[] {
  return Array.from({ length: stimulusCount }, (_, held) => ({
    name: `held-out-${held}`,
    validationStimuli: [held],
    trainStimuli: Array.from({ length: stimulusCount }, (_, i) => i).filter((i) => i !== held),
  }));
}

/** Window indices whose stimulus is in `stimuli`. */
export function windowsOf(stimulusOf: readonly number[], stimuli: readonly number[]): number[] {
  const set = new Set(stimuli);
  const out: number[] = [];
  stimulusOf.forEach((s, i) => {
    if (set.has(s)) out.push(i);
  });
  return out;
}
