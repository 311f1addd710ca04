/**
 * Loads a TRIBE v2 prediction named by the data manifest and checks it is what
 * the manifest says: the declared shape, 20,484 fsaverage5 vertices, float32 or
 * float64, every value finite (see assertFinitePredictions for the NaN policy).
 */
import path from 'node:path';
import { InputError } from './errors';
import type { Stimulus } from './manifest';
import type { NdArray } from './ndarray';
import { loadNpy } from './npy';
import { loadNpzArray } from './npz';

export const FSAVERAGE5_TOTAL_VERTICES = 20484;

export interface StimulusSeries {
  stimulus: Stimulus;
  /** (T × 20484) row-major; a time-mean map has T = 1. */
  values: Float32Array | Float64Array | Int32Array;
  timesteps: number;
}

export function loadStimulus(dataDir: string, stimulus: Stimulus): StimulusSeries {
  const file = path.join(dataDir, stimulus.file);
  const source = stimulus.key ? `${file}:${stimulus.key}` : file;
  const array: NdArray = stimulus.key ? loadNpzArray(file, stimulus.key) : loadNpy(file);
  const expected = stimulus.shape;
  if (array.shape.length !== expected.length || array.shape.some((d, i) => d !== expected[i])) {
    throw new InputError(source, `shape is (${array.shape.join(', ')}); the manifest declares (${expected.join(', ')}) for stimulus ${stimulus.id}`);
  }
  const vertices = array.shape[array.shape.length - 1];
  if (vertices !== FSAVERAGE5_TOTAL_VERTICES) {
    throw new InputError(source, `has ${vertices} columns; TRIBE v2 predictions on fsaverage5 have ${FSAVERAGE5_TOTAL_VERTICES} (10,242 per hemisphere)`);
  }
  if (array.dtype !== 'float32' && array.dtype !== 'float64') {
    throw new InputError(source, `dtype is ${array.dtype}; TRIBE v2 predictions must be float32 or float64`);
  }
  assertFinitePredictions(array, source);
  return { stimulus, values: array.data, timesteps: array.shape.length === 2 ? array.shape[0] : 1 };
}

/**
 * NaN policy: a prediction with any NaN or infinite value is refused, never patched
 * (no zero-filling or interpolation), because a silently repaired input would change
 * every metric. The message gives the count and the first offending (timestep, vertex).
 */
export function assertFinitePredictions(array: NdArray, source: string): void {
  const { data } = array;
  const cols = array.shape[array.shape.length - 1] || 1;
  let bad = 0;
  let first = -1;
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) {
      if (first < 0) first = i;
      bad++;
    }
  }
  if (bad === 0) return;
  const at = array.shape.length === 2 ? `timestep ${Math.floor(first / cols)}, vertex ${first % cols}` : `vertex ${first}`;
  throw new InputError(
    source,
    `${bad} of ${data.length} values are NaN or infinite (first at ${at}: ${data[first]}); predictions must be finite, they are not repaired`,
  );
}
