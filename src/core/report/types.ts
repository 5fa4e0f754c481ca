/**
 * The run record's shape (run.json) and the types it is made of. Pure types with no Node or
 * tfjs imports, so that the webview (browser code) can import them through src/protocol.
 */
import type { Task } from '../config/types';
import type { Evaluation, MetricValues } from '../evaluate';
import type { GroupThresholds, MitigationMethod, ReweighingCell, ThresholdFit } from '../fairness/mitigation';
import type { RunFairness, RunGate } from '../fairness/run';
import type { FairnessSweep } from '../fairness/sweep';
import type { DpSgdSummary } from '../privacy/dpsgd';
import type { EnergyReport, RunEstimate } from '../sustainability/types';

export type { ColumnAudit } from '../fairness/audit';
export type { GroupMetrics } from '../fairness/counts';
export type { MulticlassAudit } from '../fairness/multiclass';
export type { RegressionAudit, RegressionGroupMetrics } from '../fairness/regression';
export type { FairnessWarning } from '../fairness/warnings';
export type { GateFailure, GateLimit } from '../fairness/gate';
export type { FairnessSweep, SweepRates } from '../fairness/sweep';
export type { GroupThresholds, MitigationMethod, ReweighingCell, RunFairness, RunGate };

/** One side (before or after) of a mitigation, on the same test rows. */
export interface MitigationSide {
  /** Test metrics (the same keys as RunRecord.metrics). */
  metrics: MetricValues;
  /** The fairness audit of the test split (the same shape as RunRecord.fairness). */
  fairness: RunFairness;
  /** The gate on these predictions, when fairness.thresholds sets limits. */
  gate?: RunGate;
}

/**
 * run.json's `mitigation`: what `fairness.mitigation` did, with performance and every disparity
 * before and after on the same test rows. The run's own `metrics`, `evaluation`, `fairness`,
 * `gate`, saved model and predictions.csv's y_pred/y_score are the "after" ones.
 */
export interface MitigationRecord {
  method: MitigationMethod;
  /** The sensitive columns whose intersection defines the mitigation's groups (named "a & b"). */
  columns: string[];
  /** One sentence: what was done. */
  description: string;
  /** Before: the model trained without reweighing, or the model's scores at the global threshold. */
  before: MitigationSide;
  after: MitigationSide;
  /** Post-processing: the decision rule of each group, chosen on `fitOn`. */
  thresholds?: Record<string, GroupThresholds>;
  /** Post-processing: the common rate(s) aimed at on `fitOn`. */
  target?: ThresholdFit['target'];
  /** Reweighing: the weight of each (group, label) cell of the training split. */
  weights?: ReweighingCell[];
  /** Where the mitigation was fitted: the training split (reweighing) or the validation split (thresholds). */
  fitOn: 'train' | 'validation';
  fitRows: number;
  /** Seed of every random choice (the randomized thresholds' draws). */
  seed: number;
  /** True when decisions are randomized (equalized odds); the seed reproduces them. */
  randomized: boolean;
  warnings: string[];
}

/** The network's architecture. */
export interface NetSpec {
  task: Task;
  inputs: number;
  /** Output units: 1 (binary, regression) or K (multiclass). */
  outputs: number;
  hidden: number[];
  activation: 'relu' | 'tanh' | 'sigmoid' | 'elu';
  dropout: number;
}

/** One epoch of training, as reported live and stored in the run's history. */
export interface EpochLog {
  epoch: number;
  epochs: number;
  loss: number;
  valLoss: number | null;
  /** Validation accuracy (classification) or R² (regression); null without a validation split. */
  valMetric: number | null;
  metricName: 'accuracy' | 'r2';
  ms: number;
}

