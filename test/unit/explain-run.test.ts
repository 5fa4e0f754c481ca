/**
 * Explanations of real runs (trained in-test with runConfigFile on the German credit fixture and
 * on synthetic data written to a temporary folder), and the `rml explain` command: --json keys,
 * the readable report, masking of personal data, and exit codes.
 */
import { strict as assert } from 'node:assert';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runConfigFile } from '../../src/core/engine';
import { rml } from './cli-harness';
import { explainRow, loadExplainContext, sampleBackground, type ExplainContext, type ExplainReport } from '../../src/core/explain';
import { loadRun } from '../../src/core/report/load';
import { transform } from '../../src/core/pipeline/preprocess';
import { loadBackend } from '../../src/core/model/backend';
import { predict } from '../../src/core/model/train';
import { Rng } from '../../src/core/util/random';

const GERMAN = join(__dirname, '..', 'fixtures', 'german');


/** German credit config with extra YAML lines appended (e.g. a feature list). */
function germanConfig(ws: string, name: string, extra: string): string {
  const base = readFileSync(join(GERMAN, 'german.rml.yaml'), 'utf8').replace('name: german-credit', `name: ${name}`);
  const file = join(ws, `${name}.rml.yaml`);
  writeFileSync(file, base.replace(/^data:\n/m, `data:\n${extra}`));
  return file;
}

function withoutTimings(r: ExplainReport): Omit<ExplainReport, 'timings'> {
  const { timings: _t, ...rest } = r;
  return rest;
}

describe('explain: German credit runs', function () {
  let ws: string;
  let ctx: ExplainContext;
  let runDir: string;
  before(async () => {
    ws = mkdtempSync(join(tmpdir(), 'rml-explain-'));
    cpSync(GERMAN, ws, { recursive: true });
    runDir = (await runConfigFile(join(ws, 'german.rml.yaml'), { root: ws })).dir;
    ctx = await loadExplainContext(runDir);
  });
  after(() => rmSync(ws, { recursive: true, force: true }));

  it('predicts the test rows as the saved tfjs model does, with the recorded decisions', async () => {
    const run = await loadRun(runDir);
    const b = await loadBackend('auto');
    const rows = Array.from(ctx.testRows);
    const p = predict(b.tf, run.weights!, transform(run.preprocessor, ctx.dataset, rows), rows.length);
    const mine = ctx.model.predict({ n: rows.length, cols: ctx.table.cols.map((c) => Float64Array.from(rows, (r) => c[r])) }, { space: 'probability', unit: 0 });
    rows.forEach((_, i) => {
      assert.ok(Math.abs(p[i] - mine[i]) < 1e-5);
      if (Math.abs(mine[i] - 0.5) > 1e-5) assert.equal(ctx.record.classes[mine[i] >= 0.5 ? 1 : 0], ctx.recorded.yPred[i]);
    });
    assert.equal(ctx.testRows.length, ctx.record.data.test);
    assert.equal(ctx.referenceRows.length, ctx.record.data.train + ctx.record.data.validation);
  });

  it('explains a row: every section, reproducibly, with the baseline accuracy of the run', () => {
    const row = ctx.testRows[5];
    const a = explainRow(ctx, { row, lime: { runs: 3, samples: 1000 } });
    const b = explainRow(ctx, { row, lime: { runs: 3, samples: 1000 } });
    assert.deepEqual(withoutTimings(a), withoutTimings(b));
    assert.equal(a.row.index, row);
    assert.equal(a.row.split, 'test');
    assert.equal(a.row.values.length, 19);
    // Permutation importance scores the run's own test metric.
    assert.equal(a.importance!.metric, 'accuracy');
    assert.equal(a.importance!.baseline, ctx.record.metrics!.accuracy);
    assert.equal(a.importance!.features.length, 19);
    // Kernel SHAP on 19 features: sampled with shap's default budget, efficiency exact.
    const s = a.shap!;
    assert.equal(s.exact, false);
    assert.equal(s.coalitions, 2 * 19 + 2048);
    assert.equal(s.background.size, 100);
    assert.equal(s.evaluations, 2086 * 100 + 101);
    assert.ok(s.additivityError < 1e-12);
    assert.ok(Math.abs(s.fx - a.row.prediction) < 1e-15);
    // The PDP is of the most important feature by default; slices respect the minimum size.
    assert.equal(a.pdp!.feature, a.importance!.features[0].feature);
    assert.ok(a.slices!.slices.every((x) => x.size >= 30));
    assert.ok(a.counterfactual!.found);
    assert.notEqual(a.counterfactual!.best!.decision, a.row.decision);
    // The seed matters.
    assert.notDeepEqual(explainRow(ctx, { row, seed: 1, lime: false, counterfactual: false, pdp: false, slices: false }).shap!.values, s.values);
  });

  it('PDP of the logistic model is linear in margin space, with slope w/scale', async () => {
    const r = explainRow(ctx, { space: 'margin', importance: false, shap: false, lime: false, counterfactual: false, slices: false, pdp: { feature: 'month' } });
    const pd = r.pdp!;
    const run = await loadRun(runDir);
    const step = run.preprocessor.steps.find((s) => s.column === 'month')!;
    const col = run.preprocessor.featureNames.indexOf('month');
    assert.equal(step.kind, 'numeric');
    const slope = run.weights!.tensors[0].values[col] / (step.kind === 'numeric' ? step.scale : 1);
    const g = pd.grid.map((v) => v.value as number);
    for (let k = 1; k < g.length; k++) assert.ok(Math.abs((pd.average[k] - pd.average[k - 1]) / (g[k] - g[k - 1]) - slope) < 1e-9);
  });
});

