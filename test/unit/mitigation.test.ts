/**
 * Mitigation (src/core/fairness/mitigation.ts) and the threshold sweep (sweep.ts), on tables small
 * enough to work out by hand; every expected number is derived in the comment beside it.
 */
import { strict as assert } from 'node:assert';
import {
  applyReweighing,
  applyThresholds,
  auditColumn,
  encodeGroups,
  fitThresholds,
  positiveProbability,
  reweighing,
  sweepThresholds,
  thresholdSweep,
  type GroupColumn,
} from '../../src/core/fairness';

const close = (a: number | null | undefined, b: number, what: string, tol = 1e-12) =>
  assert.ok(a !== null && a !== undefined && Math.abs(a - b) <= tol, `${what}: ${String(a)} vs ${b}`);

describe('mitigation: reweighing (Kamiran & Calders)', () => {
  // 10 rows: group A has 3 positives and 1 negative, group B 1 positive and 5 negatives.
  const groups = encodeGroups(['A', 'A', 'A', 'A', 'B', 'B', 'B', 'B', 'B', 'B'], 'g');
  const y = [1, 1, 1, 0, 1, 0, 0, 0, 0, 0];

  it('weights w(g, y) = n_g·n_y / (n·n_gy), hand-checked', () => {
    const r = reweighing(y, groups);
    // n = 10, n_A = 4, n_B = 6, n_pos = 4, n_neg = 6.
    // w(A,1) = 4·4/(10·3) = 16/30; w(A,0) = 4·6/(10·1) = 2.4; w(B,1) = 6·4/(10·1) = 2.4; w(B,0) = 6·6/(10·5) = 0.72.
    assert.deepEqual(r.cells.map((c) => [c.group, c.label, c.n]), [['A', 0, 1], ['A', 1, 3], ['B', 0, 5], ['B', 1, 1]]);
    close(r.cells[0].weight, 2.4, 'w(A,0)');
    close(r.cells[1].weight, 16 / 30, 'w(A,1)');
    close(r.cells[2].weight, 0.72, 'w(B,0)');
    close(r.cells[3].weight, 2.4, 'w(B,1)');
    close(r.weights[0], 16 / 30, 'row 0');
    close(r.weights[3], 2.4, 'row 3');
    close(r.weights[9], 0.72, 'row 9');
  });

  it('makes the label independent of the group, and the weights sum to n', () => {
    const r = reweighing(y, groups);
    // Σw = 3·16/30 + 2.4 + 2.4 + 5·0.72 = 1.6 + 2.4 + 2.4 + 3.6 = 10.
    close(r.weights.reduce((a, b) => a + b, 0), 10, 'Σw', 1e-12);
    // Weighted P(y=1 | A) = 1.6 / (1.6 + 2.4) = 0.4 = P(y=1); P(y=1 | B) = 2.4 / (2.4 + 3.6) = 0.4.
    for (const g of [0, 1]) {
      let pos = 0;
      let all = 0;
      for (let i = 0; i < y.length; i++) {
        if (groups.codes[i] !== g) continue;
        all += r.weights[i];
        pos += r.weights[i] * y[i];
      }
      close(pos / all, 0.4, `P_w(y=1 | group ${g})`);
    }
  });

  it('works for several classes, and applies a fitted table to other rows (unseen cells get 1)', () => {
    // 6 rows, classes 0..2: A = [0, 1, 2, 2], B = [0, 0]. n_A = 4, n_B = 2; n_0 = 3, n_1 = 1, n_2 = 2.
    const g = encodeGroups(['A', 'A', 'A', 'A', 'B', 'B']);
    const r = reweighing([0, 1, 2, 2, 0, 0], g, 3);
    // w(A,0) = 4·3/(6·1) = 2; w(A,1) = 4·1/(6·1) = 2/3; w(A,2) = 4·2/(6·2) = 2/3; w(B,0) = 2·3/(6·2) = 0.5.
    assert.deepEqual(Array.from(r.weights).map((w) => Math.round(w * 1e12) / 1e12), [2, 0.666666666667, 0.666666666667, 0.666666666667, 0.5, 0.5]);
    // New rows: (A,1) seen → 2/3; (B,2) never seen in the fit → 1.
    const w = applyReweighing(r, [1, 2], Int32Array.from([0, 1]));
    close(w[0], 2 / 3, 'applied (A,1)');
    assert.equal(w[1], 1);
  });

  it('rejects bad input', () => {
    assert.throws(() => reweighing([], encodeGroups([])), /at least one row/);
    assert.throws(() => reweighing([0, 2], encodeGroups(['a', 'b'])), /class index in 0\.\.1/);
    assert.throws(() => reweighing([0], encodeGroups(['a', 'b'])), /has 2 rows but y has 1/);
  });
});

