/**
 * Everything the explainers need about one run, assembled once: the model adapter, the data's
 * feature columns, the run's test rows (from predictions.csv — never re-split), the reference
 * rows (every other labelled row, i.e. the run's train + validation rows: the SHAP background,
 * LIME's training distribution and the counterfactual's scales come from them), the labels and
 * the recorded predictions, and a value formatter that masks columns flagged as personal data.
 */
import { join } from 'node:path';
import { readCsv } from '../data/csv';
import type { Dataset, ReadCsvOptions } from '../data/types';
import { RmlInputError } from '../errors';
import { loadRun, type LoadedRun } from '../report/load';
import type { RunRecord } from '../report/types';
import type { PiiKind } from '../privacy/pii';
import { detectFeaturePii, maskingFormatter, type ValueFormatter } from './display';
import { ModelAdapter } from './model';
import { tableFromDataset, type FeatureColumn, type RawTable } from './table';

/** What predictions.csv recorded for the test rows (aligned with `testRows`). */
export interface RecordedPredictions {
  yTrue: string[];
  yPred: string[];
  /** The sensitive columns the run wrote (the config's data.sensitive at training time). */
  sensitive: string[];
}

export interface ExplainContext {
  dir: string;
  record: RunRecord;
  model: ModelAdapter;
  dataset: Dataset;
  features: FeatureColumn[];
  /** Every data row's feature values. */
  table: RawTable;
  /** The run's test rows (0-based data rows), in predictions.csv order. */
  testRows: Int32Array;
  /** Labelled rows outside the test split (train + validation), ascending. */
  referenceRows: Int32Array;
  /** Per data row: 0/1 (binary), class index (multiclass), value (regression); NaN when unlabelled. */
  labels: Float64Array;
  recorded: RecordedPredictions;
  /** data.sensitive of the config (when known) and the sensitive columns in predictions.csv. */
  sensitive: string[];
  /** PII kind per feature (undefined = not personal data). */
  pii: (PiiKind | undefined)[];
  formatter: ValueFormatter;
  warnings: string[];
}

export interface LoadContextOptions {
  /** How to read the data (the config's data.delimiter, data.missing, data.encoding). */
  csv?: Pick<ReadCsvOptions, 'delimiter' | 'missing' | 'encoding'>;
  /** The config's data.sensitive. */
  sensitive?: string[];
}

/** Load a run folder, its data file and its predictions, and build the context. */
export async function loadExplainContext(dir: string, opts: LoadContextOptions = {}): Promise<ExplainContext> {
  const run = await loadRun(dir);
  if (run.record.status !== 'completed' || !run.weights) {
    throw new RmlInputError(`run ${dir} has no saved model (status: ${run.record.status}); explain a completed run`, { file: join(dir, 'run.json'), line: 1, column: 1 });
  }
  let ds: Dataset;
  try {
    ds = await readCsv(run.record.data.file, opts.csv ?? {});
  } catch (e) {
    if (e instanceof RmlInputError) throw new RmlInputError(`cannot read the run's data file: ${e.message}`, e.location, e.field);
    throw e;
  }
  const recorded = await readPredictions(join(dir, 'predictions.csv'));
  return buildExplainContext(run, ds, recorded.rows, recorded, opts.sensitive ?? []);
}

