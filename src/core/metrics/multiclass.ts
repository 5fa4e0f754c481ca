/**
 * Multiclass classification metrics, matching scikit-learn 1.2.
 *
 * Inputs:
 * - `yTrue`, `yPred`: integer class labels 0..K−1 (`Uint8Array`, `Int32Array`, `number[]`, …).
 * - `proba`: an n×K matrix of class probabilities, either row-major in one `Float64Array`
 *   (entry (i, c) at `i·K + c`) or as `number[][]` / an array of typed rows. Column c is the
 *   probability of class c.
 *
 * K is the number of probability columns when a matrix is given; otherwise `nClasses` when
 * given, else (largest label seen) + 1.
 *
 * Every function throws on empty input ("multiclassAccuracy requires at least one row"), on a
 * length mismatch, on a label that is not an integer in [0, K), and on non-finite or
 * out-of-range probabilities. None returns NaN or ±Infinity; undefined values are `null`.
 */

import { aucFromGroups, rankGroups } from './ranking';
import { badProbability, requireRows, requireSameLength, type NumericArray } from './validate';
import { LOG_LOSS_EPS } from './classification';

/** Integer class labels 0..K−1, one per row. */
export type ClassLabels = NumericArray;

/** n×K probabilities: row-major `Float64Array`, or one row per sample. */
export type ProbabilityMatrix = Float64Array | ReadonlyArray<ArrayLike<number>>;

/** How the macro and weighted averages over classes are taken. */
export type ClassAverage = 'macro' | 'weighted';

/** One class's row of the classification report. */
export interface PerClassMetrics {
  /** The class label c. */
  label: number;
  /** TP_c / (TP_c + FP_c); 0 when class c is never predicted. */
  precision: number;
  /** TP_c / support_c; 0 when class c never occurs in yTrue. */
  recall: number;
  /** 2·P·R / (P + R); 0 when P + R = 0. */
  f1: number;
  /** Number of rows whose true label is c. */
  support: number;
}

/** Everything {@link multiclassClassificationReport} returns. */
export interface MulticlassClassificationReport {
  accuracy: number;
  balancedAccuracy: number;
  precisionMacro: number;
  recallMacro: number;
  f1Macro: number;
  precisionWeighted: number;
  recallWeighted: number;
  f1Weighted: number;
  /** Null without probabilities. */
  logLoss: number | null;
  /** One-vs-rest macro ROC AUC; null without probabilities or when undefined (see {@link multiclassRocAuc}). */
  rocAuc: number | null;
  /** K×K counts, rows = true class, columns = predicted class. */
  confusionMatrix: number[][];
  /** One entry per class 0..K−1. */
  perClass: PerClassMetrics[];
}

/** Options shared by the label-based multiclass metrics. */
export interface MulticlassOptions {
  /** K; labels must lie in [0, K). Default: the largest label in yTrue or yPred, plus 1. */
  nClasses?: number;
}

// ---------------------------------------------------------------------------------------------
// Internal helpers

function labelError(metric: string, arrayName: string, i: number, v: number, k: number | undefined): Error {
  const range = k === undefined ? 'a non-negative integer' : `an integer in [0, ${k - 1}]`;
  return new Error(`${metric} requires class labels to be ${range}; ${arrayName}[${i}] is ${v}`);
}

function checkNClasses(metric: string, k: number): void {
  if (!Number.isInteger(k) || k < 1) throw new Error(`${metric} requires nClasses to be a positive integer (got ${k})`);
}

/** Largest label in the arrays, validating that every label is a non-negative integer. */
function maxLabel(metric: string, arrays: Array<[NumericArray, string]>): number {
  let max = 0;
  for (const [a, name] of arrays) {
    for (let i = 0; i < a.length; i++) {
      const v = a[i];
      if (!Number.isInteger(v) || v < 0) throw labelError(metric, name, i, v, undefined);
      if (v > max) max = v;
    }
  }
  return max;
}

/** The K×K confusion counts, flat row-major (rows = true, columns = predicted). */
interface Counts {
  k: number;
  n: number;
  cells: Float64Array;
}

