/**
 * Parameters against peak validation R² on the study's split, one mark per
 * model and feature set (shape = feature set). Models without parameters
 * (persistence) cannot sit on a log axis and are left out; the caption says so.
 */
import * as Plot from '@observablehq/plot';
import type { ResultsFile } from '../../pipeline/results';
import { FEATURE_SET_SYMBOLS, modelColour } from '../colours';
import { renderPlot } from './plot';
import { R2_FLOOR } from './r2Curves';

type Results = ResultsFile['results'];

export function paramsVsR2Figure(results: Results): string {
  const rows = results.featureSets.flatMap((set) =>
    set.models
      .filter((m) => m.parameters > 0)
      .map((m) => ({ model: m.label, name: m.name, set: `${set.features} features`, parameters: m.parameters, r2: Math.max(R2_FLOOR, m.studySplit.peakR2.mean) })),
  );
  const models = [...new Map(results.featureSets.flatMap((s) => s.models).map((m) => [m.label, m.name])).entries()];
  const sets = results.featureSets.map((s) => `${s.features} features`);
  return renderPlot({
    width: 720,
    height: 380,
    marginLeft: 50,
    marginRight: 30,
    inset: 12,
    x: { type: 'log', label: 'trainable parameters', grid: true },
    y: { label: 'peak validation R²', grid: true, nice: true, zero: true },
    color: { domain: models.map(([label]) => label), range: models.map(([, name]) => modelColour(name)), legend: true },
    symbol: { domain: sets, range: FEATURE_SET_SYMBOLS.slice(0, sets.length), legend: true },
    marks: [
      Plot.ruleY([0], { stroke: '#999' }),
      Plot.dot(rows, { x: 'parameters', y: 'r2', stroke: 'model', fill: 'model', symbol: 'set', r: 6, fillOpacity: 0.5 }),
    ],
  });
}
