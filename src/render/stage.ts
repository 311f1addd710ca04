/**
 * The render stage of the build: every animation of the report rendered to
 * MP4, WebM and a poster PNG (unless its files are already there under the same
 * key), the viewer's data, and renders/index.json, which the site reads.
 *
 * Without Chromium or ffmpeg the stage says how to install them, marks the
 * renders it could not make as missing in the index and returns: the rest of
 * the report still builds.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'puppeteer-core';
import { loadDestrieux } from '../data/atlas';
import type { Manifest } from '../data/manifest';
import type { Progress } from '../pipeline/progress';
import { stableStringify } from '../util/json';
import { writeFileAtomic } from '../util/atomic';
import { CHROMIUM_INSTALL_HINT, ChromiumMissingError, launchChromium } from '../util/chromium';
import type { Animation } from './animation';
import { commitFiles, isCached, removeStale, renderCodeVersion, renderFiles, renderKey, tempFolder } from './cache';
import type { RenderFiles } from './cache';
import { captureFrames } from './capture';
import { colourBarSvg } from './colourBar';
import type { ColourScale } from './colour';
import { FfmpegMissingError, ffmpegArgs, findFfmpeg, startEncoder } from './encode';
import { experimentAnimations } from './exp2Animations';
import type { FrameSize } from './layout';
import { frameLayout } from './layout';
import type { BrainScene } from './scene';
import { loadBrainScene, SCENE_FILES } from './scene';
import { stimulusAnimations } from './stimulusAnimations';
import type { MeshAsset, ValuesAsset } from './viewerAssets';
import { writeMeshAsset, writeValuesAsset } from './viewerAssets';

/** Frame size of the report's renders: five 256 × 220 views per row. */
export const DEFAULT_SIZE: FrameSize = { cellWidth: 256, cellHeight: 220 };

export interface RenderEntry {
  id: string;
  group: string;
  title: string;
  caption: string;
  key: string;
  status: 'rendered' | 'missing';
  /** Why it is missing (how to install what is needed). */
  reason?: string;
  files?: RenderFiles;
  width: number;
  height: number;
  fps: number;
  frames: number;
  scale: ColourScale;
  /** The colour bar as SVG, for the viewer. */
  colourBar: string;
  panels: string[];
  frameLabels: string[];
  strips?: Array<Array<{ label: string; value: number }>>;
  surface: string;
  viewer: ValuesAsset;
}

export interface RenderIndex {
  mesh: MeshAsset;
  renders: RenderEntry[];
}

export interface RenderStageOptions {
  dataDir: string;
  manifest: Manifest;
  /** The renders folder (renders/). */
  dir: string;
  /** Where the stimuli come from when not the data folder (a researcher's own TRIBE v2 export). */
  stimuli?: { dir: string; manifest: Manifest };
  /** Where the pipeline wrote model outputs (experiments/outputs/). */
  outputsDir: string;
  progress: Progress;
  size?: FrameSize;
  /** Animations to render instead of the report's (tests, benchmark). */
  animations?: (scene: BrainScene) => Animation[];
  /** Remove media that no current render names (only sensible for the full list). */
  prune?: boolean;
}

export interface RenderStageReport {
  index: RenderIndex;
  rendered: string[];
  cached: string[];
  missing: string[];
  frames: number;
  /** Seconds spent drawing and encoding the renders that were made. */
  seconds: number;
  renderer?: string;
}

/** The report's animations: every video stimulus, then each experiment's model outputs. */
export function reportAnimations(dataDir: string, stimuli: { dir: string; manifest: Manifest }, outputsDir: string, log: (l: string) => void): Animation[] {
  const list = stimulusAnimations(stimuli.dir, stimuli.manifest);
  const files = fs.existsSync(outputsDir) ? fs.readdirSync(outputsDir).filter((f) => f.endsWith('.json')).sort() : [];
  if (files.length === 0) log(`renders: no model outputs in ${outputsDir} (the pipeline writes them); rendering the stimuli only`);
  if (files.length) {
    const atlas = loadDestrieux(dataDir);
    for (const f of files) list.push(...experimentAnimations(path.join(outputsDir, f), atlas));
  }
  return list;
}

