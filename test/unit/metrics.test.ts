/**
 * Tests for src/core/metrics.
 *
 * Each metric has (a) a tiny case computed by hand, the arithmetic in a comment, and (b) a larger
 * case compared with scikit-learn 1.2.1 (numpy 1.24.2) to 1e-12. The larger data sets come from a
 * Park–Miller generator, s ← s·16807 mod (2^31 − 1), whose integer steps and the divisions built
 * on them are exact, so Python and TypeScript produce bit-identical inputs; each data set also
 * asserts a checksum printed by the Python script, so any drift is caught.
 *
 * The Python used for the references (run with /usr/bin/python3, not needed to run these tests):
 *
 *   import numpy as np
 *   from sklearn import metrics as M
 *   from sklearn.calibration import calibration_curve
 *   def lcg(seed):
 *       s = seed
 *       def nxt():
 *           nonlocal s
 *           s = (s * 16807) % 2147483647
 *           return s
 *       return nxt
 *   r = lambda x: repr(float(x))
 */

import { strict as assert } from 'node:assert';
import {
  CALIBRATION_BINS,
  accuracy,
  averagePrecision,
  balancedAccuracy,
  binaryClassificationReport,
  brier,
  calibrationCurve,
  confusionCounts,
  ece,
  f1,
  logLoss,
  mae,
  mean,
  metricsFromConfusion,
  mse,
  multiclassAccuracy,
  multiclassBalancedAccuracy,
  multiclassClassificationReport,
  multiclassConfusionMatrix,
  multiclassF1,
  multiclassLogLoss,
  multiclassPrecision,
  multiclassRecall,
  multiclassRocAuc,
  perClassMetrics,
  prCurve,
  precision,
  r2,
  recall,
  regressionReport,
  rmse,
  rocAuc,
  rocCurve,
  sd,
  summarize,
} from '../../src/core/metrics';

const TOL = 1e-12;

function close(actual: number | null, expected: number, tol = TOL, what = ''): void {
  assert.ok(actual !== null, `${what} expected ${expected}, got null`);
  assert.ok(Number.isFinite(actual), `${what} expected ${expected}, got ${actual}`);
  assert.ok(Math.abs(actual - expected) <= tol, `${what} expected ${expected}, got ${actual} (diff ${actual - expected})`);
}

function closeArray(actual: ArrayLike<number>, expected: ArrayLike<number>, tol = TOL, what = ''): void {
  assert.equal(actual.length, expected.length, `${what} length`);
  for (let i = 0; i < expected.length; i++) close(actual[i], expected[i], tol, `${what}[${i}]`);
}

function sum(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s;
}

/** Park–Miller minimal standard generator; mirrors `lcg` in the Python snippet above. */
function lcg(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 16807) % 2147483647);
}

// ---------------------------------------------------------------------------------------------
// Binary data, 200 rows. Python:
//   nxt = lcg(12345)
//   for i in range(200):
//       a, b, c = nxt(), nxt(), nxt()
//       k = a % 21
//       sA.append(k / 20); yA.append(1 if b % 20 < k else 0); pA.append(1 if c % 20 < k else 0)
//       m = a % 1000
//       sB.append((2 * m + 1) / 2000); yB.append(1 if b % 1000 < m else 0)
// sA: 21 levels 0, 0.05, …, 1 (many ties, exact bin edges, p = 0 and p = 1);
// sB: odd multiples of 1/2000 (never on a bin edge, a few ties).
interface BinaryData {
  yA: Uint8Array;
  pA: Uint8Array;
  sA: Float64Array;
  yB: Uint8Array;
  sB: Float64Array;
}

function binaryData(): BinaryData {
  const n = 200;
  const nxt = lcg(12345);
  const d: BinaryData = {
    yA: new Uint8Array(n),
    pA: new Uint8Array(n),
    sA: new Float64Array(n),
    yB: new Uint8Array(n),
    sB: new Float64Array(n),
  };
  for (let i = 0; i < n; i++) {
    const a = nxt();
    const b = nxt();
    const c = nxt();
    const k = a % 21;
    d.sA[i] = k / 20;
    d.yA[i] = b % 20 < k ? 1 : 0;
    d.pA[i] = c % 20 < k ? 1 : 0;
    const m = a % 1000;
    d.sB[i] = (2 * m + 1) / 2000;
    d.yB[i] = b % 1000 < m ? 1 : 0;
  }
  return d;
}

const B = binaryData();

