/**
 * Feature preprocessing, fit on the training rows only and then applied unchanged to
 * validation, test and new data (no statistic ever looks at rows outside `fit`'s rows).
 *
 * - numeric columns: impute missing with the training median, then scale
 *   (standard: (x − mean)/sd with population sd, sd 0 → 1; minmax: (x − min)/(max − min), range 0 → 1; none);
 * - categorical and boolean columns: impute missing with the training mode (ties → first in sort order),
 *   then one-hot over the `maxCategories` most frequent training values (ties by value); every other
 *   value, including values never seen in training, goes to one "(other)" indicator, which exists
 *   only when the training data had more categories than the cap.
 *   Unseen values with no "(other)" bucket encode as all zeros.
 */
import type { TrainingConfig } from '../config/types';
import type { Dataset } from '../data/types';
import { RmlInputError } from '../errors';
import { headerLocation, valueLocation } from './locations';

export interface NumericStep {
  kind: 'numeric';
  column: string;
  median: number;
  center: number;
  scale: number;
}
export interface CategoricalStep {
  kind: 'categorical';
  column: string;
  mode: string;
  categories: string[];
  other: boolean;
}
export type FeatureStep = NumericStep | CategoricalStep;

/** A fitted preprocessor: plain JSON, saved beside the model. */
export interface Preprocessor {
  version: 1;
  steps: FeatureStep[];
  /** Output feature names, in matrix column order (e.g. `age`, `sex=Female`, `workclass=(other)`). */
  featureNames: string[];
}

/** Which columns are model inputs: `data.features`, else every column but target, ignore and sensitive. */
export function selectFeatures(config: TrainingConfig, ds: Dataset): string[] {
  const d = config.data;
  if (d.features) {
    d.features.forEach((f, i) => {
      if (!ds.byName.has(f)) {
        throw new RmlInputError(
          `unknown feature column '${f}'; the file has: ${ds.columns.map((c) => c.name).join(', ')}`,
          valueLocation(config, ['data', 'features', i]),
          `data.features[${i}]`,
        );
      }
    });
    return [...d.features];
  }
  const check = (list: string[], key: 'ignore' | 'sensitive') =>
    list.forEach((c, i) => {
      if (!ds.byName.has(c)) {
        throw new RmlInputError(
          `unknown column '${c}' in data.${key}; the file has: ${ds.columns.map((x) => x.name).join(', ')}`,
          valueLocation(config, ['data', key, i]),
          `data.${key}[${i}]`,
        );
      }
    });
  check(d.ignore, 'ignore');
  check(d.sensitive, 'sensitive');
  const excluded = new Set([d.target, ...d.ignore, ...d.sensitive]);
  const feats = ds.columns.map((c) => c.name).filter((n) => !excluded.has(n));
  if (feats.length === 0) {
    throw new RmlInputError('no feature columns left after removing the target, ignore and sensitive columns', valueLocation(config, ['data']), 'data.features');
  }
  return feats;
}

/** Fit the preprocessor on the given dataset rows (the training split). */
export function fitPreprocessor(
  ds: Dataset,
  features: string[],
  trainRows: ArrayLike<number>,
  opts: { scale: 'standard' | 'minmax' | 'none'; maxCategories: number },
): Preprocessor {
  const steps: FeatureStep[] = [];
  const names: string[] = [];
  for (const name of features) {
    const col = ds.byName.get(name)!;
    if (col.type === 'numeric') {
      const vals: number[] = [];
      for (let k = 0; k < trainRows.length; k++) {
        const v = col.numbers![trainRows[k]];
        if (!Number.isNaN(v)) vals.push(v);
      }
      if (vals.length === 0) {
        throw new RmlInputError(`column '${name}' has no values in the training split (all missing)`, headerLocation(ds, name), name);
      }
      vals.sort((a, b) => a - b);
      const median = vals.length % 2 ? vals[(vals.length - 1) / 2] : (vals[vals.length / 2 - 1] + vals[vals.length / 2]) / 2;
      // Statistics after imputation, as the model will see them.
      const missing = trainRows.length - vals.length;
      let center = 0;
      let scale = 1;
      if (opts.scale === 'standard') {
        let s = 0;
        for (const v of vals) s += v;
        s += missing * median;
        const mean = s / trainRows.length;
        let ss = 0;
        for (const v of vals) ss += (v - mean) ** 2;
        ss += missing * (median - mean) ** 2;
        const sd = Math.sqrt(ss / trainRows.length);
        center = mean;
        scale = sd > 0 ? sd : 1;
      } else if (opts.scale === 'minmax') {
        const lo = Math.min(vals[0], median);
        const hi = Math.max(vals[vals.length - 1], median);
        center = lo;
        scale = hi - lo > 0 ? hi - lo : 1;
      }
      steps.push({ kind: 'numeric', column: name, median, center, scale });
      names.push(name);
    } else {
      const counts = new Map<string, number>();
      for (let k = 0; k < trainRows.length; k++) {
        const v = col.values[trainRows[k]];
        if (v !== null) counts.set(v, (counts.get(v) ?? 0) + 1);
      }
      if (counts.size === 0) {
        throw new RmlInputError(`column '${name}' has no values in the training split (all missing)`, headerLocation(ds, name), name);
      }
      const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      const mode = ranked[0][0];
      const categories = ranked.slice(0, opts.maxCategories).map((e) => e[0]).sort();
      const other = ranked.length > opts.maxCategories;
      steps.push({ kind: 'categorical', column: name, mode, categories, other });
      for (const c of categories) names.push(`${name}=${c}`);
      if (other) names.push(`${name}=(other)`);
    }
  }
  return { version: 1, steps, featureNames: names };
}

