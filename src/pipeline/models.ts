/**
 * Turns a model named in an experiment definition into something that can be
 * fitted on training windows and asked for validation predictions.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { FeatureLayout, Topology } from '../cortex/compile';
import { compileTopology, featureLayout, featureMask, rowNormalise } from '../cortex/compile';
import { CORTICAL_PROGRAM } from '../cortex/program';
import type { WindowSet } from '../features/windows';
import { createCanvasModel } from '../models/canvas';
import { createFlatModel, flatHidden } from '../models/flat';
import { persistencePredict } from '../models/persistence';
import { fitRidge, ridgePredict } from '../models/ridge';
import type { CurvePoint, StepEvent, TrainProtocol } from '../models/train';
import { trainWindowModel } from '../models/train';
import { loadCheckpoint, saveCheckpoint } from '../models/checkpoint';
import { predictWindows } from '../models/train';
import { createRng } from '../util/random';
import type { Inspection } from '../models/inspect';
import { inspectionSteps } from '../models/inspect';
import { checkpointKey, trainingCodeVersion } from './cache';
import type { DynamicsExperiment, ModelSpec } from './definition';

export interface FitResult {
  predictions: Float32Array;
  parameters: number;
  /** Learning curve (trained models only). */
  curve?: CurvePoint[];
  seconds: number;
  /** Feature connections the model may use (canvas models only). */
  connections?: number;
  /** Checkpoint key (trained models only). */
  checkpoint?: string;
  fromCheckpoint?: boolean;
  /** Hidden-state norms during training (canvas models only; see models/inspect.ts). */
  inspections?: Inspection[];
}

export interface CacheStats {
  trained: number;
  loaded: number;
  corrupt: number;
}

export interface CheckpointCache {
  dir: string;
  /** Train even when a checkpoint exists (and replace it). */
  retrain: boolean;
  stats: CacheStats;
  log: (line: string) => void;
}

export interface FitContext {
  experiment: DynamicsExperiment;
  topology: Topology;
  layout: FeatureLayout;
  seed: number;
  onStep?: (e: StepEvent) => void;
  cache?: CheckpointCache;
  /** What else determines the model: data hashes, stimuli of the fold, feature set, backend. */
  inputs?: Record<string, unknown>;
}

interface TrainingRecord {
  curve: CurvePoint[];
  seconds: number;
  inspections?: Inspection[];
}

export function fitAndPredict(spec: ModelSpec, train: WindowSet, validation: WindowSet, ctx: FitContext): FitResult {
  const started = performance.now();
  const { features, context } = train;
  if (spec.kind === 'persistence') {
    return { predictions: persistencePredict(validation), parameters: 0, seconds: (performance.now() - started) / 1000 };
  }
  if (spec.kind === 'ridge') {
    const model = fitRidge(train, spec.alpha!);
    return { predictions: ridgePredict(model, validation), parameters: model.parameters, seconds: (performance.now() - started) / 1000 };
  }
  const { architecture: arch, training } = ctx.experiment;
  const rng = createRng(ctx.seed);
  let connections: number | undefined;
  let model;
  if (spec.kind === 'canvas') {
    const weighted = spec.weights === 'pathway' || (spec.weights === 'study' && ctx.layout.featuresPerLeaf === 1);
    const mask = featureMask(ctx.topology, ctx.layout, { weighted, dense: spec.mask === 'dense' });
    connections = mask.nonzeros;
    model = createCanvasModel(spec.name, { features, context, dModel: arch.dModel, layers: arch.layers, ffn: arch.ffn, dropout: arch.dropout, mixing: rowNormalise(mask) }, rng);
  } else {
    model = createFlatModel({ features, context, hidden: flatHidden(features) }, rng);
  }
  const protocol: TrainProtocol = {
    steps: training.steps,
    batchSize: training.batchSize,
    learningRate: training.learningRate,
    weightDecay: training.weightDecay,
    clipNorm: training.clipNorm,
    evalEvery: training.evalEvery,
    seed: ctx.seed,
    inspectAt: spec.kind === 'canvas' ? inspectionSteps(training.steps) : undefined,
  };
  const { name: _name, label: _label, featureSets: _sets, ...modelSettings } = spec;
  const describes = { model: modelSettings, architecture: spec.kind === 'canvas' ? arch : null, training, window: ctx.experiment.window, seed: ctx.seed, code: trainingCodeVersion(), ...ctx.inputs };
  const key = checkpointKey(describes);
  try {
    const cache = ctx.cache;
    if (cache && !cache.retrain) {
      const loaded = loadCheckpoint<TrainingRecord>(cache.dir, key, model.params);
      if (loaded.status === 'loaded') {
        cache.stats.loaded++;
        const predictions = predictWindows(model, validation);
        return { predictions, parameters: model.params.count(), curve: loaded.record.curve, seconds: loaded.record.seconds, connections, checkpoint: key, fromCheckpoint: true, inspections: loaded.record.inspections };
      }
      if (loaded.status === 'corrupt') {
        cache.stats.corrupt++;
        cache.log(`checkpoint ${key.slice(0, 12)} is corrupt (${loaded.reason}); retraining`);
      }
    }
    const result = trainWindowModel(model, train, validation, protocol, ctx.onStep);
    if (cache) {
      cache.stats.trained++;
      saveCheckpoint<TrainingRecord>(cache.dir, key, model.params, { curve: result.curve, seconds: result.seconds, inspections: result.inspections }, describes);
    }
    return { predictions: result.predictions, parameters: result.parameters, curve: result.curve, seconds: result.seconds, connections, checkpoint: key, fromCheckpoint: false, inspections: result.inspections };
  } finally {
    model.dispose();
    // Nothing of a finished model may stay on the backend between trainings.
    tf.disposeVariables();
  }
}

/** One model to fit, as plain data: what a pool worker receives. */
export interface FitJob {
  spec: ModelSpec;
  train: WindowSet;
  validation: WindowSet;
  experiment: DynamicsExperiment;
  featuresPerLeaf: number;
  seed: number;
  cache?: { dir: string; retrain: boolean };
  inputs?: Record<string, unknown>;
}

export interface FitOutput extends FitResult {
  stats: CacheStats;
}

/** What a fit reports while it runs. */
export type FitMessage = { type: 'step'; event: StepEvent } | { type: 'log'; line: string };

/**
 * The pool task: compiles the cortical program (cheap and deterministic, so it
 * is not shipped between threads), fits the model, and returns its predictions
 * with what the checkpoint cache did.
 */
export function fitModelTask(job: FitJob, report: (m: FitMessage) => void): FitOutput {
  const topology = compileTopology(CORTICAL_PROGRAM);
  const layout = featureLayout(topology, job.featuresPerLeaf);
  const stats: CacheStats = { trained: 0, loaded: 0, corrupt: 0 };
  const cache = job.cache ? { ...job.cache, stats, log: (line: string) => report({ type: 'log', line }) } : undefined;
  const fit = fitAndPredict(job.spec, job.train, job.validation, {
    experiment: job.experiment,
    topology,
    layout,
    seed: job.seed,
    cache,
    inputs: job.inputs,
    onStep: (event) => report({ type: 'step', event }),
  });
  return { ...fit, stats };
}
