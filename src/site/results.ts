/**
 * Reads the results files the pipeline wrote. Pages only read and lay out; a
 * missing or stale file stops the site build with the path named.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ProtocolResults, ResultsFile } from '../pipeline/results';

/** `RESULTS_DIR` lets a test build the site from results written elsewhere. */
export const RESULTS_DIR = path.resolve(process.cwd(), process.env.RESULTS_DIR || 'experiments');

export function resultsPath(id: string): string {
  return path.join(RESULTS_DIR, `${id}.json`);
}

export function readResults<R extends ProtocolResults = ResultsFile['results']>(id: string): ResultsFile<R> {
  const file = resultsPath(id);
  if (!fs.existsSync(file)) {
    throw new Error(`${path.relative(process.cwd(), file)}: results file missing; run \`npm run build\` (which runs the pipeline before the site)`);
  }
  return JSON.parse(fs.readFileSync(file, 'utf8')) as ResultsFile<R>;
}

export function hasResults(id: string): boolean {
  return fs.existsSync(resultsPath(id));
}

/** A proportion as a percentage with one decimal. */
export function pct(value: number | null | undefined, digits = 1): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return `${(100 * value).toFixed(digits)}%`;
}

/** A 95% interval of proportions, as percentages. */
export function pctInterval(interval: [number, number] | null | undefined): string {
  return interval ? `${pct(interval[0])}–${pct(interval[1])}` : '—';
}

/** Fixed-precision formatting for tables. */
export function fmt(value: number | null | undefined, digits = 3): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return value.toFixed(digits);
}

export function fmtInt(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : value.toLocaleString('en-US');
}
