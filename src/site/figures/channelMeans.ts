/** Mean channel value per class (raw TRIBE v2 units), electrodes in decoder-group order. */
import * as Plot from '@observablehq/plot';
import { renderPlot } from './plot';

const CLASS_COLOURS = ['#e41a1c', '#377eb8', '#4daf4a', '#984ea3', '#ff7f00', '#a65628', '#f781bf', '#999999'];

export function channelMeansFigure(electrodes: string[], classes: string[], means: number[][]): string {
  const rows = means.flatMap((row, c) => row.map((v, e) => ({ electrode: electrodes[e], cls: classes[c], value: v })));
  return renderPlot({
    width: 720,
    height: 320,
    marginLeft: 60,
    x: { label: 'electrode', domain: electrodes },
    y: { label: 'mean channel value (TRIBE v2 units)', grid: true },
    color: { domain: classes, range: CLASS_COLOURS.slice(0, classes.length), legend: true },
    marks: [
      Plot.ruleY([0], { stroke: '#999' }),
      Plot.line(rows, { x: 'electrode', y: 'value', stroke: 'cls', z: 'cls', strokeOpacity: 0.5 }),
      Plot.dot(rows, { x: 'electrode', y: 'value', fill: 'cls', r: 3.5 }),
    ],
  });
}
