/**
 * Bias mitigation: reweighing (pre-processing) and per-group decision thresholds (post-processing).
 * Pure functions over typed arrays; the engine (src/core/engine.ts) applies them in a training run.
 *
 * ## Reweighing (Kamiran & Calders 2012, "Data preprocessing techniques for classification without
 * discrimination"; AIF360's `Reweighing`)
 *
 * Each training row of group g and label y gets the weight
 *
 *     w(g, y) = P(g)·P(y) / P(g, y) = n_g · n_y / (n · n_{g,y})
 *
 * with the probabilities estimated on the training split. In the weighted data the label is
 * independent of the group (P_w(y | g) = P(y) for every g) and the weights sum to n. AIF360 splits
 * rows into privileged and unprivileged only; here every group value is its own group, which is the
 * same thing for a two-valued column and removes the dependence on each value for more.
 * Works for any number of classes (y = class index).
 *
 * ## Per-group thresholds (after Hardt, Price & Srebro 2016 and Fairlearn's `ThresholdOptimizer`)
 *
 * Chosen on held-out rows (the engine uses the validation split) from the model's scores; a row is
 * positive when its score is ≥ its group's threshold. For each group, the operating points are
 * "score ≥ u" for every distinct score u of the group, plus "never positive". The objective is
 * accuracy (Fairlearn's default), i.e. the number of correct decisions summed over the groups.
 *
 * - `threshold-demographic-parity` / `threshold-equal-opportunity`: as ThresholdOptimizer, each
 *   group's upper concave hull of (selection rate, correct decisions) — or (TPR, correct decisions)
 *   — is taken, and the common selection rate (TPR) x* that maximizes the summed hulls is found
 *   exactly (the sum is piecewise linear, so its maximum is at a hull vertex). Unlike
 *   ThresholdOptimizer, which randomizes between two thresholds to hit x* exactly, each group then
 *   gets ONE deterministic threshold: the operating point whose selection rate (TPR) is closest to
 *   x* (ties: more correct decisions, then the higher threshold). Decisions stay explainable
 *   ("group A needs a score ≥ 0.43"); parity on the fitting rows is then exact up to the
 *   granularity of one row per group (1/n_g, or 1/positives_g for TPR).
 * - `threshold-equalized-odds`: equal TPR and FPR cannot in general be reached with deterministic
 *   thresholds, so this one is randomized, exactly as ThresholdOptimizer: each group's ROC points
 *   (FPR, TPR) get their upper convex hull f_g; the common point is x* = argmax over x ∈ [0, 1] of
 *   P·y(x) + N·(1 − x) with y(x) = min_g f_g(x) (overall accuracy when every group has FPR x and
 *   TPR y; concave, maximised by ternary search; a hull vertex within 1e-9 of that optimum is
 *   preferred, so that the optimum sits exactly on a kink where it can), and
 *   y* = y(x*). Group g reaches (x*, f_g(x*)) by using the threshold of hull vertex a with
 *   probability λ and of vertex b with 1 − λ (a, b the vertices around x*, λ = (x_b − x*)/(x_b − x_a)),
 *   and reaches (x*, y*) by mixing that with the constant classifier "positive with probability x*"
 *   (the ROC diagonal point (x*, x*)) with probability p = (f_g(x*) − y*)/(f_g(x*) − x*).
 *   Each row thus has P(positive | score) = Σ_k w_k·[score ≥ t_k] + p·x*; the decision is
 *   u < P with one uniform draw u per row, in row order, from the seeded {@link Xoshiro128}
 *   generator, so a seed reproduces every decision.
 *
 * Monotone thresholds only: a group's decision never inverts the score (Fairlearn would also
 * consider "score < t" below the diagonal). Groups that cannot be fitted — no rows in the fitting
 * data, or (equal opportunity / equalized odds) no actual positives, or (equalized odds) no actual
 * negatives — keep the global threshold, and a warning says so; so do groups never seen.
 */
import type { GroupColumn } from './groups';
import { Xoshiro128 } from '../util/random';

