/**
 * Cached fold outputs for Experiments 1 and 3. A fold is a pure function of its
 * input (classifierFold.ts), so its output (held-out predictions, importance,
 * training seconds) is stored under a key hashed from that input, the training
 * code and the backend. A rebuild with nothing changed reads the outputs instead
 * of training. Files are written atomically and carry the sha256 of their
 * output; one that does not match is reported and the fold is trained again.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../util/atomic';
import { canonicalJson } from '../util/json';
import { codeVersion, TRAINING_CODE } from './cache';
import type { ClassifierFoldInput, ClassifierFoldOutput } from './classifierFold';
import type { CheckpointCache } from './models';

export interface FoldCache extends CheckpointCache {
  /** The TensorFlow.js backend: the same fold can give other numbers on another one. */
  backend: string;
}

/** The code a fold's output depends on: the training code and the fold itself. */
const FOLD_CODE = [...TRAINING_CODE, 'pipeline/classifierFold.ts'];

const sha256 = (text: string) => crypto.createHash('sha256').update(text).digest('hex');

/** Typed arrays hash as plain lists (canonicalJson would list their indices as keys). */
function plain(value: unknown): unknown {
  if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<number>);
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  return value;
}

export function foldKey(input: ClassifierFoldInput, backend: string): string {
  return sha256(canonicalJson({ task: 'classifier.fold', input: plain(input), code: codeVersion(FOLD_CODE), backend }));
}

function foldFile(dir: string, key: string): string {
  return path.join(dir, 'folds', key.slice(0, 2), `${key}.json`);
}

/** The stored output of a fold, or undefined (missing, or corrupt and reported). */
export function loadFoldOutput(cache: FoldCache, key: string): ClassifierFoldOutput | undefined {
  const file = foldFile(cache.dir, key);
  if (cache.retrain || !fs.existsSync(file)) return undefined;
  try {
    const stored = JSON.parse(fs.readFileSync(file, 'utf8')) as { key: string; sha256: string; output: ClassifierFoldOutput };
    if (stored.key !== key || sha256(canonicalJson(stored.output)) !== stored.sha256) throw new Error('its output does not match its recorded sha256');
    cache.stats.loaded++;
    return stored.output;
  } catch (e) {
    cache.stats.corrupt++;
    cache.log(`fold output ${key.slice(0, 12)} is corrupt (${(e as Error).message}); training the fold again`);
    return undefined;
  }
}

export function saveFoldOutput(cache: FoldCache, key: string, output: ClassifierFoldOutput): void {
  cache.stats.trained++;
  writeFileAtomic(foldFile(cache.dir, key), `${JSON.stringify({ key, sha256: sha256(canonicalJson(output)), output })}\n`);
}
