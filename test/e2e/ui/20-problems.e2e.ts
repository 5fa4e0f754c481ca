/**
 * The flawed fixture in the Problems panel: the expected rule codes on the expected columns, then
 * one quick fix applied from the editor (Ctrl+.) and its finding gone from the panel.
 */
import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT, copyWorkspace, log, waitFor } from '../lib/env';
import { mainServer, useWorkbench } from '../lib/context';
import { filterProblems, focusProblems, parkMouse, problemRow, screenshot } from '../lib/workbench';

/** test/e2e/workspaces/flawed/README.md */
const EXPECTED: [code: string, column: string][] = [
  ['RML001', 'name'], ['RML001', 'email'], ['RML001', 'dob'],
  ['RML003', 'sex'], ['RML003', 'race'], ['RML003', 'age'],
];

/** The Problems-panel rows of loans.csv's header findings: "<message> Responsible ML(RML003) [Ln 1, Col 23]". */
const csvRow = (code: string, column: string): RegExp => new RegExp(`\\b${column}\\b[\\s\\S]*Responsible ML[\\s\\S]*${code}`);

describe('the flawed fixture: findings in the Problems panel, and a quick fix', () => {
  const wb = useWorkbench(() => ({ server: mainServer(), folder: copyWorkspace(path.join(ROOT, 'test', 'e2e', 'workspaces', 'flawed'), 'flawed') }));

  it('lists RML001 on name/email/dob and RML003 on sex/race/age', async () => {
    const { page } = wb();
    await focusProblems(page);
    for (const [code, column] of EXPECTED) {
      await filterProblems(page, code);
      await problemRow(page, csvRow(code, column)).first().waitFor({ timeout: 60_000 });
      log(`Problems: ${code} on ${column}`);
    }
    await filterProblems(page, '');
    const status = await page.locator('#status\\.problems').getAttribute('aria-label');
    log(`status bar: ${status}`);
    assert.match(status ?? '', /Errors: [1-9]/);
    await screenshot(page, '20-problems.png');
  });

  it('applies the quick fix for RML003 on sex from the editor, and the finding disappears', async function () {
    this.timeout(120_000);
    const { page } = wb();
    await filterProblems(page, 'RML003');
    const row = problemRow(page, csvRow('RML003', 'sex')).first();
    await row.waitFor({ timeout: 30_000 });
    // open the finding's location (loans.csv, the "sex" header cell) and ask for code actions there
    await row.dblclick();
    await parkMouse(page);
    await page.locator('.tabs-container .tab.active', { hasText: 'loans.csv' }).waitFor({ timeout: 30_000 });
    await page.locator('.editor-group-container.active .monaco-editor textarea').first().focus();
    await page.keyboard.press('Control+.');
    const menu = page.locator('.action-widget');
    await menu.waitFor({ state: 'visible', timeout: 30_000 });
    const items = await menu.locator('.action-widget-action-bar, .monaco-list-row').allInnerTexts();
    log(`quick fixes: ${JSON.stringify(items)}`);
    await screenshot(page, '20-quick-fix-menu.png');
    // pick "Declare 'sex' in data.sensitive" with the keyboard (a pointer block over the widget
    // intercepts clicks): move the focus to it, then Enter
    const wanted = "Declare 'sex' in data.sensitive";
    // RML002 and RML003 both offer it on this cell: listed once
    assert.strictEqual(items.filter((i) => i.trim() === wanted).length, 1, `"${wanted}" offered once`);
    const focused = menu.locator('.monaco-list-row.action.focused');
    for (let i = 0; i < items.length && (await focused.getAttribute('aria-label')) !== wanted; i++) await page.keyboard.press('ArrowDown');
    assert.strictEqual(await focused.getAttribute('aria-label'), wanted);
    log(`applying: ${wanted}`);
    await page.keyboard.press('Enter');
    await menu.waitFor({ state: 'hidden', timeout: 10_000 });
    // the edit lands in the config (closed, so VS Code saves it: files.refactoring.autoSave)
    const config = path.join(wb().folder, 'loans.rml.yaml');
    await waitFor('"sex" declared in data.sensitive of loans.rml.yaml', () => /sensitive:.*\bsex\b/.test(fs.readFileSync(config, 'utf8')), 30_000);
    // and the lint, re-run, no longer reports it; the other findings stay
    await filterProblems(page, 'RML003');
    await problemRow(page, csvRow('RML003', 'sex')).first().waitFor({ state: 'detached', timeout: 60_000 });
    await problemRow(page, csvRow('RML003', 'race')).first().waitFor({ timeout: 10_000 });
    assert.strictEqual(await problemRow(page, csvRow('RML003', 'sex')).count(), 0, 'RML003 on sex is gone');
    await screenshot(page, '20-after-quick-fix.png');
  });
});
