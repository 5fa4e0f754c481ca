/**
 * Fairness in every training run (src/core/engine.ts), end to end through `rml train` on the
 * German credit fixture: the audit of the test split in run.json and --json, the gate (exit 3, run
 * still recorded), the threshold sweep, and each mitigation with its before/after.
 */
import { strict as assert } from 'node:assert';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rml } from './cli-harness';
import type { ColumnAudit, MulticlassAudit, RegressionAudit } from '../../src/core/fairness';
import type { RunRecord } from '../../src/core/report/types';

const FIXTURE = join(__dirname, '..', 'fixtures', 'german');



const BASE = readFileSync(join(FIXTURE, 'german.rml.yaml'), 'utf8');

interface TrainJson {
  run: string;
  metrics: Record<string, number | null>;
  fairness: Record<string, ColumnAudit> | null;
  gate: RunRecord['gate'] | null;
  mitigation: RunRecord['mitigation'] | null;
}

/** predictions.csv as columns (no quoted fields in it). */
function readPredictions(run: string): Record<string, string[]> {
  const lines = readFileSync(join(run, 'predictions.csv'), 'utf8').trim().split('\n');
  const header = lines[0].split(',');
  const cols: Record<string, string[]> = Object.fromEntries(header.map((h) => [h, [] as string[]]));
  for (const line of lines.slice(1)) line.split(',').forEach((v, i) => cols[header[i]].push(v));
  return cols;
}

function spread(values: (number | null)[]): number {
  const v = values.filter((x): x is number => x !== null);
  return Math.max(...v) - Math.min(...v);
}

