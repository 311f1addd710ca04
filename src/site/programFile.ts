/** Reads experiments/program.json, the compiled cortical program the pipeline wrote. */
import fs from 'node:fs';
import path from 'node:path';
import type { ProgramReport } from '../pipeline/program';
import { resultsPath } from './results';

export function hasProgramFile(): boolean {
  return fs.existsSync(resultsPath('program'));
}

export function readProgramFile(): ProgramReport {
  const file = resultsPath('program');
  if (!fs.existsSync(file)) throw new Error(`${path.relative(process.cwd(), file)}: missing; run \`npm run build\` (the pipeline writes it)`);
  return JSON.parse(fs.readFileSync(file, 'utf8')) as ProgramReport;
}
