/** RML005 identifier-feature: a feature is (nearly) unique per row. */
import { splitIdentifier } from '../../privacy/pii';
import type { LintContext } from '../context';
import { ruleMeta, type Rule } from '../rule';
import { count, percent } from '../stats';
import type { Finding } from '../types';

const meta = ruleMeta(
  'RML005',
  'identifier-feature',
  'warning',
  'data',
  'A feature is (nearly) unique per row: an identifier, a case number or free text.',
  "A feature with a different value on (almost) every row carries no signal that generalises: the model can only memorise it, which inflates training scores and may identify people. Text and id-like columns whose sampled values are at least 95% distinct are reported, and integer columns whose values are that distinct and either have an id-like name or run densely like a row counter; continuous measurements (amounts, weights) are not. Exclude the column (data.ignore).",
);

const ID_WORDS = new Set(['id', 'ids', 'uuid', 'guid', 'key', 'idx', 'index', 'rowid', 'row', 'record', 'no', 'num', 'number', 'nr', 'code', 'hash', 'token', 'serial']);

export const rml005: Rule = {
  meta,
  check(ctx: LintContext): Finding[] {
    const limit = ctx.thresholds.identifierUniqueShare;
    const total = ctx.data?.totalRows ?? 0;
    const out: Finding[] = [];
    for (const name of ctx.inputs) {
      const col = ctx.column(name);
      if (!col) continue;
      const present = col.values.length - col.missing;
      if (present < 20) continue;
      const distinct = ctx.distinct(name);
      const share = distinct / present;
      if (share < limit) continue;
      const idName = splitIdentifier(name).some((w) => ID_WORDS.has(w)) || /id$/i.test(name);
      let kind: string;
      if (col.type !== 'numeric') {
        kind = idName ? 'an identifier' : 'an identifier or free text';
      } else {
        const nums = col.numbers;
        if (!nums) continue;
        let min = Infinity;
        let max = -Infinity;
        let integer = true;
        for (const x of nums) {
          if (x !== x) continue;
          if (!Number.isInteger(x)) integer = false;
          if (x < min) min = x;
          if (x > max) max = x;
        }
        if (!integer) continue;
        const dense = max - min + 1 <= 2 * Math.max(total, present);
        if (!idName && !dense) continue;
        kind = dense ? 'a row number or sequential id' : 'an identifier';
      }
      out.push(
        ctx.finding(meta, {
          at: ctx.headerRange(name),
          column: name,
          message:
            `Feature '${name}' is (nearly) unique per row: ${count(distinct)} distinct values in ${count(present)} sampled rows (${percent(share)}); it looks like ${kind}. ` +
            `The model can only memorise such a column, which inflates training scores, generalises to nothing and may identify people. Exclude it (data.ignore).`,
          related: ctx.related(name),
          fixes: [ctx.excludeFix(name)],
          data: { distinct, rows: present, share },
        }),
      );
    }
    return out;
  },
};
