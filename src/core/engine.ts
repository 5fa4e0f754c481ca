/**
 * The engine: one function that takes a training config through the whole flow
 *   config → dataset → split → preprocess (fit on train only) → train → predict → evaluate
 *   → fairness (audit, gate, sweep, mitigation) → run record
 * and returns the run. The CLI, the editor's worker and the tests all call this.
 *
 * Fairness (when `data.sensitive` lists columns):
 * - the test split is audited for each sensitive column (src/core/fairness/run.ts): binary with
 *   `fairness.privileged` and 1,000 bootstrap resamples seeded by the split seed, multiclass
 *   one-vs-rest per class (same options), regression with group means and MAE; stored as
 *   `fairness`, with the gate from `fairness.thresholds` as `gate` (the CLI exits 3 when it fails);
 * - binary: the per-group threshold sweep of the test scores as `sweep`;
 * - `fairness.mitigation` (groups = the intersection of all sensitive columns; one column = itself):
 *   - `reweighing`: a baseline model is trained first without the weights (the "before"), then the
 *     run's model with Kamiran–Calders weights fitted on the training split (multiplied by
 *     `train.classWeight` when set, and applied to the validation loss too); cross-validation
 *     folds are reweighed with weights fitted on each fold's training rows;
 *   - `threshold-*`: per-group decision thresholds are fitted on the validation split's scores and
 *     applied to the test split (randomized for equalized odds, seeded by the split seed);
 *     cross-validation reports the model before post-processing.
 *   The run's metrics, fairness, gate, predictions.csv (`y_pred`, `y_score`) and saved model are the
 *   mitigated ones; `mitigation.before` and predictions.csv's `y_pred_before` (`y_score_before`
 *   for reweighing) hold the unmitigated ones, on the same test rows.
 */
