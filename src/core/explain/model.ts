/**
 * The model adapter: a run's preprocessing + network as one function of RAW feature rows,
 * f(rows) → outputs, computed in float64 JavaScript from the saved weights.
 *
 * Why not tfjs: explanations call the model on hundreds of thousands of small synthetic rows
 * (SHAP coalitions, LIME samples, permutations). Applying the first layer sparsely — a numeric
 * feature adds (v − center)/scale times its kernel row, a categorical one adds the kernel row of
 * its one-hot slot — costs M·H per row instead of D·H for the D encoded columns, needs no tensors
 * and is synchronous, deterministic and exact in float64. The mathematics are the run's:
 * impute (training median / mode) → scale → one-hot (unseen values to "(other)" when it exists,
 * else all zeros) → dense layers with the run's activation → sigmoid / softmax / identity.
 * A unit test checks it against the tfjs model's `predict` on the encoded matrix (to 1e-5, the
 * float32 precision of tfjs).
 */
import type { Task } from '../config/types';
import type { Preprocessor } from '../pipeline/preprocess';
import type { NetSpec } from '../report/types';
import type { Weights } from '../model/train';
import type { FeatureColumn, RawTable } from './table';

/**
 * Which number is explained:
 * - `probability`: P(class) (binary: the positive class; multiclass: the chosen class);
 * - `margin`: the network's output before the final sigmoid/softmax — the log-odds of the
 *   positive class for binary, the class's logit z_c for multiclass (softmax logits are defined
 *   up to a constant shared by all classes, which cancels in every explanation here);
 * - `value`: the regression output.
 */
export type { OutputSpace } from './types';
import type { OutputSpace } from './types';

export interface OutputSpec {
  space: OutputSpace;
  /** Output unit: 0 for binary (P(positive)) and regression; the class index for multiclass. */
  unit: number;
}

interface Layer {
  /** Kernel, row-major inputs × units. */
  w: Float64Array;
  b: Float64Array;
  inputs: number;
  units: number;
}

type FeaturePlan = { start: number; width: number } & (
  | { kind: 'numeric'; slot: number; median: number; center: number; scale: number }
  | { kind: 'categorical'; slotOf: Int32Array; missingSlot: number }
);

const CHUNK = 4096;

export class ModelAdapter {
  readonly task: Task;
  /** Output units: 1 (binary, regression) or K (multiclass). */
  readonly outputs: number;
  /** No hidden layer (logistic or linear regression): the margin is linear in the encoded inputs. */
  readonly linear: boolean;
  readonly features: FeatureColumn[];
  readonly spec: NetSpec;
  /** Encoded (one-hot) input width. */
  readonly encodedWidth: number;
  private readonly layers: Layer[];
  private readonly plans: FeaturePlan[];
  private readonly activation: NetSpec['activation'];
  /**
   * The first layer folded with the preprocessing: a numeric feature adds v·(W_row / scale) (its
   * centring folded into the bias, missing v at the median); a categorical feature adds the
   * kernel row of its level's one-hot slot (a table per level, then the missing value's row, then
   * an all-zero row for codes outside the levels).
   */
  private readonly first: { bias: Float64Array; numeric: Int32Array; median: Float64Array; numericW: Float64Array; categorical: Int32Array; contrib: Float64Array[] };

