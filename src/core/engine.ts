/**
 * The engine: one function that takes a training config through the whole flow
 *   config → dataset → split → preprocess (fit on train only) → train → predict → evaluate → run record
 * and returns the run. The CLI, the editor's worker and the tests all call this.
 */
import { performance } from 'node:perf_hooks';
import { stringify } from 'csv-stringify/sync';
import { loadConfig } from './config';
import type { TrainingConfig } from './config/types';
import { readCsv } from './data';
import type { Dataset } from './data/types';
import { RmlCancelledError, RmlInputError } from './errors';
import { loadBackend, type BackendPreference, type LoadedBackend } from './model/backend';
import { serializeModel } from './model/save';
import { predict, train, type EpochLog, type NetSpec, type TrainData } from './model/train';
import { evaluate, summarizeFolds, type Evaluation, type Predictions } from './evaluate';
import { labelTarget, type LabelledData } from './pipeline/task';
import { kFold, trainValidationTestSplit } from './pipeline/split';
import { checkNumericColumns, completeRows, fitPreprocessor, selectFeatures, transform, type Preprocessor } from './pipeline/preprocess';
import { runFolderName, runsDirFor, writeRunAtomically, type RecordFile } from './report/record';
import { VERSION } from './version';
import type { RunRecord } from './report/types';

export type { RunRecord };

export interface RunOptions {
  /** Workspace root: data paths may not escape it. */
  root: string;
  backend?: BackendPreference;
  /** Folder for runs (default `<config folder>/.rml/runs`). */
  outDir?: string;
  signal?: AbortSignal;
  onEpoch?: (e: EpochLog) => void;
  /** Progress messages for humans ("reading data", "training"...). */
  onStage?: (stage: string) => void;
  /** Skip writing the run record (tests). */
  dryRun?: boolean;
}

/** What a run produced: the record written to run.json, plus where it is. */
export interface RunResult {
  /** Absolute path of the run folder ('' for a dry run). */
  dir: string;
  record: RunRecord;
}


/** Load a config file and run it. */
export async function runConfigFile(configFile: string, opts: RunOptions): Promise<RunResult> {
  const config = await loadConfig(configFile, { root: opts.root });
  return runConfig(config, opts);
}

