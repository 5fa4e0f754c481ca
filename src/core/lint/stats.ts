/**
 * The statistics behind the data rules: column encodings (categories and quantile bins),
 * contingency tables, Cramér's V (plain and bias-corrected), ROC AUC, cross-fitted target
 * encoding and rank correlation. All deterministic; NaN never leaks out (undefined → null).
 */
import { Rng } from '../util/random';

/** A column as small integer codes: `codes[i]` in [0, labels.length), or -1 where missing. */
export interface Encoded {
  codes: Int32Array;
  labels: string[];
  /** True when the codes are quantile bins of a numeric column. */
  binned: boolean;
}

/**
 * Categories of a text column, in order of first appearance; beyond `maxCategories` the most
 * frequent `maxCategories - 1` are kept (ties by first appearance) and the rest are lumped into
 * one `(other)` code. Missing values (null) get -1.
 */
export function encodeCategories(values: readonly (string | null)[], maxCategories = 50): Encoded {
  const index = new Map<string, number>();
  const counts: number[] = [];
  const labels: string[] = [];
  const codes = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null) {
      codes[i] = -1;
      continue;
    }
    let c = index.get(v);
    if (c === undefined) {
      c = labels.length;
      index.set(v, c);
      labels.push(v);
      counts.push(0);
    }
    counts[c]++;
    codes[i] = c;
  }
  if (labels.length <= maxCategories) return { codes, labels, binned: false };
  const order = byCountDesc(counts);
  const remap = new Int32Array(labels.length).fill(maxCategories - 1);
  const kept: string[] = [];
  for (let r = 0; r < maxCategories - 1; r++) {
    remap[order[r]] = r;
    kept.push(labels[order[r]]);
  }
  for (let i = 0; i < codes.length; i++) if (codes[i] >= 0) codes[i] = remap[codes[i]];
  return { codes, labels: [...kept, '(other)'], binned: false };
}

/** Indices ordered by count, largest first, ties by index (one native sort of packed keys). */
function byCountDesc(counts: ArrayLike<number>): Int32Array {
  const k = counts.length;
  const span = 2 ** 22;
  const keys = new Float64Array(k);
  for (let i = 0; i < k; i++) keys[i] = counts[i] * span + (span - 1 - i);
  keys.sort();
  const order = new Int32Array(k);
  for (let r = 0; r < k; r++) order[r] = span - 1 - (keys[k - 1 - r] % span);
  return order;
}

/** An encoding with at most `maxCategories` codes: the most frequent kept, the rest lumped into `(other)` (see {@link encodeCategories}). */
export function capCategories(enc: Encoded, maxCategories: number): Encoded {
  const k = enc.labels.length;
  if (k <= maxCategories || enc.binned) return enc;
  const counts = new Float64Array(k);
  for (let i = 0; i < enc.codes.length; i++) if (enc.codes[i] >= 0) counts[enc.codes[i]]++;
  const order = byCountDesc(counts);
  const remap = new Int32Array(k).fill(maxCategories - 1);
  const kept: string[] = [];
  for (let r = 0; r < maxCategories - 1; r++) {
    remap[order[r]] = r;
    kept.push(enc.labels[order[r]]);
  }
  const codes = new Int32Array(enc.codes.length);
  for (let i = 0; i < codes.length; i++) codes[i] = enc.codes[i] < 0 ? -1 : remap[enc.codes[i]];
  return { codes, labels: [...kept, '(other)'], binned: false };
}

/**
 * Equal-frequency (quantile) bins of a numeric column: cut points at the i/bins quantiles of the
 * non-missing values (duplicates merged, so heavily tied columns get fewer bins); bin k holds
 * values in [cut[k-1], cut[k]). NaN gets -1. Labels read `[lo, hi)`.
 */
export function quantileBins(numbers: Float64Array, bins: number): Encoded {
  let m = 0;
  for (let i = 0; i < numbers.length; i++) if (numbers[i] === numbers[i]) m++;
  const sorted = new Float64Array(m);
  m = 0;
  for (let i = 0; i < numbers.length; i++) if (numbers[i] === numbers[i]) sorted[m++] = numbers[i];
  sorted.sort();
  const cuts: number[] = [];
  for (let k = 1; k < bins; k++) {
    if (sorted.length === 0) break;
    const q = sorted[Math.min(sorted.length - 1, Math.floor((k * sorted.length) / bins))];
    if (cuts.length === 0 || q > cuts[cuts.length - 1]) cuts.push(q);
  }
  // Drop a first cut equal to the minimum (an empty first bin).
  while (cuts.length > 0 && sorted.length > 0 && cuts[0] <= sorted[0]) cuts.shift();
  const codes = new Int32Array(numbers.length);
  for (let i = 0; i < numbers.length; i++) {
    const x = numbers[i];
    if (x !== x) {
      codes[i] = -1;
      continue;
    }
    let lo = 0;
    let hi = cuts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (x >= cuts[mid]) lo = mid + 1;
      else hi = mid;
    }
    codes[i] = lo;
  }
  const fmt = (x: number) => String(Number(x.toPrecision(4)));
  const labels: string[] = [];
  for (let k = 0; k <= cuts.length; k++) {
    const lo = k === 0 ? (sorted[0] ?? NaN) : cuts[k - 1];
    const hi = k === cuts.length ? (sorted[sorted.length - 1] ?? NaN) : cuts[k];
    labels.push(k === cuts.length ? `[${fmt(lo)}, ${fmt(hi)}]` : `[${fmt(lo)}, ${fmt(hi)})`);
  }
  return { codes, labels, binned: true };
}

