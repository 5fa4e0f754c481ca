/**
 * The explainers' results: plain JSON (numbers, strings, arrays; never NaN, Infinity or typed
 * arrays), with no Node or tfjs imports, so the CLI prints them and the webview can import the
 * types through src/protocol.
 */

/** A value as shown: the raw value (a number, a category, or null when missing or masked) and its text. */
export interface DisplayValue {
  value: number | string | null;
  text: string;
}

/** The scale an explanation is in: P(class), the logit/log-odds, or the regression value. */
export type OutputSpace = 'probability' | 'margin' | 'value';

/** The number an explanation is about. */
export interface ExplainedOutput {
  space: OutputSpace;
  /** Output unit: 0 for binary (P(positive)) and regression, the class index for multiclass. */
  unit: number;
  /** The class explained (classification) or the target (regression). */
  label: string;
  /** E.g. "P(income = >50K)", "log-odds of income = >50K", "predicted price". */
  description: string;
}

export type ImportanceMetric = 'accuracy' | 'balancedAccuracy' | 'rocAuc' | 'r2';

export interface ImportanceEntry {
  feature: string;
  /** Mean over repeats of (baseline score − score with the feature's column permuted). */
  mean: number;
  /** Population standard deviation (ddof = 0) of the drops, as sklearn's `importances_std`. */
  sd: number;
  /** The drop of each repeat. */
  drops: number[];
}

export interface PermutationImportance {
  method: 'permutation';
  metric: ImportanceMetric;
  /** The metric on the unpermuted rows. */
  baseline: number;
  repeats: number;
  seed: number;
  /** Rows scored (the test split). */
  rows: number;
  /** Sorted by mean drop, largest first. */
  features: ImportanceEntry[];
}

export interface ShapFeature {
  feature: string;
  /** The explained row's value. */
  value: DisplayValue;
  phi: number;
}

export interface KernelShapResult {
  method: 'kernel-shap';
  output: ExplainedOutput;
  /** f(x). */
  fx: number;
  /** E_bg[f]: the background's weighted mean output (shap's expected_value). */
  expectedValue: number;
  /** One per feature, in feature order. Non-varying features (same value in x and every background row) get exactly 0. */
  values: ShapFeature[];
  /** Σφ. */
  sum: number;
  /** |Σφ − (f(x) − E_bg[f])|: the efficiency (local accuracy) check; enforced by construction, so rounding only. */
  additivityError: number;
  /** True when every coalition of the varying features was enumerated (then the values are the exact Shapley values of the interventional game). */
  exact: boolean;
  /** Distinct coalitions evaluated (excluding the empty and the full one). */
  coalitions: number;
  /** Coalitions asked for ('auto' = 2·M + 2048, as shap), capped at 2^M − 2. */
  samplesRequested: number;
  /** Features whose value differs from some background row; only those enter the regression. */
  varyingFeatures: number;
  background: { method: 'sample' | 'kmeans'; size: number; note?: string };
  /** Model evaluations: coalitions × background rows + background rows + 1. */
  evaluations: number;
  /** How the weighted least squares was solved. */
  solver: 'cholesky' | 'pseudo-inverse' | 'none';
  seed: number;
  /** Linear models in margin/value space: the exact linear SHAP values φ_j = Σ_{k∈cols(j)} w_k (x_k − E_bg[x_k]) and the largest |Kernel − exact|. */
  linearCheck?: { exactValues: number[]; maxAbsDifference: number };
}

export interface LimeFeature {
  feature: string;
  /** The interpretable statement: "age ≤ 37", "37 < age ≤ 48", "workclass = Private". */
  condition: string;
  /** The ridge coefficient of the binary indicator "same bin / same category as the row". */
  weight: number;
}

export interface LimeStabilityEntry {
  feature: string;
  mean: number;
  /** Population standard deviation (ddof = 0) over the reruns. */
  sd: number;
  min: number;
  max: number;
  /** Share of reruns in which the feature is among the top k by |weight|. */
  topKShare: number;
}

export interface LimeStability {
  /** Reruns, the main run included (seeds seed, seed+1, …). */
  runs: number;
  topK: number;
  /** In feature order. */
  features: LimeStabilityEntry[];
  /** Mean Jaccard similarity of the top-k feature sets over all pairs of reruns (1 = always the same set). */
  meanTopKJaccard: number;
}

export interface LimeResult {
  method: 'lime';
  output: ExplainedOutput;
  samples: number;
  kernelWidth: number;
  alpha: number;
  seed: number;
  /** One per feature, in feature order. */
  weights: LimeFeature[];
  intercept: number;
  /** Weighted R² of the local ridge fit on the perturbation samples (lime's `score`). */
  score: number;
  /** The surrogate at the row: intercept + Σ weights (lime's `local_pred`). */
  localPrediction: number;
  /** f(x). */
  modelPrediction: number;
  stability?: LimeStability;
}

