/**
 * A researcher's own TRIBE v2 export: a folder built here from four of the real
 * predictions, saved the ways numpy users save them (float64 .npy, deflated .npz,
 * float32 .npy), with a stimuli.json of labels. The Experiment 2 pipeline runs on it
 * (tiny configuration) with the meshes and atlas from the reference folder, and the
 * persistence R² of each held-out export stimulus equals the independent NumPy value
 * of the original stimulus. Broken exports are refused with the file and the problem.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { zipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/data/errors';
import { loadExport } from '../../src/data/export';
import { loadManifest } from '../../src/data/manifest';
import { runPipeline } from '../../src/pipeline/build';
import { silentProgress } from '../../src/pipeline/progress';
import type { ResultsFile } from '../../src/pipeline/results';
import { GOLDEN, REPO_ROOT, SHARED_DATA } from '../support';
import { f32npy, fingerprint, npy, predictionValues, tempDir, TINY_DEFINITION } from './helpers';
import { parseNpz } from '../../src/data/npz';

const golden = JSON.parse(fs.readFileSync(path.join(GOLDEN, 'summary.json'), 'utf8'));

function f64npy(shape: number[], values: Float32Array): Uint8Array {
  const d = Float64Array.from(values);
  return npy(`{'descr': '<f8', 'fortran_order': False, 'shape': (${shape.join(', ')}), }`, new Uint8Array(d.buffer));
}

function clipValues(rel: string): { shape: number[]; values: Float32Array } {
  const a = parseNpz(new Uint8Array(fs.readFileSync(path.join(SHARED_DATA, rel))), rel).get('preds')!;
  return { shape: a.shape, values: a.data as Float32Array };
}

/** Export id → the bundled stimulus it was made from. */
const ORIGIN: Record<string, string> = {
  'lab/run-a': 'aniketmallick/A',
  'lab/run-b': 'aniketmallick/B',
  'lab/clip-1': 'ansumanbhujabal/clip_001',
  'lab/clip-2': 'ansumanbhujabal/clip_002',
};

function makeExport(): string {
  const dir = tempDir('export');
  const a = predictionValues('tribev2/aniketmallick/pred_A.npy');
  const b = predictionValues('tribev2/aniketmallick/pred_B.npy');
  const c1 = clipValues('tribev2/ansumanbhujabal/clip_001.npz');
  const c2 = clipValues('tribev2/ansumanbhujabal/clip_002.npz');
  fs.writeFileSync(path.join(dir, 'run-a.npy'), f64npy(a.shape, a.values));
  fs.writeFileSync(path.join(dir, 'run-b.npy'), f32npy(b.shape, b.values));
  const mean = new Float32Array(20484);
  for (let i = 0; i < a.values.length; i++) mean[i % 20484] += a.values[i] / 34;
  fs.mkdirSync(path.join(dir, 'clips'));
  fs.writeFileSync(path.join(dir, 'clips/both.npz'), zipSync({ 'clip1.npy': f32npy(c1.shape, c1.values), 'clip2.npy': f32npy(c2.shape, c2.values), 'mean.npy': f32npy([20484], mean) }, { level: 6 }));
  const sha = crypto.createHash('sha256').update(fs.readFileSync(path.join(dir, 'run-b.npy'))).digest('hex');
  const list = {
    license: 'CC BY-NC 4.0 (derived from TRIBE v2)',
    stimuli: [
      { id: 'lab/run-a', file: 'run-a.npy', kind: 'timeseries', label: 'sound-video' },
      { id: 'lab/run-b', file: 'run-b.npy', kind: 'timeseries', label: 'sound-video', sha256: sha },
      { id: 'lab/clip-1', file: 'clips/both.npz', key: 'clip1', kind: 'timeseries', label: 'speech-video' },
      { id: 'lab/clip-2', file: 'clips/both.npz', key: 'clip2', kind: 'timeseries', label: 'silent-video', description: 'second clip' },
      { id: 'lab/mean-a', file: 'clips/both.npz', key: 'mean', kind: 'mean', label: 'sound-video' },
    ],
  };
  fs.writeFileSync(path.join(dir, 'stimuli.json'), JSON.stringify(list, null, 2));
  return dir;
}

