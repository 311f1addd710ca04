/**
 * Fill a data folder from a manifest: download each file that is not already present
 * and intact, check its size and sha256 while streaming, and move it into place
 * atomically. The target path only ever holds a complete, verified file (or whatever
 * was there before): failed downloads leave nothing behind.
 */
import { randomBytes, createHash } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { InputError } from './errors';
import { relativePathProblem, resolveInDataDir, sha256File, type Manifest, type ManifestFile } from './manifest';

interface EventBase {
  /** 1-based position of the file in the manifest */
  index: number;
  total: number;
  path: string;
  /** expected size */
  bytes: number;
}

export type FetchEvent =
  | (EventBase & { type: 'skipped' })
  | (EventBase & { type: 'start'; url: string; attempt: number })
  | (EventBase & { type: 'progress'; received: number })
  | (EventBase & { type: 'retry'; url: string; attempt: number; reason: string })
  | (EventBase & { type: 'fetched'; attempts: number })
  | (EventBase & { type: 'failed'; url: string; reason: string });

export interface FetchOptions {
  onProgress?: (e: FetchEvent) => void;
  /** where to download a file from (default: its manifest url) */
  urlFor?: (f: ManifestFile) => string;
  /** extra attempts after a dropped connection, timeout or server error (default 2) */
  retries?: number;
  /** abort an attempt when no data arrives for this long (default 60 s) */
  timeoutMs?: number;
  /** pause before retry k is k × this (default 500 ms) */
  retryDelayMs?: number;
}

export interface FetchReport {
  /** manifest paths downloaded by this run */
  downloaded: string[];
  /** manifest paths already present with the right size and sha256 */
  skipped: string[];
}

export interface FetchFailure {
  path: string;
  url: string;
  reason: string;
  attempts: number;
}

/** Thrown by fetchData after all files were tried, when some could not be fetched. */
export class FetchError extends InputError {
  readonly failures: FetchFailure[];
  readonly report: FetchReport;
  constructor(file: string, detail: string, failures: FetchFailure[], report: FetchReport) {
    super(file, detail);
    this.name = 'FetchError';
    this.failures = failures;
    this.report = report;
  }
}

type Attempt = { ok: true } | { ok: false; reason: string; retriable: boolean };

function describeCause(e: unknown): string {
  let err = e as { message?: string; code?: string; cause?: unknown } | undefined;
  // undici wraps the socket error: TypeError('fetch failed', { cause })
  while (err && err.cause && typeof err.cause === 'object') err = err.cause as typeof err;
  return err?.code ?? err?.message ?? String(e);
}

async function fsyncDir(dir: string): Promise<void> {
  try {
    const h = await fsp.open(dir, 'r');
    try {
      await h.sync();
    } finally {
      await h.close();
    }
  } catch {
    /* not supported everywhere (e.g. Windows); the rename itself is what matters */
  }
}

async function isIntact(target: string, f: ManifestFile): Promise<boolean> {
  try {
    const st = await fsp.stat(target);
    if (!st.isFile() || st.size !== f.bytes) return false;
    return (await sha256File(target)) === f.sha256;
  } catch {
    return false;
  }
}

