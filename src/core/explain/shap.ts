/**
 * Kernel SHAP (Lundberg & Lee 2017) for one row, following shap's `KernelExplainer` step by step.
 *
 * The game: v(S) = E_bg[f(x_S, b_S̄)], the model's mean output when the features in S take the
 * row's values and the others a background row's (interventional, features treated as
 * independent). φ solves the weighted least squares over coalitions S with the Shapley kernel
 * π(S) = (M − 1) / (C(M, |S|)·|S|·(M − |S|)), under the efficiency constraint
 * Σφ = f(x) − E_bg[f], which is eliminated exactly (the last feature's φ is the remainder), as
 * shap does. Only "varying" features — those whose value differs from some background row —
 * enter the regression; the others get exactly 0 (as shap).
 *
 * Coalitions (shap's scheme): with 'auto' = 2M + 2048 samples, capped at 2^M − 2, subset sizes are
 * enumerated completely from the smallest and largest inwards (size s paired with M − s) while
 * the remaining budget covers a size's expected share of the kernel weight; the rest of the budget
 * is drawn at random from the remaining sizes (in proportion to their kernel weight) with each
 * draw's complement added (paired / antithetic sampling), a repeated draw adding to its weight;
 * the random samples share the leftover kernel weight. When every size is enumerated the result is
 * exact: the Shapley values of v. Without the lasso feature selection shap may add when it
 * evaluates under 20% of the coalitions (`l1_reg='auto'`): every varying feature gets a value.
 */
import { weightedLeastSquares } from './linalg';
import type { ModelAdapter, OutputSpec } from './model';
import { varyingFeatures, type Background } from './background';
import { cumulative, drawFrom, Rng, sampleIndices } from './sampling';
import { repeatRow } from './table';

export interface KernelShapOptions {
  output: OutputSpec;
  /** Coalition samples; 'auto' (default) = 2M + 2048 for M varying features. */
  samples?: number | 'auto';
  seed?: number;
}

export interface KernelShapValues {
  phi: Float64Array;
  fx: number;
  expectedValue: number;
  exact: boolean;
  coalitions: number;
  samplesRequested: number;
  varying: boolean[];
  evaluations: number;
  solver: 'cholesky' | 'pseudo-inverse' | 'none';
}

/** Rows assembled per batch (coalitions × background rows). */
const ROWS_PER_BATCH = 16384;

/** Kernel SHAP values of row x (one raw value per feature) against a background. */
export function kernelShap(model: ModelAdapter, x: ArrayLike<number>, bg: Background, opts: KernelShapOptions): KernelShapValues {
  const mAll = model.features.length;
  if (x.length !== mAll) throw new Error(`kernelShap: the row has ${x.length} values for ${mAll} features`);
  if (bg.table.n === 0) throw new Error('kernelShap requires at least one background row');
  const seed = opts.seed ?? 0;
  const fx = model.predict(repeatRow(x, 1), opts.output)[0];
  const fBg = model.predict(bg.table, opts.output);
  let expectedValue = 0;
  for (let b = 0; b < bg.table.n; b++) expectedValue += bg.weights[b] * fBg[b];
  const varying = varyingFeatures(x, bg.table);
  const vIdx = varying.map((v, j) => (v ? j : -1)).filter((j) => j >= 0);
  const m = vIdx.length;
  const phi = new Float64Array(mAll);
  const base = { fx, expectedValue, varying, evaluations: bg.table.n + 1 };
  if (m === 0) return { ...base, phi, exact: true, coalitions: 0, samplesRequested: 0, solver: 'none' };
  if (m === 1) {
    phi[vIdx[0]] = fx - expectedValue;
    return { ...base, phi, exact: true, coalitions: 0, samplesRequested: 0, solver: 'none' };
  }
  let requested = opts.samples === undefined || opts.samples === 'auto' ? 2 * m + 2048 : Math.floor(opts.samples);
  if (!(requested >= 1)) throw new Error(`kernelShap: samples must be a positive integer or 'auto' (got ${opts.samples})`);
  if (m <= 30) requested = Math.min(requested, 2 ** m - 2);
  const plan = coalitionPlan(m, requested, new Rng(seed));
  const ey = coalitionValues(model, x, bg, vIdx, plan.masks, plan.count, opts.output);
  // Eliminate the last varying feature with the efficiency constraint, then weighted least squares.
  const total = fx - expectedValue;
  const s = plan.count;
  const p = m - 1;
  const design = new Float64Array(s * p);
  const target = new Float64Array(s);
  for (let r = 0; r < s; r++) {
    const last = plan.masks[r * m + m - 1];
    target[r] = ey[r] - expectedValue - last * total;
    for (let k = 0; k < p; k++) design[r * p + k] = plan.masks[r * m + k] - last;
  }
  const fit = weightedLeastSquares(design, s, p, target, plan.weights.subarray(0, s));
  let sum = 0;
  for (let k = 0; k < p; k++) {
    phi[vIdx[k]] = fit.coef[k];
    sum += fit.coef[k];
  }
  phi[vIdx[m - 1]] = total - sum;
  return {
    ...base,
    phi,
    exact: plan.exact,
    coalitions: s,
    samplesRequested: requested,
    evaluations: s * bg.table.n + bg.table.n + 1,
    solver: fit.method,
  };
}

