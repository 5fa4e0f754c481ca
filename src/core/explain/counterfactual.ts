/**
 * Nearest counterfactual: a small change to a row's feature values that reaches a goal — flip a
 * binary decision, make a multiclass model predict a chosen class, or move a regression output
 * across a target value — without touching immutable features.
 *
 * Distance: the L1 distance Σ_j cost_j, where a numeric change costs |Δ| / MAD_j (the median
 * absolute deviation of the reference rows, unscaled; the standard deviation when the MAD is 0,
 * as for mostly-zero columns) and a categorical change costs 1 (0/1 distance; a category is never
 * an ordinal code). Missing values count from the model's imputed value.
 *
 * Search (deterministic, no randomness):
 * 1. Candidates: per mutable numeric feature, the distinct quantiles of the reference rows at
 *    `candidates` equally spaced levels from 0 to 1 (so values stay inside the observed range;
 *    integers when the column holds only integers); per categorical feature, every category seen
 *    in the reference rows (most frequent first, at most 50).
 * 2. Beam search over sets of changes: depth 1 evaluates every single-feature change; depth d + 1
 *    adds one change of another feature to each state in the beam. The beam keeps `beamWidth`
 *    failing states with distinct feature sets: half with the best progress towards the goal per
 *    unit of distance, half closest to the goal. States costlier than the best success are pruned.
 * 3. Every success is refined: changes that are not needed are dropped, then each numeric change
 *    is shrunk towards the original value by bisection (40 steps, or to the integer boundary)
 *    while the goal still holds with a safety margin of 1e-6 (in probability, or 1e-6·max(1, |target|)
 *    for a regression) — a line search that stops just past the decision boundary, so that the
 *    run's float32 tfjs model reaches the same decision as this float64 evaluation.
 * 4. The cheapest refined success is `best`; others with different feature sets are
 *    `alternatives`. The search stops at `maxChanges` features or when `budget` model evaluations
 *    are spent; then `found` is false with the reason. A heuristic: the result is the nearest
 *    counterfactual the search found, not a proof that none nearer exists.
 */
import type { ModelAdapter } from './model';
import { plainFormatter, type ValueFormatter } from './display';
import { madSorted, meanSd, quantileSorted, formatNumber } from './stats';
import { sameValue, type RawTable } from './table';
import type { Counterfactual, CounterfactualResult } from './types';

export type CounterfactualGoal =
  | { kind: 'binary'; threshold: number; desired: 0 | 1; classes: string[] }
  | { kind: 'class'; target: number; classes: string[] }
  | { kind: 'regression'; target: number; direction: 'above' | 'below' };

export interface CounterfactualOptions {
  goal: CounterfactualGoal;
  /** Feature names never changed. */
  immutable?: string[];
  /** At most this many features changed. Default 3. */
  maxChanges?: number;
  /** Default 20. */
  beamWidth?: number;
  /** Model evaluations. Default 50,000. */
  budget?: number;
  /** Numeric candidate quantile levels. Default 41 (every 2.5%). */
  candidates?: number;
  /** Alternatives returned besides the best. Default 3. */
  alternatives?: number;
  formatter?: ValueFormatter;
}

interface State {
  /** Sorted by feature index. */
  changes: [number, number][];
  cost: number;
  gap: number;
  ok: boolean;
}

const MAX_CATEGORIES = 50;

