/**
 * Screenshots of every webview (report tabs, training, data, compare, audit) in the dark, light and
 * high-contrast themes, rendered from dist/webview.js in headless Chromium with the fixture run,
 * for a person to look at: `npm run build && npx tsx scripts/webview-preview.ts [outDir]`
 * (default test-output/webview-preview/, which git ignores).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { loadConfig } from '../src/core/config';
import { profileDataset, readCsv } from '../src/core/data';
import type { RunRecord } from '../src/core/report/types';
import { auditCsv } from '../src/core/fairness/audit-csv';
import { parseFailOn } from '../src/core/fairness/gate';
import { loadDataView } from '../src/extension/panels/loaders';
import { compareRecords, harnessAvailable, ROOT, send, startHarness, type Theme } from '../test/unit/webview-harness';

const out = path.resolve(process.argv[2] ?? path.join(ROOT, 'test-output', 'webview-preview'));
const run = JSON.parse(fs.readFileSync(path.join(ROOT, 'test/fixtures/runs/example-run/run.json'), 'utf8')) as RunRecord;
const responsible = JSON.parse(fs.readFileSync(path.join(ROOT, 'test/fixtures/runs/responsible-run/run.json'), 'utf8')) as RunRecord;
const CONFIG = '/work/examples/adult/adult.rml.yaml';
const DIR = '/work/examples/adult/.rml/runs/2026-11-28T13-54-39-225Z-adult-income';

async function shot(page: Page, name: string): Promise<void> {
  const file = path.join(out, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  console.log(file);
}

async function main(): Promise<void> {
  const missing = harnessAvailable();
  if (missing) throw new Error(missing);
  fs.mkdirSync(out, { recursive: true });
  // Run B: the fixture with a fairer, slightly less accurate outcome, compared by the engine.
  const runB = JSON.parse(JSON.stringify(run)) as RunRecord & { fairness: Record<string, Record<string, unknown>> };
  (runB.metrics as Record<string, number>).accuracy -= 0.004;
  runB.fairness.sex.demographicParityDifference = 0.09;
  const comparison = await compareRecords(run, runB);
  const h = await startHarness();
  try {
    for (const theme of ['dark', 'light', 'high-contrast'] as Theme[]) {
      const report = await h.open('report', { theme });
      await send(report, { type: 'report', dir: DIR, run, configFile: CONFIG });
      await report.waitForSelector('vscode-panels');
      for (const tab of ['overview', 'fairness', 'whatif', 'curves', 'training', 'mitigation', 'details']) {
        await report.click(`#tab-${tab}`);
        await report.waitForSelector(`#view-${tab}:not([hidden])`);
        await shot(report, `report-${tab}-${theme}`);
      }
      await report.close();

      // The Features · privacy · energy tab, on a real DP run (the example run predates those fields).
      const dp = await h.open('report', { theme });
      await send(dp, { type: 'report', dir: '/runs/responsible', run: responsible, configFile: '/runs/responsible.rml.yaml' });
      await dp.waitForSelector('vscode-panels');
      await dp.click('#tab-responsible');
      await dp.waitForSelector('#view-responsible:not([hidden])');
      await shot(dp, `report-responsible-${theme}`);
      await dp.close();

      const training = await h.open('training', { theme });
      await send(training, { type: 'training/start', name: run.name, configFile: CONFIG, epochs: run.train.epochs });
      await send(training, { type: 'training/stage', stage: 'training' });
      for (const e of run.history.slice(0, 9)) await send(training, { type: 'training/epoch', epoch: e });
      await training.waitForSelector('text=Epoch 9 of');
      await shot(training, `training-running-${theme}`);
      await training.close();

      const german = path.join(ROOT, 'test/fixtures/german/german.rml.yaml');
      const data = await h.open('data', { theme });
      await send(data, await loadDataView(german, path.dirname(german), async () => [
        { column: 'personal_status', ruleId: 'RML001', severity: 'warning', message: 'Column "personal_status" is treated as personal data in this preview.' },
      ], async () => ({ loadConfig, readCsv, profileDataset })));
      await data.waitForSelector('.rml-cards');
      await shot(data, `data-${theme}`);
      await data.close();

      const compare = await h.open('compare', { theme });
      await send(compare, { type: 'compare', a: { dir: '/runs/a', run }, b: { dir: '/runs/b', run: runB }, comparison });
      await compare.waitForSelector('text=Compare runs');
      await shot(compare, `compare-${theme}`);
      await compare.close();

      const audit = await h.open('audit', { theme });
      const predictions = path.join(ROOT, 'test/e2e/workspaces/audit/predictions.csv');
      const result = await auditCsv({ data: predictions, label: 'y_true', positive: '1', pred: 'y_pred', sensitive: ['sex', 'race'], privileged: { sex: 'Male' }, intersections: true, bootstrap: 200, limits: parseFailOn('demographicParityDifference<=0.1,disparateImpactRatio>=0.8'), seed: 0 });
      await send(audit, { type: 'audit', result, command: 'rml audit --data predictions.csv --label y_true --positive 1 --pred y_pred --sensitive sex,race --privileged sex=Male --intersections --bootstrap 200 --seed 0' });
      await audit.waitForSelector('text=Fairness audit: predictions.csv');
      await shot(audit, `audit-${theme}`);
      await audit.close();
    }
  } finally {
    await h.close();
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
