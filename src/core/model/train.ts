/**
 * The training loop: a dense network (logistic/linear = no hidden layer, mlp = hidden layers)
 * trained with mini-batch Adam or SGD on a seeded shuffle.
 *
 * Loss: per-example cross-entropy on logits (sigmoid for binary, softmax for multiclass) or
 * squared error (regression), averaged with sample weights as Σ wᵢ·lossᵢ / Σ wᵢ, plus
 * l1·Σ|W| + l2·ΣW² over kernels (not biases), as Keras regularizers do.
 * Early stopping watches the validation loss (unregularized, weighted) and restores the
 * weights of the best epoch. Everything random (initial weights, shuffles, dropout masks)
 * comes from one seeded stream, so a seed gives the same model on the same backend.
 * Tensors are created inside `tf.tidy` or disposed explicitly: after `train` returns, the
 * number of live tensors is back to what it was (a unit test asserts this).
 */
import type * as TF from '@tensorflow/tfjs';
import type { EpochLog, NetSpec } from '../report/types';
import { RmlCancelledError } from '../errors';
import { Rng } from '../util/random';
import type { Tf } from './backend';

export type { EpochLog, NetSpec };


export interface TrainOptions {
  epochs: number;
  batchSize: number;
  optimizer: 'adam' | 'sgd';
  learningRate: number;
  l1: number;
  l2: number;
  earlyStopping?: { patience: number };
  seed: number;
  signal?: AbortSignal;
  onEpoch?: (e: EpochLog) => void;
}

/** A matrix of features (row-major) with labels and optional per-row weights. */
export interface TrainData {
  x: Float32Array;
  /** 0/1 (binary), class index (multiclass) or value (regression). */
  y: ArrayLike<number>;
  /** Per-row sample weights (reweighing, class weights); default 1. */
  w?: ArrayLike<number>;
  rows: number;
}


/** Trained weights as plain arrays: [W0, b0, W1, b1, ...], each with its shape. */
export interface Weights {
  spec: NetSpec;
  tensors: { shape: number[]; values: Float32Array }[];
}

export interface TrainResult {
  weights: Weights;
  history: EpochLog[];
  /** 1-based epoch whose weights were kept (the best one with early stopping, else the last). */
  bestEpoch: number;
  stoppedEarly: boolean;
}

/** Train a network. Throws RmlCancelledError when the signal aborts (checked between batches). */
export async function train(tf: Tf, spec: NetSpec, data: TrainData, val: TrainData | undefined, opts: TrainOptions): Promise<TrainResult> {
  const rng = new Rng(opts.seed);
  const vars = initWeights(tf, spec, rng);
  const optimizer = opts.optimizer === 'adam' ? tf.train.adam(opts.learningRate) : tf.train.sgd(opts.learningRate);
  // Batches are assembled in JS from the shuffled order and uploaded once each: on the WASM and
  // CPU backends this is several times cheaper than tf.gather on a resident tensor.
  const wAll = data.w ? Float32Array.from(data.w) : undefined;
  const yWidth = spec.task === 'multiclass' ? spec.outputs : 1;
  const xBuf = new Float32Array(opts.batchSize * spec.inputs);
  const yBuf = new Float32Array(opts.batchSize * yWidth);
  const wBuf = new Float32Array(opts.batchSize);
  const valT = val && val.rows > 0 ? { x: tf.tensor2d(val.x, [val.rows, spec.inputs]), y: labelsTensor(tf, spec, val.y, val.rows), w: tf.tensor1d(val.w ? Float32Array.from(val.w) : new Float32Array(val.rows).fill(1)) } : undefined;
  const history: EpochLog[] = [];
  let best = { loss: Infinity, epoch: 0, snapshot: undefined as Float32Array[] | undefined };
  let stoppedEarly = false;
  const order = new Int32Array(data.rows).map((_, i) => i);
  try {
    for (let epoch = 1; epoch <= opts.epochs; epoch++) {
      const t0 = performance.now();
      rng.shuffle(order);
      const losses: TF.Scalar[] = [];
      for (let start = 0; start < data.rows; start += opts.batchSize) {
        if (opts.signal?.aborted) throw new RmlCancelledError('training cancelled');
        const end = Math.min(start + opts.batchSize, data.rows);
        const dropoutSeed = rng.seed();
        const m = end - start;
        fillBatch(data, order, start, end, spec, xBuf, yBuf, wBuf, wAll);
        const cost = tf.tidy(() => {
          const xb = tf.tensor2d(xBuf.subarray(0, m * spec.inputs), [m, spec.inputs]);
          const yb = tf.tensor2d(yBuf.subarray(0, m * yWidth), [m, yWidth]);
          const wb = tf.tensor1d(wBuf.subarray(0, m));
          return optimizer.minimize(
            () => tf.add(weightedLoss(tf, spec, forward(tf, spec, vars, xb, true, dropoutSeed), yb, wb), penalty(tf, vars, opts.l1, opts.l2)) as TF.Scalar,
            true,
            vars,
          )!;
        });
        losses.push(cost);
        // Yield to the event loop now and then so cancellation and progress can get through.
        if (losses.length % 32 === 0) await new Promise((r) => setImmediate(r));
      }
      // Mean over rows: each batch's mean loss weighted by its size (the last batch may be short).
      const batchLosses = tf.tidy(() => tf.stack(losses).dataSync());
      let lossSum = 0;
      batchLosses.forEach((l, b) => (lossSum += l * (Math.min((b + 1) * opts.batchSize, data.rows) - b * opts.batchSize)));
      const meanLoss = lossSum / data.rows;
      tf.dispose(losses);
      let valLoss: number | null = null;
      let valMetric: number | null = null;
      if (valT) {
        const r = evaluateSplit(tf, spec, vars, valT.x, valT.y, valT.w);
        valLoss = r.loss;
        valMetric = r.metric;
      }
      const log: EpochLog = { epoch, epochs: opts.epochs, loss: meanLoss, valLoss, valMetric, metricName: spec.task === 'regression' ? 'r2' : 'accuracy', ms: performance.now() - t0 };
      history.push(log);
      opts.onEpoch?.(log);
      if (opts.earlyStopping && valLoss !== null) {
        if (valLoss < best.loss - 1e-7) {
          best = { loss: valLoss, epoch, snapshot: vars.map((v) => v.dataSync().slice() as Float32Array) };
        } else if (epoch - best.epoch >= opts.earlyStopping.patience) {
          stoppedEarly = true;
          break;
        }
      }
      await new Promise((r) => setImmediate(r));
    }
    if (best.snapshot) {
      const snapshot = best.snapshot;
      vars.forEach((v, i) => tf.tidy(() => v.assign(tf.tensor(snapshot[i], v.shape))));
    }
    const weights: Weights = { spec, tensors: vars.map((v) => ({ shape: v.shape.slice(), values: v.dataSync().slice() as Float32Array })) };
    return { weights, history, bestEpoch: best.snapshot ? best.epoch : history.length, stoppedEarly };
  } finally {
    tf.dispose(vars);
    if (valT) tf.dispose([valT.x, valT.y, valT.w]);
    optimizer.dispose();
  }
}

