/**
 * Numerics for the RDP accountant, in log space so that nothing under- or overflows:
 * log-sum and log-difference of exponentials, and log(erfc(x)) accurate for every real x
 * (erfc(30) ≈ 2.6e-393 is below the smallest double, its logarithm is not).
 *
 * Plain `Math` only. Checked against Python's `math.erfc` in `test/unit/privacy-accountant.test.ts`.
 */

/** log(exp(a) + exp(b)), with -Infinity standing for log(0). */
export function logAdd(a: number, b: number): number {
  const lo = Math.min(a, b);
  const hi = Math.max(a, b);
  if (lo === -Infinity) return hi;
  return Math.log1p(Math.exp(lo - hi)) + hi;
}

/**
 * log(exp(a) − exp(b)) for a ≥ b (-Infinity = log 0).
 * @throws Error when a < b (the difference would be negative)
 */
export function logSub(a: number, b: number): number {
  if (a < b) throw new Error('logSub requires a >= b (the result must be non-negative)');
  if (b === -Infinity) return a;
  if (a === b) return -Infinity;
  const d = a - b;
  // expm1(d) overflows for d > ~709, where log(expm1(d)) = d to double precision.
  return d > 700 ? a : Math.log(Math.expm1(d)) + b;
}

const LOG_SQRT_PI = 0.5 * Math.log(Math.PI);
const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

/**
 * erf(x) for 0 ≤ x < 3 by the everywhere-positive series
 * erf(x) = (2/√π)·e^(−x²)·Σₙ 2ⁿx^(2n+1)/(1·3·…·(2n+1)) (Abramowitz & Stegun 7.1.6): no
 * cancellation, so the relative error stays at a few ulps.
 */
function erfSeries(x: number): number {
  const x2 = x * x;
  let term = x;
  let sum = x;
  for (let n = 1; n < 500; n++) {
    term *= (2 * x2) / (2 * n + 1);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
}

/**
 * log(erfc(x)·e^(x²)·√π) for x ≥ 2 from the continued fraction
 * erfc(x) = e^(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))) (A&S 7.1.14), evaluated with
 * the modified Lentz method.
 */
function logErfcScaledCf(x: number): number {
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let n = 1; n < 5000; n++) {
    const a = n / 2;
    d = x + a * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = x + a / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return -Math.log(f);
}

/** erfc(x) for x ≥ 0 (0 below the smallest double, from x ≈ 27.2 on). */
function erfcNonNegative(x: number): number {
  if (x < 2) return 1 - erfSeries(x);
  return Math.exp(-x * x - LOG_SQRT_PI + logErfcScaledCf(x));
}

/**
 * log(erfc(x)) for any real x, accurate to about 1e-15 relative (absolute for x near 0).
 * - x < 0: erfc(x) = 2 − erfc(−x), in [1, 2];
 * - 0 ≤ x < 2: 1 − erf(x) with erf from its positive series;
 * - x ≥ 2: −x² − log √π + log of the continued fraction (no underflow: logErfc(100) ≈ −10005.18).
 */
export function logErfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x === Infinity) return -Infinity;
  if (x < 0) return Math.log(2 - erfcNonNegative(-x));
  if (x < 2) return Math.log1p(-erfSeries(x));
  return -x * x - LOG_SQRT_PI + logErfcScaledCf(x);
}

/** erfc(x) for any real x (underflows to 0 for x > 27.2; use {@link logErfc} there). */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  return x < 0 ? 2 - erfcNonNegative(-x) : erfcNonNegative(x);
}
