/**
 * Experiment 3 (virtual-EEG BCI decoding): schema of its experiment file and its
 * runner. Each 10-20 electrode of the montage is matched to its nearest pial
 * vertex; a channel is the mean prediction over the pial patch around it (and
 * over time); the canvas decoder and an RBF SVM are scored by leave-one-out.
 */
import path from 'node:path';
import { z } from 'zod';
import { InputError } from '../data/errors';
import { loadHemisphere } from '../data/gifti';
import { loadMontage } from '../data/montage';
import { loadStimulus } from '../data/stimuli';
import { BCI_PROGRAM, bciElectrodes, bciMask } from '../cortex/bci';
import { channelValues, joinHemispheres, matchElectrodes } from '../features/electrodes';
import { leaveOneOut } from '../features/folds';
import { summariseRuns } from '../stats/classification';
import type { ClassifierFoldInput, FoldModel } from './classifierFold';
import type { LoadedDefinition } from './definition';
import { labelledDatasetSchema, selectLabelled, trainingSchema } from './labelled';
import { runFolds } from './runFolds';
import type { FoldExperimentContext } from './classification';

const name = z.string().regex(/^[a-z][a-z0-9-]*$/, 'use lower-case letters, digits and dashes');
export const BCI_MODEL_KINDS = ['canvas-decoder', 'svm'] as const;

export const bciExperimentSchema = z
  .object({
    id: name,
    title: z.string().min(1),
    protocol: z.literal('bci'),
    description: z.string().optional(),
    dataset: labelledDatasetSchema,
    /** The montage, relative to the data folder. */
    montage: z.string().min(1),
    /** Channel = mean over the pial vertices within this radius of the electrode's vertex. */
    patchRadiusMm: z.number().gt(0).max(100),
    decoder: z
      .object({ dModel: z.number().int().positive().max(1024), layers: z.number().int().positive().max(32), heads: z.number().int().positive().max(64), ffn: z.number().int().positive().max(4096) })
      .strict()
      .refine((d) => d.dModel % d.heads === 0, { message: 'dModel must be divisible by heads', path: ['heads'] }),
    training: trainingSchema,
    seeds: z.array(z.number().int().nonnegative()).length(1, 'one seed'),
    evaluation: z.object({ kind: z.literal('leave-one-out') }).strict(),
    models: z
      .array(
        z
          .object({
            name,
            label: z.string().optional(),
            kind: z.enum(BCI_MODEL_KINDS, {
              errorMap: (issue, ctx) => ({ message: issue.code === 'invalid_enum_value' ? `unknown model kind ${JSON.stringify(issue.received)} (known: ${BCI_MODEL_KINDS.join(', ')})` : ctx.defaultError }),
            }),
            /** svm only: C. */
            cost: z.number().positive().optional(),
          })
          .strict()
          .superRefine((m, ctx) => {
            if (m.kind === 'svm' && m.cost === undefined) ctx.addIssue({ code: 'custom', path: ['cost'], message: 'an svm model needs cost (C)' });
            if (m.kind !== 'svm' && m.cost !== undefined) ctx.addIssue({ code: 'custom', path: ['cost'], message: `cost applies to svm models only (this one is ${m.kind})` });
          }),
      )
      .nonempty()
      .superRefine((models, ctx) => {
        models.forEach((m, i) => {
          if (models.findIndex((o) => o.name === m.name) !== i) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `model name "${m.name}" is used twice` });
        });
      }),
  })
  .strict();

export type BciExperiment = z.infer<typeof bciExperimentSchema>;

export interface BciContext extends FoldExperimentContext {
  /** Where the stimuli's files are (a researcher's own export), if not in dataDir (the reference data). */
  stimuliDir?: string;
}

