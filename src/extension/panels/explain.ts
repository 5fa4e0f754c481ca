/**
 * The Explain panel: a run opened in the explain worker, its test rows listed, and one row
 * explained at a time (SHAP waterfall, LIME, counterfactual, PDP; importance and weakest slices
 * computed once per run). Requests run one at a time with a cancellable progress notification;
 * a newer request replaces one still waiting, so stepping through rows never builds a queue.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { HostMessage, WebviewMessage } from '../../protocol/messages';
import { ExplainError, type ExplainClient } from '../explain/client';
import { samePath } from '../paths';
import { Disposable } from '../util/disposable';
import { errorDetail, errorMessage } from '../util/errors';
import { rootFor } from '../workspace';
import { WebviewHost } from './host';

type Session = Extract<HostMessage, { type: 'explain' }>;
type Job = { kind: 'row'; requestId: number; row: number; seed?: number } | { kind: 'pdp'; requestId: number; row: number; feature: string; seed?: number };

/** Why explanations are off in Restricted Mode (the command says it through requireTrust, the panel as below). */
export const EXPLAIN_UNTRUSTED_WHY = "it loads the run's saved model and runs it thousands of times on this workspace's data";
export const EXPLAIN_UNTRUSTED = `Explaining a model is disabled in Restricted Mode: ${EXPLAIN_UNTRUSTED_WHY}. Trust the workspace to enable it.`;

export interface ExplainPanelDeps {
  extensionUri: vscode.Uri;
  log: vscode.LogOutputChannel;
  client: ExplainClient;
  openFile(file: string, line?: number): Promise<void>;
}

export class ExplainPanel extends Disposable {
  readonly host: WebviewHost;
  private content: Session | undefined;
  private error: string | undefined;
  private result: Extract<HostMessage, { type: 'explain/result' }> | undefined;
  private pdp: Extract<HostMessage, { type: 'explain/pdp' }> | undefined;
  /** Why the first row (requested by the host) has no result, replayed to a reloaded webview. */
  private firstStatus: Extract<HostMessage, { type: 'explain/status' }> | undefined;
  private running: Job | undefined;
  private waiting: Job | undefined;
  private abort: AbortController | undefined;

  constructor(
    readonly dir: string,
    readonly configFile: string,
    panel: vscode.WebviewPanel,
    private readonly deps: ExplainPanelDeps,
  ) {
    super();
    this.host = this._register(new WebviewHost(panel, 'explain', deps.extensionUri, deps.log, {
      snapshot: () => this.snapshot(),
      onMessage: (m) => this.onMessage(m),
    }));
    this._register(this.host.onDidDispose(() => this.dispose()));
  }

  private snapshot(): HostMessage[] {
    if (this.error) return [{ type: 'error', message: this.error }];
    if (!this.content) return [];
    const out: HostMessage[] = [this.content];
    if (this.result) out.push(this.result);
    else if (this.firstStatus) out.push(this.firstStatus);
    if (this.pdp && this.result && this.pdp.row === this.result.report.row.index) out.push(this.pdp);
    return out;
  }

  /** Open the run in the worker, then explain `row` (default: the first test row). */
  async load(row?: number): Promise<void> {
    if (!vscode.workspace.isTrusted) {
      this.error = EXPLAIN_UNTRUSTED;
      this.host.replay();
      return;
    }
    try {
      const session = await this.progress(`Responsible ML: loading the run ${path.basename(this.dir)} for explaining`, (signal) =>
        this.deps.client.open(this.dir, this.configFile, rootFor(vscode.Uri.file(this.configFile)), signal));
      this.content = { type: 'explain', dir: this.dir, configFile: this.configFile, session };
      this.error = undefined;
      this.host.panel.title = `Explain: ${session.name}`;
      this.deps.log.info(`[explain] opened ${this.dir} in ${session.loadMs} ms (${session.rows.length} test rows)`);
      this.host.replay();
      const first = row !== undefined && session.rows.some((r) => r.row === row) ? row : session.rows[0]?.row;
      if (first !== undefined) this.enqueue({ kind: 'row', requestId: 0, row: first });
    } catch (e) {
      this.error = e instanceof ExplainError && e.kind === 'cancelled' ? `Loading ${this.dir} was cancelled. Run "Explain Model…" again to explain it.` : `Cannot explain ${this.dir}: ${errorMessage(e)}`;
      this.deps.log.warn(`[explain] ${this.error}`);
      this.host.replay();
    }
  }

