/**
 * Multiclass fairness as a one-vs-rest breakdown: for each class k, the binary audit of
 * "predicted k" against "truly k" (class k positive, every other class negative).
 */
import { auditColumn, type AuditOptions, type ColumnAudit } from './audit';
import type { GroupColumn } from './groups';

/**
 * The predictions of a K-class classifier, one entry per row.
 * - `yTrue`, `yPred`: integer class indices 0..K−1 (K = classNames.length ≥ 2); anything else throws.
 * - `scores`: optional, one array per class: `scores[k][i]` is row i's score for class k
 *   (used for the per-class one-vs-rest ROC AUC).
 */
export interface MulticlassData {
  yTrue: ArrayLike<number>;
  yPred: ArrayLike<number>;
  classNames: readonly string[];
  scores?: readonly Float64Array[];
}

/** One binary audit per class, keyed by class name in class order. */
export interface MulticlassAudit {
  classes: Record<string, ColumnAudit>;
}

/** 1 where `labels[i] === k`, else 0. */
export function oneVsRest(labels: ArrayLike<number>, k: number): Uint8Array {
  const out = new Uint8Array(labels.length);
  for (let i = 0; i < labels.length; i++) out[i] = labels[i] === k ? 1 : 0;
  return out;
}

function checkLabels(name: string, labels: ArrayLike<number>, K: number): void {
  for (let i = 0; i < labels.length; i++) {
    const v = labels[i];
    if (!Number.isInteger(v) || v < 0 || v >= K) {
      throw new Error(`row ${i}: ${name} must be a class index in 0..${K - 1} (got ${v})`);
    }
  }
}

/**
 * Runs {@link auditColumn} once per class, class k positive vs rest. Options apply to every class
 * (the bootstrap uses the same seed for each class).
 */
export function auditMulticlass(data: MulticlassData, column: GroupColumn, options: AuditOptions = {}): MulticlassAudit {
  const K = data.classNames.length;
  if (K < 2) throw new Error('auditMulticlass requires at least two classes');
  if (data.yPred.length !== data.yTrue.length) {
    throw new Error(`auditMulticlass: yPred has ${data.yPred.length} rows but yTrue has ${data.yTrue.length}`);
  }
  if (data.scores && data.scores.length !== K) {
    throw new Error(`auditMulticlass: scores has ${data.scores.length} arrays but there are ${K} classes`);
  }
  checkLabels('yTrue', data.yTrue, K);
  checkLabels('yPred', data.yPred, K);
  const classes = data.classNames.map((name, k): [string, ColumnAudit] => [
    name,
    auditColumn(
      { yTrue: oneVsRest(data.yTrue, k), yPred: oneVsRest(data.yPred, k), scores: data.scores?.[k] },
      column,
      options,
    ),
  ]);
  return { classes: Object.fromEntries(classes) };
}
