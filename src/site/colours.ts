/** Model colours, the same on every figure (the study's for cortical, dense and flat). */
export const MODEL_COLOURS: Record<string, string> = {
  cortical: '#e74c3c',
  'cortical-weighted': '#a93226',
  dense: '#3498db',
  flat: '#95a5a6',
  persistence: '#34495e',
  ridge: '#8e44ad',
};

export function modelColour(name: string): string {
  return MODEL_COLOURS[name] ?? '#7f8c8d';
}

export { SUBNETWORK_COLOURS } from '../cortex/program';
import { SUBNETWORK_COLOURS } from '../cortex/program';

/** Sub-network colour of a region group (`visual`, …, `prediction_error`). */
export function groupColour(group: string): string {
  return (SUBNETWORK_COLOURS as Record<string, string>)[group] ?? '#7f8c8d';
}

/** Feature-set marks in figures that show several sets at once. */
export const FEATURE_SET_SYMBOLS = ['circle', 'square', 'triangle', 'diamond'] as const;
