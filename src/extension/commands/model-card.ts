/**
 * "Generate Model Card" (`rml.generateModelCard`) and the model-card code lens of a training config:
 *   $(book) Model card                  no card yet: click to write MODEL_CARD.md
 *   $(warning) Model card out of date   the config or its data changed since (tooltip: why); click to regenerate
 *   $(book) Model card ✓                up to date; click to open it
 *
 * The card engine loads on first use from dist/card-core.js (never during activation). The lens
 * status is cached by the files' modification times and refreshed when a card or data file changes
 * (file watchers), when a run is recorded or a training ends (the lens provider's own triggers).
 *
 * Workspace Trust: allowed in Restricted Mode. Generating a card runs no code from the workspace:
 * it reads run.json, the config and a sample of the data file (as the lint does, which also runs
 * there) and writes one Markdown or HTML file; every value is escaped and PII is never copied (the
 * card holds column names and aggregates only). Training, which a card needs first, stays disabled.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { COMMANDS } from '../constants';
import { DATA_FILE_GLOB, MODEL_CARD_GLOB } from '../paths';
import type { RunIndex } from '../runs/run-index';
import { runDescription, type RunInfo } from '../runs/summary';
import { Disposable } from '../util/disposable';
import { isAbort } from '../util/errors';
import { resolveConfig, rootFor } from '../workspace';
import { cardLens, CardStatusCache, existingCard, overwriteVerdict, writeModelCard, type CardCore, type CardFormat, type GenerateCardOptions } from './model-card-plan';

/** The card files the lens reports on (see defaultCardPath). */

export interface GenerateCardResult {
  status: 'written' | 'cancelled' | 'no-run';
  file?: string;
  run?: string;
}

export class ModelCards extends Disposable {
  private corePromise: Promise<CardCore> | undefined;
  private readonly statuses = new CardStatusCache(() => this.core());
  private readonly changed = this._register(new vscode.EventEmitter<void>());
  /** Fires when a card file was created, changed or deleted: the lenses ask again. */
  readonly onDidChange = this.changed.event;

  constructor(private readonly runs: RunIndex) {
    super();
    const watcher = this._register(vscode.workspace.createFileSystemWatcher(MODEL_CARD_GLOB));
    const onCard = () => {
      this.statuses.clear();
      this.changed.fire();
    };
    this._register(watcher.onDidCreate(onCard));
    this._register(watcher.onDidChange(onCard));
    this._register(watcher.onDidDelete(onCard));
    // A data file changed: a card made from it may now be out of date (the status cache sees the new modification time).
    const data = this._register(vscode.workspace.createFileSystemWatcher(DATA_FILE_GLOB, true, false, false));
    this._register(data.onDidChange(() => this.changed.fire()));
    this._register(data.onDidDelete(() => this.changed.fire()));
  }

  private core(): Promise<CardCore> {
    // scripts/build.mjs turns this import into require('./card-core.js'): its own bundle, loaded now.
    this.corePromise ??= import('../card-core');
    return this.corePromise;
  }

  /** The model-card lens of a config (undefined when cancelled). */
  async lens(configFile: string, range: vscode.Range, token: vscode.CancellationToken): Promise<vscode.CodeLens | undefined> {
    const status = await this.statuses.status(configFile);
    if (token.isCancellationRequested) return undefined;
    const l = cardLens(status);
    const command = l.action === 'open'
      ? { title: l.title, command: 'vscode.open', arguments: [vscode.Uri.file(status.file)], tooltip: l.tooltip }
      : { title: l.title, command: COMMANDS.generateModelCard, arguments: [vscode.Uri.file(configFile), { format: status.kind === 'stale' && status.file.endsWith('.html') ? 'html' : 'markdown' } satisfies GenerateCardOptions], tooltip: l.tooltip };
    return new vscode.CodeLens(range, command);
  }

