/**
 * Explain in the real editor, on the bundled example: train it (▶ Train & evaluate), then the
 * "Explain" lens is there and "Responsible ML: Explain Model…" opens the Explain view on the run;
 * pick a test row by keyboard; the SHAP value shown for a feature equals what `rml explain --json
 * --row N` prints for that row (same seed), and the additivity check is stated. The time to
 * explain the first row (context load included) and a second row is logged.
 */
import * as assert from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FrameLocator } from 'playwright-core';
import type { ExplainReport } from '../../../src/core/explain/types';
import { signed } from '../../../src/core/explain/view-model';
import { ROOT, copyWorkspace, log, waitFor } from '../lib/env';
import { mainServer, useWorkbench } from '../lib/context';
import { codeLens, openFile, runCommand, screenshot, webview } from '../lib/workbench';

const EXPLAIN = {
  /** the view has a session and a first explained row */
  ready: 'body[data-view="explain"] main[aria-busy="false"] #s-shap',
  rowInput: '#explain-row',
  additivity: '#shap-additivity',
};

describe('Explain: lens and command → Explain view, SHAP equal to the CLI', () => {
  let folder = '';
  const wb = useWorkbench(() => {
    folder = copyWorkspace(path.join(ROOT, 'examples', 'adult'), 'explain');
    return { server: mainServer(), folder };
  });
  let view: FrameLocator | undefined;

  it('after training, shows the Explain lens on adult.rml.yaml', async function () {
    this.timeout(240_000);
    const { page } = wb();
    await openFile(page, 'adult.rml.yaml');
    await codeLens(page, '▶ Train & evaluate').click();
    log('clicked ▶ Train & evaluate');
    await waitFor('a completed run', () => {
      const runs = path.join(folder, '.rml', 'runs');
      return fs.existsSync(runs) && fs.readdirSync(runs).some((d) => fs.existsSync(path.join(runs, d, 'predictions.csv')));
    }, 180_000, 500);
    await webview(page, 'body[data-view="report"] main[aria-busy="false"] vscode-panels', 120_000);
    await openFile(page, 'adult.rml.yaml');
    await codeLens(page, 'Explain').waitFor({ timeout: 30_000 });
    await screenshot(page, '55-explain-lens.png');
  });

  it('"Responsible ML: Explain Model…" opens the view and explains the first test row', async function () {
    this.timeout(180_000);
    const { page } = wb();
    const t0 = Date.now();
    await runCommand(page, 'Responsible ML: Explain Model…');
    view = await webview(page, EXPLAIN.ready, 120_000);
    log(`first row explained ${Date.now() - t0} ms after the command (run loaded in the worker, importance and slices computed)`);
    await page.locator('.tabs-container .tab.active', { hasText: 'Explain:' }).waitFor({ timeout: 30_000 });
    assert.match(await view.locator(EXPLAIN.additivity).innerText(), /additivity check/);
  });

  it('a row picked by keyboard shows the SHAP values `rml explain --json --row N` prints, and the additivity line', async function () {
    this.timeout(180_000);
    const { page } = wb();
    assert.ok(view, 'the Explain view is open');
    const runs = path.join(folder, '.rml', 'runs');
    const run = path.join(runs, fs.readdirSync(runs).sort().at(-1)!);
    const rows = fs.readFileSync(path.join(run, 'predictions.csv'), 'utf8').trim().split('\n').slice(1).map((l) => Number(l.split(',')[0]));
    const row = rows[7];
    const t0 = Date.now();
    await view.locator(EXPLAIN.rowInput).fill(String(row));
    await view.locator(EXPLAIN.rowInput).press('Enter');
    await view.locator(`#h-row:text-is("Row ${row}")`).waitFor({ timeout: 60_000 });
    log(`row ${row} explained ${Date.now() - t0} ms after Enter (run already loaded; importance and slices reused)`);

    const cli = JSON.parse(execFileSync(process.execPath, [path.join(ROOT, 'bin', 'rml.js'), 'explain', 'adult.rml.yaml', '--json', '--row', String(row)], { cwd: folder, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })) as ExplainReport;
    assert.equal(cli.row.index, row);
    for (const feature of ['age', 'education']) {
      const want = cli.shap!.values.find((v) => v.feature === feature)!;
      const cells = view.locator('#s-shap vscode-data-grid-row', { has: view.locator(`vscode-data-grid-cell:text-is("${feature}")`) }).first().locator('vscode-data-grid-cell');
      const shown = (await cells.nth(2).innerText()).trim();
      log(`SHAP ${feature} = ${want.value.text}: editor ${shown}, CLI ${want.phi}`);
      assert.strictEqual(shown, signed(want.phi), `φ(${feature}) of row ${row}`);
      assert.strictEqual((await cells.nth(1).innerText()).trim(), want.value.text);
    }
    const additivity = await view.locator(EXPLAIN.additivity).innerText();
    log(`additivity: ${additivity}`);
    assert.match(additivity, /^f\(x\) = \d\.\d{4} = E\[f\] \d\.\d{4} [+−] Σφ \d\.\d{4}; additivity check \|Σφ − \(f\(x\) − E\[f\]\)\| = \d\.\de[-+]\d+$/);
    assert.ok(additivity.includes(`E[f] ${cli.shap!.expectedValue.toFixed(4)}`), 'E[f] as the CLI');
    await screenshot(page, '55-explain-view.png');
  });
});
