/**
 * Summary statistics of a dataset, for the report's data section and the lint.
 * Pure and deterministic: the same dataset always gives the same profile.
 */
import type { Column, ColumnProfile, Dataset, DatasetProfile } from './types';

/** Options of `profileDataset`. */
export interface ProfileOptions {
  /** How many most-frequent values to list per column (default 5). */
  topK?: number;
  /** Histogram bins for numeric columns (default 10). */
  bins?: number;
}

/**
 * Profile every column of `ds` and count duplicate rows.
 *
 * Per column (`ColumnProfile`):
 * - `type`: the inferred column type, as read.
 * - `missing`: number of missing cells (values that matched a missing token).
 * - `distinct`: number of distinct non-missing values, compared as (trimmed) text, so `1` and
 *   `1.0` are two values.
 * - `top`: the `topK` most frequent non-missing values as text with their counts, most frequent
 *   first; ties are broken by value in code-unit order (`'A' < 'B' < 'a'`) for determinism.
 * - numeric columns only, over the non-missing values (absent when all are missing):
 *   - `min`, `max`: smallest and largest value;
 *   - `mean`: arithmetic mean;
 *   - `std`: population standard deviation, sqrt(Σ(x − mean)² / n) (divides by n, not n − 1);
 *   - `histogram`: `bins` equal-width bins spanning [min, max]; bin i covers
 *     [min + i·w, min + (i+1)·w) with w = (max − min) / bins, the last bin also includes max.
 *     When min = max every value falls in the first bin.
 *
 * `duplicateRows` counts rows that are exact copies (all columns, missing = missing) of an
 * earlier row, so three identical rows count as 2. Rows are hashed and hash collisions are
 * checked against the actual values, so the count is exact while memory stays at one map entry
 * per distinct row.
 */
export function profileDataset(ds: Dataset, opts: ProfileOptions = {}): DatasetProfile {
  const topK = Math.max(0, Math.floor(opts.topK ?? 5));
  const bins = Math.max(1, Math.floor(opts.bins ?? 10));
  return {
    file: ds.file,
    hash: ds.hash,
    rows: ds.rowCount,
    duplicateRows: countDuplicateRows(ds.columns, ds.rowCount),
    columns: ds.columns.map((c) => profileColumn(c, topK, bins)),
  };
}

/** Profile a single column (see `profileDataset` for the definition of each statistic). */
export function profileColumn(col: Column, topK = 5, bins = 10): ColumnProfile {
  const counts = new Map<string, number>();
  for (const v of col.values) {
    if (v === null) continue;
    counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  const top = [...counts]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, topK)
    .map(([value, count]) => ({ value, count }));
  const profile: ColumnProfile = { name: col.name, type: col.type, missing: col.missing, distinct: counts.size, top };
  if (col.type === 'numeric' && col.numbers) Object.assign(profile, numericStats(col.numbers, bins));
  return profile;
}

/**
 * min, max, mean, population std and an equal-width histogram of the non-NaN values of `xs`
 * (an empty object when there are none). See `profileDataset` for the definitions.
 */
export function numericStats(xs: Float64Array, bins = 10): Pick<ColumnProfile, 'min' | 'max' | 'mean' | 'std' | 'histogram'> {
  let n = 0;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i];
    if (x !== x) continue;
    n++;
    sum += x;
    if (x < min) min = x;
    if (x > max) max = x;
  }
  if (n === 0) return {};
  const mean = sum / n;
  // Second pass for the variance: numerically safer than Σx² − n·mean².
  let ss = 0;
  const counts = new Array<number>(bins).fill(0);
  const width = (max - min) / bins;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i];
    if (x !== x) continue;
    ss += (x - mean) * (x - mean);
    let b = width > 0 ? Math.floor((x - min) / width) : 0;
    if (b >= bins) b = bins - 1;
    counts[b]++;
  }
  return { min, max, mean, std: Math.sqrt(ss / n), histogram: { min, max, counts } };
}

/** Rows that repeat an earlier row exactly across `columns` (see `profileDataset`). */
export function countDuplicateRows(columns: readonly Column[], rowCount: number): number {
  // hash → first row with that hash, or all rows with it when distinct rows collide.
  const firstByHash = new Map<number, number | number[]>();
  let duplicates = 0;
  for (let r = 0; r < rowCount; r++) {
    const h = rowHash(columns, r);
    const prev = firstByHash.get(h);
    if (prev === undefined) {
      firstByHash.set(h, r);
    } else if (typeof prev === 'number') {
      if (sameRow(columns, prev, r)) duplicates++;
      else firstByHash.set(h, [prev, r]);
    } else if (prev.some((p) => sameRow(columns, p, r))) {
      duplicates++;
    } else {
      prev.push(r);
    }
  }
  return duplicates;
}

/** A 53-bit hash of row `r` (two 32-bit FNV-1a style hashes combined). */
function rowHash(columns: readonly Column[], r: number): number {
  let h1 = 0x811c9dc5;
  let h2 = 0x2545f491;
  for (const col of columns) {
    const v = col.values[r];
    if (v === null) {
      h1 = Math.imul(h1 ^ 0x1f, 0x01000193);
      h2 = Math.imul(h2 ^ 0x9e37, 0x5bd1e995);
    } else {
      for (let i = 0; i < v.length; i++) {
        const c = v.charCodeAt(i);
        h1 = Math.imul(h1 ^ c, 0x01000193);
        h2 = Math.imul(h2 ^ c, 0x5bd1e995);
      }
    }
    // Field separator, so that ('ab','c') and ('a','bc') differ.
    h1 = Math.imul(h1 ^ 0x1e, 0x01000193);
    h2 = Math.imul(h2 ^ (h2 >>> 15) ^ 0x1e, 0x5bd1e995);
  }
  return (h1 >>> 0) * 0x200000 + ((h2 >>> 0) & 0x1fffff);
}

function sameRow(columns: readonly Column[], a: number, b: number): boolean {
  for (const col of columns) if (col.values[a] !== col.values[b]) return false;
  return true;
}
