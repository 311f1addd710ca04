/**
 * Experiment 2 (cortical dynamics prediction): from the data folder and one
 * experiment definition to one results object. Nothing is written here; the
 * caller writes the results once everything has succeeded.
 */
import type { Atlas } from '../data/atlas';
import { InputError } from '../data/errors';
import type { Manifest, Stimulus } from '../data/manifest';
import { loadStimulus } from '../data/stimuli';
import { compileTopology, featureLayout, featureMask, regionMatrix } from '../cortex/compile';
import { CORTICAL_PROGRAM } from '../cortex/program';
import { extractFeatures, featureVertexGroups } from '../features/roi';
import { leaveOneStimulusOut, studySplit, windowsOf } from '../features/split';
import { makeWindows, selectWindows } from '../features/windows';
import { meanAndSd, meanSquaredError, mseByRegion, r2Score } from '../models/metrics';
import type { LoadedDefinition, ModelSpec } from './definition';
import type { CheckpointCache } from './models';
import { fitAndPredict } from './models';
import type { OutputsCollector } from './outputs';
import type { Progress } from './progress';

export interface DynamicsContext {
  dataDir: string;
  manifest: Manifest;
  atlas: Atlas;
  progress: Progress;
  backend: string;
  cache?: CheckpointCache;
  /** Wall-clock seconds per stage, filled in as the experiment runs. */
  timings?: Record<string, number>;
  /** Collects the canvas models' validation outputs for the renders. */
  outputs?: OutputsCollector;
}

/** The files a model read, by their manifest sha256 (verified before the run). */
function fileHashes(manifest: Manifest, files: string[]): Record<string, string> {
  const byPath = new Map(manifest.files.map((f) => [f.path, f.sha256]));
  return Object.fromEntries(files.map((f) => [f, byPath.get(f) ?? 'not in manifest']));
}

const ATLAS_FILES = ['atlas/destrieux_labels.npy', 'atlas/destrieux_parcels.json'];

export function selectStimuli(def: LoadedDefinition, manifest: Manifest): Stimulus[] {
  const wanted = def.experiment.dataset.stimuli;
  if (wanted === 'timeseries') return manifest.stimuli.filter((s) => s.kind === 'timeseries');
  return wanted.map((id, i) => {
    const s = manifest.stimuli.find((x) => x.id === id);
    if (!s) throw new InputError(def.file, `dataset.stimuli[${i}]: no stimulus "${id}" in the data manifest`);
    if (s.kind !== 'timeseries') throw new InputError(def.file, `dataset.stimuli[${i}]: stimulus "${id}" is a time-mean map; dynamics need a time series`);
    return s;
  });
}

