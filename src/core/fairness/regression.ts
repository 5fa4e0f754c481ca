/**
 * Group fairness of a regression model: per-group means and error, with Fairlearn-style
 * between-groups disparities.
 */
import { betweenGroups } from './disparities';
import type { GroupColumn } from './groups';
import { DEFAULT_MIN_GROUP_SIZE, singleGroupWarning, smallGroupWarnings, type FairnessWarning } from './warnings';

/** Per-group metrics of a regression model. */
export interface RegressionGroupMetrics {
  /** Rows in the group. */
  n: number;
  /** mean(ŷ) over the group, in the target's units. */
  meanPrediction: number;
  /** mean(y) over the group, in the target's units. */
  meanTrue: number;
  /** Mean absolute error mean(|ŷ − y|) over the group, in the target's units. */
  mae: number;
}

/** The audit of one sensitive column for a regression model. Disparities are null with one group. */
export interface RegressionAudit {
  groups: Record<string, RegressionGroupMetrics>;
  /** max_g mean(ŷ) − min_g mean(ŷ), in the target's units. */
  meanPredictionDifference: number | null;
  /**
   * min_g mean(ŷ) / max_g mean(ŷ), in [0, 1]. Null when max = 0, or when a group's mean prediction
   * is negative (a ratio of signed means does not measure disparity; Fairlearn would still divide).
   */
  meanPredictionRatio: number | null;
  /** max_g MAE − min_g MAE, in the target's units. */
  maeDifference: number | null;
  /** Groups at the min and max of mean prediction and of MAE. */
  extremes: { meanPrediction: { min: string; max: string }; mae: { min: string; max: string } } | null;
  warnings: FairnessWarning[];
}

/**
 * Per-group n, mean prediction, mean truth and MAE, in one pass. Values must be finite.
 * Groups with no rows are left out.
 */
export function regressionGroupMetrics(
  yTrue: Float64Array,
  yPred: Float64Array,
  column: GroupColumn,
): { names: string[]; metrics: RegressionGroupMetrics[] } {
  const n = yTrue.length;
  if (n === 0) throw new Error('regressionGroupMetrics requires at least one row');
  if (yPred.length !== n) throw new Error(`regressionGroupMetrics: yPred has ${yPred.length} rows but yTrue has ${n}`);
  if (column.codes.length !== n) throw new Error(`regressionGroupMetrics: the sensitive column has ${column.codes.length} rows but yTrue has ${n}`);
  const G = column.names.length;
  const count = new Float64Array(G);
  const sumPred = new Float64Array(G);
  const sumTrue = new Float64Array(G);
  const sumAbs = new Float64Array(G);
  for (let i = 0; i < n; i++) {
    const c = column.codes[i];
    const y = yTrue[i];
    const p = yPred[i];
    if (c >>> 0 >= G) throw new Error(`row ${i}: group code ${c} is outside 0..${G - 1}`);
    if (!Number.isFinite(y) || !Number.isFinite(p)) throw new Error(`row ${i}: yTrue and yPred must be finite (got ${y}, ${p})`);
    count[c]++;
    sumPred[c] += p;
    sumTrue[c] += y;
    sumAbs[c] += Math.abs(p - y);
  }
  const names: string[] = [];
  const metrics: RegressionGroupMetrics[] = [];
  for (let c = 0; c < G; c++) {
    if (count[c] === 0) continue;
    names.push(column.names[c]);
    metrics.push({ n: count[c], meanPrediction: sumPred[c] / count[c], meanTrue: sumTrue[c] / count[c], mae: sumAbs[c] / count[c] });
  }
  return { names, metrics };
}

/** max_g mean(ŷ) − min_g mean(ŷ). Throws "meanPredictionDifference requires at least two groups". */
export function meanPredictionDifference(groups: readonly RegressionGroupMetrics[]): number {
  return betweenGroups(groups.map((g) => g.meanPrediction), 'meanPredictionDifference').difference;
}

/** min_g mean(ŷ) / max_g mean(ŷ); null when max = 0 or a mean is negative. Throws with fewer than two groups. */
export function meanPredictionRatio(groups: readonly RegressionGroupMetrics[]): number | null {
  const b = betweenGroups(groups.map((g) => g.meanPrediction), 'meanPredictionRatio');
  return b.min < 0 ? null : b.ratio;
}

/** max_g MAE − min_g MAE. Throws "maeDifference requires at least two groups". */
export function maeDifference(groups: readonly RegressionGroupMetrics[]): number {
  return betweenGroups(groups.map((g) => g.mae), 'maeDifference').difference;
}

/**
 * Audits one sensitive column of a regression model. With a single group, the disparities and
 * `extremes` are null and a `single-group` warning is added; groups smaller than `minGroupSize`
 * (default 30) are flagged.
 */
export function auditRegression(
  yTrue: Float64Array,
  yPred: Float64Array,
  column: GroupColumn,
  options: { minGroupSize?: number } = {},
): RegressionAudit {
  const { names, metrics } = regressionGroupMetrics(yTrue, yPred, column);
  const warnings = smallGroupWarnings(names, metrics.map((m) => m.n), options.minGroupSize ?? DEFAULT_MIN_GROUP_SIZE, column.name);
  const groups = Object.fromEntries(names.map((name, g) => [name, metrics[g]]));
  if (names.length < 2) {
    warnings.push(singleGroupWarning(names[0], column.name));
    return { groups, meanPredictionDifference: null, meanPredictionRatio: null, maeDifference: null, extremes: null, warnings };
  }
  const mp = betweenGroups(metrics.map((m) => m.meanPrediction), 'meanPredictionDifference');
  const mae = betweenGroups(metrics.map((m) => m.mae), 'maeDifference');
  return {
    groups,
    meanPredictionDifference: mp.difference,
    meanPredictionRatio: mp.min < 0 ? null : mp.ratio,
    maeDifference: mae.difference,
    extremes: {
      meanPrediction: { min: names[mp.minIndex], max: names[mp.maxIndex] },
      mae: { min: names[mae.minIndex], max: names[mae.maxIndex] },
    },
    warnings,
  };
}
