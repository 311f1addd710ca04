/**
 * Property-based fuzzing of every reader on mutated real files (and small crafted
 * ones): each run must return a well-formed value or throw an InputError that names
 * the file. Any other error (a RangeError from an absurd allocation, a TypeError, a
 * stack overflow) fails the property. Seeded (FUZZ_SEED, default fixed): fast-check
 * prints the seed and the path of a failing case, and `FUZZ_SEED=<seed>` replays it.
 */
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { strFromU8, gunzipSync, gzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { ATLAS_VERTICES, loadDestrieux } from '../../src/data/atlas';
import { InputError } from '../../src/data/errors';
import { parseGifti } from '../../src/data/gifti';
import { loadManifest } from '../../src/data/manifest';
import type { NdArray } from '../../src/data/ndarray';
import { parseMontage } from '../../src/data/montage';
import { parseNpy } from '../../src/data/npy';
import { parseNpz } from '../../src/data/npz';
import { loadStimulus } from '../../src/data/stimuli';
import { parseDefinition } from '../../src/pipeline/definition';
import { REPO_ROOT } from '../support';
import { DATA, FIXTURES, npyBytes, tempDir } from './helpers';
import { FUZZ_SEED, mutate, mutations } from './mutate';

const read = (p: string) => new Uint8Array(fs.readFileSync(p));
const params = (numRuns: number) => ({ seed: FUZZ_SEED, numRuns: Math.round(numRuns * RUNS_SCALE) });
/** FUZZ_RUNS=30 runs ten times as many cases as the default (3) (for a longer search than CI does). */
const RUNS_SCALE = Number(process.env.FUZZ_RUNS ?? 3);

/** Runs `fn`; an InputError naming `source` is a pass, a value must pass `check`, anything else fails. */
function survives<T>(source: string, fn: () => T, check: (v: T) => void): void {
  let value: T;
  try {
    value = fn();
  } catch (e) {
    if (e instanceof InputError) {
      expect(e.message.startsWith(e.file)).toBe(true);
      expect(e.file).toContain(source);
      return;
    }
    throw e;
  }
  check(value);
}

function wellFormed(a: NdArray): void {
  expect(['float32', 'float64', 'int32']).toContain(a.dtype);
  expect(a.data.length).toBe(a.shape.reduce((x, y) => x * y, 1));
  const ctor = { float32: Float32Array, float64: Float64Array, int32: Int32Array }[a.dtype];
  expect(a.data).toBeInstanceOf(ctor);
}

describe('fuzz: .npy', () => {
  const files = [...fs.readdirSync(FIXTURES).filter((f) => f.endsWith('.npy')).map((f) => path.join(FIXTURES, f)), path.join(DATA, 'atlas/destrieux_labels.npy')];
  const inputs = files.map((f) => ({ f, bytes: read(f) }));

  it('mutated real and fixture files', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: inputs.length - 1 }), mutations, (k, ms) => {
        survives(inputs[k].f, () => parseNpy(mutate(inputs[k].bytes, ms), inputs[k].f), wellFormed);
      }),
      params(400),
    );
  });

  it('crafted headers: any dtype, shape (up to 10^12 and beyond 2^53), order and data length', () => {
    const dim = fc.oneof(fc.integer({ min: 0, max: 40 }), fc.constantFrom(20484, 1e12, 2 ** 53, -1, 1.5, 1e300));
    const header = fc.record({
      descr: fc.constantFrom("'<f4'", "'>f8'", "'<i4'", "'|u1'", "'<f2'", "'|O'", "'<c8'", "[('a', '<f4')]", '3', "'f4'"),
      fortran: fc.constantFrom('True', 'False', '1', "'no'"),
      shape: fc.array(dim, { maxLength: 4 }),
      data: fc.integer({ min: 0, max: 512 }),
      version: fc.constantFrom(1, 2, 3),
    });
    fc.assert(
      fc.property(header, (h) => {
        const shape = h.shape.length === 1 ? `(${h.shape[0]},)` : `(${h.shape.join(', ')})`;
        const bytes = npyBytes(`{'descr': ${h.descr}, 'fortran_order': ${h.fortran}, 'shape': ${shape}, }`, new Uint8Array(h.data), h.version);
        survives('crafted.npy', () => parseNpy(bytes, 'crafted.npy'), wellFormed);
      }),
      params(400),
    );
  });
});

