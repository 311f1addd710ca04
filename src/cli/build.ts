/**
 * `npm run build -- [--data DIR] [--only ID] [--skip-site]`
 *
 * Runs the pipeline (data check, experiments, results files) and then builds the
 * static site into dist/ from those results.
 */
import path from 'node:path';
import { InputError } from '../data/errors';
import { exportManifest, loadExport } from '../data/export';
import { FetchError, fetchData } from '../data/fetch';
import { loadManifest } from '../data/manifest';
import { verifyDataDir } from '../data/verify';
import { runPipeline } from '../pipeline/build';
import { compareWithBaseline, comparisonPath, writeComparison } from '../pipeline/comparison';
import { runRenderStage } from '../render/stage';
import { createProgress } from '../pipeline/progress';
import { buildSite } from '../pipeline/site';
import { parseArgs, resolveDataDir, resolveManifestPath } from './args';
import { runCommand } from './main';

const HELP = `usage: npm run build -- [--data DIR] [--manifest FILE] [--predictions DIR] [--only ID[,ID...]] [--skip-renders] [--skip-site]

  --data DIR         data folder (default: $BRAIN_DATA_DIR, else ./data; fill it with \`npm run data\`)
  --manifest FILE    data manifest (default: ./data.manifest.json)
  --only IDS         run only these experiments (comma-separated ids); the others keep their results
  --definitions DIR  experiment definitions (default: ./content/experiments)
  --out DIR          results folder (default: ./experiments)
  --skip-renders     do not render the brain animations (renders/, beside the --out folder); pages show them as missing
  --skip-site        write results only, do not run astro build
  --retrain          train every model even where a checkpoint exists (with --only: those experiments)
  --checkpoints DIR  checkpoint folder (default: ./checkpoints)
  --predictions DIR  your own TRIBE v2 export (.npy/.npz files and a stimuli.json) instead of the bundled predictions
  --workers N        worker threads for training (default: $BRAIN_WORKERS, else one per core; 0: main thread)
  --baseline REV     the commit whose results the site's Changes page compares with (default: $BASELINE_REV, else HEAD)
`;

await runCommand(async () => {
  const args = parseArgs(process.argv.slice(2));
  if (args.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const root = process.cwd();
  const manifestPath = resolveManifestPath(args);
  const manifest = loadManifest(manifestPath);
  const dataDir = resolveDataDir(args);
  const progress = createProgress();
  // A fresh clone has no data folder: fill it first (what `npm run data` does).
  const check = await verifyDataDir(manifest, dataDir, { checkHashes: false });
  if (!check.ok) {
    progress.log(`${check.missing.length + check.badSize.length} data files missing or incomplete in ${dataDir}; downloading them (npm run data)`);
    try {
      await fetchData(manifest, dataDir, {
        retries: 1,
        onProgress: (e) => {
          if (e.type === 'fetched') progress.log(`[${e.index}/${e.total}] fetched ${e.path}`);
        },
      });
    } catch (e) {
      if (!(e instanceof FetchError)) throw e;
      const first = e.failures[0];
      throw new InputError(
        dataDir,
        `${e.failures.length} of ${manifest.files.length} data files could not be downloaded (first: ${first.path} from ${first.url}: ${first.reason}). ` +
          'To use a data folder you already have, pass --data DIR or set BRAIN_DATA_DIR (the reference bundle: BRAIN_DATA_DIR=../shared/data).',
      );
    }
  }
  const resultsDir = path.resolve(root, args.out ?? 'experiments');
  // Own TRIBE v2 export: every file checked (sha256, shape, dtype, NaN) before anything runs.
  const predictions = args.predictions ? loadExport(path.resolve(root, args.predictions)) : undefined;
  await runPipeline({
    root,
    dataDir,
    manifest,
    manifestPath,
    definitionsDir: path.resolve(root, args.definitions ?? 'content/experiments'),
    resultsDir,
    predictions,
    only: args.only,
    checkpointsDir: path.resolve(root, args.checkpoints ?? 'checkpoints'),
    retrain: args.retrain,
    workers: args.workers,
    backend: process.env.TFJS_BACKEND || undefined,
    progress,
  });
  // What changed against the baseline commit, for the site's Changes page.
  const baseline = args.baseline ?? (process.env.BASELINE_REV?.trim() || 'HEAD');
  const comparison = compareWithBaseline(root, baseline, path.relative(root, resultsDir));
  writeComparison(comparisonPath(root), comparison);
  progress.log(
    comparison.unavailable
      ? `no comparison with ${baseline}: ${comparison.unavailable}`
      : `${comparison.changes.length} metric(s) differ from the results at ${baseline} (${comparison.baselineCommit!.slice(0, 12)}); npm run diff -- ${baseline} shows them`,
  );
  // Renders sit beside the results folder (./renders for ./experiments), so a build with --out elsewhere
  // (tests, trial runs) never touches the checkout's renders; the site reads them from there too.
  const rendersDir = path.join(path.dirname(resultsDir), 'renders');
  process.env.RENDERS_DIR = rendersDir;
  if (!args.skipRenders) {
    // With an own export, the stimulus renders show its predictions; meshes stay the reference ones.
    const stimuli = predictions ? { dir: predictions.dir, manifest: exportManifest(manifest, predictions) } : undefined;
    await runRenderStage({ dataDir, manifest, stimuli, dir: rendersDir, outputsDir: path.join(resultsDir, 'outputs'), progress, prune: true });
  }
  if (args.skipSite) return 0;
  process.stdout.write('building the site (astro build)\n');
  // Into a temporary folder, renamed into place only if astro succeeds; the pages read the results just written.
  return buildSite({ root, resultsDir });
});
