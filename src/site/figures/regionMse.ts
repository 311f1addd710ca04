/**
 * Validation MSE per region for every model of one feature set (log scale).
 * The seven regions without vertices (sub-network nodes, prediction_error)
 * carry an all-zero feature and are left out; region labels take the colour
 * of their sub-network.
 */
import * as Plot from '@observablehq/plot';
import type { ResultsFile } from '../../pipeline/results';
import { groupColour, modelColour } from '../colours';
import { renderPlot } from './plot';

type Results = ResultsFile['results'];
type FeatureSet = Results['featureSets'][number];

export function regionMseFigure(set: FeatureSet, program: Results['program']): string {
  const leaves = program.regions.map((r, i) => ({ ...r, i })).filter((r) => r.kind === 'leaf');
  const rows = set.models.flatMap((m) =>
    leaves.map((r) => ({ model: m.label, region: r.id, mse: m.studySplit.runs[0].regionMse[r.i] })).filter((d) => d.mse > 0),
  );
  const groupOf = new Map(program.regions.map((r) => [r.id, r.group]));
  const labels = set.models.map((m) => m.label);
  return renderPlot({
    width: 720,
    height: 40 + leaves.length * 24,
    marginLeft: 190,
    x: { type: 'log', label: 'validation MSE (raw TRIBE v2 units²)', grid: true },
    y: { domain: leaves.map((r) => r.id), label: null },
    color: { domain: labels, range: set.models.map((m) => modelColour(m.name)), legend: true },
    marks: [
      Plot.ruleY(leaves.map((r) => r.id), { stroke: '#eee' }),
      Plot.dot(rows, { x: 'mse', y: 'region', stroke: 'model', fill: 'model', r: 3.5, fillOpacity: 0.6 }),
      Plot.axisY({ fill: (d: string) => groupColour(groupOf.get(d) ?? ''), fontWeight: 600, label: null }),
    ],
  });
}
