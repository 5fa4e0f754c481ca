/**
 * The one seeded pseudo-random number generator of the engine: xoshiro128** 1.0
 * (Blackman & Vigna, "Scrambled linear pseudorandom number generators", 2018;
 * reference C code at https://prng.di.unimi.it/xoshiro128starstar.c). Splits, shuffles, initial
 * weights, dropout masks, DP-SGD noise, the explainers' samples, the lint's row sample, the
 * fairness bootstrap and randomized thresholds all draw from it, so a seed means one thing.
 *
 * - 128 bits of state, period 2^128 − 1, 32-bit outputs; passes BigCrush.
 * - Seeding: a 32-bit-or-wider integer seed is expanded into the four state words with
 *   splitmix32 (add the golden-ratio constant 0x9e3779b9, then MurmurHash3's fmix32), the
 *   usual way to seed the xoshiro family from a small seed. Nearby seeds give unrelated streams.
 * - Deterministic across platforms: only 32-bit integer operations (`Math.imul`, shifts).
 * - Not for cryptography.
 */
export class Xoshiro128 {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  /** @param seed a safe integer (negative values and values ≥ 2^32 are allowed and all bits are used). */
  constructor(seed: number) {
    if (!Number.isSafeInteger(seed)) {
      throw new Error(`Xoshiro128 requires an integer seed, got ${seed}`);
    }
    // Fold the high bits of a wide seed into the splitmix32 start so that every bit matters.
    let x = (seed >>> 0) ^ Math.imul(Math.floor(seed / 4294967296) >>> 0, 0x27d4eb2f);
    const words: number[] = [];
    for (let k = 0; k < 4; k++) {
      x = (x + 0x9e3779b9) | 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      words.push((z ^ (z >>> 16)) >>> 0);
    }
    this.s0 = words[0];
    this.s1 = words[1];
    this.s2 = words[2];
    this.s3 = words[3];
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1; // the all-zero state is a fixed point
  }

  /** A generator with an explicit state (for test vectors). The state must not be all zero. */
  static fromState(s0: number, s1: number, s2: number, s3: number): Xoshiro128 {
    if (((s0 | s1 | s2 | s3) >>> 0) === 0) throw new Error('Xoshiro128 state must not be all zero');
    const r = new Xoshiro128(0);
    r.s0 = s0 >>> 0;
    r.s1 = s1 >>> 0;
    r.s2 = s2 >>> 0;
    r.s3 = s3 >>> 0;
    return r;
  }

  /** Next output, a uniform integer in [0, 2^32). */
  nextUint32(): number {
    const s1 = this.s1;
    const x = Math.imul(s1, 5);
    const result = Math.imul((x << 7) | (x >>> 25), 9) >>> 0;
    const t = s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = (this.s3 << 11) | (this.s3 >>> 21);
    return result;
  }

  /** Uniform float in [0, 1), with 32 random bits. */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /**
   * Uniform integer in [0, n), as ⌊u·n / 2^32⌋ for a 32-bit output u (multiply-shift).
   * For n ≤ 2^32 the bias is below n / 2^32 (under 0.03% for a million rows), far smaller
   * than bootstrap noise; no rejection loop, so one output per draw.
   */
  int(n: number): number {
    return Math.floor((this.nextUint32() * n) / 4294967296);
  }

  /** Standard normal draw (Box–Muller, cosine branch). */
  normal(): number {
    let u = 0;
    while (u === 0) u = this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** A 31-bit integer seed for a child stream (e.g. a tfjs op's seed). */
  seed(): number {
    return this.nextUint32() >>> 1;
  }

  /** Fisher–Yates shuffle in place. */
  shuffle<T extends { length: number; [i: number]: unknown }>(a: T): T {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
    return a;
  }
}

/** The project's seeded generator (xoshiro128**): splits, shuffles, initial weights, dropout, DP noise, explainers, lint samples, bootstraps. */
export const Rng = Xoshiro128;
export type Rng = Xoshiro128;

