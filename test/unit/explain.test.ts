/**
 * The explainers' mathematics on hand-built models (no training): the model adapter, Kernel SHAP
 * against brute-force Shapley values and exact linear SHAP, permutation importance, LIME, partial
 * dependence, counterfactuals and error slices.
 *
 * Reference values marked "sklearn/numpy/scipy" come from test/fixtures/explain/reference.py
 * (numpy 1.24, scipy 1.10, scikit-learn 1.2); the others are computed independently in the test
 * (brute-force Shapley sums, hand-derived linear SHAP, closed forms).
 */
import { strict as assert } from 'node:assert';
import type { Preprocessor, FeatureStep } from '../../src/core/pipeline/preprocess';
import { fitPreprocessor, transform } from '../../src/core/pipeline/preprocess';
import type { Weights } from '../../src/core/model/train';
import { predict } from '../../src/core/model/train';
import { loadBackend } from '../../src/core/model/backend';
import type { NetSpec } from '../../src/core/report/types';
import {
  ModelAdapter,
  coalitionPlan,
  counterfactual,
  errorSlices,
  kernelShap,
  kmeansBackground,
  lime,
  limeDistribution,
  limeWithStability,
  linearShap,
  partialDependence,
  permutationImportance,
  sampleBackground,
  tableFromDataset,
  type Background,
  type FeatureColumn,
  type RawTable,
} from '../../src/core/explain';
import { weightedLeastSquares, weightedRidge } from '../../src/core/explain/linalg';
import { erfc, madSorted, mquantileSorted, quantileSorted } from '../../src/core/explain/stats';
import { truncatedNormal } from '../../src/core/explain/sampling';
import { Rng } from '../../src/core/util/random';
import { makeDataset } from './helpers';

// ---------------------------------------------------------------------------------------------
// Builders

interface FeatureDef {
  name: string;
  /** Categorical: the levels (all encoded, no "(other)"). */
  levels?: string[];
  center?: number;
  scale?: number;
}

/** A model over raw features with seeded float32-exact weights (or the given first-layer kernel). */
function makeModel(defs: FeatureDef[], net: { task: NetSpec['task']; hidden?: number[]; activation?: NetSpec['activation']; outputs?: number; seed?: number; kernel?: number[]; bias?: number[] }): ModelAdapter {
  const steps: FeatureStep[] = [];
  const names: string[] = [];
  const features: FeatureColumn[] = [];
  for (const d of defs) {
    if (d.levels) {
      steps.push({ kind: 'categorical', column: d.name, mode: d.levels[0], categories: [...d.levels].sort(), other: false });
      for (const l of [...d.levels].sort()) names.push(`${d.name}=${l}`);
      features.push({ name: d.name, kind: 'categorical', levels: d.levels, integer: false });
    } else {
      steps.push({ kind: 'numeric', column: d.name, median: 0, center: d.center ?? 0, scale: d.scale ?? 1 });
      names.push(d.name);
      features.push({ name: d.name, kind: 'numeric', levels: [], integer: false });
    }
  }
  const pre: Preprocessor = { version: 1, steps, featureNames: names };
  const outputs = net.outputs ?? 1;
  const spec: NetSpec = { task: net.task, inputs: names.length, outputs, hidden: net.hidden ?? [], activation: net.activation ?? 'relu', dropout: 0 };
  const rng = new Rng(net.seed ?? 1);
  const sizes = [spec.inputs, ...spec.hidden, outputs];
  const tensors: Weights['tensors'] = [];
  for (let l = 0; l + 1 < sizes.length; l++) {
    const w = new Float32Array(sizes[l] * sizes[l + 1]).map(() => Math.fround(rng.normal() * 0.8));
    const b = new Float32Array(sizes[l + 1]).map(() => Math.fround(rng.normal() * 0.3));
    if (l === 0 && net.kernel) w.set(net.kernel);
    if (l === 0 && net.bias) b.set(net.bias);
    tensors.push({ shape: [sizes[l], sizes[l + 1]], values: w }, { shape: [sizes[l + 1]], values: b });
  }
  return new ModelAdapter(pre, { spec, tensors }, features);
}

/** A seeded random table for the model's features (categorical: uniform codes; numeric: normal around the scaler's centre, 2 decimals). */
function randomTable(model: ModelAdapter, n: number, seed: number, defs: FeatureDef[] = MIXED): RawTable {
  const rng = new Rng(seed);
  return {
    n,
    cols: model.features.map((f, j) =>
      Float64Array.from({ length: n }, () => (f.kind === 'categorical' ? rng.int(f.levels.length) : Math.round(((defs[j]?.center ?? 0) + (defs[j]?.scale ?? 1) * rng.normal()) * 100) / 100)),
    ),
  };
}

function uniformBackground(t: RawTable): Background {
  return { table: t, weights: new Float64Array(t.n).fill(1 / t.n), method: 'sample', rows: Array.from({ length: t.n }, (_, i) => i) };
}