export type ThresholdMethod = 'threshold-demographic-parity' | 'threshold-equal-opportunity' | 'threshold-equalized-odds';
export type MitigationMethod = 'reweighing' | ThresholdMethod;

// ---------------------------------------------------------------------------------------------
// Reweighing

/** One (group, label) cell of the reweighing table. */
export interface ReweighingCell {
  group: string;
  /** Class index (binary: 1 = positive). */
  label: number;
  /** Training rows in the cell. */
  n: number;
  /** n_g · n_y / (n · n_{g,y}). */
  weight: number;
}

export interface Reweighing {
  /** The weight of each input row. */
  weights: Float64Array;
  /** Every cell with at least one row, by group then label. */
  cells: ReweighingCell[];
  /** weight of (group code c, label y) at `table[c·classes + y]`; NaN for a cell with no rows. */
  table: Float64Array;
  classes: number;
}

/**
 * Kamiran–Calders weights (see the module comment) for labels `y` (integers 0..classes−1) and the
 * groups of `column`. Throws on an empty input, mismatched lengths, or a bad label or code.
 */
export function reweighing(y: ArrayLike<number>, column: GroupColumn, classes = 2): Reweighing {
  const n = y.length;
  if (n === 0) throw new Error('reweighing requires at least one row');
  if (column.codes.length !== n) throw new Error(`reweighing: the sensitive column has ${column.codes.length} rows but y has ${n}`);
  if (!Number.isInteger(classes) || classes < 2) throw new Error(`reweighing requires at least two classes, got ${classes}`);
  const G = column.names.length;
  const cell = new Float64Array(G * classes);
  const byGroup = new Float64Array(G);
  const byLabel = new Float64Array(classes);
  for (let i = 0; i < n; i++) {
    const c = column.codes[i];
    const l = y[i];
    if (c >>> 0 >= G) throw new Error(`row ${i}: group code ${c} is outside 0..${G - 1}`);
    if (!Number.isInteger(l) || l < 0 || l >= classes) throw new Error(`row ${i}: label must be a class index in 0..${classes - 1} (got ${l})`);
    cell[c * classes + l]++;
    byGroup[c]++;
    byLabel[l]++;
  }
  const table = new Float64Array(G * classes).fill(NaN);
  const cells: ReweighingCell[] = [];
  for (let c = 0; c < G; c++) {
    for (let l = 0; l < classes; l++) {
      const k = cell[c * classes + l];
      if (k === 0) continue;
      const w = (byGroup[c] * byLabel[l]) / (n * k);
      table[c * classes + l] = w;
      cells.push({ group: column.names[c], label: l, n: k, weight: w });
    }
  }
  const weights = new Float64Array(n);
  for (let i = 0; i < n; i++) weights[i] = table[column.codes[i] * classes + y[i]];
  return { weights, cells, table, classes };
}

/**
 * The weights of other rows (e.g. the validation split) from a table fitted on the training split.
 * `codes` must use the same group encoding as the fit; a (group, label) cell the fit never saw gets 1.
 */
export function applyReweighing(fit: Reweighing, y: ArrayLike<number>, codes: Int32Array): Float64Array {
  if (codes.length !== y.length) throw new Error(`applyReweighing: codes has ${codes.length} rows but y has ${y.length}`);
  const w = new Float64Array(y.length);
  for (let i = 0; i < y.length; i++) {
    const v = fit.table[codes[i] * fit.classes + y[i]];
    w[i] = Number.isNaN(v) || v === undefined ? 1 : v;
  }
  return w;
}

// ---------------------------------------------------------------------------------------------
// Per-group thresholds

/**
 * A (possibly randomized) decision rule on one group's scores:
 * P(positive | score) = Σ_k mixture[k].weight·[score ≥ mixture[k].threshold] + constant.weight·constant.rate.
 * "Never positive" components are left out of `mixture`, so its weights may sum to less than 1.
 */
export interface DecisionRule {
  mixture: { threshold: number; weight: number }[];
  /** Equalized odds only: with probability `weight`, ignore the score; positive with probability `rate`. */
  constant?: { weight: number; rate: number };
}