/** Run a loaded config end to end and write its run record. */
export async function runConfig(config: TrainingConfig, opts: RunOptions): Promise<RunResult> {
  const started = new Date();
  const t0 = performance.now();
  opts.onStage?.('reading data');
  const ds = await readDataset(config, opts.signal);
  const readMs = performance.now() - t0;

  const prepared = prepare(config, ds);
  const seed = config.split.seed ?? config.train.seed ?? 0;
  const trainSeed = config.train.seed ?? config.split.seed ?? 0;
  const backend = await loadBackend(opts.backend ?? 'auto');

  // Cross-validation (optional) runs on train+validation, before the final model.
  let crossValidation: RunRecord['crossValidation'];
  if (config.evaluate.crossValidation > 0) {
    opts.onStage?.(`cross-validating (${config.evaluate.crossValidation} folds)`);
    crossValidation = await crossValidate(config, ds, prepared, backend, trainSeed, opts);
  }

  opts.onStage?.('training');
  const tTrain = performance.now();
  const fit = fitSplits(config, ds, prepared, prepared.split.train, prepared.split.validation);
  const history: EpochLog[] = [];
  let result: Awaited<ReturnType<typeof train>> | undefined;
  let cancelled = false;
  try {
    result = await train(backend.tf, fit.spec, fit.trainData, fit.valData, {
      ...trainOptions(config, trainSeed),
      signal: opts.signal,
      onEpoch: (e) => {
        history.push(e);
        opts.onEpoch?.(e);
      },
    });
  } catch (e) {
    if (!(e instanceof RmlCancelledError)) throw e;
    cancelled = true;
  }
  const trainMs = performance.now() - tTrain;

  let evaluation: Evaluation | null = null;
  let predictionsCsv: string | undefined;
  const tEval = performance.now();
  if (result) {
    opts.onStage?.('evaluating');
    const testRows = prepared.rowsOf(prepared.split.test);
    const xTest = transform(fit.pre, ds, testRows);
    const out = predict(backend.tf, result.weights, xTest, testRows.length);
    const yTest = prepared.labelsOf(prepared.split.test);
    const ev = evaluate(prepared.labels.task, yTest, out, prepared.labels.classes.length, config.evaluate.threshold);
    evaluation = ev.evaluation;
    predictionsCsv = predictionsFile(config, ds, prepared, testRows, yTest, ev.predictions);
  }
  const evaluateMs = performance.now() - tEval;

  const record: RunRecord = {
    schemaVersion: 1,
    status: cancelled ? 'cancelled' : 'completed',
    name: config.name,
    startedAt: started.toISOString(),
    finishedAt: new Date().toISOString(),
    config: { file: config.file, hash: config.hash },
    data: {
      file: ds.file,
      hash: ds.hash,
      rows: ds.rowCount,
      train: prepared.split.train.length,
      validation: prepared.split.validation.length,
      test: prepared.split.test.length,
      droppedMissingTarget: prepared.labels.droppedMissingTarget,
      droppedMissingFeatures: prepared.droppedMissingFeatures,
      features: prepared.features,
      encodedFeatures: fit.pre.featureNames.length,
      warnings: [...ds.warnings, ...prepared.warnings],
    },
    task: prepared.labels.task,
    classes: prepared.labels.classes,
    target: config.data.target,
    positive: config.data.positive,
    seed,
    seedDefaulted: config.split.seed === undefined && config.train.seed === undefined,
    backend: { name: backend.name, version: backend.version, simd: backend.simd, notes: backend.notes },
    versions: { rml: VERSION, tfjs: backend.version, node: process.versions.node },
    model: fit.spec,
    train: {
      epochs: config.train.epochs,
      batchSize: config.train.batchSize,
      optimizer: config.train.optimizer,
      learningRate: config.train.learningRate,
      l1: config.train.l1,
      l2: config.train.l2,
      earlyStopping: config.train.earlyStopping ? { patience: config.train.earlyStopping.patience } : undefined,
      classWeight: config.train.classWeight,
    },
    epochs: history.length,
    bestEpoch: result?.bestEpoch ?? 0,
    stoppedEarly: result?.stoppedEarly ?? false,
    history,
    threshold: config.evaluate.threshold,
    metrics: evaluation?.metrics ?? null,
    evaluation,
    crossValidation,
    timings: { readMs, trainMs, evaluateMs, totalMs: performance.now() - t0 },
  };

  if (opts.dryRun) return { dir: '', record };
  opts.onStage?.('saving');
  const files: RecordFile[] = [{ path: 'run.json', data: JSON.stringify(record, null, 2) + '\n' }];
  files.push({ path: 'preprocess.json', data: JSON.stringify(fit.pre, null, 2) + '\n' });
  if (result) {
    const saved = await serializeModel(backend.tf, result.weights);
    files.push({ path: 'model/model.json', data: saved.modelJson }, { path: 'model/weights.bin', data: saved.weightsBin });
  }
  if (predictionsCsv !== undefined) files.push({ path: 'predictions.csv', data: predictionsCsv });
  const dir = await writeRunAtomically(runsDirFor(config.file, opts.outDir), runFolderName(config.name, started), files);
  return { dir, record };
}

/** Read the config's CSV. A file that cannot be opened is reported at the config's `data.path`. */
export async function readDataset(config: TrainingConfig, signal?: AbortSignal): Promise<Dataset> {
  try {
    return await readCsv(config.data.resolvedPath, {
      delimiter: config.data.delimiter,
      missing: config.data.missing,
      encoding: config.data.encoding,
      signal,
    });
  } catch (e) {
    if (e instanceof RmlInputError && /not found|is a directory|cannot read|permission/i.test(e.message)) {
      throw new RmlInputError(`${e.message} (data.path '${config.data.path}')`, config.sourceMap.valueRange(['data', 'path']) ?? config.sourceMap.nearest(['data']), 'data.path');
    }
    throw e;
  }
}

