/**
 * Runs independent fold trainings and returns their outputs in input order.
 * Sequential for now: each task is a pure function of structured-cloneable
 * input (see classifierFold.ts), ready to be handed to worker threads.
 */
import type { ClassifierFoldInput, ClassifierFoldOutput } from './classifierFold';
import { runClassifierFold } from './classifierFold';
import type { Progress } from './progress';

const TASKS = { classifierFold: runClassifierFold } as const;

export async function runFolds(task: keyof typeof TASKS, inputs: ClassifierFoldInput[], progress: Progress, label: string): Promise<ClassifierFoldOutput[]> {
  const bar = progress.task(label, inputs.length);
  const out: ClassifierFoldOutput[] = [];
  for (const input of inputs) {
    out.push(await TASKS[task](input));
    bar.update(out.length, { loss: NaN });
  }
  bar.done(`${inputs.length} fold(s)`);
  return out;
}
