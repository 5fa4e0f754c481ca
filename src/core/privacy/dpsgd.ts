/**
 * DP-SGD bookkeeping for the training loop: the sampling rate and step count of a training
 * configuration, its ε for the configured δ (from the RDP accountant in `accountant.ts`), the
 * noise multiplier a target ε needs, and the checks worth telling the user about.
 *
 * The training loop (src/core/model/train.ts) shuffles the training rows every epoch and cuts
 * them into ⌈n/B⌉ batches, so a run of E epochs takes E·⌈n/B⌉ steps, each with sampling rate
 * q = B/n. The ε reported assumes Poisson sampling at that rate (see `accountant.ts`).
 */
import { computeEpsilon, noiseMultiplierForEpsilon, type RdpConversion } from './accountant';

/** The `privacy.dp` section of a training config. */
export interface DpConfig {
  /** σ: Gaussian noise standard deviation / clipping norm. Optional when `targetEpsilon` is set. */
  noiseMultiplier?: number;
  /** C: each example's gradient is clipped to this L2 norm. */
  clipNorm: number;
  /** δ in (0, 1); keep it below 1/(training rows). */
  delta: number;
  /**
   * The privacy budget. With `noiseMultiplier`, a run whose ε would exceed it is refused; without,
   * the smallest noise multiplier that meets it is used.
   */
  targetEpsilon?: number;
}

/** What a DP-SGD training run guarantees, for the run record, the report and the model card. */
export interface DpSgdSummary {
  /** ε for `delta` (Infinity when the noise multiplier is 0). */
  epsilon: number;
  delta: number;
  /** q = batch size / training rows (capped at 1). */
  sampleRate: number;
  /** Optimizer steps: epochs · ⌈rows / batch size⌉ · runs. */
  steps: number;
  noiseMultiplier: number;
  /** Where the noise multiplier came from: the config, or computed from `targetEpsilon`. */
  noiseMultiplierSource: 'config' | 'targetEpsilon';
  clipNorm: number;
  /** The budget, when configured, and whether ε is within it. */
  targetEpsilon?: number;
  withinBudget?: boolean;
  /** The RDP order α at which ε is attained. */
  optimalOrder: number;
  accountant: 'rdp';
  conversion: RdpConversion;
  /** The assumptions behind the number, in one sentence each (for the report and card). */
  assumptions: string[];
  /** Things the user should know (δ too large, budget exceeded, optimum at the edge of the orders…). */
  warnings: string[];
}

/** Options of {@link dpSgdSummary}. */
export interface DpSgdOptions {
  /**
   * Trainings on the same rows whose results are released (cross-validation folds, a final
   * refit…). Their privacy costs add up: the steps are multiplied by this. Default 1.
   */
  runs?: number;
  /** Default `improved`. */
  conversion?: RdpConversion;
}

/**
 * The (ε, δ) guarantee of a DP-SGD training run: sampling rate q = batchSize/trainRows,
 * steps = epochs·⌈trainRows/batchSize⌉ (× `runs`), ε from the RDP accountant. Call it with the
 * epochs actually trained (early stopping trains fewer; every checkpoint seen counts).
 * @param config the `privacy.dp` section (a missing `noiseMultiplier` is computed from `targetEpsilon`)
 * @param trainRows rows in the training split (the rows whose gradients are used)
 * @throws Error "dpSgdSummary requires …" for non-positive rows, batch size or clip norm, negative
 *   epochs, δ outside (0, 1), or neither noiseMultiplier nor targetEpsilon
 */
