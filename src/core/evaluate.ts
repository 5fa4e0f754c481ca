/**
 * Evaluation on the test split: turns model outputs into predictions and metrics.
 * Binary: ŷ = 1 when P(positive) ≥ threshold. Multiclass: ŷ = argmax. Regression: ŷ = output.
 */
import {
  binaryClassificationReport,
  calibrationCurve,
  prCurve,
  rocCurve,
  type CalibrationCurve,
  type ConfusionCounts,
  type PrCurve,
  type RocCurve,
} from './metrics/classification';
import { multiclassClassificationReport, type PerClassMetrics } from './metrics/multiclass';
import { mae, mse, r2, rmse } from './metrics/regression';
import { summarize } from './metrics/stats';
import type { Task } from './config/types';

export type MetricValues = Record<string, number | null>;

export interface Evaluation {
  task: Task;
  /** Scalar metrics by name (the CLI's `metrics`). */
  metrics: MetricValues;
  /** Binary only. */
  confusion?: ConfusionCounts;
  /** Multiclass only: rows = true class, columns = predicted class. */
  confusionMatrix?: number[][];
  perClass?: PerClassMetrics[];
  /** Binary only, thinned to at most 201 points each for plotting. */
  curves?: { roc: RocCurve | null; pr: PrCurve | null; calibration: CalibrationCurve };
}

export interface Predictions {
  /** 0/1, class index, or value. */
  yPred: Float64Array;
  /** Binary: P(positive). Multiclass: P(predicted class). Regression: absent. */
  scores?: Float64Array;
}

/** Predictions from raw model outputs (probabilities, or values for regression). */
export function toPredictions(task: Task, out: Float32Array, classes: number, threshold: number): Predictions {
  if (task === 'binary') {
    const scores = Float64Array.from(out);
    return { yPred: scores.map((p) => (p >= threshold ? 1 : 0)), scores };
  }
  if (task === 'multiclass') {
    const n = out.length / classes;
    const yPred = new Float64Array(n);
    const scores = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let best = 0;
      for (let c = 1; c < classes; c++) if (out[i * classes + c] > out[i * classes + best]) best = c;
      yPred[i] = best;
      scores[i] = out[i * classes + best];
    }
    return { yPred, scores };
  }
  return { yPred: Float64Array.from(out) };
}

/** Metrics of predictions against the true labels of the same rows. */
export function evaluate(task: Task, yTrue: Float64Array, out: Float32Array, classes: number, threshold: number): { evaluation: Evaluation; predictions: Predictions } {
  const predictions = toPredictions(task, out, classes, threshold);
  const { yPred, scores } = predictions;
  if (task === 'binary') {
    const r = binaryClassificationReport(yTrue, yPred, scores);
    const { confusion, ...metrics } = r;
    return {
      predictions,
      evaluation: {
        task,
        metrics,
        confusion,
        curves: { roc: thinRoc(rocCurve(yTrue, scores!)), pr: thinPr(prCurve(yTrue, scores!)), calibration: calibrationCurve(yTrue, scores!) },
      },
    };
  }
  if (task === 'multiclass') {
    const proba = new Float64Array(out);
    const r = multiclassClassificationReport(yTrue, yPred, proba.length === yTrue.length * classes ? rows(proba, classes) : undefined, { nClasses: classes });
    const { confusionMatrix, perClass, ...metrics } = r;
    return { predictions, evaluation: { task, metrics, confusionMatrix, perClass } };
  }
  return {
    predictions,
    evaluation: { task, metrics: { mse: mse(yTrue, yPred), rmse: rmse(yTrue, yPred), mae: mae(yTrue, yPred), r2: r2(yTrue, yPred) } },
  };
}

/** Mean ± sd (sample sd) of each metric over cross-validation folds; null values are skipped. */
export function summarizeFolds(folds: MetricValues[]): Record<string, { mean: number; sd: number | null; n: number }> {
  const out: Record<string, { mean: number; sd: number | null; n: number }> = {};
  for (const key of Object.keys(folds[0] ?? {})) {
    const vals = folds.map((f) => f[key]).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
    if (vals.length > 0) out[key] = summarize(vals);
  }
  return out;
}

function rows(flat: Float64Array, k: number): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < flat.length; i += k) out.push(Array.from(flat.subarray(i, i + k)));
  return out;
}

const MAX_POINTS = 201;

/** Evenly spaced indices including the first and last. */
function pick(n: number): number[] {
  if (n <= MAX_POINTS) return Array.from({ length: n }, (_, i) => i);
  return Array.from({ length: MAX_POINTS }, (_, i) => Math.round((i * (n - 1)) / (MAX_POINTS - 1)));
}

function thinRoc(c: RocCurve | null): RocCurve | null {
  if (!c) return null;
  const idx = pick(c.fpr.length);
  return { fpr: idx.map((i) => c.fpr[i]), tpr: idx.map((i) => c.tpr[i]), thresholds: idx.map((i) => c.thresholds[i]) };
}

function thinPr(c: PrCurve | null): PrCurve | null {
  if (!c) return null;
  const idx = pick(c.thresholds.length);
  return {
    precision: [...idx.map((i) => c.precision[i]), c.precision[c.precision.length - 1]],
    recall: [...idx.map((i) => c.recall[i]), c.recall[c.recall.length - 1]],
    thresholds: idx.map((i) => c.thresholds[i]),
  };
}