/** Shapley values of v(S) = Σ_b w_b f(x_S, b_S̄) by the subset formula, evaluating every subset. */
function bruteForceShapley(model: ModelAdapter, x: Float64Array, bg: Background, space: 'probability' | 'margin' | 'value', unit = 0): Float64Array {
  const m = x.length;
  const v = new Float64Array(1 << m);
  for (let s = 0; s < 1 << m; s++) {
    const cols = model.features.map((_, j) => Float64Array.from({ length: bg.table.n }, (__, b) => ((s >> j) & 1 ? x[j] : bg.table.cols[j][b])));
    const out = model.predict({ n: bg.table.n, cols }, { space, unit });
    let e = 0;
    for (let b = 0; b < bg.table.n; b++) e += bg.weights[b] * out[b];
    v[s] = e;
  }
  const fact = (k: number): number => (k <= 1 ? 1 : k * fact(k - 1));
  const phi = new Float64Array(m);
  for (let j = 0; j < m; j++) {
    for (let s = 0; s < 1 << m; s++) {
      if ((s >> j) & 1) continue;
      let size = 0;
      for (let k = 0; k < m; k++) size += (s >> k) & 1;
      phi[j] += ((fact(size) * fact(m - size - 1)) / fact(m)) * (v[s | (1 << j)] - v[s]);
    }
  }
  return phi;
}

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  assert.equal(a.length, b.length);
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
};

const MIXED: FeatureDef[] = [
  { name: 'age', center: 40, scale: 12 },
  { name: 'colour', levels: ['red', 'green', 'blue'] },
  { name: 'hours', center: 38, scale: 9 },
  { name: 'city', levels: ['paris', 'rome', 'oslo', 'lima'] },
  { name: 'score' },
];

// ---------------------------------------------------------------------------------------------

describe('explain: numerical building blocks', () => {
  it('weightedRidge equals sklearn Ridge(alpha=1).fit(X, y, sample_weight=w), score included', () => {
    const x = Float64Array.from([1, 0, 1, 0, 1, 1, 1, 1, 0, 0, 0, 1, 1, 0, 0, 1, 1, 1, 0, 1, 0, 0, 0, 0]);
    const y = [0.9, 0.2, 0.5, 0.4, 0.7, 0.6, 0.1, 0.3];
    const w = [1.0, 0.5, 0.8, 0.3, 0.9, 1.0, 0.2, 0.6];
    const r = weightedRidge(x, 8, 3, y, w, 1);
    // sklearn (reference.py, "ridge").
    assert.ok(maxAbsDiff(r.coef, [0.22398520295940816, -0.12807438512297545, 0.0751149770045991]) < 1e-12);
    assert.ok(Math.abs(r.intercept - 0.4209658068386323) < 1e-12);
    assert.ok(Math.abs(r.score - 0.7662294627170548) < 1e-12);
  });

  it('weightedLeastSquares returns the minimum-norm solution on a rank-deficient design (as lstsq)', () => {
    // Two identical columns: any split of the coefficient fits; the minimum norm splits it evenly.
    const x = Float64Array.from([1, 1, 2, 2, 3, 3, 4, 4]);
    const r = weightedLeastSquares(x, 4, 2, [2, 4, 6, 8], [1, 1, 1, 1]);
    assert.equal(r.method, 'pseudo-inverse');
    assert.ok(maxAbsDiff(r.coef, [1, 1]) < 1e-10);
  });

  it('quantiles, MAD and erfc match numpy, scipy mquantiles and scipy.special.erfc', () => {
    const v = Float64Array.from([3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5]).sort();
    // numpy.percentile(v, [5, 25, 50, 75, 95]) (reference.py).
    assert.deepEqual([0.05, 0.25, 0.5, 0.75, 0.95].map((p) => quantileSorted(v, p)), [1.0, 2.5, 4.0, 5.0, 7.5]);
    // scipy.stats.mstats.mquantiles(v, prob=[0.05, 0.25, 0.5, 0.95]).
    assert.ok(maxAbsDiff([0.05, 0.25, 0.5, 0.95].map((p) => mquantileSorted(v, p)), [1.0, 2.2, 4.0, 9.0]) < 1e-12);
    assert.equal(madSorted(v), 1.0); // scipy.stats.median_abs_deviation
    const zs = [-3.0, -0.5, 0.0, 0.3, 1.0, 1.99, 2.0, 2.5, 4.0, 6.0, 10.0];
    const ref = [1.9999779095030015, 1.5204998778130465, 1.0, 0.6713732405408726, 0.15729920705028516, 0.004888586800383002, 0.004677734981047266, 0.00040695201744495886, 1.541725790028002e-8, 2.1519736712498913e-17, 2.0884875837625446e-45];
    zs.forEach((z, i) => assert.ok(Math.abs(erfc(z) - ref[i]) <= 1e-13 * ref[i], `erfc(${z}) = ${erfc(z)}, scipy ${ref[i]}`));
  });

  it('truncatedNormal stays in its interval and has the truncated mean (scipy truncnorm)', () => {
    const cases: [number, number, number][] = [
      [0, Infinity, 0.7978845608028654],
      [3, 5, 3.282694379942302],
      [-1, 0.5, -0.20663121806153306],
      [-7, -6, -6.157210903378302],
      [0.2, 0.3, 0.24979173827088275],
    ];
    const rng = new Rng(11);
    for (const [a, b, mean] of cases) {
      let s = 0;
      const n = 20000;
      for (let i = 0; i < n; i++) {
        const v = truncatedNormal(0, 1, a, b, rng);
        assert.ok(v >= a && v <= b, `${v} outside [${a}, ${b}]`);
        s += v;
      }
      // Standard error of the mean ≤ 1/√n ≈ 0.007; 0.03 is > 4 standard errors.
      assert.ok(Math.abs(s / n - mean) < 0.03, `[${a}, ${b}]: mean ${s / n}, scipy ${mean}`);
    }
  });
});

