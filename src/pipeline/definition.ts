/**
 * Experiment definitions: YAML files in `content/experiments/`, checked against a
 * strict schema. Every problem is reported with the file, the line and the field,
 * e.g. `content/experiments/exp2.yaml:14: models[2].kind: unknown model kind "transformer"`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { InputError } from '../data/errors';
import { readInputText } from '../data/io';
import { bciExperimentSchema } from './bci';
import type { BciExperiment } from './bci';
import { classificationExperimentSchema } from './classification';
import { uniqueModelNames } from './schemaChecks';
import type { ClassificationExperiment } from './classification';

/** An experiment definition is a page of YAML; a megabyte is not one. */
const MAX_DEFINITION_BYTES = 1 << 20;

const positiveInt = z.number().int().positive();

export const MODEL_KINDS = ['canvas', 'flat', 'persistence', 'ridge'] as const;

const modelSchema = z
  .object({
    name: z.string().regex(/^[a-z][a-z0-9-]*$/, 'use lower-case letters, digits and dashes'),
    kind: z.enum(MODEL_KINDS, { errorMap: (issue, ctx) => ({ message: issue.code === 'invalid_enum_value' ? `unknown model kind ${JSON.stringify(issue.received)} (known: ${MODEL_KINDS.join(', ')})` : ctx.defaultError }) }),
    label: z.string().optional(),
    /** canvas only: which connections a feature may read. */
    mask: z.enum(['cortical', 'dense']).optional(),
    /**
     * canvas only: `study` reproduces the study (pathway weights with one feature per
     * region, unweighted with several); `pathway` always uses the declared weights;
     * `none` never does.
     */
    weights: z.enum(['study', 'pathway', 'none']).optional(),
    /** ridge only: relative penalty. */
    alpha: z.number().positive().optional(),
    /** Restrict the model to some feature sets (default: all). */
    featureSets: z.array(z.string()).nonempty().optional(),
  })
  .strict()
  .superRefine((m, ctx) => {
    if (m.kind !== 'canvas' && (m.mask || m.weights)) ctx.addIssue({ code: 'custom', path: ['mask'], message: `mask and weights apply to canvas models only (this one is ${m.kind})` });
    if (m.kind === 'canvas' && !m.mask) ctx.addIssue({ code: 'custom', path: ['mask'], message: 'a canvas model needs a mask: cortical or dense' });
    if (m.kind === 'ridge' && m.alpha === undefined) ctx.addIssue({ code: 'custom', path: ['alpha'], message: 'a ridge model needs alpha' });
  });

const featureSetSchema = z
  .object({
    name: z.string().regex(/^[a-z][a-z0-9-]*$/),
    /** Features per leaf region: 1 gives the 23-scalar version, 8 the 135-feature one. */
    perLeaf: positiveInt.max(64),
  })
  .strict();

export const dynamicsExperimentSchema = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9-]*$/),
    title: z.string().min(1),
    protocol: z.literal('dynamics'),
    description: z.string().optional(),
    dataset: z
      .object({
        /** Which manifest stimuli: every time series, or a list of ids. */
        stimuli: z.union([z.literal('timeseries'), z.array(z.string()).min(2)]),
      })
      .strict(),
    featureSets: z.array(featureSetSchema).nonempty(),
    window: z.object({ context: positiveInt.max(64) }).strict(),
    architecture: z
      .object({ dModel: positiveInt, layers: positiveInt.max(32), ffn: positiveInt, dropout: z.number().min(0).lt(1) })
      .strict(),
    training: z
      .object({
        steps: positiveInt,
        batchSize: positiveInt,
        learningRate: z.number().gt(0).lt(1),
        weightDecay: z.number().min(0).lt(1),
        clipNorm: z.number().min(0),
        schedule: z.literal('cosine'),
        evalEvery: positiveInt,
      })
      .strict(),
    seeds: z.array(z.number().int().nonnegative()).nonempty(),
    evaluation: z
      .object({
        split: z.object({ kind: z.literal('study'), seed: z.number().int().nonnegative() }).strict(),
        crossValidation: z
          .object({ kind: z.literal('leave-one-stimulus-out'), models: z.array(z.string()).nonempty() })
          .strict()
          .optional(),
      })
      .strict(),
    models: z.array(modelSchema).nonempty(),
  })
  .strict()
  .superRefine((e, ctx) => {
    const names = uniqueModelNames(e.models, ctx);
    e.models.forEach((m, i) => {
      m.featureSets?.forEach((f, j) => {
        if (!e.featureSets.some((s) => s.name === f)) ctx.addIssue({ code: 'custom', path: ['models', i, 'featureSets', j], message: `no feature set named "${f}"` });
      });
    });
    const seeds = new Set<number>();
    e.seeds.forEach((seed, i) => {
      if (seeds.has(seed)) ctx.addIssue({ code: 'custom', path: ['seeds', i], message: `seed ${seed} is listed twice` });
      seeds.add(seed);
    });
    if (e.training.evalEvery > e.training.steps) {
      ctx.addIssue({ code: 'custom', path: ['training', 'evalEvery'], message: `evalEvery (${e.training.evalEvery}) is more than steps (${e.training.steps}): the learning curve would have no point` });
    }
    e.evaluation.crossValidation?.models.forEach((m, i) => {
      if (!names.has(m)) ctx.addIssue({ code: 'custom', path: ['evaluation', 'crossValidation', 'models', i], message: `no model named "${m}" in models` });
    });
  });

