/**
 * The webview panels: a run's report, live training, the dataset profile, two runs compared, and
 * the fairness audit of a CSV of predictions.
 *
 * - Each panel is a {@link WebviewHost} (CSP, nonce, `ready` handshake, typed messages) plus a
 *   small controller that holds the panel's content and answers its messages.
 * - A report, data or compare panel is reused when the same content is asked for again.
 * - Serializers restore open panels after a window reload, from the state the webview saved with
 *   `setState` (viewTypes rml.report, rml.training, rml.data, rml.compare, rml.audit; package.json needs the
 *   matching `onWebviewPanel:` activation events).
 * - Webview requests are checked against what the panel shows before anything is opened or run.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { EpochLog, RunRecord } from '../../core/report/types';
import type { EstimateSummary } from '../training/format';
import { thresholdsOf } from '../../core/report/view-model';
import { isPersistedState, type HostMessage, type PersistedState, type TrainingStatus, type ViewKind, type WebviewMessage } from '../../protocol/messages';
import { COMMANDS } from '../constants';
import { isConfigPath, samePath } from '../paths';
import { Disposable } from '../util/disposable';
import { rootFor } from '../workspace';
import { VIEW_TYPES, WebviewHost } from './host';
import { loadRun, loadThresholds } from './loaders';
import { ExplainPanel } from './explain';
import { ExplainClient } from '../explain/client';

/** A live training view: the host pushes stages and epochs, the view can ask to cancel. */
export interface TrainingView {
  stage(s: string): void;
  /** The pre-run estimate, shown in the view's header. */
  estimate(e: EstimateSummary): void;
  epoch(e: EpochLog): void;
  end(status: 'completed' | 'cancelled' | 'failed', dir?: string, message?: string): void;
  onDidRequestCancel: vscode.Event<void>;
}

/** The webview panels the extension host opens. */
export interface PanelService extends vscode.Disposable {
  showReport(runDir: string): Promise<void>;
  showTraining(configFile: string, name: string, epochs: number): TrainingView;
  showData(configFile: string): Promise<void>;
  showCompare(runDirA: string, runDirB: string): Promise<void>;
  /** Shows an audit's result (one panel per CSV file, reused). */
  showAudit(content: AuditContent): void;
  /** Explain a run (its config tells how its data is read). */
  showExplain(runDir: string, configFile: string): Promise<void>;
}

export type AuditContent = Extract<HostMessage, { type: 'audit' }>;

/**
 * The data view's content for a config (its CSV profiled, column findings, PII masked): computed
 * off the extension host's thread, in the lint worker (LintClient.profile).
 */
export type DataProfiler = (configFile: string, root: string) => Promise<Extract<HostMessage, { type: 'data' }>>;

interface Context {
  extensionUri: vscode.Uri;
  log: vscode.LogOutputChannel;
  profile: DataProfiler;
  service: PanelService;
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function inside(file: string, dir: string): boolean {
  const rel = path.relative(path.resolve(dir), path.resolve(file));
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

async function openFile(file: string, line?: number): Promise<void> {
  const options: vscode.TextDocumentShowOptions | undefined =
    line !== undefined ? { selection: new vscode.Range(line - 1, 0, line - 1, 0) } : undefined;
  await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(file), options);
}

async function train(configFile: string, allowed: string | undefined): Promise<void> {
  if (!allowed || !samePath(configFile, allowed) || !isConfigPath(configFile)) throw new Error(`This panel cannot train ${configFile}.`);
  await vscode.commands.executeCommand(COMMANDS.train, vscode.Uri.file(configFile));
}

function runLabel(run: RunRecord, dir: string): string {
  return `${run.name} (${path.basename(dir).slice(0, 16).replace('T', ' ')})`;
}

// ---------------------------------------------------------------------------------------------
// Report

class ReportPanel extends Disposable {
  private content: HostMessage | undefined;
  private error: string | undefined;
  readonly host: WebviewHost;

  constructor(readonly dir: string, panel: vscode.WebviewPanel, private readonly ctx: Context) {
    super();
    this.host = this._register(new WebviewHost(panel, 'report', ctx.extensionUri, ctx.log, {
      snapshot: () => (this.error ? [{ type: 'error', message: this.error }] : this.content ? [this.content] : []),
      onMessage: (m) => this.onMessage(m),
    }));
    this._register(this.host.onDidDispose(() => this.dispose()));
  }

