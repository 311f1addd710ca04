/**
 * `numpy.random.RandomState(seed).permutation(n)`, reproduced exactly, so the
 * "study split" is the split the study's NumPy code drew (its validation clip
 * is determined by this sequence, not by any PRNG of ours).
 *
 * MT19937 seeded with init_genrand(seed) (NumPy's legacy seeding of an integer),
 * then NumPy's legacy Fisher–Yates: for i = n−1 … 1, j = a uniform integer in
 * [0, i] drawn by masked rejection on 32-bit outputs.
 */
class MersenneTwister {
  private readonly mt = new Uint32Array(624);
  private index = 624;

  constructor(seed: number) {
    this.mt[0] = seed >>> 0;
    for (let i = 1; i < 624; i++) {
      const prev = this.mt[i - 1] ^ (this.mt[i - 1] >>> 30);
      // 1812433253 * prev + i, in 32-bit arithmetic
      this.mt[i] = (Math.imul(1812433253, prev) + i) >>> 0;
    }
  }

  nextUint32(): number {
    if (this.index >= 624) this.twist();
    let y = this.mt[this.index++];
    y ^= y >>> 11;
    y = (y ^ ((y << 7) & 0x9d2c5680)) >>> 0;
    y = (y ^ ((y << 15) & 0xefc60000)) >>> 0;
    y ^= y >>> 18;
    return y >>> 0;
  }

  private twist(): void {
    const mt = this.mt;
    for (let i = 0; i < 624; i++) {
      const y = (mt[i] & 0x80000000) | (mt[(i + 1) % 624] & 0x7fffffff);
      let next = mt[(i + 397) % 624] ^ (y >>> 1);
      if (y & 1) next ^= 0x9908b0df;
      mt[i] = next >>> 0;
    }
    this.index = 0;
  }
}

/** A uniform integer in [0, max], as NumPy's legacy `random_interval`. */
function randomInterval(mt: MersenneTwister, max: number): number {
  if (max === 0) return 0;
  let mask = max;
  mask |= mask >>> 1;
  mask |= mask >>> 2;
  mask |= mask >>> 4;
  mask |= mask >>> 8;
  mask |= mask >>> 16;
  let value: number;
  do value = (mt.nextUint32() & mask) >>> 0;
  while (value > max);
  return value;
}

export function numpyPermutation(n: number, seed: number): number[] {
  if (n > 0xffffffff) throw new Error('numpyPermutation: n too large');
  const mt = new MersenneTwister(seed);
  const out = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = randomInterval(mt, i);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}
