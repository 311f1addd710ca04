/**
 * The feature-level mask: row i, column j filled where feature i may read
 * feature j, in the colour of row i's sub-network. Runs of allowed cells are
 * drawn as one rectangle (a few hundred shapes rather than thousands), and
 * thin lines mark where each region's features start.
 */
import * as Plot from '@observablehq/plot';
import type { ProgramReport } from '../../pipeline/program';
import { groupColour } from '../colours';
import { renderPlot } from './plot';

type Mask = ProgramReport['results']['masks'][number];

/** Each maximal run of allowed cells in a row: `[start, end)` columns of row `row`. */
export function maskRuns(rows: string[]): Array<{ row: number; start: number; end: number }> {
  const runs: Array<{ row: number; start: number; end: number }> = [];
  rows.forEach((row, i) => {
    let j = 0;
    while (j < row.length) {
      if (row[j] === '1') {
        const start = j;
        while (j < row.length && row[j] === '1') j++;
        runs.push({ row: i, start, end: j });
      } else j++;
    }
  });
  return runs;
}

export function featureMaskFigure(mask: Mask, program: ProgramReport['results']): string {
  const groupOf = new Map(program.regions.map((r) => [r.id, r.group]));
  const runs = maskRuns(mask.rows).map((r) => ({ ...r, colour: groupColour(groupOf.get(mask.regionOf[r.row]) ?? '') }));
  const starts = mask.regionOf.flatMap((r, i) => (i > 0 && mask.regionOf[i - 1] !== r ? [i] : []));
  const n = mask.features;
  return renderPlot({
    width: 640,
    height: 640,
    marginLeft: 50,
    marginBottom: 40,
    marginTop: 10,
    x: { domain: [0, n], label: 'feature read (j)', ticks: 5 },
    y: { domain: [0, n], reverse: true, label: 'feature that reads (i)', ticks: 5 },
    marks: [
      Plot.frame({ stroke: '#999' }),
      Plot.rect(runs, { x1: 'start', x2: 'end', y1: 'row', y2: (d: { row: number }) => d.row + 1, fill: 'colour', inset: 0 }),
      Plot.ruleX(starts, { stroke: '#ddd', strokeWidth: 0.5 }),
      Plot.ruleY(starts, { stroke: '#ddd', strokeWidth: 0.5 }),
    ],
  });
}
