/**
 * The pipeline end to end on the real bundle (a small training configuration),
 * and its refusals: each bad input stops the run with the file and the problem
 * named, and leaves the previous results file byte for byte as it was.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { zipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/data/errors';
import { loadManifest, parseManifest } from '../../src/data/manifest';
import { runPipeline } from '../../src/pipeline/build';
import { silentProgress } from '../../src/pipeline/progress';
import type { ResultsFile } from '../../src/pipeline/results';
import { GOLDEN, REPO_ROOT, SHARED_DATA } from '../support';

const golden = JSON.parse(fs.readFileSync(path.join(GOLDEN, 'summary.json'), 'utf8'));

/** A small Experiment 2: the real data path and protocol, few steps, cheap models. */
const SMALL_DEFINITION = `
id: exp2
title: "Experiment 2 (test configuration)"
protocol: dynamics
dataset:
  stimuli: timeseries
featureSets:
  - name: roi135
    perLeaf: 8
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
  steps: 4
  batchSize: 64
  learningRate: 0.001
  weightDecay: 0.0001
  clipNorm: 1.0
  schedule: cosine
  evalEvery: 2
seeds: [42]
evaluation:
  split:
    kind: study
    seed: 42
  crossValidation:
    kind: leave-one-stimulus-out
    models: [persistence, ridge]
models:
  - name: cortical
    kind: canvas
    mask: cortical
    weights: study
  - name: dense
    kind: canvas
    mask: dense
  - name: flat
    kind: flat
  - name: persistence
    kind: persistence
  - name: ridge
    kind: ridge
    alpha: 0.1
`;

function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
}

/** A writable copy of the data bundle, with its manifest. */
function copyBundle(): { dir: string; manifestPath: string } {
  const dir = tempDir('bundle');
  fs.cpSync(SHARED_DATA, dir, { recursive: true });
  for (const f of fs.readdirSync(dir, { recursive: true }) as string[]) fs.chmodSync(path.join(dir, f), 0o755);
  return { dir, manifestPath: path.join(dir, 'manifest.json') };
}

/** Replaces one data file and updates the manifest's size and hash, so only the reader can object. */
function replaceFile(bundle: { dir: string; manifestPath: string }, rel: string, bytes: Uint8Array): string {
  const file = path.join(bundle.dir, rel);
  fs.writeFileSync(file, bytes);
  const json = JSON.parse(fs.readFileSync(bundle.manifestPath, 'utf8'));
  const entry = json.files.find((f: { path: string }) => f.path === rel);
  entry.bytes = bytes.length;
  entry.sha256 = crypto.createHash('sha256').update(bytes).digest('hex');
  fs.writeFileSync(bundle.manifestPath, JSON.stringify(json));
  return file;
}

function definitionsDir(text = SMALL_DEFINITION, name = 'exp2.yaml'): string {
  const dir = tempDir('defs');
  fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

async function run(opts: { dataDir?: string; manifestPath?: string; defs?: string; resultsDir: string }) {
  const manifestPath = opts.manifestPath ?? path.join(SHARED_DATA, 'manifest.json');
  return runPipeline({
    root: REPO_ROOT,
    dataDir: opts.dataDir ?? SHARED_DATA,
    manifest: loadManifest(manifestPath),
    manifestPath,
    definitionsDir: opts.defs ?? definitionsDir(),
    resultsDir: opts.resultsDir,
    progress: silentProgress,
  });
}

async function expectRefused(promise: Promise<unknown>, ...parts: Array<string | RegExp>): Promise<InputError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(InputError);
  for (const p of parts) expect((err as Error).message).toMatch(p);
  return err as InputError;
}