/** Build the context from a loaded run, its data set and its test rows (pure). */
export function buildExplainContext(run: LoadedRun, ds: Dataset, testRows: ArrayLike<number>, recorded: RecordedPredictions, sensitive: string[]): ExplainContext {
  const record = run.record;
  if (!run.weights) throw new RmlInputError(`run ${run.dir} has no saved model (status: ${record.status}); explain a completed run`);
  if (ds.hash !== record.data.hash) {
    throw new RmlInputError(`the data file changed since the run (sha256 ${ds.hash.slice(0, 12)}… ≠ ${record.data.hash.slice(0, 12)}… in run.json): its rows no longer match the run's test split; retrain, or restore ${record.data.file}`, { file: ds.file, line: 1, column: 1 });
  }
  const warnings: string[] = [];
  const { features, table } = tableFromDataset(ds, run.preprocessor);
  const model = new ModelAdapter(run.preprocessor, run.weights, features);
  const test = Int32Array.from(testRows);
  for (const r of test) if (!(r >= 0 && r < ds.rowCount)) throw new RmlInputError(`predictions.csv names data row ${r}, but the data has ${ds.rowCount} rows`);
  if (test.length === 0) throw new RmlInputError(`run ${run.dir} has no test rows (split.test is 0): permutation importance, PDP and error analysis need them`);
  const labels = labelsOf(ds, record);
  const isTest = new Uint8Array(ds.rowCount);
  for (const r of test) isTest[r] = 1;
  const dropIncomplete = record.data.droppedMissingFeatures > 0;
  const ref: number[] = [];
  for (let r = 0; r < ds.rowCount; r++) {
    if (isTest[r] || Number.isNaN(labels[r])) continue;
    if (dropIncomplete && table.cols.some((c) => Number.isNaN(c[r]))) continue;
    ref.push(r);
  }
  if (ref.length === 0) throw new RmlInputError(`run ${run.dir}: no labelled rows outside the test split to take background and training statistics from`);
  const pii = detectFeaturePii(ds, features);
  pii.forEach((k, j) => {
    if (k) warnings.push(`feature '${features[j].name}' looks like personal data (${k}): its values are masked in this report`);
  });
  const allSensitive = [...new Set([...sensitive, ...recorded.sensitive])];
  const mitigation = record.mitigation;
  if (mitigation && mitigation.fitOn === 'validation') {
    warnings.push(`the run's decisions use per-group thresholds (${mitigation.method}); explanations use the model's scores, and accuracy and counterfactuals the global threshold ${record.threshold}`);
  }
  return {
    dir: run.dir,
    record,
    model,
    dataset: ds,
    features,
    table,
    testRows: test,
    referenceRows: Int32Array.from(ref),
    labels,
    recorded,
    sensitive: allSensitive,
    pii,
    formatter: maskingFormatter(features, pii),
    warnings,
  };
}

/** Labels of every data row from the run's task: the positive class, the class list, or the value. */
function labelsOf(ds: Dataset, record: RunRecord): Float64Array {
  const col = ds.byName.get(record.target);
  if (!col) throw new RmlInputError(`the target column '${record.target}' is missing from ${ds.file}`, { file: ds.file, line: 1, column: 1 });
  const y = new Float64Array(ds.rowCount).fill(NaN);
  const index = new Map(record.classes.map((c, i) => [c, i]));
  for (let r = 0; r < ds.rowCount; r++) {
    const v = col.values[r];
    if (v === null) continue;
    if (record.task === 'binary') y[r] = v === record.positive ? 1 : 0;
    else if (record.task === 'multiclass') y[r] = index.get(v) ?? NaN;
    else y[r] = col.numbers ? col.numbers[r] : Number(v);
  }
  return y;
}

const PREDICTION_COLUMNS = new Set(['row', 'line', 'y_true', 'y_pred', 'y_score', 'y_pred_before', 'y_score_before']);

/** predictions.csv: the test rows, their recorded labels and decisions, and the sensitive columns written. */
export async function readPredictions(file: string): Promise<RecordedPredictions & { rows: Int32Array }> {
  let ds: Dataset;
  try {
    ds = await readCsv(file, { missing: [] });
  } catch (e) {
    throw new RmlInputError(`cannot read the run's test predictions (${file}): ${e instanceof Error ? e.message : String(e)}`, { file, line: 1, column: 1 });
  }
  const col = (name: string) => {
    const c = ds.byName.get(name);
    if (!c) throw new RmlInputError(`${file} has no '${name}' column`, { file, line: 1, column: 1 });
    return c;
  };
  const rowCol = col('row');
  const rows = Int32Array.from({ length: ds.rowCount }, (_, i) => {
    const v = Number(rowCol.values[i]);
    if (!Number.isInteger(v) || v < 0) throw new RmlInputError(`${file}: 'row' must be a non-negative integer (got '${rowCol.values[i]}')`, { file, line: ds.rowLines[i], column: 1 });
    return v;
  });
  const yTrue = col('y_true').values.map((v) => v ?? '');
  const yPred = col('y_pred').values.map((v) => v ?? '');
  const sensitive = ds.columns.map((c) => c.name).filter((n) => !PREDICTION_COLUMNS.has(n));
  return { rows, yTrue, yPred, sensitive };
}