/**
 * Predict with trained weights. Returns, per row: binary → P(y=1); regression → the value;
 * multiclass → K probabilities (row-major, length rows·K).
 */
export function predict(tf: Tf, weights: Weights, x: Float32Array, rows: number): Float32Array {
  const spec = weights.spec;
  const vars = weights.tensors.map((t) => tf.tensor(t.values, t.shape));
  try {
    const out = new Float32Array(rows * (spec.task === 'multiclass' ? spec.outputs : 1));
    const chunk = 8192;
    for (let start = 0; start < rows; start += chunk) {
      const end = Math.min(start + chunk, rows);
      const part = tf.tidy(() => {
        const xb = tf.tensor2d(x.subarray(start * spec.inputs, end * spec.inputs), [end - start, spec.inputs]);
        const z = forward(tf, spec, vars, xb, false, 0);
        const p = spec.task === 'binary' ? tf.sigmoid(z) : spec.task === 'multiclass' ? tf.softmax(z) : z;
        return p.dataSync() as Float32Array;
      });
      out.set(part, start * (spec.task === 'multiclass' ? spec.outputs : 1));
    }
    return out;
  } finally {
    tf.dispose(vars);
  }
}

let variableId = 0;

/** Copy the rows order[start..end) into the batch buffers (one-hot labels for multiclass). */
function fillBatch(data: TrainData, order: Int32Array, start: number, end: number, spec: NetSpec, xBuf: Float32Array, yBuf: Float32Array, wBuf: Float32Array, w?: Float32Array): void {
  const d = spec.inputs;
  const multi = spec.task === 'multiclass';
  if (multi) yBuf.fill(0);
  for (let k = 0; k < end - start; k++) {
    const r = order[start + k];
    xBuf.set(data.x.subarray(r * d, r * d + d), k * d);
    if (multi) yBuf[k * spec.outputs + data.y[r]] = 1;
    else yBuf[k] = data.y[r];
    wBuf[k] = w ? w[r] : 1;
  }
}

