/**
 * The extension's entry point: a thin adapter that wires the pure engine (src/core) into VS Code.
 *
 * Activation must stay under 50 ms, so only light modules load here:
 * - the lint, the config checks and the CSV reading for new configs run in the lint worker
 *   (dist/lint-worker.js, see diagnostics/lint-client.ts);
 * - training runs in the training worker (dist/worker.js): TensorFlow.js never loads in the host;
 * - the engine modules the panels need on first use are in dist/extension-core.js (lazy-core.ts).
 * activate() logs how long it took, step by step.
 */
import { MODULE_START } from './util/clock';
import type { EpochLog } from '../core/report/types';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ConfigCodeLensProvider } from './code-lens';
import { selectBackend } from './commands/backend';
import { openExample, openPendingExample } from './commands/example';
import { ModelCards } from './commands/model-card';
import { readGenerateOptions } from './commands/model-card-plan';
import { RunCommands } from './commands/runs';
import { COMMANDS, CONTEXT, OUTPUT_CHANNEL, type CommandId } from './constants';
import { QuickFixProvider } from './diagnostics/code-actions';
import { LintClient } from './diagnostics/lint-client';
import { LintService } from './diagnostics/lint-service';
import { registerPanels } from './panels';
import { configFolderOfRun, CONFIG_FILE_GLOB, DATA_FILE_GLOB, RUN_FOLDER_GLOB } from './paths';
import { RunIndex } from './runs/run-index';
import { SettingsStore } from './settings';
import { TrainingStatusBar } from './training/status-bar';
import { requireTrust } from './trust';
import { TrainingService } from './training/training-service';
import { errorDetail, errorMessage } from './util/errors';
import { activeConfig, resolveConfig } from './workspace';

/** When every module of the bundle had been evaluated (see util/clock.ts for the start). */
const MODULES_READY = performance.now();

/** What activate() returns: for tests and other extensions. */
export interface RmlApi {
  /** Milliseconds spent evaluating the bundle's modules plus running activate(). */
  readonly activationMs: number;
  /** Resolves once the first lint of the whole workspace has been published. */
  readonly initialLint: Promise<unknown>;
  /** Fires after a config's findings were published (tests wait on it instead of sleeping). */
  readonly onDidLint: vscode.Event<{ configFile: string; findings: readonly { ruleId: string }[] }>;
  /** Fires when a training starts (with its config file), after each epoch, and when it ends. */
  readonly onDidStartTraining: vscode.Event<string>;
  readonly onDidTrainEpoch: vscode.Event<EpochLog>;
  readonly onDidFinishTraining: vscode.Event<{ configFile: string; status: string; dir?: string }>;
}

