/**
 * The training worker (src/core/model/worker.ts) runs the engine in a worker_thread, as the
 * editor does: progress arrives as messages, and `cancel` stops the run, which is then
 * recorded as cancelled.
 */
import { strict as assert } from 'node:assert';
import { Worker } from 'node:worker_threads';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FromWorker, ToWorker } from '../../src/core/model/worker-protocol';

const WORKER = join(__dirname, '..', '..', 'src', 'core', 'model', 'worker.ts');

function startWorker(ws: string, config: string, onMessage: (m: FromWorker, w: Worker) => void): Promise<FromWorker> {
  // The unbundled TypeScript worker, loaded through tsx (the bundle dist/worker.js runs the same code).
  const w = new Worker(`require('tsx/cjs'); require(${JSON.stringify(WORKER)});`, { eval: true });
  return new Promise((resolve, reject) => {
    w.on('message', (m: FromWorker) => {
      onMessage(m, w);
      if (m.type === 'done' || m.type === 'error') {
        void w.terminate();
        resolve(m);
      }
    });
    w.on('error', reject);
    const start: ToWorker = { type: 'start', configFile: join(ws, config), root: ws, backend: 'auto' };
    w.postMessage(start);
  });
}

describe('training worker', function () {
  let ws: string;
  before(() => {
    ws = mkdtempSync(join(tmpdir(), 'rml-worker-'));
    cpSync(join(__dirname, '..', 'fixtures', 'german'), ws, { recursive: true });
  });
  after(() => rmSync(ws, { recursive: true, force: true }));

  it('reports stages and epochs, then the finished run', async () => {
    const seen: string[] = [];
    const done = await startWorker(ws, 'german.rml.yaml', (m) => seen.push(m.type));
    assert.equal(done.type, 'done');
    if (done.type !== 'done') return;
    assert.equal(done.record.status, 'completed');
    assert.ok(seen.includes('stage'));
    assert.equal(seen.filter((t) => t === 'epoch').length, done.record.epochs);
    assert.equal(JSON.parse(readFileSync(join(done.dir, 'run.json'), 'utf8')).status, 'completed');
  });

  it('cancels on request and records the run as cancelled', async () => {
    writeFileSync(join(ws, 'long.rml.yaml'), readFileSync(join(ws, 'german.rml.yaml'), 'utf8').replace('epochs: 8', 'epochs: 5000').replace('batchSize: 64', 'batchSize: 8').replace(/earlyStopping.*\n/, ''));
    let epochs = 0;
    const done = await startWorker(ws, 'long.rml.yaml', (m, w) => {
      if (m.type === 'epoch' && ++epochs === 2) w.postMessage({ type: 'cancel' } satisfies ToWorker);
    });
    assert.equal(done.type, 'done');
    if (done.type !== 'done') return;
    assert.equal(done.record.status, 'cancelled');
    assert.ok(done.record.epochs < 5000);
    assert.equal(done.record.metrics, null);
    assert.equal(JSON.parse(readFileSync(join(done.dir, 'run.json'), 'utf8')).status, 'cancelled');
  });

  it('reports bad input as an input error with its location', async () => {
    writeFileSync(join(ws, 'bad.rml.yaml'), 'name: bad\ndata:\n  path: german.csv\n  target: nope\n  positive: "1"\n');
    const done = await startWorker(ws, 'bad.rml.yaml', () => undefined);
    assert.equal(done.type, 'error');
    if (done.type !== 'error') return;
    assert.equal(done.kind, 'input');
    assert.match(done.message, /unknown target column 'nope'/);
    assert.equal(done.location?.line, 4);
  });
});
