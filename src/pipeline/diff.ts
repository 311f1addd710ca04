/**
 * Compares the results files of two revisions metric by metric. Results are
 * flattened into readable paths (`exp2 › roi135 › cortical › studySplit.finalR2.mean`),
 * keying arrays by the name, id or seed of their elements rather than by index,
 * so a reordered list does not read as a change.
 */
export interface MetricChange {
  experiment: string;
  metric: string;
  old: number | null;
  new: number | null;
  delta: number | null;
}

/** Parts of a results file that are not metrics: what produced it, and the program's static description. */
const NOT_METRICS = new Set(['provenance', 'program', 'stimuli']);
/** Long per-step or per-region series: compared only with `all`. */
const SERIES = new Set(['curve', 'regionMse', 'folds']);

function elementKey(item: unknown, index: number): string {
  if (item && typeof item === 'object') {
    const o = item as Record<string, unknown>;
    for (const k of ['name', 'id', 'heldOut']) if (typeof o[k] === 'string') return o[k] as string;
    if (typeof o.seed === 'number') return `seed ${o.seed}`;
    if (typeof o.step === 'number') return `step ${o.step}`;
  }
  return String(index);
}

export function flattenMetrics(results: unknown, opts: { all?: boolean } = {}): Map<string, number> {
  const out = new Map<string, number>();
  const walk = (value: unknown, path: string[]) => {
    if (typeof value === 'number') {
      out.set(path.join('.'), value);
      return;
    }
    if (Array.isArray(value)) {
      value.forEach((item, i) => walk(item, [...path, `[${elementKey(item, i)}]`]));
      return;
    }
    if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        if (path.length === 0 && NOT_METRICS.has(k)) continue;
        if (!opts.all && SERIES.has(k)) continue;
        walk(v, [...path, k]);
      }
    }
  };
  walk(results, []);
  return out;
}

/** A readable name: `[roi135].models.[cortical].studySplit…` → `roi135 › cortical › studySplit…`. */
export function prettyMetric(path: string): string {
  return path
    .replace(/^featureSets\./, '')
    .replace(/\.models\./g, '.')
    .replace(/\[([^\]]+)\]\./g, '$1 › ')
    .replace(/\[([^\]]+)\]/g, '$1');
}

export function diffResults(experiment: string, before: unknown, after: unknown, opts: { all?: boolean; tolerance?: number } = {}): MetricChange[] {
  const a = before ? flattenMetrics((before as { results?: unknown }).results, opts) : new Map<string, number>();
  const b = after ? flattenMetrics((after as { results?: unknown }).results, opts) : new Map<string, number>();
  const tolerance = opts.tolerance ?? 0;
  const changes: MetricChange[] = [];
  for (const key of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    const o = a.has(key) ? a.get(key)! : null;
    const n = b.has(key) ? b.get(key)! : null;
    if (o !== null && n !== null && Math.abs(n - o) <= tolerance) continue;
    changes.push({ experiment, metric: prettyMetric(key), old: o, new: n, delta: o !== null && n !== null ? n - o : null });
  }
  return changes;
}

/** A metric value as the diff prints it (4 significant digits; — where absent). */
export const formatValue = (x: number | null) => (x === null ? '—' : Number.isInteger(x) ? String(x) : x.toPrecision(4));
/** A change with its sign (3 significant digits). */
export const formatDelta = (x: number | null) => (x === null ? '—' : `${x > 0 ? '+' : ''}${Number.isInteger(x) ? x : x.toPrecision(3)}`);
const num = formatValue;
const signed = formatDelta;

export function formatTable(changes: MetricChange[]): string {
  if (changes.length === 0) return 'no metric changed\n';
  const rows = [['experiment', 'metric', 'old', 'new', 'delta'], ...changes.map((c) => [c.experiment, c.metric, num(c.old), num(c.new), signed(c.delta)])];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((cell, i) => (i >= 2 ? cell.padStart(widths[i]) : cell.padEnd(widths[i]))).join('  ');
  return `${[line(rows[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n')}\n`;
}

export function formatMarkdown(changes: MetricChange[]): string {
  if (changes.length === 0) return 'No metric changed.\n';
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  return `| experiment | metric | old | new | delta |\n|---|---|---:|---:|---:|\n${changes.map((c) => `| ${esc(c.experiment)} | ${esc(c.metric)} | ${num(c.old)} | ${num(c.new)} | ${signed(c.delta)} |`).join('\n')}\n`;
}
