/**
 * Seeded sampling helpers on the project's PRNG (util/random, mulberry32). Every random choice in
 * the explainers goes through one of these with an explicit seed, so a seed reproduces a result
 * exactly on any machine.
 */
import { Rng } from '../util/random';

export { Rng };

/** k distinct indices of 0..n−1, uniformly at random (partial Fisher–Yates), in draw order. */
export function sampleIndices(n: number, k: number, rng: Rng): Int32Array {
  const m = Math.min(k, n);
  const swapped = new Map<number, number>();
  const out = new Int32Array(m);
  for (let i = 0; i < m; i++) {
    const j = i + rng.int(n - i);
    const vi = swapped.get(i) ?? i;
    const vj = swapped.get(j) ?? j;
    out[i] = vj;
    swapped.set(j, vi);
  }
  return out;
}

/** k distinct elements of `rows`, uniformly at random, returned in ascending order. */
export function sampleRows(rows: ArrayLike<number>, k: number, rng: Rng): Int32Array {
  if (k >= rows.length) return Int32Array.from(rows);
  const idx = sampleIndices(rows.length, k, rng);
  return Int32Array.from(idx, (i) => rows[i]).sort();
}

/** Cumulative distribution of non-negative weights (last entry = 1). */
export function cumulative(weights: ArrayLike<number>): Float64Array {
  const c = new Float64Array(weights.length);
  let s = 0;
  for (let i = 0; i < weights.length; i++) {
    s += weights[i];
    c[i] = s;
  }
  if (!(s > 0)) throw new Error('cumulative requires a positive total weight');
  for (let i = 0; i < c.length; i++) c[i] /= s;
  c[c.length - 1] = 1;
  return c;
}

/** An index drawn with probability proportional to its weight (inverse CDF on `cumulative`'s output). */
export function drawFrom(cdf: Float64Array, rng: Rng): number {
  const u = rng.next();
  let lo = 0;
  let hi = cdf.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (u < cdf[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * A draw from N(mean, sd²) truncated to [lo, hi], exactly (no CDF approximation), by the
 * rejection samplers of Robert (1995, "Simulation of truncated normal variables"): a uniform
 * proposal on short intervals, an exponential proposal in a far tail, the plain normal otherwise.
 * Degenerate cases: sd ≤ 0 or lo = hi return the mean clamped to [lo, hi].
 */
export function truncatedNormal(mean: number, sd: number, lo: number, hi: number, rng: Rng): number {
  if (!(sd > 0) || !(hi > lo)) return Math.min(hi, Math.max(lo, mean));
  let a = (lo - mean) / sd;
  let b = (hi - mean) / sd;
  let flip = false;
  if (b <= 0) {
    // Entirely in the lower tail: sample the mirror image in the upper tail.
    [a, b] = [-b, -a];
    flip = true;
  }
  let z = NaN;
  for (let attempt = 0; attempt < 10000 && Number.isNaN(z); attempt++) {
    if (a > 0) {
      // Upper region [a, b], a > 0.
      const alpha = (a + Math.sqrt(a * a + 4)) / 2;
      if (b - a < 1 / alpha + 0.5 || b - a < 0.5) {
        // Uniform proposal, accept with exp(−(z² − a²)/2).
        const c = a + (b - a) * rng.next();
        if (rng.next() <= Math.exp(-(c * c - a * a) / 2)) z = c;
      } else {
        // Translated exponential proposal with rate α, accept with exp(−(z − α)²/2).
        let u = 0;
        while (u === 0) u = rng.next();
        const c = a - Math.log(u) / alpha;
        if (c <= b && rng.next() <= Math.exp(-((c - alpha) ** 2) / 2)) z = c;
      }
    } else if (b - a < 2.5) {
      // Interval containing 0 (a ≤ 0 ≤ b), short: uniform proposal, accept with exp(−z²/2).
      const c = a + (b - a) * rng.next();
      if (rng.next() <= Math.exp(-(c * c) / 2)) z = c;
    } else {
      const c = rng.normal();
      if (c >= a && c <= b) z = c;
    }
  }
  if (Number.isNaN(z)) z = Math.min(b, Math.max(a, 0));
  if (flip) z = -z;
  return Math.min(hi, Math.max(lo, mean + sd * z));
}
