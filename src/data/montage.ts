/**
 * EEG montage: tab-separated `label x y z` lines in metres (MNE's fsaverage 10-20
 * positions), returned in millimetres, the unit of the fsaverage5 surfaces.
 */
import { InputError } from './errors';
import { readInputText } from './io';

export interface Electrode {
  label: string;
  /** Millimetres. */
  x: number;
  y: number;
  z: number;
  /** LPA, RPA, NAS: anatomical landmarks, not recording sites. */
  fiducial: boolean;
}

const FIDUCIALS = new Set(['LPA', 'RPA', 'NAS']);
// A plain decimal number: Number() alone would also accept '', '0x1f' or 'Infinity'.
const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

export function loadMontage(path: string): Electrode[] {
  return parseMontage(readInputText(path), path);
}

/** The electrodes of montage text; `path` names the file in messages. */
export function parseMontage(text: string, path: string): Electrode[] {
  const lines = text.split(/\r?\n/);
  const out: Electrode[] = [];
  const labels = new Set<string>();
  lines.forEach((line, i) => {
    const lineNo = i + 1;
    if (line.trim() === '') return;
    const fields = line.split('\t').map((f) => f.trim());
    // Optional header row.
    if (out.length === 0 && fields.slice(1).join(' ').toLowerCase() === 'x y z') return;
    if (fields.length !== 4) {
      throw new InputError(path, `line ${lineNo}: expected 4 tab-separated fields (label x y z), found ${fields.length}`);
    }
    const [label, ...xyz] = fields;
    if (label === '') throw new InputError(path, `line ${lineNo}: empty electrode label`);
    const mm = xyz.map((f, k) => {
      if (!NUMBER.test(f)) throw new InputError(path, `line ${lineNo}: ${'xyz'[k]} coordinate "${f}" of ${label} is not a number`);
      return Number(f) * 1000;
    });
    if (labels.has(label)) throw new InputError(path, `line ${lineNo}: electrode ${label} is listed twice`);
    labels.add(label);
    out.push({ label, x: mm[0], y: mm[1], z: mm[2], fiducial: FIDUCIALS.has(label.toUpperCase()) });
  });
  if (out.length === 0) throw new InputError(path, 'no electrodes found');
  return out;
}
