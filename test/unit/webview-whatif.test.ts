import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RunRecord } from '../../src/core/report/types';
import { readSweep, reportExtras, type ThresholdSweep } from '../../src/core/report/view-model';
import { nearestIndex, whatIf } from '../../webview/src/whatif';

const FIXTURE = path.join(__dirname, '../fixtures/runs/example-run/run.json');

/** Two groups at three thresholds; every number below is worked out by hand from these rates. */
const SWEEP: ThresholdSweep = {
  thresholds: [0, 0.5, 1],
  columns: {
    g: {
      a: { selectionRate: [1, 0.4, 0], tpr: [1, 0.8, 0], fpr: [1, 0.2, 0], precision: [0.5, 0.8, 0] },
      b: { selectionRate: [1, 0.1, 0], tpr: [1, 0.3, 0], fpr: [1, 0.05, 0], precision: [0.25, 0.6, 0] },
    },
  },
};

describe('what-if threshold (webview)', () => {
  it('recomputes the disparities from the groups\' rates (hand-checked)', () => {
    const w = whatIf(SWEEP, 'g', 1);
    assert.equal(w.threshold, 0.5);
    assert.deepEqual(w.groups.map((g) => [g.group, g.selectionRate, g.tpr, g.fpr, g.precision]), [['a', 0.4, 0.8, 0.2, 0.8], ['b', 0.1, 0.3, 0.05, 0.6]]);
    const d = w.disparities;
    assert.ok(Math.abs((d.demographicParityDifference ?? NaN) - 0.3) < 1e-12); // 0.4 − 0.1
    assert.ok(Math.abs((d.demographicParityRatio ?? NaN) - 0.25) < 1e-12); // 0.1 / 0.4
    assert.equal(d.disparateImpactRatio, d.demographicParityRatio);
    assert.ok(Math.abs((d.equalOpportunityDifference ?? NaN) - 0.5) < 1e-12); // 0.8 − 0.3
    assert.ok(Math.abs((d.equalOpportunityRatio ?? NaN) - 0.375) < 1e-12); // 0.3 / 0.8
    assert.ok(Math.abs((d.equalizedOddsDifference ?? NaN) - 0.5) < 1e-12); // max(0.5, 0.15)
    assert.ok(Math.abs((d.equalizedOddsRatio ?? NaN) - 0.25) < 1e-12); // min(0.375, 0.05 / 0.2)
    assert.equal(w.harmed, 'b');
  });

  it('gives null ratios when no group is selected, as the engine does', () => {
    const d = whatIf(SWEEP, 'g', 2).disparities;
    assert.equal(d.demographicParityDifference, 0);
    assert.equal(d.demographicParityRatio, null);
    assert.equal(d.equalizedOddsRatio, null);
    assert.equal(d.equalOpportunityRatio, null);
  });

  it('gives null disparities for a single group', () => {
    const one: ThresholdSweep = { thresholds: [0.5], columns: { g: { a: { selectionRate: [0.4], tpr: [0.8], fpr: [0.2], precision: [] } } } };
    const w = whatIf(one, 'g', 0);
    assert.ok(Object.values(w.disparities).every((v) => v === null));
    assert.equal(w.harmed, undefined);
    assert.equal(w.groups[0].precision, null);
  });

  it('estimates overall selection rate and accuracy from group sizes and base rates', () => {
    // a: n 100, base 0.5 → TP 40, FP 10, TN 40; b: n 100, base 0.2 → TP 6, FP 4, TN 76.
    const w = whatIf(SWEEP, 'g', 1, { a: { n: 100, baseRate: 0.5 }, b: { n: 100, baseRate: 0.2 } });
    assert.ok(w.overall);
    assert.ok(Math.abs(w.overall.selectionRate - 60 / 200) < 1e-12);
    assert.ok(Math.abs(w.overall.accuracy - 162 / 200) < 1e-12);
    assert.equal(whatIf(SWEEP, 'g', 1, { a: { n: 100 }, b: { n: 100 } }).overall, undefined);
  });

  it('rejects an unknown column or an index off the grid', () => {
    assert.throws(() => whatIf(SWEEP, 'nope', 0), /no column nope/);
    assert.throws(() => whatIf(SWEEP, 'g', 3), /outside 0\.\.2/);
    assert.throws(() => whatIf(SWEEP, 'g', 0.5), /outside/);
  });

  it('finds the grid point nearest to the run\'s threshold', () => {
    assert.equal(nearestIndex([0, 0.25, 0.5, 0.75, 1], 0.5), 2);
    assert.equal(nearestIndex([0, 0.25, 0.5, 0.75, 1], 0.6), 2);
    assert.equal(nearestIndex([0, 0.25, 0.5, 0.75, 1], 0.99), 4);
    assert.equal(nearestIndex([0, 0.5, 1], 0.25), 0); // tie → lower
  });

  it('at the run\'s threshold, reproduces the audit of the fixture run', () => {
    const run = JSON.parse(fs.readFileSync(FIXTURE, 'utf8')) as RunRecord;
    const x = reportExtras(run);
    assert.ok(x.sweep && x.fairness);
    const i = nearestIndex(x.sweep.thresholds, run.threshold);
    assert.equal(x.sweep.thresholds[i], 0.5);
    for (const [column, col] of Object.entries(x.fairness)) {
      const w = whatIf(x.sweep, column, i, col.groups);
      // The fixture's numbers are rounded to 4 decimals, so differences of rounded rates agree to 2e-4.
      for (const [k, v] of Object.entries(w.disparities)) {
        const audit = col.values[k];
        if (audit === null || v === null) assert.equal(v, audit, `${column} ${k}`);
        else assert.ok(Math.abs(v - audit) < 2e-3, `${column} ${k}: ${v} vs ${audit}`);
      }
      for (const g of w.groups) {
        assert.ok(Math.abs(g.selectionRate - (col.groups[g.group].selectionRate ?? NaN)) <= 1e-4, `${column} ${g.group}`);
        assert.ok(Math.abs(g.tpr - (col.groups[g.group].tpr ?? NaN)) <= 1e-4);
      }
      assert.equal(w.harmed, col.extremes?.demographicParityDifference.min);
      assert.ok(w.overall && Math.abs(w.overall.accuracy - (run.metrics?.accuracy ?? NaN)) < 1e-3);
    }
  });

  it('reads both sweep layouts and refuses malformed ones', () => {
    const perColumn = { g: { thresholds: SWEEP.thresholds, groups: SWEEP.columns.g } };
    assert.deepEqual(readSweep(perColumn), SWEEP);
    assert.deepEqual(readSweep(SWEEP), SWEEP);
    assert.equal(readSweep({ thresholds: [0, 1], columns: { g: { a: { selectionRate: [0.1], tpr: [0, 1], fpr: [0, 1] } } } }), undefined);
    assert.equal(readSweep({ thresholds: [0, 1], columns: { g: { a: { selectionRate: [0.1, NaN], tpr: [0, 1], fpr: [0, 1] } } } }), undefined);
    assert.equal(readSweep(null), undefined);
    assert.equal(readSweep([1, 2]), undefined);
  });
});
