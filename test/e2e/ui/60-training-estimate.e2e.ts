/**
 * The pre-run estimate in the editor: with rml.sustainability.carbonIntensity set in the workspace
 * settings, ▶ Train & evaluate on the example shows "estimated ~X s, ~Y Wh, ~Z g CO₂e (estimate)"
 * at that intensity in the training view's header (and in the progress notification), before the
 * first epoch. The training is then cancelled from the view (unless it has already finished).
 */
import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT, copyWorkspace, log } from '../lib/env';
import { mainServer, useWorkbench } from '../lib/context';
import { codeLens, openFile, screenshot, webview } from '../lib/workbench';

describe('the pre-run estimate in the training view', () => {
  const wb = useWorkbench(() => {
    const folder = copyWorkspace(path.join(ROOT, 'examples', 'adult'), 'estimate');
    fs.mkdirSync(path.join(folder, '.vscode'), { recursive: true });
    fs.writeFileSync(path.join(folder, '.vscode', 'settings.json'), JSON.stringify({ 'rml.sustainability.carbonIntensity': 56 }, null, 2));
    return { server: mainServer(), folder };
  });

  it('shows the estimate at the setting\'s carbon intensity, before training, in the view and the notification', async function () {
    this.timeout(240_000);
    const { page } = wb();
    await openFile(page, 'adult.rml.yaml');
    await codeLens(page, '▶ Train & evaluate').click();
    log('clicked ▶ Train & evaluate');
    const view = await webview(page, '#training-estimate:not([hidden])', 180_000);
    const text = (await view.locator('#training-estimate').innerText()).trim();
    log(`training view: ${text}`);
    assert.match(text, /^Before training: estimated (at most )?~[\d.,]+ (s|min), ~[\d.,e-]+ Wh, ~[\d.,e-]+ g CO₂e \(estimate\) at 56 gCO₂e\/kWh$/);
    const notification = page.locator('.notifications-toasts .notification-toast', { hasText: 'Training adult-income' });
    await notification.locator('.notification-list-item-message', { hasText: /g CO₂e \(estimate\)/ }).first().waitFor({ timeout: 60_000 });
    log(`notification: ${(await notification.first().innerText()).replace(/\s+/g, ' ')}`);
    await screenshot(page, '60-training-estimate.png');
    // stop the run (the view's Cancel), so the spec leaves nothing running; the short example may
    // have finished already (its report then covers the view): either way the training ends
    await view.locator('vscode-button', { hasText: 'Cancel' }).first().click({ timeout: 5_000 }).catch(() => log('no Cancel button: the training had ended'));
    await page.locator('.tabs-container .tab', { hasText: /Training: adult-income \((cancelled|completed)\)/ }).first().waitFor({ timeout: 60_000 });
  });
});