export function activate(context: vscode.ExtensionContext): RmlApi {
  const t0 = performance.now();
  const marks: [string, number][] = [];
  const mark = (label: string) => marks.push([label, performance.now()]);
  const log = vscode.window.createOutputChannel(OUTPUT_CHANNEL, { log: true });
  mark('log');
  context.subscriptions.push(log);
  const settings = new SettingsStore();
  context.subscriptions.push(settings);

  const runs = new RunIndex();
  const statusBar = new TrainingStatusBar();
  statusBar.setBackend(settings.value.backend);
  context.subscriptions.push(statusBar);
  mark('settings, runs, status bar');
  const lintClient = new LintClient(path.join(context.extensionPath, 'dist', 'lint-worker.js'), (level, message) => log[level](message));
  context.subscriptions.push({ dispose: () => lintClient.dispose() });
  // The data view's CSV profile is computed in the lint worker, off this thread.
  const panels = registerPanels(context, log, (configFile, root) => lintClient.profile(configFile, root));
  context.subscriptions.push(panels);
  mark('panels');

  const workerFile = path.join(context.extensionPath, 'dist', 'worker.js');
  const training = new TrainingService(workerFile, lintClient, log, settings, panels, runs, statusBar);
  context.subscriptions.push(training);
  const lint = new LintService(lintClient, settings, log);
  context.subscriptions.push(lint);
  mark('training, lint');

  const configSelector: vscode.DocumentSelector = [{ scheme: 'file', pattern: CONFIG_FILE_GLOB }];
  const cards = new ModelCards(runs);
  context.subscriptions.push(cards);
  const lenses = new ConfigCodeLensProvider(runs, training, settings, cards);
  context.subscriptions.push(lenses, vscode.languages.registerCodeLensProvider(configSelector, lenses));
  context.subscriptions.push(
    vscode.languages.registerCodeActionsProvider(
      [...configSelector, { scheme: 'file', pattern: DATA_FILE_GLOB }],
      new QuickFixProvider(lint),
      QuickFixProvider.metadata,
    ),
  );

  // A run recorded or deleted (by the editor or by `rml train` in a terminal): refresh the lenses
  // and re-lint the configs beside it (the fairness-threshold rule reads the latest run).
  const runWatcher = vscode.workspace.createFileSystemWatcher(RUN_FOLDER_GLOB);
  const onRun = (uri: vscode.Uri) => {
    const folder = configFolderOfRun(uri.fsPath);
    if (!folder || path.basename(uri.fsPath).startsWith('.')) return;
    runs.invalidateFolder(folder);
    lint.relintFolder(folder);
  };
  context.subscriptions.push(runWatcher, runWatcher.onDidCreate(onRun), runWatcher.onDidDelete(onRun));
  context.subscriptions.push(settings.onDidChange((c) => c.has('backend') && statusBar.setBackend(settings.value.backend)));

  mark('providers, watchers');
  const runCommands = new RunCommands(runs, panels);
  const nodeBackendAvailable = () => {
    try {
      createRequire(workerFile).resolve('@tensorflow/tfjs-node');
      return true;
    } catch {
      return false;
    }
  };
  const handlers: Record<CommandId, (...args: unknown[]) => unknown> = {
    [COMMANDS.newConfig]: async (arg) => (await import('./commands/new-config')).newConfigFromCsv(arg, lintClient, log),
    [COMMANDS.train]: async (arg) => {
      // Say why before asking which config.
      if (!(await requireTrust('Training'))) return { status: 'skipped', reason: 'untrusted' };
      const config = await resolveConfig(arg, 'Train & evaluate which training config?');
      return config ? training.train(config) : { status: 'skipped', reason: 'no-config' };
    },
    [COMMANDS.cancelTraining]: () => {
      if (!training.cancel()) void vscode.window.showInformationMessage('No training is running.');
    },
    [COMMANDS.showFairnessReport]: (arg) => runCommands.showFairnessReport(arg),
    [COMMANDS.lintConfig]: async (arg) => {
      const config = await resolveConfig(arg, 'Lint which training config?');
      if (!config) return undefined;
      await lint.lintNow(config.fsPath);
      const s = lint.summary([config.fsPath]);
      announce(s, path.basename(config.fsPath));
      return s;
    },
    [COMMANDS.lintWorkspace]: async () => {
      const s = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Responsible ML: linting' }, () => lint.lintAll());
      announce(s, `${s.configs} training config${s.configs === 1 ? '' : 's'}`);
      return s;
    },
    [COMMANDS.showLastReport]: (arg) => runCommands.showLastReport(arg),
    [COMMANDS.openRun]: (dir) => runCommands.openRun(dir),
    [COMMANDS.compareRuns]: (arg) => runCommands.compareRuns(arg),
    [COMMANDS.showDataProfile]: (arg) => runCommands.showDataProfile(arg),
    // Allowed in Restricted Mode: it runs no workspace code (see commands/model-card.ts).
    [COMMANDS.generateModelCard]: (arg, options) => cards.generate(arg, readGenerateOptions(options)),
    [COMMANDS.explain]: async (arg) => (await import('./commands/explain')).explainModel(arg, runs, panels),
    [COMMANDS.deidentifyData]: async (arg) => (await import('./commands/deidentify')).deidentifyData(arg, lintClient, log),
    [COMMANDS.selectBackend]: () => selectBackend(settings, nodeBackendAvailable()),
    [COMMANDS.showLog]: () => log.show(),
    [COMMANDS.auditPredictions]: async (arg) => (await import('./commands/audit')).auditPredictions(arg, { client: lintClient, panels, log, state: context.workspaceState }),
    [COMMANDS.openExample]: () => openExample(context),
    [COMMANDS.quickFixApplied]: (ruleId) => log.info(`Quick fix applied for ${String(ruleId)}`),
    [COMMANDS.openRuleDoc]: (uri) => typeof uri === 'string' && vscode.env.openExternal(vscode.Uri.parse(uri)),
  };
  for (const [id, handler] of Object.entries(handlers)) {
    context.subscriptions.push(
      vscode.commands.registerCommand(id, async (...args: unknown[]) => {
        try {
          return await handler(...args);
        } catch (e) {
          log.error(`${id} failed: ${errorDetail(e)}`);
          void vscode.window.showErrorMessage(`Responsible ML: ${errorMessage(e)}`, 'Show Log').then((c) => c && log.show());
          return undefined;
        }
      }),
    );
  }
  void vscode.commands.executeCommand('setContext', CONTEXT.training, false);
  mark('commands');

  function announce(s: { errors: number; warnings: number; infos: number }, what: string): void {
    const total = s.errors + s.warnings + s.infos;
    if (total === 0) {
      vscode.window.setStatusBarMessage(`$(check) Responsible ML: no problems in ${what}`, 5000);
      return;
    }
    vscode.window.setStatusBarMessage(`Responsible ML: ${what} — ${s.errors} error(s), ${s.warnings} warning(s), ${s.infos} info`, 8000);
    void vscode.commands.executeCommand('workbench.actions.view.problems');
  }

  // The first workspace lint runs after activation returns, so it never delays the editor.
  const initialLint = new Promise<unknown>((resolve) => {
    const timer = setTimeout(() => resolve(lint.lintAll().catch((e: unknown) => log.error(`Workspace lint failed: ${errorDetail(e)}`))), 0);
    context.subscriptions.push({ dispose: () => clearTimeout(timer) });
  });
  void openPendingExample(context).catch((e: unknown) => log.warn(`Could not open the example: ${errorMessage(e)}`));

  const activateMs = performance.now() - t0;
  const modulesMs = MODULES_READY - MODULE_START;
  const activationMs = modulesMs + activateMs;
  const breakdown = marks.map(([label, t], i) => `${label} ${(t - (i === 0 ? t0 : marks[i - 1][1])).toFixed(1)}`).join(', ');
  log.info(
    `Activated in ${activationMs.toFixed(1)} ms (modules ${modulesMs.toFixed(1)} ms + activate() ${activateMs.toFixed(1)} ms: ${breakdown}); workspace trusted: ${vscode.workspace.isTrusted}; config in editor: ${activeConfig()?.fsPath ?? 'none'}`,
  );
  return {
    activationMs,
    initialLint,
    onDidLint: lint.onDidLint,
    onDidStartTraining: training.onDidStart,
    onDidTrainEpoch: training.onDidEpoch,
    onDidFinishTraining: (listener, thisArg, disposables) =>
      training.onDidFinish((e) => listener.call(thisArg, { configFile: e.configFile, status: e.outcome.status, dir: e.outcome.dir }), undefined, disposables),
  };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions (the training worker included).
}
