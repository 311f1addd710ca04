/**
 * Sliding windows for next-step prediction: `context` consecutive timesteps
 * predict the following one, so a stimulus of T steps gives T − context windows.
 */
export interface WindowSet {
  /** (N × context × F), row-major. */
  inputs: Float32Array;
  /** (N × F). */
  targets: Float32Array;
  count: number;
  context: number;
  features: number;
  /** Index of the stimulus each window came from. */
  stimulusOf: number[];
}

export function makeWindows(series: Array<{ values: Float64Array; timesteps: number }>, features: number, context: number): WindowSet {
  let count = 0;
  for (const s of series) count += Math.max(0, s.timesteps - context);
  const inputs = new Float32Array(count * context * features);
  const targets = new Float32Array(count * features);
  const stimulusOf: number[] = [];
  let w = 0;
  series.forEach((s, si) => {
    for (let t = context; t < s.timesteps; t++, w++) {
      inputs.set(s.values.subarray((t - context) * features, t * features), w * context * features);
      targets.set(s.values.subarray(t * features, (t + 1) * features), w * features);
      stimulusOf.push(si);
    }
  });
  return { inputs, targets, count, context, features, stimulusOf };
}

/** The windows whose index is listed, as a new set. */
export function selectWindows(set: WindowSet, indices: readonly number[]): WindowSet {
  const { context, features } = set;
  const stride = context * features;
  const inputs = new Float32Array(indices.length * stride);
  const targets = new Float32Array(indices.length * features);
  indices.forEach((i, k) => {
    inputs.set(set.inputs.subarray(i * stride, (i + 1) * stride), k * stride);
    targets.set(set.targets.subarray(i * features, (i + 1) * features), k * features);
  });
  return { inputs, targets, count: indices.length, context, features, stimulusOf: indices.map((i) => set.stimulusOf[i]) };
}
