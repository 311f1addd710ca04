/**
 * The pipeline: checks the data folder, runs every experiment definition, and
 * writes the results files. All experiments run before anything is written, so a
 * failure leaves every previous results file as it was.
 */
import path from 'node:path';
import { loadDestrieux } from '../data/atlas';
import { InputError } from '../data/errors';
import { exportManifest, type PredictionsExport } from '../data/export';
import { loadHemisphere } from '../data/gifti';
import type { Manifest } from '../data/manifest';
import { manifestHash } from '../data/manifest';
import { assertDataDir } from '../data/verify';
import { initBackend, trainingBackend } from '../models/backend';
import { removeStaleTemporaries } from '../models/checkpoint';
import { removeStaleTempFiles } from '../util/atomic';
import { runBciExperiment } from './bci';
import type { BciExperiment } from './bci';
import { runClassificationExperiment } from './classification';
import type { ClassificationExperiment } from './classification';
import type { LoadedDefinition } from './definition';
import { loadDefinitions } from './definition';
import { OutputsCollector } from './outputs';
import { runDynamicsExperiment } from './dynamics';
import { gitState } from './git';
import { createPool } from './pool';
import type { CacheStats } from './models';
import type { Progress } from './progress';
import { buildResultsFile, writeResultsFile } from './results';
import { writeProgramFile } from './program';

export interface PipelineOptions {
  root: string;
  dataDir: string;
  manifest: Manifest;
  manifestPath: string;
  definitionsDir: string;
  resultsDir: string;
  only?: string;
  backend?: string;
  progress: Progress;
  /** Checkpoint folder; none: train every time, keep nothing. */
  checkpointsDir?: string;
  /** Train even where a checkpoint exists. */
  retrain?: boolean;
  /** A researcher's own TRIBE v2 export, used instead of the bundled predictions (see src/data/export.ts). */
  predictions?: PredictionsExport;
  /** Worker threads for the trainings (default: one per core; 0 trains in this thread). */
  workers?: number;
}

export interface PipelineReport {
  written: string[];
  unchanged: string[];
  stats: CacheStats;
}

/** The surfaces the report draws on: both hemispheres must be fsaverage5. */
export const MESH_FILES = ['fsaverage5/pial_left.gii.gz', 'fsaverage5/pial_right.gii.gz', 'fsaverage5/infl_left.gii.gz', 'fsaverage5/infl_right.gii.gz'];

