/**
 * The SIMD kernels, instantiated on TensorFlow.js's WebAssembly heap: each
 * kernel takes tensors' heap offsets and writes into output tensors allocated
 * by the backend, so no data is copied in or out.
 */
import * as tf from '@tensorflow/tfjs-core';
import { kernelBinary } from './compile';

export interface SimdKernels {
  biasAdd(x: number, bias: number, residual: number, y: number, rows: number, cols: number): void;
  columnSum(x: number, out: number, rows: number, cols: number): void;
  biasGelu(x: number, bias: number, keep: number, y: number, derivative: number, rows: number, cols: number): void;
  mulColumnSum(dy: number, derivative: number, dx: number, dbias: number, rows: number, cols: number): void;
  addLayerNorm(a: number, b: number, gamma: number, beta: number, y: number, xhat: number, rstd: number, rows: number, cols: number, eps: number): void;
  layerNormGrad(dy: number, xhat: number, rstd: number, gamma: number, dx: number, dgamma: number, dbeta: number, rows: number, cols: number): void;
  sumOfSquares(x: number, n: number): number;
  adamW(p: number, g: number, m: number, v: number, pOut: number, mOut: number, vOut: number, n: number, lr: number, beta1: number, beta2: number, c1: number, c2: number, eps: number, decay: number, scale: number): void;
}

/** The parts of the WebAssembly backend the kernels use. */
export interface WasmBackend {
  wasm: { asm: { memory: WebAssembly.Memory } };
  dataIdMap: { get(dataId: unknown): { memoryOffset: number } | undefined };
  makeOutput(shape: number[], dtype: 'float32'): tf.TensorInfo;
}

let kernels: SimdKernels | undefined;
/** The heap the kernels were instantiated on: they must never run against another. */
let boundMemory: WebAssembly.Memory | undefined;
let enabled = true;

function backendMemory(): WebAssembly.Memory | undefined {
  return (tf.backend() as unknown as Partial<WasmBackend>).wasm?.asm?.memory;
}

/**
 * Turns the fused kernels off (or back on) for this thread: the models then
 * compose the same operations from TensorFlow.js ops. The tests compare the
 * two paths; the benchmark times both.
 */
export function useSimdKernels(on: boolean): void {
  enabled = on;
}

/** Instantiates the kernels on the current WebAssembly backend's memory (once). */
export async function loadSimdKernels(): Promise<SimdKernels> {
  const memory = backendMemory();
  if (kernels && memory === boundMemory) return kernels;
  if (!(memory instanceof WebAssembly.Memory)) throw new Error('the WebAssembly backend does not expose its memory');
  const module = await WebAssembly.compile(await kernelBinary());
  const instance = await WebAssembly.instantiate(module, { env: { memory } });
  kernels = instance.exports as unknown as SimdKernels;
  boundMemory = memory;
  return kernels;
}

/** The loaded kernels, or undefined before `loadSimdKernels` or on another backend. */
export function simdKernels(): SimdKernels | undefined {
  // A new backend instance (a reset engine) has a new heap: the offsets would point into the wrong one.
  return kernels && enabled && tf.getBackend() === 'wasm' && backendMemory() === boundMemory ? kernels : undefined;
}

/** The heap offset of a tensor's data on the WebAssembly backend. */
export function heapOffset(t: tf.TensorInfo): number {
  const entry = (tf.backend() as unknown as WasmBackend).dataIdMap.get(t.dataId);
  if (!entry) throw new Error('tensor has no data on the WebAssembly backend');
  return entry.memoryOffset;
}

/** A new float32 tensor on the WebAssembly heap, uninitialised, for a kernel to fill. */
export function allocate(shape: number[]): tf.TensorInfo {
  return (tf.backend() as unknown as WasmBackend).makeOutput(shape, 'float32');
}
