/**
 * The privacy accountant of DP-SGD: Rényi differential privacy (RDP) of the Poisson-sampled
 * Gaussian mechanism, composed over the training steps and converted to (ε, δ).
 *
 * One DP-SGD step samples each training example with probability q (the sampling rate,
 * batch size / training rows), clips every example's gradient to L2 norm C and adds
 * N(0, σ²C²) noise to their sum, σ being the noise multiplier. Its RDP at order α is
 * RDP(α) = log(A_α)/(α − 1), with A_α = E_{z∼μ₀}[(μ(z)/μ₀(z))^α] and μ = (1−q)μ₀ + qμ₁,
 * μ₀ = N(0, σ²), μ₁ = N(1, σ²) (Mironov, Talwar & Zhang 2019, "Rényi Differential Privacy of
 * the Sampled Gaussian Mechanism", arXiv:1908.10530, §3.3):
 * - integer α: A_α = Σᵢ₌₀^α C(α,i)(1−q)^(α−i) qⁱ exp((i²−i)/(2σ²));
 * - fractional α: the two convergent series of §3.3, split at z₀ = σ²·log(1/q − 1) + ½, each term
 *   carrying ½·erfc(…); summed until both terms fall below e⁻³⁰.
 * This is the computation of TensorFlow Privacy's `compute_rdp` / dp_accounting's
 * `RdpAccountant` and Opacus' RDP accountant, reimplemented here from the paper in log space.
 *
 * Composition: RDP adds up, so T steps give T·RDP(α) at every order α.
 *
 * Conversion to (ε, δ), minimised over the orders:
 * - `standard` (Mironov 2017, "Rényi Differential Privacy", Prop. 3): ε = RDP(α) + log(1/δ)/(α−1);
 * - `improved` (the default; Canonne, Kamath & Steinke 2020, "The Discrete Gaussian for
 *   Differential Privacy", Prop. 12; Balle et al. 2020, "Hypothesis Testing Interpretations and
 *   Rényi Differential Privacy", Thm. 21): ε = RDP(α) + log1p(−1/α) − log(δ·α)/(α−1), and ε = 0
 *   when δ² > 1 − exp(−RDP) (the KL bound). This is what dp_accounting (TF Privacy ≥ 0.8) and
 *   Opacus report; it is never larger than the standard one.
 *
 * The guarantee is for add-or-remove-one-example neighbouring data sets, and assumes Poisson
 * sampling. Training loops that shuffle and cut fixed-size batches (ours does) are customarily
 * accounted the same way, as TF Privacy's `compute_dp_sgd_privacy` and Opacus do, but the
 * bound is not proven for them (see TF Privacy's deprecation note on `compute_dp_sgd_privacy`
 * and "How to DP-fy ML", Ponomareva et al. 2023, §5.6).
 */
import { logAdd, logErfc, logSub } from './special';

/**
 * Default RDP orders: 1.1 to 10.9 in steps of 0.1, every integer from 11 to 64, and 128, 256,
 * 512, 1024 — Opacus' default orders (`DEFAULT_ALPHAS`: 1.1…10.9 and 12…63) plus the larger
 * orders of dp_accounting's default, which matter for small ε. More orders can only lower ε.
 */
export const DEFAULT_RDP_ORDERS: readonly number[] = Object.freeze([
  ...Array.from({ length: 99 }, (_, i) => Math.round((1.1 + i / 10) * 10) / 10),
  ...Array.from({ length: 54 }, (_, i) => 11 + i),
  128,
  256,
  512,
  1024,
]);

/** How RDP is turned into (ε, δ); see the module comment. */
export type RdpConversion = 'improved' | 'standard';

/** Parameters of a run of the sampled Gaussian mechanism (one DP-SGD training). */
export interface SampledGaussianParams {
  /** σ: the noise standard deviation divided by the clipping norm (> 0; 0 means no privacy). */
  noiseMultiplier: number;
  /** q: the probability that an example is in a step's batch, in [0, 1] (batch size / rows). */
  sampleRate: number;
  /** T: the number of steps (≥ 0). */
  steps: number;
  /** RDP orders α > 1 (default {@link DEFAULT_RDP_ORDERS}). */
  orders?: readonly number[];
}

