/**
 * The results file of an experiment: one JSON per experiment under
 * `experiments/`, with what produced it. Written once, atomically, after the
 * whole experiment has succeeded.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import fs from 'node:fs';
import { stableStringify } from '../util/json';
import { writeFileAtomic } from '../util/atomic';
import type { BackendInfo } from '../models/backend';
import type { DynamicsResults } from './dynamics';
import type { BciResults } from './bci';
import type { ClassificationResults } from './classification';
import type { Experiment, LoadedDefinition } from './definition';
import type { GitState } from './git';
import { type Hardware, hardwareInfo } from './hardware';

export interface Provenance {
  definitionFile: string;
  definitionSha256: string;
  dataManifestSha256: string;
  backend: string;
  backendPackage: string;
  /** The project's fused training kernels, when they ran (see src/models/kernels). */
  backendKernels?: string;
  tfjsVersion: string;
  node: string;
  seeds: number[];
  git: GitState;
  /**
   * Wall-clock seconds per stage of the build that computed these numbers. A
   * later build that reproduces the same numbers keeps the file (and these
   * timings) as they are; training time per model is in the results themselves.
   */
  timings: Record<string, number>;
  /** The machine that took those timings (CPU, cores, memory; the backend is above). */
  hardware?: Hardware;
}

/** What each protocol's runner returns. */
export type ProtocolResults = DynamicsResults | ClassificationResults | BciResults;

export interface ResultsFile<R extends ProtocolResults = DynamicsResults> {
  experiment: string;
  title: string;
  protocol: string;
  provenance: Provenance;
  results: R;
}

export function sha256(text: string): string {
  return crypto.createHash('sha256').update(text).digest('hex');
}

export function buildResultsFile<R extends ProtocolResults>(
  def: LoadedDefinition<Experiment>,
  results: R,
  ctx: { manifestHash: string; backend: BackendInfo; root: string; git: GitState; timings: Record<string, number> },
): ResultsFile<R> {
  return {
    experiment: def.experiment.id,
    title: def.experiment.title,
    protocol: def.experiment.protocol,
    provenance: {
      definitionFile: path.relative(ctx.root, def.file),
      definitionSha256: sha256(def.text),
      dataManifestSha256: ctx.manifestHash,
      backend: ctx.backend.name,
      backendPackage: ctx.backend.package,
      ...(ctx.backend.kernels ? { backendKernels: ctx.backend.kernels } : {}),
      tfjsVersion: ctx.backend.version,
      node: process.versions.node.split('.')[0],
      seeds: def.experiment.seeds,
      git: ctx.git,
      timings: ctx.timings,
      hardware: hardwareInfo(),
    },
    results,
  };
}

/** The file without its timings: what must match for a rebuild to count as "unchanged". */
function comparable(file: ResultsFile<ProtocolResults>): string {
  const { timings: _t, hardware: _h, ...provenance } = file.provenance;
  return stableStringify({ ...file, provenance });
}

/**
 * Writes the results file atomically, unless the file already there holds the
 * same results (only its timings may differ): then it is left untouched, so a
 * rebuild that reproduces the numbers changes nothing on disk.
 */
export function writeResultsFile(dir: string, file: ResultsFile<ProtocolResults>): { path: string; changed: boolean } {
  const target = path.join(dir, `${file.experiment}.json`);
  if (fs.existsSync(target)) {
    try {
      const existing = JSON.parse(fs.readFileSync(target, 'utf8')) as ResultsFile<ProtocolResults>;
      if (existing.provenance && comparable(existing) === comparable(JSON.parse(stableStringify(file)))) return { path: target, changed: false };
    } catch {
      // Unreadable: replace it.
    }
  }
  writeFileAtomic(target, stableStringify(file));
  return { path: target, changed: true };
}