describe('explain: the model adapter', () => {
  it('encodes raw rows exactly as the pipeline transform() does, and predicts as tfjs does (to float32 precision)', async () => {
    const ds = makeDataset({
      age: ['25', '38', null, '52', '61', '33', '47', '29'],
      colour: ['red', 'blue', 'green', null, 'red', 'violet', 'blue', 'red'],
      hours: ['40', '50', '20', '45', null, '60', '38', '40'],
      y: ['0', '1', '0', '1', '1', '0', '1', '0'],
    });
    const pre = fitPreprocessor(ds, ['age', 'colour', 'hours'], [0, 1, 2, 3, 4, 6, 7], { scale: 'standard', maxCategories: 2 });
    const { features, table } = tableFromDataset(ds, pre);
    const b = await loadBackend('auto');
    for (const hidden of [[], [6, 4]]) {
      for (const activation of ['relu', 'tanh', 'sigmoid', 'elu'] as const) {
        const spec: NetSpec = { task: 'binary', inputs: pre.featureNames.length, outputs: 1, hidden, activation, dropout: 0 };
        const rng = new Rng(3);
        const sizes = [spec.inputs, ...hidden, 1];
        const tensors: Weights['tensors'] = [];
        for (let l = 0; l + 1 < sizes.length; l++) {
          tensors.push({ shape: [sizes[l], sizes[l + 1]], values: new Float32Array(sizes[l] * sizes[l + 1]).map(() => rng.normal()) }, { shape: [sizes[l + 1]], values: new Float32Array(sizes[l + 1]).map(() => rng.normal()) });
        }
        const model = new ModelAdapter(pre, { spec, tensors }, features);
        const rows = Array.from({ length: 8 }, (_, i) => i);
        const x = transform(pre, ds, rows);
        const enc = model.encode(table);
        // transform() rounds to float32; the adapter keeps float64.
        for (let i = 0; i < enc.length; i++) assert.ok(Math.abs(enc[i] - x[i]) < 1e-6, `encoded[${i}] ${enc[i]} vs ${x[i]}`);
        const tfOut = predict(b.tf, { spec, tensors }, x, 8);
        const mine = model.predict(table, { space: 'probability', unit: 0 });
        assert.ok(maxAbsDiff(mine, tfOut) < 1e-5, `${hidden.join('x')} ${activation}`);
      }
    }
  });
});

