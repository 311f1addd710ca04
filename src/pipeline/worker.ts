/**
 * The entry point of a pool worker: loads the TensorFlow.js backend the main
 * thread chose, then runs tasks from the registry by name. Outcomes are plain
 * data so that errors survive the trip back to the main thread.
 */
import type { MessagePort } from 'node:worker_threads';
import { workerData } from 'node:worker_threads';
import { InputError } from '../data/errors';
import { initBackend } from '../models/backend';
import { TASKS, type TaskName } from './tasks';

export interface TaskEnvelope {
  task: TaskName;
  input: unknown;
  /** Where the task's progress messages go (worker threads only). */
  port?: MessagePort;
}

/** The last message a task sends on its port: everything it reported has been sent. */
export const TASK_END = '__task_end__';

export type TaskOutcome =
  | { ok: true; output: unknown }
  | { ok: false; error: { name: string; message: string; stack?: string; file?: string; detail?: string } };

export async function runTask(
  envelope: TaskEnvelope,
  options: { backend?: string; kernels?: string; onMessage?: (m: unknown) => void } = {},
): Promise<TaskOutcome> {
  const report = options.onMessage ?? ((m: unknown) => envelope.port?.postMessage(m));
  try {
    const backend = await initBackend(options.backend);
    const kernels = backend.kernels ?? 'none';
    if (options.kernels !== undefined && kernels !== options.kernels) {
      const own = backend.kernels ?? `TensorFlow.js's own kernels (${backend.kernelsMissing ?? 'no fused kernels'})`;
      throw new Error(`a worker thread trains with ${own}, the main thread with ${options.kernels}: their numbers would differ, so the worker refuses to train`);
    }
    const task = TASKS[envelope.task] as (input: unknown, report: (m: unknown) => void) => unknown;
    if (!task) throw new Error(`unknown pool task "${envelope.task}"`);
    return { ok: true, output: await task(envelope.input, report) };
  } catch (e) {
    const err = e as Error;
    return {
      ok: false,
      error: {
        name: err.name ?? 'Error',
        message: err.message ?? String(e),
        stack: err.stack,
        ...(e instanceof InputError ? { file: e.file, detail: e.detail } : {}),
      },
    };
  } finally {
    envelope.port?.postMessage(TASK_END);
    envelope.port?.close();
  }
}

/** Piscina calls the default export with the task payload. */
export default function (envelope: TaskEnvelope): Promise<TaskOutcome> {
  const data = workerData as { backend?: string; kernels?: string } | undefined;
  return runTask(envelope, { backend: data?.backend, kernels: data?.kernels });
}
