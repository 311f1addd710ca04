/** Permutation importance per region: the held-out accuracy lost when that region's inputs are shuffled. */
import * as Plot from '@observablehq/plot';
import { groupColour } from '../colours';
import { renderPlot } from './plot';

export function regionImportanceFigure(regions: Array<{ region: string; group: string; drop: number; sd: number }>): string {
  const rows = regions.map((r) => ({ ...r, value: 100 * r.drop, lo: 100 * (r.drop - r.sd), hi: 100 * (r.drop + r.sd) }));
  const groups = [...new Set(rows.map((r) => r.group))];
  return renderPlot({
    width: 720,
    height: 40 + 22 * rows.length,
    marginLeft: 200,
    x: { label: 'accuracy lost when the region is shuffled (percentage points)', grid: true },
    y: { label: null, domain: rows.map((r) => r.region) },
    color: { domain: groups, range: groups.map(groupColour), legend: true },
    marks: [
      Plot.ruleX([0], { stroke: '#333' }),
      Plot.barX(rows, { y: 'region', x: 'value', fill: 'group' }),
      Plot.ruleY(rows, { y: 'region', x1: 'lo', x2: 'hi', stroke: '#333' }),
    ],
  });
}