/** The nearest counterfactual of row x found by the search in the module comment. */
export function counterfactual(model: ModelAdapter, x: ArrayLike<number>, reference: { table: RawTable; rows: ArrayLike<number> }, opts: CounterfactualOptions): CounterfactualResult {
  const m = model.features.length;
  if (x.length !== m) throw new Error(`counterfactual: the row has ${x.length} values for ${m} features`);
  const goal = opts.goal;
  checkGoal(model, goal);
  const fmt = opts.formatter ?? plainFormatter(model.features);
  const maxChanges = Math.max(1, Math.floor(opts.maxChanges ?? 3));
  const beamWidth = Math.max(2, Math.floor(opts.beamWidth ?? 20));
  const budget = Math.max(1, Math.floor(opts.budget ?? 50000));
  const nCandidates = Math.max(3, Math.floor(opts.candidates ?? 41));
  const immutableNames = opts.immutable ?? [];
  const immutable = new Set(immutableNames);
  const { table, rows } = reference;
  if (rows.length === 0) throw new Error('counterfactual requires reference rows');

  // Distance scales and candidates.
  const scales: CounterfactualResult['scales'] = [];
  const scale = new Float64Array(m).fill(1);
  const candidates: number[][] = model.features.map(() => []);
  const base = Float64Array.from(x, (v, j) => (Number.isNaN(v) ? model.imputed(j) : v));
  model.features.forEach((f, j) => {
    const col = table.cols[j];
    if (f.kind === 'numeric') {
      const sorted = Float64Array.from(rows, (r) => col[r]).filter((v) => !Number.isNaN(v)).sort();
      if (sorted.length === 0) {
        scales.push({ feature: f.name, scale: 1, unit: 'fixed' });
        return;
      }
      const mad = madSorted(sorted);
      const sd = meanSd(sorted).sd;
      const s = mad > 0 ? mad : sd;
      scales.push({ feature: f.name, scale: s > 0 ? s : 1, unit: mad > 0 ? 'MAD' : sd > 0 ? 'sd' : 'fixed' });
      scale[j] = s > 0 ? s : 1;
      if (immutable.has(f.name) || !(s > 0)) return;
      const vals = new Set<number>();
      for (let k = 0; k < nCandidates; k++) {
        let v = quantileSorted(sorted, k / (nCandidates - 1));
        if (f.integer) v = Math.round(v);
        if (v !== base[j]) vals.add(v);
      }
      candidates[j] = [...vals].sort((a, b) => Math.abs(a - base[j]) - Math.abs(b - base[j]) || a - b);
    } else {
      if (immutable.has(f.name)) return;
      const counts = new Map<number, number>();
      for (let k = 0; k < rows.length; k++) {
        const v = col[rows[k]];
        if (!Number.isNaN(v)) counts.set(v, (counts.get(v) ?? 0) + 1);
      }
      candidates[j] = [...counts.entries()]
        .sort((a, b) => b[1] - a[1] || a[0] - b[0])
        .map((e) => e[0])
        .filter((v) => !sameValue(v, x[j]) && v !== base[j])
        .slice(0, MAX_CATEGORIES);
    }
  });
  const margin = goal.kind === 'regression' ? 1e-6 * Math.max(1, Math.abs(goal.target)) : 1e-6;
  const costOf = (j: number, v: number) => (model.features[j].kind === 'numeric' ? Math.abs(v - base[j]) / scale[j] : 1);

  let evaluations = 0;
  const evaluate = (states: [number, number][][]): Judged[] => {
    if (states.length === 0) return [];
    const cols = Array.from({ length: m }, (_, j) => new Float64Array(states.length).fill(x[j]));
    states.forEach((changes, i) => {
      for (const [j, v] of changes) cols[j][i] = v;
    });
    evaluations += states.length;
    return judge(model, { n: states.length, cols }, goal);
  };

  const original = evaluate([[]])[0];
  const result = (best: State[], found: boolean, reason?: string): CounterfactualResult => {
    const toCf = (s: State): Counterfactual => {
      const [r] = evaluate([s.changes]);
      return {
        changes: s.changes.map(([j, v]) => ({ feature: model.features[j].name, from: fmt(j, x[j]), to: fmt(j, v), cost: costOf(j, v) })),
        distance: s.cost,
        prediction: r.out,
        decision: r.decision,
      };
    };
    const out = best.map(toCf);
    return {
      method: 'counterfactual',
      goal: describeGoal(goal),
      original: { prediction: original.out, decision: original.decision },
      found,
      ...(out[0] ? { best: out[0] } : {}),
      alternatives: out.slice(1),
      immutable: immutableNames,
      scales,
      maxChanges,
      evaluations,
      budget,
      ...(reason ? { reason } : {}),
    };
  };
  if (original.ok) return result([{ changes: [], cost: 0, gap: original.gap, ok: true }], true, undefined);

  const mutable = model.features.map((_, j) => j).filter((j) => candidates[j].length > 0);
  if (mutable.length === 0) return result([], false, 'every feature is immutable or constant');

  const successes = new Map<string, State>();
  let bestCost = Infinity;
  const keyOf = (changes: [number, number][]) => changes.map((c) => c[0]).join(',');
  const refine = (s: State): State => {
    let changes = s.changes.map((c) => [c[0], c[1]] as [number, number]);
    // Drop changes that are not needed, costliest first.
    for (const [j] of [...changes].sort((a, b) => costOf(b[0], b[1]) - costOf(a[0], a[1]))) {
      if (changes.length <= 1) break;
      const without = changes.filter((c) => c[0] !== j);
      if (evaluate([without])[0].ok) changes = without;
    }
    // Shrink each numeric change towards the original value while the goal holds (bisection).
    for (let pass = 0; pass < 2; pass++) {
      for (const c of changes) {
        const j = c[0];
        if (model.features[j].kind !== 'numeric') continue;
        let lo = base[j];
        let hi = c[1];
        const integer = model.features[j].integer;
        for (let it = 0; it < 40; it++) {
          if (integer ? Math.abs(hi - lo) <= 1 : Math.abs(hi - lo) <= 1e-9 * Math.max(1, Math.abs(hi))) break;
          const mid = integer ? Math.round((lo + hi) / 2) : (lo + hi) / 2;
          if (mid === lo || mid === hi) break;
          c[1] = mid;
          const r = evaluate([changes])[0];
          if (r.ok && r.gap >= margin) hi = mid;
          else lo = mid;
        }
        c[1] = hi;
      }
    }
    const [r] = evaluate([changes]);
    const cost = changes.reduce((a, [j, v]) => a + costOf(j, v), 0);
    return { changes, cost, gap: r.gap, ok: r.ok };
  };
  const record = (s: State) => {
    const key = keyOf(s.changes);
    const prev = successes.get(key);
    if (!prev || s.cost < prev.cost) successes.set(key, s);
    bestCost = Math.min(bestCost, s.cost);
  };

  let beam: State[] = [{ changes: [], cost: 0, gap: original.gap, ok: false }];
  let exhausted = false;
  for (let depth = 1; depth <= maxChanges && beam.length > 0 && !exhausted; depth++) {
    const seen = new Set<string>();
    const expansions: State[] = [];
    for (const s of beam) {
      const used = new Set(s.changes.map((c) => c[0]));
      for (const j of mutable) {
        if (used.has(j)) continue;
        for (const v of candidates[j]) {
          const changes = [...s.changes, [j, v] as [number, number]].sort((a, b) => a[0] - b[0]);
          const cost = s.cost + costOf(j, v);
          if (cost >= bestCost) continue;
          const key = changes.map((c) => `${c[0]}:${c[1]}`).join('|');
          if (seen.has(key)) continue;
          seen.add(key);
          expansions.push({ changes, cost, gap: 0, ok: false });
        }
      }
    }
    if (evaluations + expansions.length > budget) {
      expansions.length = Math.max(0, budget - evaluations);
      exhausted = true;
    }
    const judged = evaluate(expansions.map((s) => s.changes));
    expansions.forEach((s, i) => {
      s.gap = judged[i].gap;
      s.ok = judged[i].ok;
    });
    // Refine the cheapest success of each feature set (at most 10 per depth).
    const bySet = new Map<string, State>();
    for (const s of expansions) {
      if (!s.ok) continue;
      const key = keyOf(s.changes);
      const prev = bySet.get(key);
      if (!prev || s.cost < prev.cost) bySet.set(key, s);
    }
    for (const s of [...bySet.values()].sort((a, b) => a.cost - b.cost).slice(0, 10)) {
      if (evaluations >= budget) {
        exhausted = true;
        break;
      }
      record(refine(s));
    }
    beam = nextBeam(expansions.filter((s) => !s.ok && s.cost < bestCost), original.gap, beamWidth, keyOf);
  }
  const found = [...successes.values()].sort((a, b) => a.cost - b.cost || a.changes.length - b.changes.length);
  const limit = 1 + Math.max(0, Math.floor(opts.alternatives ?? 3));
  if (found.length > 0) return result(found.slice(0, limit), true);
  return result([], false, exhausted ? `no counterfactual within the budget of ${budget} model evaluations` : `no counterfactual changing at most ${maxChanges} feature${maxChanges === 1 ? '' : 's'}${immutable.size ? ` (immutable: ${[...immutable].join(', ')})` : ''}`);
}