/** Rates of a group's decisions on the fitting rows (expected values for a randomized rule). */
export interface FitRates {
  selectionRate: number;
  /** Null without actual positives. */
  tpr: number | null;
  /** Null without actual negatives. */
  fpr: number | null;
  accuracy: number;
}

/** The rule of one group, and what it does on the rows it was fitted on. */
export interface GroupThresholds extends DecisionRule {
  /** 'fitted' on the fitting rows, or 'global': kept the global threshold (see the fit's warnings). */
  source: 'fitted' | 'global';
  /** On the fitting rows: size, actual positives, and the rates at the global threshold (before) and with this rule (after). */
  fit: { n: number; positives: number; before: FitRates; after: FitRates };
}

export interface ThresholdFit {
  method: ThresholdMethod;
  /** The threshold every unfitted or unseen group keeps. */
  globalThreshold: number;
  /** Keyed by group name, in group order. */
  groups: Record<string, GroupThresholds>;
  /** The common point aimed at on the fitting rows: selection rate (DP), TPR (EOpp), FPR and TPR (EO); null when no group could be fitted. */
  target: { selectionRate?: number; tpr?: number; fpr?: number } | null;
  /** True when some group's rule is randomized. */
  randomized: boolean;
  warnings: string[];
}

/** P(positive | score) under a rule, clamped to [0, 1] (and snapped to 0 or 1 within 1e-12 of them). */
export function positiveProbability(rule: DecisionRule, score: number): number {
  let p = 0;
  for (const m of rule.mixture) if (score >= m.threshold) p += m.weight;
  if (rule.constant) p += rule.constant.weight * rule.constant.rate;
  if (p < 1e-12) return 0;
  if (p > 1 - 1e-12) return 1;
  return p;
}

interface OperatingPoint {
  /** Predict positive when score ≥ threshold; null = never. */
  threshold: number | null;
  tp: number;
  fp: number;
}

interface GroupData {
  name: string;
  /** Scores sorted descending with their labels. */
  scores: Float64Array;
  labels: Uint8Array;
  n: number;
  P: number;
  N: number;
}

/** Operating points "never" and "score ≥ u" for each distinct score u, by increasing positives. */
function operatingPoints(g: GroupData): OperatingPoint[] {
  const points: OperatingPoint[] = [{ threshold: null, tp: 0, fp: 0 }];
  let tp = 0;
  let fp = 0;
  for (let i = 0; i < g.n; ) {
    const u = g.scores[i];
    while (i < g.n && g.scores[i] === u) {
      if (g.labels[i] === 1) tp++;
      else fp++;
      i++;
    }
    points.push({ threshold: u, tp, fp });
  }
  return points;
}

interface HullVertex {
  x: number;
  y: number;
  point: OperatingPoint;
}

/**
 * Upper concave hull of points sorted by x ascending (Andrew's monotone chain). For equal x only
 * the highest y is kept; collinear middle points are dropped.
 */
function upperHull(points: HullVertex[]): HullVertex[] {
  const hull: HullVertex[] = [];
  for (const p of points) {
    const last = hull[hull.length - 1];
    if (last && p.x === last.x) {
      if (p.y > last.y) hull.pop();
      else continue;
    }
    while (hull.length >= 2) {
      const a = hull[hull.length - 2];
      const b = hull[hull.length - 1];
      // Drop b when it lies on or below the chord a→p.
      if ((b.x - a.x) * (p.y - a.y) - (b.y - a.y) * (p.x - a.x) >= 0) hull.pop();
      else break;
    }
    hull.push(p);
  }
  return hull;
}

/** Index i such that hull[i].x ≤ x ≤ hull[i+1].x (clamped to the ends). */
function segmentAt(hull: HullVertex[], x: number): number {
  let lo = 0;
  let hi = hull.length - 1;
  if (hull.length < 2 || x <= hull[0].x) return 0;
  if (x >= hull[hi].x) return hull.length - 2;
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if (hull[mid].x <= x) lo = mid;
    else hi = mid;
  }
  return lo;
}

