/**
 * Summary statistics for cross-validation results (e.g. the k fold accuracies).
 *
 * Every function throws on empty input ("mean requires at least one value") and on NaN or
 * ±Infinity. None returns NaN or ±Infinity; undefined values are `null`.
 */

import { type NumericArray } from './validate';

/** Mean, sample standard deviation and count of a list of values. */
export interface Summary {
  mean: number;
  /** Sample standard deviation (n − 1 denominator); null when n < 2. */
  sd: number | null;
  n: number;
}

function checkValues(fn: string, values: NumericArray): void {
  if (values.length < 1) throw new Error(`${fn} requires at least one value`);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) throw new Error(`${fn} requires finite values; values[${i}] is ${v}`);
  }
}

function meanOf(values: NumericArray): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  return sum / values.length;
}

function sdOf(values: NumericArray, mean: number): number | null {
  const n = values.length;
  if (n < 2) return null;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const d = values[i] - mean;
    ss += d * d;
  }
  return Math.sqrt(ss / (n - 1));
}

/** Arithmetic mean: (1/n)·Σ x_i, in the values' units; `numpy.mean`. */
export function mean(values: NumericArray): number {
  checkValues('mean', values);
  return meanOf(values);
}

/**
 * Sample standard deviation: √(Σ (x_i − x̄)² / (n − 1)), in the values' units; `numpy.std(ddof=1)`.
 * The n − 1 (Bessel) denominator suits k fold scores, a sample of possible splits.
 * Two passes (mean, then squared deviations) for accuracy.
 * Edge case: null for a single value (n − 1 = 0).
 */
export function sd(values: NumericArray): number | null {
  checkValues('sd', values);
  return sdOf(values, meanOf(values));
}

/**
 * Cross-validation summary {mean, sd, n}, reported as mean ± sd: the {@link mean} and the
 * sample {@link sd} (null when n = 1) of the values.
 */
export function summarize(values: NumericArray): Summary {
  checkValues('summarize', values);
  const m = meanOf(values);
  return { mean: m, sd: sdOf(values, m), n: values.length };
}