/**
 * Two groups whose labels are perfectly ordered by score, but on different scales:
 *   A: 0.9 (y=1), 0.7 (y=1), 0.6 (y=0), 0.2 (y=0)
 *   B: 0.8 (y=1), 0.4 (y=1), 0.3 (y=0), 0.1 (y=0)
 * At the global threshold 0.5, A selects 3/4 (0.9, 0.7, 0.6) and B 1/4 (0.8): DP difference 0.5.
 */
const sep = {
  y: Uint8Array.from([1, 1, 0, 0, 1, 1, 0, 0]),
  s: Float64Array.from([0.9, 0.7, 0.6, 0.2, 0.8, 0.4, 0.3, 0.1]),
  g: encodeGroups(['A', 'A', 'A', 'A', 'B', 'B', 'B', 'B'], 'g'),
};

function dpDifference(yPred: Uint8Array, g: GroupColumn): number | null {
  return auditColumn({ yTrue: new Uint8Array(yPred.length), yPred }, g).demographicParityDifference;
}

describe('mitigation: per-group thresholds', () => {
  it('demographic parity: common selection rate 0.5 and thresholds 0.7 (A) and 0.4 (B), hand-checked', () => {
    // A's operating points (selection rate, correct decisions): never (0, 2), ≥0.9 (0.25, 3), ≥0.7 (0.5, 4),
    // ≥0.6 (0.75, 3), ≥0.2 (1, 2). Its upper hull is (0,2), (0.5,4), (1,2); B's is the same. The summed hull
    // peaks at x = 0.5 (8 correct), where A's operating point is ≥ 0.7 and B's is ≥ 0.4.
    const fit = fitThresholds('threshold-demographic-parity', sep.y, sep.s, sep.g, { globalThreshold: 0.5, minGroupSize: 1 });
    assert.deepEqual(fit.target, { selectionRate: 0.5 });
    assert.deepEqual(fit.groups.A.mixture, [{ threshold: 0.7, weight: 1 }]);
    assert.deepEqual(fit.groups.B.mixture, [{ threshold: 0.4, weight: 1 }]);
    assert.equal(fit.randomized, false);
    assert.equal(fit.groups.A.source, 'fitted');
    // Before: SR 0.75 vs 0.25; after: 0.5 and 0.5, with every decision correct.
    assert.deepEqual([fit.groups.A.fit.before.selectionRate, fit.groups.B.fit.before.selectionRate], [0.75, 0.25]);
    assert.deepEqual([fit.groups.A.fit.after.selectionRate, fit.groups.B.fit.after.selectionRate], [0.5, 0.5]);
    assert.deepEqual([fit.groups.A.fit.after.accuracy, fit.groups.B.fit.after.accuracy], [1, 1]);
    const before = Uint8Array.from(sep.s, (s) => (s >= 0.5 ? 1 : 0));
    const after = applyThresholds(fit, sep.s, sep.g, 0);
    assert.equal(dpDifference(before, sep.g), 0.5);
    assert.equal(dpDifference(after, sep.g), 0);
  });

  it('equal opportunity: common TPR 1 with the same thresholds (the smallest selection that reaches it)', () => {
    // TPR points of A (TPR, correct): (0, 2), (0.5, 3), (1, 4), (1, 3), (1, 2): at TPR 1 the best is ≥ 0.7 (4 correct).
    const fit = fitThresholds('threshold-equal-opportunity', sep.y, sep.s, sep.g, { globalThreshold: 0.5, minGroupSize: 1 });
    assert.deepEqual(fit.target, { tpr: 1 });
    assert.deepEqual(fit.groups.A.mixture, [{ threshold: 0.7, weight: 1 }]);
    assert.deepEqual(fit.groups.B.mixture, [{ threshold: 0.4, weight: 1 }]);
    // Before: TPR A = 1 (0.9, 0.7), TPR B = 0.5 (0.8 only); after both 1.
    assert.deepEqual([fit.groups.A.fit.before.tpr, fit.groups.B.fit.before.tpr], [1, 0.5]);
    assert.deepEqual([fit.groups.A.fit.after.tpr, fit.groups.B.fit.after.tpr], [1, 1]);
  });

  /**
   * Equalized odds, randomized. A as above (ROC hull (0,1)–(1,1): perfect). B has 2 positives and 3 negatives:
   *   0.8 (y=1), 0.6 (y=0), 0.4 (y=1), 0.2 (y=0), 0.1 (y=0)
   * B's ROC points (FPR, TPR): never (0,0), ≥0.8 (0,½), ≥0.6 (⅓,½), ≥0.4 (⅓,1), ≥0.2 (⅔,1), ≥0.1 (1,1);
   * upper hull (0,½), (⅓,1), (1,1). With P = 4 positives and N = 5 negatives overall, the objective
   * P·min(f_A, f_B)(x) + N·(1 − x) is 4(½ + 1.5x) + 5(1 − x) = 7 + x up to x = ⅓ and 9 − 5x after:
   * x* = ⅓, y* = 1. B sits on its hull vertex (⅓, 1) = "≥ 0.4", deterministic. A must raise its FPR to
   * ⅓: between its vertices (0,1) = "≥ 0.7" and (1,1) = "≥ 0.2" with λ = (1 − ⅓)/(1 − 0) = ⅔ on ≥ 0.7,
   * and no constant part (p = (1 − 1)/(1 − ⅓) = 0).
   */
  const eo = {
    y: Uint8Array.from([1, 1, 0, 0, 1, 0, 1, 0, 0]),
    s: Float64Array.from([0.9, 0.7, 0.6, 0.2, 0.8, 0.6, 0.4, 0.2, 0.1]),
    g: encodeGroups(['A', 'A', 'A', 'A', 'B', 'B', 'B', 'B', 'B'], 'g'),
  };

  it('equalized odds: the common ROC point (⅓, 1) and A\'s randomized mixture, hand-checked', () => {
    const fit = fitThresholds('threshold-equalized-odds', eo.y, eo.s, eo.g, { globalThreshold: 0.5, minGroupSize: 1 });
    close(fit.target?.fpr, 1 / 3, 'target FPR');
    close(fit.target?.tpr, 1, 'target TPR');
    assert.equal(fit.randomized, true);
    assert.deepEqual(fit.groups.B.mixture, [{ threshold: 0.4, weight: 1 }]);
    assert.equal(fit.groups.B.constant, undefined);
    assert.equal(fit.groups.A.mixture.length, 2);
    assert.equal(fit.groups.A.mixture[0].threshold, 0.7);
    close(fit.groups.A.mixture[0].weight, 2 / 3, 'λ');
    assert.equal(fit.groups.A.mixture[1].threshold, 0.2);
    close(fit.groups.A.mixture[1].weight, 1 / 3, '1 − λ');
    // Expected rates on the fitting rows: both groups at FPR ⅓, TPR 1 (equalized odds difference 0).
    for (const g of ['A', 'B']) {
      close(fit.groups[g].fit.after.fpr, 1 / 3, `${g} FPR`);
      close(fit.groups[g].fit.after.tpr, 1, `${g} TPR`);
    }
    // P(positive | score) for A: 1 at ≥ 0.7; ⅓ in [0.2, 0.7); 0 below 0.2.
    assert.equal(positiveProbability(fit.groups.A, 0.9), 1);
    close(positiveProbability(fit.groups.A, 0.6), 1 / 3, 'P(+|0.6)');
    assert.equal(positiveProbability(fit.groups.A, 0.1), 0);
  });

  it('equalized odds: the same common point for a second pair of groups (C reaches TPR 1 at FPR ⅓)', () => {
    // A: perfect (hull (0,1)–(1,1)). C: 0.8 (y=1), 0.6 (y=0), 0.5 (y=1), 0.4 (y=1), 0.3 (y=0), 0.2 (y=0):
    // ROC points never (0,0), ≥0.8 (0,⅓), ≥0.6 (⅓,⅓), ≥0.5 (⅓,⅔), ≥0.4 (⅓,1), ≥0.3 (⅔,1), ≥0.2 (1,1);
    // hull (0,⅓), (⅓,1), (1,1). P = 5, N = 5: objective 5(⅓ + 2x) + 5(1 − x) = 20/3 + 5x up to x = ⅓,
    // then 10 − 5x: x* = ⅓, y* = 1.
    const fit = fitThresholds('threshold-equalized-odds',
      Uint8Array.from([1, 1, 0, 0, 1, 0, 1, 1, 0, 0]),
      Float64Array.from([0.9, 0.7, 0.6, 0.2, 0.8, 0.6, 0.5, 0.4, 0.3, 0.2]),
      encodeGroups(['A', 'A', 'A', 'A', 'C', 'C', 'C', 'C', 'C', 'C'], 'g'),
      { globalThreshold: 0.5, minGroupSize: 1 });
    close(fit.target?.fpr, 1 / 3, 'target FPR');
    close(fit.target?.tpr, 1, 'target TPR');
    for (const g of ['A', 'C']) {
      close(fit.groups[g].fit.after.fpr, 1 / 3, `${g} FPR`);
      close(fit.groups[g].fit.after.tpr, 1, `${g} TPR`);
    }
    assert.deepEqual(fit.groups.C.mixture, [{ threshold: 0.4, weight: 1 }]);
  });

  it('equalized odds: a constant (diagonal) part brings a better group down to the common TPR', () => {
    // A: perfect. D: two rows scored 0.5, labels 1 and 0: points never (0,0) and ≥0.5 (1,1), so its hull is
    // the diagonal, f_D(x) = x, and y(x) = min(1, x) = x. With P = 3, N = 3 the objective 3x + 3(1 − x) = 3
    // is flat: the first vertex, x = 0, wins (Fairlearn's grid argmax also takes the first), so y* = 0.
    // A sits on its vertex (0, 1) = "≥ 0.7" and must come down to TPR 0: it mixes in the constant
    // classifier "positive at rate x* = 0" with p = (f_A(0) − y*)/(f_A(0) − x*) = (1 − 0)/(1 − 0) = 1.
    const d = fitThresholds('threshold-equalized-odds',
      Uint8Array.from([1, 1, 0, 0, 1, 0]),
      Float64Array.from([0.9, 0.7, 0.6, 0.2, 0.5, 0.5]),
      encodeGroups(['A', 'A', 'A', 'A', 'D', 'D'], 'g'),
      { globalThreshold: 0.5, minGroupSize: 1 });
    assert.deepEqual(d.target, { fpr: 0, tpr: 0 });
    assert.deepEqual(d.groups.A.constant, { weight: 1, rate: 0 });
    assert.deepEqual(d.groups.A.mixture, []);
    close(d.groups.A.fit.after.tpr, 0, 'A TPR');
    close(d.groups.D.fit.after.tpr, 0, 'D TPR');
    close(d.groups.D.fit.after.fpr, 0, 'D FPR');
  });

  it('equalized odds: reaches the linear-programming optimum on a 3-group table [ref: scipy linprog]', () => {
    // The optimum over all randomized per-group threshold classifiers with equal FPR and TPR is an LP
    // (test/fixtures/audit/eo_lp_reference.py, scipy HiGHS): accuracy 0.8333333333333334 (x = 0, y = 7/12).
    const n = 90;
    const g = encodeGroups(Array.from({ length: n }, (_, i) => 'abc'[i % 3]), 'g');
    const y = Uint8Array.from({ length: n }, (_, i) => ((i * i + 3 * i) % 5 < 2 + (i % 3 === 0 ? 1 : 0) ? 1 : 0));
    const s = Float64Array.from({ length: n }, (_, i) => (50 * y[i] + ((i * 37) % 97)) / 200);
    const fit = fitThresholds('threshold-equalized-odds', y, s, g, { globalThreshold: 0.5, minGroupSize: 1 });
    const accuracy = Object.values(fit.groups).reduce((acc, t) => acc + t.fit.after.accuracy * t.fit.n, 0) / n;
    close(accuracy, 0.8333333333333334, 'accuracy at the optimum', 1e-9);
    // Every group at the same point (equalized odds difference 0 in expectation).
    for (const t of Object.values(fit.groups)) {
      close(t.fit.after.fpr, fit.target!.fpr!, 'FPR', 1e-9);
      close(t.fit.after.tpr, fit.target!.tpr!, 'TPR', 1e-9);
    }
  });

  it('equalized odds: randomized decisions are reproducible with a seed and follow the rule on average', () => {
    const fit = fitThresholds('threshold-equalized-odds', eo.y, eo.s, eo.g, { globalThreshold: 0.5, minGroupSize: 1 });
    // 30,000 copies of A's negative at 0.6, whose P(positive) is ⅓.
    const n = 30000;
    const scores = new Float64Array(n).fill(0.6);
    const column: GroupColumn = { name: 'g', codes: new Int32Array(n), names: ['A'] };
    const a = applyThresholds(fit, scores, column, 11);
    const b = applyThresholds(fit, scores, column, 11);
    const c = applyThresholds(fit, scores, column, 12);
    assert.deepEqual(a, b);
    assert.notDeepEqual(a, c);
    const rate = a.reduce((s, v) => s + v, 0) / n;
    // Binomial sd = sqrt(⅓·⅔/30000) ≈ 0.0027; 0.015 is more than 5 sd.
    assert.ok(Math.abs(rate - 1 / 3) < 0.015, `rate ${rate}`);
    // Deterministic groups ignore the seed.
    const bRows: GroupColumn = { name: 'g', codes: new Int32Array(4).fill(1), names: ['A', 'B'] };
    const s = Float64Array.from([0.8, 0.4, 0.3, 0.1]);
    assert.deepEqual(applyThresholds(fit, s, bRows, 1), applyThresholds(fit, s, bRows, 99));
    assert.deepEqual(Array.from(applyThresholds(fit, s, bRows, 1)), [1, 1, 0, 0]);
  });

  it('groups that cannot be fitted keep the global threshold, with a warning; unseen groups too', () => {
    // Group Z has no positives: equal opportunity cannot be measured for it.
    const fit = fitThresholds('threshold-equal-opportunity',
      Uint8Array.from([1, 1, 0, 0, 0, 0]),
      Float64Array.from([0.9, 0.7, 0.6, 0.2, 0.8, 0.1]),
      encodeGroups(['A', 'A', 'A', 'A', 'Z', 'Z'], 'g'),
      { globalThreshold: 0.5, minGroupSize: 3 });
    assert.equal(fit.groups.Z.source, 'global');
    assert.deepEqual(fit.groups.Z.mixture, [{ threshold: 0.5, weight: 1 }]);
    assert.ok(fit.warnings.some((w) => /"Z" of g has no actual positives.*keeps the global threshold 0\.5/.test(w)));
    // A has 4 rows, fewer than minGroupSize 3? No: 4 ≥ 3, so no small-group warning for it.
    assert.ok(!fit.warnings.some((w) => /"A"/.test(w)));
    // A group never seen in the fit (W) uses the global threshold.
    const out = applyThresholds(fit, Float64Array.from([0.55, 0.45]), { name: 'g', codes: Int32Array.from([0, 0]), names: ['W'] }, 0);
    assert.deepEqual(Array.from(out), [1, 0]);
  });

  it('rejects mismatched lengths and non-finite scores', () => {
    assert.throws(() => fitThresholds('threshold-demographic-parity', sep.y, sep.s.subarray(1), sep.g, { globalThreshold: 0.5 }), /scores has 7 rows/);
    assert.throws(() => fitThresholds('threshold-demographic-parity', sep.y, Float64Array.from(sep.s, (v, i) => (i === 2 ? NaN : v)), sep.g, { globalThreshold: 0.5 }), /row 2: score must be a finite number/);
  });
});