/** RDP of the composed mechanism at each order. */
export interface RdpCurve {
  orders: number[];
  /** T·RDP(α) for each order (Infinity where unbounded). */
  rdp: number[];
}

/**
 * RDP of `steps` compositions of the Poisson-sampled Gaussian mechanism at each order, as
 * TF Privacy's `compute_rdp(q, noise_multiplier, steps, orders)`.
 * Edge cases: q = 0 gives 0; q = 1 gives the plain Gaussian mechanism α/(2σ²); σ = 0 gives
 * Infinity (no noise, no privacy).
 * @throws Error "computeRdp requires …" for a negative σ, q outside [0, 1], negative or
 *   non-integer steps, or an order ≤ 1
 */
export function computeRdp(p: SampledGaussianParams): RdpCurve {
  const { noiseMultiplier: sigma, sampleRate: q, steps } = p;
  const orders = [...(p.orders ?? DEFAULT_RDP_ORDERS)];
  if (!(sigma >= 0) || !Number.isFinite(sigma)) throw new Error(`computeRdp requires a finite noise multiplier ≥ 0 (got ${sigma})`);
  if (!(q >= 0 && q <= 1)) throw new Error(`computeRdp requires a sample rate in [0, 1] (got ${q})`);
  if (!(steps >= 0) || !Number.isInteger(steps)) throw new Error(`computeRdp requires a whole number of steps ≥ 0 (got ${steps})`);
  if (orders.length === 0) throw new Error('computeRdp requires at least one order');
  for (const a of orders) if (!(a > 1)) throw new Error(`computeRdp requires orders > 1 (got ${a})`);
  const rdp = orders.map((a) => (steps === 0 ? 0 : rdpSampledGaussian(q, sigma, a) * steps));
  return { orders, rdp };
}

/** RDP at order α of one step of the Poisson-sampled Gaussian mechanism (q, σ). */
export function rdpSampledGaussian(q: number, sigma: number, alpha: number): number {
  if (q === 0) return 0;
  if (sigma === 0 || alpha === Infinity) return Infinity;
  if (q === 1) return alpha / (2 * sigma * sigma);
  const logA = Number.isInteger(alpha) ? logAInteger(q, sigma, alpha) : logAFractional(q, sigma, alpha);
  return logA / (alpha - 1);
}

/** log A_α for integer α: the binomial expansion (Mironov et al. 2019, §3.3). */
function logAInteger(q: number, sigma: number, alpha: number): number {
  const logQ = Math.log(q);
  const log1mQ = Math.log1p(-q);
  const twoS2 = 2 * sigma * sigma;
  let logA = -Infinity;
  let logBinom = 0; // log C(α, i), by the recurrence C(α, i) = C(α, i−1)·(α−i+1)/i
  for (let i = 0; i <= alpha; i++) {
    if (i > 0) logBinom += Math.log(alpha - i + 1) - Math.log(i);
    logA = logAdd(logA, logBinom + i * logQ + (alpha - i) * log1mQ + (i * i - i) / twoS2);
  }
  return logA;
}

