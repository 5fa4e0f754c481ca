import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { loadConfig } from '../../src/core/config';
import { auditCsv } from '../../src/core/fairness/audit-csv';
import { parseFailOn } from '../../src/core/fairness/gate';
import { profileDataset, readCsv } from '../../src/core/data';
import type { RunRecord } from '../../src/core/report/types';
import { fmtRate, reportExtras } from '../../src/core/report/view-model';
import { loadDataView } from '../../src/extension/panels/loaders';
import type { HostMessage } from '../../src/protocol/messages';
import { nearestIndex, whatIf } from '../../webview/src/whatif';
import { compareRecords, cspViolations, harnessAvailable, posted, savedState, send, startHarness, type Harness } from './webview-harness';

/**
 * The built webview (dist/webview.js) in headless Chromium, under the panels' real HTML shell and
 * CSP, with a stub VS Code API: what a person sees and can do with the keyboard, checked by
 * waiting on the page's state (never on sleeps). Skipped where Chromium or the build is missing.
 */
const FIXTURE = path.join(__dirname, '../fixtures/runs/example-run/run.json');
const CONFIG = '/work/examples/adult/adult.rml.yaml';
const DIR = '/work/examples/adult/.rml/runs/2026-11-28T13-54-39-225Z-adult-income';

function run(): RunRecord {
  return JSON.parse(fs.readFileSync(FIXTURE, 'utf8')) as RunRecord;
}

async function text(page: Page, selector: string): Promise<string> {
  return (await page.locator(selector).first().textContent()) ?? '';
}

/** The cells' texts of every data-grid row under `scope` whose first cell is `first`. */
async function rows(page: Page, scope: string, first: string): Promise<string[][]> {
  const all = await page.locator(`${scope} vscode-data-grid-row`).evaluateAll((els) =>
    els.map((r) => Array.from((r as unknown as { children: ArrayLike<{ textContent: string | null }> }).children, (c) => (c.textContent ?? '').trim())));
  return all.filter((cells) => cells[0] === first);
}

