/**
 * Code lenses at the top of every training config:
 *   ▶ Train & evaluate · ⚖ Fairness report · ✎ Lint
 *   Last run: acc 0.852 · DPD 0.17 ✗            (opens that run's report)
 *   Model card ✓ / Model card out of date        (commands/model-card.ts)
 * They change only when something they show changes: a run recorded in the config's folder, a
 * training starting or ending, workspace trust granted, or the setting toggled.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { COMMANDS } from './constants';
import { fileKey } from './paths';
import type { RunIndex } from './runs/run-index';
import { lensTitle, lensTooltip } from './runs/summary';
import type { SettingsStore } from './settings';
import type { TrainingService } from './training/training-service';
import { Disposable } from './util/disposable';

export class ConfigCodeLensProvider extends Disposable implements vscode.CodeLensProvider {
  private readonly changed = this._register(new vscode.EventEmitter<void>());
  readonly onDidChangeCodeLenses = this.changed.event;
  /** Config folders that currently show lenses (to ignore runs recorded elsewhere). */
  private readonly shownFolders = new Set<string>();

  constructor(
    private readonly runs: RunIndex,
    private readonly training: TrainingService,
    private readonly settings: SettingsStore,
    /** The model-card lens (commands/model-card.ts), asked after the others. */
    private readonly cards?: { lens(configFile: string, range: vscode.Range, token: vscode.CancellationToken): Promise<vscode.CodeLens | undefined>; onDidChange: vscode.Event<void> },
  ) {
    super();
    if (cards) this._register(cards.onDidChange(() => this.changed.fire()));
    this._register(runs.onDidChange((folder) => {
      if (this.shownFolders.has(folder)) this.changed.fire();
    }));
    this._register(training.onDidStart(() => this.changed.fire()));
    this._register(training.onDidFinish(() => this.changed.fire()));
    this._register(vscode.workspace.onDidGrantWorkspaceTrust(() => this.changed.fire()));
    this._register(settings.onDidChange((c) => c.has('codeLensEnable') && this.changed.fire()));
  }

  async provideCodeLenses(document: vscode.TextDocument, token: vscode.CancellationToken): Promise<vscode.CodeLens[]> {
    if (!this.settings.value.codeLensEnable || document.uri.scheme !== 'file') return [];
    const file = document.uri.fsPath;
    this.shownFolders.add(fileKey(path.dirname(file)));
    const top = new vscode.Range(0, 0, 0, 0);
    const args = [document.uri];
    const lenses: vscode.CodeLens[] = [];

    if (this.training.runningConfig !== undefined && fileKey(this.training.runningConfig) === fileKey(file)) {
      lenses.push(new vscode.CodeLens(top, { title: '$(sync~spin) Training… (cancel)', command: COMMANDS.cancelTraining, tooltip: 'A training of this config is running. Click to cancel it; the run is recorded as cancelled.' }));
    } else if (vscode.workspace.isTrusted) {
      lenses.push(new vscode.CodeLens(top, { title: '▶ Train & evaluate', command: COMMANDS.train, arguments: args, tooltip: 'Train the model in the background and evaluate it on the test split' }));
    } else {
      lenses.push(new vscode.CodeLens(top, { title: '$(shield) Training is disabled in Restricted Mode', command: 'workbench.trust.manage', tooltip: 'Training runs TensorFlow.js on this workspace\'s data. Trust the workspace to enable it; the lint works either way.' }));
    }
    lenses.push(new vscode.CodeLens(top, { title: '⚖ Fairness report', command: COMMANDS.showFairnessReport, arguments: args, tooltip: 'Open the fairness report of the latest run (training first if there is none)' }));
    lenses.push(new vscode.CodeLens(top, { title: '✎ Lint', command: COMMANDS.lintConfig, arguments: args, tooltip: 'Check this config and its data for responsible-ML problems' }));

    const last = await this.runs.latest(file).catch(() => undefined);
    const completed = vscode.workspace.isTrusted ? await this.runs.latestCompleted(file).catch(() => undefined) : undefined;
    if (token.isCancellationRequested) return [];
    if (completed) {
      lenses.push(new vscode.CodeLens(top, { title: '$(lightbulb) Explain', command: COMMANDS.explain, arguments: args, tooltip: `Explain the model of the latest completed run (${path.basename(completed.dir)}): feature importance, a row's SHAP values, LIME, counterfactual and partial dependence` }));
    }
    if (last) {
      lenses.push(new vscode.CodeLens(top, { title: lensTitle(last), command: COMMANDS.openRun, arguments: [last.dir], tooltip: lensTooltip(last) }));
    }
    const card = await this.cards?.lens(file, top, token).catch(() => undefined);
    if (token.isCancellationRequested) return [];
    if (card) lenses.push(card);
    return lenses;
  }
}