/** A contingency table: `table[a][b]` counts rows with code a in the first column and b in the second; rows where either is -1 are left out. */
export function contingency(a: Int32Array, ka: number, b: Int32Array, kb: number): number[][] {
  const t: number[][] = Array.from({ length: ka }, () => new Array<number>(kb).fill(0));
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x >= 0 && y >= 0) t[x][y]++;
  }
  return t;
}

/** Cramér's V of a contingency table, with what it was computed from. */
export interface CramersV {
  /** The statistic in [0, 1]; null when undefined (fewer than two non-empty rows or columns). */
  v: number | null;
  /** Pearson's chi-squared statistic. */
  chi2: number;
  /** Rows counted. */
  n: number;
  /** Non-empty rows and columns of the table. */
  rows: number;
  cols: number;
}

/**
 * Cramér's V: the strength of association between two categorical variables, 0 (independent)
 * to 1 (one determines the other).
 *
 * - Plain: V = sqrt((χ²/n) / min(r − 1, c − 1)), χ² being Pearson's statistic over the table's
 *   non-empty rows and columns (r × c).
 * - Bias-corrected (Bergsma 2013, "A bias-correction for Cramér's V and Tschuprow's T", J. Korean
 *   Stat. Soc. 42): φ̃² = max(0, χ²/n − (c−1)(r−1)/(n−1)), r̃ = r − (r−1)²/(n−1),
 *   c̃ = c − (c−1)²/(n−1), Ṽ = sqrt(φ̃² / min(r̃ − 1, c̃ − 1)). Plain V is biased upwards, badly so
 *   for many categories and few rows (a near-unique column has V ≈ 1 with anything); the
 *   corrected one is not.
 *
 * Edge cases: v is null when fewer than two rows or columns are non-empty, or n < 2.
 */
export function cramersV(table: readonly (readonly number[])[], opts: { biasCorrected?: boolean } = {}): CramersV {
  const rowSums = table.map((r) => r.reduce((s, x) => s + x, 0));
  const cols = table[0]?.length ?? 0;
  const colSums = new Array<number>(cols).fill(0);
  for (const r of table) for (let j = 0; j < cols; j++) colSums[j] += r[j];
  const n = rowSums.reduce((s, x) => s + x, 0);
  const rowsIdx = rowSums.map((s, i) => (s > 0 ? i : -1)).filter((i) => i >= 0);
  const colsIdx = colSums.map((s, j) => (s > 0 ? j : -1)).filter((j) => j >= 0);
  const r = rowsIdx.length;
  const c = colsIdx.length;
  let chi2 = 0;
  for (const i of rowsIdx) {
    for (const j of colsIdx) {
      const e = (rowSums[i] * colSums[j]) / n;
      const d = table[i][j] - e;
      chi2 += (d * d) / e;
    }
  }
  if (r < 2 || c < 2 || n < 2) return { v: null, chi2, n, rows: r, cols: c };
  const phi2 = chi2 / n;
  if (opts.biasCorrected === false) {
    return { v: clamp01(Math.sqrt(phi2 / Math.min(r - 1, c - 1))), chi2, n, rows: r, cols: c };
  }
  const phi2c = Math.max(0, phi2 - ((c - 1) * (r - 1)) / (n - 1));
  const rc = r - ((r - 1) * (r - 1)) / (n - 1);
  const cc = c - ((c - 1) * (c - 1)) / (n - 1);
  const denom = Math.min(rc - 1, cc - 1);
  if (!(denom > 0)) return { v: null, chi2, n, rows: r, cols: c };
  return { v: clamp01(Math.sqrt(phi2c / denom)), chi2, n, rows: r, cols: c };
}

function clamp01(x: number): number {
  return x < 0 ? 0 : x > 1 ? 1 : x;
}

