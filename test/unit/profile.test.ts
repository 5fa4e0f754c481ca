import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { countDuplicateRows, numericStats, profileDataset, readCsv } from '../../src/core/data';
import type { Column, Dataset } from '../../src/core/data';

/**
 * The tiny table used for the hand-worked numbers below:
 *
 *   row  x   c    b
 *    1   1   a    yes
 *    2   2   b    no
 *    3   2   a    yes
 *    4   4   ''   yes   (c missing)
 *    5   1   a    yes   duplicate of row 1
 *    6   4   NA   yes   duplicate of row 4 ('' and NA are both missing)
 *    7  10   b    no
 */
const TINY = 'x,c,b\n1,a,yes\n2,b,no\n2,a,yes\n4,,yes\n1,a,yes\n4,NA,yes\n10,b,no\n';

describe('profileDataset', () => {
  let tmp: string;
  let ds: Dataset;
  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rml-profile-'));
    const file = path.join(tmp, 'tiny.csv');
    fs.writeFileSync(file, TINY);
    ds = await readCsv(file);
  });
  after(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('rows, hash and duplicate rows (worked by hand: rows 5 and 6 repeat rows 1 and 4)', () => {
    const p = profileDataset(ds);
    assert.equal(p.file, ds.file);
    assert.equal(p.hash, ds.hash);
    assert.equal(p.rows, 7);
    assert.equal(p.duplicateRows, 2);
    assert.deepEqual(p.columns.map((c) => [c.name, c.type]), [
      ['x', 'numeric'],
      ['c', 'categorical'],
      ['b', 'boolean'],
    ]);
  });

  it('numeric statistics (worked by hand)', () => {
    const x = profileDataset(ds).columns[0];
    // x = 1, 2, 2, 4, 1, 4, 10: n = 7, Σx = 24, Σx² = 142.
    assert.equal(x.missing, 0);
    assert.equal(x.distinct, 4); // 1, 2, 4, 10
    assert.equal(x.min, 1);
    assert.equal(x.max, 10);
    assert.ok(Math.abs((x.mean ?? NaN) - 24 / 7) < 1e-12);
    // Population variance = Σx²/n − mean² = 142/7 − (24/7)² = (7·142 − 576)/49 = 418/49.
    assert.ok(Math.abs((x.std ?? NaN) - Math.sqrt(418) / 7) < 1e-12);
    // 10 bins over [1, 10], width 0.9: 1 → bin 0; 2 → floor(1/0.9) = 1; 4 → floor(3/0.9) = 3;
    // 10 → bin 10, clamped into the last bin 9.
    assert.deepEqual(x.histogram, { min: 1, max: 10, counts: [2, 2, 0, 2, 0, 0, 0, 0, 0, 1] });
    // Counts 1:2, 2:2, 4:2, 10:1; the ties are ordered by value.
    assert.deepEqual(x.top, [
      { value: '1', count: 2 },
      { value: '2', count: 2 },
      { value: '4', count: 2 },
      { value: '10', count: 1 },
    ]);
  });

  it('categorical and boolean columns: missing, distinct and top values, no numeric stats', () => {
    const [, c, b] = profileDataset(ds).columns;
    // c = a, b, a, -, a, -, b
    assert.deepEqual(
      { missing: c.missing, distinct: c.distinct, top: c.top },
      { missing: 2, distinct: 2, top: [{ value: 'a', count: 3 }, { value: 'b', count: 2 }] },
    );
    assert.equal(c.mean, undefined);
    assert.equal(c.histogram, undefined);
    // b = yes ×5, no ×2
    assert.deepEqual(b.top, [{ value: 'yes', count: 5 }, { value: 'no', count: 2 }]);
    assert.equal(b.distinct, 2);
    assert.equal(b.std, undefined);
  });

  it('honours topK and bins', () => {
    const x = profileDataset(ds, { topK: 2, bins: 3 }).columns[0];
    assert.deepEqual(x.top, [{ value: '1', count: 2 }, { value: '2', count: 2 }]);
    // 3 bins over [1, 10], width 3: [1,4) holds 1,1,2,2; [4,7) holds 4,4; [7,10] holds 10.
    assert.deepEqual(x.histogram?.counts, [4, 2, 1]);
  });

  it('numericStats: constant values, missing values, none at all', () => {
    const constant = numericStats(new Float64Array([3, NaN, 3]), 4);
    assert.deepEqual(constant, { min: 3, max: 3, mean: 3, std: 0, histogram: { min: 3, max: 3, counts: [2, 0, 0, 0] } });
    assert.deepEqual(numericStats(new Float64Array([NaN, NaN])), {});
    // 2 and 4: mean 3, population std 1 (a sample std would be √2).
    assert.equal(numericStats(new Float64Array([2, 4])).std, 1);
  });

  it('countDuplicateRows is exact on a larger table (checked against joined-string keys)', () => {
    const n = 5000;
    const a: (string | null)[] = [];
    const b: (string | null)[] = [];
    let seed = 7;
    const rand = (k: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % k;
    };
    for (let i = 0; i < n; i++) {
      const r = rand(60);
      a.push(r === 0 ? null : `v${rand(40)}`);
      b.push(r === 1 ? null : r === 2 ? '' : `${rand(30)}`);
    }
    const columns: Column[] = [
      { name: 'a', index: 0, type: 'categorical', values: a, missing: 0 },
      { name: 'b', index: 1, type: 'categorical', values: b, missing: 0 },
    ];
    const seen = new Set<string>();
    let expected = 0;
    for (let i = 0; i < n; i++) {
      const key = JSON.stringify([a[i], b[i]]);
      if (seen.has(key)) expected++;
      else seen.add(key);
    }
    assert.ok(expected > 0 && expected < n);
    assert.equal(countDuplicateRows(columns, n), expected);
    // ('ab', 'c') and ('a', 'bc') are different rows.
    const split: Column[] = [
      { name: 'a', index: 0, type: 'categorical', values: ['ab', 'a'], missing: 0 },
      { name: 'b', index: 1, type: 'categorical', values: ['c', 'bc'], missing: 0 },
    ];
    assert.equal(countDuplicateRows(split, 2), 0);
  });

  it('profiles the Adult head fixture', async () => {
    const adult = await readCsv(path.join(__dirname, '..', 'fixtures', 'csv', 'adult_head.csv'));
    const p = profileDataset(adult);
    assert.equal(p.rows, 200);
    const workclass = p.columns.find((c) => c.name === 'workclass');
    assert.equal(workclass?.missing, adult.byName.get('workclass')?.missing);
    assert.ok(!workclass?.top.some((t) => t.value === '?'));
    const age = p.columns.find((c) => c.name === 'age');
    assert.equal(age?.histogram?.counts.reduce((s, k) => s + k, 0), 200);
  });
});