  async load(): Promise<void> {
    try {
      const run = await loadRun(this.dir);
      const configFile = run.config.file;
      // The limits the run was judged by (its gate's), else the config's as they are now.
      const thresholds = thresholdsOf(run) ?? (await loadThresholds(configFile, rootFor(vscode.Uri.file(configFile))));
      this.content = { type: 'report', dir: this.dir, run, configFile, ...(thresholds ? { thresholds } : {}) };
      this.error = undefined;
      this.host.panel.title = `Report: ${runLabel(run, this.dir)}`;
    } catch (e) {
      this.error = message(e);
      this.ctx.log.warn(`[report] ${this.error}`);
    }
    this.host.replay();
  }

  private async onMessage(m: WebviewMessage): Promise<void> {
    const c = this.content?.type === 'report' ? this.content : undefined;
    switch (m.type) {
      case 'export':
        if (!c) throw new Error('There is no report to export.');
        await this.export(c, m.requestId, m.format);
        return;
      case 'open':
        if (!c || !(samePath(m.path, c.configFile) || samePath(m.path, c.run.data.file) || inside(m.path, this.dir))) {
          throw new Error(`This panel cannot open ${m.path}.`);
        }
        await openFile(m.path, m.line);
        return;
      case 'train':
        await train(m.configFile, c?.configFile);
        return;
      default:
        return;
    }
  }

  private async export(c: Extract<HostMessage, { type: 'report' }>, requestId: number, format: 'html' | 'markdown'): Promise<void> {
    const file = path.join(this.dir, format === 'html' ? 'report.html' : 'report.md');
    try {
      const { renderHtml, renderMarkdown } = await import('../../core/report/export');
      const { writeFileAtomically } = await import('../../core/report/record');
      const opts = { dir: this.dir, ...(c.thresholds ? { thresholds: c.thresholds } : {}) };
      await writeFileAtomically(file, format === 'html' ? renderHtml(c.run, opts) : renderMarkdown(c.run, opts));
    } catch (e) {
      this.ctx.log.error(`[report] export to ${file} failed: ${message(e)}`);
      this.host.post({ type: 'exported', requestId, error: message(e) });
      return;
    }
    this.ctx.log.info(`[report] exported ${file}`);
    this.host.post({ type: 'exported', requestId, path: file });
    const open = format === 'html' ? 'Open in Browser' : 'Open Preview';
    const choice = await vscode.window.showInformationMessage(`Report exported to ${path.basename(file)}.`, open, 'Open File');
    const uri = vscode.Uri.file(file);
    if (choice === 'Open File') await vscode.commands.executeCommand('vscode.open', uri);
    else if (choice === open && format === 'html') await vscode.env.openExternal(uri);
    else if (choice === open) await vscode.commands.executeCommand('markdown.showPreview', uri);
  }
}

// ---------------------------------------------------------------------------------------------
// Training

class TrainingPanel extends Disposable implements TrainingView {
  private readonly cancelEmitter = this._register(new vscode.EventEmitter<void>());
  readonly onDidRequestCancel = this.cancelEmitter.event;
  readonly host: WebviewHost;
  private readonly state: NonNullable<PersistedState['training']>;

  constructor(panel: vscode.WebviewPanel, ctx: Context, state: NonNullable<PersistedState['training']>) {
    super();
    this.state = state;
    this.host = this._register(new WebviewHost(panel, 'training', ctx.extensionUri, ctx.log, {
      snapshot: () => this.snapshot(),
      onMessage: (m) => this.onMessage(m, ctx),
    }));
    this._register(this.host.onDidDispose(() => this.dispose()));
  }

  private snapshot(): HostMessage[] {
    const s = this.state;
    const out: HostMessage[] = [s.start, ...(s.estimate ? [{ type: 'training/estimate' as const, estimate: s.estimate }] : []), ...s.epochs.map((epoch): HostMessage => ({ type: 'training/epoch', epoch }))];
    if (s.stage !== undefined) out.push({ type: 'training/stage', stage: s.stage });
    if (s.end) out.push(s.end);
    else if (s.detached) out.push({ type: 'training/detached' });
    return out;
  }

  private async onMessage(m: WebviewMessage, ctx: Context): Promise<void> {
    switch (m.type) {
      case 'cancelTraining':
        if (!this.state.end && !this.state.detached) this.cancelEmitter.fire();
        return;
      case 'showReport':
        if (!this.state.end?.dir || !samePath(m.dir, this.state.end.dir)) throw new Error(`This panel cannot show the run ${m.dir}.`);
        await ctx.service.showReport(this.state.end.dir);
        return;
      case 'train':
        await train(m.configFile, this.state.start.configFile);
        return;
      case 'open':
        if (!samePath(m.path, this.state.start.configFile)) throw new Error(`This panel cannot open ${m.path}.`);
        await openFile(m.path, m.line);
        return;
      default:
        return;
    }
  }