describe('fuzz: .npz', () => {
  const small = npyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }", new Uint8Array(48).fill(0x3f));
  const inputs = [
    { f: path.join(FIXTURES, 'compressed.npz'), bytes: read(path.join(FIXTURES, 'compressed.npz')) },
    { f: path.join(DATA, 'tribev2/tinycrops/condition_means.npz'), bytes: read(path.join(DATA, 'tribev2/tinycrops/condition_means.npz')) },
    { f: 'crafted-deflate.npz', bytes: zipSync({ 'preds.npy': small, 'b.npy': small }, { level: 6 }) },
    { f: 'crafted-stored.npz', bytes: zipSync({ 'preds.npy': small }, { level: 0 }) },
  ];

  it('mutated archives (central directory, local headers, deflate streams)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: inputs.length - 1 }), mutations, fc.boolean(), (k, ms, tail) => {
        const { f, bytes } = inputs[k];
        // Half the runs aim at the end, where the central directory and its sizes live.
        const mutated = tail ? reverse(mutate(reverse(bytes), ms)) : mutate(bytes, ms);
        survives(f, () => parseNpz(mutated, f), (m) => m.forEach(wellFormed));
      }),
      params(400),
    );
  });
});

function reverse(b: Uint8Array): Uint8Array {
  return Uint8Array.from(b).reverse();
}

describe('fuzz: GIfTI', () => {
  const gz = path.join(DATA, 'fsaverage5/curv_left.gii.gz');
  const gzBytes = read(gz);
  const xml = gunzipSync(gzBytes);
  const xmlText = strFromU8(xml);
  const wellFormedImage = (img: ReturnType<typeof parseGifti>) => {
    for (const a of img.arrays) expect(a.data.length).toBe(a.dims.reduce((x, y) => x * y, 1));
  };

  it('mutated gzip files', () => {
    fc.assert(
      fc.property(mutations, (ms) => survives(gz, () => parseGifti(mutate(gzBytes, ms), gz), wellFormedImage)),
      params(60),
    );
  });

  it('mutated XML, and XML with edited DataArray attributes (dims up to 10^12, types, encodings)', () => {
    const attribute = fc.oneof(
      fc.record({ name: fc.constantFrom('Dim0', 'Dim1', 'Dimensionality'), value: fc.constantFrom('0', '1', '3', '10242', '1000000000000', '-1', 'x', '') }),
      fc.record({ name: fc.constant('DataType'), value: fc.constantFrom('NIFTI_TYPE_FLOAT32', 'NIFTI_TYPE_INT32', 'NIFTI_TYPE_UINT8', 'NIFTI_TYPE_FLOAT64', '') }),
      fc.record({ name: fc.constant('Encoding'), value: fc.constantFrom('ASCII', 'Base64Binary', 'GZipBase64Binary', 'External') }),
      fc.record({ name: fc.constant('Endian'), value: fc.constantFrom('LittleEndian', 'BigEndian', 'Middle') }),
      fc.record({ name: fc.constant('ArrayIndexingOrder'), value: fc.constantFrom('RowMajorOrder', 'ColumnMajorOrder', 'Diagonal') }),
    );
    fc.assert(
      fc.property(fc.array(attribute, { maxLength: 3 }), fc.option(mutations, { nil: undefined }), fc.boolean(), (edits, ms, zip) => {
        let text = xmlText;
        for (const e of edits) text = text.replace(new RegExp(`${e.name}="[^"]*"`), `${e.name}="${e.value}"`);
        let bytes: Uint8Array = new TextEncoder().encode(text);
        if (ms) bytes = mutate(bytes, ms);
        if (zip) bytes = gzipSync(bytes);
        survives('curv.gii', () => parseGifti(bytes, 'curv.gii'), wellFormedImage);
      }),
      params(150),
    );
  });
});

