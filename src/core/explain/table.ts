/**
 * The explainers' view of the data: the model's RAW feature columns (before imputation, scaling
 * and one-hot encoding), one column per feature, so that a categorical column is always ONE
 * feature and is never treated as an ordinal code.
 *
 * Every column is a Float64Array:
 * - numeric feature: the value, NaN where missing;
 * - categorical feature: the index of the value in the feature's `levels` (a label, never used as
 *   a number: explainers only test codes for equality), NaN where missing.
 * Missing values stay missing here; the model adapter imputes them exactly as the run's
 * preprocessing does (training median / mode).
 */
import type { Dataset } from '../data/types';
import type { Preprocessor } from '../pipeline/preprocess';
import { formatNumber } from './stats';

export interface FeatureColumn {
  name: string;
  kind: 'numeric' | 'categorical';
  /** Categorical: the distinct values seen in the data, most frequent first (ties by value). */
  levels: string[];
  /** Numeric: every observed value is an integer (counterfactuals then propose integers). */
  integer: boolean;
}

/** Rows × features, column-major (see the module comment for the encoding). */
export interface RawTable {
  n: number;
  cols: Float64Array[];
}

/** The feature columns of a run's preprocessing, read from the data set (every row). */
export function tableFromDataset(ds: Dataset, pre: Preprocessor): { features: FeatureColumn[]; table: RawTable } {
  const features: FeatureColumn[] = [];
  const cols: Float64Array[] = [];
  for (const step of pre.steps) {
    const col = ds.byName.get(step.column);
    if (!col) throw new Error(`column '${step.column}' is missing from ${ds.file}`);
    const out = new Float64Array(ds.rowCount);
    if (step.kind === 'numeric') {
      let integer = true;
      for (let r = 0; r < ds.rowCount; r++) {
        // As transform() reads it: the parsed number, else Number(text); missing → NaN.
        const v = col.numbers ? col.numbers[r] : Number(col.values[r] ?? NaN);
        out[r] = v;
        if (!Number.isNaN(v) && !Number.isInteger(v)) integer = false;
      }
      features.push({ name: step.column, kind: 'numeric', levels: [], integer });
    } else {
      const counts = new Map<string, number>();
      for (let r = 0; r < ds.rowCount; r++) {
        const v = col.values[r];
        if (v !== null) counts.set(v, (counts.get(v) ?? 0) + 1);
      }
      const levels = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map((e) => e[0]);
      const index = new Map(levels.map((l, i) => [l, i]));
      for (let r = 0; r < ds.rowCount; r++) {
        const v = col.values[r];
        out[r] = v === null ? NaN : index.get(v)!;
      }
      features.push({ name: step.column, kind: 'categorical', levels, integer: false });
    }
    cols.push(out);
  }
  return { features, table: { n: ds.rowCount, cols } };
}

/** The rows `rows` of a table, in that order. */
export function takeRows(t: RawTable, rows: ArrayLike<number>): RawTable {
  return { n: rows.length, cols: t.cols.map((c) => Float64Array.from({ length: rows.length }, (_, k) => c[rows[k]])) };
}

/** One row's values (one per feature). */
export function rowValues(t: RawTable, i: number): Float64Array {
  return Float64Array.from(t.cols, (c) => c[i]);
}

/** A table of `n` copies of one row. */
export function repeatRow(x: ArrayLike<number>, n: number): RawTable {
  return { n, cols: Array.from(x, (v) => new Float64Array(n).fill(v)) };
}

/** A table from rows of values (each row one value per feature). */
export function tableFromRows(rows: ArrayLike<number>[], m: number): RawTable {
  const cols = Array.from({ length: m }, () => new Float64Array(rows.length));
  rows.forEach((r, i) => {
    for (let j = 0; j < m; j++) cols[j][i] = r[j];
  });
  return { n: rows.length, cols };
}

/** Two raw values are the same (NaN equals NaN: both missing). */
export function sameValue(a: number, b: number): boolean {
  return a === b || (Number.isNaN(a) && Number.isNaN(b));
}

/** A raw value as text: the category, the number, or "(missing)". Not masked: see ExplainFormatter. */
export function rawText(f: FeatureColumn, v: number): string {
  if (Number.isNaN(v)) return '(missing)';
  return f.kind === 'categorical' ? (f.levels[v] ?? '(unknown)') : formatNumber(v);
}