describe('explain: exact linear SHAP on a trained logistic model', function () {
  let ws: string;
  after(() => rmSync(ws, { recursive: true, force: true }));

  it('Kernel SHAP (exact enumeration, margin space) equals φ_j = Σ w_k (x_k − E_bg[x_k]) to 1e-6', async () => {
    ws = mkdtempSync(join(tmpdir(), 'rml-explain-lin-'));
    cpSync(GERMAN, ws, { recursive: true });
    const file = germanConfig(ws, 'german-8', '  features: [status, month, credit_history, purpose, credit_amount, savings, age, housing]\n');
    const dir = (await runConfigFile(file, { root: ws })).dir;
    const ctx = await loadExplainContext(dir);
    const row = ctx.testRows[3];
    const r = explainRow(ctx, { row, space: 'margin', shap: { background: 50 }, importance: false, lime: false, counterfactual: false, pdp: false, slices: false });
    const s = r.shap!;
    assert.equal(s.exact, true);
    assert.equal(s.coalitions, 2 ** 8 - 2);
    assert.ok(s.linearCheck!.maxAbsDifference < 1e-6, `linear check ${s.linearCheck!.maxAbsDifference}`);
    // Independently, from the pipeline's own transform() (float32) and the saved kernel.
    const run = await loadRun(dir);
    const bg = sampleBackground(ctx.table, ctx.referenceRows, 50, 0);
    const xEnc = transform(run.preprocessor, ctx.dataset, [row]);
    const bEnc = transform(run.preprocessor, ctx.dataset, bg.rows);
    const w = run.weights!.tensors[0].values;
    const names = run.preprocessor.featureNames;
    for (const v of s.values) {
      let phi = 0;
      names.forEach((n, k) => {
        if (n !== v.feature && !n.startsWith(`${v.feature}=`)) return;
        let mean = 0;
        for (let b = 0; b < bg.rows.length; b++) mean += bEnc[b * names.length + k] / bg.rows.length;
        phi += w[k] * (xEnc[k] - mean);
      });
      assert.ok(Math.abs(phi - v.phi) < 1e-5, `${v.feature}: ${phi} vs ${v.phi}`);
    }
    assert.ok(Math.abs(s.sum - (s.fx - s.expectedValue)) < 1e-12);
  });
});

