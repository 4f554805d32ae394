/**
 * R's default random numbers, so that a seeded bootstrap draws exactly R's replicates: `set.seed(seed)` with
 * RNGkind("Mersenne-Twister", "Inversion", "Rejection") — R's defaults since 3.6.0 — then `sample()`.
 * Written from the algorithms R documents (?RNG, ?sample): MT19937 (Matsumoto & Nishimura 1998), R's seed
 * scrambling (50 + 625 steps of the LCG seed ← 69069·seed + 1), unif_rand() in (0, 1), and rejection sampling of
 * an index from the bits of successive uniforms. Checked against R in r-random.test.ts.
 */

const N = 624;
const M = 397;
const MATRIX_A = 0x9908b0df;
const UPPER_MASK = 0x80000000;
const LOWER_MASK = 0x7fffffff;
/** 2^-32: MT's integer output to [0, 1). */
const I2_32 = 2.3283064365386963e-10;
/** R's fixup() keeps a uniform strictly inside (0, 1). */
const I2_32M1 = 2.328306437080797e-10;

/** A stream of R's random numbers after `set.seed(seed)`. */
export class RRandom {
  private readonly mt = new Uint32Array(N);
  private mti = N;

  /** R `set.seed(seed)` (seed: an integer; taken modulo 2^32 as R's unsigned seed). */
  constructor(seed: number) {
    let s = seed >>> 0;
    const lcg = () => {
      s = (Math.imul(69069, s) + 1) >>> 0;
      return s;
    };
    for (let j = 0; j < 50; j++) lcg();
    lcg(); // dummy[0]: R stores mti there, then FixupSeeds sets it to 624
    for (let j = 0; j < N; j++) this.mt[j] = lcg();
    this.mti = N;
  }

  private genrand(): number {
    const mt = this.mt;
    if (this.mti >= N) {
      let kk = 0;
      let y: number;
      for (; kk < N - M; kk++) {
        y = (mt[kk]! & UPPER_MASK) | (mt[kk + 1]! & LOWER_MASK);
        mt[kk] = mt[kk + M]! ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
      }
      for (; kk < N - 1; kk++) {
        y = (mt[kk]! & UPPER_MASK) | (mt[kk + 1]! & LOWER_MASK);
        mt[kk] = mt[kk + (M - N)]! ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
      }
      y = (mt[N - 1]! & UPPER_MASK) | (mt[0]! & LOWER_MASK);
      mt[N - 1] = mt[M - 1]! ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
      this.mti = 0;
    }
    let y = mt[this.mti++]!;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return (y >>> 0) * I2_32;
  }

  /** R `unif_rand()` (and `runif(1)`). */
  unif(): number {
    const x = this.genrand();
    if (x <= 0) return 0.5 * I2_32M1;
    if (1 - x <= 0) return 1 - 0.5 * I2_32M1;
    return x;
  }

  /** R `R_unif_index(dn)` with sample.kind = "Rejection": a uniform integer in 0 … dn−1. */
  index(dn: number): number {
    if (dn <= 0) return 0;
    const bits = Math.ceil(Math.log2(dn));
    for (;;) {
      let v = 0;
      for (let k = 0; k <= bits; k += 16) v = 65536 * v + Math.floor(this.unif() * 65536);
      // Keep the low `bits` bits (v < 2^48 here, exact in a double).
      const dv = v % 2 ** bits;
      if (dv < dn) return dv;
    }
  }

  /** R `sample.int(n, size, replace = TRUE)` − 1: indices 0 … n−1. */
  sampleWithReplacement(n: number, size: number): Int32Array {
    const out = new Int32Array(size);
    for (let i = 0; i < size; i++) out[i] = this.index(n);
    return out;
  }

  /** R `sample.int(n, size)` − 1 (without replacement, R's partial shuffle; not R's hash path for n > 1e7). */
  sampleWithoutReplacement(n: number, size: number): Int32Array {
    const x = new Int32Array(n);
    for (let i = 0; i < n; i++) x[i] = i;
    const out = new Int32Array(size);
    let left = n;
    for (let i = 0; i < size; i++) {
      const j = this.index(left);
      out[i] = x[j]!;
      x[j] = x[--left]!;
    }
    return out;
  }
}
