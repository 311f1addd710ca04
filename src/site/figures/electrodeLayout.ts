/**
 * The virtual electrodes seen from above: montage x (left → right) and y
 * (back → front) in mm, coloured by the decoder's electrode group, labelled.
 */
import * as Plot from '@observablehq/plot';
import { renderPlot } from './plot';

export const GROUP_COLOURS: Record<string, string> = {
  frontal: '#f39c12',
  central: '#e74c3c',
  temporal: '#3498db',
  parietal: '#2ecc71',
  occipital: '#9b59b6',
};

export function electrodeLayoutFigure(electrodes: Array<{ label: string; group: string; position: number[] }>): string {
  const rows = electrodes.map((e) => ({ label: e.label, group: e.group, x: e.position[0], y: e.position[1] }));
  const groups = Object.keys(GROUP_COLOURS).filter((g) => rows.some((r) => r.group === g));
  const r = Math.max(...rows.map((p) => Math.hypot(p.x, p.y))) + 12;
  const outline = Array.from({ length: 73 }, (_, k) => ({ x: r * Math.cos((k * Math.PI) / 36), y: r * Math.sin((k * Math.PI) / 36) }));
  const nose = [{ x: -10, y: r - 1 }, { x: 0, y: r + 10 }, { x: 10, y: r - 1 }];
  return renderPlot({
    width: 420,
    height: 440,
    aspectRatio: 1,
    inset: 10,
    x: { label: 'x (mm, left → right)', domain: [-r - 5, r + 5] },
    y: { label: 'y (mm, back → front)', domain: [-r - 5, r + 15] },
    color: { domain: groups, range: groups.map((g) => GROUP_COLOURS[g]), legend: true },
    marks: [
      Plot.line(outline, { x: 'x', y: 'y', stroke: '#999' }),
      Plot.line(nose, { x: 'x', y: 'y', stroke: '#999' }),
      Plot.dot(rows, { x: 'x', y: 'y', fill: 'group', r: 9, stroke: 'white' }),
      Plot.text(rows, { x: 'x', y: 'y', text: 'label', dy: -15, fontSize: 11 }),
    ],
  });
}
