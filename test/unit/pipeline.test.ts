import { strict as assert } from 'node:assert';
import { kFold, trainValidationTestSplit } from '../../src/core/pipeline/split';
import { fitPreprocessor, selectFeatures, transform, completeRows } from '../../src/core/pipeline/preprocess';
import { labelTarget } from '../../src/core/pipeline/task';
import { RmlInputError } from '../../src/core/errors';
import { makeConfig, makeDataset } from './helpers';

describe('split', () => {
  // 100 rows, 20% positive: every split should keep 20% positives (stratified).
  const strata = Array.from({ length: 100 }, (_, i) => (i % 5 === 0 ? 1 : 0));

  it('is a partition of the rows with the requested sizes', () => {
    const s = trainValidationTestSplit(100, { test: 0.2, validation: 0.1, seed: 7, strata });
    assert.equal(s.test.length, 20);
    assert.equal(s.validation.length, 10);
    assert.equal(s.train.length, 70);
    const all = [...s.train, ...s.validation, ...s.test].sort((a, b) => a - b);
    assert.deepEqual(all, Array.from({ length: 100 }, (_, i) => i));
  });

  it('keeps class proportions in every split (stratification)', () => {
    const s = trainValidationTestSplit(100, { test: 0.2, validation: 0.1, seed: 7, strata });
    const pos = (a: Int32Array) => Array.from(a).filter((i) => strata[i] === 1).length;
    // 20 positives overall: 4 in test (20% of 20), 2 in validation, 14 in train.
    assert.equal(pos(s.test), 4);
    assert.equal(pos(s.validation), 2);
    assert.equal(pos(s.train), 14);
  });

  it('is deterministic for a seed and changes with the seed', () => {
    const a = trainValidationTestSplit(100, { test: 0.2, validation: 0.1, seed: 7, strata });
    const b = trainValidationTestSplit(100, { test: 0.2, validation: 0.1, seed: 7, strata });
    const c = trainValidationTestSplit(100, { test: 0.2, validation: 0.1, seed: 8, strata });
    assert.deepEqual(a, b);
    assert.notDeepEqual(a.test, c.test);
  });

  it('refuses fractions that leave nothing to train on', () => {
    assert.throws(() => trainValidationTestSplit(10, { test: 0.6, validation: 0.4, seed: 1 }), /test \+ validation < 1/);
  });

  it('k-fold gives disjoint test folds covering every row, stratified', () => {
    const folds = kFold(100, 5, 3, strata);
    assert.equal(folds.length, 5);
    const seen = new Set<number>();
    for (const f of folds) {
      assert.equal(f.test.length, 20);
      assert.equal(f.train.length, 80);
      for (const i of f.test) {
        assert.ok(!seen.has(i));
        seen.add(i);
      }
      // Each fold holds 4 of the 20 positives.
      assert.equal(Array.from(f.test).filter((i) => strata[i] === 1).length, 4);
      const train = new Set(f.train);
      for (const i of f.test) assert.ok(!train.has(i));
    }
    assert.equal(seen.size, 100);
  });

  it('k-fold refuses k < 2 and k > n', () => {
    assert.throws(() => kFold(10, 1, 0), /k >= 2/);
    assert.throws(() => kFold(3, 5, 0), /at least 5 rows/);
  });
});

