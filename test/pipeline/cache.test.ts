/**
 * The checkpoint cache: a rebuild with nothing changed trains nothing and
 * leaves the results files as they were; a change retrains only what it
 * touches; a corrupt checkpoint is retrained, never used; a killed build
 * leaves the previous results intact and the next build resumes.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadManifest } from '../../src/data/manifest';
import { runPipeline } from '../../src/pipeline/build';
import { silentProgress } from '../../src/pipeline/progress';
import { REPO_ROOT, SHARED_DATA } from '../support';

const definition = (id: string, steps = 6) => `
id: ${id}
title: "cache test ${id}"
protocol: dynamics
dataset:
  stimuli: timeseries
featureSets:
  - name: roi23
    perLeaf: 1
window:
  context: 3
architecture:
  dModel: 8
  layers: 1
  ffn: 16
  dropout: 0.1
training:
  steps: ${steps}
  batchSize: 32
  learningRate: 0.001
  weightDecay: 0.0001
  clipNorm: 1.0
  schedule: cosine
  evalEvery: 3
seeds: [42, 7]
evaluation:
  split:
    kind: study
    seed: 42
models:
  - name: cortical
    kind: canvas
    mask: cortical
    weights: study
  - name: flat
    kind: flat
  - name: persistence
    kind: persistence
`;
// Per definition: (cortical + flat) × 2 seeds = 4 trained models.
const TRAINED_PER_DEFINITION = 4;

const manifestPath = path.join(SHARED_DATA, 'manifest.json');
const manifest = loadManifest(manifestPath);

function workspace(defs: Record<string, string>) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cache-'));
  const definitionsDir = path.join(dir, 'defs');
  fs.mkdirSync(definitionsDir);
  for (const [name, text] of Object.entries(defs)) fs.writeFileSync(path.join(definitionsDir, `${name}.yaml`), text);
  const paths = { dir, definitionsDir, resultsDir: path.join(dir, 'results'), checkpointsDir: path.join(dir, 'checkpoints') };
  const run = (extra: { retrain?: boolean; checkpoints?: boolean } = {}) =>
    runPipeline({
      root: REPO_ROOT,
      dataDir: SHARED_DATA,
      manifest,
      manifestPath,
      definitionsDir,
      resultsDir: paths.resultsDir,
      checkpointsDir: extra.checkpoints === false ? undefined : paths.checkpointsDir,
      retrain: extra.retrain,
      progress: silentProgress,
    });
  const read = (id: string) => fs.readFileSync(path.join(paths.resultsDir, `${id}.json`), 'utf8');
  return { ...paths, run, read };
}

/** The results without what a new measurement of time changes. */
function metricsOf(text: string) {
  return JSON.parse(text, (k, v) => (k === 'timings' || k === 'trainSeconds' || k === 'definitionFile' ? undefined : v));
}

function checkpointFiles(root: string, name: string): string[] {
  if (!fs.existsSync(root)) return [];
  return (fs.readdirSync(root, { recursive: true }) as string[]).filter((f) => path.basename(f) === name).map((f) => path.join(root, f));
}

