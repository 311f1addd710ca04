/** Model colours, the same on every figure (the study's for cortical, dense and flat). */
export const MODEL_COLOURS: Record<string, string> = {
  cortical: '#e74c3c',
  'cortical-weighted': '#a93226',
  dense: '#3498db',
  flat: '#95a5a6',
  persistence: '#34495e',
  ridge: '#8e44ad',
  logistic: '#8e44ad',
  canvas: '#e74c3c',
  svm: '#34495e',
};

/** The study's sub-network colours. */
export const SUBNETWORK_COLOURS: Record<string, string> = {
  visual: '#e74c3c',
  auditory: '#3498db',
  language: '#2ecc71',
  frontal: '#f39c12',
  default_mode: '#9b59b6',
  subcortical: '#1abc9c',
  prediction_error: '#95a5a6',
};

export function modelColour(name: string): string {
  return MODEL_COLOURS[name] ?? '#7f8c8d';
}