/** Glorot-uniform kernels (as Keras' default) and zero biases, drawn from the seeded stream. */
function initWeights(tf: Tf, spec: NetSpec, rng: Rng): TF.Variable[] {
  const sizes = [spec.inputs, ...spec.hidden, spec.outputs];
  const vars: TF.Variable[] = [];
  for (let l = 0; l + 1 < sizes.length; l++) {
    const [fanIn, fanOut] = [sizes[l], sizes[l + 1]];
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    const w = new Float32Array(fanIn * fanOut);
    for (let i = 0; i < w.length; i++) w[i] = (rng.next() * 2 - 1) * limit;
    // tf.variable copies its initial value: dispose the initial tensors right away.
    const w0 = tf.tensor2d(w, [fanIn, fanOut]);
    const b0 = tf.zeros([fanOut]);
    vars.push(tf.variable(w0, true, `W${l}_${variableId++}`), tf.variable(b0, true, `b${l}_${variableId++}`));
    tf.dispose([w0, b0]);
  }
  return vars;
}

/** Logits (pre-sigmoid/softmax) or regression outputs, shape [n, outputs]. */
function forward(tf: Tf, spec: NetSpec, vars: TF.Variable[] | TF.Tensor[], x: TF.Tensor, training: boolean, seed: number): TF.Tensor2D {
  let h: TF.Tensor = x;
  const layers = vars.length / 2;
  for (let l = 0; l < layers; l++) {
    h = tf.add(tf.matMul(h as TF.Tensor2D, vars[2 * l] as TF.Tensor2D), vars[2 * l + 1]);
    if (l < layers - 1) {
      h = activate(tf, h, spec.activation);
      if (training && spec.dropout > 0) h = tf.dropout(h, spec.dropout, undefined, seed + l);
    }
  }
  return h as TF.Tensor2D;
}

function activate(tf: Tf, h: TF.Tensor, a: NetSpec['activation']): TF.Tensor {
  switch (a) {
    case 'relu': return tf.relu(h);
    case 'tanh': return tf.tanh(h);
    case 'sigmoid': return tf.sigmoid(h);
    case 'elu': return tf.elu(h);
  }
}

function labelsTensor(tf: Tf, spec: NetSpec, y: ArrayLike<number>, rows: number): TF.Tensor {
  if (spec.task === 'multiclass') return tf.tidy(() => tf.oneHot(tf.tensor1d(Int32Array.from(y), 'int32'), spec.outputs).toFloat());
  return tf.tensor2d(Float32Array.from(y), [rows, 1]);
}

/** Per-example loss averaged with weights: Σ wᵢ·lossᵢ / Σ wᵢ. */
function weightedLoss(tf: Tf, spec: NetSpec, z: TF.Tensor2D, y: TF.Tensor, w: TF.Tensor): TF.Scalar {
  let per: TF.Tensor;
  if (spec.task === 'binary') {
    // Numerically stable sigmoid cross-entropy: max(z,0) − z·y + log(1 + e^−|z|).
    per = tf.add(tf.sub(tf.relu(z), tf.mul(z, y)), tf.log1p(tf.exp(tf.neg(tf.abs(z))))).reshape([-1]);
  } else if (spec.task === 'multiclass') {
    // Softmax cross-entropy: logsumexp(z) − Σ y·z.
    per = tf.sub(tf.logSumExp(z, 1), tf.sum(tf.mul(z, y), 1));
  } else {
    per = tf.square(tf.sub(z, y)).reshape([-1]);
  }
  return tf.div(tf.sum(tf.mul(per, w)), tf.maximum(tf.sum(w), 1e-12)) as TF.Scalar;
}

function penalty(tf: Tf, vars: TF.Variable[], l1: number, l2: number): TF.Scalar {
  let p: TF.Tensor = tf.scalar(0);
  for (let l = 0; l < vars.length; l += 2) {
    if (l1 > 0) p = tf.add(p, tf.mul(l1, tf.sum(tf.abs(vars[l]))));
    if (l2 > 0) p = tf.add(p, tf.mul(l2, tf.sum(tf.square(vars[l]))));
  }
  return p as TF.Scalar;
}

/** Weighted loss and accuracy (or R²) on a split, without dropout or regularization. */
function evaluateSplit(tf: Tf, spec: NetSpec, vars: TF.Variable[], x: TF.Tensor, y: TF.Tensor, w: TF.Tensor): { loss: number; metric: number } {
  return tf.tidy(() => {
    const z = forward(tf, spec, vars, x, false, 0);
    const loss = weightedLoss(tf, spec, z, y, w).dataSync()[0];
    let metric: number;
    if (spec.task === 'binary') {
      metric = tf.mean(tf.equal(tf.greater(z, 0).toFloat(), y).toFloat()).dataSync()[0];
    } else if (spec.task === 'multiclass') {
      metric = tf.mean(tf.equal(tf.argMax(z, 1), tf.argMax(y, 1)).toFloat()).dataSync()[0];
    } else {
      const ssRes = tf.sum(tf.square(tf.sub(z, y))).dataSync()[0];
      const ssTot = tf.sum(tf.square(tf.sub(y, tf.mean(y)))).dataSync()[0];
      metric = ssTot > 0 ? 1 - ssRes / ssTot : ssRes === 0 ? 1 : 0;
    }
    return { loss, metric };
  });
}
