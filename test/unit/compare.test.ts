/**
 * Run comparison: two real runs of the German credit fixture with different seeds and options
 * (config diff from the run records when the config file was edited between them, from the
 * config files when each still matches its run), the deltas, the "matters" rules and their
 * highlights on hand-made runs, and `rml compare`.
 */
import { strict as assert } from 'node:assert';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rml } from './cli-harness';
import type { TrainingConfig } from '../../src/core/config/types';
import { runConfigFile, type RunResult } from '../../src/core/engine';
import type { CardRun } from '../../src/core/report/card';
import { compareRuns, DEFAULT_MATTERS, diffSettings, loadRunSide, recordedSettings, type RunSide } from '../../src/core/report/compare';
import type { EnergyReport } from '../../src/core/sustainability';
import { makeConfig } from './helpers';

const GERMAN = join(__dirname, '..', 'fixtures', 'german');
const FIXTURE_RUN = join(__dirname, '..', 'fixtures', 'card', 'run', 'run.json');


describe('run comparison: two real runs', function () {
  let ws: string;
  let a: RunResult;
  let b: RunResult;
  let c: RunResult;

  before(async () => {
    ws = mkdtempSync(join(tmpdir(), 'rml-compare-'));
    cpSync(GERMAN, ws, { recursive: true });
    const cfg = join(ws, 'german.rml.yaml');
    const original = readFileSync(cfg, 'utf8');
    a = await runConfigFile(cfg, { root: ws });
    // Run B: the same config file, edited: another seed, fewer epochs, a smaller batch.
    writeFileSync(cfg, original.replace(/seed: 7/g, 'seed: 11').replace('epochs: 8', 'epochs: 4').replace('batchSize: 64', 'batchSize: 32'));
    b = await runConfigFile(cfg, { root: ws });
    // Run C: a second config file (so both files still match their runs).
    writeFileSync(join(ws, 'german-l2.rml.yaml'), original.replace('batchSize: 64', 'batchSize: 64\n  l2: 0.01'));
    c = await runConfigFile(join(ws, 'german-l2.rml.yaml'), { root: ws });
    writeFileSync(cfg, original);
  });
  after(() => rmSync(ws, { recursive: true, force: true }));

  it('an edited config file: the diff comes from the run records, with the changed settings', async () => {
    const sa = await loadRunSide(a.dir, { root: ws });
    const sb = await loadRunSide(b.dir, { root: ws });
    // The file is back to run A's text, so A has its config and B does not.
    assert.ok(sa.config);
    assert.equal(sb.config, undefined);
    assert.match(sb.configProblem ?? '', /has changed since the run/);
    const cmp = compareRuns(sa, sb);
    assert.equal(cmp.config.source, 'run records');
    const changed = new Map(cmp.config.changes.map((x) => [x.path, x]));
    assert.deepEqual(changed.get('seed'), { path: 'seed', a: '7', b: '11' });
    assert.deepEqual(changed.get('train.epochs'), { path: 'train.epochs', a: '8', b: '4' });
    assert.deepEqual(changed.get('train.batchSize'), { path: 'train.batchSize', a: '64', b: '32' });
    assert.ok(!changed.has('data.hash'));
    assert.ok(!changed.has('model.hidden'));
    assert.deepEqual(cmp.warnings, []);
  });

  it('metric and disparity deltas are B − A of the runs\' numbers', async () => {
    const cmp = compareRuns(await loadRunSide(a.dir, { root: ws }), await loadRunSide(b.dir, { root: ws }));
    const ma = a.record.metrics as unknown as Record<string, number>;
    const mb = b.record.metrics as unknown as Record<string, number>;
    assert.equal(cmp.metrics.length, Object.keys(ma).length);
    for (const m of cmp.metrics) {
      assert.equal(m.a, ma[m.metric]);
      assert.equal(m.b, mb[m.metric]);
      assert.equal(m.delta, mb[m.metric] - ma[m.metric]);
    }
    const fa = a.record.fairness as unknown as Record<string, Record<string, number>>;
    const fb = b.record.fairness as unknown as Record<string, Record<string, number>>;
    const dpd = cmp.disparities.filter((d) => d.metric === 'demographicParityDifference');
    assert.deepEqual(dpd.map((d) => d.column), ['sex', 'age_group']);
    for (const d of dpd) {
      assert.equal(d.a, fa[d.column].demographicParityDifference);
      assert.equal(d.delta, fb[d.column].demographicParityDifference - fa[d.column].demographicParityDifference);
      assert.equal(d.matters, Math.abs(d.delta!) >= DEFAULT_MATTERS.disparity);
    }
    assert.ok(cmp.groups.some((g) => g.column === 'sex' && g.group === 'female' && g.metric === 'selectionRate'));
  });

  it('a config means its newest completed run; two config files that still match their runs: every setting is compared', async () => {
    assert.equal((await loadRunSide(join(ws, 'german.rml.yaml'), { root: ws })).dir, b.dir);
    const cmp = compareRuns(await loadRunSide(a.dir, { root: ws }), await loadRunSide(join(ws, 'german-l2.rml.yaml'), { root: ws }));
    assert.equal(cmp.b.dir, c.dir);
    assert.equal(cmp.config.source, 'config files');
    assert.deepEqual(cmp.config.changes, [{ path: 'train.l2', a: '0', b: '0.01' }]);
  });

  it('rml compare: --json and the human report (exit 0); wrong arguments are bad input (exit 2)', async () => {
    const j = await rml(['compare', a.dir, b.dir, '--json'], ws);
    assert.equal(j.code, 0, j.err);
    const parsed = JSON.parse(j.out);
    for (const k of ['a', 'b', 'highlights', 'config', 'metrics', 'disparities', 'groups', 'gate', 'energy', 'thresholds', 'warnings']) assert.ok(k in parsed, k);
    const h = await rml(['compare', a.dir, b.dir], ws);
    assert.equal(h.code, 0, h.err);
    for (const s of ['Runs', 'What matters', 'Config changes (run records)', 'train.epochs', 'Test metrics', 'Fairness', 'Energy and time']) assert.ok(h.out.includes(s), s);
    assert.equal((await rml(['compare', a.dir], ws)).code, 2);
    assert.equal((await rml(['compare', a.dir, join(ws, 'nope')], ws)).code, 2);
  });
});