/** log A_α for fractional α: the two series of Mironov et al. 2019, §3.3, summed in log space. */
function logAFractional(q: number, sigma: number, alpha: number): number {
  const logQ = Math.log(q);
  const log1mQ = Math.log1p(-q);
  const twoS2 = 2 * sigma * sigma;
  const sqrt2Sigma = Math.SQRT2 * sigma;
  const z0 = sigma * sigma * Math.log(1 / q - 1) + 0.5;
  let logA0 = -Infinity;
  let logA1 = -Infinity;
  let logAbsCoef = 0; // log |C(α, i)| for real α
  let positive = true; // sign of C(α, i)
  for (let i = 0; ; i++) {
    if (i > 0) {
      const factor = (alpha - i + 1) / i;
      logAbsCoef += Math.log(Math.abs(factor));
      if (factor < 0) positive = !positive;
    }
    const j = alpha - i;
    const logT0 = logAbsCoef + i * logQ + j * log1mQ;
    const logT1 = logAbsCoef + j * logQ + i * log1mQ;
    const logE0 = Math.log(0.5) + logErfc((i - z0) / sqrt2Sigma);
    const logE1 = Math.log(0.5) + logErfc((z0 - j) / sqrt2Sigma);
    const logS0 = logT0 + (i * i - i) / twoS2 + logE0;
    const logS1 = logT1 + (j * j - j) / twoS2 + logE1;
    if (positive) {
      logA0 = logAdd(logA0, logS0);
      logA1 = logAdd(logA1, logS1);
    } else {
      logA0 = logSub(logA0, logS0);
      logA1 = logSub(logA1, logS1);
    }
    if (Math.max(logS0, logS1) < -30) break;
    if (i > 1_000_000) throw new Error(`rdpSampledGaussian did not converge (q ${q}, σ ${sigma}, α ${alpha})`);
  }
  return logAdd(logA0, logA1);
}

/** (ε, δ) from an RDP curve. */
export interface EpsilonResult {
  /** The smallest ε over the orders (Infinity when every order is unbounded). */
  epsilon: number;
  /** The order α that attains it. */
  optimalOrder: number;
  /** The conversion used. */
  conversion: RdpConversion;
  /** True when the optimum is the smallest or largest order tried: more orders might lower ε. */
  atBoundary: boolean;
}

/**
 * The smallest ε such that the mechanism with this RDP curve is (ε, δ)-DP.
 * @param conversion `improved` (default, as dp_accounting / Opacus) or `standard` (Mironov 2017)
 * @throws Error "epsilonFromRdp requires …" for δ outside (0, 1), mismatched lengths, an order
 *   ≤ 1 or a negative RDP value
 */
export function epsilonFromRdp(orders: readonly number[], rdp: readonly number[], delta: number, conversion: RdpConversion = 'improved'): EpsilonResult {
  if (!(delta > 0 && delta < 1)) throw new Error(`epsilonFromRdp requires δ in (0, 1) (got ${delta})`);
  if (orders.length !== rdp.length || orders.length === 0) throw new Error('epsilonFromRdp requires as many RDP values as orders (at least one)');
  let best = Infinity;
  let bestIndex = 0;
  for (let k = 0; k < orders.length; k++) {
    const a = orders[k];
    const r = rdp[k];
    if (!(a > 1)) throw new Error(`epsilonFromRdp requires orders > 1 (got ${a})`);
    if (!(r >= 0)) throw new Error(`epsilonFromRdp requires RDP values ≥ 0 (got ${r} at order ${a})`);
    let eps: number;
    if (conversion === 'standard') {
      eps = r - Math.log(delta) / (a - 1);
    } else if (delta * delta + Math.expm1(-r) > 0) {
      eps = 0; // δ ≤ √(1 − exp(−KL)) already (the KL bound)
    } else if (a > 1.01) {
      eps = r + Math.log1p(-1 / a) - Math.log(delta * a) / (a - 1);
    } else {
      eps = Infinity; // the improved bound is numerically unstable as α → 1
    }
    if (eps < best) {
      best = eps;
      bestIndex = k;
    }
  }
  const optimalOrder = orders[bestIndex];
  const lo = Math.min(...orders);
  const hi = Math.max(...orders);
  return {
    epsilon: Math.max(0, best),
    optimalOrder,
    conversion,
    atBoundary: Number.isFinite(best) && (optimalOrder === lo || optimalOrder === hi),
  };
}

/**
 * The smallest δ such that the mechanism with this RDP curve is (ε, δ)-DP (the inverse of
 * {@link epsilonFromRdp}, as dp_accounting's `get_delta`), capped at 1.
 * @throws Error "deltaFromRdp requires …" for a negative ε or mismatched lengths
 */
