/**
 * Partial dependence (Friedman 2001) and individual conditional expectation curves (Goldstein et
 * al. 2015) for one feature, as sklearn's `partial_dependence(kind='both', method='brute')`.
 *
 * For each grid value v, every row gets feature := v (the other features unchanged) and the model
 * is evaluated: ICE_i(v) is row i's output, PD(v) the mean over all rows.
 * Grid (numeric):
 * - `uniform` (default, sklearn's): when the feature has fewer distinct values than `points`,
 *   those values; else `points` equally spaced values between the 5th and 95th percentiles
 *   (scipy mquantiles, as sklearn). When those percentiles coincide (e.g. a mostly-zero column),
 *   sklearn refuses; we fall back to the equally spaced values between min and max, with a note.
 * - `quantile`: the distinct values among the quantiles at `points` equally spaced levels from
 *   5% to 95% (numpy.percentile).
 * Categorical: every category seen in the rows, most frequent first (at most `maxCategories`).
 * Centred (c-ICE): every curve minus its value at the first grid point, and PD likewise.
 * Missing values of the feature are not grid points.
 */
import type { ModelAdapter, OutputSpec } from './model';
import { plainFormatter, type ValueFormatter } from './display';
import { Rng, sampleRows } from './sampling';
import { mquantileSorted, quantileSorted, sortedFinite } from './stats';
import type { RawTable } from './table';
import type { ExplainedOutput, PartialDependence } from './types';

export interface PdpOptions {
  output: OutputSpec;
  describe: ExplainedOutput;
  /** Numeric grid points. Default 20. */
  points?: number;
  grid?: 'uniform' | 'quantile';
  /** Percentile range of the numeric grid. Default [0.05, 0.95]. */
  percentiles?: [number, number];
  /** ICE curves: a seeded sample of this many rows. Default 50. */
  ice?: number;
  centered?: boolean;
  seed?: number;
  /** Categorical grid: at most this many categories (the most frequent). Default 30. */
  maxCategories?: number;
  /** The explained row (raw values): its own curve is returned as `rowCurve`. */
  row?: ArrayLike<number>;
  formatter?: ValueFormatter;
  /** Data row index of each table row (for the ICE curves' `row`); default 0..n−1. */
  rowIds?: ArrayLike<number>;
}

/** PD and ICE of feature j over the rows of `table`. */
export function partialDependence(model: ModelAdapter, table: RawTable, j: number, opts: PdpOptions): PartialDependence {
  const f = model.features[j];
  if (!f) throw new Error(`partialDependence: no feature ${j}`);
  if (table.n === 0) throw new Error('partialDependence requires at least one row');
  const points = Math.floor(opts.points ?? 20);
  if (!(points >= 2)) throw new Error(`partialDependence: points must be at least 2 (got ${opts.points})`);
  const [p0, p1] = opts.percentiles ?? [0.05, 0.95];
  if (!(p0 >= 0 && p1 <= 1 && p0 < p1)) throw new Error(`partialDependence: percentiles must satisfy 0 ≤ low < high ≤ 1 (got ${p0}, ${p1})`);
  const fmt = opts.formatter ?? plainFormatter(model.features);
  const seed = opts.seed ?? 0;
  const col = table.cols[j];
  let grid: number[];
  let gridMethod: PartialDependence['gridMethod'];
  let note: string | undefined;
  if (f.kind === 'categorical') {
    const counts = new Map<number, number>();
    for (let i = 0; i < table.n; i++) if (!Number.isNaN(col[i])) counts.set(col[i], (counts.get(col[i]) ?? 0) + 1);
    const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]).map((e) => e[0]);
    const max = Math.floor(opts.maxCategories ?? 30);
    grid = ranked.slice(0, max);
    if (ranked.length > max) note = `${ranked.length - max} rarer categories not shown`;
    gridMethod = 'categories';
  } else {
    const sorted = sortedFinite(col);
    if (sorted.length === 0) throw new Error(`partialDependence: '${f.name}' has no values among the rows`);
    const distinct = [...new Set(sorted)];
    if (distinct.length < points) {
      grid = distinct;
      gridMethod = 'distinct';
    } else if (opts.grid === 'quantile') {
      grid = [...new Set(Array.from({ length: points }, (_, k) => quantileSorted(sorted, p0 + ((p1 - p0) * k) / (points - 1))))];
      gridMethod = 'quantile';
    } else {
      let lo = mquantileSorted(sorted, p0);
      let hi = mquantileSorted(sorted, p1);
      if (Math.abs(hi - lo) <= 1e-8 + 1e-5 * Math.abs(lo)) {
        note = `the ${p0 * 100}th and ${p1 * 100}th percentiles of '${f.name}' coincide (${fmt(j, lo).text}); the grid spans min to max instead`;
        lo = sorted[0];
        hi = sorted[sorted.length - 1];
      }
      grid = Array.from({ length: points }, (_, k) => lo + ((hi - lo) * k) / (points - 1));
      gridMethod = 'uniform';
    }
  }
  if (grid.length === 0) throw new Error(`partialDependence: '${f.name}' has no values among the rows`);
  const g = grid.length;
  // Evaluate every row at every grid point in one batch per grid point.
  const cols = table.cols.slice();
  const values = new Float64Array(g * table.n);
  const fixed = new Float64Array(table.n);
  grid.forEach((v, k) => {
    fixed.fill(v);
    cols[j] = fixed;
    values.set(model.predict({ n: table.n, cols }, opts.output), k * table.n);
  });
  const centered = opts.centered ?? false;
  const curve = (i: number) => {
    const c = Array.from({ length: g }, (_, k) => values[k * table.n + i]);
    return centered ? c.map((v) => v - c[0]) : c;
  };
  const average = Array.from({ length: g }, (_, k) => {
    let s = 0;
    for (let i = 0; i < table.n; i++) s += values[k * table.n + i];
    return s / table.n;
  });
  const avg = centered ? average.map((v) => v - average[0]) : average;
  const iceCount = Math.max(0, Math.floor(opts.ice ?? 50));
  const sample = sampleRows(Int32Array.from({ length: table.n }, (_, i) => i), iceCount, new Rng(seed));
  const ids = opts.rowIds;
  const ice = Array.from(sample, (i) => ({ row: ids ? ids[i] : i, values: curve(i) }));
  let rowCurve: number[] | undefined;
  if (opts.row) {
    const rowCols = Array.from(opts.row, (v, jj) => (jj === j ? Float64Array.from(grid) : new Float64Array(g).fill(v)));
    const rc = Array.from(model.predict({ n: g, cols: rowCols }, opts.output));
    rowCurve = centered ? rc.map((v) => v - rc[0]) : rc;
  }
  return {
    method: 'partial-dependence',
    feature: f.name,
    kind: f.kind,
    output: opts.describe,
    grid: grid.map((v) => fmt(j, v)),
    gridMethod,
    average: avg,
    ice,
    ...(rowCurve ? { rowCurve } : {}),
    centered,
    rows: table.n,
    seed,
    ...(note ? { note } : {}),
  };
}
