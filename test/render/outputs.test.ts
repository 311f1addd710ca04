/**
 * The model outputs the renders paint, written by the pipeline (small training
 * configuration on the real data), checked against values computed here
 * independently: the truth is the stimulus's features at the named timestep,
 * the predictions give the R² of the results file, and the animations built
 * from the file have one frame per window, layer and recorded step.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDestrieux } from '../../src/data/atlas';
import { loadManifest } from '../../src/data/manifest';
import { loadStimulus } from '../../src/data/stimuli';
import { compileTopology, featureLayout } from '../../src/cortex/compile';
import { CORTICAL_PROGRAM } from '../../src/cortex/program';
import { extractFeatures, featureVertexGroups } from '../../src/features/roi';
import { r2Score } from '../../src/models/metrics';
import { runPipeline } from '../../src/pipeline/build';
import type { ExperimentOutputs } from '../../src/pipeline/outputs';
import { silentProgress } from '../../src/pipeline/progress';
import type { ResultsFile } from '../../src/pipeline/results';
import { experimentAnimations } from '../../src/render/exp2Animations';
import { REPO_ROOT, SHARED_DATA } from '../support';

const DEFINITION = fs
  .readFileSync(path.join(REPO_ROOT, 'content/experiments/exp2.yaml'), 'utf8')
  .replace('steps: 200', 'steps: 4')
  .replace('evalEvery: 10', 'evalEvery: 2')
  .replace('dModel: 64', 'dModel: 8')
  .replace('layers: 3', 'layers: 2')
  .replace('ffn: 256', 'ffn: 16')
  .replace('models: [persistence, ridge, flat]', 'models: [persistence]');

describe('model outputs for the renders', () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'outputs-'));
  const manifestPath = path.join(SHARED_DATA, 'manifest.json');
  const manifest = loadManifest(manifestPath);
  const atlas = loadDestrieux(SHARED_DATA);
  let outputs: ExperimentOutputs;
  let results: ResultsFile;
  let file: string;

  beforeAll(async () => {
    const defs = path.join(work, 'defs');
    fs.mkdirSync(defs);
    fs.writeFileSync(path.join(defs, 'exp2.yaml'), DEFINITION);
    const resultsDir = path.join(work, 'experiments');
    await runPipeline({ root: REPO_ROOT, dataDir: SHARED_DATA, manifest, manifestPath, definitionsDir: defs, resultsDir, progress: silentProgress });
    file = path.join(resultsDir, 'outputs', 'exp2.json');
    outputs = JSON.parse(fs.readFileSync(file, 'utf8'));
    results = JSON.parse(fs.readFileSync(path.join(resultsDir, 'exp2.json'), 'utf8'));
  }, 600_000);

  it('holds the canvas models of both feature sets, not the baselines', () => {
    expect(outputs.featureSets.map((s) => s.name)).toEqual(['roi135', 'roi23']);
    expect(outputs.featureSets[0].models.map((m) => m.name)).toEqual(['cortical', 'cortical-weighted', 'dense']);
    expect(outputs.featureSets[1].models.map((m) => m.name)).toEqual(['cortical', 'dense']);
  });

  it('the truth is the validation stimulus features at the timestep each window predicts', () => {
    const topology = compileTopology(CORTICAL_PROGRAM);
    for (const set of outputs.featureSets) {
      const groups = featureVertexGroups(topology, featureLayout(topology, set.perLeaf), atlas);
      set.windows.forEach((w, i) => {
        const s = loadStimulus(SHARED_DATA, manifest.stimuli.find((x) => x.id === w.stimulus)!);
        const features = extractFeatures(s.values.subarray(w.timestep * 20484, (w.timestep + 1) * 20484), 1, 20484, groups);
        features.forEach((x, f) => expect(set.targets[i][f]).toBeCloseTo(x, 4));
      });
      const expected = results.results.featureSets.find((f) => f.name === set.name)!;
      expect(set.windows.length).toBe(expected.split.validationWindows);
      expect([...new Set(set.windows.map((w) => w.stimulus))]).toEqual(expected.split.validation);
      expect(set.windows[0].timestep).toBe(3);
    }
  });

  it("the predictions reproduce each model's validation R² in the results file", () => {
    for (const set of outputs.featureSets) {
      const F = set.features;
      for (const m of set.models) {
        const r2 = r2Score(m.predictions.flat(), set.targets.flat(), F);
        const reported = results.results.featureSets.find((f) => f.name === set.name)!.models.find((x) => x.name === m.name)!.studySplit.finalR2.mean;
        expect(r2).toBeCloseTo(reported, 3);
      }
    }
  });

  it('records hidden-state norms per layer at steps 0, ¼, ½, ¾ and the end of training', () => {
    const cortical = outputs.featureSets[0].models[0];
    expect(cortical.inspections.map((i) => i.step)).toEqual([0, 1, 2, 3, 4]);
    for (const i of cortical.inspections) {
      expect(i.layers.length).toBe(3);
      expect(i.layers.every((l) => l.length === 135 && l.every((x) => x >= 0))).toBe(true);
    }
  });

  it('gives one truth-vs-prediction render per model and the two hidden-state renders of the cortical model', () => {
    const anims = experimentAnimations(file, atlas);
    const ids = anims.map((a) => a.id);
    expect(ids).toContain('exp2-roi135-cortical-truth-vs-prediction');
    expect(ids).toContain('exp2-roi23-dense-truth-vs-prediction');
    const layers = anims.find((a) => a.id === 'exp2-roi135-cortical-hidden-layers')!;
    const training = anims.find((a) => a.id === 'exp2-roi135-cortical-hidden-training')!;
    expect(layers.frames).toBe(3);
    expect(training.frames).toBe(5);
    // A leaf's vertices show its region's mean norm; the strip holds the 7 regions without vertices (6 sub-network nodes, prediction_error).
    expect(layers.strip!(0, 0).map((e) => e.label)).toContain('prediction_error');
    expect(layers.strip!(0, 0).length).toBe(7);
    const tvp = anims.find((a) => a.id === 'exp2-roi23-cortical-truth-vs-prediction')!;
    expect(tvp.frames).toBe(outputs.featureSets[1].windows.length);
    expect(tvp.panels.length).toBe(2);
  });
});
