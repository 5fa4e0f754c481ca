/**
 * "Open the Adult example" (the walkthrough's first step): open the example config when the
 * workspace has it; otherwise copy the example shipped with the extension into a folder the user
 * picks and open that folder, then the config once the new window is up.
 */
import * as vscode from 'vscode';
import { EXCLUDE_GLOB } from '../constants';

/** The example's files, relative to the extension's `examples/adult` folder. */
export const EXAMPLE_FILES = ['adult.rml.yaml', 'README.md', 'data/adult.csv'] as const;
const CONFIG_NAME = 'adult.rml.yaml';
/** globalState key: a config to open once the window that was opened for it activates. */
const PENDING_KEY = 'rml.openAfterReload';

export async function openExample(context: vscode.ExtensionContext): Promise<vscode.Uri | undefined> {
  const inWorkspace = await vscode.workspace.findFiles(`**/${CONFIG_NAME}`, EXCLUDE_GLOB, 1);
  if (inWorkspace.length > 0) {
    await vscode.window.showTextDocument(inWorkspace[0]);
    return inWorkspace[0];
  }
  const folders = await vscode.window.showOpenDialog({
    canSelectFolders: true,
    canSelectFiles: false,
    canSelectMany: false,
    openLabel: 'Copy the Example Here',
    title: 'Where should the UCI Adult example go? (a folder "rml-adult-example" is created in it)',
  });
  if (!folders?.[0]) return undefined;
  const source = vscode.Uri.joinPath(context.extensionUri, 'examples', 'adult');
  let target = vscode.Uri.joinPath(folders[0], 'rml-adult-example');
  for (let i = 2; await exists(target); i++) target = vscode.Uri.joinPath(folders[0], `rml-adult-example-${i}`);
  for (const f of EXAMPLE_FILES) {
    await vscode.workspace.fs.copy(vscode.Uri.joinPath(source, ...f.split('/')), vscode.Uri.joinPath(target, ...f.split('/')));
  }
  const config = vscode.Uri.joinPath(target, CONFIG_NAME);
  await context.globalState.update(PENDING_KEY, config.toString());
  // No folder open: open it in this window; otherwise in a new one.
  await vscode.commands.executeCommand('vscode.openFolder', target, { forceNewWindow: (vscode.workspace.workspaceFolders?.length ?? 0) > 0 });
  return config;
}

/** On activation: open the example config if this window was opened for it. */
export async function openPendingExample(context: vscode.ExtensionContext): Promise<void> {
  const pending = context.globalState.get<string>(PENDING_KEY);
  if (!pending) return;
  const uri = vscode.Uri.parse(pending);
  if (!vscode.workspace.getWorkspaceFolder(uri)) return; // another window's business
  await context.globalState.update(PENDING_KEY, undefined);
  await vscode.window.showTextDocument(uri, { preview: false });
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

