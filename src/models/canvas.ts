/**
 * The cortical canvas model for next-step prediction. Each feature holds one
 * position; a layer lets every feature read its mask-neighbours:
 *
 *   M(h)_i = Σ_j w_ij · out(value(h_j)) / Σ_j w_ij
 *   h = LayerNorm(h + M(h));  h = h + FFN(h)
 *
 * In the study this mixing was a per-connection attention, but with one position
 * per feature every softmax had a single key, so it reduces exactly to this
 * weighted neighbour mean; query and key projections would have no effect and
 * are left out. The dense control is the same network with an all-ones mask.
 *
 * Activations are kept feature-major, (F·B × d), so the linear layers are plain
 * 2-D products and the mixing is one (F × F)·(F × B·d) product, with no
 * transposes inside the layers.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../util/random';
import type { WindowModel } from './model';
import { DropoutPool, ParamStore, addLayerNorm, linear, linearGelu, matMul } from './ops';

export interface CanvasConfig {
  features: number;
  context: number;
  dModel: number;
  layers: number;
  ffn: number;
  dropout: number;
  /** Row-normalised mixing weights, F × F row-major (see `rowNormalise`). */
  mixing: Float32Array;
}

export function createCanvasModel(kind: string, config: CanvasConfig, rng: Rng): WindowModel {
  const { features: F, context: C, dModel: d, layers, ffn } = config;
  if (config.mixing.length !== F * F) throw new Error(`mixing matrix has ${config.mixing.length} entries, expected ${F * F}`);
  const params = new ParamStore(rng);
  const input = params.linear('input', C, d);
  const blocks = Array.from({ length: layers }, (_, l) => ({
    value: params.linear(`layer${l}.value`, d, d),
    out: params.linear(`layer${l}.out`, d, d),
    norm: params.norm(`layer${l}.norm`, d),
    ffnIn: params.linear(`layer${l}.ffn_in`, d, ffn),
    ffnOut: params.linear(`layer${l}.ffn_out`, ffn, d),
  }));
  const head = params.linear('head', d, 1);
  const mixing = tf.keep(tf.tensor2d(config.mixing, [F, F]));
  const dropouts = blocks.map(() => new DropoutPool(config.dropout, rng));

  /** The forward pass; `onHidden` sees the hidden state after the input projection and after each layer. */
  const forward = (x: tf.Tensor3D, training: boolean, onHidden?: (h: tf.Tensor2D) => void) => {
    const B = x.shape[0];
    let h = linear(tf.reshape(tf.transpose(x, [2, 0, 1]), [F * B, C]) as tf.Tensor2D, input);
    onHidden?.(h);
    blocks.forEach((block, l) => {
      const projected = linear(linear(h, block.value), block.out);
      const mixed = tf.reshape(matMul(mixing, tf.reshape(projected, [F, B * d])), [F * B, d]) as tf.Tensor2D;
      h = addLayerNorm(h, mixed, block.norm);
      const inner = linearGelu(h, block.ffnIn, training ? dropouts[l] : undefined);
      h = linear(inner, block.ffnOut, h);
      onHidden?.(h);
    });
    return tf.transpose(tf.reshape(linear(h, head), [F, B])) as tf.Tensor2D;
  };

  return {
    kind,
    params,
    apply(x, training, seed) {
      return tf.tidy(() => forward(x, training));
    },
    hiddenNorms(x) {
      return tf.tidy(() => {
        const B = x.shape[0];
        const norms: Float32Array[] = [];
        // Rows are feature-major (F·B × d): the L2 norm of each row, averaged over the B windows.
        forward(x, false, (h) => norms.push(tf.mean(tf.reshape(tf.norm(h, 'euclidean', 1), [F, B]), 1).dataSync() as Float32Array));
        return norms;
      });
    },
    dispose() {
      params.dispose();
      mixing.dispose();
      for (const d of dropouts) d.dispose();
    },
  };
}
