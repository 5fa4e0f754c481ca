/**
 * The Explain view (dist/webview.js) in headless Chromium under the panels' HTML shell and CSP,
 * fed with a real run's session and reports (German credit, trained in-test): the SHAP table
 * equals the report, the additivity and sample counts are stated, the row picker steps through
 * misclassified rows and takes a typed row by keyboard, the PDP feature is chosen from a
 * dropdown, stale answers are ignored, cancellation is shown, and no NaN reaches the page.
 */
import { strict as assert } from 'node:assert';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { runConfigFile } from '../../src/core/engine';
import { explainRow, openExplainContext, type ExplainContext } from '../../src/core/explain';
import { filterRows, fmt, signed } from '../../src/core/explain/view-model';
import { sessionOf } from '../../src/extension/explain/session';
import type { ExplainSession, HostMessage, WebviewMessage } from '../../src/protocol/messages';
import { cspViolations, harnessAvailable, posted, savedState, send, startHarness, type Harness } from './webview-harness';

const GERMAN = path.join(__dirname, '../fixtures/german');

async function cells(page: Page, scope: string, first: string): Promise<string[]> {
  const all = await page.locator(`${scope} vscode-data-grid-row`).evaluateAll((els) =>
    els.map((r) => Array.from((r as unknown as { children: ArrayLike<{ textContent: string | null }> }).children, (c) => (c.textContent ?? '').trim())));
  return all.find((c) => c[0] === first) ?? [];
}

async function lastPosted(page: Page, type: WebviewMessage['type']): Promise<WebviewMessage | undefined> {
  return (await posted(page)).filter((m) => m.type === type).at(-1);
}