describe('pipeline on the real bundle', () => {
  const resultsDir = tempDir('results');
  let results: ResultsFile;

  beforeAll(async () => {
    const [file] = (await run({ resultsDir })).written;
    results = JSON.parse(fs.readFileSync(file, 'utf8'));
  }, 300_000);

  it('holds out clip_002 (11 windows) on the study split, as the study did', () => {
    const set = results.results.featureSets[0];
    expect(set.windows).toBe(golden.features_135.windows);
    expect(set.split.validation).toEqual(['ansumanbhujabal/clip_002']);
    expect(set.split.validationWindows).toBe(11);
    expect(set.split.trainWindows).toBe(120);
  });

  it('persistence R² equals the independent NumPy value, on the split and pooled over CV', () => {
    for (const [i, key] of [[0, 'features_135'], [1, 'features_23']] as const) {
      const p = results.results.featureSets[i].models.find((m) => m.name === 'persistence')!;
      expect(p.studySplit.finalR2.mean).toBeCloseTo(golden[key].persistence_r2_per_stimulus['ansumanbhujabal/clip_002'], 4);
      expect(p.crossValidation!.pooledR2).toBeCloseTo(golden[key].persistence_r2_all_windows, 4);
      expect(p.crossValidation!.folds).toHaveLength(8);
      for (const fold of p.crossValidation!.folds) expect(fold.r2).toBeCloseTo(golden[key].persistence_r2_per_stimulus[fold.heldOut], 4);
    }
  });

  it('records counted topology figures and per-model results for every model', () => {
    const { program, featureSets } = results.results;
    expect(program.regions).toHaveLength(23);
    expect(program.regionPairs).toBe(107);
    expect(program.pathways).toBe(40);
    expect(featureSets[0].featureConnections).toBe(3579);
    expect(featureSets[0].models.map((m) => m.name)).toEqual(['cortical', 'dense', 'flat', 'persistence', 'ridge']);
    const cortical = featureSets[0].models[0];
    expect(cortical.connections).toBe(3579);
    expect(cortical.studySplit.runs[0].curve!.map((c) => c.step)).toEqual([0, 2, 4]);
    expect(cortical.studySplit.runs[0].regionMse).toHaveLength(23);
    expect(featureSets[1].models[0].connections).toBe(107);
    expect(results.provenance.backend).toMatch(/wasm|tensorflow|cpu/);
    expect(results.provenance.dataManifestSha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('writes diff-friendly JSON: sorted keys, rounded numbers, trailing newline', () => {
    const text = fs.readFileSync(path.join(resultsDir, 'exp2.json'), 'utf8');
    expect(text.endsWith('}\n')).toBe(true);
    expect(Object.keys(JSON.parse(text))).toEqual(['experiment', 'protocol', 'provenance', 'results', 'title']);
    const numbers: number[] = [];
    JSON.parse(text, (_k, v) => (typeof v === 'number' && numbers.push(v), v));
    expect(numbers.length).toBeGreaterThan(100);
    for (const x of numbers) expect(Number(x.toPrecision(6))).toBe(x);
    expect(numbers.some((x) => !Number.isInteger(x))).toBe(true);
  });
});

describe('bad input stops the build and keeps the previous results', () => {
  const resultsDir = tempDir('kept');
  const previous = '{"kept": true}\n';
  const resultsFile = path.join(resultsDir, 'exp2.json');
  const keep = () => fs.writeFileSync(resultsFile, previous);
  const unchanged = () => {
    expect(fs.readFileSync(resultsFile, 'utf8')).toBe(previous);
    expect(fs.readdirSync(resultsDir)).toEqual(['exp2.json']);
  };

  it('a truncated .npy prediction', async () => {
    keep();
    const bundle = copyBundle();
    const full = fs.readFileSync(path.join(bundle.dir, 'tribev2/aniketmallick/pred_A.npy'));
    const file = replaceFile(bundle, 'tribev2/aniketmallick/pred_A.npy', full.subarray(0, 5000));
    await expectRefused(run({ dataDir: bundle.dir, manifestPath: bundle.manifestPath, resultsDir }), file, /truncated/);
    unchanged();
  });

  it('an .npz without the named key', async () => {
    keep();
    const bundle = copyBundle();
    const inner = fs.readFileSync(path.join(SHARED_DATA, 'tribev2/aniketmallick/pred_B.npy'));
    const file = replaceFile(bundle, 'tribev2/ansumanbhujabal/clip_001.npz', zipSync({ 'other.npy': new Uint8Array(inner) }, { level: 0 }));
    await expectRefused(run({ dataDir: bundle.dir, manifestPath: bundle.manifestPath, resultsDir }), file, /preds/, /other/);
    unchanged();
  });

  it('a mesh whose vertex count is not 10,242 per hemisphere', async () => {
    keep();
    const bundle = copyBundle();
    const n = 642;
    const coords = Array.from({ length: n * 3 }, (_, i) => (i % 7) * 1.5).join(' ');
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<GIFTI Version="1.0" NumberOfDataArrays="2">
<DataArray Intent="NIFTI_INTENT_POINTSET" DataType="NIFTI_TYPE_FLOAT32" ArrayIndexingOrder="RowMajorOrder" Dimensionality="2" Dim0="${n}" Dim1="3" Encoding="ASCII" Endian="LittleEndian" ExternalFileName="" ExternalFileOffset=""><Data>${coords}</Data></DataArray>
<DataArray Intent="NIFTI_INTENT_TRIANGLE" DataType="NIFTI_TYPE_INT32" ArrayIndexingOrder="RowMajorOrder" Dimensionality="2" Dim0="1" Dim1="3" Encoding="ASCII" Endian="LittleEndian" ExternalFileName="" ExternalFileOffset=""><Data>0 1 2</Data></DataArray>
</GIFTI>`;
    const file = replaceFile(bundle, 'fsaverage5/pial_left.gii.gz', new TextEncoder().encode(xml));
    await expectRefused(run({ dataDir: bundle.dir, manifestPath: bundle.manifestPath, resultsDir }), file, /642 vertices/, /10,242/);
    unchanged();
  });

  it('a data folder with a corrupted file (hash check) or a missing folder', async () => {
    keep();
    const bundle = copyBundle();
    fs.writeFileSync(path.join(bundle.dir, 'eeg/fsaverage_1020.tsv'), 'Fp1\t0\t0\t0\n'.padEnd(1486, ' '));
    await expectRefused(run({ dataDir: bundle.dir, manifestPath: bundle.manifestPath, resultsDir }), bundle.dir, /sha256 mismatch: eeg\/fsaverage_1020.tsv/, /npm run data/);
    await expectRefused(run({ dataDir: path.join(bundle.dir, 'nowhere'), resultsDir }), /data folder not found/);
    unchanged();
  });

  it('an experiment file with an unknown model kind names the file, line and field', async () => {
    keep();
    const defs = definitionsDir(SMALL_DEFINITION.replace('kind: flat', 'kind: transformer'));
    const err = await expectRefused(run({ resultsDir, defs }), /exp2\.yaml:\d+: models\[2\]\.kind: unknown model kind "transformer"/);
    const line = Number(/exp2\.yaml:(\d+)/.exec(err.message)![1]);
    expect(SMALL_DEFINITION.split('\n')[line - 1]).toContain('kind: flat');
    unchanged();
  });

  it('an experiment file with a missing field or an unknown key', async () => {
    keep();
    await expectRefused(run({ resultsDir, defs: definitionsDir(SMALL_DEFINITION.replace('  steps: 4\n', '')) }), /exp2\.yaml:\d+: training\.steps: missing \(required\)/);
    await expectRefused(run({ resultsDir, defs: definitionsDir(SMALL_DEFINITION.replace('  steps: 4\n', '  steps: 4\n  epochs: 9\n')) }), /training: unknown field "epochs"/);
    await expectRefused(run({ resultsDir, defs: definitionsDir(SMALL_DEFINITION.replace('learningRate: 0.001', 'learningRate: 3')) }), /training\.learningRate/);
    await expectRefused(run({ resultsDir, defs: definitionsDir(SMALL_DEFINITION.replace('models: [persistence, ridge]', 'models: [persistence, lasso]')) }), /no model named "lasso"/);
    await expectRefused(run({ resultsDir, defs: definitionsDir('id: [unclosed\n') }), /exp2\.yaml:\d+.*not valid YAML/);
    unchanged();
  });

  it('a manifest naming a stimulus whose shape disagrees with its file', async () => {
    keep();
    const bundle = copyBundle();
    const json = JSON.parse(fs.readFileSync(bundle.manifestPath, 'utf8'));
    json.stimuli.find((s: { id: string }) => s.id === 'aniketmallick/A').shape = [33, 20484];
    fs.writeFileSync(bundle.manifestPath, JSON.stringify(json));
    parseManifest(json, bundle.manifestPath); // still a valid manifest
    await expectRefused(run({ dataDir: bundle.dir, manifestPath: bundle.manifestPath, resultsDir }), /pred_A\.npy/, /shape is \(34, 20484\); the manifest declares \(33, 20484\)/);
    unchanged();
  });
});
