/**
 * The render stage end to end on the real meshes, with real Chromium (SwiftShader)
 * and the real ffmpeg: a small animation, checked with ffprobe and by decoding
 * the poster.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import { loadManifest } from '../../src/data/manifest';
import type { Animation } from '../../src/render/animation';
import { frameLayout } from '../../src/render/layout';
import type { RenderIndex, RenderStageOptions } from '../../src/render/stage';
import { runRenderStage } from '../../src/render/stage';
import { VIEW_ORDER } from '../../src/render/views';
import { SHARED_DATA } from '../support';

const ffprobe = (createRequire(import.meta.url)('@ffprobe-installer/ffprobe') as { path: string }).path;
const manifest = loadManifest(path.join(SHARED_DATA, 'manifest.json'));
const SIZE = { cellWidth: 64, cellHeight: 56 };
const V = 20484;
const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'renders-test-'));
afterAll(() => fs.rmSync(tmpRoot, { recursive: true, force: true }));

/**
 * Three frames: the left hemisphere at +0.75 (red), then at −0.75 (blue), then
 * both at +0.75; the right hemisphere is unpainted in the first two.
 */
function testAnimation(title = 'test'): Animation {
  return {
    id: 'test-anim',
    group: 'test',
    title,
    caption: 'test',
    surface: 'pial',
    fps: 2,
    scale: { map: 'RdBu_r', min: -1, max: 1, threshold: 0.1, label: 'value (units)' },
    panels: [''],
    frames: 3,
    frameLabel: (f) => `frame ${f}`,
    values: (f) => {
      const out = new Float32Array(V).fill(Number.NaN);
      out.fill(f === 1 ? -0.75 : 0.75, 0, f === 2 ? V : V / 2);
      return out;
    },
    poster: 0,
    inputs: { test: 1 },
  };
}

const quiet = { log: () => {}, task: () => ({ update() {}, done() {} }) };

function stage(dir: string, extra: Partial<RenderStageOptions> = {}) {
  return runRenderStage({ dataDir: SHARED_DATA, manifest, dir, outputsDir: path.join(dir, 'none'), progress: quiet, size: SIZE, animations: () => [testAnimation()], ...extra });
}

function probe(file: string) {
  const out = execFileSync(ffprobe, ['-v', 'error', '-count_frames', '-show_entries', 'stream=codec_name,pix_fmt,width,height,nb_read_frames:format=duration', '-of', 'json', file], { encoding: 'utf8' });
  const json = JSON.parse(out) as { streams: Array<Record<string, string | number>>; format: { duration: string } };
  return { ...json.streams[0], duration: Number(json.format.duration) };
}