/** What run.json holds. */
export interface RunRecord {
  schemaVersion: 1;
  status: 'completed' | 'cancelled';
  name: string;
  startedAt: string;
  finishedAt: string;
  /** `trainingHash`: sha256 of the training settings only (see config/hash.ts); absent in older runs. */
  config: { file: string; hash: string; trainingHash?: string };
  data: {
    file: string;
    hash: string;
    rows: number;
    train: number;
    validation: number;
    test: number;
    droppedMissingTarget: number;
    droppedMissingFeatures: number;
    features: string[];
    encodedFeatures: number;
    warnings: string[];
  };
  task: Task;
  classes: string[];
  target: string;
  positive?: string;
  seed: number;
  /** True when neither split.seed nor train.seed was set and the default seed 0 was used. */
  seedDefaulted: boolean;
  backend: { name: string; version: string; simd?: boolean; notes: string[] };
  versions: { rml: string; tfjs: string; node: string };
  model: NetSpec;
  train: { epochs: number; batchSize: number; optimizer: string; learningRate: number; l1: number; l2: number; earlyStopping?: { patience: number }; classWeight?: string };
  epochs: number;
  bestEpoch: number;
  stoppedEarly: boolean;
  history: EpochLog[];
  threshold: number;
  metrics: Evaluation['metrics'] | null;
  evaluation: Evaluation | null;
  crossValidation?: { k: number; metrics: Record<string, { mean: number; sd: number | null; n: number }> };
  /**
   * The fairness audit of the test split, one entry per `data.sensitive` column (as `rml audit`'s
   * `sensitive`): binary → ColumnAudit, multiclass → MulticlassAudit (one-vs-rest per class),
   * regression → RegressionAudit. Absent without sensitive columns or for a cancelled run.
   */
  fairness?: RunFairness;
  /** The fairness gate from `fairness.thresholds` over `fairness` (absent when nothing was audited and no limit is set). */
  gate?: RunGate;
  /** Binary only: per sensitive column and group, rates as the threshold sweeps 0..1 on the test scores. */
  sweep?: FairnessSweep;
  /** When `fairness.mitigation` is not `none`. */
  mitigation?: MitigationRecord;
  /**
   * Energy, CO₂e, CPU and wall time of the run (reading data to saving), `kind` "measured" (RAPL
   * counters) or "estimated" (TDP-per-core model). Absent in runs made before energy was metered.
   */
  energy?: EnergyReport;
  /** The estimate made before training (the same model as RML016), to set against `energy`. */
  estimate?: RunEstimate;
  /** `privacy.dp` set: the DP-SGD guarantee and what privacy cost, measured on the same test rows. */
  privacy?: RunPrivacy;
  /** Global explanation made with the run: permutation importance on the test split. */
  explain?: RunExplain;
  /** `fairnessMs`: the audit, intervals, sweep and mitigation bookkeeping (not the extra training). */
  timings: { readMs: number; trainMs: number; evaluateMs: number; totalMs: number; fairnessMs?: number; explainMs?: number };
}

/** A DP-SGD run: its (ε, δ) guarantee and the cost of privacy. */
export interface RunPrivacy {
  dp: DpSgdSummary & {
    /** Share of per-example gradients that were clipped over the whole training (0..1). */
    clippedShare: number | null;
  };
  /**
   * The same model trained without DP (same split, seed, preprocessing and settings) and scored
   * on the same test rows: `baseline` is "without privacy", the run's own metrics are "with".
   * Absent when the run was cancelled before the baseline finished.
   */
  cost?: { baseline: MitigationSide; description: string };
}

/** Explanations stored with a run (`rml explain` computes the per-row ones on demand). */
export interface RunExplain {
  /** Permutation importance on the test split, drops of `metric`; null when it could not be computed (reason in `warnings`). */
  importance: {
    method: 'permutation';
    /** The score whose drop is measured: accuracy (classifiers) or r2 (regression). */
    metric: 'accuracy' | 'balancedAccuracy' | 'rocAuc' | 'r2';
    /** The score on the unpermuted test rows. */
    baseline: number;
    repeats: number;
    seed: number;
    rows: number;
    /** Largest mean drop first; sd over repeats (ddof 0, as sklearn). */
    features: { feature: string; mean: number; sd: number }[];
  } | null;
  warnings: string[];
}
