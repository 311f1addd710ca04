/**
 * Bad inputs, each run through the real pipeline entry point (runPipeline, as
 * `npm run build` calls it) on the real bundle with one thing broken: a data file, the
 * manifest, or an experiment definition. Every case must stop the build with an
 * InputError whose message names the file and the problem, and must leave the
 * previous results file and checkpoints byte for byte as they were. A few cases go
 * through the command line, where the exit code and a one-line stderr matter.
 */
import { spawnSync } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { zipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/data/errors';
import { loadManifest } from '../../src/data/manifest';
import { runPipeline } from '../../src/pipeline/build';
import { silentProgress } from '../../src/pipeline/progress';
import { REPO_ROOT, SHARED_DATA } from '../support';
import { TINY_DEFINITION, type Bundle, editGifti, editManifest, editPointset, f32npy, fingerprint, linkBundle, npy, predictionValues, replaceFile, shared, tempDir } from './helpers';


const PRED_A = 'tribev2/aniketmallick/pred_A.npy';
const CLIP = 'tribev2/ansumanbhujabal/clip_001.npz';
const PIAL = 'fsaverage5/pial_left.gii.gz';

/** The previous good output: a results file and a checkpoint, which no refused build may touch. */
const out = tempDir('bad-input-out');
const resultsDir = path.join(out, 'experiments');
const checkpointsDir = path.join(out, 'checkpoints');

function definitions(text = TINY_DEFINITION, name = 'exp2.yaml'): string {
  const dir = tempDir('defs');
  fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

async function build(opts: { bundle?: Bundle; defs?: string; only?: string } = {}): Promise<unknown> {
  const manifestPath = opts.bundle?.manifestPath ?? path.join(SHARED_DATA, 'manifest.json');
  try {
    await runPipeline({
      root: REPO_ROOT,
      dataDir: opts.bundle?.dir ?? SHARED_DATA,
      manifest: loadManifest(manifestPath),
      manifestPath,
      definitionsDir: opts.defs ?? definitions(),
      resultsDir,
      checkpointsDir,
      only: opts.only,
      progress: silentProgress,
    });
  } catch (e) {
    return e;
  }
  return undefined;
}

/** A zip with its first central-directory record or end record edited. */
function editZip(bytes: Uint8Array, edit: (view: DataView, central: number, end: number) => void): Uint8Array {
  const copy = Uint8Array.from(bytes);
  const view = new DataView(copy.buffer);
  let central = -1;
  let end = -1;
  for (let i = 0; i + 4 <= copy.length; i++) {
    const sig = view.getUint32(i, true);
    if (sig === 0x02014b50 && central < 0) central = i;
    if (sig === 0x06054b50) end = i;
  }
  edit(view, central, end);
  return copy;
}

const smallNpy = f32npy([2, 3], new Float32Array(6));
const definitionWith = (from: string | RegExp, to: string) => {
  const text = TINY_DEFINITION.replace(from, to);
  expect(text).not.toBe(TINY_DEFINITION);
  return definitions(text);
};

interface Case {
  name: string;
  /** Sets up the broken input; returns what to run and the parts the message must contain. */
  make: () => { bundle?: Bundle; defs?: string; only?: string; expect: Array<string | RegExp> };
}

function fileCase(name: string, rel: string, bytes: () => Uint8Array, ...problem: RegExp[]): Case {
  return {
    name,
    make: () => {
      const bundle = linkBundle();
      const file = replaceFile(bundle, rel, bytes());
      return { bundle, expect: [file, ...problem] };
    },
  };
}

const cases: Case[] = [
  // TRIBE v2 predictions (.npy)
  fileCase('a truncated .npy', PRED_A, () => shared(PRED_A).subarray(0, 5000), /truncated: header declares 696456 float32 values/),
  fileCase('a header claiming 10^12 elements (refused before allocation)', PRED_A, () => npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1000000, 1000000), }", new Uint8Array(64)), /declares 1000000000000 float32 values \(4000000000000 bytes\) but only 64 bytes follow/),
  fileCase('trailing bytes after the data', PRED_A, () => new Uint8Array([...shared(PRED_A), 1, 2, 3, 4]), /trailing data/),
  fileCase('not a .npy at all', PRED_A, () => new TextEncoder().encode('time,v0,v1\n0,0.1,0.2\n'), /not a \.npy file \(bad magic/),
  fileCase('an unsupported dtype (complex64)', PRED_A, () => npy("{'descr': '<c8', 'fortran_order': False, 'shape': (34, 20484), }", new Uint8Array(34 * 20484 * 8)), /unsupported dtype '<c8'/),
  fileCase('an object array (pickle)', PRED_A, () => npy("{'descr': '|O', 'fortran_order': False, 'shape': (34, 20484), }", new Uint8Array(8)), /object arrays/),
  fileCase('integer predictions (int32)', PRED_A, () => npy("{'descr': '<i4', 'fortran_order': False, 'shape': (34, 20484), }", new Uint8Array(34 * 20484 * 4)), /dtype is int32; TRIBE v2 predictions must be float32 or float64/),
  fileCase('an unparsable header', PRED_A, () => npy("{'descr': '<f4', 'fortran_order': False, 'shape': (34, 20484}", new Uint8Array(0)), /unparsable \.npy header/),
  fileCase('a header length beyond any .npy header', PRED_A, () => {
    const b = Uint8Array.from(shared(PRED_A));
    b.set([2, 0], 6); // format 2.0: 4-byte header length
    new DataView(b.buffer).setUint32(8, 0x7fffffff, true);
    return b;
  }, /header length 2147483647 bytes is larger than any \.npy header/),
  fileCase('NaN values in a prediction', PRED_A, () => {
    const { shape, values } = predictionValues(PRED_A);
    const v = Float32Array.from(values);
    v[3 * 20484 + 17] = NaN;
    v[5 * 20484] = NaN;
    return f32npy(shape, v);
  }, /2 of 696456 values are NaN or infinite \(first at timestep 3, vertex 17: NaN\)/),
  fileCase('an infinite value in a prediction', PRED_A, () => {
    const { shape, values } = predictionValues(PRED_A);
    const v = Float32Array.from(values);
    v[20483] = -Infinity;
    return f32npy(shape, v);
  }, /1 of 696456 values are NaN or infinite \(first at timestep 0, vertex 20483: -Infinity\)/),
  {
    name: 'a prediction with the wrong number of vertices (manifest agrees with the file)',
    make: () => {
      const bundle = linkBundle();
      const file = replaceFile(bundle, PRED_A, f32npy([34, 20000], new Float32Array(34 * 20000)));
      editManifest(bundle, (j) => (j.stimuli.find((s: { file: string }) => s.file === PRED_A).shape = [34, 20000]));
      return { bundle, expect: [file, /has 20000 columns; TRIBE v2 predictions on fsaverage5 have 20484/] };
    },
  },
  {
    name: 'a prediction whose shape disagrees with the manifest',
    make: () => {
      const bundle = linkBundle();
      editManifest(bundle, (j) => (j.stimuli.find((s: { file: string }) => s.file === PRED_A).shape = [33, 20484]));
      return { bundle, expect: [path.join(bundle.dir, PRED_A), /shape is \(34, 20484\); the manifest declares \(33, 20484\)/] };
    },
  },
  // .npz archives
  fileCase('an .npz without the named array', CLIP, () => zipSync({ 'other.npy': smallNpy }, { level: 0 }), /no array "preds" in the archive; keys present: "other"/),
  fileCase('an .npz entry with ".." (zip slip)', CLIP, () => zipSync({ 'preds.npy': smallNpy, '../evil.npy': smallNpy }), /refusing archive entry "\.\.\/evil\.npy": the name contains "\.\."/),
  fileCase('an .npz entry with an absolute path', CLIP, () => zipSync({ '/tmp/evil.npy': smallNpy }), /refusing archive entry "\/tmp\/evil\.npy": the name is an absolute path/),
  fileCase('an .npz entry with backslashes', CLIP, () => zipSync({ '..\\..\\evil.npy': smallNpy }), /the name contains "\.\."/),
  fileCase('an .npz deflate bomb (declared size far beyond the data)', CLIP, () =>
    editZip(zipSync({ 'preds.npy': smallNpy }, { level: 9 }), (v, central) => v.setUint32(central + 24, 0xf0000000, true)),
    /declares 4026531840 bytes unpacked/),
  fileCase('an .npz whose entry count is a lie', CLIP, () =>
    editZip(zipSync({ 'preds.npy': smallNpy }, { level: 0 }), (v, _c, end) => (v.setUint16(end + 8, 65535, true), v.setUint16(end + 10, 65535, true))),
    /compression method 65535 is not supported/),
  fileCase('an .npz whose deflate stream is corrupt', CLIP, () => {
    const z = zipSync({ 'preds.npy': f32npy([10, 20484], new Float32Array(10 * 20484).fill(0.5)) }, { level: 6 });
    z.fill(0xff, 40, 60);
    return z;
  }, /corrupt zip archive/),
  fileCase('an .npz that is not a zip', CLIP, () => shared(PRED_A), /not a zip archive/),
  // meshes
  fileCase('a mesh with 642 vertices', PIAL, () => {
    const n = 642;
    const coords = Array.from({ length: n * 3 }, (_, i) => (i % 7) * 1.5).join(' ');
    const array = (intent: string, type: string, dim0: number, data: string) =>
      `<DataArray Intent="${intent}" DataType="${type}" ArrayIndexingOrder="RowMajorOrder" Dimensionality="2" Dim0="${dim0}" Dim1="3" Encoding="ASCII" Endian="LittleEndian"><Data>${data}</Data></DataArray>`;
    const xml = `<?xml version="1.0" encoding="UTF-8"?><GIFTI Version="1.0" NumberOfDataArrays="2">${array('NIFTI_INTENT_POINTSET', 'NIFTI_TYPE_FLOAT32', n, coords)}${array('NIFTI_INTENT_TRIANGLE', 'NIFTI_TYPE_INT32', 1, '0 1 2')}</GIFTI>`;
    return new TextEncoder().encode(xml);
  }, /mesh has 642 vertices; fsaverage5 needs 10,242 per hemisphere/),
  fileCase('a mesh whose dims claim 10^12 values', PIAL, () => editGifti(PIAL, (x) => x.replace('Dim0="10242"', 'Dim0="1000000000000"')), /DataArray 0: dims 1000000000000x3 of NIFTI_TYPE_FLOAT32 need 12000000000000 bytes/),
  fileCase('a mesh with a NaN vertex coordinate', PIAL, () => editGifti(PIAL, (x) => editPointset(x, (c) => (c[5 * 3 + 1] = NaN))), /1 vertex coordinate is NaN or infinite \(first: vertex 5, y = NaN\)/),
  fileCase('mesh data longer than its declared dims', PIAL, () => editGifti(PIAL, (x) => x.replace('Dim0="10242"', 'Dim0="10241"').replace(/<Data>([^<]*)<\/Data>/, (_m, d: string) => `<Data>${d}</Data>`)), /dims 10241x3 of NIFTI_TYPE_FLOAT32 need 122892 bytes but the data decodes to more than 122892/),
  fileCase('a gzip bomb (trailer declares 4 GB)', PIAL, () => {
    const b = Uint8Array.from(shared(PIAL));
    b.set([0xff, 0xff, 0xff, 0xff], b.length - 4);
    return b;
  }, /corrupt gzip stream: it declares 4294967295 bytes unpacked/),
  fileCase('a mesh that is not XML', PIAL, () => new TextEncoder().encode('<GIFTI><DataArray></GIFTI>'), /not valid XML/),
  // atlas
  fileCase('atlas labels stored as float32', 'atlas/destrieux_labels.npy', () => f32npy([20484], new Float32Array(20484)), /expected 20,484 int32 labels \(one per fsaverage5 vertex\), got float32/),
  fileCase('an atlas name table that is not JSON', 'atlas/destrieux_parcels.json', () => new TextEncoder().encode('{"0": "Unknown",'), /not valid JSON/),
  fileCase('an atlas label with no name', 'atlas/destrieux_parcels.json', () => {
    const names = JSON.parse(new TextDecoder().decode(shared('atlas/destrieux_parcels.json')));
    delete names['42'];
    return new TextEncoder().encode(JSON.stringify(names));
  }, /label 42 \(used by vertex \d+ in .*destrieux_labels\.npy\) has no name/),
  // the data folder and its manifest
  {
    name: 'a corrupted file (sha256 mismatch)',
    make: () => {
      const bundle = linkBundle();
      const file = path.join(bundle.dir, 'eeg/fsaverage_1020.tsv');
      fs.rmSync(file);
      fs.writeFileSync(file, 'Fp1\t0\t0\t0\n'.padEnd(1486, ' '));
      return { bundle, expect: [bundle.dir, /sha256 mismatch: eeg\/fsaverage_1020\.tsv/, /npm run data/] };
    },
  },
  {
    name: 'a missing data file',
    make: () => {
      const bundle = linkBundle();
      fs.rmSync(path.join(bundle.dir, PRED_A));
      return { bundle, expect: [bundle.dir, /missing: tribev2\/aniketmallick\/pred_A\.npy/] };
    },
  },
  {
    name: 'a folder where a data file should be',
    make: () => {
      const bundle = linkBundle();
      fs.rmSync(path.join(bundle.dir, PRED_A));
      fs.mkdirSync(path.join(bundle.dir, PRED_A));
      return { bundle, expect: [bundle.dir, /missing: tribev2\/aniketmallick\/pred_A\.npy/] };
    },
  },
  {
    name: 'a FIFO where a data file should be (never opened, so never blocks)',
    make: () => {
      const bundle = linkBundle();
      fs.rmSync(path.join(bundle.dir, PRED_A));
      execFileSync('mkfifo', [path.join(bundle.dir, PRED_A)]);
      return { bundle, expect: [bundle.dir, /missing: tribev2\/aniketmallick\/pred_A\.npy/] };
    },
  },
  {
    name: 'a missing data folder',
    make: () => {
      const bundle = linkBundle();
      fs.rmSync(bundle.dir, { recursive: true });
      fs.mkdirSync(bundle.dir);
      fs.writeFileSync(bundle.manifestPath, fs.readFileSync(path.join(SHARED_DATA, 'manifest.json')));
      return { bundle: { dir: path.join(bundle.dir, 'nowhere'), manifestPath: bundle.manifestPath }, expect: [/nowhere: data folder not found/] };
    },
  },
  {
    name: 'a manifest path escaping the data folder',
    make: () => {
      const bundle = linkBundle();
      editManifest(bundle, (j) => (j.files[0].path = '../../etc/passwd'));
      return { bundle, expect: [bundle.manifestPath, /files\[0\]\.path: path must not contain "\.\."/] };
    },
  },
  {
    name: 'a manifest that is not JSON',
    make: () => {
      const bundle = linkBundle();
      fs.writeFileSync(bundle.manifestPath, '{"files": [');
      return { bundle, expect: [bundle.manifestPath, /invalid JSON/] };
    },
  },
  {
    name: 'a manifest with an unknown field',
    make: () => {
      const bundle = linkBundle();
      editManifest(bundle, (j) => (j.stimuli[0].fps = 2));
      return { bundle, expect: [bundle.manifestPath, /stimuli\[0\]: unknown field 'fps'/] };
    },
  },
  // experiment definitions
  { name: 'an unknown model kind (line and field)', make: () => ({ defs: definitionWith('kind: persistence', 'kind: transformer'), expect: [/exp2\.yaml:\d+: models\[1\]\.kind: unknown model kind "transformer"/] }) },
  { name: 'steps: 0', make: () => ({ defs: definitionWith('steps: 2', 'steps: 0'), expect: [/exp2\.yaml:\d+: training\.steps: Number must be greater than 0/] }) },
  { name: 'a learning rate of 1.5', make: () => ({ defs: definitionWith('learningRate: 0.001', 'learningRate: 1.5'), expect: [/exp2\.yaml:\d+: training\.learningRate: Number must be less than 1/] }) },
  { name: 'a learning rate of 0', make: () => ({ defs: definitionWith('learningRate: 0.001', 'learningRate: 0'), expect: [/training\.learningRate: Number must be greater than 0/] }) },
  { name: 'batchSize: 0', make: () => ({ defs: definitionWith('batchSize: 32', 'batchSize: 0'), expect: [/exp2\.yaml:\d+: training\.batchSize: Number must be greater than 0/] }) },
  { name: 'a seed that is not an integer', make: () => ({ defs: definitionWith('seeds: [42]', 'seeds: [4.2]'), expect: [/exp2\.yaml:\d+: seeds\[0\]: Expected integer, received float/] }) },
  { name: 'a seed listed twice', make: () => ({ defs: definitionWith('seeds: [42]', 'seeds: [42, 7, 42]'), expect: [/seeds\[2\]: seed 42 is listed twice/] }) },
  { name: 'an unknown key', make: () => ({ defs: definitionWith('  steps: 2\n', '  steps: 2\n  epochs: 9\n'), expect: [/exp2\.yaml:\d+: training: unknown field "epochs"/] }) },
  { name: 'a missing field', make: () => ({ defs: definitionWith('  steps: 2\n', ''), expect: [/training\.steps: missing \(required\)/] }) },
  { name: 'evalEvery beyond steps', make: () => ({ defs: definitionWith('evalEvery: 1', 'evalEvery: 5'), expect: [/training\.evalEvery: evalEvery \(5\) is more than steps \(2\)/] }) },
  { name: 'cross-validation of a model that is not defined', make: () => ({ defs: definitionWith('models: [persistence]', 'models: [lasso]'), expect: [/evaluation\.crossValidation\.models\[0\]: no model named "lasso" in models/] }) },
  { name: 'a model restricted to a feature set that does not exist', make: () => ({ defs: definitionWith('    alpha: 0.1\n', '    alpha: 0.1\n    featureSets: [roi999]\n'), expect: [/models\[2\]\.featureSets\[0\]: no feature set named "roi999"/] }) },
  { name: 'a stimulus id missing from the manifest', make: () => ({ defs: definitionWith('stimuli: timeseries', 'stimuli: [aniketmallick/A, nobody/clip_9]'), expect: [/exp2\.yaml: dataset\.stimuli\[1\]: no stimulus "nobody\/clip_9" in the data manifest/] }) },
  { name: 'a time-mean map used as a time series', make: () => ({ defs: definitionWith('stimuli: timeseries', 'stimuli: [aniketmallick/A, tinycrops/condition_means/sentences]'), expect: [/dataset\.stimuli\[1\]: stimulus "tinycrops\/condition_means\/sentences" is a time-mean map/] }) },
  { name: 'invalid YAML', make: () => ({ defs: definitions('id: [unclosed\n'), expect: [/exp2\.yaml:\d+: not valid YAML/] }) },
  { name: 'a YAML alias bomb', make: () => ({ defs: definitions(`a: &a [x, x, x, x, x, x, x, x, x]\n${Array.from({ length: 12 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9).fill(`*${String.fromCharCode(97 + i)}`).join(', ')}]`).join('\n')}\n`), expect: [/exp2\.yaml: not valid YAML: .*alias/i] }) },
  { name: 'an empty definitions folder', make: () => { const d = tempDir('empty-defs'); return { defs: d, expect: [d, /no experiment definitions/] }; } },
  { name: 'a definitions path that is a file', make: () => { const d = path.join(definitions(), 'exp2.yaml'); return { defs: d, expect: [d, /expected a folder of experiment definitions, found a file/] }; } },
  { name: 'a definition file that is a FIFO', make: () => { const d = tempDir('fifo-defs'); execFileSync('mkfifo', [path.join(d, 'exp2.yaml')]); return { defs: d, expect: [/exp2\.yaml: is a FIFO \(named pipe\), expected a regular file/] }; } },
  { name: '--only naming an experiment that does not exist', make: () => ({ only: 'exp9', expect: [/--only: no experiment "exp9"/] }) },
];

describe(`bad input (${cases.length} cases): the file and the problem named, no output changed`, () => {
  let before: ReturnType<typeof fingerprint>;

  beforeAll(() => {
    fs.mkdirSync(resultsDir, { recursive: true });
    fs.writeFileSync(path.join(resultsDir, 'exp2.json'), '{"previous": "good results"}\n');
    fs.writeFileSync(path.join(resultsDir, 'other.json'), '{"another": "experiment"}\n');
    const ckpt = path.join(checkpointsDir, 'ab', 'ab12');
    fs.mkdirSync(ckpt, { recursive: true });
    fs.writeFileSync(path.join(ckpt, 'weights.bin'), new Uint8Array([1, 2, 3, 4]));
    fs.writeFileSync(path.join(ckpt, 'checkpoint.json'), '{"key": "ab12"}\n');
    before = fingerprint(out);
  });

  it('has at least 30 cases', () => expect(cases.length).toBeGreaterThanOrEqual(30));

  for (const c of cases) {
    it(c.name, async () => {
      const { expect: parts, ...opts } = c.make();
      const err = await build(opts);
      expect(err, 'the build must refuse this input').toBeInstanceOf(InputError);
      const message = (err as InputError).message;
      for (const p of parts) expect(message).toMatch(typeof p === 'string' ? new RegExp(p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : p);
      expect(message).not.toMatch(/\n\s+at /);
      expect(fingerprint(out)).toEqual(before);
    });
  }
});

describe('bad input on the command line: exit 1, one line on stderr, nothing written', () => {
  function cli(args: string[]) {
    return spawnSync(process.execPath, [path.join(REPO_ROOT, 'node_modules/tsx/dist/cli.mjs'), path.join(REPO_ROOT, 'src/cli/build.ts'), ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, CI: '1' },
      encoding: 'utf8',
      timeout: 120_000,
    });
  }

  it('NaN in a prediction and an .npz zip slip: the message on stderr, previous results kept', () => {
    const nan = linkBundle();
    const { shape, values } = predictionValues(PRED_A);
    const v = Float32Array.from(values);
    v[7] = NaN;
    const file = replaceFile(nan, PRED_A, f32npy(shape, v));
    const before = fingerprint(out);
    let r = cli(['--data', nan.dir, '--manifest', nan.manifestPath, '--definitions', definitions(), '--out', resultsDir, '--checkpoints', checkpointsDir, '--skip-site']);
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toEqual([`error: ${file}: 1 of 696456 values are NaN or infinite (first at timestep 0, vertex 7: NaN); predictions must be finite, they are not repaired`]);

    const slip = linkBundle();
    const npz = replaceFile(slip, CLIP, zipSync({ 'preds.npy': smallNpy, '../../evil.npy': smallNpy }));
    r = cli(['--data', slip.dir, '--manifest', slip.manifestPath, '--definitions', definitions(), '--out', resultsDir, '--checkpoints', checkpointsDir, '--skip-site']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^error: ${npz.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: refusing archive entry "\\.\\./\\.\\./evil\\.npy"`));
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(fingerprint(out)).toEqual(before);
  }, 240_000);

  it('--predictions naming a folder that does not exist, or an export without a list', () => {
    const before = fingerprint(out);
    const missing = path.join(tempDir('exports'), 'my-export');
    let r = cli(['--data', SHARED_DATA, '--predictions', missing, '--definitions', definitions(), '--out', resultsDir, '--checkpoints', checkpointsDir, '--skip-site']);
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toBe(`error: ${missing}: predictions folder not found`);
    fs.mkdirSync(missing);
    fs.writeFileSync(path.join(missing, 'run.npy'), smallNpy);
    r = cli(['--data', SHARED_DATA, '--predictions', missing, '--definitions', definitions(), '--out', resultsDir, '--checkpoints', checkpointsDir, '--skip-site']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^error: .*my-export: no stimuli\.json or stimuli\.yaml or stimuli\.yml listing the predictions/);
    expect(fingerprint(out)).toEqual(before);
  }, 120_000);
});