export function dpSgdSummary(config: DpConfig, trainRows: number, batchSize: number, epochs: number, opts: DpSgdOptions = {}): DpSgdSummary {
  if (!(Number.isInteger(trainRows) && trainRows > 0)) throw new Error(`dpSgdSummary requires a whole number of training rows > 0 (got ${trainRows})`);
  if (!(Number.isInteger(batchSize) && batchSize > 0)) throw new Error(`dpSgdSummary requires a whole batch size > 0 (got ${batchSize})`);
  if (!(Number.isInteger(epochs) && epochs >= 0)) throw new Error(`dpSgdSummary requires a whole number of epochs ≥ 0 (got ${epochs})`);
  if (!(config.clipNorm > 0) || !Number.isFinite(config.clipNorm)) throw new Error(`dpSgdSummary requires a clip norm > 0 (got ${config.clipNorm})`);
  if (!(config.delta > 0 && config.delta < 1)) throw new Error(`dpSgdSummary requires δ in (0, 1) (got ${config.delta})`);
  const runs = opts.runs ?? 1;
  if (!(Number.isInteger(runs) && runs >= 1)) throw new Error(`dpSgdSummary requires runs ≥ 1 (got ${runs})`);
  const conversion = opts.conversion ?? 'improved';
  const sampleRate = Math.min(1, batchSize / trainRows);
  const steps = epochs * Math.ceil(trainRows / batchSize) * runs;
  const warnings: string[] = [];

  let noiseMultiplier: number;
  let source: DpSgdSummary['noiseMultiplierSource'];
  if (config.noiseMultiplier !== undefined) {
    if (!(config.noiseMultiplier >= 0) || !Number.isFinite(config.noiseMultiplier)) throw new Error(`dpSgdSummary requires a noise multiplier ≥ 0 (got ${config.noiseMultiplier})`);
    noiseMultiplier = config.noiseMultiplier;
    source = 'config';
  } else if (config.targetEpsilon !== undefined) {
    noiseMultiplier = noiseMultiplierForEpsilon({ targetEpsilon: config.targetEpsilon, sampleRate, steps, delta: config.delta, conversion });
    source = 'targetEpsilon';
  } else {
    throw new Error('dpSgdSummary requires privacy.dp.noiseMultiplier or privacy.dp.targetEpsilon');
  }

  let epsilon: number;
  let optimalOrder: number;
  if (noiseMultiplier === 0 && steps > 0) {
    epsilon = Infinity;
    optimalOrder = NaN;
    warnings.push('noise multiplier 0: the gradients are clipped but no noise is added, so there is no differential privacy guarantee (ε = ∞)');
  } else {
    const r = computeEpsilon({ noiseMultiplier, sampleRate, steps, delta: config.delta, conversion });
    epsilon = r.epsilon;
    optimalOrder = r.optimalOrder;
    if (r.atBoundary) warnings.push(`the best RDP order (${r.optimalOrder}) is at the edge of the orders tried; ε may be slightly overstated`);
  }
  if (config.delta >= 1 / trainRows) {
    warnings.push(`δ = ${config.delta} is not below 1/n = ${fmt(1 / trainRows)} for ${trainRows} training rows: a mechanism that publishes a few rows outright can meet such a δ; use δ < 1/n (e.g. ${fmt(Math.pow(10, Math.floor(Math.log10(1 / trainRows)) - 1))})`);
  }
  if (noiseMultiplier > 0 && noiseMultiplier < 0.5) {
    warnings.push(`noise multiplier ${noiseMultiplier} is small: ε grows fast below about 0.5`);
  }
  if (sampleRate === 1 && trainRows > batchSize) warnings.push('the batch holds every row: there is no privacy amplification by sampling');

  const summary: DpSgdSummary = {
    epsilon,
    delta: config.delta,
    sampleRate,
    steps,
    noiseMultiplier,
    noiseMultiplierSource: source,
    clipNorm: config.clipNorm,
    optimalOrder,
    accountant: 'rdp',
    conversion,
    assumptions: [
      'add-or-remove-one-example neighbouring data sets (example-level privacy, not person-level when a person has several rows)',
      'Poisson sampling at rate q = batch size / training rows; the training loop shuffles and uses fixed-size batches, which is customarily accounted this way but not proven to satisfy the same bound',
      'every intermediate model is covered (the guarantee holds for all checkpoints, not only the final one)',
      'only the training split is protected; preprocessing statistics (medians, scaling) fitted on it are not privatised',
    ],
    warnings,
  };
  if (runs > 1) summary.assumptions.push(`${runs} trainings on the same rows, composed`);
  if (config.targetEpsilon !== undefined) {
    summary.targetEpsilon = config.targetEpsilon;
    // A computed noise multiplier meets the target up to the bisection's precision.
    summary.withinBudget = epsilon <= config.targetEpsilon * (1 + 1e-9);
    if (!summary.withinBudget) {
      warnings.push(`ε = ${fmt(epsilon)} exceeds the budget privacy.dp.targetEpsilon = ${config.targetEpsilon}; raise the noise multiplier (≥ ${fmt(noiseMultiplierForEpsilon({ targetEpsilon: config.targetEpsilon, sampleRate, steps, delta: config.delta, conversion }))}) or train fewer epochs`);
    }
  }
  return summary;
}

/**
 * The ε a DP-SGD training is expected to spend, before it starts: {@link dpSgdSummary} for the
 * configured epochs (an upper bound when early stopping ends the run sooner), with the
 * training-split size estimated from the data rows and split fractions like the pipeline's split
 * (n − round(n·test) − round(n·validation)) when it is not known yet.
 */
export function expectedDpEpsilon(
  config: DpConfig,
  plan: { rows: number; test?: number; validation?: number; trainRows?: number; batchSize: number; epochs: number },
  opts: DpSgdOptions = {},
): DpSgdSummary {
  const trainRows = plan.trainRows ?? estimateTrainRows(plan.rows, plan.test ?? 0.2, plan.validation ?? 0.1);
  return dpSgdSummary(config, trainRows, plan.batchSize, plan.epochs, opts);
}

/** Training-split size for n rows: n − round(n·test) − round(n·validation) (as trainValidationTestSplit). */
export function estimateTrainRows(rows: number, test: number, validation: number): number {
  return rows - Math.round(rows * test) - Math.round(rows * validation);
}

function fmt(v: number): string {
  if (!Number.isFinite(v)) return '∞';
  return Math.abs(v) >= 0.01 && Math.abs(v) < 1e6 ? String(Number(v.toPrecision(4))) : v.toExponential(2);
}
