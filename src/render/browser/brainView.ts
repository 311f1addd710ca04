/**
 * Draws the fsaverage5 hemispheres with three.js, coloured per vertex, in any of
 * the standard views or from a free camera. Runs in the browser: in the
 * headless render page and in the site's interactive viewer.
 *
 * Shading is a fixed headlight: colour × (0.45 + 0.55·|n·v|), with no colour
 * management, so a surface facing the camera shows exactly the colour-map colour.
 */
import * as THREE from 'three';
import type { ViewSpec } from '../views';

export type SurfaceName = 'pial' | 'inflated';

export interface MeshData {
  /** Per hemisphere (left, right): n × 3 coordinates per surface. */
  surfaces: Record<SurfaceName, [Float32Array, Float32Array]>;
  triangles: [Uint32Array, Uint32Array];
}

export interface Rect {
  /** CSS pixels from the canvas's top-left corner. */
  x: number;
  y: number;
  w: number;
  h: number;
}

const VERTEX = /* glsl */ `
varying vec3 vColour;
varying vec3 vNormal;
void main() {
  vColour = color;
  vNormal = normalize(normalMatrix * normal);
  gl_Position = projectionMatrix * modelViewMatrix * vec4(position, 1.0);
}`;

const FRAGMENT = /* glsl */ `
varying vec3 vColour;
varying vec3 vNormal;
void main() {
  float shade = 0.45 + 0.55 * abs(normalize(vNormal).z);
  gl_FragColor = vec4(vColour * shade, 1.0);
}`;

export class BrainView {
  readonly renderer: THREE.WebGLRenderer;
  readonly scene = new THREE.Scene();
  private readonly meshes: THREE.Mesh[] = [];
  private readonly colours: THREE.BufferAttribute[] = [];
  private readonly attributes: Record<SurfaceName, Array<{ position: THREE.BufferAttribute; normal: THREE.BufferAttribute }>>;
  private surface: SurfaceName = 'pial';
  readonly vertices: number;

  constructor(
    canvas: HTMLCanvasElement,
    mesh: MeshData,
    opts: { preserveDrawingBuffer?: boolean; background?: number } = {},
  ) {
    this.renderer = new THREE.WebGLRenderer({ canvas, antialias: true, preserveDrawingBuffer: opts.preserveDrawingBuffer ?? false });
    this.renderer.outputColorSpace = THREE.LinearSRGBColorSpace;
    this.renderer.setPixelRatio(1);
    this.renderer.setClearColor(opts.background ?? 0xffffff, 1);
    this.renderer.autoClear = false;
    const material = new THREE.ShaderMaterial({ vertexShader: VERTEX, fragmentShader: FRAGMENT, vertexColors: true });
    this.vertices = mesh.surfaces.pial[0].length / 3;
    this.attributes = { pial: [], inflated: [] };
    for (let h = 0; h < 2; h++) {
      const geometry = new THREE.BufferGeometry();
      geometry.setIndex(new THREE.BufferAttribute(mesh.triangles[h], 1));
      for (const s of ['pial', 'inflated'] as SurfaceName[]) {
        const position = new THREE.BufferAttribute(mesh.surfaces[s][h], 3);
        geometry.setAttribute('position', position);
        geometry.computeVertexNormals();
        this.attributes[s].push({ position, normal: geometry.getAttribute('normal') as THREE.BufferAttribute });
        geometry.deleteAttribute('normal');
      }
      const colour = new THREE.BufferAttribute(new Uint8Array(this.vertices * 3).fill(160), 3, true);
      geometry.setAttribute('color', colour);
      this.colours.push(colour);
      const m = new THREE.Mesh(geometry, material);
      this.meshes.push(m);
      this.scene.add(m);
    }
    this.setSurface('pial');
  }

