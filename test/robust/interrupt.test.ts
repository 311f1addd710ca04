/**
 * Interrupted builds: `npm run build` (the real command, tiny experiment) is killed
 * with SIGKILL at random points, in the pipeline and in the site build, while it is
 * replacing a good previous output with a different one. After every kill each
 * output (the results file, the site folder) is either byte for byte the previous
 * one or a whole new one (a kill during the site build comes after the new results
 * were written), never a part; previous checkpoints are untouched. The next build
 * succeeds, replaces them and leaves no temporary file behind.
 * KILL_SEED replays a run (the delays are printed).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, SHARED_DATA } from '../support';
import { fingerprint, tempDir } from './helpers';

const work = tempDir('interrupt');
const defs = path.join(work, 'defs');
const results = path.join(work, 'experiments');
const checkpoints = path.join(work, 'checkpoints');
const dist = path.join(work, 'site');
const args = [path.join(REPO_ROOT, 'node_modules/tsx/dist/cli.mjs'), path.join(REPO_ROOT, 'src/cli/build.ts'), '--data', SHARED_DATA, '--definitions', defs, '--out', results, '--checkpoints', checkpoints, '--skip-renders'];

function env(): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = { ...process.env, CI: '1', SITE_OUT_DIR: dist, ASTRO_TELEMETRY_DISABLED: '1' };
  for (const k of ['BASE_URL', 'MODE', 'DEV', 'PROD', 'SSR', 'VITEST', 'VITEST_MODE', 'VITEST_POOL_ID', 'VITEST_WORKER_ID', 'NODE_ENV']) delete e[k];
  return e;
}

/** The repository's Experiment 2 (the site's prose binds to its models and feature sets), made tiny. */
function definition(steps: number): void {
  fs.mkdirSync(defs, { recursive: true });
  const text = fs
    .readFileSync(path.join(REPO_ROOT, 'content/experiments/exp2.yaml'), 'utf8')
    .replace('steps: 200', `steps: ${steps}`)
    .replace('evalEvery: 10', 'evalEvery: 1')
    .replace('dModel: 64', 'dModel: 8')
    .replace('ffn: 256', 'ffn: 16')
    .replace('models: [persistence, ridge, flat]', 'models: [persistence, ridge]');
  fs.writeFileSync(path.join(defs, 'exp2.yaml'), text);
}

interface Run {
  /** Killed before it ended by itself. */
  killed: boolean;
  status: number | null;
  output: string;
  /** Milliseconds from the start to "data folder:" (the pipeline starts), to "building the site", and to the end. */
  dataAt?: number;
  siteAt?: number;
  endAt: number;
}

/**
 * Runs a build in its own process group. With `kill`, the whole group (tsx, node,
 * astro) gets SIGKILL `afterMs` after the first output line containing `marker`.
 */
function build(kill?: { marker: string; afterMs: number }): Promise<Run> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, args, { cwd: REPO_ROOT, env: env(), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let siteAt: number | undefined;
    let dataAt: number | undefined;
    let killed = false;
    let timer: NodeJS.Timeout | undefined;
    const onData = (d: Buffer) => {
      output += d;
      if (dataAt === undefined && output.includes('data folder:')) dataAt = performance.now() - t0;
      if (siteAt === undefined && output.includes('building the site')) siteAt = performance.now() - t0;
      if (kill && !timer && output.includes(kill.marker)) {
        timer = setTimeout(() => {
          killed = true;
          process.kill(-child.pid!, 'SIGKILL');
        }, kill.afterMs);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (status) => {
      clearTimeout(timer);
      resolve({ killed, status, output, dataAt, siteAt, endAt: performance.now() - t0 });
    });
  });
}

/** The kept outputs, without temporaries a killed process may leave (cleaned by the next build). */
function outputs() {
  const keep = (fp: Record<string, string> | null) => Object.fromEntries(Object.entries(fp ?? {}).filter(([k]) => !/\.tmp$|\.tmp-\d+-/.test(k)));
  return { results: fingerprint(results), site: fingerprint(dist), checkpoints: keep(fingerprint(checkpoints)) };
}

const equal = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The new definition trains longer, so that kills can land in training. */
const NEW_STEPS = 40;

/** The results file is a whole one written by a build of the new definition. */
function completeNewResults(): boolean {
  try {
    const file = JSON.parse(fs.readFileSync(path.join(results, 'exp2.json'), 'utf8'));
    return file.results.featureSets[0].models[0].studySplit.runs[0].curve.at(-1).step === NEW_STEPS && fs.readdirSync(results).every((f) => f.endsWith('.json') || f.endsWith('.tmp') || f === 'outputs');
  } catch {
    return false;
  }
}

