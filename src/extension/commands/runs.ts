/**
 * Commands over recorded runs: show the latest report, the fairness report, a given run, compare
 * two runs, and the dataset profile.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { COMMANDS } from '../constants';
import type { PanelService } from '../panels';
import type { RunIndex } from '../runs/run-index';
import { runDescription, type RunInfo } from '../runs/summary';
import { displayPath, findConfigs, isConfigUri, resolveConfig } from '../workspace';

export class RunCommands {
  constructor(
    private readonly runs: RunIndex,
    private readonly panels: PanelService,
  ) {}

  /** The report of the latest run of a config (the argument, the active editor's, or one picked). */
  async showLastReport(arg?: unknown): Promise<string | undefined> {
    const config = await resolveConfig(arg, 'Show the latest report of which training config?');
    if (!config) return undefined;
    const last = await this.runs.latest(config.fsPath);
    if (!last) return this.offerTraining(config, 'has no recorded run yet');
    await this.panels.showReport(last.dir);
    return last.dir;
  }

  /** The fairness report: the latest completed run's report, training first when there is none. */
  async showFairnessReport(arg?: unknown): Promise<string | undefined> {
    const config = await resolveConfig(arg, 'Show the fairness report of which training config?');
    if (!config) return undefined;
    const last = await this.runs.latestCompleted(config.fsPath);
    if (!last) return this.offerTraining(config, 'has no completed run yet, so there is no fairness audit to show');
    await this.panels.showReport(last.dir);
    return last.dir;
  }

  /** The report of one run folder (the "Last run" code lens passes it). */
  async openRun(dir?: unknown): Promise<string | undefined> {
    if (typeof dir !== 'string') return this.showLastReport();
    await this.panels.showReport(dir);
    return dir;
  }

  /** Pick two runs (of the given config, or of every config) and show them side by side. */
  async compareRuns(arg?: unknown): Promise<[string, string] | undefined> {
    const configs = arg instanceof vscode.Uri && isConfigUri(arg) ? [arg] : await findConfigs();
    const all: { run: RunInfo; config: vscode.Uri }[] = [];
    for (const config of configs) for (const run of await this.runs.runsOf(config.fsPath)) all.push({ run, config });
    if (all.length < 2) {
      void vscode.window.showInformationMessage(
        all.length === 0 ? 'There are no recorded runs to compare yet. Train & evaluate a config first.' : 'There is only one recorded run. Train again (for example after a change) to compare two runs.',
      );
      return undefined;
    }
    all.sort((a, b) => (b.run.startedAt?.getTime() ?? 0) - (a.run.startedAt?.getTime() ?? 0));
    const now = new Date();
    type Item = vscode.QuickPickItem & { run: RunInfo };
    const qp = vscode.window.createQuickPick<Item>();
    qp.title = 'Compare two runs';
    qp.placeholder = 'Select exactly two runs, then press Enter';
    qp.canSelectMany = true;
    qp.matchOnDescription = true;
    qp.matchOnDetail = true;
    qp.items = all.map(({ run, config }) => ({
      label: run.name || path.basename(run.dir),
      description: runDescription(run, now),
      detail: `${displayPath(config)} — ${path.basename(run.dir)}`,
      run,
    }));
    const picked = await new Promise<readonly Item[] | undefined>((resolve) => {
      qp.onDidChangeSelection((sel) => {
        qp.title = `Compare two runs (${sel.length} of 2 selected)`;
      });
      qp.onDidAccept(() => {
        if (qp.selectedItems.length === 2) {
          resolve(qp.selectedItems);
          qp.hide();
        } else {
          qp.title = `Compare two runs: select exactly two (${qp.selectedItems.length} selected)`;
        }
      });
      qp.onDidHide(() => resolve(undefined));
      qp.show();
    });
    qp.dispose();
    if (!picked) return undefined;
    // Older run on the left, newer on the right.
    const [a, b] = [...picked].sort((x, y) => (x.run.startedAt?.getTime() ?? 0) - (y.run.startedAt?.getTime() ?? 0));
    await this.panels.showCompare(a.run.dir, b.run.dir);
    return [a.run.dir, b.run.dir];
  }

  /** The dataset profile of a config's CSV. */
  async showDataProfile(arg?: unknown): Promise<void> {
    const config = await resolveConfig(arg, 'Show the data profile of which training config?');
    if (config) await this.panels.showData(config.fsPath);
  }

  private async offerTraining(config: vscode.Uri, why: string): Promise<undefined> {
    const train = 'Train & Evaluate';
    const choice = await vscode.window.showInformationMessage(`${path.basename(config.fsPath)} ${why}.`, ...(vscode.workspace.isTrusted ? [train] : []));
    if (choice === train) await vscode.commands.executeCommand(COMMANDS.train, config);
    return undefined;
  }
}