import { performance } from 'node:perf_hooks';
import { stringify } from 'csv-stringify/sync';
import { loadConfig } from './config';
import type { TrainingConfig } from './config/types';
import { readCsv } from './data';
import type { Dataset } from './data/types';
import { valueLocation } from './pipeline/locations';
import { RmlCancelledError, RmlInputError } from './errors';
import { loadBackend, type BackendPreference, type LoadedBackend } from './model/backend';
import { serializeModel } from './model/save';
import { predict, train, type EpochLog, type NetSpec, type TrainData, type TrainResult } from './model/train';
import { evaluate, summarizeFolds, type Evaluation, type Predictions } from './evaluate';
import { binaryClassificationReport } from './metrics/classification';
import {
  DEFAULT_MAX_GROUPS,
  applyReweighing,
  applyThresholds,
  auditRun,
  encodeGroups,
  fitThresholds,
  intersectGroups,
  limitsFromThresholds,
  reweighing,
  runGate,
  sweepThresholds,
  thresholdSweep,
  type GateLimit,
  type GroupColumn,
  type RunFairness,
  type RunGate,
  type ThresholdFit,
} from './fairness';
import type { FairnessSweep } from './fairness/sweep';
import { labelTarget, type LabelledData } from './pipeline/task';
import { kFold, trainValidationTestSplit } from './pipeline/split';
import { checkNumericColumns, completeRows, fitPreprocessor, selectFeatures, transform, type Preprocessor } from './pipeline/preprocess';
import { runFolderName, runsDirFor, writeRunAtomically, type RecordFile } from './report/record';
import { VERSION } from './version';
import type { MitigationRecord, MitigationSide, RunExplain, RunPrivacy, RunRecord } from './report/types';
import { configTrainingHash } from './config/hash';
import { Rng } from './util/random';
import { dpSgdSummary, type DpSgdSummary } from './privacy/dpsgd';
import { estimateTrainingEnergy, resolveCarbonIntensity, startEnergyMeter, type CarbonIntensity, type RunEstimate } from './sustainability';
import { ModelAdapter } from './explain/model';
import { permutationImportance } from './explain/permutation';
import { tableFromDataset, takeRows } from './explain/table';

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
  /** The editor setting rml.sustainability.carbonIntensity (gCO₂e/kWh); the config's value wins. */
  carbonIntensity?: number | null;
  /** Environment variables for RML_CARBON_INTENSITY (the CLI passes process.env). */
  env?: Readonly<Record<string, string | undefined>>;
  /** True when the process does other work too (the editor's extension host): the energy report says so. */
  sharedProcess?: boolean;
  /** Called once before training with the pre-run energy estimate (the same model as the lint's RML016). */
  onEstimate?: (estimate: RunEstimate) => void;
  /** Permutation-importance repeats stored with the run (default 5; 0 = skip). */
  importanceRepeats?: number;
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
  const intensity = carbonIntensityOf(config, opts);
  const meter = startEnergyMeter({ carbonIntensity: intensity, sharedProcess: opts.sharedProcess });
  opts.onStage?.('reading data');
  const ds = await readDataset(config, opts.signal);
  const readMs = performance.now() - t0;

  const prepared = prepare(config, ds);
  const seed = config.split.seed ?? config.train.seed ?? 0;
  const trainSeed = config.train.seed ?? config.split.seed ?? 0;
  // Fairness inputs are checked before any training, so that a bad limit or column fails fast.
  const limits = gateLimits(config);
  const sensitive = sensitiveColumns(config, ds);
  checkMitigation(config, prepared);
  const mitigation = config.fairness.mitigation;
  // The mitigation's groups: the intersection of every sensitive column (one column: itself).
  const mitigationGroups = mitigation === 'none' ? undefined : sensitive.length === 1 ? sensitive[0] : intersectGroups(sensitive);
  const groupsOf = (rows: Int32Array): GroupColumn => subsetGroups(mitigationGroups!, rows);
  const fit = fitSplits(config, ds, prepared, prepared.split.train, prepared.split.validation);
  const dpPlan = planDp(config, prepared);
  const estimate = estimateTrainingEnergy(
    config,
    { rows: prepared.usable.length, encodedFeatures: fit.pre.featureNames.length, classes: prepared.labels.classes.length },
    { carbonIntensity: intensity },
  );
  opts.onEstimate?.(estimate);
  const backend = await loadBackend(opts.backend ?? 'auto');

  // Cross-validation (optional) runs on train+validation, before the final model.
  let crossValidation: RunRecord['crossValidation'];
  if (config.evaluate.crossValidation > 0) {
    opts.onStage?.(`cross-validating (${config.evaluate.crossValidation} folds)`);
    crossValidation = await crossValidate(config, ds, prepared, backend, trainSeed, opts, mitigation === 'reweighing' ? groupsOf : undefined, dpPlan?.step);
  }

  const tTrain = performance.now();
  const history: EpochLog[] = [];
  /** Epochs trained with DP-SGD on the training rows, over every model (for the accountant). */
  let dpEpochs = crossValidation && dpPlan ? config.evaluate.crossValidation * config.train.epochs : 0;
  let cancelled = false;
  /** `private: false` trains without DP-SGD even when privacy.dp is set (the cost-of-privacy comparison). */
  const runTraining = async (data: TrainData, val: TrainData | undefined, log: EpochLog[], { private: dpOn = true } = {}): Promise<TrainResult | undefined> => {
    const dp = dpOn ? dpPlan?.step : undefined;
    try {
      const r = await train(backend.tf, fit.spec, data, val, {
        ...trainOptions(config, trainSeed),
        dp,
        signal: opts.signal,
        onEpoch: (e) => {
          log.push(e);
          opts.onEpoch?.(e);
        },
      });
      if (dp) dpEpochs += r.history.length;
      return r;
    } catch (e) {
      if (!(e instanceof RmlCancelledError)) throw e;
      cancelled = true;
      return undefined;
    }
  };
  let result: TrainResult | undefined;
  // Reweighing: the unmitigated baseline ("before") is trained first, with the same seed.
  let baseline: TrainResult | undefined;
  let rw: ReturnType<typeof reweighing> | undefined;
  if (mitigation === 'reweighing') {
    opts.onStage?.('training the baseline model (before reweighing)');
    baseline = await runTraining(fit.trainData, fit.valData, []);
    if (baseline) {
      const trainRows = prepared.rowsOf(prepared.split.train);
      rw = reweighing(fit.trainData.y, groupsOf(trainRows), prepared.labels.classes.length);
      const valRows = prepared.rowsOf(prepared.split.validation);
      opts.onStage?.('training with reweighing');
      result = await runTraining(
        { ...fit.trainData, w: multiplyWeights(fit.trainData.w, rw.weights) },
        fit.valData && { ...fit.valData, w: applyReweighing(rw, fit.valData.y, groupsOf(valRows).codes) },
        history,
      );
    }
  } else {
    opts.onStage?.('training');
    result = await runTraining(fit.trainData, fit.valData, history);
  }
  const trainMs = performance.now() - tTrain;

  let evaluation: Evaluation | null = null;
  let predictionsCsv: string | undefined;
  let fairness: RunFairness | undefined;
  let gate: RunGate | undefined;
  let sweep: FairnessSweep | undefined;
  let mitigationRecord: MitigationRecord | undefined;
  let privacyRecord: RunPrivacy | undefined;
  let explainRecord: RunExplain | undefined;
  let fairnessMs = 0;
  let explainMs = 0;
  const tEval = performance.now();
  if (result) {
    opts.onStage?.('evaluating');
    const task = prepared.labels.task;
    const K = prepared.labels.classes.length;
    const threshold = config.evaluate.threshold;
    const testRows = prepared.rowsOf(prepared.split.test);
    const xTest = transform(fit.pre, ds, testRows);
    const yTest = prepared.labelsOf(prepared.split.test);
    const valRows = prepared.rowsOf(prepared.split.validation);
    const xVal = valRows.length > 0 ? transform(fit.pre, ds, valRows) : undefined;
    const yVal = Uint8Array.from(prepared.labelsOf(prepared.split.validation));

    /**
     * A model's decisions on the test split: its raw outputs at the global threshold, then (with a
     * threshold mitigation) per-group thresholds fitted on its own validation scores.
     */
    const decide = (weights: TrainResult['weights']) => {
      const out = predict(backend.tf, weights, xTest, testRows.length);
      const ev = evaluate(task, yTest, out, K, threshold);
      if (mitigation === 'none' || mitigation === 'reweighing') return { ...ev, out, unmitigated: undefined, thresholdFit: undefined };
      opts.onStage?.('fitting per-group thresholds on the validation split');
      const valScores = Float64Array.from(predict(backend.tf, weights, xVal!, valRows.length));
      const thresholdFit = fitThresholds(mitigation, yVal, valScores, groupsOf(valRows), {
        globalThreshold: threshold,
        minGroupSize: config.fairness.minGroupSize,
        rowsName: 'the validation split',
      });
      const scores = ev.predictions.scores!;
      const yPred = applyThresholds(thresholdFit, scores, groupsOf(testRows), seed);
      const { confusion, ...metrics } = binaryClassificationReport(yTest, yPred, scores);
      return {
        evaluation: { ...ev.evaluation, metrics, confusion },
        predictions: { yPred: Float64Array.from(yPred), scores },
        out,
        unmitigated: { ...ev, out },
        thresholdFit,
      };
    };

    const tFair = performance.now();
    const decided = decide(result.weights);
    evaluation = decided.evaluation;
    const predictions = decided.predictions;
    const thresholdFit = decided.thresholdFit;
    let before: { evaluation: Evaluation; predictions: Predictions; out: Float32Array } | undefined = decided.unmitigated;
    if (baseline) {
      const outBefore = predict(backend.tf, baseline.weights, xTest, testRows.length);
      before = { ...evaluate(task, yTest, outBefore, K, threshold), out: outBefore };
    }

    const testColumns = sensitive.map((c) => subsetGroups(c, testRows));
    const auditOf = (p: Predictions, raw: Float32Array): RunFairness =>
      auditRun({
        task,
        classes: prepared.labels.classes,
        yTrue: yTest,
        yPred: p.yPred,
        scores: task === 'binary' ? p.scores : undefined,
        proba: task === 'multiclass' ? raw : undefined,
        columns: testColumns,
        privileged: config.fairness.privileged,
        minGroupSize: config.fairness.minGroupSize,
        bootstrap: task === 'regression' ? undefined : { resamples: BOOTSTRAP_RESAMPLES, seed },
      });
    const side = (metrics: Evaluation['metrics'], f: RunFairness | undefined): MitigationSide => ({
      metrics,
      fairness: f ?? {},
      ...(limits.length > 0 && f ? { gate: runGate(f, limits) } : {}),
    });
    if (sensitive.length > 0) fairness = auditOf(predictions, decided.out);
    if (fairness || limits.length > 0) gate = runGate(fairness ?? {}, limits);
    if (task === 'binary' && predictions.scores && sensitive.length > 0) {
      const thresholds = sweepThresholds([threshold]);
      const yTrue = Uint8Array.from(yTest);
      sweep = { thresholds, columns: Object.fromEntries(testColumns.map((c) => [c.name as string, thresholdSweep(yTrue, predictions.scores!, c, thresholds)])) };
    }
    if (before && fairness && mitigation !== 'none') {
      const beforeFairness = auditOf(before.predictions, before.out);
      mitigationRecord = {
        method: mitigation,
        columns: [...config.data.sensitive],
        description: describeMitigation(mitigation, config.data.sensitive, thresholdFit),
        before: side(before.evaluation.metrics, beforeFairness),
        after: side(evaluation.metrics, fairness),
        ...(thresholdFit ? { thresholds: thresholdFit.groups, target: thresholdFit.target } : {}),
        ...(rw ? { weights: rw.cells } : {}),
        fitOn: rw ? 'train' : 'validation',
        fitRows: rw ? prepared.split.train.length : prepared.split.validation.length,
        seed,
        randomized: thresholdFit?.randomized ?? false,
        warnings: thresholdFit?.warnings ?? [],
      };
    }
    fairnessMs = performance.now() - tFair;

    if (dpPlan) {
      // The cost of privacy: the same model without DP-SGD, decided the same way, on the same rows.
      opts.onStage?.('training the same model without differential privacy (the cost of privacy)');
      const weighted = rw ? { ...fit.trainData, w: multiplyWeights(fit.trainData.w, rw.weights) } : fit.trainData;
      const nonPrivateVal = rw && fit.valData ? { ...fit.valData, w: applyReweighing(rw, fit.valData.y, groupsOf(valRows).codes) } : fit.valData;
      const plain = await runTraining(weighted, nonPrivateVal, [], { private: false });
      privacyRecord = {
        dp: { ...dpSummary(config, prepared, dpPlan, dpEpochs), clippedShare: result.clippedShare ?? null },
        ...(plain ? { cost: privacyCost(plain, decide, auditOf, side, sensitive.length > 0, mitigation) } : {}),
      };
    }

    const repeats = opts.importanceRepeats ?? DEFAULT_IMPORTANCE_REPEATS;
    if (repeats > 0 && !cancelled) {
      opts.onStage?.('permutation importance on the test split');
      const tExplain = performance.now();
      explainRecord = storedImportance(ds, fit.pre, result.weights, testRows, yTest, { repeats, seed, threshold }, mitigation);
      explainMs = performance.now() - tExplain;
    }
    predictionsCsv = predictionsFile(config, ds, prepared, testRows, yTest, predictions, before?.predictions, mitigation === 'reweighing');
  }
  const evaluateMs = performance.now() - tEval;
  const energy = await meter.stop();

  const record: RunRecord = {
    schemaVersion: 1,
    status: cancelled ? 'cancelled' : 'completed',
    name: config.name,
    startedAt: started.toISOString(),
    finishedAt: new Date().toISOString(),
    config: { file: config.file, hash: config.hash, trainingHash: configTrainingHash(config.raw) },
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
    ...(fairness ? { fairness } : {}),
    ...(gate ? { gate } : {}),
    ...(sweep ? { sweep } : {}),
    ...(mitigationRecord ? { mitigation: mitigationRecord } : {}),
    ...(privacyRecord ? { privacy: privacyRecord } : {}),
    ...(explainRecord ? { explain: explainRecord } : {}),
    energy,
    estimate,
    timings: { readMs, trainMs, evaluateMs, totalMs: performance.now() - t0, fairnessMs, explainMs },
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

/** Bootstrap resamples for the intervals of a training run's audit. */
const BOOTSTRAP_RESAMPLES = 1000;

/** Permutation-importance repeats stored with every run (sklearn's default is 5). */
export const DEFAULT_IMPORTANCE_REPEATS = 5;

/** Test rows scored for the stored importance; larger test splits use a seeded sample of this size. */
export const IMPORTANCE_MAX_ROWS = 10_000;

/** The grid intensity: config, then the editor setting, then RML_CARBON_INTENSITY, then the default; a bad value is reported at its key. */
function carbonIntensityOf(config: TrainingConfig, opts: RunOptions): CarbonIntensity {
  try {
    return resolveCarbonIntensity({ configRaw: config.raw, setting: opts.carbonIntensity, env: opts.env });
  } catch (e) {
    if (!(e instanceof RmlInputError) || e.location) throw e;
    const fromConfig = /sustainability\.carbonIntensity/.test(e.message);
    const at = fromConfig ? (config.sourceMap.valueRange(['sustainability', 'carbonIntensity']) ?? config.sourceMap.nearest(['sustainability'])) : undefined;
    throw new RmlInputError(e.message, at, fromConfig ? 'sustainability.carbonIntensity' : undefined);
  }
}

interface DpPlan {
  /** What the training step needs. */
  step: { noiseMultiplier: number; clipNorm: number };
  /** The configured-epochs summary (noise multiplier from the budget when only targetEpsilon is set). */
  planned: DpSgdSummary;
}

/**
 * `privacy.dp` → the DP-SGD step. The noise multiplier comes from the config or, with only
 * `targetEpsilon`, from the budget for every DP training the run makes (cross-validation folds and
 * the reweighing baseline compose with the final model). A configured noise multiplier whose ε
 * exceeds `targetEpsilon` is refused before any training, at `targetEpsilon`.
 */
function planDp(config: TrainingConfig, prepared: Prepared): DpPlan | undefined {
  const dp = config.privacy.dp;
  if (!dp) return undefined;
  const at = config.sourceMap.valueRange(['privacy', 'dp']) ?? config.sourceMap.nearest(['privacy']);
  const runs = 1 + config.evaluate.crossValidation + (config.fairness.mitigation === 'reweighing' ? 1 : 0);
  let planned: DpSgdSummary;
  try {
    planned = dpSgdSummary(dp, prepared.split.train.length, Math.min(config.train.batchSize, prepared.split.train.length), config.train.epochs, { runs });
  } catch (e) {
    throw new RmlInputError(`privacy.dp: ${(e as Error).message.replace(/^dpSgdSummary requires /, 'needs ')}`, at, 'privacy.dp');
  }
  if (dp.noiseMultiplier !== undefined && planned.withinBudget === false) {
    const where = config.sourceMap.valueRange(['privacy', 'dp', 'targetEpsilon']) ?? at;
    throw new RmlInputError(`privacy.dp: ${planned.warnings.find((w) => w.includes('exceeds the budget')) ?? `ε = ${planned.epsilon} exceeds privacy.dp.targetEpsilon`}`, where, 'privacy.dp.targetEpsilon');
  }
  return { step: { noiseMultiplier: planned.noiseMultiplier, clipNorm: dp.clipNorm }, planned };
}

/** The guarantee of what was actually trained: every DP epoch of every model on the training rows. */
function dpSummary(config: TrainingConfig, prepared: Prepared, plan: DpPlan, epochs: number): DpSgdSummary {
  const dp = config.privacy.dp!;
  const s = dpSgdSummary({ ...dp, noiseMultiplier: plan.step.noiseMultiplier }, prepared.split.train.length, Math.min(config.train.batchSize, prepared.split.train.length), epochs);
  s.noiseMultiplierSource = plan.planned.noiseMultiplierSource;
  const models = 1 + config.evaluate.crossValidation + (config.fairness.mitigation === 'reweighing' ? 1 : 0);
  if (models > 1) s.assumptions.push(`${models} models trained with DP-SGD are composed (${epochs} epochs in all); cross-validation folds are counted as if they sampled the training rows at the same rate`);
  s.assumptions.push('the model trained without DP to measure the cost of privacy is not covered: its metrics are for you, not for release, and it is not saved');
  return s;
}

/** The non-private model's metrics and fairness, decided as the run's, with the description of the comparison. */
function privacyCost(
  plain: TrainResult,
  decide: (w: TrainResult['weights']) => { evaluation: Evaluation; predictions: Predictions; out: Float32Array },
  auditOf: (p: Predictions, raw: Float32Array) => RunFairness,
  side: (m: Evaluation['metrics'], f: RunFairness | undefined) => MitigationSide,
  audited: boolean,
  mitigation: TrainingConfig['fairness']['mitigation'],
): NonNullable<RunPrivacy['cost']> {
  const d = decide(plain.weights);
  return {
    baseline: side(d.evaluation.metrics, audited ? auditOf(d.predictions, d.out) : undefined),
    description: `The same model trained without DP-SGD (same split, preprocessing, seed and settings${mitigation !== 'none' ? `, and the same ${mitigation} mitigation` : ''}), scored on the same test rows. The difference between it and this run is the cost of privacy.`,
  };
}

/** Permutation importance of the run's model on (up to IMPORTANCE_MAX_ROWS of) its test rows; failures become warnings. */
function storedImportance(
  ds: Dataset,
  pre: Preprocessor,
  weights: TrainResult['weights'],
  testRows: Int32Array,
  yTest: Float64Array,
  o: { repeats: number; seed: number; threshold: number },
  mitigation: TrainingConfig['fairness']['mitigation'],
): RunExplain {
  const warnings: string[] = [];
  if (testRows.length < 2) return { importance: null, warnings: ['fewer than two test rows: permutation importance needs a test split'] };
  try {
    const { features, table } = tableFromDataset(ds, pre);
    const model = new ModelAdapter(pre, weights, features);
    let pick: Int32Array = Int32Array.from({ length: testRows.length }, (_, k) => k);
    if (pick.length > IMPORTANCE_MAX_ROWS) {
      pick = seededSample(pick.length, IMPORTANCE_MAX_ROWS, o.seed);
      warnings.push(`scored on a seeded sample of ${IMPORTANCE_MAX_ROWS.toLocaleString('en-US')} of the ${testRows.length.toLocaleString('en-US')} test rows`);
    }
    const rows = Int32Array.from(pick, (k) => testRows[k]);
    const y = Float64Array.from(pick, (k) => yTest[k]);
    const imp = permutationImportance(model, takeRows(table, rows), y, { repeats: o.repeats, seed: o.seed, threshold: o.threshold });
    if (mitigation !== 'none' && mitigation !== 'reweighing') warnings.push(`the run's decisions use per-group thresholds (${mitigation}); importance is measured on the model's own decisions at the global threshold ${o.threshold}`);
    return {
      importance: { ...imp, features: imp.features.map((f) => ({ feature: f.feature, mean: f.mean, sd: f.sd })) },
      warnings,
    };
  } catch (e) {
    return { importance: null, warnings: [...warnings, `permutation importance could not be computed: ${(e as Error).message}`] };
  }
}

/** k distinct indices of 0..n−1, sorted, chosen by a seeded partial Fisher–Yates shuffle. */
function seededSample(n: number, k: number, seed: number): Int32Array {
  const rng = new Rng(seed);
  const idx = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(rng.next() * (n - i));
    const t = idx[i];
    idx[i] = idx[j];
    idx[j] = t;
  }
  return idx.slice(0, k).sort();
}

