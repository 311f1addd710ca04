/**
 * Experiment 1 (classifying the stimulus from region means): schema of its
 * experiment file and its runner. Each stimulus becomes its region-mean vector
 * (23 or 135 features, averaged over time); models are scored by repeated
 * stratified k-fold cross-validation, every fold training a fresh model.
 */
import { z } from 'zod';
import type { Atlas } from '../data/atlas';
import type { Manifest } from '../data/manifest';
import { loadStimulus } from '../data/stimuli';
import { compileTopology, featureLayout, featureMask, rowNormalise } from '../cortex/compile';
import { CORTICAL_PROGRAM } from '../cortex/program';
import { stratifiedKFold, stratifiedSubsample } from '../features/folds';
import { extractFeatures, featureVertexGroups } from '../features/roi';
import { meanAndSd } from '../models/metrics';
import { accuracy, balancedAccuracy, summariseRuns } from '../stats/classification';
import type { ClassifierFoldInput, ClassifierFoldOutput, FoldModel } from './classifierFold';
import type { LoadedDefinition } from './definition';
import { labelledDatasetSchema, selectLabelled, trainingSchema } from './labelled';
import type { Progress } from './progress';
import type { TaskPool } from './pool';
import { runFolds } from './runFolds';
import { uniqueModelNames } from './schemaChecks';
import type { FoldCache } from './foldCache';

const name = z.string().regex(/^[a-z][a-z0-9-]*$/, 'use lower-case letters, digits and dashes');

export const CLASSIFICATION_MODEL_KINDS = ['canvas', 'mlp', 'logistic'] as const;

const modelSchema = z
  .object({
    name,
    label: z.string().optional(),
    kind: z.enum(CLASSIFICATION_MODEL_KINDS, {
      errorMap: (issue, ctx) => ({ message: issue.code === 'invalid_enum_value' ? `unknown model kind ${JSON.stringify(issue.received)} (known: ${CLASSIFICATION_MODEL_KINDS.join(', ')})` : ctx.defaultError }),
    }),
    /** canvas only. */
    mask: z.enum(['cortical', 'dense']).optional(),
    /** logistic only: inverse L2 penalty. */
    c: z.number().positive().optional(),
  })
  .strict()
  .superRefine((m, ctx) => {
    if (m.kind === 'canvas' && !m.mask) ctx.addIssue({ code: 'custom', path: ['mask'], message: 'a canvas model needs a mask: cortical or dense' });
    if (m.kind !== 'canvas' && m.mask) ctx.addIssue({ code: 'custom', path: ['mask'], message: `mask applies to canvas models only (this one is ${m.kind})` });
    if (m.kind === 'logistic' && m.c === undefined) ctx.addIssue({ code: 'custom', path: ['c'], message: 'a logistic model needs c (inverse penalty)' });
    if (m.kind !== 'logistic' && m.c !== undefined) ctx.addIssue({ code: 'custom', path: ['c'], message: `c applies to logistic models only (this one is ${m.kind})` });
  });

export const classificationExperimentSchema = z
  .object({
    id: name,
    title: z.string().min(1),
    protocol: z.literal('classification'),
    description: z.string().optional(),
    dataset: labelledDatasetSchema,
    featureSets: z
      .array(
        z
          .object({
            name,
            perLeaf: z.number().int().positive().max(64),
            /** Fewer cross-validation repeats than evaluation.repeats for this set (the 135-feature canvas is costly). */
            repeats: z.number().int().positive().max(50).optional(),
          })
          .strict(),
      )
      .nonempty(),
    canvas: z
      .object({
        dModel: z.number().int().positive().max(1024),
        layers: z.number().int().positive().max(32),
        ffn: z.number().int().positive().max(4096),
        dropout: z.number().min(0).lt(1),
        /** The region whose positions the classifier reads. */
        readout: z.string(),
      })
      .strict(),
    mlp: z.object({ hidden: z.array(z.number().int().positive().max(4096)).nonempty(), dropout: z.number().min(0).lt(1) }).strict(),
    logistic: z.object({ iterations: z.number().int().positive().max(100_000) }).strict(),
    training: trainingSchema,
    seeds: z.array(z.number().int().nonnegative()).length(1, 'one seed (the folds, the models and the shuffles all derive from it)'),
    evaluation: z
      .object({
        folds: z.number().int().min(2).max(50),
        repeats: z.number().int().positive().max(50),
        learningCurve: z.object({ featureSet: name, fractions: z.array(z.number().gt(0).lt(1)).nonempty() }).strict().optional(),
        importance: z.object({ featureSet: name, models: z.array(name).nonempty(), shuffles: z.number().int().positive().max(100) }).strict().optional(),
      })
      .strict(),
    models: z.array(modelSchema).nonempty(),
  })
  .strict()
  .superRefine((e, ctx) => {
    const names = uniqueModelNames(e.models, ctx);
    if (!CORTICAL_PROGRAM.leaves.some((l) => l.id === e.canvas.readout)) {
      ctx.addIssue({ code: 'custom', path: ['canvas', 'readout'], message: `no leaf region "${e.canvas.readout}" in the cortical program` });
    }
    const sets = new Set(e.featureSets.map((s) => s.name));
    if (e.evaluation.learningCurve && !sets.has(e.evaluation.learningCurve.featureSet)) {
      ctx.addIssue({ code: 'custom', path: ['evaluation', 'learningCurve', 'featureSet'], message: `no feature set named "${e.evaluation.learningCurve.featureSet}"` });
    }
    if (e.evaluation.importance) {
      if (!sets.has(e.evaluation.importance.featureSet)) ctx.addIssue({ code: 'custom', path: ['evaluation', 'importance', 'featureSet'], message: `no feature set named "${e.evaluation.importance.featureSet}"` });
      e.evaluation.importance.models.forEach((m, i) => {
        if (!names.has(m)) ctx.addIssue({ code: 'custom', path: ['evaluation', 'importance', 'models', i], message: `no model named "${m}" in models` });
      });
    }
  });