interface Prepared {
  labels: LabelledData;
  features: string[];
  /** Positions (into labels.rows) that survive `preprocess.missing: drop`. */
  usable: Int32Array;
  droppedMissingFeatures: number;
  split: { train: Int32Array; validation: Int32Array; test: Int32Array };
  warnings: string[];
  /** Dataset row indices for split positions. */
  rowsOf(pos: Int32Array): Int32Array;
  labelsOf(pos: Int32Array): Float64Array;
}

function prepare(config: TrainingConfig, ds: Dataset): Prepared {
  const labels = labelTarget(config, ds);
  const features = selectFeatures(config, ds);
  checkNumericColumns(ds, features);
  if (features.includes(config.data.target)) {
    throw new RmlInputError(`the target '${config.data.target}' is also listed as a feature`, config.sourceMap.valueRange(['data', 'features']) ?? config.sourceMap.nearest(['data']), 'data.features');
  }
  const warnings: string[] = [];
  if (labels.droppedMissingTarget > 0) warnings.push(`${labels.droppedMissingTarget} rows have no target value and were left out`);
  // Positions into labels.rows; with missing: drop, only complete rows stay.
  let usable = Int32Array.from({ length: labels.rows.length }, (_, i) => i);
  let droppedMissingFeatures = 0;
  if (config.preprocess.missing === 'drop') {
    const complete = new Set(completeRows(ds, features, labels.rows));
    usable = usable.filter((p) => complete.has(labels.rows[p]));
    droppedMissingFeatures = labels.rows.length - usable.length;
    if (droppedMissingFeatures > 0) warnings.push(`${droppedMissingFeatures} rows with missing feature values were dropped (preprocess.missing: drop)`);
  }
  if (usable.length < 10) {
    throw new RmlInputError(`only ${usable.length} usable rows; at least 10 are needed to split and train`, { file: ds.file, line: 1, column: 1 }, 'data.path');
  }
  const seed = config.split.seed ?? config.train.seed ?? 0;
  const strata = labels.task !== 'regression' && config.split.stratify ? Array.from(usable, (p) => labels.y[p]) : undefined;
  const s = trainValidationTestSplit(usable.length, { test: config.split.test, validation: config.split.validation, seed, strata });
  const map = (a: Int32Array) => a.map((i) => usable[i]);
  const split = { train: map(s.train), validation: map(s.validation), test: map(s.test) };
  if (split.train.length === 0) throw new RmlInputError('the training split is empty; lower split.test or split.validation', config.sourceMap.nearest(['split']), 'split');
  if (labels.task !== 'regression') {
    const seen = new Set(Array.from(split.train, (p) => labels.y[p]));
    if (seen.size < 2) throw new RmlInputError('the training split holds a single class; there is too little data to train a classifier', { file: ds.file, line: 1, column: 1 }, 'data.target');
  }
  return {
    labels,
    features,
    usable,
    droppedMissingFeatures,
    split,
    warnings,
    rowsOf: (pos) => pos.map((p) => labels.rows[p]),
    labelsOf: (pos) => Float64Array.from(pos, (p) => labels.y[p]),
  };
}

/** Fit preprocessing on the training positions only and build the tensors' inputs. */
function fitSplits(config: TrainingConfig, ds: Dataset, prepared: Prepared, trainPos: Int32Array, valPos: Int32Array) {
  const trainRows = prepared.rowsOf(trainPos);
  const pre: Preprocessor = fitPreprocessor(ds, prepared.features, trainRows, {
    scale: config.preprocess.scale,
    maxCategories: config.preprocess.categorical.maxCategories,
  });
  const task = prepared.labels.task;
  const spec: NetSpec = {
    task,
    inputs: pre.featureNames.length,
    outputs: task === 'multiclass' ? prepared.labels.classes.length : 1,
    hidden: config.model.type === 'mlp' ? config.model.hidden : [],
    activation: config.model.activation,
    dropout: config.model.type === 'mlp' ? config.model.dropout : 0,
  };
  const yTrain = prepared.labelsOf(trainPos);
  const trainData: TrainData = { x: transform(pre, ds, trainRows), y: yTrain, w: classWeights(config, task, yTrain, prepared.labels.classes.length), rows: trainRows.length };
  const valRows = prepared.rowsOf(valPos);
  const valData: TrainData | undefined = valRows.length > 0 ? { x: transform(pre, ds, valRows), y: prepared.labelsOf(valPos), rows: valRows.length } : undefined;
  return { pre, spec, trainData, valData };
}