describe('explain: planted signal, immutable columns, masking, other tasks', function () {
  let ws: string;
  before(() => {
    ws = mkdtempSync(join(tmpdir(), 'rml-explain-syn-'));
    cpSync(GERMAN, ws, { recursive: true });
  });
  after(() => rmSync(ws, { recursive: true, force: true }));

  /** Write a CSV of n rows: each column a function of the row's seeded draws. */
  function writeCsv(name: string, n: number, cols: Record<string, (rng: Rng, i: number, row: Record<string, string>) => string>): void {
    const rng = new Rng(99);
    const names = Object.keys(cols);
    const lines = [names.join(',')];
    for (let i = 0; i < n; i++) {
      const row: Record<string, string> = {};
      for (const c of names) row[c] = cols[c](rng, i, row);
      lines.push(names.map((c) => row[c]).join(','));
    }
    writeFileSync(join(ws, name), lines.join('\n') + '\n');
  }

  it('permutation importance ranks the one informative column first on synthetic data', async () => {
    const colours = ['red', 'green', 'blue', 'grey'];
    writeCsv('planted.csv', 1200, {
      signal: (r) => (r.normal() * 2).toFixed(3),
      noise1: (r) => r.normal().toFixed(3),
      noise2: (r) => String(r.int(50)),
      colour: (r) => colours[r.int(4)],
      y: (r, _i, row) => (Number(row.signal) + 0.3 * r.normal() > 0 ? 'yes' : 'no'),
    });
    writeFileSync(join(ws, 'planted.rml.yaml'), 'name: planted\ndata:\n  path: planted.csv\n  target: y\n  positive: "yes"\nsplit:\n  seed: 3\ntrain:\n  epochs: 40\n  seed: 3\n');
    const dir = (await runConfigFile(join(ws, 'planted.rml.yaml'), { root: ws })).dir;
    const ctx = await loadExplainContext(dir);
    for (const metric of ['accuracy', 'rocAuc'] as const) {
      const r = explainRow(ctx, { importance: { metric, repeats: 5 }, shap: false, lime: false, counterfactual: false, pdp: false, slices: false });
      const imp = r.importance!;
      assert.equal(imp.features[0].feature, 'signal');
      assert.ok(imp.features[0].mean > 0.2, `${metric}: signal drop ${imp.features[0].mean}`);
      for (const f of imp.features.slice(1)) assert.ok(Math.abs(f.mean) < 0.02, `${metric}: ${f.feature} drop ${f.mean}`);
    }
  });

  it('counterfactuals flip the decision and never change sensitive or user-immutable columns', async () => {
    const file = germanConfig(ws, 'german-sex', '  features: [status, month, credit_history, credit_amount, savings, employment, age, sex, housing]\n');
    const dir = (await runConfigFile(file, { root: ws })).dir;
    const ctx = await loadExplainContext(dir, { sensitive: ['sex', 'age_group'] });
    let found = 0;
    for (const row of Array.from(ctx.testRows.slice(0, 12))) {
      const r = explainRow(ctx, { row, counterfactual: { immutable: ['age'] }, importance: false, shap: false, lime: false, pdp: false, slices: false });
      const cf = r.counterfactual!;
      assert.deepEqual(cf.immutable, ['sex', 'age']);
      assert.ok(r.run.features.find((f) => f.name === 'sex')!.immutable);
      if (!cf.found) continue;
      found++;
      const changes = [cf.best!, ...cf.alternatives].flatMap((c) => c.changes);
      assert.ok(changes.every((c) => c.feature !== 'sex' && c.feature !== 'age'));
      // Apply the best changes to the row and predict again.
      const x = ctx.table.cols.map((c) => c[row]);
      for (const ch of cf.best!.changes) {
        const j = ctx.features.findIndex((f) => f.name === ch.feature);
        x[j] = ctx.features[j].kind === 'categorical' ? ctx.features[j].levels.indexOf(ch.to.value as string) : (ch.to.value as number);
      }
      const p = ctx.model.predict({ n: 1, cols: x.map((v) => Float64Array.of(v)) }, { space: 'probability', unit: 0 })[0];
      assert.notEqual(ctx.record.classes[p >= ctx.record.threshold ? 1 : 0], r.row.decision);
    }
    assert.ok(found >= 8, `counterfactuals for ${found} of 12 rows`);
  });

  it('rml explain masks a feature that holds personal data (never prints its values)', async () => {
    const given = ['james', 'mary', 'robert', 'patricia', 'john', 'jennifer', 'michael', 'linda'];
    writeCsv('people.csv', 300, {
      email: (r, i) => `${given[r.int(8)]}.${i}@example.com`,
      income: (r) => String(20000 + r.int(60000)),
      hours: (r) => String(20 + r.int(40)),
      approved: (_r, _i, row) => (Number(row.income) > 50000 ? 'yes' : 'no'),
    });
    writeFileSync(join(ws, 'people.rml.yaml'), 'name: people\ndata:\n  path: people.csv\n  target: approved\n  positive: "yes"\nsplit:\n  seed: 1\ntrain:\n  epochs: 5\n  seed: 1\n');
    assert.equal((await rml(['train', 'people.rml.yaml', '--quiet'], ws)).code, 0);
    const csv = readFileSync(join(ws, 'people.csv'), 'utf8').trim().split('\n').slice(1);
    const emails = csv.map((l) => l.split(',')[0]);
    for (const args of [['--json'], []]) {
      const r = await rml(['explain', 'people.rml.yaml', '--row', '7', '--lime-runs', '2', '--repeats', '1', '--feature', 'email', ...args], ws);
      assert.equal(r.code, 0, r.err);
      for (const e of emails) assert.ok(!r.out.includes(e), `printed ${e}`);
      assert.match(r.out, /email (looks like personal data|=)/);
      if (args.length) {
        const j = JSON.parse(r.out) as ExplainReport;
        assert.equal(j.run.features.find((f) => f.name === 'email')!.pii, 'email');
        const v = j.row.values.find((x) => x.feature === 'email')!.value;
        assert.equal(v.value, null);
        assert.match(v.text, /^\w\*\*\*@e\*\*\*\.com$/);
      }
    }
  });

  it('explains multiclass (the predicted class by default) and regression runs', async () => {
    writeCsv('three.csv', 600, {
      a: (r) => r.normal().toFixed(3),
      b: (r) => r.normal().toFixed(3),
      kind: (r) => ['x', 'y'][r.int(2)],
      label: (_r, _i, row) => (Number(row.a) > 0.5 ? 'high' : Number(row.a) < -0.5 ? 'low' : 'mid'),
      price: (r, _i, row) => (3 * Number(row.a) - Number(row.b) + (row.kind === 'x' ? 2 : 0) + 0.1 * r.normal()).toFixed(3),
    });
    writeFileSync(join(ws, 'three.rml.yaml'), 'name: three\ndata:\n  path: three.csv\n  target: label\n  ignore: [price]\nsplit:\n  seed: 2\ntrain:\n  epochs: 30\n  seed: 2\n');
    writeFileSync(join(ws, 'price.rml.yaml'), 'name: price\ndata:\n  path: three.csv\n  target: price\n  ignore: [label]\nmodel:\n  type: linear\nsplit:\n  seed: 2\ntrain:\n  epochs: 60\n  seed: 2\n');
    assert.equal((await rml(['train', 'three.rml.yaml', '--quiet'], ws)).code, 0);
    assert.equal((await rml(['train', 'price.rml.yaml', '--quiet'], ws)).code, 0);
    const mc = await rml(['explain', 'three.rml.yaml', '--json', '--lime-runs', '2'], ws);
    assert.equal(mc.code, 0, mc.err);
    const m = JSON.parse(mc.out) as ExplainReport;
    assert.equal(m.run.task, 'multiclass');
    assert.equal(m.output.label, m.row.decision);
    assert.ok(m.shap!.additivityError < 1e-12);
    assert.notEqual(m.counterfactual!.best?.decision, m.row.decision);
    const other = m.run.classes.find((c) => c !== m.row.decision)!;
    const mc2 = JSON.parse((await rml(['explain', 'three.rml.yaml', '--json', '--class', other, '--space', 'margin', '--lime-runs', '1'], ws)).out) as ExplainReport;
    assert.equal(mc2.output.label, other);
    assert.ok(mc2.shap!.linearCheck!.maxAbsDifference < 1e-6);
    const rg = await rml(['explain', 'price.rml.yaml', '--json', '--lime-runs', '2', '--target', '100'], ws);
    assert.equal(rg.code, 0, rg.err);
    const g = JSON.parse(rg.out) as ExplainReport;
    assert.equal(g.run.task, 'regression');
    assert.equal(g.importance!.metric, 'r2');
    assert.equal(g.slices!.metric, 'meanAbsoluteError');
    assert.ok(g.shap!.linearCheck!.maxAbsDifference < 1e-6);
    assert.match(g.counterfactual!.goal, /prediction ≥ 100/);
  });
});

