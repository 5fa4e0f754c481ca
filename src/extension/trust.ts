/**
 * Workspace Trust. In Restricted Mode the lint still runs (it only reads files), but training, the
 * audit and explanations are disabled: menus and lenses hide them (`isWorkspaceTrusted`), and the commands
 * themselves check again and say why.
 */
import * as vscode from 'vscode';

/**
 * Whether the workspace is trusted; if not, explain why `action` is disabled and offer to manage
 * trust. Returns true when the action may run.
 */
export async function requireTrust(action: string, why = "it runs TensorFlow.js on this workspace's data and writes run records into it"): Promise<boolean> {
  if (vscode.workspace.isTrusted) return true;
  const manage = 'Manage Workspace Trust';
  const choice = await vscode.window.showWarningMessage(
    `${action} is disabled in Restricted Mode: ${why}. Trust the workspace to enable it; the lint works either way.`,
    manage,
  );
  if (choice === manage) await vscode.commands.executeCommand('workbench.trust.manage');
  return false;
}
