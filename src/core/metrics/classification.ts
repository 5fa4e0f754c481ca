/**
 * Binary classification metrics, matching scikit-learn 1.2 (see the shared METRICS.md).
 *
 * Inputs:
 * - `yTrue`, `yPred`: labels, exactly 0 or 1 (1 = positive); `Uint8Array`, `number[]`, …
 * - `scores`: a score per row (any finite number for the ranking metrics rocAuc,
 *   averagePrecision and their curves; a probability of class 1 in [0, 1] for logLoss, brier,
 *   ece and calibrationCurve).
 *
 * Every function throws on empty input ("accuracy requires at least one row"), on arrays of
 * different lengths, on labels other than 0/1 and on non-finite or out-of-range scores. None
 * returns NaN or ±Infinity: a value that is undefined for the data is `null`, and its type says so.
 */

import { aucFromGroups, averagePrecisionFromGroups, rankGroups, type RankedGroups } from './ranking';
import {
  badBinaryLabel,
  badProbability,
  badScore,
  requireRows,
  requireSameLength,
  type NumericArray,
} from './validate';

/** Binary labels (0 or 1 per row). */
export type BinaryLabels = NumericArray;
/** One score or probability per row. */
export type Scores = NumericArray;

/** The four cells of the binary confusion matrix (1 = positive). */
export interface ConfusionCounts {
  /** y = 1, ŷ = 1. */
  tp: number;
  /** y = 0, ŷ = 1. */
  fp: number;
  /** y = 0, ŷ = 0. */
  tn: number;
  /** y = 1, ŷ = 0. */
  fn: number;
}

/** The label-based metrics, all computed from one {@link ConfusionCounts}. */
export interface ConfusionMetrics {
  accuracy: number;
  balancedAccuracy: number;
  precision: number;
  recall: number;
  f1: number;
}

/** Everything {@link binaryClassificationReport} returns. Score-based entries are null without scores. */
export interface BinaryClassificationReport extends ConfusionMetrics {
  rocAuc: number | null;
  averagePrecision: number | null;
  logLoss: number | null;
  brier: number | null;
  ece: number | null;
  confusion: ConfusionCounts;
}

/** A ROC curve as parallel arrays (plain arrays, so that it serialises to JSON). */
export interface RocCurve {
  /** False-positive rate FP/N at each threshold, non-decreasing, starting at 0. */
  fpr: number[];
  /** True-positive rate TP/P at each threshold, non-decreasing, starting at 0. */
  tpr: number[];
  /** Decreasing thresholds; a row is predicted positive when score ≥ threshold. thresholds[0] = max score + 1. */
  thresholds: number[];
}

/** A precision–recall curve as parallel arrays, in scikit-learn's order (recall decreasing). */
export interface PrCurve {
  /** TP/(TP+FP) at each threshold, then a final 1. */
  precision: number[];
  /** TP/P at each threshold, then a final 0. */
  recall: number[];
  /** Increasing distinct scores; one fewer than precision/recall. */
  thresholds: number[];
}

/** A reliability diagram: one entry per non-empty probability bin, in increasing bin order. */
export interface CalibrationCurve {
  /** Lower edge b/10 of each bin (inclusive). */
  lower: number[];
  /** Upper edge (b+1)/10 of each bin (exclusive, except 1 for the last bin). */
  upper: number[];
  /** Mean predicted probability of the rows in the bin. */
  meanPredicted: number[];
  /** Fraction of the rows in the bin whose label is 1. */
  fractionPositive: number[];
  /** Number of rows in the bin (always ≥ 1). */
  count: number[];
}

/** Number of equal-width probability bins used by {@link ece} and {@link calibrationCurve}. */
export const CALIBRATION_BINS = 10;

/** Clipping bound for {@link logLoss}: p is clipped to [1e-15, 1 − 1e-15]. */
export const LOG_LOSS_EPS = 1e-15;

// ---------------------------------------------------------------------------------------------
// Label metrics

