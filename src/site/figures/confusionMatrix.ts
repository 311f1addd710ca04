/** A confusion matrix: true class down, predicted class across, counts in the cells, shaded by row share. */
import * as Plot from '@observablehq/plot';
import { renderPlot } from './plot';

export function confusionMatrixFigure(classes: string[], counts: number[][], title: string): string {
  const cells = counts.flatMap((row, i) => {
    const total = row.reduce((a, b) => a + b, 0);
    return row.map((n, j) => ({ truth: classes[i], predicted: classes[j], n, share: total ? n / total : 0 }));
  });
  return renderPlot({
    width: 330,
    height: 300,
    marginLeft: 80,
    marginBottom: 60,
    title,
    x: { label: 'predicted', domain: classes, tickRotate: -30 },
    y: { label: 'true class', domain: classes },
    color: { type: 'linear', domain: [0, 1], range: ['#ffffff', '#2c7fb8'] },
    marks: [
      Plot.cell(cells, { x: 'predicted', y: 'truth', fill: 'share', stroke: '#ddd' }),
      Plot.text(cells, { x: 'predicted', y: 'truth', text: 'n', fill: (d: { share: number }) => (d.share > 0.6 ? 'white' : 'black') }),
    ],
  });
}
