/** Held-out accuracy against the number of training stimuli, one line per model. */
import * as Plot from '@observablehq/plot';
import { modelColour } from '../colours';
import { renderPlot } from './plot';

export interface CurvePoints {
  name: string;
  label: string;
  points: Array<{ trainSize: number; accuracy: number; balancedAccuracy: number }>;
}

export function learningCurveFigure(curves: CurvePoints[], chance: number): string {
  const rows = curves.flatMap((c) => c.points.map((p) => ({ model: c.label, trainSize: p.trainSize, value: 100 * p.balancedAccuracy })));
  return renderPlot({
    width: 720,
    height: 320,
    marginLeft: 50,
    x: { label: 'training stimuli per fold (mean over folds)', grid: true },
    y: { label: 'held-out balanced accuracy (%)', domain: [0, 100], grid: true },
    color: { domain: curves.map((c) => c.label), range: curves.map((c) => modelColour(c.name)), legend: true },
    marks: [
      Plot.ruleY([100 * chance], { stroke: '#555', strokeDasharray: '4,3' }),
      Plot.lineY(rows, { x: 'trainSize', y: 'value', stroke: 'model', strokeWidth: 2 }),
      Plot.dot(rows, { x: 'trainSize', y: 'value', fill: 'model', r: 3 }),
    ],
  });
}
