/**
 * The model card from the editor: on the example, the "Model card" lens offers to write one; after
 * ▶ Train & evaluate, clicking it writes MODEL_CARD.md beside the config (with the accuracy the
 * report shows) and opens it; the lens then says "Model card ✓", and "Model card out of date" once
 * the config's documentation changes on disk.
 */
import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT, copyWorkspace, log, waitFor } from '../lib/env';
import { mainServer, useWorkbench } from '../lib/context';
import { activeTab, codeLens, openFile, screenshot, webview } from '../lib/workbench';

const REPORT_READY = 'body[data-view="report"] main[aria-busy="false"] vscode-panels';
const ACCURACY = '#view-overview #s-metrics vscode-data-grid vscode-data-grid-cell:text-is("Accuracy") + vscode-data-grid-cell';

describe('model card: code lens → MODEL_CARD.md', () => {
  let folder = '';
  const wb = useWorkbench(() => {
    folder = copyWorkspace(path.join(ROOT, 'examples', 'adult'), 'model-card');
    return { server: mainServer(), folder };
  });
  let accuracy = '';

  it('offers "Model card" on a config without a card', async () => {
    const { page } = wb();
    await openFile(page, 'adult.rml.yaml');
    await codeLens(page, /^\s*Model card\s*$/).waitFor({ timeout: 30_000 });
    assert.ok(!fs.existsSync(path.join(folder, 'MODEL_CARD.md')));
  });

  it('trains, then the lens writes MODEL_CARD.md with the report\'s accuracy and opens it', async function () {
    this.timeout(300_000);
    const { page } = wb();
    await codeLens(page, '▶ Train & evaluate').click();
    const report = await webview(page, REPORT_READY, 180_000);
    const cell = report.locator(ACCURACY);
    await cell.waitFor({ state: 'visible', timeout: 30_000 });
    accuracy = (await cell.innerText()).trim();
    log(`report: Accuracy ${accuracy}`);
    assert.match(accuracy, /^0\.\d{3}$/);

    await openFile(page, 'adult.rml.yaml');
    await codeLens(page, /^\s*Model card\s*$/).click();
    const card = path.join(folder, 'MODEL_CARD.md');
    await waitFor('MODEL_CARD.md to be written', () => fs.existsSync(card), 60_000);
    await activeTab(page, 'MODEL_CARD.md').waitFor({ timeout: 30_000 });
    const text = fs.readFileSync(card, 'utf8');
    assert.ok(text.startsWith('<!-- rml:model-card {'), 'the provenance comment');
    assert.ok(new RegExp(`\\| Accuracy \\| ${accuracy.replace('.', '\\.')}\\b`).test(text), `the card's accuracy is the report's (${accuracy})`);
    for (const section of ['## Model details', '## Quantitative analysis', '## Explainability', '## Privacy', '## Energy and CO₂e', '## Reproducibility']) assert.ok(text.includes(section), section);
    assert.match(text, /ESTIMATED|MEASURED/);
    await screenshot(page, '45-model-card.png');
  });

  it('then shows "Model card ✓", and "Model card out of date" when the documentation changes', async function () {
    this.timeout(120_000);
    const { page } = wb();
    await openFile(page, 'adult.rml.yaml');
    await codeLens(page, 'Model card ✓').waitFor({ timeout: 30_000 });
    const config = path.join(folder, 'adult.rml.yaml');
    fs.writeFileSync(config, fs.readFileSync(config, 'utf8').replace('Teaching example for fairness auditing', 'A teaching example for fairness auditing'));
    await codeLens(page, 'Model card out of date').waitFor({ timeout: 60_000 });
    await screenshot(page, '45-model-card-stale.png');
  });
});
