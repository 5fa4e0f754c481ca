import { strict as assert } from 'node:assert';
import { loadBackend, type LoadedBackend } from '../../src/core/model/backend';
import { batchGradients, predict, train, type NetSpec, type TrainData } from '../../src/core/model/train';
import { serializeModel } from '../../src/core/model/save';
import { RmlCancelledError } from '../../src/core/errors';
import { Rng } from '../../src/core/util/random';

/** Linearly separable data: y = 1 when x0 + x1 > 0. */
function separable(rows: number, seed: number): TrainData {
  const rng = new Rng(seed);
  const x = new Float32Array(rows * 2);
  const y = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    x[2 * i] = rng.normal();
    x[2 * i + 1] = rng.normal();
    y[i] = x[2 * i] + x[2 * i + 1] > 0 ? 1 : 0;
  }
  return { x, y, rows };
}

const logistic: NetSpec = { task: 'binary', inputs: 2, outputs: 1, hidden: [], activation: 'relu', dropout: 0 };
const opts = { epochs: 15, batchSize: 32, optimizer: 'adam' as const, learningRate: 0.05, l1: 0, l2: 0, seed: 3 };

describe('training loop', function () {
  let b: LoadedBackend;
  before(async () => {
    b = await loadBackend('auto');
  });

  it('reports the backend that runs (wasm here, since tfjs-node cannot install offline)', () => {
    assert.ok(['node', 'wasm', 'cpu'].includes(b.name));
    if (b.name !== 'node') assert.ok(b.notes.some((n) => /tfjs-node/.test(n)));
  });

  it('learns a separable problem (logistic regression)', async () => {
    const data = separable(400, 1);
    const r = await train(b.tf, logistic, data, undefined, opts);
    const p = predict(b.tf, r.weights, data.x, data.rows);
    let correct = 0;
    for (let i = 0; i < data.rows; i++) correct += (p[i] >= 0.5 ? 1 : 0) === data.y[i] ? 1 : 0;
    assert.ok(correct / data.rows > 0.95, `accuracy ${correct / data.rows}`);
    assert.ok(r.history[r.history.length - 1].loss < r.history[0].loss);
  });

  it('is deterministic for a seed (same weights, same losses), and the seed matters', async () => {
    const data = separable(200, 2);
    const mlp: NetSpec = { ...logistic, hidden: [8], dropout: 0.2 };
    const a = await train(b.tf, mlp, data, undefined, { ...opts, epochs: 3 });
    const c = await train(b.tf, mlp, data, undefined, { ...opts, epochs: 3 });
    const d = await train(b.tf, mlp, data, undefined, { ...opts, epochs: 3, seed: 4 });
    assert.deepEqual(a.weights.tensors.map((t) => Array.from(t.values)), c.weights.tensors.map((t) => Array.from(t.values)));
    assert.deepEqual(a.history.map((h) => h.loss), c.history.map((h) => h.loss));
    assert.notDeepEqual(a.weights.tensors[0].values, d.weights.tensors[0].values);
  });

  it('leaks no tensors: numTensors returns to its baseline', async () => {
    const before = b.tf.memory().numTensors;
    const data = separable(100, 3);
    const val = separable(50, 4);
    const r = await train(b.tf, { ...logistic, hidden: [4], dropout: 0.1 }, data, val, { ...opts, epochs: 4, earlyStopping: { patience: 1 }, l1: 0.001, l2: 0.001 });
    predict(b.tf, r.weights, val.x, val.rows);
    await serializeModel(b.tf, r.weights);
    assert.equal(b.tf.memory().numTensors, before);
  });

  it('leaks no tensors when cancelled, and throws RmlCancelledError', async () => {
    const before = b.tf.memory().numTensors;
    const ac = new AbortController();
    const data = separable(2000, 5);
    await assert.rejects(
      train(b.tf, logistic, data, undefined, { ...opts, epochs: 50, batchSize: 8, signal: ac.signal, onEpoch: (e) => e.epoch === 1 && ac.abort() }),
      RmlCancelledError,
    );
    assert.equal(b.tf.memory().numTensors, before);
  });

  it('early stopping stops after `patience` epochs without improvement and restores the best weights', async () => {
    // Labels are noise: the validation loss stops improving quickly while a big MLP overfits.
    const rng = new Rng(9);
    const mk = (rows: number): TrainData => ({ x: Float32Array.from({ length: rows * 2 }, () => rng.normal()), y: Float64Array.from({ length: rows }, () => rng.int(2)), rows });
    const r = await train(b.tf, { ...logistic, hidden: [64] }, mk(100), mk(100), { ...opts, epochs: 200, learningRate: 0.05, earlyStopping: { patience: 2 } });
    assert.ok(r.stoppedEarly);
    assert.equal(r.history.length, r.bestEpoch + 2);
    const best = Math.min(...r.history.map((h) => h.valLoss!));
    assert.equal(r.history[r.bestEpoch - 1].valLoss, best);
  });

  it('sample weights change the fit (a heavily weighted row pulls the boundary)', async () => {
    const data = separable(100, 6);
    const w = new Float32Array(100).fill(1);
    const plain = await train(b.tf, logistic, data, undefined, { ...opts, epochs: 5 });
    w[0] = 50;
    const weighted = await train(b.tf, logistic, { ...data, w }, undefined, { ...opts, epochs: 5 });
    assert.notDeepEqual(Array.from(plain.weights.tensors[0].values), Array.from(weighted.weights.tensors[0].values));
  });

  it('fits multiclass and regression', async () => {
    const rng = new Rng(11);
    const rows = 300;
    const x = Float32Array.from({ length: rows }, () => rng.normal());
    const cls = Float64Array.from(x, (v) => (v < -0.5 ? 0 : v < 0.5 ? 1 : 2));
    const m = await train(b.tf, { task: 'multiclass', inputs: 1, outputs: 3, hidden: [16], activation: 'tanh', dropout: 0 }, { x, y: cls, rows }, undefined, { ...opts, epochs: 40 });
    const p = predict(b.tf, m.weights, x, rows);
    let ok = 0;
    for (let i = 0; i < rows; i++) {
      const row = Array.from(p.subarray(3 * i, 3 * i + 3));
      assert.ok(Math.abs(row.reduce((a, c) => a + c, 0) - 1) < 1e-5);
      ok += row.indexOf(Math.max(...row)) === cls[i] ? 1 : 0;
    }
    assert.ok(ok / rows > 0.85, `multiclass accuracy ${ok / rows}`);
    const yr = Float64Array.from(x, (v) => 3 * v + 1);
    const reg = await train(b.tf, { task: 'regression', inputs: 1, outputs: 1, hidden: [], activation: 'relu', dropout: 0 }, { x, y: yr, rows }, undefined, { ...opts, epochs: 60, learningRate: 0.1 });
    // y = 3x + 1 exactly: the linear model should find slope 3 and intercept 1.
    assert.ok(Math.abs(reg.weights.tensors[0].values[0] - 3) < 0.05, `slope ${reg.weights.tensors[0].values[0]}`);
    assert.ok(Math.abs(reg.weights.tensors[1].values[0] - 1) < 0.05, `intercept ${reg.weights.tensors[1].values[0]}`);
  });

  it('saves a model that tfjs loads back with the same predictions', async () => {
    const data = separable(100, 7);
    const r = await train(b.tf, { ...logistic, hidden: [4] }, data, undefined, { ...opts, epochs: 3 });
    const files = await serializeModel(b.tf, r.weights);
    const json = JSON.parse(files.modelJson);
    const model = await b.tf.loadLayersModel(
      b.tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0].weights, weightData: new Uint8Array(files.weightsBin).buffer }),
    );
    const ours = predict(b.tf, r.weights, data.x, data.rows);
    const t = b.tf.tensor2d(data.x, [data.rows, 2]);
    const theirs = (model.predict(t) as import('@tensorflow/tfjs').Tensor).dataSync();
    t.dispose();
    model.dispose();
    for (let i = 0; i < data.rows; i++) assert.ok(Math.abs(ours[i] - theirs[i]) < 1e-5);
  });
});