describe('preprocess', () => {
  const ds = makeDataset({
    x: ['1', '2', '3', null, '1000', '-1000'],
    c: ['a', 'b', 'a', null, 'z', 'b'],
    y: ['0', '1', '0', '1', '0', '1'],
  });

  it('fits on the training rows only: test values cannot move the scaler', () => {
    const train = [0, 1, 2, 3];
    const pre = fitPreprocessor(ds, ['x', 'c'], train, { scale: 'standard', maxCategories: 50 });
    // Training x = 1, 2, 3 and a missing value imputed with the median 2 → mean 2, population sd sqrt(0.5).
    const step = pre.steps[0];
    assert.equal(step.kind, 'numeric');
    if (step.kind !== 'numeric') return;
    assert.equal(step.median, 2);
    assert.equal(step.center, 2);
    assert.ok(Math.abs(step.scale - Math.sqrt(0.5)) < 1e-12);
    // Changing the test rows' values (4 and 5) must not change anything that was fitted.
    const ds2 = makeDataset({ x: ['1', '2', '3', null, '5', '7'], c: ['a', 'b', 'a', null, 'q', 'r'], y: ['0', '1', '0', '1', '0', '1'] });
    assert.deepEqual(fitPreprocessor(ds2, ['x', 'c'], train, { scale: 'standard', maxCategories: 50 }), pre);
    // The extreme test values are transformed with the training statistics.
    const out = transform(pre, ds, [4]);
    assert.ok(Math.abs(out[0] - (1000 - 2) / Math.sqrt(0.5)) < 1e-3);
  });

  it('one-hot encodes with the training mode for missing and zeros for unseen categories', () => {
    const pre = fitPreprocessor(ds, ['c'], [0, 1, 2, 3], { scale: 'none', maxCategories: 50 });
    assert.deepEqual(pre.featureNames, ['c=a', 'c=b']);
    // Row 3 is missing → mode 'a'; row 4 is 'z', never seen in training → all zeros.
    assert.deepEqual(Array.from(transform(pre, ds, [3, 4])), [1, 0, 0, 0]);
  });

  it('caps categories and buckets the rest (and unseen values) into (other)', () => {
    const d = makeDataset({ c: ['a', 'a', 'a', 'b', 'b', 'c', 'd'] });
    const pre = fitPreprocessor(d, ['c'], [0, 1, 2, 3, 4, 5], { scale: 'none', maxCategories: 2 });
    assert.deepEqual(pre.featureNames, ['c=a', 'c=b', 'c=(other)']);
    assert.deepEqual(Array.from(transform(pre, d, [5, 6])), [0, 0, 1, 0, 0, 1]);
  });

  it('min-max scales to [0, 1] over the training rows', () => {
    const pre = fitPreprocessor(ds, ['x'], [0, 1, 2], { scale: 'minmax', maxCategories: 50 });
    assert.deepEqual(Array.from(transform(pre, ds, [0, 1, 2])), [0, 0.5, 1]);
  });

  it('refuses a column with no training values', () => {
    const d = makeDataset({ x: [null, null, '1'] });
    assert.throws(() => fitPreprocessor(d, ['x'], [0, 1], { scale: 'standard', maxCategories: 50 }), (e: unknown) => e instanceof RmlInputError && /all missing/.test(e.message));
  });

  it('finds complete rows for missing: drop', () => {
    assert.deepEqual(Array.from(completeRows(ds, ['x', 'c'], [0, 1, 2, 3, 4])), [0, 1, 2, 4]);
  });

  it('selects every column but target, ignore and sensitive by default', () => {
    const d = makeDataset({ a: ['1'], b: ['2'], s: ['x'], t: ['0'], i: ['9'] });
    const cfg = makeConfig({ data: { target: 't', ignore: ['i'], sensitive: ['s'] } });
    assert.deepEqual(selectFeatures(cfg, d), ['a', 'b']);
  });

  it('rejects an unknown feature column', () => {
    const d = makeDataset({ a: ['1'], t: ['0'] });
    const cfg = makeConfig({ data: { target: 't', features: ['nope'] } });
    assert.throws(() => selectFeatures(cfg, d), /unknown feature column 'nope'/);
  });
});

describe('task and labels', () => {
  it('binary with a positive value', () => {
    const d = makeDataset({ y: ['>50K', '<=50K', '>50K', null] });
    const l = labelTarget(makeConfig({ data: { target: 'y', positive: '>50K' } }), d);
    assert.equal(l.task, 'binary');
    assert.deepEqual(Array.from(l.y), [1, 0, 1]);
    assert.equal(l.droppedMissingTarget, 1);
    assert.deepEqual(l.classes, ['<=50K', '>50K']);
  });

  it('refuses a positive value that does not occur', () => {
    const d = makeDataset({ y: ['a', 'b'] });
    assert.throws(() => labelTarget(makeConfig({ data: { target: 'y', positive: 'c' } }), d), /positive value 'c' does not occur/);
  });

  it('refuses a one-class target', () => {
    const d = makeDataset({ y: ['a', 'a', 'a'] });
    assert.throws(() => labelTarget(makeConfig({ data: { target: 'y', positive: 'a' } }), d), /single class/);
  });

  it('refuses an unknown target, naming the columns', () => {
    const d = makeDataset({ y: ['a'], z: ['b'] });
    assert.throws(() => labelTarget(makeConfig({ data: { target: 'income' } }), d), /unknown target column 'income'; the file has: y, z/);
  });

  it('multiclass over sorted values; two classes need positive', () => {
    const d = makeDataset({ y: ['c', 'a', 'b', 'a'] });
    const l = labelTarget(makeConfig({ data: { target: 'y' } }), d);
    assert.equal(l.task, 'multiclass');
    assert.deepEqual(l.classes, ['a', 'b', 'c']);
    assert.deepEqual(Array.from(l.y), [2, 0, 1, 0]);
    assert.throws(() => labelTarget(makeConfig({ data: { target: 'y' } }), makeDataset({ y: ['a', 'b'] })), /set data.positive/);
  });

  it('regression for a continuous numeric target with linear or mlp, refused for logistic', () => {
    const d = makeDataset({ y: ['1.5', '2.25', '3', '4'] });
    const l = labelTarget(makeConfig({ data: { target: 'y' }, model: { type: 'linear' } }), d);
    assert.equal(l.task, 'regression');
    assert.deepEqual(Array.from(l.y), [1.5, 2.25, 3, 4]);
    assert.throws(() => labelTarget(makeConfig({ data: { target: 'y' }, model: { type: 'logistic' } }), d), /continuous/);
  });
});