/** Half the beam by progress per unit distance, half by closeness to the goal; one state per feature set. */
function nextBeam(failing: State[], gap0: number, width: number, keyOf: (c: [number, number][]) => string): State[] {
  const out: State[] = [];
  const taken = new Set<string>();
  const take = (sorted: State[], n: number) => {
    let added = 0;
    for (const s of sorted) {
      if (added >= n) break;
      const key = keyOf(s.changes);
      if (taken.has(key)) continue;
      taken.add(key);
      out.push(s);
      added++;
    }
  };
  take([...failing].sort((a, b) => (b.gap - gap0) / Math.max(b.cost, 1e-12) - (a.gap - gap0) / Math.max(a.cost, 1e-12) || a.cost - b.cost), Math.ceil(width / 2));
  take([...failing].sort((a, b) => b.gap - a.gap || a.cost - b.cost), width - out.length);
  return out;
}

function checkGoal(model: ModelAdapter, goal: CounterfactualGoal): void {
  if (goal.kind === 'binary' && model.task !== 'binary') throw new Error(`a binary goal needs a binary model (this one is ${model.task})`);
  if (goal.kind === 'class' && model.task !== 'multiclass') throw new Error(`a class goal needs a multiclass model (this one is ${model.task})`);
  if (goal.kind === 'regression' && model.task !== 'regression') throw new Error(`a regression goal needs a regression model (this one is ${model.task})`);
  if (goal.kind === 'class' && !(Number.isInteger(goal.target) && goal.target >= 0 && goal.target < model.outputs)) throw new Error(`target class ${goal.target} is outside 0..${model.outputs - 1}`);
  if (goal.kind === 'binary' && !(goal.threshold > 0 && goal.threshold < 1)) throw new Error(`threshold must be in (0, 1) (got ${goal.threshold})`);
  if (goal.kind === 'regression' && !Number.isFinite(goal.target)) throw new Error('the regression target must be a finite number');
}

