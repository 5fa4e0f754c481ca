/**
 * The editor's explain worker (src/extension/explain-worker.ts, bundled as the build does)
 * through its host-side client, on runs trained in-test: the session it opens, reports equal to
 * the in-process explainRow (the CLI's code) for the first and a later row, the global sections
 * reused between rows, the PDP of a chosen feature, cancellation, bad input, personal data never
 * leaving masked; then the Explain view's pure parts (row navigation, waterfall, charts,
 * formatting) and its messages.
 */
import { strict as assert } from 'node:assert';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runConfigFile } from '../../src/core/engine';
import { explainRow, openExplainContext, type ExplainContext, type ExplainReport } from '../../src/core/explain';
import { allFinite, filterRows, fmt, importanceChart, limeChart, pdpChart, signed, stepRow, waterfallChart, waterfallSteps } from '../../src/core/explain/view-model';
import { svgToString } from '../../src/core/report/svg';
import { ExplainClient, ExplainError } from '../../src/extension/explain/client';
import { sessionOf } from '../../src/extension/explain/session';
import { isHostMessage, isPersistedState, isWebviewMessage, type ExplainRowInfo } from '../../src/protocol/messages';
import { workerBundle } from './extension-bundles';

const GERMAN = join(__dirname, '..', 'fixtures', 'german');

function withoutTimings(r: ExplainReport): Omit<ExplainReport, 'timings'> {
  const { timings: _t, ...rest } = r;
  return rest;
}

