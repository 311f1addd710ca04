/**
 * Fold outputs of Experiments 1 and 3 are cached between builds: a second run
 * trains nothing and gives the same outputs; a corrupt entry is detected and
 * the fold trained again; --retrain trains everything.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ClassifierFoldInput } from '../../src/pipeline/classifierFold';
import { trainingBackend } from '../../src/models/backend';
import { foldKey, type FoldCache } from '../../src/pipeline/foldCache';
import { createPool } from '../../src/pipeline/pool';
import { silentProgress } from '../../src/pipeline/progress';
import { runFolds } from '../../src/pipeline/runFolds';
import { createRng } from '../../src/util/random';

/** Three separable classes in 4 dimensions, two folds. */
function folds(): ClassifierFoldInput[] {
  const rng = createRng(3);
  const n = 30;
  const D = 4;
  const y = Int32Array.from({ length: n }, (_, i) => i % 3);
  const x = Float32Array.from({ length: n * D }, (_, j) => (Math.floor(j / D) % 3 === j % D ? 3 : 0) + 0.3 * rng.normal());
  const all = Array.from({ length: n }, (_, i) => i);
  return [0, 1].map((k) => ({
    model: { kind: 'logistic', c: 1, iterations: 200 },
    x,
    D,
    y,
    classes: 3,
    train: all.filter((i) => i % 2 !== k),
    test: all.filter((i) => i % 2 === k),
    seed: 7 + k,
  }));
}

function cache(dir: string, retrain = false): FoldCache {
  return { dir, retrain, backend: 'wasm', stats: { trained: 0, loaded: 0, corrupt: 0 }, log: () => {} };
}

describe('fold output cache', () => {
  const pool = createPool({ size: 0 });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'folds-'));
  const files = () => (fs.readdirSync(path.join(dir, 'folds'), { recursive: true }) as string[]).filter((f) => f.endsWith('.json'));

  it('trains each fold once, then loads it with the same output', async () => {
    const first = cache(dir);
    const a = await runFolds(pool, folds(), silentProgress, 'test', first);
    expect(first.stats).toEqual({ trained: 2, loaded: 0, corrupt: 0 });
    expect(a.every((o) => o.predictions.length === 15)).toBe(true);
    const second = cache(dir);
    const b = await runFolds(pool, folds(), silentProgress, 'test', second);
    expect(second.stats).toEqual({ trained: 0, loaded: 2, corrupt: 0 });
    expect(b).toEqual(a);
    expect(files()).toHaveLength(2);
  });

  it('keys a fold by its input and backend: another seed or backend is another fold', () => {
    const [f] = folds();
    expect(foldKey(f, 'wasm')).toBe(foldKey(folds()[0], 'wasm'));
    expect(foldKey({ ...f, seed: 8 }, 'wasm')).not.toBe(foldKey(f, 'wasm'));
    expect(foldKey(f, 'cpu')).not.toBe(foldKey(f, 'wasm'));
    // With and without the fused kernels (they round differently): two folds.
    const wasm = { name: 'wasm', package: '@tensorflow/tfjs-backend-wasm', version: '4.22.0' };
    const fused = trainingBackend({ ...wasm, kernels: 'SIMD kernels (AssemblyScript 0.28.20)' });
    expect(fused).toBe('wasm with SIMD kernels (AssemblyScript 0.28.20)');
    expect(foldKey(f, fused)).not.toBe(foldKey(f, trainingBackend(wasm)));
    const x = Float32Array.from(f.x);
    x[0] += 1;
    expect(foldKey({ ...f, x }, 'wasm')).not.toBe(foldKey(f, 'wasm'));
  });

  it('detects a corrupt entry by its hash and trains that fold again; --retrain trains all', async () => {
    const file = path.join(dir, 'folds', files()[0]);
    const stored = JSON.parse(fs.readFileSync(file, 'utf8'));
    stored.output.predictions[0] = (stored.output.predictions[0] + 1) % 3;
    fs.writeFileSync(file, JSON.stringify(stored));
    const third = cache(dir);
    await runFolds(pool, folds(), silentProgress, 'test', third);
    expect(third.stats).toEqual({ trained: 1, loaded: 1, corrupt: 1 });
    const forced = cache(dir, true);
    await runFolds(pool, folds(), silentProgress, 'test', forced);
    expect(forced.stats).toEqual({ trained: 2, loaded: 0, corrupt: 0 });
  });
});