/** The gate's limits from `fairness.thresholds`; a bad entry is reported at its key in the config. */
function gateLimits(config: TrainingConfig): GateLimit[] {
  try {
    return limitsFromThresholds(config.fairness.thresholds);
  } catch (e) {
    if (!(e instanceof RmlInputError)) throw e;
    const metric = e.field?.replace(/^fairness\.thresholds\./, '');
    const at = metric !== undefined ? config.sourceMap.keyRange(['fairness', 'thresholds', metric]) : undefined;
    throw new RmlInputError(e.message, at ?? config.sourceMap.nearest(['fairness', 'thresholds']), e.field);
  }
}

/**
 * Each `data.sensitive` column encoded over every row of the dataset (missing → "(missing)").
 * Refuses unknown columns and columns with more than {@link DEFAULT_MAX_GROUPS} groups.
 */
function sensitiveColumns(config: TrainingConfig, ds: Dataset): (GroupColumn & { names: string[] })[] {
  return config.data.sensitive.map((name, i) => {
    const col = ds.byName.get(name);
    if (!col) {
      throw new RmlInputError(`unknown column '${name}' in data.sensitive; the file has: ${ds.columns.map((c) => c.name).join(', ')}`, valueLocation(config, ['data', 'sensitive', i]), `data.sensitive[${i}]`);
    }
    const encoded = encodeGroups(col.values, name);
    if (encoded.names.length > DEFAULT_MAX_GROUPS) {
      throw new RmlInputError(
        `sensitive column '${name}' has ${encoded.names.length.toLocaleString('en-US')} distinct values, more than ${DEFAULT_MAX_GROUPS} groups: every group would be a handful of rows. Bin it into a few meaningful groups first (e.g. age ranges), in a new column`,
        valueLocation(config, ['data', 'sensitive', i]),
        `data.sensitive[${i}]`,
      );
    }
    return encoded;
  });
}

