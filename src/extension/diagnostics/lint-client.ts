/**
 * The host side of the lint worker: one long-lived worker thread (started on first use, restarted
 * if it dies), requests correlated by id, cancellation through an AbortSignal. Node only (no
 * 'vscode'), so the unit tests drive exactly what the extension drives.
 */
import { Worker } from 'node:worker_threads';
import type { RuleSetting } from '../settings-schema';
import type { Finding } from './findings';
import type { AuditCsvOptions, AuditResult } from '../../core/fairness/audit-csv';
import type { HostMessage } from '../../protocol/messages';
import type { CsvDescription, Deidentified, FromLintWorker, ToLintWorker } from './lint-protocol';

export type { CsvDescription, Deidentified } from './lint-protocol';

export interface LintRequest {
  configFile: string;
  text?: string;
  root: string;
  rules: Readonly<Record<string, RuleSetting>>;
  diskCache: boolean;
}

export interface LintResult {
  findings: Finding[];
  inputs: string[];
  unknownRules: string[];
  ms: number;
  /** The thread that ran the lint (the worker's threadId, never the host's 0). */
  thread: number;
}

/** Why a request produced no result. */
export class LintError extends Error {
  constructor(
    readonly kind: 'cancelled' | 'missing' | 'input' | 'internal',
    message: string,
  ) {
    super(message);
    this.name = kind === 'cancelled' ? 'AbortError' : 'LintError';
  }
}

type Reply = Exclude<FromLintWorker, { type: 'error' }>;
type Request = Exclude<ToLintWorker, { type: 'cancel' }>;
/** A request without its id (the client assigns it). */
type Outgoing = Request extends infer R ? (R extends Request ? Omit<R, 'id'> : never) : never;

interface Pending {
  resolve(r: Reply): void;
  reject(e: Error): void;
}

export class LintClient {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private disposed = false;

  /**
   * @param workerFile absolute path of dist/lint-worker.js
   * @param onLog where the worker's own output and crashes are reported
   */
  constructor(
    private readonly workerFile: string,
    private readonly onLog: (level: 'warn' | 'error', message: string) => void,
  ) {}

  /** Lint one config in the worker. Rejects with a LintError (cancelled, missing, internal). */
  async lint(req: LintRequest, signal?: AbortSignal): Promise<LintResult> {
    const r = await this.request({ type: 'lint', configFile: req.configFile, text: req.text, root: req.root, rules: { ...req.rules }, diskCache: req.diskCache }, signal);
    if (r.type !== 'result') throw new LintError('internal', `unexpected reply ${r.type}`);
    return { findings: r.findings, inputs: r.inputs, unknownRules: r.unknownRules, ms: r.ms, thread: r.thread };
  }

  /** Read a CSV in the worker and describe its columns. Rejects with a LintError (input: unreadable). */
  async describe(csvFile: string, signal?: AbortSignal): Promise<CsvDescription> {
    const r = await this.request({ type: 'describe', csvFile }, signal);
    if (r.type !== 'described') throw new LintError('internal', `unexpected reply ${r.type}`);
    return r.description;
  }

  /**
   * Load a config as training will, in the worker: its name and epochs. Rejects with a LintError
   * of kind `input` whose message lists every problem as `file:line:column: message`.
   */
  async check(configFile: string, root: string): Promise<{ name: string; epochs: number }> {
    const r = await this.request({ type: 'check', configFile, root });
    if (r.type !== 'checked') throw new LintError('internal', `unexpected reply ${r.type}`);
    return { name: r.name, epochs: r.epochs };
  }

  /** Write a de-identified copy of the config's data file (see the protocol). Rejects with a LintError (input: why not). */
  async deidentify(configFile: string, text: string, root: string, signal?: AbortSignal): Promise<Deidentified> {
    const r = await this.request({ type: 'deidentify', configFile, text, root }, signal);
    if (r.type !== 'deidentified') throw new LintError('internal', `unexpected reply ${r.type}`);
    return r.result;
  }

  /**
   * The fairness audit of a CSV of predictions, in the worker. Rejects with a LintError: `input`
   * for bad input (the message is `file:line:column: …` and names the picker steps), `cancelled`.
   */
  async audit(options: AuditCsvOptions, signal?: AbortSignal): Promise<AuditResult> {
    // The bootstrap is synchronous in the worker: a shared flag stops it mid-column at once.
    const flag = new Int32Array(new SharedArrayBuffer(4));
    const onAbort = () => Atomics.store(flag, 0, 1);
    signal?.addEventListener('abort', onAbort, { once: true });
    const r = await this.request({ type: 'audit', options, cancelFlag: flag.buffer as SharedArrayBuffer }, signal).finally(() => signal?.removeEventListener('abort', onAbort));
    if (r.type !== 'audited') throw new LintError('internal', `unexpected reply ${r.type}`);
    return r.result;
  }

  /** The data view of a config (profile, column findings, PII masked), computed in the worker. */
  async profile(configFile: string, root: string, signal?: AbortSignal): Promise<Extract<HostMessage, { type: 'data' }>> {
    const r = await this.request({ type: 'profile', configFile, root }, signal);
    if (r.type !== 'profiled') throw new LintError('internal', `unexpected reply ${r.type}`);
    return r.view;
  }

  dispose(): void {
    this.disposed = true;
    this.failAll(new LintError('cancelled', 'the lint worker was shut down'));
    void this.worker?.terminate();
    this.worker = undefined;
  }

  private request(msg: Outgoing, signal?: AbortSignal): Promise<Reply> {
    if (this.disposed) return Promise.reject(new LintError('cancelled', 'the lint worker was shut down'));
    if (signal?.aborted) return Promise.reject(new LintError('cancelled', 'cancelled'));
    const worker = this.ensureWorker();
    const id = this.nextId++;
    return new Promise<Reply>((resolve, reject) => {
      const onAbort = () => this.send(worker, { type: 'cancel', id });
      signal?.addEventListener('abort', onAbort, { once: true });
      const settle = () => {
        signal?.removeEventListener('abort', onAbort);
        // An idle worker must not keep a Node process (a test, a harness) alive; a busy one must.
        if (this.pending.size === 0) worker.unref();
      };
      this.pending.set(id, {
        resolve: (r) => {
          settle();
          resolve(r);
        },
        reject: (e) => {
          settle();
          reject(e);
        },
      });
      worker.ref();
      this.send(worker, { ...msg, id } as ToLintWorker);
    });
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.workerFile, { stdout: true, stderr: true });
    worker.stdout.on('data', (d: Buffer) => this.onLog('warn', `[lint worker] ${String(d).trimEnd()}`));
    worker.stderr.on('data', (d: Buffer) => this.onLog('warn', `[lint worker] ${String(d).trimEnd()}`));
    worker.on('message', (m: FromLintWorker) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.type === 'error') p.reject(new LintError(m.kind, m.message));
      else p.resolve(m);
    });
    const lost = (why: string) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      if (!this.disposed) this.onLog('error', `The lint worker stopped (${why}); it restarts with the next request.`);
      this.failAll(new LintError('internal', `the lint worker stopped (${why})`));
    };
    worker.on('error', (e) => lost(e.stack ?? e.message));
    worker.on('exit', (code) => lost(`exit code ${code}`));
    this.worker = worker;
    return worker;
  }

  private send(worker: Worker, m: ToLintWorker): void {
    worker.postMessage(m);
  }

  private failAll(e: Error): void {
    const all = [...this.pending.values()];
    this.pending.clear();
    for (const p of all) p.reject(e);
  }
}
