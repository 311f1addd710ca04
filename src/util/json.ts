/**
 * Diff-friendly JSON: keys sorted, floats rounded to 6 significant digits,
 * two-space indentation, trailing newline. Two runs with equal results give
 * byte-identical files, and a changed metric shows as a one-line diff.
 */
export function stableStringify(value: unknown): string {
  return `${JSON.stringify(normalise(value), null, 2)}\n`;
}

function normalise(value: unknown): unknown {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return null;
    return Number.isInteger(value) ? value : Number(value.toPrecision(6));
  }
  if (Array.isArray(value)) return value.map(normalise);
  if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<number>, normalise);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = normalise(v);
    }
    return out;
  }
  return value;
}

/** JSON with object keys sorted at every level, no whitespace: the input of content hashes. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    const s = JSON.stringify(value);
    return s === undefined ? 'null' : s;
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}
