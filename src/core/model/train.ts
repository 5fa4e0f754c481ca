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
  /** DP-SGD: clip each example's gradient to clipNorm and add N(0, (noiseMultiplier·clipNorm)²) noise. */
  dp?: { clipNorm: number; noiseMultiplier: number };
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
  /** DP-SGD only: the share of per-example gradients that were clipped. */
  clippedShare?: number;
}

/**
 * Copy the rows order[start..end) into the batch buffers: x row-major, x transposed (for the
 * first layer's weight gradient, so tfjs needs no transpose), labels and sample weights.
 */
function fillBatch(data: TrainData, order: Int32Array, start: number, end: number, d: number, xBuf: Float32Array, xtBuf: Float32Array, yBuf: Float64Array, wBuf: Float64Array, w?: Float32Array): void {
  const m = end - start;
  for (let k = 0; k < m; k++) {
    const r = order[start + k];
    const row = data.x.subarray(r * d, r * d + d);
    xBuf.set(row, k * d);
    for (let j = 0; j < d; j++) xtBuf[j * m + k] = row[j];
    yBuf[k] = data.y[r];
    wBuf[k] = w ? w[r] : 1;
  }
}

/**
 * Train a network. Throws RmlCancelledError when the signal aborts (checked between batches).
 *
 * How a step runs (measured on the WASM backend, where per-op overhead dominates): tfjs does the
 * matrix products (fused with bias and activation on the way forward); the loss, its gradient
 * with respect to the logits, the activation derivatives' bookkeeping, the penalties and the
 * Adam/SGD update are done in JavaScript on small typed arrays. That is ~3× fewer tfjs ops per
 * step than autodiff + tf.train.adam, with identical mathematics (a unit test checks the
 * gradients against tf.grads to 1e-5).
 */
export async function train(tf: Tf, spec: NetSpec, data: TrainData, val: TrainData | undefined, opts: TrainOptions): Promise<TrainResult> {
  const rng = new Rng(opts.seed);
  const params = initParams(spec, rng);
  const optimizer = makeOptimizer(opts, params);
  const outW = spec.outputs;
  const wAll = data.w ? Float32Array.from(data.w) : undefined;
  const xBuf = new Float32Array(opts.batchSize * spec.inputs);
  const xtBuf = new Float32Array(opts.batchSize * spec.inputs);
  const yBuf = new Float64Array(opts.batchSize);
  const wBuf = new Float64Array(opts.batchSize);
  const dzBuf = new Float32Array(opts.batchSize * outW);
  const history: EpochLog[] = [];
  let best = { loss: Infinity, epoch: 0, snapshot: undefined as Float32Array[] | undefined };
  let stoppedEarly = false;
  const order = new Int32Array(data.rows).map((_, i) => i);
  // DP noise has its own seeded stream, so turning DP on does not change shuffles or dropout.
  const dp: DpStep | undefined = opts.dp ? { ...opts.dp, rng: new Rng(opts.seed ^ 0x5eed) } : undefined;
  let clippedTotal = 0;
  let examples = 0;
  for (let epoch = 1; epoch <= opts.epochs; epoch++) {
    const t0 = performance.now();
    rng.shuffle(order);
    let lossSum = 0;
    let steps = 0;
    for (let start = 0; start < data.rows; start += opts.batchSize) {
      if (opts.signal?.aborted) throw new RmlCancelledError('training cancelled');
      const end = Math.min(start + opts.batchSize, data.rows);
      const m = end - start;
      fillBatch(data, order, start, end, spec.inputs, xBuf, xtBuf, yBuf, wBuf, wAll);
      const masks = dropoutMasks(spec, m, rng);
      const g = batchGradients(tf, spec, params, { x: xBuf, xt: xtBuf, y: yBuf, w: wBuf, m }, masks, dzBuf, dp);
      if (g.clipped !== undefined) clippedTotal += g.clipped;
      examples += m;
      lossSum += g.loss * m;
      steps++;
      const grads = g.grads;
      lossSum += optimizer.step(params, grads, opts.l1, opts.l2) * m;
      // Yield to the event loop now and then so cancellation and progress can get through.
      if (steps % 32 === 0) await new Promise((r) => setImmediate(r));
    }
    // Mean over rows of (data loss + penalty), each batch weighted by its size.
    const meanLoss = lossSum / data.rows;
    let valLoss: number | null = null;
    let valMetric: number | null = null;
    if (val && val.rows > 0) {
      const r = evaluateSplit(tf, spec, params, val);
      valLoss = r.loss;
      valMetric = r.metric;
    }
    const log: EpochLog = { epoch, epochs: opts.epochs, loss: meanLoss, valLoss, valMetric, metricName: spec.task === 'regression' ? 'r2' : 'accuracy', ms: performance.now() - t0 };
    history.push(log);
    opts.onEpoch?.(log);
    if (opts.earlyStopping && valLoss !== null) {
      if (valLoss < best.loss - 1e-7) {
        best = { loss: valLoss, epoch, snapshot: params.map((p) => p.values.slice()) };
      } else if (epoch - best.epoch >= opts.earlyStopping.patience) {
        stoppedEarly = true;
        break;
      }
    }
    await new Promise((r) => setImmediate(r));
  }
  if (best.snapshot) best.snapshot.forEach((v, i) => params[i].values.set(v));
  const weights: Weights = { spec, tensors: params.map((p) => ({ shape: p.shape.slice(), values: p.values.slice() })) };
  return { weights, history, bestEpoch: best.snapshot ? best.epoch : history.length, stoppedEarly, clippedShare: dp ? clippedTotal / Math.max(examples, 1) : undefined };
}