describe('engine: fairness in every training run', function () {
  let ws: string;
  const write = (name: string, text: string) => {
    writeFileSync(join(ws, name), text);
    return name;
  };
  const train = async (config: string, extra: string[] = ['--json']) => rml(['train', config, ...extra], ws);
  const record = (run: string) => JSON.parse(readFileSync(join(run, 'run.json'), 'utf8')) as RunRecord;

  before(() => {
    ws = mkdtempSync(join(tmpdir(), 'rml-engine-fairness-'));
    cpSync(FIXTURE, ws, { recursive: true });
  });
  after(() => rmSync(ws, { recursive: true, force: true }));

  describe('the audit of the test split', () => {
    let j: TrainJson;
    let run: RunRecord;
    before(async () => {
      const r = await train(write('audit.rml.yaml', `${BASE}fairness:\n  privileged: { sex: male }\n`));
      assert.equal(r.code, 0, r.err);
      j = JSON.parse(r.out) as TrainJson;
      run = record(j.run);
    });

    it('is in run.json and --json for each sensitive column, with signed metrics and 1,000 bootstrap resamples seeded by the split seed', () => {
      assert.ok(j.fairness);
      assert.deepEqual(Object.keys(j.fairness), ['sex', 'age_group']);
      assert.deepEqual(run.fairness, j.fairness);
      const sex = j.fairness.sex;
      assert.deepEqual(Object.keys(sex.groups), ['female', 'male']);
      assert.equal(sex.groups.female.n + sex.groups.male.n, 200);
      assert.equal(sex.signed?.privileged, 'male');
      assert.equal(j.fairness.age_group.signed, undefined);
      assert.equal(sex.bootstrap?.resamples, 1000);
      assert.equal(sex.bootstrap?.seed, 7);
      assert.ok(sex.intervals && 'statisticalParityDifference' in sex.intervals);
      // No limits: the gate passes with none, and there is no mitigation.
      assert.deepEqual(j.gate, { passed: true, failures: [], limits: [] });
      assert.equal(j.mitigation, null);
    });

    it('equals `rml audit` run on the run\'s own predictions.csv', async () => {
      const a = await rml(['audit', '--data', join(j.run, 'predictions.csv'), '--label', 'y_true', '--pred', 'y_pred', '--score', 'y_score', '--sensitive', 'sex,age_group', '--privileged', 'sex=male', '--json'], ws);
      assert.equal(a.code, 0, a.err);
      const audited = (JSON.parse(a.out) as { sensitive: Record<string, ColumnAudit> }).sensitive;
      for (const col of ['sex', 'age_group']) {
        const ours = j.fairness![col];
        for (const [g, m] of Object.entries(ours.groups)) {
          const o = audited[col].groups[g];
          for (const k of ['n', 'selectionRate', 'baseRate', 'accuracy', 'tpr', 'fpr', 'precision'] as const) assert.equal(o[k], m[k], `${col} ${g} ${k}`);
          // predictions.csv rounds scores to 6 decimals, which can only create ties: AUC agrees closely.
          assert.ok(Math.abs((o.rocAuc ?? 0) - (m.rocAuc ?? 0)) < 1e-3, `${col} ${g} rocAuc`);
        }
        assert.equal(audited[col].demographicParityDifference, ours.demographicParityDifference);
        assert.equal(audited[col].equalizedOddsDifference, ours.equalizedOddsDifference);
      }
      assert.deepEqual(audited.sex.signed, j.fairness!.sex.signed);
    });

    it('stores the threshold sweep; at the model\'s threshold it equals the audit\'s per-group rates', () => {
      const sweep = run.sweep!;
      assert.equal(sweep.thresholds.length, 101);
      assert.deepEqual(Object.keys(sweep.columns), ['sex', 'age_group']);
      const k = sweep.thresholds.indexOf(run.threshold);
      assert.equal(sweep.thresholds[k], 0.5);
      for (const col of ['sex', 'age_group']) {
        const audit = j.fairness![col];
        assert.deepEqual(Object.keys(sweep.columns[col]), Object.keys(audit.groups));
        for (const [g, m] of Object.entries(audit.groups)) {
          const s = sweep.columns[col][g];
          assert.deepEqual(Object.keys(s), ['selectionRate', 'tpr', 'fpr', 'precision']);
          for (const rate of ['selectionRate', 'tpr', 'fpr', 'precision'] as const) {
            assert.equal(s[rate].length, 101);
            assert.equal(s[rate][k] ?? 0, m[rate], `${col} ${g} ${rate}`);
          }
          // Threshold 0 selects everyone.
          assert.equal(s.selectionRate[0], 1);
        }
      }
    });

    it('prints the fairness table in the human report', async () => {
      const r = await train('audit.rml.yaml', []);
      assert.equal(r.code, 0, r.err);
      assert.match(r.out, /Fairness on the test split \(200 rows\)/);
      assert.match(r.out, /sex {2}\(2 groups, 200 rows\)/);
      assert.match(r.out, /disparate impact ratio \d\.\d{4} \[\d\.\d{4}, \d\.\d{4}\]: (passes|FAILS) the four-fifths rule/);
      assert.match(r.out, /intervals: 2\.5–97\.5 percentiles of 1000 bootstrap resamples, seed 7/);
      assert.match(r.out, /vs privileged "male"/);
      assert.match(r.out, /Fairness gate: no limits set/);
    });
  });

  it('the gate: exit 3 when fairness.thresholds are breached, with the failures; the run is still recorded', async () => {
    const cfg = write('gate.rml.yaml', `${BASE}fairness:\n  thresholds: { demographicParityDifference: 0.001, disparateImpactRatio: 0.5 }\n`);
    const r = await train(cfg);
    assert.equal(r.code, 3, r.err);
    const j = JSON.parse(r.out) as TrainJson;
    assert.equal(j.gate?.passed, false);
    // DPD ≤ 0.001 fails for both columns (neither has equal selection rates on 200 rows); DI ≥ 0.5 holds.
    assert.deepEqual(j.gate?.failures.map((f) => [f.metric, f.column, f.limit]), [['demographicParityDifference', 'sex', 0.001], ['demographicParityDifference', 'age_group', 0.001]]);
    for (const f of j.gate!.failures) assert.equal(f.value, j.fairness![f.column!].demographicParityDifference);
    assert.match(r.err, /fairness gate failed/);
    assert.ok(existsSync(join(j.run, 'run.json')));
    assert.equal(record(j.run).gate?.passed, false);
    const human = await train(cfg, []);
    assert.equal(human.code, 3);
    assert.match(human.out, /Fairness gate: FAILED/);
    assert.match(human.out, /sex\s+demographicParityDifference\s+\d\.\d{4}\s+<= 0\.001\s+\d\.\d{4} over/);
    assert.match(human.out, /Run saved to /);
    const loose = await train(write('loose.rml.yaml', `${BASE}fairness:\n  thresholds: { demographicParityDifference: 0.9 }\n`));
    assert.equal(loose.code, 0, loose.err);
  });

  it('reweighing: weights from the training split, a baseline before, the reweighed model after', async () => {
    const r = await train(write('rw.rml.yaml', `${BASE}fairness:\n  mitigation: reweighing\n`));
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out) as TrainJson;
    const m = j.mitigation!;
    assert.equal(m.method, 'reweighing');
    assert.deepEqual(m.columns, ['sex', 'age_group']);
    assert.equal(m.fitOn, 'train');
    assert.equal(m.fitRows, 700);
    assert.deepEqual(Object.keys(m.before), ['metrics', 'fairness']);
    assert.deepEqual(m.after.metrics, j.metrics);
    assert.deepEqual(m.after.fairness, j.fairness);
    assert.notDeepEqual(m.before.metrics, m.after.metrics);
    // The weight table: cells of the 4 intersectional groups × 2 labels, counts summing to the training rows.
    const cells = m.weights!;
    assert.equal(cells.length, 8);
    assert.equal(cells.reduce((s, c) => s + c.n, 0), 700);
    // Σ n·w = n, and the weighted base rate of every group equals the overall one (the definition).
    close(cells.reduce((s, c) => s + c.n * c.weight, 0), 700, 'Σ n·w');
    const overall = cells.filter((c) => c.label === 1).reduce((s, c) => s + c.n, 0) / 700;
    for (const g of new Set(cells.map((c) => c.group))) {
      const mine = cells.filter((c) => c.group === g);
      const pos = mine.filter((c) => c.label === 1).reduce((s, c) => s + c.n * c.weight, 0);
      close(pos / mine.reduce((s, c) => s + c.n * c.weight, 0), overall, `weighted base rate of ${g}`);
    }
    // Each weight is n_g·n_y / (n·n_gy), recomputed from the table's own counts.
    for (const c of cells) {
      const ng = cells.filter((d) => d.group === c.group).reduce((s, d) => s + d.n, 0);
      const ny = cells.filter((d) => d.label === c.label).reduce((s, d) => s + d.n, 0);
      close(c.weight, (ng * ny) / (700 * c.n), `w(${c.group}, ${c.label})`);
    }
    const p = readPredictions(j.run);
    assert.deepEqual(Object.keys(p), ['row', 'line', 'y_true', 'y_pred', 'y_score', 'y_pred_before', 'y_score_before', 'sex', 'age_group']);
    const human = await train('rw.rml.yaml', []);
    assert.match(human.out, /Mitigation: reweighing/);
    assert.match(human.out, /metric \(test split\)\s+before\s+after\s+change/);
    assert.match(human.out, /age_group: demographicParityDifference\s+\d\.\d{4}\s+\d\.\d{4}\s+[+−±]\d\.\d{4}/);
    assert.match(human.out, /female & aged\s+1\s+\d+\s+\d\.\d{4}/);
  });

  it('threshold-demographic-parity: per-group thresholds reduce the selection-rate gap on the validation split', async () => {
    const r = await train(write('dp.rml.yaml', `${BASE}fairness:\n  mitigation: threshold-demographic-parity\n`));
    assert.equal(r.code, 0, r.err);
    const m = (JSON.parse(r.out) as TrainJson).mitigation!;
    assert.equal(m.fitOn, 'validation');
    assert.equal(m.fitRows, 100);
    assert.equal(m.randomized, false);
    const groups = Object.values(m.thresholds!);
    assert.equal(groups.reduce((s, g) => s + g.fit.n, 0), 100);
    const before = spread(groups.map((g) => g.fit.before.selectionRate));
    const after = spread(groups.map((g) => g.fit.after.selectionRate));
    assert.ok(after < before, `validation DP difference ${after} should be below ${before}`);
    // Deterministic: one threshold per fitted group.
    for (const g of groups) assert.ok(g.mixture.length <= 1 && g.constant === undefined);
    // The "after" predictions are what predictions.csv holds; the "before" ones are y_pred_before.
    const p = readPredictions((JSON.parse(r.out) as TrainJson).run);
    assert.deepEqual(Object.keys(p), ['row', 'line', 'y_true', 'y_pred', 'y_score', 'y_pred_before', 'sex', 'age_group']);
    assert.deepEqual(p.y_pred_before, p.y_score.map((s) => (Number(s) >= 0.5 ? '1' : '0')));
  });

  it('threshold-equal-opportunity: reduces the TPR gap on the validation split', async () => {
    const cfg = BASE.replace('sensitive: [sex, age_group]', 'sensitive: [sex]').replace('validation: 0.1', 'validation: 0.3');
    const r = await train(write('eopp.rml.yaml', `${cfg}fairness:\n  mitigation: threshold-equal-opportunity\n`));
    assert.equal(r.code, 0, r.err);
    const m = (JSON.parse(r.out) as TrainJson).mitigation!;
    assert.equal(m.fitRows, 300);
    const groups = Object.values(m.thresholds!);
    const before = spread(groups.map((g) => g.fit.before.tpr));
    const after = spread(groups.map((g) => g.fit.after.tpr));
    assert.ok(after < before, `validation TPR gap ${after} should be below ${before}`);
    assert.ok(m.target && typeof m.target.tpr === 'number');
  });

  it('threshold-equalized-odds: equal TPR and FPR on the validation split, randomized and reproducible with the seed', async () => {
    const cfg = write('eo.rml.yaml', `${BASE.replace('sensitive: [sex, age_group]', 'sensitive: [sex]').replace('validation: 0.1', 'validation: 0.3')}fairness:\n  mitigation: threshold-equalized-odds\n`);
    const a = await train(cfg);
    const b = await train(cfg);
    assert.equal(a.code, 0, a.err);
    const ja = JSON.parse(a.out) as TrainJson;
    const jb = JSON.parse(b.out) as TrainJson;
    const m = ja.mitigation!;
    assert.equal(m.seed, 7);
    for (const g of Object.values(m.thresholds!)) {
      assert.equal(g.source, 'fitted');
      assert.ok(Math.abs(g.fit.after.fpr! - m.target!.fpr!) < 1e-9);
      assert.ok(Math.abs(g.fit.after.tpr! - m.target!.tpr!) < 1e-9);
    }
    // The same seed gives the same decisions and the same record.
    assert.deepEqual(readPredictions(ja.run).y_pred, readPredictions(jb.run).y_pred);
    assert.deepEqual(ja.mitigation, jb.mitigation);
    assert.deepEqual(ja.metrics, jb.metrics);
    if (m.randomized) {
      const human = await train('eo.rml.yaml', []);
      assert.match(human.out, /Randomized decisions: reproducible with seed 7/);
    }
  });

  it('multiclass runs are audited one-vs-rest per class, regression runs by group means and MAE', async () => {
    const multi = await train(write('multi.rml.yaml', 'name: multi\ndata: { path: german.csv, target: purpose, ignore: [credit, personal_status], sensitive: [sex] }\nsplit: { seed: 1 }\ntrain: { epochs: 2, seed: 1 }\n'));
    assert.equal(multi.code, 0, multi.err);
    const mf = (JSON.parse(multi.out) as { fairness: Record<string, MulticlassAudit> }).fairness;
    assert.ok(Object.keys(mf.sex.classes).length >= 3);
    for (const a of Object.values(mf.sex.classes)) assert.deepEqual(Object.keys(a.groups), ['female', 'male']);
    const reg = await train(write('reg.rml.yaml', 'name: reg\ndata: { path: german.csv, target: credit_amount, ignore: [credit, personal_status], sensitive: [sex] }\nmodel: { type: linear }\nsplit: { seed: 1 }\ntrain: { epochs: 2, seed: 1 }\nfairness:\n  thresholds: { demographicParityDifference: 0.1 }\n'));
    // A binary-only limit on a regression run is not computed, so the gate fails rather than passing silently.
    assert.equal(reg.code, 3, reg.err);
    const rj = JSON.parse(reg.out) as { fairness: Record<string, RegressionAudit>; gate: NonNullable<RunRecord['gate']> };
    assert.deepEqual(Object.keys(rj.fairness.sex.groups), ['female', 'male']);
    assert.equal(typeof rj.fairness.sex.maeDifference, 'number');
    assert.equal(rj.gate.failures[0].reason, 'not-computed');
  });

  const badCases: [string, string, RegExp][] = [
    ['threshold mitigation on a multiclass run', 'name: x\ndata: { path: german.csv, target: purpose, ignore: [credit], sensitive: [sex] }\nsplit: { seed: 1 }\ntrain: { epochs: 1 }\nfairness:\n  mitigation: threshold-equal-opportunity\n', /bad\.rml\.yaml:6:15: fairness\.mitigation 'threshold-equal-opportunity' needs a binary task/],
    ['threshold mitigation without a validation split', 'name: x\ndata: { path: german.csv, target: credit_good, positive: "1", ignore: [credit], sensitive: [sex] }\nsplit: { seed: 1, validation: 0 }\ntrain: { epochs: 1 }\nfairness:\n  mitigation: threshold-demographic-parity\n', /fairness\.mitigation 'threshold-demographic-parity' chooses the thresholds on the validation split, which is empty/],
  ];
  for (const [name, config, pattern] of badCases) {
    it(`bad input: ${name} → exit 2 at fairness.mitigation`, async () => {
      const r = await train(write('bad.rml.yaml', config), ['--quiet']);
      assert.equal(r.code, 2, r.err);
      assert.match(r.err, pattern);
    });
  }

  it('bad input: a sensitive column with more than 1,000 groups → exit 2 at its data.sensitive entry', async () => {
    const rows = Array.from({ length: 1100 }, (_, i) => `${i},${i % 2},person${i}`).join('\n');
    writeFileSync(join(ws, 'ids.csv'), `x,y,id\n${rows}\n`);
    const r = await train(write('ids.rml.yaml', 'name: ids\ndata:\n  path: ids.csv\n  target: y\n  positive: "1"\n  sensitive: [id]\nsplit: { seed: 1 }\ntrain: { epochs: 1 }\n'), ['--quiet']);
    assert.equal(r.code, 2, r.err);
    assert.match(r.err, /ids\.rml\.yaml:6:15: sensitive column 'id' has 1,100 distinct values, more than 1000 groups.*Bin it/);
  });
});

function close(a: number, b: number, what: string, tol = 1e-9): void {
  assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b}`);
}
