/**
 * Seeded train / validation / test splits and k-fold cross-validation.
 *
 * Stratified splits shuffle each class's rows with the seed, then cut each class at the same
 * fractions (rounded per class with largest-remainder so the totals match `round(n·fraction)`),
 * so every split keeps the class proportions of the whole. Regression splits (and
 * `stratify: false`) shuffle all rows once and cut.
 */
import { Rng } from '../util/random';

export interface Split {
  /** Positions into the labelled rows (0..n-1), each sorted ascending. */
  train: Int32Array;
  validation: Int32Array;
  test: Int32Array;
}

export interface SplitOptions {
  test: number;
  validation: number;
  seed: number;
  /** Class per row for stratification; undefined = plain shuffle. */
  strata?: ArrayLike<number>;
}

/** Split n rows into train/validation/test with the given fractions of the whole. */
export function trainValidationTestSplit(n: number, opts: SplitOptions): Split {
  if (!(opts.test >= 0 && opts.validation >= 0 && opts.test + opts.validation < 1)) {
    throw new Error(`split fractions must satisfy test + validation < 1 (got ${opts.test} + ${opts.validation})`);
  }
  const rng = new Rng(opts.seed);
  const groups = groupRows(n, opts.strata);
  const nTest = Math.round(n * opts.test);
  const nVal = Math.round(n * opts.validation);
  const testQuota = apportion(groups.map((g) => g.length), nTest);
  const valQuota = apportion(groups.map((g) => g.length), nVal);
  const train: number[] = [];
  const validation: number[] = [];
  const test: number[] = [];
  groups.forEach((g, gi) => {
    rng.shuffle(g);
    const t = testQuota[gi];
    const v = Math.min(valQuota[gi], g.length - t);
    for (let k = 0; k < g.length; k++) {
      if (k < t) test.push(g[k]);
      else if (k < t + v) validation.push(g[k]);
      else train.push(g[k]);
    }
  });
  return { train: sorted(train), validation: sorted(validation), test: sorted(test) };
}

/**
 * k folds over n rows (stratified when strata are given). Fold f's test positions are the
 * f-th share of each shuffled class; its training positions are all the others.
 */
export function kFold(n: number, k: number, seed: number, strata?: ArrayLike<number>): { train: Int32Array; test: Int32Array }[] {
  if (!Number.isInteger(k) || k < 2) throw new Error(`cross-validation needs k >= 2 (got ${k})`);
  if (k > n) throw new Error(`cross-validation with k = ${k} needs at least ${k} rows (got ${n})`);
  const rng = new Rng(seed);
  const foldOf = new Int32Array(n);
  // Deal each shuffled class round-robin into folds, continuing where the last class stopped,
  // so fold sizes differ by at most one.
  let next = 0;
  for (const g of groupRows(n, strata)) {
    rng.shuffle(g);
    for (const i of g) {
      foldOf[i] = next;
      next = (next + 1) % k;
    }
  }
  const folds: { train: Int32Array; test: Int32Array }[] = [];
  for (let f = 0; f < k; f++) {
    const tr: number[] = [];
    const te: number[] = [];
    for (let i = 0; i < n; i++) (foldOf[i] === f ? te : tr).push(i);
    folds.push({ train: Int32Array.from(tr), test: Int32Array.from(te) });
  }
  return folds;
}

function groupRows(n: number, strata?: ArrayLike<number>): number[][] {
  if (!strata) return [Array.from({ length: n }, (_, i) => i)];
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const c = strata[i];
    let g = byClass.get(c);
    if (!g) byClass.set(c, (g = []));
    g.push(i);
  }
  return [...byClass.keys()].sort((a, b) => a - b).map((c) => byClass.get(c)!);
}

/** Largest-remainder apportionment of `total` across groups proportionally to their sizes. */
function apportion(sizes: number[], total: number): number[] {
  const n = sizes.reduce((a, b) => a + b, 0);
  if (n === 0) return sizes.map(() => 0);
  const exact = sizes.map((s) => (s * total) / n);
  const out = exact.map(Math.floor);
  let left = total - out.reduce((a, b) => a + b, 0);
  const order = exact.map((e, i) => [e - Math.floor(e), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of order) {
    if (left <= 0) break;
    if (out[i] < sizes[i]) {
      out[i]++;
      left--;
    }
  }
  return out;
}

function sorted(a: number[]): Int32Array {
  return Int32Array.from(a).sort();
}
