import { readFileSync, writeFileSync, mkdirSync, copyFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/data/errors';
import { loadManifest, manifestHash, parseManifest, sha256File } from '../../src/data/manifest';
import { canonicalJson } from '../../src/util/json';
import { assertDataDir, verifyDataDir } from '../../src/data/verify';
import { resolveDataDir, parseArgs } from '../../src/cli/args';
import { PROJECT_MANIFEST, SHARED, SUBSET, localManifest, removeTmpDirs, tmpDir } from './helpers';

afterAll(removeTmpDirs);

const raw = () => JSON.parse(readFileSync(PROJECT_MANIFEST, 'utf8'));

function inputError(fn: () => unknown): InputError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return e as InputError;
  }
  throw new Error('expected an InputError');
}

describe('parseManifest / loadManifest', () => {
  it('loads the project manifest, identical to the shared one', () => {
    const m = loadManifest(PROJECT_MANIFEST);
    expect(m.files).toHaveLength(29);
    expect(m.stimuli).toHaveLength(87);
    expect(manifestHash(m)).toBe(manifestHash(loadManifest(path.join(SHARED, 'manifest.json'))));
  });

  it('names the field path of a bad entry', () => {
    const json = raw();
    json.files[3].sha256 = 'abc';
    const err = inputError(() => parseManifest(json, 'my.manifest.json'));
    expect(err.file).toBe('my.manifest.json');
    expect(err.message).toBe('my.manifest.json: files[3].sha256: expected 64 hex characters');
  });

  it('reports missing fields, wrong types, bad enums and unknown fields', () => {
    const json = raw();
    delete json.files[0].url;
    json.files[1].bytes = '12';
    json.stimuli[2].kind = 'movie';
    json.stimuli[4].extra = 1;
    const err = inputError(() => parseManifest(json, 'm.json'));
    expect(err.message).toContain('files[0].url: missing');
    expect(err.message).toContain('files[1].bytes: expected number, got string');
    expect(err.message).toContain("stimuli[2].kind: expected one of 'timeseries', 'mean', got 'movie'");
    expect(err.message).toContain("stimuli[4]: unknown field 'extra'");
  });

  it('checks paths, duplicates and stimulus cross-references', () => {
    const json = raw();
    json.files[5].path = '../evil';
    json.files[6].path = json.files[7].path;
    json.stimuli[0].file = 'tribev2/nowhere.npz';
    json.stimuli[1].shape = [20484];
    const err = inputError(() => parseManifest(json, 'm.json'));
    expect(err.message).toContain('files[5].path: path must not contain ".."');
    expect(err.message).toContain('files[7].path: duplicate path (also files[6])');
    expect(err.message).toContain("stimuli[0].file: 'tribev2/nowhere.npz' is not listed in files");
    expect(err.message).toContain("stimuli[1].shape: a 'timeseries' stimulus has 2 dimensions");
  });

  it('rejects a non-object', () => {
    expect(inputError(() => parseManifest([], 'm.json')).message).toBe('m.json: (top level): expected object, got array');
  });

  it('loadManifest: missing file and bad JSON are InputErrors naming the file', () => {
    const dir = tmpDir();
    const missing = path.join(dir, 'nope.json');
    expect(inputError(() => loadManifest(missing)).message).toBe(`${missing}: manifest file not found`);
    const bad = path.join(dir, 'bad.json');
    writeFileSync(bad, '{"files": [');
    const err = inputError(() => loadManifest(bad));
    expect(err.file).toBe(bad);
    expect(err.message).toContain('invalid JSON');
  });
});

describe('manifestHash', () => {
  it('is stable under key reordering and changes with content', () => {
    const m = loadManifest(PROJECT_MANIFEST);
    const reorder = (v: unknown): unknown => {
      if (Array.isArray(v)) return v.map(reorder);
      if (v && typeof v === 'object') {
        return Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reorder(x)]));
      }
      return v;
    };
    // zod re-orders keys as it parses, so hash the reordered object as is
    const shuffled = reorder(m) as typeof m;
    expect(JSON.stringify(shuffled)).not.toBe(JSON.stringify(m));
    expect(manifestHash(parseManifest(reorder(raw()), 'x'))).toBe(manifestHash(m));
    expect(manifestHash(shuffled)).toBe(manifestHash(m));
    expect(manifestHash(m)).toMatch(/^[0-9a-f]{64}$/);
    const changed = structuredClone(m);
    changed.files[0].bytes += 1;
    expect(manifestHash(changed)).not.toBe(manifestHash(m));
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: null }] })).toBe('{"a":[{"c":null,"d":2}],"b":1}');
  });
});

