import { describe, expect, it } from 'vitest';
import type { ColourScale } from '../../src/render/colour';
import { absQuantile, colourLut, colourOf, extent, paintVertices, sulcGrey } from '../../src/render/colour';
import { colourBarSvg, tickLabel } from '../../src/render/colourBar';

const signed: ColourScale = { map: 'RdBu_r', min: -2, max: 2, threshold: 0.5, label: 'x (units)' };
const magnitude: ColourScale = { map: 'viridis', min: 1, max: 3, threshold: 0, label: 'norm' };

describe('colour maps', () => {
  it('viridis runs from #440154 to #fde725 (matplotlib endpoints)', () => {
    const lut = colourLut('viridis');
    expect([...lut.slice(0, 3)]).toEqual([0x44, 0x01, 0x54]);
    expect([...lut.slice(255 * 3)]).toEqual([0xfd, 0xe7, 0x25]);
    expect(colourOf(1, magnitude)).toEqual([0x44, 0x01, 0x54]);
    expect(colourOf(3, magnitude)).toEqual([0xfd, 0xe7, 0x25]);
    // Beyond the limits the colour saturates.
    expect(colourOf(10, magnitude)).toEqual([0xfd, 0xe7, 0x25]);
  });

  it('signed values: +limit is ColorBrewer RdBu dark red #67001f, −limit dark blue #053061, zero near white', () => {
    expect(colourOf(2, signed)).toEqual([0x67, 0x00, 0x1f]);
    expect(colourOf(-2, signed)).toEqual([0x05, 0x30, 0x61]);
    expect(colourOf(-5, signed)).toEqual([0x05, 0x30, 0x61]);
    const mid = colourLut('RdBu_r').slice(127 * 3, 128 * 3);
    for (const c of mid) expect(c).toBeGreaterThan(230);
  });

  it('under the threshold (in magnitude) and NaN are not painted', () => {
    expect(colourOf(0.49, signed)).toBeNull();
    expect(colourOf(-0.49, signed)).toBeNull();
    expect(colourOf(0.5, signed)).not.toBeNull();
    expect(colourOf(-0.5, signed)).not.toBeNull();
    expect(colourOf(Number.NaN, signed)).toBeNull();
    expect(colourOf(0.9, { ...magnitude, threshold: 1 })).toBeNull();
  });

  it('paints a vertex its colour, or its sulcal grey (deep sulci darker than gyri)', () => {
    const rgb = paintVertices([2, 0.1, Number.NaN], [0, 3, -3], signed);
    expect([...rgb.slice(0, 3)]).toEqual([0x67, 0x00, 0x1f]);
    const deep = sulcGrey(3);
    const crown = sulcGrey(-3);
    expect([...rgb.slice(3, 6)]).toEqual([deep, deep, deep]);
    expect([...rgb.slice(6, 9)]).toEqual([crown, crown, crown]);
    expect(deep).toBeLessThan(crown);
    expect(sulcGrey(0)).toBe(150);
  });

  it('symmetric limit from a quantile of |x|, extent of finite values', () => {
    const xs = Array.from({ length: 100 }, (_, i) => (i % 2 ? -1 : 1) * (i + 1));
    expect(absQuantile(xs, 0.99)).toBe(100);
    expect(absQuantile(xs, 0.5)).toBe(51);
    expect(extent([3, Number.NaN, -1, Infinity, 2])).toEqual([-1, 3]);
  });

  it('the colour bar names its units, limits and the zero of a signed map', () => {
    const svg = colourBarSvg(signed, 300, 50);
    expect(svg).toContain('x (units)');
    expect(svg).toContain('>-2<');
    expect(svg).toContain('>0<');
    expect(svg).toContain('>2<');
    // The unpainted band |x| < 0.5 spans a quarter of the bar.
    const band = svg.match(/<rect x="([\d.]+)" y="0" width="([\d.]+)"[^>]*fill="#999"/);
    expect(band).not.toBeNull();
    expect(Number(band![2])).toBeCloseTo((300 - 2 * 18) / 4, 0);
    expect(tickLabel(0.664213)).toBe('0.664');
  });
});
