/**
 * Validation R² over training steps for every model of one feature set. Trained
 * models are lines; closed-form baselines (persistence, ridge) are dashed
 * horizontal rules at their R². The y axis is clipped to [lower, 1] because
 * the untrained models start far below zero; the caption says so.
 */
import * as Plot from '@observablehq/plot';
import type { ResultsFile } from '../../pipeline/results';
import { modelColour } from '../colours';
import { renderPlot } from './plot';

type FeatureSet = ResultsFile['results']['featureSets'][number];

export const R2_FLOOR = -1;

export function r2CurvesFigure(set: FeatureSet): string {
  const lines = set.models.flatMap((m) =>
    (m.studySplit.runs[0].curve ?? []).map((p) => ({ model: m.label, name: m.name, step: p.step, r2: Math.max(R2_FLOOR, p.valR2) })),
  );
  const rules = set.models.filter((m) => !m.studySplit.runs[0].curve).map((m) => ({ model: m.label, name: m.name, r2: Math.max(R2_FLOOR, m.studySplit.finalR2.mean) }));
  const labels = set.models.map((m) => m.label);
  const colours = set.models.map((m) => modelColour(m.name));
  return renderPlot({
    width: 720,
    height: 360,
    marginLeft: 50,
    x: { label: 'training step', grid: true },
    y: { label: 'validation R²', domain: [R2_FLOOR, 1], grid: true },
    color: { domain: labels, range: colours, legend: true },
    marks: [
      Plot.ruleY([0], { stroke: '#999' }),
      Plot.ruleY(rules, { y: 'r2', stroke: 'model', strokeDasharray: '6,4', strokeWidth: 1.5 }),
      Plot.lineY(lines, { x: 'step', y: 'r2', stroke: 'model', strokeWidth: 2 }),
      Plot.dot(lines, Plot.selectLast({ x: 'step', y: 'r2', z: 'model', fill: 'model', r: 3 })),
    ],
  });
}
