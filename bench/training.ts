/**
 * `npm run bench` — how fast training runs on this machine, as figures (never a test).
 *
 *   npm run bench                  per-model step time, FLOP rate, matmul overhead, pool speed-up
 *   npm run bench -- --full        also the wall-clock of Experiment 2 and of a cold and a warm `npm run build`
 *   npm run bench -- --backend cpu use another TensorFlow.js backend
 *
 * For each trained Experiment 2 model (from content/experiments/exp2.yaml):
 * - ms per training step (batch as in the definition), median over timed steps;
 * - the FLOPs of the matrix products one step executes, read from TensorFlow.js's
 *   own kernel profile (2·b·m·k·n per BatchMatMul), and the GFLOP/s they make;
 * - the time those same products take alone, replayed as plain matMuls on fresh
 *   operands on the same backend, alternating with the steps, and the ratio
 *   step / matmuls-alone (the issue's target: ≤ 1.3 for the 135-feature cortical
 *   model); beside it, the ratio to the same FLOPs at the plain-matmul rate;
 * - on the WebAssembly backend, the 135-feature cortical model again with the
 *   project's fused kernels off (TensorFlow.js's own element-wise kernels);
 * - the worker-pool speed-up: the same trainings on 1 worker and on one per core.
 * Prints a table and writes bench/results/training.json.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { compileTopology, featureLayout, featureMask, rowNormalise } from '../src/cortex/compile';
import { CORTICAL_PROGRAM } from '../src/cortex/program';
import type { WindowSet } from '../src/features/windows';
import { initBackend } from '../src/models/backend';
import { createCanvasModel } from '../src/models/canvas';
import { simdKernels, useSimdKernels } from '../src/models/kernels/simd';
import { createFlatModel, flatHidden } from '../src/models/flat';
import type { WindowModel } from '../src/models/model';
import { trainWindowModel } from '../src/models/train';
import { loadDefinition } from '../src/pipeline/definition';
import type { DynamicsExperiment, ModelSpec } from '../src/pipeline/definition';
import type { FitJob } from '../src/pipeline/models';
import { createPool } from '../src/pipeline/pool';
import { createRng } from '../src/util/random';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const full = args.includes('--full');
const backendArg = args.includes('--backend') ? args[args.indexOf('--backend') + 1] : process.env.TFJS_BACKEND;
const TIMED_STEPS = Number(process.env.BENCH_STEPS ?? 10);
const POOL_STEPS = Number(process.env.BENCH_POOL_STEPS ?? 60);

const backend = await initBackend(backendArg || undefined);
const exp = loadDefinition(path.join(ROOT, 'content/experiments/exp2.yaml')).experiment;
const topology = compileTopology(CORTICAL_PROGRAM);
const cores = os.availableParallelism();
console.log(`backend ${backend.name} (${backend.package} ${backend.version})${backend.kernels ? ` with ${backend.kernels}` : ''}, ${cores} cores, ${os.cpus()[0]?.model ?? 'unknown CPU'}`);

function randomWindows(count: number, context: number, features: number, seed: number): WindowSet {
  const rng = createRng(seed);
  return {
    inputs: Float32Array.from({ length: count * context * features }, () => rng.normal()),
    targets: Float32Array.from({ length: count * features }, () => rng.normal()),
    count,
    context,
    features,
    stimulusOf: new Array(count).fill(0),
  };
}

function buildModel(spec: ModelSpec, perLeaf: number, features: number): WindowModel {
  const rng = createRng(1);
  const { dModel, layers, ffn, dropout } = exp.architecture;
  if (spec.kind === 'canvas') {
    const layout = featureLayout(topology, perLeaf);
    const weighted = spec.weights === 'pathway' || (spec.weights === 'study' && perLeaf === 1);
    const mask = featureMask(topology, layout, { weighted, dense: spec.mask === 'dense' });
    return createCanvasModel(spec.name, { features, context: exp.window.context, dModel, layers, ffn, dropout, mixing: rowNormalise(mask) }, rng);
  }
  return createFlatModel({ features, context: exp.window.context, hidden: flatHidden(features) }, rng);
}

/** The definition's protocol for `steps` steps, validating only at the start and the end. */
const protocol = (steps: number) => ({ ...exp.training, steps, evalEvery: 1_000_000, seed: 42 });

