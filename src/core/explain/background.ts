/**
 * Background (reference) data for Kernel SHAP: the distribution that "absent" features are
 * drawn from. E_bg[f] is the weighted mean of the model over these rows.
 *
 * - `sample` (default): a seeded uniform sample of n rows (without replacement) of the pool,
 *   equal weights. Every feature, categorical ones included, keeps real, jointly observed values.
 * - `kmeans`: a weighted summary like `shap.kmeans`, adapted to mixed data. k-means (k-means++
 *   seeding, Lloyd iterations, seeded) runs on the NUMERIC features only, each standardised by
 *   its pool standard deviation, missing values at the model's imputed median; at most 10,000
 *   pool rows (a seeded sample) are clustered. Each cluster becomes one background row whose
 *   numeric values are the cluster means snapped to the nearest value observed in the pool (as
 *   shap.kmeans' `round_values`, so integer columns stay integers), whose CATEGORICAL values are
 *   those of an actual member row — the member nearest the centroid — never an average of codes,
 *   and whose weight is the cluster's share of the clustered rows. Without numeric features it
 *   falls back to `sample` and says so.
 */
import type { ModelAdapter } from './model';
import { cumulative, drawFrom, Rng, sampleRows } from './sampling';
import { sameValue, takeRows, type RawTable } from './table';

export interface Background {
  table: RawTable;
  /** Weights summing to 1, one per background row. */
  weights: Float64Array;
  method: 'sample' | 'kmeans';
  /** `sample`: the data rows used (0-based); `kmeans`: the member row that lent each cluster its categorical values. */
  rows: number[];
  note?: string;
}

/** A seeded sample of at most n of `pool`'s rows, equally weighted. */
export function sampleBackground(table: RawTable, pool: ArrayLike<number>, n: number, seed: number): Background {
  if (pool.length === 0) throw new Error('sampleBackground requires at least one pool row');
  const rows = sampleRows(pool, Math.max(1, Math.floor(n)), new Rng(seed));
  return { table: takeRows(table, rows), weights: new Float64Array(rows.length).fill(1 / rows.length), method: 'sample', rows: Array.from(rows) };
}

const MAX_KMEANS_ROWS = 10000;