function countConfusion(metric: string, yTrue: BinaryLabels, yPred: BinaryLabels): ConfusionCounts {
  requireSameLength(metric, yTrue, 'yTrue', yPred, 'yPred');
  const n = yTrue.length;
  requireRows(metric, n);
  let tp = 0;
  let fp = 0;
  let tn = 0;
  let fn = 0;
  for (let i = 0; i < n; i++) {
    const t = yTrue[i];
    const p = yPred[i];
    if (t !== 0 && t !== 1) throw badBinaryLabel(metric, 'yTrue', i, t);
    if (p !== 0 && p !== 1) throw badBinaryLabel(metric, 'yPred', i, p);
    if (t === 1) {
      if (p === 1) tp++;
      else fn++;
    } else if (p === 1) fp++;
    else tn++;
  }
  return { tp, fp, tn, fn };
}

/**
 * The binary confusion counts {tp, fp, tn, fn} of `yPred` against `yTrue` (1 = positive).
 * Throws on empty input, a length mismatch, or a label other than 0/1.
 */
export function confusionCounts(yTrue: BinaryLabels, yPred: BinaryLabels): ConfusionCounts {
  return countConfusion('confusionCounts', yTrue, yPred);
}

/**
 * accuracy, balancedAccuracy, precision, recall and f1 from confusion counts (see each metric's
 * own function for its definition and conventions). Throws when the counts total 0.
 */
export function metricsFromConfusion(c: ConfusionCounts): ConfusionMetrics {
  return confusionMetricsOf('metricsFromConfusion', c);
}

function confusionMetricsOf(metric: string, c: ConfusionCounts): ConfusionMetrics {
  const { tp, fp, tn, fn } = c;
  const n = tp + fp + tn + fn;
  requireRows(metric, n);
  const pos = tp + fn;
  const neg = tn + fp;
  const precision = tp + fp === 0 ? 0 : tp / (tp + fp);
  const recall = pos === 0 ? 0 : tp / pos;
  let balancedAccuracy: number;
  if (pos > 0 && neg > 0) balancedAccuracy = (tp / pos + tn / neg) / 2;
  else if (pos > 0) balancedAccuracy = tp / pos;
  else balancedAccuracy = tn / neg;
  return {
    accuracy: (tp + tn) / n,
    balancedAccuracy,
    precision,
    recall,
    f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall),
  };
}

/**
 * Accuracy: (TP + TN) / n, the fraction of rows whose predicted label equals the true label.
 * Unitless, in [0, 1]. Throws on empty input or a length mismatch.
 */
export function accuracy(yTrue: BinaryLabels, yPred: BinaryLabels): number {
  return confusionMetricsOf('accuracy', countConfusion('accuracy', yTrue, yPred)).accuracy;
}

/**
 * Balanced accuracy: (TPR + TNR) / 2, the mean of the recall of each class.
 * Edge case (sklearn `balanced_accuracy_score`): a class absent from `yTrue` is left out of the
 * mean, so with only positives it is TPR and with only negatives it is TNR.
 */
export function balancedAccuracy(yTrue: BinaryLabels, yPred: BinaryLabels): number {
  return confusionMetricsOf('balancedAccuracy', countConfusion('balancedAccuracy', yTrue, yPred))
    .balancedAccuracy;
}

/**
 * Precision (PPV): TP / (TP + FP), the fraction of predicted positives that are positive.
 * Edge case: 0 when nothing is predicted positive (TP + FP = 0; sklearn `zero_division=0`).
 */
export function precision(yTrue: BinaryLabels, yPred: BinaryLabels): number {
  return confusionMetricsOf('precision', countConfusion('precision', yTrue, yPred)).precision;
}

/**
 * Recall (TPR, sensitivity): TP / (TP + FN), the fraction of positives predicted positive.
 * Edge case: 0 when there are no positives (TP + FN = 0; sklearn `zero_division=0`).
 */
export function recall(yTrue: BinaryLabels, yPred: BinaryLabels): number {
  return confusionMetricsOf('recall', countConfusion('recall', yTrue, yPred)).recall;
}