export interface PartialDependence {
  method: 'partial-dependence';
  feature: string;
  kind: 'numeric' | 'categorical';
  output: ExplainedOutput;
  grid: DisplayValue[];
  /** How the grid was made. */
  gridMethod: 'uniform' | 'quantile' | 'distinct' | 'categories';
  /** Mean prediction over `rows` rows at each grid point (centred when `centered`). */
  average: number[];
  /** ICE curves of a seeded sample of rows (data row index, values at each grid point). */
  ice: { row: number; values: number[] }[];
  /** The explained row's own curve, when a row was given. */
  rowCurve?: number[];
  centered: boolean;
  rows: number;
  seed: number;
  note?: string;
}

export interface CounterfactualChange {
  feature: string;
  from: DisplayValue;
  to: DisplayValue;
  /** |Δ| / scale for numeric features, 1 for a categorical change. */
  cost: number;
}

export interface Counterfactual {
  changes: CounterfactualChange[];
  /** Σ cost: the L1 distance in MAD (or sd) units, categorical changes counting 1. */
  distance: number;
  /** The explained output at the counterfactual. */
  prediction: number;
  /** The decision at the counterfactual (class name, or "≥ 30" / "≤ 30" for regression). */
  decision: string;
}

export interface CounterfactualResult {
  method: 'counterfactual';
  /** What must change: e.g. "decision becomes >50K (P ≥ 0.5)". */
  goal: string;
  original: { prediction: number; decision: string };
  found: boolean;
  best?: Counterfactual;
  /** Other counterfactuals with different sets of changed features, cheapest first. */
  alternatives: Counterfactual[];
  immutable: string[];
  /** The distance unit of each numeric feature. */
  scales: { feature: string; scale: number; unit: 'MAD' | 'sd' | 'fixed' }[];
  maxChanges: number;
  evaluations: number;
  budget: number;
  /** Why nothing was found, when `found` is false. */
  reason?: string;
}

export interface SliceCondition {
  feature: string;
  /** "age ≤ 28", "28 < age ≤ 37", "workclass = Private", "occupation is missing". */
  text: string;
}

export interface Slice {
  conditions: SliceCondition[];
  description: string;
  size: number;
  /** Errors in the slice (classification) — absent for regression. */
  errors?: number;
  /** Error rate (classification) or mean absolute error (regression). */
  value: number;
  /** 95% interval of `value`: Wilson (rates) or normal (means). */
  lower: number;
  upper: number;
  /** value / overall value. */
  lift: number;
  /** One-sided p-value that the slice is worse than the rest (two-proportion z test, or Welch z test for means). */
  pValue: number;
  /** pValue below 0.05 / tested (Bonferroni over every slice tested). */
  significant: boolean;
}

export interface ErrorSlices {
  method: 'slices';
  metric: 'errorRate' | 'meanAbsoluteError';
  overall: number;
  rows: number;
  minSize: number;
  bins: number;
  maxDepth: number;
  sortBy: 'lowerBound' | 'value';
  /** Slices of size ≥ minSize that were tested (for the Bonferroni correction). */
  tested: number;
  slices: Slice[];
}

export interface RowSummary {
  /** 0-based data row (as predictions.csv's `row`). */
  index: number;
  /** 1-based line in the CSV. */
  line: number;
  split: 'test' | 'train/validation' | 'unused';
  /** The feature columns only (model inputs), masked when flagged as personal data. */
  values: { feature: string; value: DisplayValue }[];
  actual: string | null;
  prediction: number;
  decision: string;
}

export interface FeatureInfo {
  name: string;
  kind: 'numeric' | 'categorical';
  /** The PII kind when the column looks like personal data (values are then masked). */
  pii?: string;
  immutable: boolean;
}

/** Everything `rml explain` computes for a run and a row (`--json`). */
/** The run an explanation is of: its model, task and features (what the Explain view's session shows too). */
export interface ExplainRunInfo {
  dir: string;
  name: string;
  task: 'binary' | 'multiclass' | 'regression';
  model: 'logistic' | 'linear' | 'mlp';
  target: string;
  classes: string[];
  positive?: string;
  threshold: number;
  features: FeatureInfo[];
  testRows: number;
  referenceRows: number;
}

export interface ExplainReport {
  schemaVersion: 1;
  run: ExplainRunInfo;
  output: ExplainedOutput;
  row: RowSummary;
  importance: PermutationImportance | null;
  shap: KernelShapResult | null;
  lime: LimeResult | null;
  counterfactual: CounterfactualResult | null;
  pdp: PartialDependence | null;
  slices: ErrorSlices | null;
  warnings: string[];
  /** Milliseconds (wall time). `loadMs`: reading the run and its data (filled by the CLI; 0 from explainRow). */
  timings: { loadMs: number; importanceMs: number; shapMs: number; limeMs: number; counterfactualMs: number; pdpMs: number; slicesMs: number; totalMs: number };
}
