/**
 * The Theil index of individual benefits (AIF360's `theil_index`, the generalized entropy index
 * with α = 1; Speicher et al., KDD 2018).
 *
 *   T = (1/n) Σ_i (b_i/μ)·ln(b_i/μ),   b_i = ŷ_i − y_i + 1,   μ = mean(b)
 *
 * b is 0 for a false negative, 1 for a correct prediction and 2 for a false positive. T ≥ 0, with
 * 0 when every individual gets the same benefit; larger is more unequal (unitless, in nats).
 * A term with b_i = 0 contributes 0 (the limit of x·ln x). T is null when μ = 0 (every row a false
 * negative, so every b_i/μ is 0/0), where AIF360 returns NaN.
 *
 * Because b takes three values, T depends only on the confusion counts:
 *   T = [(TP+TN)·(1/μ)·ln(1/μ) + FP·(2/μ)·ln(2/μ)] / n,   μ = (TP + TN + 2·FP) / n.
 */
import { countConfusion, FN, FP, TN, TP, type GroupCounts } from './counts';

/** Theil index from confusion counts (see the module comment); NaN when undefined. @internal */
export function theilFromCountsRaw(tn: number, fp: number, fn: number, tp: number): number {
  const n = tn + fp + fn + tp;
  const mu = (tp + tn + 2 * fp) / n;
  if (!(mu > 0)) return NaN;
  const one = 1 / mu;
  const two = 2 / mu;
  return ((tp + tn) * one * Math.log(one) + (fp > 0 ? fp * two * Math.log(two) : 0)) / n;
}

/** Theil index from confusion counts; null when undefined (no rows, or μ = 0). */
export function theilIndexFromCounts(tn: number, fp: number, fn: number, tp: number): number | null {
  const t = theilFromCountsRaw(tn, fp, fn, tp);
  return Number.isNaN(t) ? null : t;
}

/** Theil index of the rows (yTrue, yPred 0/1); null when undefined. */
export function theilIndex(yTrue: Uint8Array, yPred: Uint8Array): number | null {
  return theilIndexFromCounts(...countConfusion(yTrue, yPred));
}

/** Overall Theil index of all groups pooled, from per-group cells; NaN when undefined. @internal */
export function theilOverallRaw(cells: Float64Array, G: number): number {
  let tn = 0, fp = 0, fn = 0, tp = 0;
  for (let g = 0; g < G; g++) {
    tn += cells[4 * g + TN];
    fp += cells[4 * g + FP];
    fn += cells[4 * g + FN];
    tp += cells[4 * g + TP];
  }
  return theilFromCountsRaw(tn, fp, fn, tp);
}

/**
 * Theil indices of a grouping:
 * - `overall`: T over all rows;
 * - `betweenGroups`: AIF360's `between_group_theil_index`, T after replacing each b_i by its
 *   group's mean benefit μ_g, i.e. (1/n) Σ_g n_g·(μ_g/μ)·ln(μ_g/μ) (a group with μ_g = 0 contributes 0);
 * - `groups`: T within each group (its own rows and its own μ_g).
 * Each is null when undefined (μ = 0).
 */
export function theilIndexByGroup(counts: GroupCounts): {
  overall: number | null;
  betweenGroups: number | null;
  groups: Record<string, number | null>;
} {
  const G = counts.names.length;
  const c = counts.cells;
  const overall = theilOverallRaw(c, G);
  let n = 0;
  let benefit = 0;
  for (let g = 0; g < G; g++) {
    n += c[4 * g] + c[4 * g + 1] + c[4 * g + 2] + c[4 * g + 3];
    benefit += c[4 * g + TP] + c[4 * g + TN] + 2 * c[4 * g + FP];
  }
  const mu = benefit / n;
  let between = NaN;
  if (mu > 0) {
    between = 0;
    for (let g = 0; g < G; g++) {
      const ng = c[4 * g] + c[4 * g + 1] + c[4 * g + 2] + c[4 * g + 3];
      const r = (c[4 * g + TP] + c[4 * g + TN] + 2 * c[4 * g + FP]) / ng / mu;
      if (r > 0) between += ng * r * Math.log(r);
    }
    between /= n;
  }
  const groups = Object.fromEntries(
    counts.names.map((name, g) => [name, theilIndexFromCounts(c[4 * g + TN], c[4 * g + FP], c[4 * g + FN], c[4 * g + TP])]),
  );
  return {
    overall: Number.isNaN(overall) ? null : overall,
    betweenGroups: Number.isNaN(between) ? null : between,
    groups,
  };
}
