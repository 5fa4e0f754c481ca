/**
 * "Responsible ML: Audit Predictions…" in the real editor, on the synthetic fixture
 * test/e2e/workspaces/audit (README there): the pickers (personal data masked, protected attributes
 * preselected), the audit in the worker, and the "Fairness audit" view, whose demographic parity
 * difference for sex must equal `rml audit --json` on the same file. Then a malformed CSV: the
 * error names the file and line, and no view opens.
 */
import * as assert from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { fmtRate } from '../../../src/core/report/view-model';
import { ROOT, copyWorkspace, log } from '../lib/env';
import { mainServer, useWorkbench } from '../lib/context';
import { runCommand, screenshot, toast, webview } from '../lib/workbench';

const COMMAND = 'Responsible ML: Audit Predictions…';

function quickInput(page: Page) {
  const widget = page.locator('.quick-input-widget');
  return { widget, title: widget.locator('.quick-input-title'), input: widget.locator('.quick-input-box input'), rows: widget.locator('.quick-input-list .monaco-list-row') };
}

/** Waits for the picker whose title matches, types `text` and accepts the row labelled `text`. */
async function pick(page: Page, title: RegExp, text: string): Promise<void> {
  const q = quickInput(page);
  await q.title.filter({ hasText: title }).waitFor({ state: 'visible', timeout: 60_000 });
  await q.input.fill(text);
  await q.rows.filter({ has: page.locator('.label-name', { hasText: text }) }).first().waitFor({ state: 'visible', timeout: 10_000 });
  await page.keyboard.press('Enter');
  log(`picked "${text}" in ${title}`);
}

describe('Audit Predictions…: pickers, the audit in the worker, the Fairness audit view', () => {
  const wb = useWorkbench(() => ({ server: mainServer(), folder: copyWorkspace(path.join(ROOT, 'test', 'e2e', 'workspaces', 'audit'), 'audit') }));

  it('audits predictions.csv and shows the same demographic parity difference as rml audit --json', async function () {
    this.timeout(240_000);
    const { page, folder } = wb();
    const csv = path.join(folder, 'predictions.csv');
    await runCommand(page, COMMAND);
    await pick(page, /^Audit predictions$/, 'predictions.csv');

    // 1. the label: every column listed with examples, the e-mail addresses masked
    const q = quickInput(page);
    await q.title.filter({ hasText: /\(1\/5\): the label column/ }).waitFor({ timeout: 60_000 });
    await q.rows.first().waitFor();
    const listed = (await q.rows.allInnerTexts()).join('\n');
    log(`label picker rows:\n${listed}`);
    assert.ok(!listed.includes('@example.com'), 'no e-mail address in the picker');
    assert.match(listed, /email[\s\S]*personal data, masked: \w?\*\*\*@\w?\*\*\*\.com/);
    await pick(page, /\(1\/5\)/, 'y_true');
    await pick(page, /\(2\/5\): the favourable outcome/, '1');
    await pick(page, /\(3\/5\): the predictions/, 'y_pred');

    // 4. the sensitive columns: sex and race are preselected (detected protected attributes)
    await q.title.filter({ hasText: /\(4\/5\): sensitive columns/ }).waitFor({ timeout: 30_000 });
    for (const name of ['sex', 'race']) {
      const row = q.rows.filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${name}$`) }) }).first();
      await row.waitFor();
      assert.strictEqual(await row.getAttribute('aria-checked'), 'true', `${name} preselected`);
    }
    await page.keyboard.press('Enter');
    // 5. options: the defaults (bootstrap intervals)
    await q.title.filter({ hasText: /\(5\/5\): options/ }).waitFor({ timeout: 30_000 });
    await page.keyboard.press('Enter');

    const view = await webview(page, '#audit-sex vscode-data-grid', 120_000);
    await page.locator('.tabs-container .tab.active', { hasText: 'Fairness audit: predictions.csv' }).waitFor({ timeout: 30_000 });
    const row = view.locator('#audit-sex vscode-data-grid-row', { hasText: 'Demographic parity difference' }).first();
    const shown = (await row.locator('vscode-data-grid-cell').nth(1).innerText()).trim();
    const interval = (await row.locator('vscode-data-grid-cell').nth(2).innerText()).trim();
    log(`view: sex demographic parity difference ${shown} ${interval}`);

    const cli = JSON.parse(execFileSync(process.execPath, [path.join(ROOT, 'bin', 'rml.js'), 'audit', '--data', csv, '--label', 'y_true', '--positive', '1', '--pred', 'y_pred', '--sensitive', 'sex', '--json'], { encoding: 'utf8' })) as {
      sensitive: { sex: { demographicParityDifference: number } };
    };
    const expected = cli.sensitive.sex.demographicParityDifference;
    log(`rml audit --json: sex demographicParityDifference ${expected}`);
    assert.strictEqual(shown, fmtRate(expected));
    assert.ok(expected > 0.1, 'the fixture is biased against women');
    assert.match(interval, /^\[0\.\d{3}, 0\.\d{3}\]$/, 'a bootstrap interval');
    await screenshot(page, '40-audit.png');
  });

  it('says where a malformed CSV is broken (file and line) and opens no view', async function () {
    this.timeout(120_000);
    const { page } = wb();
    await runCommand(page, COMMAND);
    await pick(page, /^Audit predictions$/, 'broken.csv');
    const error = toast(page, /Cannot read broken\.csv as a CSV: .*broken\.csv:3:1: row at line 3 has 2 fields, expected 3/);
    await error.first().waitFor({ timeout: 60_000 });
    log(`error: ${await error.first().innerText()}`);
    assert.strictEqual(await page.locator('.tabs-container .tab', { hasText: 'Fairness audit: broken.csv' }).count(), 0);
    await screenshot(page, '40-audit-error.png');
  });
});
