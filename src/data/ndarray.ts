/** A dense array read from disk, always laid out in C (row-major) order. */
export type DType = 'float32' | 'float64' | 'int32';

export interface NdArray {
  dtype: DType;
  shape: number[];
  data: Float32Array | Float64Array | Int32Array;
}

export function elementCount(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Row `i` of a 2-D array as float64 (a copy). */
export function row(array: NdArray, i: number): Float64Array {
  const cols = array.shape[1];
  return Float64Array.from(array.data.subarray(i * cols, (i + 1) * cols));
}
