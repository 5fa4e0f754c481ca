/**
 * The typed training config, after parsing, validation and defaults.
 * The JSON Schema in `rml.schema.json` (beside this file) is the source of truth for the keys;
 * this interface mirrors it with every default filled in.
 */
import type { SourceLocation } from '../errors';

export type ModelType = 'logistic' | 'mlp' | 'linear';
export type Task = 'binary' | 'multiclass' | 'regression';

export interface DataConfig {
  /** As written in the config (relative to the config file). */
  path: string;
  /** Absolute path, resolved against the config file's folder. */
  resolvedPath: string;
  target: string;
  /** The positive class's label value, as text (binary classification). */
  positive?: string;
  /** Explicit feature list; undefined = every column but target, ignore and sensitive. */
  features?: string[];
  ignore: string[];
  sensitive: string[];
  license?: string;
  /** CSV delimiter, default ','. */
  delimiter: string;
  /** Tokens read as missing values. Default ['', 'NA', 'N/A', '?', 'null']. */
  missing: string[];
  /** Declared text encoding; default utf-8. */
  encoding: 'utf-8' | 'latin1' | 'utf-16le';
}

export interface SplitConfig {
  test: number;        // default 0.2
  validation: number;  // default 0.1
  stratify: boolean;   // default true
  seed?: number;       // undefined = not set (lint RML011); the engine then uses 0 and says so
}

export interface PreprocessConfig {
  missing: 'impute' | 'drop';            // default impute (median / most frequent)
  scale: 'standard' | 'minmax' | 'none'; // default standard
  categorical: {
    encoding: 'onehot';
    /** At most this many categories per column; the rest go to an "other" bucket. Default 50. */
    maxCategories: number;
  };
}

export interface ModelConfig {
  type: ModelType;            // default logistic (the loader can't see the data: regression needs an explicit linear or mlp)
  hidden: number[];           // default [] (logistic/linear), [50] for mlp when absent
  activation: 'relu' | 'tanh' | 'sigmoid' | 'elu';  // default relu
  dropout: number;            // default 0
}

export interface TrainConfig {
  epochs: number;             // default 20
  batchSize: number;          // default 256
  optimizer: 'adam' | 'sgd';  // default adam
  learningRate: number;       // default 0.01 (adam) / 0.1 (sgd) when absent
  l1: number;                 // default 0
  l2: number;                 // default 0
  earlyStopping?: { patience: number; metric: 'val_loss' };  // when set: patience default 5, metric val_loss
  seed?: number;
  classWeight?: 'balanced';
}

export interface EvaluateConfig {
  crossValidation: number;    // k, 0 = off (default 0)
  threshold: number;          // default 0.5
}

export interface FairnessConfig {
  /** metric name → limit. Differences are maxima; ratios are minima. */
  thresholds: Record<string, number>;
  /** column → privileged value (as text). */
  privileged: Record<string, string>;
  mitigation: 'none' | 'reweighing' | 'threshold-demographic-parity' | 'threshold-equal-opportunity' | 'threshold-equalized-odds';
  /** Groups smaller than this are flagged unreliable. Default 30. */
  minGroupSize: number;
}

export interface TrainingConfig {
  /** Absolute path of the config file. */
  file: string;
  format: 'json' | 'yaml';
  name: string;
  description?: string;
  data: DataConfig;
  split: SplitConfig;
  preprocess: PreprocessConfig;
  model: ModelConfig;
  train: TrainConfig;
  evaluate: EvaluateConfig;
  fairness: FairnessConfig;
  documentation: Record<string, unknown>;
  lint: Record<string, unknown>;
  /** `privacy`: DP-SGD (`dp`), k-anonymity and de-identification settings ({} when absent). */
  privacy: PrivacyConfig;
  /** `sustainability` ({} when absent). */
  sustainability: SustainabilityConfig;
  /** The raw parsed object (before defaults), for hashing and lint rules. */
  raw: unknown;
  /** sha256 of the config file's bytes. */
  hash: string;
  /** Look up the source range of a key path, e.g. ['data', 'target'] (the value) — see SourceMap. */
  sourceMap: SourceMap;
}

/** Source ranges of keys and values in the config file, by key path. */
export interface SourceMap {
  /** Range of the value at the path, or undefined when the path is absent. */
  valueRange(path: (string | number)[]): SourceLocation | undefined;
  /** Range of the key at the path (the property name), or undefined. */
  keyRange(path: (string | number)[]): SourceLocation | undefined;
  /** The closest existing ancestor's key range (for "missing key" errors). Falls back to line 1. */
  nearest(path: (string | number)[]): SourceLocation;
}

/** The `privacy` section. Only `dp` changes training; the rest is read by `rml privacy` / `rml anonymize`. */
export interface PrivacyConfig {
  /** DP-SGD: per-example clipping to `clipNorm`, Gaussian noise σ·C, ε reported for `delta`. */
  dp?: { noiseMultiplier?: number; clipNorm: number; delta: number; targetEpsilon?: number };
  quasiIdentifiers?: unknown[];
  kAnonymity?: Record<string, unknown>;
  anonymize?: Record<string, unknown>;
}

/** The `sustainability` section. */
export interface SustainabilityConfig {
  /** Grid carbon intensity, gCO₂e/kWh, or with its source. */
  carbonIntensity?: number | { gramsPerKWh: number; source?: string };
}
