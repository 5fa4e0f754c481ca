/** Smoke: the packaged extension activates in a real workbench and a command runs from the palette. */
import * as path from 'node:path';
import { ROOT, copyWorkspace } from '../lib/env';
import { mainServer, useWorkbench } from '../lib/context';
import { runCommand, screenshot } from '../lib/workbench';

describe('smoke: activation and one command', () => {
  const wb = useWorkbench(() => ({ server: mainServer(), folder: copyWorkspace(path.join(ROOT, 'examples', 'adult'), 'smoke') }));

  it('opens the example folder; the extension shows its status bar item', async () => {
    const { page } = wb();
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'adult.rml.yaml' }).waitFor({ timeout: 30_000 });
    // the training status bar item ("RML: auto"), created on activation (workspaceContains:**/*.rml.*)
    await page.locator('.part.statusbar .statusbar-item', { hasText: /RML: / }).first().waitFor({ timeout: 60_000 });
  });

  it('"Responsible ML: Show Log" opens the extension\'s log', async () => {
    const { page } = wb();
    await runCommand(page, 'Responsible ML: Show Log');
    // the Output view, with our channel selected, showing the activation line
    await page.locator('.part.panel select.monaco-select-box:has(option:checked:text-is("Responsible ML"))').first().waitFor({ timeout: 30_000 });
    await page.locator('.part.panel .output-view .view-lines', { hasText: /Activated\sin/ }).first().waitFor({ timeout: 30_000 });
    await screenshot(page, '00-smoke-log.png');
  });
});
