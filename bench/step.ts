import { initBackend } from '../src/models/backend';
import { createCanvasModel } from '../src/models/canvas';
import { createFlatModel, flatHidden } from '../src/models/flat';
import { trainWindowModel } from '../src/models/train';
import { createRng } from '../src/util/random';
import type { WindowSet } from '../src/features/windows';

const info = await initBackend(process.argv[2]);
console.log(info);
const F = 135, C = 3;
const mk = (n: number): WindowSet => {
  const r = createRng(n);
  return { inputs: Float32Array.from({ length: n * C * F }, () => r.normal()), targets: Float32Array.from({ length: n * F }, () => r.normal()), count: n, context: C, features: F, stimulusOf: [] };
};
const mixing = new Float32Array(F * F).fill(1 / F);
for (const kind of ['canvas', 'flat']) {
  const m = kind === 'canvas' ? createCanvasModel('cortical', { features: F, context: C, dModel: 64, layers: 3, ffn: 256, dropout: 0.1, mixing }, createRng(1)) : createFlatModel({ features: F, context: C, hidden: flatHidden(F) }, createRng(1));
  const steps = 10;
  const r = trainWindowModel(m, mk(120), mk(11), { steps, batchSize: 64, learningRate: 1e-3, weightDecay: 1e-4, clipNorm: 1, evalEvery: 1000, seed: 42 });
  console.log(kind, 'params', r.parameters, 'ms/step', (r.seconds * 1000 / steps).toFixed(1), r.curve.map(c=>c.valR2.toFixed(3)));
}
