/**
 * End to end: the site's numbers follow the results files. Build from a copy
 * of experiments/, change one number and rebuild (the page changes), then
 * remove a path the prose uses (the build stops, naming the page and the path).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support';
import { buildSite } from './buildSite';


type Json = { results: { featureSets: Array<{ name: string; models: Array<{ name: string; studySplit: { finalR2: { mean: number } }; crossValidation: unknown }> }> } };

function model(file: Json, set: string, name: string) {
  return file.results.featureSets.find((s) => s.name === set)!.models.find((m) => m.name === name)!;
}

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

describe('numbers bound to results files', () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bound-'));
  const resultsDir = path.join(work, 'experiments');
  const exp2File = path.join(resultsDir, 'exp2.json');
  let original: Json;

  beforeAll(() => {
    fs.cpSync(path.join(REPO_ROOT, 'experiments'), resultsDir, { recursive: true });
    original = JSON.parse(fs.readFileSync(exp2File, 'utf8'));
  });

  it('changing a number in the results file changes the built pages', () => {
    const before = buildSite({ resultsDir, outDir: path.join(work, 'a'), base: '/r' });
    expect(before.status, before.output).toBe(0);
    const home = (d: string) => text(fs.readFileSync(path.join(work, d, 'index.html'), 'utf8'));
    const exp2 = (d: string) => text(fs.readFileSync(path.join(work, d, 'experiments/exp2/index.html'), 'utf8'));
    const was = model(original, 'roi135', 'cortical').studySplit.finalR2.mean.toFixed(3);
    expect(home('a')).toContain(`validation R² of ${was}`);

    const changed = structuredClone(original);
    model(changed, 'roi135', 'cortical').studySplit.finalR2.mean = 0.912345;
    fs.writeFileSync(exp2File, JSON.stringify(changed));
    const after = buildSite({ resultsDir, outDir: path.join(work, 'b'), base: '/r' });
    expect(after.status, after.output).toBe(0);
    // Astro's content cache keys on the config, which carries a digest of the results files:
    // Markdown that a page renders through the content collection is rendered again too.
    expect(after.output).toContain('Clearing content store');
    expect(home('b')).toContain('validation R² of 0.912');
    expect(home('b')).not.toContain(`validation R² of ${was}`);
    // The same number in the Experiment 2 prose and in the claims table.
    expect(exp2('b')).toContain('0.912 for the cortical model');
    expect(home('b')).toMatch(/cortical model, validation R² 0\.825 0\.912 ± 0\.02 does not hold/);
  }, 240_000);

  it('removing a results path the prose uses stops the build, naming the page and the path', () => {
    const broken = structuredClone(original);
    model(broken, 'roi135', 'ridge').crossValidation = null;
    fs.writeFileSync(exp2File, JSON.stringify(broken));
    const result = buildSite({ resultsDir, outDir: path.join(work, 'c'), base: '/r' });
    expect(result.status).not.toBe(0);
    expect(result.output).toContain(`content/pages/exp2.md`);
    expect(result.output).toMatch(/content\/pages\/exp2\.md:\d+: :result path "exp2\.featureSets\[name=roi135\]\.models\[name=ridge\]\.crossValidation\.pooledR2": .*crossValidation is null/);
  }, 240_000);

  it('a claim whose path names nothing stops the build, naming content/claims.yaml and the path', () => {
    const broken = structuredClone(original);
    broken.results.featureSets = broken.results.featureSets.map((s) => ({ ...s, models: s.models.filter((m) => !(s.name === 'roi23' && m.name === 'dense')) }));
    fs.writeFileSync(exp2File, JSON.stringify(broken));
    const result = buildSite({ resultsDir, outDir: path.join(work, 'd'), base: '/r' });
    expect(result.status).not.toBe(0);
    expect(result.output).toMatch(/content\/claims\.yaml:\d+: claims\[\d+\]\.path: results path "exp2\.featureSets\[name=roi23\]\.models\[name=dense\]\.studySplit\.finalR2\.mean": exp2\.featureSets\[name=roi23\]\.models has no element with name=dense/);
  }, 240_000);
});
