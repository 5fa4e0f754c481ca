/**
 * Energy of a training run before it runs, from a throughput model. Used by the editor before
 * training and by the lint (RML016, unbounded training). Always labelled "estimated".
 *
 * FLOPs of the network (dense layers in → out, as src/core/model/train.ts builds them):
 * - forward pass, per example: Σ over layers (2·in·out + 2·out) — a multiply-add per weight, the
 *   bias and the activation;
 * - training step, per example: 3 × forward (the backward pass costs about twice the forward:
 *   gradients of the activations and of the weights), plus the optimizer's update of every
 *   parameter once per batch (≈ 10 FLOPs per parameter for Adam, 2 for SGD), divided by the batch
 *   size. The 3× rule is the one behind "training ≈ 6 N FLOPs per example for N parameters"
 *   (Kaplan et al., "Scaling Laws for Neural Language Models", arXiv:2001.08361, 2020, §2.1).
 *
 * Time: seconds = Σ examples × (overhead per example + FLOPs per example ÷ FLOP/s). Small models
 * are dominated by the fixed per-example overhead (batching, shuffling, bookkeeping in JS), which
 * is why it is a separate term.
 *
 * Default throughput ({@link DEFAULT_THROUGHPUT}, kind 'assumed'): 4 × 10⁹ FLOP/s and 3 µs per
 * example on one core, fitted to this repository's training loop on a 2-vCPU AMD EPYC virtual
 * machine (Node 20, WebAssembly backend) in November 2026, over networks from 21 to 388,097
 * parameters; predictions were within a factor 2.5 of the measured times. {@link measureThroughput}
 * replaces it with figures calibrated on a finished run of this machine (kind 'measured').
 *
 * Energy: CPU-seconds (= seconds × CPU per wall second) × watts per core (cpu.ts, Green
 * Algorithms' TDP-per-core model); CO₂e = kWh × grid intensity (carbon.ts). Memory, GPUs and
 * reading the data are not included.
 */
import type { TrainingConfig } from '../config/types';
import type { RunRecord } from '../report/types';
import { carbonIntensityFromConfig, co2eOf, DEFAULT_CARBON_INTENSITY, joulesToKWh } from './carbon';
import { detectProcessor } from './cpu';
import type { CarbonIntensity, EnergyReport, ProcessorSpec, RunEstimate, Throughput } from './types';

/** The documented default throughput (see the module comment). */
export const DEFAULT_THROUGHPUT: Readonly<Throughput> = Object.freeze({
  flopsPerSecond: 4e9,
  overheadSecondsPerSample: 3e-6,
  cpuPerWall: 1,
  kind: 'assumed',
  basis:
    'assumed: 4 GFLOP/s and 3 µs per example on one core, fitted to this training loop on a 2-vCPU AMD EPYC VM (Node 20, WebAssembly backend), within a factor 2.5 across network sizes',
});

/** FLOPs per parameter of one optimizer update. */
const UPDATE_FLOPS = { adam: 10, sgd: 2 } as const;

/** The shape of a training run, as the estimate needs it. */
export interface RunShape {
  /** Training examples per epoch. */
  rows: number;
  /** Model inputs (after one-hot encoding, when known). */
  features: number;
  /** Hidden layer sizes ([] for logistic or linear regression). */
  hidden: readonly number[];
  /** Output units (1 for binary and regression, K for multiclass); default 1. */
  outputs?: number;
  epochs: number;
  batchSize: number;
  optimizer?: 'adam' | 'sgd';
  /** Validation examples, evaluated once per epoch (forward only). Default 0. */
  validationRows?: number;
  /** Test examples, predicted once at the end (forward only). Default 0. */
  testRows?: number;
  /** Models trained on this shape (2 with reweighing's baseline). Default 1. */
  trainings?: number;
  /** k-fold cross-validation: k models on (k−1)/k of `rows` (rows = the pool), full epochs. */
  crossValidation?: { k: number; poolRows: number };
  /** Early stopping may end training sooner: the estimate is then an upper bound. */
  earlyStopping?: boolean;
}

/** Options of the estimate. */
export interface EstimateOptions {
  throughput?: Throughput;
  processor?: ProcessorSpec;
  carbonIntensity?: CarbonIntensity;
}

/** Parameters (weights and biases) of a dense network. */
export function parameterCount(features: number, hidden: readonly number[], outputs = 1): number {
  let prev = features;
  let n = 0;
  for (const h of [...hidden, outputs]) {
    n += prev * h + h;
    prev = h;
  }
  return n;
}

/** FLOPs of one forward pass and of one training step, per example (see the module comment). */
export function flopsPerSample(features: number, hidden: readonly number[], outputs = 1, batchSize = 1, optimizer: 'adam' | 'sgd' = 'adam'): { forward: number; train: number } {
  let prev = features;
  let forward = 0;
  for (const h of [...hidden, outputs]) {
    forward += 2 * prev * h + 2 * h;
    prev = h;
  }
  const update = (UPDATE_FLOPS[optimizer] * parameterCount(features, hidden, outputs)) / Math.max(1, batchSize);
  return { forward, train: 3 * forward + update };
}