describe('metrics', () => {
  describe('generated data', () => {
    it('reproduces the Python data sets (checksums)', () => {
      // print(int(yA.sum()), int(pA.sum()), r(sA.sum()), int(yB.sum()), r(sB.sum()))
      // -> 88 100 95.19999999999999 102 100.91
      assert.equal(sum(B.yA), 88);
      assert.equal(sum(B.pA), 100);
      close(sum(B.sA), 95.19999999999999, 1e-9);
      assert.equal(sum(B.yB), 102);
      close(sum(B.sB), 100.91, 1e-9);
    });
  });

  // -------------------------------------------------------------------------------------------
  describe('binary label metrics', () => {
    // Hand case: y = [1,1,1,0,0,0,0,0], ŷ = [1,0,1,1,1,0,0,0]
    // → TP = 2 (rows 0, 2), FN = 1 (row 1), FP = 2 (rows 3, 4), TN = 3 (rows 5–7).
    const y = [1, 1, 1, 0, 0, 0, 0, 0];
    const yHat = [1, 0, 1, 1, 1, 0, 0, 0];

    it('confusionCounts: hand case and sklearn', () => {
      assert.deepEqual(confusionCounts(y, yHat), { tp: 2, fp: 2, tn: 3, fn: 1 });
      // reference: sklearn.metrics.confusion_matrix 1.2.1
      //   M.confusion_matrix(yA, pA).ravel() -> [74 38 26 62] (tn fp fn tp)
      assert.deepEqual(confusionCounts(B.yA, B.pA), { tp: 62, fp: 38, tn: 74, fn: 26 });
    });

    it('accuracy: hand case and sklearn', () => {
      // (TP + TN) / n = (2 + 3) / 8 = 0.625
      close(accuracy(y, yHat), 0.625);
      // reference: sklearn.metrics.accuracy_score 1.2.1 — r(M.accuracy_score(yA, pA))
      close(accuracy(B.yA, B.pA), 0.68);
    });

    it('balancedAccuracy: hand case and sklearn', () => {
      // TPR = 2/3, TNR = 3/5 → (2/3 + 3/5) / 2 = 19/30
      close(balancedAccuracy(y, yHat), 19 / 30);
      // reference: sklearn.metrics.balanced_accuracy_score 1.2.1
      close(balancedAccuracy(B.yA, B.pA), 0.6826298701298701);
    });

    it('balancedAccuracy: one class in yTrue averages only that class (sklearn)', () => {
      // y all 0: TNR = 3/4 (one false positive); the positive class is left out.
      // M.balanced_accuracy_score([0,0,0,0], [0,1,0,0]) -> 0.75
      close(balancedAccuracy([0, 0, 0, 0], [0, 1, 0, 0]), 0.75);
      // y all 1: TPR = 1/2
      close(balancedAccuracy([1, 1], [1, 0]), 0.5);
    });

    it('precision: hand case and sklearn', () => {
      // TP / (TP + FP) = 2 / 4 = 0.5
      close(precision(y, yHat), 0.5);
      // reference: sklearn.metrics.precision_score 1.2.1
      close(precision(B.yA, B.pA), 0.62);
    });

    it('recall: hand case and sklearn', () => {
      // TP / (TP + FN) = 2 / 3
      close(recall(y, yHat), 2 / 3);
      // reference: sklearn.metrics.recall_score 1.2.1
      close(recall(B.yA, B.pA), 0.7045454545454546);
    });

    it('f1: hand case and sklearn', () => {
      // 2·P·R / (P + R) = 2·(1/2)·(2/3) / (1/2 + 2/3) = (2/3) / (7/6) = 4/7
      close(f1(y, yHat), 4 / 7);
      // reference: sklearn.metrics.f1_score 1.2.1
      close(f1(B.yA, B.pA), 0.6595744680851063);
    });

    it('zero-division conventions give 0 (sklearn zero_division=0)', () => {
      // Nothing predicted positive: TP + FP = 0 → precision 0; P + R = 0 → f1 0.
      assert.equal(precision([1, 0, 1], [0, 0, 0]), 0);
      assert.equal(f1([1, 0, 1], [0, 0, 0]), 0);
      // No positives at all: TP + FN = 0 → recall 0, precision 0, f1 0; accuracy 1 (all TN).
      assert.equal(recall([0, 0], [0, 0]), 0);
      assert.equal(precision([0, 0], [0, 0]), 0);
      assert.equal(f1([0, 0], [0, 0]), 0);
      assert.equal(accuracy([0, 0], [0, 0]), 1);
      assert.equal(balancedAccuracy([0, 0], [0, 0]), 1);
    });

    it('metricsFromConfusion agrees with the per-metric functions', () => {
      const m = metricsFromConfusion({ tp: 2, fp: 2, tn: 3, fn: 1 });
      close(m.accuracy, 0.625);
      close(m.balancedAccuracy, 19 / 30);
      close(m.precision, 0.5);
      close(m.recall, 2 / 3);
      close(m.f1, 4 / 7);
      assert.throws(() => metricsFromConfusion({ tp: 0, fp: 0, tn: 0, fn: 0 }), /metricsFromConfusion requires at least one row/);
    });

    it('rejects empty input, length mismatch and non-binary labels', () => {
      assert.throws(() => accuracy([], []), /^Error: accuracy requires at least one row$/);
      assert.throws(() => precision([0, 1], [0]), /precision requires yTrue and yPred of the same length \(got 2 and 1\)/);
      assert.throws(() => recall([0, 2], [0, 1]), /recall requires binary labels 0 or 1; yTrue\[1\] is 2/);
      assert.throws(() => f1([0, 1], [0.5, 1]), /f1 requires binary labels 0 or 1; yPred\[0\] is 0.5/);
      assert.throws(() => balancedAccuracy(new Uint8Array(0), new Uint8Array(0)), /balancedAccuracy requires at least one row/);
    });
  });

  // -------------------------------------------------------------------------------------------
  describe('rocAuc', () => {
    it('hand case without ties', () => {
      // y = [0,0,1,1], s = [0.1,0.4,0.35,0.8]. Pairs (pos, neg):
      // 0.35>0.1 ✓, 0.35<0.4 ✗, 0.8>0.1 ✓, 0.8>0.4 ✓ → 3/4
      close(rocAuc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]), 0.75);
    });

    it('hand case with ties counted ½', () => {
      // y = [1,0,0,1,1], s = [0.6,0.6,0.6,0.3,0.9]; negatives 0.6, 0.6.
      // 0.9 beats both (2); 0.6 ties both (2·½ = 1); 0.3 loses both (0) → 3 / (3·2) = 0.5
      close(rocAuc([1, 0, 0, 1, 1], [0.6, 0.6, 0.6, 0.3, 0.9]), 0.5);
      // All scores equal: every pair ties → ½.
      close(rocAuc([0, 1, 0, 1], [0.2, 0.2, 0.2, 0.2]), 0.5);
    });

    it('matches sklearn with many ties and without', () => {
      // reference: sklearn.metrics.roc_auc_score 1.2.1
      //   r(M.roc_auc_score(yA, sA)), r(M.roc_auc_score(yB, sB))
      close(rocAuc(B.yA, B.sA), 0.8452719155844156);
      close(rocAuc(B.yB, B.sB), 0.8373349339735894);
      // Same result from plain arrays, and from any order-preserving transform of the scores.
      close(rocAuc(Array.from(B.yA), Array.from(B.sA)), 0.8452719155844156);
      close(rocAuc(B.yA, B.sA.map((s) => 10 * s - 3)), 0.8452719155844156);
    });

    it('is null when only one class is present', () => {
      assert.equal(rocAuc([1, 1, 1], [0.2, 0.5, 0.9]), null);
      assert.equal(rocAuc([0, 0], [0.2, 0.5]), null);
    });

    it('rejects non-finite scores, bad labels, empty input', () => {
      assert.throws(() => rocAuc([0, 1], [0.1, Number.NaN]), /rocAuc requires finite values; scores\[1\] is NaN/);
      assert.throws(() => rocAuc([0, 3], [0.1, 0.2]), /rocAuc requires binary labels 0 or 1; yTrue\[1\] is 3/);
      assert.throws(() => rocAuc([], []), /rocAuc requires at least one row/);
      assert.throws(() => rocAuc([0, 1], [0.5]), /rocAuc requires yTrue and scores of the same length/);
    });

    it('handles 1M rows (sort-based, exact count)', () => {
      // y_i = i mod 2, s_i = i. The positive at 2j+1 beats the j+1 negatives 0, 2, …, 2j, so
      // AUC = Σ_{j<m} (j+1) / m² = (m+1)/(2m) with m = 500 000.
      const n = 1_000_000;
      const y = new Uint8Array(n);
      const s = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        y[i] = i % 2;
        s[i] = i;
      }
      const m = n / 2;
      close(rocAuc(y, s), (m + 1) / (2 * m));
    });
  });

  // -------------------------------------------------------------------------------------------
  describe('averagePrecision', () => {
    it('hand case (sklearn docstring example)', () => {
      // y = [0,0,1,1], s = [0.1,0.4,0.35,0.8]. Thresholds descending:
      // 0.8: TP1 FP0 → R 1/2, P 1; 0.4: R unchanged; 0.35: TP2 FP1 → R 1, P 2/3.
      // AP = (1/2)·1 + (1/2)·(2/3) = 5/6
      close(averagePrecision([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]), 5 / 6);
    });

    it('hand case with ties (tied scores are one threshold)', () => {
      // y = [1,0,0,1,1], s = [0.6,0.6,0.6,0.3,0.9]:
      // 0.9: TP1 FP0 → R 1/3, P 1; 0.6: TP2 FP2 → R 2/3, P 1/2; 0.3: TP3 FP2 → R 1, P 3/5.
      // AP = 1/3·1 + 1/3·1/2 + 1/3·3/5 = 21/30 = 0.7
      close(averagePrecision([1, 0, 0, 1, 1], [0.6, 0.6, 0.6, 0.3, 0.9]), 0.7);
    });

    it('matches sklearn', () => {
      // reference: sklearn.metrics.average_precision_score 1.2.1
      //   r(M.average_precision_score(yA, sA)), r(M.average_precision_score(yB, sB))
      close(averagePrecision(B.yA, B.sA), 0.8361084393761561);
      close(averagePrecision(B.yB, B.sB), 0.8489564240154015);
    });

    it('single-class conventions: null without positives, 1 without negatives', () => {
      // sklearn 1.2.1: average_precision_score([0,0], [0.1,0.2]) -> -0.0 with a warning; we return null.
      assert.equal(averagePrecision([0, 0], [0.1, 0.2]), null);
      // sklearn 1.2.1: average_precision_score([1,1,1], [0.1,0.5,0.5]) -> 1.0 (every precision is 1).
      close(averagePrecision([1, 1, 1], [0.1, 0.5, 0.5]), 1);
    });

    it('rejects empty input', () => {
      assert.throws(() => averagePrecision([], []), /averagePrecision requires at least one row/);
    });
  });

  // -------------------------------------------------------------------------------------------
  describe('logLoss', () => {
    it('hand case', () => {
      // y = [1,0], p = [0.8,0.4] → −(ln 0.8 + ln(1 − 0.4)) / 2
      close(logLoss([1, 0], [0.8, 0.4]), -(Math.log(0.8) + Math.log(0.6)) / 2, 1e-15);
    });

    it('clips p to [1e-15, 1 − 1e-15]', () => {
      // y = [1,0], p = [0,1]: both rows clip. Row 0: −ln(1e-15) = 34.5388; row 1: −ln(1 − (1 − 1e-15))
      // where 1 − 1e-15 rounds to 1 − 9.992e-16 in doubles, giving 34.5396; mean 34.5392.
      // reference: sklearn.metrics.log_loss 1.2.1 — r(M.log_loss([1, 0], [0.0, 1.0], eps=1e-15))
      // (sklearn 1.2's default eps="auto" would give 36.04365338911715.)
      close(logLoss([1, 0], [0, 1]), 34.53917619362578, 1e-9);
      close(logLoss([0, 1], [0, 1]), 9.992007221626415e-16, 1e-24);
    });

    it('matches sklearn (eps=1e-15)', () => {
      // reference: sklearn.metrics.log_loss 1.2.1
      //   r(M.log_loss(yA, sA, eps=1e-15)), r(M.log_loss(yB, sB, eps=1e-15))
      close(logLoss(B.yA, B.sA), 0.4594717417334169);
      close(logLoss(B.yB, B.sB), 0.4923274150273734);
    });

    it('is defined with one class in yTrue', () => {
      // y = [0,0], p = [0.5, 0.25] → −(ln 0.5 + ln 0.75) / 2
      close(logLoss([0, 0], [0.5, 0.25]), -(Math.log(0.5) + Math.log(0.75)) / 2, 1e-15);
    });

    it('rejects probabilities outside [0, 1] and empty input', () => {
      assert.throws(() => logLoss([0, 1], [0.2, 1.5]), /logLoss requires probabilities in \[0, 1\]; scores\[1\] is 1.5/);
      assert.throws(() => logLoss([0], [Number.NaN]), /logLoss requires probabilities in \[0, 1\]/);
      assert.throws(() => logLoss([], []), /logLoss requires at least one row/);
    });
  });

  describe('brier', () => {
    it('hand case', () => {
      // y = [1,0,1], p = [0.9,0.2,0.6] → (0.1² + 0.2² + 0.4²) / 3 = (0.01 + 0.04 + 0.16) / 3 = 0.07
      close(brier([1, 0, 1], [0.9, 0.2, 0.6]), 0.07, 1e-15);
    });

    it('matches sklearn', () => {
      // reference: sklearn.metrics.brier_score_loss 1.2.1
      close(brier(B.yA, B.sA), 0.156425);
      close(brier(B.yB, B.sB), 0.16501274);
    });

    it('rejects empty input and length mismatch', () => {
      assert.throws(() => brier([], []), /brier requires at least one row/);
      assert.throws(() => brier([1], [0.5, 0.5]), /brier requires yTrue and scores of the same length/);
    });
  });

  describe('ece', () => {
    it('hand case', () => {
      // y = [1,0,1,1], p = [0.05,0.15,0.95,1.0] → bins 0, 1, 9, 9 (p = 1 goes in the last bin).
      // bin 0: (1/4)·|1 − 0.05| = 0.2375; bin 1: (1/4)·|0 − 0.15| = 0.0375;
      // bin 9: (2/4)·|1 − 0.975| = 0.0125 → 0.2875
      close(ece([1, 0, 1, 1], [0.05, 0.15, 0.95, 1.0]), 0.2875);
    });

    it('bins are [b/10, (b+1)/10), compared exactly at the edges', () => {
      // p = 0.1 sits on an edge and belongs to bin 1, alone: |0 − 0.1| = 0.1.
      // With p = 0 also in the data: bin 0 {0 → y 0} contributes 0, bin 1 {0.1 → y 0}: (1/2)·0.1 = 0.05.
      close(ece([0, 0], [0, 0.1]), 0.05);
      // 0.8999999999999999 < 0.9 but floor(p·10) = 9: it must land in bin 8, separately from 0.9.
      // bin 8: |1 − 0.8999999999999999|·1/2, bin 9: |0 − 0.9|·1/2 → (0.1 + 0.9) / 2 = 0.5
      close(ece([1, 0], [0.8999999999999999, 0.9]), 0.5);
      // In one bin the errors would cancel instead: |(1 + 0)/2 − 0.9| = 0.4.
      assert.equal(CALIBRATION_BINS, 10);
    });

    it('matches an independent numpy implementation', () => {
      // reference: numpy 1.24.2 (ece is not in sklearn):
      //   def ece(y, p):
      //       edges = np.arange(11) / 10
      //       b = np.clip(np.searchsorted(edges, p, side="right") - 1, 0, 9)
      //       return sum((b == k).sum() / len(p) * abs(y[b == k].mean() - p[b == k].mean())
      //                  for k in range(10) if (b == k).any())
      //   r(ece(yA, sA)), r(ece(yB, sB))
      close(ece(B.yA, B.sA), 0.09050000000000002);
      close(ece(B.yB, B.sB), 0.03834999999999996);
    });

    it('rejects out-of-range probabilities', () => {
      assert.throws(() => ece([1], [-0.1]), /ece requires probabilities in \[0, 1\]; scores\[0\] is -0.1/);
    });
  });

  // -------------------------------------------------------------------------------------------
  describe('curves', () => {
    it('rocCurve: hand case (drop_intermediate=False)', () => {
      // y = [0,0,1,1], s = [0.1,0.4,0.35,0.8]; thresholds max+1 = 1.8, 0.8, 0.4, 0.35, 0.1:
      // s ≥ 0.8 → TP1 FP0; ≥ 0.4 → TP1 FP1; ≥ 0.35 → TP2 FP1; ≥ 0.1 → TP2 FP2.
      const c = rocCurve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]);
      assert.ok(c);
      assert.deepEqual(c, {
        fpr: [0, 0, 0.5, 0.5, 1],
        tpr: [0, 0.5, 0.5, 1, 1],
        thresholds: [1.8, 0.8, 0.4, 0.35, 0.1],
      });
    });

    it('rocCurve: matches sklearn', () => {
      // reference: sklearn.metrics.roc_curve 1.2.1 — M.roc_curve(yA, sA, drop_intermediate=False)
      const c = rocCurve(B.yA, B.sA);
      assert.ok(c);
      closeArray(c.fpr, [0.0, 0.0, 0.0, 0.0, 0.008928571428571428, 0.026785714285714284, 0.026785714285714284, 0.05357142857142857, 0.08928571428571429, 0.11607142857142858, 0.1875, 0.25892857142857145, 0.33035714285714285, 0.44642857142857145, 0.49107142857142855, 0.5535714285714286, 0.5982142857142857, 0.6517857142857143, 0.7321428571428571, 0.8392857142857143, 0.8928571428571429, 1.0], TOL, 'fpr');
      closeArray(c.tpr, [0.0, 0.09090909090909091, 0.23863636363636365, 0.36363636363636365, 0.42045454545454547, 0.4431818181818182, 0.4772727272727273, 0.5568181818181818, 0.5795454545454546, 0.6590909090909091, 0.7045454545454546, 0.7386363636363636, 0.7840909090909091, 0.8295454545454546, 0.875, 0.9204545454545454, 0.9545454545454546, 0.9772727272727273, 1.0, 1.0, 1.0, 1.0], TOL, 'tpr');
      closeArray(c.thresholds, [2.0, 1.0, 0.95, 0.9, 0.85, 0.8, 0.75, 0.7, 0.65, 0.6, 0.55, 0.5, 0.45, 0.4, 0.35, 0.3, 0.25, 0.2, 0.15, 0.1, 0.05, 0.0], TOL, 'thresholds');
    });

    it('rocCurve: null with one class', () => {
      assert.equal(rocCurve([1, 1], [0.3, 0.4]), null);
      assert.equal(rocCurve([0], [0.3]), null);
    });

    it('prCurve: hand case (sklearn docstring example)', () => {
      // y = [0,0,1,1], s = [0.1,0.4,0.35,0.8]; thresholds ascending 0.1, 0.35, 0.4, 0.8:
      // ≥ 0.1 → TP2 FP2 (P 1/2, R 1); ≥ 0.35 → TP2 FP1 (2/3, 1); ≥ 0.4 → TP1 FP1 (1/2, 1/2);
      // ≥ 0.8 → TP1 FP0 (1, 1/2); then the final point (1, 0).
      const c = prCurve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]);
      assert.ok(c);
      closeArray(c.precision, [0.5, 2 / 3, 0.5, 1, 1]);
      closeArray(c.recall, [1, 1, 0.5, 0.5, 0]);
      assert.deepEqual(c.thresholds, [0.1, 0.35, 0.4, 0.8]);
    });

    it('prCurve: matches sklearn', () => {
      // reference: sklearn.metrics.precision_recall_curve 1.2.1 — M.precision_recall_curve(yA, sA)
      const c = prCurve(B.yA, B.sA);
      assert.ok(c);
      closeArray(c.precision, [0.44, 0.46808510638297873, 0.4835164835164835, 0.5176470588235295, 0.5408805031446541, 0.5562913907284768, 0.5664335664335665, 0.5833333333333334, 0.5934959349593496, 0.6509433962264151, 0.6914893617021277, 0.7469879518072289, 0.8169014084507042, 0.8360655737704918, 0.8909090909090909, 0.9333333333333333, 0.9285714285714286, 0.9736842105263158, 1.0, 1.0, 1.0, 1.0], TOL, 'precision');
      closeArray(c.recall, [1.0, 1.0, 1.0, 1.0, 0.9772727272727273, 0.9545454545454546, 0.9204545454545454, 0.875, 0.8295454545454546, 0.7840909090909091, 0.7386363636363636, 0.7045454545454546, 0.6590909090909091, 0.5795454545454546, 0.5568181818181818, 0.4772727272727273, 0.4431818181818182, 0.42045454545454547, 0.36363636363636365, 0.23863636363636365, 0.09090909090909091, 0.0], TOL, 'recall');
      closeArray(c.thresholds, [0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 1.0], TOL, 'thresholds');
    });

    it('prCurve: null without positives, defined without negatives', () => {
      assert.equal(prCurve([0, 0], [0.3, 0.4]), null);
      // y = [1,1], s = [0.3,0.4] → ≥ 0.3: P 1, R 1; ≥ 0.4: P 1, R 1/2; final (1, 0).
      assert.deepEqual(prCurve([1, 1], [0.3, 0.4]), { precision: [1, 1, 1], recall: [1, 0.5, 0], thresholds: [0.3, 0.4] });
    });

    it('calibrationCurve: hand case, skipping empty bins', () => {
      // y = [0,1,1,0], p = [0.1,0.15,0.95,1.0]: bin 1 {0.1, 0.15}, bin 9 {0.95, 1.0}.
      // bin 1: mean p 0.125, fraction positive 1/2, count 2; bin 9: 0.975, 1/2, 2.
      const c = calibrationCurve([0, 1, 1, 0], [0.1, 0.15, 0.95, 1.0]);
      assert.deepEqual(c.lower, [0.1, 0.9]);
      assert.deepEqual(c.upper, [0.2, 1]);
      closeArray(c.meanPredicted, [0.125, 0.975]);
      assert.deepEqual(c.fractionPositive, [0.5, 0.5]);
      assert.deepEqual(c.count, [2, 2]);
    });

    it('calibrationCurve: matches sklearn away from bin edges', () => {
      // reference: sklearn.calibration.calibration_curve 1.2.1
      //   prob_true, prob_pred = calibration_curve(yB, sB, n_bins=10, strategy="uniform")
      // (sB never lies on an edge, where sklearn's right-closed bins would differ from ours.)
      const c = calibrationCurve(B.yB, B.sB);
      closeArray(c.fractionPositive, [0.043478260869565216, 0.23529411764705882, 0.23529411764705882, 0.2916666666666667, 0.42857142857142855, 0.5555555555555556, 0.6956521739130435, 0.6956521739130435, 0.8636363636363636, 1.0], TOL, 'fractionPositive');
      closeArray(c.meanPredicted, [0.03549999999999999, 0.13485294117647056, 0.24744117647058825, 0.34625, 0.4452857142857143, 0.5579444444444444, 0.6524565217391306, 0.7607173913043477, 0.8424545454545455, 0.9458157894736843], TOL, 'meanPredicted');
      assert.equal(sum(c.count), 200);
      // ece is the count-weighted mean gap of the same bins.
      let e = 0;
      for (let i = 0; i < c.count.length; i++) e += (c.count[i] / 200) * Math.abs(c.fractionPositive[i] - c.meanPredicted[i]);
      close(ece(B.yB, B.sB), e);
    });
  });

  // -------------------------------------------------------------------------------------------
  describe('binaryClassificationReport', () => {
    it('has every key, score-based ones null without scores', () => {
      // Hand case as above: TP 2, FP 2, TN 3, FN 1.
      const r = binaryClassificationReport([1, 1, 1, 0, 0, 0, 0, 0], [1, 0, 1, 1, 1, 0, 0, 0]);
      assert.deepEqual(Object.keys(r).sort(), [
        'accuracy',
        'averagePrecision',
        'balancedAccuracy',
        'brier',
        'confusion',
        'ece',
        'f1',
        'logLoss',
        'precision',
        'recall',
        'rocAuc',
      ]);
      close(r.accuracy, 0.625);
      close(r.f1, 4 / 7);
      assert.deepEqual(r.confusion, { tp: 2, fp: 2, tn: 3, fn: 1 });
      assert.equal(r.rocAuc, null);
      assert.equal(r.averagePrecision, null);
      assert.equal(r.logLoss, null);
      assert.equal(r.brier, null);
      assert.equal(r.ece, null);
    });

    it('agrees with sklearn on the 200-row data', () => {
      const r = binaryClassificationReport(B.yA, B.pA, B.sA);
      // reference: sklearn.metrics 1.2.1, values as in the per-metric tests above
      close(r.accuracy, 0.68);
      close(r.balancedAccuracy, 0.6826298701298701);
      close(r.precision, 0.62);
      close(r.recall, 0.7045454545454546);
      close(r.f1, 0.6595744680851063);
      close(r.rocAuc, 0.8452719155844156);
      close(r.averagePrecision, 0.8361084393761561);
      close(r.logLoss, 0.4594717417334169);
      close(r.brier, 0.156425);
      close(r.ece, 0.09050000000000002);
      assert.deepEqual(r.confusion, { tp: 62, fp: 38, tn: 74, fn: 26 });
    });

    it('single-class data: null where undefined, never NaN', () => {
      // y all 0: rocAuc and averagePrecision undefined; the rest defined.
      const r = binaryClassificationReport([0, 0, 0], [0, 1, 0], [0.1, 0.7, 0.2]);
      assert.equal(r.rocAuc, null);
      assert.equal(r.averagePrecision, null);
      close(r.accuracy, 2 / 3);
      close(r.balancedAccuracy, 2 / 3);
      assert.equal(r.precision, 0);
      assert.equal(r.recall, 0);
      // brier = (0.01 + 0.49 + 0.04) / 3 = 0.18
      close(r.brier, 0.18, 1e-15);
      for (const v of Object.values(r)) if (typeof v === 'number') assert.ok(Number.isFinite(v));
    });

    it('rejects scores of the wrong length', () => {
      assert.throws(() => binaryClassificationReport([0, 1], [0, 1], [0.5]), /binaryClassificationReport requires yTrue and scores of the same length/);
    });
  });

  // -------------------------------------------------------------------------------------------
  describe('multiclass', () => {
    // Hand case: y = [0,0,0,1,1,2], ŷ = [0,0,1,1,2,2]
    // Confusion (rows true, cols predicted): [[2,1,0],[0,1,1],[0,0,1]]; support 3, 2, 1.
    // Precision (column): 2/2 = 1, 1/2, 1/2. Recall (row): 2/3, 1/2, 1/1.
    // F1: 2·1·(2/3)/(5/3) = 4/5, 1/2, 2·(1/2)·1/(3/2) = 2/3.
    const y = [0, 0, 0, 1, 1, 2];
    const yHat = [0, 0, 1, 1, 2, 2];

    // 150 rows, K = 4. Python:
    //   nxt = lcg(777)
    //   def pick(u, w):                      # class whose cumulative weight first exceeds u
    //       acc = 0
    //       for c, wc in enumerate(w):
    //           acc += wc
    //           if u < acc: return c
    //   for i in range(150):
    //       w = [1 + nxt() % 9 for _ in range(4)]; t = sum(w)
    //       P.append([wc / t for wc in w])
    //       y.append(pick(nxt() % t, w)); yp.append(pick(nxt() % t, w))
    function pick(u: number, w: number[]): number {
      let acc = 0;
      for (let c = 0; c < w.length; c++) {
        acc += w[c];
        if (u < acc) return c;
      }
      throw new Error('unreachable');
    }
    const n = 150;
    const K = 4;
    const my = new Uint8Array(n);
    const myp = new Uint8Array(n);
    const mP = new Float64Array(n * K);
    const nxt = lcg(777);
    for (let i = 0; i < n; i++) {
      const w = [0, 0, 0, 0].map(() => 1 + (nxt() % 9));
      const t = w[0] + w[1] + w[2] + w[3];
      for (let c = 0; c < K; c++) mP[i * K + c] = w[c] / t;
      my[i] = pick(nxt() % t, w);
      myp[i] = pick(nxt() % t, w);
    }
    const rows = (flat: Float64Array, k: number): number[][] => {
      const out: number[][] = [];
      for (let i = 0; i < flat.length / k; i++) out.push(Array.from(flat.subarray(i * k, (i + 1) * k)));
      return out;
    };

    it('reproduces the Python data set (checksums)', () => {
      // print(int(y.sum()), int(yp.sum()), r(P.sum()), r(P[:, 0].sum())) -> 215 224 150.0 40.368411443231466
      assert.equal(sum(my), 215);
      assert.equal(sum(myp), 224);
      close(sum(mP), 150, 1e-9);
      let col0 = 0;
      for (let i = 0; i < n; i++) col0 += mP[i * K];
      close(col0, 40.368411443231466, 1e-9);
    });

    it('confusion matrix: hand case and sklearn', () => {
      assert.deepEqual(multiclassConfusionMatrix(y, yHat), [
        [2, 1, 0],
        [0, 1, 1],
        [0, 0, 1],
      ]);
      // nClasses pads with an empty class.
      assert.deepEqual(multiclassConfusionMatrix([0, 1], [1, 1], { nClasses: 3 }), [
        [0, 1, 0],
        [0, 1, 0],
        [0, 0, 0],
      ]);
      // reference: sklearn.metrics.confusion_matrix 1.2.1 — M.confusion_matrix(y, yp).tolist()
      assert.deepEqual(multiclassConfusionMatrix(my, myp), [
        [9, 14, 12, 13],
        [8, 8, 6, 7],
        [12, 4, 9, 8],
        [11, 7, 13, 9],
      ]);
    });

    it('accuracy and balanced accuracy: hand case and sklearn', () => {
      // accuracy = trace / n = 4/6; balanced = (2/3 + 1/2 + 1) / 3 = 13/18
      close(multiclassAccuracy(y, yHat), 4 / 6);
      close(multiclassBalancedAccuracy(y, yHat), 13 / 18);
      // reference: sklearn.metrics.accuracy_score / balanced_accuracy_score 1.2.1
      close(multiclassAccuracy(my, myp), 0.23333333333333334);
      close(multiclassBalancedAccuracy(my, myp), 0.24027233542319748);
    });

    it('per-class metrics: hand case and sklearn', () => {
      const per = perClassMetrics(y, yHat);
      assert.deepEqual(
        per.map((p) => p.support),
        [3, 2, 1],
      );
      closeArray(
        per.map((p) => p.precision),
        [1, 0.5, 0.5],
      );
      closeArray(
        per.map((p) => p.recall),
        [2 / 3, 0.5, 1],
      );
      closeArray(
        per.map((p) => p.f1),
        [4 / 5, 0.5, 2 / 3],
      );
      // reference: sklearn.metrics.precision_recall_fscore_support 1.2.1 (zero_division=0)
      const big = perClassMetrics(my, myp);
      closeArray(
        big.map((p) => p.precision),
        [0.225, 0.24242424242424243, 0.225, 0.24324324324324326],
      );
      closeArray(
        big.map((p) => p.recall),
        [0.1875, 0.27586206896551724, 0.2727272727272727, 0.225],
      );
      closeArray(
        big.map((p) => p.f1),
        [0.20454545454545456, 0.2580645161290323, 0.24657534246575344, 0.23376623376623376],
      );
      assert.deepEqual(
        big.map((p) => p.support),
        [48, 29, 33, 40],
      );
      assert.deepEqual(
        big.map((p) => p.label),
        [0, 1, 2, 3],
      );
    });

    it('macro and weighted precision / recall / f1: hand case', () => {
      // macro P = (1 + 1/2 + 1/2)/3 = 2/3; R = (2/3 + 1/2 + 1)/3 = 13/18; F1 = (4/5 + 1/2 + 2/3)/3 = 59/90
      close(multiclassPrecision(y, yHat, 'macro'), 2 / 3);
      close(multiclassRecall(y, yHat, 'macro'), 13 / 18);
      close(multiclassF1(y, yHat, 'macro'), 59 / 90);
      // weighted by support (3, 2, 1)/6: P = (3·1 + 2·1/2 + 1·1/2)/6 = 3/4;
      // R = (3·2/3 + 2·1/2 + 1·1)/6 = 2/3 (= accuracy); F1 = (3·4/5 + 2·1/2 + 2/3)/6 = 61/90
      close(multiclassPrecision(y, yHat, 'weighted'), 3 / 4);
      close(multiclassRecall(y, yHat, 'weighted'), 2 / 3);
      close(multiclassF1(y, yHat, 'weighted'), 61 / 90);
    });

    it('macro and weighted precision / recall / f1: sklearn', () => {
      // reference: sklearn.metrics.precision_score / recall_score / f1_score 1.2.1
      //   for avg in ("macro", "weighted"): M.precision_score(y, yp, average=avg, zero_division=0), …
      close(multiclassPrecision(my, myp, 'macro'), 0.2339168714168714);
      close(multiclassRecall(my, myp, 'macro'), 0.24027233542319748);
      close(multiclassF1(my, myp, 'macro'), 0.2357378867266185);
      close(multiclassPrecision(my, myp, 'weighted'), 0.23323355173355179);
      close(multiclassRecall(my, myp, 'weighted'), 0.23333333333333334);
      close(multiclassF1(my, myp, 'weighted'), 0.23193125625295313);
    });

    it('zero division: a class never predicted, a class never true, a class in neither', () => {
      // yp2 = np.where(yp == 3, 4, yp): class 3 is never predicted (precision 0), class 4 is
      // predicted but never true (recall 0, support 0). With nClasses = 6, class 5 occurs in
      // neither and is left out of the macro mean, as sklearn's default labels do.
      // reference: sklearn 1.2.1, average="macro"/"weighted", zero_division=0; balanced_accuracy_score
      const yp2 = myp.map((v) => (v === 3 ? 4 : v));
      const opts = { nClasses: 6 };
      close(multiclassPrecision(my, yp2, 'macro', opts), 0.1384848484848485);
      close(multiclassRecall(my, yp2, 'macro', opts), 0.147217868338558);
      close(multiclassF1(my, yp2, 'macro', opts), 0.14183706262804804);
      close(multiclassPrecision(my, yp2, 'weighted', opts), 0.1683686868686869);
      close(multiclassRecall(my, yp2, 'weighted', opts), 0.17333333333333334);
      close(multiclassF1(my, yp2, 'weighted', opts), 0.1695935939152908);
      close(multiclassBalancedAccuracy(my, yp2, opts), 0.1840223354231975);
      const per = perClassMetrics(my, yp2, opts);
      assert.equal(per.length, 6);
      assert.equal(per[3].precision, 0);
      assert.equal(per[4].recall, 0);
      assert.equal(per[4].support, 0);
      assert.deepEqual(per[5], { label: 5, precision: 0, recall: 0, f1: 0, support: 0 });
    });

    it('logLoss: hand cases (clip, renormalise)', () => {
      // y = [0,2], rows [0.7,0.2,0.1], [0.2,0.2,0.6] → −(ln 0.7 + ln 0.6)/2
      close(multiclassLogLoss([0, 2], [[0.7, 0.2, 0.1], [0.2, 0.2, 0.6]]), -(Math.log(0.7) + Math.log(0.6)) / 2, 1e-15);
      // Row [0.2,0.2,0] is clipped to [0.2,0.2,1e-15], renormalised by 0.4 + 1e-15: −ln(0.2/0.4) ≈ ln 2.
      close(multiclassLogLoss([1], [[0.2, 0.2, 0]]), Math.log(2), 1e-14);
      // An all-zero row becomes uniform after clipping and renormalising: ln 3.
      close(multiclassLogLoss([2], new Float64Array([0, 0, 0])), Math.log(3), 1e-14);
    });

    it('logLoss: matches sklearn (eps=1e-15, labels=range(K))', () => {
      // reference: sklearn.metrics.log_loss 1.2.1 — r(M.log_loss(y, P, eps=1e-15, labels=range(4)))
      close(multiclassLogLoss(my, mP), 1.2788549901624275);
      close(multiclassLogLoss(my, rows(mP, K)), 1.2788549901624275);
      // Unnormalised rows with zeros, 100 rows, K = 3:
      //   nxt = lcg(4242)
      //   for i in range(100):
      //       w = [nxt() % 5 for _ in range(3)]
      //       P3.append([wc / 4 for wc in w]); y3.append(nxt() % 3)
      //   print(int(y3.sum()), r(P3.sum()))                       -> 108 156.5
      //   r(M.log_loss(y3, P3, eps=1e-15, labels=range(3)))       -> 7.998221483603001
      const nxt3 = lcg(4242);
      const y3 = new Uint8Array(100);
      const P3 = new Float64Array(300);
      for (let i = 0; i < 100; i++) {
        for (let c = 0; c < 3; c++) P3[i * 3 + c] = (nxt3() % 5) / 4;
        y3[i] = nxt3() % 3;
      }
      assert.equal(sum(y3), 108);
      close(sum(P3), 156.5, 1e-9);
      close(multiclassLogLoss(y3, P3), 7.998221483603001);
    });

    it('rocAuc one-vs-rest macro: hand case', () => {
      // y = [0,1,2,0]; rows [.6,.3,.1], [.2,.5,.3], [.1,.3,.6], [.3,.5,.2].
      // class 0: pos {.6,.3} vs neg {.2,.1} → 4/4 = 1
      // class 1: pos {.5} vs neg {.3,.3,.5} → (1 + 1 + ½)/3 = 5/6
      // class 2: pos {.6} vs neg {.1,.3,.2} → 1
      // macro = (1 + 5/6 + 1)/3 = 17/18
      const P = [
        [0.6, 0.3, 0.1],
        [0.2, 0.5, 0.3],
        [0.1, 0.3, 0.6],
        [0.3, 0.5, 0.2],
      ];
      close(multiclassRocAuc([0, 1, 2, 0], P), 17 / 18);
    });

    it('rocAuc one-vs-rest macro: matches sklearn', () => {
      // reference: sklearn.metrics.roc_auc_score 1.2.1 — M.roc_auc_score(y, P, multi_class="ovr", average="macro")
      close(multiclassRocAuc(my, mP), 0.6687755950062907);
      close(multiclassRocAuc(my, rows(mP, K)), 0.6687755950062907);
    });

    it('rocAuc with K = 2 is the binary AUC of column 1', () => {
      // sklearn 1.2.1 raises for a 2-column matrix; its binary usage scores column 1:
      //   yb = (y >= 2).astype(int); P2 = np.c_[1 - P[:, 2], P[:, 2]]
      //   r(M.roc_auc_score(yb, P2[:, 1])) -> 0.5810354029532112
      const yb = my.map((v) => (v >= 2 ? 1 : 0));
      const P2 = new Float64Array(2 * n);
      for (let i = 0; i < n; i++) {
        P2[2 * i] = 1 - mP[i * K + 2];
        P2[2 * i + 1] = mP[i * K + 2];
      }
      close(multiclassRocAuc(yb, P2), 0.5810354029532112);
      // One class only → null.
      assert.equal(multiclassRocAuc([1, 1], [[0.3, 0.7], [0.5, 0.5]]), null);
    });

    it('rocAuc: null when a class never occurs; throws when rows do not sum to 1', () => {
      // Class 2 absent from y (sklearn raises "Number of classes in y_true not equal …").
      assert.equal(multiclassRocAuc([0, 1, 0], [[0.5, 0.3, 0.2], [0.2, 0.5, 0.3], [0.6, 0.2, 0.2]]), null);
      assert.throws(
        () => multiclassRocAuc([0, 1, 2], [[0.5, 0.3, 0.3], [0.2, 0.5, 0.3], [0.1, 0.2, 0.7]]),
        /multiclassRocAuc requires each probability row to sum to 1.*row 0/,
      );
    });

    it('report: every key, agreeing with sklearn', () => {
      const r = multiclassClassificationReport(my, myp, mP);
      close(r.accuracy, 0.23333333333333334);
      close(r.balancedAccuracy, 0.24027233542319748);
      close(r.precisionMacro, 0.2339168714168714);
      close(r.recallMacro, 0.24027233542319748);
      close(r.f1Macro, 0.2357378867266185);
      close(r.precisionWeighted, 0.23323355173355179);
      close(r.recallWeighted, 0.23333333333333334);
      close(r.f1Weighted, 0.23193125625295313);
      close(r.logLoss, 1.2788549901624275);
      close(r.rocAuc, 0.6687755950062907);
      assert.deepEqual(r.confusionMatrix[0], [9, 14, 12, 13]);
      assert.equal(r.perClass.length, 4);
      // Without probabilities: null, K from the labels.
      const h = multiclassClassificationReport(y, yHat);
      assert.equal(h.logLoss, null);
      assert.equal(h.rocAuc, null);
      close(h.f1Macro, 59 / 90);
      assert.equal(h.confusionMatrix.length, 3);
    });

    it('rejects bad input', () => {
      assert.throws(() => multiclassAccuracy([], []), /^Error: multiclassAccuracy requires at least one row$/);
      assert.throws(() => multiclassF1([0, 1], [0], 'macro'), /multiclassF1 requires yTrue and yPred of the same length \(got 2 and 1\)/);
      assert.throws(() => multiclassPrecision([0, 1.5], [0, 1], 'macro'), /multiclassPrecision requires class labels to be a non-negative integer; yTrue\[1\] is 1.5/);
      assert.throws(() => multiclassRecall([0, 3], [0, 1], 'macro', { nClasses: 3 }), /multiclassRecall requires class labels to be an integer in \[0, 2\]; yTrue\[1\] is 3/);
      assert.throws(() => multiclassLogLoss([0, 3], [[0.5, 0.5], [0.5, 0.5]]), /multiclassLogLoss requires class labels to be an integer in \[0, 1\]; yTrue\[1\] is 3/);
      assert.throws(() => multiclassLogLoss([0, 1], new Float64Array(5)), /multiclassLogLoss requires a row-major proba of n×K values/);
      assert.throws(() => multiclassLogLoss([0], [[1.2, 0.1]]), /multiclassLogLoss requires probabilities in \[0, 1\]/);
      assert.throws(() => multiclassRocAuc([], []), /multiclassRocAuc requires at least one row/);
      assert.throws(() => multiclassClassificationReport([0, 1], [0, 1], [[0.5, 0.5], [0.5, 0.5]], { nClasses: 3 }), /nClasses \(3\) to equal the number of probability columns \(2\)/);
    });
  });

  // -------------------------------------------------------------------------------------------
  describe('regression', () => {
    // Hand case (sklearn docstring): y = [3, −0.5, 2, 7], ŷ = [2.5, 0, 2, 8]
    // residuals 0.5, −0.5, 0, −1 → SS_res = 0.25 + 0.25 + 0 + 1 = 1.5, Σ|r| = 2.
    // ȳ = 11.5/4 = 2.875; SS_tot = 0.125² + 3.375² + 0.875² + 4.125² = 29.1875.
    const y = [3, -0.5, 2, 7];
    const yHat = [2.5, 0, 2, 8];

    // 120 rows. Python:
    //   nxt = lcg(999)
    //   for i in range(120):
    //       a, b = nxt(), nxt()
    //       v = (a % 1000) / 10 - 30
    //       yt.append(v); ypr.append(v + ((b % 201) - 100) / 40)
    const ry = new Float64Array(120);
    const rp = new Float64Array(120);
    const nxt = lcg(999);
    for (let i = 0; i < 120; i++) {
      const a = nxt();
      const b = nxt();
      ry[i] = (a % 1000) / 10 - 30;
      rp[i] = ry[i] + ((b % 201) - 100) / 40;
    }

    it('reproduces the Python data set (checksums)', () => {
      // r(yt.sum()), r(ypr.sum()) -> 2545.7 2536.0
      close(sum(ry), 2545.7, 1e-9);
      close(sum(rp), 2536.0, 1e-9);
    });

    it('mse: hand case and sklearn', () => {
      // 1.5 / 4 = 0.375
      close(mse(y, yHat), 0.375);
      // reference: sklearn.metrics.mean_squared_error 1.2.1
      close(mse(ry, rp), 2.1793645833333337);
    });

    it('rmse: hand case and sklearn', () => {
      // √0.375
      close(rmse(y, yHat), Math.sqrt(0.375));
      // reference: sklearn.metrics.mean_squared_error(squared=False) 1.2.1
      close(rmse(ry, rp), 1.4762671111060266);
    });

    it('mae: hand case and sklearn', () => {
      // 2 / 4 = 0.5
      close(mae(y, yHat), 0.5);
      // reference: sklearn.metrics.mean_absolute_error 1.2.1
      close(mae(ry, rp), 1.27125);
    });

    it('r2: hand case and sklearn', () => {
      // 1 − 1.5 / 29.1875
      close(r2(y, yHat), 1 - 1.5 / 29.1875);
      // reference: sklearn.metrics.r2_score 1.2.1
      close(r2(ry, rp), 0.9975453926416809);
    });

    it('r2 edge cases: constant y, fewer than two rows', () => {
      // reference: sklearn 1.2.1 (force_finite=True)
      //   r2_score([3.5]*4, [3.5]*4) -> 1.0; r2_score([3.5]*4, [3.5, 3.5, 3.5, 4.0]) -> 0.0
      //   r2_score([1.0], [2.0]) -> nan (warning); we return null
      assert.equal(r2([3.5, 3.5, 3.5, 3.5], [3.5, 3.5, 3.5, 3.5]), 1);
      assert.equal(r2([3.5, 3.5, 3.5, 3.5], [3.5, 3.5, 3.5, 4.0]), 0);
      assert.equal(r2([1], [2]), null);
      // Constant y is detected exactly: sklearn 1.2.1 gives r2_score([0.1]*3, [0.2]*3) = −5.19e31
      // because np.mean([0.1]*3) ≠ 0.1 in doubles; the documented convention says 0.
      assert.equal(r2([0.1, 0.1, 0.1], [0.2, 0.2, 0.2]), 0);
      // Can be negative: ȳ = 1, SS_tot = 2, ŷ = [2, 0] → SS_res = 4 + 4 = 8 → 1 − 8/2 = −3.
      assert.equal(r2([0, 2], [2, 0]), -3);
    });

    it('regressionReport agrees with the individual metrics', () => {
      const r = regressionReport(ry, rp);
      close(r.mse, 2.1793645833333337);
      close(r.rmse, 1.4762671111060266);
      close(r.mae, 1.27125);
      close(r.r2, 0.9975453926416809);
    });

    it('rejects bad input', () => {
      assert.throws(() => mse([], []), /^Error: mse requires at least one row$/);
      assert.throws(() => mae([1, 2], [1]), /mae requires yTrue and yPred of the same length \(got 2 and 1\)/);
      assert.throws(() => rmse([1, Number.POSITIVE_INFINITY], [1, 2]), /rmse requires finite values; yTrue\[1\] is Infinity/);
      assert.throws(() => r2([1, 2], [1, Number.NaN]), /r2 requires finite values; yPred\[1\] is NaN/);
      assert.throws(() => regressionReport([], []), /regressionReport requires at least one row/);
    });
  });

  // -------------------------------------------------------------------------------------------
  describe('stats', () => {
    it('mean and sd: hand case', () => {
      // [2,4,4,4,5,5,7,9]: mean 40/8 = 5; squared deviations 9+1+1+1+0+0+4+16 = 32;
      // sample variance 32/7 → sd √(32/7)
      const v = [2, 4, 4, 4, 5, 5, 7, 9];
      assert.equal(mean(v), 5);
      close(sd(v), Math.sqrt(32 / 7));
    });

    it('summarize: matches numpy', () => {
      // reference: numpy 1.24.2 — v = [0.81, 0.79, 0.835, 0.802, 0.818]
      //   r(np.mean(v)), r(np.std(v, ddof=1)) -> 0.8109999999999999 0.01694107434609738
      const s = summarize([0.81, 0.79, 0.835, 0.802, 0.818]);
      close(s.mean, 0.8109999999999999);
      close(s.sd, 0.01694107434609738);
      assert.equal(s.n, 5);
      close(mean(new Float64Array([0.81, 0.79, 0.835, 0.802, 0.818])), 0.8109999999999999);
    });

    it('one value: sd is null (n − 1 = 0)', () => {
      assert.deepEqual(summarize([0.7]), { mean: 0.7, sd: null, n: 1 });
      assert.equal(sd([0.7]), null);
    });

    it('rejects empty and non-finite input', () => {
      assert.throws(() => mean([]), /^Error: mean requires at least one value$/);
      assert.throws(() => sd([]), /sd requires at least one value/);
      assert.throws(() => summarize([1, Number.NaN]), /summarize requires finite values; values\[1\] is NaN/);
    });
  });
});
