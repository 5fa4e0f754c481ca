/**
 * LIME for tabular data (Ribeiro et al. 2016), as `lime.lime_tabular.LimeTabularExplainer` with its
 * defaults (discretize_continuous=True, discretizer='quartile', kernel_width = 0.75·√M,
 * Ridge(alpha=1), num_samples=5000), with every feature in the surrogate (lime's num_features = M).
 *
 * 1. Training distribution (from the reference rows, i.e. the run's train + validation rows),
 *    after the model's own imputation (missing → training median / mode; a missing value of the
 *    explained row is placed where the model puts it, and its condition says so):
 *    - numeric: quartile bins with the unique edges of numpy.percentile(v, [25, 50, 75]); bin b is
 *      (q_{b−1}, q_b] (searchsorted), each with its frequency, mean, sd (+1e-11, as lime), min, max;
 *    - categorical: each category with its frequency. Never ordinal codes.
 * 2. Perturbations: sample 0 is the row itself; for every other sample and feature, a bin or a
 *    category is drawn by training frequency; a numeric value is then drawn from the bin's
 *    normal(mean, sd) truncated to [min, max] (lime's "undiscretize").
 * 3. Interpretable representation: z_j = 1 when the sample's bin/category equals the row's.
 * 4. Weights: π = √(exp(−d²/width²)) with d the Euclidean distance between z and the row's all-ones
 *    vector, i.e. d² = the number of features whose bin/category differs. (lime additionally
 *    divides each indicator by the standard deviation of the discretised training column — bin
 *    indices and category codes — which depends on arbitrary codes; we use the plain indicators.)
 * 5. Surrogate: weighted ridge (α = 1, intercept unpenalised) of f(sample) on z; `score` is its
 *    weighted R², `localPrediction` its value at the row (intercept + Σ weights).
 */
import { weightedRidge } from './linalg';
import type { ModelAdapter, OutputSpec } from './model';
import { cumulative, drawFrom, Rng, truncatedNormal } from './sampling';
import { quantileSorted } from './stats';
import type { RawTable } from './table';
import { plainFormatter, type ValueFormatter } from './display';
import type { ExplainedOutput, LimeResult, LimeStability } from './types';

type FeatureDistribution =
  | { kind: 'numeric'; edges: number[]; cdf: Float64Array; bins: number[]; means: number[]; sds: number[]; mins: number[]; maxs: number[]; imputed: number }
  | { kind: 'categorical'; cdf: Float64Array; codes: number[]; imputed: number };

/** The training distribution LIME samples from (step 1 of the module comment). */
export interface LimeDistribution {
  features: FeatureDistribution[];
  rows: number;
}

/** Fit the per-feature training distribution on `rows` of `table`. */
export function limeDistribution(model: ModelAdapter, table: RawTable, rows: ArrayLike<number>): LimeDistribution {
  if (rows.length === 0) throw new Error('limeDistribution requires at least one reference row');
  const features = model.features.map((f, j): FeatureDistribution => {
    const col = table.cols[j];
    const imputed = model.imputed(j);
    const vals = Float64Array.from(rows, (r) => (Number.isNaN(col[r]) ? imputed : col[r]));
    if (f.kind === 'numeric') {
      const sorted = Float64Array.from(vals).sort();
      const edges = [...new Set([0.25, 0.5, 0.75].map((p) => quantileSorted(sorted, p)))].sort((a, b) => a - b);
      const nb = edges.length + 1;
      const count = new Float64Array(nb);
      const sum = new Float64Array(nb);
      const lists: number[][] = Array.from({ length: nb }, () => []);
      for (const v of vals) {
        const b = binOf(edges, v);
        count[b]++;
        sum[b] += v;
        lists[b].push(v);
      }
      const means: number[] = [];
      const sds: number[] = [];
      for (let b = 0; b < nb; b++) {
        const mean = count[b] > 0 ? sum[b] / count[b] : 0;
        let ss = 0;
        for (const v of lists[b]) ss += (v - mean) ** 2;
        means.push(mean);
        sds.push((count[b] > 0 ? Math.sqrt(ss / count[b]) : 0) + 1e-11);
      }
      const present = [...count.keys()].filter((b) => count[b] > 0);
      return {
        kind: 'numeric',
        edges,
        bins: present,
        cdf: cumulative(present.map((b) => count[b])),
        means,
        sds,
        mins: [sorted[0], ...edges],
        maxs: [...edges, sorted[sorted.length - 1]],
        imputed,
      };
    }
    const counts = new Map<number, number>();
    for (const v of vals) counts.set(v, (counts.get(v) ?? 0) + 1);
    const codes = [...counts.keys()].sort((a, b) => (Number.isNaN(a) ? 1 : Number.isNaN(b) ? -1 : a - b));
    return { kind: 'categorical', codes, cdf: cumulative(codes.map((c) => counts.get(c)!)), imputed };
  });
  return { features, rows: rows.length };
}