export function deltaFromRdp(orders: readonly number[], rdp: readonly number[], epsilon: number, conversion: RdpConversion = 'improved'): number {
  if (!(epsilon >= 0)) throw new Error(`deltaFromRdp requires ε ≥ 0 (got ${epsilon})`);
  if (orders.length !== rdp.length || orders.length === 0) throw new Error('deltaFromRdp requires as many RDP values as orders (at least one)');
  let logDelta = Infinity;
  for (let k = 0; k < orders.length; k++) {
    const a = orders[k];
    const r = rdp[k];
    if (!(a > 1) || !(r >= 0)) throw new Error(`deltaFromRdp requires orders > 1 and RDP ≥ 0 (got order ${a}, RDP ${r})`);
    let ld: number;
    if (conversion === 'standard') {
      ld = (a - 1) * (r - epsilon);
    } else {
      ld = r === 0 ? -Infinity : 0.5 * Math.log1p(-Math.exp(-r));
      if (a > 1.01) ld = Math.min(ld, (a - 1) * (r - epsilon + Math.log1p(-1 / a)) - Math.log(a));
    }
    logDelta = Math.min(logDelta, ld);
  }
  return Math.min(Math.exp(logDelta), 1);
}

/** Parameters of {@link computeEpsilon}. */
export interface EpsilonParams extends SampledGaussianParams {
  /** δ in (0, 1); a common choice is below 1/(training rows). */
  delta: number;
  /** Default `improved`. */
  conversion?: RdpConversion;
}

/**
 * ε of DP-SGD for a given δ: RDP of the sampled Gaussian mechanism over all steps, converted
 * at the best order. With the TF Privacy tutorial's MNIST settings (q = 256/60000, σ = 1.12,
 * 60 epochs of 234 steps, δ = 1e-5, standard conversion) this gives ε = 2.92, the published value
 * (see the unit tests for the citations).
 * @throws Error as {@link computeRdp} and {@link epsilonFromRdp}
 */
export function computeEpsilon(p: EpsilonParams): EpsilonResult & { orders: number[]; rdp: number[] } {
  const curve = computeRdp(p);
  return { ...epsilonFromRdp(curve.orders, curve.rdp, p.delta, p.conversion ?? 'improved'), ...curve };
}

/**
 * The smallest noise multiplier σ (found to a relative precision of 1e-5, then rounded up to four
 * significant digits) for which
 * DP-SGD with this sample rate and step count is (targetEpsilon, δ)-DP, by bisection (ε falls
 * as σ grows). Returns 0 when no noise is needed (q = 0 or no steps).
 * @throws Error "noiseMultiplierForEpsilon requires …" for a target ε ≤ 0, or when even σ = 10⁴
 *   does not reach it
 */
export function noiseMultiplierForEpsilon(p: Omit<EpsilonParams, 'noiseMultiplier'> & { targetEpsilon: number }): number {
  if (!(p.targetEpsilon > 0) || !Number.isFinite(p.targetEpsilon)) throw new Error(`noiseMultiplierForEpsilon requires a finite target ε > 0 (got ${p.targetEpsilon})`);
  if (p.sampleRate === 0 || p.steps === 0) return 0;
  const eps = (sigma: number) => computeEpsilon({ ...p, noiseMultiplier: sigma }).epsilon;
  let hi = 1;
  while (eps(hi) > p.targetEpsilon) {
    hi *= 2;
    if (hi > 1e4) throw new Error(`noiseMultiplierForEpsilon: ε = ${p.targetEpsilon} is out of reach even with noise multiplier 10⁴`);
  }
  let lo = hi === 1 ? 0 : hi / 2;
  while (hi - lo > 1e-5 * hi) {
    const mid = (lo + hi) / 2;
    if (mid > 0 && eps(mid) <= p.targetEpsilon) hi = mid;
    else lo = mid;
  }
  // Round up to 4 significant digits: ε only falls as σ grows, so the target still holds.
  const scale = Math.pow(10, 3 - Math.floor(Math.log10(hi)));
  return Math.ceil(hi * scale - 1e-9) / scale;
}