describe('threshold sweep', () => {
  it('uses 0, 0.01, …, 1 plus extra thresholds, sorted and unique', () => {
    const t = sweepThresholds([0.5, 0.333]);
    assert.equal(t.length, 102);
    assert.equal(t[0], 0);
    assert.equal(t[t.length - 1], 1);
    assert.ok(t.includes(0.333));
    assert.equal(t.indexOf(0.5), t.lastIndexOf(0.5));
    assert.equal(t[7], 0.07);
  });

  it('rates per group at each threshold, hand-checked, with null where undefined', () => {
    // Group A: 0.9 (y=1), 0.7 (y=1), 0.6 (y=0), 0.2 (y=0); group N has only negatives: 0.8, 0.1.
    const y = Uint8Array.from([1, 1, 0, 0, 0, 0]);
    const s = Float64Array.from([0.9, 0.7, 0.6, 0.2, 0.8, 0.1]);
    const g = encodeGroups(['A', 'A', 'A', 'A', 'N', 'N'], 'g');
    const sweep = thresholdSweep(y, s, g, [0, 0.65, 0.95]);
    // A at 0: all 4 selected (SR 1, TPR 1, FPR 1, precision ½); at 0.65: 0.9, 0.7 (SR ½, TPR 1, FPR 0, precision 1);
    // at 0.95: none (SR 0, TPR 0, FPR 0, precision undefined → null).
    assert.deepEqual(sweep.A, { selectionRate: [1, 0.5, 0], tpr: [1, 1, 0], fpr: [1, 0, 0], precision: [0.5, 1, null] });
    // N: no positives → TPR null everywhere; at 0.65 it selects 0.8: SR ½, FPR ½, precision 0.
    assert.deepEqual(sweep.N, { selectionRate: [1, 0.5, 0], tpr: [null, null, null], fpr: [1, 0.5, 0], precision: [0, 0, null] });
  });

  it('at any threshold t, equals the audit of the predictions "score ≥ t" where defined', () => {
    const n = 500;
    const y = Uint8Array.from({ length: n }, (_, i) => ((i * 7919) % 5 < 2 ? 1 : 0));
    const s = Float64Array.from({ length: n }, (_, i) => ((i * 104729) % 1000) / 1000);
    const g = encodeGroups(Array.from({ length: n }, (_, i) => ['a', 'b', 'c'][(i * 31) % 3]), 'g');
    const thresholds = sweepThresholds([0.5]);
    const sweep = thresholdSweep(y, s, g, thresholds);
    for (const t of [0, 0.13, 0.5, 0.77, 1]) {
      const k = thresholds.indexOf(t);
      const audit = auditColumn({ yTrue: y, yPred: Uint8Array.from(s, (v) => (v >= t ? 1 : 0)) }, g);
      for (const [name, m] of Object.entries(audit.groups)) {
        for (const rate of ['selectionRate', 'tpr', 'fpr', 'precision'] as const) {
          const v = sweep[name][rate][k];
          // Where the sweep says undefined (null), the audit reports Fairlearn's 0.
          assert.equal(v ?? 0, m[rate], `${rate} ${name} @ ${t}`);
        }
      }
    }
  });
});