type Judged = { gap: number; ok: boolean; out: number; decision: string };

/**
 * Whether each row reaches the goal, its gap (≥ 0 or > 0 on success; larger is closer), its
 * output — P(positive) (binary), P(target class) (multiclass), the value (regression) — and its
 * decision: the predicted class, or which side of the target a regression output is on.
 */
function judge(model: ModelAdapter, t: RawTable, goal: CounterfactualGoal): Judged[] {
  if (goal.kind === 'binary') {
    const p = model.outputsOf(t, 'probability');
    return Array.from(p, (v) => {
      const decision = goal.classes[v >= goal.threshold ? 1 : 0];
      return goal.desired === 1 ? { gap: v - goal.threshold, ok: v >= goal.threshold, out: v, decision } : { gap: goal.threshold - v, ok: v < goal.threshold, out: v, decision };
    });
  }
  if (goal.kind === 'regression') {
    const y = model.outputsOf(t, 'value');
    const tt = formatNumber(goal.target);
    return Array.from(y, (v) =>
      goal.direction === 'above'
        ? { gap: v - goal.target, ok: v >= goal.target, out: v, decision: v >= goal.target ? `≥ ${tt}` : `< ${tt}` }
        : { gap: goal.target - v, ok: v <= goal.target, out: v, decision: v <= goal.target ? `≤ ${tt}` : `> ${tt}` },
    );
  }
  const k = model.outputs;
  const p = model.outputsOf(t, 'probability');
  const res: Judged[] = [];
  for (let i = 0; i < t.n; i++) {
    let best = 0;
    for (let c = 1; c < k; c++) if (p[i * k + c] > p[i * k + best]) best = c;
    let other = -Infinity;
    for (let c = 0; c < k; c++) if (c !== goal.target) other = Math.max(other, p[i * k + c]);
    res.push({ gap: p[i * k + goal.target] - other, ok: best === goal.target, out: p[i * k + goal.target], decision: goal.classes[best] });
  }
  return res;
}

function describeGoal(goal: CounterfactualGoal): string {
  if (goal.kind === 'binary') return `decision becomes ${goal.classes[goal.desired]} (P(${goal.classes[1]}) ${goal.desired === 1 ? '≥' : '<'} ${goal.threshold})`;
  if (goal.kind === 'class') return `predicted class becomes ${goal.classes[goal.target]}`;
  return `prediction ${goal.direction === 'above' ? '≥' : '≤'} ${formatNumber(goal.target)}`;
}
