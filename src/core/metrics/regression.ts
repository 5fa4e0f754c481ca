/**
 * Regression metrics, matching scikit-learn 1.2. `yTrue` and `yPred` are numbers in the
 * target's units (`Float64Array`, `number[]`, …), one per row.
 *
 * Every function throws on empty input ("mse requires at least one row"), on a length
 * mismatch and on NaN or ±Infinity values. None returns NaN or ±Infinity; undefined values
 * are `null`.
 */

import { badScore, requireRows, requireSameLength, type NumericArray } from './validate';

/** All regression metrics at once. */
export interface RegressionReport {
  mse: number;
  rmse: number;
  mae: number;
  r2: number | null;
}

interface ResidualSums {
  n: number;
  /** Σ (y − ŷ)². */
  ssRes: number;
  /** Σ |y − ŷ|. */
  sumAbs: number;
  /** Σ y. */
  sumY: number;
  /** Whether every y equals y[0]. */
  constantY: boolean;
}

function residualSums(metric: string, yTrue: NumericArray, yPred: NumericArray): ResidualSums {
  requireSameLength(metric, yTrue, 'yTrue', yPred, 'yPred');
  const n = yTrue.length;
  requireRows(metric, n);
  const y0 = yTrue[0];
  let ssRes = 0;
  let sumAbs = 0;
  let sumY = 0;
  let constantY = true;
  for (let i = 0; i < n; i++) {
    const y = yTrue[i];
    const p = yPred[i];
    if (!Number.isFinite(y)) throw badScore(metric, 'yTrue', i, y);
    if (!Number.isFinite(p)) throw badScore(metric, 'yPred', i, p);
    const d = y - p;
    ssRes += d * d;
    sumAbs += Math.abs(d);
    sumY += y;
    if (y !== y0) constantY = false;
  }
  return { n, ssRes, sumAbs, sumY, constantY };
}

function r2Of(yTrue: NumericArray, s: ResidualSums): number | null {
  if (s.n < 2) return null;
  // Constant y: SS_tot = 0. Detected exactly rather than from a computed mean, which can be off
  // by an ulp (sklearn 1.2 then divides by a ~1e-33 SS_tot and returns e.g. −5e31).
  if (s.constantY) return s.ssRes === 0 ? 1 : 0;
  const mean = s.sumY / s.n;
  let ssTot = 0;
  for (let i = 0; i < s.n; i++) {
    const d = yTrue[i] - mean;
    ssTot += d * d;
  }
  return 1 - s.ssRes / ssTot;
}

/**
 * Mean squared error: (1/n)·Σ (y − ŷ)², in squared target units; sklearn `mean_squared_error`.
 */
export function mse(yTrue: NumericArray, yPred: NumericArray): number {
  const s = residualSums('mse', yTrue, yPred);
  return s.ssRes / s.n;
}

/**
 * Root mean squared error: √mse, in target units; sklearn
 * `mean_squared_error(squared=False)` (1.2).
 */
export function rmse(yTrue: NumericArray, yPred: NumericArray): number {
  const s = residualSums('rmse', yTrue, yPred);
  return Math.sqrt(s.ssRes / s.n);
}

/** Mean absolute error: (1/n)·Σ |y − ŷ|, in target units; sklearn `mean_absolute_error`. */
export function mae(yTrue: NumericArray, yPred: NumericArray): number {
  const s = residualSums('mae', yTrue, yPred);
  return s.sumAbs / s.n;
}

/**
 * Coefficient of determination: R² = 1 − SS_res/SS_tot, with SS_res = Σ (y − ŷ)² and
 * SS_tot = Σ (y − ȳ)²; unitless, 1 is perfect, can be negative; sklearn `r2_score`.
 * Edge cases (sklearn 1.2, `force_finite=True`): when y is constant (SS_tot = 0) it is 1 if the
 * predictions are perfect (SS_res = 0) and 0 otherwise; with fewer than two rows it is null
 * (sklearn warns and returns NaN).
 */
export function r2(yTrue: NumericArray, yPred: NumericArray): number | null {
  return r2Of(yTrue, residualSums('r2', yTrue, yPred));
}

/** mse, rmse, mae and r2 in one pass (plus a second pass for SS_tot), same conventions as each. */
export function regressionReport(yTrue: NumericArray, yPred: NumericArray): RegressionReport {
  const s = residualSums('regressionReport', yTrue, yPred);
  const mseValue = s.ssRes / s.n;
  return { mse: mseValue, rmse: Math.sqrt(mseValue), mae: s.sumAbs / s.n, r2: r2Of(yTrue, s) };
}