describe('extension: explain worker client', function () {
  this.timeout(120_000);
  let ws: string;
  let runDir: string;
  let config: string;
  let ctx: ExplainContext;
  let client: ExplainClient;
  const logged: string[] = [];

  before(async () => {
    const workerFile = await workerBundle('explain');
    ws = mkdtempSync(join(tmpdir(), 'rml-explain-worker-'));
    cpSync(GERMAN, ws, { recursive: true });
    config = join(ws, 'german.rml.yaml');
    runDir = (await runConfigFile(config, { root: ws })).dir;
    ctx = await openExplainContext(runDir);
    client = new ExplainClient(workerFile, (level, m) => logged.push(`${level}: ${m}`));
  });
  after(() => {
    client.dispose();
    rmSync(ws, { recursive: true, force: true });
  });

  it('opens a run: its test rows with recorded labels and decisions, its features, sensitive ones immutable', async () => {
    const s = await client.open(runDir, config, ws);
    assert.deepEqual({ ...s, loadMs: 0 }, { ...sessionOf(ctx, 0, 0), loadMs: 0 });
    assert.equal(s.rows.length, ctx.record.data.test);
    assert.ok(s.rows.every((r, i) => r.row === ctx.testRows[i] && r.line === r.row + 2));
    assert.ok(s.rows.some((r) => r.actual !== r.predicted), 'some test rows are misclassified');
    assert.ok(s.features.every((f) => f.immutable === ctx.sensitive.includes(f.name)), 'the sensitive columns are immutable');
    assert.ok(ctx.sensitive.includes('sex'));
    assert.ok(s.loadMs >= 0);
  });

  it('explains a row as explainRow does in-process, then reuses importance and slices for the next row', async () => {
    const [a, b] = [ctx.testRows[3], ctx.testRows[10]];
    const first = await client.explain(runDir, a, 0);
    assert.deepEqual(first.reused, []);
    assert.deepEqual(withoutTimings(first.report), withoutTimings(explainRow(ctx, { row: a, seed: 0 })));
    assert.equal(allFinite(first.report), undefined, 'no NaN or Infinity in the report');
    const pdpFeature = first.report.importance!.features[0].feature;
    assert.equal(first.report.pdp!.feature, pdpFeature, 'the PDP defaults to the most important feature, as the CLI');

    const second = await client.explain(runDir, b, 0);
    assert.deepEqual(second.reused, ['importance', 'slices']);
    assert.equal(second.report.timings.importanceMs, 0, 'importance was not recomputed');
    assert.deepEqual(withoutTimings(second.report), withoutTimings(explainRow(ctx, { row: b, seed: 0, pdp: { feature: pdpFeature } })));
    const shap = second.report.shap!;
    assert.ok(shap.additivityError < 1e-9);
    assert.ok(Math.abs(shap.expectedValue + shap.sum - shap.fx) < 1e-9);
  });

  it('computes the PDP of a chosen feature with the row\'s curve', async () => {
    const row = ctx.testRows[10];
    const { pdp } = await client.pdp(runDir, row, 0, 'age');
    assert.deepEqual(pdp, explainRow(ctx, { row, seed: 0, importance: false, shap: false, lime: false, counterfactual: false, slices: false, pdp: { feature: 'age' } }).pdp);
    assert.equal(pdp.rowCurve?.length, pdp.grid.length);
  });

  it('cancels by stopping the worker; the next request starts a fresh one', async () => {
    const abort = new AbortController();
    const p = client.explain(runDir, ctx.testRows[20], 0, undefined, abort.signal);
    abort.abort();
    await assert.rejects(p, (e: unknown) => e instanceof ExplainError && e.kind === 'cancelled');
    await assert.rejects(client.explain(runDir, 0, 0, undefined, abort.signal), (e: unknown) => e instanceof ExplainError && e.kind === 'cancelled', 'an aborted signal rejects at once');
    const again = await client.explain(runDir, ctx.testRows[20], 0);
    assert.deepEqual(again.reused, [], 'the fresh worker reloaded the run');
    assert.ok(again.report.shap);
  });

  it('cancelling one request (one panel\'s) leaves another in flight to finish on a fresh worker', async () => {
    const abort = new AbortController();
    const mine = client.explain(runDir, ctx.testRows[5], 0, undefined, abort.signal);
    const theirs = client.explain(runDir, ctx.testRows[6], 0);
    abort.abort();
    await assert.rejects(mine, (e: unknown) => e instanceof ExplainError && e.kind === 'cancelled');
    const r = await theirs;
    assert.deepEqual(r.reused, [], 'answered by a fresh worker, which reopened the run');
    assert.deepEqual(withoutTimings(r.report), withoutTimings(explainRow(ctx, { row: ctx.testRows[6], seed: 0 })));
  });

  it('reports bad input as input errors with the reason', async () => {
    await assert.rejects(client.explain(runDir, 99_999, 0), (e: unknown) => e instanceof ExplainError && e.kind === 'input' && /row 99999 is out of range/.test(e.message));
    await assert.rejects(client.pdp(runDir, ctx.testRows[0], 0, 'no_such_column'), (e: unknown) => e instanceof ExplainError && e.kind === 'input' && /unknown feature 'no_such_column'/.test(e.message));
    await assert.rejects(client.open(join(ws, 'nowhere')), (e: unknown) => e instanceof ExplainError && e.kind === 'input');
    assert.deepEqual(logged.filter((l) => l.startsWith('error')), []);
  });

  it('never sends the values of a column that holds personal data', async () => {
    const given = ['james', 'mary', 'robert', 'patricia', 'john', 'jennifer', 'michael', 'linda'];
    const lines = ['email,income,hours,approved'];
    for (let i = 0; i < 300; i++) {
      const income = 20000 + ((i * 7919) % 60000);
      lines.push(`${given[i % 8]}.${i}@example.com,${income},${20 + ((i * 31) % 40)},${income > 50000 ? 'yes' : 'no'}`);
    }
    writeFileSync(join(ws, 'people.csv'), lines.join('\n') + '\n');
    writeFileSync(join(ws, 'people.rml.yaml'), 'name: people\ndata:\n  path: people.csv\n  target: approved\n  positive: "yes"\nsplit:\n  seed: 3\ntrain:\n  epochs: 5\n  seed: 3\n');
    const dir = (await runConfigFile(join(ws, 'people.rml.yaml'), { root: ws })).dir;
    const s = await client.open(dir, join(ws, 'people.rml.yaml'), ws);
    assert.equal(s.features.find((f) => f.name === 'email')?.pii, 'email');
    const r = await client.explain(dir, s.rows[0].row, 0, 'email');
    const text = JSON.stringify({ s, r });
    for (let i = 0; i < 300; i++) assert.ok(!text.includes(`${given[i % 8]}.${i}@`), `row ${i}'s address`);
  });
});

