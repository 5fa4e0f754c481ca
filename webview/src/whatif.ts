/**
 * The what-if threshold: per-group rates and the disparities at another decision threshold,
 * recomputed from the run's threshold sweep (no model, no data: the sweep holds every group's
 * selection rate, TPR, FPR and precision at each threshold of a grid). Pure, so it is unit-tested.
 *
 * The disparities use the engine's own definitions (`betweenGroups`: max − min, min / max with a
 * 0 denominator giving null), so the slider at the run's threshold shows the audit's numbers.
 */
import { betweenGroups } from '../../src/core/fairness/disparities';
import { DISPARITY_KEYS, type FairnessColumn, type ThresholdSweep } from '../../src/core/report/view-model';

export type DisparityKey = (typeof DISPARITY_KEYS)[number];

export interface WhatIfGroup {
  group: string;
  selectionRate: number;
  tpr: number;
  fpr: number;
  /** Null when the sweep has no precision. */
  precision: number | null;
}

export interface WhatIfResult {
  index: number;
  threshold: number;
  groups: WhatIfGroup[];
  /** The seven disparities; all null with fewer than two groups. */
  disparities: Record<DisparityKey, number | null>;
  /** The group with the lowest selection rate (first on ties); undefined with fewer than two groups. */
  harmed?: string;
  /**
   * Overall selection rate and accuracy at this threshold, when every group's size and base rate
   * are known (from the audit): TP_g = TPR_g·n_g·base_g, FP_g = FPR_g·n_g·(1 − base_g).
   */
  overall?: { selectionRate: number; accuracy: number };
}

/** The index of the grid threshold nearest to `t` (the lower one on ties). */
export function nearestIndex(thresholds: readonly number[], t: number): number {
  let best = 0;
  for (let i = 1; i < thresholds.length; i++) {
    if (Math.abs(thresholds[i] - t) < Math.abs(thresholds[best] - t)) best = i;
  }
  return best;
}

/**
 * The groups' rates and the disparities of `column` at the sweep's `index`-th threshold.
 * `groups` (the column's audit groups) adds the overall selection rate and accuracy.
 * Throws when the column is not in the sweep or the index is out of range.
 */
export function whatIf(sweep: ThresholdSweep, column: string, index: number, groups?: FairnessColumn['groups']): WhatIfResult {
  const col = sweep.columns[column];
  if (!col) throw new Error(`whatIf: the sweep has no column ${column}`);
  if (!Number.isInteger(index) || index < 0 || index >= sweep.thresholds.length) {
    throw new Error(`whatIf: threshold index ${index} is outside 0..${sweep.thresholds.length - 1}`);
  }
  const rows: WhatIfGroup[] = Object.entries(col).map(([group, r]) => ({
    group,
    selectionRate: r.selectionRate[index],
    tpr: r.tpr[index],
    fpr: r.fpr[index],
    precision: r.precision.length > index ? r.precision[index] : null,
  }));
  const disparities = Object.fromEntries(DISPARITY_KEYS.map((k) => [k, null])) as Record<DisparityKey, number | null>;
  let harmed: string | undefined;
  if (rows.length >= 2) {
    const sr = betweenGroups(rows.map((g) => g.selectionRate), 'demographicParityDifference');
    const tpr = betweenGroups(rows.map((g) => g.tpr), 'equalOpportunityDifference');
    const fpr = betweenGroups(rows.map((g) => g.fpr), 'equalizedOddsDifference');
    disparities.demographicParityDifference = sr.difference;
    disparities.demographicParityRatio = sr.ratio;
    disparities.disparateImpactRatio = sr.ratio;
    disparities.equalOpportunityDifference = tpr.difference;
    disparities.equalOpportunityRatio = tpr.ratio;
    disparities.equalizedOddsDifference = Math.max(tpr.difference, fpr.difference);
    disparities.equalizedOddsRatio = tpr.ratio === null || fpr.ratio === null ? null : Math.min(tpr.ratio, fpr.ratio);
    harmed = rows[sr.minIndex].group;
  }
  const result: WhatIfResult = { index, threshold: sweep.thresholds[index], groups: rows, disparities, ...(harmed !== undefined ? { harmed } : {}) };
  if (groups && rows.every((g) => groups[g.group] && typeof groups[g.group].baseRate === 'number')) {
    let n = 0, selected = 0, correct = 0;
    for (const g of rows) {
      const ng = groups[g.group].n;
      const base = groups[g.group].baseRate ?? 0;
      const tp = g.tpr * ng * base;
      const fp = g.fpr * ng * (1 - base);
      const tn = ng * (1 - base) - fp;
      n += ng;
      selected += tp + fp;
      correct += tp + tn;
    }
    if (n > 0) result.overall = { selectionRate: selected / n, accuracy: correct / n };
  }
  return result;
}