export async function runPipeline(opts: PipelineOptions): Promise<PipelineReport> {
  const { progress } = opts;
  const started = performance.now();
  progress.log(`data folder: ${opts.dataDir}`);
  await assertDataDir(opts.manifest, opts.dataDir, opts.manifestPath);
  for (const f of MESH_FILES) loadHemisphere(path.join(opts.dataDir, f));
  const atlas = loadDestrieux(opts.dataDir);
  progress.log(`data verified: ${opts.manifest.files.length} files, ${opts.manifest.stimuli.length} stimuli`);

  let definitions = loadDefinitions(opts.definitionsDir);
  if (opts.only) {
    const wanted = opts.only.split(',').map((s) => s.trim());
    for (const w of wanted) {
      if (!definitions.some((d) => d.experiment.id === w)) throw new InputError('--only', `no experiment "${w}" in ${opts.definitionsDir} (have: ${definitions.map((d) => d.experiment.id).join(', ')})`);
    }
    definitions = definitions.filter((d) => wanted.includes(d.experiment.id));
  }
  const backend = await initBackend(opts.backend);
  progress.log(`TensorFlow.js backend: ${backend.name} (${backend.package} ${backend.version})${backend.kernels ? `, with ${backend.kernels}` : ''}`);
  if (backend.kernelsMissing) progress.log(`note: training uses TensorFlow.js's own element-wise kernels, which is slower: the fused SIMD kernels are not loaded (${backend.kernelsMissing})`);

  // Own export: its predictions replace the bundled ones; meshes and atlas stay the reference ones.
  const stimuliDir = opts.predictions?.dir ?? opts.dataDir;
  const manifest = opts.predictions ? exportManifest(opts.manifest, opts.predictions) : opts.manifest;
  if (opts.predictions) progress.log(`predictions: ${opts.predictions.manifest.stimuli.length} stimuli from ${opts.predictions.listFile}`);
  const hash = manifestHash(manifest);
  const git = gitState(opts.root);
  const stats: CacheStats = { trained: 0, loaded: 0, corrupt: 0 };
  if (opts.checkpointsDir) {
    const stale = removeStaleTemporaries(opts.checkpointsDir);
    if (stale) progress.log(`removed ${stale} unfinished checkpoint folder(s) left by an interrupted build`);
  }
  if (removeStaleTempFiles(opts.resultsDir)) progress.log('removed unfinished results files left by an interrupted build');
  const cache = opts.checkpointsDir ? { dir: opts.checkpointsDir, retrain: opts.retrain ?? false, stats, log: progress.log } : undefined;
  const pool = createPool({ size: opts.workers, backend: backend.name, kernels: backend.kernels ?? 'none' });
  progress.log(pool.size > 0 ? `training in ${pool.size} worker thread(s)` : 'training in the main thread (no workers)');
  const files = [];
  const collected: OutputsCollector[] = [];
  try {
    for (const def of definitions) {
      const experimentStarted = performance.now();
      progress.log(`experiment ${def.experiment.id}: ${def.experiment.title} (${path.relative(opts.root, def.file)})`);
      const timings: Record<string, number> = {};
      // Stimuli come from the researcher's export when there is one; meshes and the montage from the data folder.
      const ctx = { dataDir: stimuliDir, manifest, atlas, progress, timings, pool, foldCache: cache ? { ...cache, backend: trainingBackend(backend) } : undefined };
      const { protocol } = def.experiment;
      let results;
      if (protocol === 'classification') results = await runClassificationExperiment(def as LoadedDefinition<ClassificationExperiment>, ctx);
      else if (protocol === 'bci') results = await runBciExperiment(def as LoadedDefinition<BciExperiment>, { ...ctx, dataDir: opts.dataDir, stimuliDir });
      else {
        // Experiment 2's models also leave outputs for the renders (validation predictions, hidden-state norms).
        const outputs = new OutputsCollector(def.experiment.id, def.experiment.seeds[0]);
        results = await runDynamicsExperiment(def as LoadedDefinition, { ...ctx, backend: trainingBackend(backend), cache, outputs });
        collected.push(outputs);
      }
      timings.total = (performance.now() - experimentStarted) / 1000;
      files.push(buildResultsFile(def, results, { manifestHash: hash, backend, root: opts.root, git, timings }));
    }
  } finally {
    await pool.close();
  }
  const report: PipelineReport = { written: [], unchanged: [], stats };
  const program = writeProgramFile(opts.resultsDir, atlas, { manifestHash: hash, root: opts.root });
  progress.log(`${program.changed ? 'wrote' : 'unchanged:'} ${path.relative(opts.root, program.path)}`);
  for (const f of files) {
    const r = writeResultsFile(opts.resultsDir, f);
    (r.changed ? report.written : report.unchanged).push(r.path);
    progress.log(`${r.changed ? 'wrote' : 'unchanged:'} ${path.relative(opts.root, r.path)}`);
  }
  for (const c of collected) {
    const written = c.write(path.join(opts.resultsDir, 'outputs'));
    if (written) progress.log(`model outputs for the renders: ${path.relative(opts.root, written)}`);
  }
  progress.log(
    `pipeline finished in ${((performance.now() - started) / 1000).toFixed(1)} s: trained ${stats.trained} model(s), loaded ${stats.loaded} from checkpoints` +
      (stats.corrupt ? `, ${stats.corrupt} corrupt checkpoint(s) retrained` : '') +
      (stats.trained === 0 && stats.loaded > 0 ? ' (nothing trained)' : ''),
  );
  return report;
}
