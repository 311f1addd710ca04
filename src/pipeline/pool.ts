/**
 * A pool of worker threads for independent trainings (models, seeds, folds).
 *
 * TensorFlow.js's WebAssembly backend runs on one thread per process here
 * (WebAssembly threads do not work in Node), so the only way to use every core
 * is to train several models at once in separate workers. Each worker loads
 * the same TensorFlow.js backend as the main thread, so a model trains to the
 * same numbers wherever it runs.
 *
 * `size: 0` runs the same tasks inline, in the calling thread: same code path,
 * no workers (tests and debugging).
 */
import os from 'node:os';
import { MessageChannel } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { InputError } from '../data/errors';
import type { TaskName, TaskInput, TaskOutput } from './tasks';
import { TASK_END, type TaskEnvelope, type TaskOutcome } from './worker';

export interface TaskPool {
  /** Worker threads (0: inline). */
  readonly size: number;
  /** Runs a registered task; `onMessage` receives what the task reports while it runs (progress). */
  run<N extends TaskName>(task: N, input: TaskInput<N>, onMessage?: (message: unknown) => void): Promise<TaskOutput<N>>;
  close(): Promise<void>;
}

export interface PoolOptions {
  /** Worker threads; default: the machine's available parallelism. 0 runs tasks inline. */
  size?: number;
  /** The TensorFlow.js backend every worker must use (the one the main thread chose). */
  backend?: string;
  /**
   * The fused kernels the main thread trains with ("none" without them). A
   * worker that cannot load the same refuses its tasks: its numbers would differ.
   */
  kernels?: string;
}

/** `--workers` / BRAIN_WORKERS, else one worker per core. */
export function defaultPoolSize(env: NodeJS.ProcessEnv = process.env): number {
  const fromEnv = env.BRAIN_WORKERS?.trim();
  if (fromEnv) {
    const n = Number(fromEnv);
    if (!Number.isInteger(n) || n < 0) throw new InputError('BRAIN_WORKERS', `expected a whole number of worker threads (0 runs inline), got "${fromEnv}"`);
    return n;
  }
  return os.availableParallelism();
}

export function createPool(options: PoolOptions = {}): TaskPool {
  const size = options.size ?? defaultPoolSize();
  if (size === 0) return inlinePool(options.backend);
  const piscina = new Piscina({
    filename: new URL('./worker.ts', import.meta.url).href,
    minThreads: size,
    maxThreads: size,
    // Workers run the TypeScript sources through tsx whether the parent was started by
    // tsx (the build) or by vitest (whose own transform does not reach workers).
    execArgv: [...withoutTsx(process.execArgv), '--import', 'tsx'],
    workerData: { backend: options.backend, kernels: options.kernels },
    idleTimeout: 30_000,
  });
  return {
    size,
    async run(task, input, onMessage) {
      const channel = onMessage ? new MessageChannel() : undefined;
      // The result can arrive before the task's last progress messages; the worker sends
      // TASK_END after them (a port keeps its messages in order), so waiting for it
      // delivers every message before the result is used.
      let drain = () => {};
      const drained = new Promise<void>((resolve) => (drain = resolve));
      channel?.port1.on('message', (m) => (m === TASK_END ? drain() : onMessage!(m)));
      if (!channel) drain();
      try {
        const envelope: TaskEnvelope = { task, input, port: channel?.port2 };
        const outcome = (await piscina.run(envelope, { transferList: channel ? [channel.port2] : [] })) as TaskOutcome;
        await drained;
        return unwrap(outcome);
      } finally {
        channel?.port1.close();
      }
    },
    async close() {
      await piscina.destroy();
    },
  };
}

/** The parent's Node flags without tsx's own loader flags (`--import <tsx…>`, `--require <tsx…>`, `--import=<tsx…>`). */
export function withoutTsx(execArgv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const arg = execArgv[i];
    if ((arg === '--import' || arg === '--require' || arg === '-r' || arg === '--loader') && execArgv[i + 1]?.includes('tsx')) {
      i++;
      continue;
    }
    if (/^--(import|require|loader)=.*tsx/.test(arg)) continue;
    out.push(arg);
  }
  return out;
}

function inlinePool(backend: string | undefined): TaskPool {
  return {
    size: 0,
    async run(task, input, onMessage) {
      const { runTask } = await import('./worker');
      return unwrap(await runTask({ task, input }, { backend, onMessage }));
    },
    async close() {},
  };
}

/** Errors cross the thread boundary as plain data; input errors come back as InputError. */
function unwrap<R>(outcome: TaskOutcome): R {
  if (outcome.ok) return outcome.output as R;
  const e = outcome.error;
  if (e.name === 'InputError' && e.file !== undefined && e.detail !== undefined) throw new InputError(e.file, e.detail);
  const error = new Error(e.message);
  error.name = e.name;
  error.stack = `${e.name}: ${e.message}\n    (in a worker thread)\n${e.stack?.split('\n').slice(1).join('\n') ?? ''}`;
  throw error;
}
