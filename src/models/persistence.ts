/** Persistence baseline: the next timestep equals the last one seen. */
import type { WindowSet } from '../features/windows';

export function persistencePredict(set: WindowSet): Float32Array {
  const { count, context, features } = set;
  const out = new Float32Array(count * features);
  for (let i = 0; i < count; i++) {
    out.set(set.inputs.subarray((i * context + context - 1) * features, (i * context + context) * features), i * features);
  }
  return out;
}