/** The pre-run estimate for a run shape. */
export function estimateRun(shape: RunShape, opts: EstimateOptions = {}): RunEstimate {
  checkShape(shape);
  const throughput = opts.throughput ?? { ...DEFAULT_THROUGHPUT };
  const processor = opts.processor ?? detectProcessor();
  const intensity = opts.carbonIntensity ?? { ...DEFAULT_CARBON_INTENSITY };
  const outputs = shape.outputs ?? 1;
  const f = flopsPerSample(shape.features, shape.hidden, outputs, shape.batchSize, shape.optimizer ?? 'adam');
  const trainings = shape.trainings ?? 1;
  const cv = shape.crossValidation && shape.crossValidation.k > 1 ? shape.crossValidation : undefined;
  const cvTrainRows = cv ? cv.k * Math.round((cv.poolRows * (cv.k - 1)) / cv.k) : 0;
  const trainingSamples = trainings * shape.rows * shape.epochs + cvTrainRows * shape.epochs;
  const inferenceSamples = trainings * ((shape.validationRows ?? 0) * shape.epochs + (shape.testRows ?? 0)) + (cv ? cv.poolRows : 0);
  const totalFlops = trainingSamples * f.train + inferenceSamples * f.forward;
  const seconds =
    trainingSamples * (throughput.overheadSecondsPerSample + f.train / throughput.flopsPerSecond) +
    inferenceSamples * (throughput.overheadSecondsPerSample + f.forward / throughput.flopsPerSecond);
  const cpuSeconds = seconds * throughput.cpuPerWall;
  const joules = cpuSeconds * processor.wattsPerCore;
  const upperBound = shape.earlyStopping === true;
  const assumptions = [
    `${fmtCount(f.train)} FLOPs per training example (3 × ${fmtCount(f.forward)} forward + the ${shape.optimizer ?? 'adam'} update ÷ batch ${shape.batchSize})`,
    `${fmtCount(trainingSamples)} training examples (${trainings} × ${fmtCount(shape.rows)} rows × ${shape.epochs} epochs${cv ? ` + ${cv.k}-fold cross-validation` : ''})${upperBound ? '; early stopping may stop sooner, so this is an upper bound' : ''}`,
    `throughput ${throughput.basis}`,
    `${throughput.cpuPerWall} CPU-second(s) per second of training`,
    `power: ${processor.basis}`,
    `grid: ${intensity.gramsPerKWh} gCO₂e/kWh, ${intensity.source}`,
  ];
  return {
    kind: 'estimated',
    flopsPerSample: f,
    trainingSamples,
    inferenceSamples,
    totalFlops,
    seconds,
    cpuSeconds,
    joules,
    kWh: joulesToKWh(joules),
    co2e: co2eOf(joules, intensity),
    upperBound,
    throughput,
    processor,
    basis:
      `Estimated before the run: ${fmtCount(totalFlops)} FLOPs at ${fmtCount(throughput.flopsPerSecond)} FLOP/s plus ${throughput.overheadSecondsPerSample * 1e6} µs per example ` +
      `≈ ${fmtSeconds(seconds)}, × ${round(processor.wattsPerCore)} W per core (TDP-per-core model, Green Algorithms).`,
    assumptions,
  };
}

/** The data facts a config-based estimate needs (the lint's sample or a previous run gives them). */
export interface DataShape {
  /** Data rows (the lint's row count). */
  rows: number;
  /** Model inputs after one-hot encoding, when known (a previous run's `data.encodedFeatures`). */
  encodedFeatures?: number;
  /** Feature columns, when the encoded width is unknown (each counted as one input: a lower bound). */
  features?: number;
  /** Classes of the target (multiclass: the output width). */
  classes?: number;
}

/**
 * The pre-run estimate for a loaded config and its data: split sizes from `split.test` and
 * `split.validation`, the network from `model`, epochs, batch and optimizer from `train`, the
 * reweighing baseline and cross-validation folds from `fairness` and `evaluate`, and the non-private
 * comparison model from `privacy.dp`. The grid
 * intensity is the config's `sustainability.carbonIntensity` when set (pass `carbonIntensity`
 * to override).
 */
