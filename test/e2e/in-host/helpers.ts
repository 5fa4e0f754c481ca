/** Helpers for the in-host tests: they run inside the extension host, with the real `vscode` API. */
import * as assert from 'node:assert';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'responsible-ml.responsible-ml';

/**
 * Marks the lines meant for the runner's output (mocha's report, notes), so the runner can show
 * them apart from the rest of the workbench's log.
 */
export const MARK = '\u200b';

/** A line in the runner's output, under the current test. */
export function note(text: string): void {
  console.log(`${MARK}       ${text}`);
}

/** The installed (packaged) extension, activated. */
export async function extension(): Promise<vscode.Extension<unknown>> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext, `${EXTENSION_ID} is installed`);
  if (!ext.isActive) await ext.activate();
  return ext;
}

/** A file of the workspace (the in-host workspace has adult/ and flawed/ at its root). */
export function wsUri(...segments: string[]): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'a folder is open');
  return vscode.Uri.joinPath(folder.uri, ...segments);
}

/** Our diagnostics on a file. */
export function ours(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'Responsible ML');
}

/** A diagnostic's code as a string ("RML003"), whether given as a value or as { value, target }. */
export function codeOf(d: vscode.Diagnostic): string {
  const c = d.code;
  if (c === undefined) return '';
  return typeof c === 'object' ? String(c.value) : String(c);
}

/**
 * Resolves with the file's diagnostics once `ok` holds for them, waiting on
 * onDidChangeDiagnostics (checked once at the start too); rejects after `timeoutMs`.
 */
export function waitForDiagnostics(uri: vscode.Uri, ok: (ds: vscode.Diagnostic[]) => boolean, what: string, timeoutMs = 30_000): Promise<vscode.Diagnostic[]> {
  return new Promise((resolve, reject) => {
    const check = (): boolean => {
      const ds = ours(uri);
      if (ok(ds)) {
        done();
        resolve(ds);
        return true;
      }
      return false;
    };
    const sub = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === uri.toString())) check();
    });
    const timer = setTimeout(() => {
      done();
      const now = ours(uri).map((d) => `${codeOf(d)} ${d.range.start.line + 1}:${d.range.start.character + 1} ${d.message}`);
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what} on ${uri.fsPath}; now: ${JSON.stringify(now, null, 1)}`));
    }, timeoutMs);
    function done(): void {
      clearTimeout(timer);
      sub.dispose();
    }
    check();
  });
}

/** Polls a condition that has no event of its own (e.g. Extension.isActive); rejects after `timeoutMs`. */
export async function until(what: string, ok: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