/**
 * ROC AUC of `scores` for binary `labels` (1 = positive): the probability that a random positive
 * scores above a random negative, ties counting one half (the Mann–Whitney U statistic divided
 * by n₊·n₋, which equals scikit-learn's roc_auc_score). Rows with a NaN score are skipped.
 * Returns null when either class is absent. O(n log n) with native typed-array sorts.
 */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number | null {
  let np = 0;
  let nn = 0;
  for (let i = 0; i < scores.length; i++) {
    if (scores[i] !== scores[i]) continue;
    if (labels[i] === 1) np++;
    else nn++;
  }
  if (np === 0 || nn === 0) return null;
  const pos = new Float64Array(np);
  const neg = new Float64Array(nn);
  np = 0;
  nn = 0;
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i];
    if (s !== s) continue;
    if (labels[i] === 1) pos[np++] = s;
    else neg[nn++] = s;
  }
  pos.sort();
  neg.sort();
  let below = 0; // negatives strictly below the current positive
  let atOrBelow = 0; // negatives at or below it
  let wins = 0;
  for (let i = 0; i < np; i++) {
    const p = pos[i];
    while (below < nn && neg[below] < p) below++;
    if (atOrBelow < below) atOrBelow = below;
    while (atOrBelow < nn && neg[atOrBelow] <= p) atOrBelow++;
    wins += below + 0.5 * (atOrBelow - below);
  }
  return wins / (np * nn);
}

/**
 * Two-fold cross-fitted target encoding: each row's score is the mean of `y` over the rows of the
 * OTHER fold with the same code (the overall mean of the other fold when its code is unseen there).
 * Cross-fitting keeps high-cardinality columns honest: an identifier scores ≈ the prior, not a
 * perfect fit. Missing codes (-1) form their own category, since missingness can predict too.
 * Folds are drawn with a seeded PRNG.
 */
export function crossFittedEncoding(codes: Int32Array, k: number, y: ArrayLike<number>, seed: number | Uint8Array): Float64Array {
  const n = codes.length;
  const fold = typeof seed === 'number' ? twoFolds(n, seed) : seed;
  const sums = [new Float64Array(k + 1), new Float64Array(k + 1)];
  const counts = [new Float64Array(k + 1), new Float64Array(k + 1)];
  const total = [0, 0];
  const totalN = [0, 0];
  for (let i = 0; i < n; i++) {
    const c = codes[i] < 0 ? k : codes[i];
    const f = fold[i];
    sums[f][c] += y[i];
    counts[f][c]++;
    total[f] += y[i];
    totalN[f]++;
  }
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const c = codes[i] < 0 ? k : codes[i];
    const o = 1 - fold[i];
    out[i] = counts[o][c] > 0 ? sums[o][c] / counts[o][c] : totalN[o] > 0 ? total[o] / totalN[o] : 0;
  }
  return out;
}

/** A seeded assignment of `n` rows to two folds (0 or 1), for {@link crossFittedEncoding}. */
export function twoFolds(n: number, seed: number): Uint8Array {
  const rng = new Rng(seed);
  const fold = new Uint8Array(n);
  for (let i = 0; i < n; i++) fold[i] = rng.next() < 0.5 ? 0 : 1;
  return fold;
}

/** Spearman's rank correlation of the rows where both are finite (average ranks for ties); null with fewer than 3 such rows or a constant column. */
export function spearman(x: ArrayLike<number>, y: ArrayLike<number>): number | null {
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i < x.length; i++) {
    if (Number.isFinite(x[i]) && Number.isFinite(y[i])) {
      xs.push(x[i]);
      ys.push(y[i]);
    }
  }
  if (xs.length < 3) return null;
  return pearson(ranks(xs), ranks(ys));
}

/** Pearson's correlation; null when either is constant or there are fewer than 3 values. */
export function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number | null {
  const n = x.length;
  if (n < 3) return null;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i];
    my += y[i];
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i] - mx;
    const dy = y[i] - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) return null;
  return sxy / Math.sqrt(sxx * syy);
}

/** Average ranks (1-based) of `xs`. */
export function ranks(xs: readonly number[]): Float64Array {
  const idx = xs.map((_, i) => i).sort((a, b) => xs[a] - xs[b]);
  const r = new Float64Array(xs.length);
  let i = 0;
  while (i < idx.length) {
    let j = i;
    while (j + 1 < idx.length && xs[idx[j + 1]] === xs[idx[i]]) j++;
    for (let k = i; k <= j; k++) r[idx[k]] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return r;
}

/** Format a share as a percentage with sensible precision (`6.2%`, `0.31%`, `100%`). */
export function percent(x: number): string {
  const p = x * 100;
  if (p === 0 || p === 100) return `${p}%`;
  if (p < 1) return `${Number(p.toPrecision(2))}%`;
  return `${p >= 99.95 ? p.toFixed(2) : p.toFixed(1)}%`;
}

/** A count with thousands separators (`10,000`). */
export function count(n: number): string {
  return n.toLocaleString('en-US');
}
