/**
 * Percentile bootstrap confidence intervals for the disparity metrics.
 *
 * Method:
 * 1. Draw n row indices uniformly with replacement (n = number of rows), with the seeded
 *    {@link Xoshiro128} generator, and accumulate the per-group confusion counts of the drawn rows
 *    (one reused `Float64Array`; no per-resample allocation).
 * 2. Compute every metric from those counts with the same code as the point estimates.
 * 3. Repeat `resamples` times (default 1,000). For each metric, sort the values and report the
 *    [α/2, 1 − α/2] percentiles (α = 1 − confidence; [2.5%, 97.5%] by default).
 *
 * Percentiles use numpy's default method ('linear', Hyndman & Fan type 7): for m sorted values
 * v_0 ≤ … ≤ v_{m−1}, the q-quantile is v_⌊h⌋ + (h − ⌊h⌋)·(v_⌊h⌋+1 − v_⌊h⌋) with h = (m − 1)·q.
 *
 * A resample in which a metric is undefined (a ratio with a 0 denominator, an empty privileged or
 * unprivileged set, μ = 0 for Theil) is skipped for that metric and counted in `skipped`. The
 * Fairlearn-style disparities are also skipped when a resample lost a whole group (the disparity
 * would then compare a different set of groups). An interval is null when every resample was skipped.
 */
import { RmlCancelledError } from '../errors';
import { encodeRows } from './counts';
import { DISPARITY_METRICS, disparitiesInto } from './disparities';
import type { GroupColumn } from './groups';
import { Xoshiro128 } from '../util/random';
import { privilegedIndexOf, signedInto } from './signed';
import { theilOverallRaw } from './theil';

export interface BootstrapOptions {
  /** Number of resamples (default 1000). */
  resamples?: number;
  /** PRNG seed (default 0), so that reports are reproducible. */
  seed?: number;
  /** Confidence level (default 0.95, giving [2.5%, 97.5%]). */
  confidence?: number;
  /**
   * Asked between resamples: true stops the bootstrap with an RmlCancelledError. The loop is
   * synchronous, so a worker reads a flag the host sets in shared memory (see lint-client's audit).
   */
  interrupted?: () => boolean;
}

/** Keys of `intervals`: the seven disparities, then (with a privileged value) the signed metrics, then theilIndex. */
export const SIGNED_INTERVAL_KEYS = [
  'statisticalParityDifference',
  'disparateImpact',
  'equalOpportunityDifferenceSigned',
  'averageOddsDifference',
] as const;

export interface BootstrapResult {
  /** metric → [low, high], or null when every resample was skipped. */
  intervals: Record<string, [number, number] | null>;
  /** How the intervals were made, and how many resamples each metric skipped. */
  info: BootstrapInfo;
}

export interface BootstrapInfo {
  resamples: number;
  seed: number;
  confidence: number;
  /** Percentiles reported, e.g. [2.5, 97.5]. */
  percentiles: [number, number];
  method: 'percentile (numpy linear)';
  /** metric → number of resamples in which it was undefined (and so left out). */
  skipped: Record<string, number>;
}

/**
 * The q-quantile (0 ≤ q ≤ 1) of ascending `sorted` values, numpy's default 'linear' method.
 * Throws on an empty array.
 */
export function percentile(sorted: ArrayLike<number>, q: number): number {
  const m = sorted.length;
  if (m === 0) throw new Error('percentile requires at least one value');
  if (!(q >= 0 && q <= 1)) throw new Error(`percentile: q must be in [0, 1], got ${q}`);
  const h = (m - 1) * q;
  const lo = Math.floor(h);
  if (lo >= m - 1) return sorted[m - 1];
  return sorted[lo] + (h - lo) * (sorted[lo + 1] - sorted[lo]);
}

