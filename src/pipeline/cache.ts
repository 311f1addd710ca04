/**
 * What a trained model depends on, hashed into its checkpoint key: the parts
 * of the experiment definition that shape the model and its training, the
 * sha256 of the data files it read, the feature and split settings, the seed,
 * the backend, and the version of the code that trains it. Anything else
 * (titles, labels, other models, other experiments) can change without
 * retraining.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { canonicalJson } from '../util/json';

const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Source folders and files whose code decides what a training run produces. */
export const TRAINING_CODE = ['models', 'features', 'cortex', 'util', 'pipeline/models.ts', 'data/npy.ts', 'data/npz.ts', 'data/io.ts', 'data/stimuli.ts', 'data/atlas.ts'];

const versions = new Map<string, string>();

/** sha256 over the given source files and folders (path and content), in a fixed order. */
export function codeVersion(entries: readonly string[]): string {
  const id = entries.join('\n');
  const known = versions.get(id);
  if (known) return known;
  const hash = crypto.createHash('sha256');
  const files: string[] = [];
  for (const entry of entries) {
    const full = path.join(SRC, entry);
    if (fs.statSync(full).isDirectory()) {
      for (const f of fs.readdirSync(full, { recursive: true }) as string[]) if (f.endsWith('.ts')) files.push(path.join(entry, f));
    } else files.push(entry);
  }
  for (const f of files.sort()) {
    hash.update(`${f}\n`);
    hash.update(fs.readFileSync(path.join(SRC, f)));
  }
  const version = hash.digest('hex');
  versions.set(id, version);
  return version;
}

/** sha256 over the training code's files. */
export function trainingCodeVersion(): string {
  return codeVersion(TRAINING_CODE);
}

export function checkpointKey(parts: Record<string, unknown>): string {
  return crypto.createHash('sha256').update(canonicalJson(parts)).digest('hex');
}