async function downloadOnce(
  url: string,
  target: string,
  f: ManifestFile,
  timeoutMs: number,
  onBytes: (received: number) => void,
): Promise<Attempt> {
  const dir = path.dirname(target);
  await fsp.mkdir(dir, { recursive: true });
  const tmp = `${target}.part-${process.pid}-${randomBytes(6).toString('hex')}`;
  const controller = new AbortController();
  let timedOut = false;
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
  };
  let handle: fsp.FileHandle | undefined;
  let renamed = false;
  let received = 0;
  try {
    arm();
    let res: Response;
    try {
      res = await fetch(url, { signal: controller.signal, redirect: 'follow' });
    } catch (e) {
      if (timedOut) return { ok: false, reason: `no response within ${timeoutMs} ms`, retriable: true };
      return { ok: false, reason: `request failed: ${describeCause(e)}`, retriable: true };
    }
    if (!res.ok) {
      await res.body?.cancel().catch(() => {});
      const retriable = res.status >= 500 || res.status === 429 || res.status === 408;
      return { ok: false, reason: `HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`, retriable };
    }
    handle = await fsp.open(tmp, 'wx');
    const hash = createHash('sha256');
    if (res.body) {
      const reader = res.body.getReader();
      for (;;) {
        let chunk: ReadableStreamReadResult<Uint8Array>;
        try {
          arm();
          chunk = await reader.read();
        } catch {
          const why = timedOut ? `no data for ${timeoutMs} ms, gave up` : 'connection closed';
          return { ok: false, reason: `${why} after ${received} of ${f.bytes} bytes`, retriable: true };
        }
        if (chunk.done) break;
        const data = chunk.value;
        received += data.byteLength;
        if (received > f.bytes) {
          await reader.cancel().catch(() => {});
          return { ok: false, reason: `server sent more than the expected ${f.bytes} bytes`, retriable: false };
        }
        hash.update(data);
        await handle.write(data);
        onBytes(received);
      }
    }
    clearTimeout(timer);
    if (received < f.bytes) {
      return { ok: false, reason: `connection closed after ${received} of ${f.bytes} bytes`, retriable: true };
    }
    const got = hash.digest('hex');
    if (got !== f.sha256) {
      return { ok: false, reason: `sha256 mismatch: expected ${f.sha256}, got ${got}`, retriable: false };
    }
    await handle.sync();
    await handle.close();
    handle = undefined;
    await fsp.rename(tmp, target);
    renamed = true;
    await fsyncDir(dir);
    return { ok: true };
  } catch (e) {
    // local trouble (disk full, permissions, a folder in the way): not worth retrying
    return { ok: false, reason: `cannot write ${target}: ${describeCause(e)}`, retriable: false };
  } finally {
    clearTimeout(timer);
    if (handle) await handle.close().catch(() => {});
    if (!renamed) await fsp.rm(tmp, { force: true }).catch(() => {});
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Download every manifest file missing from (or corrupt in) `dataDir`. Files are
 * tried one after another; when some fail, the others are still fetched and a
 * FetchError (an InputError) listing each failure's url and reason is thrown at the end.
 */
export async function fetchData(manifest: Manifest, dataDir: string, opts: FetchOptions = {}): Promise<FetchReport> {
  const retries = opts.retries ?? 2;
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const retryDelayMs = opts.retryDelayMs ?? 500;
  const urlFor = opts.urlFor ?? ((f: ManifestFile) => f.url);
  const emit = opts.onProgress ?? (() => {});
  if (!Number.isInteger(retries) || retries < 0) throw new InputError('retries', `expected a non-negative integer, got ${retries}`);
  if (!(timeoutMs > 0)) throw new InputError('timeoutMs', `expected a positive number, got ${timeoutMs}`);

  const root = path.resolve(dataDir);
  // Refuse every unsafe path before touching the network or the disk.
  const unsafe = manifest.files
    .map((f) => ({ f, problem: relativePathProblem(f.path) }))
    .filter((x) => x.problem !== null);
  if (unsafe.length > 0) {
    const list = unsafe.map((x) => `'${x.f.path}' (${x.problem})`).join(', ');
    throw new InputError(unsafe[0].f.path, `refusing manifest path${unsafe.length > 1 ? 's' : ''} ${list}; nothing was downloaded`);
  }
  const targets = manifest.files.map((f) => resolveInDataDir(root, f.path));

  const report: FetchReport = { downloaded: [], skipped: [] };
  const failures: FetchFailure[] = [];
  const total = manifest.files.length;

  for (let i = 0; i < total; i++) {
    const f = manifest.files[i];
    const target = targets[i];
    const base = { index: i + 1, total, path: f.path, bytes: f.bytes };
    if (await isIntact(target, f)) {
      report.skipped.push(f.path);
      emit({ type: 'skipped', ...base });
      continue;
    }
    const url = urlFor(f);
    let attempt = 0;
    for (;;) {
      attempt++;
      emit({ type: 'start', ...base, url, attempt });
      const r = await downloadOnce(url, target, f, timeoutMs, (received) => emit({ type: 'progress', ...base, received }));
      if (r.ok) {
        report.downloaded.push(f.path);
        emit({ type: 'fetched', ...base, attempts: attempt });
        break;
      }
      if (r.retriable && attempt <= retries) {
        emit({ type: 'retry', ...base, url, attempt, reason: r.reason });
        if (retryDelayMs > 0) await sleep(retryDelayMs * attempt);
        continue;
      }
      const reason = r.retriable && attempt > 1 ? `${r.reason} (${attempt} attempts)` : r.reason;
      failures.push({ path: f.path, url, reason, attempts: attempt });
      emit({ type: 'failed', ...base, url, reason });
      break;
    }
  }

  if (failures.length > 0) {
    const lines = failures.map((x) => `${x.path} from ${x.url}: ${x.reason}`);
    const detail =
      `${failures.length} of ${total} data file${total > 1 ? 's' : ''} could not be fetched ` +
      `(${report.downloaded.length} downloaded, ${report.skipped.length} already present):\n  ${lines.join('\n  ')}`;
    throw new FetchError(failures.length === 1 ? failures[0].url : root, detail, failures, report);
  }
  return report;
}