/** Apply a fitted preprocessor to dataset rows → row-major Float32Array (rows × features). */
export function transform(pre: Preprocessor, ds: Dataset, rows: ArrayLike<number>): Float32Array {
  const d = pre.featureNames.length;
  const out = new Float32Array(rows.length * d);
  let offset = 0;
  for (const step of pre.steps) {
    const col = ds.byName.get(step.column);
    if (!col) throw new RmlInputError(`column '${step.column}' is missing from ${ds.file}`, { file: ds.file, line: 1, column: 1 }, step.column);
    if (step.kind === 'numeric') {
      const nums = col.numbers;
      for (let k = 0; k < rows.length; k++) {
        let v = nums ? nums[rows[k]] : Number(col.values[rows[k]] ?? NaN);
        if (Number.isNaN(v)) v = step.median;
        out[k * d + offset] = (v - step.center) / step.scale;
      }
      offset += 1;
    } else {
      const index = new Map(step.categories.map((c, i) => [c, i]));
      const width = step.categories.length + (step.other ? 1 : 0);
      for (let k = 0; k < rows.length; k++) {
        const v = col.values[rows[k]] ?? step.mode;
        const i = index.get(v);
        if (i !== undefined) out[k * d + offset + i] = 1;
        else if (step.other) out[k * d + offset + step.categories.length] = 1;
      }
      offset += width;
    }
  }
  return out;
}

/** Rows (of `rows`) with no missing value in any of the feature columns — for `preprocess.missing: drop`. */
export function completeRows(ds: Dataset, features: string[], rows: ArrayLike<number>): Int32Array {
  const cols = features.map((f) => ds.byName.get(f)!);
  const keep: number[] = [];
  for (let k = 0; k < rows.length; k++) {
    const r = rows[k];
    if (cols.every((c) => c.values[r] !== null)) keep.push(r);
  }
  return Int32Array.from(keep);
}

/**
 * Refuse a column that is numeric but for a few stray text values (e.g. "seventeen" in `age`):
 * silently one-hot encoding it would throw away the numbers. A column counts as "meant to be
 * numeric" when at least 90% of its non-missing values parse as numbers and it has more than
 * 10 distinct values. The error names the first offending value and its line.
 */
export function checkNumericColumns(ds: Dataset, features: string[]): void {
  for (const name of features) {
    const col = ds.byName.get(name);
    if (!col || col.type === 'numeric') continue;
    let present = 0;
    let numeric = 0;
    let firstBad = -1;
    const distinct = new Set<string>();
    for (let r = 0; r < ds.rowCount; r++) {
      const v = col.values[r];
      if (v === null) continue;
      present++;
      if (distinct.size <= 10) distinct.add(v);
      if (v.trim() !== '' && Number.isFinite(Number(v))) numeric++;
      else if (firstBad < 0) firstBad = r;
    }
    if (present > 0 && firstBad >= 0 && distinct.size > 10 && numeric / present >= 0.9) {
      const bad = present - numeric;
      throw new RmlInputError(
        `column '${name}' is numeric except for ${bad} value${bad === 1 ? '' : 's'}, e.g. '${col.values[firstBad]}' on line ${ds.rowLines[firstBad]}; fix the data, or add the token to data.missing`,
        { file: ds.file, line: ds.rowLines[firstBad], column: 1 },
        name,
      );
    }
  }
}
