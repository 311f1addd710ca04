/**
 * Experiments 1 and 3 through the pipeline on the real bundle (cheap models
 * only: logistic regression and the SVM; the trained networks are tested in
 * test/models/classifiers.test.ts), and the refusals the issue names: a class
 * with one stimulus, an empty class, a montage missing an electrode the decoder
 * needs, an unknown protocol. Each names the file and the problem, and no
 * results file is written or changed.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/data/errors';
import { loadManifest } from '../../src/data/manifest';
import type { BciResults } from '../../src/pipeline/bci';
import { runPipeline } from '../../src/pipeline/build';
import type { ClassificationResults } from '../../src/pipeline/classification';
import { silentProgress } from '../../src/pipeline/progress';
import type { ResultsFile } from '../../src/pipeline/results';
import { accuracy, balancedAccuracy } from '../../src/stats/classification';
import { GOLDEN, REPO_ROOT, SHARED_DATA } from '../support';

const EXP1 = `id: exp1
title: "Experiment 1 (test)"
protocol: classification
dataset:
  kinds: [mean]
  labels: [image, image+text, text, speech]
featureSets:
  - name: roi23
    perLeaf: 1
canvas:
  dModel: 8
  layers: 1
  ffn: 16
  dropout: 0
  readout: frontal.prefrontal
mlp:
  hidden: [8]
  dropout: 0
logistic:
  iterations: 300
training:
  steps: 2
  batchSize: 16
  learningRate: 0.001
  weightDecay: 0.0001
  clipNorm: 1.0
  schedule: cosine
seeds: [42]
evaluation:
  folds: 5
  repeats: 2
  importance:
    featureSet: roi23
    models: [logistic]
    shuffles: 2
models:
  - name: logistic
    kind: logistic
    c: 1.0
  - name: cortical
    kind: canvas
    mask: cortical
  - name: flat
    kind: mlp
`;

const EXP3 = `id: exp3
title: "Experiment 3 (test)"
protocol: bci
dataset:
  kinds: [mean]
  labels: [image, image+text, text, speech]
montage: eeg/fsaverage_1020.tsv
patchRadiusMm: 10
decoder:
  dModel: 8
  layers: 1
  heads: 2
  ffn: 16
training:
  steps: 2
  batchSize: 0
  learningRate: 0.003
  weightDecay: 0.001
  clipNorm: 1.0
  schedule: constant
seeds: [42]
evaluation:
  kind: leave-one-out
models:
  - name: svm
    kind: svm
    cost: 1
  - name: canvas
    kind: canvas-decoder
`;

const tempDir = (prefix: string) => fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));

function defs(files: Record<string, string>): string {
  const dir = tempDir('defs');
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

const manifestPath = path.join(SHARED_DATA, 'manifest.json');
const run = (definitionsDir: string, resultsDir: string) =>
  runPipeline({ root: REPO_ROOT, dataDir: SHARED_DATA, manifest: loadManifest(manifestPath), manifestPath, definitionsDir, resultsDir, progress: silentProgress });

async function refused(promise: Promise<unknown>, ...parts: Array<string | RegExp>): Promise<string> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(InputError);
  for (const p of parts) expect((err as Error).message).toMatch(p);
  return (err as Error).message;
}

describe('Experiments 1 and 3 on the real bundle', () => {
  const resultsDir = tempDir('results');
  let exp1: ResultsFile<ClassificationResults>;
  let exp3: ResultsFile<BciResults>;
  beforeAll(async () => {
    await run(defs({ 'exp1.yaml': EXP1, 'exp3.yaml': EXP3 }), resultsDir);
    exp1 = JSON.parse(fs.readFileSync(path.join(resultsDir, 'exp1.json'), 'utf8'));
    exp3 = JSON.parse(fs.readFileSync(path.join(resultsDir, 'exp3.json'), 'utf8'));
  }, 300_000);

  it('Experiment 1: 79 stimuli, 4 classes, chance and majority rate, stratified folds', () => {
    const r = exp1.results;
    expect(exp1.protocol).toBe('classification');
    expect(r.classes.map((c) => c.size)).toEqual([40, 20, 13, 6]);
    expect(r.chance).toBe(0.25);
    expect(r.majorityRate).toBeCloseTo(40 / 79, 6);
    expect(r.evaluation.testSizes.reduce((a, b) => a + b, 0)).toBe(79);
    expect(r.featureSets[0].features).toBe(23);
  });

  it('Experiment 1: scores agree with the predictions; the confusion counts every stimulus once per repeat', () => {
    const m = exp1.results.featureSets[0].models[0];
    const truth = exp1.results.stimuli.map((s) => s.class);
    expect(m.scores.confusion.flat().reduce((a, b) => a + b, 0)).toBe(79 * 2);
    expect(m.scores.accuracyByRepeat[0]).toBeCloseTo(accuracy(truth, m.predictions), 6);
    expect(m.scores.balancedAccuracyByRepeat[0]).toBeCloseTo(balancedAccuracy(truth, m.predictions, 4), 6);
    const [lo, hi] = m.scores.accuracyInterval;
    expect(lo).toBeLessThan(m.scores.accuracy);
    expect(hi).toBeGreaterThan(m.scores.accuracy);
    expect(m.importance).toHaveLength(16);
  });

  it('Experiment 3: leave-one-out has 79 folds; electrodes match the golden vertices; channel means per class', () => {
    const r = exp3.results;
    const golden = JSON.parse(fs.readFileSync(path.join(GOLDEN, 'electrodes.json'), 'utf8'));
    expect(r.evaluation.folds).toBe(79);
    expect(r.models[0].predictions).toHaveLength(79);
    expect(r.models[0].predictions.every((p) => p >= 0 && p < 4)).toBe(true);
    expect(r.electrodes).toHaveLength(20);
    for (const e of r.electrodes) expect(e.vertex).toBe(golden[e.label].nearest_vertex);
    expect(r.channelMeans).toHaveLength(4);
    for (const row of r.channelMeans) expect(row).toHaveLength(20);
  });
});

describe('the pages of Experiments 1 and 3, built from those results files', () => {
  const work = tempDir('site');
  const resultsDir = path.join(work, 'experiments');
  const outDir = path.join(work, 'dist');
  let exp1: ResultsFile<ClassificationResults>;
  let exp3: ResultsFile<BciResults>;
  const page = (rel: string) => fs.readFileSync(path.join(outDir, rel), 'utf8');
  const pct = (v: number) => `${(100 * v).toFixed(1)}%`;
  beforeAll(async () => {
    await run(defs({ 'exp1.yaml': EXP1, 'exp3.yaml': EXP3 }), resultsDir);
    fs.copyFileSync(path.join(REPO_ROOT, 'experiments/exp2.json'), path.join(resultsDir, 'exp2.json'));
    exp1 = JSON.parse(fs.readFileSync(path.join(resultsDir, 'exp1.json'), 'utf8'));
    exp3 = JSON.parse(fs.readFileSync(path.join(resultsDir, 'exp3.json'), 'utf8'));
    const env = { ...process.env };
    for (const k of ['BASE_URL', 'MODE', 'DEV', 'PROD', 'SSR', 'VITEST', 'VITEST_MODE', 'VITEST_POOL_ID', 'VITEST_WORKER_ID', 'NODE_ENV']) delete env[k];
    const astro = spawnSync(process.execPath, [path.join(REPO_ROOT, 'node_modules/astro/astro.js'), 'build'], {
      cwd: REPO_ROOT,
      env: { ...env, RESULTS_DIR: resultsDir, SITE_OUT_DIR: outDir, ASTRO_TELEMETRY_DISABLED: '1' },
      encoding: 'utf8',
    });
    expect(astro.status, astro.stderr + astro.stdout).toBe(0);
  }, 300_000);

  it('each page shows the accuracies, intervals and class sizes of its results file, and the home page summarises them', () => {
    const one = page('experiments/exp1/index.html');
    const m = exp1.results.featureSets[0].models[0];
    expect(one).toContain(pct(m.scores.accuracy));
    expect(one).toContain(`${pct(m.scores.accuracyInterval[0])}–${pct(m.scores.accuracyInterval[1])}`);
    expect(one).toContain(pct(m.scores.balancedAccuracy));
    expect(one).toMatch(/speech<\/strong> 6/);
    const three = page('experiments/exp3/index.html');
    const svm = exp3.results.models[0];
    expect(three).toContain(`${Math.round(svm.scores.accuracy * 79)} / 79`);
    expect(three).toContain(pct(svm.scores.balancedAccuracy));
    expect(three).toContain('Pole_occipital');
    expect((three.match(/<svg/g) ?? []).length).toBeGreaterThanOrEqual(4);
    const home = page('index.html');
    expect(home).toContain(pct(m.scores.accuracy));
    expect(home).toContain(pct(svm.scores.accuracy));
    expect(home).toContain('/experiments/exp1/');
    expect(home).toContain('/experiments/exp3/');
  });
});

describe('refusals: the file and the problem named, no results written', () => {
  const resultsDir = tempDir('results');
  const previous = '{"kept": true}\n';
  const unchanged = () => {
    expect(fs.readdirSync(resultsDir)).toEqual(['exp1.json']);
    expect(fs.readFileSync(path.join(resultsDir, 'exp1.json'), 'utf8')).toBe(previous);
  };
  beforeAll(() => fs.writeFileSync(path.join(resultsDir, 'exp1.json'), previous));

  it('a class with a single stimulus (music-video among the videos)', async () => {
    const text = EXP1.replace('kinds: [mean]', 'kinds: [timeseries]').replace('labels: [image, image+text, text, speech]', 'labels: [silent-video, speech-video, music-video]');
    await refused(run(defs({ 'exp1.yaml': text, 'exp3.yaml': EXP3 }), resultsDir), /exp1\.yaml/, /dataset\.labels\[2\]: class "music-video" has 1 stimulus/, /at least 2/);
    unchanged();
  });

  it('an empty class', async () => {
    const text = EXP3.replace('labels: [image, image+text, text, speech]', 'labels: [image, video]');
    await refused(run(defs({ 'exp1.yaml': EXP1, 'exp3.yaml': text }), resultsDir), /exp3\.yaml/, /class "video" is empty/);
    unchanged();
  });

  it('a montage without an electrode the decoder needs', async () => {
    const dir = tempDir('montage');
    const montage = path.join(dir, 'no_o2.tsv');
    const lines = fs.readFileSync(path.join(SHARED_DATA, 'eeg/fsaverage_1020.tsv'), 'utf8').split('\n');
    fs.writeFileSync(montage, lines.filter((l) => !l.startsWith('O2\t')).join('\n'));
    const text = EXP3.replace('montage: eeg/fsaverage_1020.tsv', `montage: ${montage}`);
    await refused(run(defs({ 'exp1.yaml': EXP1, 'exp3.yaml': text }), resultsDir), montage, /missing electrode O2/);
    unchanged();
  });

  it('an unknown protocol names the file, the line and the known protocols', async () => {
    const msg = await refused(run(defs({ 'exp3.yaml': EXP3.replace('protocol: bci', 'protocol: eeg') }), resultsDir), /exp3\.yaml:3: protocol: unknown protocol "eeg" \(known: dynamics, classification, bci\)/);
    expect(msg).not.toMatch(/\n.*\n.*\n/);
    await refused(run(defs({ 'exp1.yaml': EXP1.replace('    c: 1.0\n', '') }), resultsDir), /exp1\.yaml:\d+: models\[0\]\.c: a logistic model needs c/);
    await refused(run(defs({ 'exp1.yaml': EXP1.replace('readout: frontal.prefrontal', 'readout: frontal.nowhere') }), resultsDir), /canvas\.readout: no leaf region "frontal\.nowhere"/);
    unchanged();
  });
});
