/**
 * Training throughput of the seed's MLP through our training loop:
 * 100 → 50 (ReLU) → 10 (softmax cross-entropy), Adam 0.001, batch 256, 20,000 synthetic rows × 5 epochs.
 * Prints JSON: { backend, samplesPerSec, seconds }.
 */
import { loadBackend, type BackendPreference } from '../../src/core/model/backend';
import { train } from '../../src/core/model/train';
import { Rng } from '../../src/core/util/random';

async function main() {
  const pref = (process.argv[2] ?? 'auto') as BackendPreference;
  const rows = 20000, inputs = 100, classes = 10, epochs = 5;
  const rng = new Rng(1);
  const x = new Float32Array(rows * inputs);
  for (let i = 0; i < x.length; i++) x[i] = rng.normal();
  const y = new Float64Array(rows);
  for (let i = 0; i < rows; i++) y[i] = rng.int(classes);
  const backend = await loadBackend(pref);
  const spec = { task: 'multiclass' as const, inputs, outputs: classes, hidden: [50], activation: 'relu' as const, dropout: 0 };
  // Warm-up epoch (kernel compilation, allocator), not timed.
  await train(backend.tf, spec, { x: x.subarray(0, 2560 * inputs), y: y.subarray(0, 2560), rows: 2560 }, undefined, { epochs: 1, batchSize: 256, optimizer: 'adam', learningRate: 0.001, l1: 0, l2: 0, seed: 1 });
  const t0 = performance.now();
  await train(backend.tf, spec, { x, y, rows }, undefined, { epochs, batchSize: 256, optimizer: 'adam', learningRate: 0.001, l1: 0, l2: 0, seed: 1 });
  const seconds = (performance.now() - t0) / 1000;
  console.log(JSON.stringify({ backend: backend.name, simd: backend.simd ?? false, samplesPerSec: (rows * epochs) / seconds, seconds }));
}
main().catch((e) => {
  console.error(e);
  process.exit(1);
});
