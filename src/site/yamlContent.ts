/**
 * Content files in YAML checked against a zod schema, with every problem given
 * as `file:line: field: message` (the same form as experiment definitions).
 */
import fs from 'node:fs';
import { LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { InputError } from '../data/errors';

export interface LoadedYaml<T> {
  value: T;
  /** The line of a field, for errors found after parsing (e.g. a results path that names nothing). */
  lineOf: (path: Array<string | number>) => number | undefined;
}

export function loadYamlContent<S extends z.ZodTypeAny>(file: string, schema: S): LoadedYaml<z.infer<S>> {
  if (!fs.existsSync(file)) throw new InputError(file, 'not found');
  const text = fs.readFileSync(file, 'utf8');
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false });
  if (doc.errors.length > 0) throw new InputError(`${file}:${counter.linePos(doc.errors[0].pos[0]).line}`, `not valid YAML: ${doc.errors[0].message.split('\n')[0]}`);
  const lineOf = (p: Array<string | number>) => {
    for (let n = p.length; n >= 0; n--) {
      const node = doc.getIn(p.slice(0, n), true) as { range?: [number, number, number] } | undefined;
      if (node && typeof node === 'object' && node.range) return counter.linePos(node.range[0]).line;
    }
    return undefined;
  };
  const result = schema.safeParse(doc.toJS());
  if (!result.success) {
    const messages = result.error.issues.map((issue) => {
      const where = lineOf(issue.path);
      const field = issue.path.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? k : `.${k}`)).join('');
      const message = issue.code === 'unrecognized_keys' ? `unknown field(s) ${issue.keys.join(', ')}` : issue.message === 'Required' ? 'missing (required)' : issue.message;
      return `${file}${where ? `:${where}` : ''}: ${field || '(top level)'}: ${message}`;
    });
    throw new InputError(file, `invalid content\n  ${messages.join('\n  ')}`);
  }
  return { value: result.data, lineOf };
}
