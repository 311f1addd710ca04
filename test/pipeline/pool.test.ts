/**
 * The worker pool: a training run in a worker thread gives exactly the numbers
 * it gives in the main thread (same backend, same seed), progress crosses the
 * thread boundary, and errors come back with their message.
 */
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDestrieux } from '../../src/data/atlas';
import { loadManifest } from '../../src/data/manifest';
import { loadStimulus } from '../../src/data/stimuli';
import { compileTopology, featureLayout } from '../../src/cortex/compile';
import { CORTICAL_PROGRAM } from '../../src/cortex/program';
import { extractFeatures, featureVertexGroups } from '../../src/features/roi';
import { makeWindows, selectWindows } from '../../src/features/windows';
import { initBackend } from '../../src/models/backend';
import { parseDefinition } from '../../src/pipeline/definition';
import type { DynamicsExperiment } from '../../src/pipeline/definition';
import type { FitJob, FitMessage } from '../../src/pipeline/models';
import { createPool, defaultPoolSize, withoutTsx, type TaskPool } from '../../src/pipeline/pool';
import { SHARED_DATA } from '../support';

const DEFINITION = `
id: pooltest
title: pool test
protocol: dynamics
dataset: { stimuli: timeseries }
featureSets: [{ name: roi23, perLeaf: 1 }]
window: { context: 3 }
architecture: { dModel: 8, layers: 1, ffn: 16, dropout: 0.1 }
training: { steps: 6, batchSize: 16, learningRate: 0.001, weightDecay: 0.0001, clipNorm: 1.0, schedule: cosine, evalEvery: 3 }
seeds: [7]
evaluation: { split: { kind: study, seed: 42 } }
models: [{ name: cortical, kind: canvas, mask: cortical, weights: study }]
`;

describe('training pool', () => {
  let job: FitJob;
  let workers: TaskPool;
  const inline = createPool({ size: 0, backend: 'wasm' });

  beforeAll(async () => {
    await initBackend('wasm');
    const experiment = parseDefinition(DEFINITION, 'pooltest.yaml') as DynamicsExperiment;
    const manifest = loadManifest(path.join(SHARED_DATA, 'manifest.json'));
    const atlas = loadDestrieux(SHARED_DATA);
    const topology = compileTopology(CORTICAL_PROGRAM);
    const layout = featureLayout(topology, 1);
    const groups = featureVertexGroups(topology, layout, atlas);
    const series = manifest.stimuli.filter((s) => s.kind === 'timeseries').slice(0, 3).map((s) => loadStimulus(SHARED_DATA, s));
    const windows = makeWindows(
      series.map((s) => ({ values: extractFeatures(s.values, s.timesteps, atlas.vertexCount, groups), timesteps: s.timesteps })),
      groups.length,
      3,
    );
    const trainIdx = windows.stimulusOf.flatMap((s, i) => (s !== 2 ? [i] : []));
    const valIdx = windows.stimulusOf.flatMap((s, i) => (s === 2 ? [i] : []));
    job = { spec: experiment.models[0], train: selectWindows(windows, trainIdx), validation: selectWindows(windows, valIdx), experiment, featuresPerLeaf: 1, seed: 7 };
    workers = createPool({ size: 2, backend: 'wasm' });
  }, 120_000);

  afterAll(async () => {
    await workers?.close();
  });

  it('gives bit-identical predictions and curves in a worker thread and in the main thread', async () => {
    const [a, b] = await Promise.all([workers.run('dynamics.fit', job), inline.run('dynamics.fit', job)]);
    expect(a.predictions.length).toBe(job.validation.count * 23);
    expect(Array.from(a.predictions)).toEqual(Array.from(b.predictions));
    expect(a.curve).toEqual(b.curve);
    expect(a.parameters).toBe(b.parameters);
    // Independently: the validation step count follows from evalEvery 3 over 6 steps (0, 3, 6).
    expect(a.curve!.map((p) => p.step)).toEqual([0, 3, 6]);
  });

  it('sends every training step back to the main thread', async () => {
    const steps: number[] = [];
    await workers.run('dynamics.fit', job, (m) => {
      const message = m as FitMessage;
      if (message.type === 'step') steps.push(message.event.step);
    });
    expect(steps).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('returns an error raised in a worker with its message', async () => {
    // 23-feature windows with a 135-feature layout: the mixing matrix cannot fit.
    await expect(workers.run('dynamics.fit', { ...job, featuresPerLeaf: 8 })).rejects.toThrow(/mixing matrix has 18225 entries, expected 529/);
  });

  it('a worker that would train with other kernels than the main thread refuses (its numbers would differ)', async () => {
    const mismatched = createPool({ size: 1, backend: 'wasm', kernels: 'none' });
    try {
      // This thread loaded the fused kernels, so the worker does too, and "none" does not match.
      const here = await initBackend('wasm');
      expect(here.kernels).toBeDefined();
      await expect(mismatched.run('dynamics.fit', job)).rejects.toThrow(/a worker thread trains with SIMD kernels .* the main thread with none: their numbers would differ/);
    } finally {
      await mismatched.close();
    }
    // And with the same kernels named, it trains.
    const matched = createPool({ size: 1, backend: 'wasm', kernels: (await initBackend('wasm')).kernels });
    try {
      expect((await matched.run('dynamics.fit', job)).parameters).toBeGreaterThan(0);
    } finally {
      await matched.close();
    }
  });

  it('takes its size from BRAIN_WORKERS and refuses nonsense there', () => {
    expect(defaultPoolSize({ BRAIN_WORKERS: '3' })).toBe(3);
    expect(defaultPoolSize({ BRAIN_WORKERS: '0' })).toBe(0);
    expect(defaultPoolSize({})).toBe(os.availableParallelism());
    expect(() => defaultPoolSize({ BRAIN_WORKERS: 'many' })).toThrow(/BRAIN_WORKERS: expected a whole number/);
  });

  it("drops tsx's own loader flags (and their values) from the flags workers inherit", () => {
    const fromTsx = ['--require', '/r/node_modules/tsx/dist/preflight.cjs', '--import', 'file:///r/node_modules/tsx/dist/loader.mjs', '--max-old-space-size=4096'];
    expect(withoutTsx(fromTsx)).toEqual(['--max-old-space-size=4096']);
    expect(withoutTsx(['--import=tsx', '--enable-source-maps'])).toEqual(['--enable-source-maps']);
  });
});