/**
 * F1: 2·P·R / (P + R), the harmonic mean of precision and recall (each with its 0/0 → 0 rule).
 * Edge case: 0 when P + R = 0.
 */
export function f1(yTrue: BinaryLabels, yPred: BinaryLabels): number {
  return confusionMetricsOf('f1', countConfusion('f1', yTrue, yPred)).f1;
}

// ---------------------------------------------------------------------------------------------
// Ranking metrics

/** Splits the scores by label (validating both), then groups them by distinct score. */
function rank(metric: string, yTrue: BinaryLabels, scores: Scores): RankedGroups {
  requireSameLength(metric, yTrue, 'yTrue', scores, 'scores');
  const n = yTrue.length;
  requireRows(metric, n);
  let positives = 0;
  for (let i = 0; i < n; i++) {
    const t = yTrue[i];
    if (t === 1) positives++;
    else if (t !== 0) throw badBinaryLabel(metric, 'yTrue', i, t);
  }
  const pos = new Float64Array(positives);
  const neg = new Float64Array(n - positives);
  let a = 0;
  let b = 0;
  for (let i = 0; i < n; i++) {
    const s = scores[i];
    if (!Number.isFinite(s)) throw badScore(metric, 'scores', i, s);
    if (yTrue[i] === 1) pos[a++] = s;
    else neg[b++] = s;
  }
  return rankGroups(pos, neg);
}

/**
 * ROC AUC: P(s⁺ > s⁻) + ½·P(s⁺ = s⁻) for a random positive and a random negative
 * (Mann–Whitney U / (P·N)); equals sklearn `roc_auc_score`. Scores may be any finite numbers;
 * only their order matters. Sorts once: O(n log n).
 * Edge case: null when `yTrue` holds only one class (sklearn raises).
 */
export function rocAuc(yTrue: BinaryLabels, scores: Scores): number | null {
  return aucFromGroups(rank('rocAuc', yTrue, scores));
}

/**
 * Average precision (PR-AUC): Σ_k (R_k − R_{k−1})·P_k over the distinct scores taken as
 * thresholds in descending order (R_0 = 0), i.e. sklearn `average_precision_score`'s step-wise
 * sum, not the trapezoid. Tied scores form one threshold.
 * Edge cases: null when `yTrue` has no positives (sklearn warns and returns −0.0); with no
 * negatives every precision is 1, so the result is 1 (as in sklearn).
 */
export function averagePrecision(yTrue: BinaryLabels, scores: Scores): number | null {
  return averagePrecisionFromGroups(rank('averagePrecision', yTrue, scores));
}

/**
 * ROC curve, as sklearn `roc_curve(y, s, drop_intermediate=False)` in 1.2: one point per
 * distinct score (taken as threshold "predict positive when s ≥ t", decreasing), preceded by
 * the point (0, 0) whose threshold is max score + 1 (sklearn 1.3+ uses +∞ there; we keep a
 * finite value so the curve serialises to JSON).
 * Edge case: null when `yTrue` holds only one class (sklearn warns and returns NaN rates).
 */
export function rocCurve(yTrue: BinaryLabels, scores: Scores): RocCurve | null {
  const r = rank('rocCurve', yTrue, scores);
  if (r.positives === 0 || r.negatives === 0) return null;
  const m = r.thresholds.length;
  const fpr = new Array<number>(m + 1);
  const tpr = new Array<number>(m + 1);
  const thresholds = new Array<number>(m + 1);
  fpr[0] = 0;
  tpr[0] = 0;
  thresholds[0] = r.thresholds[0] + 1;
  for (let g = 0; g < m; g++) {
    fpr[g + 1] = r.fps[g] / r.negatives;
    tpr[g + 1] = r.tps[g] / r.positives;
    thresholds[g + 1] = r.thresholds[g];
  }
  return { fpr, tpr, thresholds };
}

/**
 * Precision–recall curve, as sklearn `precision_recall_curve` in 1.2: for each distinct score t
 * in increasing order, precision = TP/(TP+FP) and recall = TP/P of "predict positive when
 * s ≥ t"; then a final point precision 1, recall 0 with no threshold.
 * Edge case: null when `yTrue` has no positives (sklearn warns and sets recall to 1).
 */
