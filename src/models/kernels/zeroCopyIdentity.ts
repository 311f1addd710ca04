/**
 * Kernel replacements for the WebAssembly backend.
 *
 * TensorFlow.js keeps a clone of every tensor a gradient will need
 * (`saveTensorsForBackwardMode`), and the WebAssembly backend's Identity kernel
 * copies the data: about 150 copies of activations per training step of the
 * 135-feature canvas model. Tensors are immutable (a variable's assign swaps
 * its data for the new tensor's; no kernel writes into an input), so a clone
 * can share its input's buffer, with the backend counting references, exactly
 * as this backend's own Reshape kernel already does.
 */
import * as tf from '@tensorflow/tfjs-core';

interface WasmBackendLike {
  incRef(dataId: unknown): void;
}

let installed = false;

export function installZeroCopyIdentity(): void {
  if (installed) return;
  const original = tf.getKernel('Identity', 'wasm');
  if (!original) return;
  installed = true;
  tf.unregisterKernel('Identity', 'wasm');
  tf.registerKernel({
    kernelName: 'Identity',
    backendName: 'wasm',
    kernelFunc: (args) => {
      const x = args.inputs.x as tf.TensorInfo;
      // Strings live outside the WebAssembly heap; leave them to the original kernel.
      if (x.dtype === 'string') return original.kernelFunc(args);
      (args.backend as unknown as WasmBackendLike).incRef(x.dataId);
      return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
    },
  });
}
