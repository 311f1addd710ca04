/**
 * Runs independent fold trainings through the worker pool, all at once (the
 * pool queues them, one per worker), and returns their outputs in input order.
 * Each fold is a pure function of its input (classifierFold.ts), so the
 * numbers do not depend on which worker ran it or in what order.
 */
import type { ClassifierFoldInput, ClassifierFoldOutput } from './classifierFold';
import type { TaskPool } from './pool';
import type { Progress } from './progress';

export async function runFolds(pool: TaskPool, inputs: ClassifierFoldInput[], progress: Progress, label: string): Promise<ClassifierFoldOutput[]> {
  const bar = progress.task(label, inputs.length);
  let done = 0;
  const outputs = await Promise.all(
    inputs.map(async (input) => {
      const out = await pool.run('classifier.fold', input);
      bar.update(++done, { loss: NaN });
      return out;
    }),
  );
  bar.done(`${inputs.length} fold(s) in ${outputs.reduce((a, o) => a + o.seconds, 0).toFixed(1)} s of training`);
  return outputs;
}