/** sklearn's 'balanced' class weights: w_c = n / (K · n_c). */
function classWeights(config: TrainingConfig, task: LabelledData['task'], y: Float64Array, k: number): Float32Array | undefined {
  if (config.train.classWeight !== 'balanced' || task === 'regression') return undefined;
  const classes = task === 'binary' ? 2 : k;
  const counts = new Float64Array(classes);
  for (const v of y) counts[v]++;
  const w = new Float32Array(y.length);
  for (let i = 0; i < y.length; i++) w[i] = y.length / (classes * counts[y[i]]);
  return w;
}

function trainOptions(config: TrainingConfig, seed: number) {
  return {
    epochs: config.train.epochs,
    batchSize: config.train.batchSize,
    optimizer: config.train.optimizer,
    learningRate: config.train.learningRate,
    l1: config.train.l1,
    l2: config.train.l2,
    earlyStopping: config.train.earlyStopping ? { patience: config.train.earlyStopping.patience } : undefined,
    seed,
  };
}

async function crossValidate(config: TrainingConfig, ds: Dataset, prepared: Prepared, backend: LoadedBackend, seed: number, opts: RunOptions) {
  const k = config.evaluate.crossValidation;
  const pool = Int32Array.from([...prepared.split.train, ...prepared.split.validation]).sort();
  const strata = prepared.labels.task !== 'regression' ? Array.from(pool, (p) => prepared.labels.y[p]) : undefined;
  const folds = kFold(pool.length, k, seed, strata);
  const perFold: Evaluation['metrics'][] = [];
  for (const [f, fold] of folds.entries()) {
    opts.onStage?.(`cross-validation fold ${f + 1}/${k}`);
    const trainPos = fold.train.map((i) => pool[i]);
    const testPos = fold.test.map((i) => pool[i]);
    // Each fold fits its own preprocessing on its own training rows; no early stopping (no validation).
    const fit = fitSplits(config, ds, prepared, trainPos, new Int32Array(0));
    const r = await train(backend.tf, fit.spec, fit.trainData, undefined, { ...trainOptions(config, seed + f + 1), earlyStopping: undefined, signal: opts.signal });
    const testRows = prepared.rowsOf(testPos);
    const out = predict(backend.tf, r.weights, transform(fit.pre, ds, testRows), testRows.length);
    perFold.push(evaluate(prepared.labels.task, prepared.labelsOf(testPos), out, prepared.labels.classes.length, config.evaluate.threshold).evaluation.metrics);
  }
  return { k, metrics: summarizeFolds(perFold) };
}

/** predictions.csv: one line per test row (row = 0-based data row, line = its line in the CSV). */
function predictionsFile(config: TrainingConfig, ds: Dataset, prepared: Prepared, testRows: Int32Array, yTrue: Float64Array, ev: Predictions): string {
  const classes = prepared.labels.classes;
  const sens = config.data.sensitive.filter((s) => ds.byName.has(s));
  const header = ['row', 'line', 'y_true', 'y_pred', 'y_score', ...sens];
  const records: (string | number)[][] = [header];
  const name = (v: number) => (prepared.labels.task === 'regression' ? v : prepared.labels.task === 'binary' ? (v === 1 ? classes[1] : classes[0]) : classes[v]);
  for (let k = 0; k < testRows.length; k++) {
    const r = testRows[k];
    records.push([
      r,
      ds.rowLines[r],
      name(yTrue[k]),
      name(ev.yPred[k]),
      ev.scores ? round(ev.scores[k]) : '',
      ...sens.map((s) => ds.byName.get(s)!.values[r] ?? ''),
    ]);
  }
  return stringify(records);
}

function round(v: number): number {
  return Math.round(v * 1e6) / 1e6;
}
