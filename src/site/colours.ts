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