describe('hand-written backpropagation', () => {
  // The training loop computes gradients by explicit backpropagation (fewer tfjs ops per step).
  // Reference: tfjs's automatic differentiation (tf.grads) of the same loss on the same weights.
  const cases: { task: NetSpec['task']; outputs: number; hidden: number[]; activation: NetSpec['activation'] }[] = [
    { task: 'binary', outputs: 1, hidden: [], activation: 'relu' },
    { task: 'binary', outputs: 1, hidden: [6, 4], activation: 'relu' },
    { task: 'multiclass', outputs: 3, hidden: [5], activation: 'tanh' },
    { task: 'multiclass', outputs: 3, hidden: [5], activation: 'sigmoid' },
    { task: 'regression', outputs: 1, hidden: [5], activation: 'elu' },
  ];
  for (const c of cases) {
    it(`matches tf.grads for ${c.task} with hidden [${c.hidden}] ${c.activation}`, async () => {
      const { tf } = await loadBackend('auto');
      const rng = new Rng(5);
      const m = 7;
      const d = 3;
      const spec: NetSpec = { task: c.task, inputs: d, outputs: c.outputs, hidden: c.hidden, activation: c.activation, dropout: 0 };
      const sizes = [d, ...c.hidden, c.outputs];
      const params: { shape: number[]; values: Float32Array }[] = [];
      for (let l = 0; l + 1 < sizes.length; l++) {
        params.push({ shape: [sizes[l], sizes[l + 1]], values: Float32Array.from({ length: sizes[l] * sizes[l + 1] }, () => rng.normal() * 0.7) });
        params.push({ shape: [sizes[l + 1]], values: Float32Array.from({ length: sizes[l + 1] }, () => rng.normal() * 0.1) });
      }
      const x = Float32Array.from({ length: m * d }, () => rng.normal());
      const xt = new Float32Array(m * d);
      for (let i = 0; i < m; i++) for (let j = 0; j < d; j++) xt[j * m + i] = x[i * d + j];
      const y = Float64Array.from({ length: m }, () => (c.task === 'regression' ? rng.normal() : rng.int(c.outputs === 1 ? 2 : c.outputs)));
      const w = Float64Array.from({ length: m }, () => 0.5 + rng.next());
      const ours = batchGradients(tf, spec, params, { x, xt, y, w, m }, c.hidden.map(() => null));
      // Autodiff reference.
      const ref = tf.tidy(() => {
        const vars = params.map((p) => tf.tensor(p.values, p.shape));
        const xT = tf.tensor2d(x, [m, d]);
        const wT = tf.tensor1d(Float32Array.from(w));
        const f = (...ws: import('@tensorflow/tfjs').Tensor[]) => {
          let h: import('@tensorflow/tfjs').Tensor = xT;
          for (let l = 0; l < ws.length / 2; l++) {
            h = tf.add(tf.matMul(h as import('@tensorflow/tfjs').Tensor2D, ws[2 * l] as import('@tensorflow/tfjs').Tensor2D), ws[2 * l + 1]);
            if (l < ws.length / 2 - 1) h = c.activation === 'relu' ? tf.relu(h) : c.activation === 'tanh' ? tf.tanh(h) : c.activation === 'sigmoid' ? tf.sigmoid(h) : tf.elu(h);
          }
          let per: import('@tensorflow/tfjs').Tensor;
          if (c.task === 'binary') per = tf.losses.sigmoidCrossEntropy(tf.tensor2d(Float32Array.from(y), [m, 1]), h, undefined, 0, tf.Reduction.NONE).reshape([-1]);
          else if (c.task === 'multiclass') per = tf.losses.softmaxCrossEntropy(tf.oneHot(tf.tensor1d(Int32Array.from(y), 'int32'), c.outputs), h, undefined, 0, tf.Reduction.NONE);
          else per = tf.square(tf.sub(h, tf.tensor2d(Float32Array.from(y), [m, 1]))).reshape([-1]);
          return tf.div(tf.sum(tf.mul(per, wT)), tf.sum(wT)) as import('@tensorflow/tfjs').Scalar;
        };
        const loss = f(...vars).dataSync()[0];
        const g = tf.grads(f)(vars).map((t) => t.dataSync() as Float32Array);
        return { loss, g };
      });
      assert.ok(Math.abs(ours.loss - ref.loss) < 1e-5, `loss ${ours.loss} vs ${ref.loss}`);
      ours.grads.forEach((g, i) => g.forEach((v, j) => assert.ok(Math.abs(v - ref.g[i][j]) < 1e-5, `param ${i}[${j}]: ${v} vs ${ref.g[i][j]}`)));
    });
  }
});


