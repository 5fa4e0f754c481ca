/**
 * The data view in the real editor: "Responsible ML: Show Data Profile" on the example config
 * profiles its CSV in the lint worker (off the extension host's thread) and shows, per column, the
 * missing values; the count for workclass must equal the engine's own reading of the CSV.
 */
import * as assert from 'node:assert';
import * as path from 'node:path';
import { loadConfig } from '../../../src/core/config';
import { readCsv } from '../../../src/core/data';
import { ROOT, copyWorkspace, log } from '../lib/env';
import { mainServer, useWorkbench } from '../lib/context';
import { openFile, runCommand, screenshot, webview } from '../lib/workbench';

describe('the data view: the example\'s dataset profile', () => {
  const wb = useWorkbench(() => ({ server: mainServer(), folder: copyWorkspace(path.join(ROOT, 'examples', 'adult'), 'data') }));

  it('shows the missing count of workclass as the engine reads it', async function () {
    this.timeout(180_000);
    const { page, folder } = wb();
    await openFile(page, 'adult.rml.yaml');
    await runCommand(page, 'Responsible ML: Show Data Profile');
    const view = await webview(page, 'section.rml-card[aria-label="Column workclass"]', 120_000);
    await page.locator('.tabs-container .tab.active', { hasText: 'Data: adult.csv' }).waitFor({ timeout: 30_000 });
    const meta = (await view.locator('section.rml-card[aria-label="Column workclass"] > p.rml-meta').first().innerText()).trim();
    log(`data view, workclass: ${meta}`);

    const file = path.join(folder, 'adult.rml.yaml');
    const config = await loadConfig(file, { root: folder });
    const ds = await readCsv(config.data.resolvedPath, { delimiter: config.data.delimiter, missing: config.data.missing, encoding: config.data.encoding });
    const missing = ds.byName.get('workclass')!.missing;
    log(`engine: workclass has ${missing} missing values of ${ds.rowCount}`);
    assert.ok(missing > 0, 'the Adult data has missing workclass values ("?")');
    const shown = /^missing ([\d,]+) \(/.exec(meta)?.[1];
    assert.strictEqual(shown?.replace(/,/g, ''), String(missing));
    await screenshot(page, '50-data.png');
  });
});