describe('fuzz: montage, atlas, manifest, experiment definition, stimulus', () => {
  it('mutated 10-20 montage', () => {
    const file = path.join(DATA, 'eeg/fsaverage_1020.tsv');
    const bytes = read(file);
    fc.assert(
      fc.property(mutations, (ms) =>
        survives(file, () => parseMontage(new TextDecoder().decode(mutate(bytes, ms)), file), (es) => {
          expect(es.length).toBeGreaterThan(0);
          for (const e of es) expect([e.x, e.y, e.z].every(Number.isFinite)).toBe(true);
          expect(new Set(es.map((e) => e.label)).size).toBe(es.length);
        }),
      ),
      params(300),
    );
  });

  it('mutated Destrieux labels and names', () => {
    const dir = tempDir('fuzz-atlas');
    fs.mkdirSync(path.join(dir, 'atlas'));
    const labels = read(path.join(DATA, 'atlas/destrieux_labels.npy'));
    const names = read(path.join(DATA, 'atlas/destrieux_parcels.json'));
    fc.assert(
      fc.property(mutations, fc.boolean(), (ms, which) => {
        fs.writeFileSync(path.join(dir, 'atlas/destrieux_labels.npy'), which ? mutate(labels, ms) : labels);
        fs.writeFileSync(path.join(dir, 'atlas/destrieux_parcels.json'), which ? names : mutate(names, ms));
        survives(path.join(dir, 'atlas'), () => loadDestrieux(dir), (a) => {
          expect(a.labels.length).toBe(ATLAS_VERTICES);
          for (const l of a.labels) expect(a.names.has(l)).toBe(true);
        });
      }),
      params(100),
    );
  });

  it('mutated data manifest', () => {
    const dir = tempDir('fuzz-manifest');
    const file = path.join(dir, 'manifest.json');
    const bytes = read(path.join(DATA, 'manifest.json'));
    fc.assert(
      fc.property(mutations, (ms) => {
        fs.writeFileSync(file, mutate(bytes, ms));
        survives(file, () => loadManifest(file), (m) => {
          expect(Array.isArray(m.files) && Array.isArray(m.stimuli)).toBe(true);
        });
      }),
      params(150),
    );
  });

  it('mutated experiment definition', () => {
    const file = path.join(REPO_ROOT, 'content/experiments/exp2.yaml');
    const bytes = read(file);
    fc.assert(
      fc.property(mutations, (ms) =>
        survives(file, () => parseDefinition(new TextDecoder().decode(mutate(bytes, ms)), file), (d) => {
          expect(d.training.steps).toBeGreaterThan(0);
          expect(d.training.learningRate).toBeGreaterThan(0);
          expect(d.training.learningRate).toBeLessThan(1);
        }),
      ),
      params(300),
    );
  });

  it('mutated TRIBE v2 predictions (.npy slice of a real one, and .npz)', () => {
    const dir = tempDir('fuzz-stimulus');
    // The first 2 timesteps of a real prediction, as numpy would save them.
    const full = parseNpy(read(path.join(DATA, 'tribev2/aniketmallick/pred_A.npy')), 'pred_A.npy');
    const slice = new Uint8Array(full.data.buffer, full.data.byteOffset, 2 * 20484 * 4);
    const npy = npyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 20484), }", slice);
    const npz = zipSync({ 'preds.npy': npy }, { level: 1 });
    const stimulus = (file: string, key: string | null) => ({ id: 'x', file, key, kind: 'timeseries' as const, shape: [2, 20484], label: 'video', description: '' });
    fc.assert(
      fc.property(mutations, fc.boolean(), (ms, asNpz) => {
        const file = asNpz ? 'p.npz' : 'p.npy';
        fs.writeFileSync(path.join(dir, file), mutate(asNpz ? npz : npy, ms));
        survives(path.join(dir, file), () => loadStimulus(dir, stimulus(file, asNpz ? 'preds' : null)), (s) => {
          expect(s.timesteps).toBe(2);
          expect(s.values.length).toBe(2 * 20484);
          expect(s.values.every(Number.isFinite)).toBe(true);
        });
      }),
      params(100),
    );
  });
});
