/**
 * The comparison the site shows: every metric of this build's results files
 * against the results committed at a baseline revision (default HEAD, i.e. what
 * this build changed; `--baseline REV` or BASELINE_REV for a release tag or the
 * last published commit). Written by the build, read by the site, never committed.
 */
import path from 'node:path';
import { InputError } from '../data/errors';
import { writeFileAtomic } from '../util/atomic';
import { stableStringify } from '../util/json';
import type { MetricChange } from './diff';
import { diffRevisions, resolveRevision, WORKING_TREE } from './revisions';

export interface Comparison {
  baseline: string;
  /** The commit the baseline resolved to, or null when it could not be read. */
  baselineCommit: string | null;
  changes: MetricChange[];
  /** Why there is no comparison (a shallow clone, no git, an unknown revision). */
  unavailable?: string;
}

/** Where the build leaves the comparison for the site (`COMPARISON_FILE` overrides it). */
export function comparisonPath(root: string, env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(root, env.COMPARISON_FILE || '.cache/site/comparison.json');
}

export function compareWithBaseline(root: string, baseline: string, resultsDir = 'experiments'): Comparison {
  // Results written outside the repository (--out elsewhere) have no committed counterpart to compare with.
  if (path.isAbsolute(resultsDir) || resultsDir.split(/[/\\]/)[0] === '..') {
    return { baseline, baselineCommit: null, changes: [], unavailable: `the results folder ${resultsDir} is outside the repository` };
  }
  try {
    const commit = resolveRevision(root, baseline);
    return { baseline, baselineCommit: commit, changes: diffRevisions(root, commit, WORKING_TREE, { dir: resultsDir }) };
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    return { baseline, baselineCommit: null, changes: [], unavailable: e.message };
  }
}

export function writeComparison(file: string, comparison: Comparison): void {
  writeFileAtomic(file, stableStringify(comparison));
}
