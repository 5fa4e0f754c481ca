/**
 * The host side of the explain worker: one worker thread, started on first use and kept while
 * explanations are wanted (it holds the runs' contexts), requests correlated by id. The
 * explainers are synchronous, so cancelling a request terminates the worker: that request is
 * rejected as cancelled, and the other requests in flight (another panel's) are sent again to a
 * fresh worker, after the runs they need are reopened as they were (the next request likewise
 * starts a fresh worker, reloading its
 * run). Node only (no 'vscode'), so the unit tests drive exactly what the extension drives.
 */
import { Worker } from 'node:worker_threads';
import type { ExplainReport, PartialDependence } from '../../core/explain/types';
import type { ExplainSession } from '../../protocol/messages';
import type { FromExplainWorker, ToExplainWorker } from './protocol';

/** Why a request produced no result. */
export class ExplainError extends Error {
  constructor(
    readonly kind: 'cancelled' | 'input' | 'internal',
    message: string,
  ) {
    super(message);
    this.name = kind === 'cancelled' ? 'AbortError' : 'ExplainError';
  }
}

export interface Explained {
  report: ExplainReport;
  reused: ('importance' | 'slices')[];
  /** Reading the run in the worker (0 when it was already open). */
  loadMs: number;
  computeMs: number;
}

type Reply = Exclude<FromExplainWorker, { type: 'error' }>;
type Outgoing = ToExplainWorker extends infer R ? (R extends ToExplainWorker ? Omit<R, 'id'> : never) : never;

export class ExplainClient {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, { msg: Outgoing; resolve(r: Reply): void; reject(e: Error): void }>();
  /** How each run was opened (config and root), to reopen it the same way in a fresh worker. */
  private readonly opens = new Map<string, Outgoing>();
  private disposed = false;

  /**
   * @param workerFile absolute path of dist/explain-worker.js
   * @param onLog where the worker's own output and crashes are reported
   */
  constructor(
    private readonly workerFile: string,
    private readonly onLog: (level: 'warn' | 'error', message: string) => void,
  ) {}

  /** Whether a request is in flight. */
  get busy(): boolean {
    return this.pending.size > 0;
  }

  /** Open a run (reading its data with `configFile`'s CSV options when given). */
  async open(runDir: string, configFile?: string, root?: string, signal?: AbortSignal): Promise<ExplainSession> {
    const r = await this.request({ type: 'open', runDir, configFile, root }, signal);
    if (r.type !== 'opened') throw new ExplainError('internal', `unexpected reply ${r.type}`);
    return r.session;
  }

  /** Explain a data row of a run (opened first if the worker does not hold it). */
  async explain(runDir: string, row: number, seed: number, pdpFeature?: string, signal?: AbortSignal): Promise<Explained> {
    const r = await this.request({ type: 'explain', runDir, row, seed, pdpFeature }, signal);
    if (r.type !== 'explained') throw new ExplainError('internal', `unexpected reply ${r.type}`);
    return { report: r.report, reused: r.reused, loadMs: r.loadMs, computeMs: r.computeMs };
  }

  /** Partial dependence / ICE of a feature, with the row's curve (the run must be open). */
  async pdp(runDir: string, row: number, seed: number, feature: string, signal?: AbortSignal): Promise<{ pdp: PartialDependence; computeMs: number }> {
    const r = await this.request({ type: 'pdp', runDir, row, seed, feature }, signal);
    if (r.type !== 'pdp') throw new ExplainError('internal', `unexpected reply ${r.type}`);
    return { pdp: r.pdp, computeMs: r.computeMs };
  }

  /** Stop the worker (and what it holds); pending requests are rejected as cancelled. */
  stop(why = 'cancelled'): void {
    const w = this.worker;
    this.worker = undefined;
    this.failAll(new ExplainError('cancelled', why));
    void w?.terminate();
  }

  /**
   * Cancel one request: the worker cannot be interrupted, so it is terminated; the other requests
   * in flight are not the user's to cancel, so they go to a fresh worker (their runs reopened first).
   */
  private cancelOne(id: number): void {
    const mine = this.pending.get(id);
    if (!mine) return;
    this.pending.delete(id);
    const others = [...this.pending.entries()];
    this.pending.clear();
    const w = this.worker;
    this.worker = undefined;
    void w?.terminate();
    mine.reject(new ExplainError('cancelled', 'cancelled'));
    if (others.length === 0 || this.disposed) {
      for (const [, p] of others) p.reject(new ExplainError('cancelled', 'the explain worker was shut down'));
      return;
    }
    const worker = this.ensureWorker();
    worker.ref();
    // The worker answers in order: each needed run is reopened (the reply is ignored) before the requests.
    const runs = new Set(others.map(([, p]) => p.msg.runDir));
    for (const dir of runs) {
      const open = this.opens.get(dir);
      if (open && !others.some(([, p]) => p.msg.type === 'open' && p.msg.runDir === dir)) worker.postMessage({ ...open, id: this.nextId++ } as ToExplainWorker);
    }
    for (const [oid, p] of others) {
      this.pending.set(oid, p);
      worker.postMessage({ ...p.msg, id: oid } as ToExplainWorker);
    }
  }

  dispose(): void {
    this.disposed = true;
    this.stop('the explain worker was shut down');
  }

  private request(msg: Outgoing, signal?: AbortSignal): Promise<Reply> {
    if (this.disposed) return Promise.reject(new ExplainError('cancelled', 'the explain worker was shut down'));
    if (signal?.aborted) return Promise.reject(new ExplainError('cancelled', 'cancelled'));
    const worker = this.ensureWorker();
    const id = this.nextId++;
    return new Promise<Reply>((resolve, reject) => {
      const onAbort = () => this.cancelOne(id);
      signal?.addEventListener('abort', onAbort, { once: true });
      const done = () => {
        signal?.removeEventListener('abort', onAbort);
        // An idle worker must not keep a Node process (a test, a harness) alive; a busy one must.
        if (this.pending.size === 0) this.worker?.unref();
      };
      if (msg.type === 'open') this.opens.set(msg.runDir, msg);
      this.pending.set(id, {
        msg,
        resolve: (r) => {
          done();
          resolve(r);
        },
        reject: (e) => {
          done();
          reject(e);
        },
      });
      worker.ref();
      worker.postMessage({ ...msg, id } as ToExplainWorker);
    });
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.workerFile, { stdout: true, stderr: true });
    worker.stdout.on('data', (d: Buffer) => this.onLog('warn', `[explain worker] ${String(d).trimEnd()}`));
    worker.stderr.on('data', (d: Buffer) => this.onLog('warn', `[explain worker] ${String(d).trimEnd()}`));
    worker.on('message', (m: FromExplainWorker) => {
      const p = this.pending.get(m.id);
      if (!p || this.worker !== worker) return;
      this.pending.delete(m.id);
      if (m.type === 'error') p.reject(new ExplainError(m.kind, m.message));
      else p.resolve(m);
    });
    const lost = (why: string) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      if (!this.disposed) this.onLog('error', `The explain worker stopped (${why}); it restarts with the next request.`);
      this.failAll(new ExplainError('internal', `the explain worker stopped (${why})`));
    };
    worker.on('error', (e) => lost(e.stack ?? e.message));
    worker.on('exit', (code) => lost(`exit code ${code}`));
    this.worker = worker;
    return worker;
  }

  private failAll(e: Error): void {
    const all = [...this.pending.values()];
    this.pending.clear();
    for (const p of all) p.reject(e);
  }
}