/** A column restricted to some rows (names unchanged; groups without rows simply do not appear). */
function subsetGroups(column: GroupColumn, rows: Int32Array): GroupColumn {
  const codes = new Int32Array(rows.length);
  for (let k = 0; k < rows.length; k++) codes[k] = column.codes[rows[k]];
  return { name: column.name, codes, names: column.names };
}

/** Refuse mitigations the task or the split cannot support, at `fairness.mitigation`. */
function checkMitigation(config: TrainingConfig, prepared: Prepared): void {
  const m = config.fairness.mitigation;
  if (m === 'none') return;
  const at = valueLocation(config, ['fairness', 'mitigation']);
  const task = prepared.labels.task;
  if (config.data.sensitive.length === 0) throw new RmlInputError(`fairness.mitigation '${m}' needs at least one column in data.sensitive`, at, 'fairness.mitigation');
  if (task === 'regression') throw new RmlInputError(`fairness.mitigation '${m}' is for classification, but this run is a regression (target '${config.data.target}')`, at, 'fairness.mitigation');
  if (m !== 'reweighing') {
    if (task !== 'binary') throw new RmlInputError(`fairness.mitigation '${m}' needs a binary task (set data.positive); this run is ${task}. Use reweighing for multiclass`, at, 'fairness.mitigation');
    if (prepared.split.validation.length === 0) {
      throw new RmlInputError(`fairness.mitigation '${m}' chooses the thresholds on the validation split, which is empty; set split.validation (e.g. 0.2)`, at, 'fairness.mitigation');
    }
  }
}

