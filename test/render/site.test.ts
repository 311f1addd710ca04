/**
 * The site embeds what the render stage wrote: videos with their posters where
 * a render exists, a "missing" line where it could not be made, the files
 * copied into the built site, and an interactive viewer that draws the cortex
 * in Chromium.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadManifest } from '../../src/data/manifest';
import { silentProgress } from '../../src/pipeline/progress';
import type { Animation } from '../../src/render/animation';
import type { RenderIndex } from '../../src/render/stage';
import { runRenderStage } from '../../src/render/stage';
import { launchChromium } from '../../src/util/chromium';
import { REPO_ROOT, SHARED_DATA } from '../support';
import { cleanEnv } from '../site/buildSite';

const manifest = loadManifest(path.join(SHARED_DATA, 'manifest.json'));
const V = 20484;

function animation(id: string, group: string): Animation {
  return {
    id,
    group,
    title: `Render ${id}`,
    caption: `Caption of ${id}: colour is a test value (units).`,
    surface: 'inflated',
    fps: 1,
    scale: { map: 'viridis', min: 0, max: 1, threshold: 0, label: 'test value (units)' },
    panels: [''],
    frames: 2,
    frameLabel: (f) => `frame ${f}`,
    // A gradient along the vertex index: every vertex painted.
    values: (f) => Float32Array.from({ length: V }, (_, v) => ((v % 10242) / 10242 + f * 0.1) % 1),
    poster: 0,
    inputs: { id },
  };
}


describe('renders on the site', () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'site-renders-'));
  const renders = path.join(work, 'renders');
  const outDir = path.join(work, 'dist');
  let index: RenderIndex;
  let stimuliPage: string;
  let exp2Page: string;
  let server: http.Server;
  let port = 0;

  beforeAll(async () => {
    const size = { cellWidth: 64, cellHeight: 56 };
    await runRenderStage({ dataDir: SHARED_DATA, manifest, dir: renders, outputsDir: path.join(work, 'none'), progress: silentProgress, size, animations: () => [animation('shown', 'stimuli')] });
    // The second render cannot be made (no ffmpeg); the first is already there.
    process.env.FFMPEG_PATH = '/nonexistent/ffmpeg';
    try {
      index = (await runRenderStage({ dataDir: SHARED_DATA, manifest, dir: renders, outputsDir: path.join(work, 'none'), progress: silentProgress, size, animations: () => [animation('shown', 'stimuli'), animation('absent', 'exp2')] })).index;
    } finally {
      delete process.env.FFMPEG_PATH;
    }
    const astro = spawnSync(process.execPath, [path.join(REPO_ROOT, 'node_modules/astro/astro.js'), 'build'], {
      cwd: REPO_ROOT,
      env: { ...cleanEnv(), RENDERS_DIR: renders, SITE_OUT_DIR: outDir, BASE_PATH: '/report', ASTRO_TELEMETRY_DISABLED: '1' },
      encoding: 'utf8',
    });
    expect(astro.status, astro.stderr + astro.stdout).toBe(0);
    stimuliPage = fs.readFileSync(path.join(outDir, 'stimuli/index.html'), 'utf8');
    exp2Page = fs.readFileSync(path.join(outDir, 'experiments/exp2/index.html'), 'utf8');
    // A static server for dist/ under the base path.
    server = http.createServer((req, res) => {
      const rel = decodeURIComponent((req.url ?? '/').split('?')[0]).replace(/^\/report/, '');
      let file = path.join(outDir, rel);
      if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
      if (!file.startsWith(outDir) || !fs.existsSync(file)) {
        res.writeHead(404).end();
        return;
      }
      const type = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json' }[path.extname(file)] ?? 'application/octet-stream';
      res.writeHead(200, { 'content-type': type }).end(fs.readFileSync(file));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  }, 300_000);

  afterAll(() => {
    server?.close();
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('embeds a rendered video with its poster and caption, and copies its files into the site', () => {
    const shown = index.renders.find((r) => r.id === 'shown')!;
    expect(shown.status).toBe('rendered');
    for (const f of Object.values(shown.files!)) {
      expect(stimuliPage).toContain(`/report/renders/${f}`);
      expect(fs.readFileSync(path.join(outDir, 'renders', f))).toEqual(fs.readFileSync(path.join(renders, f)));
    }
    expect(stimuliPage).toMatch(/<video[^>]*poster="\/report\/renders\/media\/shown\.[0-9a-f]{16}\.png"/);
    expect(stimuliPage).toContain('Caption of shown: colour is a test value (units).');
    expect(stimuliPage).toContain('href="/report/stimuli/"');
  });

  it('shows a render that could not be made as text that says how to get it, not as broken media', () => {
    expect(index.renders.find((r) => r.id === 'absent')!.status).toBe('missing');
    expect(exp2Page).toContain('Render missing: Render absent.');
    expect(exp2Page).toContain('ffmpeg not found');
    expect(exp2Page).not.toMatch(/renders\/media\/absent/);
  });

  it('the viewer loads on demand and draws the painted cortex in the browser', async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      await page.setViewport({ width: 900, height: 800 });
      await page.goto(`http://127.0.0.1:${port}/report/stimuli/`, { waitUntil: 'load' });
      // The video and the poster load.
      await page.$eval('video', (v) => v.load());
      await page.waitForFunction(() => document.querySelector('video')!.readyState >= 1 || document.querySelector('video')!.error !== null, { timeout: 30_000 });
      expect(await page.$eval('video', (v) => ({ error: v.error, width: v.videoWidth, src: v.currentSrc }))).toMatchObject({ error: null, width: 320 });
      expect(await page.$eval('.brain-viewer img', (i) => (i as HTMLImageElement).complete && (i as HTMLImageElement).naturalWidth)).toBe(320);
      // Nothing of three.js before the viewer is wanted.
      expect(await page.$('.viewer-canvas')).toBeNull();
      await page.click('.viewer-load');
      await page.waitForSelector('.viewer-canvas', { timeout: 60_000 });
      await page.waitForFunction(() => /frame 0/.test(document.querySelector('.viewer-frame')?.textContent ?? ''), { timeout: 60_000 });
      const shot = PNG.sync.read(Buffer.from(await (await page.$('.viewer-canvas'))!.screenshot({ type: 'png' })));
      let coloured = 0;
      for (let i = 0; i < shot.data.length; i += 4) {
        const [r, g, b] = [shot.data[i], shot.data[i + 1], shot.data[i + 2]];
        if (Math.max(r, g, b) - Math.min(r, g, b) > 40) coloured++;
      }
      expect(errors).toEqual([]);
      expect(coloured).toBeGreaterThan(0.05 * shot.width * shot.height);
    } finally {
      await browser.close();
    }
  }, 120_000);
});
