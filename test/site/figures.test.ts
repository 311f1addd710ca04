/**
 * Figures are plain functions from results to SVG: checked here on the
 * committed program file and on a hand-made feature set, by counting what the
 * SVG draws against what the data says it should.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SUBNETWORK_COLOURS } from '../../src/cortex/program';
import type { ProgramReport } from '../../src/pipeline/program';
import type { ResultsFile } from '../../src/pipeline/results';
import { OPERATOR_CODES, connectivityFigure } from '../../src/site/figures/connectivity';
import { featureMaskFigure, maskRuns } from '../../src/site/figures/featureMask';
import { finalBarsFigure } from '../../src/site/figures/finalBars';
import { REPO_ROOT } from '../support';

const program = (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'experiments/program.json'), 'utf8')) as ProgramReport).results;
const count = (s: string, re: RegExp) => (s.match(re) ?? []).length;

describe('feature mask figure', () => {
  it('draws runs that cover exactly the allowed cells', () => {
    const rows = ['0110', '1111', '0000', '1001'];
    expect(maskRuns(rows)).toEqual([
      { row: 0, start: 1, end: 3 },
      { row: 1, start: 0, end: 4 },
      { row: 3, start: 0, end: 1 },
      { row: 3, start: 3, end: 4 },
    ]);
    const mask = program.masks.find((m) => m.features === 135)!;
    const runs = maskRuns(mask.rows);
    expect(runs.reduce((a, r) => a + r.end - r.start, 0)).toBe(mask.connections);
    const svg = featureMaskFigure(mask, program);
    expect(count(svg, /<rect [^>]*fill="#/g)).toBe(runs.length);
  });
});

describe('connectivity figure', () => {
  const svg = connectivityFigure(program);
  it('has one cell per region pair and one operator code per declared pathway', () => {
    const cells = svg.slice(svg.indexOf('aria-label="cell"'), svg.indexOf('aria-label="text"'));
    expect(count(cells, /<rect /g)).toBe(program.regionPairs);
    const texts = svg.slice(svg.indexOf('aria-label="text"'));
    const codes = [...texts.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    for (const [op, code] of Object.entries(OPERATOR_CODES)) {
      expect(codes.filter((c) => c === code).length, op).toBe(program.pathways.filter((p) => p.op === op).length);
    }
  });
  it('colours each axis label by its sub-network', () => {
    for (const r of program.regions) {
      const colour = SUBNETWORK_COLOURS[r.group as keyof typeof SUBNETWORK_COLOURS];
      // Once on the x axis and once on the y axis.
      expect(count(svg, new RegExp(`fill="${colour}"[^>]*>${r.id.replace('.', '\\.')}<`, 'g')), r.id).toBe(2);
    }
  });
});

describe('final-metric bars', () => {
  type FeatureSet = ResultsFile['results']['featureSets'][number];
  const model = (name: string, r2: number, sd: number, cv?: { meanR2: number; sdR2: number; pooledR2: number }) =>
    ({ name, label: name.toUpperCase(), kind: 'canvas', parameters: 1, connections: null, studySplit: { finalR2: { mean: r2, sd }, peakR2: { mean: r2, sd: 0 }, finalValLoss: { mean: 1, sd: 0 }, runs: [] }, crossValidation: cv ? { seed: 1, folds: [], ...cv } : null }) as unknown as FeatureSet['models'][number];
  it('draws an interval only where there is a spread, and a pooled tick per cross-validated model', () => {
    const set = { name: 's', features: 3, models: [model('a', 0.5, 0), model('b', 0.25, 0.05, { meanR2: 0.1, sdR2: 0.2, pooledR2: 0.3 })] } as unknown as FeatureSet;
    const svg = finalBarsFigure(set);
    // The mark group with the given aria-label, up to the next mark.
    const group = (label: string) => {
      const start = svg.indexOf(`aria-label="${label}"`);
      return svg.slice(start, svg.indexOf('aria-label=', start + 1));
    };
    // Intervals: b on the split (sd over seeds) and b over the folds; a has no spread.
    expect(count(group('rule'), /<line /g)).toBe(2);
    expect(count(group('tick'), /<line /g)).toBe(1);
    for (const v of ['0.500', '0.250', '0.100']) expect(svg).toContain(`>${v}<`);
  });
});
