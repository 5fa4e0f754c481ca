/**
 * One explanation report for a run and a row: permutation importance, Kernel SHAP, LIME with its
 * stability, the nearest counterfactual, partial dependence / ICE and the weakest slices — what
 * `rml explain` prints and the editor's Explain tab shows. Synchronous and deterministic for a
 * seed (apart from `timings`).
 */
import { RmlInputError } from '../errors';
import { kmeansBackground, sampleBackground } from './background';
import type { ExplainContext } from './context';
import { counterfactual, type CounterfactualGoal } from './counterfactual';
import { limeDistribution, limeWithStability } from './lime';
import type { OutputSpace, OutputSpec } from './model';
import { partialDependence } from './pdp';
import { permutationImportance } from './permutation';
import { kernelShap, linearShap } from './shap';
import { errorSlices } from './slices';
import { Rng, sampleRows } from './sampling';
import { formatNumber, medianSorted, sortedFinite } from './stats';
import { repeatRow, rowValues, takeRows } from './table';
import type { ExplainedOutput, ExplainReport, ExplainRunInfo, ImportanceMetric, KernelShapResult, RowSummary } from './types';

export interface ExplainOptions {
  /** 0-based data row (as predictions.csv's `row`). Default: the first test row. */
  row?: number;
  /** Seed of every random choice. Default 0. */
  seed?: number;
  /** Default: probability (classifiers), value (regression). */
  space?: OutputSpace;
  /** Multiclass: the class explained (name). Default: the row's predicted class. */
  className?: string;
  importance?: false | { repeats?: number; metric?: ImportanceMetric };
  shap?: false | { background?: number; backgroundMethod?: 'sample' | 'kmeans'; samples?: number | 'auto' };
  lime?: false | { samples?: number; runs?: number; topK?: number; kernelWidth?: number };
  pdp?: false | { feature?: string; points?: number; ice?: number; centered?: boolean; grid?: 'uniform' | 'quantile'; rows?: number };
  counterfactual?: false | { immutable?: string[]; target?: string; maxChanges?: number; budget?: number };
  slices?: false | { minSize?: number; bins?: number; top?: number; sortBy?: 'lowerBound' | 'value' };
}

/** Defaults, stated once (README "rml explain"). */
export const EXPLAIN_DEFAULTS = Object.freeze({
  seed: 0,
  importanceRepeats: 5,
  shapBackground: 100,
  limeSamples: 5000,
  limeRuns: 10,
  limeTopK: 5,
  pdpPoints: 20,
  pdpIce: 50,
  /** PD averages over at most this many test rows (a seeded sample beyond). */
  pdpRows: 5000,
  sliceMinSize: 30,
  sliceBins: 4,
  slicesTop: 10,
});