function countMatrix(metric: string, yTrue: ClassLabels, yPred: ClassLabels, nClasses: number | undefined): Counts {
  requireSameLength(metric, yTrue, 'yTrue', yPred, 'yPred');
  const n = yTrue.length;
  requireRows(metric, n);
  let k: number;
  if (nClasses === undefined) {
    k =
      maxLabel(metric, [
        [yTrue, 'yTrue'],
        [yPred, 'yPred'],
      ]) + 1;
  } else {
    checkNClasses(metric, nClasses);
    k = nClasses;
  }
  const cells = new Float64Array(k * k);
  for (let i = 0; i < n; i++) {
    const t = yTrue[i];
    const p = yPred[i];
    if (!(Number.isInteger(t) && t >= 0 && t < k)) throw labelError(metric, 'yTrue', i, t, k);
    if (!(Number.isInteger(p) && p >= 0 && p < k)) throw labelError(metric, 'yPred', i, p, k);
    cells[t * k + p]++;
  }
  return { k, n, cells };
}

interface ClassTotals {
  /** Row sums: rows whose true label is c. */
  support: Float64Array;
  /** Column sums: rows predicted as c. */
  predicted: Float64Array;
  /** Diagonal: rows correctly predicted as c. */
  correct: Float64Array;
}

function totals(c: Counts): ClassTotals {
  const { k, cells } = c;
  const support = new Float64Array(k);
  const predicted = new Float64Array(k);
  const correct = new Float64Array(k);
  for (let t = 0; t < k; t++) {
    for (let p = 0; p < k; p++) {
      const v = cells[t * k + p];
      support[t] += v;
      predicted[p] += v;
    }
    correct[t] = cells[t * k + t];
  }
  return { support, predicted, correct };
}

function perClassOf(t: ClassTotals): PerClassMetrics[] {
  const out: PerClassMetrics[] = [];
  for (let c = 0; c < t.support.length; c++) {
    const precision = t.predicted[c] === 0 ? 0 : t.correct[c] / t.predicted[c];
    const recall = t.support[c] === 0 ? 0 : t.correct[c] / t.support[c];
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    out.push({ label: c, precision, recall, f1, support: t.support[c] });
  }
  return out;
}

interface Averages {
  precision: number;
  recall: number;
  f1: number;
}

/**
 * Macro: unweighted mean over the classes present in yTrue or yPred (sklearn's default
 * `labels=None` takes exactly those). Weighted: mean weighted by support (classes with no
 * support weigh 0).
 */
function averagesOf(t: ClassTotals, per: PerClassMetrics[], average: ClassAverage): Averages {
  let wSum = 0;
  let p = 0;
  let r = 0;
  let f = 0;
  for (let c = 0; c < per.length; c++) {
    let w: number;
    if (average === 'macro') w = t.support[c] > 0 || t.predicted[c] > 0 ? 1 : 0;
    else w = t.support[c];
    if (w === 0) continue;
    wSum += w;
    p += w * per[c].precision;
    r += w * per[c].recall;
    f += w * per[c].f1;
  }
  // wSum ≥ 1: n ≥ 1 rows means at least one class has support.
  return { precision: p / wSum, recall: r / wSum, f1: f / wSum };
}

function balancedAccuracyOf(t: ClassTotals): number {
  let sum = 0;
  let m = 0;
  for (let c = 0; c < t.support.length; c++) {
    if (t.support[c] === 0) continue;
    sum += t.correct[c] / t.support[c];
    m++;
  }
  return sum / m;
}

function toMatrix(c: Counts): number[][] {
  const out: number[][] = [];
  for (let t = 0; t < c.k; t++) out.push(Array.from(c.cells.subarray(t * c.k, (t + 1) * c.k)));
  return out;
}

function checkAverage(metric: string, average: ClassAverage): void {
  if (average !== 'macro' && average !== 'weighted') {
    throw new Error(`${metric} requires average to be 'macro' or 'weighted' (got ${String(average)})`);
  }
}

