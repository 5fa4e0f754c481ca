/**
 * A new user's path on the bundled example: open the folder, see the code lenses on the config,
 * click ▶ Train & evaluate, read accuracy and the fairness table in the report, in dark and light.
 */
import * as assert from 'node:assert';
import * as path from 'node:path';
import type { FrameLocator } from 'playwright-core';
import { ROOT, copyWorkspace, log } from '../lib/env';
import { useWorkbench, vsixPath } from '../lib/context';
import { startServer } from '../lib/server';
import { codeLens, openFile, runCommand, screenshot, toggleTheme, webview } from '../lib/workbench';

/** The report webview (src/extension/panels, webview/src/views/report.ts). */
const REPORT = {
  /** the report has rendered a run: the section tabs exist and the view is no longer busy */
  ready: 'body[data-view="report"] main[aria-busy="false"] vscode-panels',
  /** the Overview tab's "Test metrics" table */
  metrics: '#view-overview #s-metrics vscode-data-grid',
  fairnessTab: 'vscode-panel-tab#tab-fairness',
  fairnessView: '#view-fairness',
  /** the data grids of the Fairness tab (captioned "Disparities across the groups of sex", …) */
  fairnessTable: '#view-fairness figure.rml-table',
  gate: '.rml-banner:not([hidden])',
};

describe('the UCI Adult example: code lens → Train & evaluate → report', () => {
  // its own server: the theme switches below are user settings, which would outlive the spec
  const wb = useWorkbench(async () => ({
    server: await startServer({ name: 'example', trust: false, vsix: vsixPath() }),
    folder: copyWorkspace(path.join(ROOT, 'examples', 'adult'), 'example'),
    ownServer: true,
  }));
  let report: FrameLocator | undefined;

  it('shows ▶ Train & evaluate · ⚖ Fairness report · ✎ Lint on adult.rml.yaml', async () => {
    const { page } = wb();
    await openFile(page, 'adult.rml.yaml');
    for (const title of ['▶ Train & evaluate', '⚖ Fairness report', '✎ Lint']) {
      await codeLens(page, title).waitFor({ timeout: 30_000 });
    }
    await screenshot(page, '10-example-code-lens.png');
  });

  it('▶ Train & evaluate trains and opens the report with accuracy and the fairness table', async function () {
    this.timeout(240_000);
    const { page } = wb();
    await codeLens(page, '▶ Train & evaluate').click();
    log('clicked ▶ Train & evaluate');
    const r = await webview(page, REPORT.ready, 180_000);
    report = r;
    await page.locator('.tabs-container .tab.active', { hasText: 'Report:' }).waitFor({ timeout: 30_000 });

    // accuracy: the "Accuracy" row of the Test metrics table
    const accuracyCell = r.locator(`${REPORT.metrics} vscode-data-grid-cell:text-is("Accuracy") + vscode-data-grid-cell`);
    await accuracyCell.waitFor({ state: 'visible', timeout: 10_000 });
    const accuracy = (await accuracyCell.innerText()).trim();
    log(`report: Accuracy ${accuracy}`);
    assert.match(accuracy, /^0\.8\d*$/, 'accuracy of logistic regression on Adult is about 0.85');

    // the fairness table: the Fairness tab, sensitive column sex (the first), groups Male and Female
    await r.locator(REPORT.fairnessTab).click();
    await r.locator(REPORT.fairnessView).waitFor({ state: 'visible', timeout: 10_000 });
    const disparities = r.locator(REPORT.fairnessTable, { hasText: 'Disparities across the groups of sex' });
    await disparities.waitFor({ state: 'visible', timeout: 10_000 });
    assert.match(await disparities.innerText(), /Demographic parity difference/i);
    const perGroup = r.locator(REPORT.fairnessTable, { hasText: 'Per-group metrics of sex' });
    await perGroup.waitFor({ state: 'visible', timeout: 10_000 });
    const groups = await perGroup.innerText();
    for (const g of ['Male', 'Female']) assert.match(groups, new RegExp(`\\b${g}\\b`), `group ${g} in the per-group table`);
    // race is audited too: pick it in the column picker
    await r.locator('#fairness-column').click();
    await r.locator('#fairness-column vscode-option[value="race"]').click();
    const raceGroups = r.locator(REPORT.fairnessTable, { hasText: 'Per-group metrics of race' });
    await raceGroups.waitFor({ state: 'visible', timeout: 10_000 });
    for (const g of ['White', 'Black']) assert.match(await raceGroups.innerText(), new RegExp(`\\b${g}\\b`), `group ${g} in the per-group table of race`);
    // the gate: adult.rml.yaml sets thresholds, so the report passes or fails them visibly
    log(`gate: ${(await r.locator(REPORT.gate).innerText()).split('\n')[0]}`);
  });

  it('updates the code lens to "Last run: acc …"', async () => {
    const { page } = wb();
    await openFile(page, 'adult.rml.yaml');
    const lens = codeLens(page, /^Last run: acc 0\.8/);
    await lens.waitFor({ timeout: 30_000 });
    log(`lens: ${await lens.innerText()}`);
  });

  it('saves screenshots of the report in the dark, light and high-contrast themes', async function () {
    this.timeout(120_000);
    const { page } = wb();
    assert.ok(report, 'the report is open');
    // the report alone: one editor group, no side bar, no notification toasts
    await runCommand(page, 'Notifications: Clear All Notifications');
    await runCommand(page, 'View: Single Column Editor Layout');
    await runCommand(page, 'View: Close Primary Side Bar');
    await page.locator('.tabs-container .tab', { hasText: 'Report:' }).first().click();
    await page.locator('.tabs-container .tab.active', { hasText: 'Report:' }).waitFor({ timeout: 10_000 });
    // moving the panel re-creates its iframe: find it again (the report restores its state)
    const r = await webview(page, REPORT.ready, 30_000);
    await r.locator(REPORT.fairnessTab).click();
    const table = r.locator(REPORT.fairnessTable).first();
    await table.waitFor({ state: 'visible', timeout: 30_000 });
    await page.locator('.monaco-workbench.vscode-theme-defaults-themes-dark_modern-json').waitFor({ timeout: 10_000 });
    await r.locator('body.vscode-dark').waitFor({ timeout: 30_000 });
    await screenshot(page, 'report-dark.png');
    for (const [themeClass, bodyClass, file] of [
      ['vscode-theme-defaults-themes-light_modern-json', 'vscode-light', 'report-light.png'],
      ['vscode-theme-defaults-themes-hc_black-json', 'vscode-high-contrast', 'report-high-contrast.png'],
    ] as const) {
      await toggleTheme(page, themeClass, [r]);
      await r.locator(`body.${bodyClass}`).waitFor({ timeout: 30_000 });
      await table.waitFor({ state: 'visible', timeout: 30_000 });
      await screenshot(page, file);
    }
  });
});