/** One batch, already laid out: x (m × d), its transpose, labels and sample weights. */
export interface Batch {
  x: Float32Array;
  xt: Float32Array;
  y: ArrayLike<number>;
  w: ArrayLike<number>;
  m: number;
}

/** DP-SGD settings for a step: per-example clipping to `clipNorm`, Gaussian noise σ·clipNorm. */
export interface DpStep {
  clipNorm: number;
  noiseMultiplier: number;
  /** The seeded stream the noise is drawn from. */
  rng: Rng;
}

/**
 * The batch's weighted data loss and the gradients of that loss with respect to every parameter
 * ([dW0, db0, dW1, db1, ...]), by backpropagation written out for dense layers. Penalties are not
 * included (the optimizer adds them). `masks` are the inverted-dropout masks per hidden layer.
 *
 * With `dp` (DP-SGD, Abadi et al. 2016): each example's gradient gᵢ = wᵢ·∇ℓᵢ is clipped to norm C,
 * the clipped gradients are summed, N(0, σ²C²) noise is added to every coordinate, and the sum is
 * divided by the batch size. Per-example norms are computed without materialising per-example
 * gradients: for a dense layer gᵢ = aᵢ ⊗ δᵢ, so ‖gᵢ‖² = (‖aᵢ‖² + 1)·‖δᵢ‖² including the bias, summed
 * over layers; and since backpropagation is linear in the output gradient, scaling δ's rows by the
 * clip factors before the weight products gives Σᵢ clip(gᵢ) exactly.
 */
