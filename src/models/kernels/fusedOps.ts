/**
 * Fused element-wise operations with their gradients, run by the SIMD kernels
 * on the WebAssembly heap. TensorFlow.js would spend several kernels and
 * memory passes on each (a bias add and its broadcast-gradient transpose and
 * sum; erf, exp and five multiplies for GELU; eleven kernels for LayerNorm);
 * here each is one pass forward and one backward.
 *
 * Each function returns undefined when the kernels are not loaded (another
 * backend): the caller then composes the operation from TensorFlow.js ops, the
 * reference against which the tests check these.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { GradSaveFunc } from '@tensorflow/tfjs-core';
import { allocate, heapOffset, simdKernels } from './simd';

/** Whether gradients are being recorded: only then do the forward kernels keep what the backward pass needs. */
function recording(): boolean {
  return (tf.engine() as unknown as { isTapeOn(): boolean }).isTapeOn();
}

const tensor = (info: tf.TensorInfo) => tf.engine().makeTensorFromTensorInfo(info) as tf.Tensor;
/** A gradient returned for two inputs must be two tensors (the engine disposes each); a clone shares the data. */
const twin = (t: tf.Tensor) => tf.clone(t);

function matrixShape(x: tf.Tensor): [number, number] {
  if (x.rank !== 2) throw new Error(`fused ops take matrices, got shape [${x.shape}]`);
  return [x.shape[0]!, x.shape[1]!];
}

/**
 * The kernels read and write raw memory by the sizes they are given, so every
 * operand is checked here: a wrong size would corrupt other tensors silently.
 */
function checkOperands(rows: number, cols: number, operands: { matrices?: Array<tf.Tensor | undefined>; vectors?: tf.Tensor[] }): void {
  for (const m of operands.matrices ?? []) {
    if (m && (m.dtype !== 'float32' || m.rank !== 2 || m.shape[0] !== rows || m.shape[1] !== cols)) {
      throw new Error(`fused op operand [${m.shape}] ${m.dtype} does not match the [${rows},${cols}] float32 input`);
    }
  }
  for (const v of operands.vectors ?? []) {
    if (v.dtype !== 'float32' || v.size !== cols) throw new Error(`fused op vector of ${v.size} ${v.dtype} does not match ${cols} float32 columns`);
  }
}

/** x + bias (+ residual): the bias gradient is a column sum, with no transpose. */
export function fusedBiasAdd(x: tf.Tensor2D, bias: tf.Tensor1D, residual?: tf.Tensor2D): tf.Tensor2D | undefined {
  const k = simdKernels();
  if (!k) return undefined;
  const [rows, cols] = matrixShape(x);
  checkOperands(rows, cols, { matrices: [x, residual], vectors: [bias] });
  const forward = (...args: unknown[]) => {
    const [xt, bt] = args as tf.Tensor[];
    const rt = residual ? (args[2] as tf.Tensor) : undefined;
    const y = allocate([rows, cols]);
    k.biasAdd(heapOffset(xt), heapOffset(bt), rt ? heapOffset(rt) : 0, heapOffset(y), rows, cols);
    return {
      value: tensor(y),
      gradFunc: (dy: tf.Tensor) => {
        const db = allocate([cols]);
        k.columnSum(heapOffset(dy), heapOffset(db), rows, cols);
        const grads = [twin(dy), tensor(db)];
        if (rt) grads.push(twin(dy));
        return grads;
      },
    };
  };
  const inputs = residual ? [x, bias, residual] : [x, bias];
  return tf.customGrad(forward as never)(...inputs) as tf.Tensor2D;
}

/**
 * GELU(x + bias)·keep, keep being an inverted-dropout mask (or none). The
 * forward kernel writes GELU'·keep beside the value, so the backward pass is
 * one multiply, fused with the bias gradient's column sum.
 */
export function fusedBiasGelu(x: tf.Tensor2D, bias: tf.Tensor1D, keep?: tf.Tensor2D): tf.Tensor2D | undefined {
  const k = simdKernels();
  if (!k) return undefined;
  const [rows, cols] = matrixShape(x);
  checkOperands(rows, cols, { matrices: [x, keep], vectors: [bias] });
  const withGradient = recording();
  const forward = (xt: tf.Tensor, bt: tf.Tensor, save: GradSaveFunc) => {
    const y = allocate([rows, cols]);
    const derivative = withGradient ? allocate([rows, cols]) : undefined;
    k.biasGelu(heapOffset(xt), heapOffset(bt), keep ? heapOffset(keep) : 0, heapOffset(y), derivative ? heapOffset(derivative) : 0, rows, cols);
    if (derivative) {
      const d = tensor(derivative);
      save([d]);
      d.dispose(); // the saved clone keeps the data
    }
    return {
      value: tensor(y),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const dx = allocate([rows, cols]);
        const db = allocate([cols]);
        k.mulColumnSum(heapOffset(dy), heapOffset(saved[0]), heapOffset(dx), heapOffset(db), rows, cols);
        return [tensor(dx), tensor(db)];
      },
    };
  };
  return tf.customGrad(forward as never)(x, bias) as tf.Tensor2D;
}

/** LayerNorm(a + b) over each row, with gamma and beta. */
export function fusedAddLayerNorm(a: tf.Tensor2D, b: tf.Tensor2D | undefined, gamma: tf.Tensor1D, beta: tf.Tensor1D, eps: number): tf.Tensor2D | undefined {
  const k = simdKernels();
  if (!k) return undefined;
  const [rows, cols] = matrixShape(a);
  checkOperands(rows, cols, { matrices: [a, b], vectors: [gamma, beta] });
  const forward = (...args: unknown[]) => {
    const save = args[args.length - 1] as GradSaveFunc;
    const tensors = args.slice(0, -1) as tf.Tensor[];
    const [at, bt] = [tensors[0], b ? tensors[1] : undefined];
    const [gt, betaT] = tensors.slice(-2);
    const y = allocate([rows, cols]);
    const xhat = allocate([rows, cols]);
    const rstd = allocate([rows]);
    k.addLayerNorm(heapOffset(at), bt ? heapOffset(bt) : 0, heapOffset(gt), heapOffset(betaT), heapOffset(y), heapOffset(xhat), heapOffset(rstd), rows, cols, eps);
    const kept = [tensor(xhat), tensor(rstd)];
    save([...kept, gt]);
    tf.dispose(kept);
    return {
      value: tensor(y),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xh, rs, g] = saved;
        const dx = allocate([rows, cols]);
        const dgamma = allocate([cols]);
        const dbeta = allocate([cols]);
        k.layerNormGrad(heapOffset(dy), heapOffset(xh), heapOffset(rs), heapOffset(g), heapOffset(dx), heapOffset(dgamma), heapOffset(dbeta), rows, cols);
        const dxt = tensor(dx);
        return b ? [dxt, twin(dxt), tensor(dgamma), tensor(dbeta)] : [dxt, tensor(dgamma), tensor(dbeta)];
      },
    };
  };
  const inputs = b ? [a, b, gamma, beta] : [a, gamma, beta];
  return tf.customGrad(forward as never)(...inputs) as tf.Tensor2D;
}
