/**
 * The Problems panel through the API: the flawed fixture's findings, on the config and on the CSV
 * header cells (the CSV never opened), and one quick fix that makes its finding go away.
 */
import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { codeOf, extension, note, ours, waitForDiagnostics, wsUri } from './helpers';

/** The findings the flawed fixture must produce on its CSV header (test/e2e/workspaces/flawed/README.md). */
const EXPECTED: [code: string, column: string][] = [
  ['RML001', 'name'], ['RML001', 'email'], ['RML001', 'dob'],
  ['RML003', 'sex'], ['RML003', 'race'], ['RML003', 'age'],
];

const csv = (): vscode.Uri => wsUri('flawed', 'loans.csv');
const config = (): vscode.Uri => wsUri('flawed', 'loans.rml.yaml');

/** The header cell a CSV diagnostic sits on (read from disk: the CSV is never opened). */
function headerCell(d: vscode.Diagnostic): string {
  const header = fs.readFileSync(csv().fsPath, 'utf8').split(/\r?\n/, 1)[0];
  assert.strictEqual(d.range.start.line, 0, `a column finding sits on the header line: ${d.message}`);
  return header.slice(d.range.start.character, d.range.end.character).replace(/^"|"$/g, '');
}

const pairs = (ds: vscode.Diagnostic[]): string[] => ds.map((d) => `${codeOf(d)} ${headerCell(d)}`);
const hasAll = (ds: vscode.Diagnostic[]): boolean => {
  const got = new Set(pairs(ds));
  return EXPECTED.every(([c, col]) => got.has(`${c} ${col}`));
};

describe('lint findings in the Problems panel (flawed fixture)', () => {
  before(async () => {
    await extension();
  });

  it('publishes RML001 on name/email/dob and RML003 on sex/race/age on the CSV header, unopened', async () => {
    const ds = await waitForDiagnostics(csv(), hasAll, 'RML001 on name/email/dob and RML003 on sex/race/age');
    assert.ok(!vscode.workspace.textDocuments.some((d) => d.uri.toString() === csv().toString()), 'the CSV was not opened');
    note(`findings on loans.csv: ${pairs(ds).join(', ')}`);
  });

  it('gives every finding source "Responsible ML" and a code with a documentation link', () => {
    const ds = [...ours(csv()), ...ours(config())];
    assert.ok(ds.length >= EXPECTED.length);
    for (const d of ds) {
      assert.strictEqual(d.source, 'Responsible ML');
      const code = d.code;
      assert.ok(typeof code === 'object' && code !== null && 'target' in code, `${d.message}: code has a target`);
      assert.match(String(code.value), /^RML\d{3}$/);
      assert.ok(code.target instanceof vscode.Uri, 'target is a Uri');
    }
  });

  it('publishes findings on the config too (missing seed)', async () => {
    const ds = await waitForDiagnostics(config(), (d) => d.some((x) => codeOf(x) === 'RML011'), 'RML011 on the config');
    note(`findings on loans.rml.yaml: ${[...new Set(ds.map(codeOf))].sort().join(', ')}`);
  });

  it('offers a quick fix for RML003 on "sex" that edits only the config, and the finding goes once applied', async () => {
    await vscode.workspace.openTextDocument(csv()); // code actions need the document (not an editor)
    const target = ours(csv()).find((d) => codeOf(d) === 'RML003' && headerCell(d) === 'sex');
    assert.ok(target, 'RML003 on sex');
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', csv(), target.range, vscode.CodeActionKind.QuickFix.value);
    // (executeCodeActionProvider does not carry action.diagnostics back: match the fix by title)
    const fixes = actions.filter((a) => a.title === "Declare 'sex' in data.sensitive" && a.edit !== undefined && a.edit.size > 0);
    assert.ok(fixes.length > 0, `"Declare 'sex' in data.sensitive" with an edit among ${JSON.stringify(actions.map((a) => `${a.title} (edit: ${a.edit?.size ?? 'none'})`))}`);
    const fix = fixes[0];
    const edited = fix.edit!.entries().map(([u]) => u.toString());
    assert.deepStrictEqual(edited, [config().toString()], 'the fix edits the config and nothing else');
    const before = fs.readFileSync(config().fsPath, 'utf8');
    assert.ok(await vscode.workspace.applyEdit(fix.edit!), 'edit applied');
    const doc = await vscode.workspace.openTextDocument(config());
    assert.ok(await doc.save(), 'config saved');
    assert.notStrictEqual(fs.readFileSync(config().fsPath, 'utf8'), before, 'config changed on disk');
    await waitForDiagnostics(csv(), (ds) => !ds.some((d) => codeOf(d) === 'RML003' && headerCell(d) === 'sex'), 'RML003 on sex to disappear');
    // the other findings stay
    const rest = pairs(ours(csv()));
    for (const p of ['RML003 race', 'RML001 name']) assert.ok(rest.includes(p), `${p} still reported: ${rest.join(', ')}`);
  });

  it('re-lints the config when its model card appears or goes: RML017 on a card without provenance', async () => {
    const card = wsUri('flawed', 'MODEL_CARD.md');
    fs.writeFileSync(card.fsPath, '# Model card\n\nWritten by hand, without provenance.\n');
    try {
      const ds = await waitForDiagnostics(config(), (d) => d.some((x) => codeOf(x) === 'RML017'), 'RML017 on the config once MODEL_CARD.md exists');
      const f = ds.find((x) => codeOf(x) === 'RML017');
      assert.match(f?.message ?? '', /MODEL_CARD\.md has no Responsible ML provenance comment/);
      assert.strictEqual(f?.relatedInformation?.[0]?.location.uri.fsPath, card.fsPath, 'the card is a related location');
    } finally {
      fs.rmSync(card.fsPath, { force: true });
    }
    await waitForDiagnostics(config(), (d) => !d.some((x) => codeOf(x) === 'RML017'), 'RML017 to go once MODEL_CARD.md is deleted');
  });
});