/** Validated n×K probabilities as one row-major Float64Array. */
interface Proba {
  k: number;
  data: Float64Array;
}

function readProba(metric: string, proba: ProbabilityMatrix, n: number): Proba {
  let k: number;
  let data: Float64Array;
  if (proba instanceof Float64Array) {
    if (proba.length % n !== 0) {
      throw new Error(`${metric} requires a row-major proba of n×K values (got ${proba.length} values for ${n} rows)`);
    }
    k = proba.length / n;
    data = proba;
  } else {
    if (proba.length !== n) {
      throw new Error(`${metric} requires yTrue and proba of the same length (got ${n} and ${proba.length})`);
    }
    k = proba[0].length;
    data = new Float64Array(n * k);
    for (let i = 0; i < n; i++) {
      const row = proba[i];
      if (row.length !== k) throw new Error(`${metric} requires every proba row to have ${k} columns; row ${i} has ${row.length}`);
      for (let c = 0; c < k; c++) data[i * k + c] = row[c];
    }
  }
  if (k < 2) throw new Error(`${metric} requires at least two probability columns (got ${k})`);
  for (let j = 0; j < data.length; j++) {
    const v = data[j];
    if (!(v >= 0 && v <= 1)) throw badProbability(metric, `proba[row ${Math.floor(j / k)}]`, j % k, v);
  }
  return { k, data };
}

function checkLabels(metric: string, yTrue: ClassLabels, k: number): void {
  for (let i = 0; i < yTrue.length; i++) {
    const t = yTrue[i];
    if (!(Number.isInteger(t) && t >= 0 && t < k)) throw labelError(metric, 'yTrue', i, t, k);
  }
}

// ---------------------------------------------------------------------------------------------
// Label metrics

/**
 * The K×K confusion matrix C, C[t][p] = number of rows with true class t predicted as p
 * (rows = true, columns = predicted; sklearn `confusion_matrix(y, ŷ, labels=range(K))`).
 */
export function multiclassConfusionMatrix(yTrue: ClassLabels, yPred: ClassLabels, options: MulticlassOptions = {}): number[][] {
  return toMatrix(countMatrix('multiclassConfusionMatrix', yTrue, yPred, options.nClasses));
}

/** Accuracy: (1/n)·Σ [ŷ_i = y_i], the fraction of rows predicted correctly; sklearn `accuracy_score`. */
export function multiclassAccuracy(yTrue: ClassLabels, yPred: ClassLabels, options: MulticlassOptions = {}): number {
  const c = countMatrix('multiclassAccuracy', yTrue, yPred, options.nClasses);
  let trace = 0;
  for (let t = 0; t < c.k; t++) trace += c.cells[t * c.k + t];
  return trace / c.n;
}

/**
 * Balanced accuracy: the mean over classes of recall TP_c / support_c; sklearn
 * `balanced_accuracy_score`. Edge case: classes that never occur in yTrue are left out of the
 * mean (sklearn warns and drops them), so it is always defined.
 */
export function multiclassBalancedAccuracy(yTrue: ClassLabels, yPred: ClassLabels, options: MulticlassOptions = {}): number {
  return balancedAccuracyOf(totals(countMatrix('multiclassBalancedAccuracy', yTrue, yPred, options.nClasses)));
}

/**
 * Precision, recall, F1 and support of each class c = 0..K−1 (one-vs-rest):
 * P_c = TP_c/(TP_c+FP_c), R_c = TP_c/support_c, F1_c = 2·P_c·R_c/(P_c+R_c), each 0 when its
 * denominator is 0 (sklearn `precision_recall_fscore_support(average=None, zero_division=0)`).
 */
export function perClassMetrics(yTrue: ClassLabels, yPred: ClassLabels, options: MulticlassOptions = {}): PerClassMetrics[] {
  return perClassOf(totals(countMatrix('perClassMetrics', yTrue, yPred, options.nClasses)));
}

function averaged(metric: string, yTrue: ClassLabels, yPred: ClassLabels, average: ClassAverage, options: MulticlassOptions): Averages {
  checkAverage(metric, average);
  const t = totals(countMatrix(metric, yTrue, yPred, options.nClasses));
  return averagesOf(t, perClassOf(t), average);
}