describe('webview rendering (headless Chromium)', function () {
  this.timeout(120_000);
  let h: Harness;
  const errors: string[] = [];

  before(async function () {
    const missing = harnessAvailable();
    if (missing) this.skip();
    h = await startHarness();
  });

  after(async () => {
    await h?.close();
  });

  async function open(view: Parameters<Harness['open']>[0], state?: unknown): Promise<Page> {
    const page = await h.open(view, { state });
    page.on('pageerror', (e) => errors.push(`${view}: ${e.message}`));
    return page;
  }

  afterEach(() => {
    assert.deepEqual(errors.splice(0), [], 'no script error in the page');
  });

  it('report: summary, gate, tabs, fairness table, what-if slider by keyboard, export round trip, saved state', async () => {
    const page = await open('report');
    const r = run();
    await send(page, { type: 'report', dir: DIR, run: r, configFile: CONFIG });
    await page.waitForSelector('vscode-panels');
    assert.match(await text(page, 'h1'), /^adult-income · 2026-11-28 13:54 UTC$/);
    assert.match(await text(page, '#app .rml-banner.fail'), /Fairness gate failed: 5 limits not met/);
    assert.deepEqual(await rows(page, '#view-overview', 'Accuracy'), [['Accuracy', '0.845']]);
    assert.deepEqual(await rows(page, '#view-overview', '>50K'), [['>50K', '677 (FN)', '891 (TP)']]);
    assert.deepEqual(await page.locator('vscode-panel-tab').allTextContents(), ['Overview', 'Fairness', 'What-if', 'Curves', 'Training', 'Mitigation', 'Details']);

    await page.click('#tab-fairness');
    await page.waitForSelector('#view-fairness >> text=Sensitive column: sex');
    const fairness = page.locator('#view-fairness');
    assert.equal((await rows(page, '#view-fairness', 'Female (harmed)')).length, 1);
    assert.equal(await fairness.locator('vscode-data-grid-cell.mark-fail').count(), 2, 'DPD and DIR fail for sex');
    assert.equal(await fairness.locator('vscode-data-grid-cell.mark-pass').count(), 1, 'EOD passes for sex');
    assert.equal(await fairness.locator('svg.rml-chart').count(), 3, 'bar charts of selection rate, TPR and FPR');
    assert.equal(await fairness.locator('rect.rml-harmed').count(), 3);

    // What-if, with the keyboard only: the tab list takes arrow keys, the slider too.
    await page.focus('#tab-fairness');
    await page.keyboard.press('ArrowRight');
    await page.waitForSelector('#whatif-threshold');
    const sweep = reportExtras(r).sweep;
    assert.ok(sweep);
    const start = nearestIndex(sweep.thresholds, r.threshold);
    assert.equal(await page.inputValue('#whatif-threshold'), String(start));
    await page.focus('#whatif-threshold');
    for (let i = 0; i < 10; i++) await page.keyboard.press('ArrowLeft');
    const expected = whatIf(sweep, 'sex', start - 10);
    const want = `At threshold ${fmtRate(expected.threshold, 2)}: demographic parity difference ${fmtRate(expected.disparities.demographicParityDifference)}`;
    await page.waitForFunction((w) => (globalThis as unknown as { document: { getElementById(id: string): { textContent: string } | null } }).document.getElementById('whatif-summary')?.textContent.startsWith(w), want);
    assert.equal(await page.getAttribute('#whatif-threshold', 'aria-valuetext'), `threshold ${fmtRate(expected.threshold, 2)}`);

    // Export: the request carries an id; the reply with that id is shown, with a way to open the file.
    await page.click('vscode-button:has-text("Export HTML")');
    const request = (await posted(page)).find((m) => m.type === 'export');
    assert.deepEqual(request, { type: 'export', requestId: 1, format: 'html' });
    await send(page, { type: 'exported', requestId: 1, path: `${DIR}/report.html` });
    await page.waitForSelector(`.rml-status >> text=Exported to ${DIR}/report.html`);
    await page.click('.rml-status vscode-button');
    assert.deepEqual((await posted(page)).at(-1), { type: 'open', path: `${DIR}/report.html` });

    const state = (await savedState(page)) as { view: string; content: HostMessage; ui: Record<string, unknown> };
    assert.equal(state.view, 'report');
    assert.equal(state.content.type, 'report');
    assert.deepEqual({ tab: state.ui.tab, index: state.ui.whatifIndex }, { tab: 'whatif', index: start - 10 });
    assert.deepEqual(await cspViolations(page), []);

    // A reload (new document, same saved state) shows the same tab and threshold before the host says anything.
    const again = await open('report', state);
    await again.waitForSelector('#whatif-summary');
    assert.ok((await text(again, '#whatif-summary')).startsWith(want));
    assert.equal(await again.getAttribute('vscode-panels', 'activeid'), 'tab-whatif');
    await page.close();
    await again.close();
  });

  it('report: the Features · privacy · energy tab, reached by keyboard, with the chart, the DP guarantee, the cost of privacy and the energy label', async () => {
    const file = path.join(__dirname, '../fixtures/runs/responsible-run/run.json');
    const r = JSON.parse(fs.readFileSync(file, 'utf8')) as RunRecord;
    const page = await open('report');
    await send(page, { type: 'report', dir: '/runs/responsible', run: r, configFile: '/runs/responsible.rml.yaml' });
    await page.waitForSelector('vscode-panels');
    const tabs = await page.locator('vscode-panel-tab').allTextContents();
    assert.equal(tabs.at(-2), 'Features · privacy · energy');
    assert.equal(tabs.at(-1), 'Details');
    // From the active tab (Overview), with the keyboard only: End, then one to the left.
    await page.focus('#tab-overview');
    await page.keyboard.press('End');
    await page.waitForSelector('#tab-details[aria-selected="true"]');
    await page.keyboard.press('ArrowLeft');
    await page.waitForSelector('#tab-responsible[aria-selected="true"]');
    const view = page.locator('#view-responsible');
    await view.locator('svg.rml-chart').first().waitFor();
    assert.equal(await view.locator('svg.rml-chart .rml-whisker').count(), r.explain?.importance?.features.length);
    const body = (await view.textContent()) ?? '';
    assert.ok(body.includes(`(ε = ${fmtRate(r.privacy?.dp.epsilon)}, δ = 1.0e-5)`), 'the guarantee');
    assert.ok(body.includes('ESTIMATED, not measured (TDP table: "AMD EPYC" is not in it'), 'the energy label names the CPU');
    assert.ok(!/NaN/.test(body));
    const a = r.privacy?.cost?.baseline.metrics.accuracy as number;
    const b = r.metrics?.accuracy as number;
    assert.deepEqual((await rows(page, '#view-responsible', 'Accuracy'))[0].slice(0, 3), ['Accuracy', fmtRate(a), fmtRate(b)]);
    assert.equal(await view.locator('vscode-data-grid-cell.mark-strong').count() > 0, true, 'the better side is marked');
    const state = (await savedState(page)) as { ui: Record<string, unknown> };
    assert.equal(state.ui.tab, 'responsible');
    assert.deepEqual(await cspViolations(page), []);
    await page.close();
  });

  it('training: live curves, Cancel keeps focus through updates and posts cancelTraining, then Open report', async () => {
    const page = await open('training');
    const r = run();
    await send(page, { type: 'training/start', name: 'adult-income', configFile: CONFIG, epochs: 30 });
    assert.equal(await page.locator('#training-estimate').isHidden(), true, 'no estimate yet');
    await send(page, { type: 'training/estimate', estimate: { seconds: 14.2, kWh: 0.00031, co2eGrams: 0.0174, gramsPerKWh: 56, upperBound: true } });
    await send(page, { type: 'training/stage', stage: 'training' });
    for (const e of r.history.slice(0, 5)) await send(page, { type: 'training/epoch', epoch: e });
    await page.waitForSelector('text=Epoch 5 of 30 · training');
    assert.equal(await text(page, '#training-estimate'), 'Before training: estimated at most ~14 s, ~0.31 Wh, ~0.017 g CO₂e (estimate) at 56 gCO₂e/kWh');
    assert.equal(await page.getAttribute('.rml-progress', 'aria-valuenow'), '5');
    assert.equal(await page.locator('path.rml-line').count(), 3, 'training and validation loss, validation accuracy');
    await page.focus('vscode-button:has-text("Cancel")');
    await send(page, { type: 'training/epoch', epoch: r.history[5] });
    await page.waitForSelector('text=Epoch 6 of 30');
    assert.equal(await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { textContent: string } | null } }).document.activeElement?.textContent?.trim()), 'Cancel');
    await page.keyboard.press('Enter');
    assert.deepEqual((await posted(page)).at(-1), { type: 'cancelTraining' });
    await send(page, { type: 'training/end', status: 'cancelled', dir: DIR });
    await page.waitForSelector('.rml-badge.cancelled');
    await page.click('vscode-button:has-text("Open report")');
    assert.deepEqual((await posted(page)).at(-1), { type: 'showReport', dir: DIR });
    assert.equal(await page.locator('vscode-button:has-text("Cancel")').count(), 0);
    assert.deepEqual(await cspViolations(page), []);
    await page.close();
  });

  it('data: types, missing, distinct, findings marked, personal-data values never shown', async () => {
    const german = path.join(__dirname, '../fixtures/german/german.rml.yaml');
    const m = await loadDataView(german, path.dirname(german), async () => [
      { column: 'personal_status', ruleId: 'RML001', severity: 'warning', message: 'personal data' },
      { column: 'age', ruleId: 'RML002', severity: 'warning', message: 'protected attribute used as a feature' },
    ], async () => ({ loadConfig, readCsv, profileDataset }));
    const page = await open('data');
    await send(page, m);
    await page.waitForSelector('text=Data: german.csv');
    const body = (await page.textContent('body')) ?? '';
    assert.match(body, /1,000 rows · \d+ columns · \d+ duplicate rows · 2 columns with findings/);
    assert.ok(body.includes('Values of personal_status are hidden'));
    for (const raw of ['A91', 'A92', 'A93', 'A94']) assert.ok(!body.includes(raw), `raw value ${raw} shown`);
    assert.equal(await page.locator('.rml-card.flagged').count(), 2);
    assert.equal(await page.locator('.rml-chip.sev-warning', { hasText: 'RML001' }).count(), 1);
    await page.click('#only-flagged');
    await page.waitForFunction(() => (globalThis as unknown as { document: { querySelectorAll(s: string): { length: number } } }).document.querySelectorAll('.rml-card').length === 2);
    assert.deepEqual(await cspViolations(page), []);
    await page.close();
  });

  it('compare: metrics and disparities side by side with the direction in words', async () => {
    const a = run();
    const b = run() as RunRecord & { fairness: Record<string, Record<string, unknown>> };
    (b.metrics as Record<string, number>).accuracy = 0.85;
    b.fairness.sex.demographicParityDifference = 0.05;
    // The engine's comparison, as the host computes it (rml compare's), from the two records on disk.
    const comparison = await compareRecords(a, b);
    const page = await open('compare');
    await send(page, { type: 'compare', a: { dir: '/runs/a', run: a }, b: { dir: '/runs/b', run: b }, comparison });
    await page.waitForSelector('text=Compare runs');
    assert.deepEqual(await rows(page, 'body', 'Accuracy'), [['Accuracy', '0.845', '0.850', '+0.005', '▲ B better', '']], 'half a point does not matter');
    assert.deepEqual((await rows(page, 'body', 'Demographic parity difference'))[0], ['Demographic parity difference', '0.171', '0.050', '−0.121', '▲ B better', '≤ 0.100', '✗ fail', '✓ pass', '★']);
    // The highlights are the engine's sentences, verbatim.
    const highlight = comparison.highlights.find((x) => x.startsWith('Demographic parity difference (sex) improved by 0.121'));
    assert.ok(highlight, comparison.highlights.join('\n'));
    await page.waitForSelector(`.rml-highlights li >> text=${highlight}`);
    assert.equal(await page.locator('.rml-highlights li').count(), comparison.highlights.length);
    // Energy: neither fixture run recorded it, and the view says so instead of showing 0 or NaN.
    assert.match(await text(page, 'section:has(h2:text("Energy and time"))'), /not recorded[\s\S]*Neither run recorded its energy/);
    assert.match(await text(page, 'section:has(h2:text("What changed in the config"))'), /Compared from the run records/);
    await page.click('vscode-button:has-text("Open report B")');
    assert.deepEqual((await posted(page)).at(-1), { type: 'showReport', dir: '/runs/b' });
    await page.close();
  });

  it('audit: facts, gate banner, overall, each column\'s disparities with intervals and pass/fail, the command line, saved state', async () => {
    const data = path.join(__dirname, '../e2e/workspaces/audit/predictions.csv');
    const result = await auditCsv({ data, label: 'y_true', positive: '1', pred: 'y_pred', sensitive: ['sex', 'race'], privileged: {}, intersections: true, bootstrap: 100, limits: parseFailOn('demographicParityDifference<=0.1,race:disparateImpactRatio>=0.8'), seed: 0 });
    const page = await open('audit');
    const m: HostMessage = { type: 'audit', result, command: 'rml audit --data predictions.csv …' };
    await send(page, m);
    await page.waitForSelector('text=Fairness audit: predictions.csv');
    assert.match(await text(page, '#audit-facts'), /^600 rows · favourable label "1" · predictions: 'y_pred'/);
    // sex fails the global limit, race passes both; the banner lists the failure
    assert.match(await text(page, '.rml-banner.fail:not([hidden])'), /Fairness gate failed: 1 limit not met.*sex: Demographic parity difference = 0\.132/);
    const dpd = await rows(page, '#audit-sex', 'Demographic parity difference');
    assert.equal(dpd[0][1], fmtRate(result.json.sensitive.sex.demographicParityDifference));
    assert.match(dpd[0][2], /^\[0\.\d{3}, 0\.\d{3}\]$/, 'a bootstrap interval');
    assert.deepEqual(dpd[0].slice(3), ['≤ 0.100', '✗ fail']);
    assert.deepEqual((await rows(page, '#audit-race', 'Disparate impact ratio'))[0].slice(3), ['≥ 0.800', '✓ pass']);
    assert.equal(await page.locator('#audit-sex-race h2').textContent(), 'Intersection: sex × race');
    // limits without a column judge the sensitive columns, not the intersections (as the gate does)
    assert.deepEqual((await rows(page, '#audit-sex-race', 'Demographic parity difference'))[0].slice(3), ['', '']);
    assert.match(await text(page, '#audit-cli code'), /^rml audit --data predictions\.csv/);
    await page.click('vscode-button:has-text("Open CSV")');
    assert.deepEqual((await posted(page)).at(-1), { type: 'open', path: data });
    const state = (await savedState(page)) as { view: string; content: HostMessage };
    assert.equal(state.view, 'audit');
    assert.equal(state.content.type, 'audit');
    assert.deepEqual(await cspViolations(page), []);
    await page.close();
  });

  it('shows the host\'s error instead of content', async () => {
    const page = await open('report');
    await send(page, { type: 'error', message: 'There is no run record at /x/run.json (was the run deleted?).' });
    await page.waitForSelector('[role="alert"] >> text=There is no run record at /x/run.json');
    await page.close();
  });
});
