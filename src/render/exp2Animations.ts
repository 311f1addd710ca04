/**
 * Animations (2) and (3), from the model outputs the pipeline wrote
 * (experiments/outputs/<id>.json): truth beside each canvas model's prediction
 * over the validation windows, and the cortical model's hidden-state magnitude
 * per region across layers and across training.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import type { Atlas } from '../data/atlas';
import { InputError } from '../data/errors';
import { compileTopology, featureLayout } from '../cortex/compile';
import { CORTICAL_PROGRAM } from '../cortex/program';
import type { ExperimentOutputs, FeatureSetOutputs, ModelOutput } from '../pipeline/outputs';
import type { Animation } from './animation';
import { absQuantile, extent } from './colour';
import { paintFeatures, vertexFeatureMap, vertexRegionMap } from './paintFeatures';
import { LIMIT_QUANTILE, SIGNED_THRESHOLD, TRIBE_UNITS } from './stimulusAnimations';

export function readOutputs(file: string): { outputs: ExperimentOutputs; sha256: string } {
  const text = fs.readFileSync(file, 'utf8');
  let outputs: ExperimentOutputs;
  try {
    outputs = JSON.parse(text) as ExperimentOutputs;
  } catch (e) {
    throw new InputError(file, `not valid JSON: ${(e as Error).message}`);
  }
  if (!Array.isArray(outputs.featureSets)) throw new InputError(file, 'no featureSets array: not a model outputs file (written by the pipeline)');
  return { outputs, sha256: crypto.createHash('sha256').update(text).digest('hex') };
}

/** sha256 of the values a render paints: it changes exactly when they do. */
const valuesHash = (x: unknown) => crypto.createHash('sha256').update(JSON.stringify(x)).digest('hex');

const safe = (s: string) => s.replace(/[^A-Za-z0-9]+/g, '-');

function describeFeatures(set: FeatureSetOutputs): string {
  return set.perLeaf === 1
    ? `${set.features} features, one mean per region: every vertex of a leaf region shows its region's value`
    : `${set.features} features, ${set.perLeaf} per leaf region, each the mean of 5 vertices of the leaf's vertex list; every leaf vertex shows the ` +
        `feature whose centre is nearest in that list order (the order the features were built in, not surface distance)`;
}

export function truthVersusPrediction(experiment: string, set: FeatureSetOutputs, model: ModelOutput, atlas: Atlas): Animation {
  const topology = compileTopology(CORTICAL_PROGRAM);
  const layout = featureLayout(topology, set.perLeaf);
  if (layout.regionOf.length !== set.features) throw new Error(`outputs feature set ${set.name} has ${set.features} features; the program lays out ${layout.regionOf.length}`);
  const map = vertexFeatureMap(topology, layout, atlas);
  const limit = absQuantile(set.targets.flat(), LIMIT_QUANTILE);
  const threshold = SIGNED_THRESHOLD * limit;
  const stimuli = [...new Set(set.windows.map((w) => w.stimulus))];
  return {
    id: `${experiment}-${set.name}-${safe(model.name)}-truth-vs-prediction`,
    group: experiment,
    title: `${model.label}, ${set.features} features: truth and prediction`,
    caption:
      `Validation windows of the study split (${stimuli.join(', ')}), one frame per predicted timestep. Top: the truth, TRIBE v2's prediction ` +
      `as the model sees it; bottom: the ${model.label} model's one-step-ahead prediction from the previous timesteps. ${describeFeatures(set)}; ` +
      `vertices outside the 16 leaf regions stay grey. Colour: raw TRIBE v2 units (not z-scored), red positive, blue negative, limits ` +
      `±${limit.toPrecision(3)} (99th percentile of |truth|); |value| < ${threshold.toPrecision(3)} (${SIGNED_THRESHOLD * 100}% of the limit) is not painted. Inflated surface.`,
    surface: 'inflated',
    fps: 1,
    scale: { map: 'RdBu_r', min: -limit, max: limit, threshold, label: TRIBE_UNITS },
    panels: ['truth: TRIBE v2', `prediction: ${model.label}`],
    frames: set.windows.length,
    frameLabel: (f) => `${set.windows[f].stimulus}, timestep ${set.windows[f].timestep + 1}`,
    values: (f, panel) => paintFeatures(panel === 0 ? set.targets[f] : model.predictions[f], map),
    poster: Math.floor(set.windows.length / 2),
    inputs: { kind: 'truth-vs-prediction', experiment, featureSet: set.name, model: model.name, checkpoint: model.checkpoint, values: valuesHash([set.windows, set.targets, model.predictions]), limitQuantile: LIMIT_QUANTILE, threshold: SIGNED_THRESHOLD },
  };
}