describe('render stage', () => {
  const dir = path.join(tmpRoot, 'renders');
  const layout = frameLayout([''], SIZE, false);
  let index: RenderIndex;

  it('renders MP4 (H.264, yuv420p), WebM (VP9) and a poster that decode to the expected frames', async () => {
    const report = await stage(dir);
    expect(report.rendered).toEqual(['test-anim']);
    index = report.index;
    const entry = index.renders[0];
    expect(entry.status).toBe('rendered');
    const mp4 = probe(path.join(dir, entry.files!.mp4));
    expect(mp4).toMatchObject({ codec_name: 'h264', pix_fmt: 'yuv420p', width: layout.width, height: layout.height, nb_read_frames: '3' });
    expect(mp4.duration).toBeCloseTo(1.5, 1);
    const webm = probe(path.join(dir, entry.files!.webm));
    expect(webm).toMatchObject({ codec_name: 'vp9', width: layout.width, height: layout.height, nb_read_frames: '3' });
    expect(webm.duration).toBeCloseTo(1.5, 1);
    // faststart: the moov atom comes before the media data.
    const head = fs.readFileSync(path.join(dir, entry.files!.mp4)).subarray(0, 4096).toString('latin1');
    expect(head.indexOf('moov')).toBeGreaterThan(0);
    expect(head.indexOf('moov')).toBeLessThan(head.indexOf('mdat') === -1 ? Infinity : head.indexOf('mdat'));
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'index.json'), 'utf8')).renders[0].id).toBe('test-anim');
  });

  it('the poster shows the left hemisphere red in its views and the right one grey', () => {
    const png = PNG.sync.read(fs.readFileSync(path.join(dir, index.renders[0].files!.poster)));
    expect([png.width, png.height]).toEqual([layout.width, layout.height]);
    const cell = (name: string) => layout.panels[0].cells[VIEW_ORDER.indexOf(name as (typeof VIEW_ORDER)[number])].rect;
    const count = (name: string) => {
      const r = cell(name);
      let red = 0;
      let grey = 0;
      let drawn = 0;
      for (let y = r.y; y < r.y + r.h; y++) {
        for (let x = r.x; x < r.x + r.w; x++) {
          const i = (y * png.width + x) * 4;
          const [R, G, B] = [png.data[i], png.data[i + 1], png.data[i + 2]];
          if (R > 245 && G > 245 && B > 245) continue; // background
          drawn++;
          if (R > G + 40 && R > B + 30) red++;
          if (Math.abs(R - G) < 12 && Math.abs(G - B) < 12) grey++;
        }
      }
      return { red, grey, drawn, area: r.w * r.h };
    };
    const leftLateral = count('left-lateral');
    const rightLateral = count('right-lateral');
    // The brain fills a good part of the cell, and it is not blank.
    expect(leftLateral.drawn).toBeGreaterThan(0.25 * leftLateral.area);
    expect(leftLateral.red).toBeGreaterThan(0.8 * leftLateral.drawn);
    expect(rightLateral.drawn).toBeGreaterThan(0.25 * rightLateral.area);
    expect(rightLateral.grey).toBeGreaterThan(0.8 * rightLateral.drawn);
    expect(rightLateral.red).toBe(0);
  });

  it('a second run renders nothing; a changed input renders again and prunes the old files', async () => {
    const again = await stage(dir);
    expect(again.rendered).toEqual([]);
    expect(again.cached).toEqual(['test-anim']);
    expect(again.index.renders[0].key).toBe(index.renders[0].key);
    const changed = await stage(dir, { animations: () => [testAnimation('another title')], prune: true });
    expect(changed.rendered).toEqual(['test-anim']);
    const key = changed.index.renders[0].key;
    expect(key).not.toBe(index.renders[0].key);
    const media = fs.readdirSync(path.join(dir, 'media'));
    expect(media.length).toBe(3);
    expect(media.every((f) => f.includes(key.slice(0, 16)))).toBe(true);
    expect(fs.readdirSync(dir).filter((f) => f.startsWith('.tmp-'))).toEqual([]);
  });

  it('without Chromium or ffmpeg (or with a Chromium that cannot start): renders marked missing with how to install, and the index is still written', async () => {
    for (const [variable, value, expected] of [
      ['PUPPETEER_EXECUTABLE_PATH', '/nonexistent/chromium', /Chromium not found \(PUPPETEER_EXECUTABLE_PATH=\/nonexistent\/chromium does not exist\): install Chromium \(Debian\/Ubuntu: `apt-get install -y chromium`\)/],
      ['PUPPETEER_EXECUTABLE_PATH', '/bin/false', /Chromium could not start \(.+\): install Chromium/],
      ['FFMPEG_PATH', '/nonexistent/ffmpeg', /ffmpeg not found \(FFMPEG_PATH=\/nonexistent\/ffmpeg does not exist\): install the project's dependencies/],
    ] as const) {
      const fresh = fs.mkdtempSync(path.join(tmpRoot, `missing-${variable}-`));
      const lines: string[] = [];
      const saved = process.env[variable];
      process.env[variable] = value;
      try {
        const report = await stage(fresh, { progress: { ...quiet, log: (l) => lines.push(l) } });
        expect(report.missing).toEqual(['test-anim']);
        expect(report.index.renders[0].status).toBe('missing');
        expect(report.index.renders[0].reason).toMatch(expected);
        expect(lines.join('\n')).toMatch(expected);
        expect(fs.existsSync(path.join(fresh, 'index.json'))).toBe(true);
      } finally {
        if (saved === undefined) delete process.env[variable];
        else process.env[variable] = saved;
      }
    }
  });
});
