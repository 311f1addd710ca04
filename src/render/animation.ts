/** What one render is: frames of per-vertex values, how they are coloured and labelled. */
import type { ColourScale } from './colour';
import type { SurfaceName } from './scene';

export interface StripEntry {
  label: string;
  value: number;
}

export interface Animation {
  /** File-name-safe id, unique in renders/index.json. */
  id: string;
  /** Which page shows it: 'stimuli' or an experiment id. */
  group: string;
  title: string;
  /** What the colour means, its units, where the values come from. */
  caption: string;
  surface: SurfaceName;
  /** Frames per second of the video. */
  fps: number;
  scale: ColourScale;
  /** One label per panel (a row of the five standard views). */
  panels: string[];
  frames: number;
  frameLabel(frame: number): string;
  /** Value of every vertex (left then right; NaN: not painted) for one panel and frame. */
  values(frame: number, panel: number): Float32Array;
  /** Values of regions that have no vertices, shown as a strip under the brains. */
  strip?(frame: number, panel: number): StripEntry[];
  /** The frame shown as the poster. */
  poster: number;
  /** Everything the frames depend on besides the render code (hashed into the cache key). */
  inputs: Record<string, unknown>;
}
