/**
 * Compare two runs in the editor: train the example, raise its decision threshold, train again,
 * then "Responsible ML: Compare Two Runs…" picks both and the compare view shows the changes that
 * matter — the same sentences as `rml compare --json` on the same two run folders — and the
 * config diff.
 */
import * as assert from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT, copyWorkspace, log, waitFor } from '../lib/env';
import { mainServer, useWorkbench } from '../lib/context';
import { codeLens, openFile, parkMouse, runCommand, screenshot, webview } from '../lib/workbench';

const COMPARE_READY = 'body[data-view="compare"] main[aria-busy="false"] .rml-compare-runs';

/** The completed runs of the workspace's config, newest last. */
function completedRuns(folder: string): string[] {
  const dir = path.join(folder, '.rml', 'runs');
  if (!fs.existsSync(dir)) return [];
  // (a run is written into a hidden .tmp-* folder, then renamed into place)
  return fs.readdirSync(dir).filter((d) => !d.startsWith('.')).sort().map((d) => path.join(dir, d)).filter((d) => {
    try {
      return (JSON.parse(fs.readFileSync(path.join(d, 'run.json'), 'utf8')) as { status?: string }).status === 'completed';
    } catch {
      return false; // not written yet (run.json is written atomically, last)
    }
  });
}

describe('Compare two runs: the changes that matter, in the editor as in rml compare', () => {
  let folder = '';
  const wb = useWorkbench(() => {
    folder = copyWorkspace(path.join(ROOT, 'examples', 'adult'), 'compare');
    return { server: mainServer(), folder };
  });

  it('trains the example twice, the second time with the decision threshold at 0.7', async function () {
    this.timeout(420_000);
    const { page } = wb();
    await openFile(page, 'adult.rml.yaml');
    await codeLens(page, '▶ Train & evaluate').click();
    await waitFor('the first run to complete', async () => completedRuns(folder).length === 1, 180_000, 500);
    const config = path.join(folder, 'adult.rml.yaml');
    const text = fs.readFileSync(config, 'utf8');
    assert.match(text, /threshold: 0\.5/);
    fs.writeFileSync(config, text.replace('threshold: 0.5', 'threshold: 0.7'));
    // Training uses the config on disk (the editor is not dirty, so nothing is saved over it).
    // back to the config's tab (the report took the focus; its lens is still there)
    await page.locator('.tabs-container .tab', { hasText: 'adult.rml.yaml' }).first().click();
    await codeLens(page, '▶ Train & evaluate').click();
    await waitFor('the second run to complete', async () => completedRuns(folder).length === 2, 180_000, 500);
    const second = JSON.parse(fs.readFileSync(path.join(completedRuns(folder)[1], 'run.json'), 'utf8')) as { threshold?: number; evaluate?: { threshold?: number } };
    assert.strictEqual(second.threshold ?? second.evaluate?.threshold, 0.7, 'the second run used the edited config');
    log(`runs: ${completedRuns(folder).map((d) => path.basename(d)).join(', ')}`);
  });

  it('"Compare Two Runs…" shows the same highlights as rml compare, ★ marks and the config diff', async function () {
    this.timeout(180_000);
    const { page } = wb();
    const [a, b] = completedRuns(folder);
    // the palette's key goes to the workbench, not to the report webview that has the focus
    await page.locator('.tabs-container .tab', { hasText: 'adult.rml.yaml' }).first().click();
    await page.locator('.editor-group-container.active .monaco-editor .view-lines').first().click();
    await runCommand(page, 'Responsible ML: Compare Two Runs…');
    const widget = page.locator('.quick-input-widget');
    await widget.locator('.quick-input-list .monaco-list-row').nth(1).waitFor({ timeout: 30_000 });
    // a multi-select pick: tick both rows' checkboxes, then Enter
    for (const i of [0, 1]) await widget.locator('.quick-input-list .monaco-list-row').nth(i).locator('.quick-input-list-checkbox, input[type="checkbox"], .monaco-custom-toggle').first().click();
    await widget.locator('.quick-input-count', { hasText: '2 Selected' }).waitFor({ timeout: 10_000 });
    await page.keyboard.press('Enter');
    await parkMouse(page);
    const view = await webview(page, COMPARE_READY, 60_000);

    // The CLI on the same two folders (the older run is A, as in the editor: newest is B).
    const cli = JSON.parse(execFileSync(process.execPath, [path.join(ROOT, 'bin', 'rml.js'), 'compare', a, b, '--json', '--root', folder], { encoding: 'utf8' })) as { highlights: string[]; config: { changes: { path: string }[] } };
    assert.ok(cli.highlights.length > 0, 'raising the threshold changes something that matters');
    const shown = (await view.locator('.rml-highlights li').allInnerTexts()).map((s) => s.trim());
    log(`highlights: ${shown.join(' | ')}`);
    const dirs = (await view.locator('.rml-compare-runs .rml-path').allInnerTexts()).map((s) => s.trim());
    // Whichever run the editor made A, its sentences are the CLI's for that order.
    const reversed = path.basename(dirs[0]) === path.basename(b) ? JSON.parse(execFileSync(process.execPath, [path.join(ROOT, 'bin', 'rml.js'), 'compare', b, a, '--json', '--root', folder], { encoding: 'utf8' })) as typeof cli : undefined;
    assert.deepStrictEqual(shown, (reversed ?? cli).highlights);
    assert.ok(await view.locator('vscode-data-grid-cell:text-is("★")').count() > 0, 'a ★ marks a change that matters');
    const configSection = await view.locator('section', { has: view.locator('h2', { hasText: 'What changed in the config' }) }).innerText();
    assert.match(configSection, /threshold/, 'the config diff names the threshold');
    assert.match(await view.locator('section', { has: view.locator('h2', { hasText: 'Energy and time' }) }).innerText(), /ESTIMATED|MEASURED/, 'energy is labelled measured or estimated');
    await screenshot(page, '70-compare.png');
  });
});
