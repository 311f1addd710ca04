/**
 * The tasks a pool worker can run, by name. Each takes structured-cloneable
 * input (plain objects, typed arrays) and returns the same, and may report
 * progress through `report`. A task must depend only on its input, so it gives
 * the same answer in a worker as in the main thread.
 */
import { fitModelTask } from './models';

export const TASKS = {
  'dynamics.fit': fitModelTask,
} as const;

export type TaskName = keyof typeof TASKS;
export type TaskInput<N extends TaskName> = Parameters<(typeof TASKS)[N]>[0];
export type TaskOutput<N extends TaskName> = Awaited<ReturnType<(typeof TASKS)[N]>>;