  constructor(pre: Preprocessor, weights: Weights, features: FeatureColumn[]) {
    const spec = weights.spec;
    if (pre.steps.length !== features.length) throw new Error(`ModelAdapter: ${features.length} feature columns for ${pre.steps.length} preprocessing steps`);
    if (pre.featureNames.length !== spec.inputs) throw new Error(`ModelAdapter: preprocessing makes ${pre.featureNames.length} inputs but the model takes ${spec.inputs}`);
    this.task = spec.task;
    this.outputs = spec.outputs;
    this.spec = spec;
    this.linear = spec.hidden.length === 0;
    this.features = features;
    this.activation = spec.activation;
    this.encodedWidth = spec.inputs;
    const t = weights.tensors;
    if (t.length !== 2 * (spec.hidden.length + 1)) throw new Error(`ModelAdapter: expected ${2 * (spec.hidden.length + 1)} weight tensors, got ${t.length}`);
    this.layers = [];
    for (let l = 0; l < t.length; l += 2) {
      const [inputs, units] = t[l].shape;
      if (t[l + 1].shape[0] !== units) throw new Error('ModelAdapter: bias and kernel shapes disagree');
      this.layers.push({ w: Float64Array.from(t[l].values), b: Float64Array.from(t[l + 1].values), inputs, units });
    }
    let offset = 0;
    this.plans = pre.steps.map((step, j) => {
      const f = features[j];
      if (f.name !== step.column || (f.kind === 'numeric') !== (step.kind === 'numeric')) throw new Error(`ModelAdapter: feature ${j} is '${f.name}' (${f.kind}) but the preprocessing step is '${step.column}' (${step.kind})`);
      if (step.kind === 'numeric') {
        const plan: FeaturePlan = { start: offset, width: 1, kind: 'numeric', slot: offset, median: step.median, center: step.center, scale: step.scale };
        offset += 1;
        return plan;
      }
      const index = new Map(step.categories.map((c, i) => [c, i]));
      const slotFor = (v: string): number => {
        const i = index.get(v);
        if (i !== undefined) return offset + i;
        return step.other ? offset + step.categories.length : -1;
      };
      const width = step.categories.length + (step.other ? 1 : 0);
      const plan: FeaturePlan = { start: offset, width, kind: 'categorical', slotOf: Int32Array.from(f.levels, slotFor), missingSlot: slotFor(step.mode) };
      offset += width;
      return plan;
    });
    if (offset !== spec.inputs) throw new Error(`ModelAdapter: the steps encode ${offset} columns, the model takes ${spec.inputs}`);
    this.first = this.firstLayer();
  }

  private firstLayer(): ModelAdapter['first'] {
    const { w, b, units: h } = this.layers[0];
    const bias = Float64Array.from(b);
    const numeric: number[] = [];
    const median: number[] = [];
    const numericW: number[] = [];
    const categorical: number[] = [];
    const contrib: Float64Array[] = [];
    this.plans.forEach((p, j) => {
      if (p.kind === 'numeric') {
        numeric.push(j);
        median.push(p.median);
        for (let u = 0; u < h; u++) {
          const a = w[p.slot * h + u] / p.scale;
          numericW.push(a);
          bias[u] -= p.center * a;
        }
      } else {
        categorical.push(j);
        const levels = p.slotOf.length;
        const table = new Float64Array((levels + 2) * h);
        const fill = (row: number, slot: number) => {
          if (slot >= 0) for (let u = 0; u < h; u++) table[row * h + u] = w[slot * h + u];
        };
        for (let c = 0; c < levels; c++) fill(c, p.slotOf[c]);
        fill(levels, p.missingSlot);
        contrib.push(table);
      }
    });
    return { bias, numeric: Int32Array.from(numeric), median: Float64Array.from(median), numericW: Float64Array.from(numericW), categorical: Int32Array.from(categorical), contrib };
  }

  /** The imputed value the model uses for a missing raw value of feature j (median, or the mode's level code; NaN if the mode is not a level). */
  imputed(j: number): number {
    const p = this.plans[j];
    if (p.kind === 'numeric') return p.median;
    for (let c = 0; c < p.slotOf.length; c++) if (p.slotOf[c] === p.missingSlot) return c;
    return NaN;
  }

  /** The encoded (imputed, scaled, one-hot) matrix, row-major n × encodedWidth, as `transform` makes it (in float64). */
  encode(t: RawTable): Float64Array {
    const d = this.encodedWidth;
    const out = new Float64Array(t.n * d);
    this.plans.forEach((p, j) => {
      const col = t.cols[j];
      for (let i = 0; i < t.n; i++) {
        if (p.kind === 'numeric') {
          const v = Number.isNaN(col[i]) ? p.median : col[i];
          out[i * d + p.slot] = (v - p.center) / p.scale;
        } else {
          const s = this.slot(p, col[i]);
          if (s >= 0) out[i * d + s] = 1;
        }
      }
    });
    return out;
  }

  /** The encoded columns of feature j: its single numeric column, or every one-hot slot of its step. */
  encodedColumns(j: number): number[] {
    const p = this.plans[j];
    return Array.from({ length: p.width }, (_, k) => p.start + k);
  }

  /** The linear model's kernel (encodedWidth × outputs, row-major) and bias; undefined for an MLP. */
  linearWeights(): { w: Float64Array; b: Float64Array } | undefined {
    if (!this.linear) return undefined;
    return { w: this.layers[0].w, b: this.layers[0].b };
  }

