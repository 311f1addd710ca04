/**
 * The script of the headless render page: Node hands it the meshes once, then
 * per frame the vertex colours of each panel, the cells to draw and the overlay
 * (titles, labels, colour bar); Node then takes a screenshot.
 */
import type { ViewSpec } from '../views';
import type { MeshData, Rect, SurfaceName } from './brainView';
import { BrainView } from './brainView';

export interface PageMesh {
  /** base64 of Float32 coordinates: [left pial, right pial, left inflated, right inflated]. */
  coords: [string, string, string, string];
  /** base64 of Uint32 triangles: [left, right]. */
  triangles: [string, string];
}

export interface PageFrame {
  surface: SurfaceName;
  panels: Array<{ colours: string; cells: Array<{ view: ViewSpec; rect: Rect }> }>;
  overlay: string;
}

const bytes = (b64: string) => {
  const s = atob(b64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
};

let view: BrainView | undefined;

const api = {
  init(mesh: PageMesh, width: number, height: number): string {
    const root = document.getElementById('frame')!;
    root.style.width = `${width}px`;
    root.style.height = `${height}px`;
    const canvas = document.getElementById('gl') as HTMLCanvasElement;
    const f32 = (s: string) => new Float32Array(bytes(s).buffer);
    const u32 = (s: string) => new Uint32Array(bytes(s).buffer);
    const data: MeshData = {
      surfaces: { pial: [f32(mesh.coords[0]), f32(mesh.coords[1])], inflated: [f32(mesh.coords[2]), f32(mesh.coords[3])] },
      triangles: [u32(mesh.triangles[0]), u32(mesh.triangles[1])],
    };
    view = new BrainView(canvas, data, { preserveDrawingBuffer: true });
    view.setSize(width, height);
    const gl = view.renderer.getContext();
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    return info ? String(gl.getParameter(info.UNMASKED_RENDERER_WEBGL)) : String(gl.getParameter(gl.RENDERER));
  },

  async frame(frame: PageFrame): Promise<void> {
    if (!view) throw new Error('render page: init() was not called');
    if (view.currentSurface !== frame.surface) view.setSurface(frame.surface);
    view.clear();
    for (const panel of frame.panels) {
      view.setColours(bytes(panel.colours));
      for (const cell of panel.cells) view.renderView(cell.view, cell.rect);
    }
    document.getElementById('overlay')!.innerHTML = frame.overlay;
    // Wait until the frame has been composited, so the screenshot holds it.
    await new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve())));
  },
};

(window as unknown as { brainRender: typeof api }).brainRender = api;
