import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../src/models/backend';
import { createCanvasModel } from '../src/models/canvas';
import { createRng } from '../src/util/random';
await initBackend(process.argv[2]);
const F = 135, C = 3, B = 64;
const mixing = new Float32Array(F * F).fill(1 / F);
const m = createCanvasModel('cortical', { features: F, context: C, dModel: 64, layers: 3, ffn: 256, dropout: 0.1, mixing }, createRng(1));
const x = tf.randomNormal([B, C, F]) as tf.Tensor3D; const y = tf.randomNormal([B, F]);
const run = () => { const { value, grads } = tf.variableGrads(() => tf.mean(tf.squaredDifference(m.apply(x, true, 1), y)) as tf.Scalar); value.dataSync(); value.dispose(); Object.values(grads).forEach(g => g.dispose()); };
run();
const prof = await tf.profile(run);
const agg = new Map<string, { ms: number; n: number }>();
for (const k of prof.kernels) { const a = agg.get(k.name) ?? { ms: 0, n: 0 }; a.ms += k.kernelTimeMs as number; a.n++; agg.set(k.name, a); }
const rows = [...agg].sort((a, b) => b[1].ms - a[1].ms);
let total = 0; for (const [, a] of rows) total += a.ms;
console.log('total kernel ms', total.toFixed(1));
for (const [k, a] of rows.slice(0, 25)) console.log(k.padEnd(24), a.ms.toFixed(1).padStart(8), a.n);
const t = performance.now(); for (let i = 0; i < 3; i++) run(); console.log('fwd+bwd ms', ((performance.now() - t) / 3).toFixed(1));