/** Validated options with defaults applied. */
export function bootstrapSettings(options: BootstrapOptions = {}): Required<Omit<BootstrapOptions, 'interrupted'>> {
  const resamples = options.resamples ?? 1000;
  const seed = options.seed ?? 0;
  const confidence = options.confidence ?? 0.95;
  if (!Number.isInteger(resamples) || resamples < 1) throw new Error(`bootstrap resamples must be a positive integer, got ${resamples}`);
  if (!Number.isSafeInteger(seed)) throw new Error(`bootstrap seed must be an integer, got ${seed}`);
  if (!(confidence > 0 && confidence < 1)) throw new Error(`bootstrap confidence must be in (0, 1), got ${confidence}`);
  return { resamples, seed, confidence };
}

/**
 * Bootstrap intervals from encoded rows (see `encodeRows`): `rowCell[i]` = 4·g + 2·y + ŷ for
 * G groups. `privilegedIndex`: ≥ 0 adds the signed AIF360 metrics for that group vs the rest;
 * −1 adds none; −2 means a privileged value was given but has no rows (the signed metrics are
 * then listed, always undefined, so every resample is skipped for them).
 */
export function bootstrapFromRows(
  rowCell: Int32Array,
  G: number,
  privilegedIndex: number,
  options: BootstrapOptions = {},
): BootstrapResult {
  const { resamples, seed, confidence } = bootstrapSettings(options);
  const interrupted = options.interrupted;
  const withSigned = privilegedIndex !== -1;
  const keys: string[] = [...DISPARITY_METRICS, ...(withSigned ? SIGNED_INTERVAL_KEYS : []), 'theilIndex'];
  const K = keys.length;
  const SIGNED_AT = DISPARITY_METRICS.length;
  const THEIL_AT = K - 1;

  const n = rowCell.length;
  const rng = new Xoshiro128(seed);
  const cells = new Float64Array(4 * G);
  const row = new Float64Array(K);
  const values: Float64Array[] = keys.map(() => new Float64Array(resamples));
  const kept = new Int32Array(K);

  for (let r = 0; r < resamples; r++) {
    if (interrupted && interrupted()) throw new RmlCancelledError('the bootstrap was cancelled');
    cells.fill(0);
    for (let k = 0; k < n; k++) {
      cells[rowCell[Math.floor((rng.nextUint32() * n) / 4294967296)]]++;
    }
    disparitiesInto(cells, G, row, 0);
    if (withSigned) signedInto(cells, G, privilegedIndex, row, SIGNED_AT);
    row[THEIL_AT] = theilOverallRaw(cells, G);
    for (let m = 0; m < K; m++) {
      const v = row[m];
      if (!Number.isNaN(v)) values[m][kept[m]++] = v;
    }
  }

  const lowQ = (1 - confidence) / 2;
  const highQ = 1 - lowQ;
  const intervals: [string, [number, number] | null][] = [];
  const skipped: [string, number][] = [];
  for (let m = 0; m < K; m++) {
    const v = values[m].subarray(0, kept[m]).sort();
    intervals.push([keys[m], v.length === 0 ? null : [percentile(v, lowQ), percentile(v, highQ)]]);
    skipped.push([keys[m], resamples - kept[m]]);
  }
  return {
    intervals: Object.fromEntries(intervals),
    info: {
      resamples,
      seed,
      confidence,
      percentiles: [round12(lowQ * 100), round12(highQ * 100)],
      method: 'percentile (numpy linear)',
      skipped: Object.fromEntries(skipped),
    },
  };
}

/** Removes binary round-off from a displayed percentage (2.5000000000000004 → 2.5). */
function round12(x: number): number {
  return Math.round(x * 1e12) / 1e12;
}

/**
 * Bootstrap intervals for one sensitive column, straight from the rows (yTrue, yPred 0/1).
 * With `privileged`, the signed AIF360 metrics (that value vs all other rows) are included.
 */
export function bootstrapDisparities(
  yTrue: Uint8Array,
  yPred: Uint8Array,
  column: GroupColumn,
  options: BootstrapOptions & { privileged?: string } = {},
): BootstrapResult {
  const rows = encodeRows(yTrue, yPred, column);
  return bootstrapFromRows(rows.rowCell, rows.names.length, privilegedIndexOf(rows.names, options.privileged), options);
}
