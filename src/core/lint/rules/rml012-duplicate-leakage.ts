/** RML012 duplicate-leakage: duplicate rows that can land on both sides of the train/test split. */
import { duplicateKey } from '../sample';
import type { LintContext } from '../context';
import { ruleMeta, type Rule } from '../rule';
import { count, percent } from '../stats';
import type { Finding } from '../types';

const meta = ruleMeta(
  'RML012',
  'duplicate-leakage',
  'warning',
  'data',
  'Rows of the data file are exact copies of other rows, so copies can land in both the training and the test split.',
  'A random split puts copies of a duplicated record on both sides: the model is then tested on rows it has seen, and test metrics (per group too) overstate generalisation. Records are compared whole (every column, as written) over the whole file, not the sample, by a 53-bit hash; rows that merely share their feature values (different people alike on a few coarse attributes) are not duplicates. The message gives the expected number of test rows with a copy in training. Deduplicate the data, or split by an entity id so that all copies fall on the same side.',
);


export const rml012: Rule = {
  meta,
  check(ctx: LintContext): Finding[] {
    const data = ctx.data;
    if (!data) return [];
    const cols = ctx.columns;
    if (cols.length === 0) return [];
    const stats = data.sample.duplicates[duplicateKey(cols)];
    if (!stats || stats.duplicateRows === 0) return [];
    const share = stats.duplicateRows / stats.rows;
    if (share < ctx.thresholds.duplicateRowShare) return [];
    const t = ctx.config.split.test;
    // A row lands in test with probability t; it has a copy outside test unless every other copy is in test too.
    let expected = 0;
    for (const [copies, groups] of stats.sizes) expected += groups * copies * t * (1 - Math.pow(t, copies - 1));
    return [
      ctx.finding(meta, {
        at: ctx.valueRange(['data', 'path']),
        message:
          `${count(stats.duplicateRows)} of ${count(stats.rows)} rows (${percent(share)}) are exact copies of an earlier row, in ${count(stats.groups)} ${stats.groups === 1 ? 'group' : 'groups'} of identical rows. ` +
          `A random split puts copies on both sides: with split.test ${t} about ${count(Math.round(expected))} test ${Math.round(expected) === 1 ? 'row has' : 'rows have'} a copy in training, so test metrics overstate generalisation. Deduplicate the data, or split by an entity id.`,
        related: [{ ...ctx.headerRange(cols[0] ?? ''), message: 'the data file' }],
        data: { duplicateRows: stats.duplicateRows, rows: stats.rows, groups: stats.groups, share, expectedTestRowsWithCopy: expected },
      }),
    ];
  },
};