describe('sha256File', () => {
  it('hashes a file as a stream and names a missing file', async () => {
    const m = loadManifest(PROJECT_MANIFEST);
    const f = m.files.find((x) => x.path === 'eeg/fsaverage_1020.tsv')!;
    expect(await sha256File(path.join(SHARED, f.path))).toBe(f.sha256);
    await expect(sha256File('/nonexistent/file')).rejects.toThrow('/nonexistent/file: file not found');
  });
});

describe('verifyDataDir / assertDataDir', () => {
  it('the shared data folder is complete and intact', async () => {
    const m = loadManifest(PROJECT_MANIFEST);
    expect(await verifyDataDir(m, SHARED)).toEqual({ ok: true, missing: [], badSize: [], badHash: [] });
    await assertDataDir(m, SHARED, PROJECT_MANIFEST);
  });

  it('reports missing, wrong-size and wrong-hash files', async () => {
    const dir = tmpDir();
    const m = localManifest('http://127.0.0.1:9');
    const [missing, small, flipped, ...rest] = SUBSET;
    for (const p of [small, flipped, ...rest]) {
      mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
      copyFileSync(path.join(SHARED, p), path.join(dir, p));
    }
    writeFileSync(path.join(dir, small), 'x');
    const buf = readFileSync(path.join(dir, flipped));
    buf[0] ^= 1;
    writeFileSync(path.join(dir, flipped), buf);

    expect(await verifyDataDir(m, dir)).toEqual({ ok: false, missing: [missing], badSize: [small], badHash: [flipped] });
    expect(await verifyDataDir(m, dir, { checkHashes: false })).toEqual({ ok: false, missing: [missing], badSize: [small], badHash: [] });

    const err = await assertDataDir(m, dir, 'data.manifest.json').then(
      () => null,
      (e: unknown) => e as InputError,
    );
    expect(err).toBeInstanceOf(InputError);
    expect(err!.file).toBe(dir);
    expect(err!.message).toContain(`missing: ${missing}`);
    expect(err!.message).toContain(`wrong size: ${small}`);
    expect(err!.message).toContain(`sha256 mismatch: ${flipped}`);
    expect(err!.message).toContain('npm run data -- --data');
    expect(err!.message).toContain('BRAIN_DATA_DIR');
  });

  it('assertDataDir on a missing folder says how to fill it', async () => {
    const m = localManifest('http://127.0.0.1:9');
    const where = path.join(tmpDir(), 'nothing-here');
    await expect(assertDataDir(m, where, 'data.manifest.json')).rejects.toThrow(/data folder not found.*npm run data -- --data/);
  });
});

describe('cli args', () => {
  it('parses the shared options and rejects unknown flags', () => {
    expect(parseArgs(['--data', 'd', '--only', 'x', '--json'])).toMatchObject({ data: 'd', only: 'x', json: true, md: false, retrain: false });
    expect(inputError(() => parseArgs(['--frobnicate'])).message).toContain("Unknown option '--frobnicate'");
    expect(inputError(() => parseArgs(['--data'])).message).toContain('--data');
    expect(inputError(() => parseArgs(['stray'])).message).toContain("Unexpected argument 'stray'");
  });

  it('resolveDataDir: flag > BRAIN_DATA_DIR > ./data, absolute', () => {
    expect(resolveDataDir({ data: 'x' }, { BRAIN_DATA_DIR: '/env' }, '/cwd')).toBe('/cwd/x');
    expect(resolveDataDir({}, { BRAIN_DATA_DIR: '/env' }, '/cwd')).toBe('/env');
    expect(resolveDataDir({}, { BRAIN_DATA_DIR: 'rel' }, '/cwd')).toBe('/cwd/rel');
    expect(resolveDataDir({}, {}, '/cwd')).toBe('/cwd/data');
    expect(resolveDataDir({}, { BRAIN_DATA_DIR: '' }, '/cwd')).toBe('/cwd/data');
  });
});
