/** Reads the comparison with the baseline commit that the build wrote (pages only lay it out). */
import fs from 'node:fs';
import { comparisonPath, type Comparison } from '../pipeline/comparison';

export function readComparison(): Comparison | undefined {
  const file = comparisonPath(process.cwd());
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as Comparison) : undefined;
}
