/**
 * The topology of the Experiment 3 canvas decoder, declared as data.
 *
 * The study names its regions (one per electrode group, observation; an
 * "intent" region, state; a "category" region, action) and says the decoder is
 * masked by the declared topology, but the reference does not list that
 * topology's edges. This file declares one, readable and editable:
 *
 * - every region reads itself;
 * - neighbouring scalp groups read each other (frontal–central, central–parietal,
 *   parietal–occipital, temporal–central, temporal–parietal, temporal–occipital):
 *   lateral exchange between adjacent cortex;
 * - intent reads every electrode group (bottom-up evidence) and every group reads
 *   intent (top-down feedback);
 * - category reads intent only, and intent reads category: the answer is formed
 *   from the integrated state, never straight from a raw channel group.
 *
 * Convention as in program.ts: `{ reader: a, source: b }` means a reads b.
 */
import type { Family } from './program';

export interface BciRegion {
  id: string;
  family: Family;
  /** 10-20 electrode labels (the montage's names: T7/T8/P7/P8 for the study's T3/T4/T5/T6). */
  electrodes: string[];
}

export interface BciProgram {
  regions: BciRegion[];
  edges: Array<{ reader: string; source: string }>;
  /** The region whose state the classifier reads. */
  readout: string;
}

const GROUPS: BciRegion[] = [
  { id: 'frontal', family: 'observation', electrodes: ['Fp1', 'Fp2', 'F7', 'F3', 'Fz', 'F4', 'F8'] },
  { id: 'central', family: 'observation', electrodes: ['C3', 'Cz', 'C4'] },
  { id: 'temporal', family: 'observation', electrodes: ['T7', 'T8', 'P7', 'P8'] },
  { id: 'parietal', family: 'observation', electrodes: ['P3', 'Pz', 'P4'] },
  { id: 'occipital', family: 'observation', electrodes: ['O1', 'Oz', 'O2'] },
];

const NEIGHBOURS: Array<[string, string]> = [
  ['frontal', 'central'],
  ['central', 'parietal'],
  ['parietal', 'occipital'],
  ['temporal', 'central'],
  ['temporal', 'parietal'],
  ['temporal', 'occipital'],
];

export const BCI_PROGRAM: BciProgram = {
  regions: [...GROUPS, { id: 'intent', family: 'state', electrodes: [] }, { id: 'category', family: 'action', electrodes: [] }],
  edges: [
    ...NEIGHBOURS.flatMap(([a, b]) => [
      { reader: a, source: b },
      { reader: b, source: a },
    ]),
    ...GROUPS.flatMap((g) => [
      { reader: 'intent', source: g.id },
      { reader: g.id, source: 'intent' },
    ]),
    { reader: 'category', source: 'intent' },
    { reader: 'intent', source: 'category' },
  ],
  readout: 'category',
};

/** Every electrode the decoder reads, in region order. */
export function bciElectrodes(program: BciProgram): string[] {
  return program.regions.flatMap((r) => r.electrodes);
}

/**
 * The attention mask (row = reader, column = source): 1 where a region may
 * attend, self-loops included. An edge naming an unknown region, or given
 * twice, is a mistake in the program.
 */
export function bciMask(program: BciProgram): { size: number; allowed: Uint8Array; edges: number } {
  const n = program.regions.length;
  const index = new Map(program.regions.map((r, i) => [r.id, i]));
  const allowed = new Uint8Array(n * n);
  for (let i = 0; i < n; i++) allowed[i * n + i] = 1;
  for (const e of program.edges) {
    const a = index.get(e.reader);
    const b = index.get(e.source);
    if (a === undefined || b === undefined) throw new Error(`BCI program: edge ${e.reader} ← ${e.source} names an unknown region`);
    if (allowed[a * n + b]) throw new Error(`BCI program: edge ${e.reader} ← ${e.source} is declared twice`);
    allowed[a * n + b] = 1;
  }
  return { size: n, allowed, edges: program.edges.length + n };
}
