/**
 * The labelled stimulus sets of the classification experiments (1 and 3): the
 * experiment file names the stimulus kinds and the classes (manifest labels);
 * each stimulus becomes one vector (a time series averaged over time).
 */
import { z } from 'zod';
import { InputError } from '../data/errors';
import type { Manifest, Stimulus } from '../data/manifest';
import { majorityRate } from '../stats/classification';

export const labelledDatasetSchema = z
  .object({
    /** `mean`: the time-mean maps; `timeseries`: the videos, averaged over time. */
    kinds: z.array(z.enum(['mean', 'timeseries'])).nonempty(),
    /** The classes, as manifest labels; stimuli with other labels are left out. */
    labels: z.array(z.string().min(1)).min(2, 'a classification needs at least 2 classes'),
  })
  .strict()
  .superRefine((d, ctx) => {
    d.labels.forEach((l, i) => {
      if (d.labels.indexOf(l) !== i) ctx.addIssue({ code: 'custom', path: ['labels', i], message: `class "${l}" is listed twice` });
    });
  });

export const trainingSchema = z
  .object({
    steps: z.number().int().positive().max(100_000),
    /** 0: full batch. */
    batchSize: z.number().int().min(0),
    learningRate: z.number().gt(0).lt(1),
    weightDecay: z.number().min(0).lt(1),
    clipNorm: z.number().min(0),
    schedule: z.enum(['cosine', 'constant']),
  })
  .strict();

export type LabelledDataset = z.infer<typeof labelledDatasetSchema>;

export interface LabelledSet {
  stimuli: Stimulus[];
  /** Class index of each stimulus. */
  y: number[];
  classes: Array<{ name: string; size: number }>;
  chance: number;
  majorityRate: number;
  majorityClass: string;
}

/**
 * Picks the stimuli of the listed kinds and labels. An empty class or a class
 * of one stimulus cannot be cross-validated (stratified folds need each class
 * on both sides): that is an error naming the class, before anything is trained.
 */
export function selectLabelled(file: string, dataset: LabelledDataset, manifest: Manifest, minPerClass = 2): LabelledSet {
  const kinds = new Set<string>(dataset.kinds);
  const stimuli: Stimulus[] = [];
  const y: number[] = [];
  for (const s of manifest.stimuli) {
    const c = dataset.labels.indexOf(s.label);
    if (!kinds.has(s.kind) || c < 0) continue;
    stimuli.push(s);
    y.push(c);
  }
  const classes = dataset.labels.map((name, c) => ({ name, size: y.filter((v) => v === c).length }));
  classes.forEach((cl, c) => {
    const where = `dataset.labels[${c}]`;
    const known = [...new Set(manifest.stimuli.filter((s) => kinds.has(s.kind)).map((s) => s.label))].sort();
    if (cl.size === 0) throw new InputError(file, `${where}: class "${cl.name}" is empty: no ${dataset.kinds.join('/')} stimulus has that label (labels there: ${known.join(', ')})`);
    if (cl.size < minPerClass) {
      const ids = stimuli.filter((_, i) => y[i] === c).map((s) => s.id);
      throw new InputError(file, `${where}: class "${cl.name}" has ${cl.size} stimulus (${ids.join(', ')}); cross-validation needs at least ${minPerClass} per class`);
    }
  });
  const biggest = classes.reduce((a, b) => (b.size > a.size ? b : a));
  return { stimuli, y, classes, chance: 1 / classes.length, majorityRate: majorityRate(y, classes.length), majorityClass: biggest.name };
}
