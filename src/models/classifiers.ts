/**
 * The TensorFlow.js classifiers of Experiments 1 and 3. Each maps a batch of
 * standardised inputs (B × D) to class logits (B × C).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../util/random';
import { DropoutPool, ParamStore, addLayerNorm, layerNorm, linear, linearGelu, matMul } from './ops';

export interface Classifier {
  params: ParamStore;
  logits(x: tf.Tensor2D, training: boolean): tf.Tensor2D;
  dispose(): void;
}

export interface CanvasClassifierConfig {
  /** Positions = input features, one scalar each. */
  positions: number;
  classes: number;
  dModel: number;
  layers: number;
  ffn: number;
  dropout: number;
  /** Row-normalised mixing weights, P × P row-major (cortical mask or all-ones). */
  mixing: Float32Array;
  /** Positions whose mean state the classifier reads (the prefrontal region's). */
  readout: number[];
}

/**
 * Experiment 1's canvas classifier: each feature is one position, embedded by a
 * shared Linear(1, d) plus a learned position (region) embedding and a
 * LayerNorm; then blocks `h = LayerNorm(h + M(h)); h = h + FFN(h)` where M is
 * the row-normalised neighbour mean of canvas.ts; then a d-d-C classifier on
 * the readout positions. Activations are feature-major (P·B × d) as in canvas.ts.
 */
export function createCanvasClassifier(config: CanvasClassifierConfig, rng: Rng): Classifier {
  const { positions: P, dModel: d, classes: C } = config;
  const params = new ParamStore(rng);
  const input = params.linear('input', 1, d);
  const embedding = params.uniform('region_embedding', [P, 1, d], 1);
  const inputNorm = params.norm('input_norm', d);
  const blocks = Array.from({ length: config.layers }, (_, l) => ({
    value: params.linear(`layer${l}.value`, d, d),
    out: params.linear(`layer${l}.out`, d, d),
    norm: params.norm(`layer${l}.norm`, d),
    ffnIn: params.linear(`layer${l}.ffn_in`, d, config.ffn),
    ffnOut: params.linear(`layer${l}.ffn_out`, config.ffn, d),
  }));
  const head1 = params.linear('classifier.0', d, d);
  const head2 = params.linear('classifier.1', d, C);
  const mixing = tf.keep(tf.tensor2d(config.mixing, [P, P]));
  // The readout as a (1 × P) averaging row: a product, because gather has no gradient on the WebAssembly backend.
  const row = new Float32Array(P);
  for (const p of config.readout) row[p] = 1 / config.readout.length;
  const readout = tf.keep(tf.tensor2d(row, [1, P]));
  const dropouts = blocks.map(() => new DropoutPool(config.dropout, rng));
  return {
    params,
    logits(x, training) {
      return tf.tidy(() => {
        const B = x.shape[0];
        const scalars = tf.reshape(tf.transpose(x), [P * B, 1]) as tf.Tensor2D;
        let h = tf.reshape(tf.add(tf.reshape(linear(scalars, input), [P, B, d]), embedding), [P * B, d]) as tf.Tensor2D;
        h = layerNorm(h, inputNorm);
        blocks.forEach((block, l) => {
          const projected = linear(linear(h, block.value), block.out);
          const mixed = tf.reshape(matMul(mixing, tf.reshape(projected, [P, B * d]) as tf.Tensor2D), [P * B, d]) as tf.Tensor2D;
          h = addLayerNorm(h, mixed, block.norm);
          const inner = linearGelu(h, block.ffnIn, training ? dropouts[l] : undefined);
          h = linear(inner, block.ffnOut, h);
        });
        const state = tf.reshape(matMul(readout, tf.reshape(h, [P, B * d]) as tf.Tensor2D), [B, d]) as tf.Tensor2D;
        return linear(linearGelu(state, head1), head2);
      });
    },
    dispose() {
      params.dispose();
      mixing.dispose();
      readout.dispose();
      for (const p of dropouts) p.dispose();
    },
  };
}

export interface MlpConfig {
  inputs: number;
  classes: number;
  /** Widths of the hidden layers (the study's flat MLP: 128, 128, 128, 128). */
  hidden: number[];
  dropout: number;
}