interface CoalitionPlan {
  /** count × m, 0/1. */
  masks: Uint8Array;
  weights: Float64Array;
  count: number;
  exact: boolean;
}

function binomial(n: number, k: number): number {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return Math.round(r);
}

/** shap's KernelExplainer coalition sampling (see the module comment), for m ≥ 2 varying features. */
export function coalitionPlan(m: number, nsamples: number, rng: Rng): CoalitionPlan {
  const masks = new Uint8Array(nsamples * m);
  const weights = new Float64Array(nsamples);
  let added = 0;
  const add = (mask: Uint8Array, w: number) => {
    masks.set(mask, added * m);
    weights[added] = w;
    added++;
  };
  const numSubsetSizes = Math.ceil((m - 1) / 2);
  const numPairedSubsetSizes = Math.floor((m - 1) / 2);
  const weightVector = Array.from({ length: numSubsetSizes }, (_, i) => (m - 1) / ((i + 1) * (m - i - 1)));
  for (let i = 0; i < numPairedSubsetSizes; i++) weightVector[i] *= 2;
  const wSum = weightVector.reduce((a, b) => a + b, 0);
  for (let i = 0; i < numSubsetSizes; i++) weightVector[i] /= wSum;

  let numFullSubsets = 0;
  let samplesLeft = nsamples;
  const remaining = [...weightVector];
  const mask = new Uint8Array(m);
  for (let size = 1; size <= numSubsetSizes; size++) {
    let nsubsets = binomial(m, size);
    const paired = size <= numPairedSubsetSizes;
    if (paired) nsubsets *= 2;
    if ((samplesLeft * remaining[size - 1]) / nsubsets >= 1 - 1e-8) {
      numFullSubsets++;
      samplesLeft -= nsubsets;
      if (remaining[size - 1] < 1) {
        const f = 1 - remaining[size - 1];
        for (let i = 0; i < remaining.length; i++) remaining[i] /= f;
      }
      let w = weightVector[size - 1] / binomial(m, size);
      if (paired) w /= 2;
      forEachCombination(m, size, (inds) => {
        mask.fill(0);
        for (const i of inds) mask[i] = 1;
        add(mask, w);
        if (paired) {
          for (let i = 0; i < m; i++) mask[i] = 1 - mask[i];
          add(mask, w);
        }
      });
    } else {
      break;
    }
  }
  const fixed = added;
  samplesLeft = nsamples - added;
  const exact = numFullSubsets === numSubsetSizes;
  if (!exact && samplesLeft > 0) {
    const rest = weightVector.map((w, i) => (i < numPairedSubsetSizes ? w / 2 : w)).slice(numFullSubsets);
    const cdf = cumulative(rest);
    const used = new Map<string, number>();
    let draws = 0;
    while (samplesLeft > 0 && draws < 4 * (nsamples - fixed)) {
      draws++;
      mask.fill(0);
      const size = drawFrom(cdf, rng) + numFullSubsets + 1;
      for (const i of sampleIndices(m, size, rng)) mask[i] = 1;
      const key = mask.join('');
      const at = used.get(key);
      const isNew = at === undefined;
      if (isNew) {
        used.set(key, added);
        samplesLeft--;
        add(mask, 1);
      } else {
        weights[at] += 1;
      }
      if (samplesLeft > 0 && size <= numPairedSubsetSizes) {
        for (let i = 0; i < m; i++) mask[i] = 1 - mask[i];
        if (isNew) {
          samplesLeft--;
          add(mask, 1);
        } else {
          // The complement was added right after the original.
          weights[at + 1] += 1;
        }
      }
    }
    const weightLeft = weightVector.slice(numFullSubsets).reduce((a, b) => a + b, 0);
    let randomSum = 0;
    for (let i = fixed; i < added; i++) randomSum += weights[i];
    if (randomSum > 0) for (let i = fixed; i < added; i++) weights[i] *= weightLeft / randomSum;
  }
  return { masks: masks.subarray(0, added * m), weights: weights.subarray(0, added), count: added, exact };
}

