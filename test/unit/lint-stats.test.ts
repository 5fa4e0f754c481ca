/**
 * The lint's statistics. Reference values: Cramér's V by hand and from SciPy
 * (scipy.stats.contingency.association(t, method='cramer', correction=False), SciPy 1.10),
 * the bias correction by hand from Bergsma (2013); ROC AUC from scikit-learn's roc_auc_score;
 * Spearman from scipy.stats.spearmanr.
 */
import { strict as assert } from 'node:assert';
import {
  capCategories,
  contingency,
  cramersV,
  crossFittedEncoding,
  encodeCategories,
  pearson,
  quantileBins,
  rocAuc,
  spearman,
} from '../../src/core/lint/stats';
import { Rng } from '../../src/core/util/random';

const close = (a: number | null, b: number, tol = 1e-9) => assert.ok(a !== null && Math.abs(a - b) <= tol, `${a} ≉ ${b}`);

describe("lint: statistics", () => {
  describe("Cramér's V", () => {
    it('matches the hand computation on a 2×2 table', () => {
      // [[30,10],[10,30]]: every expected count is 20, χ² = 4·(10²/20) = 20, φ² = 20/80 = 0.25,
      // plain V = √0.25 = 0.5. Corrected: φ̃² = 0.25 − 1/79 = 0.2373418, r̃ = c̃ = 2 − 1/79,
      // Ṽ = √(0.2373418 / (1 − 1/79)) = √0.2403846 = 0.4902903.
      const t = [
        [30, 10],
        [10, 30],
      ];
      const plain = cramersV(t, { biasCorrected: false });
      close(plain.chi2, 20);
      close(plain.v, 0.5);
      close(cramersV(t).v, Math.sqrt(0.25 - 1 / 79) / Math.sqrt(1 - 1 / 79));
      close(cramersV(t).v, 0.4902903, 1e-7);
    });
    it('matches SciPy on a 3×3 table (plain) and the Bergsma formula (corrected)', () => {
      const t = [
        [20, 5, 5],
        [4, 18, 6],
        [3, 7, 25],
      ];
      const r = cramersV(t, { biasCorrected: false });
      close(r.chi2, 50.17981481481482, 1e-9); // scipy.stats.chi2_contingency(t, correction=False)
      close(r.v, 0.5194073070503379, 1e-12); // scipy association(method='cramer')
      close(cramersV(t).v, 0.5035443647760027, 1e-12);
    });
    it('is 0 for independence, 1 for a one-to-one relation, null when undefined', () => {
      close(cramersV([[10, 10], [20, 20]], { biasCorrected: false }).v, 0);
      close(cramersV([[50, 0], [0, 50]], { biasCorrected: false }).v, 1);
      assert.equal(cramersV([[10, 20]]).v, null, 'one row');
      assert.equal(cramersV([[5, 0], [7, 0]]).v, null, 'one non-empty column');
    });
    it('corrects the upward bias of high-cardinality columns', () => {
      // An identifier-like column against a random binary one: plain V is large, corrected ≈ 0.
      const rng = new Rng(3);
      const n = 400;
      const a = Int32Array.from({ length: n }, (_, i) => i % 200);
      const b = Int32Array.from({ length: n }, () => (rng.next() < 0.5 ? 1 : 0));
      const t = contingency(a, 200, b, 2);
      assert.ok((cramersV(t, { biasCorrected: false }).v ?? 0) > 0.5);
      assert.ok((cramersV(t).v ?? 1) < 0.15);
    });
    it('builds contingency tables leaving out missing codes', () => {
      const t = contingency(Int32Array.from([0, 1, 1, -1, 0]), 2, Int32Array.from([1, 1, 0, 0, -1]), 2);
      assert.deepEqual(t, [
        [0, 1],
        [1, 1],
      ]);
    });
  });

  describe('ROC AUC', () => {
    it('matches scikit-learn with ties', () => {
      // roc_auc_score([0,0,1,1,0,1,0,1,1,0], [0.1,0.4,0.35,0.8,0.4,0.4,0.2,0.9,0.35,0.6]) = 0.68
      close(rocAuc([0.1, 0.4, 0.35, 0.8, 0.4, 0.4, 0.2, 0.9, 0.35, 0.6], [0, 0, 1, 1, 0, 1, 0, 1, 1, 0]), 0.68);
    });
    it('is 1 for a perfect score, 0.5 for a constant, null with one class, and skips NaN', () => {
      close(rocAuc([1, 2, 3, 4], [0, 0, 1, 1]), 1);
      close(rocAuc([1, 1, 1, 1], [0, 1, 0, 1]), 0.5);
      assert.equal(rocAuc([1, 2], [1, 1]), null);
      close(rocAuc([1, NaN, 3, 4], [0, 0, 1, 1]), 1);
    });
  });

  describe('encodings', () => {
    it('codes categories in order of appearance and pools the rare ones beyond the cap', () => {
      const e = encodeCategories(['b', 'a', null, 'b', 'c', 'b', 'a'], 50);
      assert.deepEqual(e.labels, ['b', 'a', 'c']);
      assert.deepEqual(Array.from(e.codes), [0, 1, -1, 0, 2, 0, 1]);
      const capped = encodeCategories(['b', 'a', null, 'b', 'c', 'b', 'a', 'd'], 3);
      assert.deepEqual(capped.labels, ['b', 'a', '(other)']);
      assert.deepEqual(Array.from(capped.codes), [0, 1, -1, 0, 2, 0, 1, 2]);
      assert.deepEqual(capCategories(e, 2).labels, ['b', '(other)']);
    });
    it('cuts numbers into quantile bins, merging tied cut points', () => {
      const x = Float64Array.from({ length: 100 }, (_, i) => i);
      const q = quantileBins(x, 4);
      assert.equal(q.labels.length, 4);
      const counts = [0, 0, 0, 0];
      for (const c of q.codes) counts[c]++;
      assert.deepEqual(counts, [25, 25, 25, 25]);
      const tied = quantileBins(Float64Array.from([1, 1, 1, 1, 1, 1, 2, 3, NaN]), 4);
      assert.ok(tied.labels.length < 4);
      assert.equal(tied.codes[8], -1);
    });
    it('cross-fitting gives an identifier no predictive power but keeps a real signal', () => {
      const rng = new Rng(7);
      const n = 2000;
      const y = Float64Array.from({ length: n }, () => (rng.next() < 0.4 ? 1 : 0));
      const id = Int32Array.from({ length: n }, (_, i) => i);
      const idAuc = rocAuc(crossFittedEncoding(id, n, y, 1), y) ?? 0;
      assert.ok(Math.abs(idAuc - 0.5) < 0.02, `identifier AUC ${idAuc}`);
      const signal = Int32Array.from(y, (v) => (rng.next() < 0.9 ? v : 1 - v));
      const sAuc = rocAuc(crossFittedEncoding(signal, 2, y, 1), y) ?? 0;
      assert.ok(sAuc > 0.85, `signal AUC ${sAuc}`);
    });
  });

  describe('correlation', () => {
    it('Spearman matches SciPy; Pearson is ±1 for lines; both null when undefined', () => {
      close(spearman([1, 2, 3, 4, 5, 6], [2, 1, 4, 3, 6, 5]), 0.8285714285714287, 1e-12);
      close(pearson([1, 2, 3], [2, 4, 6]), 1);
      close(pearson([1, 2, 3], [6, 4, 2]), -1);
      assert.equal(pearson([1, 1, 1], [1, 2, 3]), null);
      assert.equal(spearman([1, NaN], [1, 2]), null);
    });
  });
});
