/**
 * Builds the static site with Astro into a temporary folder beside the output
 * folder, and renames it into place only once Astro has succeeded: a killed or
 * failed site build leaves the previous site as it was.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { recoverInterrupted, swapInto, tempSibling } from '../util/atomicDir';

export interface SiteBuildOptions {
  root: string;
  /** Where the site goes (default: $SITE_OUT_DIR, else <root>/dist). */
  outDir?: string;
  /** The results folder the pages read (RESULTS_DIR of src/site/results.ts). */
  resultsDir?: string;
  log?: (line: string) => void;
}

export function siteOutDir(root: string, env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(root, env.SITE_OUT_DIR || 'dist');
}

/** Runs `astro build`; returns its exit status (0 when the new site is in place). */
export function buildSite(opts: SiteBuildOptions): number {
  const log = opts.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const target = opts.outDir ? path.resolve(opts.root, opts.outDir) : siteOutDir(opts.root);
  const recovered = recoverInterrupted(target);
  if (recovered.restored) log(`restored ${path.relative(opts.root, target) || target} from a site build interrupted while swapping`);
  if (recovered.removed) log(`removed ${recovered.removed} unfinished site folder(s) left by an interrupted build`);
  const temp = tempSibling(target);
  const env: NodeJS.ProcessEnv = { ...process.env, SITE_OUT_DIR: temp };
  if (opts.resultsDir) env.RESULTS_DIR = opts.resultsDir;
  const astro = spawnSync(process.execPath, [path.join(opts.root, 'node_modules/astro/astro.js'), 'build'], { cwd: opts.root, env, stdio: 'inherit' });
  const status = astro.status ?? 1;
  if (status !== 0 || !fs.existsSync(path.join(temp, 'index.html'))) {
    fs.rmSync(temp, { recursive: true, force: true });
    log(`site build failed; ${path.relative(opts.root, target) || target} is left as it was`);
    return status === 0 ? 1 : status;
  }
  swapInto(temp, target);
  log(`site written to ${path.relative(opts.root, target) || target}`);
  return 0;
}
