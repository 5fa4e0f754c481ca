/**
 * Training from the editor: one run at a time in the training worker, with a progress
 * notification (epochs, Cancel), the live training view, the status bar and the full log.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { EpochLog } from '../../core/report/types';
import { CONTEXT } from '../constants';
import { configFolderOfRun } from '../paths';
import type { PanelService, TrainingView } from '../panels';
import type { RunIndex } from '../runs/run-index';
import { failureText, gateSentence, lensTitle, runInfo } from '../runs/summary';
import type { SettingsStore } from '../settings';
import { requireTrust } from '../trust';
import { Disposable } from '../util/disposable';
import { errorDetail } from '../util/errors';
import { openAt, rootFor } from '../workspace';
import type { TrainingStatusBar } from './status-bar';
import { LintError, type LintClient } from '../diagnostics/lint-client';
import { epochLine, estimateLine, summarizeEstimate, type EstimateSummary } from './format';
import { TrainingJob, type TrainingOutcome } from './worker-host';

/** What the `rml.train` command resolves to (tests and the e2e suite read it). */
export type TrainResult =
  | { status: 'completed' | 'cancelled'; dir?: string }
  | { status: 'failed'; message: string }
  | { status: 'skipped'; reason: 'untrusted' | 'busy' | 'invalid-config' | 'no-config' };

interface Running {
  job: TrainingJob;
  configFile: string;
  name: string;
  epoch: number;
  epochs: number;
}

export class TrainingService extends Disposable {
  private running: Running | undefined;
  private readonly finished = this._register(new vscode.EventEmitter<{ configFile: string; outcome: TrainingOutcome }>());
  /** Fires when a training ends, however it ends. */
  readonly onDidFinish = this.finished.event;
  private readonly started = this._register(new vscode.EventEmitter<string>());
  /** Fires with the config file when a training starts. */
  readonly onDidStart = this.started.event;
  private readonly epochs = this._register(new vscode.EventEmitter<EpochLog>());
  /** Fires after each epoch of the running training. */
  readonly onDidEpoch = this.epochs.event;

  constructor(
    private readonly workerFile: string,
    private readonly lint: LintClient,
    private readonly log: vscode.LogOutputChannel,
    private readonly settings: SettingsStore,
    private readonly panels: PanelService,
    private readonly runs: RunIndex,
    private readonly statusBar: TrainingStatusBar,
  ) {
    super();
  }

  get isRunning(): boolean {
    return this.running !== undefined;
  }

  /** The config being trained, if any. */
  get runningConfig(): string | undefined {
    return this.running?.configFile;
  }