describe('explain view model', () => {
  const rows: ExplainRowInfo[] = [
    { row: 5, line: 7, actual: 'a', predicted: 'a' },
    { row: 2, line: 4, actual: 'a', predicted: 'b' },
    { row: 9, line: 11, actual: 'b', predicted: 'b' },
    { row: 1, line: 3, actual: 'b', predicted: 'a' },
  ];

  it('filters and steps through rows in predictions.csv order, wrapping around', () => {
    assert.deepEqual(filterRows(rows, 'misclassified').map((r) => r.row), [2, 1]);
    assert.deepEqual(filterRows(rows, 'correct').map((r) => r.row), [5, 9]);
    assert.equal(stepRow(rows, 'all', 5, 1)?.row, 2);
    assert.equal(stepRow(rows, 'all', 5, -1)?.row, 1);
    assert.equal(stepRow(rows, 'misclassified', 2, 1)?.row, 1);
    assert.equal(stepRow(rows, 'misclassified', 1, 1)?.row, 2, 'wraps');
    assert.equal(stepRow(rows, 'misclassified', 9, 1)?.row, 1, 'from a row outside the filter: the next one after it');
    assert.equal(stepRow(rows, 'misclassified', 9, -1)?.row, 2);
    assert.equal(stepRow(rows, 'misclassified', undefined, 1)?.row, 2);
    assert.equal(stepRow(rows.slice(0, 1), 'misclassified', 5, 1), undefined);
  });

  it('formats numbers without ever printing NaN', () => {
    assert.equal(fmt(NaN), '—');
    assert.equal(fmt(Infinity), '—');
    assert.equal(fmt(null), '—');
    assert.equal(fmt(-0.00001, 4), '−1.0e-5');
    assert.equal(fmt(-0.12345), '−0.1235');
    assert.equal(signed(0.5, 2), '+0.50');
    assert.equal(signed(-0.5, 2), '−0.50');
    assert.equal(allFinite({ a: [1, { b: NaN }] }), '$.a[1].b');
  });

  it('builds the waterfall from E[f] to f(x) and charts that state their numbers', async () => {
    const ws = mkdtempSync(join(tmpdir(), 'rml-explain-vm-'));
    try {
      cpSync(GERMAN, ws, { recursive: true });
      const dir = (await runConfigFile(join(ws, 'german.rml.yaml'), { root: ws })).dir;
      const ctx = await openExplainContext(dir);
      const r = explainRow(ctx, { row: ctx.testRows[0], seed: 0, lime: { runs: 3 } });
      const shap = r.shap!;
      const steps = waterfallSteps(shap, 5);
      assert.equal(steps.length, 6, 'five features and the rest');
      assert.equal(steps[5].features, shap.values.length - 5);
      assert.equal(steps[0].start, shap.expectedValue);
      assert.ok(Math.abs(steps[steps.length - 1].end - shap.fx) < 1e-9, 'ends at f(x)');
      for (let i = 1; i < steps.length; i++) assert.equal(steps[i].start, steps[i - 1].end);
      for (const chart of [waterfallChart(shap), importanceChart(r.importance!), limeChart(r.lime!), pdpChart(r.pdp!)]) {
        const text = svgToString(chart);
        assert.ok(!/NaN|Infinity/.test(text), text.slice(0, 200));
        assert.match(text, /<title>[^<]+<\/title><desc>[^<]+<\/desc>/);
        assert.ok(!/fill="#|stroke="#/.test(text), 'colours come from the theme classes');
      }
      assert.match(svgToString(importanceChart(r.importance!)), /mean ± sd over 5 repeats/);
      assert.match(svgToString(waterfallChart(shap)), new RegExp(`E\\[f\\] = ${fmt(shap.expectedValue).replace('.', '\\.')}`));
    } finally {
      rmSync(ws, { recursive: true, force: true });
    }
  });

  it('accepts well-formed Explain messages and rejects malformed ones', () => {
    assert.ok(isWebviewMessage({ type: 'explainRow', requestId: 3, row: 7 }));
    assert.ok(!isWebviewMessage({ type: 'explainRow', requestId: 3, row: -1 }));
    assert.ok(!isWebviewMessage({ type: 'explainRow', requestId: 3, row: 1.5 }));
    assert.ok(isWebviewMessage({ type: 'explainRow', requestId: 3, row: 7, seed: 42 }));
    assert.ok(!isWebviewMessage({ type: 'explainRow', requestId: 3, row: 7, seed: -1 }), 'a negative seed');
    assert.ok(!isWebviewMessage({ type: 'explainPdp', requestId: 3, row: 7, feature: 'age', seed: 2 ** 32 }), 'a seed beyond 32 bits');
    assert.ok(isWebviewMessage({ type: 'explainPdp', requestId: 1, row: 7, feature: 'age' }));
    assert.ok(!isWebviewMessage({ type: 'explainPdp', requestId: 1, row: 7, feature: '' }));
    const session = { runDir: '/r', name: 'n', task: 'binary', model: 'logistic', target: 'y', classes: ['0', '1'], threshold: 0.5, features: [], rows: [{ row: 1, line: 3, actual: '1', predicted: '0' }], referenceRows: 10, seed: 0, warnings: [], loadMs: 5 };
    assert.ok(isHostMessage({ type: 'explain', dir: '/r', configFile: '/c.rml.yaml', session }));
    assert.ok(!isHostMessage({ type: 'explain', dir: '/r', configFile: '/c.rml.yaml', session: { ...session, rows: [{ row: 'x' }] } }));
    assert.ok(isHostMessage({ type: 'explain/status', requestId: 0, state: 'cancelled', message: 'cancelled' }));
    assert.ok(!isHostMessage({ type: 'explain/status', requestId: 0, state: 'done', message: '' }));
    assert.ok(isPersistedState({ view: 'explain', content: { type: 'explain', dir: '/r', configFile: '/c.rml.yaml', session }, ui: { row: 1 } }));
  });
});