describe('webview rendering: Explain view (headless Chromium)', function () {
  this.timeout(120_000);
  let h: Harness;
  let ws: string;
  let ctx: ExplainContext;
  let session: ExplainSession;
  let dir: string;
  const errors: string[] = [];

  before(async function () {
    if (harnessAvailable()) this.skip();
    ws = mkdtempSync(path.join(tmpdir(), 'rml-explain-view-'));
    cpSync(GERMAN, ws, { recursive: true });
    dir = (await runConfigFile(path.join(ws, 'german.rml.yaml'), { root: ws })).dir;
    ctx = await openExplainContext(dir);
    session = sessionOf(ctx, 42, 0);
    h = await startHarness();
  });
  after(async () => {
    await h?.close();
    if (ws) rmSync(ws, { recursive: true, force: true });
  });
  afterEach(() => assert.deepEqual(errors.splice(0), [], 'no script error in the page'));

  async function open(state?: unknown): Promise<Page> {
    const page = await h.open('explain', { state });
    page.on('pageerror', (e) => errors.push(e.message));
    return page;
  }

  const sessionMessage = (): HostMessage => ({ type: 'explain', dir, configFile: path.join(ws, 'german.rml.yaml'), session });

  it('shows the row, its SHAP waterfall and table, additivity, LIME stability, counterfactual, PDP, importance and slices', async () => {
    const page = await open();
    await send(page, sessionMessage());
    await page.waitForSelector('text=Explaining row');
    const row = session.rows[0].row;
    const report = explainRow(ctx, { row, seed: 0 });
    await send(page, { type: 'explain/result', requestId: 0, report, reused: [], ms: 1500 });
    await page.waitForSelector('#s-shap');
    const shap = report.shap!;
    // Every feature's φ as the report has it, with its value and running total.
    for (const v of shap.values) assert.equal((await cells(page, '#s-shap', v.feature))[2], signed(v.phi), v.feature);
    const additivity = (await page.textContent('#shap-additivity')) ?? '';
    assert.match(additivity, new RegExp(`f\\(x\\) = ${fmt(shap.fx)} = E\\[f\\] ${fmt(shap.expectedValue)}`));
    assert.match(additivity, /additivity check \|Σφ − \(f\(x\) − E\[f\]\)\| = \d\.\de[-+]\d+/);
    const samples = (await page.textContent('#shap-samples')) ?? '';
    assert.match(samples, new RegExp(`${shap.coalitions.toLocaleString('en-US')} coalitions × ${shap.background.size} background rows`));
    assert.match((await page.textContent('#lime-stability')) ?? '', /Stability over 10 reruns/);
    assert.equal(await page.locator('#s-lime svg.rml-chart').count(), 1);
    assert.match((await page.textContent('#s-counterfactual')) ?? '', report.counterfactual!.found ? /smallest change that flips the decision|already reaches/ : /None found within the budget/);
    assert.match((await page.textContent('#s-pdp')) ?? '', new RegExp(`Partial dependence of .* on ${report.pdp!.feature}`));
    assert.match((await page.textContent('#s-importance')) ?? '', /mean ± sd over 5 repeats/);
    const top = report.importance!.features[0];
    assert.deepEqual(await cells(page, '#s-importance', top.feature), [top.feature, fmt(top.mean), fmt(top.sd)]);
    assert.ok(await page.locator('#s-slices vscode-data-grid-row').count() > 1);
    assert.match((await page.textContent('#explain-row-summary')) ?? '', new RegExp(`^Row ${row} \\(line ${row + 2}; test row 1 of ${session.rows.length}\\)`));
    const body = (await page.textContent('body')) ?? '';
    assert.ok(!/NaN|Infinity|undefined/.test(body), 'no NaN, Infinity or undefined shown');
    assert.equal(await page.locator('svg.rml-chart').count(), 4, 'waterfall, LIME, PDP, importance');
    assert.deepEqual(await cspViolations(page), []);
    assert.equal((await savedState(page) as { ui?: { row?: number } }).ui?.row, row);
    await page.close();
  });

  it('steps through misclassified rows, takes a typed row with Enter, asks for a PDP, ignores stale answers', async () => {
    const page = await open();
    await send(page, sessionMessage());
    const first = session.rows[0].row;
    await send(page, { type: 'explain/result', requestId: 0, report: explainRow(ctx, { row: first, seed: 0, lime: { runs: 2 } }), reused: [], ms: 900 });
    await page.waitForSelector('#s-shap');
    // Misclassified only, then Next: the first misclassified row after row 0 of the list.
    await page.click('#explain-filter');
    await page.click('#explain-filter vscode-option[value="misclassified"]');
    await page.click('vscode-button:has-text("Next ▶")');
    const wrong = filterRows(session.rows, 'misclassified');
    const want = wrong.find((r) => session.rows.indexOf(r) > 0)!;
    const m1 = await lastPosted(page, 'explainRow');
    assert.deepEqual({ ...m1, requestId: 0 }, { type: 'explainRow', requestId: 0, row: want.row, seed: session.seed });
    assert.ok(((await page.textContent('#explain-row-summary')) ?? '').endsWith(`✗ misclassified · ${wrong.indexOf(want) + 1} of ${wrong.length} misclassified`));
    assert.match((await page.textContent('.rml-busy')) ?? '', new RegExp(`Explaining row ${want.row}`));
    // A typed row, by keyboard, supersedes it: the answer to the first request is then ignored.
    const typed = session.rows[5].row;
    await page.fill('#explain-row', String(typed));
    await page.focus('#explain-row');
    await page.keyboard.press('Enter');
    const m2 = await lastPosted(page, 'explainRow');
    assert.equal(m2?.type === 'explainRow' && m2.row, typed);
    await send(page, { type: 'explain/result', requestId: (m1 as { requestId: number }).requestId, report: explainRow(ctx, { row: want.row, seed: 0, lime: { runs: 2 } }), reused: ['importance', 'slices'], ms: 400 });
    await send(page, { type: 'explain/status', requestId: (m1 as { requestId: number }).requestId, state: 'cancelled', message: 'replaced by a newer request' });
    const typedReport = explainRow(ctx, { row: typed, seed: 0, lime: { runs: 2 }, importance: false, slices: false });
    await send(page, { type: 'explain/result', requestId: (m2 as { requestId: number }).requestId, report: typedReport, reused: ['importance', 'slices'], ms: 400 });
    await page.waitForSelector(`#h-row:text-is("Row ${typed}")`);
    assert.match((await page.textContent('.rml-busy')) ?? '', /importance and slices reused from the first row/);
    assert.equal(await page.locator('#s-importance').count(), 1, 'the global sections stay');
    // A row outside the test split is refused in the view, without asking the host.
    const before = (await posted(page)).length;
    await page.fill('#explain-row', '100000');
    await page.click('vscode-button:has-text("Explain row")');
    assert.match((await page.textContent('.rml-busy')) ?? '', /Row 100000 is not in this run's test split/);
    assert.equal((await posted(page)).length, before);
    // The PDP dropdown asks for another feature's PDP for the shown row.
    await page.click('#explain-pdp-feature');
    await page.click('#explain-pdp-feature vscode-option[value="age"]');
    const pdpMsg = await lastPosted(page, 'explainPdp');
    assert.deepEqual({ ...pdpMsg, requestId: 0 }, { type: 'explainPdp', requestId: 0, row: typed, feature: 'age', seed: 0 }, 'the PDP uses the seed the shown row was explained with');
    const pdp = explainRow(ctx, { row: typed, seed: 0, importance: false, shap: false, lime: false, counterfactual: false, slices: false, pdp: { feature: 'age' } }).pdp!;
    await send(page, { type: 'explain/pdp', requestId: (pdpMsg as { requestId: number }).requestId, row: typed, pdp, ms: 30 });
    await page.waitForSelector('#s-pdp figcaption:has-text("on age")');
    // Another seed, typed with Enter, re-explains the row with it; a bad seed is refused in the view.
    await page.fill('#explain-row', String(typed));
    await page.fill('#explain-seed', '7');
    await page.focus('#explain-seed');
    await page.keyboard.press('Enter');
    const seeded = await lastPosted(page, 'explainRow');
    assert.deepEqual({ ...seeded, requestId: 0 }, { type: 'explainRow', requestId: 0, row: typed, seed: 7 });
    const count = (await posted(page)).length;
    await page.fill('#explain-seed', '-1');
    await page.click('vscode-button:has-text("Explain row")');
    assert.match((await page.textContent('.rml-busy')) ?? '', /Type a seed/);
    assert.equal((await posted(page)).length, count, 'nothing sent for a bad seed');
    await page.fill('#explain-seed', '0');
    // A cancelled request is stated.
    await page.click('vscode-button:has-text("◀ Previous")');
    const m3 = await lastPosted(page, 'explainRow');
    await send(page, { type: 'explain/status', requestId: (m3 as { requestId: number }).requestId, state: 'cancelled', message: 'cancelled' });
    await page.waitForSelector('.rml-busy:has-text("Cancelled")');
    assert.deepEqual(await cspViolations(page), []);
    await page.close();
  });
});