/** The hull's y at x (linear between vertices; constant beyond the ends). */
function hullAt(hull: HullVertex[], x: number): number {
  if (hull.length === 1) return hull[0].y;
  const i = segmentAt(hull, x);
  const a = hull[i];
  const b = hull[i + 1];
  if (x <= a.x) return a.y;
  if (x >= b.x) return b.y;
  return a.y + ((b.y - a.y) * (x - a.x)) / (b.x - a.x);
}

function rule(threshold: number | null): DecisionRule {
  return { mixture: threshold === null ? [] : [{ threshold, weight: 1 }] };
}

/** Expected rates of a rule on a group's rows. */
function ratesOf(g: GroupData, r: DecisionRule): FitRates {
  let selected = 0;
  let tp = 0;
  let fp = 0;
  for (let i = 0; i < g.n; i++) {
    const p = positiveProbability(r, g.scores[i]);
    selected += p;
    if (g.labels[i] === 1) tp += p;
    else fp += p;
  }
  return {
    selectionRate: selected / g.n,
    tpr: g.P === 0 ? null : tp / g.P,
    fpr: g.N === 0 ? null : fp / g.N,
    accuracy: (tp + (g.N - fp)) / g.n,
  };
}

function collectGroups(yTrue: Uint8Array, scores: Float64Array, column: GroupColumn): GroupData[] {
  const n = yTrue.length;
  if (scores.length !== n) throw new Error(`fitThresholds: scores has ${scores.length} rows but yTrue has ${n}`);
  if (column.codes.length !== n) throw new Error(`fitThresholds: the sensitive column has ${column.codes.length} rows but yTrue has ${n}`);
  const G = column.names.length;
  const idx: number[][] = Array.from({ length: G }, () => []);
  for (let i = 0; i < n; i++) {
    const c = column.codes[i];
    if (c >>> 0 >= G) throw new Error(`row ${i}: group code ${c} is outside 0..${G - 1}`);
    if (yTrue[i] > 1) throw new Error(`row ${i}: yTrue must be 0 or 1 (got ${yTrue[i]})`);
    if (!Number.isFinite(scores[i])) throw new Error(`row ${i}: score must be a finite number (got ${scores[i]})`);
    idx[c].push(i);
  }
  const groups: GroupData[] = [];
  for (let c = 0; c < G; c++) {
    const rows = idx[c];
    if (rows.length === 0) continue;
    // Descending score; ties in row order (the order does not change any count).
    rows.sort((a, b) => scores[b] - scores[a] || a - b);
    const s = Float64Array.from(rows, (i) => scores[i]);
    const l = Uint8Array.from(rows, (i) => yTrue[i]);
    let P = 0;
    for (const v of l) P += v;
    groups.push({ name: column.names[c], scores: s, labels: l, n: rows.length, P, N: rows.length - P });
  }
  return groups;
}

export interface FitThresholdOptions {
  /** The global decision threshold (unfitted groups keep it). */
  globalThreshold: number;
  /** Groups with fewer fitting rows get a warning (default 30). */
  minGroupSize?: number;
  /** How to name the rows in warnings (default "the fitting rows"). */
  rowsName?: string;
}

/**
 * Fits one decision rule per group for `method` on the given rows (see the module comment).
 * `yTrue` 0/1, `scores` finite; throws on mismatched lengths or bad values.
 */
