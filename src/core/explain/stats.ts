/**
 * Small statistics used by the explainers. Each function states which reference definition it
 * follows (numpy, scipy, sklearn), because the explainers promise the same numbers as those tools.
 */

/**
 * Quantile with linear interpolation between order statistics, as `numpy.percentile(v, 100·p)`
 * (numpy's default, Hyndman & Fan type 7). `sorted` must be ascending and free of NaN.
 */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) throw new Error('quantileSorted requires at least one value');
  const h = (n - 1) * Math.min(1, Math.max(0, p));
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/**
 * Quantile as `scipy.stats.mstats.mquantiles(v, prob=p)` with its defaults alphap = betap = 0.4
 * (Hyndman & Fan type 8-like: m = α + p·(1 − α − β)), which is what sklearn's partial dependence
 * uses to place its grid. `sorted` must be ascending and free of NaN.
 */
export function mquantileSorted(sorted: ArrayLike<number>, p: number, alphap = 0.4, betap = 0.4): number {
  const n = sorted.length;
  if (n === 0) throw new Error('mquantileSorted requires at least one value');
  if (n === 1) return sorted[0];
  const m = alphap + p * (1 - alphap - betap);
  const aleph = n * p + m;
  const k = Math.floor(Math.min(Math.max(aleph, 1), n - 1));
  const gamma = Math.min(Math.max(aleph - k, 0), 1);
  return (1 - gamma) * sorted[k - 1] + gamma * sorted[k];
}

/** The finite values of `values` at `rows` (NaN skipped), sorted ascending. */
export function sortedFinite(values: ArrayLike<number>, rows?: ArrayLike<number>): Float64Array {
  const n = rows ? rows.length : values.length;
  const out = new Float64Array(n);
  let k = 0;
  for (let i = 0; i < n; i++) {
    const v = values[rows ? rows[i] : i];
    if (!Number.isNaN(v)) out[k++] = v;
  }
  return out.subarray(0, k).sort();
}

/** Median of an ascending array (numpy.median). */
export function medianSorted(sorted: ArrayLike<number>): number {
  return quantileSorted(sorted, 0.5);
}

/**
 * Median absolute deviation about the median, median(|x − median(x)|), unscaled (no 1.4826
 * factor), as `scipy.stats.median_abs_deviation(x)` with its default scale 1.
 */
export function madSorted(sorted: ArrayLike<number>): number {
  const med = medianSorted(sorted);
  const dev = new Float64Array(sorted.length);
  for (let i = 0; i < dev.length; i++) dev[i] = Math.abs(sorted[i] - med);
  dev.sort();
  return medianSorted(dev);
}

/** Population mean and standard deviation (ddof = 0, `numpy.std`). */
export function meanSd(values: ArrayLike<number>): { mean: number; sd: number } {
  const n = values.length;
  if (n === 0) return { mean: 0, sd: 0 };
  let s = 0;
  for (let i = 0; i < n; i++) s += values[i];
  const mean = s / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (values[i] - mean) ** 2;
  return { mean, sd: Math.sqrt(ss / n) };
}

/**
 * erfc(x) to ~1e-15 relative: the Maclaurin series of erf for |x| < 0.5, the continued fraction
 * erfc(x) = e^{−x²}/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))) (modified Lentz) beyond.
 */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x < 0) return 2 - erfc(-x);
  if (x < 0.5) {
    // erf(x) = 2/√π Σ (−1)ⁿ x^{2n+1} / (n! (2n+1))
    let term = x;
    let sum = x;
    const x2 = x * x;
    for (let n = 1; n < 200; n++) {
      term *= -x2 / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    return 1 - (2 / Math.sqrt(Math.PI)) * sum;
  }
  if (x > 27) return 0;
  // Continued fraction K = x + a1/(x + a2/(x + …)) with a_k = k/2, by modified Lentz.
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let k = 1; k < 5000; k++) {
    const a = k / 2;
    d = x + a * d;
    d = Math.abs(d) < tiny ? tiny : d;
    c = x + a / c;
    c = Math.abs(c) < tiny ? tiny : c;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-x * x) / (Math.sqrt(Math.PI) * f);
}

/** Standard normal CDF Φ(z) = erfc(−z/√2)/2. */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2);
}

/** Upper tail 1 − Φ(z), accurate far into the tail. */
export function normalSf(z: number): number {
  return 0.5 * erfc(z / Math.SQRT2);
}

/** Φ⁻¹(0.975): the two-sided 95% normal quantile. */
export const Z95 = 1.959963984540054;

/**
 * Wilson score interval for a proportion k/n at 95% (Wilson 1927; statsmodels
 * `proportion_confint(method='wilson')`).
 */
export function wilsonInterval(k: number, n: number, z = Z95): { lower: number; upper: number } {
  if (n <= 0) return { lower: 0, upper: 1 };
  const p = k / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const center = (p + z2 / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denom;
  return { lower: Math.max(0, center - half), upper: Math.min(1, center + half) };
}

/** Readable number: integers as is, otherwise 4 significant digits (2 decimals from 1,000 on). */
export function formatNumber(v: number): string {
  if (Number.isNaN(v)) return '(missing)';
  if (!Number.isFinite(v)) return String(v);
  if (Number.isInteger(v)) return String(v);
  if (Math.abs(v) >= 1000) return String(Math.round(v * 100) / 100);
  return String(Number(v.toPrecision(4)));
}