  /** Units of the first layer (the width of `firstLayer` pre-activations). */
  get firstWidth(): number {
    return this.layers[0].units;
  }

  /** The first layer's bias with the numeric features' centring folded in (add `contributions` to it). */
  firstBias(): Float64Array {
    return Float64Array.from(this.first.bias);
  }

  /**
   * Each feature's additive contribution to the first layer's pre-activation, row-major
   * n × features × firstWidth: pre-activation of row i = firstBias() + Σ_j contributions[i, j].
   */
  contributions(t: RawTable): Float64Array {
    const h0 = this.firstWidth;
    const m = this.features.length;
    const out = new Float64Array(t.n * m * h0);
    const fl = this.first;
    for (let q = 0; q < fl.numeric.length; q++) {
      const j = fl.numeric[q];
      const col = t.cols[j];
      const med = fl.median[q];
      for (let i = 0; i < t.n; i++) {
        const v = col[i] === col[i] ? col[i] : med;
        const o = (i * m + j) * h0;
        for (let u = 0; u < h0; u++) out[o + u] = v * fl.numericW[q * h0 + u];
      }
    }
    for (let q = 0; q < fl.categorical.length; q++) {
      const j = fl.categorical[q];
      const col = t.cols[j];
      const table = fl.contrib[q];
      const missingRow = table.length / h0 - 2;
      for (let i = 0; i < t.n; i++) {
        const code = col[i];
        const row = code !== code ? missingRow : code >= 0 && code < missingRow ? code : missingRow + 1;
        out.set(table.subarray(row * h0, (row + 1) * h0), (i * m + j) * h0);
      }
    }
    return out;
  }

  /** The network's outputs before the final sigmoid/softmax, row-major n × outputs. */
  logits(t: RawTable): Float64Array {
    const k = this.outputs;
    const out = new Float64Array(t.n * k);
    const h0 = this.firstWidth;
    const buf = new Float64Array(Math.min(CHUNK, Math.max(1, t.n)) * h0);
    for (let start = 0; start < t.n; start += CHUNK) {
      const m = Math.min(CHUNK, t.n - start);
      const h = buf.subarray(0, m * h0);
      this.firstLayerInto(t, start, m, h);
      out.set(this.head(h, m), start * k);
    }
    return out;
  }

  /** First layer, sparse: bias + Σ_features contribution (the precomputed tables of firstLayer()). */
  private firstLayerInto(t: RawTable, start: number, m: number, h: Float64Array): void {
    const h0 = this.firstWidth;
    const fl = this.first;
    for (let i = 0; i < m; i++) h.set(fl.bias, i * h0);
    for (let q = 0; q < fl.numeric.length; q++) {
      const col = t.cols[fl.numeric[q]];
      const med = fl.median[q];
      const w = fl.numericW.subarray(q * h0, (q + 1) * h0);
      if (h0 === 1) {
        const w0 = w[0];
        for (let i = 0; i < m; i++) {
          const raw = col[start + i];
          h[i] += (raw === raw ? raw : med) * w0;
        }
      } else {
        for (let i = 0; i < m; i++) {
          const raw = col[start + i];
          const v = raw === raw ? raw : med;
          if (v === 0) continue;
          const o = i * h0;
          for (let u = 0; u < h0; u++) h[o + u] += v * w[u];
        }
      }
    }
    for (let q = 0; q < fl.categorical.length; q++) {
      const col = t.cols[fl.categorical[q]];
      const table = fl.contrib[q];
      const missingRow = table.length / h0 - 2;
      const unseenRow = missingRow + 1;
      for (let i = 0; i < m; i++) {
        const code = col[start + i];
        const row = code !== code ? missingRow : code >= 0 && code < missingRow ? code : unseenRow;
        const o = i * h0;
        const base = row * h0;
        for (let u = 0; u < h0; u++) h[o + u] += table[base + u];
      }
    }
  }