export async function runBciExperiment(def: LoadedDefinition<BciExperiment>, ctx: BciContext) {
  const exp = def.experiment;
  const seed = exp.seeds[0];
  const timings = ctx.timings ?? {};
  let t0 = performance.now();
  const set = selectLabelled(def.file, exp.dataset, ctx.manifest);
  const C = set.classes.length;

  // The montage must hold every electrode the decoder reads: a missing one is an input error, found before any training.
  const montageFile = path.resolve(ctx.dataDir, exp.montage);
  const montage = loadMontage(montageFile).filter((e) => !e.fiducial);
  const needed = bciElectrodes(BCI_PROGRAM);
  const missing = needed.filter((l) => !montage.some((e) => e.label === l));
  if (missing.length) throw new InputError(montageFile, `missing electrode${missing.length > 1 ? 's' : ''} ${missing.join(', ')} needed by the decoder (its groups read ${needed.join(' ')})`);
  const pial = joinHemispheres(loadHemisphere(path.join(ctx.dataDir, 'fsaverage5/pial_left.gii.gz')), loadHemisphere(path.join(ctx.dataDir, 'fsaverage5/pial_right.gii.gz')));
  const electrodes = needed.map((l) => montage.find((e) => e.label === l)!);
  const matches = matchElectrodes(electrodes, pial, ctx.atlas, exp.patchRadiusMm);
  const E = matches.length;
  const x = new Float32Array(set.stimuli.length * E);
  set.stimuli.forEach((s, i) => {
    const m = loadStimulus(ctx.stimuliDir ?? ctx.dataDir, s);
    x.set(channelValues(m.values, m.timesteps, ctx.atlas.vertexCount, matches.map((e) => e.patch)), i * E);
  });
  timings.channels = (performance.now() - t0) / 1000;

  const y = Int32Array.from(set.y);
  const folds = leaveOneOut(set.stimuli.length);
  const mask = bciMask(BCI_PROGRAM);
  const column = new Map(needed.map((l, i) => [l, i]));
  const decoder: FoldModel = {
    kind: 'attention',
    regionInputs: BCI_PROGRAM.regions.map((r) => r.electrodes.map((l) => column.get(l)!)),
    ...exp.decoder,
    allowed: mask.allowed,
    readout: BCI_PROGRAM.regions.findIndex((r) => r.id === BCI_PROGRAM.readout),
  };

  t0 = performance.now();
  const models = [];
  for (const spec of exp.models) {
    const model: FoldModel = spec.kind === 'svm' ? { kind: 'svm', cost: spec.cost! } : decoder;
    const inputs: ClassifierFoldInput[] = folds.map((f, k) => ({
      model,
      x,
      D: E,
      y,
      classes: C,
      train: f.train,
      test: f.test,
      seed: seed + k,
      ...(spec.kind === 'svm' ? {} : { training: exp.training }),
    }));
    const label = `${exp.id} ${spec.name} leave-one-out`;
    const outputs = await runFolds(ctx.pool, inputs, ctx.progress, label, ctx.foldCache);
    const pred = new Array<number>(set.y.length).fill(-1);
    folds.forEach((f, k) => (pred[f.test[0]] = outputs[k].predictions[0]));
    // Training time goes with the other timings in the provenance, so a rebuild that reproduces the numbers leaves the results as they are.
    timings[`train.${spec.name}`] = outputs.reduce((a, o) => a + o.seconds, 0);
    const scores = summariseRuns(set.y, [pred], C, seed);
    ctx.progress.log(`${label}: accuracy ${(100 * scores.accuracy).toFixed(1)}%, balanced ${(100 * scores.balancedAccuracy).toFixed(1)}%`);
    models.push({
      name: spec.name,
      label: spec.label ?? spec.name,
      kind: spec.kind,
      parameters: outputs[0].parameters,
      scores,
      predictions: pred,
    });
  }
  timings.models = (performance.now() - t0) / 1000;

  // Per-channel mean per class (raw TRIBE v2 units), for the page's figure.
  const channelMeans = set.classes.map((_, c) => {
    const rows = set.y.map((v, i) => (v === c ? i : -1)).filter((i) => i >= 0);
    return matches.map((_, e) => rows.reduce((a, i) => a + x[i * E + e], 0) / rows.length);
  });

  return {
    classes: set.classes,
    stimuli: set.stimuli.map((s, i) => ({ id: s.id, label: s.label, kind: s.kind, class: set.y[i] })),
    chance: set.chance,
    majorityRate: set.majorityRate,
    majorityClass: set.majorityClass,
    evaluation: { kind: 'leave-one-out' as const, folds: folds.length, seed },
    intervals: {
      accuracy: 'Wilson score interval, 95%, n = number of stimuli',
      balancedAccuracy: 'percentile bootstrap, 95%, 2,000 resamples of the stimuli within each class',
    },
    montage: exp.montage,
    patchRadiusMm: exp.patchRadiusMm,
    electrodes: matches.map((m) => ({
      label: m.label,
      group: BCI_PROGRAM.regions.find((r) => r.electrodes.includes(m.label))!.id,
      position: m.position.map((v) => Math.round(v * 1000) / 1000),
      vertex: m.vertex,
      distanceMm: Math.round(m.distanceMm * 1000) / 1000,
      destrieux: m.destrieux,
      patchVertices: m.patch.length,
    })),
    channelMeans,
    decoder: {
      regions: BCI_PROGRAM.regions.map((r) => ({ id: r.id, family: r.family, electrodes: r.electrodes })),
      edges: BCI_PROGRAM.edges,
      readout: BCI_PROGRAM.readout,
      allowedPairs: mask.edges,
    },
    models,
  };
}

export type BciResults = Awaited<ReturnType<typeof runBciExperiment>>;