export function batchGradients(tf: Tf, spec: NetSpec, params: { shape: number[]; values: Float32Array }[], b: Batch, masks: (Float32Array | null)[], dzBuf = new Float32Array(b.m * spec.outputs), dp?: DpStep): { loss: number; grads: Float32Array[]; clipped?: number } {
  const { m } = b;
  const outW = spec.outputs;
  let loss = 0;
  let clipped: number | undefined;
  // Results leave tf.tidy through this array, not as its return value: tidy walks whatever it
  // returns looking for tensors, element by element for a typed array (it cost ~50% of a step).
  const grads: Float32Array[] = new Array(params.length);
  tf.tidy(() => {
    const w = params.map((p) => tf.tensor(p.values, p.shape));
    const x = tf.tensor2d(b.x.subarray(0, m * spec.inputs), [m, spec.inputs]);
    // Forward, keeping each layer's (post-dropout) activations for the backward pass.
    const acts: TF.Tensor2D[] = [x];
    const layers = w.length / 2;
    for (let l = 0; l < layers - 1; l++) {
      let a: TF.Tensor2D = dense(tf, acts[l], w[2 * l] as TF.Tensor2D, w[2 * l + 1], spec.activation);
      if (masks[l]) a = tf.mul(a, tf.tensor2d(masks[l]!, [m, spec.hidden[l]]));
      acts.push(a);
    }
    const z = dense(tf, acts[layers - 1], w[2 * (layers - 1)] as TF.Tensor2D, w[2 * (layers - 1) + 1], 'linear');
    // Loss and dLoss/dz in JS (z is small: m × outputs).
    loss = lossAndGrad(spec.task, z.dataSync(), b.y, b.w, m, outW, dzBuf);
    if (dp) {
      // Per-example gradients gᵢ = wᵢ·∇ℓᵢ: undo the batch normalisation Σw.
      let wSum = 0;
      for (let i = 0; i < m; i++) wSum += b.w[i];
      for (let i = 0; i < m * outW; i++) dzBuf[i] *= wSum;
    }
    // δ at every layer, from the output back (δ_L = dz).
    const deltas: TF.Tensor2D[] = new Array(layers);
    deltas[layers - 1] = tf.tensor2d(dzBuf.subarray(0, m * outW), [m, outW]);
    for (let l = layers - 1; l > 0; l--) {
      // dL/da = δ · Wᵀ; then through dropout (a mask that already scales a) and the activation.
      let da = tf.matMul(deltas[l], w[2 * l] as TF.Tensor2D, false, true);
      if (masks[l - 1]) da = tf.mul(da, tf.tensor2d(masks[l - 1]!, [m, spec.hidden[l - 1]]));
      deltas[l - 1] = tf.mul(da, activationDerivative(tf, spec.activation, acts[l], masks[l - 1], m, spec.hidden[l - 1])) as TF.Tensor2D;
    }
    if (dp) {
      let sq: TF.Tensor = tf.zeros([m]);
      for (let l = 0; l < layers; l++) sq = tf.add(sq, tf.mul(tf.add(tf.sum(tf.square(acts[l]), 1), 1), tf.sum(tf.square(deltas[l]), 1)));
      const norms = sq.dataSync();
      const factors = new Float32Array(m);
      let n = 0;
      for (let i = 0; i < m; i++) {
        const norm = Math.sqrt(norms[i]);
        factors[i] = norm > dp.clipNorm ? dp.clipNorm / norm : 1;
        if (norm > dp.clipNorm) n++;
      }
      clipped = n;
      const c = tf.tensor2d(factors, [m, 1]);
      for (let l = 0; l < layers; l++) deltas[l] = tf.mul(deltas[l], c) as TF.Tensor2D;
    }
    for (let l = layers - 1; l >= 0; l--) {
      const dW = l === 0 ? tf.matMul(tf.tensor2d(b.xt.subarray(0, m * spec.inputs), [spec.inputs, m]), deltas[l]) : tf.matMul(acts[l], deltas[l], true, false);
      grads[2 * l] = dW.dataSync() as Float32Array;
      grads[2 * l + 1] = tf.sum(deltas[l], 0).dataSync() as Float32Array;
    }
  });
  if (dp) {
    const sd = dp.noiseMultiplier * dp.clipNorm;
    for (const g of grads) for (let j = 0; j < g.length; j++) g[j] = (g[j] + sd * dp.rng.normal()) / m;
  }
  return { loss, grads, clipped };
}

interface Param {
  shape: number[];
  values: Float32Array;
  /** Kernel (penalised) or bias. */
  kernel: boolean;
}

/** Glorot-uniform kernels (Keras' default) and zero biases, drawn from the seeded stream. */
function initParams(spec: NetSpec, rng: Rng): Param[] {
  const sizes = [spec.inputs, ...spec.hidden, spec.outputs];
  const params: Param[] = [];
  for (let l = 0; l + 1 < sizes.length; l++) {
    const [fanIn, fanOut] = [sizes[l], sizes[l + 1]];
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    const w = new Float32Array(fanIn * fanOut);
    for (let i = 0; i < w.length; i++) w[i] = (rng.next() * 2 - 1) * limit;
    params.push({ shape: [fanIn, fanOut], values: w, kernel: true }, { shape: [fanOut], values: new Float32Array(fanOut), kernel: false });
  }
  return params;
}

interface Optimizer {
  /** Apply one update in place; returns the penalty term l1·Σ|W| + l2·ΣW² before the update. */
  step(params: Param[], grads: Float32Array[], l1: number, l2: number): number;
}

/**
 * Adam (Kingma & Ba, with tfjs's defaults β1 0.9, β2 0.999, ε 1e-7 and the bias correction folded
 * into the step size, as tf.train.adam does) or plain SGD. The penalty's gradient
 * l1·sign(W) + 2·l2·W is added to each kernel's gradient.
 */