/** numpy.searchsorted(edges, v, side='left'): the number of edges strictly below v. */
function binOf(edges: number[], v: number): number {
  let b = 0;
  while (b < edges.length && edges[b] < v) b++;
  return b;
}

export interface LimeOptions {
  output: OutputSpec;
  describe: ExplainedOutput;
  /** Perturbation samples, the row itself included. Default 5000 (lime). */
  samples?: number;
  /** Default 0.75·√M (lime). */
  kernelWidth?: number;
  /** Ridge penalty. Default 1 (lime's Ridge(alpha=1)). */
  alpha?: number;
  seed?: number;
  formatter?: ValueFormatter;
}

/** One LIME explanation of row x (one raw value per feature). */
export function lime(model: ModelAdapter, x: ArrayLike<number>, dist: LimeDistribution, opts: LimeOptions): LimeResult {
  const m = model.features.length;
  if (x.length !== m) throw new Error(`lime: the row has ${x.length} values for ${m} features`);
  const n = Math.floor(opts.samples ?? 5000);
  if (!(n >= 2)) throw new Error(`lime: samples must be at least 2 (got ${opts.samples})`);
  const width = opts.kernelWidth ?? 0.75 * Math.sqrt(m);
  if (!(width > 0)) throw new Error(`lime: kernelWidth must be positive (got ${opts.kernelWidth})`);
  const alpha = opts.alpha ?? 1;
  const seed = opts.seed ?? 0;
  const fmt = opts.formatter ?? plainFormatter(model.features);
  const rng = new Rng(seed);
  const cols = Array.from({ length: m }, () => new Float64Array(n));
  const z = new Float64Array(n * m);
  const conditions: string[] = [];
  dist.features.forEach((fd, j) => {
    const col = cols[j];
    const xv = Number.isNaN(x[j]) ? fd.imputed : x[j];
    col[0] = x[j];
    z[j] = 1;
    const name = model.features[j].name;
    if (fd.kind === 'numeric') {
      const xb = binOf(fd.edges, xv);
      conditions.push(binCondition(name, fd.edges, xb, (v) => fmt(j, v).text) + (Number.isNaN(x[j]) ? ' (missing, imputed)' : ''));
      const drawn = new Int32Array(n);
      for (let i = 1; i < n; i++) drawn[i] = fd.bins[drawFrom(fd.cdf, rng)];
      for (let i = 1; i < n; i++) {
        const b = drawn[i];
        col[i] = truncatedNormal(fd.means[b], fd.sds[b], fd.mins[b], fd.maxs[b], rng);
        z[i * m + j] = b === xb ? 1 : 0;
      }
    } else {
      conditions.push(`${name} = ${fmt(j, xv).text}${Number.isNaN(x[j]) ? ' (missing, imputed)' : ''}`);
      for (let i = 1; i < n; i++) {
        const c = fd.codes[drawFrom(fd.cdf, rng)];
        col[i] = c;
        z[i * m + j] = c === xv || (Number.isNaN(c) && Number.isNaN(xv)) ? 1 : 0;
      }
    }
  });
  const y = model.predict({ n, cols }, opts.output);
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let d2 = 0;
    for (let j = 0; j < m; j++) d2 += 1 - z[i * m + j];
    w[i] = Math.sqrt(Math.exp(-d2 / (width * width)));
  }
  const fit = weightedRidge(z, n, m, y, w, alpha);
  let local = fit.intercept;
  for (let j = 0; j < m; j++) local += fit.coef[j];
  return {
    method: 'lime',
    output: opts.describe,
    samples: n,
    kernelWidth: width,
    alpha,
    seed,
    weights: model.features.map((f, j) => ({ feature: f.name, condition: conditions[j], weight: fit.coef[j] })),
    intercept: fit.intercept,
    score: fit.score,
    localPrediction: local,
    modelPrediction: y[0],
  };
}

