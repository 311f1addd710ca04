/**
 * The results file of an experiment: one JSON per experiment under
 * `experiments/`, with what produced it. Written once, atomically, after the
 * whole experiment has succeeded.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import { stableStringify } from '../util/json';
import { writeFileAtomic } from '../util/atomic';
import type { BackendInfo } from '../models/backend';
import type { DynamicsResults } from './dynamics';
import type { LoadedDefinition } from './definition';

export interface Provenance {
  definitionFile: string;
  definitionSha256: string;
  dataManifestSha256: string;
  backend: string;
  backendPackage: string;
  tfjsVersion: string;
  node: string;
  seeds: number[];
}

export interface ResultsFile {
  experiment: string;
  title: string;
  protocol: string;
  provenance: Provenance;
  results: DynamicsResults;
}

export function sha256(text: string): string {
  return crypto.createHash('sha256').update(text).digest('hex');
}

export function buildResultsFile(def: LoadedDefinition, results: DynamicsResults, ctx: { manifestHash: string; backend: BackendInfo; root: string }): ResultsFile {
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
      tfjsVersion: ctx.backend.version,
      node: process.versions.node.split('.')[0],
      seeds: def.experiment.seeds,
    },
    results,
  };
}

export function writeResultsFile(dir: string, file: ResultsFile): string {
  const target = path.join(dir, `${file.experiment}.json`);
  writeFileAtomic(target, stableStringify(file));
  return target;
}
