/**
 * Workspace Trust: with trust on and the folder not trusted (Restricted Mode), training (and
 * explaining, which executes the model) is disabled — the lens says so instead of offering
 * ▶ Train & evaluate, the palette hides the commands, and the commands themselves (run through a
 * keybinding) explain why — while the lint works.
 */
import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT, copyWorkspace, log } from '../lib/env';
import { useWorkbench, vsixPath } from '../lib/context';
import { startServer } from '../lib/server';
import { codeLens, filterProblems, openFile, paletteTitles, problemRow, screenshot, toast } from '../lib/workbench';

/** A user keybinding for rml.train: a keybinding runs a command whatever the palette shows. */
const TRAIN_KEY = 'ctrl+alt+shift+t';
/** The same for rml.auditPredictions. */
const AUDIT_KEY = 'ctrl+alt+shift+a';
/** The same for rml.explain. */
const EXPLAIN_KEY = 'ctrl+alt+shift+e';

describe('Restricted Mode (Workspace Trust on, folder untrusted)', () => {
  let folder = '';
  const wb = useWorkbench(async () => {
    const server = await startServer({ name: 'restricted', trust: true, vsix: vsixPath(), keybindings: [{ key: TRAIN_KEY, command: 'rml.train' }, { key: AUDIT_KEY, command: 'rml.auditPredictions' }, { key: EXPLAIN_KEY, command: 'rml.explain' }] });
    // the example and the flawed fixture side by side: one to train, one to lint
    folder = copyWorkspace(path.join(ROOT, 'examples', 'adult'), 'restricted');
    fs.cpSync(path.join(ROOT, 'test', 'e2e', 'workspaces', 'flawed'), path.join(folder, 'flawed'), { recursive: true });
    return { server, folder, ownServer: true };
  });

  it('opens the folder in Restricted Mode', async () => {
    const { page } = wb();
    await page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor({ timeout: 30_000 });
  });

  it('shows no ▶ Train & evaluate lens; the lens says training is disabled', async () => {
    const { page } = wb();
    await openFile(page, 'adult.rml.yaml');
    await codeLens(page, 'Training is disabled in Restricted Mode').waitFor({ timeout: 30_000 });
    await codeLens(page, '✎ Lint').waitFor({ timeout: 10_000 });
    assert.strictEqual(await codeLens(page, '▶ Train & evaluate').count(), 0, 'no train lens');
    await screenshot(page, '30-restricted-lens.png');
  });

  it('hides "Responsible ML: Train & Evaluate", "Audit Predictions…" and "Explain Model…" from the palette', async () => {
    const { page } = wb();
    const titles = await paletteTitles(page, 'Responsible ML:', 'Responsible ML: Lint Workspace');
    log(`palette: ${titles.join(' | ')}`);
    assert.ok(!titles.includes('Responsible ML: Train & Evaluate'), JSON.stringify(titles));
    assert.ok(!titles.includes('Responsible ML: Audit Predictions…'), JSON.stringify(titles));
    assert.ok(!titles.includes('Responsible ML: Explain Model…'), 'explaining executes the model: hidden too');
  });

  it('the command, run anyway (a keybinding), says why it does not train, and records no run', async () => {
    const { page } = wb();
    await page.locator('.tabs-container .tab.active', { hasText: 'adult.rml.yaml' }).waitFor({ timeout: 10_000 });
    await page.locator('.editor-group-container.active .monaco-editor textarea').first().focus();
    await page.keyboard.press('Control+Alt+Shift+T');
    const warning = toast(page, /disabled in Restricted Mode/);
    await warning.waitFor({ timeout: 30_000 });
    const text = await warning.locator('.notification-list-item-message').innerText();
    log(`notification: ${text}`);
    assert.match(text, /Trust the workspace/i);
    await screenshot(page, '30-restricted-command.png');
    assert.ok(!fs.existsSync(path.join(folder, '.rml')), 'no run recorded');
  });

  it('Audit Predictions…, run anyway (a keybinding), says why it is disabled and asks for no file', async () => {
    const { page } = wb();
    await page.locator('.editor-group-container.active .monaco-editor textarea').first().focus();
    await page.keyboard.press('Control+Alt+Shift+A');
    const warning = toast(page, /Audit Predictions is disabled in Restricted Mode/);
    await warning.waitFor({ timeout: 30_000 });
    const text = await warning.locator('.notification-list-item-message').innerText();
    log(`notification: ${text}`);
    assert.match(text, /reads whole data files[\s\S]*Trust the workspace/i);
    assert.strictEqual(await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Audit predictions' }).count(), 0, 'no CSV picker');
  });

  it('Explain Model…, run anyway (a keybinding), says why it does not execute the model', async () => {
    const { page } = wb();
    await page.locator('.editor-group-container.active .monaco-editor textarea').first().focus();
    await page.keyboard.press('Control+Alt+Shift+E');
    const warning = toast(page, /Explaining a model is disabled in Restricted Mode/);
    await warning.waitFor({ timeout: 30_000 });
    assert.match(await warning.locator('.notification-list-item-message').innerText(), /runs it thousands of times on this workspace's data\. Trust the workspace/);
  });

  it('still lints: the flawed fixture\'s findings are in the Problems panel', async () => {
    const { page } = wb();
    await filterProblems(page, 'RML001');
    await problemRow(page, /\bname\b[\s\S]*RML001/).first().waitFor({ timeout: 60_000 });
    await filterProblems(page, '');
  });
});
