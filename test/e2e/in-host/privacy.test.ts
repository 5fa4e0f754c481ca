/**
 * Privacy in the editor (flawed fixture): the quick fix on a personal-data finding writes a
 * de-identified copy of the CSV beside it, never touching the original, and points the config's
 * data.path at the copy with an ordinary, undoable edit.
 */
import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { codeOf, extension, note, waitForDiagnostics, wsUri } from './helpers';

const config = (): vscode.Uri => wsUri('flawed', 'loans.rml.yaml');
const csv = (): vscode.Uri => wsUri('flawed', 'loans.csv');

describe('de-identified copy from the personal-data quick fix (flawed fixture)', () => {
  before(async () => {
    await extension();
  });

  it('writes loans.deidentified.csv with the PII masked, leaves loans.csv as it was, and the config edit undoes', async function () {
    this.timeout(120_000);
    const csvBefore = fs.readFileSync(csv().fsPath, 'utf8');
    const ds = await waitForDiagnostics(csv(), (d) => d.some((x) => codeOf(x) === 'RML001'), 'RML001 on loans.csv');
    const pii = ds.find((x) => codeOf(x) === 'RML001')!;
    await vscode.workspace.openTextDocument(csv());
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', csv(), pii.range, vscode.CodeActionKind.QuickFix.value);
    const copy = actions.find((a) => a.command?.command === 'rml.deidentifyData');
    assert.ok(copy?.command, `a de-identify quick fix among ${JSON.stringify(actions.map((a) => a.title))}`);
    note(`quick fix: "${copy.title}"`);

    const doc = await vscode.workspace.openTextDocument(config());
    await vscode.window.showTextDocument(doc);
    const configBefore = doc.getText();
    const output = await vscode.commands.executeCommand<string>(copy.command.command, ...(copy.command.arguments ?? []));
    assert.strictEqual(output, path.join(path.dirname(csv().fsPath), 'loans.deidentified.csv'));
    assert.strictEqual(fs.readFileSync(csv().fsPath, 'utf8'), csvBefore, 'the original CSV is unchanged');

    // The copy: same rows and header; no original email, name or birth date survives.
    const original = csvBefore.trim().split(/\r?\n/);
    const written = fs.readFileSync(output, 'utf8').trim().split(/\r?\n/);
    assert.strictEqual(written.length, original.length, 'same number of lines');
    const header = original[0].split(',');
    const rows = original.slice(1, 21).map((l) => l.split(','));
    const text = written.join('\n');
    for (const column of ['name', 'email', 'dob']) {
      const i = header.indexOf(column);
      for (const r of rows) assert.ok(!text.includes(r[i]), `${column} value of a row is still in the copy`);
    }
    note(`copy header: ${written[0]}; first row: ${written[1]}`);

    assert.match(doc.getText(), /path: loans\.deidentified\.csv/, 'data.path points at the copy');
    await vscode.commands.executeCommand('undo');
    assert.strictEqual(doc.getText(), configBefore, 'undo restores the config');
    await doc.save();
    fs.rmSync(output, { force: true });
  });
});
