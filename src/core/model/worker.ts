/**
 * Entry point of the training worker (bundled as dist/worker.js). It runs one training config
 * through the engine and reports stages, epochs and the result to its parent. A `cancel`
 * message aborts the run between batches; the run is then recorded as cancelled.
 */
import { parentPort } from 'node:worker_threads';
import { runConfigFile } from '../engine';
import { RmlCancelledError, RmlInputError } from '../errors';
import type { FromWorker, ToWorker } from './worker-protocol';

const port = parentPort;
if (port) {
  const abort = new AbortController();
  const post = (m: FromWorker) => port.postMessage(m);
  port.on('message', (m: ToWorker) => {
    if (m.type === 'cancel') {
      abort.abort();
      return;
    }
    runConfigFile(m.configFile, {
      root: m.root,
      backend: m.backend,
      outDir: m.outDir,
      signal: abort.signal,
      // The worker shares the editor's extension host process: its CPU time includes the host's work.
      sharedProcess: true,
      carbonIntensity: m.carbonIntensity,
      onStage: (stage) => post({ type: 'stage', stage }),
      onEstimate: (estimate) => post({ type: 'estimate', estimate }),
      onEpoch: (epoch) => post({ type: 'epoch', epoch }),
    }).then(
      (r) => post({ type: 'done', dir: r.dir, record: r.record }),
      (e: unknown) => {
        if (e instanceof RmlInputError) post({ type: 'error', kind: 'input', message: e.message, location: e.location });
        else if (e instanceof RmlCancelledError) post({ type: 'error', kind: 'cancelled', message: e.message });
        else post({ type: 'error', kind: 'internal', message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
      },
    );
  });
}
