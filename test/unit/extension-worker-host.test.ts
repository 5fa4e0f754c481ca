/**
 * The extension's side of the training worker (TrainingJob), on the real worker
 * (src/core/model/worker.ts, bundled as the build does): progress relay, the
 * outcome, cancel within a second with the run recorded as cancelled, and the host's event loop
 * staying responsive while the worker trains.
 */
import { strict as assert } from 'node:assert';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EpochLog } from '../../src/core/report/types';
import type { RunEstimate } from '../../src/core/sustainability';
import { estimateLine, summarizeEstimate } from '../../src/extension/training/format';
import { TrainingJob } from '../../src/extension/training/worker-host';
import { workerBundle } from './extension-bundles';

const root = join(__dirname, '..', '..');

describe('extension: training worker host', function () {
  this.timeout(120_000);
  let ws: string;
  let workerFile: string;

  before(async () => {
    workerFile = await workerBundle('training');
  });
  beforeEach(() => {
    ws = mkdtempSync(join(tmpdir(), 'rml-worker-'));
    cpSync(join(root, 'test', 'fixtures', 'german'), ws, { recursive: true });
  });
  afterEach(() => rmSync(ws, { recursive: true, force: true }));

  it('relays stages and epochs and settles with the recorded run, keeping the host responsive', async () => {
    const stages: string[] = [];
    const epochs: EpochLog[] = [];
    // A host timer that fires while the worker trains: the host's event loop is not blocked.
    // (How long the host stalls is measured by the benchmarks, scripts/bench/editor-lag.mjs: a
    // millisecond bound here failed under load from the scheduler, not from the training.)
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    const job = new TrainingJob(
      { workerFile, configFile: join(ws, 'german.rml.yaml'), root: ws, backend: 'auto' },
      { onStage: (s) => stages.push(s), onEpoch: (e) => epochs.push(e) },
    );
    const o = await job.done.finally(() => clearInterval(timer));
    assert.equal(o.status, 'completed');
    assert.ok(o.dir && existsSync(join(o.dir, 'run.json')));
    assert.equal(o.record?.name, 'german-credit');
    assert.deepEqual(stages.slice(0, 2), ['reading data', 'training']);
    assert.ok(epochs.length > 0 && epochs.length <= 8);
    assert.deepEqual(epochs.map((e) => e.epoch), epochs.map((_, i) => i + 1));
    assert.ok(ticks >= epochs.length, `the host served its timer ${ticks} times while the worker ran ${epochs.length} epochs`);
  });

  it('forwards the pre-run estimate before the first epoch, at the carbon intensity of the setting', async () => {
    const order: string[] = [];
    let estimate: RunEstimate | undefined;
    const job = new TrainingJob(
      { workerFile, configFile: join(ws, 'german.rml.yaml'), root: ws, backend: 'auto', carbonIntensity: 56 },
      { onEstimate: (e) => ((estimate = e), order.push('estimate')), onEpoch: () => order.push('epoch') },
    );
    const o = await job.done;
    assert.equal(o.status, 'completed');
    assert.ok(estimate, 'an estimate');
    assert.equal(order[0], 'estimate', 'before any epoch');
    assert.equal(order.filter((x) => x === 'estimate').length, 1);
    assert.equal(estimate.co2e.gramsPerKWh, 56);
    assert.equal(estimate.co2e.origin, 'setting');
    assert.ok(estimate.seconds > 0 && estimate.kWh > 0);
    // The same estimate is the run record's.
    assert.deepEqual(JSON.parse(JSON.stringify(estimate)), JSON.parse(JSON.stringify(o.record?.estimate)));
    const line = estimateLine(summarizeEstimate(estimate));
    assert.match(line, /^estimated (at most )?~[\d.,]+ (s|min), ~[\d.,e-]+ Wh, ~[\d.,e-]+ g CO₂e \(estimate\)$/);
  });

  it('cancels within a second and the run is recorded as cancelled', async () => {
    const config = join(ws, 'long.rml.yaml');
    const text = readFileSync(join(ws, 'german.rml.yaml'), 'utf8').replace('epochs: 8', 'epochs: 500').replace(/earlyStopping:.*\n/, '').replace('batchSize: 64', 'batchSize: 8');
    writeFileSync(config, text.replace('name: german-credit', 'name: long'));
    let job!: TrainingJob;
    const firstEpoch = new Promise<void>((resolve) => {
      job = new TrainingJob({ workerFile, configFile: config, root: ws, backend: 'auto' }, { onEpoch: () => resolve() });
    });
    await firstEpoch;
    const t0 = performance.now();
    job.cancel();
    const o = await job.done;
    const ms = performance.now() - t0;
    assert.equal(o.status, 'cancelled');
    assert.ok(ms < 1000, `stopped ${ms.toFixed(0)} ms after cancel`);
    assert.ok(o.dir, 'a cancelled run after training started is recorded');
    assert.equal(JSON.parse(readFileSync(join(o.dir, 'run.json'), 'utf8')).status, 'cancelled');
  });

  it('reports bad input with its location, and a missing worker file as an internal failure', async () => {
    const bad = join(ws, 'bad.rml.yaml');
    writeFileSync(bad, 'name: bad\ndata:\n  path: german.csv\n  target: nope\n');
    const o = await new TrainingJob({ workerFile, configFile: bad, root: ws, backend: 'auto' }).done;
    assert.equal(o.status, 'failed');
    assert.equal(o.status === 'failed' && o.kind, 'input');
    assert.match(o.status === 'failed' ? o.message : '', /nope/);
    const missing = await new TrainingJob({ workerFile: join(ws, 'no-worker.js'), configFile: bad, root: ws, backend: 'auto' }).done;
    assert.equal(missing.status, 'failed');
    assert.equal(missing.status === 'failed' && missing.kind, 'internal');
  });
});