  /** Train a config and show the outcome. Resolves when the run has ended. */
  async train(uri: vscode.Uri): Promise<TrainResult> {
    if (!(await requireTrust('Training'))) return { status: 'skipped', reason: 'untrusted' };
    if (this.running) {
      const r = this.running;
      const cancel = 'Cancel It';
      void vscode.window
        .showWarningMessage(`A training is already running (${r.name}, epoch ${r.epoch}/${r.epochs}). One training runs at a time.`, cancel)
        .then((c) => c === cancel && this.cancel());
      return { status: 'skipped', reason: 'busy' };
    }
    const configFile = uri.fsPath;
    const root = rootFor(uri);

    // Train what is on disk: save the editor first.
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (open?.isDirty && !(await open.save())) {
      void vscode.window.showWarningMessage(`Training uses the config on disk, and ${path.basename(configFile)} could not be saved.`);
      return { status: 'skipped', reason: 'invalid-config' };
    }

    // Check the config before starting the training worker (in the lint worker: loading the
    // parser and the schema validator must not stall the extension host): its name and epochs
    // drive the progress.
    let name: string;
    let epochs: number;
    try {
      ({ name, epochs } = await this.lint.check(configFile, root));
    } catch (e) {
      this.log.error(`Cannot train ${configFile}:\n${e instanceof LintError ? e.message : errorDetail(e)}`);
      const show = 'Show Problems';
      void vscode.window
        .showErrorMessage(`Cannot train ${path.basename(configFile)}: ${firstProblem(e)}`, show)
        .then((c) => c === show && vscode.commands.executeCommand('workbench.actions.view.problems'));
      return { status: 'skipped', reason: 'invalid-config' };
    }

    const backend = this.settings.value.backend;
    this.log.info(`Training ${name} (${configFile}) on backend '${backend}', root ${root}`);
    const view = this.settings.value.showTrainingPanel ? this.openView(configFile, name, epochs) : undefined;
    const t0 = performance.now();

    const outcome = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Training ${name}`, cancellable: true },
      async (progress, token) => {
        let lastPct = 0;
        // The estimate stays in the notification under each epoch's line.
        let estimated = '';
        const job = new TrainingJob(
          { workerFile: this.workerFile, configFile, root, backend, carbonIntensity: this.settings.value.carbonIntensity },
          {
            onStage: (stage) => {
              this.log.info(`[${name}] ${stage}`);
              view?.stage(stage);
              this.statusBar.stage(stage);
              progress.report({ message: estimated ? `${stage} (${estimated})` : stage });
            },
            onEstimate: (estimate) => {
              const summary = summarizeEstimate(estimate);
              const line = estimateLine(summary);
              this.log.info(`[${name}] ${line} at ${estimate.co2e.gramsPerKWh} gCO₂e/kWh (${estimate.co2e.source}); ${estimate.basis}`);
              view?.estimate(summary);
              estimated = line;
              progress.report({ message: line });
            },
            onEpoch: (e) => {
              if (this.running) {
                this.running.epoch = e.epoch;
                this.running.epochs = e.epochs;
              }
              this.log.info(`[${name}] ${epochLine(e)}`);
              view?.epoch(e);
              this.statusBar.epoch(e.epoch, e.epochs);
              this.epochs.fire(e);
              const pct = (100 * e.epoch) / Math.max(1, e.epochs);
              progress.report({ increment: pct - lastPct, message: estimated ? `${epochLine(e)} (${estimated})` : epochLine(e) });
              lastPct = pct;
            },
            onOutput: (line) => this.log.debug(`[worker] ${line}`),
          },
        );
        this.running = { job, configFile, name, epoch: 0, epochs };
        this.statusBar.start(name, epochs);
        void vscode.commands.executeCommand('setContext', CONTEXT.training, true);
        this.started.fire(configFile);
        const onCancel = () => {
          if (job.cancelRequestedAt !== undefined) return;
          this.log.info(`[${name}] cancel requested`);
          progress.report({ message: 'cancelling…' });
          job.cancel();
        };
        const subs = [token.onCancellationRequested(onCancel), ...(view ? [view.onDidRequestCancel(onCancel)] : [])];
        try {
          const o = await job.done;
          if (job.cancelRequestedAt !== undefined) this.log.info(`[${name}] stopped ${Math.round(performance.now() - job.cancelRequestedAt)} ms after the cancel request`);
          return o;
        } finally {
          for (const s of subs) s.dispose();
          this.running = undefined;
          this.statusBar.stop();
          void vscode.commands.executeCommand('setContext', CONTEXT.training, false);
        }
      },
    );

    const seconds = ((performance.now() - t0) / 1000).toFixed(1);
    const folder = outcome.dir ? configFolderOfRun(outcome.dir) : undefined;
    if (folder) this.runs.invalidateFolder(folder);
    this.finished.fire({ configFile, outcome });
    return this.report(name, configFile, outcome, seconds, view);
  }

  /** Cancel the running training (the status bar, the command, the training view). */
  cancel(): boolean {
    if (!this.running) return false;
    this.log.info(`[${this.running.name}] cancel requested`);
    this.running.job.cancel();
    return true;
  }

  /**
   * The live training view, guarded: a failure in the view is logged and never stops or fails the
   * training itself (the notification, the status bar and the log still show it).
   */
  private openView(configFile: string, name: string, epochs: number): TrainingView | undefined {
    let view: TrainingView;
    try {
      view = this.panels.showTraining(configFile, name, epochs);
    } catch (e) {
      this.log.error(`Cannot open the training view: ${errorDetail(e)}`);
      return undefined;
    }
    const guard =
      <A extends unknown[]>(what: string, f: (...a: A) => void) =>
      (...a: A) => {
        try {
          f(...a);
        } catch (e) {
          this.log.error(`Training view (${what}): ${errorDetail(e)}`);
        }
      };
    return {
      stage: guard('stage', (s: string) => view.stage(s)),
      estimate: guard('estimate', (e: EstimateSummary) => view.estimate(e)),
      epoch: guard('epoch', (e: EpochLog) => view.epoch(e)),
      end: guard('end', (status: 'completed' | 'cancelled' | 'failed', dir?: string, message?: string) => view.end(status, dir, message)),
      onDidRequestCancel: view.onDidRequestCancel,
    };
  }

  override dispose(): void {
    // Window closing: stop the worker rather than leave it running.
    void this.running?.job.terminate();
    super.dispose();
  }

  private report(name: string, configFile: string, o: TrainingOutcome, seconds: string, view: TrainingView | undefined): TrainResult {
    const showLog = 'Show Log';
    const openReport = 'Open Report';
    const onChoice = (dir: string | undefined) => (c: string | undefined) => {
      if (c === showLog) this.log.show(true);
      else if (c === openReport && dir) void this.panels.showReport(dir);
    };
    if (o.status === 'failed') {
      view?.end('failed', undefined, o.message);
      this.log.error(`[${name}] failed (${o.kind}): ${o.message}`);
      const loc = o.location;
      const goTo = 'Go to Problem';
      const buttons = loc ? [goTo, showLog] : [showLog];
      void vscode.window.showErrorMessage(`Training ${name} failed: ${o.message.split('\n')[0]}`, ...buttons).then((c) => {
        if (c === goTo && loc) void openAt(loc.file, loc.line, loc.column, loc.endLine, loc.endColumn);
        else onChoice(undefined)(c);
      });
      return { status: 'failed', message: o.message };
    }
    if (o.status === 'cancelled') {
      view?.end('cancelled', o.dir, 'message' in o ? o.message : undefined);
      this.log.info(`[${name}] cancelled after ${seconds} s${o.dir ? `; recorded in ${o.dir}` : ''}`);
      void vscode.window.showInformationMessage(`Training ${name} was cancelled${o.dir ? '; the run is recorded as cancelled' : ''}.`, showLog).then(onChoice(o.dir));
      return { status: 'cancelled', dir: o.dir };
    }
    const info = runInfo(o.dir, o.record);
    this.statusBar.setBackend(this.settings.value.backend, o.record.backend.name);
    for (const n of o.record.backend.notes) this.log.info(`[${name}] backend: ${n}`);
    for (const w of o.record.data.warnings) this.log.warn(`[${name}] ${w}`);
    this.log.info(`[${name}] completed in ${seconds} s on ${o.record.backend.name}: ${lensTitle(info).replace(/^Last run: /, '')}; saved to ${o.dir}`);
    view?.end('completed', o.dir);
    const summary = `${name}: ${lensTitle(info).replace(/^Last run: /, '')}`;
    if (info.gate && !info.gate.passed) {
      for (const f of info.gate.failures) this.log.warn(`[${name}] fairness gate: ${failureText(f)}`);
      void vscode.window.showWarningMessage(`Trained ${name}: ${gateSentence(info.gate)}.`, openReport, showLog).then(onChoice(o.dir));
    } else if (!this.settings.value.openReportOnCompletion) {
      void vscode.window.showInformationMessage(`Trained ${summary} (${seconds} s, ${o.record.backend.name}).`, openReport, showLog).then(onChoice(o.dir));
    }
    if (this.settings.value.openReportOnCompletion) {
      vscode.window.setStatusBarMessage(`$(check) Trained ${summary}`, 8000);
      void this.panels.showReport(o.dir).catch((e: unknown) => this.log.error(`Cannot open the report of ${o.dir}: ${errorDetail(e)}`));
    }
    return { status: 'completed', dir: o.dir };
  }
}

/** The first problem of a config check, without the file path (the notification names the file). */
function firstProblem(e: unknown): string {
  const first = (e instanceof Error ? e.message : String(e)).split('\n')[0];
  const m = /^.*?:(\d+):(\d+): (.*)$/.exec(first);
  return m ? `line ${m[1]}: ${m[3]}` : first;
}
