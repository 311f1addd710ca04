/**
 * The render cache: each render's files are named by a hash of everything that
 * decides them (its data and model outputs, views, colour scale, frame size,
 * the render code, three.js and the ffmpeg settings). A render whose files
 * exist under its key is not redone; new files are written into a temporary
 * folder and renamed into place, so an interrupted build leaves no half file.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { canonicalJson } from '../util/json';

const RENDER_SRC = path.dirname(fileURLToPath(import.meta.url));

let codeVersion: string | undefined;

/** sha256 over src/render (path and content of every .ts file) and the three.js version. */
export function renderCodeVersion(): string {
  if (codeVersion) return codeVersion;
  const hash = crypto.createHash('sha256');
  const files = (fs.readdirSync(RENDER_SRC, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts')).sort();
  for (const f of files) {
    hash.update(`${f.split(path.sep).join('/')}\n`);
    hash.update(fs.readFileSync(path.join(RENDER_SRC, f)));
  }
  const threePkg = path.join(RENDER_SRC, '../../node_modules/three/package.json');
  hash.update(fs.existsSync(threePkg) ? (JSON.parse(fs.readFileSync(threePkg, 'utf8')) as { version: string }).version : 'three?');
  codeVersion = hash.digest('hex');
  return codeVersion;
}

export function renderKey(parts: Record<string, unknown>): string {
  return crypto.createHash('sha256').update(canonicalJson(parts)).digest('hex');
}

/** The files of one render, relative to the renders folder. */
export interface RenderFiles {
  mp4: string;
  webm: string;
  poster: string;
}

export function renderFiles(id: string, key: string): RenderFiles {
  const stem = `${id}.${key.slice(0, 16)}`;
  return { mp4: `media/${stem}.mp4`, webm: `media/${stem}.webm`, poster: `media/${stem}.png` };
}

/** Whether every file of the render exists and is non-empty. */
export function isCached(dir: string, files: RenderFiles): boolean {
  return Object.values(files).every((f) => {
    const p = path.join(dir, f);
    return fs.existsSync(p) && fs.statSync(p).size > 0;
  });
}

/** A fresh temporary folder inside `dir` (same file system, so rename is atomic). */
export function tempFolder(dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  return fs.mkdtempSync(path.join(dir, '.tmp-'));
}

/** Moves the finished files from the temporary folder into place. */
export function commitFiles(dir: string, tmp: string, files: RenderFiles, names: RenderFiles): void {
  for (const k of Object.keys(files) as Array<keyof RenderFiles>) {
    const target = path.join(dir, files[k]);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.renameSync(path.join(tmp, names[k]), target);
  }
  fs.rmSync(tmp, { recursive: true, force: true });
}

/** Removes temporary folders left by an interrupted run, and media and viewer files not in `keep`. */
export function removeStale(dir: string, keep: Set<string>): number {
  let removed = 0;
  if (!fs.existsSync(dir)) return 0;
  for (const e of fs.readdirSync(dir)) {
    if (e.startsWith('.tmp-')) {
      fs.rmSync(path.join(dir, e), { recursive: true, force: true });
      removed++;
    }
  }
  for (const sub of ['media', 'viewer']) {
    const folder = path.join(dir, sub);
    if (!fs.existsSync(folder)) continue;
    for (const f of fs.readdirSync(folder)) {
      if (!keep.has(`${sub}/${f}`)) {
        fs.rmSync(path.join(folder, f), { force: true });
        removed++;
      }
    }
  }
  return removed;
}