/** Explain one row of a run (see ExplainOptions for the defaults). */
export function explainRow(ctx: ExplainContext, opts: ExplainOptions = {}): ExplainReport {
  const t0 = performance.now();
  const { model, record, features, table } = ctx;
  const seed = opts.seed ?? EXPLAIN_DEFAULTS.seed;
  if (!Number.isInteger(seed)) throw new RmlInputError(`the seed must be an integer (got ${seed})`);
  const warnings = [...ctx.warnings];
  const rowIndex = opts.row ?? ctx.testRows.reduce((a, b) => Math.min(a, b), Infinity);
  if (!(Number.isInteger(rowIndex) && rowIndex >= 0 && rowIndex < table.n)) {
    throw new RmlInputError(`row ${opts.row} is out of range: the data has ${table.n} rows (0 to ${table.n - 1}; rows are 0-based, as predictions.csv's 'row')`);
  }
  const x = rowValues(table, rowIndex);
  const xTable = repeatRow(x, 1);
  const probs = model.outputsOf(xTable, record.task === 'regression' ? 'value' : 'probability');
  const predicted = record.task === 'multiclass' ? argmax(probs) : record.task === 'binary' ? (probs[0] >= record.threshold ? 1 : 0) : 0;

  // The explained output.
  const space = opts.space ?? (record.task === 'regression' ? 'value' : 'probability');
  if (record.task === 'regression' && space !== 'value') throw new RmlInputError(`a regression is explained in 'value' space (got '${space}')`);
  if (record.task !== 'regression' && space === 'value') throw new RmlInputError(`a classifier is explained in 'probability' or 'margin' space (got 'value')`);
  let unit = 0;
  if (record.task === 'multiclass') {
    if (opts.className !== undefined) {
      unit = record.classes.indexOf(opts.className);
      if (unit < 0) throw new RmlInputError(`unknown class '${opts.className}'; the classes are: ${record.classes.join(', ')}`);
    } else unit = predicted;
  } else if (opts.className !== undefined && record.task === 'binary' && opts.className !== record.positive) {
    throw new RmlInputError(`a binary model is explained for its positive class '${record.positive}' (got '${opts.className}')`);
  }
  const output: OutputSpec = { space, unit };
  const describe = describeOutput(ctx, output);

  // The PDP feature is checked before any work.
  const pdpOpts = opts.pdp === false ? undefined : (opts.pdp ?? {});
  if (pdpOpts?.feature !== undefined) featureIndex(ctx, pdpOpts.feature);
  const cfOpts = opts.counterfactual === false ? undefined : (opts.counterfactual ?? {});
  for (const name of cfOpts?.immutable ?? []) featureIndex(ctx, name, 'immutable');

  const timings = { loadMs: 0, importanceMs: 0, shapMs: 0, limeMs: 0, counterfactualMs: 0, pdpMs: 0, slicesMs: 0, totalMs: 0 };
  const time = <T>(key: keyof typeof timings, fn: () => T): T => {
    const s = performance.now();
    const r = fn();
    timings[key] = round1(performance.now() - s);
    return r;
  };
  const testTable = takeRows(table, ctx.testRows);

  const importance =
    opts.importance === false
      ? null
      : time('importanceMs', () => {
          const imp = opts.importance || {};
          if (imp.metric === 'rocAuc' && new Set(Array.from(ctx.testRows, (r) => ctx.labels[r])).size < 2) throw new RmlInputError('rocAuc importance needs both classes in the test split; use accuracy');
          return permutationImportance(model, testTable, Array.from(ctx.testRows, (r) => ctx.labels[r]), {
            metric: imp.metric,
            repeats: imp.repeats ?? EXPLAIN_DEFAULTS.importanceRepeats,
            seed,
            threshold: record.threshold,
          });
        });

  const shap =
    opts.shap === false
      ? null
      : time('shapMs', (): KernelShapResult => {
          const o = opts.shap || {};
          const size = o.background ?? EXPLAIN_DEFAULTS.shapBackground;
          if (!(Number.isInteger(size) && size >= 1)) throw new RmlInputError(`the SHAP background size must be a positive integer (got ${size})`);
          const bg = o.backgroundMethod === 'kmeans' ? kmeansBackground(model, table, ctx.referenceRows, size, seed) : sampleBackground(table, ctx.referenceRows, size, seed);
          if (o.samples !== undefined && o.samples !== 'auto' && !(Number.isInteger(o.samples) && o.samples >= 1)) throw new RmlInputError(`the SHAP sample count must be a positive integer or 'auto' (got ${o.samples})`);
          const r = kernelShap(model, x, bg, { output, samples: o.samples, seed });
          const res: KernelShapResult = {
            method: 'kernel-shap',
            output: describe,
            fx: r.fx,
            expectedValue: r.expectedValue,
            values: features.map((f, j) => ({ feature: f.name, value: ctx.formatter(j, x[j]), phi: r.phi[j] })),
            sum: r.phi.reduce((a, b) => a + b, 0),
            additivityError: Math.abs(r.phi.reduce((a, b) => a + b, 0) - (r.fx - r.expectedValue)),
            exact: r.exact,
            coalitions: r.coalitions,
            samplesRequested: r.samplesRequested,
            varyingFeatures: r.varying.filter(Boolean).length,
            background: { method: bg.method, size: bg.table.n, ...(bg.note ? { note: bg.note } : {}) },
            evaluations: r.evaluations,
            solver: r.solver,
            seed,
          };
          if (model.linear && space !== 'probability') {
            const exact = linearShap(model, x, bg, unit)!;
            let max = 0;
            exact.forEach((v, j) => (max = Math.max(max, Math.abs(v - r.phi[j]))));
            res.linearCheck = { exactValues: Array.from(exact), maxAbsDifference: max };
          }
          return res;
        });

  const lime =
    opts.lime === false
      ? null
      : time('limeMs', () => {
          const o = opts.lime || {};
          const dist = limeDistribution(model, table, ctx.referenceRows);
          return limeWithStability(model, x, dist, {
            output,
            describe,
            samples: o.samples ?? EXPLAIN_DEFAULTS.limeSamples,
            kernelWidth: o.kernelWidth,
            seed,
            runs: o.runs ?? EXPLAIN_DEFAULTS.limeRuns,
            topK: o.topK ?? EXPLAIN_DEFAULTS.limeTopK,
            formatter: ctx.formatter,
          });
        });

  const cf = !cfOpts
    ? null
    : time('counterfactualMs', () => {
        const immutable = [...new Set([...ctx.sensitive.filter((s) => features.some((f) => f.name === s)), ...(cfOpts.immutable ?? [])])];
        const goal = counterfactualGoal(ctx, predicted, probs, cfOpts.target);
        return counterfactual(model, x, { table, rows: ctx.referenceRows }, { goal, immutable, maxChanges: cfOpts.maxChanges, budget: cfOpts.budget, formatter: ctx.formatter });
      });

  const pdp = !pdpOpts
    ? null
    : time('pdpMs', () => {
        let j: number;
        if (pdpOpts.feature !== undefined) j = featureIndex(ctx, pdpOpts.feature);
        else if (importance) j = featureIndex(ctx, importance.features[0].feature);
        else if (shap) j = shap.values.reduce((best, v, k) => (Math.abs(v.phi) > Math.abs(shap.values[best].phi) ? k : best), 0);
        else j = 0;
        const maxRows = pdpOpts.rows ?? EXPLAIN_DEFAULTS.pdpRows;
        const rows = ctx.testRows.length > maxRows ? sampleRows(ctx.testRows, maxRows, new Rng(seed + 1)) : Int32Array.from(ctx.testRows).sort();
        return partialDependence(model, takeRows(table, rows), j, {
          output,
          describe,
          points: pdpOpts.points ?? EXPLAIN_DEFAULTS.pdpPoints,
          ice: pdpOpts.ice ?? EXPLAIN_DEFAULTS.pdpIce,
          centered: pdpOpts.centered,
          grid: pdpOpts.grid,
          seed,
          row: x,
          rowIds: rows,
          formatter: ctx.formatter,
        });
      });

  const slices =
    opts.slices === false
      ? null
      : time('slicesMs', () => {
          const o = opts.slices || {};
          const regression = record.task === 'regression';
          const errors = ctx.recorded.yTrue.map((t, i) => (regression ? Math.abs(Number(t) - Number(ctx.recorded.yPred[i])) : t === ctx.recorded.yPred[i] ? 0 : 1));
          if (errors.some((e) => !Number.isFinite(e))) throw new RmlInputError(`predictions.csv holds a non-numeric y_true or y_pred for a regression`);
          return errorSlices(features, testTable, errors, regression ? 'meanAbsoluteError' : 'errorRate', {
            minSize: o.minSize ?? EXPLAIN_DEFAULTS.sliceMinSize,
            bins: o.bins ?? EXPLAIN_DEFAULTS.sliceBins,
            top: o.top ?? EXPLAIN_DEFAULTS.slicesTop,
            sortBy: o.sortBy,
            formatter: ctx.formatter,
          });
        });

  timings.totalMs = round1(performance.now() - t0);
  return {
    schemaVersion: 1,
    run: runInfo(ctx, cfOpts?.immutable),
    output: describe,
    row: rowSummary(ctx, rowIndex, x, probs, predicted, model.predict(xTable, output)[0]),
    importance,
    shap,
    lime,
    counterfactual: cf,
    pdp,
    slices,
    warnings,
    timings,
  };
}