export type DynamicsExperiment = z.infer<typeof dynamicsExperimentSchema>;
export type ModelSpec = DynamicsExperiment['models'][number];

/** Every protocol's schema, chosen by the file's `protocol` field. */
export const PROTOCOLS = {
  dynamics: dynamicsExperimentSchema,
  classification: classificationExperimentSchema,
  bci: bciExperimentSchema,
} as const;

export type Experiment = DynamicsExperiment | ClassificationExperiment | BciExperiment;

export interface LoadedDefinition<E extends Experiment = DynamicsExperiment> {
  file: string;
  /** The file's bytes, hashed into the provenance of its results. */
  text: string;
  experiment: E;
}

export function parseDefinition(text: string, file: string): Experiment {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    const err = doc.errors[0];
    const { line } = lineCounter.linePos(err.pos[0]);
    throw new InputError(`${file}:${line}`, `not valid YAML: ${err.message.split('\n')[0]}`);
  }
  let raw: unknown;
  try {
    // toJS refuses alias bombs ("billion laughs") by its alias-count limit.
    raw = doc.toJS();
  } catch (e) {
    throw new InputError(file, `not valid YAML: ${(e as Error).message.split('\n')[0]}`);
  }
  const protocol = raw && typeof raw === 'object' ? (raw as Record<string, unknown>).protocol : undefined;
  const known = Object.keys(PROTOCOLS).join(', ');
  if (typeof protocol !== 'string' || !(protocol in PROTOCOLS)) {
    const where = lineOf(doc, lineCounter, ['protocol']);
    const problem = protocol === undefined ? 'missing (required)' : `unknown protocol ${JSON.stringify(protocol)}`;
    throw new InputError(file, `invalid experiment definition\n  ${file}${where ? `:${where}` : ''}: protocol: ${problem} (known: ${known})`);
  }
  const result = PROTOCOLS[protocol as keyof typeof PROTOCOLS].safeParse(raw);
  if (result.success) return result.data as Experiment;
  const messages = result.error.issues.map((issue) => {
    const where = lineOf(doc, lineCounter, issue.path);
    const field = formatPath(issue.path);
    const message = issue.code === 'unrecognized_keys' ? `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}` : issue.message === 'Required' ? 'missing (required)' : issue.message;
    return `${file}${where ? `:${where}` : ''}: ${field || '(top level)'}: ${message}`;
  });
  throw new InputError(file, `invalid experiment definition\n  ${messages.join('\n  ')}`);
}

export function loadDefinition(file: string): LoadedDefinition<Experiment> {
  // Refuses a folder, a FIFO or an oversized file with the reason, instead of blocking or a stack trace.
  const text = readInputText(file, MAX_DEFINITION_BYTES);
  return { file, text, experiment: parseDefinition(text, file) };
}

export function loadDefinitions(dir: string): LoadedDefinition<Experiment>[] {
  if (!fs.existsSync(dir)) throw new InputError(dir, 'experiment folder not found');
  if (!fs.statSync(dir).isDirectory()) throw new InputError(dir, 'expected a folder of experiment definitions, found a file');
  const files = fs
    .readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort();
  if (files.length === 0) throw new InputError(dir, 'no experiment definitions (*.yaml) in this folder');
  return files.map((f) => loadDefinition(path.join(dir, f)));
}

function formatPath(p: Array<string | number>): string {
  return p.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? k : `.${k}`)).join('');
}

/** The line of the deepest node of `path` that exists in the document. */
function lineOf(doc: ReturnType<typeof parseDocument>, counter: LineCounter, p: Array<string | number>): number | undefined {
  for (let n = p.length; n >= 0; n--) {
    const node = doc.getIn(p.slice(0, n), true) as { range?: [number, number, number] } | undefined;
    if (node && typeof node === 'object' && node.range) return counter.linePos(node.range[0]).line;
  }
  return undefined;
}