describe('own TRIBE v2 export', () => {
  const exportDir = makeExport();
  const work = tempDir('export-run');
  const resultsDir = path.join(work, 'experiments');
  let results: ResultsFile;

  beforeAll(async () => {
    const defs = path.join(work, 'defs');
    fs.mkdirSync(defs);
    fs.writeFileSync(path.join(defs, 'exp2.yaml'), TINY_DEFINITION);
    const manifestPath = path.join(SHARED_DATA, 'manifest.json');
    const report = await runPipeline({
      root: REPO_ROOT,
      dataDir: SHARED_DATA,
      manifest: loadManifest(manifestPath),
      manifestPath,
      definitionsDir: defs,
      resultsDir,
      predictions: loadExport(exportDir),
      progress: silentProgress,
    });
    results = JSON.parse(fs.readFileSync(report.written[0], 'utf8'));
  }, 300_000);

  it('lists the sha256 of every file, computed where the list gave none', () => {
    const exp = loadExport(exportDir);
    expect(exp.manifest.files.map((f) => f.path)).toEqual(['run-a.npy', 'run-b.npy', 'clips/both.npz']);
    for (const f of exp.manifest.files) {
      expect(f.sha256).toBe(crypto.createHash('sha256').update(fs.readFileSync(path.join(exportDir, f.path))).digest('hex'));
    }
    expect(exp.manifest.stimuli.map((s) => s.shape)).toEqual([[34, 20484], [34, 20484], [10, 20484], [14, 20484], [20484]]);
  });

  it("runs Experiment 2 on the export's time series, with their labels", () => {
    expect(results.results.stimuli.map((s) => [s.id, s.label, s.timesteps])).toEqual([
      ['lab/run-a', 'sound-video', 34],
      ['lab/run-b', 'sound-video', 34],
      ['lab/clip-1', 'speech-video', 10],
      ['lab/clip-2', 'silent-video', 14],
    ]);
    expect(results.results.featureSets[0].windows).toBe(31 + 31 + 7 + 11);
  });

  it('gives the persistence R² of the original stimuli (independent NumPy values)', () => {
    const set = results.results.featureSets[0];
    const persistence = set.models.find((m) => m.name === 'persistence')!;
    const held = set.split.validation;
    expect(held).toHaveLength(1);
    expect(persistence.studySplit.finalR2.mean).toBeCloseTo(golden.features_23.persistence_r2_per_stimulus[ORIGIN[held[0]]], 4);
    for (const fold of persistence.crossValidation!.folds) {
      expect(fold.r2).toBeCloseTo(golden.features_23.persistence_r2_per_stimulus[ORIGIN[fold.heldOut]], 4);
    }
    expect(set.models.find((m) => m.name === 'cortical')!.studySplit.runs[0].curve!.length).toBe(3);
  });

  it('records a data manifest hash that differs from the bundled one', () => {
    expect(results.provenance.dataManifestSha256).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('broken exports are refused before anything runs', () => {
  function broken(edit: (dir: string, list: any) => void): string {
    const dir = makeExport();
    const list = JSON.parse(fs.readFileSync(path.join(dir, 'stimuli.json'), 'utf8'));
    edit(dir, list);
    fs.writeFileSync(path.join(dir, 'stimuli.json'), JSON.stringify(list));
    return dir;
  }
  function refused(dir: string, ...parts: RegExp[]) {
    const before = fingerprint(dir);
    let err: unknown;
    try {
      loadExport(dir);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    for (const p of parts) expect((err as Error).message).toMatch(p);
    expect(fingerprint(dir)).toEqual(before);
  }

  it('a wrong sha256, a NaN, integer values, a wrong shape', () => {
    refused(broken((_d, l) => (l.stimuli[1].sha256 = '0'.repeat(64))), /run-b\.npy: sha256 is [0-9a-f]{64} but stimuli\.json \(stimulus lab\/run-b\) says 0{64}/);
    refused(
      broken((d) => {
        const a = predictionValues('tribev2/aniketmallick/pred_A.npy');
        const v = Float32Array.from(a.values);
        v[2 * 20484 + 9] = NaN;
        fs.writeFileSync(path.join(d, 'run-a.npy'), f32npy(a.shape, v));
      }),
      /run-a\.npy: 1 of 696456 values are NaN or infinite \(first at timestep 2, vertex 9: NaN\)/,
    );
    refused(broken((d) => fs.writeFileSync(path.join(d, 'run-a.npy'), npy("{'descr': '<i4', 'fortran_order': False, 'shape': (3, 20484), }", new Uint8Array(3 * 20484 * 4)))), /run-a\.npy: dtype is int32; TRIBE v2 predictions must be float32 or float64/);
    refused(broken((d) => fs.writeFileSync(path.join(d, 'run-a.npy'), f32npy([3, 10242], new Float32Array(3 * 10242)))), /run-a\.npy: a timeseries prediction must have shape \(T, 20484\), got \(3, 10242\) \(stimulus lab\/run-a\)/);
    refused(broken((_d, l) => (l.stimuli[4].kind = 'timeseries')), /both\.npz:mean: a timeseries prediction must have shape \(T, 20484\), got \(20484\)/);
  });

  it('the list: a path out of the folder, an unknown field, a missing key, a duplicate id, no list at all', () => {
    refused(broken((_d, l) => (l.stimuli[0].file = '../../etc/x.npy')), /stimuli\.json: stimuli\[0\]\.file: path must not contain "\.\."/);
    refused(broken((_d, l) => (l.stimuli[0].fps = 1)), /stimuli\[0\]: unknown field 'fps'/);
    refused(broken((_d, l) => delete l.stimuli[2].key), /stimuli\[2\]\.key: an \.npz file needs the name of the array inside it/);
    refused(broken((_d, l) => (l.stimuli[3].key = 'clip3')), /both\.npz: no array "clip3" in the archive \(stimulus lab\/clip-2\); keys present: "clip1", "clip2", "mean"/);
    refused(broken((_d, l) => (l.stimuli[1].id = 'lab/run-a')), /stimuli\[1\]\.id: duplicate id \(also stimuli\[0\]\)/);
    const empty = tempDir('no-list');
    refused(empty, /no stimuli\.json or stimuli\.yaml or stimuli\.yml listing the predictions/);
  });
});
