/**
 * Final validation R² of every model, as bars with intervals: on the study's
 * split (mean ± sd over seeds; one seed gives no interval) and, where it was
 * run, over the cross-validation folds (mean ± sd over held-out stimuli, with
 * the pooled R² as a tick). Values below the floor are drawn at the floor.
 */
import * as Plot from '@observablehq/plot';
import type { ResultsFile } from '../../pipeline/results';
import { modelColour } from '../colours';
import { renderPlot } from './plot';
import { R2_FLOOR } from './r2Curves';

type FeatureSet = ResultsFile['results']['featureSets'][number];

export const SPLIT = 'study split';
export const CV = 'cross-validation folds';

const clip = (v: number) => Math.max(R2_FLOOR, Math.min(1, v));

export function finalBarsFigure(set: FeatureSet): string {
  const rows = set.models.flatMap((m) => {
    const out = [{ model: m.label, name: m.name, evaluation: SPLIT, value: clip(m.studySplit.finalR2.mean), raw: m.studySplit.finalR2.mean, lo: clip(m.studySplit.finalR2.mean - m.studySplit.finalR2.sd), hi: clip(m.studySplit.finalR2.mean + m.studySplit.finalR2.sd), pooled: null as number | null }];
    const cv = m.crossValidation;
    if (cv) out.push({ model: m.label, name: m.name, evaluation: CV, value: clip(cv.meanR2), raw: cv.meanR2, lo: clip(cv.meanR2 - cv.sdR2), hi: clip(cv.meanR2 + cv.sdR2), pooled: clip(cv.pooledR2) });
    return out;
  });
  const labels = set.models.map((m) => m.label);
  const evaluations = [SPLIT, ...(rows.some((r) => r.evaluation === CV) ? [CV] : [])];
  return renderPlot({
    width: 720,
    height: 60 + evaluations.length * (set.models.length * 26 + 30),
    marginLeft: 190,
    marginRight: 20,
    marginTop: 10,
    x: { label: 'validation R²', domain: [R2_FLOOR, 1], grid: true },
    y: { domain: labels, label: null },
    fy: { domain: evaluations, label: null, axis: null, padding: 0.15 },
    color: { domain: labels, range: set.models.map((m) => modelColour(m.name)) },
    marks: [
      Plot.barX(rows, { x1: 0, x2: 'value', y: 'model', fy: 'evaluation', fill: 'model', fillOpacity: 0.85 }),
      Plot.ruleY(rows.filter((r) => r.hi > r.lo), { x1: 'lo', x2: 'hi', y: 'model', fy: 'evaluation', stroke: '#222', strokeWidth: 1.5 }),
      Plot.tickX(rows.filter((r) => r.pooled !== null), { x: 'pooled', y: 'model', fy: 'evaluation', stroke: '#000', strokeWidth: 2.5 }),
      Plot.ruleX([0], { stroke: '#555' }),
      Plot.text(rows, { x: (d: { value: number }) => Math.max(0, d.value), y: 'model', fy: 'evaluation', text: (d: { raw: number }) => d.raw.toFixed(3), dx: 4, dy: -7, textAnchor: 'start', fontSize: 10 }),
      Plot.text(evaluations, { fy: (d: string) => d, text: (d: string) => d, frameAnchor: 'top-right', fontWeight: 600, fontSize: 12, dy: -4 }),
    ],
  });
}
