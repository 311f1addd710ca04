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
import type { WindowSet } from '../features/windows';
import type { LoadedDefinition, ModelSpec } from './definition';
import type { CheckpointCache, FitJob, FitMessage, FitOutput } from './models';
import type { TaskPool } from './pool';
import type { OutputsCollector } from './outputs';
import type { Progress } from './progress';

export interface DynamicsContext {
  dataDir: string;
  manifest: Manifest;
  atlas: Atlas;
  progress: Progress;
  backend: string;
  cache?: CheckpointCache;
  /** Where the trainings run (worker threads, or inline with size 0). */
  pool: TaskPool;
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

/** A model fit the experiment needs: one seed on the study split, or one cross-validation fold. */
interface PlannedFit {
  label: string;
  trained: boolean;
  job: FitJob;
}

export async function runDynamicsExperiment(def: LoadedDefinition, ctx: DynamicsContext) {
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

  // Plan every fit first, then run them all through the pool at once.
  t0 = performance.now();
  const plans = exp.featureSets.map((fs) => {
    const layout = featureLayout(topology, fs.perLeaf);
    const groups = featureVertexGroups(topology, layout, ctx.atlas);
    const windows = makeWindows(
      series.map((s) => ({ values: extractFeatures(s.values, s.timesteps, ctx.atlas.vertexCount, groups), timesteps: s.timesteps })),
      groups.length,
      exp.window.context,
    );
    const split = studySplit(stimuli.length, exp.evaluation.split.seed);
    const trainSet = selectWindows(windows, windowsOf(windows.stimulusOf, split.trainStimuli));
    const valSet = selectWindows(windows, windowsOf(windows.stimulusOf, split.validationStimuli));
    const models = exp.models.filter((m) => !m.featureSets || m.featureSets.includes(fs.name));
    const cvModels = new Set(exp.evaluation.crossValidation?.models ?? []);
    const featureSetKey = { perLeaf: fs.perLeaf, context: exp.window.context };
    const cache = ctx.cache ? { dir: ctx.cache.dir, retrain: ctx.cache.retrain } : undefined;
    const job = (spec: ModelSpec, seed: number, train: WindowSet, validation: WindowSet, trainIdx: number[], valIdx: number[]): FitJob => ({
      spec,
      train,
      validation,
      experiment: exp,
      featuresPerLeaf: fs.perLeaf,
      seed,
      cache,
      inputs: foldInputs(trainIdx, valIdx, featureSetKey),
    });
    const trained = (spec: ModelSpec) => spec.kind === 'canvas' || spec.kind === 'flat';
    const folds = leaveOneStimulusOut(stimuli.length);
    const perModel = models.map((spec) => ({
      spec,
      bySeed: exp.seeds.map((seed) => ({
        label: `${fs.name} ${spec.name} seed ${seed}`,
        trained: trained(spec),
        job: job(spec, seed, trainSet, valSet, split.trainStimuli, split.validationStimuli),
      })),
      cv: cvModels.has(spec.name)
        ? folds.map((fold) => {
            const tr = selectWindows(windows, windowsOf(windows.stimulusOf, fold.trainStimuli));
            const va = selectWindows(windows, windowsOf(windows.stimulusOf, fold.validationStimuli));
            return {
              label: `${fs.name} ${spec.name} CV hold out ${stimuli[fold.validationStimuli[0]].id}`,
              trained: trained(spec),
              job: job(spec, exp.seeds[0], tr, va, fold.trainStimuli, fold.validationStimuli),
              heldOut: stimuli[fold.validationStimuli[0]].id,
            };
          })
        : null,
    }));
    return { fs, layout, windows, split, trainSet, valSet, perModel };
  });
  clock('features', t0);

  t0 = performance.now();
  const all: PlannedFit[] = plans.flatMap((p) => p.perModel.flatMap((m) => [...m.bySeed, ...(m.cv ?? [])]));
  const fits = await runFits(all, ctx);
  clock('models', t0);

  const featureSets = plans.map(({ fs, layout, windows, split, trainSet, valSet, perModel }) => {
    const F = layout.regionOf.length;
    const modelResults = perModel.map(({ spec, bySeed, cv }) => {
      const runs = bySeed.map((plan) => {
        const fit = fits.get(plan)!;
        ctx.outputs?.add(fs, valSet, stimuli.map((s) => s.id), { name: spec.name, label: spec.label ?? spec.name, seed: plan.job.seed }, fit);
        const finalR2 = r2Score(fit.predictions, valSet.targets, F);
        const peak = fit.curve ? fit.curve.reduce((a, b) => (b.valR2 > a.valR2 ? b : a)) : undefined;
        return {
          seed: plan.job.seed,
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
      let crossValidation = null;
      if (cv) {
        const pooledPred: number[] = [];
        const pooledTarget: number[] = [];
        const foldResults = cv.map((plan) => {
          const fit = fits.get(plan)!;
          pooledPred.push(...fit.predictions);
          pooledTarget.push(...plan.job.validation.targets);
          return { heldOut: plan.heldOut, windows: plan.job.validation.count, r2: r2Score(fit.predictions, plan.job.validation.targets, F) };
        });
        const spread = meanAndSd(foldResults.map((f) => f.r2));
        const pooledR2 = r2Score(pooledPred, pooledTarget, F);
        ctx.progress.log(`${fs.name} ${spec.name} CV: pooled R² ${pooledR2.toFixed(4)} over ${cv.length} held-out stimuli`);
        crossValidation = { seed: exp.seeds[0], pooledR2, meanR2: spread.mean, sdR2: spread.sd, folds: foldResults };
      }
      return {
        name: spec.name,
        label: spec.label ?? spec.name,
        kind: spec.kind,
        parameters: runs[0].parameters,
        connections: runs[0].connections,
        studySplit: {
          finalR2: meanAndSd(runs.map((r) => r.finalR2)),
          peakR2: meanAndSd(runs.map((r) => r.peakR2)),
          finalValLoss: meanAndSd(runs.map((r) => r.finalValLoss)),
          runs,
        },
        crossValidation,
      };
    });
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

/** A rough cost, so the longest trainings start first and the pool ends evenly. */
function cost(plan: PlannedFit): number {
  if (!plan.trained) return 0;
  const F = plan.job.train.features;
  const dense = plan.job.spec.kind === 'canvas' ? F * F : 0;
  return plan.job.experiment.training.steps * (F * plan.job.experiment.architecture.dModel * 10 + dense);
}

/** Runs every planned fit through the pool, longest first, and reports progress as they go. */
async function runFits(plans: PlannedFit[], ctx: DynamicsContext): Promise<Map<PlannedFit, FitOutput>> {
  const order = [...plans].sort((a, b) => cost(b) - cost(a));
  const results = new Map<PlannedFit, FitOutput>();
  await Promise.all(
    order.map(async (plan) => {
      const task = plan.trained ? ctx.progress.task(plan.label, plan.job.experiment.training.steps) : undefined;
      const fit = await ctx.pool.run('dynamics.fit', plan.job, (m) => {
        const message = m as FitMessage;
        if (message.type === 'step') task?.update(message.event.step, message.event);
        else ctx.progress.log(message.line);
      });
      if (ctx.cache) {
        ctx.cache.stats.trained += fit.stats.trained;
        ctx.cache.stats.loaded += fit.stats.loaded;
        ctx.cache.stats.corrupt += fit.stats.corrupt;
      }
      const r2 = r2Score(fit.predictions, plan.job.validation.targets, plan.job.train.features);
      const peak = fit.curve ? fit.curve.reduce((a, b) => (b.valR2 > a.valR2 ? b : a)) : undefined;
      const summary = `val R² ${r2.toFixed(4)}${peak ? `, peak ${peak.valR2.toFixed(4)} at step ${peak.step}` : ''} (${fit.fromCheckpoint ? 'loaded from checkpoint' : `${fit.seconds.toFixed(1)} s`})`;
      if (task) task.done(summary);
      else if (!plan.label.includes(' CV ')) ctx.progress.log(`${plan.label}: ${summary}`);
      results.set(plan, fit);
    }),
  );
  return results;
}

export type DynamicsResults = Awaited<ReturnType<typeof runDynamicsExperiment>>;