export function prCurve(yTrue: BinaryLabels, scores: Scores): PrCurve | null {
  const r = rank('prCurve', yTrue, scores);
  if (r.positives === 0) return null;
  const m = r.thresholds.length;
  const precisionArr = new Array<number>(m + 1);
  const recallArr = new Array<number>(m + 1);
  const thresholds = new Array<number>(m);
  for (let g = 0; g < m; g++) {
    const k = m - 1 - g;
    const tp = r.tps[g];
    // Every group holds at least one row, so TP + FP ≥ 1 here.
    precisionArr[k] = tp / (tp + r.fps[g]);
    recallArr[k] = tp / r.positives;
    thresholds[k] = r.thresholds[g];
  }
  precisionArr[m] = 1;
  recallArr[m] = 0;
  return { precision: precisionArr, recall: recallArr, thresholds };
}

// ---------------------------------------------------------------------------------------------
// Probability metrics

/**
 * The calibration bin of probability p: bin b is [b/10, (b+1)/10), except that p = 1 goes in
 * the last bin. The edges are the doubles b/10, compared exactly (floor(p·10) alone can be one
 * off at an edge because p·10 rounds).
 */
function binOf(p: number): number {
  let b = Math.floor(p * CALIBRATION_BINS);
  if (b >= CALIBRATION_BINS) b = CALIBRATION_BINS - 1;
  if (b > 0 && p < b / CALIBRATION_BINS) b--;
  else if (b < CALIBRATION_BINS - 1 && p >= (b + 1) / CALIBRATION_BINS) b++;
  return b;
}

interface ProbabilitySums {
  n: number;
  logLoss: number;
  brier: number;
  /** Per bin: row count, Σp, Σy. */
  binCount: Float64Array;
  binSumP: Float64Array;
  binSumY: Float64Array;
}

/** One pass over (y, p): validates them and accumulates everything logLoss, brier and ece need. */
function probabilitySums(metric: string, yTrue: BinaryLabels, probs: Scores): ProbabilitySums {
  requireSameLength(metric, yTrue, 'yTrue', probs, 'scores');
  const n = yTrue.length;
  requireRows(metric, n);
  const binCount = new Float64Array(CALIBRATION_BINS);
  const binSumP = new Float64Array(CALIBRATION_BINS);
  const binSumY = new Float64Array(CALIBRATION_BINS);
  let logLossSum = 0;
  let brierSum = 0;
  for (let i = 0; i < n; i++) {
    const y = yTrue[i];
    const p = probs[i];
    if (y !== 0 && y !== 1) throw badBinaryLabel(metric, 'yTrue', i, y);
    if (!(p >= 0 && p <= 1)) throw badProbability(metric, 'scores', i, p);
    // sklearn: clip p, form the row [1 − p, p], divide by its sum, take −ln of the true column.
    const pc = p < LOG_LOSS_EPS ? LOG_LOSS_EPS : p > 1 - LOG_LOSS_EPS ? 1 - LOG_LOSS_EPS : p;
    const qc = 1 - pc;
    const s = qc + pc;
    logLossSum -= Math.log((y === 1 ? pc : qc) / s);
    const d = p - y;
    brierSum += d * d;
    const b = binOf(p);
    binCount[b]++;
    binSumP[b] += p;
    binSumY[b] += y;
  }
  return { n, logLoss: logLossSum / n, brier: brierSum / n, binCount, binSumP, binSumY };
}

function eceOf(s: ProbabilitySums): number {
  let e = 0;
  for (let b = 0; b < CALIBRATION_BINS; b++) {
    const c = s.binCount[b];
    if (c > 0) e += (c / s.n) * Math.abs(s.binSumY[b] / c - s.binSumP[b] / c);
  }
  return e;
}