/** The flat baseline: an MLP on the feature vector, GELU and dropout between layers. */
export function createMlpClassifier(config: MlpConfig, rng: Rng): Classifier {
  const params = new ParamStore(rng);
  const widths = [config.inputs, ...config.hidden];
  const layers = config.hidden.map((w, i) => params.linear(`fc${i}`, widths[i], w));
  const out = params.linear('out', widths[widths.length - 1], config.classes);
  const dropouts = layers.map(() => new DropoutPool(config.dropout, rng));
  return {
    params,
    logits(x, training) {
      return tf.tidy(() => {
        let h = x;
        layers.forEach((l, i) => {
          h = linearGelu(h, l, training ? dropouts[i] : undefined);
        });
        return linear(h, out);
      });
    },
    dispose() {
      params.dispose();
      for (const p of dropouts) p.dispose();
    },
  };
}

export interface AttentionDecoderConfig {
  /** For each region, the input columns it embeds (empty: the region starts from its embedding alone). */
  regionInputs: number[][];
  classes: number;
  dModel: number;
  layers: number;
  heads: number;
  ffn: number;
  /** R × R, 1 where region (row) may attend to region (column). */
  allowed: Uint8Array;
  readout: number;
}

/**
 * Experiment 3's canvas decoder: one position per region of the BCI program; a
 * region with electrodes embeds them with its own Linear(n, d), plus a learned
 * region embedding. Post-norm transformer layers (multi-head attention masked by
 * the declared topology, then a GELU FFN), and a Linear(d, C) on the readout
 * region. Here attention is real: a region has several neighbours.
 */
export function createAttentionDecoder(config: AttentionDecoderConfig, rng: Rng): Classifier {
  const { dModel: d, heads: H, classes: C } = config;
  const R = config.regionInputs.length;
  if (d % H !== 0) throw new Error(`dModel ${d} is not divisible by ${H} heads`);
  const dh = d / H;
  const params = new ParamStore(rng);
  const embeds = config.regionInputs.map((cols, r) => (cols.length ? params.linear(`region${r}.input`, cols.length, d) : undefined));
  const embedding = params.uniform('region_embedding', [1, R, d], 1);
  const blocks = Array.from({ length: config.layers }, (_, l) => ({
    q: params.linear(`layer${l}.q`, d, d),
    k: params.linear(`layer${l}.k`, d, d),
    v: params.linear(`layer${l}.v`, d, d),
    o: params.linear(`layer${l}.o`, d, d),
    norm1: params.norm(`layer${l}.norm1`, d),
    ffnIn: params.linear(`layer${l}.ffn_in`, d, config.ffn),
    ffnOut: params.linear(`layer${l}.ffn_out`, config.ffn, d),
    norm2: params.norm(`layer${l}.norm2`, d),
  }));
  const head = params.linear('classifier', d, C);
  const bias = tf.keep(tf.tensor3d(Float32Array.from(config.allowed, (a) => (a ? 0 : -1e9)), [1, R, R]));
  const columns = config.regionInputs.map((cols) => (cols.length ? tf.keep(tf.tensor1d(cols, 'int32')) : undefined));
  const split = (t: tf.Tensor2D, B: number) => tf.reshape(tf.transpose(tf.reshape(t, [B, R, H, dh]), [0, 2, 1, 3]), [B * H, R, dh]) as tf.Tensor3D;
  return {
    params,
    logits(x, _training) {
      return tf.tidy(() => {
        const B = x.shape[0];
        const tokens = config.regionInputs.map((cols, r) =>
          cols.length ? linear(tf.gather(x, columns[r]!, 1) as tf.Tensor2D, embeds[r]!) : tf.zeros([B, d]),
        );
        let h = tf.reshape(tf.add(tf.stack(tokens, 1), embedding), [B * R, d]) as tf.Tensor2D;
        for (const block of blocks) {
          const q = split(linear(h, block.q), B);
          const k = split(linear(h, block.k), B);
          const v = split(linear(h, block.v), B);
          const scores = tf.add(tf.mul(tf.matMul(q, tf.transpose(k, [0, 2, 1])), 1 / Math.sqrt(dh)), bias);
          const attended = tf.matMul(tf.softmax(scores), v);
          const merged = tf.reshape(tf.transpose(tf.reshape(attended, [B, H, R, dh]), [0, 2, 1, 3]), [B * R, d]) as tf.Tensor2D;
          h = addLayerNorm(h, linear(merged, block.o), block.norm1);
          h = addLayerNorm(h, linear(linearGelu(h, block.ffnIn), block.ffnOut), block.norm2);
        }
        const state = tf.reshape(tf.slice(tf.reshape(h, [B, R, d]), [0, config.readout, 0], [B, 1, d]), [B, d]) as tf.Tensor2D;
        return linear(state, head);
      });
    },
    dispose() {
      params.dispose();
      bias.dispose();
      for (const c of columns) c?.dispose();
    },
  };
}
