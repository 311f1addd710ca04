import { existsSync, promises as fsp, readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { InputError } from '../../src/data/errors';
import { fetchData, FetchError, type FetchEvent } from '../../src/data/fetch';
import { verifyDataDir } from '../../src/data/verify';
import { listFiles, localManifest, sharedBytes, startServer, SUBSET, tmpDir, removeTmpDirs, type TestServer } from './helpers';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server.close();
  await removeTmpDirs();
});
beforeEach(() => {
  server.requests.length = 0;
  server.behave.clear();
});

const fast = { retryDelayMs: 0, timeoutMs: 5_000 };

async function caught(p: Promise<unknown>): Promise<InputError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return e as InputError;
  }
  throw new Error('expected an InputError');
}

describe('fetchData', () => {
  it('downloads a fresh folder byte-identical to the shared data, then skips everything', async () => {
    const dir = tmpDir();
    const manifest = localManifest(server.url);
    const events: FetchEvent[] = [];
    const report = await fetchData(manifest, dir, { ...fast, onProgress: (e) => events.push(e) });
    expect(report.downloaded).toEqual(SUBSET);
    expect(report.skipped).toEqual([]);
    expect(await listFiles(dir)).toEqual([...SUBSET].sort());
    for (const p of SUBSET) {
      expect(readFileSync(path.join(dir, p)).equals(sharedBytes(p))).toBe(true);
    }
    expect((await verifyDataDir(manifest, dir)).ok).toBe(true);
    const fetched = events.filter((e) => e.type === 'fetched');
    expect(fetched.map((e) => [e.index, e.total, e.path])).toEqual(SUBSET.map((p, i) => [i + 1, SUBSET.length, p]));
    expect(events.some((e) => e.type === 'progress')).toBe(true);

    server.requests.length = 0;
    const again = await fetchData(manifest, dir, fast);
    expect(again).toEqual({ downloaded: [], skipped: SUBSET });
    expect(server.requests).toEqual([]);
  });

  it('re-downloads a file whose local copy is truncated', async () => {
    const dir = tmpDir();
    const manifest = localManifest(server.url);
    await fetchData(manifest, dir, fast);
    const victim = path.join(dir, 'eeg/fsaverage_1020.tsv');
    writeFileSync(victim, 'truncated');
    const report = await fetchData(manifest, dir, fast);
    expect(report.downloaded).toEqual(['eeg/fsaverage_1020.tsv']);
    expect(readFileSync(victim).equals(sharedBytes('eeg/fsaverage_1020.tsv'))).toBe(true);
  });

  it('a wrong hash is reported, not retried, and leaves no file or .part behind', async () => {
    const dir = tmpDir();
    const bad = 'fsaverage5/sulc_left.gii.gz';
    server.behave.set(bad, { kind: 'corrupt' });
    const manifest = localManifest(server.url);
    const err = await caught(fetchData(manifest, dir, fast));
    expect(err).toBeInstanceOf(FetchError);
    expect(err.message).toContain(bad);
    expect(err.message).toContain(`${server.url}/${bad}`);
    const f = manifest.files.find((x) => x.path === bad)!;
    expect(err.message).toContain(`sha256 mismatch: expected ${f.sha256}, got `);
    expect(server.requests.filter((r) => r === bad)).toHaveLength(1);
    // all the other files were still fetched
    expect((err as FetchError).report.downloaded).toEqual(SUBSET.filter((p) => p !== bad));
    expect(existsSync(path.join(dir, bad))).toBe(false);
    expect(await listFiles(dir)).toEqual(SUBSET.filter((p) => p !== bad).sort());
  });

  it('never overwrites a good existing copy with altered bytes', async () => {
    const dir = tmpDir();
    const bad = 'fsaverage5/sulc_left.gii.gz';
    const manifest = localManifest(server.url);
    await fetchData(manifest, dir, fast);
    const target = path.join(dir, bad);
    const before = statSync(target);
    server.behave.set(bad, { kind: 'corrupt' });
    server.requests.length = 0;
    const report = await fetchData(manifest, dir, fast);
    expect(report.skipped).toContain(bad);
    expect(server.requests).toEqual([]);
    expect(readFileSync(target).equals(sharedBytes(bad))).toBe(true);
    expect(statSync(target).mtimeMs).toBe(before.mtimeMs);
    expect(statSync(target).ino).toBe(before.ino);
  });

  it('a corrupt local copy is kept rather than replaced by a download with the wrong hash', async () => {
    const dir = tmpDir();
    const bad = 'atlas/destrieux_parcels.json';
    const target = path.join(dir, bad);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, 'old local content');
    server.behave.set(bad, { kind: 'corrupt' });
    const err = await caught(fetchData(localManifest(server.url, [bad]), dir, fast));
    expect(err.message).toContain('sha256 mismatch');
    expect(readFileSync(target, 'utf8')).toBe('old local content');
    expect(await listFiles(dir)).toEqual([bad]);
  });

  it('retries a dropped connection and succeeds', async () => {
    const dir = tmpDir();
    const p = 'tribev2/tinycrops/condition_means.npz';
    server.behave.set(p, { kind: 'drop', times: 2 });
    const events: FetchEvent[] = [];
    const report = await fetchData(localManifest(server.url, [p]), dir, { ...fast, onProgress: (e) => events.push(e) });
    expect(report.downloaded).toEqual([p]);
    expect(server.requests).toEqual([p, p, p]);
    const retries = events.filter((e) => e.type === 'retry');
    expect(retries).toHaveLength(2);
    expect(retries[0].type === 'retry' && retries[0].reason).toMatch(/^connection closed after \d+ of 164394 bytes$/);
    expect(readFileSync(path.join(dir, p)).equals(sharedBytes(p))).toBe(true);
    expect(await listFiles(dir)).toEqual([p]);
  });

  it('a connection that always drops fails with "connection closed" and leaves nothing', async () => {
    const dir = tmpDir();
    const p = 'tribev2/tinycrops/condition_means.npz';
    const other = 'eeg/fsaverage_1020.tsv';
    server.behave.set(p, { kind: 'drop' });
    const err = await caught(fetchData(localManifest(server.url, [p, other]), dir, { ...fast, retries: 3 }));
    expect(err.message).toMatch(/connection closed after \d+ of 164394 bytes/);
    expect(err.message).toContain(p);
    expect(server.requests.filter((r) => r === p)).toHaveLength(4);
    expect(await listFiles(dir)).toEqual([other]);
  });

  it('reports HTTP errors with the status', async () => {
    const dir = tmpDir();
    const p = 'eeg/fsaverage_1020.tsv';
    server.behave.set(p, { kind: 'status', status: 404 });
    const err = await caught(fetchData(localManifest(server.url, [p]), dir, fast));
    expect(err.file).toBe(`${server.url}/${p}`);
    expect(err.message).toContain('HTTP 404');
    expect(server.requests).toEqual([p]); // a 404 is not retried
    expect(await listFiles(dir)).toEqual([]);
  });

  it('gives up on a stalled download after timeoutMs', async () => {
    const dir = tmpDir();
    const p = 'atlas/destrieux_labels.npy';
    server.behave.set(p, { kind: 'stall' });
    const err = await caught(fetchData(localManifest(server.url, [p]), dir, { retryDelayMs: 0, timeoutMs: 300, retries: 1 }));
    expect(err.message).toMatch(/no data for 300 ms, gave up after 100 of 82064 bytes/);
    expect(server.requests).toEqual([p, p]);
    expect(await listFiles(dir)).toEqual([]);
  });

  it('refuses paths with ".." or absolute paths before any request', async () => {
    const dir = tmpDir();
    const good = localManifest(server.url, ['eeg/fsaverage_1020.tsv']);
    for (const evil of ['../evil', 'eeg/../../evil', '/etc/evil']) {
      const manifest = { ...good, files: [...good.files, { ...good.files[0], path: evil, url: `${server.url}/evil` }] };
      const err = await caught(fetchData(manifest, dir, fast));
      expect(err.message).toContain(evil);
      expect(err.message).toMatch(/refusing manifest path/);
    }
    expect(server.requests).toEqual([]);
    expect(await listFiles(dir)).toEqual([]);
    expect(existsSync(path.join(path.dirname(dir), 'evil'))).toBe(false);
  });

  it('downloads from urlFor when given', async () => {
    const dir = tmpDir();
    const manifest = localManifest('http://127.0.0.1:9', ['eeg/fsaverage_1020.tsv']);
    const report = await fetchData(manifest, dir, { ...fast, urlFor: (f) => `${server.url}/${f.path}` });
    expect(report.downloaded).toEqual(['eeg/fsaverage_1020.tsv']);
  });

  it('leaves no .part files in any folder after failures', async () => {
    const dir = tmpDir();
    server.behave.set('fsaverage5/sulc_left.gii.gz', { kind: 'corrupt' });
    server.behave.set('fsaverage5/sulc_right.gii.gz', { kind: 'drop' });
    const err = await caught(fetchData(localManifest(server.url), dir, { ...fast, retries: 1 }));
    expect((err as FetchError).failures.map((f) => f.path)).toEqual(['fsaverage5/sulc_left.gii.gz', 'fsaverage5/sulc_right.gii.gz']);
    expect(err.message).toMatch(/^.*: 2 of 6 data files could not be fetched/);
    const all = await listFiles(dir);
    expect(all.filter((f) => f.includes('.part'))).toEqual([]);
    expect(await fsp.readdir(path.join(dir, 'fsaverage5'))).toEqual([]);
  });
});