/** Call fn with every k-subset of 0..n−1, in lexicographic order (the array is reused). */
function forEachCombination(n: number, k: number, fn: (inds: Int32Array) => void): void {
  const c = Int32Array.from({ length: k }, (_, i) => i);
  for (;;) {
    fn(c);
    let i = k - 1;
    while (i >= 0 && c[i] === n - k + i) i--;
    if (i < 0) return;
    c[i]++;
    for (let j = i + 1; j < k; j++) c[j] = c[j - 1] + 1;
  }
}

/**
 * v(S) for each coalition: the background-weighted mean output with the coalition's features set
 * to x's values. The first layer is additive over features, so each (coalition, background row)
 * pre-activation is assembled from precomputed per-feature contributions — base_b (every feature
 * from background row b) plus, for each feature in S whose value differs from b's, the difference
 * x's contribution − b's — and only the rest of the network runs per row. The same numbers as
 * model.predict on the assembled raw rows, at a fraction of the cost.
 */
function coalitionValues(model: ModelAdapter, x: ArrayLike<number>, bg: Background, vIdx: number[], masks: Uint8Array, count: number, output: OutputSpec): Float64Array {
  const nb = bg.table.n;
  const mAll = model.features.length;
  const m = vIdx.length;
  const h0 = model.firstWidth;
  const bias = model.firstBias();
  const cx = model.contributions(repeatRow(x, 1));
  const cb = model.contributions(bg.table);
  // base_b and the differences D[b, k] = c_x − c_b for the varying features (null when zero).
  const base = new Float64Array(nb * h0);
  const diff = new Float64Array(nb * m * h0);
  const nonzero = new Uint8Array(nb * m);
  for (let b = 0; b < nb; b++) {
    const o = b * h0;
    base.set(bias, o);
    for (let j = 0; j < mAll; j++) for (let u = 0; u < h0; u++) base[o + u] += cb[(b * mAll + j) * h0 + u];
    for (let k = 0; k < m; k++) {
      const j = vIdx[k];
      let any = 0;
      for (let u = 0; u < h0; u++) {
        const d = cx[j * h0 + u] - cb[(b * mAll + j) * h0 + u];
        diff[(b * m + k) * h0 + u] = d;
        if (d !== 0) any = 1;
      }
      nonzero[b * m + k] = any;
    }
  }
  const per = Math.max(1, Math.floor(ROWS_PER_BATCH / nb));
  const ey = new Float64Array(count);
  const h = new Float64Array(Math.min(per, count) * nb * h0);
  for (let start = 0; start < count; start += per) {
    const c = Math.min(per, count - start);
    for (let s = 0; s < c; s++) {
      const mask = (start + s) * m;
      for (let b = 0; b < nb; b++) {
        const o = (s * nb + b) * h0;
        h.set(base.subarray(b * h0, (b + 1) * h0), o);
        for (let k = 0; k < m; k++) {
          if (masks[mask + k] === 0 || nonzero[b * m + k] === 0) continue;
          const d = (b * m + k) * h0;
          for (let u = 0; u < h0; u++) h[o + u] += diff[d + u];
        }
      }
    }
    const rows = c * nb;
    const out = model.select(model.fromLogits(model.head(h.subarray(0, rows * h0), rows), rows, output.space), rows, output);
    for (let s = 0; s < c; s++) {
      let v = 0;
      for (let b = 0; b < nb; b++) v += bg.weights[b] * out[s * nb + b];
      ey[start + s] = v;
    }
  }
  return ey;
}

/**
 * Exact SHAP values of a linear model in margin space (log-odds, class logit or regression value)
 * with independent features: φ_j = Σ_{k ∈ encoded columns of j} w_k (x_k − E_bg[x_k]), where x_k
 * is the encoded (imputed, scaled, one-hot) input. Undefined for a model with hidden layers.
 */
export function linearShap(model: ModelAdapter, x: ArrayLike<number>, bg: Background, unit: number): Float64Array | undefined {
  const lw = model.linearWeights();
  if (!lw) return undefined;
  const k = model.outputs;
  const d = model.encodedWidth;
  const ex = model.encode(repeatRow(x, 1));
  const eb = model.encode(bg.table);
  const mean = new Float64Array(d);
  for (let b = 0; b < bg.table.n; b++) for (let c = 0; c < d; c++) mean[c] += bg.weights[b] * eb[b * d + c];
  return Float64Array.from(model.features, (_, j) => {
    let s = 0;
    for (const c of model.encodedColumns(j)) s += lw.w[c * k + unit] * (ex[c] - mean[c]);
    return s;
  });
}
