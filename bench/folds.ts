/**
 * Wall-clock speed-up of the classification folds (Experiments 1 and 3) in the
 * worker pool against one worker: the same fold inputs (the Experiment 3
 * decoder and the Experiment 1 canvas, synthetic data of the real shapes) run
 * through pools of 1 and N workers. Prints the times, the speed-up and the load
 * average (the machine may be shared).
 *
 *   npx tsx bench/folds.ts [--folds 8] [--steps 40] [--workers N]
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { BCI_PROGRAM, bciMask } from '../src/cortex/bci';
import { leaveOneOut } from '../src/features/folds';
import type { ClassifierFoldInput } from '../src/pipeline/classifierFold';
import { createPool } from '../src/pipeline/pool';
import { createRng } from '../src/util/random';

const { values } = parseArgs({ options: { folds: { type: 'string', default: '8' }, steps: { type: 'string', default: '40' }, workers: { type: 'string' } } });
const folds = Number(values.folds);
const steps = Number(values.steps);
const workers = Number(values.workers ?? os.availableParallelism());

function data(n: number, D: number) {
  const rng = createRng(1);
  const y = Int32Array.from({ length: n }, (_, i) => i % 4);
  const x = Float32Array.from({ length: n * D }, (_, k) => rng.normal() + (k % D === y[Math.floor(k / D)] ? 1 : 0));
  return { x, y };
}

const n = 79;
let col = 0;
const decoder = { kind: 'attention' as const, regionInputs: BCI_PROGRAM.regions.map((r) => r.electrodes.map(() => col++)), dModel: 48, layers: 3, heads: 4, ffn: 192, allowed: bciMask(BCI_PROGRAM).allowed, readout: BCI_PROGRAM.regions.length - 1 };
const e = data(n, 20);
const exp3: ClassifierFoldInput[] = leaveOneOut(n).slice(0, folds).map((f, k) => ({ model: decoder, ...e, D: 20, classes: 4, train: f.train, test: f.test, seed: k, training: { steps, batchSize: 0, learningRate: 3e-3, weightDecay: 1e-3, clipNorm: 1, schedule: 'constant' } }));
const c = data(n, 23);
const canvas = { kind: 'canvas' as const, dModel: 64, layers: 2, ffn: 256, dropout: 0.1, mixing: new Float32Array(23 * 23).fill(1 / 23), readout: [14] };
const exp1: ClassifierFoldInput[] = leaveOneOut(n).slice(0, folds).map((f, k) => ({ model: canvas, ...c, D: 23, classes: 4, train: f.train, test: f.test, seed: k, training: { steps, batchSize: 16, learningRate: 1e-3, weightDecay: 1e-4, clipNorm: 1, schedule: 'cosine' } }));

async function wallClock(size: number, inputs: ClassifierFoldInput[]): Promise<number> {
  const pool = createPool({ size, backend: 'wasm' });
  try {
    await pool.run('classifier.fold', { ...inputs[0], training: { ...inputs[0].training!, steps: 1 } }); // warm the workers
    const t = performance.now();
    await Promise.all(inputs.map((i) => pool.run('classifier.fold', i)));
    return (performance.now() - t) / 1000;
  } finally {
    await pool.close();
  }
}

console.log(`${folds} folds × ${steps} steps; load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} on ${os.availableParallelism()} cores`);
for (const [name, inputs] of [['exp3 canvas decoder', exp3], ['exp1 canvas classifier', exp1]] as const) {
  const one = await wallClock(1, inputs);
  const many = await wallClock(workers, inputs);
  console.log(`${name.padEnd(24)} 1 worker ${one.toFixed(1)} s | ${workers} workers ${many.toFixed(1)} s | speed-up ${(one / many).toFixed(2)}×`);
}
console.log(`load average after: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