export function fitThresholds(
  method: ThresholdMethod,
  yTrue: Uint8Array,
  scores: Float64Array,
  column: GroupColumn,
  options: FitThresholdOptions,
): ThresholdFit {
  const { globalThreshold } = options;
  const minGroupSize = options.minGroupSize ?? 30;
  const rowsName = options.rowsName ?? 'the fitting rows';
  const groups = collectGroups(yTrue, scores, column);
  const warnings: string[] = [];
  const where = column.name === undefined ? '' : ` of ${column.name}`;
  const fittable = (g: GroupData): string | null => {
    if (method !== 'threshold-demographic-parity' && g.P === 0) return 'no actual positives';
    if (method === 'threshold-equalized-odds' && g.N === 0) return 'no actual negatives';
    return null;
  };
  const fitted: GroupData[] = [];
  for (const g of groups) {
    const why = fittable(g);
    if (why) warnings.push(`Group "${g.name}"${where} has ${why} in ${rowsName}; it keeps the global threshold ${globalThreshold}.`);
    else {
      fitted.push(g);
      if (g.n < minGroupSize) warnings.push(`Group "${g.name}"${where}: its threshold was chosen on only ${g.n} rows of ${rowsName} (fewer than ${minGroupSize}); it is unreliable.`);
    }
  }
  if (fitted.length === 1 && groups.length === 1) warnings.push(`Only one group${where} in ${rowsName}: its threshold simply maximizes accuracy.`);
  const rules = new Map<string, DecisionRule>();
  let target: ThresholdFit['target'] = null;
  if (fitted.length > 0) {
    if (method === 'threshold-equalized-odds') target = fitEqualizedOdds(fitted, rules);
    else target = fitSimple(method, fitted, rules);
  }
  const global = rule(globalThreshold);
  const out: [string, GroupThresholds][] = groups.map((g) => {
    const r = rules.get(g.name);
    const chosen = r ?? global;
    return [g.name, {
      ...chosen,
      source: r ? 'fitted' : 'global',
      fit: { n: g.n, positives: g.P, before: ratesOf(g, global), after: ratesOf(g, chosen) },
    }];
  });
  const randomized = [...rules.values()].some((r) => (r.constant !== undefined && r.constant.weight > 0) || r.mixture.some((m) => m.weight > 0 && m.weight < 1));
  return { method, globalThreshold, groups: Object.fromEntries(out), target, randomized, warnings };
}

/** Demographic parity / equal opportunity: common x* on the summed hulls, then the nearest deterministic threshold per group. */
function fitSimple(method: ThresholdMethod, groups: GroupData[], rules: Map<string, DecisionRule>): ThresholdFit['target'] {
  const dp = method === 'threshold-demographic-parity';
  const xOf = (g: GroupData, p: OperatingPoint) => (dp ? (p.tp + p.fp) / g.n : p.tp / g.P);
  const correct = (g: GroupData, p: OperatingPoint) => p.tp + (g.N - p.fp);
  const perGroup = groups.map((g) => {
    const points = operatingPoints(g);
    const vertices = points.map((p) => ({ x: xOf(g, p), y: correct(g, p), point: p }));
    return { g, points, vertices, hull: upperHull(vertices) };
  });
  // The summed hulls are piecewise linear: the maximum is at some group's vertex. First max wins (smallest x).
  const candidates = [...new Set(perGroup.flatMap((q) => q.hull.map((v) => v.x)))].sort((a, b) => a - b);
  let best = candidates[0];
  let bestValue = -Infinity;
  for (const x of candidates) {
    let total = 0;
    for (const q of perGroup) total += hullAt(q.hull, x);
    if (total > bestValue + 1e-9) {
      bestValue = total;
      best = x;
    }
  }
  for (const q of perGroup) {
    let chosen = q.vertices[0];
    for (const v of q.vertices) {
      const d = Math.abs(v.x - best);
      const dc = Math.abs(chosen.x - best);
      if (d < dc - 1e-12 || (Math.abs(d - dc) <= 1e-12 && v.y > chosen.y)) chosen = v;
    }
    rules.set(q.g.name, rule(chosen.point.threshold));
  }
  return dp ? { selectionRate: best } : { tpr: best };
}

/** A probability clamped to [0, 1], with round-off within 1e-9 of 0 or 1 snapped to it. */
function snap(p: number): number {
  if (!(p > 1e-9)) return 0;
  if (p > 1 - 1e-9) return 1;
  return p;
}

