/**
 * The threshold sweep: each group's selection rate, TPR, FPR and precision as the decision
 * threshold moves from 0 to 1 (the editor's what-if slider reads it from the run record).
 *
 * Conventions:
 * - At threshold t a row is predicted positive when its score is ≥ t (as `evaluate.threshold`).
 * - The thresholds are 0, 0.01, …, 1 (101 points, each k/100), plus any `extra` threshold (e.g. the
 *   model's own `evaluate.threshold` when it is not on that grid), sorted ascending, no duplicates.
 * - Unlike the audit table (which follows Fairlearn's 0 convention), a rate whose denominator is 0
 *   is `null` here: TPR without actual positives, FPR without actual negatives, precision without
 *   predicted positives. Where it is defined, the value at threshold t equals the audit's rate for
 *   the predictions "score ≥ t" exactly (same counts, same division).
 * - Groups are those of the column with at least one row, in group order; missing values are the
 *   "(missing)" group (see `encodeGroups`).
 *
 * Cost: one sort per group and a binary search per (group, threshold): O(n log n + G·T·log n).
 */
import type { GroupColumn } from './groups';

/** Rates of one group at each threshold of {@link FairnessSweep.thresholds}. */
export interface SweepRates {
  selectionRate: (number | null)[];
  tpr: (number | null)[];
  fpr: (number | null)[];
  precision: (number | null)[];
}

/** run.json's `sweep`: thresholds and, per sensitive column and group, the rates at each. */
export interface FairnessSweep {
  thresholds: number[];
  columns: Record<string, Record<string, SweepRates>>;
}

/** 0, 0.01, …, 1 (each k/100) plus the finite `extra` thresholds, sorted ascending without duplicates. */
export function sweepThresholds(extra: readonly number[] = []): number[] {
  const grid = Array.from({ length: 101 }, (_, k) => k / 100);
  for (const t of extra) {
    if (!Number.isFinite(t)) throw new Error(`sweepThresholds: thresholds must be finite, got ${t}`);
    grid.push(t);
  }
  return [...new Set(grid)].sort((a, b) => a - b);
}

/** Number of values in ascending `sorted` that are ≥ t. */
function countAtLeast(sorted: Float64Array, t: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < t) lo = mid + 1;
    else hi = mid;
  }
  return sorted.length - lo;
}

/**
 * The sweep of one sensitive column: for each group, the rates at each threshold (see the module
 * comment). `yTrue` holds 0/1, `scores` finite numbers; lengths must agree, or this throws.
 */
export function thresholdSweep(
  yTrue: Uint8Array,
  scores: Float64Array,
  column: GroupColumn,
  thresholds: readonly number[],
): Record<string, SweepRates> {
  const n = yTrue.length;
  if (scores.length !== n) throw new Error(`thresholdSweep: scores has ${scores.length} rows but yTrue has ${n}`);
  if (column.codes.length !== n) throw new Error(`thresholdSweep: the sensitive column has ${column.codes.length} rows but yTrue has ${n}`);
  const G = column.names.length;
  const pos = new Int32Array(G);
  const neg = new Int32Array(G);
  for (let i = 0; i < n; i++) {
    const c = column.codes[i];
    if (c >>> 0 >= G) throw new Error(`row ${i}: group code ${c} is outside 0..${G - 1}`);
    if (yTrue[i] > 1) throw new Error(`row ${i}: yTrue must be 0 or 1 (got ${yTrue[i]})`);
    if (!Number.isFinite(scores[i])) throw new Error(`row ${i}: score must be a finite number (got ${scores[i]})`);
    if (yTrue[i] === 1) pos[c]++;
    else neg[c]++;
  }
  const posScores = Array.from(pos, (k) => new Float64Array(k));
  const negScores = Array.from(neg, (k) => new Float64Array(k));
  const fp = new Int32Array(G);
  const fn = new Int32Array(G);
  for (let i = 0; i < n; i++) {
    const c = column.codes[i];
    if (yTrue[i] === 1) posScores[c][fp[c]++] = scores[i];
    else negScores[c][fn[c]++] = scores[i];
  }
  const out: [string, SweepRates][] = [];
  for (let g = 0; g < G; g++) {
    const P = pos[g];
    const N = neg[g];
    if (P + N === 0) continue;
    posScores[g].sort();
    negScores[g].sort();
    const rates: SweepRates = { selectionRate: [], tpr: [], fpr: [], precision: [] };
    for (const t of thresholds) {
      const tp = countAtLeast(posScores[g], t);
      const fpCount = countAtLeast(negScores[g], t);
      rates.selectionRate.push((tp + fpCount) / (P + N));
      rates.tpr.push(P === 0 ? null : tp / P);
      rates.fpr.push(N === 0 ? null : fpCount / N);
      rates.precision.push(tp + fpCount === 0 ? null : tp / (tp + fpCount));
    }
    out.push([column.names[g], rates]);
  }
  return Object.fromEntries(out);
}