/** The feature's index, or an input error listing the features. */
/** The run's model, task and features; `immutable` adds columns to the sensitive ones a counterfactual never changes. */
export function runInfo(ctx: ExplainContext, immutable: readonly string[] = []): ExplainRunInfo {
  const r = ctx.record;
  return {
    dir: ctx.dir,
    name: r.name,
    task: r.task,
    model: ctx.model.linear ? (r.task === 'regression' ? 'linear' : 'logistic') : 'mlp',
    target: r.target,
    classes: r.classes,
    ...(r.positive !== undefined ? { positive: r.positive } : {}),
    threshold: r.threshold,
    features: ctx.features.map((f, j) => ({ name: f.name, kind: f.kind, ...(ctx.pii[j] ? { pii: ctx.pii[j] } : {}), immutable: ctx.sensitive.includes(f.name) || immutable.includes(f.name) })),
    testRows: ctx.testRows.length,
    referenceRows: ctx.referenceRows.length,
  };
}

export function featureIndex(ctx: Pick<ExplainContext, 'features'>, name: string, what = 'feature'): number {
  const j = ctx.features.findIndex((f) => f.name === name);
  if (j < 0) throw new RmlInputError(`unknown ${what} '${name}'; the model's features are: ${ctx.features.map((f) => f.name).join(', ')}`);
  return j;
}

