/**
 * The status-bar item: the training backend when idle (click to change it), the running
 * training's name and epoch while it runs (click to cancel).
 */
import * as vscode from 'vscode';
import { COMMANDS } from '../constants';
import { Disposable } from '../util/disposable';

export class TrainingStatusBar extends Disposable {
  private readonly item: vscode.StatusBarItem;
  private backend = 'auto';
  private lastBackend: string | undefined;
  private running: { name: string; epoch: number; epochs: number; stage: string } | undefined;

  constructor() {
    super();
    this.item = this._register(vscode.window.createStatusBarItem('rml.status', vscode.StatusBarAlignment.Left, 10));
    this.item.name = 'Responsible ML';
    this.render();
    this.item.show();
  }

  /** The backend setting, and the backend the last run actually used (auto resolves at run time). */
  setBackend(setting: string, lastUsed?: string): void {
    this.backend = setting;
    if (lastUsed) this.lastBackend = lastUsed;
    this.render();
  }

  start(name: string, epochs: number): void {
    this.running = { name, epoch: 0, epochs, stage: 'starting' };
    this.render();
  }

  stage(stage: string): void {
    if (!this.running) return;
    this.running.stage = stage;
    this.render();
  }

  epoch(epoch: number, epochs: number): void {
    if (!this.running) return;
    this.running.epoch = epoch;
    this.running.epochs = epochs;
    this.running.stage = 'training';
    this.render();
  }

  stop(): void {
    this.running = undefined;
    this.render();
  }

  private render(): void {
    const backend = this.backend === 'auto' && this.lastBackend ? `auto → ${this.lastBackend}` : this.backend;
    if (this.running) {
      const r = this.running;
      const where = r.stage === 'training' && r.epochs > 0 ? `epoch ${r.epoch}/${r.epochs}` : r.stage;
      this.item.text = `$(sync~spin) RML: ${r.name} · ${where}`;
      this.item.tooltip = new vscode.MarkdownString(`**Responsible ML** — training \`${r.name}\` (${where}) on the \`${backend}\` backend.\n\nClick to cancel.`);
      this.item.command = COMMANDS.cancelTraining;
      this.item.accessibilityInformation = { label: `Responsible ML: training ${r.name}, ${where}. Activate to cancel.` };
    } else {
      this.item.text = `$(beaker) RML: ${backend}`;
      this.item.tooltip = new vscode.MarkdownString(
        `**Responsible ML** — training backend: \`${backend}\`.\n\nClick to choose auto, node (tfjs-node), wasm or cpu.`,
      );
      this.item.command = COMMANDS.selectBackend;
      this.item.accessibilityInformation = { label: `Responsible ML: training backend ${backend}. Activate to change it.` };
    }
  }
}