/** Per-region mean of per-feature values. */
function regionMeans(values: number[], regionOf: number[], regions: number): number[] {
  const sum = new Array(regions).fill(0);
  const n = new Array(regions).fill(0);
  values.forEach((v, f) => {
    sum[regionOf[f]] += v;
    n[regionOf[f]]++;
  });
  return sum.map((s, r) => (n[r] ? s / n[r] : NaN));
}

export function hiddenAnimations(experiment: string, set: FeatureSetOutputs, model: ModelOutput, atlas: Atlas): Animation[] {
  if (model.inspections.length === 0) return [];
  const topology = compileTopology(CORTICAL_PROGRAM);
  const layout = featureLayout(topology, set.perLeaf);
  const regionMap = vertexRegionMap(topology, atlas);
  const R = topology.regions.length;
  const last = model.inspections[model.inspections.length - 1];
  const layers = last.layers.length;
  const byLayer = last.layers.map((l) => regionMeans(l, layout.regionOf, R));
  const byStep = model.inspections.map((i) => regionMeans(i.layers[layers - 1], layout.regionOf, R));
  const nonLeaf = topology.regions.map((r, i) => ({ r, i })).filter((x) => x.r.kind !== 'leaf');
  const layerName = (l: number) => (l === 0 ? 'input projection' : `after layer ${l} of ${layers - 1}`);
  const make = (kind: 'layers' | 'training', frames: number[][], frameLabel: (f: number) => string, what: string, poster: number): Animation => {
    const [lo, hi] = extent(frames.flat());
    return {
      id: `${experiment}-${set.name}-${safe(model.name)}-hidden-${kind}`,
      group: experiment,
      title: `${model.label}, ${set.features} features: hidden-state magnitude ${kind === 'layers' ? 'by layer' : 'during training'}`,
      caption:
        `${what} Colour: the mean L2 norm of the model's ${'hidden'} state (a vector per feature) over the ${set.windows.length} validation windows, ` +
        `averaged over each region's features (dimensionless; viridis from ${lo.toPrecision(3)} to ${hi.toPrecision(3)}). Every vertex of a leaf region ` +
        `shows its region's value; the ${nonLeaf.length} regions without vertices (sub-network nodes and prediction_error) are shown in the strip under the brains; ` +
        `vertices outside the leaf regions stay grey. Inflated surface.`,
      surface: 'inflated',
      fps: 1,
      scale: { map: 'viridis', min: lo, max: hi, threshold: 0, label: 'mean hidden-state L2 norm (dimensionless)' },
      panels: [''],
      frames: frames.length,
      frameLabel,
      values: (f) => {
        const out = new Float32Array(regionMap.length);
        for (let v = 0; v < out.length; v++) out[v] = regionMap[v] >= 0 ? frames[f][regionMap[v]] : NaN;
        return out;
      },
      strip: (f) => nonLeaf.map(({ r, i }) => ({ label: r.id, value: frames[f][i] })),
      poster,
      inputs: { kind: `hidden-${kind}`, experiment, featureSet: set.name, model: model.name, checkpoint: model.checkpoint, values: valuesHash(frames) },
    };
  };
  return [
    make('layers', byLayer, (f) => layerName(f), `The trained model (step ${last.step}), one frame per layer: after the input projection, then after each of its ${layers - 1} layers.`, 0),
    make(
      'training',
      byStep,
      (f) => `training step ${model.inspections[f].step} (${layerName(layers - 1)})`,
      `The last layer's hidden state at training steps ${model.inspections.map((i) => i.step).join(', ')} (one frame each; step 0 is the untrained model).`,
      model.inspections.length - 1,
    ),
  ];
}

/** Every Experiment-2 animation the outputs file supports. */
export function experimentAnimations(file: string, atlas: Atlas): Animation[] {
  const { outputs } = readOutputs(file);
  const out: Animation[] = [];
  for (const set of outputs.featureSets) {
    for (const model of set.models) out.push(truthVersusPrediction(outputs.experiment, set, model, atlas));
    const cortical = set.models.find((m) => m.name === 'cortical');
    if (cortical) out.push(...hiddenAnimations(outputs.experiment, set, cortical, atlas));
  }
  return out;
}