  stage(s: string): void {
    if (this.state.end) return;
    this.state.stage = s;
    this.host.post({ type: 'training/stage', stage: s });
  }

  estimate(e: EstimateSummary): void {
    if (this.state.end) return;
    this.state.estimate = e;
    this.host.post({ type: 'training/estimate', estimate: e });
  }

  epoch(e: EpochLog): void {
    if (this.state.end) return;
    this.state.epochs.push(e);
    this.host.post({ type: 'training/epoch', epoch: e });
  }

  end(status: TrainingStatus, dir?: string, msg?: string): void {
    if (this.state.end) return;
    const end: HostMessage = { type: 'training/end', status, ...(dir !== undefined ? { dir } : {}), ...(msg !== undefined ? { message: msg } : {}) };
    this.state.end = end;
    this.host.panel.title = `Training: ${this.state.start.name} (${status})`;
    this.host.post(end);
  }
}

// ---------------------------------------------------------------------------------------------
// Data profile

class DataPanel extends Disposable {
  private content: HostMessage | undefined;
  private error: string | undefined;
  readonly host: WebviewHost;

  constructor(readonly configFile: string, panel: vscode.WebviewPanel, private readonly ctx: Context) {
    super();
    this.host = this._register(new WebviewHost(panel, 'data', ctx.extensionUri, ctx.log, {
      snapshot: () => (this.error ? [{ type: 'error', message: this.error }] : this.content ? [this.content] : []),
      onMessage: (m) => this.onMessage(m),
    }));
    this._register(this.host.onDidDispose(() => this.dispose()));
  }

  async load(): Promise<void> {
    try {
      const content = await this.ctx.profile(this.configFile, rootFor(vscode.Uri.file(this.configFile)));
      this.content = content;
      this.error = undefined;
      this.host.panel.title = `Data: ${path.basename(content.profile.file)}`;
    } catch (e) {
      this.error = `Cannot profile the data of ${this.configFile}: ${message(e)}`;
      this.ctx.log.warn(`[data] ${this.error}`);
    }
    this.host.replay();
  }