export function estimateTrainingEnergy(config: TrainingConfig, data: DataShape, opts: EstimateOptions = {}): RunEstimate {
  const rows = Math.max(0, Math.floor(data.rows));
  const test = Math.round(rows * config.split.test);
  const validation = Math.round(rows * config.split.validation);
  const train = Math.max(0, rows - test - validation);
  const features = data.encodedFeatures ?? data.features ?? config.data.features?.length ?? 1;
  const outputs = data.classes !== undefined && data.classes > 2 && config.data.positive === undefined ? data.classes : 1;
  const k = config.evaluate.crossValidation;
  let carbonIntensity = opts.carbonIntensity;
  let badIntensity: string | undefined;
  if (!carbonIntensity) {
    try {
      carbonIntensity = carbonIntensityFromConfig(config.raw);
    } catch (e) {
      // The lint calls this on configs being edited: a bad value is reported by validation, not here.
      badIntensity = e instanceof Error ? e.message : String(e);
    }
  }
  const estimate = estimateRun(
    {
      rows: train,
      features,
      hidden: config.model.type === 'mlp' ? config.model.hidden : [],
      outputs,
      epochs: config.train.epochs,
      batchSize: config.train.batchSize,
      optimizer: config.train.optimizer,
      validationRows: validation,
      testRows: test,
      // The reweighing baseline, and with privacy.dp the model trained without DP (the cost of privacy).
      trainings: 1 + (config.fairness.mitigation === 'reweighing' ? 1 : 0) + (config.privacy?.dp ? 1 : 0),
      crossValidation: k > 1 ? { k, poolRows: train + validation } : undefined,
      earlyStopping: config.train.earlyStopping !== undefined,
    },
    { ...opts, carbonIntensity },
  );
  if (badIntensity) estimate.assumptions.push(`the config's carbon intensity was not used (${badIntensity}); the default applies`);
  if (data.encodedFeatures === undefined) {
    estimate.assumptions.push(`${features} model inputs assumed (one per feature column); one-hot encoding of categorical columns adds more, so the estimate is low`);
  }
  return estimate;
}

/**
 * Throughput calibrated on a finished run: the final model's epoch times (run.history[].ms) over
 * its training and validation examples. The default's shape is kept and scaled to match the run
 * exactly; CPU per wall second comes from the run's energy report when it has one. Null when the
 * run has no usable timing (cancelled, no epochs).
 */
export function measureThroughput(run: RunRecord & { energy?: EnergyReport }): Throughput | null {
  const ms = run.history.reduce((s, e) => s + (Number.isFinite(e.ms) ? e.ms : 0), 0);
  const epochs = run.history.length;
  if (run.status !== 'completed' || epochs === 0 || ms <= 0 || run.data.train <= 0) return null;
  const f = flopsPerSample(run.model.inputs, run.model.hidden, run.model.outputs, run.train.batchSize, run.train.optimizer === 'sgd' ? 'sgd' : 'adam');
  const d = DEFAULT_THROUGHPUT;
  const predicted =
    run.data.train * epochs * (d.overheadSecondsPerSample + f.train / d.flopsPerSecond) +
    run.data.validation * epochs * (d.overheadSecondsPerSample + f.forward / d.flopsPerSecond);
  const scale = ms / 1000 / predicted;
  const cpuPerWall = run.energy && run.energy.wallSeconds > 0 ? run.energy.cpu.seconds / run.energy.wallSeconds : d.cpuPerWall;
  return {
    flopsPerSecond: d.flopsPerSecond / scale,
    overheadSecondsPerSample: d.overheadSecondsPerSample * scale,
    cpuPerWall,
    kind: 'measured',
    basis: `measured on run "${run.name}" (${run.finishedAt}): ${epochs} epochs of ${run.data.train} rows in ${fmtSeconds(ms / 1000)} on the ${run.backend.name} backend`,
  };
}

function checkShape(s: RunShape): void {
  const bad = (what: string, v: number) => {
    throw new Error(`estimateRun requires ${what} (got ${v})`);
  };
  if (!(Number.isFinite(s.rows) && s.rows >= 0)) bad('rows ≥ 0', s.rows);
  if (!(Number.isInteger(s.features) && s.features >= 1)) bad('an integer features ≥ 1', s.features);
  if (!(Number.isInteger(s.epochs) && s.epochs >= 0)) bad('an integer epochs ≥ 0', s.epochs);
  if (!(Number.isFinite(s.batchSize) && s.batchSize >= 1)) bad('batchSize ≥ 1', s.batchSize);
  for (const h of s.hidden) if (!(Number.isInteger(h) && h >= 1)) bad('hidden sizes that are integers ≥ 1', h);
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

/** 1234567 → "1.23 M"; small numbers as they are. */
function fmtCount(x: number): string {
  const units: [number, string][] = [[1e15, 'P'], [1e12, 'T'], [1e9, 'G'], [1e6, 'M'], [1e3, 'k']];
  for (const [v, u] of units) if (Math.abs(x) >= v) return `${(x / v).toPrecision(3)} ${u}`;
  return String(Math.round(x));
}

function fmtSeconds(s: number): string {
  if (s < 1) return `${Math.round(s * 1000)} ms`;
  if (s < 120) return `${s.toFixed(1)} s`;
  if (s < 7200) return `${(s / 60).toFixed(1)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}