/** Equalized odds: the randomized ThresholdOptimizer construction (module comment). */
function fitEqualizedOdds(groups: GroupData[], rules: Map<string, DecisionRule>): ThresholdFit['target'] {
  const perGroup = groups.map((g) => {
    const vertices = operatingPoints(g).map((p) => ({ x: p.fp / g.N, y: p.tp / g.P, point: p }));
    return { g, hull: upperHull(vertices) };
  });
  let P = 0;
  let N = 0;
  for (const g of groups) {
    P += g.P;
    N += g.N;
  }
  const y = (x: number) => {
    let m = Infinity;
    for (const q of perGroup) m = Math.min(m, hullAt(q.hull, x));
    return m;
  };
  const objective = (x: number) => P * y(x) + N * (1 - x);
  // Concave in x: ternary search, then compare with every hull vertex (kinks) to guard round-off.
  let lo = 0;
  let hi = 1;
  for (let it = 0; it < 200 && hi - lo > 1e-15; it++) {
    const m1 = lo + (hi - lo) / 3;
    const m2 = hi - (hi - lo) / 3;
    if (objective(m1) < objective(m2)) lo = m1;
    else hi = m2;
  }
  let xBest = (lo + hi) / 2;
  const fSearch = objective(xBest);
  // The optimum of a concave piecewise-linear function is at a kink; prefer an exact hull vertex
  // when one is as good (within round-off), the first (smallest FPR) on ties.
  let vBest = NaN;
  let fVertex = -Infinity;
  for (const x of [...new Set(perGroup.flatMap((q) => q.hull.map((v) => v.x)))].sort((a, b) => a - b)) {
    const f = objective(x);
    if (f > fVertex + 1e-9) {
      fVertex = f;
      vBest = x;
    }
  }
  if (fVertex >= fSearch - 1e-9) xBest = vBest;
  const yBest = y(xBest);
  for (const { g, hull } of perGroup) {
    const i = segmentAt(hull, xBest);
    const a = hull[i];
    const b = hull[Math.min(i + 1, hull.length - 1)];
    const lambda = snap(b.x === a.x ? 1 : (b.x - xBest) / (b.x - a.x));
    const tprHull = lambda * a.y + (1 - lambda) * b.y;
    const pConstant = tprHull - xBest > 1e-12 ? snap((tprHull - yBest) / (tprHull - xBest)) : 0;
    const mixture: DecisionRule['mixture'] = [];
    const add = (v: HullVertex, w: number) => {
      const weight = (1 - pConstant) * w;
      if (v.point.threshold !== null && weight > 0) mixture.push({ threshold: v.point.threshold, weight });
    };
    add(a, lambda);
    if (b !== a) add(b, 1 - lambda);
    const r: DecisionRule = { mixture };
    if (pConstant > 0) r.constant = { weight: pConstant, rate: xBest };
    rules.set(g.name, r);
  }
  return { fpr: xBest, tpr: yBest };
}

/**
 * Decisions for new rows (e.g. the test split) under a fit: each row's group rule (groups not in
 * the fit keep the global threshold), one uniform draw per row in row order from
 * `new Xoshiro128(seed)`, positive when the draw is below P(positive | score). Deterministic rules
 * give P ∈ {0, 1}, so the draw never changes them. `column` may use any encoding: groups are
 * matched by name.
 */
export function applyThresholds(fit: ThresholdFit, scores: Float64Array, column: GroupColumn, seed: number): Uint8Array {
  const n = scores.length;
  if (column.codes.length !== n) throw new Error(`applyThresholds: the sensitive column has ${column.codes.length} rows but scores has ${n}`);
  const global = rule(fit.globalThreshold);
  const byCode: DecisionRule[] = column.names.map((name) => (Object.hasOwn(fit.groups, name) ? fit.groups[name] : global));
  const rng = new Xoshiro128(seed);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const u = rng.next();
    const c = column.codes[i];
    if (c >>> 0 >= byCode.length) throw new Error(`row ${i}: group code ${c} is outside 0..${byCode.length - 1}`);
    if (!Number.isFinite(scores[i])) throw new Error(`row ${i}: score must be a finite number (got ${scores[i]})`);
    out[i] = u < positiveProbability(byCode[c], scores[i]) ? 1 : 0;
  }
  return out;
}
