/**
 * "Explain Model…": the latest completed run of a config (the code lens and the Explorer pass
 * it; else the active editor's, the only one, or one picked) opened in the Explain panel. The
 * model is executed, so it needs a trusted workspace; without a completed run it offers to train.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { COMMANDS } from '../constants';
import type { PanelService } from '../panels';
import { EXPLAIN_UNTRUSTED_WHY } from '../panels/explain';
import type { RunIndex } from '../runs/run-index';
import { requireTrust } from '../trust';
import { resolveConfig } from '../workspace';

export async function explainModel(arg: unknown, runs: RunIndex, panels: PanelService): Promise<string | undefined> {
  if (!(await requireTrust('Explaining a model', EXPLAIN_UNTRUSTED_WHY))) return undefined;
  const config = await resolveConfig(arg, 'Explain the model of which training config?');
  if (!config) return undefined;
  const last = await runs.latestCompleted(config.fsPath);
  if (!last) {
    const train = 'Train & Evaluate';
    const choice = await vscode.window.showInformationMessage(
      `${path.basename(config.fsPath)} has no completed run yet, so there is no model to explain. Train it first; the explanation uses the run's saved model and test split.`,
      train,
    );
    if (choice === train) await vscode.commands.executeCommand(COMMANDS.train, config);
    return undefined;
  }
  await panels.showExplain(last.dir, config.fsPath);
  return last.dir;
}