/**
 * Averaged precision: macro = (1/|L|)·Σ_{c∈L} P_c over the classes L present in yTrue or yPred
 * (sklearn's default labels); weighted = Σ_c support_c·P_c / n. P_c is 0 for a class never
 * predicted (sklearn `precision_score(average=…, zero_division=0)`).
 */
export function multiclassPrecision(
  yTrue: ClassLabels,
  yPred: ClassLabels,
  average: ClassAverage,
  options: MulticlassOptions = {},
): number {
  return averaged('multiclassPrecision', yTrue, yPred, average, options).precision;
}

/**
 * Averaged recall: macro = (1/|L|)·Σ_{c∈L} R_c over the classes L present in yTrue or yPred;
 * weighted = Σ_c support_c·R_c / n (which equals accuracy). R_c is 0 for a class absent from
 * yTrue but predicted (sklearn `recall_score(average=…, zero_division=0)`).
 */
export function multiclassRecall(
  yTrue: ClassLabels,
  yPred: ClassLabels,
  average: ClassAverage,
  options: MulticlassOptions = {},
): number {
  return averaged('multiclassRecall', yTrue, yPred, average, options).recall;
}

/**
 * Averaged F1: macro = (1/|L|)·Σ_{c∈L} F1_c over the classes L present in yTrue or yPred;
 * weighted = Σ_c support_c·F1_c / n. It averages the per-class F1 (not the F1 of averaged P and
 * R); F1_c is 0 when P_c + R_c = 0 (sklearn `f1_score(average=…, zero_division=0)`).
 */
export function multiclassF1(yTrue: ClassLabels, yPred: ClassLabels, average: ClassAverage, options: MulticlassOptions = {}): number {
  return averaged('multiclassF1', yTrue, yPred, average, options).f1;
}

// ---------------------------------------------------------------------------------------------
// Probability metrics

function logLossOf(yTrue: ClassLabels, p: Proba): number {
  const { k, data } = p;
  const n = yTrue.length;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    let rowSum = 0;
    let clippedTrue = 0;
    const t = yTrue[i];
    for (let c = 0; c < k; c++) {
      const v = data[i * k + c];
      const vc = v < LOG_LOSS_EPS ? LOG_LOSS_EPS : v > 1 - LOG_LOSS_EPS ? 1 - LOG_LOSS_EPS : v;
      rowSum += vc;
      if (c === t) clippedTrue = vc;
    }
    sum -= Math.log(clippedTrue / rowSum);
  }
  return sum / n;
}

/**
 * Multiclass log loss (cross-entropy, nats): −(1/n)·Σ_i ln p̃_{i,y_i}, where each probability is
 * first clipped to [1e-15, 1 − 1e-15] and each row is then divided by its (clipped) sum — exactly
 * what sklearn 1.2 `log_loss(y, P, eps=1e-15, labels=range(K))` does. Rows need not sum to 1
 * (sklearn 1.2 renormalises silently). Same clipping as the binary {@link logLoss}; sklearn
 * 1.2's default `eps="auto"` (2.2e-16) differs only for entries below 1e-15 or above 1 − 1e-15.
 * Edge case: classes absent from yTrue are fine (sklearn needs `labels` then).
 */
export function multiclassLogLoss(yTrue: ClassLabels, proba: ProbabilityMatrix): number {
  const metric = 'multiclassLogLoss';
  requireRows(metric, yTrue.length);
  const p = readProba(metric, proba, yTrue.length);
  checkLabels(metric, yTrue, p.k);
  return logLossOf(yTrue, p);
}

/** numpy.allclose(1, s) with its default tolerances (rtol 1e-5, atol 1e-8). */
function closeToOne(s: number): boolean {
  return Math.abs(s - 1) <= 1e-8 + 1e-5 * Math.abs(s);
}