export type ClassificationExperiment = z.infer<typeof classificationExperimentSchema>;
type ModelSpec = ClassificationExperiment['models'][number];

/** What an experiment trained fold by fold (Experiments 1 and 3) gets from the pipeline. */
export interface FoldExperimentContext {
  /** Where the stimuli are (for Experiment 3 also the pial surfaces and the montage). */
  dataDir: string;
  manifest: Manifest;
  atlas: Atlas;
  progress: Progress;
  /** Where the folds train (worker threads, or inline with size 0). */
  pool: TaskPool;
  /** Fold outputs kept between builds (none: train every fold every time). */
  foldCache?: FoldCache;
  timings?: Record<string, number>;
}

export type ClassificationContext = FoldExperimentContext;

export async function runClassificationExperiment(def: LoadedDefinition<ClassificationExperiment>, ctx: ClassificationContext) {
  const exp = def.experiment;
  const seed = exp.seeds[0];
  const timings = ctx.timings ?? {};
  let t0 = performance.now();
  const set = selectLabelled(def.file, exp.dataset, ctx.manifest);
  const C = set.classes.length;
  const maps = set.stimuli.map((s) => loadStimulus(ctx.dataDir, s));
  timings.loadData = (performance.now() - t0) / 1000;
  const topology = compileTopology(CORTICAL_PROGRAM);
  const y = Int32Array.from(set.y);
  const n = y.length;
  const allSplits = Array.from({ length: exp.evaluation.repeats }, (_, r) => stratifiedKFold(set.y, C, exp.evaluation.folds, seed + 1000 * r));

  const featureSets = [];
  for (const fs of exp.featureSets) {
    t0 = performance.now();
    const splits = allSplits.slice(0, Math.min(fs.repeats ?? exp.evaluation.repeats, exp.evaluation.repeats));
    const layout = featureLayout(topology, fs.perLeaf);
    const groups = featureVertexGroups(topology, layout, ctx.atlas);
    const D = groups.length;
    const x = new Float32Array(n * D);
    maps.forEach((m, i) => {
      const f = extractFeatures(m.values, m.timesteps, ctx.atlas.vertexCount, groups);
      for (let j = 0; j < D; j++) {
        let s = 0;
        for (let t = 0; t < m.timesteps; t++) s += f[t * D + j];
        x[i * D + j] = s / m.timesteps;
      }
    });
    timings[`features.${fs.name}`] = (performance.now() - t0) / 1000;
    const [rs, re] = layout.ranges[topology.index.get(exp.canvas.readout)!];
    const readout = Array.from({ length: re - rs }, (_, k) => rs + k);
    const leafRegions = topology.regions.map((r, i) => ({ r, i })).filter(({ r }) => r.kind === 'leaf');
    const regionColumns = leafRegions.map(({ i }) => Array.from({ length: layout.ranges[i][1] - layout.ranges[i][0] }, (_, k) => layout.ranges[i][0] + k));
    const foldModel = (spec: ModelSpec): FoldModel => {
      if (spec.kind === 'canvas') {
        // One feature per region: the pathway weights (as the study's 23-feature run); several: unweighted (its 135-feature run).
        const mask = featureMask(topology, layout, { weighted: fs.perLeaf === 1, dense: spec.mask === 'dense' });
        return { kind: 'canvas', ...exp.canvas, mixing: rowNormalise(mask), readout };
      }
      if (spec.kind === 'mlp') return { kind: 'mlp', hidden: exp.mlp.hidden, dropout: exp.mlp.dropout };
      return { kind: 'logistic', c: spec.c!, iterations: exp.logistic.iterations };
    };
    const importanceFor = (spec: ModelSpec) =>
      exp.evaluation.importance && exp.evaluation.importance.featureSet === fs.name && exp.evaluation.importance.models.includes(spec.name)
        ? { groups: regionColumns, repeats: exp.evaluation.importance.shuffles }
        : undefined;
    const base = (spec: ModelSpec, train: number[], test: number[], foldSeed: number): ClassifierFoldInput => ({
      model: foldModel(spec),
      x,
      D,
      y,
      classes: C,
      train,
      test,
      seed: foldSeed,
      ...(spec.kind === 'logistic' ? {} : { training: exp.training }),
    });

    t0 = performance.now();
    const models = [];
    for (const spec of exp.models) {
      const inputs: ClassifierFoldInput[] = [];
      splits.forEach((folds, r) => folds.forEach((f, k) => inputs.push({ ...base(spec, f.train, f.test, seed + 1000 * r + k), importance: importanceFor(spec) })));
      const label = `${exp.id} ${fs.name} ${spec.name}`;
      const outputs = await runFolds(ctx.pool, inputs, ctx.progress, label, ctx.foldCache);
      const runs: number[][] = splits.map(() => new Array<number>(n).fill(-1));
      const foldAccuracies: number[] = [];
      let k = 0;
      splits.forEach((folds, r) =>
        folds.forEach((f) => {
          const out = outputs[k++];
          f.test.forEach((i, j) => (runs[r][i] = out.predictions[j]));
          foldAccuracies.push(accuracy(f.test.map((i) => set.y[i]), out.predictions));
        }),
      );
      // Training time goes with the other timings in the provenance, so a rebuild that reproduces the numbers leaves the results as they are.
      timings[`train.${fs.name}.${spec.name}`] = outputs.reduce((a, o) => a + o.seconds, 0);
      const scores = summariseRuns(set.y, runs, C, seed);
      ctx.progress.log(`${label}: accuracy ${(100 * scores.accuracy).toFixed(1)}%, balanced ${(100 * scores.balancedAccuracy).toFixed(1)}%`);
      const importance = importanceFor(spec) ? summariseImportance(outputs, leafRegions.map(({ r }) => ({ id: r.id, group: r.group }))) : null;
      models.push({
        name: spec.name,
        label: spec.label ?? spec.name,
        kind: spec.kind,
        mask: spec.mask ?? null,
        parameters: outputs[0].parameters,
        scores,
        foldAccuracy: meanAndSd(foldAccuracies),
        importance,
        predictions: runs[0],
      });
    }
    timings[`models.${fs.name}`] = (performance.now() - t0) / 1000;

    let learningCurve = null;
    const lc = exp.evaluation.learningCurve;
    if (lc && lc.featureSet === fs.name) {
      t0 = performance.now();
      learningCurve = [];
      for (const spec of exp.models) {
        const points = [];
        for (const fraction of lc.fractions) {
          const inputs = splits[0].map((f, k) => base(spec, stratifiedSubsample(f.train, set.y, fraction, seed + k), f.test, seed + k));
          const outputs = await runFolds(ctx.pool, inputs, ctx.progress, `${exp.id} ${fs.name} ${spec.name} learning curve ${fraction}`, ctx.foldCache);
          const pred = new Array<number>(n).fill(-1);
          splits[0].forEach((f, k) => f.test.forEach((i, j) => (pred[i] = outputs[k].predictions[j])));
          points.push({ fraction, trainSize: meanAndSd(inputs.map((i) => i.train.length)).mean, accuracy: accuracy(set.y, pred), balancedAccuracy: balancedAccuracy(set.y, pred, C) });
        }
        const full = models.find((m) => m.name === spec.name)!;
        points.push({ fraction: 1, trainSize: meanAndSd(splits[0].map((f) => f.train.length)).mean, accuracy: full.scores.accuracyByRepeat[0], balancedAccuracy: full.scores.balancedAccuracyByRepeat[0] });
        learningCurve.push({ model: spec.name, points });
      }
      timings[`learningCurve.${fs.name}`] = (performance.now() - t0) / 1000;
    }
    featureSets.push({ name: fs.name, perLeaf: fs.perLeaf, features: D, repeats: splits.length, models, learningCurve });
  }

  return {
    classes: set.classes,
    stimuli: set.stimuli.map((s, i) => ({ id: s.id, label: s.label, kind: s.kind, class: set.y[i] })),
    chance: set.chance,
    majorityRate: set.majorityRate,
    majorityClass: set.majorityClass,
    evaluation: { folds: exp.evaluation.folds, repeats: exp.evaluation.repeats, seed, testSizes: allSplits[0].map((f) => f.test.length) },
    intervals: {
      accuracy: 'Wilson score interval, 95%, n = number of stimuli, on the accuracy averaged over repeats',
      balancedAccuracy: 'percentile bootstrap, 95%, 2,000 resamples of the stimuli within each class',
    },
    featureSets,
  };
}

/** Mean and spread over folds of the accuracy lost when one region's inputs are shuffled. */
function summariseImportance(outputs: ClassifierFoldOutput[], regions: Array<{ id: string; group: string }>) {
  return regions.map((r, g) => {
    const drops = outputs.map((o) => o.importance![g]);
    const s = meanAndSd(drops);
    return { region: r.id, group: r.group, drop: s.mean, sd: s.sd };
  });
}

export type ClassificationResults = Awaited<ReturnType<typeof runClassificationExperiment>>;
