/**
 * The standard views of the cortex: which hemispheres each shows and where the
 * camera looks from. Coordinates are RAS (x right, y anterior, z superior).
 * Lateral views of the left hemisphere have anterior to the left, as usual.
 */
export type ViewName = 'left-lateral' | 'left-medial' | 'right-lateral' | 'right-medial' | 'dorsal';

export interface ViewSpec {
  name: ViewName;
  label: string;
  /** Hemispheres drawn (0 = left, 1 = right). */
  hemispheres: number[];
  /** Direction from the brain to the camera. */
  eye: [number, number, number];
  up: [number, number, number];
}

export const VIEWS: Record<ViewName, ViewSpec> = {
  'left-lateral': { name: 'left-lateral', label: 'left lateral', hemispheres: [0], eye: [-1, 0, 0], up: [0, 0, 1] },
  'left-medial': { name: 'left-medial', label: 'left medial', hemispheres: [0], eye: [1, 0, 0], up: [0, 0, 1] },
  'right-medial': { name: 'right-medial', label: 'right medial', hemispheres: [1], eye: [-1, 0, 0], up: [0, 0, 1] },
  'right-lateral': { name: 'right-lateral', label: 'right lateral', hemispheres: [1], eye: [1, 0, 0], up: [0, 0, 1] },
  dorsal: { name: 'dorsal', label: 'dorsal (anterior up)', hemispheres: [0, 1], eye: [0, 0, 1], up: [0, 1, 0] },
};

/** The order of the views in a row of a render. */
export const VIEW_ORDER: ViewName[] = ['left-lateral', 'left-medial', 'dorsal', 'right-medial', 'right-lateral'];