describe('explain: Kernel SHAP', () => {
  const x = Float64Array.from([55, 2, 20, 1, -1.5]);

  it('exact enumeration equals brute-force Shapley values on a non-linear MLP (probability space)', () => {
    const model = makeModel(MIXED, { task: 'binary', hidden: [7, 3], activation: 'tanh', seed: 5 });
    const bg = uniformBackground(randomTable(model, 23, 9));
    const r = kernelShap(model, x, bg, { output: { space: 'probability', unit: 0 } });
    assert.equal(r.exact, true);
    assert.equal(r.coalitions, 2 ** 5 - 2);
    const ref = bruteForceShapley(model, x, bg, 'probability');
    assert.ok(maxAbsDiff(r.phi, ref) < 1e-12, `max diff ${maxAbsDiff(r.phi, ref)}`);
    const sum = r.phi.reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(sum - (r.fx - r.expectedValue)) < 1e-14);
  });

  it('on a logistic model in margin space equals exact linear SHAP φ_j = Σ w_k (x_k − E[x_k]) to 1e-6 (exact enumeration)', () => {
    const model = makeModel(MIXED, { task: 'binary', seed: 8 });
    const bg = uniformBackground(randomTable(model, 40, 2));
    const r = kernelShap(model, x, bg, { output: { space: 'margin', unit: 0 } });
    assert.equal(r.exact, true);
    const exact = linearShap(model, x, bg, 0)!;
    // The closed form by hand for the numeric feature 'age' (center 40, scale 12, kernel row 0).
    const w = model.linearWeights()!.w;
    let meanAge = 0;
    for (let b = 0; b < bg.table.n; b++) meanAge += bg.table.cols[0][b] / bg.table.n;
    assert.ok(Math.abs(exact[0] - (w[0] * (x[0] - meanAge)) / 12) < 1e-12);
    assert.ok(maxAbsDiff(r.phi, exact) < 1e-6, `max diff ${maxAbsDiff(r.phi, exact)}`);
    assert.ok(maxAbsDiff(r.phi, exact) < 1e-10); // in fact to rounding
  });

  it('multiclass: explains the chosen class; its logit SHAP equals linear SHAP of that class', () => {
    const model = makeModel(MIXED, { task: 'multiclass', outputs: 3, seed: 4 });
    const bg = uniformBackground(randomTable(model, 30, 3));
    for (const unit of [0, 2]) {
      const r = kernelShap(model, x, bg, { output: { space: 'margin', unit } });
      assert.ok(maxAbsDiff(r.phi, linearShap(model, x, bg, unit)!) < 1e-10);
      const p = kernelShap(model, x, bg, { output: { space: 'probability', unit } });
      assert.ok(maxAbsDiff(p.phi, bruteForceShapley(model, x, bg, 'probability', unit)) < 1e-12);
    }
  });

  it('sampled (paired) Kernel SHAP keeps efficiency exactly, and recovers a linear game exactly', () => {
    const defs: FeatureDef[] = Array.from({ length: 14 }, (_, j) => (j % 3 === 1 ? { name: `c${j}`, levels: ['a', 'b', 'c'] } : { name: `n${j}`, center: 1, scale: 2 }));
    const linear = makeModel(defs, { task: 'binary', seed: 21 });
    const bg = uniformBackground(randomTable(linear, 50, 6, defs));
    const xs = randomTable(linear, 1, 77, defs).cols.map((c) => c[0]);
    const r = kernelShap(linear, xs, bg, { output: { space: 'margin', unit: 0 }, samples: 400, seed: 3 });
    assert.equal(r.exact, false);
    assert.equal(r.coalitions, 400);
    assert.equal(r.samplesRequested, 400);
    assert.ok(Math.abs(r.phi.reduce((a, b) => a + b, 0) - (r.fx - r.expectedValue)) < 1e-12);
    // A linear margin is an additive game: any full-rank set of coalitions recovers it.
    assert.ok(maxAbsDiff(r.phi, linearShap(linear, xs, bg, 0)!) < 1e-6);

    // Non-linear: efficiency still exact, and the estimate is close to the exact values.
    const mlp = makeModel(defs.slice(0, 10), { task: 'binary', hidden: [8], activation: 'relu', seed: 2 });
    const bg2 = uniformBackground(randomTable(mlp, 30, 8, defs));
    const x2 = xs.slice(0, 10);
    const exact = kernelShap(mlp, x2, bg2, { output: { space: 'probability', unit: 0 } });
    assert.equal(exact.exact, true);
    const sampled = kernelShap(mlp, x2, bg2, { output: { space: 'probability', unit: 0 }, samples: 300, seed: 1 });
    assert.equal(sampled.exact, false);
    assert.ok(Math.abs(sampled.phi.reduce((a, b) => a + b, 0) - (sampled.fx - sampled.expectedValue)) < 1e-12);
    const norm = Math.sqrt(exact.phi.reduce((a, b) => a + b * b, 0));
    const err = Math.sqrt(exact.phi.reduce((a, b, j) => a + (b - sampled.phi[j]) ** 2, 0));
    assert.ok(err < 0.1 * norm, `relative error ${err / norm}`);
    // Seeded: the same seed gives the same values.
    assert.deepEqual(Array.from(kernelShap(mlp, x2, bg2, { output: { space: 'probability', unit: 0 }, samples: 300, seed: 1 }).phi), Array.from(sampled.phi));
  });

  it("follows shap's coalition plan: full enumeration with Shapley-kernel weights, paired sampling otherwise", () => {
    const m = 4;
    const plan = coalitionPlan(m, 2 ** m - 2, new Rng(0));
    assert.equal(plan.exact, true);
    assert.equal(plan.count, 14);
    const binom = (n: number, k: number): number => (k === 0 ? 1 : (binom(n, k - 1) * (n - k + 1)) / k);
    const kernel = (s: number) => (m - 1) / (binom(m, s) * s * (m - s));
    let total = 0;
    for (let s = 1; s < m; s++) total += binom(m, s) * kernel(s);
    for (let i = 0; i < plan.count; i++) {
      const size = plan.masks.subarray(i * m, (i + 1) * m).reduce((a, b) => a + b, 0);
      assert.ok(Math.abs(plan.weights[i] - kernel(size) / total) < 1e-15);
    }
    const sampled = coalitionPlan(10, 100, new Rng(5));
    assert.equal(sampled.exact, false);
    assert.equal(sampled.count, 100);
    assert.ok(Math.abs(sampled.weights.reduce((a, b) => a + b, 0) - 1) < 1e-12);
    // Sizes 1 and 9 (20 coalitions) are enumerated first; random samples come with their complements.
    for (let i = 0; i < 20; i++) {
      const size = sampled.masks.subarray(i * 10, (i + 1) * 10).reduce((a, b) => a + b, 0);
      assert.ok(size === 1 || size === 9);
    }
    const keys = new Set(Array.from({ length: 100 }, (_, i) => sampled.masks.subarray(i * 10, (i + 1) * 10).join('')));
    assert.equal(keys.size, 100, 'coalitions are distinct');
  });

  it('gives exactly 0 to features that do not vary against the background, and handles one varying feature', () => {
    const model = makeModel(MIXED, { task: 'binary', hidden: [4], seed: 6 });
    const t = randomTable(model, 10, 4);
    t.cols[1].fill(2); // colour is always 'blue' in the background, as in x
    t.cols[4].fill(-1.5);
    const r = kernelShap(model, x, uniformBackground(t), { output: { space: 'probability', unit: 0 } });
    assert.equal(r.phi[1], 0);
    assert.equal(r.phi[4], 0);
    assert.deepEqual(r.varying, [true, false, true, true, false]);
    const one = randomTable(model, 5, 1);
    for (const j of [1, 2, 3, 4]) one.cols[j].fill(x[j]);
    const r1 = kernelShap(model, x, uniformBackground(one), { output: { space: 'probability', unit: 0 } });
    assert.equal(r1.phi[0], r1.fx - r1.expectedValue);
  });

  it('k-means backgrounds are weighted summaries whose categorical values come from real rows', () => {
    const model = makeModel(MIXED, { task: 'binary', hidden: [5], seed: 6 });
    const t = randomTable(model, 400, 12);
    const pool = Int32Array.from({ length: 400 }, (_, i) => i);
    const bg = kmeansBackground(model, t, pool, 10, 0);
    assert.equal(bg.method, 'kmeans');
    assert.equal(bg.table.n, 10);
    assert.ok(Math.abs(bg.weights.reduce((a, b) => a + b, 0) - 1) < 1e-12);
    for (let c = 0; c < bg.table.n; c++) {
      const row = bg.rows[c];
      assert.equal(bg.table.cols[1][c], t.cols[1][row]); // colour from the member row
      assert.equal(bg.table.cols[3][c], t.cols[3][row]); // city from the member row
      assert.ok(t.cols[0].includes(bg.table.cols[0][c]), 'numeric values are observed values');
    }
    const r = kernelShap(model, x, bg, { output: { space: 'probability', unit: 0 } });
    assert.ok(Math.abs(r.phi.reduce((a, b) => a + b, 0) - (r.fx - r.expectedValue)) < 1e-14);
    // The same seed, the same summary; a sample background is reproducible too.
    assert.deepEqual(kmeansBackground(model, t, pool, 10, 0).rows, bg.rows);
    assert.deepEqual(sampleBackground(t, pool, 50, 4).rows, sampleBackground(t, pool, 50, 4).rows);
  });
});