  private async onMessage(m: WebviewMessage): Promise<void> {
    const c = this.content;
    switch (m.type) {
      case 'explainRow':
      case 'explainPdp': {
        if (!c) throw new Error('The run is not loaded yet.');
        if (!c.session.rows.some((r) => r.row === m.row)) throw new Error(`Row ${m.row} is not a test row of this run.`);
        if (m.type === 'explainPdp' && !c.session.features.some((f) => f.name === m.feature)) throw new Error(`This model has no feature '${m.feature}'.`);
        this.enqueue(m.type === 'explainRow' ? { kind: 'row', requestId: m.requestId, row: m.row, seed: m.seed } : { kind: 'pdp', requestId: m.requestId, row: m.row, feature: m.feature, seed: m.seed });
        return;
      }
      case 'open': {
        if (!c || !samePath(m.path, c.configFile)) throw new Error(`This panel cannot open ${m.path}.`);
        await this.deps.openFile(m.path, m.line);
        return;
      }
      default:
        return;
    }
  }

  private enqueue(job: Job): void {
    if (this.waiting && (job.kind === 'row' || this.waiting.kind === 'pdp')) this.cancelled(this.waiting, 'replaced by a newer request');
    this.waiting = job;
    if (!this.running) void this.next();
  }

  private async next(): Promise<void> {
    const job = this.waiting;
    this.waiting = undefined;
    this.running = job;
    if (!job || this.isDisposed) return;
    const c = this.content;
    if (!c) return;
    const seed = job.seed ?? c.session.seed;
    try {
      if (job.kind === 'row') {
        const t0 = performance.now();
        const feature = this.pdp?.pdp.feature;
        const r = await this.progress(`Responsible ML: explaining row ${job.row}`, (signal) => this.deps.client.explain(this.dir, job.row, seed, feature, signal));
        const ms = Math.round(performance.now() - t0);
        this.deps.log.info(`[explain] row ${job.row}: ${ms} ms in the editor (worker: ${r.computeMs} ms computing${r.reused.length ? `, ${r.reused.join(' and ')} reused` : ''})`);
        this.result = { type: 'explain/result', requestId: job.requestId, report: r.report, reused: r.reused, ms };
        if (r.report.pdp) this.pdp = { type: 'explain/pdp', requestId: job.requestId, row: job.row, pdp: r.report.pdp, ms: r.report.timings.pdpMs };
        this.host.post(this.result);
      } else {
        const r = await this.progress(`Responsible ML: partial dependence of ${job.feature}`, (signal) => this.deps.client.pdp(this.dir, job.row, seed, job.feature, signal));
        this.pdp = { type: 'explain/pdp', requestId: job.requestId, row: job.row, pdp: r.pdp, ms: r.computeMs };
        this.host.post(this.pdp);
      }
    } catch (e) {
      if (e instanceof ExplainError && e.kind === 'cancelled') this.cancelled(job, 'cancelled');
      else {
        this.deps.log.error(`[explain] ${job.kind === 'row' ? `row ${job.row}` : `PDP of ${job.feature}`} failed: ${errorDetail(e)}`);
        this.post({ type: 'explain/status', requestId: job.requestId, state: 'failed', message: errorMessage(e) });
      }
    } finally {
      this.running = undefined;
      this.abort = undefined;
      if (this.waiting) void this.next();
    }
  }

  private cancelled(job: Job, why: string): void {
    this.post({ type: 'explain/status', requestId: job.requestId, state: 'cancelled', message: why });
  }

  private post(m: Extract<HostMessage, { type: 'explain/status' }>): void {
    if (m.requestId === 0) this.firstStatus = m;
    this.host.post(m);
  }

  /** Runs `fn` under a cancellable notification; cancelling (or closing the panel) stops the worker. */
  private progress<T>(title: string, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
    return Promise.resolve(
      vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (_p, token) => {
        const abort = new AbortController();
        this.abort = abort;
        token.onCancellationRequested(() => abort.abort());
        return fn(abort.signal);
      }),
    );
  }

  override dispose(): void {
    if (this.isDisposed) return;
    this.abort?.abort();
    super.dispose();
  }
}
