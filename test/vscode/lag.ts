/**
 * Event-loop lag of the extension's host side during a long training (issue 5 §6: ≤ 50 ms p99
 * during a 30 s training). Runs the same TrainingJob the extension runs, on the real bundled worker
 * (dist/worker.js), over a copy of the UCI Adult example made to train for about 30 s, and
 * samples the host's event-loop delay with perf_hooks.monitorEventLoopDelay.
 *
 *   npm run build && npx tsx test/vscode/lag.ts [--seconds 30] [--cancel-after 10]
 *
 * Prints one JSON document: the training's length, epochs, backend, the delay percentiles (ms)
 * and, with --cancel-after, how long the worker took to stop after the cancel request.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { epochLine } from '../../src/extension/training/format';
import { TrainingJob } from '../../src/extension/training/worker-host';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '30' }, 'cancel-after': { type: 'string' } } });
const targetSeconds = Number(values.seconds);
const cancelAfter = values['cancel-after'] === undefined ? undefined : Number(values['cancel-after']);
const root = join(__dirname, '..', '..');
const ws = mkdtempSync(join(tmpdir(), 'rml-lag-'));
cpSync(join(root, 'examples', 'adult'), ws, { recursive: true, filter: (src) => !src.includes(`${join('adult', '.rml')}`) });

/** The example as an MLP with many epochs and no early stopping: a long, steady training. */
function longConfig(epochs: number): string {
  const file = join(ws, 'long.rml.yaml');
  const text = readFileSync(join(ws, 'adult.rml.yaml'), 'utf8')
    .replace(/^name: .*$/m, 'name: lag-harness')
    .replace(/model:\n {2}type: logistic/, 'model:\n  type: mlp\n  hidden: [64, 32]')
    .replace(/ {2}epochs: \d+/, `  epochs: ${epochs}`)
    .replace(/ {2}earlyStopping:\n {4}patience: \d+\n {4}metric: val_loss\n/, '');
  writeFileSync(file, text);
  return file;
}

async function run(epochs: number, cancelAt?: number) {
  const lines: string[] = [];
  const lag = monitorEventLoopDelay({ resolution: 1 });
  const t0 = performance.now();
  let firstEpochAt: number | undefined;
  let lastEpochAt: number | undefined;
  let epochCount = 0;
  let timer: NodeJS.Timeout | undefined;
  const job: TrainingJob = new TrainingJob(
    { workerFile: join(root, 'dist', 'worker.js'), configFile: longConfig(epochs), root: ws, backend: 'auto' },
    {
      onStage: (s) => lines.push(s),
      onEpoch: (e) => {
        firstEpochAt ??= performance.now();
        lastEpochAt = performance.now();
        epochCount = e.epoch;
        lines.push(epochLine(e)); // what the extension does per epoch (log, progress, status bar)
        if (e.epoch === 1) lag.enable(); // measure while training runs
        if (e.epoch === 1 && cancelAt !== undefined) timer = setTimeout(() => job.cancel(), cancelAt * 1000);
      },
    },
  );
  const o = await job.done;
  lag.disable();
  if (timer) clearTimeout(timer);
  const end = performance.now();
  return {
    outcome: o.status,
    backend: o.record?.backend.name,
    epochs: epochCount,
    trainingSeconds: Number(((end - (firstEpochAt ?? t0)) / 1000).toFixed(1)),
    secondsPerEpoch: epochCount > 1 && firstEpochAt !== undefined && lastEpochAt !== undefined ? (lastEpochAt - firstEpochAt) / 1000 / (epochCount - 1) : undefined,
    totalSeconds: Number(((end - t0) / 1000).toFixed(1)),
    cancelToStopMs: job.cancelRequestedAt !== undefined ? Math.round(end - job.cancelRequestedAt) : undefined,
    eventLoopDelayMs: {
      resolutionMs: 1,
      samples: lag.count,
      p50: Number((lag.percentile(50) / 1e6).toFixed(1)),
      p99: Number((lag.percentile(99) / 1e6).toFixed(1)),
      max: Number((lag.max / 1e6).toFixed(1)),
    },
  };
}

(async () => {
  try {
    // Calibrate: time a few epochs, then size the run to last about `targetSeconds`.
    const probe = await run(6);
    const perEpoch = probe.secondsPerEpoch ?? 1;
    const epochs = Math.max(5, Math.round(targetSeconds / Math.max(0.02, perEpoch)));
    const result = await run(epochs, cancelAfter);
    console.log(JSON.stringify({ node: process.versions.node, cpus: (await import('node:os')).cpus().length, calibration: { epochs: probe.epochs, secondsPerEpoch: Number(perEpoch.toFixed(3)) }, ...result }, null, 2));
  } finally {
    rmSync(ws, { recursive: true, force: true });
  }
})();
