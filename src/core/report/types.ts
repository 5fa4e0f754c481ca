/**
 * The run record's shape (run.json) and the types it is made of. Pure types with no Node or
 * tfjs imports, so that the webview (browser code) can import them through src/protocol.
 */
import type { Task } from '../config/types';
import type { Evaluation } from '../evaluate';

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
  config: { file: string; hash: string };
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
  timings: { readMs: number; trainMs: number; evaluateMs: number; totalMs: number };
}
