/**
 * Tests of src/core/fairness against independently computed values.
 *
 * Sources of the expected numbers:
 * - [METRICS.md]: the published numbers quoted in /work/shared/METRICS.md (Fairlearn user guide,
 *   ProPublica's COMPAS analysis, AIF360's German-credit example).
 * - [ref.py]: test/fixtures/fairness/reference.py, run once with numpy 1.24, pandas 1.5 and
 *   scikit-learn 1.2; it re-implements Fairlearn's and AIF360's formulas as their source code
 *   computes them (no Fairlearn/AIF360 install here). Values are pasted below as literals, so these
 *   tests need neither Python nor /work/shared.
 * - [hand]: worked out by hand in the comment next to the assertion.
 */
import { strict as assert } from 'node:assert';
import { RmlCancelledError } from '../../src/core/errors';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  aucFromSamples,
  auditColumn,
  auditColumns,
  auditMulticlass,
  auditRegression,
  betweenGroups,
  bootstrapDisparities,
  countByGroup,
  DISPARITY_METRICS,
  demographicParityDifference,
  demographicParityRatio,
  disparateImpactRatio,
  encodeGroups,
  encodeRows,
  equalizedOddsDifference,
  equalizedOddsRatio,
  equalOpportunityDifference,
  equalOpportunityRatio,
  intersectGroups,
  maeDifference,
  meanPredictionDifference,
  meanPredictionRatio,
  MISSING_GROUP,
  oneVsRest,
  overallBinary,
  percentile,
  rocAucByGroup,
  signedMetrics,
  theilIndex,
  theilIndexByGroup,
  theilIndexFromCounts,
  Xoshiro128,
  type GroupColumn,
} from '../../src/core/fairness';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'fairness');

/** Minimal CSV split for the fixtures (no quoted fields in them). */
function readFixture(file: string): Record<string, string[]> {
  const lines = fs.readFileSync(path.join(FIXTURES, file), 'utf8').split('\n').filter((l) => l !== '');
  const header = lines[0].split(',');
  const cols: Record<string, string[]> = Object.fromEntries(header.map((h) => [h, [] as string[]]));
  for (const line of lines.slice(1)) {
    const cells = line.split(',');
    assert.equal(cells.length, header.length, `bad fixture line: ${line}`);
    header.forEach((h, j) => cols[h].push(cells[j]));
  }
  return cols;
}