function rocAucOf(metric: string, yTrue: ClassLabels, p: Proba): number | null {
  const { k, data } = p;
  const n = yTrue.length;
  const support = new Float64Array(k);
  for (let i = 0; i < n; i++) support[yTrue[i]]++;
  const aucForColumn = (positive: number): number | null => {
    const pos = new Float64Array(support[positive]);
    const neg = new Float64Array(n - support[positive]);
    let a = 0;
    let b = 0;
    for (let i = 0; i < n; i++) {
      const s = data[i * k + positive];
      if (yTrue[i] === positive) pos[a++] = s;
      else neg[b++] = s;
    }
    return aucFromGroups(rankGroups(pos, neg));
  };
  // K = 2: sklearn treats y as binary and scores it with column 1 only.
  if (k === 2) return aucForColumn(1);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let c = 0; c < k; c++) s += data[i * k + c];
    if (!closeToOne(s)) {
      throw new Error(`${metric} requires each probability row to sum to 1 (one-vs-rest AUC); row ${i} sums to ${s}`);
    }
  }
  for (let c = 0; c < k; c++) if (support[c] === 0) return null;
  let sum = 0;
  for (let c = 0; c < k; c++) sum += aucForColumn(c) as number;
  return sum / k;
}

/**
 * One-vs-rest macro ROC AUC: (1/K)·Σ_c AUC(y = c vs y ≠ c, scored by column c), each AUC the
 * Mann–Whitney statistic with ties counted ½; sklearn
 * `roc_auc_score(y, P, multi_class="ovr", average="macro")`.
 * Edge cases: for K = 2 it is the binary AUC of column 1 (as sklearn); for K > 2 every row must
 * sum to 1 within numpy.allclose tolerance (else it throws, as sklearn does), and the result is
 * null when some class never occurs in yTrue (sklearn raises), or, for K = 2, when yTrue holds
 * one class only.
 */
export function multiclassRocAuc(yTrue: ClassLabels, proba: ProbabilityMatrix): number | null {
  const metric = 'multiclassRocAuc';
  requireRows(metric, yTrue.length);
  const p = readProba(metric, proba, yTrue.length);
  checkLabels(metric, yTrue, p.k);
  return rocAucOf(metric, yTrue, p);
}

// ---------------------------------------------------------------------------------------------
// Report

/**
 * All multiclass metrics at once (same definitions and edge cases as the individual functions).
 * With `proba`, K is its number of columns and logLoss / rocAuc are filled in; without it they
 * are null and K comes from `options.nClasses` or the labels.
 */
export function multiclassClassificationReport(
  yTrue: ClassLabels,
  yPred: ClassLabels,
  proba?: ProbabilityMatrix,
  options: MulticlassOptions = {},
): MulticlassClassificationReport {
  const metric = 'multiclassClassificationReport';
  requireSameLength(metric, yTrue, 'yTrue', yPred, 'yPred');
  requireRows(metric, yTrue.length);
  const p = proba === undefined ? undefined : readProba(metric, proba, yTrue.length);
  if (p !== undefined && options.nClasses !== undefined && options.nClasses !== p.k) {
    throw new Error(`${metric} requires nClasses (${options.nClasses}) to equal the number of probability columns (${p.k})`);
  }
  const counts = countMatrix(metric, yTrue, yPred, p?.k ?? options.nClasses);
  const t = totals(counts);
  const perClass = perClassOf(t);
  const macro = averagesOf(t, perClass, 'macro');
  const weighted = averagesOf(t, perClass, 'weighted');
  let trace = 0;
  for (let c = 0; c < counts.k; c++) trace += t.correct[c];
  return {
    accuracy: trace / counts.n,
    balancedAccuracy: balancedAccuracyOf(t),
    precisionMacro: macro.precision,
    recallMacro: macro.recall,
    f1Macro: macro.f1,
    precisionWeighted: weighted.precision,
    recallWeighted: weighted.recall,
    f1Weighted: weighted.f1,
    logLoss: p === undefined ? null : logLossOf(yTrue, p),
    rocAuc: p === undefined ? null : rocAucOf(metric, yTrue, p),
    confusionMatrix: toMatrix(counts),
    perClass,
  };
}
