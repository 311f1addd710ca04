/** Builds the site with `astro build` into a folder, from a given results folder and base path. */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from '../support';

/** The environment without the variables Vitest adds (BASE_URL, MODE, …), which would leak into Vite inside Astro. */
export function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const k of ['BASE_URL', 'MODE', 'DEV', 'PROD', 'SSR', 'VITEST', 'VITEST_MODE', 'VITEST_POOL_ID', 'VITEST_WORKER_ID', 'NODE_ENV']) delete env[k];
  return env;
}

export function buildSite(opts: { resultsDir: string; outDir: string; base: string }): { status: number | null; output: string } {
  const astro = spawnSync(process.execPath, [path.join(REPO_ROOT, 'node_modules/astro/astro.js'), 'build'], {
    cwd: REPO_ROOT,
    // No brain renders (test/render/site.test.ts builds pages with them): the checkout's renders/ must not leak in.
    env: { ...cleanEnv(), RESULTS_DIR: opts.resultsDir, RENDERS_DIR: path.join(opts.outDir, '..', 'no-renders'), SITE_OUT_DIR: opts.outDir, BASE_PATH: opts.base, ASTRO_TELEMETRY_DISABLED: '1' },
    encoding: 'utf8',
  });
  return { status: astro.status, output: `${astro.stdout}\n${astro.stderr}` };
}
