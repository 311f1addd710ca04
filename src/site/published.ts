/**
 * The files the site publishes beside its pages, so every figure can link to
 * the results file and the definition that made it: `results/<id>.json` (a
 * copy of experiments/<id>.json) and `definitions/<name>` (the experiment
 * definitions and the declared cortical program, as plain text).
 */
import fs from 'node:fs';
import path from 'node:path';
import { RESULTS_DIR } from './results';

const DEFINITIONS_DIR = 'content/experiments';
/** Repository path → published name, for definitions that are not experiment YAML. */
const EXTRA_DEFINITIONS: Record<string, string> = { 'src/cortex/program.ts': 'cortical-program.ts.txt' };

const base = () => (import.meta.env?.BASE_URL ?? '/').replace(/\/$/, '');

export function publishedResults(): string[] {
  if (!fs.existsSync(RESULTS_DIR)) return [];
  return fs.readdirSync(RESULTS_DIR).filter((f) => f.endsWith('.json')).map((f) => f.replace(/\.json$/, '')).sort();
}

/** Published name → repository path of every definition. */
export function publishedDefinitions(): Record<string, string> {
  const out: Record<string, string> = {};
  const dir = path.resolve(DEFINITIONS_DIR);
  if (fs.existsSync(dir)) for (const f of fs.readdirSync(dir).filter((x) => /\.ya?ml$/.test(x))) out[f] = `${DEFINITIONS_DIR}/${f}`;
  for (const [repoPath, name] of Object.entries(EXTRA_DEFINITIONS)) out[name] = repoPath;
  return out;
}

export function resultsHref(id: string): string {
  return `${base()}/results/${id}.json`;
}

/** Link to a definition given by its repository path (as results provenance records it). */
export function definitionHref(repoPath: string): string {
  const name = EXTRA_DEFINITIONS[repoPath] ?? path.basename(repoPath);
  return `${base()}/definitions/${name}`;
}
