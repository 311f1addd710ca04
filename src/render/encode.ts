/**
 * ffmpeg: finds the binary and encodes a stream of PNG frames into an MP4
 * (H.264, yuv420p, faststart: plays in every browser, starts before it has
 * fully downloaded) and a WebM (VP9) in one pass.
 *
 * The binary comes from `ffmpeg-static` when its binary is present (its install
 * script downloads it, which fails offline), else from `@ffmpeg-installer/ffmpeg`
 * (the binary ships inside a per-platform package), else from `FFMPEG_PATH`.
 * `FFMPEG_PATH` set to a path that does not exist means "no ffmpeg" (tests use it).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';

export const FFMPEG_INSTALL_HINT =
  'install the project\'s dependencies (`npm ci` brings ffmpeg in @ffmpeg-installer/ffmpeg), or install ffmpeg with libx264 and libvpx (Debian/Ubuntu: `apt-get install -y ffmpeg`) and set FFMPEG_PATH=/usr/bin/ffmpeg';

export class FfmpegMissingError extends Error {
  constructor(detail: string) {
    super(`ffmpeg not found (${detail}): ${FFMPEG_INSTALL_HINT}`);
    this.name = 'FfmpegMissingError';
  }
}

const require = createRequire(import.meta.url);

function packageBinary(name: string, field: 'default' | 'path'): string | undefined {
  try {
    const mod = require(name) as string | { path?: string; default?: string };
    const p = typeof mod === 'string' ? mod : field === 'path' ? mod.path : mod.default;
    return p && fs.existsSync(p) ? p : undefined;
  } catch {
    return undefined;
  }
}

/** The ffmpeg binary and where it came from; throws FfmpegMissingError with how to install one. */
export function findFfmpeg(env: NodeJS.ProcessEnv = process.env): { path: string; source: string } {
  if (env.FFMPEG_PATH) {
    if (fs.existsSync(env.FFMPEG_PATH)) return { path: env.FFMPEG_PATH, source: 'FFMPEG_PATH' };
    throw new FfmpegMissingError(`FFMPEG_PATH=${env.FFMPEG_PATH} does not exist`);
  }
  const fromStatic = packageBinary('ffmpeg-static', 'default');
  if (fromStatic) return { path: fromStatic, source: 'ffmpeg-static' };
  const fromInstaller = packageBinary('@ffmpeg-installer/ffmpeg', 'path');
  if (fromInstaller) return { path: fromInstaller, source: '@ffmpeg-installer/ffmpeg' };
  throw new FfmpegMissingError('no ffmpeg-static or @ffmpeg-installer/ffmpeg binary, FFMPEG_PATH not set');
}

export interface EncodeTargets {
  fps: number;
  mp4: string;
  webm: string;
}

/** The ffmpeg arguments: PNG frames on stdin, both files out (part of the render cache key). */
export function ffmpegArgs(t: EncodeTargets): string[] {
  return [
    '-hide_banner', '-loglevel', 'error', '-y',
    '-f', 'image2pipe', '-framerate', String(t.fps), '-c:v', 'png', '-i', '-',
    '-map', '0:v', '-c:v', 'libx264', '-preset', 'medium', '-crf', '20', '-pix_fmt', 'yuv420p', '-movflags', '+faststart', '-f', 'mp4', t.mp4,
    '-map', '0:v', '-c:v', 'libvpx-vp9', '-crf', '32', '-b:v', '0', '-deadline', 'good', '-cpu-used', '4', '-row-mt', '1', '-pix_fmt', 'yuv420p', '-f', 'webm', t.webm,
  ];
}

export interface Encoder {
  /** Writes one PNG frame (waits when ffmpeg's input pipe is full). */
  write(png: Uint8Array): Promise<void>;
  /** Closes the input and waits for ffmpeg to finish both files. */
  finish(): Promise<void>;
  /** Stops ffmpeg (after a failure elsewhere). */
  abort(): void;
}

export function startEncoder(ffmpeg: string, targets: EncodeTargets): Encoder {
  const child = spawn(ffmpeg, ffmpegArgs(targets), { stdio: ['pipe', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve, reject) => {
    child.on('error', (e) => reject(new Error(`ffmpeg (${ffmpeg}) could not start: ${e.message}`)));
    child.on('close', (code, signal) => (code === 0 ? resolve() : reject(new Error(`ffmpeg failed (${signal ?? `exit ${code}`}): ${stderr.trim().split('\n').slice(-3).join(' | ')}`))));
  });
  // A write after ffmpeg died raises EPIPE; the exit status carries the real reason.
  child.stdin.on('error', () => {});
  return {
    write(png) {
      return new Promise((resolve, reject) => {
        if (child.exitCode !== null) return reject(new Error(`ffmpeg exited early: ${stderr.trim()}`));
        if (child.stdin.write(png)) resolve();
        else child.stdin.once('drain', resolve);
        exited.catch(reject);
      });
    },
    async finish() {
      child.stdin.end();
      await exited;
    },
    abort() {
      child.kill('SIGKILL');
      exited.catch(() => {});
    },
  };
}
