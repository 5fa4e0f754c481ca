/** RML008 group-underrepresented: a sensitive group would be too small in the test split. */
import type { LintContext } from '../context';
import { ruleMeta, type Rule } from '../rule';
import { count, percent } from '../stats';
import type { Finding } from '../types';

const meta = ruleMeta(
  'RML008',
  'group-underrepresented',
  'warning',
  'data',
  'A group of a declared sensitive attribute would have fewer than 30 rows in the test split, or is under 5% of the rows.',
  'Fairness metrics of a small group are noise: a handful of test rows can swing its selection rate or true positive rate by tens of points, so the audit can neither show a disparity nor rule one out. Groups are the distinct values of each declared sensitive column, as the audit forms them; expected test rows are the group\'s sampled share × all rows × split.test. Collect more data for the group, merge groups in a documented way, or bin a numeric attribute (age) into bands.',
);

export const rml008: Rule = {
  meta,
  check(ctx: LintContext): Finding[] {
    const data = ctx.data;
    if (!data) return [];
    const test = ctx.config.split.test;
    const minRows = ctx.thresholds.minGroupTestRows;
    const minShare = ctx.thresholds.minGroupShare;
    const out: Finding[] = [];
    for (const column of ctx.declared) {
      const col = ctx.column(column);
      if (!col) continue;
      const counts = new Map<string, number>();
      for (const v of col.values) if (v !== null) counts.set(v, (counts.get(v) ?? 0) + 1);
      const n = col.values.length - col.missing;
      if (n === 0 || counts.size < 2) continue;
      const scale = data.totalRows / data.ds.rowCount;
      const small = [...counts]
        .map(([group, c]) => ({ group: ctx.display(column, group), share: c / n, testRows: c * scale * test }))
        .filter((g) => (test > 0 && g.testRows < minRows) || g.share < minShare)
        .sort((a, b) => a.share - b.share || (a.group < b.group ? -1 : 1));
      if (small.length === 0) continue;
      const many = counts.size > 20;
      const list = small
        .slice(0, 5)
        .map((g) => `'${g.group}' (${percent(g.share)} of rows${test > 0 ? `, about ${count(Math.round(g.testRows))} test ${Math.round(g.testRows) === 1 ? 'row' : 'rows'}` : ''})`)
        .join(', ');
      const more = small.length > 5 ? ` and ${small.length - 5} more` : '';
      const message = many
        ? `Sensitive attribute '${column}' has ${count(counts.size)} distinct values, and the audit treats each as a group: ${small.length} of them would have fewer than ${minRows} test rows or under ${percent(minShare)} of the rows (${list}${more}). Bin it into a few bands (e.g. age groups) and audit the binned column.`
        : `Sensitive attribute '${column}' has ${small.length === 1 ? 'a group' : `${small.length} groups`} too small to audit reliably: ${list}${more} (limits: ${minRows} expected test rows with split.test ${test}, ${percent(minShare)} of rows). ` +
          `Their fairness metrics would be noise; collect more data for them, or merge groups in a documented way.`;
      out.push(
        ctx.finding(meta, {
          at: ctx.headerRange(column),
          column,
          message,
          related: ctx.related(column),
          data: { groups: small.map((g) => ({ group: g.group, share: g.share, expectedTestRows: g.testRows })), distinctGroups: counts.size },
        }),
      );
    }
    return out;
  },
};
