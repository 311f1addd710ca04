/**
 * Animation (1): the TRIBE v2 prediction of each video stimulus over time,
 * one frame per timestep, painted with a signed colour map whose symmetric
 * limit is the 99th percentile of |value| over the whole stimulus.
 */
import type { Manifest, Stimulus } from '../data/manifest';
import { loadStimulus } from '../data/stimuli';
import type { Animation } from './animation';
import { absQuantile } from './colour';

/** Share of the colour limit under which the cortex is left grey. */
export const SIGNED_THRESHOLD = 0.1;
/** Quantile of |value| that sets the symmetric colour limit. */
export const LIMIT_QUANTILE = 0.99;

export const TRIBE_UNITS = 'TRIBE v2 predicted response (raw units, not z-scored)';

export function stimulusAnimation(dataDir: string, manifest: Manifest, stimulus: Stimulus): Animation {
  const series = loadStimulus(dataDir, stimulus);
  const V = series.values.length / series.timesteps;
  const limit = absQuantile(series.values, LIMIT_QUANTILE);
  const sha = manifest.files.find((f) => f.path === stimulus.file)?.sha256 ?? null;
  const threshold = SIGNED_THRESHOLD * limit;
  return {
    id: `stimulus-${stimulus.id.replace(/[^A-Za-z0-9]+/g, '-')}`,
    group: 'stimuli',
    title: `TRIBE v2 prediction: ${stimulus.id} (${stimulus.label})`,
    caption:
      `TRIBE v2's predicted cortical response to the video ${stimulus.id} (${stimulus.label}), one frame per timestep ` +
      `(${series.timesteps} timesteps, played at one per second). Colour: the prediction at each fsaverage5 vertex in TRIBE v2's raw output units ` +
      `(not z-scored); red positive, blue negative, limits ±${limit.toPrecision(3)} (the 99th percentile of |value| over this stimulus; ` +
      `beyond it the colour saturates). Values with |value| < ${threshold.toPrecision(3)} (${SIGNED_THRESHOLD * 100}% of the limit) are not painted and ` +
      `the sulcal-depth grey shows. Inflated surface.`,
    surface: 'inflated',
    fps: 1,
    scale: { map: 'RdBu_r', min: -limit, max: limit, threshold, label: TRIBE_UNITS },
    panels: [''],
    frames: series.timesteps,
    frameLabel: (f) => `timestep ${f + 1} of ${series.timesteps}`,
    values: (f) => Float32Array.from(series.values.subarray(f * V, (f + 1) * V)),
    poster: Math.floor(series.timesteps / 2),
    inputs: { kind: 'stimulus', stimulus: stimulus.id, file: stimulus.file, key: stimulus.key, sha256: sha, limitQuantile: LIMIT_QUANTILE, threshold: SIGNED_THRESHOLD },
  };
}

export function stimulusAnimations(dataDir: string, manifest: Manifest): Animation[] {
  return manifest.stimuli.filter((s) => s.kind === 'timeseries').map((s) => stimulusAnimation(dataDir, manifest, s));
}
