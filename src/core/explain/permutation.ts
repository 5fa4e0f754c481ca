/**
 * Global permutation importance (Breiman 2001; sklearn `permutation_importance`): the drop of a
 * score when one feature's column is shuffled across the evaluation rows, breaking its link to the
 * target while keeping its distribution. A categorical column is shuffled as one feature.
 *
 * Per feature and repeat: drop = score(unpermuted) − score(column permuted); reported as the mean
 * and the population standard deviation (ddof = 0, sklearn's `importances_std`) over repeats.
 * Scores (higher is better): accuracy (binary at the run's threshold, P ≥ t; multiclass argmax),
 * balanced accuracy, ROC AUC (binary; threshold-free), R² (regression). The shuffles come from
 * one seeded stream, feature by feature in column order, repeat by repeat.
 */
import { rocAuc } from '../metrics/classification';
import type { ModelAdapter } from './model';
import { Rng } from './sampling';
import type { RawTable } from './table';
import type { ImportanceMetric, PermutationImportance } from './types';

export interface PermutationOptions {
  /** Default: accuracy for classifiers (sklearn's default scorer), r2 for regression. */
  metric?: ImportanceMetric;
  /** Default 5. */
  repeats?: number;
  /** Default 0. */
  seed?: number;
  /** Binary decision threshold on P(positive) for accuracy metrics. Default 0.5. */
  threshold?: number;
}

/** The default score of a task: accuracy for classifiers, R² for regression. */
export function defaultImportanceMetric(task: ModelAdapter['task']): ImportanceMetric {
  return task === 'regression' ? 'r2' : 'accuracy';
}

/**
 * Permutation importance of every feature on the rows of `table` with labels `y`
 * (0/1 for binary, class index for multiclass, value for regression).
 */
export function permutationImportance(model: ModelAdapter, table: RawTable, y: ArrayLike<number>, opts: PermutationOptions = {}): PermutationImportance {
  const metric = opts.metric ?? defaultImportanceMetric(model.task);
  const repeats = opts.repeats ?? 5;
  const seed = opts.seed ?? 0;
  const threshold = opts.threshold ?? 0.5;
  if (!(Number.isInteger(repeats) && repeats >= 1)) throw new Error(`permutationImportance: repeats must be a positive integer (got ${repeats})`);
  if (y.length !== table.n) throw new Error(`permutationImportance: ${y.length} labels for ${table.n} rows`);
  if (table.n < 2) throw new Error('permutationImportance requires at least two rows');
  checkMetric(metric, model.task);
  const score = scorer(model, metric, y, threshold);
  const baseline = score(table);
  const rng = new Rng(seed);
  const perm = new Int32Array(table.n);
  const features = model.features.map((f, j) => {
    const drops: number[] = [];
    const original = table.cols[j];
    const shuffled = new Float64Array(table.n);
    for (let r = 0; r < repeats; r++) {
      for (let i = 0; i < perm.length; i++) perm[i] = i;
      rng.shuffle(perm);
      for (let i = 0; i < table.n; i++) shuffled[i] = original[perm[i]];
      const cols = table.cols.slice();
      cols[j] = shuffled;
      drops.push(baseline - score({ n: table.n, cols }));
    }
    const mean = drops.reduce((a, b) => a + b, 0) / repeats;
    const sd = Math.sqrt(drops.reduce((a, b) => a + (b - mean) ** 2, 0) / repeats);
    return { feature: f.name, mean, sd, drops };
  });
  features.sort((a, b) => b.mean - a.mean || a.feature.localeCompare(b.feature));
  return { method: 'permutation', metric, baseline, repeats, seed, rows: table.n, features };
}

function checkMetric(metric: ImportanceMetric, task: ModelAdapter['task']): void {
  if (task === 'regression' && metric !== 'r2') throw new Error(`the importance metric of a regression is r2 (got ${metric})`);
  if (task !== 'regression' && metric === 'r2') throw new Error(`r2 is a regression metric; use accuracy, balancedAccuracy${task === 'binary' ? ' or rocAuc' : ''}`);
  if (task === 'multiclass' && metric === 'rocAuc') throw new Error('rocAuc importance is for binary tasks; use accuracy or balancedAccuracy');
}

/** score(table) for the metric (higher is better). */
export function scorer(model: ModelAdapter, metric: ImportanceMetric, y: ArrayLike<number>, threshold: number): (t: RawTable) => number {
  const k = model.outputs;
  const yBin = metric === 'rocAuc' ? Float64Array.from(y) : undefined;
  return (t) => {
    if (model.task === 'regression') return r2Score(y, model.outputsOf(t, 'value'));
    const out = model.outputsOf(t, 'probability');
    if (metric === 'rocAuc') {
      const auc = rocAuc(yBin!, out);
      if (auc === null) throw new Error('rocAuc importance needs both classes among the rows');
      return auc;
    }
    const pred = new Int32Array(t.n);
    for (let i = 0; i < t.n; i++) {
      if (model.task === 'binary') pred[i] = out[i] >= threshold ? 1 : 0;
      else {
        let best = 0;
        for (let c = 1; c < k; c++) if (out[i * k + c] > out[i * k + best]) best = c;
        pred[i] = best;
      }
    }
    return metric === 'balancedAccuracy' ? balancedAccuracy(y, pred, Math.max(2, k)) : accuracy(y, pred);
  };
}

function accuracy(y: ArrayLike<number>, pred: Int32Array): number {
  let ok = 0;
  for (let i = 0; i < pred.length; i++) if (pred[i] === y[i]) ok++;
  return ok / pred.length;
}

/** Mean recall over the classes present in y (sklearn balanced_accuracy_score). */
function balancedAccuracy(y: ArrayLike<number>, pred: Int32Array, k: number): number {
  const n = new Float64Array(k);
  const hit = new Float64Array(k);
  for (let i = 0; i < pred.length; i++) {
    n[y[i]]++;
    if (pred[i] === y[i]) hit[y[i]]++;
  }
  let s = 0;
  let c = 0;
  for (let j = 0; j < k; j++) {
    if (n[j] === 0) continue;
    s += hit[j] / n[j];
    c++;
  }
  return s / c;
}

/** R² as sklearn r2_score (constant y: 1 if perfect, else 0). */
function r2Score(y: ArrayLike<number>, pred: ArrayLike<number>): number {
  let mean = 0;
  for (let i = 0; i < y.length; i++) mean += y[i];
  mean /= y.length;
  let ssRes = 0;
  let ssTot = 0;
  for (let i = 0; i < y.length; i++) {
    ssRes += (y[i] - pred[i]) ** 2;
    ssTot += (y[i] - mean) ** 2;
  }
  return ssTot > 0 ? 1 - ssRes / ssTot : ssRes === 0 ? 1 : 0;
}