  /**
   * The rest of the network from first-layer pre-activations (m × firstWidth, modified in place):
   * activation, the remaining dense layers; returns the logits (m × outputs, may alias `h`).
   */
  head(h: Float64Array, m: number): Float64Array {
    let a = h;
    let width = this.firstWidth;
    for (let l = 1; l < this.layers.length; l++) {
      activate(a, this.activation);
      const layer = this.layers[l];
      const units = layer.units;
      const lw = layer.w;
      const next = new Float64Array(m * units);
      if (units === 1) {
        // One output unit (binary, regression): a dot product per row.
        const b0 = layer.b[0];
        for (let i = 0; i < m; i++) {
          let acc = b0;
          const o = i * width;
          for (let u = 0; u < width; u++) acc += a[o + u] * lw[u];
          next[i] = acc;
        }
      } else {
        for (let i = 0; i < m; i++) {
          const o = i * units;
          next.set(layer.b, o);
          for (let u = 0; u < width; u++) {
            const av = a[i * width + u];
            if (av === 0) continue;
            const wRow = u * units;
            for (let c = 0; c < units; c++) next[o + c] += av * lw[wRow + c];
          }
        }
      }
      a = next;
      width = units;
    }
    return a.subarray(0, m * this.outputs);
  }

  /** All outputs in the given space: probabilities (sigmoid / softmax), margins (logits) or values; row-major n × outputs. */
  outputsOf(t: RawTable, space: OutputSpace): Float64Array {
    return this.fromLogits(this.logits(t), t.n, space);
  }

  /** Logits (n × outputs, modified in place) → outputs in the given space. */
  fromLogits(z: Float64Array, n: number, space: OutputSpace): Float64Array {
    if (space !== 'probability' || this.task === 'regression') return z;
    const k = this.outputs;
    if (this.task === 'binary') {
      for (let i = 0; i < n; i++) z[i] = sigmoid(z[i]);
      return z;
    }
    for (let i = 0; i < n; i++) softmaxInPlace(z, i * k, k);
    return z;
  }

  /** The explained output per row (see OutputSpec). */
  predict(t: RawTable, spec: OutputSpec): Float64Array {
    this.checkSpec(spec);
    return this.select(this.fromLogits(this.logits(t), t.n, spec.space), t.n, spec);
  }

  /** The explained unit's column of outputs (n × outputs). */
  select(all: Float64Array, n: number, spec: OutputSpec): Float64Array {
    const k = this.outputs;
    if (k === 1) return all.length === n ? all : all.slice(0, n);
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = all[i * k + spec.unit];
    return out;
  }

  /** Throw on an output spec that does not fit the task. */
  checkSpec(spec: OutputSpec): void {
    if (this.task === 'regression' && spec.space !== 'value') throw new Error(`a regression model's output space is 'value' (got '${spec.space}')`);
    if (this.task !== 'regression' && spec.space === 'value') throw new Error(`a classifier's output space is 'probability' or 'margin' (got 'value')`);
    if (!(Number.isInteger(spec.unit) && spec.unit >= 0 && spec.unit < this.outputs)) throw new Error(`output unit ${spec.unit} is outside 0..${this.outputs - 1}`);
  }

  private slot(p: { slotOf: Int32Array; missingSlot: number }, code: number): number {
    if (Number.isNaN(code)) return p.missingSlot;
    return p.slotOf[code] ?? -1;
  }
}

function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

function softmaxInPlace(z: Float64Array, offset: number, k: number): void {
  let max = -Infinity;
  for (let c = 0; c < k; c++) max = Math.max(max, z[offset + c]);
  let sum = 0;
  for (let c = 0; c < k; c++) {
    const e = Math.exp(z[offset + c] - max);
    z[offset + c] = e;
    sum += e;
  }
  for (let c = 0; c < k; c++) z[offset + c] /= sum;
}

function activate(a: Float64Array, act: NetSpec['activation']): void {
  switch (act) {
    case 'relu':
      for (let i = 0; i < a.length; i++) if (a[i] < 0) a[i] = 0;
      return;
    case 'tanh':
      for (let i = 0; i < a.length; i++) a[i] = Math.tanh(a[i]);
      return;
    case 'sigmoid':
      for (let i = 0; i < a.length; i++) a[i] = sigmoid(a[i]);
      return;
    case 'elu':
      // tfjs elu with alpha 1: x > 0 ? x : e^x − 1.
      for (let i = 0; i < a.length; i++) if (a[i] < 0) a[i] = Math.expm1(a[i]);
      return;
  }
}

/** The explained output's default space for a task: probability for classifiers, value for regression. */
export function defaultSpace(task: Task): OutputSpace {
  return task === 'regression' ? 'value' : 'probability';
}