function makeOptimizer(opts: TrainOptions, params: Param[]): Optimizer {
  const lr = opts.learningRate;
  if (opts.optimizer === 'sgd') {
    return {
      step(ps, grads, l1, l2) {
        let penalty = 0;
        ps.forEach((p, i) => {
          const v = p.values;
          const g = grads[i];
          for (let j = 0; j < v.length; j++) {
            let gj = g[j];
            if (p.kernel && (l1 > 0 || l2 > 0)) {
              penalty += l1 * Math.abs(v[j]) + l2 * v[j] * v[j];
              gj += l1 * Math.sign(v[j]) + 2 * l2 * v[j];
            }
            v[j] -= lr * gj;
          }
        });
        return penalty;
      },
    };
  }
  const b1 = 0.9;
  const b2 = 0.999;
  const eps = 1e-7;
  const m = params.map((p) => new Float64Array(p.values.length));
  const s = params.map((p) => new Float64Array(p.values.length));
  let t = 0;
  return {
    step(ps, grads, l1, l2) {
      t++;
      const lrT = (lr * Math.sqrt(1 - b2 ** t)) / (1 - b1 ** t);
      let penalty = 0;
      ps.forEach((p, i) => {
        const v = p.values;
        const g = grads[i];
        const mi = m[i];
        const si = s[i];
        for (let j = 0; j < v.length; j++) {
          let gj = g[j];
          if (p.kernel && (l1 > 0 || l2 > 0)) {
            penalty += l1 * Math.abs(v[j]) + l2 * v[j] * v[j];
            gj += l1 * Math.sign(v[j]) + 2 * l2 * v[j];
          }
          mi[j] = b1 * mi[j] + (1 - b1) * gj;
          si[j] = b2 * si[j] + (1 - b2) * gj * gj;
          v[j] -= (lrT * mi[j]) / (Math.sqrt(si[j]) + eps);
        }
      });
      return penalty;
    },
  };
}

/**
 * Weighted mean loss of a batch, and its gradient with respect to the logits written to `dz`.
 * Weights are normalised to Σw = 1 over the batch, so the loss is Σ wᵢ·lossᵢ / Σ wᵢ.
 * binary: log-loss on sigmoid(z), stable form max(z,0) − z·y + log(1 + e^−|z|); dz = w·(σ(z) − y).
 * multiclass: softmax cross-entropy logsumexp(z) − z_y; dz = w·(softmax(z) − onehot(y)).
 * regression: (z − y)²; dz = 2w·(z − y).
 */
export function lossAndGrad(task: NetSpec['task'], z: ArrayLike<number>, y: ArrayLike<number>, w: ArrayLike<number>, m: number, k: number, dz: Float32Array): number {
  let wSum = 0;
  for (let i = 0; i < m; i++) wSum += w[i];
  const inv = wSum > 0 ? 1 / wSum : 0;
  let loss = 0;
  for (let i = 0; i < m; i++) {
    const wi = w[i] * inv;
    if (task === 'binary') {
      const zi = z[i];
      const yi = y[i];
      loss += wi * (Math.max(zi, 0) - zi * yi + Math.log1p(Math.exp(-Math.abs(zi))));
      dz[i] = wi * (1 / (1 + Math.exp(-zi)) - yi);
    } else if (task === 'multiclass') {
      let max = -Infinity;
      for (let c = 0; c < k; c++) max = Math.max(max, z[i * k + c]);
      let sum = 0;
      for (let c = 0; c < k; c++) sum += Math.exp(z[i * k + c] - max);
      const lse = max + Math.log(sum);
      const yi = y[i];
      loss += wi * (lse - z[i * k + yi]);
      for (let c = 0; c < k; c++) dz[i * k + c] = wi * (Math.exp(z[i * k + c] - lse) - (c === yi ? 1 : 0));
    } else {
      const d = z[i] - y[i];
      loss += wi * d * d;
      dz[i] = 2 * wi * d;
    }
  }
  return loss;
}

/** Inverted-dropout masks per hidden layer (0 or 1/(1−rate)), from the seeded stream; null when off. */
function dropoutMasks(spec: NetSpec, m: number, rng: Rng): (Float32Array | null)[] {
  return spec.hidden.map((h) => {
    if (spec.dropout <= 0) return null;
    const keep = 1 - spec.dropout;
    const mask = new Float32Array(m * h);
    for (let i = 0; i < mask.length; i++) mask[i] = rng.next() < keep ? 1 / keep : 0;
    return mask;
  });
}

/**
 * f'(pre-activation) expressed through the activation's output a (after dropout scaling, which is
 * undone here): relu → [a > 0], tanh → 1 − a², sigmoid → a(1 − a), elu → a > 0 ? 1 : a + 1.
 */