describe('DP-SGD step', () => {
  it('equals explicit per-example clipping (sum of clipped gradients / batch size) when σ = 0', async () => {
    const { tf } = await loadBackend('auto');
    const rng = new Rng(8);
    const spec: NetSpec = { task: 'binary', inputs: 3, outputs: 1, hidden: [4], activation: 'tanh', dropout: 0 };
    const params = [
      { shape: [3, 4], values: Float32Array.from({ length: 12 }, () => rng.normal()) },
      { shape: [4], values: Float32Array.from({ length: 4 }, () => rng.normal() * 0.1) },
      { shape: [4, 1], values: Float32Array.from({ length: 4 }, () => rng.normal()) },
      { shape: [1], values: Float32Array.from([0.2]) },
    ];
    const m = 5;
    const x = Float32Array.from({ length: m * 3 }, () => rng.normal() * 2);
    const xt = new Float32Array(m * 3);
    for (let i = 0; i < m; i++) for (let j = 0; j < 3; j++) xt[j * m + i] = x[i * 3 + j];
    const y = Float64Array.from([1, 0, 1, 1, 0]);
    const w = Float64Array.from([1, 2, 0.5, 1, 1]);
    const clipNorm = 0.3;
    const dp = batchGradients(tf, spec, params, { x, xt, y, w, m }, [null], undefined, { clipNorm, noiseMultiplier: 0, rng: new Rng(1) });
    // Reference: one example at a time (m = 1, so its normalised weight is 1), times wᵢ, clipped.
    const sum = params.map((p) => new Float64Array(p.values.length));
    for (let i = 0; i < m; i++) {
      const xi = x.slice(i * 3, i * 3 + 3);
      const gi = batchGradients(tf, spec, params, { x: xi, xt: xi, y: [y[i]], w: [1], m: 1 }, [null]).grads.map((g) => Array.from(g, (v) => v * w[i]));
      const norm = Math.sqrt(gi.reduce((a, g) => a + g.reduce((b, v) => b + v * v, 0), 0));
      const f = Math.min(1, clipNorm / norm);
      gi.forEach((g, k) => g.forEach((v, j) => (sum[k][j] += v * f)));
    }
    dp.grads.forEach((g, k) => g.forEach((v, j) => assert.ok(Math.abs(v - sum[k][j] / m) < 1e-5, `param ${k}[${j}]: ${v} vs ${sum[k][j] / m}`)));
    assert.ok(dp.clipped! > 0, 'some examples should have been clipped at C = 0.3');
  });

  it('adds seeded Gaussian noise of sd σ·C/m per coordinate', async () => {
    const { tf } = await loadBackend('auto');
    const spec: NetSpec = { task: 'regression', inputs: 1, outputs: 1, hidden: [], activation: 'relu', dropout: 0 };
    const params = [{ shape: [1, 1], values: Float32Array.from([0]) }, { shape: [1], values: Float32Array.from([0]) }];
    // y = 0 and z = 0: the clipped gradient is exactly 0, so what comes out is the noise alone.
    const draws: number[] = [];
    const noise = new Rng(3);
    for (let k = 0; k < 2000; k++) {
      const g = batchGradients(tf, spec, params, { x: Float32Array.from([1, 1]), xt: Float32Array.from([1, 1]), y: [0, 0], w: [1, 1], m: 2 }, [], undefined, { clipNorm: 2, noiseMultiplier: 1.5, rng: noise });
      draws.push(g.grads[0][0]);
    }
    const mean = draws.reduce((a, b) => a + b, 0) / draws.length;
    const sd = Math.sqrt(draws.reduce((a, b) => a + (b - mean) ** 2, 0) / (draws.length - 1));
    // Expected sd = σ·C/m = 1.5·2/2 = 1.5; with 2000 draws the sample sd is within ~5%.
    assert.ok(Math.abs(sd - 1.5) < 0.1, `sd ${sd}`);
    assert.ok(Math.abs(mean) < 0.1, `mean ${mean}`);
  });

  it('trains with DP-SGD deterministically for a seed and reports the clipped share', async () => {
    const { tf } = await loadBackend('auto');
    const data = separable(300, 12);
    const o = { ...opts, epochs: 3, dp: { clipNorm: 1, noiseMultiplier: 1.1 } };
    const a = await train(tf, logistic, data, undefined, o);
    const b2 = await train(tf, logistic, data, undefined, o);
    assert.deepEqual(Array.from(a.weights.tensors[0].values), Array.from(b2.weights.tensors[0].values));
    assert.ok(a.clippedShare! >= 0 && a.clippedShare! <= 1);
  });
});
