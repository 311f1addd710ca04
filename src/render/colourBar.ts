/**
 * The colour bar drawn beside every render: the map's gradient, its limits, the
 * threshold band (grey, not painted) and the label with units. Plain SVG text,
 * overlaid on the WebGL canvas by the render page and reused by the site.
 */
import type { ColourScale } from './colour';
import { colourLut } from './colour';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Compact number for tick labels: 3 significant digits, no exponent for usual ranges. */
export function tickLabel(x: number): string {
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1e4 || a < 1e-3) return x.toExponential(1);
  return String(Number(x.toPrecision(3)));
}

export function colourBarSvg(scale: ColourScale, width: number, height: number): string {
  const lut = colourLut(scale.map);
  const barH = Math.max(5, Math.round(height * 0.3));
  const pad = Math.round(width * 0.06);
  const barW = width - 2 * pad;
  const font = Math.max(7, Math.round(height * 0.17));
  const stops: string[] = [];
  for (let k = 0; k <= 16; k++) {
    const i = Math.round((k / 16) * 255) * 3;
    stops.push(`<stop offset="${(k / 16).toFixed(4)}" stop-color="rgb(${lut[i]},${lut[i + 1]},${lut[i + 2]})"/>`);
  }
  const x = (v: number) => pad + ((v - scale.min) / (scale.max - scale.min)) * barW;
  // The band of values left unpainted.
  let band = '';
  if (scale.threshold > 0) {
    const lo = scale.map === 'RdBu_r' ? x(-scale.threshold) : x(scale.min);
    const hi = x(scale.threshold);
    band = `<rect x="${lo.toFixed(1)}" y="0" width="${Math.max(0, hi - lo).toFixed(1)}" height="${barH}" fill="#999"/>`;
  }
  const ticks = scale.map === 'RdBu_r' ? [scale.min, 0, scale.max] : [scale.min, scale.max];
  const tickText = ticks
    .map((v, i) => {
      const anchor = i === 0 ? 'start' : i === ticks.length - 1 ? 'end' : 'middle';
      const tx = i === 0 ? pad : i === ticks.length - 1 ? pad + barW : x(v);
      return `<text x="${tx.toFixed(1)}" y="${barH + font}" text-anchor="${anchor}">${tickLabel(v)}</text>`;
    })
    .join('');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="${font}" fill="#222">` +
    `<defs><linearGradient id="cb-${scale.map}" x1="0" x2="1" y1="0" y2="0">${stops.join('')}</linearGradient></defs>` +
    `<rect x="${pad}" y="0" width="${barW}" height="${barH}" fill="url(#cb-${scale.map})" stroke="#444" stroke-width="0.5"/>` +
    band +
    tickText +
    `<text x="${width / 2}" y="${barH + 2 * font + 2}" text-anchor="middle">${esc(scale.label)}</text>` +
    `</svg>`
  );
}