function multiplyWeights(a: ArrayLike<number> | undefined, b: Float64Array): Float64Array {
  if (!a) return b;
  return b.map((w, i) => w * a[i]);
}

function describeMitigation(method: MitigationRecord['method'], columns: readonly string[], fit?: ThresholdFit): string {
  const groups = columns.length === 1 ? `the groups of ${columns[0]}` : `the intersectional groups of ${columns.join(' × ')}`;
  switch (method) {
    case 'reweighing':
      return `Reweighing (Kamiran & Calders): training rows weighted by P(group)·P(label)/P(group, label) over ${groups} on the training split; before = the same model trained without the weights.`;
    case 'threshold-demographic-parity':
    case 'threshold-equal-opportunity': {
      const rate = method === 'threshold-demographic-parity' ? 'selection rate' : 'true positive rate';
      return `One deterministic decision threshold per group for equal ${rate} across ${groups}, chosen on the validation split to maximize accuracy; before = the model's global threshold.`;
    }
    case 'threshold-equalized-odds':
      return `Randomized per-group thresholds (as Fairlearn's ThresholdOptimizer) for equal TPR and FPR across ${groups}, chosen on the validation split to maximize accuracy${fit?.randomized ? '; decisions are randomized with the split seed and reproducible' : ''}; before = the model's global threshold.`;
  }
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
function fitSplits(config: TrainingConfig, ds: Dataset, prepared: Prepared, trainPos: Int32Array, valPos: Int32Array, sampleWeights?: (trainRows: Int32Array, y: Float64Array) => Float64Array) {
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
  const cw = classWeights(config, task, yTrain, prepared.labels.classes.length);
  const w = sampleWeights ? multiplyWeights(cw, sampleWeights(trainRows, yTrain)) : cw;
  const trainData: TrainData = { x: transform(pre, ds, trainRows), y: yTrain, w, rows: trainRows.length };
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

/** k-fold cross-validation on train+validation; with `groupsOf`, each fold is reweighed on its own training rows. */
async function crossValidate(
  config: TrainingConfig,
  ds: Dataset,
  prepared: Prepared,
  backend: LoadedBackend,
  seed: number,
  opts: RunOptions,
  groupsOf?: (rows: Int32Array) => GroupColumn,
  dp?: { noiseMultiplier: number; clipNorm: number },
) {
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
    const reweigh = groupsOf && ((rows: Int32Array, y: Float64Array) => reweighing(y, groupsOf(rows), prepared.labels.classes.length).weights);
    const fit = fitSplits(config, ds, prepared, trainPos, new Int32Array(0), reweigh);
    const r = await train(backend.tf, fit.spec, fit.trainData, undefined, { ...trainOptions(config, seed + f + 1), earlyStopping: undefined, dp, signal: opts.signal });
    const testRows = prepared.rowsOf(testPos);
    const out = predict(backend.tf, r.weights, transform(fit.pre, ds, testRows), testRows.length);
    perFold.push(evaluate(prepared.labels.task, prepared.labelsOf(testPos), out, prepared.labels.classes.length, config.evaluate.threshold).evaluation.metrics);
  }
  return { k, metrics: summarizeFolds(perFold) };
}

/**
 * predictions.csv: one line per test row (row = 0-based data row, line = its line in the CSV).
 * With a mitigation, `y_pred`/`y_score` are the mitigated ones and `y_pred_before` (plus
 * `y_score_before` for reweighing, whose baseline is another model) the unmitigated ones.
 */
function predictionsFile(
  config: TrainingConfig,
  ds: Dataset,
  prepared: Prepared,
  testRows: Int32Array,
  yTrue: Float64Array,
  ev: Predictions,
  before?: Predictions,
  beforeScores = false,
): string {
  const classes = prepared.labels.classes;
  const sens = config.data.sensitive.filter((s) => ds.byName.has(s));
  const withScoreBefore = before !== undefined && beforeScores && before.scores !== undefined;
  const header = ['row', 'line', 'y_true', 'y_pred', 'y_score', ...(before ? ['y_pred_before'] : []), ...(withScoreBefore ? ['y_score_before'] : []), ...sens];
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
      ...(before ? [name(before.yPred[k])] : []),
      ...(withScoreBefore ? [round(before.scores![k])] : []),
      ...sens.map((s) => ds.byName.get(s)!.values[r] ?? ''),
    ]);
  }
  return stringify(records);
}

function round(v: number): number {
  return Math.round(v * 1e6) / 1e6;
}
