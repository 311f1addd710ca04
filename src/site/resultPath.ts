/**
 * Results paths: how prose, claims and tables name one value of a results file.
 *
 *   exp2.featureSets[name=roi135].models[name=cortical].studySplit.finalR2.mean
 *   program.regions.length
 *   program.masks[features=135].density
 *
 * The first segment is the results file (`experiments/<id>.json`). Then `.key`
 * steps into an object, `[field=value]` picks the one array element whose
 * `field` equals `value` (never a position: positions change when a model is
 * added), and `.length` counts an array. Keys are looked up in the file's
 * `results` object first, then at the top level (`exp2.provenance.seeds`).
 */
import fs from 'node:fs';
import path from 'node:path';
import { RESULTS_DIR, resultsPath } from './results';

export type Segment = { kind: 'key'; key: string } | { kind: 'select'; field: string; value: string };

export interface ResultPath {
  file: string;
  segments: Segment[];
}

/** A path that is malformed or names nothing; the message says which part failed. */
export class ResultPathError extends Error {
  constructor(
    readonly resultPath: string,
    readonly reason: string,
  ) {
    super(`results path "${resultPath}": ${reason}`);
    this.name = 'ResultPathError';
  }
}

const KEY = /^[A-Za-z_][A-Za-z0-9_-]*/;

export function parseResultPath(text: string): ResultPath {
  const fail = (reason: string): never => {
    throw new ResultPathError(text, reason);
  };
  const head = /^([a-z][a-z0-9-]*)/.exec(text);
  if (!head) fail('must start with a results file id, e.g. exp2');
  const file = head![1];
  const segments: Segment[] = [];
  let rest = text.slice(file.length);
  while (rest.length > 0) {
    if (rest[0] === '.') {
      const m = KEY.exec(rest.slice(1));
      if (!m) fail(`expected a key after "." at "${rest}"`);
      segments.push({ kind: 'key', key: m![0] });
      rest = rest.slice(1 + m![0].length);
    } else if (rest[0] === '[') {
      const m = /^\[([A-Za-z_][A-Za-z0-9_]*)=([^\]]+)\]/.exec(rest);
      if (!m) fail(`expected [field=value] at "${rest}" (elements are chosen by a field, not by position)`);
      segments.push({ kind: 'select', field: m![1], value: m![2] });
      rest = rest.slice(m![0].length);
    } else {
      fail(`unexpected "${rest[0]}" at "${rest}"`);
    }
  }
  if (segments.length === 0) fail('names a whole file; add the key of a value');
  return { file, segments };
}

function describe(file: string, segments: Segment[]): string {
  return file + segments.map((s) => (s.kind === 'key' ? `.${s.key}` : `[${s.field}=${s.value}]`)).join('');
}

/** Follows the path through a parsed results file. */
export function resolveInObject(root: unknown, parsed: ResultPath, text = describe(parsed.file, parsed.segments)): unknown {
  let here: unknown = root;
  const first = parsed.segments[0];
  if (first.kind === 'key' && isObject(root) && isObject(root.results) && first.key in root.results) here = root.results;
  for (let i = 0; i < parsed.segments.length; i++) {
    const seg = parsed.segments[i];
    const at = describe(parsed.file, parsed.segments.slice(0, i));
    if (seg.kind === 'key') {
      if (Array.isArray(here) && seg.key === 'length') {
        here = here.length;
      } else if (isObject(here) && !Array.isArray(here) && Object.hasOwn(here, seg.key)) {
        here = here[seg.key];
      } else {
        if (here === null || here === undefined) throw new ResultPathError(text, `${at} is null (the build recorded nothing there), so it has no "${seg.key}"`);
        const keys = isObject(here) && !Array.isArray(here) ? Object.keys(here) : [];
        throw new ResultPathError(text, `${at} has no "${seg.key}"${keys.length ? ` (it has: ${keys.slice(0, 12).join(', ')}${keys.length > 12 ? ', …' : ''})` : Array.isArray(here) ? ' (it is a list: pick an element with [field=value])' : ''}`);
      }
    } else {
      if (!Array.isArray(here)) throw new ResultPathError(text, `${at} is not a list, so [${seg.field}=${seg.value}] cannot pick from it`);
      const matches = here.filter((el) => isObject(el) && el[seg.field] !== undefined && String(el[seg.field]) === seg.value);
      if (matches.length === 0) {
        const have = here.filter(isObject).map((el) => el[seg.field]).filter((v) => v !== undefined);
        throw new ResultPathError(text, `${at} has no element with ${seg.field}=${seg.value}${have.length ? ` (have: ${have.slice(0, 12).join(', ')})` : ''}`);
      }
      if (matches.length > 1) throw new ResultPathError(text, `${at} has ${matches.length} elements with ${seg.field}=${seg.value}; choose a field that names one`);
      here = matches[0];
    }
  }
  return here;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

/** Reads `experiments/<id>.json` (or `$RESULTS_DIR/<id>.json`) as plain JSON. */
export function readResultsJson(id: string): unknown {
  const file = resultsPath(id);
  if (!fs.existsSync(file)) {
    throw new ResultPathError(id, `results file ${path.relative(process.cwd(), file) || file} does not exist (results folder: ${path.relative(process.cwd(), RESULTS_DIR) || '.'})`);
  }
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/** The value a path names in the results files on disk. */
export function resolveResultPath(text: string, read: (id: string) => unknown = readResultsJson): unknown {
  const parsed = parseResultPath(text);
  let root: unknown;
  try {
    root = read(parsed.file);
  } catch (e) {
    if (e instanceof ResultPathError) throw new ResultPathError(text, e.reason);
    throw e;
  }
  return resolveInObject(root, parsed, text);
}

export interface FormatOptions {
  /** Digits after the point (fixed notation), or in the mantissa for `exp`. */
  digits?: number;
  /** `int`: grouped integer; `percent`: a fraction shown ×100 with %; `exp`: scientific. */
  format?: 'int' | 'percent' | 'exp' | 'fixed';
}

/** A value as it appears on the page. Only numbers and strings are values. */
export function formatResult(value: unknown, opts: FormatOptions, text: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value !== 'number') {
    throw new ResultPathError(text, value === null ? 'is null (the build recorded no value)' : Array.isArray(value) ? 'is a list, not a value (add [field=value] or .length)' : 'is an object, not a value (add the key of a value)');
  }
  if (!Number.isFinite(value)) throw new ResultPathError(text, `is ${value}`);
  switch (opts.format) {
    case 'percent':
      return `${(value * 100).toFixed(opts.digits ?? 1)}%`;
    case 'exp':
      return value.toExponential(opts.digits ?? 3);
    case 'int':
      return Math.round(value).toLocaleString('en-US');
    case 'fixed':
      return value.toFixed(opts.digits ?? 3);
    default:
      if (opts.digits !== undefined) return value.toFixed(opts.digits);
      return Number.isInteger(value) ? value.toLocaleString('en-US') : value.toFixed(3);
  }
}
