/**
 * Finding things in the workspace: training configs, CSV files, the root a config belongs to,
 * and asking the user to pick one when the command was not given a file.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { COMMANDS, EXCLUDE_GLOB } from './constants';
import { CONFIG_FILE_GLOB, isConfigPath } from './paths';

/** The workspace root of a file (its workspace folder, else its own folder). */
export function rootFor(uri: vscode.Uri): string {
  return vscode.workspace.getWorkspaceFolder(uri)?.uri.fsPath ?? path.dirname(uri.fsPath);
}

/** Every training config in the workspace (node_modules, .rml and .git excluded), sorted by path. */
export async function findConfigs(token?: vscode.CancellationToken): Promise<vscode.Uri[]> {
  const uris = await vscode.workspace.findFiles(CONFIG_FILE_GLOB, EXCLUDE_GLOB, undefined, token);
  return uris.filter((u) => u.scheme === 'file').sort((a, b) => a.fsPath.localeCompare(b.fsPath));
}

/** Whether a URI is a training config on disk. */
export function isConfigUri(uri: vscode.Uri | undefined): uri is vscode.Uri {
  return uri !== undefined && uri.scheme === 'file' && isConfigPath(uri.fsPath);
}

/** The config in the active editor, if any. */
export function activeConfig(): vscode.Uri | undefined {
  const uri = vscode.window.activeTextEditor?.document.uri;
  return isConfigUri(uri) ? uri : undefined;
}

/** A path for display: relative to its workspace folder. */
export function displayPath(uri: vscode.Uri): string {
  return vscode.workspace.asRelativePath(uri, (vscode.workspace.workspaceFolders?.length ?? 0) > 1);
}

/**
 * The config a command should act on: the argument (a code lens, the Explorer or the editor title
 * pass the file), else the active editor's config, else the only config in the workspace, else a
 * quick pick. Undefined when there is none or the user dismissed the pick.
 */
export async function resolveConfig(arg: unknown, placeHolder: string): Promise<vscode.Uri | undefined> {
  if (arg instanceof vscode.Uri && isConfigUri(arg)) return arg;
  const active = activeConfig();
  if (active) return active;
  const configs = await findConfigs();
  if (configs.length === 1) return configs[0];
  if (configs.length === 0) {
    const create = 'New Training Config from CSV…';
    const choice = await vscode.window.showInformationMessage('There is no training config (*.rml.yaml, *.rml.yml or *.rml.json) in this workspace.', create);
    if (choice === create) await vscode.commands.executeCommand(COMMANDS.newConfig);
    return undefined;
  }
  const pick = await vscode.window.showQuickPick(
    configs.map((uri) => ({ label: path.basename(uri.fsPath), description: displayPath(uri), uri })),
    { placeHolder, matchOnDescription: true },
  );
  return pick?.uri;
}

/** Open a file at a 1-based line and column range and reveal it. */
export async function openAt(file: string, line?: number, column?: number, endLine?: number, endColumn?: number): Promise<void> {
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
  const editor = await vscode.window.showTextDocument(doc);
  if (line !== undefined) {
    const start = new vscode.Position(Math.max(0, line - 1), Math.max(0, (column ?? 1) - 1));
    const end = endLine !== undefined ? new vscode.Position(Math.max(0, endLine - 1), Math.max(0, (endColumn ?? 1) - 1)) : start;
    editor.selection = new vscode.Selection(start, end);
    editor.revealRange(new vscode.Range(start, end), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }
}
