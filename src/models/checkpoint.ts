/**
 * Trained models on disk: `<dir>/<key>/weights.bin` (every variable's float32
 * values, concatenated in name order) and `checkpoint.json` (names, shapes,
 * the sha256 of the weights, and what the training recorded: learning curve,
 * seconds). A checkpoint is written into a temporary folder and renamed into
 * place, so a reader finds a whole checkpoint or none; one whose weights do not
 * match their recorded hash is reported as corrupt and never used.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { isProcessAlive, writeFileSynced } from '../util/atomic';
import type { ParamStore } from './ops';

export interface CheckpointMeta<T> {
  key: string;
  variables: Array<{ name: string; shape: number[] }>;
  weightsSha256: string;
  /** What training produced besides the weights (curve, time), returned on load. */
  record: T;
  /** Description of what determined the key, for people reading the folder. */
  describes: unknown;
}

export type LoadResult<T> = { status: 'loaded'; record: T } | { status: 'missing' } | { status: 'corrupt'; reason: string };

const sha = (b: Uint8Array) => crypto.createHash('sha256').update(b).digest('hex');

export function checkpointDir(root: string, key: string): string {
  return path.join(root, key.slice(0, 2), key);
}

export function saveCheckpoint<T>(root: string, key: string, params: ParamStore, record: T, describes: unknown): void {
  const names = [...params.vars.keys()].sort();
  const parts = names.map((n) => params.vars.get(n)!.dataSync() as Float32Array);
  const total = parts.reduce((a, p) => a + p.length, 0);
  const weights = new Float32Array(total);
  let offset = 0;
  for (const p of parts) {
    weights.set(p, offset);
    offset += p.length;
  }
  const bytes = new Uint8Array(weights.buffer);
  const meta: CheckpointMeta<T> = {
    key,
    variables: names.map((n) => ({ name: n, shape: params.vars.get(n)!.shape })),
    weightsSha256: sha(bytes),
    record,
    describes,
  };
  const target = checkpointDir(root, key);
  const tmp = `${target}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
  fs.mkdirSync(tmp, { recursive: true });
  try {
    writeFileSynced(path.join(tmp, 'weights.bin'), bytes);
    // checkpoint.json last: its presence marks a complete folder even before the rename.
    writeFileSynced(path.join(tmp, 'checkpoint.json'), `${JSON.stringify(meta, null, 1)}\n`);
    fs.rmSync(target, { recursive: true, force: true });
    fs.renameSync(tmp, target);
  } catch (e) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
}

export function loadCheckpoint<T>(root: string, key: string, params: ParamStore): LoadResult<T> {
  const dir = checkpointDir(root, key);
  const metaFile = path.join(dir, 'checkpoint.json');
  if (!fs.existsSync(metaFile)) return { status: 'missing' };
  let meta: CheckpointMeta<T>;
  try {
    meta = JSON.parse(fs.readFileSync(metaFile, 'utf8'));
  } catch (e) {
    return { status: 'corrupt', reason: `checkpoint.json unreadable (${(e as Error).message})` };
  }
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(fs.readFileSync(path.join(dir, 'weights.bin')));
  } catch {
    return { status: 'corrupt', reason: 'weights.bin missing' };
  }
  if (meta.key !== key) return { status: 'corrupt', reason: 'key mismatch' };
  if (sha(bytes) !== meta.weightsSha256) return { status: 'corrupt', reason: 'weights.bin does not match its recorded sha256' };
  const expected = [...params.vars.keys()].sort();
  const names = meta.variables.map((v) => v.name);
  if (expected.join('\n') !== names.join('\n')) return { status: 'corrupt', reason: 'variables differ from the model' };
  const weights = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  let offset = 0;
  for (const v of meta.variables) {
    const variable = params.vars.get(v.name)!;
    const size = v.shape.reduce((a, b) => a * b, 1);
    if (v.shape.join(',') !== variable.shape.join(',') || offset + size > weights.length) return { status: 'corrupt', reason: `shape of ${v.name} differs` };
    tf.tidy(() => variable.assign(tf.tensor(weights.slice(offset, offset + size), variable.shape)));
    offset += size;
  }
  if (offset !== weights.length) return { status: 'corrupt', reason: 'weights.bin has trailing values' };
  return { status: 'loaded', record: meta.record };
}

/** Removes temporary folders left by a killed build (their process is gone). */
export function removeStaleTemporaries(root: string): number {
  if (!fs.existsSync(root)) return 0;
  let removed = 0;
  for (const shard of fs.readdirSync(root)) {
    const shardDir = path.join(root, shard);
    if (!fs.statSync(shardDir).isDirectory()) continue;
    for (const entry of fs.readdirSync(shardDir)) {
      const m = /\.tmp-(\d+)-/.exec(entry);
      if (m && !isProcessAlive(Number(m[1]))) {
        fs.rmSync(path.join(shardDir, entry), { recursive: true, force: true });
        removed++;
      }
    }
  }
  return removed;
}