export async function runRenderStage(opts: RenderStageOptions): Promise<RenderStageReport> {
  const { progress, dir } = opts;
  const size = opts.size ?? DEFAULT_SIZE;
  const scene = loadBrainScene(opts.dataDir);
  const animations = opts.animations ? opts.animations(scene) : reportAnimations(opts.dataDir, opts.stimuli ?? { dir: opts.dataDir, manifest: opts.manifest }, opts.outputsDir, progress.log);
  const sceneHashes = Object.fromEntries(SCENE_FILES.map((f) => [f, opts.manifest.files.find((x) => x.path === f)?.sha256 ?? null]));
  const code = renderCodeVersion();
  const mesh = writeMeshAsset(dir, scene);
  const report: RenderStageReport = { index: { mesh, renders: [] }, rendered: [], cached: [], missing: [], frames: 0, seconds: 0 };

  let browser: Browser | undefined;
  let ffmpeg: string | undefined;
  let unavailable: string | undefined;
  const tools = async (): Promise<boolean> => {
    if (browser && ffmpeg) return true;
    if (unavailable) return false;
    try {
      ffmpeg ??= findFfmpeg().path;
      browser ??= await launchChromium();
      return true;
    } catch (e) {
      // A Chromium that is there but cannot start (missing libraries, sandbox) is as good as none.
      unavailable =
        e instanceof ChromiumMissingError || e instanceof FfmpegMissingError ? e.message : `Chromium could not start (${(e as Error).message.split('\n')[0]}): ${CHROMIUM_INSTALL_HINT}`;
      progress.log(`renders: ${unavailable}. The renders that are not already built are marked missing; the rest of the report still builds.`);
      return false;
    }
  };

  try {
    for (const anim of animations) {
      const layout = frameLayout(anim.panels, size, Boolean(anim.strip));
      const key = renderKey({
        inputs: anim.inputs,
        scene: sceneHashes,
        surface: anim.surface,
        scale: anim.scale,
        panels: anim.panels,
        frames: anim.frames,
        title: anim.title,
        labels: Array.from({ length: anim.frames }, (_, f) => anim.frameLabel(f)),
        fps: anim.fps,
        size,
        code,
        ffmpeg: ffmpegArgs({ fps: anim.fps, mp4: 'out.mp4', webm: 'out.webm' }),
      });
      const files = renderFiles(anim.id, key);
      const entry: RenderEntry = {
        id: anim.id,
        group: anim.group,
        title: anim.title,
        caption: anim.caption,
        key,
        status: 'rendered',
        width: layout.width,
        height: layout.height,
        fps: anim.fps,
        frames: anim.frames,
        scale: anim.scale,
        colourBar: colourBarSvg(anim.scale, 360, 56),
        panels: anim.panels,
        frameLabels: Array.from({ length: anim.frames }, (_, f) => anim.frameLabel(f)),
        ...(anim.strip ? { strips: Array.from({ length: anim.frames }, (_, f) => anim.strip!(f, 0)) } : {}),
        surface: anim.surface,
        viewer: writeValuesAsset(dir, anim, key),
      };
      if (isCached(dir, files)) {
        report.cached.push(anim.id);
        progress.log(`render ${anim.id}: unchanged (${key.slice(0, 12)}), not redone`);
      } else if (!(await tools())) {
        Object.assign(entry, { status: 'missing', reason: unavailable });
        report.missing.push(anim.id);
      } else {
        const tmp = tempFolder(dir);
        const names: RenderFiles = { mp4: 'out.mp4', webm: 'out.webm', poster: 'poster.png' };
        const encoder = startEncoder(ffmpeg!, { fps: anim.fps, mp4: path.join(tmp, names.mp4), webm: path.join(tmp, names.webm) });
        try {
          const started = performance.now();
          const capture = await captureFrames(browser!, scene, anim, size, async (png, f) => {
            if (f === anim.poster) fs.writeFileSync(path.join(tmp, names.poster), png);
            await encoder.write(png);
          });
          await encoder.finish();
          commitFiles(dir, tmp, files, names);
          const seconds = (performance.now() - started) / 1000;
          report.seconds += seconds;
          report.frames += capture.frames;
          report.renderer = capture.renderer;
          report.rendered.push(anim.id);
          progress.log(`render ${anim.id}: ${capture.frames} frames ${capture.width}×${capture.height} in ${seconds.toFixed(1)} s (${(capture.frames / seconds).toFixed(2)} frames/s)`);
        } catch (e) {
          encoder.abort();
          fs.rmSync(tmp, { recursive: true, force: true });
          throw e;
        }
      }
      if (entry.status === 'rendered') entry.files = files;
      report.index.renders.push(entry);
    }
  } finally {
    await browser?.close();
  }
  if (opts.prune) {
    const keep = new Set([mesh.file, ...report.index.renders.flatMap((r) => [r.viewer.file, ...(r.files ? Object.values(r.files) : [])])]);
    const removed = removeStale(dir, keep);
    if (removed) progress.log(`renders: removed ${removed} stale file(s)`);
  }
  writeIndex(dir, report.index);
  progress.log(
    `renders: ${report.rendered.length} rendered (${report.frames} frames in ${report.seconds.toFixed(1)} s), ${report.cached.length} unchanged` +
      (report.missing.length ? `, ${report.missing.length} missing` : '') + ` → ${path.join(dir, INDEX_FILE)}`,
  );
  return report;
}

export const INDEX_FILE = 'index.json';

export function writeIndex(dir: string, index: RenderIndex): void {
  const file = path.join(dir, INDEX_FILE);
  const text = stableStringify(index);
  if (!fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== text) writeFileAtomic(file, text);
}
