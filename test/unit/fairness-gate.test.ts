/**
 * The fairness gate: --fail-on parsing, config thresholds, and evaluation.
 * Audit values come from the Fairlearn user-guide toy example (METRICS.md): DPD 0.25, DPR 2/3,
 * EOD 1.0, EOR 0.0, and by hand for the signed metrics.
 */
import { strict as assert } from 'node:assert';
import { RmlInputError } from '../../src/core/errors';
import {
  auditColumn,
  auditRegression,
  encodeGroups,
  evaluateGate,
  GATE_METRICS,
  gateMetricValue,
  limitsFromThresholds,
  parseFailOn,
} from '../../src/core/fairness';

const u8 = (xs: readonly number[]): Uint8Array => Uint8Array.from(xs);
const TOY = {
  yTrue: u8([0, 1, 1, 1, 1, 0, 1, 0, 1, 0, 0, 0, 1, 1, 1, 1, 1, 1]),
  yPred: u8([0, 0, 1, 0, 1, 1, 1, 0, 0, 1, 1, 1, 1, 0, 0, 1, 1, 0]),
};
const group = encodeGroups('bbabbcccaacabccbcc'.split(''), 'group');
const toy = auditColumn(TOY, group);
// [hand] privileged a (SR 3/4, TPR 1/2, FPR 1) vs rest b+c (SR 7/14 = ½, TPR 5/10 = ½, FPR 2/4 = ½):
// SPD = ½ − ¾ = −0.25, DI = ⅔, EOD_signed = 0, AOD = ½(−½ + 0) = −0.25.
const toyPriv = auditColumn(TOY, group, { privileged: 'a' });

describe('fairness gate: parseFailOn', () => {
  it('parses the CLI syntax', () => {
    assert.deepEqual(parseFailOn('demographicParityDifference<=0.1,disparateImpactRatio>=0.8'), [
      { metric: 'demographicParityDifference', op: '<=', value: 0.1 },
      { metric: 'disparateImpactRatio', op: '>=', value: 0.8 },
    ]);
  });

  it('accepts spaces, < and >, exponents, a trailing comma, and a column prefix', () => {
    assert.deepEqual(parseFailOn(' theilIndex < 1e-1 , race:equalizedOddsRatio>.75, '), [
      { metric: 'theilIndex', op: '<', value: 0.1 },
      { metric: 'equalizedOddsRatio', op: '>', value: 0.75, column: 'race' },
    ]);
    assert.deepEqual(parseFailOn('age: group:maeDifference<=2'), [{ metric: 'maeDifference', op: '<=', value: 2, column: 'age: group' }]);
  });

  it('rejects bad syntax, unknown metrics and an empty list with an RmlInputError', () => {
    assert.throws(() => parseFailOn('demographicParityDifference=0.1'), (e: unknown) =>
      e instanceof RmlInputError && /bad --fail-on entry "demographicParityDifference=0\.1": expected <metric><op><number>/.test(e.message));
    assert.throws(() => parseFailOn('demographicParityDifference<=abc'), /bad --fail-on entry/);
    assert.throws(() => parseFailOn('demographicParityDifference<=0.1 extra'), /bad --fail-on entry/);
    assert.throws(() => parseFailOn('dpd<=0.1'), (e: unknown) =>
      e instanceof RmlInputError && /unknown fairness metric "dpd"; known metrics: demographicParityDifference/.test(e.message));
    assert.throws(() => parseFailOn(' , '), /at least one limit/);
  });
});

describe('fairness gate: limitsFromThresholds', () => {
  it('differences are maxima, ratios minima, signed differences maxima on |value|', () => {
    assert.deepEqual(
      limitsFromThresholds({ demographicParityDifference: 0.1, theilIndex: 0.2, disparateImpactRatio: 0.8, disparateImpact: 0.8, statisticalParityDifference: 0.1 }),
      [
        { metric: 'demographicParityDifference', op: '<=', value: 0.1 },
        { metric: 'theilIndex', op: '<=', value: 0.2 },
        { metric: 'disparateImpactRatio', op: '>=', value: 0.8 },
        { metric: 'disparateImpact', op: '>=', value: 0.8 },
        { metric: 'statisticalParityDifference', op: '<=', value: 0.1 },
      ],
    );
    // The rule by name holds for every known metric.
    for (const [metric, kind] of Object.entries(GATE_METRICS)) {
      if (metric.endsWith('Ratio') || metric === 'disparateImpact') assert.equal(kind, 'ratio', metric);
      else assert.notEqual(kind, 'ratio', metric);
    }
  });

  it('rejects unknown metrics and non-finite values, naming the config field', () => {
    assert.throws(() => limitsFromThresholds({ fooRatio: 0.8 }), (e: unknown) =>
      e instanceof RmlInputError && e.field === 'fairness.thresholds.fooRatio');
    assert.throws(() => limitsFromThresholds({ demographicParityDifference: NaN }), /must be a finite number/);
  });
});

