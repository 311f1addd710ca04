/** `npm run diff` on a throw-away git repository with two commits of results. */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { diffResults, flattenMetrics } from '../../src/pipeline/diff';
import { compareWithBaseline } from '../../src/pipeline/comparison';
import { diffRevisions, WORKING_TREE } from '../../src/pipeline/revisions';
import { REPO_ROOT } from '../support';

const results = (cortical: number, flatCurve: number[]) => ({
  experiment: 'exp2',
  provenance: { git: { commit: 'abc', dirty: false }, timings: { total: Math.random() } },
  results: {
    program: { regionPairs: 107 },
    featureSets: [
      {
        name: 'roi135',
        windows: 131,
        models: [
          { name: 'flat', parameters: 219375, studySplit: { finalR2: { mean: 0.1, sd: 0 }, runs: [{ seed: 42, curve: flatCurve.map((r, i) => ({ step: i * 10, valR2: r })) }] } },
          { name: 'cortical', parameters: 124929, studySplit: { finalR2: { mean: cortical, sd: 0 }, runs: [{ seed: 42, curve: null }] } },
        ],
      },
    ],
  },
});

describe('flattenMetrics', () => {
  it('keys list items by name and seed, skips provenance and, by default, curves', () => {
    const flat = flattenMetrics(results(0.4, [-1, 0.2]).results);
    expect([...flat.keys()]).toContain('featureSets.[roi135].models.[cortical].studySplit.finalR2.mean');
    expect([...flat.keys()].some((k) => k.includes('curve'))).toBe(false);
    expect([...flat.keys()].some((k) => k.includes('program'))).toBe(false);
    expect(flattenMetrics(results(0.4, [-1, 0.2]).results, { all: true }).get('featureSets.[roi135].models.[flat].studySplit.runs.[seed 42].curve.[step 10].valR2')).toBe(0.2);
  });

  it('a reordered model list is not a change', () => {
    const a = results(0.4, [0]);
    const b = structuredClone(a);
    b.results.featureSets[0].models.reverse();
    expect(diffResults('exp2', a, b)).toEqual([]);
  });
});

describe('npm run diff between commits', () => {
  const repo = fs.mkdtempSync(path.join(os.tmpdir(), 'diffrepo-'));
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8' });
  const write = (content: unknown) => {
    fs.mkdirSync(path.join(repo, 'experiments'), { recursive: true });
    fs.writeFileSync(path.join(repo, 'experiments/exp2.json'), JSON.stringify(content, null, 2));
  };
  const cli = (...args: string[]) =>
    spawnSync(process.execPath, [path.join(REPO_ROOT, 'node_modules/tsx/dist/cli.mjs'), path.join(REPO_ROOT, 'src/cli/diff.ts'), ...args], { cwd: repo, encoding: 'utf8' });

  beforeAll(() => {
    git('init', '-q');
    git('config', 'user.email', 'test@example.invalid');
    git('config', 'user.name', 'test');
    write(results(0.388, [-1, 0.2]));
    git('add', '-A');
    git('commit', '-qm', 'first');
    write(results(0.412, [-1, 0.25]));
    git('commit', '-qam', 'second');
  });

  it('prints the changed metric with old, new and delta (and only that one)', () => {
    const changes = diffRevisions(repo, 'HEAD~1', 'HEAD');
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({ experiment: 'exp2', metric: 'roi135 › cortical › studySplit.finalR2.mean', old: 0.388, new: 0.412 });
    expect(changes[0].delta).toBeCloseTo(0.024, 12);
    expect(diffRevisions(repo, 'HEAD~1', 'HEAD', { all: true })).toHaveLength(2);
  });

  it('defaults to HEAD against the working tree', () => {
    expect(diffRevisions(repo, 'HEAD', WORKING_TREE)).toEqual([]);
    write(results(0.5, [-1, 0.25]));
    expect(diffRevisions(repo, 'HEAD', WORKING_TREE).map((c) => c.new)).toEqual([0.5]);
    git('checkout', '-q', '--', 'experiments');
  });

  it('compares the working tree with a baseline commit for the site, or says why it cannot', () => {
    write(results(0.45, [-1, 0.25]));
    const vsFirst = compareWithBaseline(repo, 'HEAD~1');
    expect(vsFirst.baselineCommit).toBe(git('rev-parse', 'HEAD~1').trim());
    expect(vsFirst.changes.map((c) => [c.old, c.new])).toEqual([[0.388, 0.45]]);
    git('checkout', '-q', '--', 'experiments');
    const missing = compareWithBaseline(repo, 'v9.9');
    expect(missing).toMatchObject({ baseline: 'v9.9', baselineCommit: null, changes: [] });
    expect(missing.unavailable).toMatch(/^v9\.9: not a commit/);
  });

  it('the command prints a table, JSON or Markdown', () => {
    const table = cli('HEAD~1', 'HEAD');
    expect(table.status).toBe(0);
    expect(table.stdout).toMatch(/roi135 › cortical › studySplit\.finalR2\.mean\s+0\.3880\s+0\.4120\s+\+0\.0240/);
    const json = JSON.parse(cli('HEAD~1', 'HEAD', '--json').stdout);
    expect(json.changes).toHaveLength(1);
    expect(json.changes[0].old).toBe(0.388);
    expect(cli('HEAD~1', 'HEAD', '--md').stdout).toContain('| exp2 | roi135 › cortical › studySplit.finalR2.mean | 0.3880 | 0.4120 | +0.0240 |');
    expect(cli().stdout).toContain('no metric changed');
  });

  it('an unknown revision is a one-line error', () => {
    const r = cli('no-such-rev');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^error: no-such-rev: not a commit/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
