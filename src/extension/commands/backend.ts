/** The "Select backend" command: picks the TensorFlow.js backend stored in `rml.training.backend`. */
import * as vscode from 'vscode';
import { BACKENDS, type Backend } from '../settings-schema';
import type { SettingsStore } from '../settings';

const DESCRIPTIONS: Record<Backend, string> = {
  auto: 'tfjs-node when installed, else WebAssembly, else plain JavaScript',
  node: 'native TensorFlow (@tensorflow/tfjs-node): fastest, needs the native module',
  wasm: 'WebAssembly (SIMD when available): fast, always available',
  cpu: 'plain JavaScript: slowest, the reference implementation',
};

/**
 * Ask for a backend and store it.
 * @param nodeAvailable whether @tensorflow/tfjs-node can be loaded beside the training worker
 */
export async function selectBackend(settings: SettingsStore, nodeAvailable: boolean): Promise<Backend | undefined> {
  const current = settings.value.backend;
  const items = BACKENDS.map((b) => ({
    label: b === current ? `$(check) ${b}` : b,
    description: b === 'node' && !nodeAvailable ? 'not installed here' : b === current ? 'current' : undefined,
    detail: DESCRIPTIONS[b],
    backend: b,
  }));
  const pick = await vscode.window.showQuickPick(items, { title: 'Training backend', placeHolder: `Now: ${current}. Stored in the rml.training.backend setting.` });
  if (!pick) return undefined;
  if (pick.backend === 'node' && !nodeAvailable) {
    const keep = 'Use It Anyway';
    const choice = await vscode.window.showWarningMessage(
      '@tensorflow/tfjs-node is not installed beside the extension, so training with the node backend will fail. "auto" falls back to WebAssembly instead.',
      keep,
    );
    if (choice !== keep) return undefined;
  }
  await settings.setBackend(pick.backend);
  return pick.backend;
}