  setSurface(surface: SurfaceName): void {
    this.surface = surface;
    this.meshes.forEach((m, h) => {
      m.geometry.setAttribute('position', this.attributes[surface][h].position);
      m.geometry.setAttribute('normal', this.attributes[surface][h].normal);
      m.geometry.computeBoundingSphere();
      m.geometry.computeBoundingBox();
    });
  }

  /** RGB bytes for all vertices, left hemisphere then right. */
  setColours(rgb: Uint8Array): void {
    const n = this.vertices * 3;
    for (let h = 0; h < 2; h++) {
      (this.colours[h].array as Uint8Array).set(rgb.subarray(h * n, (h + 1) * n));
      this.colours[h].needsUpdate = true;
    }
  }

  setSize(width: number, height: number): void {
    this.renderer.setSize(width, height, false);
  }

  clear(): void {
    this.renderer.setScissorTest(false);
    this.renderer.clear();
  }

  /** An orthographic camera looking at the view's hemispheres, fitted to a w × h cell. */
  viewCamera(view: ViewSpec, w: number, h: number, margin = 1.04): THREE.OrthographicCamera {
    const eye = new THREE.Vector3(...view.eye);
    const up = new THREE.Vector3(...view.up);
    const right = new THREE.Vector3().crossVectors(eye.clone().negate(), up).normalize();
    const box = new THREE.Box3();
    for (const hemi of view.hemispheres) box.union(this.meshes[hemi].geometry.boundingBox!);
    const centre = box.getCenter(new THREE.Vector3());
    const size = box.getSize(new THREE.Vector3());
    const extentRight = Math.abs(right.x) * size.x + Math.abs(right.y) * size.y + Math.abs(right.z) * size.z;
    const extentUp = Math.abs(up.x) * size.x + Math.abs(up.y) * size.y + Math.abs(up.z) * size.z;
    const depth = size.length();
    const aspect = w / h;
    let halfW = (extentRight / 2) * margin;
    let halfH = (extentUp / 2) * margin;
    if (halfW / halfH > aspect) halfH = halfW / aspect;
    else halfW = halfH * aspect;
    const camera = new THREE.OrthographicCamera(-halfW, halfW, halfH, -halfH, 0.1, 4 * depth);
    camera.up.copy(up);
    camera.position.copy(centre).addScaledVector(eye, 2 * depth);
    camera.lookAt(centre);
    camera.updateProjectionMatrix();
    return camera;
  }

  /** Draws one view into a cell of the canvas (does not clear the rest). */
  renderView(view: ViewSpec, rect: Rect): void {
    const height = this.renderer.domElement.height;
    const camera = this.viewCamera(view, rect.w, rect.h);
    this.meshes.forEach((m, h) => (m.visible = view.hemispheres.includes(h)));
    this.renderer.setViewport(rect.x, height - rect.y - rect.h, rect.w, rect.h);
    this.renderer.setScissor(rect.x, height - rect.y - rect.h, rect.w, rect.h);
    this.renderer.setScissorTest(true);
    this.renderer.render(this.scene, camera);
    this.renderer.setScissorTest(false);
  }

  /** Draws both hemispheres from a free camera over the whole canvas. */
  renderCamera(camera: THREE.Camera): void {
    const c = this.renderer.domElement;
    for (const m of this.meshes) m.visible = true;
    this.renderer.setViewport(0, 0, c.width, c.height);
    this.renderer.clear();
    this.renderer.render(this.scene, camera);
  }

  /** Centre and radius of both hemispheres on the current surface. */
  bounds(): { centre: THREE.Vector3; radius: number } {
    const box = new THREE.Box3();
    for (const m of this.meshes) box.union(m.geometry.boundingBox!);
    return { centre: box.getCenter(new THREE.Vector3()), radius: box.getSize(new THREE.Vector3()).length() / 2 };
  }

  get currentSurface(): SurfaceName {
    return this.surface;
  }

  dispose(): void {
    for (const m of this.meshes) m.geometry.dispose();
    this.renderer.dispose();
  }
}
