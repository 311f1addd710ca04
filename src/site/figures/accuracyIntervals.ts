/**
 * Accuracy and balanced accuracy per model, each with its 95% interval, beside
 * the chance level (1 / classes) and the majority-class rate.
 */
import * as Plot from '@observablehq/plot';
import { modelColour } from '../colours';
import { renderPlot } from './plot';

export interface ModelScore {
  name: string;
  label: string;
  accuracy: number;
  accuracyInterval: [number, number];
  balancedAccuracy: number;
  balancedAccuracyInterval: [number, number];
}

export function accuracyIntervalsFigure(models: ModelScore[], chance: number, majorityRate: number): string {
  const rows = models.flatMap((m) => [
    { model: m.label, name: m.name, metric: 'accuracy', value: m.accuracy, lo: m.accuracyInterval[0], hi: m.accuracyInterval[1] },
    { model: m.label, name: m.name, metric: 'balanced accuracy', value: m.balancedAccuracy, lo: m.balancedAccuracyInterval[0], hi: m.balancedAccuracyInterval[1] },
  ]);
  const refs = [
    { metric: 'accuracy', value: chance, what: `chance ${(100 * chance).toFixed(1)}%` },
    { metric: 'accuracy', value: majorityRate, what: `majority class ${(100 * majorityRate).toFixed(1)}%` },
    // Always answering one class scores exactly 1/classes in balanced accuracy.
    { metric: 'balanced accuracy', value: chance, what: `chance and majority class ${(100 * chance).toFixed(1)}%` },
  ];
  return renderPlot({
    width: 720,
    height: 60 + 34 * models.length * 2,
    marginLeft: 230,
    marginRight: 120,
    x: { label: 'held-out score (%)', domain: [0, 100], grid: true, percent: true },
    y: { label: null, domain: models.map((m) => m.label) },
    fy: { label: null, domain: ['accuracy', 'balanced accuracy'] },
    color: { domain: models.map((m) => m.label), range: models.map((m) => modelColour(m.name)) },
    marks: [
      Plot.ruleX(refs, { x: 'value', fy: 'metric', stroke: '#555', strokeDasharray: '4,3' }),
      Plot.text(refs, { x: 'value', fy: 'metric', text: 'what', frameAnchor: 'top', dy: -2, dx: 4, textAnchor: 'start', fill: '#555', fontSize: 10 }),
      Plot.ruleY(rows, { y: 'model', fy: 'metric', x1: 'lo', x2: 'hi', stroke: 'model', strokeWidth: 2 }),
      Plot.dot(rows, { y: 'model', fy: 'metric', x: 'value', fill: 'model', r: 4 }),
    ],
  });
}