/** The site is a whole new one: the same pages as before, each a complete HTML document. */
function completeNewSite(now: Record<string, string> | null, before: Record<string, string>): boolean {
  if (!now || !equal(Object.keys(now), Object.keys(before))) return false;
  return Object.keys(now)
    .filter((f) => f.endsWith('.html'))
    .every((f) => fs.readFileSync(path.join(dist, f), 'utf8').trimEnd().endsWith('</html>'));
}

/** A small seeded generator (mulberry32): the same KILL_SEED gives the same kill points. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('a killed build keeps the previous output', () => {
  let first: Run;
  let previous: ReturnType<typeof outputs>;

  beforeAll(async () => {
    definition(3);
    first = await build();
    expect(first.status, first.output).toBe(0);
    previous = outputs();
  }, 400_000);

  it('survives SIGKILL at random points, then builds', async () => {
    expect(Object.keys(previous.results!)).toContain('exp2.json');
    expect(previous.site!['index.html']).toBeDefined();
    // The next builds would replace everything: a different definition retrains and rewrites results and site.
    definition(NEW_STEPS);
    const seed = process.env.KILL_SEED ? Number(process.env.KILL_SEED) : 7;
    const rand = random(seed);
    const pipelineMs = first.siteAt! - first.dataAt!;
    const siteMs = first.endAt - first.siteAt!;
    // Two kill points in the pipeline (one from its start, one during training) and two in the site build,
    // each at a random fraction of how long that stage took in the first build.
    const kills = [
      { marker: 'data folder:', afterMs: Math.round(rand() * 0.8 * pipelineMs) },
      { marker: 'cortical seed 42 step', afterMs: Math.round(rand() * 1000) },
      { marker: 'building the site', afterMs: Math.round(rand() * 0.8 * siteMs) },
      { marker: 'building the site', afterMs: Math.round(rand() * 0.8 * siteMs) },
    ];
    console.log(`KILL_SEED=${seed}: the first build's pipeline took ${(pipelineMs / 1000).toFixed(1)} s and its site ${(siteMs / 1000).toFixed(1)} s; kills: ${kills.map((k) => `${k.afterMs} ms after "${k.marker}"`).join(', ')}`);
    let landed = 0;
    for (const kill of kills) {
      const r = await build(kill);
      if (r.killed) landed++;
      else expect(r.status, r.output).toBe(0); // ended before its kill point (a faster run): it must have succeeded
      const now = outputs();
      const resultsState = equal(now.results, previous.results) ? 'previous' : completeNewResults() ? 'new' : 'BROKEN';
      const siteState = equal(now.site, previous.site) ? 'previous' : completeNewSite(now.site, previous.site!) ? 'new' : 'BROKEN';
      console.log(`${r.killed ? 'killed' : 'finished before'} ${kill.afterMs} ms after "${kill.marker}": results ${resultsState}, site ${siteState}`);
      expect(resultsState, `results after a kill ${kill.afterMs} ms after "${kill.marker}"`).not.toBe('BROKEN');
      expect(siteState, `site after a kill ${kill.afterMs} ms after "${kill.marker}"`).not.toBe('BROKEN');
      for (const [k, v] of Object.entries(previous.checkpoints)) expect(now.checkpoints[k], `checkpoint ${k}`).toBe(v);
    }
    expect(landed, 'most kill points must fall inside a build').toBeGreaterThanOrEqual(3);
    const last = await build();
    expect(last.status, last.output).toBe(0);
    const after = outputs();
    expect(after.results!['exp2.json']).not.toBe(previous.results!['exp2.json']);
    expect(completeNewResults()).toBe(true);
    expect(completeNewSite(after.site, previous.site!)).toBe(true);
    expect(after.site!['index.html']).not.toBe(previous.site!['index.html']);
    // Nothing unfinished is left beside the outputs.
    expect(fs.readdirSync(work).sort()).toEqual(['checkpoints', 'defs', 'experiments', 'site']);
    // outputs/: the model outputs the renders paint (written with the results).
    expect(fs.readdirSync(results).filter((f) => !f.endsWith('.json') && f !== 'outputs')).toEqual([]);
    expect(Object.keys(fingerprint(checkpoints)!).filter((k) => /\.tmp-/.test(k))).toEqual([]);
  }, 600_000);
});
