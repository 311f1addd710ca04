/**
 * The surface data every render draws: both fsaverage5 hemispheres, pial and
 * inflated, with sulcal depth for the grey background. Vertex order is the
 * data's: left hemisphere 0..10241, then right 10242..20483.
 */
import path from 'node:path';
import { InputError } from '../data/errors';
import { FSAVERAGE5_VERTICES, loadHemisphere, loadSurfaceScalars } from '../data/gifti';

export type SurfaceName = 'pial' | 'inflated';
export type HemisphereName = 'left' | 'right';

export interface HemisphereMesh {
  name: HemisphereName;
  /** n × 3 coordinates (mm) per surface. */
  surfaces: Record<SurfaceName, Float32Array>;
  /** m × 3 vertex indices, local to the hemisphere. */
  triangles: Uint32Array;
  sulc: Float32Array;
}

export interface BrainScene {
  hemispheres: [HemisphereMesh, HemisphereMesh];
  verticesPerHemisphere: number;
}

/** The data files a scene is made of (their manifest sha256 go into render keys). */
export const SCENE_FILES = ['pial', 'infl', 'sulc'].flatMap((k) => ['left', 'right'].map((h) => `fsaverage5/${k}_${h}.gii.gz`));

/** Gap between the inflated hemispheres, mm: they are inflated about their own centres and would overlap. */
const INFLATED_GAP = 8;

export function loadBrainScene(dataDir: string): BrainScene {
  const load = (name: HemisphereName): HemisphereMesh => {
    const pial = loadHemisphere(path.join(dataDir, `fsaverage5/pial_${name}.gii.gz`));
    const infl = loadHemisphere(path.join(dataDir, `fsaverage5/infl_${name}.gii.gz`));
    if (pial.triangleCount !== infl.triangleCount || pial.triangles.some((t, i) => t !== infl.triangles[i])) {
      throw new InputError(path.join(dataDir, `fsaverage5/infl_${name}.gii.gz`), `triangles differ from pial_${name}: the surfaces must share one mesh`);
    }
    const sulcFile = path.join(dataDir, `fsaverage5/sulc_${name}.gii.gz`);
    const sulc = loadSurfaceScalars(sulcFile);
    if (sulc.length !== FSAVERAGE5_VERTICES) throw new InputError(sulcFile, `has ${sulc.length} values; fsaverage5 has ${FSAVERAGE5_VERTICES} vertices per hemisphere`);
    return { name, surfaces: { pial: pial.coords, inflated: infl.coords }, triangles: Uint32Array.from(pial.triangles), sulc };
  };
  const left = load('left');
  const right = load('right');
  separateInflated(left.surfaces.inflated, right.surfaces.inflated);
  return { hemispheres: [left, right], verticesPerHemisphere: FSAVERAGE5_VERTICES };
}

/**
 * Shifts the inflated hemispheres along x so the left one's medial face sits at
 * −gap/2 and the right one's at +gap/2 (in place).
 */
export function separateInflated(left: Float32Array, right: Float32Array, gap = INFLATED_GAP): void {
  let leftMax = -Infinity;
  let rightMin = Infinity;
  for (let i = 0; i < left.length; i += 3) leftMax = Math.max(leftMax, left[i]);
  for (let i = 0; i < right.length; i += 3) rightMin = Math.min(rightMin, right[i]);
  const dl = -gap / 2 - leftMax;
  const dr = gap / 2 - rightMin;
  for (let i = 0; i < left.length; i += 3) left[i] += dl;
  for (let i = 0; i < right.length; i += 3) right[i] += dr;
}

/** The sulcal depth of all vertices, left then right. */
export function sceneSulc(scene: BrainScene): Float32Array {
  const out = new Float32Array(2 * scene.verticesPerHemisphere);
  out.set(scene.hemispheres[0].sulc, 0);
  out.set(scene.hemispheres[1].sulc, scene.verticesPerHemisphere);
  return out;
}
