/**
 * Group disparities with Fairlearn's `between_groups` semantics.
 *
 * Each function takes the per-group confusion counts ({@link GroupCounts}, from `countByGroup`)
 * and compares one per-group rate across groups:
 * - a difference is max_g − min_g (≥ 0; 0 = parity);
 * - a ratio is min_g / max_g (in [0, 1]; 1 = parity), and is null when max_g = 0 (0/0 or x/0,
 *   where Fairlearn would give NaN). A ratio is never NaN or Infinity.
 *
 * Per-group rates follow Fairlearn (sklearn's normalized confusion matrix): a group with no actual
 * positives has TPR 0, one with no actual negatives has FPR 0. Such groups are flagged by the audit.
 *
 * All functions require at least two groups and otherwise throw, e.g.
 * "demographicParityDifference requires at least two groups".
 */
import { FN, FP, TN, TP, type GroupCounts } from './counts';

/** The seven Fairlearn-style disparity metrics. */
export const DISPARITY_METRICS = [
  'demographicParityDifference',
  'demographicParityRatio',
  'equalizedOddsDifference',
  'equalizedOddsRatio',
  'equalOpportunityDifference',
  'equalOpportunityRatio',
  'disparateImpactRatio',
] as const;
export type DisparityMetric = (typeof DISPARITY_METRICS)[number];

/** The per-group rate a disparity compares. */
export type GroupRate = 'selectionRate' | 'tpr' | 'fpr';

/** The groups at the extremes of the rate that drives a disparity: `min` is usually the harmed group. */
export interface Extremes {
  rate: GroupRate;
  /** Group with the smallest rate (first in group order on ties). */
  min: string;
  /** Group with the largest rate (first in group order on ties). */
  max: string;
}

export type Disparities = Record<DisparityMetric, number | null>;

/** Max − min and min / max of one per-group quantity, with the groups where they occur. */
export interface BetweenGroups {
  min: number;
  max: number;
  minIndex: number;
  maxIndex: number;
  /** max − min. */
  difference: number;
  /** min / max; null when max = 0. */
  ratio: number | null;
}

/**
 * Max − min and min / max of `values` (one per group).
 * Ties go to the first group in order. Throws "`metric` requires at least two groups" for fewer
 * than two values.
 */
export function betweenGroups(values: ArrayLike<number>, metric: string): BetweenGroups {
  if (values.length < 2) throw new Error(`${metric} requires at least two groups`);
  let minIndex = 0;
  let maxIndex = 0;
  for (let g = 1; g < values.length; g++) {
    if (values[g] < values[minIndex]) minIndex = g;
    if (values[g] > values[maxIndex]) maxIndex = g;
  }
  const min = values[minIndex];
  const max = values[maxIndex];
  return { min, max, minIndex, maxIndex, difference: max - min, ratio: max === 0 ? null : min / max };
}

/** Per-group selection rate, TPR and FPR (Fairlearn conventions: 0 for an empty denominator). */
export function groupRates(counts: GroupCounts): Record<GroupRate, Float64Array> {
  const G = counts.names.length;
  const c = counts.cells;
  const selectionRate = new Float64Array(G);
  const tpr = new Float64Array(G);
  const fpr = new Float64Array(G);
  for (let g = 0; g < G; g++) {
    const tn = c[4 * g + TN];
    const fp = c[4 * g + FP];
    const fn = c[4 * g + FN];
    const tp = c[4 * g + TP];
    const n = tn + fp + fn + tp;
    selectionRate[g] = n === 0 ? 0 : (tp + fp) / n;
    tpr[g] = tp + fn === 0 ? 0 : tp / (tp + fn);
    fpr[g] = fp + tn === 0 ? 0 : fp / (fp + tn);
  }
  return { selectionRate, tpr, fpr };
}

/** max_g SR_g − min_g SR_g, where SR_g = P(ŷ=1 | g). In [0, 1]; 0 = demographic parity. */
export function demographicParityDifference(counts: GroupCounts): number {
  return betweenGroups(groupRates(counts).selectionRate, 'demographicParityDifference').difference;
}

/** min_g SR_g / max_g SR_g. In [0, 1]; 1 = parity; null when no group is ever selected (max SR = 0). */
export function demographicParityRatio(counts: GroupCounts): number | null {
  return betweenGroups(groupRates(counts).selectionRate, 'demographicParityRatio').ratio;
}

/**
 * The disparate impact ratio, = {@link demographicParityRatio}: min_g SR_g / max_g SR_g.
 * Below 0.8 fails the four-fifths rule. Null when max SR = 0.
 */
export function disparateImpactRatio(counts: GroupCounts): number | null {
  return betweenGroups(groupRates(counts).selectionRate, 'disparateImpactRatio').ratio;
}

/** max(max TPR − min TPR, max FPR − min FPR) over groups. In [0, 1]; 0 = equalized odds. */
export function equalizedOddsDifference(counts: GroupCounts): number {
  const r = groupRates(counts);
  const t = betweenGroups(r.tpr, 'equalizedOddsDifference');
  const f = betweenGroups(r.fpr, 'equalizedOddsDifference');
  return Math.max(t.difference, f.difference);
}