/** A k-means summary of `pool` (see the module comment). */
export function kmeansBackground(model: ModelAdapter, table: RawTable, pool: ArrayLike<number>, k: number, seed: number): Background {
  const numeric = model.features.map((f, j) => (f.kind === 'numeric' ? j : -1)).filter((j) => j >= 0);
  if (numeric.length === 0) {
    return { ...sampleBackground(table, pool, k, seed), note: 'k-means needs numeric features; this model has none, so a seeded sample was used' };
  }
  const rng = new Rng(seed);
  const rows = pool.length > MAX_KMEANS_ROWS ? sampleRows(pool, MAX_KMEANS_ROWS, rng) : Int32Array.from(pool);
  const n = rows.length;
  const p = numeric.length;
  // Standardised numeric matrix (n × p), missing at the model's median.
  const z = new Float64Array(n * p);
  const center = new Float64Array(p);
  const scale = new Float64Array(p);
  numeric.forEach((j, q) => {
    const col = table.cols[j];
    const med = model.imputed(j);
    let s = 0;
    for (let i = 0; i < n; i++) s += Number.isNaN(col[rows[i]]) ? med : col[rows[i]];
    const mean = s / n;
    let ss = 0;
    for (let i = 0; i < n; i++) ss += ((Number.isNaN(col[rows[i]]) ? med : col[rows[i]]) - mean) ** 2;
    const sd = Math.sqrt(ss / n);
    center[q] = mean;
    scale[q] = sd > 0 ? sd : 1;
    for (let i = 0; i < n; i++) z[i * p + q] = ((Number.isNaN(col[rows[i]]) ? med : col[rows[i]]) - mean) / scale[q];
  });
  const kk = Math.max(1, Math.min(Math.floor(k), n));
  const centroids = kmeansPlusPlus(z, n, p, kk, rng);
  const assign = new Int32Array(n).fill(-1);
  for (let iter = 0; iter < 100; iter++) {
    let changed = 0;
    for (let i = 0; i < n; i++) {
      const c = nearest(z, i, centroids, kk, p);
      if (c !== assign[i]) {
        assign[i] = c;
        changed++;
      }
    }
    const sums = new Float64Array(kk * p);
    const counts = new Float64Array(kk);
    for (let i = 0; i < n; i++) {
      counts[assign[i]]++;
      for (let q = 0; q < p; q++) sums[assign[i] * p + q] += z[i * p + q];
    }
    for (let c = 0; c < kk; c++) if (counts[c] > 0) for (let q = 0; q < p; q++) centroids[c * p + q] = sums[c * p + q] / counts[c];
    if (changed === 0) break;
  }
  // One background row per non-empty cluster.
  const sortedByFeature = numeric.map((j) => Float64Array.from(rows, (r) => table.cols[j][r]).filter((v) => !Number.isNaN(v)).sort());
  const bgRows: number[] = [];
  const weights: number[] = [];
  const outCols: number[][] = table.cols.map(() => []);
  for (let c = 0; c < kk; c++) {
    let count = 0;
    let best = -1;
    let bestD = Infinity;
    for (let i = 0; i < n; i++) {
      if (assign[i] !== c) continue;
      count++;
      let d = 0;
      for (let q = 0; q < p; q++) d += (z[i * p + q] - centroids[c * p + q]) ** 2;
      if (d < bestD) {
        bestD = d;
        best = i;
      }
    }
    if (count === 0) continue;
    const medoid = rows[best];
    bgRows.push(medoid);
    weights.push(count / n);
    table.cols.forEach((col, j) => {
      const q = numeric.indexOf(j);
      if (q < 0) outCols[j].push(col[medoid]);
      else outCols[j].push(snap(sortedByFeature[q], centroids[c * p + q] * scale[q] + center[q]));
    });
  }
  return {
    table: { n: bgRows.length, cols: outCols.map((c) => Float64Array.from(c)) },
    weights: Float64Array.from(weights),
    method: 'kmeans',
    rows: bgRows,
  };
}

function kmeansPlusPlus(z: Float64Array, n: number, p: number, k: number, rng: Rng): Float64Array {
  const centroids = new Float64Array(k * p);
  const first = rng.int(n);
  for (let q = 0; q < p; q++) centroids[q] = z[first * p + q];
  const d2 = new Float64Array(n).fill(Infinity);
  for (let c = 1; c < k; c++) {
    let total = 0;
    for (let i = 0; i < n; i++) {
      let d = 0;
      for (let q = 0; q < p; q++) d += (z[i * p + q] - centroids[(c - 1) * p + q]) ** 2;
      if (d < d2[i]) d2[i] = d;
      total += d2[i];
    }
    const pick = total > 0 ? drawFrom(cumulative(d2), rng) : rng.int(n);
    for (let q = 0; q < p; q++) centroids[c * p + q] = z[pick * p + q];
  }
  return centroids;
}

function nearest(z: Float64Array, i: number, centroids: Float64Array, k: number, p: number): number {
  let best = 0;
  let bestD = Infinity;
  for (let c = 0; c < k; c++) {
    let d = 0;
    for (let q = 0; q < p; q++) d += (z[i * p + q] - centroids[c * p + q]) ** 2;
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best;
}

/** The value of an ascending array nearest to v (the lower one on a tie). */
function snap(sorted: Float64Array, v: number): number {
  if (sorted.length === 0) return v;
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  if (lo > 0 && Math.abs(sorted[lo - 1] - v) <= Math.abs(sorted[lo] - v)) return sorted[lo - 1];
  return sorted[lo];
}

/** Whether a feature's value in x differs from some background row (shap's "varying" features). */
export function varyingFeatures(x: ArrayLike<number>, bg: RawTable): boolean[] {
  return bg.cols.map((col, j) => {
    for (let b = 0; b < bg.n; b++) if (!sameValue(col[b], x[j])) return true;
    return false;
  });
}
