/** A local HTTP server serving the shared reference data folder, with switches to misbehave per path. */
import { promises as fsp, mkdtempSync, readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Manifest } from '../../src/data/manifest';
import { loadManifest } from '../../src/data/manifest';

import { SHARED_DATA } from '../support';

export const SHARED = SHARED_DATA;
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const PROJECT_MANIFEST = path.join(PROJECT_ROOT, 'data.manifest.json');

/** Small files of the real manifest: atlas, eeg, sulc and one TRIBE v2 npz. */
export const SUBSET = [
  'atlas/destrieux_labels.npy',
  'atlas/destrieux_parcels.json',
  'eeg/fsaverage_1020.tsv',
  'fsaverage5/sulc_left.gii.gz',
  'fsaverage5/sulc_right.gii.gz',
  'tribev2/tinycrops/condition_means.npz',
];

export type Behaviour =
  /** serve the file with one byte changed (same length) */
  | { kind: 'corrupt' }
  /** send the headers and half of the body, then destroy the socket; `times` requests (default: always) */
  | { kind: 'drop'; times?: number }
  /** answer with this status */
  | { kind: 'status'; status: number }
  /** send headers and a little of the body, then go silent */
  | { kind: 'stall' };

export interface TestServer {
  url: string;
  /** paths requested, in order (without the leading slash) */
  requests: string[];
  behave: Map<string, Behaviour>;
  close(): Promise<void>;
}

export async function startServer(): Promise<TestServer> {
  const requests: string[] = [];
  const behave = new Map<string, Behaviour>();
  const dropped = new Map<string, number>();
  const server = http.createServer(async (req, res) => {
    const rel = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname).replace(/^\/+/, '');
    requests.push(rel);
    const file = path.resolve(SHARED, rel);
    if (!file.startsWith(SHARED + path.sep)) {
      res.writeHead(403).end();
      return;
    }
    let body: Buffer;
    try {
      body = await fsp.readFile(file);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    const b = behave.get(rel);
    if (b?.kind === 'status') {
      res.writeHead(b.status, { 'content-type': 'text/plain' }).end('nope');
      return;
    }
    if (b?.kind === 'corrupt') {
      body = Buffer.from(body);
      body[body.length >> 1] ^= 0xff;
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length });
    if (b?.kind === 'drop') {
      const n = dropped.get(rel) ?? 0;
      if (b.times === undefined || n < b.times) {
        dropped.set(rel, n + 1);
        res.write(body.subarray(0, body.length >> 1), () => {
          setTimeout(() => res.socket?.destroy(), 20);
        });
        return;
      }
    }
    if (b?.kind === 'stall') {
      res.write(body.subarray(0, 100));
      return; // never ends; the client times out (the server's close destroys it)
    }
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    behave,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The project manifest cut down to `paths`, its urls pointing at the local server. */
export function localManifest(serverUrl: string, paths: string[] = SUBSET): Manifest {
  const full = loadManifest(PROJECT_MANIFEST);
  const files = paths.map((p) => {
    const f = full.files.find((x) => x.path === p);
    if (!f) throw new Error(`not in manifest: ${p}`);
    return { ...f, url: `${serverUrl}/${p}` };
  });
  const keep = new Set(paths);
  return { files, stimuli: full.stimuli.filter((s) => keep.has(s.file)) };
}

const created: string[] = [];

export function tmpDir(prefix = 'fetch-test-'): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  created.push(dir);
  return dir;
}

/** Remove the folders made by tmpDir in this test file. */
export async function removeTmpDirs(): Promise<void> {
  await Promise.all(created.splice(0).map((d) => fsp.rm(d, { recursive: true, force: true })));
}

/** Every file under `dir`, relative, sorted. */
export async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string) => {
    for (const e of await fsp.readdir(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else out.push(path.relative(dir, p).split(path.sep).join('/'));
    }
  };
  await walk(dir);
  return out.sort();
}

export function sharedBytes(rel: string): Buffer {
  return readFileSync(path.join(SHARED, rel));
}
