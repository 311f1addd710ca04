/**
 * Picks the fastest TensorFlow.js backend that loads on this machine:
 * tfjs-node-gpu, then tfjs-node (both optional: their install downloads
 * libtensorflow, which fails without internet), then WebAssembly, then plain JS.
 */
import * as tf from '@tensorflow/tfjs-core';
// tfjs-core registers no gradients itself; the union package's Node bundle does
// (tfjs-core's own ESM registration file cannot be imported by Node).
import '@tensorflow/tfjs';
import { installFastMatMulGradient } from './ops';
import { kernelCompilerVersion } from './kernels/compile';
import { loadSimdKernels } from './kernels/simd';
import { installZeroCopyIdentity } from './kernels/zeroCopyIdentity';

export interface BackendInfo {
  name: string;
  package: string;
  version: string;
  /** The project's own fused kernels when they run (WebAssembly backend), e.g. "SIMD kernels (AssemblyScript 0.28.20)". */
  kernels?: string;
  /** Why the fused kernels could not be loaded on the WebAssembly backend, when they could not. */
  kernelsMissing?: string;
}

let chosen: BackendInfo | undefined;

async function tryNative(pkg: string, backend: string): Promise<BackendInfo | undefined> {
  try {
    await import(/* @vite-ignore */ pkg);
    if (await tf.setBackend(backend)) return { name: backend, package: pkg, version: tf.version_core };
  } catch {
    // Not installed, or its libtensorflow is missing: fall through to the next one.
  }
  return undefined;
}

/**
 * Loads the fused SIMD kernels on the WebAssembly backend and notes them (or
 * why they are absent) in `info`. Training works without them, on
 * TensorFlow.js's own kernels, about 1.5× slower.
 */
async function attachSimdKernels(info: BackendInfo): Promise<void> {
  if (process.env.BRAIN_SIMD_KERNELS === '0') {
    info.kernelsMissing = 'turned off by BRAIN_SIMD_KERNELS=0';
    return;
  }
  try {
    await loadSimdKernels();
    info.kernels = `SIMD kernels (AssemblyScript ${kernelCompilerVersion()})`;
  } catch (e) {
    info.kernelsMissing = (e as Error).message.split('\n')[0];
  }
}

/**
 * What a trained model's numbers depend on beyond the code and the data: the
 * backend and whether the fused kernels ran (they round differently from
 * TensorFlow.js's own ops, by about 1e-6). Checkpoint and fold-cache keys use it.
 */
export function trainingBackend(info: BackendInfo): string {
  return info.kernels ? `${info.name} with ${info.kernels}` : info.name;
}

export async function initBackend(preferred?: string): Promise<BackendInfo> {
  if (chosen && (!preferred || preferred === chosen.name)) return chosen;
  const candidates: Array<() => Promise<BackendInfo | undefined>> = [];
  if (!preferred || preferred === 'tensorflow') {
    candidates.push(() => tryNative('@tensorflow/tfjs-node-gpu', 'tensorflow'));
    candidates.push(() => tryNative('@tensorflow/tfjs-node', 'tensorflow'));
  }
  if (!preferred || preferred === 'wasm') {
    candidates.push(async () => {
      await import('@tensorflow/tfjs-backend-wasm');
      return (await tf.setBackend('wasm')) ? { name: 'wasm', package: '@tensorflow/tfjs-backend-wasm', version: tf.version_core } : undefined;
    });
  }
  if (!preferred || preferred === 'cpu') {
    candidates.push(async () => {
      await import('@tensorflow/tfjs-backend-cpu');
      return (await tf.setBackend('cpu')) ? { name: 'cpu', package: '@tensorflow/tfjs-backend-cpu', version: tf.version_core } : undefined;
    });
  }
  for (const candidate of candidates) {
    const info = await candidate().catch(() => undefined);
    if (info) {
      await tf.ready();
      installFastMatMulGradient();
      if (info.name === 'wasm') {
        installZeroCopyIdentity();
        await attachSimdKernels(info);
      }
      chosen = info;
      return info;
    }
  }
  throw new Error(`no TensorFlow.js backend could be loaded${preferred ? ` (asked for "${preferred}")` : ''}`);
}