describe('run comparison: what matters', () => {
  const fixture = JSON.parse(readFileSync(FIXTURE_RUN, 'utf8')) as CardRun;
  const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;
  const limits: TrainingConfig = makeConfig({ data: { target: 'approved' }, fairness: { thresholds: { demographicParityDifference: 0.1 } } });

  /** Run A: the fixture's "before" (unmitigated) numbers, gate passed; run B: the fixture as it is. */
  function pair(): { a: RunSide; b: RunSide } {
    const ra = clone(fixture);
    ra.metrics = clone(fixture.mitigation!.before.metrics) as CardRun['metrics'];
    ra.fairness = clone(fixture.mitigation!.before.fairness);
    ra.gate = { passed: true, failures: [], limits: clone(fixture.gate!.limits) };
    return { a: { record: ra, config: limits }, b: { record: clone(fixture), config: limits } };
  }

  it('"DPD improved by 0.08 at −0.4 accuracy points", with the interval and limit notes; the gate flip comes first', () => {
    const { a, b } = pair();
    const cmp = compareRuns(a, b);
    assert.equal(cmp.highlights[0], 'The fairness gate now FAILS (it passed in run A).');
    assert.equal(
      cmp.highlights[1],
      "Demographic parity difference (sex) improved by 0.080 (0.150 → 0.070) at −0.4 accuracy points (0.812 → 0.808), within run A's bootstrap interval [0.011, 0.244], now within its limit.",
    );
    // The ratio restates the difference: marked as mattering in the table, not a highlight of its own.
    assert.equal(cmp.disparities.find((x) => x.column === 'sex' && x.metric === 'demographicParityRatio')?.matters, true);
    assert.ok(!cmp.highlights.some((h) => h.startsWith('Demographic parity ratio')));
    assert.ok(cmp.highlights.some((h) => h.startsWith('Demographic parity difference (region) improved by 0.050 (0.250 → 0.200)')));
    // Accuracy moved 0.4 points (< 1): not a highlight of its own; F1 moved 1.2 points: it is.
    assert.equal(cmp.metrics.find((m) => m.metric === 'accuracy')?.matters, false);
    assert.ok(cmp.highlights.includes('F1 worsened by 1.2 points (0.690 → 0.678).'));
    const d = cmp.disparities.find((x) => x.column === 'sex' && x.metric === 'demographicParityDifference')!;
    assert.deepEqual(d.verdict, { a: 'fail', b: 'pass' });
    assert.equal(d.better, 'b');
    assert.equal(d.withinIntervalA, true);
    // Unchanged disparities do not matter.
    assert.equal(cmp.disparities.find((x) => x.column === 'sex' && x.metric === 'equalizedOddsDifference')?.matters, false);
  });

  it('differential privacy: added, removed or changed ε comes first', () => {
    const dp = (epsilon: number) => ({ dp: { epsilon, delta: 1e-5, noiseMultiplier: 1.1 } }) as unknown as CardRun['privacy'];
    const { a, b } = pair();
    a.record.privacy = undefined;
    b.record.privacy = undefined;
    assert.deepEqual(compareRuns(a, b).privacy, { a: null, b: null });
    b.record.privacy = dp(1.5);
    let cmp = compareRuns(a, b);
    assert.deepEqual(cmp.privacy.b, { epsilon: 1.5, delta: 1e-5, noiseMultiplier: 1.1 });
    assert.equal(cmp.highlights[0], 'Run B is trained with DP-SGD (ε = 1.500, δ = 1.0e-5); run A is not: see the metrics below for the cost of privacy.');
    a.record.privacy = dp(3);
    cmp = compareRuns(a, b);
    assert.equal(cmp.highlights[0], 'Differential privacy strengthened: ε = 3.000, δ = 1.0e-5 → ε = 1.500, δ = 1.0e-5 (lower ε is more private).');
    b.record.privacy = undefined;
    assert.equal(compareRuns(a, b).highlights[0], 'Run B is trained WITHOUT differential privacy; run A had (ε = 3.000, δ = 1.0e-5).');
  });

  it('highlights are capped (5 disparity and 4 metric lines), with a count of the rest', () => {
    const { a, b } = pair();
    const mb = b.record.metrics as unknown as Record<string, number>;
    for (const k of Object.keys(mb)) mb[k] = mb[k] + 0.05;
    const fb = b.record.fairness as unknown as Record<string, Record<string, number>>;
    for (const col of ['sex', 'region']) for (const k of ['equalizedOddsDifference', 'equalOpportunityDifference']) fb[col][k] = fb[col][k] + 0.1;
    const cmp = compareRuns(a, b);
    const disparityLines = cmp.highlights.filter((h) => / \((sex|region)\) /.test(h));
    assert.equal(disparityLines.length, 5);
    assert.ok(cmp.highlights.includes('… and 1 more disparity changes (marked ★ in the fairness table).'));
    assert.ok(cmp.highlights.some((h) => h.startsWith('Accuracy ')), 'the primary metric comes first');
    assert.ok(cmp.highlights.includes('… and 6 more metric changes (marked ★ in the metrics table).'));
  });

  it('an unbounded error metric matters from a 5% relative change', () => {
    const { a, b } = pair();
    (b.record.metrics as unknown as Record<string, number>).logLoss = 0.5;
    const cmp = compareRuns(a, b);
    assert.ok(cmp.highlights.includes('Log loss worsened by 0.088 (0.412 → 0.500).'));
    (b.record.metrics as unknown as Record<string, number>).logLoss = 0.42; // +1.9%
    assert.equal(compareRuns(a, b).metrics.find((m) => m.metric === 'logLoss')?.matters, false);
  });

  it('energy: measured against measured, else both modelled (estimated); ≥ 20% matters', () => {
    const { a, b } = pair();
    const eb = clone(fixture.energy!) as EnergyReport;
    eb.joules = 110;
    eb.modelled.joules = 30;
    b.record.energy = eb;
    let cmp = compareRuns(a, b);
    assert.equal(cmp.energy.basis, 'measured');
    assert.equal(cmp.energy.ratio, 2);
    assert.ok(Math.abs(cmp.energy.bCo2eGrams! - (110 / 3.6e6) * 445) < 1e-15);
    assert.ok(cmp.highlights.includes('Energy rose ×2.00 (measured).'));
    eb.kind = 'estimated';
    cmp = compareRuns(a, b);
    assert.equal(cmp.energy.basis, 'estimated');
    assert.equal(cmp.energy.aJoules, fixture.energy!.modelled.joules);
    assert.equal(cmp.energy.bJoules, 30);
    assert.match(cmp.energy.note, /a measurement and an estimate are not comparable/);
    assert.equal(cmp.energy.matters, true); // 30 / 24.19 = ×1.24
    delete b.record.energy;
    cmp = compareRuns(a, b);
    assert.equal(cmp.energy.basis, 'none');
    assert.equal(cmp.energy.matters, false);
    assert.match(cmp.energy.note, /^Run B recorded its energy|^Run B/);
  });

  it('warns when the data or the task differ', () => {
    const { a, b } = pair();
    b.record.data.hash = 'f'.repeat(64);
    assert.ok(compareRuns(a, b).warnings.some((w) => /different data/.test(w)));
  });

  it('diffSettings and recordedSettings', () => {
    assert.deepEqual(diffSettings({ x: [1, 2], y: 1, z: 'same' }, { x: [1, 3], w: true, z: 'same' }), [
      { path: 'x', a: '[1,2]', b: '[1,3]' },
      { path: 'y', a: '1' },
      { path: 'w', b: 'true' },
    ]);
    const s = recordedSettings(fixture);
    assert.equal(s['fairness.mitigation'], 'threshold-demographic-parity');
    assert.deepEqual(s['data.sensitive'], ['sex', 'region']);
    assert.deepEqual(s['fairness.limits'], ['demographicParityDifference <= 0.1']);
  });
});