/**
 * min(min TPR / max TPR, min FPR / max FPR). In [0, 1]; 1 = equalized odds.
 * Null when either ratio is null (max TPR = 0 or max FPR = 0): Fairlearn would then return NaN or,
 * through Python's `min`, an order-dependent value; we report "undefined" instead.
 */
export function equalizedOddsRatio(counts: GroupCounts): number | null {
  const r = groupRates(counts);
  const t = betweenGroups(r.tpr, 'equalizedOddsRatio').ratio;
  const f = betweenGroups(r.fpr, 'equalizedOddsRatio').ratio;
  return t === null || f === null ? null : Math.min(t, f);
}

/** max_g TPR_g − min_g TPR_g. In [0, 1]; 0 = equal opportunity. */
export function equalOpportunityDifference(counts: GroupCounts): number {
  return betweenGroups(groupRates(counts).tpr, 'equalOpportunityDifference').difference;
}

/** min_g TPR_g / max_g TPR_g. In [0, 1]; 1 = equal opportunity; null when max TPR = 0. */
export function equalOpportunityRatio(counts: GroupCounts): number | null {
  return betweenGroups(groupRates(counts).tpr, 'equalOpportunityRatio').ratio;
}

/** All seven disparities and, for each, the groups at the extremes of the rate that drives it. */
export function disparities(counts: GroupCounts): { values: Disparities; extremes: Record<DisparityMetric, Extremes> } {
  const r = groupRates(counts);
  const names = counts.names;
  const sr = betweenGroups(r.selectionRate, 'demographicParityDifference');
  const tpr = betweenGroups(r.tpr, 'equalizedOddsDifference');
  const fpr = betweenGroups(r.fpr, 'equalizedOddsDifference');
  const ext = (rate: GroupRate, b: BetweenGroups): Extremes => ({ rate, min: names[b.minIndex], max: names[b.maxIndex] });
  const eoRatio = tpr.ratio === null || fpr.ratio === null ? null : Math.min(tpr.ratio, fpr.ratio);
  // Which component drives equalized odds: the larger difference (TPR on ties); for the ratio,
  // the smaller ratio, or the undefined one.
  const eodComponent = fpr.difference > tpr.difference ? ext('fpr', fpr) : ext('tpr', tpr);
  const eorComponent =
    tpr.ratio === null ? ext('tpr', tpr)
      : fpr.ratio === null ? ext('fpr', fpr)
        : fpr.ratio < tpr.ratio ? ext('fpr', fpr) : ext('tpr', tpr);
  return {
    values: {
      demographicParityDifference: sr.difference,
      demographicParityRatio: sr.ratio,
      equalizedOddsDifference: Math.max(tpr.difference, fpr.difference),
      equalizedOddsRatio: eoRatio,
      equalOpportunityDifference: tpr.difference,
      equalOpportunityRatio: tpr.ratio,
      disparateImpactRatio: sr.ratio,
    },
    extremes: {
      demographicParityDifference: ext('selectionRate', sr),
      demographicParityRatio: ext('selectionRate', sr),
      equalizedOddsDifference: eodComponent,
      equalizedOddsRatio: eorComponent,
      equalOpportunityDifference: ext('tpr', tpr),
      equalOpportunityRatio: ext('tpr', tpr),
      disparateImpactRatio: ext('selectionRate', sr),
    },
  };
}

/**
 * The seven disparities straight from a cells array, written into `out` in the order of
 * {@link DISPARITY_METRICS}, with NaN for "undefined". Used by the bootstrap on every resample.
 * All are NaN when fewer than two groups, or when any group has no rows in `cells` (a resample
 * that lost a group measures a different set of groups, so it is skipped).
 * @internal
 */
export function disparitiesInto(cells: Float64Array, G: number, out: Float64Array, offset: number): void {
  let srMin = Infinity, srMax = -Infinity, tMin = Infinity, tMax = -Infinity, fMin = Infinity, fMax = -Infinity;
  let ok = G >= 2;
  for (let g = 0; g < G && ok; g++) {
    const tn = cells[4 * g + TN];
    const fp = cells[4 * g + FP];
    const fn = cells[4 * g + FN];
    const tp = cells[4 * g + TP];
    const n = tn + fp + fn + tp;
    if (n === 0) {
      ok = false;
      break;
    }
    const sr = (tp + fp) / n;
    const t = tp + fn === 0 ? 0 : tp / (tp + fn);
    const f = fp + tn === 0 ? 0 : fp / (fp + tn);
    if (sr < srMin) srMin = sr;
    if (sr > srMax) srMax = sr;
    if (t < tMin) tMin = t;
    if (t > tMax) tMax = t;
    if (f < fMin) fMin = f;
    if (f > fMax) fMax = f;
  }
  if (!ok) {
    out.fill(NaN, offset, offset + DISPARITY_METRICS.length);
    return;
  }
  const srRatio = srMax === 0 ? NaN : srMin / srMax;
  const tRatio = tMax === 0 ? NaN : tMin / tMax;
  const fRatio = fMax === 0 ? NaN : fMin / fMax;
  out[offset] = srMax - srMin;
  out[offset + 1] = srRatio;
  out[offset + 2] = Math.max(tMax - tMin, fMax - fMin);
  out[offset + 3] = Math.min(tRatio, fRatio); // NaN if either is NaN
  out[offset + 4] = tMax - tMin;
  out[offset + 5] = tRatio;
  out[offset + 6] = srRatio;
}
