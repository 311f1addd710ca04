/**
 * Where things go in a frame: a title line, then per panel a label and a row of
 * the five standard views, then the colour bar (and the strip of regions without
 * vertices). The WebGL canvas draws the views; the rest is an HTML overlay.
 */
import type { Animation } from './animation';
import type { ColourScale } from './colour';
import { colourOf } from './colour';
import { colourBarSvg } from './colourBar';
import type { Rect } from './browser/brainView';
import type { ViewName } from './views';
import { VIEW_ORDER, VIEWS } from './views';

export interface FrameSize {
  /** One view's cell, pixels (even numbers keep the video yuv420p-friendly). */
  cellWidth: number;
  cellHeight: number;
}

export interface FrameLayout {
  width: number;
  height: number;
  title: Rect;
  /** Per panel: its label line (height 0 when unlabelled), the view-label line and the cells. */
  panels: Array<{ label: Rect; viewLabels: Rect; cells: Array<{ view: ViewName; rect: Rect }> }>;
  bar: Rect;
  strip?: Rect;
}

const even = (x: number) => 2 * Math.round(x / 2);

export function frameLayout(panels: string[], size: FrameSize, strip: boolean): FrameLayout {
  const { cellWidth: w, cellHeight: h } = size;
  const titleH = Math.round(h * 0.2);
  const labelH = Math.round(h * 0.13);
  const stripH = strip ? Math.round(h * 0.3) : 0;
  const barH = Math.round(h * 0.42);
  const width = even(w * VIEW_ORDER.length);
  let y = titleH;
  const rows = panels.map((text) => {
    const label = { x: 0, y, w: width, h: text ? labelH : 0 };
    y += label.h;
    const viewLabels = { x: 0, y, w: width, h: labelH };
    y += labelH;
    const cells = VIEW_ORDER.map((view, i) => ({ view, rect: { x: i * w, y, w, h } }));
    y += h;
    return { label, viewLabels, cells };
  });
  const stripRect = strip ? { x: 0, y, w: width, h: stripH } : undefined;
  y += stripH;
  const bar = { x: Math.round(width * 0.25), y, w: Math.round(width * 0.5), h: barH };
  y += barH;
  // Blank space under the colour bar: a browser's video controls cover the bottom of a paused video.
  y += Math.round(h * 0.22);
  return { width, height: even(y), title: { x: 0, y: 0, w: width, h: titleH }, panels: rows, bar, strip: stripRect };
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const box = (r: Rect, style: string, html: string) => `<div style="left:${r.x}px;top:${r.y}px;width:${r.w}px;height:${r.h}px;${style}">${html}</div>`;

function stripHtml(entries: Array<{ label: string; value: number }>, scale: ColourScale, r: Rect, font: number): string {
  const cellW = r.w / Math.max(1, entries.length);
  return entries
    .map((e, i) => {
      const c = colourOf(e.value, scale);
      const bg = c ? `rgb(${c[0]},${c[1]},${c[2]})` : '#999';
      const light = c ? 0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2] > 140 : true;
      return box(
        { x: Math.round(r.x + i * cellW), y: r.y + 2, w: Math.floor(cellW) - 2, h: r.h - 4 },
        `background:${bg};color:${light ? '#111' : '#fff'};font-size:${font}px;text-align:center;overflow:hidden;line-height:${r.h - 4}px`,
        esc(e.label),
      );
    })
    .join('');
}

/** The overlay HTML of one frame. */
export function overlayHtml(anim: Animation, layout: FrameLayout, frame: number, size: FrameSize): string {
  const big = Math.max(8, Math.round(size.cellHeight * 0.1));
  const small = Math.max(7, Math.round(size.cellHeight * 0.065));
  const parts = [box(layout.title, `font-size:${big}px;font-weight:bold;padding:${Math.round(big / 3)}px ${big}px;box-sizing:border-box`, `${esc(anim.title)} · ${esc(anim.frameLabel(frame))}`)];
  layout.panels.forEach((p, i) => {
    if (anim.panels[i]) parts.push(box(p.label, `font-size:${small + 1}px;font-weight:bold;padding-left:${big}px;box-sizing:border-box`, esc(anim.panels[i])));
    for (const c of p.cells) parts.push(box({ ...p.viewLabels, x: c.rect.x, w: c.rect.w }, `font-size:${small}px;color:#555;text-align:center`, esc(VIEWS[c.view].label)));
  });
  if (layout.strip && anim.strip) {
    const entries = anim.strip(frame, 0);
    parts.push(box({ ...layout.strip, h: small + 2 }, `font-size:${small}px;color:#555;padding-left:${big}px`, 'regions without vertices (not on the surface):'));
    parts.push(stripHtml(entries, anim.scale, { x: layout.strip.x + big, y: layout.strip.y + small + 2, w: layout.strip.w - 2 * big, h: layout.strip.h - small - 2 }, small));
  }
  parts.push(box(layout.bar, '', colourBarSvg(anim.scale, layout.bar.w, layout.bar.h)));
  return parts.join('');
}
