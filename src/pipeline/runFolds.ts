/**
 * Runs independent fold trainings through the worker pool, all at once (the
 * pool queues them, one per worker), and returns their outputs in input order.
 * Each fold is a pure function of its input (classifierFold.ts), so the
 * numbers do not depend on which worker ran it or in what order.
 */
import type { ClassifierFoldInput, ClassifierFoldOutput } from './classifierFold';
import { foldKey, loadFoldOutput, saveFoldOutput, type FoldCache } from './foldCache';
import type { TaskPool } from './pool';
import type { Progress } from './progress';

export async function runFolds(pool: TaskPool, inputs: ClassifierFoldInput[], progress: Progress, label: string, cache?: FoldCache): Promise<ClassifierFoldOutput[]> {
  const bar = progress.task(label, inputs.length);
  let done = 0;
  let loaded = 0;
  const outputs = await Promise.all(
    inputs.map(async (input) => {
      // A fold whose output is cached (same input, code and backend) is not trained again.
      const key = cache ? foldKey(input, cache.backend) : undefined;
      let out = cache && key ? loadFoldOutput(cache, key) : undefined;
      if (out) loaded++;
      else {
        out = await pool.run('classifier.fold', input);
        if (cache && key) saveFoldOutput(cache, key, out);
      }
      bar.update(++done, { loss: NaN });
      return out;
    }),
  );
  const seconds = outputs.reduce((a, o) => a + o.seconds, 0).toFixed(1);
  bar.done(loaded === inputs.length ? `${inputs.length} fold(s) loaded from the cache (trained in ${seconds} s)` : `${inputs.length} fold(s) in ${seconds} s of training${loaded ? ` (${loaded} from the cache)` : ''}`);
  return outputs;
}