export function runDynamicsExperiment(def: LoadedDefinition, ctx: DynamicsContext) {
  const exp = def.experiment;
  const topology = compileTopology(CORTICAL_PROGRAM);
  const timings = ctx.timings ?? {};
  const clock = (stage: string, since: number) => (timings[stage] = (timings[stage] ?? 0) + (performance.now() - since) / 1000);
  let t0 = performance.now();
  const stimuli = selectStimuli(def, ctx.manifest);
  const series = stimuli.map((s) => loadStimulus(ctx.dataDir, s));
  clock('loadData', t0);
  const foldInputs = (trainIdx: number[], valIdx: number[], featureSet: unknown) => ({
    featureSet,
    train: trainIdx.map((i) => stimuli[i].id),
    validation: valIdx.map((i) => stimuli[i].id),
    data: fileHashes(ctx.manifest, [...new Set([...stimuli.map((s) => s.file), ...ATLAS_FILES])]),
    backend: ctx.backend,
  });
  for (const s of series) {
    if (s.timesteps <= exp.window.context) {
      throw new InputError(s.stimulus.file, `has ${s.timesteps} timesteps; a window of ${exp.window.context} needs at least ${exp.window.context + 1}`);
    }
  }

  const featureSets = exp.featureSets.map((fs) => {
    t0 = performance.now();
    const layout = featureLayout(topology, fs.perLeaf);
    const groups = featureVertexGroups(topology, layout, ctx.atlas);
    const F = groups.length;
    const windows = makeWindows(
      series.map((s) => ({ values: extractFeatures(s.values, s.timesteps, ctx.atlas.vertexCount, groups), timesteps: s.timesteps })),
      F,
      exp.window.context,
    );
    const split = studySplit(stimuli.length, exp.evaluation.split.seed);
    const trainSet = selectWindows(windows, windowsOf(windows.stimulusOf, split.trainStimuli));
    const valSet = selectWindows(windows, windowsOf(windows.stimulusOf, split.validationStimuli));
    const models = exp.models.filter((m) => !m.featureSets || m.featureSets.includes(fs.name));
    const cvModels = new Set(exp.evaluation.crossValidation?.models ?? []);
    clock('features', t0);
    t0 = performance.now();
    const featureSetKey = { perLeaf: fs.perLeaf, context: exp.window.context };

    const modelResults = models.map((spec) => {
      const bySeed = exp.seeds.map((seed) => {
        const label = `${fs.name} ${spec.name} seed ${seed}`;
        const task = spec.kind === 'canvas' || spec.kind === 'flat' ? ctx.progress.task(label, exp.training.steps) : undefined;
        const fit = fitAndPredict(spec, trainSet, valSet, {
          experiment: exp,
          topology,
          layout,
          seed,
          onStep: (e) => task?.update(e.step, e),
          cache: ctx.cache,
          inputs: foldInputs(split.trainStimuli, split.validationStimuli, featureSetKey),
        });
        ctx.outputs?.add(fs, valSet, stimuli.map((s) => s.id), { name: spec.name, label: spec.label ?? spec.name, seed }, fit);
        const finalR2 = r2Score(fit.predictions, valSet.targets, F);
        const peak = fit.curve ? fit.curve.reduce((a, b) => (b.valR2 > a.valR2 ? b : a)) : undefined;
        const summary = `final val R² ${finalR2.toFixed(4)}${peak ? `, peak ${peak.valR2.toFixed(4)} at step ${peak.step}` : ''} (${fit.fromCheckpoint ? 'loaded from checkpoint' : `${fit.seconds.toFixed(1)} s`})`;
        if (task) task.done(summary);
        else ctx.progress.log(`${label}: ${summary}`);
        return {
          seed,
          finalR2,
          peakR2: peak ? peak.valR2 : finalR2,
          peakStep: peak ? peak.step : null,
          finalValLoss: meanSquaredError(fit.predictions, valSet.targets),
          regionMse: mseByRegion(fit.predictions, valSet.targets, layout.regionOf, topology.regions.length),
          curve: fit.curve ?? null,
          // Measured when the model was trained (kept in its checkpoint); closed-form fits take milliseconds and are not timed.
          trainSeconds: fit.curve ? fit.seconds : null,
          parameters: fit.parameters,
          connections: fit.connections ?? null,
        };
      });
      const cv = cvModels.has(spec.name) ? crossValidate(spec, exp.seeds[0]) : null;
      return {
        name: spec.name,
        label: spec.label ?? spec.name,
        kind: spec.kind,
        parameters: bySeed[0].parameters,
        connections: bySeed[0].connections,
        studySplit: {
          finalR2: meanAndSd(bySeed.map((r) => r.finalR2)),
          peakR2: meanAndSd(bySeed.map((r) => r.peakR2)),
          finalValLoss: meanAndSd(bySeed.map((r) => r.finalValLoss)),
          runs: bySeed,
        },
        crossValidation: cv,
      };
    });

    function crossValidate(spec: ModelSpec, seed: number) {
      const folds = leaveOneStimulusOut(stimuli.length);
      const pooledPred: number[] = [];
      const pooledTarget: number[] = [];
      const foldResults = folds.map((fold) => {
        const tr = selectWindows(windows, windowsOf(windows.stimulusOf, fold.trainStimuli));
        const va = selectWindows(windows, windowsOf(windows.stimulusOf, fold.validationStimuli));
        const label = `${fs.name} ${spec.name} CV hold out ${stimuli[fold.validationStimuli[0]].id}`;
        const task = spec.kind === 'canvas' || spec.kind === 'flat' ? ctx.progress.task(label, exp.training.steps) : undefined;
        const fit = fitAndPredict(spec, tr, va, {
          experiment: exp,
          topology,
          layout,
          seed,
          onStep: (e) => task?.update(e.step, e),
          cache: ctx.cache,
          inputs: foldInputs(fold.trainStimuli, fold.validationStimuli, featureSetKey),
        });
        const r2 = r2Score(fit.predictions, va.targets, F);
        task?.done(`held-out R² ${r2.toFixed(4)}${fit.fromCheckpoint ? ' (loaded from checkpoint)' : ''}`);
        pooledPred.push(...fit.predictions);
        pooledTarget.push(...va.targets);
        return { heldOut: stimuli[fold.validationStimuli[0]].id, windows: va.count, r2 };
      });
      const spread = meanAndSd(foldResults.map((f) => f.r2));
      if (spec.kind !== 'canvas' && spec.kind !== 'flat') ctx.progress.log(`${fs.name} ${spec.name} CV: pooled R² ${r2Score(pooledPred, pooledTarget, F).toFixed(4)}`);
      return { seed, pooledR2: r2Score(pooledPred, pooledTarget, F), meanR2: spread.mean, sdR2: spread.sd, folds: foldResults };
    }

    clock('models', t0);
    return {
      name: fs.name,
      perLeaf: fs.perLeaf,
      features: F,
      windows: windows.count,
      featureConnections: featureMask(topology, layout, { weighted: false }).nonzeros,
      featureConnectionsTotal: F * F,
      split: {
        seed: exp.evaluation.split.seed,
        validation: split.validationStimuli.map((i) => stimuli[i].id),
        trainWindows: trainSet.count,
        validationWindows: valSet.count,
      },
      models: modelResults,
    };
  });

  const regionWeights = regionMatrix(topology);
  return {
    stimuli: stimuli.map((s, i) => ({ id: s.id, label: s.label, timesteps: series[i].timesteps, windows: Math.max(0, series[i].timesteps - exp.window.context) })),
    program: {
      regions: topology.regions.map((r) => ({ id: r.id, group: r.group, kind: r.kind, family: r.family ?? null })),
      regionPairs: topology.edges.length,
      regionPairsTotal: topology.regions.length ** 2,
      pathways: topology.pathwayCount,
      edges: topology.edges.map((e) => ({ reader: topology.regions[e.reader].id, source: topology.regions[e.source].id, weight: e.weight, kind: e.kind, op: e.op ?? null })),
      regionWeightSum: regionWeights.reduce((a, b) => a + b, 0),
    },
    featureSets,
  };
}

export type DynamicsResults = ReturnType<typeof runDynamicsExperiment>;
