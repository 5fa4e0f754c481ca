/**
 * Fairness engine: group metrics, disparities (Fairlearn), signed metrics (AIF360), Theil index,
 * bootstrap intervals, the fairness gate. Pure functions over typed arrays; no I/O, no 'vscode'.
 *
 * Input shape (the caller, e.g. the CLI, reads the CSV and encodes it):
 * - `yTrue`, `yPred`: `Uint8Array` of 0/1, one entry per row (1 = positive class).
 * - `scores` (optional): `Float64Array` of finite scores for the positive class.
 * - each sensitive column: a {@link GroupColumn} `{ name?, codes: Int32Array, names: string[] }`,
 *   built from raw values with {@link encodeGroups} (missing → "(missing)", names sorted);
 *   several columns combine into intersectional groups with {@link intersectGroups}.
 * - multiclass: integer labels 0..K−1 plus class names ({@link auditMulticlass});
 *   regression: `Float64Array`s ({@link auditRegression}).
 *
 * Conventions (all in METRICS.md; details in each function's doc comment):
 * - per-group rates as Fairlearn: TPR = FNR = 0 without actual positives, FPR = TNR = 0 without
 *   actual negatives, precision 0 without predicted positives; such groups are flagged;
 * - differences are max − min, ratios min / max over groups; a 0 denominator gives null, never
 *   NaN or Infinity; fewer than two groups throws in the low-level functions, and gives null plus a
 *   `single-group` warning in {@link auditColumn};
 * - signed metrics as AIF360 (privileged value vs every other row), null where undefined;
 * - bootstrap: percentile method, numpy 'linear' percentiles, seeded xoshiro128**.
 *
 * Beyond the audit: mitigation (Kamiran–Calders reweighing; per-group decision thresholds for
 * demographic parity, equal opportunity and, randomized as Fairlearn's ThresholdOptimizer,
 * equalized odds — see mitigation.ts), the per-group threshold sweep (sweep.ts), and the audit of
 * a training run's split for any task with its gate (run.ts).
 *
 * Typical use:
 * ```ts
 * const race = encodeGroups(raceValues, 'race');
 * const audit = auditColumn({ yTrue, yPred, scores }, race, { privileged: 'Caucasian', bootstrap: true });
 * const gate = evaluateGate({ race: audit }, parseFailOn('demographicParityDifference<=0.1'));
 * ```
 */
export { encodeGroups, intersectGroups, compareNames, MISSING_GROUP, type GroupColumn } from './groups';
export {
  countByGroup,
  countConfusion,
  encodeRows,
  groupMetricsAt,
  rocAucByGroup,
  aucFromSamples,
  TN,
  FP,
  FN,
  TP,
  type GroupCounts,
  type EncodedRows,
  type GroupMetrics,
} from './counts';
export {
  DISPARITY_METRICS,
  betweenGroups,
  groupRates,
  demographicParityDifference,
  demographicParityRatio,
  disparateImpactRatio,
  equalizedOddsDifference,
  equalizedOddsRatio,
  equalOpportunityDifference,
  equalOpportunityRatio,
  disparities,
  type DisparityMetric,
  type Disparities,
  type Extremes,
  type GroupRate,
  type BetweenGroups,
} from './disparities';
export { SIGNED_METRICS, signedMetrics, splitPrivileged, type SignedMetric, type SignedMetrics, type PrivilegedSplit } from './signed';
export { theilIndex, theilIndexFromCounts, theilIndexByGroup } from './theil';
export {
  percentile,
  bootstrapDisparities,
  bootstrapFromRows,
  bootstrapSettings,
  SIGNED_INTERVAL_KEYS,
  type BootstrapOptions,
  type BootstrapResult,
  type BootstrapInfo,
} from './bootstrap';
export { Xoshiro128 } from '../util/random';
export {
  DEFAULT_MIN_GROUP_SIZE,
  groupWarnings,
  smallGroupWarnings,
  singleGroupWarning,
  type FairnessWarning,
  type FairnessWarningKind,
} from './warnings';
export {
  auditColumn,
  auditColumns,
  overallBinary,
  type AuditOptions,
  type BinaryData,
  type ColumnAudit,
  type OverallBinary,
} from './audit';
export { auditMulticlass, oneVsRest, type MulticlassAudit, type MulticlassData } from './multiclass';
export {
  auditRegression,
  regressionGroupMetrics,
  meanPredictionDifference,
  meanPredictionRatio,
  maeDifference,
  type RegressionAudit,
  type RegressionGroupMetrics,
} from './regression';
export {
  GATE_METRICS,
  evaluateGate,
  gateMetricValue,
  parseFailOn,
  limitsFromThresholds,
  type GateLimit,
  type GateOp,
  type GateFailure,
  type GateResult,
  type GateMetricKind,
  type GateSubject,
} from './gate';
export {
  reweighing,
  applyReweighing,
  fitThresholds,
  applyThresholds,
  positiveProbability,
  type MitigationMethod,
  type ThresholdMethod,
  type Reweighing,
  type ReweighingCell,
  type DecisionRule,
  type FitRates,
  type GroupThresholds,
  type ThresholdFit,
  type FitThresholdOptions,
} from './mitigation';
export { sweepThresholds, thresholdSweep, type FairnessSweep, type SweepRates } from './sweep';
export { DEFAULT_MAX_GROUPS, auditRun, gateSubjects, runGate, type RunAuditInput, type RunFairness, type RunGate } from './run';