describe('fairness gate: evaluateGate', () => {
  it('passes and fails on the toy example', () => {
    assert.deepEqual(evaluateGate({ group: toy }, parseFailOn('demographicParityDifference<=0.3')), { passed: true, failures: [] });
    const r = evaluateGate({ group: toy }, parseFailOn('demographicParityDifference<=0.1,disparateImpactRatio>=0.8,equalizedOddsRatio>=0'));
    assert.equal(r.passed, false);
    assert.deepEqual(
      r.failures.map(({ metric, column, value, limit, reason }) => ({ metric, column, value, limit, reason })),
      [
        { metric: 'demographicParityDifference', column: 'group', value: 0.25, limit: 0.1, reason: 'exceeded' },
        { metric: 'disparateImpactRatio', column: 'group', value: toy.disparateImpactRatio, limit: 0.8, reason: 'exceeded' },
      ],
    );
    assert.equal(r.failures[0].message, 'group: demographicParityDifference = 0.25 fails demographicParityDifference <= 0.1.');
    // Strict operators: EOD is exactly 1.0.
    assert.equal(evaluateGate({ group: toy }, parseFailOn('equalizedOddsDifference<1')).passed, false);
    assert.equal(evaluateGate({ group: toy }, parseFailOn('equalizedOddsDifference<=1')).passed, true);
  });

  it('compares signed differences by absolute value and reports the signed value', () => {
    assert.equal(toyPriv.signed?.statisticalParityDifference, -0.25);
    assert.equal(toyPriv.signed?.averageOddsDifference, -0.25);
    assert.equal(toyPriv.signed?.equalOpportunityDifference, 0);
    const limits = limitsFromThresholds({ statisticalParityDifference: 0.2, equalOpportunityDifferenceSigned: 0.05 });
    const r = evaluateGate({ group: toyPriv }, limits);
    assert.deepEqual(r.failures.map((f) => [f.metric, f.value, f.reason]), [['statisticalParityDifference', -0.25, 'exceeded']]);
    assert.match(r.failures[0].message, /\|statisticalParityDifference\| <= 0\.2/);
    assert.equal(evaluateGate({ group: toyPriv }, limitsFromThresholds({ averageOddsDifference: 0.25 })).passed, true);
  });

  it('an undefined (null) metric fails with reason "undefined"', () => {
    const single = auditColumn(TOY, encodeGroups(Array<string>(18).fill('x'), 'solo'));
    const zero = auditColumn({ yTrue: u8([1, 0, 1, 0]), yPred: u8([0, 0, 0, 0]) }, encodeGroups(['p', 'p', 'q', 'q'], 'pq'));
    const r = evaluateGate({ solo: single, pq: zero }, parseFailOn('disparateImpactRatio>=0.8'));
    assert.deepEqual(r.failures.map((f) => [f.column, f.value, f.reason]), [['solo', null, 'undefined'], ['pq', null, 'undefined']]);
    assert.match(r.failures[1].message, /pq: disparateImpactRatio is undefined, so the gate cannot show disparateImpactRatio >= 0\.8/);
  });

  it('a metric computed for no column fails with reason "not-computed"; a column limit applies to that column only', () => {
    const r = evaluateGate({ group: toy }, parseFailOn('statisticalParityDifference<=0.1'));
    assert.deepEqual(r.failures.map((f) => [f.column, f.reason]), [[null, 'not-computed']]);
    assert.match(r.failures[0].message, /need a privileged value/);
    const both = { group: toy, withPriv: toyPriv };
    // Without a column: only where computed (withPriv); |−0.25| > 0.1 fails there.
    assert.deepEqual(evaluateGate(both, parseFailOn('statisticalParityDifference<=0.1')).failures.map((f) => f.column), ['withPriv']);
    assert.deepEqual(evaluateGate(both, parseFailOn('group:demographicParityDifference<=0.1')).failures.map((f) => f.column), ['group']);
  });

  it('throws an RmlInputError for a column that was not audited or an unknown metric', () => {
    assert.throws(() => evaluateGate({ group: toy }, [{ metric: 'demographicParityDifference', op: '<=', value: 0.1, column: 'rac' }]),
      (e: unknown) => e instanceof RmlInputError && /names the column "rac", which was not audited \(audited: group\)/.test(e.message));
    assert.throws(() => evaluateGate({ group: toy }, [{ metric: 'nope', op: '<=', value: 1 }]), /unknown fairness metric "nope"/);
  });

  it('reads regression audits and theilIndex', () => {
    const reg = auditRegression(Float64Array.of(1, 3, 4, 4, 4), Float64Array.of(2, 2, 5, 3, 7), encodeGroups(['a', 'a', 'b', 'b', 'b']));
    assert.equal(gateMetricValue(reg, 'meanPredictionDifference'), 3);
    assert.equal(gateMetricValue(reg, 'demographicParityDifference'), undefined);
    assert.equal(gateMetricValue(toy, 'theilIndex'), toy.theilIndex.overall);
    const r = evaluateGate({ g: reg, group: toy }, parseFailOn('meanPredictionDifference<=1,meanPredictionRatio>=0.5'));
    assert.deepEqual(r.failures.map((f) => [f.metric, f.column, f.value]), [['meanPredictionDifference', 'g', 3], ['meanPredictionRatio', 'g', 0.4]]);
  });
});
