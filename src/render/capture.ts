/**
 * The capture loop: one headless Chromium page draws each frame of an
 * animation with three.js, and a screenshot of the page (canvas plus the HTML
 * overlay of labels and colour bar) becomes a PNG frame.
 */
import type { Browser } from 'puppeteer-core';
import type { Animation } from './animation';
import type { PageFrame, PageMesh } from './browser/renderPage';
import { paintVertices } from './colour';
import type { FrameSize } from './layout';
import { frameLayout, overlayHtml } from './layout';
import { renderPageHtml } from './page';
import type { BrainScene } from './scene';
import { sceneSulc } from './scene';
import { VIEWS } from './views';

const b64 = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');

export function pageMesh(scene: BrainScene): PageMesh {
  const [l, r] = scene.hemispheres;
  return {
    coords: [b64(l.surfaces.pial), b64(r.surfaces.pial), b64(l.surfaces.inflated), b64(r.surfaces.inflated)],
    triangles: [b64(l.triangles), b64(r.triangles)],
  };
}

export interface CaptureResult {
  frames: number;
  width: number;
  height: number;
  /** The WebGL renderer Chromium reported (SwiftShader without a GPU). */
  renderer: string;
  seconds: number;
}

/**
 * Draws every frame of `anim` and hands its PNG to `onFrame`, in order.
 * The page is opened and closed here; the browser is the caller's.
 */
export async function captureFrames(
  browser: Browser,
  scene: BrainScene,
  anim: Animation,
  size: FrameSize,
  onFrame: (png: Uint8Array, frame: number) => Promise<void> | void,
): Promise<CaptureResult> {
  const started = performance.now();
  const layout = frameLayout(anim.panels, size, Boolean(anim.strip));
  const page = await browser.newPage();
  try {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.setViewport({ width: layout.width, height: layout.height, deviceScaleFactor: 1 });
    await page.setContent(await renderPageHtml(), { waitUntil: 'load' });
    const renderer = await page.evaluate(
      (mesh, w, h) => (window as unknown as { brainRender: { init(m: PageMesh, w: number, h: number): string } }).brainRender.init(mesh, w, h),
      pageMesh(scene),
      layout.width,
      layout.height,
    );
    if (errors.length) throw new Error(`render page failed: ${errors[0]}`);
    const sulc = sceneSulc(scene);
    const rgb = new Uint8Array(sulc.length * 3);
    for (let f = 0; f < anim.frames; f++) {
      const frame: PageFrame = {
        surface: anim.surface,
        panels: layout.panels.map((p, i) => ({
          colours: b64(paintVertices(anim.values(f, i), sulc, anim.scale, rgb)),
          cells: p.cells.map((c) => ({ view: VIEWS[c.view], rect: c.rect })),
        })),
        overlay: overlayHtml(anim, layout, f, size),
      };
      await page.evaluate((fr) => (window as unknown as { brainRender: { frame(f: PageFrame): Promise<void> } }).brainRender.frame(fr), frame);
      if (errors.length) throw new Error(`render page failed: ${errors[0]}`);
      const png = await page.screenshot({ type: 'png', clip: { x: 0, y: 0, width: layout.width, height: layout.height } });
      await onFrame(png, f);
    }
    return { frames: anim.frames, width: layout.width, height: layout.height, renderer, seconds: (performance.now() - started) / 1000 };
  } finally {
    await page.close();
  }
}