/** lime's names of quartile bins: "f ≤ q0", "q0 < f ≤ q1", …, "f > q_last". */
function binCondition(name: string, edges: number[], b: number, text: (v: number) => string): string {
  if (edges.length === 0) return `${name} (any value)`;
  if (b === 0) return `${name} ≤ ${text(edges[0])}`;
  if (b === edges.length) return `${name} > ${text(edges[edges.length - 1])}`;
  return `${text(edges[b - 1])} < ${name} ≤ ${text(edges[b])}`;
}

/**
 * LIME with its stability: `runs` explanations with seeds seed, seed+1, …; the first is returned
 * with `stability` (per feature: mean ± sd (ddof 0), min, max of the weight and the share of runs
 * where it is in the top k by |weight|; and the mean pairwise Jaccard similarity of the top-k sets).
 */
export function limeWithStability(model: ModelAdapter, x: ArrayLike<number>, dist: LimeDistribution, opts: LimeOptions & { runs?: number; topK?: number }): LimeResult {
  const runs = Math.floor(opts.runs ?? 10);
  if (!(runs >= 1)) throw new Error(`lime: runs must be at least 1 (got ${opts.runs})`);
  const m = model.features.length;
  const topK = Math.max(1, Math.min(m, Math.floor(opts.topK ?? 5)));
  const seed = opts.seed ?? 0;
  const results = Array.from({ length: runs }, (_, r) => lime(model, x, dist, { ...opts, seed: seed + r }));
  const tops = results.map((res) => topSet(res.weights.map((w) => w.weight), topK));
  const features = model.features.map((f, j) => {
    const ws = results.map((res) => res.weights[j].weight);
    const mean = ws.reduce((a, b) => a + b, 0) / runs;
    const sd = Math.sqrt(ws.reduce((a, b) => a + (b - mean) ** 2, 0) / runs);
    return { feature: f.name, mean, sd, min: Math.min(...ws), max: Math.max(...ws), topKShare: tops.filter((t) => t.has(j)).length / runs };
  });
  let pairs = 0;
  let jac = 0;
  for (let a = 0; a < runs; a++) {
    for (let b = a + 1; b < runs; b++) {
      let inter = 0;
      for (const j of tops[a]) if (tops[b].has(j)) inter++;
      jac += inter / (tops[a].size + tops[b].size - inter);
      pairs++;
    }
  }
  const stability: LimeStability = { runs, topK, features, meanTopKJaccard: pairs > 0 ? jac / pairs : 1 };
  return { ...results[0], stability };
}

/** Indices of the k largest |w| (ties: lower index first). */
function topSet(w: number[], k: number): Set<number> {
  return new Set(
    w
      .map((v, j) => [Math.abs(v), j] as const)
      .sort((a, b) => b[0] - a[0] || a[1] - b[1])
      .slice(0, k)
      .map((e) => e[1]),
  );
}