const u8 = (xs: readonly number[]): Uint8Array => Uint8Array.from(xs);
const close = (actual: number | null, expected: number, tol = 1e-12, what = ''): void => {
  assert.ok(actual !== null, `${what} is null, expected ${expected}`);
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: ${actual} is not within ${tol} of ${expected}`);
};

/** Every number in a result is finite (no NaN, no Infinity); nulls are allowed. Returns how many numbers were seen. */
function assertFiniteOrNull(x: unknown, where = '$'): number {
  if (typeof x === 'number') {
    assert.ok(Number.isFinite(x), `${where} = ${x}`);
    return 1;
  }
  if (x !== null && typeof x === 'object') {
    let seen = 0;
    for (const [k, v] of Object.entries(x)) seen += assertFiniteOrNull(v, `${where}.${k}`);
    return seen;
  }
  return 0;
}

// Fairlearn user-guide toy example (METRICS.md).
const TOY = {
  yTrue: u8([0, 1, 1, 1, 1, 0, 1, 0, 1, 0, 0, 0, 1, 1, 1, 1, 1, 1]),
  yPred: u8([0, 0, 1, 0, 1, 1, 1, 0, 0, 1, 1, 1, 1, 0, 0, 1, 1, 0]),
  group: encodeGroups('bbabbcccaacabccbcc'.split(''), 'group'),
};

describe('fairness: Xoshiro128 PRNG', () => {
  it('reproduces the xoshiro128** reference output for state (1, 2, 3, 4)', () => {
    // Vigna's reference C code (prng.di.unimi.it/xoshiro128starstar.c); the same vector is in the
    // rand_xoshiro crate's tests, and [ref]: re-computed with a Python uint32 implementation.
    const r = Xoshiro128.fromState(1, 2, 3, 4);
    assert.deepEqual(
      Array.from({ length: 6 }, () => r.nextUint32()),
      [11520, 0, 5927040, 70819200, 2031721883, 1637235492],
    );
  });

  it('seeds through splitmix32, deterministically', () => {
    // [ref]: Python splitmix32(42) x4 → state, then xoshiro128**.
    const r = new Xoshiro128(42);
    assert.deepEqual([r.nextUint32(), r.nextUint32(), r.nextUint32(), r.nextUint32()], [2837322924, 544945897, 479756282, 3500138142]);
    const a = new Xoshiro128(7);
    const b = new Xoshiro128(7);
    const c = new Xoshiro128(8);
    const sa = Array.from({ length: 5 }, () => a.next());
    assert.deepEqual(sa, Array.from({ length: 5 }, () => b.next()));
    assert.notDeepEqual(sa, Array.from({ length: 5 }, () => c.next()));
  });

  it('draws floats in [0, 1) and integers in [0, n) with every value reachable', () => {
    const r = new Xoshiro128(1);
    const hits = new Int32Array(7);
    for (let i = 0; i < 7000; i++) {
      const x = r.next();
      assert.ok(x >= 0 && x < 1);
      hits[r.int(7)]++;
    }
    // Each bucket expects 1000; 5 standard deviations is about ±150.
    for (const h of hits) assert.ok(h > 850 && h < 1150, `bucket count ${h}`);
  });

  it('rejects a non-integer seed and an all-zero state', () => {
    assert.throws(() => new Xoshiro128(1.5), /integer seed/);
    assert.throws(() => Xoshiro128.fromState(0, 0, 0, 0), /all zero/);
  });
});

describe('fairness: encoding sensitive columns', () => {
  it('encodeGroups maps null to "(missing)" and sorts names', () => {
    const col = encodeGroups(['b', null, 'a', 'b', null, 'c'], 'x');
    assert.deepEqual(col.names, [MISSING_GROUP, 'a', 'b', 'c']); // "(" sorts before letters
    assert.equal(MISSING_GROUP, '(missing)');
    assert.deepEqual(Array.from(col.codes), [2, 0, 1, 2, 0, 3]);
    assert.equal(col.name, 'x');
  });

  it('encodeGroups gives the same names whatever the row order', () => {
    const a = encodeGroups(['z', 'y', 'x']);
    const b = encodeGroups(['x', 'z', 'y']);
    assert.deepEqual(a.names, b.names);
    assert.deepEqual(a.names, ['x', 'y', 'z']);
    assert.deepEqual(Array.from(a.codes), [2, 1, 0]);
    assert.deepEqual(Array.from(b.codes, (c) => b.names[c]), ['x', 'z', 'y']); // decodes back to the rows
  });

  it('intersectGroups names tuples "A & B" and keeps only non-empty combinations', () => {
    const sex = encodeGroups(['Female', 'Male', 'Female', 'Male', 'Female'], 'sex');
    const race = encodeGroups(['Black', 'White', 'Black', 'Black', null], 'race');
    const both = intersectGroups([sex, race]);
    // 2 × 3 = 6 combinations possible, 4 occur; ordered by sex, then race ("(missing)" first).
    assert.deepEqual(both.names, ['Female & (missing)', 'Female & Black', 'Male & Black', 'Male & White']);
    assert.deepEqual(Array.from(both.codes).map((c) => both.names[c]), [
      'Female & Black', 'Male & White', 'Female & Black', 'Male & Black', 'Female & (missing)',
    ]);
    assert.equal(both.name, 'sex & race');
    assert.throws(() => intersectGroups([sex, encodeGroups(['a'])]), /different lengths/);
    assert.throws(() => intersectGroups([]), /at least one column/);
  });

  it('intersectGroups on COMPAS sex × race matches pandas group sizes and selection rates', () => {
    const c = readFixture('compas_subset.csv');
    const both = intersectGroups([encodeGroups(c.sex, 'sex'), encodeGroups(c.race, 'race')]);
    assert.equal(both.names.length, 12); // [ref]: groupby(["sex","race"]).ngroups = 12
    const audit = auditColumn(compasBinary(c), both);
    // [ref]: pandas (sex == …) & (race == …)
    assert.equal(audit.groups['Female & African-American'].n, 652);
    close(audit.groups['Female & African-American'].selectionRate, 0.5168711656441718);
    assert.equal(audit.groups['Male & Caucasian'].n, 1887);
    close(audit.groups['Male & Caucasian'].selectionRate, 0.3338632750397456);
    assert.equal(audit.groups['Female & Native American'].n, 4);
    assert.ok(audit.warnings.some((w) => w.kind === 'small-group' && w.group === 'Female & Native American'));
  });
});

function compasBinary(c: Record<string, string[]>): { yTrue: Uint8Array; yPred: Uint8Array } {
  return {
    yTrue: Uint8Array.from(c.two_year_recid, Number),
    yPred: Uint8Array.from(c.score_text, (s) => (s === 'Low' ? 0 : 1)),
  };
}

describe('fairness: Fairlearn user-guide toy example', () => {
  const counts = countByGroup(TOY.yTrue, TOY.yPred, TOY.group);

  it('per-group rates (hand-checked)', () => {
    // [hand] group a: rows 2, 8, 9, 11 → y = 1,1,0,0, ŷ = 1,0,1,1: SR 3/4, TPR 1/2, FPR 2/2.
    // group b: rows 0,1,3,4,12,15 → y = 0,1,1,1,1,1, ŷ = 0,0,0,1,1,1: SR 3/6, TPR 3/5, FPR 0/1.
    // group c: rows 5,6,7,10,13,14,16,17 → y = 0,1,0,0,1,1,1,1, ŷ = 1,1,0,1,0,0,1,0: SR 4/8, TPR 2/5, FPR 2/3.
    const a = auditColumn(TOY, TOY.group);
    assert.deepEqual(Object.keys(a.groups), ['a', 'b', 'c']);
    const { a: ga, b: gb, c: gc } = a.groups;
    assert.deepEqual([ga.n, ga.selectionRate, ga.tpr, ga.fpr, ga.fnr, ga.tnr], [4, 0.75, 0.5, 1, 0.5, 0]);
    assert.deepEqual([gb.n, gb.selectionRate, gb.tpr, gb.fpr, gb.fnr, gb.tnr], [6, 0.5, 0.6, 0, 0.4, 1]);
    assert.equal(gc.n, 8);
    close(gc.fpr, 2 / 3);
    close(gc.tpr, 0.4);
    // [hand] accuracy a: 1 of 4 right; precision a: 1 TP of 3 predicted; base rate b 5/6.
    assert.equal(ga.accuracy, 0.25);
    close(ga.precision, 1 / 3);
    close(gb.baseRate, 5 / 6);
    assert.equal(ga.rocAuc, null); // no scores given
  });

  it('disparities: DPD 0.25, DPR 2/3, EOD 1.0, EOR 0.0 [METRICS.md]', () => {
    assert.equal(demographicParityDifference(counts), 0.25);
    close(demographicParityRatio(counts), 2 / 3, 1e-15);
    close(disparateImpactRatio(counts), 2 / 3, 1e-15);
    assert.equal(equalizedOddsDifference(counts), 1.0);
    assert.equal(equalizedOddsRatio(counts), 0.0);
    // [ref]: equal opportunity max−min TPR = 0.6 − 0.4, min/max = 0.4/0.6
    close(equalOpportunityDifference(counts), 0.19999999999999996, 1e-15);
    close(equalOpportunityRatio(counts), 0.6666666666666667, 1e-15);
  });

  it('names the groups at the extremes', () => {
    const a = auditColumn(TOY, TOY.group);
    assert.ok(a.extremes);
    // SR: a 0.75 max, b and c tie at 0.5 → the first group in order (b).
    assert.deepEqual(a.extremes.demographicParityDifference, { rate: 'selectionRate', min: 'b', max: 'a' });
    // EOD is driven by FPR (1 − 0 = 1 > TPR's 0.2): b has FPR 0, a has FPR 1.
    assert.deepEqual(a.extremes.equalizedOddsDifference, { rate: 'fpr', min: 'b', max: 'a' });
    assert.deepEqual(a.extremes.equalizedOddsRatio, { rate: 'fpr', min: 'b', max: 'a' });
    assert.deepEqual(a.extremes.equalOpportunityDifference, { rate: 'tpr', min: 'c', max: 'b' });
  });

  it('Theil index overall, within and between groups [ref: AIF360 formulas]', () => {
    close(theilIndex(TOY.yTrue, TOY.yPred), 0.4643566259363561);
    const t = theilIndexByGroup(counts);
    close(t.overall, 0.4643566259363561);
    close(t.groups.a, 0.33137419313374655);
    close(t.groups.b, 0.4054651081081644);
    close(t.groups.c, 0.5296154958016343);
    close(t.betweenGroups, 0.027729134141804265);
  });

  it('the audit JSON has the documented shape and key order', () => {
    const a = auditColumn(TOY, TOY.group, { privileged: 'a', bootstrap: { resamples: 50 } });
    assert.deepEqual(Object.keys(a), [
      'groups', ...DISPARITY_METRICS, 'signed', 'intervals', 'bootstrap', 'extremes', 'theilIndex', 'warnings',
    ]);
    assert.deepEqual(Object.keys(a.groups.a), [
      'n', 'selectionRate', 'baseRate', 'accuracy', 'tpr', 'fpr', 'fnr', 'tnr', 'precision', 'rocAuc',
    ]);
    assert.ok(assertFiniteOrNull(JSON.parse(JSON.stringify(a))) > 50);
    const plain = auditColumn(TOY, TOY.group);
    assert.equal('signed' in plain, false);
    assert.equal('intervals' in plain, false);
  });
});

describe('fairness: ProPublica COMPAS (all 7,214 rows)', () => {
  const c = readFixture('compas_subset.csv');
  const data = compasBinary(c);
  const race = encodeGroups(c.race, 'race');

  it('reproduces the published FPR and FNR by race [METRICS.md / ProPublica]', () => {
    assert.equal(data.yTrue.length, 7214);
    const a = auditColumn(data, race);
    const pct = (x: number): string => (100 * x).toFixed(2);
    assert.equal(pct(a.groups['African-American'].fpr), '44.85');
    assert.equal(pct(a.groups.Caucasian.fpr), '23.45');
    assert.equal(pct(a.groups['African-American'].fnr), '27.99');
    assert.equal(pct(a.groups.Caucasian.fnr), '47.72');
  });

  it('matches the full-precision rates and disparities [ref]', () => {
    const a = auditColumn(data, race);
    const aa = a.groups['African-American'];
    assert.equal(aa.n, 3696);
    close(aa.selectionRate, 0.5882034632034632);
    close(aa.tpr, 0.7201472908995266);
    close(aa.fpr, 0.44846796657381616);
    close(aa.tnr, 0.5515320334261838);
    close(a.groups.Caucasian.fnr, 0.4772256728778468);
    close(a.groups['Native American'].tpr, 0.9);
    close(a.demographicParityDifference, 0.4571175950486295);
    close(a.demographicParityRatio, 0.31432360742705573);
    close(a.equalizedOddsDifference, 0.5766917293233083);
    close(a.equalizedOddsRatio, 0.19389684039967595);
    close(a.equalOpportunityDifference, 0.5766917293233083);
    close(a.equalOpportunityRatio, 0.3592314118629908);
    close(a.theilIndex.overall, 0.23501763386556845);
    // The small groups (Asian 32 is ≥ 30; Native American 18 is not) are flagged.
    assert.deepEqual(a.warnings.map((w) => `${w.kind}:${w.group}`), ['small-group:Native American']);
    assert.match(a.warnings[0].message, /Native American.*of race.*18 rows/);
  });

  it('signed AIF360 metrics with Caucasian privileged [ref]', () => {
    const a = auditColumn(data, race, { privileged: 'Caucasian' });
    assert.ok(a.signed);
    assert.equal(a.signed.privileged, 'Caucasian');
    close(a.signed.statisticalParityDifference, 0.16943371480621594);
    close(a.signed.disparateImpact, 1.486873929899829);
    close(a.signed.equalOpportunityDifference, 0.1468099179544332);
    close(a.signed.averageOddsDifference, 0.144618302085721);
  });
});

describe('fairness: AIF360 German credit', () => {
  const g = readFixture('german_subset.csv');
  const y = Uint8Array.from(g.credit_good, Number);
  const sex = encodeGroups(g.sex, 'sex');

  it('disparate impact 0.896567328205 with true labels as predictions, male privileged [METRICS.md / AIF360]', () => {
    const s = signedMetrics(countByGroup(y, y, sex), 'male');
    close(s.disparateImpact, 0.896567328205, 1e-9);
    close(s.disparateImpact, 0.8965673282047968, 1e-15); // [ref]
    close(s.statisticalParityDifference, -0.07480130902290782); // [ref]
    // Perfect predictions: TPR = 1 and FPR = 0 in both groups.
    assert.equal(s.equalOpportunityDifference, 0);
    assert.equal(s.averageOddsDifference, 0);
  });

  it('a two-group column: the Fairlearn ratio equals the AIF360 one when the privileged group is selected more', () => {
    const a = auditColumn({ yTrue: y, yPred: y }, sex, { privileged: 'male' });
    close(a.disparateImpactRatio, 0.8965673282047968, 1e-15);
    assert.deepEqual(a.extremes?.disparateImpactRatio, { rate: 'selectionRate', min: 'female', max: 'male' });
  });
});

describe('fairness: performance metrics and ROC AUC (scikit-learn)', () => {
  const m = readFixture('compas_lr_predictions_subset.csv');
  const yTrue = Uint8Array.from(m.y_true, Number);
  const yPred = Uint8Array.from(m.y_pred, Number);
  const scores = Float64Array.from(m.y_score, Number);

  it('overallBinary matches sklearn on a logistic regression trained on COMPAS [ref]', () => {
    const o = overallBinary(yTrue, yPred, scores);
    assert.deepEqual([o.tp, o.fp, o.tn, o.fn], [526, 251, 926, 462]);
    close(o.accuracy, 0.6706697459584295);
    close(o.balancedAccuracy, 0.6595673141418346);
    close(o.precision, 0.676962676962677);
    close(o.recall, 0.5323886639676113);
    close(o.f1, 0.5960339943342776);
    close(o.rocAuc, 0.7239004846604453);
    close(o.selectionRate, (526 + 251) / 2165);
    close(o.baseRate, (526 + 462) / 2165);
    assert.equal(overallBinary(yTrue, yPred).rocAuc, null);
  });

  it('per-group ROC AUC and the no-predicted-positives flag [ref]', () => {
    const a = auditColumn({ yTrue, yPred, scores }, encodeGroups(m.race, 'race'));
    const expected: Record<string, [number, number]> = {
      'African-American': [1106, 0.7198805460750852],
      Asian: [12, 0.8148148148148149],
      Caucasian: [738, 0.691290141105571],
      Hispanic: [198, 0.7317522321428572],
      'Native American': [6, 0.7777777777777779],
      Other: [105, 0.7339030206677266],
    };
    for (const [k, [n, auc]] of Object.entries(expected)) {
      assert.equal(a.groups[k].n, n);
      close(a.groups[k].rocAuc, auc, 1e-12, `rocAuc ${k}`);
    }
    // sklearn precision_score(zero_division=0) is 0 for Asian: nothing predicted positive.
    assert.equal(a.groups.Asian.precision, 0);
    close(a.groups.Caucasian.precision, 0.612565445026178);
    const kinds = a.warnings.map((w) => `${w.kind}:${w.group}`);
    assert.deepEqual(kinds, ['small-group:Asian', 'no-predicted-positives:Asian', 'small-group:Native American']);
  });

  it('ROC AUC counts ties as one half [ref: roc_auc_score]', () => {
    // [hand] positives 0.4, 0.8, 0.8 vs negatives 0.1, 0.4, 0.8:
    // 0.4 → 1 + ½; 0.8 → 2 + ½ (twice) → 6.5 / 9 = 0.7222…
    const auc = aucFromSamples(Float64Array.of(0.4, 0.8, 0.8), Float64Array.of(0.1, 0.4, 0.8));
    close(auc, 0.7222222222222222, 1e-15);
    assert.equal(aucFromSamples(Float64Array.of(0.5), new Float64Array(0)), null);
  });

  it('ROC AUC is null for a one-class group and rejects NaN scores', () => {
    const yT = u8([1, 1, 0, 1]);
    const rows = encodeRows(yT, u8([1, 0, 0, 1]), encodeGroups(['x', 'x', 'y', 'y']));
    assert.deepEqual(rocAucByGroup(yT, Float64Array.of(0.9, 0.2, 0.3, 0.8), rows), [null, 1]);
    assert.throws(() => rocAucByGroup(yT, Float64Array.of(0.9, NaN, 0.3, 0.8), rows), /row 1: score must be a finite number/);
  });

  it('balanced accuracy with one class present follows sklearn (mean recall of the present class) [ref]', () => {
    // sklearn balanced_accuracy_score([0,0,0],[0,1,0]) = 0.6666… (= TNR) with a warning.
    close(overallBinary(u8([0, 0, 0]), u8([0, 1, 0])).balancedAccuracy, 2 / 3, 1e-15);
    assert.throws(() => overallBinary(new Uint8Array(0), new Uint8Array(0)), /requires at least one row/);
  });
});

describe('fairness: Theil index', () => {
  it('a small case by hand', () => {
    // [hand] y = 1,1,0,0; ŷ = 1,0,1,0 → b = 1,0,2,1, μ = 1:
    // T = ¼[1·ln 1 + 0 (b = 0 contributes 0) + 2·ln 2 + 1·ln 1] = ln(2)/2. [ref]: 0.34657359027997264.
    const t = theilIndex(u8([1, 1, 0, 0]), u8([1, 0, 1, 0]));
    close(t, Math.log(2) / 2, 1e-15);
    close(t, 0.34657359027997264, 1e-15);
  });

  it('is 0 for perfect predictions and null when every row is a false negative (μ = 0)', () => {
    assert.equal(theilIndex(u8([1, 0, 1]), u8([1, 0, 1])), 0);
    assert.equal(theilIndexFromCounts(0, 0, 5, 0), null);
    assert.equal(theilIndex(u8([1, 1]), u8([0, 0])), null);
  });
});

describe('fairness: edge cases', () => {
  it('a single group: low-level functions throw; the audit gives nulls and a warning', () => {
    const one = encodeGroups(['x', 'x', 'x'], 'solo');
    const counts = countByGroup(u8([1, 0, 1]), u8([1, 1, 0]), one);
    assert.throws(() => demographicParityDifference(counts), { message: 'demographicParityDifference requires at least two groups' });
    assert.throws(() => equalizedOddsRatio(counts), { message: 'equalizedOddsRatio requires at least two groups' });
    assert.throws(() => betweenGroups([1], 'x'), /x requires at least two groups/);
    const a = auditColumn({ yTrue: u8([1, 0, 1]), yPred: u8([1, 1, 0]) }, one, { minGroupSize: 1 });
    for (const m of DISPARITY_METRICS) assert.equal(a[m], null, m);
    assert.equal(a.extremes, null);
    assert.deepEqual(a.warnings.map((w) => w.kind), ['single-group']);
    assert.match(a.warnings[0].message, /solo has a single group \("x"\)/);
    assert.equal(a.groups.x.n, 3);
  });

  it('a group with no actual positives has TPR = FNR = 0 (Fairlearn) and is flagged', () => {
    // group p: y = 0,0 ŷ = 1,0; group q: y = 1,0 ŷ = 1,1.
    const col = encodeGroups(['p', 'p', 'q', 'q']);
    const a = auditColumn({ yTrue: u8([0, 0, 1, 0]), yPred: u8([1, 0, 1, 1]) }, col, { minGroupSize: 0 });
    assert.equal(a.groups.p.tpr, 0);
    assert.equal(a.groups.p.fnr, 0); // sklearn confusion_matrix(normalize="true") → [0.5, 0.5, 0, 0] [ref]
    assert.equal(a.groups.p.fpr, 0.5);
    assert.deepEqual(a.warnings.map((w) => `${w.kind}:${w.group}`), ['no-positives:p']);
    // TPR: p 0, q 1 → equal opportunity difference 1, ratio 0.
    assert.equal(a.equalOpportunityDifference, 1);
    assert.equal(a.equalOpportunityRatio, 0);
  });

  it('a group with no actual negatives has FPR = TNR = 0 and is flagged', () => {
    const col = encodeGroups(['p', 'p', 'q', 'q']);
    const a = auditColumn({ yTrue: u8([1, 1, 1, 0]), yPred: u8([1, 0, 1, 1]) }, col, { minGroupSize: 0 });
    assert.deepEqual([a.groups.p.fpr, a.groups.p.tnr], [0, 0]);
    assert.deepEqual(a.warnings.map((w) => `${w.kind}:${w.group}`), ['no-negatives:p']);
  });

  it('0/0 ratios are null, never NaN or Infinity', () => {
    // Nobody is ever predicted positive: every SR, TPR and FPR is 0.
    const col = encodeGroups(['p', 'p', 'q', 'q']);
    const data = { yTrue: u8([1, 0, 1, 0]), yPred: u8([0, 0, 0, 0]) };
    const a = auditColumn(data, col, { privileged: 'p', bootstrap: { resamples: 20 } });
    assert.equal(a.demographicParityDifference, 0);
    assert.equal(a.demographicParityRatio, null);
    assert.equal(a.disparateImpactRatio, null);
    assert.equal(a.equalizedOddsRatio, null);
    assert.equal(a.equalOpportunityRatio, null);
    assert.equal(a.signed?.disparateImpact, null);
    assert.equal(a.signed?.statisticalParityDifference, 0);
    assert.equal(a.intervals?.demographicParityRatio, null);
    assert.equal(a.bootstrap?.skipped.demographicParityRatio, 20);
    assert.ok(assertFiniteOrNull(JSON.parse(JSON.stringify(a))) > 20);
    // The JSON text has no NaN/Infinity to turn into null silently either.
    assert.doesNotMatch(JSON.stringify(a), /NaN|Infinity/);
  });

  it('equalizedOddsRatio is null when only the FPR ratio is 0/0', () => {
    // TPR: p 1, q 0.5 (ratio 0.5); no negative is ever predicted positive (FPR 0/0 ratio).
    const counts = countByGroup(u8([1, 0, 1, 1, 0]), u8([1, 0, 1, 0, 0]), encodeGroups(['p', 'p', 'q', 'q', 'q']));
    assert.equal(equalOpportunityRatio(counts), 0.5);
    assert.equal(equalizedOddsRatio(counts), null);
    assert.equal(equalizedOddsDifference(counts), 0.5);
  });

  it('missing sensitive values are their own "(missing)" group', () => {
    const col = encodeGroups(['a', null, 'a', null, 'b'], 'x');
    const a = auditColumn({ yTrue: u8([1, 1, 0, 0, 1]), yPred: u8([1, 0, 0, 0, 1]) }, col, { minGroupSize: 0 });
    assert.deepEqual(Object.keys(a.groups), ['(missing)', 'a', 'b']);
    assert.equal(a.groups['(missing)'].n, 2);
    assert.equal(a.groups['(missing)'].selectionRate, 0);
    assert.equal(a.extremes?.demographicParityDifference.min, '(missing)');
  });

  it('a code with no rows is not a group; bad input throws clearly', () => {
    const col: GroupColumn = { codes: Int32Array.of(0, 2, 2), names: ['a', 'unused', 'c'] };
    const counts = countByGroup(u8([1, 0, 1]), u8([1, 0, 0]), col);
    assert.deepEqual(counts.names, ['a', 'c']);
    assert.deepEqual(Array.from(counts.cells), [0, 0, 0, 1, 1, 0, 1, 0]);
    assert.throws(() => countByGroup(u8([2]), u8([0]), encodeGroups(['a'])), /row 0: yTrue and yPred must be 0 or 1/);
    assert.throws(() => countByGroup(u8([1]), u8([0]), { codes: Int32Array.of(3), names: ['a'] }), /group code 3 is outside 0..0/);
    assert.throws(() => countByGroup(u8([1, 0]), u8([0]), encodeGroups(['a', 'a'])), /yPred has 1 rows but yTrue has 2/);
    assert.throws(() => auditColumn({ yTrue: new Uint8Array(0), yPred: new Uint8Array(0) }, encodeGroups([])), /at least one row/);
  });

  it('signed metrics: an absent privileged value, or no unprivileged rows, give nulls and a warning', () => {
    const data = { yTrue: u8([1, 0, 1, 0]), yPred: u8([1, 0, 0, 1]) };
    const absent = auditColumn(data, encodeGroups(['a', 'a', 'b', 'b'], 'x'), { privileged: 'z', minGroupSize: 0 });
    assert.deepEqual(absent.signed, {
      privileged: 'z', statisticalParityDifference: null, disparateImpact: null, equalOpportunityDifference: null, averageOddsDifference: null,
    });
    assert.deepEqual(absent.warnings.map((w) => `${w.kind}:${w.group}`), ['privileged-absent:z']);
    const all = auditColumn(data, encodeGroups(['a', 'a', 'a', 'a'], 'x'), { privileged: 'a', minGroupSize: 0 });
    assert.equal(all.signed?.statisticalParityDifference, null);
    assert.deepEqual(all.warnings.map((w) => w.kind), ['single-group', 'unprivileged-absent']);
  });

  it('signed metrics: an undefined rate makes only the metrics that use it null', () => {
    // Unprivileged rows (b) have no actual positives → TPR_u undefined (AIF360 NaN).
    const s = signedMetrics(countByGroup(u8([1, 0, 0, 0]), u8([1, 0, 1, 0]), encodeGroups(['a', 'a', 'b', 'b'])), 'a');
    assert.equal(s.statisticalParityDifference, 0); // [hand] SR_u = SR_p = ½
    assert.equal(s.disparateImpact, 1);
    assert.equal(s.equalOpportunityDifference, null);
    assert.equal(s.averageOddsDifference, null);
  });
});

describe('fairness: bootstrap intervals', () => {
  const c = readFixture('compas_subset.csv');
  const data = compasBinary(c);
  const race = encodeGroups(c.race, 'race');

  it('percentile uses numpy\'s default linear interpolation [ref: np.percentile]', () => {
    const v = Float64Array.of(3.0, 1.0, 4.0, 1.5, 9.0, 2.6).sort();
    close(percentile(v, 0.025), 1.0625, 1e-15);
    close(percentile(v, 0.975), 8.375, 1e-15);
    close(percentile(v, 0.5), 2.8, 1e-15);
    assert.equal(percentile([5], 0.3), 5);
    assert.throws(() => percentile([], 0.5), /at least one value/);
  });

  it('is deterministic for a seed, differs across seeds, and brackets the point estimate on COMPAS', () => {
    const a = auditColumn(data, race, { privileged: 'Caucasian', bootstrap: { seed: 3 } });
    const again = auditColumn(data, race, { privileged: 'Caucasian', bootstrap: { seed: 3 } });
    const other = auditColumn(data, race, { privileged: 'Caucasian', bootstrap: { seed: 4 } });
    assert.deepEqual(a.intervals, again.intervals);
    assert.notDeepEqual(a.intervals, other.intervals);
    assert.deepEqual(a.bootstrap?.percentiles, [2.5, 97.5]);
    assert.equal(a.bootstrap?.resamples, 1000);
    const checks: [string, number | null | undefined][] = [
      ['demographicParityDifference', a.demographicParityDifference],
      ['demographicParityRatio', a.demographicParityRatio],
      ['equalizedOddsDifference', a.equalizedOddsDifference],
      ['equalOpportunityRatio', a.equalOpportunityRatio],
      ['statisticalParityDifference', a.signed?.statisticalParityDifference],
      ['disparateImpact', a.signed?.disparateImpact],
      ['equalOpportunityDifferenceSigned', a.signed?.equalOpportunityDifference],
      ['averageOddsDifference', a.signed?.averageOddsDifference],
      ['theilIndex', a.theilIndex.overall],
    ];
    for (const [metric, point] of checks) {
      const iv = a.intervals?.[metric];
      assert.ok(iv && typeof point === 'number', metric);
      assert.ok(iv[0] <= point && point <= iv[1], `${metric}: ${point} outside [${iv[0]}, ${iv[1]}]`);
      assert.ok(iv[1] - iv[0] < 0.5, `${metric} interval too wide`);
      assert.equal(a.bootstrap?.skipped[metric], 0, metric);
    }
    // The signed SPD (~0.17 on 7,214 rows) is clearly non-zero: the interval excludes 0.
    assert.ok((a.intervals?.statisticalParityDifference?.[0] ?? 0) > 0.1);
  });

  it('equals a naive row-by-row resampling with the same generator, including skipped counts', () => {
    // 20 rows; group "z" has a single row, so a resample loses it with probability (19/20)^20 ≈ 0.36.
    const labels = ['a', 'b', 'a', 'b', 'a', 'b', 'a', 'b', 'a', 'b', 'a', 'b', 'a', 'b', 'a', 'b', 'a', 'b', 'a', 'z'];
    const yTrue = u8([1, 0, 1, 1, 0, 0, 1, 0, 1, 1, 0, 1, 0, 0, 1, 1, 0, 0, 1, 1]);
    const yPred = u8([1, 0, 0, 1, 1, 0, 1, 0, 1, 0, 0, 1, 1, 0, 1, 1, 0, 1, 0, 1]);
    const col = encodeGroups(labels);
    const R = 400;
    const b = bootstrapDisparities(yTrue, yPred, col, { resamples: R, seed: 11 });

    // Independent reference: draw indices one by one and recompute DPD from the rows.
    const rng = new Xoshiro128(11);
    const dpd: number[] = [];
    let skipped = 0;
    for (let r = 0; r < R; r++) {
      const sel = new Map<string, [number, number]>();
      for (let k = 0; k < labels.length; k++) {
        const i = rng.int(labels.length);
        const s = sel.get(labels[i]) ?? [0, 0];
        sel.set(labels[i], [s[0] + yPred[i], s[1] + 1]);
      }
      if (sel.size < 3) {
        skipped++;
        continue;
      }
      const rates = [...sel.values()].map(([p, n]) => p / n);
      dpd.push(Math.max(...rates) - Math.min(...rates));
    }
    dpd.sort((x, y) => x - y);
    assert.ok(skipped > 100 && skipped < 200, `skipped ${skipped}`); // ≈ 0.36 · 400
    assert.equal(b.info.skipped.demographicParityDifference, skipped);
    assert.deepEqual(b.intervals.demographicParityDifference, [percentile(dpd, 0.025), percentile(dpd, 0.975)]);
    assert.equal(b.info.skipped.theilIndex, 0); // Theil does not need every group
  });

  it('rejects bad options', () => {
    assert.throws(() => bootstrapDisparities(TOY.yTrue, TOY.yPred, TOY.group, { resamples: 0 }), /positive integer/);
    assert.throws(() => bootstrapDisparities(TOY.yTrue, TOY.yPred, TOY.group, { confidence: 1 }), /confidence/);
    const b = bootstrapDisparities(TOY.yTrue, TOY.yPred, TOY.group, { resamples: 10, confidence: 0.9 });
    assert.deepEqual(b.info.percentiles, [5, 95]);
  });

  it('asks `interrupted` before each resample and stops with RmlCancelledError when it says so', () => {
    let asked = 0;
    assert.throws(() => bootstrapDisparities(TOY.yTrue, TOY.yPred, TOY.group, { resamples: 1000, interrupted: () => ++asked > 3 }), RmlCancelledError);
    assert.equal(asked, 4, 'three resamples ran, the fourth was refused');
    const never = bootstrapDisparities(TOY.yTrue, TOY.yPred, TOY.group, { resamples: 50, seed: 3, interrupted: () => false });
    assert.deepEqual(never, bootstrapDisparities(TOY.yTrue, TOY.yPred, TOY.group, { resamples: 50, seed: 3 }), 'an interrupt that never fires changes nothing');
  });
});

describe('fairness: several columns', () => {
  it('auditColumns keys by column name and applies each column\'s privileged value', () => {
    const c = readFixture('compas_subset.csv');
    const data = compasBinary(c);
    const res = auditColumns(data, [encodeGroups(c.race, 'race'), encodeGroups(c.sex, 'sex'), encodeGroups(c.age_cat, 'age_cat')], {
      privileged: { race: 'Caucasian', sex: 'Female' },
    });
    assert.deepEqual(Object.keys(res), ['race', 'sex', 'age_cat']);
    close(res.race.signed?.disparateImpact ?? null, 1.486873929899829);
    assert.equal(res.sex.signed?.privileged, 'Female');
    assert.equal(res.age_cat.signed, undefined);
    assert.deepEqual(Object.keys(res.age_cat.groups), ['25 - 45', 'Greater than 45', 'Less than 25']);
    assert.throws(() => auditColumns(data, [encodeGroups(c.sex)]), /needs a name/);
    assert.throws(() => auditColumns(data, [encodeGroups(c.sex, 's'), encodeGroups(c.race, 's')]), /given twice/);
  });
});

describe('fairness: multiclass one-vs-rest', () => {
  // Classes 0 = low, 1 = mid, 2 = high. Groups g and h.
  const yTrue = Int32Array.of(0, 1, 2, 2, 0, 1, 1, 2);
  const yPred = Int32Array.of(0, 1, 1, 2, 1, 1, 0, 2);
  const col = encodeGroups(['g', 'g', 'g', 'g', 'h', 'h', 'h', 'h'], 'grp');

  it('audits each class as positive vs rest', () => {
    const res = auditMulticlass({ yTrue, yPred, classNames: ['low', 'mid', 'high'] }, col, { minGroupSize: 0 });
    assert.deepEqual(Object.keys(res.classes), ['low', 'mid', 'high']);
    // [hand] class "mid": predicted mid in g: rows 1,2 of 4 → SR ½; in h: rows 4,5 of 4 → SR ½ → DPD 0.
    assert.equal(res.classes.mid.groups.g.selectionRate, 0.5);
    assert.equal(res.classes.mid.demographicParityDifference, 0);
    // [hand] class "high": in g rows 2, 3 are truly high and row 3 is predicted high → TPR ½;
    // in h row 7 is the only high row and it is predicted high → TPR 1.
    assert.equal(res.classes.high.groups.g.tpr, 0.5);
    assert.equal(res.classes.high.groups.h.tpr, 1);
    // [hand] class "low": g truth {0} predicted {0} → TPR 1; h truth {4} predicted {6} → TPR 0.
    assert.equal(res.classes.low.equalOpportunityDifference, 1);
    assert.deepEqual(res.classes.low.extremes?.equalOpportunityDifference, { rate: 'tpr', min: 'h', max: 'g' });
    // Same as running the binary audit by hand on the one-vs-rest labels.
    const manual = auditColumn({ yTrue: oneVsRest(yTrue, 1), yPred: oneVsRest(yPred, 1) }, col, { minGroupSize: 0 });
    assert.deepEqual(res.classes.mid, manual);
  });

  it('uses per-class scores and validates labels', () => {
    const s = [0, 1, 2].map((k) => Float64Array.from(yTrue, (y, i) => (y === k ? 0.6 : 0.4) + i / 100));
    const res = auditMulticlass({ yTrue, yPred, classNames: ['low', 'mid', 'high'], scores: s }, col, { minGroupSize: 0 });
    // Scores separate class k perfectly within each group, so every defined AUC is 1.
    assert.equal(res.classes.mid.groups.g.rocAuc, 1);
    assert.throws(() => auditMulticlass({ yTrue: Int32Array.of(0, 3), yPred: Int32Array.of(0, 1), classNames: ['a', 'b'] }, encodeGroups(['x', 'y'])), /row 1: yTrue must be a class index in 0..1/);
    assert.throws(() => auditMulticlass({ yTrue, yPred, classNames: ['only'] }, col), /at least two classes/);
  });
});

describe('fairness: regression', () => {
  it('per-group means and MAE with their disparities (hand-computed)', () => {
    // [hand] group a: y = 1, 3, ŷ = 2, 2 → mean ŷ 2, mean y 2, MAE 1.
    //        group b: y = 4, 4, 4, ŷ = 5, 3, 7 → mean ŷ 5, mean y 4, MAE (1+1+3)/3 = 5/3.
    const col = encodeGroups(['a', 'a', 'b', 'b', 'b'], 'g');
    const r = auditRegression(Float64Array.of(1, 3, 4, 4, 4), Float64Array.of(2, 2, 5, 3, 7), col);
    assert.deepEqual(r.groups.a, { n: 2, meanPrediction: 2, meanTrue: 2, mae: 1 });
    assert.equal(r.groups.b.meanPrediction, 5);
    close(r.groups.b.mae, 5 / 3, 1e-15);
    assert.equal(r.meanPredictionDifference, 3);
    assert.equal(r.meanPredictionRatio, 0.4);
    close(r.maeDifference, 2 / 3, 1e-15);
    assert.deepEqual(r.extremes, { meanPrediction: { min: 'a', max: 'b' }, mae: { min: 'a', max: 'b' } });
    assert.deepEqual(r.warnings.map((w) => `${w.kind}:${w.group}`), ['small-group:a', 'small-group:b']);
    assert.equal(meanPredictionDifference(Object.values(r.groups)), 3);
    assert.equal(maeDifference([r.groups.a, r.groups.a]), 0);
  });

  it('the mean-prediction ratio is null for a negative mean or a zero max; one group gives nulls', () => {
    const g2 = encodeGroups(['a', 'b']);
    assert.equal(auditRegression(Float64Array.of(0, 0), Float64Array.of(-1, 2), g2).meanPredictionRatio, null);
    assert.equal(auditRegression(Float64Array.of(0, 0), Float64Array.of(0, 0), g2).meanPredictionRatio, null);
    assert.equal(meanPredictionRatio([{ n: 1, meanPrediction: -4, meanTrue: 0, mae: 0 }, { n: 1, meanPrediction: -2, meanTrue: 0, mae: 0 }]), null);
    const one = auditRegression(Float64Array.of(1, 2), Float64Array.of(1, 2), encodeGroups(['a', 'a']), { minGroupSize: 0 });
    assert.equal(one.meanPredictionDifference, null);
    assert.deepEqual(one.warnings.map((w) => w.kind), ['single-group']);
    assert.throws(() => meanPredictionDifference([one.groups.a]), { message: 'meanPredictionDifference requires at least two groups' });
    assert.throws(() => auditRegression(Float64Array.of(NaN), Float64Array.of(1), encodeGroups(['a'])), /must be finite/);
  });
});
