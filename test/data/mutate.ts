/**
 * Mutations of real input files for the fuzz tests: bit flips, byte overwrites,
 * insertions, deletions and truncation, with half of the positions drawn from the
 * first bytes (where the headers are) so that header fields get hit often.
 */
import fc from 'fast-check';

export type Mutation =
  | { kind: 'flip'; at: number; head: boolean; bit: number }
  | { kind: 'set'; at: number; head: boolean; byte: number }
  | { kind: 'insert'; at: number; head: boolean; bytes: number[] }
  | { kind: 'delete'; at: number; head: boolean; count: number }
  | { kind: 'truncate'; at: number };

/** Bytes counted as "head" when a mutation aims at the header. */
const HEAD = 256;

const at = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });
// Bytes that matter in headers (digits, quotes, separators, 0xff/0x00) more often than chance.
const interesting = fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(0x00, 0xff, 0x7f, 0x80, 0x22, 0x27, 0x2c, 0x3c, 0x3e, 0x30, 0x39, 0x31));

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at, head: fc.boolean(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('set' as const), at, head: fc.boolean(), byte: interesting }),
  fc.record({ kind: fc.constant('insert' as const), at, head: fc.boolean(), bytes: fc.array(interesting, { minLength: 1, maxLength: 16 }) }),
  fc.record({ kind: fc.constant('delete' as const), at, head: fc.boolean(), count: fc.integer({ min: 1, max: 64 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at }),
);

export const mutations = fc.array(mutation, { minLength: 1, maxLength: 6 });

function position(m: { at: number; head?: boolean }, length: number): number {
  const span = m.head ? Math.min(HEAD, length) : length;
  return Math.floor(m.at * span);
}

/** A mutated copy of `input` (the input is left as it was). */
export function mutate(input: Uint8Array, ms: readonly Mutation[]): Uint8Array {
  let b = Uint8Array.from(input);
  for (const m of ms) {
    if (b.length === 0) break;
    const i = position(m, b.length);
    switch (m.kind) {
      case 'flip':
        b[i] ^= 1 << m.bit;
        break;
      case 'set':
        b[i] = m.byte;
        break;
      case 'insert': {
        const out = new Uint8Array(b.length + m.bytes.length);
        out.set(b.subarray(0, i));
        out.set(m.bytes, i);
        out.set(b.subarray(i), i + m.bytes.length);
        b = out;
        break;
      }
      case 'delete': {
        const end = Math.min(b.length, i + m.count);
        const out = new Uint8Array(b.length - (end - i));
        out.set(b.subarray(0, i));
        out.set(b.subarray(end), i);
        b = out;
        break;
      }
      case 'truncate':
        b = b.slice(0, Math.floor(m.at * b.length));
        break;
    }
  }
  return b;
}

/** The seed of this run: FUZZ_SEED if set, else a fixed one, so that CI runs the same cases every time. */
export const FUZZ_SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : 20260601;