  private async onMessage(m: WebviewMessage): Promise<void> {
    const c = this.content?.type === 'data' ? this.content : undefined;
    if (m.type === 'open') {
      if (!(samePath(m.path, this.configFile) || (c && samePath(m.path, c.profile.file)))) throw new Error(`This panel cannot open ${m.path}.`);
      await openFile(m.path, m.line);
    } else if (m.type === 'train') {
      await train(m.configFile, this.configFile);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Compare

class ComparePanel extends Disposable {
  private content: HostMessage | undefined;
  private error: string | undefined;
  readonly host: WebviewHost;

  constructor(readonly dirA: string, readonly dirB: string, panel: vscode.WebviewPanel, private readonly ctx: Context) {
    super();
    this.host = this._register(new WebviewHost(panel, 'compare', ctx.extensionUri, ctx.log, {
      snapshot: () => (this.error ? [{ type: 'error', message: this.error }] : this.content ? [this.content] : []),
      onMessage: (m) => this.onMessage(m),
    }));
    this._register(this.host.onDidDispose(() => this.dispose()));
  }

  async load(): Promise<void> {
    try {
      const [a, b] = await Promise.all([loadRun(this.dirA), loadRun(this.dirB)]);
      const root = rootFor(vscode.Uri.file(a.config.file));
      const thresholds = thresholdsOf(a) ?? thresholdsOf(b) ?? (await loadThresholds(a.config.file, root));
      const { compareRuns, runSideOf } = await import('../../core/report/compare');
      const [sideA, sideB] = await Promise.all([runSideOf(a, this.dirA, { root }), runSideOf(b, this.dirB, { root })]);
      const comparison = compareRuns(sideA, sideB);
      this.content = { type: 'compare', a: { dir: this.dirA, run: a }, b: { dir: this.dirB, run: b }, ...(thresholds ? { thresholds } : {}), comparison };
      this.error = undefined;
      this.host.panel.title = `Compare: ${runLabel(a, this.dirA)} ↔ ${runLabel(b, this.dirB)}`;
    } catch (e) {
      this.error = message(e);
      this.ctx.log.warn(`[compare] ${this.error}`);
    }
    this.host.replay();
  }

  private async onMessage(m: WebviewMessage): Promise<void> {
    if (m.type === 'showReport') {
      if (!samePath(m.dir, this.dirA) && !samePath(m.dir, this.dirB)) throw new Error(`This panel cannot show the run ${m.dir}.`);
      await this.ctx.service.showReport(m.dir);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Fairness audit of a CSV of predictions

class AuditPanel extends Disposable {
  readonly host: WebviewHost;

  constructor(private content: AuditContent, panel: vscode.WebviewPanel, ctx: Context) {
    super();
    this.host = this._register(new WebviewHost(panel, 'audit', ctx.extensionUri, ctx.log, {
      snapshot: () => [this.content],
      onMessage: (m) => this.onMessage(m),
    }));
    this._register(this.host.onDidDispose(() => this.dispose()));
    this.show(content);
  }

  show(content: AuditContent): void {
    this.content = content;
    this.host.panel.title = `Fairness audit: ${path.basename(content.result.file)}`;
    this.host.replay();
  }

  private async onMessage(m: WebviewMessage): Promise<void> {
    if (m.type !== 'open') return;
    if (!samePath(m.path, this.content.result.file)) throw new Error(`This panel cannot open ${m.path}.`);
    await openFile(m.path, m.line);
  }
}

// ---------------------------------------------------------------------------------------------
// The service

class Panels extends Disposable implements PanelService {
  private readonly reports = new Map<string, ReportPanel>();
  private readonly data = new Map<string, DataPanel>();
  private readonly compares = new Map<string, ComparePanel>();
  private readonly audits = new Map<string, AuditPanel>();
  private readonly explains = new Map<string, ExplainPanel>();
  /** The explain worker: started on the first explanation, stopped when the last Explain panel closes. */
  private explainClient: ExplainClient | undefined;
  /** Every open panel, closed with the service. */
  private readonly live = new Set<{ host: WebviewHost; dispose(): void }>();
  private readonly ctx: Context;

  constructor(private readonly context: vscode.ExtensionContext, log: vscode.LogOutputChannel, profile: DataProfiler) {
    super();
    this.ctx = { extensionUri: context.extensionUri, log, profile, service: this };
    const serializer = (kind: ViewKind): vscode.WebviewPanelSerializer => ({
      deserializeWebviewPanel: (panel, state: unknown) => this.restore(kind, panel, state),
    });
    for (const kind of Object.keys(VIEW_TYPES) as ViewKind[]) {
      this._register(vscode.window.registerWebviewPanelSerializer(VIEW_TYPES[kind], serializer(kind)));
    }
  }

  private create(kind: ViewKind, title: string): vscode.WebviewPanel {
    return vscode.window.createWebviewPanel(VIEW_TYPES[kind], title, { viewColumn: vscode.ViewColumn.Active, preserveFocus: false });
  }

  private keep<T extends { host: WebviewHost; dispose(): void }>(panel: T): T {
    this.live.add(panel);
    panel.host.onDidDispose(() => this.live.delete(panel));
    return panel;
  }

  private track<T extends { host: WebviewHost; dispose(): void }>(map: Map<string, T>, key: string, panel: T): T {
    map.set(key, panel);
    panel.host.onDidDispose(() => {
      if (map.get(key) === panel) map.delete(key);
    });
    return this.keep(panel);
  }

  async showReport(runDir: string): Promise<void> {
    const key = path.resolve(runDir);
    const open = this.reports.get(key);
    if (open) {
      open.host.panel.reveal();
      await open.load();
      return;
    }
    const p = this.track(this.reports, key, new ReportPanel(key, this.create('report', `Report: ${path.basename(key)}`), this.ctx));
    await p.load();
  }

  showTraining(configFile: string, name: string, epochs: number): TrainingView {
    const panel = vscode.window.createWebviewPanel(VIEW_TYPES.training, `Training: ${name}`, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true });
    return this.keep(new TrainingPanel(panel, this.ctx, { start: { type: 'training/start', name, configFile, epochs }, epochs: [] }));
  }

  async showData(configFile: string): Promise<void> {
    const key = path.resolve(configFile);
    const open = this.data.get(key);
    if (open) {
      open.host.panel.reveal();
      await open.load();
      return;
    }
    const p = this.track(this.data, key, new DataPanel(key, this.create('data', `Data: ${path.basename(key)}`), this.ctx));
    await p.load();
  }

  async showCompare(runDirA: string, runDirB: string): Promise<void> {
    const a = path.resolve(runDirA);
    const b = path.resolve(runDirB);
    const key = `${a}\n${b}`;
    const open = this.compares.get(key);
    if (open) {
      open.host.panel.reveal();
      await open.load();
      return;
    }
    const p = this.track(this.compares, key, new ComparePanel(a, b, this.create('compare', 'Compare runs'), this.ctx));
    await p.load();
  }

  showAudit(content: AuditContent): void {
    const key = path.resolve(content.result.file);
    const open = this.audits.get(key);
    if (open) {
      open.host.panel.reveal();
      open.show(content);
      return;
    }
    this.track(this.audits, key, new AuditPanel(content, this.create('audit', `Fairness audit: ${path.basename(key)}`), this.ctx));
  }

  async showExplain(runDir: string, configFile: string): Promise<void> {
    const key = path.resolve(runDir);
    const open = this.explains.get(key);
    if (open) {
      open.host.panel.reveal();
      return;
    }
    await this.trackExplain(key, configFile, this.create('explain', `Explain: ${path.basename(key)}`)).load();
  }

  private trackExplain(key: string, configFile: string, panel: vscode.WebviewPanel): ExplainPanel {
    this.explainClient ??= new ExplainClient(path.join(this.context.extensionPath, 'dist', 'explain-worker.js'), (level, m) => this.ctx.log[level](m));
    const p = this.track(this.explains, key, new ExplainPanel(key, configFile, panel, { extensionUri: this.ctx.extensionUri, log: this.ctx.log, client: this.explainClient, openFile }));
    p.host.onDidDispose(() => {
      // Nothing left to explain: free the worker and the runs it holds.
      if (this.explains.size === 0) this.explainClient?.stop('the Explain panels were closed');
    });
    return p;
  }

  /** Restores a panel after a window reload from the state its webview saved. */
  private async restore(kind: ViewKind, panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    const s = isPersistedState(state) && state.view === kind ? state : undefined;
    const c = s?.content;
    try {
      if (kind === 'report' && c?.type === 'report') {
        const key = path.resolve(c.dir);
        if (this.reports.has(key)) throw new Error('already open');
        await this.track(this.reports, key, new ReportPanel(key, panel, this.ctx)).load();
        return;
      }
      if (kind === 'data' && c?.type === 'data') {
        const key = path.resolve(c.configFile);
        if (this.data.has(key)) throw new Error('already open');
        await this.track(this.data, key, new DataPanel(key, panel, this.ctx)).load();
        return;
      }
      if (kind === 'compare' && c?.type === 'compare') {
        const a = path.resolve(c.a.dir);
        const b = path.resolve(c.b.dir);
        if (this.compares.has(`${a}\n${b}`)) throw new Error('already open');
        await this.track(this.compares, `${a}\n${b}`, new ComparePanel(a, b, panel, this.ctx)).load();
        return;
      }
      if (kind === 'audit' && c?.type === 'audit') {
        // The audit is not re-run: the panel shows the result it showed (the CSV may have changed since).
        const key = path.resolve(c.result.file);
        if (this.audits.has(key)) throw new Error('already open');
        this.track(this.audits, key, new AuditPanel(c, panel, this.ctx));
        return;
      }
      if (kind === 'explain' && c?.type === 'explain') {
        const key = path.resolve(c.dir);
        if (this.explains.has(key)) throw new Error('already open');
        const row = s?.ui?.row;
        await this.trackExplain(key, c.configFile, panel).load(typeof row === 'number' ? row : undefined);
        return;
      }
      if (kind === 'training' && s?.training) {
        // The training itself did not survive the reload: show what was seen, marked as no longer followed.
        this.keep(new TrainingPanel(panel, this.ctx, { ...s.training, detached: !s.training.end }));
        return;
      }
    } catch (e) {
      this.ctx.log.info(`[${kind}] not restored: ${message(e)}`);
    }
    // Nothing to restore (no saved state, or the same content is already open): close it.
    panel.dispose();
  }

  override dispose(): void {
    for (const p of [...this.live]) p.dispose();
    this.live.clear();
    this.reports.clear();
    this.data.clear();
    this.compares.clear();
    this.audits.clear();
    this.explains.clear();
    this.explainClient?.dispose();
    super.dispose();
  }
}

/**
 * Registers the panel serializers and returns the service that opens panels. Dispose it (it is
 * pushed to `context.subscriptions`) to close every panel.
 */
export function registerPanels(context: vscode.ExtensionContext, log: vscode.LogOutputChannel, profile: DataProfiler): PanelService {
  const service = new Panels(context, log, profile);
  context.subscriptions.push(service);
  return service;
}
