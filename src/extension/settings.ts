/**
 * Reading the settings from VS Code. The settings are re-read only when a change affects `rml`,
 * and listeners are told which parts changed.
 */
import * as vscode from 'vscode';
import { SETTINGS_SECTION } from './constants';
import { readSettingsWith, SETTINGS, type Settings } from './settings-schema';

export type { Settings } from './settings-schema';

/** The current settings, kept up to date, with a change event. */
export class SettingsStore implements vscode.Disposable {
  private current: Settings;
  private readonly emitter = new vscode.EventEmitter<ReadonlySet<keyof Settings>>();
  private readonly listener: vscode.Disposable;
  /** Fires with the names of the settings that changed. */
  readonly onDidChange = this.emitter.event;

  constructor() {
    this.current = read();
    this.listener = vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration(SETTINGS_SECTION)) return;
      const changed = new Set<keyof Settings>();
      for (const name of Object.keys(SETTINGS) as (keyof Settings)[]) {
        if (e.affectsConfiguration(`${SETTINGS_SECTION}.${SETTINGS[name].key}`)) changed.add(name);
      }
      this.current = read();
      if (changed.size > 0) this.emitter.fire(changed);
    });
  }

  get value(): Settings {
    return this.current;
  }

  /** Store the training backend in the workspace settings (or the user settings without a folder). */
  async setBackend(backend: Settings['backend']): Promise<void> {
    const target = vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
    await vscode.workspace.getConfiguration(SETTINGS_SECTION).update(SETTINGS.backend.key, backend, target);
  }

  dispose(): void {
    this.listener.dispose();
    this.emitter.dispose();
  }
}

function read(): Settings {
  const cfg = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  return readSettingsWith(
    (key) => cfg.get(key),
    (key) => cfg.inspect(key)?.defaultValue,
  );
}
