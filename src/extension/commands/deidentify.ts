/**
 * "Write a de-identified copy of the data" (the quick fix on personal-data findings, and a
 * command): the lint worker writes `<name>.deidentified.csv` beside the CSV with every column the
 * PII detectors flag masked or generalised (src/core/privacy), never touching the original; then
 * the config's data.path is pointed at the copy with an ordinary, undoable edit.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LintError, type LintClient } from '../diagnostics/lint-client';
import { fileKey } from '../paths';
import { resolveConfig, rootFor } from '../workspace';
import { yamlScalar } from './config-template';

export async function deidentifyData(arg: unknown, client: LintClient, log: vscode.LogOutputChannel): Promise<string | undefined> {
  const uri = typeof arg === 'string' ? vscode.Uri.file(arg) : await resolveConfig(arg, 'De-identify the data of which training config?');
  if (!uri) return undefined;
  const doc = await vscode.workspace.openTextDocument(uri);
  const version = doc.version;
  let result;
  try {
    result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Writing a de-identified copy of the data of ${path.basename(uri.fsPath)}…`, cancellable: true },
      (_p, token) => {
        const abort = new AbortController();
        token.onCancellationRequested(() => abort.abort());
        return client.deidentify(uri.fsPath, doc.getText(), rootFor(uri), abort.signal);
      },
    );
  } catch (e) {
    if (e instanceof LintError && e.kind === 'cancelled') return undefined;
    if (e instanceof LintError && e.kind === 'input') {
      void vscode.window.showErrorMessage(`Cannot write a de-identified copy: ${e.message}`);
      return undefined;
    }
    throw e;
  }
  const rel = path.relative(path.dirname(uri.fsPath), result.output).split(path.sep).join('/');
  const what = result.actions.map((a) => `${a.column} (${a.action})`).join(', ');
  log.info(`Wrote ${result.output} (${result.rows} rows): ${what}; the original is unchanged`);
  const current = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && fileKey(d.uri.fsPath) === fileKey(uri.fsPath));
  if (!current || current.version !== version) {
    void vscode.window.showWarningMessage(`Wrote ${rel} (${what}), but ${path.basename(uri.fsPath)} changed meanwhile: set data.path to "${rel}" yourself.`);
    return result.output;
  }
  const r = result.dataPath;
  const edit = new vscode.WorkspaceEdit();
  edit.replace(uri, new vscode.Range(r.line - 1, r.startColumn - 1, r.endLine - 1, r.endColumn - 1), result.format === 'json' ? JSON.stringify(rel) : yamlScalar(rel));
  await vscode.workspace.applyEdit(edit);
  const residual = result.residual.length > 0 ? ` The detectors still see personal data in: ${result.residual.join(', ')}.` : '';
  const show = residual ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
  void show(`Wrote ${rel}: ${what}. data.path now points at it (Undo reverts the config; the original CSV is unchanged).${residual}`);
  return result.output;
}
