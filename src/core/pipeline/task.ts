/**
 * Turn the target column into labels and decide the task (binary, multiclass or regression).
 *
 * Rules (stated once, here):
 * - `model.type: linear` → regression; the target must be numeric.
 * - `data.positive` given → binary: label 1 where the target's text equals `positive`, else 0.
 *   The value must occur in the column, and the column must have at least two classes.
 * - otherwise a numeric target with more than 20 distinct values, or any non-integer value, → regression
 *   (only `mlp` and `linear` can fit it);
 * - otherwise → multiclass over the sorted distinct values. Exactly two classes without `positive`
 *   is refused with a hint, because which class is "positive" changes every fairness number.
 * Rows whose target is missing are dropped (and counted).
 */
import type { TrainingConfig, Task } from '../config/types';
import type { Dataset } from '../data/types';
import { RmlInputError } from '../errors';
import { headerLocation, valueLocation } from './locations';

export interface LabelledData {
  task: Task;
  /** Class names (binary: [negative description, positive]; multiclass: sorted values). Empty for regression. */
  classes: string[];
  /** Row indices (into the dataset) that have a target value. */
  rows: Int32Array;
  /** Label per kept row: 0/1 (binary), class index (multiclass) or the value (regression). */
  y: Float64Array;
  /** Rows dropped because the target was missing. */
  droppedMissingTarget: number;
}

const MAX_CLASSES = 50;

export function labelTarget(config: TrainingConfig, ds: Dataset): LabelledData {
  const target = config.data.target;
  const col = ds.byName.get(target);
  if (!col) {
    throw new RmlInputError(
      `unknown target column '${target}'; the file has: ${ds.columns.map((c) => c.name).join(', ')}`,
      valueLocation(config, ['data', 'target']),
      'data.target',
    );
  }
  const keep: number[] = [];
  for (let i = 0; i < ds.rowCount; i++) if (col.values[i] !== null) keep.push(i);
  const rows = Int32Array.from(keep);
  const dropped = ds.rowCount - rows.length;
  if (rows.length === 0) {
    throw new RmlInputError(`target column '${target}' has no values (all ${ds.rowCount} are missing)`, headerLocation(ds, target), 'data.target');
  }
  const y = new Float64Array(rows.length);
  const isRegression =
    config.model.type === 'linear' ||
    (config.data.positive === undefined && col.type === 'numeric' && looksContinuous(col.numbers!, rows));

  if (isRegression) {
    if (col.type !== 'numeric') {
      throw new RmlInputError(`regression needs a numeric target, but '${target}' is ${col.type}`, valueLocation(config, ['data', 'target']), 'data.target');
    }
    if (config.model.type === 'logistic') {
      throw new RmlInputError(
        `target '${target}' is continuous (regression), but model.type is logistic; use linear or mlp, or set data.positive for a binary task`,
        valueLocation(config, ['model', 'type']) ?? valueLocation(config, ['data', 'target']),
        'model.type',
      );
    }
    for (let k = 0; k < rows.length; k++) y[k] = col.numbers![rows[k]];
    return { task: 'regression', classes: [], rows, y, droppedMissingTarget: dropped };
  }

  const counts = new Map<string, number>();
  for (let k = 0; k < rows.length; k++) {
    const v = col.values[rows[k]]!;
    counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  const distinct = [...counts.keys()].sort(compareLabels);
  if (distinct.length < 2) {
    throw new RmlInputError(
      `target '${target}' has a single class ('${distinct[0]}'); a classifier needs at least two`,
      headerLocation(ds, target),
      'data.target',
    );
  }

  if (config.data.positive !== undefined) {
    const pos = config.data.positive;
    if (!counts.has(pos)) {
      throw new RmlInputError(
        `positive value '${pos}' does not occur in target '${target}'; its values are: ${distinct.slice(0, 10).join(', ')}${distinct.length > 10 ? ', …' : ''}`,
        valueLocation(config, ['data', 'positive']),
        'data.positive',
      );
    }
    for (let k = 0; k < rows.length; k++) y[k] = col.values[rows[k]] === pos ? 1 : 0;
    const neg = distinct.filter((d) => d !== pos);
    return { task: 'binary', classes: [neg.length === 1 ? neg[0] : `not ${pos}`, pos], rows, y, droppedMissingTarget: dropped };
  }

  if (distinct.length === 2) {
    throw new RmlInputError(
      `target '${target}' has two classes (${distinct.join(', ')}); set data.positive to the favourable outcome, e.g. positive: "${distinct[1]}"`,
      valueLocation(config, ['data', 'target']),
      'data.positive',
    );
  }
  if (distinct.length > MAX_CLASSES) {
    throw new RmlInputError(
      `target '${target}' has ${distinct.length} classes (more than ${MAX_CLASSES}); is it an identifier or a continuous value?`,
      valueLocation(config, ['data', 'target']),
      'data.target',
    );
  }
  const index = new Map(distinct.map((d, i) => [d, i]));
  for (let k = 0; k < rows.length; k++) y[k] = index.get(col.values[rows[k]]!)!;
  return { task: 'multiclass', classes: distinct, rows, y, droppedMissingTarget: dropped };
}

/** Continuous: any non-integer value, or more than 20 distinct values. */
function looksContinuous(values: Float64Array, rows: Int32Array): boolean {
  const seen = new Set<number>();
  for (let k = 0; k < rows.length; k++) {
    const v = values[rows[k]];
    if (!Number.isInteger(v)) return true;
    seen.add(v);
    if (seen.size > 20) return true;
  }
  return false;
}

/** Numbers sort numerically, text lexically. */
function compareLabels(a: string, b: string): number {
  const x = Number(a);
  const y = Number(b);
  if (a.trim() !== '' && b.trim() !== '' && Number.isFinite(x) && Number.isFinite(y)) return x - y;
  return a < b ? -1 : a > b ? 1 : 0;
}