describe('checkpoint cache', () => {
  it('a second build trains nothing and leaves the results file byte for byte', async () => {
    const ws = workspace({ a: definition('cache-a') });
    const first = await ws.run();
    expect(first.stats).toEqual({ trained: TRAINED_PER_DEFINITION, loaded: 0, corrupt: 0 });
    const before = ws.read('cache-a');
    const second = await ws.run();
    expect(second.stats).toEqual({ trained: 0, loaded: TRAINED_PER_DEFINITION, corrupt: 0 });
    expect(second.unchanged).toHaveLength(1);
    expect(ws.read('cache-a')).toBe(before);
    expect(checkpointFiles(ws.checkpointsDir, 'checkpoint.json')).toHaveLength(TRAINED_PER_DEFINITION);
  });

  it('changing one experiment retrains only that experiment', async () => {
    // b differs from a (6 vs 5 steps); identical definitions would share checkpoints.
    const ws = workspace({ a: definition('cache-a'), b: definition('cache-b', 5) });
    expect((await ws.run()).stats.trained).toBe(2 * TRAINED_PER_DEFINITION);
    const a = ws.read('cache-a');
    fs.writeFileSync(path.join(ws.definitionsDir, 'b.yaml'), definition('cache-b', 9));
    const again = await ws.run();
    expect(again.stats).toEqual({ trained: TRAINED_PER_DEFINITION, loaded: TRAINED_PER_DEFINITION, corrupt: 0 });
    expect(ws.read('cache-a')).toBe(a);
    expect(again.written.map((f) => path.basename(f))).toEqual(['cache-b.json']);
  });

  it('a title change retrains nothing; --retrain retrains everything', async () => {
    const ws = workspace({ a: definition('cache-a') });
    await ws.run();
    fs.writeFileSync(path.join(ws.definitionsDir, 'a.yaml'), definition('cache-a').replace('title: "cache test cache-a"', 'title: "renamed"'));
    expect((await ws.run()).stats).toEqual({ trained: 0, loaded: TRAINED_PER_DEFINITION, corrupt: 0 });
    expect((await ws.run({ retrain: true })).stats).toEqual({ trained: TRAINED_PER_DEFINITION, loaded: 0, corrupt: 0 });
  });

  it('a corrupt checkpoint is detected by its hash and retrained, to the same numbers (same seed, same backend)', async () => {
    const ws = workspace({ a: definition('cache-a') });
    await ws.run();
    const before = ws.read('cache-a');
    const [weights] = checkpointFiles(ws.checkpointsDir, 'weights.bin');
    const bytes = fs.readFileSync(weights);
    bytes[10] ^= 0xff;
    fs.writeFileSync(weights, bytes);
    const [meta] = checkpointFiles(ws.checkpointsDir, 'checkpoint.json').filter((f) => path.dirname(f) !== path.dirname(weights));
    fs.writeFileSync(meta, '{"truncated": ');
    const again = await ws.run();
    expect(again.stats).toEqual({ trained: 2, loaded: TRAINED_PER_DEFINITION - 2, corrupt: 2 });
    expect(metricsOf(ws.read('cache-a'))).toEqual(metricsOf(before));
  });

  it('same seed, same backend, no cache: identical metrics in two independent builds', async () => {
    const one = workspace({ a: definition('cache-a') });
    const two = workspace({ a: definition('cache-a') });
    await one.run({ checkpoints: false });
    await two.run({ checkpoints: false });
    expect(metricsOf(two.read('cache-a'))).toEqual(metricsOf(one.read('cache-a')));
    const runs = metricsOf(one.read('cache-a')).results.featureSets[0].models[0].studySplit.runs;
    expect(runs.map((r: { seed: number }) => r.seed)).toEqual([42, 7]);
    expect(runs[0].finalR2).not.toBe(runs[1].finalR2);
  });
});

describe('an interrupted build', () => {
  for (const signal of ['SIGKILL', 'SIGINT'] as const) {
    it(`killed with ${signal} mid-training keeps the previous results and the next build resumes`, async () => {
      const ws = workspace({ a: definition('cache-a', 400) });
      fs.mkdirSync(ws.resultsDir);
      const previous = '{"previous": "good results"}\n';
      fs.writeFileSync(path.join(ws.resultsDir, 'cache-a.json'), previous);
      const child = spawn(
        process.execPath,
        // One process (node with tsx's loader), not tsx's CLI: that wrapper runs the build as a child
        // that would survive a SIGKILL sent to the wrapper.
        ['--import', 'tsx', path.join(REPO_ROOT, 'src/cli/build.ts'), '--data', SHARED_DATA, '--definitions', ws.definitionsDir, '--out', ws.resultsDir, '--checkpoints', ws.checkpointsDir, '--skip-site'],
        { cwd: REPO_ROOT, env: { ...process.env, CI: '1' }, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let log = '';
      child.stdout.on('data', (d) => (log += d));
      // Kill once the first model has been checkpointed and the second is training.
      await new Promise<void>((resolve, reject) => {
        const timer = setInterval(() => {
          if (checkpointFiles(ws.checkpointsDir, 'checkpoint.json').length >= 1 && /cortical seed 7 step/.test(log)) {
            clearInterval(timer);
            child.kill(signal);
            resolve();
          }
        }, 50);
        child.on('exit', () => {
          clearInterval(timer);
          reject(new Error(`build ended before it could be killed:\n${log}`));
        });
      });
      await new Promise((r) => child.once('exit', r));
      expect(fs.readFileSync(path.join(ws.resultsDir, 'cache-a.json'), 'utf8')).toBe(previous);
      expect(fs.readdirSync(ws.resultsDir)).toEqual(['cache-a.json']);
      // Trainings run in parallel workers, so one or more had finished when the build was killed.
      const done = checkpointFiles(ws.checkpointsDir, 'checkpoint.json').filter((f) => !/\.tmp-/.test(f));
      expect(done.length).toBeGreaterThanOrEqual(1);
      expect(done.length).toBeLessThan(TRAINED_PER_DEFINITION);

      const resumed = await ws.run();
      expect(resumed.stats.loaded).toBe(done.length);
      expect(resumed.stats.trained).toBe(TRAINED_PER_DEFINITION - done.length);
      expect(resumed.stats.corrupt).toBe(0);
      expect(JSON.parse(ws.read('cache-a')).experiment).toBe('cache-a');
      expect(checkpointFiles(ws.checkpointsDir, 'checkpoint.json').filter((f) => /\.tmp-/.test(f))).toHaveLength(0);
    }, 180_000);
  }
});