function describeOutput(ctx: ExplainContext, o: OutputSpec): ExplainedOutput {
  const r = ctx.record;
  if (r.task === 'regression') return { space: 'value', unit: 0, label: r.target, description: `predicted ${r.target}` };
  const label = r.task === 'binary' ? (r.positive ?? r.classes[1]) : r.classes[o.unit];
  const description = o.space === 'probability' ? `P(${r.target} = ${label})` : r.task === 'binary' ? `log-odds of ${r.target} = ${label}` : `logit of ${r.target} = ${label}`;
  return { space: o.space, unit: o.unit, label, description };
}

function counterfactualGoal(ctx: ExplainContext, predicted: number, out: Float64Array, target: string | undefined): CounterfactualGoal {
  const r = ctx.record;
  if (r.task === 'binary') {
    if (target !== undefined && !r.classes.includes(target)) throw new RmlInputError(`unknown counterfactual target '${target}'; the classes are: ${r.classes.join(', ')}`);
    const desired = target !== undefined ? (r.classes.indexOf(target) as 0 | 1) : ((1 - predicted) as 0 | 1);
    return { kind: 'binary', threshold: r.threshold, desired, classes: r.classes };
  }
  if (r.task === 'multiclass') {
    if (target !== undefined) {
      const c = r.classes.indexOf(target);
      if (c < 0) throw new RmlInputError(`unknown counterfactual target class '${target}'; the classes are: ${r.classes.join(', ')}`);
      return { kind: 'class', target: c, classes: r.classes };
    }
    // The most probable other class.
    let best = -1;
    for (let c = 0; c < out.length; c++) if (c !== predicted && (best < 0 || out[c] > out[best])) best = c;
    return { kind: 'class', target: best, classes: r.classes };
  }
  let value: number;
  if (target !== undefined) {
    value = Number(target);
    if (target.trim() === '' || !Number.isFinite(value)) throw new RmlInputError(`the counterfactual target of a regression must be a number (got '${target}')`);
  } else {
    // Default: the median label of the reference rows; cross it from the side the row is on.
    value = medianSorted(sortedFinite(ctx.labels, ctx.referenceRows));
  }
  return { kind: 'regression', target: value, direction: out[0] < value ? 'above' : 'below' };
}

/** The row: its values (masked where personal), its label, the explained output and the decision. */
function rowSummary(ctx: ExplainContext, i: number, x: Float64Array, out: Float64Array, predicted: number, explained: number): RowSummary {
  const r = ctx.record;
  const isTest = ctx.testRows.includes(i);
  const isRef = !isTest && binarySearch(ctx.referenceRows, i);
  const label = ctx.labels[i];
  let actual: string | null = null;
  if (!Number.isNaN(label)) actual = r.task === 'regression' ? formatNumber(label) : r.classes[label];
  const decision = r.task === 'regression' ? formatNumber(out[0]) : r.classes[predicted];
  return {
    index: i,
    line: ctx.dataset.rowLines[i],
    split: isTest ? 'test' : isRef ? 'train/validation' : 'unused',
    values: ctx.features.map((f, j) => ({ feature: f.name, value: ctx.formatter(j, x[j]) })),
    actual,
    prediction: explained,
    decision,
  };
}

function binarySearch(sorted: Int32Array, v: number): boolean {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] === v) return true;
    if (sorted[mid] < v) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

function argmax(v: ArrayLike<number>): number {
  let best = 0;
  for (let c = 1; c < v.length; c++) if (v[c] > v[best]) best = c;
  return best;
}

function round1(v: number): number {
  return Math.round(v * 10) / 10;
}