function activationDerivative(tf: Tf, act: NetSpec['activation'], aDropped: TF.Tensor, mask: Float32Array | null, m: number, h: number): TF.Tensor {
  if (act === 'relu') return tf.step(aDropped);
  // Recover the pre-dropout activation where the unit was kept (dropped units get 0 gradient anyway).
  const a = mask ? tf.div(aDropped, tf.maximum(tf.tensor2d(mask, [m, h]), 1e-12)) : aDropped;
  switch (act) {
    case 'tanh':
      return tf.sub(1, tf.square(a));
    case 'sigmoid':
      return tf.mul(a, tf.sub(1, a));
    case 'elu':
      return tf.where(tf.greater(a, 0), tf.onesLike(a), tf.add(a, 1));
  }
}

/**
 * Predict with trained weights. Returns, per row: binary → P(y=1); regression → the value;
 * multiclass → K probabilities (row-major, length rows·K).
 */
export function predict(tf: Tf, weights: Weights, x: Float32Array, rows: number): Float32Array {
  const z = logits(tf, weights, x, rows);
  const spec = weights.spec;
  if (spec.task === 'binary') return z.map((v) => 1 / (1 + Math.exp(-v)));
  if (spec.task === 'multiclass') {
    const k = spec.outputs;
    for (let i = 0; i < rows; i++) {
      let max = -Infinity;
      for (let c = 0; c < k; c++) max = Math.max(max, z[i * k + c]);
      let sum = 0;
      for (let c = 0; c < k; c++) sum += Math.exp(z[i * k + c] - max);
      for (let c = 0; c < k; c++) z[i * k + c] = Math.exp(z[i * k + c] - max) / sum;
    }
  }
  return z;
}

/** The network's outputs before the final sigmoid/softmax (rows × outputs), computed in chunks. */
function logits(tf: Tf, weights: Weights, x: Float32Array, rows: number): Float32Array {
  const spec = weights.spec;
  const out = new Float32Array(rows * spec.outputs);
  const chunk = 8192;
  tf.tidy(() => {
    const w = weights.tensors.map((t) => tf.tensor(t.values, t.shape));
    for (let start = 0; start < rows; start += chunk) {
      const end = Math.min(start + chunk, rows);
      tf.tidy(() => {
        let h: TF.Tensor2D = tf.tensor2d(x.subarray(start * spec.inputs, end * spec.inputs), [end - start, spec.inputs]);
        const layers = w.length / 2;
        for (let l = 0; l < layers; l++) h = dense(tf, h, w[2 * l] as TF.Tensor2D, w[2 * l + 1], l < layers - 1 ? spec.activation : 'linear');
        out.set(h.dataSync(), start * spec.outputs);
      });
    }
  });
  return out;
}

/** a·W + b followed by the activation, fused into one op where tfjs supports it (not tanh). */
function dense(tf: Tf, a: TF.Tensor2D, w: TF.Tensor2D, b: TF.Tensor, act: NetSpec['activation'] | 'linear'): TF.Tensor2D {
  if (act === 'tanh') return tf.tanh(tf.add(tf.matMul(a, w), b)) as TF.Tensor2D;
  return tf.fused.matMul({ a, b: w, bias: b, activation: act }) as TF.Tensor2D;
}

/** Weighted loss (unregularized) and accuracy or R² on a split, in chunks, without dropout. */
function evaluateSplit(tf: Tf, spec: NetSpec, params: Param[], d: TrainData): { loss: number; metric: number } {
  const weights: Weights = { spec, tensors: params.map((p) => ({ shape: p.shape, values: p.values })) };
  const k = spec.outputs;
  const z = logits(tf, weights, d.x, d.rows);
  const w = d.w ? Float64Array.from(d.w) : new Float64Array(d.rows).fill(1);
  const loss = lossAndGrad(spec.task, z, d.y, w, d.rows, k, new Float32Array(d.rows * k));
  let metric: number;
  if (spec.task === 'regression') {
    let mean = 0;
    for (let i = 0; i < d.rows; i++) mean += d.y[i] / d.rows;
    let ssRes = 0;
    let ssTot = 0;
    for (let i = 0; i < d.rows; i++) {
      ssRes += (z[i] - d.y[i]) ** 2;
      ssTot += (d.y[i] - mean) ** 2;
    }
    metric = ssTot > 0 ? 1 - ssRes / ssTot : ssRes === 0 ? 1 : 0;
  } else {
    let correct = 0;
    for (let i = 0; i < d.rows; i++) {
      let pred: number;
      if (spec.task === 'binary') pred = z[i] > 0 ? 1 : 0;
      else {
        pred = 0;
        for (let c = 1; c < k; c++) if (z[i * k + c] > z[i * k + pred]) pred = c;
      }
      correct += pred === d.y[i] ? 1 : 0;
    }
    metric = correct / d.rows;
  }
  return { loss, metric };
}
