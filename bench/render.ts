/**
 * `npm run bench:render [-- --frames N]`: how fast the brain renders are made
 * here. Renders the first video stimulus at the report's frame size into a
 * temporary folder (no cache): first drawing and capturing only, then the
 * whole render (capture + MP4 + WebM + poster). Prints frames per second and
 * total time.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadManifest } from '../src/data/manifest';
import { captureFrames } from '../src/render/capture';
import { frameLayout } from '../src/render/layout';
import { loadBrainScene } from '../src/render/scene';
import { DEFAULT_SIZE, runRenderStage } from '../src/render/stage';
import { stimulusAnimations } from '../src/render/stimulusAnimations';
import { launchChromium } from '../src/util/chromium';

const dataDir = path.resolve(process.env.BRAIN_DATA_DIR || '../shared/data');
const framesArg = process.argv.indexOf('--frames');
const maxFrames = framesArg > 0 ? Number(process.argv[framesArg + 1]) : Infinity;
const manifest = loadManifest(path.join(dataDir, 'manifest.json'));
const anim = () => {
  const a = stimulusAnimations(dataDir, manifest)[0];
  a.frames = Math.min(a.frames, maxFrames);
  a.poster = Math.min(a.poster, a.frames - 1);
  return a;
};
const layout = frameLayout([''], DEFAULT_SIZE, false);
console.log(`render benchmark: ${anim().id}, ${anim().frames} frames of ${layout.width}×${layout.height}, data ${dataDir}`);

const t0 = performance.now();
const scene = loadBrainScene(dataDir);
const tScene = (performance.now() - t0) / 1000;
const t1 = performance.now();
const browser = await launchChromium();
const tLaunch = (performance.now() - t1) / 1000;
const capture = await captureFrames(browser, scene, anim(), DEFAULT_SIZE, () => {});
await browser.close();
console.log(`WebGL renderer: ${capture.renderer}`);
console.log(`load meshes: ${tScene.toFixed(2)} s; launch Chromium: ${tLaunch.toFixed(2)} s`);
console.log(`draw + capture only: ${capture.frames} frames in ${capture.seconds.toFixed(2)} s = ${(capture.frames / capture.seconds).toFixed(2)} frames/s`);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-render-'));
try {
  const t2 = performance.now();
  const report = await runRenderStage({ dataDir, manifest, dir, outputsDir: path.join(dir, 'none'), progress: { log: () => {}, task: () => ({ update() {}, done() {} }) }, animations: () => [anim()] });
  const total = (performance.now() - t2) / 1000;
  const e = report.index.renders[0];
  const sizes = Object.entries(e.files!).map(([k, f]) => `${k} ${(fs.statSync(path.join(dir, f)).size / 1024).toFixed(0)} KiB`);
  console.log(`full render (capture + H.264 + VP9 + poster): ${report.frames} frames in ${report.seconds.toFixed(2)} s = ${(report.frames / report.seconds).toFixed(2)} frames/s`);
  console.log(`total render time including page set-up and Chromium launch: ${total.toFixed(2)} s (${sizes.join(', ')})`);
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