  /** The command: pick the format (and the run, when there are several), write the card, open it. */
  async generate(arg?: unknown, options: GenerateCardOptions = {}): Promise<GenerateCardResult> {
    const config = await resolveConfig(arg, 'Generate a model card for which training config?');
    if (!config) return { status: 'cancelled' };
    const configFile = config.fsPath;
    const completed = (await this.runs.runsOf(configFile)).filter((r) => r.status === 'completed');
    if (completed.length === 0) {
      const train = 'Train & Evaluate';
      const choice = await vscode.window.showInformationMessage(
        `${path.basename(configFile)} has no completed run yet, and a model card documents a trained model: train it first.`,
        ...(vscode.workspace.isTrusted ? [train] : []),
      );
      if (choice === train) await vscode.commands.executeCommand(COMMANDS.train, config);
      return { status: 'no-run' };
    }
    const core = await this.core();
    const format = options.format ?? (await this.pickFormat(core, configFile, completed[0]));
    if (!format) return { status: 'cancelled' };
    const run = options.run ?? (options.format === undefined && completed.length > 1 ? await this.pickRun(completed) : completed[0].dir);
    if (!run) return { status: 'cancelled' };
    const file = core.defaultCardPath(configFile, format === 'html');
    const existing = await fsp.readFile(file, 'utf8').catch(() => null);
    const verdict = overwriteVerdict(core, existing, file, configFile);
    if (verdict.kind === 'ask' && !options.overwrite) {
      const overwrite = 'Overwrite';
      const choice = await vscode.window.showWarningMessage(verdict.reason, { modal: true }, overwrite);
      if (choice !== overwrite) return { status: 'cancelled' };
    }
    const written = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Responsible ML: writing ${path.basename(file)}`, cancellable: true },
      async (_progress, token) => {
        const abort = new AbortController();
        const sub = token.onCancellationRequested(() => abort.abort());
        try {
          return await writeModelCard(core, { runDir: run, configFile, format, root: rootFor(config), cardFile: file, signal: abort.signal });
        } catch (e) {
          if (isAbort(e) || abort.signal.aborted) return undefined;
          throw e;
        } finally {
          sub.dispose();
        }
      },
    );
    if (!written) return { status: 'cancelled' };
    this.statuses.clear();
    this.changed.fire();
    if (!options.noOpen) await vscode.window.showTextDocument(vscode.Uri.file(file), { preview: false });
    const note = written.undocumented > 0 ? ` ${written.undocumented} field${written.undocumented === 1 ? ' is' : 's are'} not documented yet: see the "Not documented" lines, and add them to the config's documentation block.` : '';
    void vscode.window.showInformationMessage(`Wrote ${path.basename(file)} from run ${path.basename(run)}.${note}`);
    return { status: 'written', file, run };
  }

  private async pickFormat(core: CardCore, configFile: string, latest: RunInfo): Promise<CardFormat | undefined> {
    const current = await existingCard(core, configFile);
    const item = (format: CardFormat, label: string): vscode.QuickPickItem & { format: CardFormat } => {
      const file = path.basename(core.defaultCardPath(configFile, format === 'html'));
      return { label, description: file, detail: current?.format === format ? `Replaces the existing ${file}` : `Writes ${file} beside the config`, format };
    };
    const items = [item('markdown', '$(markdown) Markdown'), item('html', '$(globe) HTML (self-contained, no script)')];
    if (current?.format === 'html') items.reverse();
    const pick = await vscode.window.showQuickPick(items, {
      title: `Model card of ${path.basename(configFile)}`,
      placeHolder: `Format of the card (from the latest completed run: ${runDescription(latest)})`,
    });
    return pick?.format;
  }

  private async pickRun(completed: RunInfo[]): Promise<string | undefined> {
    const pick = await vscode.window.showQuickPick(
      completed.map((r, i) => ({ label: i === 0 ? `$(star-full) ${r.name || path.basename(r.dir)} (latest)` : r.name || path.basename(r.dir), description: runDescription(r), detail: path.basename(r.dir), dir: r.dir })),
      { title: 'Which run does the card document?', placeHolder: 'The latest completed run is first', matchOnDescription: true, matchOnDetail: true },
    );
    return pick?.dir;
  }
}