interface Row {
  featureSet: string;
  model: string;
  /** 'fused': the project's SIMD kernels for the element-wise work; 'tfjs ops': TensorFlow.js's own kernels. */
  kernels: string;
  parameters: number;
  msPerStep: number;
  matmulGflopPerStep: number;
  gflops: number;
  /** The step's matmuls replayed alone on fresh operands, and the step's time over theirs (the issue's ratio). */
  matmulAloneMs: number;
  overhead: number;
  /** The step's matmul FLOPs at the plain-matmul throughput (a best case: its right operand is packed once), and the ratio to that. */
  matmulAtPlainMs: number;
  overheadAtPlain: number;
}

/** 2·batch·m·k·n for a product of (…, m, k) and (…, k, n); the models call matMul without transpose flags. */
function matmulFlops([a, b]: [number[], number[]]): number {
  const batch = a.slice(0, -2).reduce((x, y) => x * y, 1);
  return 2 * batch * a[a.length - 2] * a[a.length - 1] * b[b.length - 1];
}

/**
 * One replay of the matmuls a step ran, as plain products, in ms. Each product
 * gets fresh operands, as in training, where every right operand is a new
 * tensor that the backend must pack before multiplying; a replay on the same
 * tensors would time cached packings no step can use.
 */
function replayMatmuls(bases: Array<[tf.Tensor2D, tf.Tensor2D]>): number {
  let total = 0;
  for (const [a, b] of bases) {
    const [fa, fb] = [tf.add(a, 0) as tf.Tensor2D, tf.add(b, 0) as tf.Tensor2D];
    tf.zeros([1]).dataSync(); // makes an asynchronous backend finish its queue
    const t = performance.now();
    const product = tf.matMul(fa, fb);
    tf.zeros([1]).dataSync();
    total += performance.now() - t;
    tf.dispose([fa, fb, product]);
  }
  return total;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Plain matmul throughput of this backend on one large product of the 135-feature model's shape (best of 10, after a warm-up). */
function plainMatmul() {
  const a = tf.randomNormal([1, 64 * 135, 64]) as tf.Tensor3D;
  const b = tf.randomNormal([1, 64, 256]) as tf.Tensor3D;
  for (let i = 0; i < 3; i++) tf.matMul(a, b).dispose();
  let ms = Infinity;
  for (let i = 0; i < 10; i++) {
    const t = performance.now();
    tf.matMul(a, b).dispose();
    tf.zeros([1]).dataSync();
    ms = Math.min(ms, performance.now() - t);
  }
  tf.dispose([a, b]);
  return { shape: '8640×64 · 64×256', ms, gflops: (2 * 8640 * 64 * 256) / 1e9 / (ms / 1000) };
}
const plain = plainMatmul();

/** Times one model's training step and replays its matmuls. */
async function measure(spec: ModelSpec, set: { name: string; perLeaf: number }, kernels: string): Promise<Row> {
  const features = featureLayout(topology, set.perLeaf).regionOf.length;
  const train = randomWindows(Math.max(exp.training.batchSize, 120), exp.window.context, features, 3);
  // One validation window: the start/end validation of each timed run costs next to nothing.
  const one = randomWindows(1, exp.window.context, features, 4);
  const model = buildModel(spec, set.perLeaf, features);
  trainWindowModel(model, train, one, protocol(5)); // warm-up: kernels compiled and tiered up, buffers allocated
  const profile = await tf.profile(() => {
    trainWindowModel(model, train, one, protocol(1));
  });
  const shapes = profile.kernels
    .filter((k) => k.name === 'BatchMatMul')
    .map((k) => [k.inputShapes[0], k.inputShapes[1]] as [number[], number[]]);
  const flops = shapes.reduce((s, shape) => s + matmulFlops(shape), 0);
  // Steps and matmul replays alternate, so that a slow spell of the machine
  // (other tenants, frequency changes) weighs on both sides of the ratio alike.
  const bases = shapes.map(([a, b]) => [tf.randomNormal(a), tf.randomNormal(b)] as [tf.Tensor2D, tf.Tensor2D]);
  const stepTimes: number[] = [];
  const replayTimes: number[] = [];
  for (let i = 0; i < TIMED_STEPS; i++) {
    stepTimes.push(trainWindowModel(model, train, one, protocol(1)).seconds * 1000);
    replayTimes.push(replayMatmuls(bases));
  }
  for (const pair of bases) tf.dispose(pair);
  const msPerStep = median(stepTimes);
  const matmulAloneMs = median(replayTimes);
  const parameters = model.params.count();
  model.dispose();
  tf.disposeVariables();
  const row: Row = {
    featureSet: set.name,
    model: spec.name,
    kernels,
    parameters,
    msPerStep,
    matmulGflopPerStep: flops / 1e9,
    gflops: flops / 1e9 / (msPerStep / 1000),
    matmulAloneMs,
    overhead: msPerStep / matmulAloneMs,
    matmulAtPlainMs: flops / 1e6 / plain.gflops,
    overheadAtPlain: msPerStep / (flops / 1e6 / plain.gflops),
  };
  console.log(`${row.featureSet} ${row.model} (${kernels}): ${row.msPerStep.toFixed(1)} ms/step, ${row.gflops.toFixed(2)} GFLOP/s, matmuls alone ${row.matmulAloneMs.toFixed(1)} ms (×${row.overhead.toFixed(2)})`);
  return row;
}

const kernelsLabel = simdKernels() ? 'fused' : 'tfjs ops';
const rows: Row[] = [];
for (const set of exp.featureSets) {
  for (const spec of exp.models.filter((m) => (m.kind === 'canvas' || m.kind === 'flat') && (!m.featureSets || m.featureSets.includes(set.name)))) {
    rows.push(await measure(spec, set, kernelsLabel));
  }
}
// The first model again with the fused kernels off: what they are worth on this machine.
if (simdKernels()) {
  useSimdKernels(false);
  rows.push(await measure(exp.models.find((m) => m.kind === 'canvas')!, exp.featureSets[0], 'tfjs ops'));
  useSimdKernels(true);
}

/** Wall-clock of four identical trainings on a pool of `size` workers, after the workers have started. */
async function poolSeconds(size: number): Promise<number> {
  const features = featureLayout(topology, 1).regionOf.length;
  const spec = exp.models.find((m) => m.kind === 'canvas')!;
  const withSteps = (steps: number) => ({ ...exp, training: { ...exp.training, steps } }) as DynamicsExperiment;
  const jobs: FitJob[] = Array.from({ length: 4 }, (_, i) => ({
    spec,
    train: randomWindows(120, exp.window.context, features, 10 + i),
    validation: randomWindows(11, exp.window.context, features, 20 + i),
    experiment: withSteps(POOL_STEPS),
    featuresPerLeaf: 1,
    seed: i,
  }));
  const pool = createPool({ size, backend: backend.name, kernels: backend.kernels ?? 'none' });
  try {
    await Promise.all(Array.from({ length: size }, () => pool.run('dynamics.fit', { ...jobs[0], experiment: withSteps(1) })));
    const t = performance.now();
    await Promise.all(jobs.map((job) => pool.run('dynamics.fit', job)));
    return (performance.now() - t) / 1000;
  } finally {
    await pool.close();
  }
}
// Two rounds, alternating, and the faster of each: a slow spell of the machine
// then cannot fall on one side only.
const POOL_ROUNDS = Number(process.env.BENCH_POOL_ROUNDS ?? 2);
const oneWorkerRuns: number[] = [];
const allWorkerRuns: number[] = [];
for (let round = 0; round < POOL_ROUNDS; round++) {
  oneWorkerRuns.push(await poolSeconds(1));
  allWorkerRuns.push(await poolSeconds(cores));
}
const oneWorker = Math.min(...oneWorkerRuns);
const allWorkers = Math.min(...allWorkerRuns);
const pool = { trainings: 4, steps: POOL_STEPS, workers: cores, rounds: POOL_ROUNDS, oneWorkerSeconds: oneWorker, poolSeconds: allWorkers, speedup: oneWorker / allWorkers };

/** The whole build, cold (empty checkpoint folder) then warm (the same folder again), into a temporary folder. */
function timeBuilds() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-build-'));
  const run = (label: string) => {
    const t = performance.now();
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', path.join(ROOT, 'src/cli/build.ts'), '--out', path.join(tmp, 'results'), '--checkpoints', path.join(tmp, 'checkpoints')],
      { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, CI: '1', SITE_OUT_DIR: path.join(tmp, 'dist'), RESULTS_DIR: path.join(tmp, 'results') } },
    );
    if (r.status !== 0) throw new Error(`the ${label} build failed (exit ${r.status})`);
    return (performance.now() - t) / 1000;
  };
  try {
    const cold = run('cold');
    const exp2 = JSON.parse(fs.readFileSync(path.join(tmp, 'results/exp2.json'), 'utf8')).provenance.timings.total as number;
    const warm = run('warm');
    return { coldBuildSeconds: cold, warmBuildSeconds: warm, experiment2Seconds: exp2 };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
const builds = full ? timeBuilds() : undefined;

const pad = (s: string | number, n: number) => String(s).padStart(n);
console.log(`\nplain matmul (${plain.shape}): ${plain.ms.toFixed(1)} ms, ${plain.gflops.toFixed(2)} GFLOP/s\n`);
console.log(
  `${'feature set'.padEnd(12)}${'model'.padEnd(20)}${'kernels'.padEnd(10)}${pad('params', 9)}${pad('ms/step', 10)}${pad('GFLOP/step', 12)}${pad('GFLOP/s', 9)}${pad('% of plain', 11)}${pad('matmul ms', 11)}${pad('step/matmul', 13)}${pad('at plain ms', 13)}${pad('step/plain', 12)}`,
);
for (const r of rows) {
  console.log(
    `${r.featureSet.padEnd(12)}${r.model.padEnd(20)}${r.kernels.padEnd(10)}${pad(r.parameters, 9)}${pad(r.msPerStep.toFixed(1), 10)}${pad(r.matmulGflopPerStep.toFixed(3), 12)}${pad(r.gflops.toFixed(2), 9)}${pad(`${((100 * r.gflops) / plain.gflops).toFixed(0)}%`, 11)}${pad(r.matmulAloneMs.toFixed(1), 11)}${pad(`×${r.overhead.toFixed(2)}`, 13)}${pad(r.matmulAtPlainMs.toFixed(1), 13)}${pad(`×${r.overheadAtPlain.toFixed(2)}`, 12)}`,
  );
}
console.log('matmul ms: the step\'s products replayed alone on fresh operands (target: step/matmul ≤ ×1.3 for roi135 cortical);');
console.log('at plain ms: the same FLOPs at the plain-matmul rate above, whose right operand is packed once (a bound no step reaches).');
console.log(`\nworker pool: ${pool.trainings} trainings of ${pool.steps} steps (best of ${POOL_ROUNDS} rounds), 1 worker ${oneWorker.toFixed(1)} s, ${cores} workers ${allWorkers.toFixed(1)} s: speed-up ×${pool.speedup.toFixed(2)}`);
if (builds) console.log(`cold build ${builds.coldBuildSeconds.toFixed(0)} s (Experiment 2: ${builds.experiment2Seconds.toFixed(0)} s), warm build ${builds.warmBuildSeconds.toFixed(0)} s`);
console.log(`load average now: ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} (other work on the machine slows every figure)`);

const out = path.join(ROOT, 'bench/results/training.json');
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, `${JSON.stringify({ date: new Date().toISOString(), backend, cores, cpu: os.cpus()[0]?.model, loadAverage: os.loadavg(), plainMatmul: plain, models: rows, pool, builds }, null, 2)}\n`);
console.log(`wrote ${path.relative(ROOT, out)}`);
