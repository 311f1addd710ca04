/**
 * The 23 × 23 region graph: row = the region that reads, column = the region
 * read. Fill = connection weight; declared pathways carry their operator's
 * code, structural edges (self-loops, hierarchy, residual hub) a dot. Axis
 * labels take their sub-network's colour.
 */
import * as Plot from '@observablehq/plot';
import type { ProgramReport } from '../../pipeline/program';
import { groupColour } from '../colours';
import { renderPlot } from './plot';

/** Short codes for operators in cells (two letters where one would be ambiguous). */
export const OPERATOR_CODES: Record<string, string> = {
  predict: 'P',
  correct: 'C',
  observe: 'O',
  integrate: 'I',
  retrieve: 'R',
  act: 'Ac',
  attend: 'At',
  emit_residual: 'E',
};

export function connectivityFigure(program: ProgramReport['results']): string {
  const ids = program.regions.map((r) => r.id);
  const groupOf = new Map(program.regions.map((r) => [r.id, r.group]));
  const colour = (d: string) => groupColour(groupOf.get(d) ?? '');
  const weights = [...new Set(program.edges.map((e) => e.weight))].sort((a, b) => a - b);
  const cells = program.edges.map((e) => ({ ...e, code: e.op ? (OPERATOR_CODES[e.op] ?? e.op) : '·' }));
  return renderPlot({
    width: 760,
    height: 760,
    marginLeft: 190,
    marginBottom: 190,
    marginTop: 10,
    padding: 0.06,
    x: { domain: ids, label: 'region read (source)', tickRotate: -90 },
    y: { domain: ids, label: 'region that reads', labelAnchor: 'top' },
    // Ordinal, so the legend is swatches (a continuous ramp needs a canvas, which a server-side DOM lacks).
    color: { type: 'ordinal', domain: weights, scheme: 'orrd', label: 'weight', legend: true, tickFormat: (w: number) => `weight ${w}` },
    marks: [
      Plot.frame({ stroke: '#ccc' }),
      Plot.cell(cells, { x: 'source', y: 'reader', fill: 'weight', title: (d: (typeof cells)[number]) => `${d.reader} reads ${d.source}: ${d.op ?? d.kind}, weight ${d.weight}` }),
      Plot.text(cells, { x: 'source', y: 'reader', text: 'code', fontSize: 9, fill: (d: (typeof cells)[number]) => (d.weight > 0.7 ? 'white' : 'black') }),
      Plot.axisX({ tickRotate: -90, fill: colour, fontWeight: 600, label: 'region read (source)', labelAnchor: 'center' }),
      Plot.axisY({ fill: colour, fontWeight: 600, label: 'region that reads', labelAnchor: 'center' }),
    ],
  });
}
