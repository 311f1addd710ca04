/**
 * The site is built from results files only: run the pipeline (small
 * configuration) into a temporary results folder, build the site from it, and
 * check the Experiment 2 page shows exactly those numbers.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadManifest } from '../../src/data/manifest';
import { runPipeline } from '../../src/pipeline/build';
import { silentProgress } from '../../src/pipeline/progress';
import type { ResultsFile } from '../../src/pipeline/results';
import { REPO_ROOT, SHARED_DATA } from '../support';
import { cleanEnv } from '../site/buildSite';

const definition = fs
  .readFileSync(path.join(REPO_ROOT, 'content/experiments/exp2.yaml'), 'utf8')
  .replace('steps: 200', 'steps: 3')
  .replace('evalEvery: 10', 'evalEvery: 1')
  .replace('dModel: 64', 'dModel: 8')
  .replace('ffn: 256', 'ffn: 16')
  .replace('models: [persistence, ridge, flat]', 'models: [persistence, ridge]');


describe('site build from results', () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'site-'));
  const resultsDir = path.join(work, 'experiments');
  const outDir = path.join(work, 'dist');
  const comparisonFile = path.join(work, 'comparison.json');
  let results: ResultsFile;
  let page: string;
  let home: string;

  beforeAll(async () => {
    const defs = path.join(work, 'defs');
    fs.mkdirSync(defs);
    fs.writeFileSync(path.join(defs, 'exp2.yaml'), definition);
    const manifestPath = path.join(SHARED_DATA, 'manifest.json');
    const [file] = (await runPipeline({ root: REPO_ROOT, dataDir: SHARED_DATA, manifest: loadManifest(manifestPath), manifestPath, definitionsDir: defs, resultsDir, progress: silentProgress })).written;
    results = JSON.parse(fs.readFileSync(file, 'utf8'));
    // A comparison as the build writes it (src/pipeline/comparison.ts), with one changed metric.
    fs.writeFileSync(
      comparisonFile,
      JSON.stringify({ baseline: 'v1.0', baselineCommit: 'a'.repeat(40), changes: [{ experiment: 'exp2', metric: 'roi135 › cortical › studySplit.finalR2.mean', old: 0.388, new: 0.412, delta: 0.024 }] }),
    );
    const astro = spawnSync(process.execPath, [path.join(REPO_ROOT, 'node_modules/astro/astro.js'), 'build'], {
      cwd: REPO_ROOT,
      env: { ...cleanEnv(), RESULTS_DIR: resultsDir, RENDERS_DIR: path.join(work, 'no-renders'), SITE_OUT_DIR: outDir, BASE_PATH: '/report', COMPARISON_FILE: comparisonFile, ASTRO_TELEMETRY_DISABLED: '1' },
      encoding: 'utf8',
    });
    expect(astro.status, astro.stderr + astro.stdout).toBe(0);
    page = fs.readFileSync(path.join(outDir, 'experiments/exp2/index.html'), 'utf8');
    home = fs.readFileSync(path.join(outDir, 'index.html'), 'utf8');
  }, 300_000);

  it('shows a row with the final R² of every model, formatted from the results file', () => {
    for (const set of results.results.featureSets) {
      for (const m of set.models) {
        expect(page).toContain(m.label);
        expect(page).toContain(`<td>${m.studySplit.finalR2.mean.toFixed(3)}</td>`);
      }
    }
    for (const name of ['Cortical (declared wiring)', 'Dense (all pairs)', 'Flat MLP', 'Persistence (last step)', 'Ridge regression']) expect(page).toContain(name);
  });

  it('embeds static SVG figures: three per feature set (curves, final bars, region MSE) and parameters against R²', () => {
    const svgs = page.match(/<svg[^>]*class="plot-[^"]*"/g) ?? [];
    expect(svgs.length).toBe(3 * results.results.featureSets.length + 1);
    expect(page).toContain('validation R²');
    expect(page).not.toMatch(/<script[^>]*>[^<]*Plot/);
  });

  it('puts links and assets under the configured base path, and lists only pages that exist', () => {
    expect(home).toContain('href="/report/experiments/exp2/"');
    expect(home).toContain('href="/report/report.css"');
    expect(fs.existsSync(path.join(outDir, 'report.css'))).toBe(true);
    const pages = (fs.readdirSync(outDir, { recursive: true }) as string[]).filter((f) => f.endsWith('.html')).sort();
    expect(pages).toEqual(['architecture/index.html', 'changes/index.html', 'data/index.html', 'experiments/exp2/index.html', 'index.html', 'scaling/index.html']);
  });

  it('carries the provenance of the results', () => {
    expect(page).toContain(results.provenance.definitionSha256.slice(0, 12));
    expect(page).toContain(results.provenance.backend);
    // The hardware that took the timings, recorded by the pipeline and shown in every footer.
    expect(results.provenance.hardware?.cores).toBe(os.cpus().length);
    expect(home).toContain(`${results.provenance.hardware!.cores} cores`);
    expect(home).toContain(results.provenance.git.commit!.slice(0, 12));
    for (const [stage, seconds] of Object.entries(results.provenance.timings)) expect(home).toContain(`${stage} ${seconds.toFixed(1)} s`);
  });

  it('shows what changed against the baseline commit, as npm run diff prints it', () => {
    const changes = fs.readFileSync(path.join(outDir, 'changes/index.html'), 'utf8');
    expect(changes).toContain('<code>v1.0</code> (commit <code>aaaaaaaaaaaa</code>)');
    expect(changes).toMatch(/<td>roi135 › cortical › studySplit\.finalR2\.mean<\/td><td>0\.3880<\/td><td>0\.4120<\/td><td>\+0\.0240<\/td>/);
  });
});
