/**
 * The interactive brain viewer (browser only, loaded on demand): rotate and zoom
 * the cortex, choose the render (stimulus or model) and the panel, the surface,
 * and scrub or play through the frames. It paints the values the render stage
 * wrote (quantised bytes, see src/render/quantise.ts) with the same colour map
 * as the videos.
 */
import * as THREE from 'three';
import { OrbitControls } from 'three/examples/jsm/controls/OrbitControls.js';
import type { SurfaceName } from '../../render/browser/brainView';
import { BrainView } from '../../render/browser/brainView';
import { paintVertices } from '../../render/colour';
import { dequantise } from '../../render/quantise';
import type { RenderEntry } from '../../render/stage';
import type { MeshAsset } from '../../render/viewerAssets';

export interface ViewerConfig {
  base: string;
  mesh: MeshAsset;
  renders: Array<Pick<RenderEntry, 'id' | 'title' | 'panels' | 'frames' | 'frameLabels' | 'scale' | 'colourBar' | 'surface' | 'viewer' | 'strips'>>;
}

const url = (cfg: ViewerConfig, file: string) => `${cfg.base.replace(/\/$/, '')}/renders/${file}`;

async function fetchBytes(u: string): Promise<ArrayBuffer> {
  const r = await fetch(u);
  if (!r.ok) throw new Error(`${u}: HTTP ${r.status}`);
  return r.arrayBuffer();
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, text = ''): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text) e.textContent = text;
  return e;
}

export async function mountViewer(root: HTMLElement, cfg: ViewerConfig): Promise<void> {
  const n = cfg.mesh.verticesPerHemisphere;
  const m = cfg.mesh.trianglesPerHemisphere;
  const buf = await fetchBytes(url(cfg, cfg.mesh.file));
  let o = 0;
  const f32 = (count: number) => {
    const a = new Float32Array(buf.slice(o, o + count * 4));
    o += count * 4;
    return a;
  };
  const u32 = (count: number) => {
    const a = new Uint32Array(buf.slice(o, o + count * 4));
    o += count * 4;
    return a;
  };
  const [lp, rp, li, ri] = [f32(3 * n), f32(3 * n), f32(3 * n), f32(3 * n)];
  const [lt, rt] = [u32(3 * m), u32(3 * m)];
  const sulc = new Float32Array(2 * n);
  sulc.set(f32(n), 0);
  sulc.set(f32(n), n);

  root.replaceChildren();
  const controlsBar = el('div', { class: 'viewer-controls' });
  const pick = el('select', { 'aria-label': 'render' });
  cfg.renders.forEach((r, i) => pick.append(el('option', { value: String(i) }, r.title)));
  const panelPick = el('select', { 'aria-label': 'panel' });
  const surfacePick = el('select', { 'aria-label': 'surface' });
  for (const s of ['inflated', 'pial']) surfacePick.append(el('option', { value: s }, `${s} surface`));
  const play = el('button', { type: 'button' }, 'play');
  const slider = el('input', { type: 'range', min: '0', max: '0', value: '0', 'aria-label': 'frame' });
  const label = el('span', { class: 'viewer-frame' });
  controlsBar.append(pick, panelPick, surfacePick, play, slider, label);
  const canvas = el('canvas', { class: 'viewer-canvas' });
  const bar = el('div', { class: 'viewer-bar' });
  const strip = el('p', { class: 'viewer-strip' });
  root.append(controlsBar, canvas, bar, strip, el('p', { class: 'viewer-help' }, 'Drag to rotate, scroll to zoom, right-drag to pan.'));

  const view = new BrainView(canvas, { surfaces: { pial: [lp, rp], inflated: [li, ri] }, triangles: [lt, rt] });
  const width = root.clientWidth || 800;
  const height = Math.round(Math.min(520, width * 0.6));
  view.setSize(width, height);
  canvas.style.width = '100%';
  canvas.style.height = `${height}px`;
  const camera = new THREE.PerspectiveCamera(30, width / height, 1, 5000);
  const controls = new OrbitControls(camera, canvas);
  const placeCamera = () => {
    const { centre, radius } = view.bounds();
    camera.up.set(0, 0, 1);
    camera.position.set(centre.x - 3.2 * radius, centre.y, centre.z + radius * 0.4);
    controls.target.copy(centre);
    controls.update();
  };

  let current = 0;
  let values: Uint8Array | undefined;
  const cache = new Map<number, Uint8Array>();
  const rgb = new Uint8Array(2 * n * 3);
  const decoded = new Float32Array(2 * n);

  const draw = () => view.renderCamera(camera);
  const paint = () => {
    const r = cfg.renders[current];
    if (!values) return;
    const frame = Number(slider.value);
    const panel = Number(panelPick.value || 0);
    const offset = (frame * r.panels.length + panel) * 2 * n;
    for (let v = 0; v < 2 * n; v++) decoded[v] = dequantise(values[offset + v], r.viewer.lo, r.viewer.hi);
    view.setColours(paintVertices(decoded, sulc, r.scale, rgb));
    label.textContent = `${r.frameLabels[frame]} (frame ${frame + 1} of ${r.frames})`;
    const s = r.strips?.[frame];
    strip.textContent = s ? `Regions without vertices: ${s.map((e) => `${e.label} ${e.value.toPrecision(3)}`).join(', ')}` : '';
    draw();
  };
  const choose = async (i: number) => {
    current = i;
    const r = cfg.renders[i];
    panelPick.replaceChildren(...r.panels.map((p, k) => el('option', { value: String(k) }, p || 'values')));
    panelPick.hidden = r.panels.length < 2;
    slider.max = String(r.frames - 1);
    slider.value = String(Math.min(Number(slider.value), r.frames - 1));
    bar.innerHTML = r.colourBar;
    if (!cache.has(i)) cache.set(i, new Uint8Array(await fetchBytes(url(cfg, r.viewer.file))));
    values = cache.get(i);
    paint();
  };

  let timer: number | undefined;
  play.addEventListener('click', () => {
    if (timer !== undefined) {
      clearInterval(timer);
      timer = undefined;
      play.textContent = 'play';
      return;
    }
    play.textContent = 'pause';
    timer = window.setInterval(() => {
      slider.value = String((Number(slider.value) + 1) % cfg.renders[current].frames);
      paint();
    }, 1000);
  });
  pick.addEventListener('change', () => void choose(Number(pick.value)));
  panelPick.addEventListener('change', paint);
  slider.addEventListener('input', paint);
  surfacePick.addEventListener('change', () => {
    view.setSurface(surfacePick.value as SurfaceName);
    placeCamera();
    draw();
  });
  controls.addEventListener('change', draw);
  surfacePick.value = cfg.renders[0]?.surface ?? 'inflated';
  view.setSurface(surfacePick.value as SurfaceName);
  placeCamera();
  await choose(0);
}