/**
 * Log loss (cross-entropy, in nats): −mean(y·ln p + (1−y)·ln(1−p)), with p clipped to
 * [1e-15, 1 − 1e-15] so that it is always finite.
 * Matches sklearn `log_loss(y, p, eps=1e-15)` (the default before 1.2; sklearn 1.2's default
 * `eps="auto"` clips at 2.2e-16 instead, which differs only for p < 1e-15 or p > 1 − 1e-15).
 * Unlike sklearn, a `yTrue` with one class is fine (sklearn needs `labels=[0, 1]` then).
 * Throws for p outside [0, 1].
 */
export function logLoss(yTrue: BinaryLabels, probs: Scores): number {
  return probabilitySums('logLoss', yTrue, probs).logLoss;
}

/**
 * Brier score: mean((p − y)²), the mean squared error of the probability of class 1.
 * In [0, 1], lower is better; sklearn `brier_score_loss`. Throws for p outside [0, 1].
 */
export function brier(yTrue: BinaryLabels, probs: Scores): number {
  return probabilitySums('brier', yTrue, probs).brier;
}

/**
 * Expected calibration error: Σ_b (|B_b|/n)·|mean(y in B_b) − mean(p in B_b)| over 10
 * equal-width bins, bin b = [b/10, (b+1)/10) for b = 0..9, with p = 1 put in the last bin.
 * Empty bins contribute 0. In [0, 1]; not in sklearn. Throws for p outside [0, 1].
 */
export function ece(yTrue: BinaryLabels, probs: Scores): number {
  return eceOf(probabilitySums('ece', yTrue, probs));
}

/**
 * Reliability-diagram points over the {@link ece} bins: for each non-empty bin, the mean
 * predicted probability, the fraction of positives and the row count. Like sklearn
 * `calibration_curve(y, p, n_bins=10, strategy="uniform")`, except at exact bin edges: sklearn's
 * bins are (b/10, (b+1)/10] (p = 0 in the first), ours [b/10, (b+1)/10) (p = 1 in the last).
 * Throws for p outside [0, 1].
 */
export function calibrationCurve(yTrue: BinaryLabels, probs: Scores): CalibrationCurve {
  const s = probabilitySums('calibrationCurve', yTrue, probs);
  const curve: CalibrationCurve = { lower: [], upper: [], meanPredicted: [], fractionPositive: [], count: [] };
  for (let b = 0; b < CALIBRATION_BINS; b++) {
    const c = s.binCount[b];
    if (c === 0) continue;
    curve.lower.push(b / CALIBRATION_BINS);
    curve.upper.push((b + 1) / CALIBRATION_BINS);
    curve.meanPredicted.push(s.binSumP[b] / c);
    curve.fractionPositive.push(s.binSumY[b] / c);
    curve.count.push(c);
  }
  return curve;
}

// ---------------------------------------------------------------------------------------------
// Report

/**
 * All binary metrics at once: the label metrics from `yPred`, and, when `scores` (probabilities
 * of class 1) are given, rocAuc, averagePrecision, logLoss, brier and ece; without scores those
 * five are null. Same definitions and edge cases as the individual functions; the scores are
 * sorted once and scanned once. Throws (besides the usual input checks) for a score outside
 * [0, 1], since logLoss, brier and ece need probabilities.
 */
export function binaryClassificationReport(
  yTrue: BinaryLabels,
  yPred: BinaryLabels,
  scores?: Scores,
): BinaryClassificationReport {
  const metric = 'binaryClassificationReport';
  const confusion = countConfusion(metric, yTrue, yPred);
  const report: BinaryClassificationReport = {
    ...confusionMetricsOf(metric, confusion),
    rocAuc: null,
    averagePrecision: null,
    logLoss: null,
    brier: null,
    ece: null,
    confusion,
  };
  if (scores !== undefined) {
    const sums = probabilitySums(metric, yTrue, scores);
    const groups = rank(metric, yTrue, scores);
    report.rocAuc = aucFromGroups(groups);
    report.averagePrecision = averagePrecisionFromGroups(groups);
    report.logLoss = sums.logLoss;
    report.brier = sums.brier;
    report.ece = eceOf(sums);
  }
  return report;
}