describe('rml explain (CLI)', function () {
  let ws: string;
  before(async () => {
    ws = mkdtempSync(join(tmpdir(), 'rml-explain-cli-'));
    cpSync(GERMAN, ws, { recursive: true });
    assert.equal((await rml(['train', 'german.rml.yaml', '--quiet'], ws)).code, 0);
  });
  after(() => rmSync(ws, { recursive: true, force: true }));

  it('--json prints one document with every section', async () => {
    const r = await rml(['explain', 'german.rml.yaml', '--json', '--row', '12', '--repeats', '2', '--background', '40', '--seed', '3', '--feature', 'age', '--lime-runs', '3'], ws);
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out) as ExplainReport;
    assert.deepEqual(Object.keys(j), ['schemaVersion', 'run', 'output', 'row', 'importance', 'shap', 'lime', 'counterfactual', 'pdp', 'slices', 'warnings', 'timings']);
    assert.equal(j.row.index, 12);
    assert.equal(j.importance!.repeats, 2);
    assert.equal(j.importance!.seed, 3);
    assert.equal(j.shap!.background.size, 40);
    assert.equal(j.shap!.seed, 3);
    assert.equal(j.lime!.stability!.runs, 3);
    assert.equal(j.pdp!.feature, 'age');
    assert.equal(j.run.task, 'binary');
    assert.equal(j.run.model, 'logistic');
    for (const k of ['importanceMs', 'shapMs', 'limeMs', 'counterfactualMs', 'pdpMs', 'slicesMs', 'totalMs'] as const) assert.equal(typeof j.timings[k], 'number');
    // Serialisable: no NaN or Infinity slipped in.
    assert.ok(!/NaN|Infinity/.test(r.out));
  });

  it('prints a readable report: importance bars, SHAP waterfall, LIME stability, counterfactual, PDP, slices', async () => {
    const r = await rml(['explain', 'german.rml.yaml', '--row', '3', '--lime-runs', '2', '--repeats', '2'], ws);
    assert.equal(r.code, 0, r.err);
    for (const s of ['Permutation importance', 'Kernel SHAP', 'E[f] =', 'additivity', 'LIME', 'in top 5', 'Counterfactual', 'Partial dependence', 'Weakest slices']) assert.ok(r.out.includes(s), `missing "${s}"`);
    assert.match(r.out, /2086 coalitions × 100 background rows/);
  });

  it('explains a run folder given directly or with --run', async () => {
    const runs = join(ws, '.rml', 'runs');
    const dir = join(runs, (await import('node:fs')).readdirSync(runs).filter((n) => !n.startsWith('.'))[0]);
    const a = await rml(['explain', dir, '--json', '--lime-runs', '1', '--repeats', '1'], ws);
    assert.equal(a.code, 0, a.err);
    const b = await rml(['explain', '--run', dir, '--json', '--lime-runs', '1', '--repeats', '1'], ws);
    assert.equal(b.code, 0, b.err);
    assert.deepEqual(withoutTimings(JSON.parse(a.out)), withoutTimings(JSON.parse(b.out)));
  });

  it('exits 2 with a clear message on bad input', async () => {
    const cases: [string[], RegExp][] = [
      [['explain', 'german.rml.yaml', '--row', '1000'], /row 1000 is out of range: the data has 1000 rows/],
      [['explain', 'german.rml.yaml', '--row=-1'], /--row must be an integer ≥ 0 \(got '-1'\)/],
      [['explain', 'german.rml.yaml', '--row', '2.5'], /--row must be an integer ≥ 0 \(got '2.5'\)/],
      [['explain', 'german.rml.yaml', '--feature', 'nope'], /unknown feature 'nope'; the model's features are: status, month/],
      [['explain', 'german.rml.yaml', '--immutable', 'nope'], /unknown immutable 'nope'/],
      [['explain', 'german.rml.yaml', '--space', 'odds'], /--space must be probability or margin/],
      [['explain', 'german.rml.yaml', '--metric', 'f1'], /--metric must be one of/],
      [['explain', 'german.csv'], /is not a training config/],
      [['explain', 'missing.rml.yaml'], /no such config file or run folder/],
      [['explain'], /explain needs a config file or a run folder/],
      [['explain', 'german.rml.yaml', '--bogus'], /Unknown option '--bogus'/],
    ];
    for (const [args, re] of cases) {
      const r = await rml(args, ws);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
      assert.match(r.err, re, args.join(' '));
    }
  });

  it('exits 2 for a config without runs and for a run without a model', async () => {
    const other = join(ws, 'other');
    mkdirSync(other);
    cpSync(join(ws, 'german.csv'), join(other, 'german.csv'));
    cpSync(join(ws, 'german.rml.yaml'), join(other, 'german.rml.yaml'));
    const none = await rml(['explain', 'other/german.rml.yaml'], ws);
    assert.equal(none.code, 2);
    assert.match(none.err, /no run of other\/german\.rml\.yaml .*train it first/);
    // A cancelled run: run.json with status cancelled and no model folder.
    const runs = join(ws, '.rml', 'runs');
    const src = join(runs, (await import('node:fs')).readdirSync(runs).filter((n) => !n.startsWith('.'))[0]);
    const dst = join(runs, '9999-cancelled');
    cpSync(src, dst, { recursive: true });
    rmSync(join(dst, 'model'), { recursive: true, force: true });
    const rec = JSON.parse(readFileSync(join(dst, 'run.json'), 'utf8'));
    writeFileSync(join(dst, 'run.json'), JSON.stringify({ ...rec, status: 'cancelled' }));
    const r = await rml(['explain', 'german.rml.yaml'], ws);
    assert.equal(r.code, 2);
    assert.match(r.err, /has no saved model \(status: cancelled\)/);
    rmSync(dst, { recursive: true, force: true });
  });
});
