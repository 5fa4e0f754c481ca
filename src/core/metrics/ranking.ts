/**
 * The ranking kernel behind rocAuc, averagePrecision and the ROC / precision–recall curves
 * (internal: not re-exported from the index).
 *
 * It reproduces scikit-learn's `_binary_clf_curve`: rows are ordered by descending score and
 * grouped by distinct score value; for each group g (highest score first) we record the
 * threshold s_g and the cumulative counts tps_g = #{positives with score ≥ s_g} and
 * fps_g = #{negatives with score ≥ s_g}.
 *
 * Instead of sorting row indices with a comparator, the positives' and negatives' scores are
 * copied into two Float64Arrays and sorted natively (numeric, fast), then merged from the top.
 * That is O(n log n) time and about 5·8 bytes per row of memory.
 */

/** Distinct-threshold cumulative counts, highest threshold first. */
export interface RankedGroups {
  /** Distinct score values, strictly decreasing. */
  thresholds: Float64Array;
  /** tps[g] = number of positives scoring ≥ thresholds[g]. */
  tps: Float64Array;
  /** fps[g] = number of negatives scoring ≥ thresholds[g]. */
  fps: Float64Array;
  /** Total positives (= tps[last]). */
  positives: number;
  /** Total negatives (= fps[last]). */
  negatives: number;
}

/**
 * Groups by distinct score. `pos` and `neg` hold the scores of the positive and negative rows;
 * they are sorted in place. Scores must be finite (the callers check). `-0` and `+0` fall in the
 * same group, as in NumPy's `np.diff(y_score) != 0`.
 */
export function rankGroups(pos: Float64Array, neg: Float64Array): RankedGroups {
  pos.sort();
  neg.sort();
  const n = pos.length + neg.length;
  const thresholds = new Float64Array(n);
  const tps = new Float64Array(n);
  const fps = new Float64Array(n);
  let i = pos.length - 1;
  let j = neg.length - 1;
  let tp = 0;
  let fp = 0;
  let g = 0;
  while (i >= 0 || j >= 0) {
    const v = i < 0 ? neg[j] : j < 0 ? pos[i] : pos[i] > neg[j] ? pos[i] : neg[j];
    while (i >= 0 && pos[i] === v) {
      tp++;
      i--;
    }
    while (j >= 0 && neg[j] === v) {
      fp++;
      j--;
    }
    thresholds[g] = v;
    tps[g] = tp;
    fps[g] = fp;
    g++;
  }
  return {
    thresholds: thresholds.subarray(0, g),
    tps: tps.subarray(0, g),
    fps: fps.subarray(0, g),
    positives: pos.length,
    negatives: neg.length,
  };
}

/**
 * Mann–Whitney AUC from ranked groups: the fraction of (positive, negative) pairs in which the
 * positive scores higher, a tie counting ½. Null when either class is absent.
 *
 * AUC = Σ_g Δneg_g·(2·tp_{g−1} + Δpos_g) / (2·P·N), where Δpos_g, Δneg_g count the rows in group g
 * and tp_{g−1} the positives above it. The numerator is an exact integer (below 2^53 for n up to
 * ~6·10^7), so the only rounding is the final division.
 */
export function aucFromGroups(r: RankedGroups): number | null {
  if (r.positives === 0 || r.negatives === 0) return null;
  let twiceWins = 0;
  let prevTp = 0;
  let prevFp = 0;
  for (let g = 0; g < r.tps.length; g++) {
    const dPos = r.tps[g] - prevTp;
    const dNeg = r.fps[g] - prevFp;
    // Each negative in this group loses to every positive above the group (counts 1) and ties
    // with every positive inside it (counts ½).
    twiceWins += dNeg * (2 * prevTp + dPos);
    prevTp = r.tps[g];
    prevFp = r.fps[g];
  }
  return twiceWins / (2 * r.positives * r.negatives);
}

/**
 * scikit-learn's step-wise average precision Σ_g (R_g − R_{g−1})·P_g, with R_g = tps_g/P and
 * P_g = tps_g/(tps_g + fps_g), over the groups in descending-threshold order (R_0 = 0).
 * Null when there are no positives.
 */
export function averagePrecisionFromGroups(r: RankedGroups): number | null {
  if (r.positives === 0) return null;
  let ap = 0;
  let prevRecall = 0;
  for (let g = 0; g < r.tps.length; g++) {
    const tp = r.tps[g];
    const recall = tp / r.positives;
    if (recall !== prevRecall) {
      ap += (recall - prevRecall) * (tp / (tp + r.fps[g]));
      prevRecall = recall;
    }
  }
  return ap;
}