describe('explain: permutation importance', () => {
  it('gives exactly zero to features the model ignores, and reports mean ± population sd of the drops', () => {
    // Only 'age' has a non-zero kernel weight.
    const kernel = [1.5, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    const model = makeModel(MIXED, { task: 'binary', kernel, bias: [-1.2] });
    const t = randomTable(model, 300, 5);
    const p = model.predict(t, { space: 'probability', unit: 0 });
    const rng = new Rng(2);
    const y = Array.from(p, (v) => (rng.next() < v ? 1 : 0));
    const imp = permutationImportance(model, t, y, { repeats: 4, seed: 1 });
    assert.equal(imp.features[0].feature, 'age');
    assert.ok(imp.features[0].mean > 0.05);
    for (const f of imp.features.slice(1)) {
      assert.equal(f.mean, 0);
      assert.equal(f.sd, 0);
    }
    const a = imp.features[0];
    const mean = a.drops.reduce((s, v) => s + v, 0) / 4;
    assert.ok(Math.abs(a.mean - mean) < 1e-15);
    assert.ok(Math.abs(a.sd - Math.sqrt(a.drops.reduce((s, v) => s + (v - mean) ** 2, 0) / 4)) < 1e-15);
    assert.deepEqual(permutationImportance(model, t, y, { repeats: 4, seed: 1 }), imp);
    const auc = permutationImportance(model, t, y, { metric: 'rocAuc', repeats: 2 });
    assert.equal(auc.metric, 'rocAuc');
    assert.equal(auc.features[0].feature, 'age');
    assert.throws(() => permutationImportance(model, t, y, { metric: 'r2' }), /regression metric/);
  });

  it('uses R² for regression', () => {
    const model = makeModel(MIXED, { task: 'regression', kernel: [0, 0, 0, 0, 2, 0, 0, 0, 0, 0], bias: [1] });
    const t = randomTable(model, 200, 8);
    const y = Array.from(model.predict(t, { space: 'value', unit: 0 }));
    const imp = permutationImportance(model, t, y);
    assert.equal(imp.metric, 'r2');
    assert.equal(imp.baseline, 1);
    assert.equal(imp.features[0].feature, 'hours');
    assert.ok(imp.features[0].mean > 1, 'a shuffled sole predictor drives R² below 0');
  });
});

describe('explain: LIME', () => {
  const model = makeModel(MIXED, { task: 'binary', hidden: [6], activation: 'tanh', seed: 13 });
  const train = randomTable(model, 500, 21);
  const rows = Int32Array.from({ length: 500 }, (_, i) => i);
  const dist = limeDistribution(model, train, rows);
  const x = Float64Array.from([55, 2, 20, 1, -1.5]);
  const describe = { space: 'probability' as const, unit: 0, label: '1', description: 'P(y = 1)' };

  it('is deterministic for a seed and changes with the seed', () => {
    const a = lime(model, x, dist, { output: { space: 'probability', unit: 0 }, describe, samples: 2000, seed: 4 });
    const b = lime(model, x, dist, { output: { space: 'probability', unit: 0 }, describe, samples: 2000, seed: 4 });
    const c = lime(model, x, dist, { output: { space: 'probability', unit: 0 }, describe, samples: 2000, seed: 5 });
    assert.deepEqual(a, b);
    assert.notDeepEqual(a.weights, c.weights);
    assert.equal(a.weights.length, 5);
    assert.ok(Math.abs(a.kernelWidth - 0.75 * Math.sqrt(5)) < 1e-15);
    assert.ok(a.score > 0 && a.score <= 1);
    assert.ok(Math.abs(a.localPrediction - (a.intercept + a.weights.reduce((s, w) => s + w.weight, 0))) < 1e-12);
    assert.equal(a.modelPrediction, model.predict({ n: 1, cols: Array.from(x, (v) => Float64Array.of(v)) }, { space: 'probability', unit: 0 })[0]);
    // Quartile conditions for numbers, equality for categories (never an ordinal code).
    assert.match(a.weights[0].condition, /^age > |< age ≤ |^age ≤ /);
    assert.equal(a.weights[1].condition, 'colour = blue');
    assert.equal(a.weights[3].condition, 'city = rome');
  });

  it('reports stability over reruns: mean ± sd, min/max and top-k shares that sum to k', () => {
    const r = limeWithStability(model, x, dist, { output: { space: 'probability', unit: 0 }, describe, samples: 1000, seed: 7, runs: 6, topK: 2 });
    const st = r.stability!;
    assert.equal(st.runs, 6);
    assert.equal(st.topK, 2);
    assert.equal(st.features.length, 5);
    assert.ok(Math.abs(st.features.reduce((s, f) => s + f.topKShare, 0) - 2) < 1e-12);
    for (const f of st.features) {
      assert.ok(f.min <= f.mean && f.mean <= f.max);
      assert.ok(f.sd >= 0);
      assert.ok(f.topKShare >= 0 && f.topKShare <= 1);
    }
    assert.ok(st.meanTopKJaccard > 0 && st.meanTopKJaccard <= 1);
    // The first run is the plain run with the same seed.
    const first = lime(model, x, dist, { output: { space: 'probability', unit: 0 }, describe, samples: 1000, seed: 7 });
    assert.deepEqual(r.weights, first.weights);
  });

  it('attributes a model that depends on one feature to that feature', () => {
    const one = makeModel(MIXED, { task: 'binary', kernel: [0, 0, 0, 0, 3, 0, 0, 0, 0, 0], bias: [0] });
    const d = limeDistribution(one, train, rows);
    const r = lime(one, x, d, { output: { space: 'margin', unit: 0 }, describe, samples: 5000, seed: 1 });
    const w = r.weights.map((v) => Math.abs(v.weight));
    assert.ok(w[2] > 10 * Math.max(w[0], w[1], w[3], w[4]), JSON.stringify(r.weights));
  });
});

describe('explain: partial dependence and ICE', () => {
  it("equals sklearn's partial_dependence (brute, 20-point grid on the 5th–95th percentiles)", () => {
    const model = makeModel([{ name: 'a' }, { name: 'b' }], { task: 'binary', kernel: [0.75, -0.5], bias: [0.25] });
    const i = Array.from({ length: 40 }, (_, k) => k);
    const t: RawTable = { n: 40, cols: [Float64Array.from(i, (k) => ((k * 37) % 101) / 10), Float64Array.from(i, (k) => ((k * 53) % 97) / 7 - 3)] };
    const pd = partialDependence(model, t, 0, { output: { space: 'probability', unit: 0 }, describe: { space: 'probability', unit: 0, label: '1', description: '' } });
    // sklearn (reference.py, "pdp").
    const grid = [0.42300000000000004, 0.9047894736842106, 1.3865789473684211, 1.868368421052632, 2.3501578947368422, 2.831947368421053, 3.3137368421052638, 3.7955263157894743, 4.277315789473684, 4.759105263157895, 5.240894736842106, 5.7226842105263165, 6.2044736842105275, 6.686263157894738, 7.168052631578949, 7.649842105263159, 8.13163157894737, 8.61342105263158, 9.09521052631579, 9.577000000000002];
    const average = [0.3563502989121138, 0.4041799386603195, 0.4525861126143923, 0.5012545452393157, 0.5499247924621639, 0.5983098144863073, 0.6460297976853698, 0.6925800596833953, 0.7373379710128036, 0.779603053586416, 0.8186612902223607, 0.8538648894975467, 0.8847174737498179, 0.9109499687126164, 0.9325664790728894, 0.9498404390880826, 0.9632570321914015, 0.9734212454460665, 0.9809635418247759, 0.9864685882364153];
    assert.equal(pd.gridMethod, 'uniform');
    assert.ok(maxAbsDiff(pd.grid.map((g) => g.value as number), grid) < 1e-12);
    assert.ok(maxAbsDiff(pd.average, average) < 1e-12);
    assert.equal(pd.ice.length, 40);
  });

  it('is linear in the feature in margin space for a linear model, with slope w/scale; ICE and centring', () => {
    const model = makeModel(MIXED, { task: 'binary', seed: 3 });
    const t = randomTable(model, 120, 4);
    const pd = partialDependence(model, t, 0, { output: { space: 'margin', unit: 0 }, describe: { space: 'margin', unit: 0, label: '1', description: '' }, points: 15, ice: 10, seed: 2, row: [55, 2, 20, 1, -1.5] });
    const g = pd.grid.map((v) => v.value as number);
    const slope = model.linearWeights()!.w[0] / 12;
    for (let k = 1; k < g.length; k++) assert.ok(Math.abs((pd.average[k] - pd.average[k - 1]) / (g[k] - g[k - 1]) - slope) < 1e-9);
    assert.equal(pd.ice.length, 10);
    assert.equal(pd.rowCurve!.length, g.length);
    const c = partialDependence(model, t, 0, { output: { space: 'margin', unit: 0 }, describe: { space: 'margin', unit: 0, label: '1', description: '' }, points: 15, ice: 10, seed: 2, centered: true });
    assert.equal(c.average[0], 0);
    for (const curve of c.ice) assert.equal(curve.values[0], 0);
    // In margin space every ICE curve of a linear model is the PD curve shifted.
    for (const curve of c.ice) assert.ok(maxAbsDiff(curve.values, c.average) < 1e-9);
    // Categorical: one point per category seen, most frequent first.
    const cat = partialDependence(model, t, 3, { output: { space: 'probability', unit: 0 }, describe: { space: 'probability', unit: 0, label: '1', description: '' } });
    assert.equal(cat.gridMethod, 'categories');
    assert.deepEqual(cat.grid.map((v) => v.text).sort(), ['lima', 'oslo', 'paris', 'rome']);
  });
});

describe('explain: counterfactuals', () => {
  const model = makeModel(MIXED, { task: 'binary', hidden: [5], activation: 'tanh', seed: 17 });
  const ref = randomTable(model, 400, 30);
  const rows = Int32Array.from({ length: 400 }, (_, i) => i);
  const classes = ['no', 'yes'];
  const p = model.predict(ref, { space: 'probability', unit: 0 });

  it('flips the decision, never touches immutable features, and reports the new prediction', () => {
    let tried = 0;
    for (let i = 0; i < 40; i++) {
      const x = ref.cols.map((c) => c[i]);
      const desired = p[i] >= 0.5 ? 0 : 1;
      const r = counterfactual(model, x, { table: ref, rows }, { goal: { kind: 'binary', threshold: 0.5, desired, classes }, immutable: ['colour', 'age'] });
      if (!r.found) continue;
      tried++;
      const best = r.best!;
      assert.ok(best.changes.length >= 1 && best.changes.length <= 3);
      for (const ch of best.changes) assert.ok(!['colour', 'age'].includes(ch.feature), `changed immutable ${ch.feature}`);
      // Re-evaluate independently: apply the changes and predict.
      const y = [...x];
      for (const ch of best.changes) {
        const j = model.features.findIndex((f) => f.name === ch.feature);
        y[j] = model.features[j].kind === 'categorical' ? model.features[j].levels.indexOf(ch.to.value as string) : (ch.to.value as number);
      }
      const q = model.predict({ n: 1, cols: y.map((v) => Float64Array.of(v)) }, { space: 'probability', unit: 0 })[0];
      assert.equal(q >= 0.5 ? 1 : 0, desired, `row ${i}`);
      assert.ok(Math.abs(q - best.prediction) < 1e-15);
      assert.equal(best.decision, classes[desired]);
      assert.ok(Math.abs(best.distance - best.changes.reduce((s, c) => s + c.cost, 0)) < 1e-12);
      for (const a of r.alternatives) assert.ok(a.distance >= best.distance);
    }
    assert.ok(tried >= 20, `only ${tried} of 40 rows had a counterfactual`);
  });

  it('finds the decision boundary along a single numeric feature by line search', () => {
    // Margin = 2·(hours − 38)/9 − 1: positive once hours ≥ 42.5.
    const lin = makeModel(MIXED, { task: 'binary', kernel: [0, 0, 0, 0, 2, 0, 0, 0, 0, 0], bias: [-1] });
    const x = [40, 0, 30, 0, 0];
    const r = counterfactual(lin, x, { table: ref, rows }, { goal: { kind: 'binary', threshold: 0.5, desired: 1, classes } });
    assert.ok(r.found);
    assert.equal(r.best!.changes.length, 1);
    assert.equal(r.best!.changes[0].feature, 'hours');
    // Just past the boundary: within the 1e-6 safety margin in probability (dp/dhours = 1/18 there).
    const to = r.best!.changes[0].to.value as number;
    assert.ok(to > 42.5 && to - 42.5 < 1e-4, `hours → ${to}`);
    assert.ok(r.best!.prediction - 0.5 >= 1e-6 && r.best!.prediction - 0.5 < 2e-6);
  });

  it('says when nothing is found, and why', () => {
    const lin = makeModel(MIXED, { task: 'binary', kernel: [0, 0, 0, 0, 2, 0, 0, 0, 0, 0], bias: [-1] });
    const x = [40, 0, 30, 0, 0];
    const none = counterfactual(lin, x, { table: ref, rows }, { goal: { kind: 'binary', threshold: 0.5, desired: 1, classes }, immutable: ['hours'] });
    assert.equal(none.found, false);
    assert.equal(none.best, undefined);
    assert.match(none.reason!, /no counterfactual changing at most 3 features \(immutable: hours\)/);
    const budget = counterfactual(lin, x, { table: ref, rows }, { goal: { kind: 'binary', threshold: 0.5, desired: 1, classes }, immutable: ['hours'], budget: 50 });
    assert.equal(budget.found, false);
    assert.match(budget.reason!, /within the budget of 50 model evaluations/);
  });

  it('reaches a chosen class (multiclass) and crosses a target value (regression)', () => {
    const mc = makeModel(MIXED, { task: 'multiclass', outputs: 3, seed: 9 });
    const x = ref.cols.map((c) => c[0]);
    const probs = mc.outputsOf({ n: 1, cols: x.map((v) => Float64Array.of(v)) }, 'probability');
    const current = probs.indexOf(Math.max(...probs));
    const target = (current + 1) % 3;
    const r = counterfactual(mc, x, { table: ref, rows }, { goal: { kind: 'class', target, classes: ['a', 'b', 'c'] } });
    assert.ok(r.found);
    assert.equal(r.best!.decision, ['a', 'b', 'c'][target]);
    const reg = makeModel(MIXED, { task: 'regression', seed: 9 });
    const v = reg.predict({ n: 1, cols: x.map((w) => Float64Array.of(w)) }, { space: 'value', unit: 0 })[0];
    const rr = counterfactual(reg, x, { table: ref, rows }, { goal: { kind: 'regression', target: v + 1, direction: 'above' } });
    assert.ok(rr.found);
    assert.ok(rr.best!.prediction >= v + 1);
  });
});

describe('explain: error slices', () => {
  it('finds a planted weak slice (depth 2) with its size and error rate', () => {
    const n = 1000;
    const rng = new Rng(4);
    const features: FeatureColumn[] = [
      { name: 'colour', kind: 'categorical', levels: ['red', 'green', 'blue'], integer: false },
      { name: 'size', kind: 'numeric', levels: [], integer: false },
      { name: 'shape', kind: 'categorical', levels: ['round', 'square'], integer: false },
    ];
    const t: RawTable = { n, cols: [new Float64Array(n), new Float64Array(n), new Float64Array(n)] };
    for (let i = 0; i < n; i++) {
      t.cols[0][i] = i % 3;
      t.cols[1][i] = rng.next() * 100;
      t.cols[2][i] = rng.int(2);
    }
    // Errors: every other row in "colour = red and size > 75th percentile", 1 in 20 elsewhere.
    const q75 = quantileSorted(Float64Array.from(t.cols[1]).sort(), 0.75);
    let k = 0;
    const errors = Array.from({ length: n }, (_, i) => (t.cols[0][i] === 0 && t.cols[1][i] > q75 ? (k++ % 2 === 0 ? 1 : 0) : i % 20 === 0 ? 1 : 0));
    const s = errorSlices(features, t, errors, 'errorRate', { minSize: 30 });
    const top = s.slices[0];
    assert.equal(top.conditions.length, 2);
    assert.match(top.description, /^colour = red and size > /);
    const inSlice = Array.from({ length: n }, (_, i) => i).filter((i) => t.cols[0][i] === 0 && t.cols[1][i] > q75);
    assert.equal(top.size, inSlice.length);
    assert.equal(top.errors, inSlice.filter((i) => errors[i] === 1).length);
    assert.ok(Math.abs(top.value - top.errors! / top.size) < 1e-15);
    assert.ok(top.lower < top.value && top.value < top.upper);
    assert.ok(top.significant);
    assert.ok(s.slices.every((x) => x.size >= 30 && x.size < n));
    // Identical row sets are reported once: a copy of 'colour' adds no slices.
    const dup = errorSlices([...features, { ...features[0], name: 'colour2' }], { n, cols: [...t.cols, t.cols[0]] }, errors, 'errorRate', { top: 1000 });
    const all = errorSlices(features, t, errors, 'errorRate', { top: 1000 });
    assert.equal(dup.slices.length, all.slices.length);
  });

  it('uses the mean absolute error for regression', () => {
    const features: FeatureColumn[] = [{ name: 'g', kind: 'categorical', levels: ['a', 'b'], integer: false }];
    const t: RawTable = { n: 100, cols: [Float64Array.from({ length: 100 }, (_, i) => (i < 40 ? 0 : 1))] };
    const errs = Array.from({ length: 100 }, (_, i) => (i < 40 ? 3 : 1));
    const s = errorSlices(features, t, errs, 'meanAbsoluteError');
    assert.equal(s.metric, 'meanAbsoluteError');
    assert.equal(s.slices[0].description, 'g = a');
    assert.equal(s.slices[0].value, 3);
    assert.ok(Math.abs(s.overall - 1.8) < 1e-12);
  });
});
