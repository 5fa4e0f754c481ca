/**
 * The host side of the training worker (`dist/worker.js`, protocol in
 * src/core/model/worker-protocol.ts): start one run in a worker_thread, relay its stages and
 * epochs, cancel it, and settle with one outcome. Node only (no 'vscode'), so the event-loop lag
 * harness and the unit tests drive exactly what the extension drives.
 */
import { Worker } from 'node:worker_threads';
import type { SourceLocation } from '../../core/errors';
import type { BackendPreference } from '../../core/model/backend';
import type { FromWorker, ToWorker } from '../../core/model/worker-protocol';
import type { EpochLog, RunRecord } from '../../core/report/types';
import type { RunEstimate } from '../../core/sustainability';

export interface TrainingRequest {
  /** Absolute path of dist/worker.js. */
  workerFile: string;
  configFile: string;
  /** Workspace root: the config's data path must stay inside it. */
  root: string;
  backend: BackendPreference;
  outDir?: string;
  /** The setting rml.sustainability.carbonIntensity, gCO₂e/kWh (null or absent: the config's, else the default). */
  carbonIntensity?: number | null;
}

export interface TrainingEvents {
  onStage?(stage: string): void;
  /** The pre-run estimate (time, energy, CO₂e), once, before the first epoch. */
  onEstimate?(estimate: RunEstimate): void;
  onEpoch?(epoch: EpochLog): void;
  /** Text the worker wrote to stdout/stderr (tfjs notices and the like), line by line. */
  onOutput?(line: string): void;
}

/** How a run ended. */
export type TrainingOutcome =
  /** Completed, or cancelled after training started (the run is recorded with that status). */
  | { status: 'completed' | 'cancelled'; dir: string; record: RunRecord }
  /** Cancelled before anything could be recorded (while reading data, or the worker was stopped). */
  | { status: 'cancelled'; dir?: undefined; record?: undefined; message: string }
  /** Bad input (with its location when known) or an internal error. */
  | { status: 'failed'; kind: 'input' | 'internal'; message: string; location?: SourceLocation; dir?: undefined; record?: undefined };

/** How long a cancelled worker may take to record its run before it is terminated. */
export const CANCEL_GRACE_MS = 10_000;

/** One training run in its own worker thread. */
export class TrainingJob {
  /** Settles once with the outcome; never rejects. */
  readonly done: Promise<TrainingOutcome>;
  /** `performance.now()` when cancel() was first called. */
  cancelRequestedAt: number | undefined;
  private readonly worker: Worker;
  private settled = false;
  private graceTimer: NodeJS.Timeout | undefined;
  private resolve!: (o: TrainingOutcome) => void;

  constructor(req: TrainingRequest, events: TrainingEvents = {}) {
    this.done = new Promise((r) => (this.resolve = r));
    this.worker = new Worker(req.workerFile, { stdout: true, stderr: true });
    for (const stream of [this.worker.stdout, this.worker.stderr]) {
      stream.setEncoding('utf8');
      let buffered = '';
      stream.on('data', (chunk: string) => {
        buffered += chunk;
        const lines = buffered.split(/\r?\n/);
        buffered = lines.pop() ?? '';
        for (const l of lines) if (l.trim()) events.onOutput?.(l);
      });
      stream.on('end', () => {
        if (buffered.trim()) events.onOutput?.(buffered);
      });
    }
    this.worker.on('message', (m: FromWorker) => {
      switch (m.type) {
        case 'stage':
          events.onStage?.(m.stage);
          break;
        case 'estimate':
          events.onEstimate?.(m.estimate);
          break;
        case 'epoch':
          events.onEpoch?.(m.epoch);
          break;
        case 'done':
          this.settle({ status: m.record.status, dir: m.dir, record: m.record });
          break;
        case 'error':
          if (m.kind === 'cancelled') this.settle({ status: 'cancelled', message: m.message });
          else this.settle({ status: 'failed', kind: m.kind, message: m.message, location: m.location });
          break;
      }
    });
    this.worker.on('error', (e) => this.settle({ status: 'failed', kind: 'internal', message: e.stack ?? e.message }));
    this.worker.on('exit', (code) => {
      if (this.cancelRequestedAt !== undefined) this.settle({ status: 'cancelled', message: 'the training worker was stopped' });
      else this.settle({ status: 'failed', kind: 'internal', message: `the training worker exited unexpectedly (code ${code})` });
    });
    const start: ToWorker = { type: 'start', configFile: req.configFile, root: req.root, backend: req.backend, outDir: req.outDir, carbonIntensity: req.carbonIntensity };
    this.worker.postMessage(start);
  }

  /**
   * Ask the worker to stop. It stops between batches and records the run as cancelled; if it has
   * not finished within {@link CANCEL_GRACE_MS} (stuck in native code), it is terminated.
   */
  cancel(): void {
    if (this.settled || this.cancelRequestedAt !== undefined) return;
    this.cancelRequestedAt = performance.now();
    const msg: ToWorker = { type: 'cancel' };
    this.worker.postMessage(msg);
    this.graceTimer = setTimeout(() => void this.worker.terminate(), CANCEL_GRACE_MS);
  }

  /** Stop the worker at once, without waiting for it to record anything (extension shutdown). */
  async terminate(): Promise<void> {
    this.cancelRequestedAt ??= performance.now();
    await this.worker.terminate();
  }

  private settle(o: TrainingOutcome): void {
    if (this.settled) return;
    this.settled = true;
    if (this.graceTimer) clearTimeout(this.graceTimer);
    this.resolve(o);
    // The worker has nothing more to do: let it go (its 'exit' is ignored now).
    void this.worker.terminate();
  }
}
